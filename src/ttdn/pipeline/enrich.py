"""Running the analysis stages over stored articles: ``ttdn enrich`` and the serve worker.

Articles are claimed in small batches with ``FOR NO KEY UPDATE SKIP LOCKED`` (several workers
may share one database), run through the stages, and written back with ``enriched_at`` in the
same transaction: an interrupted run resumes where it stopped. An article on which a stage
fails gets ``enrich_error`` with the reason and does not block the others.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, bindparam, func, select, text, update

from ttdn.pipeline.understand import EnrichStage
from ttdn.records import Enrichment
from ttdn.store import Store
from ttdn.store.tables import Article
from ttdn.store.vectors import vector_literal

__all__ = ["EnrichSummary", "enrich", "pending_count", "reset"]

logger = logging.getLogger(__name__)


@dataclass(slots=True)
class EnrichSummary:
    enriched: int = 0
    failed: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"enriched": self.enriched, "failed": self.failed}


def pending_count(store: Store) -> int:
    query = select(func.count()).select_from(Article).where(Article.enriched_at.is_(None))
    with store.database.engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def reset(store: Store, *, failed_only: bool = False) -> int:
    """Mark articles for (re)processing: all of them, or those that failed."""
    statement = update(Article).values(enriched_at=None, enrich_error=None)
    if failed_only:
        statement = statement.where(Article.enrich_error.is_not(None))
    with store.database.engine.begin() as conn:
        return int(conn.execute(statement).rowcount)


def enrich(
    store: Store,
    stages: Sequence[tuple[str, EnrichStage]],
    *,
    batch_size: int = 32,
    limit: int | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> EnrichSummary:
    summary = EnrichSummary()
    while limit is None or summary.enriched + summary.failed < limit:
        size = batch_size if limit is None else min(batch_size, limit - summary.enriched - summary.failed)
        with store.database.engine.begin() as conn:
            items = _claim(conn, size)
            if not items:
                break
            _run_stages(stages, items)
            _write(conn, items)
        failed = sum(1 for item in items if item.error)
        summary.failed += failed
        summary.enriched += len(items) - failed
        if on_progress is not None:
            on_progress(len(items))
    return summary


def _claim(conn: Connection, size: int) -> list[Enrichment]:
    query = (
        select(Article.id, Article.title, Article.text, Article.lang, Article.published_at, Article.collected_at)
        .where(Article.enriched_at.is_(None))
        .order_by(Article.id)
        .limit(size)
        # FOR NO KEY UPDATE: other workers skip these rows, and a stage may still write rows that
        # point at them (narrative_matches' foreign key takes KEY SHARE, which FOR UPDATE would block)
        .with_for_update(skip_locked=True, key_share=True)
    )
    return [
        Enrichment(article_id=id_, title=title, text=body, lang=lang, published_at=published or collected)
        for id_, title, body, lang, published, collected in conn.execute(query)
    ]


def _run_stages(stages: Sequence[tuple[str, EnrichStage]], items: list[Enrichment]) -> None:
    for name, stage in stages:
        alive = [item for item in items if item.error is None]
        if not alive:
            return
        try:
            stage(alive)
            continue
        except Exception:
            logger.exception("enrich stage %s failed on a batch; retrying one article at a time", name)
        for item in alive:
            try:
                stage([item])
            except Exception as exc:  # recorded on the article; the others go on
                item.error = f"{name}: {exc!r}"[:2000]


def _write(conn: Connection, items: list[Enrichment]) -> None:
    rows = [
        {
            "b_id": item.article_id,
            "b_relevance": item.relevance,
            "b_places": json.dumps(item.places) if item.places is not None else None,
            "b_embedding": None if item.embedding is None else vector_literal(item.embedding),
            "b_topics": json.dumps(item.topics) if item.topics is not None else None,
            "b_tone": item.tone,
            "b_tone_evidence": json.dumps(item.tone_evidence, ensure_ascii=False)
            if item.tone_evidence is not None
            else None,
            "b_story": item.story_id,
            "b_error": item.error,
        }
        for item in items
    ]
    conn.execute(
        text(
            "UPDATE articles SET relevance = :b_relevance, places = CAST(:b_places AS jsonb), "
            "embedding = CAST(:b_embedding AS halfvec), topics = CAST(:b_topics AS jsonb), tone = :b_tone, "
            "tone_evidence = CAST(:b_tone_evidence AS jsonb), story_id = :b_story, "
            "enrich_error = :b_error, enriched_at = now() WHERE id = :b_id"
        ).bindparams(bindparam("b_id")),
        rows,
    )
