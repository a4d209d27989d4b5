"""Tables of the fact base (cơ sở dữ liệu thông tin đối ngoại): facts, their texts per language,
sources, version history, and imported documents cut into passages.

They live on the shared ``ttdn.store.tables.Base`` metadata; migration ``0004_fact_base`` creates
them. ``search_text`` columns hold folded text (`ttdn.search.query.search_text_of`) and the
generated ``search_tsv`` is ``to_tsvector('simple', search_text)`` with a GIN index, as on articles.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Computed,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB, TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from ttdn.store.tables import Base

__all__ = ["FACT_STATUSES", "DocumentPassage", "Fact", "FactSourceRow", "FactText", "FactVersion", "StoredDocument"]

FACT_STATUSES = ("draft", "approved", "retired")
_TSV = "to_tsvector('simple', search_text)"


class Fact(Base):
    """One fact: status, validity and the version counter; its words are in `FactText`."""

    __tablename__ = "facts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    topic: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="draft", server_default="draft", index=True)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __table_args__ = (
        CheckConstraint("status IN ('draft', 'approved', 'retired')", name="ck_facts_status"),
        CheckConstraint("valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from", name="ck_facts_validity"),
    )


class FactText(Base):
    """The title and body of a fact in one language (ISO 639-1 code)."""

    __tablename__ = "fact_texts"

    fact_id: Mapped[int] = mapped_column(ForeignKey("facts.id", ondelete="CASCADE"), primary_key=True)
    lang: Mapped[str] = mapped_column(String(8), primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    search_tsv: Mapped[Any] = mapped_column(TSVECTOR, Computed(_TSV, persisted=True), nullable=True)

    __table_args__ = (Index("ix_fact_texts_search_tsv", "search_tsv", postgresql_using="gin"),)


class StoredDocument(Base):
    """An imported document (PDF, DOCX, HTML, Markdown, text), identified by its SHA-256."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    filename: Mapped[str] = mapped_column(Text)
    media_type: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int] = mapped_column(BigInteger)
    title: Mapped[str] = mapped_column(Text)
    lang: Mapped[str | None] = mapped_column(String(16))
    uploaded_by: Mapped[str | None] = mapped_column(Text)
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class DocumentPassage(Base):
    __tablename__ = "document_passages"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    ordinal: Mapped[int] = mapped_column(Integer)
    heading: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    search_tsv: Mapped[Any] = mapped_column(TSVECTOR, Computed(_TSV, persisted=True), nullable=True)

    __table_args__ = (
        UniqueConstraint("document_id", "ordinal", name="uq_document_passages_document_ordinal"),
        Index("ix_document_passages_search_tsv", "search_tsv", postgresql_using="gin"),
    )


class FactSourceRow(Base):
    """Where a fact comes from: a URL, an imported document, or both, with a note."""

    __tablename__ = "fact_sources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fact_id: Mapped[int] = mapped_column(ForeignKey("facts.id", ondelete="CASCADE"), index=True)
    url: Mapped[str | None] = mapped_column(Text)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"), index=True)
    note: Mapped[str] = mapped_column(Text, default="", server_default="")


class FactVersion(Base):
    """One saved version: who, when, what changed (a short summary) and the whole fact after it."""

    __tablename__ = "fact_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fact_id: Mapped[int] = mapped_column(ForeignKey("facts.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    author: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    change: Mapped[str] = mapped_column(Text)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSONB)

    __table_args__ = (UniqueConstraint("fact_id", "version", name="uq_fact_versions_fact_version"),)
