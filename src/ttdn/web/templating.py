"""Server-rendered pages: one Jinja2 environment with gettext, locale-aware filters and the
context every page needs (user, CSRF token, navigation, language)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape

from ttdn import __version__
from ttdn.web.deps import locale_of
from ttdn.web.i18n import fmt_date, fmt_datetime, fmt_number, fmt_percent, gettext, ngettext, using_locale
from ttdn.web.security import CSRF_FIELD, csrf_token, sanitize_html

__all__ = ["NAV", "render", "templates"]

TEMPLATE_DIR = Path(__file__).parent / "templates"

# (path, message): the main menu, in order; labels are translated when rendered
NAV = [
    ("/", "Dashboard"),
    ("/stories", "Stories"),
    ("/search", "Search"),
    ("/facts", "Fact base"),
    ("/narratives", "Narratives"),
    ("/sources", "Sources"),
]

_environment = Environment(
    loader=FileSystemLoader(TEMPLATE_DIR), autoescape=select_autoescape(["html"]), extensions=["jinja2.ext.i18n"]
)
_environment.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
templates = Jinja2Templates(env=_environment)
templates.env.filters.update(
    datetime=fmt_datetime,
    date=fmt_date,
    number=fmt_number,
    percent=fmt_percent,
    sanitize=sanitize_html,
)


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, *, status_code: int = 200
) -> HTMLResponse:
    """Render a page (or an HTMX fragment) in the user's language."""
    locale = locale_of(request)
    page: dict[str, Any] = {
        "user": getattr(request.state, "user", None),
        "csrf_field": CSRF_FIELD,
        "csrf_token": csrf_token(request),
        "locale": locale,
        "nav": NAV,
        "path": request.url.path,
        "version": __version__,
    }
    page.update(context or {})
    with using_locale(locale):
        return templates.TemplateResponse(request, name, page, status_code=status_code)
