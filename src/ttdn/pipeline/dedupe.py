"""Stage: link each article to what it duplicates — nothing is dropped, every copy is kept.

* same canonical URL as a stored article: it *is* that article (the store skips it, so a
  rerun never creates a duplicate row);
* same content hash as another article: an ``exact`` duplicate of that article's group;
* MinHash estimate at or above the threshold with a candidate sharing an LSH band: a
  ``near`` duplicate (syndicated wire copy) of that candidate's group.

A group is its representative (the first copy stored) plus every article whose
``duplicate_of`` points at it. The stage sees storage only through ``DuplicateIndex``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

from ttdn.pipeline.fingerprint import estimate_jaccard, url_key
from ttdn.records import Article, Rejection

__all__ = ["DuplicateIndex", "StoredFingerprint", "link_duplicates"]


@dataclass(frozen=True, slots=True)
class StoredFingerprint:
    id: int
    group: int  # the representative's id (its own id when it is one)
    minhash: bytes


class DuplicateIndex(Protocol):
    def existing_url_keys(self, keys: Iterable[str]) -> set[str]: ...

    def by_content_hash(self, hashes: Iterable[str]) -> dict[str, StoredFingerprint]: ...

    def band_candidates(self, bands: Iterable[tuple[int, int]]) -> dict[tuple[int, int], list[StoredFingerprint]]: ...


@dataclass(slots=True)
class _Pending:
    """An article earlier in the same batch, not yet stored; ``index`` is its batch position."""

    index: int
    minhash: bytes


def link_duplicates(
    index: DuplicateIndex, threshold: float
) -> Callable[[list[Article]], tuple[list[Article], list[Rejection]]]:
    def stage(articles: list[Article]) -> tuple[list[Article], list[Rejection]]:
        keys = [url_key(a) for a in articles]
        known = index.existing_url_keys(keys)
        fresh: list[Article] = []
        seen_keys: set[str] = set()
        for article, key in zip(articles, keys, strict=True):
            if key in known or key in seen_keys:
                continue  # already stored (a rerun, or the same URL twice in one batch)
            seen_keys.add(key)
            fresh.append(article)

        stored_hashes = index.by_content_hash({a.content_hash for a in fresh})
        all_bands = {(band, h) for a in fresh for band, h in enumerate(a.band_hashes)}
        stored_bands = index.band_candidates(all_bands)
        batch_hashes: dict[str, int] = {}
        batch_bands: dict[tuple[int, int], list[_Pending]] = {}

        for position, article in enumerate(fresh):
            _link_one(article, position, stored_hashes, stored_bands, batch_hashes, batch_bands, threshold)
            batch_hashes.setdefault(article.content_hash, position)
            pending = _Pending(position, article.minhash)
            for band, h in enumerate(article.band_hashes):
                batch_bands.setdefault((band, h), []).append(pending)
        return fresh, []

    return stage


def _link_one(
    article: Article,
    position: int,
    stored_hashes: dict[str, StoredFingerprint],
    stored_bands: dict[tuple[int, int], list[StoredFingerprint]],
    batch_hashes: dict[str, int],
    batch_bands: dict[tuple[int, int], list[_Pending]],
    threshold: float,
) -> None:
    """Set ``duplicate_of`` (a stored id) or ``batch_duplicate_of`` (a position in this batch)."""
    exact = stored_hashes.get(article.content_hash)
    if exact is not None:
        article.duplicate_of, article.dup_kind = exact.group, "exact"
        return
    if article.content_hash in batch_hashes:
        article.batch_duplicate_of, article.dup_kind = batch_hashes[article.content_hash], "exact"
        return
    best: tuple[float, StoredFingerprint | _Pending] | None = None
    for band, h in enumerate(article.band_hashes):
        candidates: list[StoredFingerprint | _Pending] = [
            *stored_bands.get((band, h), []),
            *batch_bands.get((band, h), []),
        ]
        for candidate in candidates:
            score = estimate_jaccard(article.minhash, candidate.minhash)
            if score >= threshold and (best is None or score > best[0]):
                best = (score, candidate)
    if best is None:
        return
    article.dup_kind = "near"
    match = best[1]
    if isinstance(match, StoredFingerprint):
        article.duplicate_of = match.group
    else:
        article.batch_duplicate_of = match.index
