"""Login, logout, the interface language, and (for admins) the accounts page."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from ttdn.errors import TTDNError
from ttdn.web.accounts import ROLES, UserInfo
from ttdn.web.deps import accounts_of, client_address, require
from ttdn.web.i18n import LOCALES, gettext, set_locale
from ttdn.web.security import csrf_ok
from ttdn.web.templating import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
MAX_FIELD = 1024


def _safe_next(target: str | None) -> str:
    """Only a local path: never an open redirect to another site."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


@router.get("/login")
def login_page(request: Request, next: str = "/", lang: str | None = None) -> Response:
    if lang in LOCALES:
        request.session["locale"] = lang
    if isinstance(request.session.get("uid"), int) and accounts_of(request).get(request.session["uid"]):
        return RedirectResponse(_safe_next(next), status_code=303)
    return render(request, "login.html", {"next": _safe_next(next), "error": None})


@router.post("/login")
async def login(
    request: Request,
    username: Annotated[str, Form(max_length=MAX_FIELD)] = "",
    password: Annotated[str, Form(max_length=MAX_FIELD)] = "",
    next: Annotated[str, Form(max_length=MAX_FIELD)] = "/",
) -> Response:
    limiter = request.app.state.login_limiter
    address = client_address(request)
    if not await csrf_ok(request):
        return render(
            request, "login.html",
            {"next": _safe_next(next), "error": gettext("The form has expired; please try again.")},
            status_code=403,
        )  # fmt: skip
    if not limiter.allowed(address, username):
        return render(
            request, "login.html",
            {"next": _safe_next(next), "error": gettext("Too many failed attempts. Wait a minute and try again.")},
            status_code=429,
        )  # fmt: skip
    user = await run_in_threadpool(accounts_of(request).authenticate, username, password)
    if user is None:
        limiter.failed(address, username)
        return render(
            request, "login.html",
            {"next": _safe_next(next), "error": gettext("Wrong user name or password.")},
            status_code=401,
        )  # fmt: skip
    request.session.clear()  # a fresh session (and CSRF token) at each login
    request.session["uid"] = user.id
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout")
async def logout(request: Request, _: Annotated[UserInfo, Depends(require("viewer"))]) -> Response:
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


@router.post("/account/locale")
async def change_locale(
    request: Request,
    user: Annotated[UserInfo, Depends(require("viewer"))],
    locale: Annotated[str, Form(max_length=8)],
    back: Annotated[str, Form(max_length=MAX_FIELD)] = "/",
) -> Response:
    if locale not in LOCALES:
        raise HTTPException(422, gettext("Unknown language."))
    await run_in_threadpool(accounts_of(request).set_locale, user.id, locale)
    set_locale(locale)
    return RedirectResponse(_safe_next(back), status_code=303)


@router.get("/users")
def users_page(request: Request, _: Annotated[UserInfo, Depends(require("admin"))]) -> Response:
    return render(request, "users.html", {"users": accounts_of(request).all(), "roles": ROLES, "error": None})


@router.post("/users")
async def add_user(
    request: Request,
    _: Annotated[UserInfo, Depends(require("admin"))],
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=MAX_FIELD)],
    role: Annotated[str, Form(max_length=16)] = "viewer",
    display_name: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    accounts = accounts_of(request)
    try:
        await run_in_threadpool(accounts.add, username, password, role=role, display_name=display_name)
    except TTDNError as exc:
        return render(
            request, "users.html", {"users": accounts.all(), "roles": ROLES, "error": exc.reason}, status_code=422
        )
    return RedirectResponse("/users", status_code=303)


@router.post("/users/{username}/active")
async def set_user_active(
    request: Request,
    user: Annotated[UserInfo, Depends(require("admin"))],
    username: str,
    active: Annotated[bool, Form()],
) -> Response:
    accounts = accounts_of(request)
    if accounts.by_username(username) is None:
        raise HTTPException(404, gettext("No such user."))
    if username == user.username and not active:
        raise HTTPException(400, gettext("You cannot disable your own account."))
    await run_in_threadpool(accounts.set_active, username, active)
    return RedirectResponse("/users", status_code=303)
