"""The FastAPI application: pages (Jinja2 + HTMX), the REST API, login, and the scheduler's lifetime.

Topology: ``SecurityHeaders`` → ``SessionMiddleware`` (signed cookie) → routers. Every router but
``/health``, ``/login`` and ``/static`` depends on :func:`ttdn.web.deps.require`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from ttdn import __version__
from ttdn.models import fast_engine
from ttdn.scheduler import CollectionScheduler
from ttdn.settings import Settings
from ttdn.store import Store
from ttdn.web import api, routes_auth
from ttdn.web.accounts import AccountStore
from ttdn.web.deps import error_payload, locale_of, wants_json
from ttdn.web.i18n import N_, gettext, set_display_timezone, using_locale
from ttdn.web.pages import articles, dashboard, facts, narratives, search, sources, stories
from ttdn.web.security import LoginLimiter, SecurityHeaders, session_secret
from ttdn.web.templating import render

__all__ = ["SESSION_COOKIE", "create_app"]

STATIC_DIR = Path(__file__).parent / "static"
SESSION_COOKIE = "ttdn_session"
_TITLES = {
    400: N_("Bad request"),
    401: N_("Login required"),
    403: N_("Not allowed"),
    404: N_("Not found"),
    405: N_("Method not allowed"),
    413: N_("Too large"),
    422: N_("Some fields are missing or not valid"),
    429: N_("Too many attempts; wait a minute"),
}


def create_app(store: Store, settings: Settings, *, run_scheduler: bool = True) -> FastAPI:
    fast_engine.prefer_passive_waiting()  # embedding shares the cores with the requests
    scheduler = CollectionScheduler(store, settings, enrich=settings.enrich_worker) if run_scheduler else None

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if scheduler is not None:
            scheduler.start()
        try:
            yield
        finally:
            if scheduler is not None:
                scheduler.stop()

    app = FastAPI(title="TTĐN", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    set_display_timezone(settings.display_timezone)
    app.state.store = store
    app.state.settings = settings
    app.state.accounts = AccountStore(store.database.engine)
    app.state.login_limiter = LoginLimiter(settings.login_attempts_per_minute)

    app.add_middleware(
        SessionMiddleware,
        secret_key=session_secret(settings.secret_key, settings.data_dir),
        session_cookie=SESSION_COOKIE,
        max_age=int(settings.session_hours * 3600),
        same_site="lax",
        https_only=settings.cookie_secure,
    )
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    for module in (routes_auth, api, dashboard, stories, articles, search, facts, narratives, sources):
        app.include_router(module.router)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return _error_response(request, exc.status_code, exc.detail)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        problems = [
            {"field": ".".join(str(p) for p in error["loc"][1:]), "message": error["msg"]} for error in exc.errors()
        ]
        return _error_response(request, 422, problems)

    return app


def _error_response(request: Request, status: int, detail: Any) -> Response:
    if wants_json(request):
        return JSONResponse(error_payload(status, detail), status_code=status)
    if status == 401:
        if request.headers.get("hx-request"):
            return Response(status_code=401, headers={"HX-Redirect": "/login"})
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={target}", status_code=303)
    with using_locale(locale_of(request)):
        title = gettext(_TITLES.get(status, "Error"))
    problems = detail if isinstance(detail, list) else None
    message = None if problems is not None else str(detail)
    return render(
        request, "error.html", {"status": status, "title": title, "message": message, "problems": problems},
        status_code=status,
    )  # fmt: skip
