"""Stage: assign each article to a story, online and across languages.

Articles of the batch are taken in publication order; each joins the nearest story active
within the time window when the cosine similarity of its title + lead embedding with the
story centroid reaches the threshold, or opens a new story. Storage is reached only
through ``StoryIndex``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol

import numpy as np

from ttdn.pipeline.understand import EnrichStage
from ttdn.records import Enrichment

__all__ = ["StoryIndex", "assign_stories"]


class StoryIndex(Protocol):
    def nearest(self, vector: np.ndarray, since: datetime) -> tuple[int, float] | None: ...

    def open(
        self, article_id: int, vector: np.ndarray, title: str, at: datetime, lang: str | None, countries: list[str],
        tone: float | None,
    ) -> int: ...  # fmt: skip

    def join(
        self, story_id: int, article_id: int, vector: np.ndarray, title: str, at: datetime, lang: str | None,
        countries: list[str], tone: float | None,
    ) -> None: ...  # fmt: skip


def assign_stories(index: StoryIndex, threshold: float, window_hours: float) -> EnrichStage:
    window = timedelta(hours=window_hours)

    def stage(items: list[Enrichment]) -> None:
        epoch = datetime.min.replace(tzinfo=UTC)
        for item in sorted(items, key=lambda i: (i.published_at or epoch, i.article_id)):
            if item.embedding is None:
                continue
            vector = np.asarray(item.embedding, dtype=np.float32)
            at = item.published_at or datetime.now(UTC)
            countries = list((item.places or {}).get("countries", []))
            match = index.nearest(vector, at - window)
            if match is not None and match[1] >= threshold:
                index.join(match[0], item.article_id, vector, item.title, at, item.lang, countries, item.tone)
                item.story_id = match[0]
            else:
                item.story_id = index.open(item.article_id, vector, item.title, at, item.lang, countries, item.tone)

    return stage
