"""The small typed records that travel between stages.

Stages never know how records are stored: the store turns them into rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

__all__ = ["Article", "Enrichment", "RawArticle", "Rejection", "SourceSpec"]


@dataclass(slots=True)
class RawArticle:
    """An article as a source or an importer found it, before any processing.

    ``origin`` says where it came from (a page URL, or ``file.jsonl:17``) so any
    rejection can point back at it.
    """

    url: str | None
    title: str
    text: str
    published_at: datetime | None = None
    lang_hint: str | None = None
    authors: list[str] = field(default_factory=list)
    source_id: int | None = None
    source_name: str | None = None
    origin: str = ""


@dataclass(slots=True)
class Article:
    """An article on its way through the pipeline; each stage fills its own fields.

    ``title`` and ``text`` keep the original for display; ``*_norm`` are NFC with one
    Vietnamese tone-mark placement, the form every comparison uses.
    """

    raw: RawArticle
    canonical_url: str = ""
    title_norm: str = ""
    text_norm: str = ""
    lang: str | None = None
    lang_confidence: float = 0.0
    content_hash: str = ""
    minhash: bytes = b""
    band_hashes: list[int] = field(default_factory=list)
    # set by dedupe: the representative this article duplicates, and how
    duplicate_of: int | None = None
    batch_duplicate_of: int | None = None  # position of an earlier article in the same batch
    dup_kind: str | None = None  # None | "exact" | "near"


@dataclass(slots=True)
class Rejection:
    """An input that could not become an article, with where it was and why."""

    origin: str
    reason: str
    kind: str = "bad_input"


@dataclass(slots=True)
class SourceSpec:
    """A source as a user or a source list describes it, before it is stored.

    ``kind`` is ``feed`` (RSS, Atom, JSON Feed), ``sitemap`` (news sitemap) or ``page``
    (one page whose links are not followed). ``country`` is ISO 3166-1 alpha-2 of the
    outlet, ``lang`` ISO 639-1 of its content.
    """

    url: str
    name: str
    kind: str = "feed"
    country: str | None = None
    lang: str | None = None
    cadence_minutes: int | None = None


@dataclass(slots=True)
class Enrichment:
    """A stored article on its way through the analysis stages; each stage fills its fields.

    ``title`` and ``text`` are the originals, so character offsets (places, evidence) point
    into what the user sees. A stage that fails on this article sets ``error`` and the later
    stages leave it alone.
    """

    article_id: int
    title: str
    text: str
    lang: str | None = None
    published_at: datetime | None = None
    relevance: float | None = None
    places: dict[str, Any] | None = None
    embedding: Any = None  # numpy float32 vector
    topics: list[dict[str, Any]] | None = None
    tone: float | None = None
    tone_evidence: list[dict[str, Any]] | None = None
    story_id: int | None = None
    error: str | None = None
