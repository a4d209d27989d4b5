"""Claim matching: which known false or distorted narratives does a claim or a sentence repeat?

A :class:`Narrative` is one known claim with its texts: the main ``text`` (the canonical
claim), an optional ``title`` and any other text fields that should count (``summary``,
``variants`` in other languages …). :meth:`NarrativeIndex.build` keeps, per narrative:

* one e5 *passage* embedding per distinct text (title, claim, each variant: several rows per
  narrative, stored contiguously), and
* a lexical index over the same texts, folded (:func:`ttdn.text.normalize.fold`: no
  diacritics, one Vietnamese tone placement): TF-IDF of word 1–2-grams and of character
  2–4-grams (``char_wb``, which also covers Chinese and Japanese, written without spaces),
  hashed (:class:`~sklearn.feature_extraction.text.HashingVectorizer`, stateless), sublinear
  tf, smoothed idf from the index itself, each block L2-normalised.

:meth:`NarrativeIndex.match` embeds each claim as an e5 *query* and scores every narrative::

    emb   = (1 - MEAN_WEIGHT) · max cos + MEAN_WEIGHT · mean cos    over the narrative's rows
    e     = clip((emb - EMB_LO) / (EMB_HI - EMB_LO), 0, 1)           e5 cosines live in ≈ 0.7–0.95
    lex   = max over rows of (WORD_WEIGHT · word cos + (1 - WORD_WEIGHT) · char cos)
    score = clip(EMB_WEIGHT · e + (1 - EMB_WEIGHT) · lex, 0, 1)

monotone in every cosine. The embedding carries the cross-lingual matches (a Vietnamese
claim finds an English narrative); the lexical part adds same-language precision (near-miss
narratives on the same topic that differ in their assertion). The constants were chosen on
the dev half of ``tests/fixtures/narratives`` (MAP@5), and :data:`DEFAULT_THRESHOLD` to
maximise F1 there; :func:`calibrate_threshold` re-fits the threshold from analysts' decisions.

A built index is saved as ``vectors.npz`` + ``manifest.json`` (format version, embedding
``model_id``); :meth:`NarrativeIndex.load` refuses another format or model with
:class:`~ttdn.errors.ConfigError`. :func:`match_jsonl` is the batch tool over JSONL files.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer

from ttdn.errors import BadInput, ConfigError
from ttdn.jsonl import id_and_text, read_json_lines
from ttdn.models.embeddings import EmbeddingBackend, get_backend
from ttdn.records import Rejection
from ttdn.text.normalize import fold

__all__ = [
    "DEFAULT_THRESHOLD",
    "FORMAT_VERSION",
    "Match",
    "Narrative",
    "NarrativeIndex",
    "calibrate_threshold",
    "is_match",
    "match_jsonl",
]

FORMAT_VERSION = 1
MAX_TOKENS = 128  # narratives and claims are a sentence or two; longer texts are cut
# Score constants, tuned on the dev half of tests/fixtures/narratives (see the module doc).
# On that set the mean cosine over a narrative's texts (title, claim, variants in other
# languages) ranks far better than the max (dev MAP@5 0.99 vs 0.90): the max favours whichever
# narrative has a variant in the claim's own language; the mean, a multilingual centroid, does not.
EMB_LO = 0.72
EMB_HI = 0.86
MEAN_WEIGHT = 1.0
EMB_WEIGHT = 0.6
WORD_WEIGHT = 0.3
DEFAULT_THRESHOLD = 0.58
PRIOR_DECISIONS = 20  # calibrate_threshold: weight of the default threshold, in decisions

N_FEATURES = 2**20
_BATCH = 64  # claims scored together: bounds the (claims × vectors) score matrices
_TEXT_SKIP = frozenset({"id", "text", "title"})

Progress = Callable[[int], None]

_HASHING: dict[str, Any] = {"n_features": N_FEATURES, "alternate_sign": False, "norm": None, "lowercase": False}
_WORD = HashingVectorizer(
    analyzer="word", ngram_range=(1, 2), token_pattern=r"(?u)\b\w+\b", dtype=np.float32, **_HASHING
)
_CHAR = HashingVectorizer(analyzer="char_wb", ngram_range=(2, 4), dtype=np.float32, **_HASHING)


@dataclass(frozen=True, slots=True)
class Narrative:
    """A known false or distorted narrative.

    ``text`` is the canonical claim; ``fields`` holds the other texts that count, by name:
    ``"title"``, ``"summary"``, ``"variants"`` (a list of strings, e.g. in other languages) …
    Each string (and each list item) is embedded separately.
    """

    id: str
    text: str
    fields: Mapping[str, str | Sequence[str]] = field(default_factory=dict)

    def texts(self) -> list[str]:
        """Title, text, then the other fields in order; blanks and repeats (after folding) dropped."""
        out: list[str] = []
        seen: set[str] = set()
        title = self.fields.get("title")
        items: list[Any] = [title, self.text]
        for name, value in self.fields.items():
            if name in _TEXT_SKIP:
                continue
            items.extend([value] if isinstance(value, str) else list(value))
        for item in items:
            if not isinstance(item, str) or not item.strip():
                continue
            key = " ".join(fold(item).split())
            if key not in seen:
                seen.add(key)
                out.append(item)
        return out


@dataclass(frozen=True, slots=True)
class Match:
    """One narrative a claim repeats: its id and a score in [0, 1] (see :func:`is_match`)."""

    id: str
    score: float


def is_match(score: float, threshold: float = DEFAULT_THRESHOLD) -> bool:
    """Whether a match score means "this claim repeats that narrative"."""
    return score >= threshold


def calibrate_threshold(
    decisions: Sequence[tuple[float, bool]], *, prior: float = DEFAULT_THRESHOLD, prior_weight: float = PRIOR_DECISIONS
) -> float:
    """Re-fit the match threshold from analysts' ``(score, confirmed)`` decisions.

    The fitted threshold is the one with the best F1 of "score ≥ threshold" against the
    decisions (the midpoint between two neighbouring scores; among ties, the nearest to
    ``prior``). With only rejections it is just above the highest rejected score; with only
    confirmations, just below the lowest confirmed one. Few decisions are noisy, so the result
    is shrunk toward ``prior``: ``(n · fitted + prior_weight · prior) / (n + prior_weight)``
    for ``n`` decisions — with the default weight (20), 20 decisions move it half-way, 180
    decisions 90 %. No decisions give ``prior``. Scores outside [0, 1] → BadInput.
    """
    if not decisions:
        return prior
    scores = np.array([float(s) for s, _ in decisions], dtype=np.float64)
    labels = np.array([bool(c) for _, c in decisions])
    if not np.all(np.isfinite(scores)) or scores.min() < 0 or scores.max() > 1:
        raise BadInput("decision scores must be numbers in [0, 1]")
    eps = 1e-6
    if labels.all():
        fitted = max(scores.min() - eps, 0.0)
    elif not labels.any():
        fitted = min(scores.max() + eps, 1.0)
    else:
        distinct = np.unique(scores)
        cands = np.concatenate([[distinct[0] - eps], (distinct[:-1] + distinct[1:]) / 2, [distinct[-1] + eps]])
        pred = scores[None, :] >= cands[:, None]
        tp = (pred & labels).sum(axis=1)
        fp = (pred & ~labels).sum(axis=1)
        fn = (~pred & labels).sum(axis=1)
        f1 = 2 * tp / np.maximum(2 * tp + fp + fn, 1)
        best = np.flatnonzero(f1 >= f1.max() - 1e-12)
        fitted = float(cands[best[np.argmin(np.abs(cands[best] - prior))]])
        fitted = min(max(fitted, 0.0), 1.0)
    n = len(decisions)
    return float((n * fitted + prior_weight * prior) / (n + prior_weight))


def _raw_counts(texts: Sequence[str]) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    folded = [fold(t) for t in texts]
    return sp.csr_matrix(_WORD.transform(folded)), sp.csr_matrix(_CHAR.transform(folded))


def _idf(counts: sp.csr_matrix) -> np.ndarray:
    n = counts.shape[0]
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    return (np.log((1.0 + n) / (1.0 + df)) + 1.0).astype(np.float32)


def _weigh(counts: sp.csr_matrix, idf: np.ndarray) -> sp.csr_matrix:
    """Sublinear tf × idf, rows L2-normalised (empty rows stay zero)."""
    x = counts.astype(np.float32, copy=True)
    x.data = (1.0 + np.log(x.data)) * idf[x.indices]
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags((1.0 / norms).astype(np.float32)) @ x)


class NarrativeIndex:
    """Known narratives, embedded and indexed for :meth:`match`. Build with :meth:`build` or :meth:`load`."""

    def __init__(
        self,
        ids: list[str],
        starts: np.ndarray,
        vectors: np.ndarray,
        word_counts: sp.csr_matrix,
        char_counts: sp.csr_matrix,
        backend: EmbeddingBackend,
    ) -> None:
        self.ids = ids
        self.backend = backend
        self._starts = starts.astype(np.int64)
        self._counts = np.diff(np.append(self._starts, vectors.shape[0])).astype(np.float32)
        self._vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        sums = np.add.reduceat(self._vectors, self._starts, axis=0) if len(ids) else self._vectors[:0]
        self._centroids = np.ascontiguousarray(sums / self._counts[:, None], dtype=np.float32)
        self._word_counts, self._char_counts = word_counts, char_counts
        self._word_idf, self._char_idf = _idf(word_counts), _idf(char_counts)
        self._word_t = _weigh(word_counts, self._word_idf).T.tocsr()
        self._char_t = _weigh(char_counts, self._char_idf).T.tocsr()

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def n_vectors(self) -> int:
        return int(self._vectors.shape[0])

    @classmethod
    def build(
        cls,
        narratives: Iterable[Narrative],
        *,
        backend: EmbeddingBackend | None = None,
        on_progress: Progress | None = None,
    ) -> NarrativeIndex:
        """Embed and index ``narratives``; ``on_progress(n)`` is called with the number of
        narratives just finished. Duplicate ids or an empty ``text`` → BadInput naming the ids."""
        items = list(narratives)
        if not items:
            raise BadInput("no narratives to index")
        dups = sorted(nid for nid, count in Counter(n.id for n in items).items() if count > 1)
        if dups:
            raise BadInput(f"duplicate narrative ids: {', '.join(dups[:20])}" + (" …" if len(dups) > 20 else ""))
        empty = [n.id for n in items if not isinstance(n.text, str) or not n.text.strip()]
        if empty:
            raise BadInput(
                f"narratives with an empty text: {', '.join(empty[:20])}" + (" …" if len(empty) > 20 else "")
            )
        backend = backend or get_backend(max_tokens=MAX_TOKENS)
        texts: list[str] = []
        starts = np.zeros(len(items), dtype=np.int64)
        for i, narrative in enumerate(items):
            starts[i] = len(texts)
            texts.extend(narrative.texts())
        ends = np.append(starts[1:], len(texts))
        done = [0]

        def advance(rows_done: int) -> None:
            finished = int(np.searchsorted(ends, rows_done, side="right"))
            if on_progress is not None and finished > done[0]:
                on_progress(finished - done[0])
                done[0] = finished

        vectors = backend.embed_passages(texts, on_progress=advance)
        return cls.from_vectors([n.id for n in items], [n.texts() for n in items], vectors, backend)

    @classmethod
    def from_vectors(
        cls, ids: list[str], texts: Sequence[Sequence[str]], vectors: np.ndarray, backend: EmbeddingBackend
    ) -> NarrativeIndex:
        """An index from passage vectors embedded earlier (``backend``'s model): ``texts[i]`` are
        narrative ``ids[i]``'s texts (as :meth:`Narrative.texts` gives them), ``vectors`` their
        rows in the same order. Nothing is embedded: the lexical half is rebuilt from the texts."""
        counts = [len(t) for t in texts]
        if not ids:
            raise BadInput("no narratives to index")
        if len(ids) != len(texts) or min(counts) < 1 or sum(counts) != vectors.shape[0]:
            raise BadInput("narrative ids, texts and vectors disagree (every narrative needs a text)")
        starts = np.cumsum([0, *counts[:-1]], dtype=np.int64)
        word, char = _raw_counts([t for group in texts for t in group])
        return cls(ids, starts, vectors, word, char, backend)

    def _components(
        self, texts: Sequence[str], q: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per-narrative (max cos, mean cos, lexical) for non-empty texts: three (len(texts), n) arrays.
        ``q``: the texts' query embeddings when the caller has them already."""
        q = self.backend.embed_queries(list(texts)) if q is None else q
        emb_mean = q @ self._centroids.T  # the mean cosine over a narrative's rows, in one product
        emb_max = emb_mean  # MEAN_WEIGHT = 1: the max is not needed, skip the (claims × vectors) product
        if MEAN_WEIGHT < 1.0:
            emb_max = np.maximum.reduceat(q @ self._vectors.T, self._starts, axis=1)
        word, char = _raw_counts(texts)
        lex_rows = (_weigh(word, self._word_idf) @ self._word_t).toarray() * np.float32(WORD_WEIGHT)
        lex_rows += (_weigh(char, self._char_idf) @ self._char_t).toarray() * np.float32(1.0 - WORD_WEIGHT)
        lex = np.maximum.reduceat(lex_rows, self._starts, axis=1)
        return emb_max, emb_mean, lex

    def scores(self, texts: Sequence[str], *, queries: np.ndarray | None = None) -> np.ndarray:
        """Hybrid scores of every narrative for every text: (len(texts), len(self)) float32 in [0, 1].
        An empty (blank) text scores 0 everywhere. ``queries``: the texts' e5 *query* embeddings
        (one row per text, same backend), when the caller has them already (a cache)."""
        if isinstance(texts, str | bytes):
            raise TypeError("texts must be a sequence of str, not a single str: wrap it in a list")
        items = list(texts)
        for i, text in enumerate(items):
            if not isinstance(text, str):
                raise TypeError(f"texts[{i}] is {type(text).__name__}, expected str")
        if queries is not None and len(queries) != len(items):
            raise ValueError(f"{len(queries)} query vectors for {len(items)} texts")
        out = np.zeros((len(items), len(self.ids)), dtype=np.float32)
        live = [i for i, t in enumerate(items) if t.strip()]
        for start in range(0, len(live), _BATCH):
            rows = live[start : start + _BATCH]
            q = None if queries is None else queries[rows]
            out[rows] = combine(*self._components([items[i] for i in rows], q))
        return out

    def match(self, texts: Sequence[str], *, top_k: int = 10) -> list[list[Match]]:
        """The ``top_k`` best narratives for each text, best first (ties by index order).

        An empty text gets no matches. ``top_k`` < 1 → BadInput.
        """
        if isinstance(top_k, bool) or not isinstance(top_k, int) or top_k < 1:
            raise BadInput(f"top_k must be a positive integer, not {top_k!r}")
        items = list(texts) if not isinstance(texts, str | bytes) else texts
        out: list[list[Match]] = []
        for start in range(0, len(items), _BATCH):
            chunk = items[start : start + _BATCH]
            scores = self.scores(chunk)
            k = min(top_k, scores.shape[1])
            for text, row in zip(chunk, scores, strict=True):
                if not text.strip() or k == 0:
                    out.append([])
                    continue
                part = np.argpartition(-row, k - 1)[:k] if k < row.size else np.arange(row.size)
                order = part[np.lexsort((part, -row[part]))]
                out.append([Match(self.ids[j], float(row[j])) for j in order])
        return out

    def save(self, directory: Path) -> None:
        """Write ``vectors.npz`` and ``manifest.json`` into ``directory`` (created if needed)."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        arrays: dict[str, np.ndarray] = {"vectors": self._vectors, "starts": self._starts}
        for name, m in (("word", self._word_counts), ("char", self._char_counts)):
            arrays[f"{name}_data"], arrays[f"{name}_indices"], arrays[f"{name}_indptr"] = m.data, m.indices, m.indptr
        np.savez_compressed(directory / "vectors.npz", **arrays)  # type: ignore[arg-type]
        manifest = {
            "format": "ttdn-narrative-index",
            "format_version": FORMAT_VERSION,
            "model_id": self.backend.model_id,
            "max_tokens": self.backend.max_tokens,
            "dim": int(self._vectors.shape[1]),
            "n_narratives": len(self.ids),
            "n_vectors": self.n_vectors,
            "lexical": {"n_features": N_FEATURES, "word": [1, 2], "char_wb": [2, 4]},
            "ids": self.ids,
        }
        (directory / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path, *, backend: EmbeddingBackend | None = None) -> NarrativeIndex:
        """Open an index written by :meth:`save`. A missing or damaged index, another format
        version or another embedding model than ``backend`` → ConfigError."""
        directory = Path(directory)
        try:
            manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ConfigError(f"no readable narrative index in {directory} ({exc}); build it again") from exc
        if not isinstance(manifest, dict) or manifest.get("format") != "ttdn-narrative-index":
            raise ConfigError(f"{directory / 'manifest.json'} is not a narrative index manifest")
        if manifest.get("format_version") != FORMAT_VERSION:
            raise ConfigError(
                f"narrative index in {directory} has format version {manifest.get('format_version')!r}, "
                f"this version reads {FORMAT_VERSION}: build it again"
            )
        backend = backend or get_backend(max_tokens=int(manifest.get("max_tokens") or MAX_TOKENS))
        if manifest.get("model_id") != backend.model_id:
            raise ConfigError(
                f"narrative index in {directory} was embedded with {manifest.get('model_id')!r}, "
                f"not {backend.model_id!r}: its vectors cannot be compared; build it again"
            )
        try:
            with np.load(directory / "vectors.npz", allow_pickle=False) as npz:
                arrays = {name: npz[name] for name in npz.files}
            ids = [str(i) for i in manifest["ids"]]
            vectors, starts = arrays["vectors"], arrays["starts"]
            mats = [
                sp.csr_matrix(
                    (arrays[f"{n}_data"], arrays[f"{n}_indices"], arrays[f"{n}_indptr"]),
                    shape=(vectors.shape[0], N_FEATURES),
                )
                for n in ("word", "char")
            ]
            if len(ids) != starts.shape[0] or vectors.shape[1] != backend.dim:
                raise ValueError("ids, starts and vectors disagree")
        except (OSError, KeyError, ValueError, TypeError) as exc:
            raise ConfigError(f"narrative index in {directory} is damaged ({exc}); build it again") from exc
        return cls(ids, starts, vectors, mats[0], mats[1], backend)


def combine(emb_max: np.ndarray, emb_mean: np.ndarray, lex: np.ndarray) -> np.ndarray:
    """The hybrid score from its parts (see the module doc); float32 in [0, 1]."""
    emb = (1.0 - MEAN_WEIGHT) * emb_max + MEAN_WEIGHT * emb_mean
    e = np.clip((emb - EMB_LO) / (EMB_HI - EMB_LO), 0.0, 1.0)
    return np.clip(EMB_WEIGHT * e + (1.0 - EMB_WEIGHT) * lex, 0.0, 1.0).astype(np.float32)


def _rows(path: Path) -> Iterator[tuple[str, int, dict[str, Any] | Rejection]]:
    """Each line's ``{"id" (as a string), "text", …}`` object, or its rejection."""
    for origin, lineno, value in read_json_lines(path):
        if isinstance(value, Rejection):
            yield origin, lineno, value
            continue
        checked = id_and_text(value, origin)
        yield origin, lineno, checked if isinstance(checked, Rejection) else {**value, "id": checked[0]}


def _read_narratives(path: Path, rejections: list[Rejection]) -> list[Narrative]:
    out: list[Narrative] = []
    lines: dict[str, list[int]] = {}
    for origin, lineno, row in _rows(path):
        if isinstance(row, Rejection):
            rejections.append(row)
            continue
        fields: dict[str, str | list[str]] = {}
        bad = None
        for name, value in row.items():
            if name in ("id", "text"):
                continue
            if isinstance(value, str):
                fields[name] = value
            elif isinstance(value, list) and all(isinstance(v, str) for v in value):
                fields[name] = list(value)
            else:
                bad = name
                break
        if bad is not None:
            rejections.append(Rejection(origin, f"field {bad!r} must be a string or a list of strings"))
            continue
        lines.setdefault(row["id"], []).append(lineno)
        out.append(Narrative(row["id"], row["text"], fields))
    dups = {rid: nos for rid, nos in lines.items() if len(nos) > 1}
    if dups:
        where = "; ".join(f"{rid!r} on lines {', '.join(map(str, nos))}" for rid, nos in list(dups.items())[:20])
        raise BadInput(f"duplicate narrative ids in {path} make matches ambiguous: {where}")
    if not out:
        raise BadInput(f"{path} holds no valid narrative: nothing to match against")
    return out


def match_jsonl(
    claims_path: Path,
    narratives_path: Path,
    out_path: Path,
    *,
    top_k: int = 10,
    on_progress: Progress | None = None,
    backend: EmbeddingBackend | None = None,
) -> tuple[int, list[Rejection]]:
    """Match every claim of a JSONL file against the narratives of another; ``(written, rejections)``.

    Claim lines ``{"id", "text"}``; narrative lines ``{"id", "text"}`` plus optional ``title``
    and any other fields that are strings or lists of strings (each one counts as a text of
    the narrative). Output lines ``{"id", "matches": [{"id", "score"}, …]}``, best first.
    A bad line (invalid JSON, no id, no or empty text, a field of another type, a repeated
    claim id) is skipped and returned as a Rejection with origin ``FILE:LINE``. Duplicate
    narrative ids, or no valid narrative at all, → BadInput for the whole run (nothing is
    written). ``on_progress(n)`` is called with the number of claims just matched.
    """
    if isinstance(top_k, bool) or not isinstance(top_k, int) or top_k < 1:
        raise BadInput(f"top_k must be a positive integer, not {top_k!r}")
    rejections: list[Rejection] = []
    narratives = _read_narratives(Path(narratives_path), rejections)
    index = NarrativeIndex.build(narratives, backend=backend)
    seen: dict[str, int] = {}
    written = 0
    batch: list[tuple[str, str]] = []

    def flush(dst: Any) -> int:
        results = index.match([text for _, text in batch], top_k=top_k)
        for (cid, _), matches in zip(batch, results, strict=True):
            row = {"id": cid, "matches": [{"id": m.id, "score": round(m.score, 6)} for m in matches]}
            dst.write(json.dumps(row, ensure_ascii=False) + "\n")
        if on_progress is not None:
            on_progress(len(batch))
        n = len(batch)
        batch.clear()
        return n

    claims = list(_rows(Path(claims_path)))
    with Path(out_path).open("w", encoding="utf-8") as dst:
        for origin, lineno, row in claims:
            if isinstance(row, Rejection):
                rejections.append(row)
                continue
            if row["id"] in seen:
                rejections.append(
                    Rejection(origin, f"duplicate claim id {row['id']!r} (first on line {seen[row['id']]})")
                )
                continue
            seen[row["id"]] = lineno
            batch.append((row["id"], row["text"]))
            if len(batch) >= _BATCH:
                written += flush(dst)
        if batch:
            written += flush(dst)
    return written, rejections
