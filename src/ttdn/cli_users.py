"""``ttdn users``: accounts of the web application (people who use the platform, with a role)."""

from __future__ import annotations

import getpass
import json
import os
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from ttdn.console import console, fail, open_store
from ttdn.errors import TTDNError

if TYPE_CHECKING:
    from ttdn.store import Store
    from ttdn.web.accounts import AccountStore

__all__ = ["users_app"]

users_app = typer.Typer(help="Người dùng / Users of the web application: add, list, disable, tokens.",
                        no_args_is_help=True)  # fmt: skip


def _accounts() -> tuple[Store, AccountStore]:
    from ttdn.web.accounts import AccountStore

    store = open_store()
    return store, AccountStore(store.database.engine)


def _password(given: str | None) -> str:
    """From --password-env, else asked twice without echo."""
    if given is not None:
        value = os.environ.get(given)
        if value is None:
            raise fail(f"biến môi trường không có / environment variable {given} is not set")
        return value
    first = getpass.getpass("Mật khẩu / Password: ")
    if first != getpass.getpass("Nhập lại / Again: "):
        raise fail("hai lần nhập không khớp / the two passwords differ")
    return first


PasswordEnv = Annotated[
    str | None, typer.Option(help="Read the password from this environment variable instead of asking.")
]


@users_app.command("add")
def users_add(
    username: Annotated[str, typer.Argument(help="Login name (a-z, 0-9, '.', '_', '-').")],
    role: Annotated[str, typer.Option(help="admin, analyst or viewer.")] = "viewer",
    name: Annotated[str, typer.Option(help="Display name.")] = "",
    locale: Annotated[str, typer.Option(help="Interface language: vi or en.")] = "vi",
    password_env: PasswordEnv = None,
) -> None:
    """Thêm người dùng / Add a user (the password is asked, never given on the command line)."""
    store, accounts = _accounts()
    with store:
        try:
            user = accounts.add(username, _password(password_env), role=role, display_name=name, locale=locale)
        except TTDNError as exc:
            raise fail(exc.reason) from exc
    console.print(f"added {user.username} ({user.role})")


@users_app.command("list")
def users_list(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Danh sách người dùng / List users with role, language, last login and status."""
    store, accounts = _accounts()
    with store:
        users = accounts.all()
    if as_json:
        rows = [
            {"username": u.username, "name": u.display_name, "role": u.role, "locale": u.locale, "active": u.active,
             "last_login_at": u.last_login_at.isoformat() if u.last_login_at else None}
            for u in users
        ]  # fmt: skip
        console.print_json(json.dumps(rows))
        return
    table = Table(title="ttdn users")
    for column in ("user", "name", "role", "locale", "last login", "active"):
        table.add_column(column)
    for u in users:
        last = u.last_login_at.strftime("%Y-%m-%d %H:%M") if u.last_login_at else "—"
        table.add_row(u.username, u.display_name, u.role, u.locale, last, "✓" if u.active else "✗")
    console.print(table)


def _set_active(username: str, active: bool) -> None:
    store, accounts = _accounts()
    with store:
        try:
            accounts.set_active(username, active)
        except TTDNError as exc:
            raise fail(exc.reason) from exc
    console.print(f"{username}: {'enabled' if active else 'disabled'}")


@users_app.command("disable")
def users_disable(username: Annotated[str, typer.Argument(help="Login name.")]) -> None:
    """Khóa người dùng / Disable a user: their sessions and API tokens stop working at once."""
    _set_active(username, False)


@users_app.command("enable")
def users_enable(username: Annotated[str, typer.Argument(help="Login name.")]) -> None:
    """Mở khóa người dùng / Enable a disabled user again."""
    _set_active(username, True)


@users_app.command("passwd")
def users_passwd(
    username: Annotated[str, typer.Argument(help="Login name.")], password_env: PasswordEnv = None
) -> None:
    """Đổi mật khẩu / Set a user's password."""
    store, accounts = _accounts()
    with store:
        try:
            accounts.set_password(username, _password(password_env))
        except TTDNError as exc:
            raise fail(exc.reason) from exc
    console.print(f"{username}: password changed")


@users_app.command("token")
def users_token(
    username: Annotated[str, typer.Argument(help="Login name of the token's owner.")],
    name: Annotated[str, typer.Option(help="What the token is for (e.g. 'nightly export').")],
) -> None:
    """Tạo khóa API / Make an API token for scripts (shown once: keep it safe)."""
    store, accounts = _accounts()
    with store:
        try:
            token = accounts.create_token(username, name)
        except TTDNError as exc:
            raise fail(exc.reason) from exc
    console.print(token, soft_wrap=True, highlight=False)


@users_app.command("tokens")
def users_tokens(username: Annotated[str, typer.Argument(help="Login name.")]) -> None:
    """Các khóa API / List a user's API tokens (never the tokens themselves)."""
    store, accounts = _accounts()
    with store:
        try:
            tokens = accounts.tokens(username)
        except TTDNError as exc:
            raise fail(exc.reason) from exc
    table = Table(title=f"tokens of {username}")
    for column in ("id", "name", "created", "last used", "revoked"):
        table.add_column(column)
    for t in tokens:
        table.add_row(
            *(
                str(t[k]) if t[k] is not None else "—"
                for k in ("id", "name", "created_at", "last_used_at", "revoked_at")
            )
        )
    console.print(table)


@users_app.command("revoke")
def users_revoke(
    username: Annotated[str, typer.Argument(help="Login name.")],
    token_id: Annotated[int, typer.Argument(help="Token id from `ttdn users tokens`.")],
) -> None:
    """Thu hồi khóa API / Revoke an API token."""
    store, accounts = _accounts()
    with store:
        try:
            accounts.revoke_token(username, token_id)
        except TTDNError as exc:
            raise fail(exc.reason) from exc
    console.print(f"token {token_id} of {username}: revoked")
