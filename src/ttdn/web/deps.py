"""Who is asking, and may they? FastAPI dependencies for every page and endpoint.

A request is authenticated by its session cookie (the browser) or by ``Authorization: Bearer
ttdn_…`` (scripts). ``require("viewer" | "analyst" | "admin")`` checks the role, and for a
request that changes something (any method but GET/HEAD/OPTIONS) made with the session cookie,
the CSRF token. Every route except ``/health``, the login page and ``/static`` depends on it —
a test walks the routes to make sure.
"""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from fastapi import FastAPI, HTTPException, Request

from ttdn.store import Store
from ttdn.web.accounts import AccountStore, UserInfo
from ttdn.web.i18n import DEFAULT_LOCALE, LOCALES, gettext, set_locale
from ttdn.web.security import csrf_ok

__all__ = ["SAFE_METHODS", "accounts_of", "app_singleton", "locale_of", "require", "store_of"]

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
T = TypeVar("T")
_app_state_lock = threading.RLock()  # re-entrant: a maker may ask for another singleton


def app_singleton(app: FastAPI, name: str, make: Callable[[], T]) -> T:
    """The application's one ``app.state.<name>`` (a cache, a background job), made by ``make``
    at first use; under a lock, so two requests arriving together never make two."""
    with _app_state_lock:
        item: T | None = getattr(app.state, name, None)
        if item is None:
            item = make()
            setattr(app.state, name, item)
        return item


def accounts_of(request: Request) -> AccountStore:
    accounts: AccountStore = request.app.state.accounts
    return accounts


def store_of(request: Request) -> Store:
    """The application's store (opened once by `ttdn.web.app.create_app`)."""
    store: Store = request.app.state.store
    return store


def locale_of(request: Request) -> str:
    """The signed-in user's language, else the one chosen on the login page, else Vietnamese."""
    user: UserInfo | None = getattr(request.state, "user", None)
    if user is not None:
        return user.locale
    chosen = request.session.get("locale") if "session" in request.scope else None
    return chosen if chosen in LOCALES else DEFAULT_LOCALE


def _authenticate(request: Request) -> UserInfo:
    accounts = accounts_of(request)
    header = request.headers.get("authorization", "")
    if header[:7].lower() == "bearer ":
        user = accounts.user_for_token(header[7:].strip())
        if user is None:
            raise HTTPException(401, "invalid or revoked API token")
        request.state.via_token = True
        return user
    user_id = request.session.get("uid")
    user = accounts.get(int(user_id)) if isinstance(user_id, int) else None
    if user is None or not user.active:
        request.session.pop("uid", None)
        raise HTTPException(401, "login required")
    request.state.via_token = False
    return user


def require(role: str) -> Callable[[Request], Awaitable[UserInfo]]:
    """A dependency: the signed-in user if their role is at least ``role`` (and CSRF for writes)."""

    async def dependency(request: Request) -> UserInfo:
        from starlette.concurrency import run_in_threadpool

        user = await run_in_threadpool(_authenticate, request)
        request.state.user = user
        set_locale(user.locale)
        if not user.can(role):
            raise HTTPException(403, gettext("Your role does not allow this."))
        if request.method not in SAFE_METHODS and not request.state.via_token and not await csrf_ok(request):
            raise HTTPException(403, gettext("The form has expired or its security token is wrong; reload the page."))
        return user

    dependency.__name__ = f"require_{role}"
    dependency.role = role  # type: ignore[attr-defined]  # read by the route-audit test
    return dependency


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def wants_json(request: Request) -> bool:
    path = request.url.path
    if path.startswith("/api/") or path == "/openapi.json":
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def error_payload(status: int, detail: Any) -> dict[str, Any]:
    return {"error": status, "detail": detail}
