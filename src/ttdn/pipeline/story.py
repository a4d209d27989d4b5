"""Stage: assign each article to a story, online and across languages.

Articles of the batch are taken in publication order. Each title + lead embedding is first
*centred* on its language's mean vector and re-normalised: raw e5 vectors of two unrelated
headlines in one language are about as close as one story told in two languages, and
centring removes that language component (the finding behind ``ttdn.models.stories``).
The language means are running means over the stored articles, shrunk toward a built-in
reference (``reference_means``) while a language has few articles.

The active stories (seen within the time window) are held in memory as one matrix, so an
assignment is one matrix–vector product however many articles are stored; every join or new
story is written through ``StoryIndex`` and the set is reloaded from it every few minutes,
which picks up stories opened by other workers. The article joins the best active story
when its score — cosine with the centred centroid plus a bonus for stories told in other
languages, whose cosines run lower — reaches the threshold; otherwise it opens a story.
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

__all__ = ["ActiveStories", "LanguageMeans", "StoryIndex", "assign_stories"]

CANDIDATES = 5
REFRESH_SECONDS = 600.0


class StoryIndex(Protocol):
    def active(self, since: datetime) -> list[tuple[int, np.ndarray, dict[str, int], datetime]]: ...

    def language_sums(self) -> dict[str | None, tuple[np.ndarray, int]]: ...

    def open(
        self, article_id: int, vector: np.ndarray, title: str, at: datetime, lang: str | None, countries: list[str],
        tone: float | None,
    ) -> int: ...  # fmt: skip

    def join(
        self, story_id: int, article_id: int, vector: np.ndarray, title: str, at: datetime, lang: str | None,
        countries: list[str], tone: float | None,
    ) -> np.ndarray: ...  # fmt: skip


class ActiveStories:
    """The stories seen within the window, in memory: centroids as rows of one matrix."""

    def __init__(self, index: StoryIndex, window: timedelta) -> None:
        self.index = index
        self.window = window
        self.loaded_at = -REFRESH_SECONDS
        self.ids: list[int] = []
        self.buffer = np.zeros((0, 0), dtype=np.float32)  # rows beyond len(ids) are spare capacity
        self.lang_counts: list[dict[str, int]] = []
        self.last_seen: list[datetime] = []

    def _reload(self, at: datetime) -> None:
        rows = self.index.active(min(at, datetime.now(UTC)) - self.window)
        self.ids = [r[0] for r in rows]
        self.buffer = np.vstack([r[1] for r in rows]).astype(np.float32) if rows else np.zeros((0, 0), np.float32)
        self.lang_counts = [r[2] for r in rows]
        self.last_seen = [r[3] for r in rows]
        self.loaded_at = time.monotonic()

    def best(self, vector: np.ndarray, lang: str | None, at: datetime) -> tuple[float, int] | None:
        """(score, row) of the best active story for ``vector``, or None."""
        if time.monotonic() - self.loaded_at > REFRESH_SECONDS:
            self._reload(at)
        if not self.ids:
            return None
        scores = self.buffer[: len(self.ids)] @ vector
        since = at - self.window
        best: tuple[float, int] | None = None
        k = min(CANDIDATES * 4, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]  # the k best without sorting them all
        for row in top[np.argsort(-scores[top])]:
            if self.last_seen[row] < since:
                continue
            counts = self.lang_counts[row]
            size = sum(counts.values())
            other = 1.0 - counts.get(lang or "", 0) / size if size else 0.0
            score = float(scores[row]) + DEFAULT_CROSSLINGUAL_BONUS * other
            if best is None or score > best[0]:
                best = (score, int(row))
        return best

    def add(self, story_id: int, vector: np.ndarray, lang: str | None, at: datetime) -> None:
        if self.buffer.size == 0:
            self.buffer = np.zeros((64, vector.shape[0]), dtype=np.float32)
        elif len(self.ids) == self.buffer.shape[0]:  # grow by doubling: amortised O(1) per story
            self.buffer = np.vstack([self.buffer, np.zeros_like(self.buffer)])
        self.buffer[len(self.ids)] = vector
        self.ids.append(story_id)
        self.lang_counts.append({lang or "": 1})
        self.last_seen.append(at)

    def update(self, row: int, centroid: np.ndarray, lang: str | None, at: datetime) -> None:
        self.buffer[row] = centroid
        counts = self.lang_counts[row]
        counts[lang or ""] = counts.get(lang or "", 0) + 1
        self.last_seen[row] = max(self.last_seen[row], at)


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
    active = ActiveStories(index, timedelta(hours=window_hours))

    def stage(items: list[Enrichment]) -> None:
        epoch = datetime.min.replace(tzinfo=UTC)
        for item in sorted(items, key=lambda i: (i.published_at or epoch, i.article_id)):
            if item.embedding is None:
                continue
            vector = means.centre(np.asarray(item.embedding, dtype=np.float32), item.lang)
            at = item.published_at or datetime.now(UTC)
            countries = list((item.places or {}).get("countries", []))
            best = active.best(vector, item.lang, at)
            if best is not None and best[0] >= threshold:
                story_id = active.ids[best[1]]
                centroid = index.join(
                    story_id, item.article_id, vector, item.title, at, item.lang, countries, item.tone
                )
                active.update(best[1], centroid, item.lang, at)
            else:
                story_id = index.open(item.article_id, vector, item.title, at, item.lang, countries, item.tone)
                active.add(story_id, vector, item.lang, at)
            item.story_id = story_id

    return stage
