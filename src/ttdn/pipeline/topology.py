"""The pipeline topology, readable in two short functions.

    sources ─► collect / import ─► normalise ─► language ─► fingerprint ─► dedupe ─► store
    store ─► relevance & places ─► embedding ─► topics ─► tone ─► story ─► narratives ─► store (enrich)

``stages()`` is what every new article goes through on its way in; each stage takes a batch
of ``Article`` records and returns the ones that go on plus ``Rejection`` records for those
that cannot. ``enrich_stages()`` is the analysis of stored articles, run by ``ttdn enrich``
and by the worker inside ``ttdn serve``; each fills its fields of ``Enrichment`` records.
No stage knows how records are stored.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from ttdn.pipeline import narrative_stage, understand
from ttdn.pipeline.dedupe import DuplicateIndex, link_duplicates
from ttdn.pipeline.fingerprint import fingerprint
from ttdn.pipeline.language import identify_language
from ttdn.pipeline.narrative_stage import NarrativeRegistry
from ttdn.pipeline.normalise import normalise
from ttdn.pipeline.story import StoryIndex
from ttdn.pipeline.understand import EnrichStage
from ttdn.records import Article, RawArticle, Rejection
from ttdn.settings import Settings
from ttdn.store import Store

__all__ = ["BATCH_SIZE", "IngestSummary", "Stage", "enrich_stages", "ingest", "stages"]

logger = logging.getLogger(__name__)

Stage = Callable[[list[Article]], tuple[list[Article], list[Rejection]]]
BATCH_SIZE = 200
KEPT_REJECTIONS = 1000  # kept in memory for the summary; every rejection is stored


def stages(settings: Settings, index: DuplicateIndex) -> list[tuple[str, Stage]]:
    """The ordered ingest stages — the whole topology."""
    return [
        ("normalise", normalise),
        ("language", identify_language(settings.languages)),
        ("fingerprint", fingerprint(settings.near_duplicate_threshold)),
        ("dedupe", link_duplicates(index, settings.near_duplicate_threshold)),
    ]


def enrich_stages(
    settings: Settings, stories: StoryIndex, narratives: NarrativeRegistry | None
) -> list[tuple[str, EnrichStage]]:
    """The ordered analysis stages over stored articles (narrative matching unless
    ``narratives`` is None or ``narrative_max_sentences`` is 0)."""
    pipeline = [
        ("relevance", understand.relevance(settings)),
        ("embedding", understand.embed(settings)),
        ("topics", understand.topics(settings)),
        ("tone", understand.tone(settings)),
        ("story", understand.stories(settings, stories)),
    ]
    if narratives is not None and settings.narrative_max_sentences > 0:
        pipeline.append(("narratives", narrative_stage.narratives(settings, narratives)))
    return pipeline


@dataclass(slots=True)
class IngestSummary:
    run_id: str
    seen: int = 0
    stored: int = 0
    exact_duplicates: int = 0
    near_duplicates: int = 0
    already_stored: int = 0
    rejected: int = 0
    rejections: list[Rejection] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "run_id": self.run_id,
            "seen": self.seen,
            "stored": self.stored,
            "exact_duplicates": self.exact_duplicates,
            "near_duplicates": self.near_duplicates,
            "already_stored": self.already_stored,
            "rejected": self.rejected,
        }


def ingest(
    items: Iterable[RawArticle | Rejection],
    store: Store,
    settings: Settings,
    *,
    run_id: str | None = None,
    source_id: int | None = None,
    on_progress: Callable[[int], None] | None = None,
    batch_size: int = BATCH_SIZE,
) -> IngestSummary:
    """Run every item through the stages and store it, one committed batch at a time."""
    summary = IngestSummary(run_id=run_id or uuid.uuid4().hex)
    pipeline = stages(settings, store.articles)
    for batch in _batched(items, batch_size):
        raws = [item for item in batch if isinstance(item, RawArticle)]
        rejected = [item for item in batch if isinstance(item, Rejection)]
        articles = [Article(raw=raw) for raw in raws]
        for name, stage in pipeline:
            articles, stage_rejected = _run_stage(name, stage, articles)
            rejected.extend(stage_rejected)
        saved = store.articles.save(articles)
        store.sources.record_rejections(summary.run_id, rejected, source_id=source_id)
        passed_stages = len(batch) - len(rejected)
        summary.seen += len(batch)
        summary.stored += saved.inserted
        summary.exact_duplicates += saved.exact_duplicates
        summary.near_duplicates += saved.near_duplicates
        summary.already_stored += passed_stages - saved.inserted  # same url_key already there
        summary.rejected += len(rejected)
        summary.rejections.extend(rejected[: max(0, KEPT_REJECTIONS - len(summary.rejections))])
        if on_progress is not None:
            on_progress(len(batch))
    return summary


def _run_stage(name: str, stage: Stage, articles: list[Article]) -> tuple[list[Article], list[Rejection]]:
    """Run a stage on the batch; if it fails, run it article by article to isolate the culprit."""
    if not articles:
        return articles, []
    try:
        return stage(articles)
    except Exception:
        logger.exception("stage %s failed on a batch; retrying one article at a time", name)
    kept: list[Article] = []
    rejected: list[Rejection] = []
    for article in articles:
        try:
            ok, bad = stage([article])
        except Exception as exc:  # recorded with its reason, the rest goes on
            rejected.append(
                Rejection(origin=article.raw.origin, reason=f"{name} stage failed: {exc!r}", kind="internal")
            )
            continue
        kept.extend(ok)
        rejected.extend(bad)
    return kept, rejected


def _batched(items: Iterable[RawArticle | Rejection], size: int) -> Iterator[list[RawArticle | Rejection]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch
