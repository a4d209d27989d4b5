"""One article for its page: the row with its source and story, its near-duplicates, the
narratives it was matched with, and its text as paragraphs with places and countries marked.

Highlighting is built here, not in a template: every piece of the article's own text goes
through `markupsafe.escape`; only the ``<mark>`` elements made here are markup. Offsets are
those the gazetteer stored in ``articles.places["mentions"]`` (``field`` title or text,
``start``/``end`` character offsets into the original, ``kind``, ``id``, ``name``); an offset
that does not fit the text is ignored rather than trusted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from markupsafe import Markup, escape
from sqlalchemy import Engine, text

from ttdn.web.queries_stories import ARTICLE_TIME

__all__ = [
    "ArticleView",
    "MatchView",
    "Related",
    "article_matches",
    "get_article",
    "marked",
    "marked_paragraphs",
    "near_duplicates",
]

COUNTRY_KINDS = frozenset({"country", "vietnam"})
PLACE_KINDS = frozenset({"province", "former_province", "city", "sea_island"})
_LINE = re.compile(r"[^\n]+")


@dataclass(frozen=True, slots=True)
class ArticleView:
    id: int
    url: str | None
    title: str
    text: str
    authors: list[str]
    lang: str | None
    published_at: datetime | None
    collected_at: datetime
    source_id: int | None
    source_name: str | None
    country: str | None
    relevance: float | None
    places: dict[str, Any] | None
    topics: list[dict[str, Any]] | None
    tone: float | None
    tone_evidence: list[dict[str, Any]] | None
    story_id: int | None
    story_title: str | None
    duplicate_of: int | None
    dup_kind: str | None
    enriched_at: datetime | None
    enrich_error: str | None

    @property
    def mentions(self) -> list[Mapping[str, Any]]:
        found = (self.places or {}).get("mentions") if isinstance(self.places, Mapping) else None
        return [m for m in found or [] if isinstance(m, Mapping)]

    def as_dict(self) -> dict[str, Any]:
        return {slot: getattr(self, slot) for slot in self.__slots__}


@dataclass(frozen=True, slots=True)
class Related:
    id: int
    title: str
    lang: str | None
    source_name: str | None
    at: datetime
    dup_kind: str | None
    relation: str  # original | copy | sibling

    def as_dict(self) -> dict[str, Any]:
        return {slot: getattr(self, slot) for slot in self.__slots__}


@dataclass(frozen=True, slots=True)
class MatchView:
    id: int
    narrative_id: int
    narrative_title: str
    severity: str
    score: float
    sentence: str
    status: str
    matched_at: datetime

    def as_dict(self) -> dict[str, Any]:
        return {slot: getattr(self, slot) for slot in self.__slots__}


def get_article(engine: Engine, article_id: int) -> ArticleView | None:
    query = text(
        "SELECT a.id, a.url, a.title, a.text, a.authors, a.lang, a.published_at, a.collected_at, a.source_id, "
        "COALESCE(a.source_name, s.name), s.country, a.relevance, a.places, a.topics, a.tone, a.tone_evidence, "
        "a.story_id, st.title, a.duplicate_of, a.dup_kind, a.enriched_at, a.enrich_error "
        "FROM articles a LEFT JOIN sources s ON s.id = a.source_id LEFT JOIN stories st ON st.id = a.story_id "
        "WHERE a.id = :id"
    )
    with engine.connect() as conn:
        row = conn.execute(query, {"id": article_id}).first()
    if row is None:
        return None
    values = list(row)
    values[4] = list(values[4] or [])
    values[13] = [t for t in values[13] or [] if isinstance(t, Mapping)] if isinstance(values[13], list) else None
    values[15] = [e for e in values[15] or [] if isinstance(e, Mapping)] if isinstance(values[15], list) else None
    return ArticleView(*values)


def near_duplicates(engine: Engine, article: ArticleView, limit: int = 50) -> list[Related]:
    """The article it copies, the articles that copy it, and the other copies of the same original."""
    root = article.duplicate_of or article.id
    query = text(
        f"SELECT a.id, a.title, a.lang, a.source_name, {ARTICLE_TIME}, a.dup_kind, "
        "CASE WHEN a.id = :root THEN 'original' WHEN a.duplicate_of = :self THEN 'copy' ELSE 'sibling' END "
        "FROM articles a WHERE (a.id = :root OR a.duplicate_of = :root) AND a.id <> :self "
        "ORDER BY a.id LIMIT :limit"
    )
    with engine.connect() as conn:
        return [Related(*row) for row in conn.execute(query, {"root": root, "self": article.id, "limit": limit})]


def article_matches(engine: Engine, article_id: int) -> list[MatchView]:
    """The narratives this article was matched with (best score first), rejected ones included."""
    query = text(
        "SELECT m.id, n.id, n.title, n.severity, m.score, m.sentence, m.status, m.matched_at "
        "FROM narrative_matches m JOIN narratives n ON n.id = m.narrative_id "
        "WHERE m.article_id = :id ORDER BY m.score DESC, m.id"
    )
    with engine.connect() as conn:
        return [MatchView(*row) for row in conn.execute(query, {"id": article_id})]


def _spans(content: str, mentions: Iterable[Mapping[str, Any]], field: str) -> list[tuple[int, int, str, str]]:
    """(start, end, class, name) of the mentions in ``field`` that fit ``content``, without overlaps."""
    found = []
    for m in mentions:
        start, end, kind = m.get("start"), m.get("end"), m.get("kind")
        if m.get("field", "text") != field or not isinstance(start, int) or not isinstance(end, int):
            continue
        if not 0 <= start < end <= len(content):
            continue
        css = "country" if kind in COUNTRY_KINDS else "place" if kind in PLACE_KINDS else None
        if css is not None:
            found.append((start, end, css, str(m.get("name") or "")))
    kept: list[tuple[int, int, str, str]] = []
    for span in sorted(found, key=lambda s: (s[0], -s[1])):
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return kept


def _markup(content: str, start: int, end: int, spans: list[tuple[int, int, str, str]]) -> Markup:
    parts: list[Markup] = []
    position = start
    for s, e, css, name in spans:
        s, e = max(s, start), min(e, end)
        if s >= e or s < position:
            continue
        parts.append(escape(content[position:s]))
        parts.append(Markup('<mark class="{}" title="{}">{}</mark>').format(css, name, content[s:e]))
        position = e
    parts.append(escape(content[position:end]))
    return Markup("").join(parts)


def marked(content: str, mentions: Iterable[Mapping[str, Any]], field: str = "title") -> Markup:
    """The whole of ``content`` (a title), escaped, with its places and countries marked."""
    return _markup(content, 0, len(content), _spans(content, mentions, field))


def marked_paragraphs(content: str, mentions: Iterable[Mapping[str, Any]], field: str = "text") -> list[Markup]:
    """``content`` split into paragraphs (one per non-blank line), each escaped and marked."""
    spans = _spans(content, mentions, field)
    return [
        _markup(content, line.start(), line.end(), spans) for line in _LINE.finditer(content) if line.group().strip()
    ]
