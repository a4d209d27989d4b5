"""Offline bundle of the fact base: one self-contained SQLite file for missions and border posts.

``export_bundle(engine, path, langs=...)`` writes the **approved** facts (drafts and retired
facts never go in), in the chosen languages, to one SQLite file, atomically (a temporary file
beside it, then ``os.replace``: a reader never sees half a bundle). Tables::

    meta(key, value)                       exported_at, ttdn_version, format, languages, counts
    facts(id, topic, valid_from, valid_to, version, updated_at)
    fact_texts(id, fact_id, lang, title, body, search_text)
    fact_sources(fact_id, url, document_id, document_title, note)
    fact_fts                               FTS5 over title, body, search_text (external content)

The FTS5 tokenizer is ``unicode61 remove_diacritics 2``, and ``search_text`` is the folded text
(`ttdn.search.query.search_text_of`: no diacritics, ``đ`` → ``d``, CJK spaced), so ``hoang sa``,
``Hoàng Sa``, ``hoà`` and ``hòa`` all find the same facts. `search_bundle` needs only the
standard library's sqlite3 and `ttdn.text.normalize.fold`: every word of the query must appear
(quoted words, a phrase; no operators). Validity dates are exported as they are; a reader
decides whether an expired fact is still shown.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

from sqlalchemy import Engine, select

from ttdn import __version__
from ttdn.errors import BadInput
from ttdn.kb.fact_tables import Fact, FactSourceRow, FactText, StoredDocument
from ttdn.search.query import lexemes_of

__all__ = ["BUNDLE_FORMAT", "BundleHit", "BundleSummary", "export_bundle", "search_bundle"]

BUNDLE_FORMAT = 1
_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE facts (
    id INTEGER PRIMARY KEY, topic TEXT, valid_from TEXT, valid_to TEXT, version INTEGER NOT NULL, updated_at TEXT
);
CREATE TABLE fact_texts (
    id INTEGER PRIMARY KEY, fact_id INTEGER NOT NULL REFERENCES facts(id), lang TEXT NOT NULL,
    title TEXT NOT NULL, body TEXT NOT NULL, search_text TEXT NOT NULL, UNIQUE (fact_id, lang)
);
CREATE TABLE fact_sources (
    fact_id INTEGER NOT NULL REFERENCES facts(id), url TEXT, document_id INTEGER, document_title TEXT, note TEXT
);
CREATE INDEX ix_fact_sources_fact_id ON fact_sources(fact_id);
CREATE VIRTUAL TABLE fact_fts USING fts5(
    title, body, search_text, content = 'fact_texts', content_rowid = 'id',
    tokenize = "unicode61 remove_diacritics 2"
);
"""


@dataclass(frozen=True, slots=True)
class BundleSummary:
    path: Path
    exported_at: datetime
    languages: tuple[str, ...]
    facts: int
    texts: int
    sources: int
    bytes: int


class BundleHit(NamedTuple):
    fact_id: int
    lang: str
    title: str
    snippet: str


def _check_langs(langs: Sequence[str] | None) -> tuple[str, ...] | None:
    if langs is None:
        return None
    from ttdn.kb.facts import check_lang  # lazy: facts loads the document readers, search_bundle needs none

    checked = tuple(dict.fromkeys(check_lang(lang) for lang in langs))
    if not checked:
        raise BadInput("Chưa chọn ngôn ngữ nào / no language chosen (give None for all)")
    return checked


def export_bundle(engine: Engine, out_path: Path, *, langs: Sequence[str] | None = None) -> BundleSummary:
    """Write the approved facts (in ``langs``, all when None) to the SQLite file ``out_path``."""
    chosen = _check_langs(langs)
    out_path = Path(out_path)
    if not out_path.parent.is_dir():
        raise BadInput(f"Không có thư mục {out_path.parent} / the folder {out_path.parent} does not exist")
    texts_query = (
        select(FactText.fact_id, FactText.lang, FactText.title, FactText.body, FactText.search_text)
        .join(Fact, Fact.id == FactText.fact_id)
        .where(Fact.status == "approved")
        .order_by(FactText.fact_id, FactText.lang)
    )
    if chosen is not None:
        texts_query = texts_query.where(FactText.lang.in_(chosen))
    # one consistent snapshot of the whole fact base
    with engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn, conn.begin():
        texts = conn.execute(texts_query).all()
        ids = sorted({row[0] for row in texts})
        facts = conn.execute(
            select(Fact.id, Fact.topic, Fact.valid_from, Fact.valid_to, Fact.version, Fact.updated_at)
            .where(Fact.id.in_(ids))
            .order_by(Fact.id)
        ).all()
        sources = conn.execute(
            select(
                FactSourceRow.fact_id,
                FactSourceRow.url,
                FactSourceRow.document_id,
                StoredDocument.title,
                FactSourceRow.note,
            )
            .outerjoin(StoredDocument, StoredDocument.id == FactSourceRow.document_id)
            .where(FactSourceRow.fact_id.in_(ids))
            .order_by(FactSourceRow.fact_id, FactSourceRow.id)
        ).all()
    exported_at = datetime.now(UTC)
    languages = chosen if chosen is not None else tuple(sorted({row[1] for row in texts}))
    meta = {
        "format": str(BUNDLE_FORMAT),
        "exported_at": exported_at.isoformat(),
        "ttdn_version": __version__,
        "languages": json.dumps(list(languages)),
        "facts": str(len(facts)),
        "texts": str(len(texts)),
        "sources": str(len(sources)),
    }
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out_path.name}.", suffix=".tmp", dir=out_path.parent)
    os.close(fd)
    try:
        db = sqlite3.connect(tmp_name)
        try:
            with db:
                db.executescript(_SCHEMA)
                db.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
                db.executemany(
                    "INSERT INTO facts VALUES (?, ?, ?, ?, ?, ?)",
                    [(i, t, _iso(a), _iso(b), v, _iso(u)) for i, t, a, b, v, u in facts],
                )
                db.executemany(
                    "INSERT INTO fact_texts (fact_id, lang, title, body, search_text) VALUES (?, ?, ?, ?, ?)",
                    [tuple(row) for row in texts],
                )
                db.executemany("INSERT INTO fact_sources VALUES (?, ?, ?, ?, ?)", [tuple(row) for row in sources])
                db.execute("INSERT INTO fact_fts (fact_fts) VALUES ('rebuild')")
                db.execute("INSERT INTO fact_fts (fact_fts) VALUES ('optimize')")
            db.execute("VACUUM")
        finally:
            db.close()
        os.replace(tmp_name, out_path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return BundleSummary(
        out_path, exported_at, languages, len(facts), len(texts), len(sources), out_path.stat().st_size
    )


def _iso(value: object) -> str | None:
    return None if value is None else value.isoformat()  # type: ignore[attr-defined]


def _match_expression(query: str) -> str:
    words = lexemes_of(query)  # folded; CJK one character per word, as stored
    if not words:
        raise BadInput("Chưa nhập từ khóa tìm kiếm / the query has no words")
    return " AND ".join('"' + word.replace('"', '""') + '"' for word in words[:64])


def search_bundle(path: Path, query: str, limit: int = 20) -> list[BundleHit]:
    """Search an exported bundle without network or PostgreSQL: best matches first."""
    path = Path(path)
    if not path.is_file():
        raise BadInput(f"Không tìm thấy gói dữ liệu {path} / no bundle at {path}")
    if len(query) > 1000:
        raise BadInput("Truy vấn quá dài (tối đa 1000 ký tự) / the query is too long (at most 1000 characters)")
    expression = _match_expression(query)
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        rows = db.execute(
            "SELECT t.fact_id, t.lang, t.title, snippet(fact_fts, 1, '[', ']', '…', 24) "
            "FROM fact_fts JOIN fact_texts t ON t.id = fact_fts.rowid "
            "WHERE fact_fts MATCH ? ORDER BY bm25(fact_fts, 4.0, 1.0, 1.0), t.fact_id, t.lang LIMIT ?",
            (expression, max(1, min(int(limit), 200))),
        ).fetchall()
    except sqlite3.DatabaseError as exc:
        raise BadInput(
            f"Gói dữ liệu {path.name} bị hỏng hoặc không đúng dạng / {path.name} is not a bundle ({exc})"
        ) from exc
    finally:
        db.close()
    return [BundleHit(*row) for row in rows]
