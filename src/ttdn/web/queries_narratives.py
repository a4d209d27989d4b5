"""What the narrative pages read that `ttdn.kb.narratives.NarrativeStore` does not offer as such:
the registry sorted by recent activity with filters and paging, pages of matches (newest or best
score first, with a total), one match, and timeline chart specs.

Writing (narratives, links, decisions) goes through `NarrativeStore` only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, text

from ttdn.kb.narrative_matches import MatchRecord, TimelinePoint
from ttdn.web.i18n import gettext

__all__ = [
    "RegistryRow",
    "categories",
    "match",
    "matches_page",
    "narrative_exists",
    "pending_total",
    "registry",
    "timeline_json",
    "timeline_spec",
]

MAX_DAYS = 366  # a timeline shows at most this many days (the latest)
TOP_KEYS = 8  # series in a timeline chart; the rest are summed as “other”


@dataclass(frozen=True, slots=True)
class RegistryRow:
    id: int
    key: str
    title: str
    category: str | None
    severity: str
    status: str
    first_seen: datetime | None
    pending: int
    confirmed: int
    rejected: int
    last_activity: datetime | None


_REGISTRY = """
SELECT n.id, n.key, n.title, n.category, n.severity, n.status, n.first_seen,
       count(m.id) FILTER (WHERE m.status = 'pending'),
       count(m.id) FILTER (WHERE m.status = 'confirmed'),
       count(m.id) FILTER (WHERE m.status = 'rejected'),
       GREATEST(n.updated_at, max(m.matched_at), max(m.decided_at)) AS activity
FROM narratives n LEFT JOIN narrative_matches m ON m.narrative_id = n.id
WHERE (CAST(:status AS text) IS NULL OR n.status = :status)
  AND (CAST(:severity AS text) IS NULL OR n.severity = :severity)
  AND (CAST(:category AS text) IS NULL OR n.category = :category)
  AND (CAST(:q AS text) IS NULL OR n.title ILIKE :q OR n.canonical_claim ILIKE :q OR n.summary ILIKE :q
       OR n.key ILIKE :q)
GROUP BY n.id
"""


def _like(words: str) -> str | None:
    words = words.strip()
    if not words:
        return None
    return "%" + words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def registry(
    engine: Engine,
    *,
    status: str | None = None,
    severity: str | None = None,
    category: str | None = None,
    q: str = "",
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[RegistryRow], int]:
    """Narratives with their match counts, most recent activity (a match found or decided, an
    edit) first, and how many there are with these filters."""
    params = {"status": status, "severity": severity, "category": category, "q": _like(q)}
    with engine.connect() as conn:
        total = int(conn.execute(text(f"SELECT count(*) FROM ({_REGISTRY}) r"), params).scalar_one())
        rows = conn.execute(
            text(_REGISTRY + " ORDER BY activity DESC NULLS LAST, n.id DESC LIMIT :limit OFFSET :offset"),
            params | {"limit": limit, "offset": offset},
        )
        return [RegistryRow(*row) for row in rows], total


def narrative_exists(engine: Engine, narrative_id: int) -> bool:
    with engine.connect() as conn:
        return conn.execute(text("SELECT 1 FROM narratives WHERE id = :n"), {"n": narrative_id}).first() is not None


def categories(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        query = text("SELECT DISTINCT category FROM narratives WHERE category IS NOT NULL ORDER BY category")
        return [str(c) for c in conn.execute(query).scalars()]


_MATCHES = (
    "SELECT m.id, m.narrative_id, n.key, n.title, m.article_id, a.title, a.url, a.source_name, s.country, a.lang, "
    "COALESCE(a.published_at, a.collected_at), m.score, m.sentence, m.sentence_start, m.sentence_end, m.status, "
    "m.decided_by, m.decided_at, m.matched_at FROM narrative_matches m "
    "JOIN narratives n ON n.id = m.narrative_id JOIN articles a ON a.id = m.article_id "
    "LEFT JOIN sources s ON s.id = a.source_id "
)
_WHERE = "WHERE (CAST(:n AS integer) IS NULL OR m.narrative_id = :n) AND (CAST(:s AS text) IS NULL OR m.status = :s) "
_ORDERS = {
    "recent": "ORDER BY m.matched_at DESC, m.id DESC",
    "score": "ORDER BY m.score DESC, m.matched_at DESC, m.id DESC",
}


def matches_page(
    engine: Engine,
    narrative_id: int | None = None,
    *,
    status: str | None = None,
    order: str = "recent",
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[MatchRecord], int]:
    """Matches of one narrative (or all), of one status (or all): a page and the total."""
    params = {"n": narrative_id, "s": status}
    with engine.connect() as conn:
        total = int(conn.execute(text("SELECT count(*) FROM narrative_matches m " + _WHERE), params).scalar_one())
        rows = conn.execute(
            text(_MATCHES + _WHERE + _ORDERS[order] + " LIMIT :limit OFFSET :offset"),
            params | {"limit": limit, "offset": offset},
        )
        return [MatchRecord(*row) for row in rows], total


def match(engine: Engine, match_id: int) -> MatchRecord | None:
    with engine.connect() as conn:
        row = conn.execute(text(_MATCHES + "WHERE m.id = :id"), {"id": match_id}).first()
    return None if row is None else MatchRecord(*row)


def pending_total(engine: Engine) -> int:
    with engine.connect() as conn:
        query = text("SELECT count(*) FROM narrative_matches WHERE status = 'pending'")
        return int(conn.execute(query).scalar_one())


def timeline_spec(points: Sequence[TimelinePoint], name_of: Callable[[str | None], str]) -> dict[str, Any] | None:
    """An ECharts spec (see app.js): matches per day as bars stacked by key (the most frequent
    keys, the rest as “other”), every day from the first to the last; None when empty."""
    if not points:
        return None
    last = max(p.day for p in points)
    first = max(min(p.day for p in points), last - timedelta(days=MAX_DAYS - 1))
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    index = {day: i for i, day in enumerate(days)}
    totals: dict[str | None, int] = {}
    for p in points:
        if p.day >= first:
            totals[p.key] = totals.get(p.key, 0) + p.count
    ranked = sorted(totals, key=lambda k: (-totals[k], k is None, k or ""))
    shown = ranked[:TOP_KEYS] if len(ranked) <= TOP_KEYS + 1 else ranked[: TOP_KEYS - 1]
    series: dict[str | None, list[int]] = {key: [0] * len(days) for key in shown}
    other = [0] * len(days)
    for p in points:
        if p.day < first:
            continue
        target = series.get(p.key, other)
        target[index[p.day]] += p.count
    out = [{"name": name_of(key), "data": data} for key, data in series.items()]
    if any(other):
        out.append({"name": gettext("other"), "data": other})
    return {"kind": "bar", "x": [d.isoformat() for d in days], "xType": "time", "series": out, "stacked": True}


def timeline_json(points: Sequence[TimelinePoint]) -> list[dict[str, Any]]:
    return [{"day": p.day.isoformat(), "key": p.key, "count": p.count} for p in points]
