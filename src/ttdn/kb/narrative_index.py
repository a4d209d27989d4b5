"""The stored narratives as the matcher's index, without embedding them again.

Each wording of a narrative (``narrative_variants``: title, canonical claim, variants, in the
order `ttdn.kb.matching.Narrative.texts` gives them) keeps its e5 *passage* embedding.
:func:`embed_missing` embeds the rows that have none (after an add, edit or import);
:func:`load_index` builds a `NarrativeIndex` of the active narratives from the stored vectors.
Vectors carry no model stamp, so :func:`load_index` re-embeds one stored wording and compares:
a backend that disagrees (another model) gets every wording embedded again and stored.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from sqlalchemy import Engine, bindparam, text

from ttdn.store.vectors import vector_literal

if TYPE_CHECKING:
    from ttdn.kb.matching import NarrativeIndex
    from ttdn.models.embeddings import EmbeddingBackend
    from ttdn.settings import Settings

__all__ = ["LoadedIndex", "embed_missing", "load_index", "narrative_backend"]

EMBED_CHUNK = 256
SAME_MODEL_COSINE = 0.98  # the same model re-embedding a stored wording agrees to ≈ 1e-3 (halfvec)


@dataclass(frozen=True, slots=True)
class LoadedIndex:
    """The active narratives ready to match: the index (its ids are ``str(narrative id)``) and
    the narrative ids in the index's order."""

    index: NarrativeIndex
    narrative_ids: list[int]


def narrative_backend(settings: Settings | None = None) -> EmbeddingBackend:
    """The embedding backend for narratives and the sentences matched against them."""
    from ttdn.kb.matching import MAX_TOKENS
    from ttdn.models.embeddings import get_backend

    if settings is None:
        return get_backend(max_tokens=MAX_TOKENS)
    return get_backend(settings.embedding_backend, settings.embedding_model_dir, max_tokens=MAX_TOKENS)


def embed_missing(
    engine: Engine, backend: EmbeddingBackend | None = None, *, on_progress: Callable[[int], None] | None = None
) -> int:
    """Embed the wordings that have no vector yet; returns how many were embedded."""
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, text FROM narrative_variants WHERE embedding IS NULL ORDER BY id")).all()
    return _embed_rows(engine, rows, backend or narrative_backend(), on_progress)


def load_index(engine: Engine, backend: EmbeddingBackend | None = None) -> LoadedIndex | None:
    """The active narratives as a `NarrativeIndex` from the stored vectors (missing ones embedded
    and stored first); None when no narrative is active."""
    from ttdn.kb.matching import NarrativeIndex

    backend = backend or narrative_backend()
    embed_missing(engine, backend)
    rows = _active_rows(engine)
    if not rows:
        return None
    probe = backend.embed_passages([rows[0][2]])[0]
    if float(np.dot(probe, _parse_vectors([rows[0][3]])[0])) < SAME_MODEL_COSINE:
        with engine.connect() as conn:  # stored by another model: every wording again
            every = conn.execute(text("SELECT id, text FROM narrative_variants ORDER BY id")).all()
        _embed_rows(engine, every, backend, None)
        rows = _active_rows(engine)
        if not rows:
            return None
    ids: list[int] = []
    texts: list[list[str]] = []
    for nid, _, body, _ in rows:
        if not ids or ids[-1] != nid:
            ids.append(nid)
            texts.append([])
        texts[-1].append(body)
    vectors = _parse_vectors([r[3] for r in rows])
    return LoadedIndex(NarrativeIndex.from_vectors([str(i) for i in ids], texts, vectors, backend), ids)


def _active_rows(engine: Engine) -> list[tuple[Any, ...]]:
    query = text(
        "SELECT n.id, v.id, v.text, CAST(v.embedding AS text) FROM narratives n "
        "JOIN narrative_variants v ON v.narrative_id = n.id WHERE n.status = 'active' ORDER BY n.id, v.id"
    )
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(query)]


def _embed_rows(
    engine: Engine, rows: Sequence[Any], backend: EmbeddingBackend, on_progress: Callable[[int], None] | None
) -> int:
    statement = text("UPDATE narrative_variants SET embedding = CAST(:v AS halfvec) WHERE id = :b_id")
    statement = statement.bindparams(bindparam("b_id"))
    for start in range(0, len(rows), EMBED_CHUNK):
        chunk = rows[start : start + EMBED_CHUNK]
        vectors = backend.embed_passages([r[1] for r in chunk])
        with engine.begin() as conn:
            conn.execute(
                statement, [{"b_id": r[0], "v": vector_literal(v)} for r, v in zip(chunk, vectors, strict=True)]
            )
        if on_progress is not None:
            on_progress(len(chunk))
    return len(rows)


def _parse_vectors(literals: Sequence[str]) -> np.ndarray:
    """pgvector text literals ``[0.1,…]`` → one float32 matrix (parsed row by row in C: no
    Python float or string per number, so 15,000 narratives stay within a few hundred MB)."""
    first = np.fromstring(literals[0][1:-1], dtype=np.float32, sep=",")
    out = np.empty((len(literals), first.shape[0]), dtype=np.float32)
    out[0] = first
    for i in range(1, len(literals)):
        out[i] = np.fromstring(literals[i][1:-1], dtype=np.float32, sep=",")
    return out
