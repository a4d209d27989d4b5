"""Stage: the identities dedupe compares — canonical URL, exact content hash, MinHash bands.

* canonical URL: courlan's strict normalisation (lower-case host, no fragment, tracking
  parameters such as ``utm_*``, ``fbclid`` and ``gclid`` stripped);
* content hash: SHA-256 of the folded title and text with whitespace collapsed;
* MinHash (datasketch, 128 permutations) over 5-token shingles of the folded text (words;
  single characters in Chinese, Japanese, Korean, Thai, Lao, Khmer), cut into
  LSH bands whose parameters datasketch chooses for the near-duplicate threshold.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from functools import lru_cache

import numpy as np
from courlan import normalize_url
from datasketch import MinHash
from datasketch.lsh import _optimal_param

from ttdn.records import Article, Rejection
from ttdn.text.normalize import fold

__all__ = [
    "NUM_PERM",
    "canonical_url",
    "estimate_jaccard",
    "fingerprint",
    "lsh_params",
    "url_key",
]

NUM_PERM = 128
SHINGLE_WORDS = 5
# scripts written without spaces between words: each character is a token, so shingles
# become character 5-grams there (CJK, kana, hangul syllables, Thai, Lao, Khmer)
_TOKEN = re.compile(
    r"[\u0e00-\u0eff\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]|\w+"
)


def canonical_url(url: str | None) -> str | None:
    if not url:
        return None
    try:
        return str(normalize_url(url, strict=True))
    except (ValueError, TypeError):
        return url.strip()


def url_key(article: Article) -> str:
    """The article's identity: its canonical URL, or its content hash when it has none."""
    return article.canonical_url or f"sha256:{article.content_hash}"


@lru_cache(maxsize=8)
def lsh_params(threshold: float) -> tuple[int, int]:
    """(bands, rows per band) for ``threshold`` with 128 permutations."""
    bands, rows = _optimal_param(threshold, NUM_PERM, 0.5, 0.5)
    return int(bands), int(rows)


def _shingles(folded: str) -> list[bytes]:
    words = tokens(folded)
    if len(words) <= SHINGLE_WORDS:
        return [" ".join(words).encode()] if words else [b""]
    return [" ".join(words[i : i + SHINGLE_WORDS]).encode() for i in range(len(words) - SHINGLE_WORDS + 1)]


def tokens(folded: str) -> list[str]:
    """Words, or single characters in scripts written without spaces."""
    return _TOKEN.findall(folded)


def _band_hashes(hashvalues: np.ndarray, bands: int, rows: int) -> list[int]:
    out = []
    for band in range(bands):
        chunk = hashvalues[band * rows : (band + 1) * rows].tobytes()
        out.append(int.from_bytes(hashlib.blake2b(chunk, digest_size=8).digest(), "big", signed=True))
    return out


def estimate_jaccard(a: bytes, b: bytes) -> float:
    va = np.frombuffer(a, dtype=np.uint32)
    vb = np.frombuffer(b, dtype=np.uint32)
    if va.shape != vb.shape or va.size == 0:
        return 0.0
    return float(np.count_nonzero(va == vb)) / va.size


def fingerprint(threshold: float) -> Callable[[list[Article]], tuple[list[Article], list[Rejection]]]:
    bands, rows = lsh_params(threshold)

    def stage(articles: list[Article]) -> tuple[list[Article], list[Rejection]]:
        shingle_sets = []
        for article in articles:
            folded_text = fold(article.text_norm)
            folded_title = fold(article.title_norm)
            body = " ".join(folded_text.split())
            article.content_hash = hashlib.sha256(f"{folded_title}\n{body}".encode()).hexdigest()
            article.canonical_url = canonical_url(article.raw.url) or ""
            shingle_sets.append(_shingles(body or folded_title))
        # scheme and seed pinned: stored signatures must stay comparable across upgrades
        signatures = MinHash.bulk(shingle_sets, num_perm=NUM_PERM, seed=1, scheme="affine32")
        for article, signature in zip(articles, signatures, strict=True):
            values = signature.hashvalues.astype(np.uint32)
            article.minhash = values.tobytes()
            article.band_hashes = _band_hashes(values, bands, rows)
        return articles, []

    return stage
