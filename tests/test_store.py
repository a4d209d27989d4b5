"""Source registry, health and scheduling on the real embedded PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text

from ttdn.errors import BadInput, FetchFailed, Retry
from ttdn.records import SourceSpec
from ttdn.settings import Settings
from ttdn.store import Store
from ttdn.store.db import open_database, schema_revision


def spec(n: int, **kw: object) -> SourceSpec:
    return SourceSpec(url=f"https://news{n}.example/rss", name=f"News {n}", **kw)  # type: ignore[arg-type]


def test_migrations_are_at_head_and_rerunnable(settings: Settings) -> None:
    database = open_database(settings)  # migrates (already at head: a no-op)
    current, head = schema_revision(database.engine)
    assert current == head == "0006"
    with database.engine.connect() as conn:
        assert conn.execute(text("SELECT extname FROM pg_extension WHERE extname='vector'")).scalar_one()
    database.engine.dispose()


def test_add_list_disable_remove(store: Store) -> None:
    added, present = store.sources.add([spec(1, lang="vi", country="VN"), spec(2)])
    assert (added, present) == (2, 0)
    assert store.sources.add([spec(1)]) == (0, 1)
    listed = store.sources.all()
    assert [s.name for s in listed] == ["News 1", "News 2"]
    assert listed[0].lang == "vi" and listed[0].country == "VN" and listed[0].healthy
    assert not store.sources.set_enabled("News 2", False).enabled
    assert [s.name for s in store.sources.all(enabled_only=True)] == ["News 1"]
    removed = store.sources.remove(listed[0].url)
    assert removed.id == listed[0].id
    assert [s.name for s in store.sources.all()] == ["News 2"]
    with pytest.raises(BadInput, match="no source"):
        store.sources.get("999")


def test_health_records_errors_and_success(store: Store) -> None:
    store.sources.add([spec(1)])
    source = store.sources.all()[0]
    store.sources.record_error(source.id, FetchFailed("HTTP 404 Not Found"), backoff=timedelta(hours=1))
    store.sources.record_error(source.id, Retry("timeout"))
    failing = store.sources.get(source.id)
    assert failing.error_streak == 2 and failing.last_error == "timeout" and failing.last_error_kind == "retry"
    assert not failing.healthy
    store.sources.record_success(source.id, 7, etag='"abc"', last_modified="Sun, 22 Nov 2026 01:00:00 GMT")
    healthy = store.sources.get(source.id)
    assert healthy.error_streak == 0 and healthy.items_collected == 7 and healthy.etag == '"abc"'
    assert healthy.last_error == "timeout"  # the last error stays visible after recovery


def test_claim_due_takes_each_source_once_until_its_cadence_passes(store: Store) -> None:
    store.sources.add([spec(1, cadence_minutes=15), spec(2, cadence_minutes=60), spec(3)])
    store.sources.set_enabled("News 3", False)
    first = store.sources.claim_due()
    assert sorted(s.name for s in first) == ["News 1", "News 2"]
    assert store.sources.claim_due() == []  # not due again yet
    claimed = {s.name: s for s in first}
    gap = claimed["News 2"].next_due_at - claimed["News 1"].next_due_at  # type: ignore[operator]
    assert timedelta(minutes=44) < gap < timedelta(minutes=46)


def test_tables_and_migrations_agree(settings: Settings) -> None:
    """Every change to the tables comes with its Alembic migration."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from ttdn.store.tables import Base

    database = open_database(settings)
    with database.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    database.engine.dispose()
