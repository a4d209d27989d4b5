"""Stage: which known narratives does an article repeat? (after ``story``)

For each article about Vietnam (relevance at least the relevance threshold, as for tone) the
title and the text are split into sentences (`ttdn.models.tone.split_sentences`); the first
``narrative_max_sentences`` of at least ``MIN_SENTENCE_CHARS`` characters, title first, are
scored against the active narratives of the registry (`ttdn.kb.matching.NarrativeIndex`: the
e5 query embedding of the sentence against each narrative's wordings in every language, plus
the lexical score). Each narrative whose best sentence reaches the calibrated threshold is a
hit with that score, that sentence and its offsets in the article's text (None when it is the
title). The registry stores the hits (`NarrativeRegistry.record_matches`), as the story stage
stores stories through `StoryIndex`.

Cost: the sentence embeddings (≈ 350 sentences/s on two cores with the engine built here, ≈ 75
with the wheel's), so only relevant articles are scored, sentences are capped, and a sentence
seen recently (boilerplate, wire copies, a re-enrichment) reuses the vector its backend kept.
A lexical prefilter was measured and left out: on the project's labelled set it keeps 89 % of
the true claim sentences while still passing 77 % of unrelated ones, and it drops the
cross-language matches (a French sentence repeating a narrative written only in Vietnamese
shares almost no character n-grams with it).
With no active narrative the stage costs nothing. The narratives' own vectors are stored in
the registry; the index is rebuilt only when the registry's version changes.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING, Protocol

import numpy as np

from ttdn.kb.narrative_matches import ArticleMatches, Calibration, NarrativeHit
from ttdn.pipeline.understand import EnrichStage
from ttdn.records import Enrichment
from ttdn.settings import Settings

if TYPE_CHECKING:
    from ttdn.kb.narrative_index import LoadedIndex
    from ttdn.models.embeddings import EmbeddingBackend

__all__ = ["MIN_SENTENCE_CHARS", "NarrativeRegistry", "article_sentences", "narratives"]

MIN_SENTENCE_CHARS = 12  # shorter pieces (datelines, captions, "Photo: AFP") carry no claim


class NarrativeRegistry(Protocol):
    """What the stage needs from the registry (`ttdn.kb.narratives.NarrativeStore`)."""

    def version(self) -> Hashable: ...

    def load_index(self, backend: EmbeddingBackend | None = None) -> LoadedIndex | None: ...

    def threshold(self) -> Calibration: ...

    def record_matches(self, results: Sequence[ArticleMatches], scored: Sequence[int]) -> None: ...


def article_sentences(title: str, text: str, limit: int) -> list[tuple[str, int | None, int | None]]:
    """``(sentence, start, end)`` of the title's sentences (start/end None), then the text's
    (offsets into ``text``); pieces shorter than ``MIN_SENTENCE_CHARS`` skipped; at most ``limit``."""
    from ttdn.models.tone import split_sentences

    out: list[tuple[str, int | None, int | None]] = []
    for field, body in (("title", title), ("text", text)):
        for a, b in split_sentences(body):
            if len(out) >= limit:
                return out
            if b - a >= MIN_SENTENCE_CHARS:
                out.append((body[a:b], None, None) if field == "title" else (body[a:b], a, b))
    return out


def narratives(settings: Settings, registry: NarrativeRegistry) -> EnrichStage:
    """The narrative matching stage over ``registry`` (see the module doc)."""
    from ttdn.kb.narrative_index import narrative_backend
    from ttdn.understand.relevance import THRESHOLD

    backend = narrative_backend(settings)
    current: dict[str, object] = {"version": object(), "index": None}

    def loaded() -> LoadedIndex | None:
        version = registry.version()
        if version != current["version"]:
            current["index"] = registry.load_index(backend)
            current["version"] = version
        return current["index"]  # type: ignore[return-value]

    def stage(items: list[Enrichment]) -> None:
        index = loaded()
        if index is None:
            return  # no active narrative: nothing to score, nothing to clean up
        threshold = registry.threshold().threshold
        spans: list[tuple[int, int]] = []
        found: list[tuple[str, int | None, int | None]] = []
        for item in items:
            start = len(found)
            if (item.relevance or 0.0) >= THRESHOLD:
                found.extend(article_sentences(item.title, item.text, settings.narrative_max_sentences))
            spans.append((start, len(found)))
        texts = [sentence for sentence, _, _ in found]
        scores = (
            index.index.scores(texts, queries=backend.embed_queries(texts))
            if texts
            else np.zeros((0, len(index.index)))
        )
        results: list[ArticleMatches] = []
        for item, (lo, hi) in zip(items, spans, strict=True):
            hits: list[NarrativeHit] = []
            if hi > lo:
                block = scores[lo:hi]
                rows = block.argmax(axis=0)
                best = block[rows, np.arange(block.shape[1])]
                for j in np.flatnonzero(best >= threshold):
                    sentence, a, b = found[lo + int(rows[j])]
                    hits.append(NarrativeHit(index.narrative_ids[j], float(best[j]), sentence, a, b))
            results.append(ArticleMatches(item.article_id, item.published_at, hits))
        registry.record_matches(results, index.narrative_ids)

    return stage
