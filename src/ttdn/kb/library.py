"""The document library of the fact base: documents imported as searchable passages.

A document (PDF, DOCX, HTML, Markdown — read by `ttdn.kb.documents`) is stored once per
content (SHA-256 of its bytes) with its passages, each indexed for full-text search over
the same folded text as articles and facts.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, func, insert, literal_column, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert

from ttdn.errors import BadInput
from ttdn.kb.documents import read_document
from ttdn.kb.fact_tables import DocumentPassage, StoredDocument
from ttdn.search.query import parse_query, search_text_of

__all__ = ["PassageHit", "import_document", "search_passages"]


@dataclass(frozen=True, slots=True)
class PassageHit:
    document_id: int
    document_title: str
    ordinal: int
    heading: str | None
    text: str
    rank: float


def import_document(engine: Engine, path: Path, *, author: str) -> tuple[int, int]:
    """Import a document as searchable passages: (document id, passage count).
    The same bytes imported again give the same id and store nothing new."""
    from ttdn.kb.facts import _check_author, _clean

    author = _check_author(author)
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BadInput(f"Không đọc được tệp {path.name} / cannot read {path.name} ({exc.strerror})") from exc
    digest = hashlib.sha256(data).hexdigest()
    existing = _document_by_hash(engine, digest)
    if existing is not None:
        return existing
    document = read_document(path)
    rows = [
        {
            "ordinal": p.ordinal,
            "heading": p.heading,
            "text": p.text,
            "search_text": search_text_of(p.heading or "", p.text),
        }
        for p in document.passages
    ]
    with engine.begin() as conn:
        statement = pg_insert(StoredDocument).values(
            filename=path.name,
            media_type=document.media_type,
            sha256=digest,
            size=len(data),
            title=_clean(document.title) or path.stem,
            lang=(document.lang_hint or "").strip().lower()[:16] or None,
            uploaded_by=author,
        )
        document_id = conn.execute(
            statement.on_conflict_do_nothing(index_elements=["sha256"]).returning(StoredDocument.id)
        ).scalar()
        if document_id is not None and rows:
            conn.execute(insert(DocumentPassage), [{"document_id": document_id, **row} for row in rows])
    if document_id is None:  # the same file was imported by someone else meanwhile
        found = _document_by_hash(engine, digest)
        if found is None:
            raise BadInput(f"Không nhập được {path.name}, hãy thử lại / could not import {path.name}, try again")
        return found
    return document_id, len(rows)


def search_passages(engine: Engine, query: str, *, limit: int = 20) -> list[PassageHit]:
    parsed = parse_query(query)
    tsquery = func.to_tsquery(literal_column("'simple'"), parsed.tsquery)
    rank = func.ts_rank_cd(DocumentPassage.search_tsv, tsquery).label("rank")
    statement = (
        select(
            DocumentPassage.document_id,
            StoredDocument.title,
            DocumentPassage.ordinal,
            DocumentPassage.heading,
            DocumentPassage.text,
            rank,
        )
        .join(StoredDocument, StoredDocument.id == DocumentPassage.document_id)
        .where(DocumentPassage.search_tsv.op("@@")(tsquery))
        .order_by(text("rank DESC"), DocumentPassage.document_id, DocumentPassage.ordinal)
        .limit(max(1, min(limit, 200)))
    )
    with engine.connect() as conn:
        rows = conn.execute(statement).all()
    return [PassageHit(d, t, o, h, x, float(r)) for d, t, o, h, x, r in rows]


def _document_by_hash(engine: Engine, digest: str) -> tuple[int, int] | None:
    with engine.connect() as conn:
        row = conn.execute(
            select(StoredDocument.id, func.count(DocumentPassage.id))
            .outerjoin(DocumentPassage, DocumentPassage.document_id == StoredDocument.id)
            .where(StoredDocument.sha256 == digest)
            .group_by(StoredDocument.id)
        ).first()
    return None if row is None else (int(row[0]), int(row[1]))
