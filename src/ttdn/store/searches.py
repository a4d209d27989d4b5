"""Saved searches: a name, the query text and its filters, to run again later."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, delete, select
from sqlalchemy.dialects.postgresql import insert

from ttdn.errors import BadInput
from ttdn.store.tables import SavedSearch

__all__ = ["SavedSearchRecord", "SavedSearchStore"]

MAX_NAME = 200
_COLUMNS = (SavedSearch.id, SavedSearch.name, SavedSearch.query, SavedSearch.filters, SavedSearch.created_at)


@dataclass(frozen=True, slots=True)
class SavedSearchRecord:
    id: int
    name: str
    query: str
    filters: dict[str, Any]
    created_at: datetime


class SavedSearchStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def save(self, name: str, query: str, filters: dict[str, Any]) -> SavedSearchRecord:
        """Save (or replace) the search called ``name``."""
        name = name.strip()
        if not name or len(name) > MAX_NAME:
            raise BadInput(
                f"Tên tìm kiếm phải có 1–{MAX_NAME} ký tự / a saved search needs a 1–{MAX_NAME} character name"
            )
        statement = insert(SavedSearch).values(name=name, query=query, filters=filters)
        statement = statement.on_conflict_do_update(
            index_elements=["name"], set_={"query": statement.excluded.query, "filters": statement.excluded.filters}
        )
        with self.engine.begin() as conn:
            conn.execute(statement)
        return self.get(name)

    def all(self) -> list[SavedSearchRecord]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(*_COLUMNS).order_by(SavedSearch.name)).all()
        return [SavedSearchRecord(i, n, q, dict(f), c) for i, n, q, f, c in rows]

    def get(self, name: str) -> SavedSearchRecord:
        with self.engine.connect() as conn:
            row = conn.execute(select(*_COLUMNS).where(SavedSearch.name == name.strip())).first()
        if row is None:
            raise BadInput(f"Không có tìm kiếm đã lưu {name!r} / no saved search named {name!r}")
        id_, found, query, filters, created = row
        return SavedSearchRecord(id_, found, query, dict(filters), created)

    def delete(self, name: str) -> None:
        record = self.get(name)
        with self.engine.begin() as conn:
            conn.execute(delete(SavedSearch).where(SavedSearch.id == record.id))
