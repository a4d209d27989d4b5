"""What the fact-base pages read: a page of facts, topics and languages for the filters,
documents and their passages, the narratives a fact rebuts, search hits with highlighted
fragments, and a readable field-by-field difference between two versions' snapshots.

Writing goes through `ttdn.kb.facts.FactStore` only (it validates and keeps the history).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, and_, func, or_, select
from sqlalchemy.dialects.postgresql import aggregate_order_by

from ttdn.kb.fact_tables import DocumentPassage, Fact, FactSourceRow, FactText, StoredDocument
from ttdn.kb.facts import FactStore
from ttdn.kb.library import PassageHit
from ttdn.search.highlight import highlight, to_html
from ttdn.search.query import parse_query
from ttdn.web.i18n import N_

__all__ = [
    "Change",
    "DocumentRow",
    "FactRow",
    "HitRow",
    "PassageHitRow",
    "PassageRow",
    "diff_snapshots",
    "document",
    "document_titles",
    "documents",
    "fact_exists",
    "fact_languages",
    "fact_page",
    "facts_citing_document",
    "highlighted",
    "narratives_rebutted",
    "passages",
    "search_facts",
    "search_passages",
    "snapshot_documents",
    "topics",
    "word_diff",
]

WORD_DIFF_LIMIT = 6000  # tokens per side; longer texts are compared line by line
CONTEXT_CHARS = 160  # unchanged text kept around a change; the rest is shown as “…”
CHANGE_KINDS = (N_("changed"), N_("added"), N_("removed"))
_TOKENS = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


@dataclass(frozen=True, slots=True)
class FactRow:
    """One line of the facts list."""

    id: int
    title: str
    langs: tuple[str, ...]
    topic: str | None
    status: str
    version: int
    valid_from: date | None
    valid_to: date | None
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class HitRow:
    """A search hit: the fact's text in one language, title and body fragments as safe HTML."""

    fact_id: int
    lang: str
    title_html: str
    fragments_html: tuple[str, ...]
    status: str
    rank: float


@dataclass(frozen=True, slots=True)
class DocumentRow:
    id: int
    title: str
    filename: str
    media_type: str
    size: int
    lang: str | None
    uploaded_by: str | None
    uploaded_at: datetime
    passages: int


@dataclass(frozen=True, slots=True)
class PassageRow:
    ordinal: int
    heading: str | None
    text: str


@dataclass(frozen=True, slots=True)
class PassageHitRow:
    document_id: int
    document_title: str
    ordinal: int
    heading: str | None
    fragments_html: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Change:
    """One field that differs between two versions. ``label`` is a message id (translate it);
    ``segments`` is a word diff: ``("=" | "-" | "+", text)``."""

    label: str
    lang: str | None
    kind: str  # "changed" | "added" | "removed"
    old: str | None = None
    new: str | None = None
    segments: tuple[tuple[str, str], ...] = field(default_factory=tuple)


# ---- facts ---------------------------------------------------------------------------


def _title_subquery() -> Any:
    """A fact's title, Vietnamese first, then the first language."""
    return (
        select(FactText.title)
        .where(FactText.fact_id == Fact.id)
        .order_by(FactText.lang != "vi", FactText.lang)
        .limit(1)
        .scalar_subquery()
    )


def fact_page(
    engine: Engine,
    *,
    status: str | None = None,
    topic: str | None = None,
    lang: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[FactRow], int]:
    """One page of facts, newest change first, and how many match the filters."""
    langs = (
        select(func.array_agg(aggregate_order_by(FactText.lang, FactText.lang)))
        .where(FactText.fact_id == Fact.id)
        .scalar_subquery()
    )
    conditions = []
    if status:
        conditions.append(Fact.status == status)
    if topic:
        conditions.append(Fact.topic == topic)
    if lang:
        conditions.append(select(FactText.fact_id).where(FactText.fact_id == Fact.id, FactText.lang == lang).exists())
    where = and_(*conditions) if conditions else None
    query = select(
        Fact.id, _title_subquery(), langs, Fact.topic, Fact.status, Fact.version, Fact.valid_from, Fact.valid_to,
        Fact.updated_at,
    ).order_by(Fact.updated_at.desc(), Fact.id.desc())  # fmt: skip
    count = select(func.count()).select_from(Fact)
    if where is not None:
        query, count = query.where(where), count.where(where)
    with engine.connect() as conn:
        total = int(conn.execute(count).scalar_one())
        rows = conn.execute(query.limit(limit).offset(offset)).all()
    return [FactRow(r[0], r[1] or "", tuple(r[2] or ()), *r[3:]) for r in rows], total


def fact_exists(engine: Engine, fact_id: int) -> bool:
    with engine.connect() as conn:
        return conn.execute(select(Fact.id).where(Fact.id == fact_id)).first() is not None


def topics(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        query = select(Fact.topic).where(Fact.topic.is_not(None)).distinct().order_by(Fact.topic)
        return [str(topic) for topic in conn.execute(query).scalars()]


def fact_languages(engine: Engine, *, approved_only: bool = False) -> list[str]:
    query = select(FactText.lang).distinct().order_by(FactText.lang)
    if approved_only:
        query = query.join(Fact, Fact.id == FactText.fact_id).where(Fact.status == "approved")
    with engine.connect() as conn:
        return list(conn.execute(query).scalars())


def narratives_rebutted(engine: Engine, fact_id: int) -> list[tuple[int, str, str]]:
    """(id, title, status) of the narratives this fact is linked to as a rebuttal."""
    from ttdn.kb.narrative_tables import NarrativeFact, NarrativeRow

    query = (
        select(NarrativeRow.id, NarrativeRow.title, NarrativeRow.status)
        .join(NarrativeFact, NarrativeFact.narrative_id == NarrativeRow.id)
        .where(NarrativeFact.fact_id == fact_id)
        .order_by(NarrativeRow.id)
    )
    with engine.connect() as conn:
        return [(int(i), t, s) for i, t, s in conn.execute(query)]


def highlighted(text: str, terms: Sequence[str], *, fragments: int = 2, chars: int = 200) -> tuple[str, ...]:
    """Fragments of ``text`` with the terms in ``<mark>`` (everything else escaped)."""
    found = highlight(text, terms, max_fragments=fragments, fragment_chars=chars)
    out = []
    for fragment in found:
        piece = to_html(fragment)
        if fragment.start > 0:
            piece = "…" + piece
        if fragment.start + len(fragment.text) < len(text):
            piece += "…"
        out.append(piece)
    return tuple(out)


def _lead(text: str, chars: int = 200) -> str:
    from html import escape

    return escape(text if len(text) <= chars else text[:chars].rsplit(" ", 1)[0] + "…")


def search_facts(engine: Engine, query: str, *, status: str | None, lang: str | None, limit: int = 100) -> list[HitRow]:
    """Fact texts matching ``query`` (any status when None), with highlighted fragments.
    A query the parser refuses raises `ttdn.errors.BadInput`."""
    terms = parse_query(query).terms
    hits = FactStore(engine).search(query, lang=lang, status=status, limit=limit)
    keys = [(h.fact_id, h.lang) for h in hits]
    bodies: dict[tuple[int, str], str] = {}
    if keys:
        with engine.connect() as conn:
            rows = conn.execute(
                select(FactText.fact_id, FactText.lang, FactText.body).where(
                    or_(*(and_(FactText.fact_id == f, FactText.lang == lg) for f, lg in keys))
                )
            )
            bodies = {(f, lg): b for f, lg, b in rows}
    out = []
    for hit in hits:
        body = bodies.get((hit.fact_id, hit.lang), hit.snippet)
        title = highlighted(hit.title, terms, fragments=1, chars=max(len(hit.title), 1))
        out.append(
            HitRow(
                hit.fact_id,
                hit.lang,
                title[0] if title else _lead(hit.title, 1000),
                highlighted(body, terms) or (_lead(body),),
                hit.status,
                hit.rank,
            )
        )
    return out


def search_passages(engine: Engine, query: str, *, limit: int = 20) -> list[PassageHitRow]:
    terms = parse_query(query).terms
    hits: list[PassageHit] = FactStore(engine).search_passages(query, limit=limit)
    return [
        PassageHitRow(
            h.document_id, h.document_title, h.ordinal, h.heading, highlighted(h.text, terms) or (_lead(h.text),)
        )
        for h in hits
    ]


# ---- documents -----------------------------------------------------------------------


def _document_query() -> Any:
    count = (
        select(func.count(DocumentPassage.id)).where(DocumentPassage.document_id == StoredDocument.id).scalar_subquery()
    )
    return select(
        StoredDocument.id, StoredDocument.title, StoredDocument.filename, StoredDocument.media_type,
        StoredDocument.size, StoredDocument.lang, StoredDocument.uploaded_by, StoredDocument.uploaded_at, count,
    )  # fmt: skip


def documents(engine: Engine, *, limit: int = 200) -> list[DocumentRow]:
    with engine.connect() as conn:
        rows = conn.execute(
            _document_query().order_by(StoredDocument.uploaded_at.desc(), StoredDocument.id.desc()).limit(limit)
        )
        return [DocumentRow(*r) for r in rows]


def document(engine: Engine, document_id: int) -> DocumentRow | None:
    with engine.connect() as conn:
        row = conn.execute(_document_query().where(StoredDocument.id == document_id)).first()
    return None if row is None else DocumentRow(*row)


def document_titles(engine: Engine, ids: Sequence[int]) -> dict[int, str]:
    if not ids:
        return {}
    with engine.connect() as conn:
        rows = conn.execute(select(StoredDocument.id, StoredDocument.title).where(StoredDocument.id.in_(ids)))
        return {int(i): str(t) for i, t in rows}


def passages(engine: Engine, document_id: int) -> list[PassageRow]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(DocumentPassage.ordinal, DocumentPassage.heading, DocumentPassage.text)
            .where(DocumentPassage.document_id == document_id)
            .order_by(DocumentPassage.ordinal)
        )
        return [PassageRow(*r) for r in rows]


def facts_citing_document(engine: Engine, document_id: int) -> list[tuple[int, str, str]]:
    """(id, title, status) of the facts that give this document as a source."""
    query = (
        select(Fact.id, _title_subquery(), Fact.status)
        .where(
            select(FactSourceRow.id)
            .where(FactSourceRow.fact_id == Fact.id, FactSourceRow.document_id == document_id)
            .exists()
        )
        .order_by(Fact.id)
    )
    with engine.connect() as conn:
        return [(int(i), t or "", s) for i, t, s in conn.execute(query)]


# ---- versions ------------------------------------------------------------------------


def _tokens(text: str) -> list[str]:
    return _TOKENS.findall(text)


def word_diff(old: str, new: str) -> tuple[tuple[str, str], ...]:
    """``("=" | "-" | "+", text)`` pieces turning ``old`` into ``new``: by words, or by lines
    when the texts are long."""
    a, b = _tokens(old), _tokens(new)
    if len(a) > WORD_DIFF_LIMIT or len(b) > WORD_DIFF_LIMIT:
        a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("=", "".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            out.append(("-", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            out.append(("+", "".join(b[j1:j2])))
    return tuple(_shorten(out))


def _shorten(pieces: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Long unchanged stretches keep only some context on each side of a change."""
    out = []
    last = len(pieces) - 1
    for i, (op, text) in enumerate(pieces):
        if op == "=" and len(text) > 2 * CONTEXT_CHARS + 20:
            if i == 0:
                text = "… " + text[-CONTEXT_CHARS:]
            elif i == last:
                text = text[:CONTEXT_CHARS] + " …"
            else:
                text = text[:CONTEXT_CHARS] + " … " + text[-CONTEXT_CHARS:]
        out.append((op, text))
    return out


def _source_label(source: dict[str, Any], titles: dict[int, str]) -> str:
    parts = []
    if source.get("url"):
        parts.append(str(source["url"]))
    if source.get("document_id") is not None:
        doc = int(source["document_id"])
        parts.append(f"#{doc} {titles.get(doc, '')}".strip())
    if source.get("note"):
        parts.append(str(source["note"]))
    return " · ".join(parts)


_SCALARS = (
    ("status", N_("Status")),
    ("topic", N_("Topic")),
    ("valid_from", N_("Valid from")),
    ("valid_to", N_("Valid until")),
)


def diff_snapshots(
    before: dict[str, Any] | None, after: dict[str, Any], document_names: dict[int, str] | None = None
) -> list[Change]:
    """Field-by-field changes from ``before`` (None: the first version) to ``after``."""
    names = document_names or {}
    empty: dict[str, Any] = {
        "status": None,
        "topic": None,
        "valid_from": None,
        "valid_to": None,
        "texts": {},
        "sources": [],
    }
    old = before or empty
    changes: list[Change] = []
    for key, label in _SCALARS:
        a, b = old.get(key), after.get(key)
        if a != b:
            kind = "added" if a in (None, "") else "removed" if b in (None, "") else "changed"
            changes.append(Change(label, None, kind, None if a is None else str(a), None if b is None else str(b)))
    old_texts, new_texts = old.get("texts", {}), after.get("texts", {})
    for lang in sorted(old_texts.keys() | new_texts.keys()):
        if lang not in old_texts:
            text = new_texts[lang]
            changes.append(Change(N_("Title"), lang, "added", None, text["title"]))
            changes.append(Change(N_("Text"), lang, "added", None, text["body"]))
        elif lang not in new_texts:
            text = old_texts[lang]
            changes.append(Change(N_("Title"), lang, "removed", text["title"], None))
            changes.append(Change(N_("Text"), lang, "removed", text["body"], None))
        else:
            for key, label in (("title", N_("Title")), ("body", N_("Text"))):
                a, b = old_texts[lang][key], new_texts[lang][key]
                if a != b:
                    changes.append(Change(label, lang, "changed", a, b, word_diff(a, b)))
    old_sources = [_source_label(s, names) for s in old.get("sources", [])]
    new_sources = [_source_label(s, names) for s in after.get("sources", [])]
    changes += [Change(N_("Cited source"), None, "removed", s, None) for s in old_sources if s not in new_sources]
    changes += [Change(N_("Cited source"), None, "added", None, s) for s in new_sources if s not in old_sources]
    return changes


def snapshot_documents(*snapshots: dict[str, Any]) -> list[int]:
    """The document ids named in these snapshots' sources."""
    found = {
        int(s["document_id"]) for snap in snapshots for s in snap.get("sources", []) if s.get("document_id") is not None
    }
    return sorted(found)
