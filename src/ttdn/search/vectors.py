"""Query vectors for the vector half of search: enrichment's embedding backend, per query text cached.

The same query typed by many users (or paged through, or exported) is embedded once per
process: `query_embedder` returns a function that keeps the last `CACHED_QUERIES` vectors
(read-only arrays). One backend serves the web pages and the API.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from pathlib import Path

import numpy as np

from ttdn.errors import TTDNError
from ttdn.settings import Settings

__all__ = ["CACHED_QUERIES", "query_embedder"]

log = logging.getLogger(__name__)

CACHED_QUERIES = 4096


@functools.lru_cache(maxsize=CACHED_QUERIES)
def _query_vector(name: str, model_dir: Path | None, max_tokens: int, text: str) -> np.ndarray:
    from ttdn.models.embeddings import get_backend

    vector: np.ndarray = get_backend(name, model_dir, max_tokens=max_tokens).embed_queries([text])[0]
    vector.setflags(write=False)  # shared by every caller of the cache
    return vector


def query_embedder(settings: Settings) -> Callable[[str], np.ndarray] | None:
    """Embeds a query with enrichment's backend (loaded once per process); None if it cannot load."""
    from ttdn.models.embeddings import get_backend

    model_dir = None if settings.embedding_model_dir is None else Path(settings.embedding_model_dir)
    try:
        get_backend(settings.embedding_backend, model_dir, max_tokens=settings.embedding_max_tokens)
    except TTDNError as exc:
        log.warning("search without the vector half: %s", exc.reason)
        return None
    return functools.partial(_query_vector, settings.embedding_backend, model_dir, settings.embedding_max_tokens)
