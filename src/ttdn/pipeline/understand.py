"""Analysis stages over stored articles: relevance and places, embedding, topics.

Each factory loads its model once and returns a stage that fills its fields of a batch of
``Enrichment`` records in place. Stages never touch storage.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ttdn.records import Enrichment
from ttdn.settings import Settings

__all__ = ["EnrichStage", "embed", "relevance", "topics"]

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


def embed(settings: Settings) -> EnrichStage:
    from ttdn.models.embeddings import article_text, get_backend

    backend = get_backend(
        settings.embedding_backend, settings.embedding_model_dir, max_tokens=settings.embedding_max_tokens
    )

    def stage(items: list[Enrichment]) -> None:
        texts = [article_text(item.title, item.text, max_chars=settings.lead_chars) for item in items]
        for item, vector in zip(items, backend.embed_passages(texts), strict=True):
            item.embedding = vector

    return stage


def topics(settings: Settings) -> EnrichStage:
    from ttdn.models.topics import load_default

    model = load_default()

    def stage(items: list[Enrichment]) -> None:
        predictions = model.predict([f"{item.title}\n{item.text}" for item in items])
        for item, scored in zip(items, predictions, strict=True):
            chosen = [
                {"label": label, "score": round(score, 4)}
                for label, score in scored
                if score >= model.thresholds[label]
            ]
            item.topics = chosen

    return stage
