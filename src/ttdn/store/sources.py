"""Source repository: the registry of sources, their health, the fetch log and rejections."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Engine, delete, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert

from ttdn.errors import BadInput, TTDNError
from ttdn.records import Rejection, SourceSpec
from ttdn.store.tables import FetchLog, Source
from ttdn.store.tables import Rejection as RejectionRow

__all__ = ["SourceRecord", "SourceStore"]


@dataclass(frozen=True, slots=True)
class SourceRecord:
    id: int
    name: str
    url: str
    kind: str
    country: str | None
    lang: str | None
    enabled: bool
    cadence_minutes: int
    etag: str | None
    last_modified: str | None
    last_success_at: datetime | None
    last_error_at: datetime | None
    last_error: str | None
    last_error_kind: str | None
    error_streak: int
    items_collected: int
    next_due_at: datetime | None

    @property
    def healthy(self) -> bool:
        return self.error_streak == 0


_COLUMNS = [getattr(Source, name) for name in SourceRecord.__slots__]


def _record(row: object) -> SourceRecord:
    return SourceRecord(*row)  # type: ignore[misc]


class SourceStore:
    def __init__(self, engine: Engine, *, default_cadence_minutes: int = 30) -> None:
        self.engine = engine
        self.default_cadence = default_cadence_minutes

    # -- registry ------------------------------------------------------------------------
    def add(self, specs: Iterable[SourceSpec]) -> tuple[int, int]:
        """Add sources; returns (added, already present). A URL already there is left as is."""
        rows = [
            {
                "name": spec.name,
                "url": spec.url,
                "kind": spec.kind,
                "country": spec.country,
                "lang": spec.lang,
                "cadence_minutes": spec.cadence_minutes or self.default_cadence,
            }
            for spec in specs
        ]
        if not rows:
            return 0, 0
        with self.engine.begin() as conn:
            added = conn.execute(
                insert(Source).on_conflict_do_nothing(index_elements=["url"]).returning(Source.id), rows
            ).all()
        return len(added), len(rows) - len(added)

    def all(self, *, enabled_only: bool = False) -> list[SourceRecord]:
        query = select(*_COLUMNS).order_by(Source.id)
        if enabled_only:
            query = query.where(Source.enabled)
        with self.engine.connect() as conn:
            return [_record(row) for row in conn.execute(query)]

    def get(self, ref: str | int) -> SourceRecord:
        with self.engine.connect() as conn:
            row = conn.execute(select(*_COLUMNS).where(self._match(ref))).first()
        if row is None:
            raise BadInput(f"no source with id or URL {ref!r}")
        return _record(row)

    def set_enabled(self, ref: str | int, enabled: bool) -> SourceRecord:
        source = self.get(ref)
        with self.engine.begin() as conn:
            conn.execute(update(Source).where(Source.id == source.id).values(enabled=enabled))
        return self.get(source.id)

    def remove(self, ref: str | int) -> SourceRecord:
        """Remove a source; its articles stay (their ``source_id`` becomes empty)."""
        source = self.get(ref)
        with self.engine.begin() as conn:
            conn.execute(delete(Source).where(Source.id == source.id))
        return source

    @staticmethod
    def _match(ref: str | int) -> ColumnElement[bool]:
        if isinstance(ref, int) or (isinstance(ref, str) and ref.isdigit()):
            return Source.id == int(ref)
        return or_(Source.url == ref, Source.name == ref)

    # -- scheduling ----------------------------------------------------------------------
    def claim_due(self, limit: int = 50, *, now: datetime | None = None) -> list[SourceRecord]:
        """Take up to ``limit`` enabled sources that are due and push their next poll forward.

        ``FOR UPDATE SKIP LOCKED`` lets many schedulers share one database without taking
        the same source twice.
        """
        due = (
            select(Source.id)
            .where(Source.enabled, Source.next_due_at <= (now or func.now()))
            .order_by(Source.next_due_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        with self.engine.begin() as conn:
            ids = [row[0] for row in conn.execute(due)]
            if not ids:
                return []
            conn.execute(
                update(Source)
                .where(Source.id.in_(ids))
                .values(
                    next_due_at=func.now() + func.make_interval(0, 0, 0, 0, 0, Source.cadence_minutes),
                    last_attempt_at=func.now(),
                )
            )
            rows = conn.execute(select(*_COLUMNS).where(Source.id.in_(ids)).order_by(Source.id))
            return [_record(row) for row in rows]

    def record_success(
        self, source_id: int, items: int, *, etag: str | None = None, last_modified: str | None = None
    ) -> None:
        values: dict[str, object] = {
            "last_success_at": func.now(),
            "error_streak": 0,
            "items_collected": Source.items_collected + items,
        }
        if etag is not None:
            values["etag"] = etag
        if last_modified is not None:
            values["last_modified"] = last_modified
        with self.engine.begin() as conn:
            conn.execute(update(Source).where(Source.id == source_id).values(**values))

    def record_error(self, source_id: int, error: TTDNError, *, backoff: timedelta | None = None) -> None:
        values: dict[str, object] = {
            "last_error_at": func.now(),
            "last_error": error.reason[:2000],
            "last_error_kind": error.kind,
            "error_streak": Source.error_streak + 1,
        }
        if backoff is not None:
            values["next_due_at"] = func.now() + backoff
        with self.engine.begin() as conn:
            conn.execute(update(Source).where(Source.id == source_id).values(**values))

    # -- logs ----------------------------------------------------------------------------
    def log_fetch(
        self,
        url: str,
        outcome: str,
        *,
        source_id: int | None = None,
        status: int | None = None,
        reason: str | None = None,
        size: int | None = None,
        elapsed_ms: int | None = None,
    ) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                insert(FetchLog).values(
                    source_id=source_id,
                    url=url[:4000],
                    outcome=outcome,
                    status=status,
                    reason=(reason or None) and reason[:2000],
                    bytes=size,
                    elapsed_ms=elapsed_ms,
                )
            )

    def record_rejections(self, run_id: str, rejections: Sequence[Rejection], *, source_id: int | None = None) -> None:
        if not rejections:
            return
        rows = [
            {
                "run_id": run_id,
                "source_id": source_id,
                "origin": r.origin[:2000],
                "kind": r.kind,
                "reason": r.reason[:2000],
            }
            for r in rejections
        ]
        with self.engine.begin() as conn:
            conn.execute(insert(RejectionRow), rows)

    def rejections(self, run_id: str) -> list[Rejection]:
        query = select(RejectionRow.origin, RejectionRow.reason, RejectionRow.kind).where(RejectionRow.run_id == run_id)
        with self.engine.connect() as conn:
            return [Rejection(origin=o, reason=r, kind=k) for o, r, k in conn.execute(query.order_by(RejectionRow.id))]
