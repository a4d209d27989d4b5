"""SQL behind the search page: filter choices, lead text for hits, and the rows of an export.

The ranking itself is `ttdn.search.engine.search`; this module only reads what the page shows
around it. Filter choices change slowly and are asked for on every page view, so they are kept
for `OPTIONS_TTL` seconds.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib.resources import files
from typing import Any

from sqlalchemy import Engine, text

from ttdn.search.engine import SearchFilters
from ttdn.search.query import ParsedQuery

__all__ = [
    "ExportRow",
    "FilterOptions",
    "export_rows",
    "filter_options",
    "forget_options",
    "leads",
    "more_lexical_ids",
    "topic_names",
]

OPTIONS_TTL = 60.0
LEAD_CHARS = 280


@dataclass(frozen=True, slots=True)
class FilterOptions:
    languages: list[tuple[str, int]]  # (code, articles), most articles first
    sources: list[tuple[int, str]]  # (id, name), by name
    countries: list[str]  # outlet countries, sorted


@dataclass(frozen=True, slots=True)
class ExportRow:
    id: int
    published_at: datetime | None
    source: str | None
    country: str | None
    language: str | None
    title: str
    url: str | None
    tone: float | None
    relevance: float | None
    topics: list[str]
    story_id: int | None


_options_lock = threading.Lock()
_options: dict[str, tuple[float, FilterOptions]] = {}


def _key(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def filter_options(engine: Engine) -> FilterOptions:
    """Languages present in the articles, the registered sources and their countries (cached briefly)."""
    now = time.monotonic()
    with _options_lock:
        cached = _options.get(_key(engine))
        if cached is not None and now - cached[0] < OPTIONS_TTL:
            return cached[1]
    with engine.connect() as conn:
        languages = [
            (code, count)
            for code, count in conn.execute(
                text("SELECT lang, count(*) FROM articles WHERE lang IS NOT NULL GROUP BY lang ORDER BY 2 DESC, 1")
            )
        ]
        sources = [(id_, name) for id_, name in conn.execute(text("SELECT id, name FROM sources ORDER BY name, id"))]
        countries = [
            code
            for (code,) in conn.execute(
                text("SELECT DISTINCT country FROM sources WHERE country IS NOT NULL ORDER BY country")
            )
        ]
    options = FilterOptions(languages=languages, sources=sources, countries=countries)
    with _options_lock:
        _options[_key(engine)] = (now, options)
    return options


def forget_options(engine: Engine) -> None:
    """Drop the cached choices (after sources are added, so the filter lists them at once)."""
    with _options_lock:
        _options.pop(_key(engine), None)


@cache
def _taxonomy() -> tuple[dict[str, str], ...]:
    data = json.loads((files("ttdn") / "data" / "topics" / "taxonomy.json").read_text(encoding="utf-8"))
    return tuple(data["topics"])


def topic_names(locale: str) -> dict[str, str]:
    """Topic id → its name in ``locale`` (Vietnamese or English), in the taxonomy's order."""
    key = "vi" if locale == "vi" else "en"
    return {topic["id"]: topic.get(key) or topic["id"] for topic in _taxonomy()}


def leads(engine: Engine, ids: list[int]) -> dict[int, str]:
    """The first `LEAD_CHARS` characters of each article: shown for a hit with no highlighted passage."""
    if not ids:
        return {}
    query = text("SELECT id, left(text, :n) FROM articles WHERE id = ANY(:ids)")
    with engine.connect() as conn:
        return {id_: lead for id_, lead in conn.execute(query, {"ids": ids, "n": LEAD_CHARS})}


def more_lexical_ids(
    engine: Engine, parsed: ParsedQuery, filters: SearchFilters, *, exclude: set[int], limit: int
) -> list[int]:
    """Full-text matches beyond the engine's candidate list, best first, for an export.

    The engine fuses at most a few hundred candidates per half; an export may hold up to
    10,000 rows, so the rest of the articles that match the words are added after them.
    """
    if limit <= 0 or parsed.is_empty:
        return []
    where, params = filters.sql()
    query = text(
        "SELECT a.id FROM articles a LEFT JOIN sources s ON s.id = a.source_id, to_tsquery('simple', :q) q "
        f"WHERE a.search_tsv @@ q AND {where} AND NOT (a.id = ANY(:seen)) "
        "ORDER BY ts_rank_cd(a.search_tsv, q) DESC, a.id DESC LIMIT :n"
    )
    with engine.connect() as conn:
        rows = conn.execute(query, {**params, "q": parsed.tsquery, "seen": sorted(exclude), "n": limit})
        return [id_ for (id_,) in rows]


def export_rows(engine: Engine, ids: list[int]) -> list[ExportRow]:
    """The export columns of ``ids``, in the order given."""
    if not ids:
        return []
    query = text(
        "SELECT a.id, coalesce(a.published_at, a.collected_at) AS published_at, a.source_name, s.country, a.lang, "
        "a.title, a.url, a.tone, a.relevance, a.topics, a.story_id "
        "FROM articles a LEFT JOIN sources s ON s.id = a.source_id WHERE a.id = ANY(:ids)"
    )
    with engine.connect() as conn:
        found = {row["id"]: row for row in conn.execute(query, {"ids": ids}).mappings()}
    return [
        ExportRow(
            id=row["id"],
            published_at=row["published_at"],
            source=row["source_name"],
            country=row["country"],
            language=row["lang"],
            title=row["title"],
            url=row["url"],
            tone=row["tone"],
            relevance=row["relevance"],
            topics=_topic_labels(row["topics"]),
            story_id=row["story_id"],
        )
        for row in (found.get(id_) for id_ in ids)
        if row is not None
    ]


def _topic_labels(value: Any) -> list[str]:
    if not isinstance(value, list):
        return []
    return [str(item["label"]) for item in value if isinstance(item, dict) and "label" in item]
