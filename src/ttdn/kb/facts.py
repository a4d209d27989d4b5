"""The fact base (cơ sở dữ liệu thông tin đối ngoại): versioned, reviewed facts in many languages.

A fact has a title and body per language (ISO 639-1 code), sources (a URL and/or an imported
document, with a note), an optional validity period and a review status::

    draft ──→ approved ──→ retired
      └───────────────────→ retired ──→ draft

Every change (creation, edit, status change) adds a row to ``fact_versions``: who, when, a
short summary of what changed (``title[vi], body[en], sources``) and a snapshot of the whole
fact after it. An edit that changes nothing adds no version. Editing keeps the status: an
approved fact stays approved (the history shows who changed what since the approval).

Each call runs in one transaction and validates everything before writing, so a refused
call stores nothing. Every refusal is `ttdn.errors.BadInput`, Vietnamese first, then English.

Texts are stored as given (NFC, surrounding spaces removed; no tone-mark change, no HTML
escaping: escaping is the UI's job). Search goes over ``search_text`` (folded, see
`ttdn.search.query`), so ``hoang sa`` finds ``Hoàng Sa`` and ``hoà`` finds ``hòa``.
"""

from __future__ import annotations

import builtins
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Final

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    case,
    delete,
    func,
    insert,
    literal_column,
    select,
    text,
    update,
)

from ttdn.errors import BadInput
from ttdn.kb.fact_tables import (
    FACT_STATUSES,
    Fact,
    FactSourceRow,
    FactText,
    FactVersion,
    StoredDocument,
)
from ttdn.kb.library import PassageHit
from ttdn.search.highlight import highlight
from ttdn.search.query import parse_query, search_text_of

__all__ = [
    "MAX_BODY",
    "MAX_TITLE",
    "TRANSITIONS",
    "FactHit",
    "FactRecord",
    "FactSource",
    "FactStore",
    "FactVersionRecord",
    "PassageHit",
]

MAX_BODY = 100_000
MAX_TITLE = 1_000
MAX_TOPIC = 200
MAX_NOTE = 2_000
MAX_URL = 2_000
SNIPPET_CHARS = 240
TRANSITIONS: Final = frozenset(
    {("draft", "approved"), ("approved", "retired"), ("draft", "retired"), ("retired", "draft")}
)
_LANG = re.compile(r"[a-z]{2}")
_URL = re.compile(r"https?://\S+", re.IGNORECASE)


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final = _Unset()


@dataclass(frozen=True, slots=True)
class FactSource:
    """Where a fact comes from. At least one of the three is given."""

    url: str | None = None
    document_id: int | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class FactRecord:
    id: int
    topic: str | None
    status: str
    valid_from: date | None
    valid_to: date | None
    version: int
    created_at: datetime
    updated_at: datetime
    texts: dict[str, tuple[str, str]] = field(default_factory=dict)  # lang → (title, body)
    sources: tuple[FactSource, ...] = ()


@dataclass(frozen=True, slots=True)
class FactVersionRecord:
    version: int
    author: str
    at: datetime
    change: str
    snapshot: dict[str, Any]


@dataclass(frozen=True, slots=True)
class FactHit:
    """A matching text; ``snippet`` is the passage of the body that shows the most query terms
    (`ttdn.search.highlight`), ``spans`` the (start, end) of those terms inside it."""

    fact_id: int
    lang: str
    title: str
    snippet: str
    status: str
    rank: float
    spans: tuple[tuple[int, int], ...] = ()


# ---- validation -------------------------------------------------------------------------


def _clean(value: str) -> str:
    return unicodedata.normalize("NFC", value).strip()


def check_lang(lang: object) -> str:
    if not isinstance(lang, str) or not _LANG.fullmatch(lang.strip().lower()):
        raise BadInput(
            f"Mã ngôn ngữ không hợp lệ {lang!r}: cần 2 chữ cái a–z (vi, en, fr…) "
            f"/ unknown language code {lang!r}: expected two letters a–z (vi, en, fr…)"
        )
    return lang.strip().lower()


def _check_texts(texts: Mapping[str, tuple[str, str] | None]) -> dict[str, tuple[str, str] | None]:
    out: dict[str, tuple[str, str] | None] = {}
    for raw_lang, pair in texts.items():
        lang = check_lang(raw_lang)
        if pair is None:
            out[lang] = None
            continue
        title, body = (_clean(part) if isinstance(part, str) else "" for part in pair)
        if not title:
            raise BadInput(f"Tiêu đề [{lang}] đang trống / the title [{lang}] is empty")
        if not body:
            raise BadInput(f"Nội dung [{lang}] đang trống / the body [{lang}] is empty")
        if len(title) > MAX_TITLE:
            raise BadInput(
                f"Tiêu đề [{lang}] quá dài (tối đa {MAX_TITLE:,} ký tự) / the title [{lang}] is too long "
                f"(at most {MAX_TITLE:,} characters)"
            )
        if len(body) > MAX_BODY:
            raise BadInput(
                f"Nội dung [{lang}] quá dài ({len(body):,} ký tự, tối đa {MAX_BODY:,}) / the body [{lang}] is too "
                f"long ({len(body):,} characters, at most {MAX_BODY:,})"
            )
        out[lang] = (title, body)
    return out


def _check_sources(sources: Sequence[FactSource | str]) -> list[FactSource]:
    out: list[FactSource] = []
    for item in sources:
        source = FactSource(url=item) if isinstance(item, str) else item
        url = _clean(source.url) if source.url else None
        note = _clean(source.note or "")
        if url is not None and (len(url) > MAX_URL or not _URL.fullmatch(url)):
            raise BadInput(
                f"Nguồn phải là địa chỉ http(s) hợp lệ: {url[:100]!r} / a source URL must be http(s): {url[:100]!r}"
            )
        if len(note) > MAX_NOTE:
            raise BadInput(f"Ghi chú nguồn quá dài (tối đa {MAX_NOTE}) / a source note is too long (max {MAX_NOTE})")
        if url is None and source.document_id is None and not note:
            raise BadInput(
                "Nguồn trống: cần địa chỉ, tài liệu hoặc ghi chú / an empty source: give a URL, document or note"
            )
        out.append(FactSource(url, source.document_id, note))
    return out


def _check_topic(topic: str | None) -> str | None:
    cleaned = _clean(topic) if topic else ""
    if len(cleaned) > MAX_TOPIC:
        raise BadInput(f"Chủ đề quá dài (tối đa {MAX_TOPIC} ký tự) / the topic is too long (max {MAX_TOPIC})")
    return cleaned or None


def _check_author(author: str) -> str:
    cleaned = _clean(author) if isinstance(author, str) else ""
    if not cleaned:
        raise BadInput("Cần ghi rõ người thực hiện / the author of the change is missing")
    return cleaned


def _check_validity(valid_from: date | None, valid_to: date | None) -> None:
    if valid_from is not None and valid_to is not None and valid_to < valid_from:
        raise BadInput(
            f"Ngày hết hiệu lực ({valid_to}) trước ngày bắt đầu ({valid_from}) "
            f"/ valid_to ({valid_to}) is before valid_from ({valid_from})"
        )


def _check_status(status: str) -> str:
    if status not in FACT_STATUSES:
        raise BadInput(
            f"Trạng thái không hợp lệ {status!r} (draft, approved, retired) "
            f"/ unknown status {status!r} (draft, approved, retired)"
        )
    return status


def _unknown(fact_id: int) -> BadInput:
    return BadInput(f"Không có dữ kiện số {fact_id} / no fact with id {fact_id}")


# ---- snapshots and change summaries -----------------------------------------------------


def _snapshot(record: FactRecord) -> dict[str, Any]:
    return {
        "topic": record.topic,
        "status": record.status,
        "valid_from": record.valid_from.isoformat() if record.valid_from else None,
        "valid_to": record.valid_to.isoformat() if record.valid_to else None,
        "texts": {lang: {"title": t, "body": b} for lang, (t, b) in sorted(record.texts.items())},
        "sources": [{"url": s.url, "document_id": s.document_id, "note": s.note} for s in record.sources],
    }


def describe_change(before: dict[str, Any], after: dict[str, Any]) -> str:
    """A short human summary of what differs between two snapshots ("" when nothing)."""
    parts: list[str] = []
    if before["status"] != after["status"]:
        parts.append(f"status: {before['status']} → {after['status']}")
    parts += [name for name in ("topic", "valid_from", "valid_to") if before[name] != after[name]]
    old, new = before["texts"], after["texts"]
    for lang in sorted(old.keys() | new.keys()):
        if lang not in old:
            parts.append(f"+text[{lang}]")
        elif lang not in new:
            parts.append(f"-text[{lang}]")
        else:
            parts += [f"{name}[{lang}]" for name in ("title", "body") if old[lang][name] != new[lang][name]]
    if before["sources"] != after["sources"]:
        parts.append("sources")
    return ", ".join(parts)


# ---- the store --------------------------------------------------------------------------


class FactStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # -- writing --

    def create(
        self,
        topic: str | None,
        texts: Mapping[str, tuple[str, str]],
        sources: Sequence[FactSource | str] = (),
        valid_from: date | None = None,
        valid_to: date | None = None,
        *,
        author: str,
    ) -> int:
        """Store a new draft fact (version 1) and return its id."""
        author = _check_author(author)
        checked = _check_texts(texts)
        if not checked:
            raise BadInput("Dữ kiện cần ít nhất một ngôn ngữ / a fact needs a text in at least one language")
        topic = _check_topic(topic)
        clean_sources = _check_sources(sources)
        _check_validity(valid_from, valid_to)
        with self.engine.begin() as conn:
            self._check_documents(conn, clean_sources)
            fact_id = conn.execute(
                insert(Fact)
                .values(topic=topic, status="draft", valid_from=valid_from, valid_to=valid_to, version=1)
                .returning(Fact.id)
            ).scalar_one()
            self._write_texts(conn, fact_id, {k: v for k, v in checked.items() if v is not None})
            self._write_sources(conn, fact_id, clean_sources)
            record = self._load(conn, fact_id)
            self._add_version(conn, record, author, "created")
        return fact_id

    def update(
        self,
        fact_id: int,
        *,
        author: str,
        topic: str | _Unset | None = UNSET,
        texts: Mapping[str, tuple[str, str] | None] | _Unset = UNSET,
        valid_from: date | _Unset | None = UNSET,
        valid_to: date | _Unset | None = UNSET,
        sources: Sequence[FactSource | str] | _Unset = UNSET,
    ) -> FactRecord:
        """Change what is given; return the fact. ``texts`` merges: a language mapped to None
        is removed, others are set. ``sources`` replaces the list. Nothing changed → no version."""
        author = _check_author(author)
        new_texts = None if isinstance(texts, _Unset) else _check_texts(texts)
        new_topic = UNSET if isinstance(topic, _Unset) else _check_topic(topic)
        new_sources = None if isinstance(sources, _Unset) else _check_sources(sources)
        with self.engine.begin() as conn:
            current = self._load(conn, fact_id, lock=True)
            start = current.valid_from if isinstance(valid_from, _Unset) else valid_from
            end = current.valid_to if isinstance(valid_to, _Unset) else valid_to
            _check_validity(start, end)
            merged = dict(current.texts)
            for lang, pair in (new_texts or {}).items():
                if pair is None:
                    merged.pop(lang, None)
                else:
                    merged[lang] = pair
            if not merged:
                raise BadInput("Không thể xóa ngôn ngữ cuối cùng / cannot remove the last language of a fact")
            if new_sources is not None:
                self._check_documents(conn, new_sources)
            proposed = FactRecord(
                current.id,
                current.topic if isinstance(new_topic, _Unset) else new_topic,
                current.status,
                start,
                end,
                current.version,
                current.created_at,
                current.updated_at,
                merged,
                current.sources if new_sources is None else tuple(new_sources),
            )
            change = describe_change(_snapshot(current), _snapshot(proposed))
            if not change:
                return current
            conn.execute(
                update(Fact)
                .where(Fact.id == fact_id)
                .values(
                    topic=proposed.topic,
                    valid_from=start,
                    valid_to=end,
                    version=Fact.version + 1,
                    updated_at=func.now(),
                )
            )
            if merged != current.texts:
                conn.execute(delete(FactText).where(FactText.fact_id == fact_id))
                self._write_texts(conn, fact_id, merged)
            if new_sources is not None and tuple(new_sources) != current.sources:
                conn.execute(delete(FactSourceRow).where(FactSourceRow.fact_id == fact_id))
                self._write_sources(conn, fact_id, new_sources)
            record = self._load(conn, fact_id)
            self._add_version(conn, record, author, change)
        return record

    def set_status(self, fact_id: int, status: str, *, author: str) -> FactRecord:
        """Move a fact through review (see `TRANSITIONS`); the change is a new version."""
        author = _check_author(author)
        _check_status(status)
        with self.engine.begin() as conn:
            current = self._load(conn, fact_id, lock=True)
            if (current.status, status) not in TRANSITIONS:
                raise BadInput(
                    f"Không thể chuyển dữ kiện {fact_id} từ {current.status} sang {status} "
                    f"/ fact {fact_id} cannot go from {current.status} to {status}"
                )
            conn.execute(
                update(Fact)
                .where(Fact.id == fact_id)
                .values(status=status, version=Fact.version + 1, updated_at=func.now())
            )
            record = self._load(conn, fact_id)
            self._add_version(conn, record, author, f"status: {current.status} → {status}")
        return record

    # -- reading --

    def get(self, fact_id: int) -> FactRecord:
        with self.engine.connect() as conn:
            return self._load(conn, fact_id)

    def history(self, fact_id: int) -> builtins.list[FactVersionRecord]:
        """Every version, oldest first."""
        columns = (FactVersion.version, FactVersion.author, FactVersion.at, FactVersion.change, FactVersion.snapshot)
        with self.engine.connect() as conn:
            if conn.execute(select(Fact.id).where(Fact.id == fact_id)).first() is None:
                raise _unknown(fact_id)
            rows = conn.execute(select(*columns).where(FactVersion.fact_id == fact_id).order_by(FactVersion.version))
            return [FactVersionRecord(v, a, at, c, dict(s)) for v, a, at, c, s in rows]

    def list(
        self, status: str | None = None, lang: str | None = None, topic: str | None = None, *, limit: int | None = None
    ) -> builtins.list[FactRecord]:
        """Facts, newest change first, filtered by status, language present and topic."""
        query = select(Fact.id).order_by(Fact.updated_at.desc(), Fact.id.desc())
        if status is not None:
            query = query.where(Fact.status == _check_status(status))
        if topic is not None:
            query = query.where(Fact.topic == _clean(topic))
        if lang is not None:
            query = query.where(
                select(FactText.fact_id).where(FactText.fact_id == Fact.id, FactText.lang == check_lang(lang)).exists()
            )
        if limit is not None:
            query = query.limit(max(limit, 0))
        with self.engine.connect() as conn:
            ids = list(conn.execute(query).scalars())
            return self._load_many(conn, ids)

    def search(
        self, query: str, lang: str | None = None, status: str | None = "approved", *, limit: int = 20
    ) -> builtins.list[FactHit]:
        """Texts matching the search-box ``query`` (`ttdn.search.query` syntax), best first.
        ``status=None`` searches every status."""
        parsed = parse_query(query)
        tsquery = func.to_tsquery(literal_column("'simple'"), parsed.tsquery)
        rank: ColumnElement[Any] = func.ts_rank_cd(FactText.search_tsv, tsquery)
        if parsed.boost_tsquery:
            boost = func.to_tsquery(literal_column("'simple'"), parsed.boost_tsquery)
            rank = rank + case((FactText.search_tsv.op("@@")(boost), 1.0), else_=0.0)
        statement = (
            select(FactText.fact_id, FactText.lang, FactText.title, FactText.body, Fact.status, rank.label("rank"))
            .join(Fact, Fact.id == FactText.fact_id)
            .where(FactText.search_tsv.op("@@")(tsquery))
            .order_by(text("rank DESC"), FactText.fact_id, FactText.lang)
            .limit(max(1, min(limit, 200)))
        )
        if lang is not None:
            statement = statement.where(FactText.lang == check_lang(lang))
        if status is not None:
            statement = statement.where(Fact.status == _check_status(status))
        with self.engine.connect() as conn:
            rows = conn.execute(statement).all()
        hits = []
        for fid, lg, title, body, status_, r in rows:
            snippet, spans = _snippet(body, parsed.terms)
            hits.append(FactHit(fid, lg, title, snippet, status_, float(r), spans))
        return hits

    # -- documents (ttdn.kb.library) --

    def import_document(self, path: Path, *, author: str) -> tuple[int, int]:
        """Import a document as searchable passages: (document id, passage count); see `library`."""
        from ttdn.kb import library

        return library.import_document(self.engine, path, author=author)

    def search_passages(self, query: str, *, limit: int = 20) -> builtins.list[PassageHit]:
        from ttdn.kb import library

        return library.search_passages(self.engine, query, limit=limit)

    # -- internals --

    @staticmethod
    def _check_documents(conn: Connection, sources: Sequence[FactSource]) -> None:
        wanted = {s.document_id for s in sources if s.document_id is not None}
        if wanted:
            found = set(conn.execute(select(StoredDocument.id).where(StoredDocument.id.in_(wanted))).scalars())
            missing = sorted(wanted - found)
            if missing:
                raise BadInput(f"Không có tài liệu số {missing} / no document with id {missing}")

    @staticmethod
    def _write_texts(conn: Connection, fact_id: int, texts: Mapping[str, tuple[str, str]]) -> None:
        rows = [
            {"fact_id": fact_id, "lang": lang, "title": t, "body": b, "search_text": search_text_of(t, b)}
            for lang, (t, b) in texts.items()
        ]
        conn.execute(insert(FactText), rows)

    @staticmethod
    def _write_sources(conn: Connection, fact_id: int, sources: Sequence[FactSource]) -> None:
        if sources:
            rows = [{"fact_id": fact_id, "url": s.url, "document_id": s.document_id, "note": s.note} for s in sources]
            conn.execute(insert(FactSourceRow), rows)

    @staticmethod
    def _add_version(conn: Connection, record: FactRecord, author: str, change: str) -> None:
        conn.execute(
            insert(FactVersion).values(
                fact_id=record.id, version=record.version, author=author, change=change, snapshot=_snapshot(record)
            )
        )

    def _load(self, conn: Connection, fact_id: int, *, lock: bool = False) -> FactRecord:
        if lock and conn.execute(select(Fact.id).where(Fact.id == fact_id).with_for_update()).first() is None:
            raise _unknown(fact_id)
        records = self._load_many(conn, [fact_id])
        if not records:
            raise _unknown(fact_id)
        return records[0]

    @staticmethod
    def _load_many(conn: Connection, ids: Sequence[int]) -> builtins.list[FactRecord]:
        if not ids:
            return []
        columns = (Fact.id, Fact.topic, Fact.status, Fact.valid_from, Fact.valid_to, Fact.version)
        facts = {
            row[0]: row
            for row in conn.execute(select(*columns, Fact.created_at, Fact.updated_at).where(Fact.id.in_(ids)))
        }
        texts: dict[int, dict[str, tuple[str, str]]] = {i: {} for i in facts}
        for fid, lang, title, body in conn.execute(
            select(FactText.fact_id, FactText.lang, FactText.title, FactText.body)
            .where(FactText.fact_id.in_(ids))
            .order_by(FactText.fact_id, FactText.lang)
        ):
            texts[fid][lang] = (title, body)
        sources: dict[int, list[FactSource]] = {i: [] for i in facts}
        for fid, url, doc, note in conn.execute(
            select(FactSourceRow.fact_id, FactSourceRow.url, FactSourceRow.document_id, FactSourceRow.note)
            .where(FactSourceRow.fact_id.in_(ids))
            .order_by(FactSourceRow.id)
        ):
            sources[fid].append(FactSource(url, doc, note))
        return [FactRecord(*facts[i], texts=texts[i], sources=tuple(sources[i])) for i in ids if i in facts]


def _snippet(body: str, terms: Sequence[str]) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The best passage of ``body`` for ``terms`` with "…" where it is cut, and the terms' spans
    in it; the start of the body when no term is in it (a match in the title)."""
    fragments = highlight(body, terms, max_fragments=1, fragment_chars=SNIPPET_CHARS)
    if not fragments:
        if len(body) <= SNIPPET_CHARS:
            return body, ()
        return body[:SNIPPET_CHARS].rsplit(" ", 1)[0] + "…", ()
    fragment = fragments[0]
    head = "…" if fragment.start > 0 else ""
    tail = "…" if body[fragment.start + len(fragment.text) :].strip() else ""
    return head + fragment.text + tail, tuple((a + len(head), b + len(head)) for a, b in fragment.spans)
