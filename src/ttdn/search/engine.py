"""Hybrid search over stored articles: folded full text fused with vector similarity.

The lexical half runs the compiled query (`parse_query`) against ``search_tsv`` (GIN index)
and ranks by ``ts_rank_cd`` plus a bonus where the bare words stand together; the vector
half embeds the query text (e5 *query* prefix) and takes the nearest article embeddings
(HNSW). The two rankings are fused by reciprocal rank (k = 60), so an article found by both
comes first and an article in another language — found only by meaning — still appears.
Filters apply to both halves. Highlighted passages come from the original text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy import Engine, text

from ttdn.search.highlight import highlight, to_html
from ttdn.search.query import ParsedQuery, parse_query
from ttdn.store.vectors import vector_literal

__all__ = ["RRF_K", "SearchFilters", "SearchHit", "SearchResult", "search"]

RRF_K = 60
CANDIDATES = 200  # taken from each half before fusion
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
        checks: list[tuple[bool, str, dict[str, Any]]] = [
            (
                self.date_from is not None,
                "coalesce(a.published_at, a.collected_at) >= :f_from",
                {"f_from": self.date_from},
            ),
            (self.date_to is not None, "coalesce(a.published_at, a.collected_at) <= :f_to", {"f_to": self.date_to}),
            (bool(self.langs), "a.lang = ANY(:f_langs)", {"f_langs": self.langs}),
            (bool(self.sources), "a.source_id = ANY(:f_sources)", {"f_sources": self.sources}),
            (bool(self.source_countries), "s.country = ANY(:f_countries)", {"f_countries": self.source_countries}),
            (
                bool(self.topics),
                "EXISTS (SELECT 1 FROM jsonb_array_elements(a.topics) t WHERE t->>'label' = ANY(:f_topics))",
                {"f_topics": self.topics},
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
    with engine.begin() as conn:
        lexical = conn.execute(
            text(
                "SELECT a.id FROM articles a LEFT JOIN sources s ON s.id = a.source_id, "
                "to_tsquery('simple', :q) q "
                f"WHERE a.search_tsv @@ q AND {where} "
                "ORDER BY ts_rank_cd(a.search_tsv, q) + CASE WHEN CAST(:boost AS text) IS NOT NULL "
                "AND a.search_tsv @@ to_tsquery('simple', coalesce(CAST(:boost AS text), '')) THEN 1 ELSE 0 END DESC, "
                "a.id DESC LIMIT :n"
            ),
            {**params, "q": parsed.tsquery, "boost": parsed.boost_tsquery, "n": CANDIDATES},
        ).all()
        for rank, (id_,) in enumerate(lexical, 1):
            ranks.setdefault(id_, {})["lexical"] = rank
        if embed_query is not None and parsed.text_for_embedding.strip():
            vector = embed_query(parsed.text_for_embedding)
            conn.execute(text("SET LOCAL hnsw.iterative_scan = relaxed_order"))
            nearest = conn.execute(
                text(
                    "SELECT a.id FROM articles a LEFT JOIN sources s ON s.id = a.source_id "
                    f"WHERE a.embedding IS NOT NULL AND {where} "
                    "ORDER BY a.embedding <=> CAST(:v AS halfvec) LIMIT :n"
                ),
                {**params, "v": vector_literal(vector), "n": CANDIDATES},
            ).all()
            for rank, (id_,) in enumerate(nearest, 1):
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
    return SearchResult(query=parsed, hits=hits, lexical_matches=len(lexical))


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
