"""Accounts of the web application: users with a role, argon2 password hashes, API tokens.

Roles are ordered: a *viewer* reads, an *analyst* also edits (facts, narratives, sources,
decisions on matches), an *admin* also manages accounts. A token is shown once when it is made;
only its SHA-256 is stored.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, func, insert, select, update

from ttdn.errors import BadInput
from ttdn.store.account_tables import ROLES, ApiToken, User

__all__ = ["ROLES", "AccountStore", "UserInfo", "ensure_first_admin", "role_at_least"]

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
MIN_PASSWORD = 10
MAX_PASSWORD = 1024
LOCALES = ("vi", "en")
TOKEN_PREFIX = "ttdn_"
_hasher = PasswordHasher()
# verified against when the user name is unknown, so both paths cost one argon2 check
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


def role_at_least(role: str, needed: str) -> bool:
    return ROLES.index(role) <= ROLES.index(needed)  # ROLES runs from admin (most) to viewer


@dataclass(frozen=True, slots=True)
class UserInfo:
    id: int
    username: str
    display_name: str
    role: str
    locale: str
    active: bool
    created_at: datetime | None = None
    last_login_at: datetime | None = None

    def can(self, needed: str) -> bool:
        return self.active and role_at_least(self.role, needed)

    @property
    def label(self) -> str:
        return self.display_name or self.username


def _info(row: Any) -> UserInfo:
    return UserInfo(
        id=row.id,
        username=row.username,
        display_name=row.display_name,
        role=row.role,
        locale=row.locale,
        active=row.active,
        created_at=row.created_at,
        last_login_at=row.last_login_at,
    )


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise BadInput(f"mật khẩu quá ngắn / password too short: at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise BadInput(f"mật khẩu quá dài / password too long: at most {MAX_PASSWORD} characters")
    return password


class AccountStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(User)).scalar_one())

    def add(
        self, username: str, password: str, *, role: str = "viewer", display_name: str = "", locale: str = "vi"
    ) -> UserInfo:
        username = username.strip().lower()
        if not _USERNAME.match(username):
            raise BadInput("tên đăng nhập không hợp lệ / invalid user name: 2–64 characters of a-z, 0-9, '.', '_', '-'")
        if role not in ROLES:
            raise BadInput(f"vai trò không hợp lệ / unknown role {role!r}: one of {', '.join(ROLES)}")
        if locale not in LOCALES:
            raise BadInput(f"ngôn ngữ không hợp lệ / unknown locale {locale!r}: one of {', '.join(LOCALES)}")
        if len(display_name) > 200:
            raise BadInput("tên hiển thị quá dài / display name too long (at most 200 characters)")
        values = {
            "username": username,
            "display_name": display_name.strip(),
            "password_hash": _hasher.hash(check_password(password)),
            "role": role,
            "locale": locale,
        }
        with self.engine.begin() as conn:
            taken = conn.execute(select(User.id).where(User.username == username)).first()
            if taken is not None:
                raise BadInput(f"tên đăng nhập đã có / user {username!r} already exists")
            conn.execute(insert(User).values(**values))
        found = self.by_username(username)
        assert found is not None
        return found

    def all(self) -> list[UserInfo]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(User.__table__).order_by(User.username)).all()
        return [_info(r) for r in rows]

    def by_username(self, username: str) -> UserInfo | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(User.__table__).where(User.username == username.strip().lower())).first()
        return _info(row) if row is not None else None

    def get(self, user_id: int) -> UserInfo | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(User.__table__).where(User.id == user_id)).first()
        return _info(row) if row is not None else None

    def _require(self, username: str) -> UserInfo:
        user = self.by_username(username)
        if user is None:
            raise BadInput(f"không có người dùng / no user {username!r}")
        return user

    def set_active(self, username: str, active: bool) -> UserInfo:
        user = self._require(username)
        with self.engine.begin() as conn:
            conn.execute(update(User).where(User.id == user.id).values(active=active))
        return self._require(username)

    def set_locale(self, user_id: int, locale: str) -> None:
        if locale not in LOCALES:
            raise BadInput(f"ngôn ngữ không hợp lệ / unknown locale {locale!r}")
        with self.engine.begin() as conn:
            conn.execute(update(User).where(User.id == user_id).values(locale=locale))

    def set_password(self, username: str, password: str) -> None:
        user = self._require(username)
        digest = _hasher.hash(check_password(password))
        with self.engine.begin() as conn:
            conn.execute(update(User).where(User.id == user.id).values(password_hash=digest))

    def authenticate(self, username: str, password: str) -> UserInfo | None:
        """The active user with this name and password, or None (same cost either way)."""
        with self.engine.connect() as conn:
            row = conn.execute(select(User.__table__).where(User.username == username.strip().lower())).first()
        try:
            _hasher.verify(row.password_hash if row is not None else _DUMMY_HASH, password[:MAX_PASSWORD])
        except (VerificationError, InvalidHashError):
            return None
        if row is None or not row.active:
            return None
        values: dict[str, object] = {"last_login_at": datetime.now(UTC)}
        if _hasher.check_needs_rehash(row.password_hash):
            values["password_hash"] = _hasher.hash(password)
        with self.engine.begin() as conn:
            conn.execute(update(User).where(User.id == row.id).values(**values))
        return _info(row)

    # -- API tokens ---------------------------------------------------------------------------

    def create_token(self, username: str, name: str) -> str:
        user = self._require(username)
        if not name.strip() or len(name) > 200:
            raise BadInput("tên khóa không hợp lệ / a token needs a name of 1–200 characters")
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        with self.engine.begin() as conn:
            digest = _token_digest(token)
            conn.execute(insert(ApiToken).values(user_id=user.id, name=name.strip(), token_sha256=digest))
        return token

    def user_for_token(self, token: str) -> UserInfo | None:
        if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
            return None
        digest = _token_digest(token)
        with self.engine.begin() as conn:
            row = conn.execute(
                select(User.__table__)
                .join(ApiToken, ApiToken.user_id == User.id)
                .where(ApiToken.token_sha256 == digest, ApiToken.revoked_at.is_(None), User.active.is_(True))
            ).first()
            if row is None:
                return None
            conn.execute(update(ApiToken).where(ApiToken.token_sha256 == digest).values(last_used_at=datetime.now(UTC)))
        return _info(row)

    def tokens(self, username: str) -> list[dict[str, object]]:
        user = self._require(username)
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(ApiToken.id, ApiToken.name, ApiToken.created_at, ApiToken.last_used_at, ApiToken.revoked_at)
                .where(ApiToken.user_id == user.id)
                .order_by(ApiToken.id)
            ).all()
        return [dict(r._mapping) for r in rows]

    def revoke_token(self, username: str, token_id: int) -> None:
        user = self._require(username)
        with self.engine.begin() as conn:
            done = conn.execute(
                update(ApiToken)
                .where(ApiToken.id == token_id, ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
                .values(revoked_at=datetime.now(UTC))
            ).rowcount
        if not done:
            raise BadInput(f"không có khóa / no active token {token_id} for {username!r}")


FIRST_ADMIN = "admin"
FIRST_ADMIN_FILE = "initial-admin-password"


def ensure_first_admin(accounts: AccountStore, data_dir: Path) -> str | None:
    """With no account yet, make ``admin`` with a random password, keep it (mode 0600) in
    ``<data_dir>/initial-admin-password`` and return it; otherwise None."""
    if accounts.count():
        return None
    password = secrets.token_urlsafe(12)
    accounts.add(FIRST_ADMIN, password, role="admin", display_name="Quản trị / Administrator")
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / FIRST_ADMIN_FILE
    path.unlink(missing_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(password + "\n")
    return password
