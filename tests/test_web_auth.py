"""Login, roles, CSRF, sessions, API tokens and security headers, over real HTTP on loopback."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.routing import APIRoute

from tests.plugins.web import USERS, WebServer, csrf_of
from ttdn.settings import Settings
from ttdn.store import Store
from ttdn.web.accounts import AccountStore, ensure_first_admin
from ttdn.web.app import create_app

OPEN_PATHS = {"/health", "/login"}


def api_routes(routes: list[Any]) -> list[APIRoute]:
    """Every endpoint, also inside included routers (FastAPI ≥ 0.16x nests them)."""
    found: list[APIRoute] = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append(route)
        elif hasattr(route, "original_router"):
            found.extend(api_routes(route.original_router.routes))
    return found


def test_every_route_but_health_and_login_checks_the_role(store: Store, settings: Settings) -> None:
    app = create_app(store, settings, run_scheduler=False)
    unguarded = []
    routes = api_routes(app.routes)
    for route in routes:
        if route.path in OPEN_PATHS:
            continue
        pending = list(route.dependant.dependencies)
        roles = []
        while pending:
            dep = pending.pop()
            roles.append(getattr(dep.call, "role", None))
            pending.extend(dep.dependencies)
        if not any(roles):
            unguarded.append(f"{sorted(route.methods)} {route.path}")
    assert not unguarded, f"routes without a role check: {unguarded}"
    assert len(routes) > 8


def test_anonymous_gets_the_login_page_or_401(web: WebServer) -> None:
    client = web.anonymous()
    page = client.get("/users?x=1")
    assert page.status_code == 303 and page.headers["location"] == "/login?next=/users?x=1"
    api = client.get("/api/articles")
    assert api.status_code == 401 and api.json()["error"] == 401
    assert client.get("/openapi.json").status_code == 401
    assert client.get("/docs").status_code == 303
    assert client.get("/health").json()["status"] == "ok"
    login = client.get("/login")
    assert login.status_code == 200 and "Đăng nhập" in login.text  # Vietnamese first


def test_login_logout_and_wrong_password(web: WebServer) -> None:
    username, password = USERS["analyst"]
    wrong = web.login(username, "not-the-password")
    assert wrong.status_code == 401 and "Sai tên đăng nhập hoặc mật khẩu" in wrong.text
    unknown = web.login("nobody-here", password)
    assert unknown.status_code == 401
    client = web.anonymous()
    form = {"username": username, "password": password, "csrf_token": csrf_of(client.get("/login").text)}
    ok = client.post("/login", data=form | {"next": "https://evil.example/"})
    assert ok.status_code == 303 and ok.headers["location"] == "/"  # never an open redirect
    home = client.get("/")
    assert home.status_code == 200 and "Analyst" in home.text
    out = client.post("/logout", data={"csrf_token": csrf_of(home.text)})
    assert out.status_code == 303 and client.get("/").status_code == 303


def test_login_without_csrf_token_is_refused(web: WebServer) -> None:
    client = web.anonymous()
    client.get("/login")
    username, password = USERS["admin"]
    answer = client.post("/login", data={"username": username, "password": password, "csrf_token": "forged"})
    assert answer.status_code == 403 and client.get("/").status_code == 303


def test_failed_logins_are_rate_limited(web: WebServer) -> None:
    username, password = USERS["viewer"]
    for _ in range(web.settings.login_attempts_per_minute):
        assert web.login(username, "wrong-password-x").status_code == 401
    blocked = web.login(username, password)  # even the right password waits
    assert blocked.status_code == 429 and "chờ một phút" in blocked.text
    other_username, other_password = USERS["analyst"]
    assert web.login(other_username, other_password).status_code == 303  # other names are not blocked


def test_forged_csrf_token_changes_nothing(web: WebServer) -> None:
    client = web.client("admin")
    client.headers.pop("X-CSRF-Token")
    forged = client.post("/users", data={"username": "moi", "password": "mat-khau-dai-du", "csrf_token": "nope"})
    assert forged.status_code == 403 and "mã bảo mật" in forged.text
    missing = client.post("/users", data={"username": "moi", "password": "mat-khau-dai-du"})
    assert missing.status_code == 403
    assert AccountStore(web.store.database.engine).by_username("moi") is None


def test_viewer_cannot_edit_and_admin_can(web: WebServer) -> None:
    viewer = web.client("viewer")
    refused = viewer.post("/users", data={"username": "moi", "password": "mat-khau-dai-du"})
    assert refused.status_code == 403 and "Vai trò của bạn không cho phép" in refused.text
    assert viewer.get("/users").status_code == 403
    analyst = web.client("analyst")
    assert analyst.get("/users").status_code == 403
    admin = web.client("admin")
    made = admin.post("/users", data={"username": "moi", "password": "mat-khau-dai-du", "role": "viewer"})
    assert made.status_code == 303
    assert AccountStore(web.store.database.engine).by_username("moi") is not None


def test_bad_form_input_gets_a_clear_error_and_stores_nothing(web: WebServer) -> None:
    admin = web.client("admin")
    accounts = AccountStore(web.store.database.engine)
    before = accounts.count()
    short = admin.post("/users", data={"username": "ngan", "password": "short"})
    assert short.status_code == 422 and "mật khẩu quá ngắn" in short.text
    missing = admin.post("/users", data={"password": "mat-khau-dai-du"})
    assert missing.status_code == 422 and "username" in missing.text
    huge = admin.post("/users", data={"username": "x" * 5000, "password": "mat-khau-dai-du"})
    assert huge.status_code == 422
    bad_role = admin.post("/users", data={"username": "vaitro", "password": "mat-khau-dai-du", "role": "god"})
    assert bad_role.status_code == 422
    assert accounts.count() == before


def test_script_in_a_name_is_shown_inert(web: WebServer) -> None:
    admin = web.client("admin")
    name = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    assert (
        admin.post(
            "/users", data={"username": "kichban", "password": "mat-khau-dai-du", "display_name": name}
        ).status_code
        == 303
    )
    page = admin.get("/users").text
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page


def test_disabled_user_is_logged_out_and_token_stops(web: WebServer) -> None:
    accounts = AccountStore(web.store.database.engine)
    token = accounts.create_token(USERS["viewer"][0], "script")
    bearer = web.anonymous()
    bearer.headers["Authorization"] = f"Bearer {token}"
    assert bearer.get("/api/articles").status_code == 200
    viewer = web.client("viewer")
    assert viewer.get("/").status_code == 200
    accounts.set_active(USERS["viewer"][0], False)
    assert viewer.get("/").status_code == 303
    assert bearer.get("/api/articles").status_code == 401
    bad = web.anonymous()
    bad.headers["Authorization"] = "Bearer ttdn_not-a-real-token"
    assert bad.get("/api/articles").status_code == 401


def test_token_requests_need_no_csrf_but_cookies_do(web: WebServer) -> None:
    accounts = AccountStore(web.store.database.engine)
    token = accounts.create_token(USERS["admin"][0], "admin script")
    bearer = web.anonymous()
    bearer.headers["Authorization"] = f"Bearer {token}"
    made = bearer.post("/users", data={"username": "quatoken", "password": "mat-khau-dai-du"})
    assert made.status_code == 303
    [row] = accounts.tokens(USERS["admin"][0])
    assert row["last_used_at"] is not None
    accounts.revoke_token(USERS["admin"][0], int(str(row["id"])))
    assert bearer.get("/api/articles").status_code == 401


def test_session_expires(store: Store, settings: Settings, tmp_path: Path) -> None:
    import threading

    import uvicorn

    from tests.plugins.web import free_port

    short = settings.model_copy(update={"session_hours": 1 / 3600})  # one second
    AccountStore(store.database.engine).add("ngan-han", "mat-khau-dai-du", role="viewer")
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(store, short, run_scheduler=False), port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
            form = {
                "username": "ngan-han",
                "password": "mat-khau-dai-du",
                "csrf_token": csrf_of(client.get("/login").text),
            }
            assert client.post("/login", data=form).status_code == 303
            assert client.get("/").status_code == 200
            time.sleep(2.2)
            expired = client.get("/")
            assert expired.status_code == 303 and expired.headers["location"].startswith("/login")
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def test_locale_switch_per_user(web: WebServer) -> None:
    analyst = web.client("analyst")
    assert "Tổng quan" in analyst.get("/").text
    assert analyst.post("/account/locale", data={"locale": "en", "back": "/"}).status_code == 303
    page = analyst.get("/").text
    assert ">Dashboard<" in page and 'lang="en"' in page
    assert analyst.post("/account/locale", data={"locale": "xx"}).status_code == 422
    assert "Tổng quan" in web.client("viewer").get("/").text  # others keep Vietnamese


def test_security_headers_and_error_pages(web: WebServer) -> None:
    client = web.client("viewer")
    page = client.get("/")
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert page.headers["x-content-type-options"] == "nosniff"
    assert "<script>" not in page.text  # no inline script anywhere
    assert client.get("/static/app.css").headers["x-content-type-options"] == "nosniff"
    missing = client.get("/api/articles/987654")
    assert missing.status_code == 404 and missing.json()["error"] == 404
    not_a_number = client.get("/api/articles/abc")
    assert not_a_number.status_code == 422 and not_a_number.json()["detail"][0]["field"] == "article_id"
    docs = client.get("/docs")
    assert docs.status_code == 200 and "<script>" not in docs.text and "/static/swagger-init.js" in docs.text
    assert client.get("/openapi.json").json()["info"]["title"] == "TTĐN"


def test_first_admin_is_made_once(store: Store, tmp_path: Path) -> None:
    accounts = AccountStore(store.database.engine)
    password = ensure_first_admin(accounts, tmp_path)
    assert password and (tmp_path / "initial-admin-password").read_text().strip() == password
    assert (tmp_path / "initial-admin-password").stat().st_mode & 0o077 == 0
    assert accounts.authenticate("admin", password) is not None
    assert ensure_first_admin(accounts, tmp_path) is None


@pytest.mark.parametrize("role", ["admin", "analyst", "viewer"])
def test_roles_are_ordered(role: str) -> None:
    from ttdn.web.accounts import role_at_least

    assert role_at_least(role, "viewer")
    assert role_at_least(role, "admin") == (role == "admin")


def test_the_app_lets_idle_embedding_threads_sleep(
    store: Store, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # web requests share the cores with enrichment: spinning OpenMP threads would slow both
    monkeypatch.delenv("OMP_WAIT_POLICY", raising=False)
    create_app(store, settings, run_scheduler=False)
    assert os.environ["OMP_WAIT_POLICY"] == "PASSIVE"
    monkeypatch.setenv("OMP_WAIT_POLICY", "ACTIVE")  # an operator's own choice is kept
    create_app(store, settings, run_scheduler=False)
    assert os.environ["OMP_WAIT_POLICY"] == "ACTIVE"
