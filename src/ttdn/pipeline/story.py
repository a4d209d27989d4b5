"""Stage: assign each article to a story, online and across languages.

Articles of the batch are taken in publication order. Each title + lead embedding is first
*centred* on its language's mean vector and re-normalised: raw e5 vectors of two unrelated
headlines in one language are about as close as one story told in two languages, and
centring removes that language component (the finding behind ``ttdn.models.stories``).
The language means are running means over the stored articles, shrunk toward a built-in
reference (``reference_means``) while a language has few articles.

The article joins the best of the nearest active stories (time window) when its score —
cosine with the centred centroid plus a bonus for stories told in other languages, whose
cosines run lower — reaches the threshold; otherwise it opens a new story. Storage is
reached only through ``StoryIndex``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Protocol

import numpy as np

from ttdn.models.stories import DEFAULT_CROSSLINGUAL_BONUS, MEAN_PRIOR
from ttdn.pipeline.understand import EnrichStage
from ttdn.records import Enrichment

__all__ = ["LanguageMeans", "StoryIndex", "assign_stories"]

CANDIDATES = 5
REFRESH_SECONDS = 600.0


class StoryIndex(Protocol):
    def nearest(self, vector: np.ndarray, since: datetime, k: int = 5) -> list[tuple[int, float, dict[str, int]]]: ...

    def language_sums(self) -> dict[str | None, tuple[np.ndarray, int]]: ...

    def open(
        self, article_id: int, vector: np.ndarray, title: str, at: datetime, lang: str | None, countries: list[str],
        tone: float | None,
    ) -> int: ...  # fmt: skip

    def join(
        self, story_id: int, article_id: int, vector: np.ndarray, title: str, at: datetime, lang: str | None,
        countries: list[str], tone: float | None,
    ) -> None: ...  # fmt: skip


class LanguageMeans:
    """Running per-language means of the stored embeddings, shrunk toward a reference prior."""

    def __init__(
        self, load: Callable[[], dict[str | None, tuple[np.ndarray, int]]], prior: dict[str | None, np.ndarray]
    ):
        self.load = load
        self.prior = prior
        self.sums: dict[str | None, tuple[np.ndarray, int]] = {}
        self.loaded_at = -REFRESH_SECONDS

    def centre(self, vector: np.ndarray, lang: str | None) -> np.ndarray:
        if time.monotonic() - self.loaded_at > REFRESH_SECONDS:
            self.sums = self.load()
            self.loaded_at = time.monotonic()
        total, count = self.sums.get(lang, (np.zeros_like(vector), 0))
        base = self.prior.get(lang, self.prior[None])
        mean = (total + MEAN_PRIOR * base) / (count + MEAN_PRIOR)
        self.sums[lang] = (total + vector, count + 1)
        centred = vector - mean
        return (centred / max(float(np.linalg.norm(centred)), 1e-9)).astype(np.float32)


def assign_stories(index: StoryIndex, means: LanguageMeans, threshold: float, window_hours: float) -> EnrichStage:
    window = timedelta(hours=window_hours)

    def stage(items: list[Enrichment]) -> None:
        epoch = datetime.min.replace(tzinfo=UTC)
        for item in sorted(items, key=lambda i: (i.published_at or epoch, i.article_id)):
            if item.embedding is None:
                continue
            vector = means.centre(np.asarray(item.embedding, dtype=np.float32), item.lang)
            at = item.published_at or datetime.now(UTC)
            countries = list((item.places or {}).get("countries", []))
            best: tuple[float, int] | None = None
            for story_id, cosine, lang_counts in index.nearest(vector, at - window, CANDIDATES):
                size = sum(lang_counts.values())
                other = 1.0 - lang_counts.get(item.lang or "", 0) / size if size else 0.0
                score = cosine + DEFAULT_CROSSLINGUAL_BONUS * other
                if best is None or score > best[0]:
                    best = (score, story_id)
            if best is not None and best[0] >= threshold:
                index.join(best[1], item.article_id, vector, item.title, at, item.lang, countries, item.tone)
                item.story_id = best[1]
            else:
                item.story_id = index.open(item.article_id, vector, item.title, at, item.lang, countries, item.tone)

    return stage
