"""Analysis stages over stored articles: relevance and places, embedding, topics.

Each factory loads its model once and returns a stage that fills its fields of a batch of
``Enrichment`` records in place. Stages never touch storage.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ttdn.records import Enrichment
from ttdn.settings import Settings

if TYPE_CHECKING:
    from ttdn.pipeline.story import StoryIndex

__all__ = ["EnrichStage", "embed", "relevance", "stories", "tone", "topics"]

EnrichStage = Callable[[list[Enrichment]], None]
MAX_MENTIONS = 200  # kept per article, for highlighting


def relevance(settings: Settings) -> EnrichStage:
    from ttdn.understand.gazetteer import Gazetteer
    from ttdn.understand.relevance import relevance_score

    gazetteer = Gazetteer.load()

    def stage(items: list[Enrichment]) -> None:
        for item in items:
            result = relevance_score(item.title, item.text, gazetteer)
            mentions: list[dict[str, Any]] = [
                {
                    "field": "title" if index < result.in_title else "text",
                    "start": m.start,
                    "end": m.end,
                    "kind": m.kind,
                    "id": m.id,
                    "name": m.name,
                }
                for index, m in enumerate(result.mentions[:MAX_MENTIONS])
            ]
            item.relevance = result.score
            item.places = {"provinces": result.provinces, "countries": result.countries, "mentions": mentions}

    return stage


def _backend(settings: Settings) -> Any:
    from ttdn.models.embeddings import get_backend

    return get_backend(
        settings.embedding_backend, settings.embedding_model_dir, max_tokens=settings.embedding_max_tokens
    )


def embed(settings: Settings) -> EnrichStage:
    from ttdn.models.embeddings import article_text

    backend = _backend(settings)

    def stage(items: list[Enrichment]) -> None:
        texts = [article_text(item.title, item.text, max_chars=settings.lead_chars) for item in items]
        for item, vector in zip(items, backend.embed_passages(texts), strict=True):
            item.embedding = vector

    return stage


def topics(settings: Settings) -> EnrichStage:
    """Topics from the article's words and its embedding (the vector the embedding stage stored,
    when it is the one the model was trained with; otherwise the model embeds the text itself).

    The model is the one retrained on analysts' corrections, else the shipped one, looked up
    for every batch: a running worker picks up ``ttdn topics retrain`` without a restart."""
    import numpy as np

    from ttdn.models.embeddings import ARTICLE_CHARS
    from ttdn.models.topic_corrections import model_for
    from ttdn.models.topics import ArticleEmbeddings

    stored = ArticleEmbeddings(_backend(settings)).name if settings.lead_chars == ARTICLE_CHARS else None

    def stage(items: list[Enrichment]) -> None:
        model = model_for(settings.data_dir)
        reuse = model.extra is not None and model.extra.name == stored
        vectors = [item.embedding for item in items]
        dense = np.stack(vectors) if reuse and all(v is not None for v in vectors) else None
        predictions = model.predict([f"{item.title}\n{item.text}" for item in items], dense=dense)
        for item, scored in zip(items, predictions, strict=True):
            chosen = [
                {"label": label, "score": round(score, 4)}
                for label, score in scored
                if score >= model.thresholds[label]
            ]
            item.topics = chosen

    return stage


def tone(settings: Settings) -> EnrichStage:
    """Tone toward ``settings.tone_target`` for the articles that are about Vietnam.

    Each scored mention costs one embedding, so only relevant articles are scored and only
    their first ``tone_max_sentences`` sentences that mention the target.
    """
    from ttdn.models.tone import default_model
    from ttdn.understand.relevance import THRESHOLD

    model = default_model()

    def stage(items: list[Enrichment]) -> None:
        chosen = [item for item in items if (item.relevance or 0.0) >= THRESHOLD]
        results = model.articles_tone(
            [(f"{item.title}\n{item.text}", settings.tone_target) for item in chosen],
            max_sentences=settings.tone_max_sentences,
        )
        for item, result in zip(chosen, results, strict=True):
            if not result.evidence:
                continue  # no sentence names the target: no tone rather than a made-up neutral
            item.tone = round(result.tone, 4)
            offset = len(item.title) + 1  # evidence offsets are into "title\ntext"
            item.tone_evidence = [
                {
                    "field": "title" if e.start < offset else "text",
                    "start": e.start if e.start < offset else e.start - offset,
                    "end": e.end if e.start < offset else e.end - offset,
                    "sentence": e.sentence,
                    "polarity": e.polarity,
                    "score": round(e.score, 4),
                }
                for e in result.evidence
            ]

    return stage


def stories(settings: Settings, index: StoryIndex) -> EnrichStage:
    from ttdn.models.stories_batch import reference_means
    from ttdn.pipeline.story import LanguageMeans, assign_stories

    means = LanguageMeans(index.language_sums, reference_means(_backend(settings)))
    return assign_stories(index, means, settings.story_threshold, settings.story_window_hours)
