"""Connecting to the database and bringing its schema up to date.

``open_database(settings)`` is the one way in: it picks the external server named by
``TTDN_DATABASE_URL`` or starts the embedded one, then applies the Alembic migrations
(under a PostgreSQL advisory lock, so several processes may start at once).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import OperationalError

from ttdn.errors import ConfigError
from ttdn.settings import Settings
from ttdn.store.server import embedded_url

__all__ = ["Database", "migrate", "open_database", "sqlalchemy_url"]

logger = logging.getLogger(__name__)

MIGRATION_LOCK = 7_261_001  # advisory lock key held while migrating


@dataclass(frozen=True, slots=True)
class Database:
    engine: Engine
    url: str
    embedded: bool

    def describe(self) -> str:
        where = "embedded" if self.embedded else "external"
        return f"{where} PostgreSQL at {self.engine.url.render_as_string(hide_password=True)}"


def sqlalchemy_url(url: str) -> str:
    """Make a libpq URL use the psycopg 3 driver."""
    for prefix in ("postgresql+psycopg://", "postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    raise ConfigError(f"not a PostgreSQL URL: {url}")


def open_database(settings: Settings, *, migrate_schema: bool = True) -> Database:
    embedded = settings.database_url is None
    url = (
        embedded_url(Path(settings.data_dir), shared_buffers=settings.pg_shared_buffers)
        if embedded
        else str(settings.database_url)
    )
    engine = create_engine(sqlalchemy_url(url), pool_pre_ping=True, pool_size=8, max_overflow=8)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except OperationalError as exc:
        raise ConfigError(f"cannot connect to the database: {exc.orig}") from exc
    database = Database(engine=engine, url=url, embedded=embedded)
    if migrate_schema:
        migrate(engine)
    return database


def _alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(files("ttdn.store") / "migrations"))
    config.attributes["engine"] = engine
    return config


def migrate(engine: Engine) -> None:
    """Apply every pending migration; safe when several processes start together."""
    with engine.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
        try:
            config = _alembic_config(engine)
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
            conn.commit()
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK})
            conn.commit()


def schema_revision(engine: Engine) -> tuple[str | None, str | None]:
    """(current revision in the database, newest revision shipped)."""
    script = ScriptDirectory.from_config(_alembic_config(engine))
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    return current, script.get_current_head()
