"""Security plumbing of the web application: response headers (CSP without inline script,
frame-ancestors, nosniff), the session secret, CSRF tokens bound to the session, the login rate
limit, and HTML sanitising for text that comes from outside.
"""

from __future__ import annotations

import hmac
import os
import secrets
from pathlib import Path

import nh3
from limits import RateLimitItemPerMinute
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = [
    "CSRF_FIELD",
    "CSRF_HEADER",
    "LoginLimiter",
    "SecurityHeaders",
    "csrf_ok",
    "csrf_token",
    "sanitize_html",
    "session_secret",
]

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]


class SecurityHeaders:
    """Pure ASGI middleware: adds the security headers to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name for name, _ in message.get("headers", [])}
                extra = [(name, value) for name, value in _HEADERS if name not in present]
                if scope["path"].startswith("/static/"):
                    extra.append((b"cache-control", b"public, max-age=86400"))
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        await self.app(scope, receive, send_with_headers)


def session_secret(configured: str | None, data_dir: Path) -> str:
    """The configured key, or one made once and kept (mode 0600) in ``<data_dir>/secret_key``."""
    if configured:
        return configured
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def csrf_token(request: Request) -> str:
    """This session's CSRF token (made on first use)."""
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return str(token)


async def csrf_ok(request: Request) -> bool:
    """Does the request carry this session's CSRF token, in the header or in the form?"""
    expected = request.session.get("csrf")
    if not expected:
        return False
    sent = request.headers.get(CSRF_HEADER)
    if not sent and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    return bool(sent) and hmac.compare_digest(str(sent), str(expected))


class LoginLimiter:
    """Failed logins allowed per minute per (address, user name), and 4× that per address."""

    def __init__(self, per_minute: int) -> None:
        self._limiter = MovingWindowRateLimiter(MemoryStorage())
        self._per_name = RateLimitItemPerMinute(per_minute)
        self._per_address = RateLimitItemPerMinute(per_minute * 4)

    def allowed(self, address: str, username: str) -> bool:
        return self._limiter.test(self._per_name, address, username.lower()) and self._limiter.test(
            self._per_address, address
        )

    def failed(self, address: str, username: str) -> None:
        self._limiter.hit(self._per_name, address, username.lower())
        self._limiter.hit(self._per_address, address)


def sanitize_html(html: str) -> str:
    """Outside HTML made safe to show: no script, no event handlers, no styles, safe links only."""
    return nh3.clean(html, url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer nofollow")
