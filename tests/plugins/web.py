"""The web application on a real loopback HTTP server (uvicorn in a thread), with three users.

Fixtures: ``web`` (a :class:`WebServer`: ``base`` URL, ``store``, ``client(role)`` → an
``httpx.Client`` already logged in as that role, whose unsafe requests carry the CSRF token),
``USERS`` holds the user names and passwords.
"""

from __future__ import annotations

import itertools
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import httpx
import pytest
import uvicorn

from ttdn.settings import Settings
from ttdn.store import Store
from ttdn.web.accounts import AccountStore
from ttdn.web.app import create_app

USERS = {
    "admin": ("quantri", "mat-khau-quan-tri-1"),
    "analyst": ("phantich", "mat-khau-phan-tich-1"),
    "viewer": ("xem", "mat-khau-nguoi-xem-1"),
}
_CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def csrf_of(html: str) -> str:
    found = _CSRF.search(html)
    assert found, "the page has no CSRF token"
    return found.group(1)


@dataclass
class WebServer:
    base: str
    store: Store
    settings: Settings
    clients: list[httpx.Client] = field(default_factory=list)

    def anonymous(self) -> httpx.Client:
        client = httpx.Client(base_url=self.base, timeout=30, follow_redirects=False)
        self.clients.append(client)
        return client

    def login(self, username: str, password: str) -> httpx.Response:
        client = self.anonymous()
        page = client.get("/login")
        return client.post(
            "/login", data={"username": username, "password": password, "csrf_token": csrf_of(page.text)}
        )

    def client(self, role: str) -> httpx.Client:
        """A client logged in as the user of ``role``; unsafe requests send X-CSRF-Token."""
        username, password = USERS[role]
        client = self.anonymous()
        page = client.get("/login")
        answer = client.post(
            "/login", data={"username": username, "password": password, "csrf_token": csrf_of(page.text)}
        )
        assert answer.status_code == 303, answer.text
        token = csrf_of(client.get("/", follow_redirects=True).text)
        client.headers["X-CSRF-Token"] = token
        return client


@contextmanager
def running_app(store: Store, settings: Settings) -> Iterator[WebServer]:
    """The app with the three test users, on a uvicorn server in a thread on a free port."""
    accounts = AccountStore(store.database.engine)
    for role, (username, password) in USERS.items():
        if accounts.by_username(username) is None:
            accounts.add(username, password, role=role, display_name=role.title())
    app = create_app(store, settings, run_scheduler=False)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started, "the web server did not start"
    running = WebServer(base=f"http://127.0.0.1:{port}", store=store, settings=settings)
    try:
        yield running
    finally:
        for client in running.clients:
            client.close()
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def web(store: Store, settings: Settings) -> Iterator[WebServer]:
    with running_app(store, settings) as running:
        yield running


DEMO_TEMPLATE = "ttdn_demo_template"


@pytest.fixture(scope="session")
def demo_template(pg_admin_url: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database holding the whole demo corpus, loaded and enriched once per test session
    (one to two minutes on two idle cores); tests get copies of it."""
    from tests.plugins.database import TEMPLATE, _database_url
    from ttdn.demo import load_demo
    from ttdn.store.server import ensure_database

    ensure_database(pg_admin_url, DEMO_TEMPLATE, template=TEMPLATE)
    settings = Settings(
        database_url=_database_url(pg_admin_url, DEMO_TEMPLATE), data_dir=tmp_path_factory.mktemp("demo")
    )
    with Store.open(settings) as store:
        summary = load_demo(store, settings)
    assert summary.enrich_failed == 0 and summary.articles_stored >= 300
    return DEMO_TEMPLATE


@pytest.fixture
def demo_web(demo_template: str, pg_admin_url: str, settings: Settings) -> Iterator[WebServer]:
    """The web application over a fresh copy of the demo database."""
    from tests.plugins.database import _database_url
    from ttdn.store.server import ensure_database

    name = f"demo{next(_demo_counter)}"
    ensure_database(pg_admin_url, name, template=demo_template)
    demo_settings = settings.model_copy(update={"database_url": _database_url(pg_admin_url, name)})
    with Store.open(demo_settings) as store, running_app(store, demo_settings) as running:
        yield running


_demo_counter = itertools.count(1)
