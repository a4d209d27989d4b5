"""Tables of the narrative registry: false or distorted narratives, their variants in several
languages, the facts that rebut them, the matches found in articles, and the matching threshold
that analysts' decisions recalibrate.

They live on the shared ``ttdn.store.tables.Base`` metadata; migration ``0005`` creates them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pgvector.sqlalchemy import HALFVEC
from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from ttdn.store.tables import EMBEDDING_DIM, Base

__all__ = [
    "MATCH_STATUSES",
    "NARRATIVE_SEVERITIES",
    "NARRATIVE_STATUSES",
    "MatchCalibration",
    "NarrativeFact",
    "NarrativeMatch",
    "NarrativeRow",
    "NarrativeVariant",
]

NARRATIVE_SEVERITIES = ("low", "medium", "high", "critical")
NARRATIVE_STATUSES = ("active", "dormant", "retired")
MATCH_STATUSES = ("pending", "confirmed", "rejected")


class NarrativeRow(Base):
    """One narrative: what it says (canonical claim), how bad it is, and whether it is live."""

    __tablename__ = "narratives"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(Text, unique=True)  # a stable id from an imported file, or generated
    title: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text, default="", server_default="")
    canonical_claim: Mapped[str] = mapped_column(Text)
    category: Mapped[str | None] = mapped_column(Text)
    severity: Mapped[str] = mapped_column(String(16), default="medium", server_default="medium")
    status: Mapped[str] = mapped_column(String(16), default="active", server_default="active", index=True)
    first_seen: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    __table_args__ = (
        CheckConstraint("severity IN ('low', 'medium', 'high', 'critical')", name="ck_narratives_severity"),
        CheckConstraint("status IN ('active', 'dormant', 'retired')", name="ck_narratives_status"),
    )


class NarrativeVariant(Base):
    """One wording of a narrative in one language; its passage embedding is kept for matching."""

    __tablename__ = "narrative_variants"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    narrative_id: Mapped[int] = mapped_column(ForeignKey("narratives.id", ondelete="CASCADE"), index=True)
    lang: Mapped[str | None] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(Text)
    embedding: Mapped[Any] = mapped_column(HALFVEC(EMBEDDING_DIM), nullable=True)


class NarrativeFact(Base):
    """A fact of the fact base that rebuts a narrative."""

    __tablename__ = "narrative_facts"

    narrative_id: Mapped[int] = mapped_column(ForeignKey("narratives.id", ondelete="CASCADE"), primary_key=True)
    fact_id: Mapped[int] = mapped_column(ForeignKey("facts.id", ondelete="CASCADE"), primary_key=True)


class NarrativeMatch(Base):
    """An article that carries a narrative: score, evidence sentence (with offsets into the
    article's text) and the analyst's decision."""

    __tablename__ = "narrative_matches"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    narrative_id: Mapped[int] = mapped_column(ForeignKey("narratives.id", ondelete="CASCADE"))
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    score: Mapped[float] = mapped_column(Float)
    sentence: Mapped[str] = mapped_column(Text)
    sentence_start: Mapped[int | None] = mapped_column(Integer)
    sentence_end: Mapped[int | None] = mapped_column(Integer)
    matched_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    status: Mapped[str] = mapped_column(String(16), default="pending", server_default="pending")
    decided_by: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        UniqueConstraint("narrative_id", "article_id", name="uq_narrative_matches_narrative_article"),
        CheckConstraint("status IN ('pending', 'confirmed', 'rejected')", name="ck_narrative_matches_status"),
        Index("ix_narrative_matches_narrative_status", "narrative_id", "status"),
    )


class MatchCalibration(Base):
    """The matching threshold in use, and how many analysts' decisions set it."""

    __tablename__ = "match_calibration"

    name: Mapped[str] = mapped_column(Text, primary_key=True)  # "narratives"
    threshold: Mapped[float] = mapped_column(Float)
    decisions: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
