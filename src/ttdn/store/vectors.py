"""Vectors as pgvector text literals, the one way the store sends them in raw SQL."""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["vector_literal"]


def vector_literal(vector: Iterable[float]) -> str:
    """``[0.1,0.2,…]`` for ``CAST(:v AS halfvec)`` (6 significant digits; halfvec keeps fewer)."""
    return "[" + ",".join(f"{float(x):.6g}" for x in vector) + "]"
