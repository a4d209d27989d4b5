"""Interface language: gettext catalogs (Vietnamese first, English switchable) and dates and
numbers in the user's locale (Babel).

Messages in the code and the templates are written in English (the gettext ``msgid``); the
Vietnamese catalog is ``web/locale/vi/LC_MESSAGES/*.po`` — every ``.po`` file there is read and
merged, so each part of the interface can keep its own file. A test extracts every message and
checks that Vietnamese has it. The locale of a request lives in a context variable that the
Jinja2 ``_()``/``ngettext()`` callables and the format filters read.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent

__all__ = [
    "DEFAULT_LOCALE",
    "LOCALES",
    "N_",
    "current_locale",
    "fmt_date",
    "fmt_datetime",
    "fmt_number",
    "fmt_percent",
    "gettext",
    "ngettext",
    "using_locale",
]

LOCALES = ("vi", "en")
DEFAULT_LOCALE = "vi"
LOCALE_DIR = Path(__file__).parent / "locale"
_locale: ContextVar[str] = ContextVar("ttdn_locale", default=DEFAULT_LOCALE)
_display_zone: list[ZoneInfo] = [ZoneInfo("Asia/Ho_Chi_Minh")]


def set_display_timezone(name: str) -> None:
    """The time zone pages show times in (``TTDN_DISPLAY_TIMEZONE``; set by the app at start)."""
    _display_zone[0] = ZoneInfo(name)


@cache
def catalog(locale: str) -> dict[str, str | tuple[str, ...]]:
    """msgid → translation (a tuple of plural forms for plural messages), all .po files merged."""
    merged: dict[str, str | tuple[str, ...]] = {}
    for path in sorted((LOCALE_DIR / locale / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as handle:
            for message in read_po(handle, locale=locale):
                if not message.id or not message.string:
                    continue
                key = str(message.id[0] if isinstance(message.id, tuple | list) else message.id)
                string = message.string
                if isinstance(string, tuple | list):
                    if not all(string):
                        continue
                    merged[key] = tuple(string)
                else:
                    merged[key] = string
    return merged


def N_(message: str) -> str:
    """Mark a message for the catalog without translating it here (role names, chart labels …)."""
    return message


ROLE_LABELS = (N_("admin"), N_("analyst"), N_("viewer"))


def current_locale() -> str:
    return _locale.get()


@contextmanager
def using_locale(locale: str) -> Iterator[None]:
    token = _locale.set(locale if locale in LOCALES else DEFAULT_LOCALE)
    try:
        yield
    finally:
        _locale.reset(token)


def set_locale(locale: str) -> None:
    """Set the locale for the rest of this context (one request)."""
    _locale.set(locale if locale in LOCALES else DEFAULT_LOCALE)


def gettext(message: str) -> str:
    found = catalog(_locale.get()).get(message)
    if isinstance(found, tuple):
        return found[0]
    return found or message


def ngettext(singular: str, plural: str, n: int) -> str:
    found = catalog(_locale.get()).get(singular)
    if isinstance(found, tuple):
        return found[0] if len(found) == 1 or n == 1 else found[1]  # Vietnamese has one form
    if isinstance(found, str):
        return found
    return singular if n == 1 else plural


def fmt_datetime(value: datetime | None, format: str = "short") -> str:
    if value is None:
        return "—"
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)  # the store keeps UTC
    return format_datetime(value, format=format, locale=_locale.get(), tzinfo=_display_zone[0])


def fmt_date(value: date | datetime | None, format: str = "medium") -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        value = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(_display_zone[0])
    return format_date(value, format=format, locale=_locale.get())


def fmt_number(value: float | int | None, digits: int = 0) -> str:
    if value is None:
        return "—"
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=_locale.get())


def fmt_percent(value: float | None) -> str:
    return "—" if value is None else format_percent(value, locale=_locale.get())
