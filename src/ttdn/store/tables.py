"""SQLAlchemy 2 tables. Schema changes go through Alembic migrations (``store/migrations``).

The article row keeps the original text for display and the normalised text for every
comparison, and leaves room for the enrichment stages (relevance, places, topics, tone,
story, embedding) that fill their columns later.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pgvector.sqlalchemy import HALFVEC
from sqlalchemy import (
    BigInteger,
    Boolean,
    Computed,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSVECTOR
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = ["EMBEDDING_DIM", "Article", "ArticleBand", "Base", "FetchLog", "Rejection", "SavedSearch", "Source", "Story"]

EMBEDDING_DIM = 384  # multilingual-e5-small


class Base(DeclarativeBase):
    pass


class Source(Base):
    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    url: Mapped[str] = mapped_column(Text, unique=True)
    kind: Mapped[str] = mapped_column(String(16), default="feed")
    country: Mapped[str | None] = mapped_column(String(2))
    lang: Mapped[str | None] = mapped_column(String(8))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")
    cadence_minutes: Mapped[int] = mapped_column(Integer, default=30)
    # conditional GET
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    # health
    next_due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    last_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_success_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_kind: Mapped[str | None] = mapped_column(String(32))
    error_streak: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    items_collected: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class FetchLog(Base):
    """One line per HTTP fetch the collector made, good or bad."""

    __tablename__ = "fetch_log"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id", ondelete="SET NULL"), index=True)
    url: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), index=True)
    outcome: Mapped[str] = mapped_column(String(32))  # ok | not_modified | <error kind>
    status: Mapped[int | None] = mapped_column(SmallInteger)
    reason: Mapped[str | None] = mapped_column(Text)
    bytes: Mapped[int | None] = mapped_column(BigInteger)
    elapsed_ms: Mapped[int | None] = mapped_column(Integer)


class Article(Base):
    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    # identity: canonical URL, or "sha256:<content hash>" for an article with no URL
    url_key: Mapped[str] = mapped_column(Text, unique=True)
    url: Mapped[str | None] = mapped_column(Text)
    canonical_url: Mapped[str | None] = mapped_column(Text)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id", ondelete="SET NULL"), index=True)
    source_name: Mapped[str | None] = mapped_column(Text)
    origin: Mapped[str | None] = mapped_column(Text)
    # original, for display
    title: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    authors: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list, server_default="{}")
    # normalised (NFC + one tone-mark placement), for every comparison
    title_norm: Mapped[str] = mapped_column(Text)
    text_norm: Mapped[str] = mapped_column(Text)
    lang: Mapped[str | None] = mapped_column(String(8), index=True)
    lang_declared: Mapped[str | None] = mapped_column(String(16))
    lang_confidence: Mapped[float] = mapped_column(Float, default=0.0)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    collected_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    # deduplication
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    minhash: Mapped[bytes] = mapped_column(LargeBinary)
    duplicate_of: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="SET NULL"), index=True)
    dup_kind: Mapped[str | None] = mapped_column(String(8))  # None | exact | near
    # enrichment (later stages)
    relevance: Mapped[float | None] = mapped_column(Float)
    places: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    topics: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    tone: Mapped[float | None] = mapped_column(Float)
    story_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    embedding: Mapped[Any] = mapped_column(HALFVEC(EMBEDDING_DIM), nullable=True)
    tone_evidence: Mapped[list[Any] | None] = mapped_column(JSONB)
    enriched_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    enrich_error: Mapped[str | None] = mapped_column(Text)
    # search: folded text (see ttdn.search.query.search_text_of) and its tsvector
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    search_tsv: Mapped[Any] = mapped_column(
        TSVECTOR, Computed("to_tsvector('simple', search_text)", persisted=True), nullable=True
    )

    __table_args__ = (
        Index("ix_articles_search_tsv", "search_tsv", postgresql_using="gin"),
        Index(
            "ix_articles_embedding",
            "embedding",
            postgresql_using="hnsw",
            postgresql_ops={"embedding": "halfvec_cosine_ops"},
            postgresql_where="embedding IS NOT NULL",
        ),
        # an article's time, as pages count and chart it (see migration 0006)
        Index("ix_articles_time", func.coalesce(published_at, collected_at)),
    )


class Story(Base):
    """A story: articles about the same event, across languages (online clustering)."""

    __tablename__ = "stories"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    first_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    size: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    languages: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list, server_default="{}")
    countries: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list, server_default="{}")
    tone_sum: Mapped[float] = mapped_column(Float, default=0.0, server_default="0")
    tone_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    centroid: Mapped[Any] = mapped_column(HALFVEC(EMBEDDING_DIM), nullable=True)
    lang_counts: Mapped[dict[str, int]] = mapped_column(JSONB, default=dict, server_default="{}")
    title_article_id: Mapped[int | None] = mapped_column(BigInteger)
    title_similarity: Mapped[float] = mapped_column(Float, default=0.0, server_default="0")


class ArticleBand(Base):
    """MinHash LSH bands: articles sharing a band are near-duplicate candidates."""

    __tablename__ = "article_bands"

    band: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    hash: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)

    __table_args__ = (Index("ix_article_bands_article", "article_id"),)


class Rejection(Base):
    """An input that could not become an article: where it was and why."""

    __tablename__ = "rejections"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    run_id: Mapped[str] = mapped_column(String(40), index=True)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id", ondelete="SET NULL"))
    origin: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class SavedSearch(Base):
    __tablename__ = "saved_searches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text, unique=True)
    query: Mapped[str] = mapped_column(Text)
    filters: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict, server_default="{}")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


# the fact base, the narrative registry and the accounts define their tables on this metadata in their own modules
import ttdn.kb.fact_tables  # noqa: E402
import ttdn.kb.narrative_tables  # noqa: E402
import ttdn.store.account_tables  # noqa: E402, F401
