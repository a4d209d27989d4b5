"""Hybrid search over stored articles: folded full text fused with vector similarity.

The lexical half runs the compiled query (`parse_query`) against ``search_tsv`` (GIN index)
and ranks by ``ts_rank_cd`` plus a bonus where the bare words stand together — over the
newest `LEXICAL_POOL` matches, so that a word found in half the articles costs no more than
a rare one; the vector half embeds the query text (e5 *query* prefix) and takes the nearest
article embeddings (HNSW, in a thread of its own while the lexical half runs). The two
rankings are fused by reciprocal rank (k = 60), so an article found by both comes first and
an article in another language — found only by meaning — still appears. Filters apply to
both halves. Highlighted passages come from the original text.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy import Connection, Engine, text

from ttdn.search.highlight import highlight, to_html
from ttdn.search.query import ParsedQuery, parse_query
from ttdn.store.vectors import vector_literal

__all__ = ["RRF_K", "SearchFilters", "SearchHit", "SearchResult", "search", "vector_candidates"]

RRF_K = 60
CANDIDATES = 200  # taken from the vector half (at most) before fusion
LEXICAL_POOL = 100  # the full-text half: its newest matches, ranked (see _lexical_ids)
WALK_ROWS = 10 * LEXICAL_POOL  # the first id window, walked row by row (see _lexical_ids)
BITMAP_MEM = "64MB"  # work_mem while reading full-text windows
RARE_REST = 20 * LEXICAL_POOL  # matches expected in the rest of the table under which it is read at once
PHRASE_CHECK_ROWS = 3000  # rows holding a phrase's words whose positions are read, newest first
EF_SEARCH = 100  # HNSW candidate list per search step (iterative scans continue past it)
MAX_SCAN_TUPLES = 5000  # HNSW: index entries a filtered search visits at most (pgvector's default: 20,000)
SORTS = ("relevance", "date")


@dataclass(slots=True)
class SearchFilters:
    date_from: datetime | None = None
    date_to: datetime | None = None
    langs: list[str] = field(default_factory=list)
    sources: list[int] = field(default_factory=list)
    source_countries: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    tone_min: float | None = None
    tone_max: float | None = None
    story_id: int | None = None
    min_relevance: float | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (dates as ISO 8601), for saved searches and the API."""
        data = asdict(self)
        for key in ("date_from", "date_to"):
            if data[key] is not None:
                data[key] = data[key].isoformat()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SearchFilters:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        for key in ("date_from", "date_to"):
            if isinstance(known.get(key), str):
                known[key] = datetime.fromisoformat(known[key])
        return cls(**known)

    def sql(self) -> tuple[str, dict[str, Any]]:
        """A WHERE fragment over ``a`` (articles) and ``s`` (sources), with its parameters."""
        parts: list[str] = []
        params: dict[str, Any] = {}
        # every clause is written so that an index can serve it (same rows as the obvious form:
        # coalesce(published_at, collected_at) within the range, s.country, a label in a.topics)
        date = "(a.published_at {0} OR (a.published_at IS NULL AND a.collected_at {0}))"
        span = {"f_from": self.date_from, "f_to": self.date_to}
        if self.date_from is not None and self.date_to is not None:
            dates = (True, date.format("BETWEEN :f_from AND :f_to"), span)
        elif self.date_from is not None:
            dates = (True, date.format(">= :f_from"), {"f_from": self.date_from})
        else:
            dates = (self.date_to is not None, date.format("<= :f_to"), {"f_to": self.date_to})
        checks: list[tuple[bool, str, dict[str, Any]]] = [
            dates,
            (bool(self.langs), "a.lang = ANY(:f_langs)", {"f_langs": self.langs}),
            (bool(self.sources), "a.source_id = ANY(:f_sources)", {"f_sources": self.sources}),
            (
                bool(self.source_countries),
                "a.source_id = ANY(ARRAY(SELECT id FROM sources WHERE country = ANY(:f_countries)))",
                {"f_countries": self.source_countries},
            ),
            (
                bool(self.topics),
                "a.topics @> ANY(CAST(:f_topics AS jsonb[]))",
                {"f_topics": [json.dumps([{"label": label}]) for label in self.topics]},
            ),
            (self.tone_min is not None, "a.tone >= :f_tone_min", {"f_tone_min": self.tone_min}),
            (self.tone_max is not None, "a.tone <= :f_tone_max", {"f_tone_max": self.tone_max}),
            (self.story_id is not None, "a.story_id = :f_story", {"f_story": self.story_id}),
            (self.min_relevance is not None, "a.relevance >= :f_rel", {"f_rel": self.min_relevance}),
        ]
        for active, clause, values in checks:
            if active:
                parts.append(clause)
                params.update(values)
        return (" AND ".join(parts) or "TRUE"), params


@dataclass(slots=True)
class SearchHit:
    id: int
    title: str
    url: str | None
    lang: str | None
    published_at: datetime | None
    source_name: str | None
    score: float
    lexical_rank: int | None
    vector_rank: int | None
    passages: list[str]  # highlighted HTML fragments (escaped, <mark> only)
    tone: float | None = None
    relevance: float | None = None
    story_id: int | None = None


@dataclass(slots=True)
class SearchResult:
    query: ParsedQuery
    hits: list[SearchHit]
    lexical_matches: int
    # a phrase was checked only in the newest PHRASE_CHECK_ROWS articles holding its words
    phrase_limited: bool = False


def search(
    engine: Engine,
    query: str,
    *,
    filters: SearchFilters | None = None,
    sort: str = "relevance",
    limit: int = 20,
    offset: int = 0,
    embed_query: Callable[[str], np.ndarray] | None = None,
) -> SearchResult:
    """Search stored articles; ``embed_query`` turns the query text into a vector (None: lexical only).

    Raises `BadInput` (from `parse_query`) for an empty, unbalanced or over-long query.
    """
    if sort not in SORTS:
        raise ValueError(f"sort must be one of {SORTS}")
    parsed = parse_query(query)
    where, params = (filters or SearchFilters()).sql()
    ranks: dict[int, dict[str, int]] = {}
    vector_half: _Half | None = None
    if embed_query is not None and parsed.text_for_embedding.strip():
        # the two halves run at once, each on its own connection: the query embedding and the
        # HNSW search overlap the full-text search (two cores: about the shorter half saved)
        vector_half = _Half(engine, embed_query, parsed.text_for_embedding, where, params)
    with engine.begin() as conn:
        lexical, phrase_limited = _lexical_ids(conn, parsed, where, params)
    for rank, id_ in enumerate(lexical, 1):
        ranks.setdefault(id_, {})["lexical"] = rank
    if vector_half is not None:
        for rank, id_ in enumerate(vector_half.result(), 1):
            ranks.setdefault(id_, {})["vector"] = rank
    fused = {
        id_: sum(1.0 / (RRF_K + r) for r in found.values())
        for id_, found in ranks.items()
    }  # fmt: skip
    if sort == "relevance":
        order = sorted(fused, key=lambda i: (-fused[i], -i))
    else:
        dates = _dates(engine, list(fused))
        order = sorted(fused, key=lambda i: (-dates.get(i, 0.0), -i))
    page = order[offset : offset + limit]
    rows = _rows(engine, page)
    hits = [
        SearchHit(
            id=id_,
            title=rows[id_]["title"],
            url=rows[id_]["url"],
            lang=rows[id_]["lang"],
            published_at=rows[id_]["published_at"],
            source_name=rows[id_]["source_name"],
            score=round(fused[id_], 6),
            lexical_rank=ranks[id_].get("lexical"),
            vector_rank=ranks[id_].get("vector"),
            passages=[to_html(f) for f in highlight(rows[id_]["text"], parsed.terms, max_fragments=2)],
            tone=rows[id_]["tone"],
            relevance=rows[id_]["relevance"],
            story_id=rows[id_]["story_id"],
        )
        for id_ in page
    ]
    return SearchResult(query=parsed, hits=hits, lexical_matches=len(lexical), phrase_limited=phrase_limited)


class _Half(threading.Thread):
    """The vector half of a search, run in a thread: embed the query text, then `_nearest_ids`."""

    def __init__(
        self,
        engine: Engine,
        embed_query: Callable[[str], np.ndarray],
        text_for_embedding: str,
        where: str,
        params: dict[str, Any],
    ) -> None:
        super().__init__(name="ttdn-search-vector", daemon=True)
        self._args = (engine, embed_query, text_for_embedding, where, params)
        self._ids: list[int] = []
        self._error: BaseException | None = None
        self.start()

    def run(self) -> None:
        engine, embed_query, text_for_embedding, where, params = self._args
        try:
            vector = embed_query(text_for_embedding)
            with engine.begin() as conn:
                self._ids = _nearest_ids(conn, vector, where, params)
        except BaseException as exc:  # handed to the caller by result()
            self._error = exc

    def result(self) -> list[int]:
        self.join()
        if self._error is not None:
            raise self._error
        return self._ids


def vector_candidates(engine: Engine, vector: np.ndarray, filters: SearchFilters | None = None) -> list[int]:
    """The vector half of `search` alone: ids of the nearest articles passing ``filters``, nearest first."""
    where, params = (filters or SearchFilters()).sql()
    with engine.begin() as conn:
        return _nearest_ids(conn, vector, where, params)


def _lexical_ids(conn: Connection, parsed: ParsedQuery, where: str, params: dict[str, Any]) -> tuple[list[int], bool]:
    """The newest `LEXICAL_POOL` full-text matches (by id), ranked: best first.

    Ranking reads each candidate's ``search_tsv`` (out of line, in TOAST), so it is bounded:
    the pool is the newest matches by id, collected over id windows from the newest down —
    the first one `WALK_ROWS` wide, each next one sized from the density of matches seen so
    far — so that a word found in a tenth of the articles reads at most `WALK_ROWS` rows and
    a rare word costs one pass over its GIN entries; only the pool is ranked. A query with
    fewer matches than the pool ranks all of them, as a plain ``ORDER BY rank LIMIT`` would.

    A phrase (and a CJK word, a phrase of characters) needs positions, which GIN does not
    hold: every row holding all its words is read to check them. So a wide window takes the
    rows holding the words from the index alone (`ParsedQuery.words_tsquery`, exact in GIN,
    newest first) and checks the phrase on those; over all windows at most
    `PHRASE_CHECK_ROWS` rows are checked. True in the second place when that bound stopped
    the walk before the oldest article (older matches of the phrase may exist).
    """
    boost = parsed.boost_tsquery is not None
    rank = "ts_rank_cd(c.search_tsv, q)" + (" + CASE WHEN c.search_tsv @@ b THEN 1 ELSE 0 END" if boost else "")

    def window(ids: str) -> Any:
        return text(
            f"SELECT c.id, {rank} FROM ("
            "SELECT a.id, a.search_tsv FROM articles a LEFT JOIN sources s ON s.id = a.source_id, "
            "to_tsquery('simple', :q) q "
            f"WHERE a.search_tsv @@ q AND {ids} AND {where} "
            "ORDER BY a.id DESC LIMIT :need"
            ") c, to_tsquery('simple', :q) q" + (", to_tsquery('simple', :boost) b" if boost else "")
        )

    # a window of ids read through the primary key; the rest of the table (a bound the
    # GIN bitmap need not be intersected with: a filter after it)
    in_window, in_rest = window("a.id > :low AND a.id <= :high"), window("a.id + 0 <= :high")
    words = parsed.words_tsquery

    def holding_words(ids: str) -> Any:  # ids of the rows holding a phrase's words, newest first
        return text(
            "SELECT a.id FROM articles a LEFT JOIN sources s ON s.id = a.source_id, to_tsquery('simple', :w) w "
            f"WHERE a.search_tsv @@ w AND {ids} AND {where} ORDER BY a.id DESC LIMIT :check"
        )

    words_in_window, words_in_rest = holding_words("a.id > :low AND a.id <= :high"), holding_words("a.id + 0 <= :high")
    phrase_in = text(
        f"SELECT c.id, {rank} FROM ("
        "SELECT a.id, a.search_tsv FROM articles a, to_tsquery('simple', :q) q "
        "WHERE a.id = ANY(:ids) AND a.search_tsv @@ q ORDER BY a.id DESC LIMIT :need"
        ") c, to_tsquery('simple', :q) q" + (", to_tsquery('simple', :boost) b" if boost else "")
    )
    checks_left = PHRASE_CHECK_ROWS
    values = {**params, "q": parsed.tsquery, "boost": parsed.boost_tsquery}
    high, was_index, was_bitmap, was_mem = conn.execute(
        text(
            "SELECT (SELECT coalesce(max(id), 0) FROM articles), current_setting('enable_indexscan'), "
            "current_setting('enable_bitmapscan'), current_setting('work_mem')"
        )
    ).one()
    scans = text(
        "SELECT set_config('enable_indexscan', :index, true), set_config('enable_bitmapscan', :bitmap, true), "
        "set_config('work_mem', :mem, true)"
    )
    width = WALK_ROWS
    pool: list[tuple[int, float]] = []
    while high > 0 and len(pool) < LEXICAL_POOL and checks_left > 0:
        low = max(0, high - width)
        need = LEXICAL_POOL - len(pool)
        rest = low == 0
        # A narrow window is walked down the primary key, testing each row (a word in many
        # articles fills the pool within it); a wide one is read through the GIN index. The
        # planner cannot choose well: it does not count the TOAST read of each row's
        # search_tsv that the walk costs, nor the size of a frequent word's GIN bitmap.
        walk = high - low <= WALK_ROWS
        # (a bitmap of a frequent word's matches must stay exact: a lossy one re-reads every row of its pages)
        conn.execute(scans, {"index": "on" if walk else "off", "bitmap": "off" if walk else "on", "mem": BITMAP_MEM})
        bounds = {**values, "low": low, "high": high, "need": need}
        if words is None or walk:
            found = conn.execute(in_rest if rest else in_window, bounds).all()
            checks_left -= 0 if words is None else high - low  # a walk reads every row of its window
        else:
            holding_query = words_in_rest if rest else words_in_window
            holding = conn.execute(holding_query, {**bounds, "w": words, "check": checks_left}).scalars().all()
            if len(holding) == checks_left:  # the bound cut this window: it ends at the oldest row checked
                low = max(0, min(holding) - 1)
            checks_left -= len(holding)
            found = conn.execute(phrase_in, {**bounds, "ids": list(holding)}).all() if holding else []
        pool += [(id_, float(score)) for id_, score in found]
        # the next window: wide enough for what is missing at the density seen, at least 4x
        # wider; all the rest when that holds few matches (cheaper than intersecting bitmaps)
        density = max(len(found), 0.5) / (high - low)
        width = max(4 * width, int(1.5 * (need - len(found)) / density))
        if density * low <= RARE_REST:
            width = low
        high = low
    conn.execute(scans, {"index": was_index, "bitmap": was_bitmap, "mem": was_mem})
    pool.sort(key=lambda item: (-item[1], -item[0]))
    return [id_ for id_, _ in pool[:CANDIDATES]], high > 0 and len(pool) < LEXICAL_POOL


def _nearest_ids(conn: Connection, vector: np.ndarray, where: str, params: dict[str, Any]) -> list[int]:
    """The `CANDIDATES` nearest articles passing the filters, nearest first (HNSW, iterative scan).

    ``relaxed_order`` lets the index keep scanning past filtered-out rows; its results may be
    slightly out of order, so they are sorted again by distance (pgvector's advice).
    """
    conn.execute(
        text(
            "SELECT set_config('hnsw.iterative_scan', 'relaxed_order', true), "
            "set_config('hnsw.ef_search', :ef, true), set_config('hnsw.max_scan_tuples', :most, true)"
        ),
        {"ef": str(EF_SEARCH), "most": str(MAX_SCAN_TUPLES)},
    )
    rows = conn.execute(
        text(
            "WITH nearest AS MATERIALIZED ("
            "SELECT a.id, a.embedding <=> CAST(:v AS halfvec) AS distance "
            "FROM articles a LEFT JOIN sources s ON s.id = a.source_id "
            f"WHERE a.embedding IS NOT NULL AND {where} ORDER BY distance LIMIT :n"
            ") SELECT id FROM nearest ORDER BY distance, id DESC"
        ),
        {**params, "v": vector_literal(vector), "n": CANDIDATES},
    ).all()
    return [id_ for (id_,) in rows]


def _rows(engine: Engine, ids: list[int]) -> dict[int, dict[str, Any]]:
    if not ids:
        return {}
    query = text(
        "SELECT id, title, url, lang, published_at, collected_at, source_name, text, tone, relevance, story_id "
        "FROM articles WHERE id = ANY(:ids)"
    )
    with engine.connect() as conn:
        return {row["id"]: dict(row) for row in conn.execute(query, {"ids": ids}).mappings()}


def _dates(engine: Engine, ids: list[int]) -> dict[int, float]:
    if not ids:
        return {}
    query = text(
        "SELECT id, extract(epoch FROM coalesce(published_at, collected_at)) FROM articles WHERE id = ANY(:ids)"
    )
    with engine.connect() as conn:
        return {id_: float(epoch) for id_, epoch in conn.execute(query, {"ids": ids})}
