"""The two parts of a tone model, each turning mentions into logits over `LABELS`.

* `FrozenHeads` read the plain e5 (the embedding backend every stage shares) on a ±40-character
  window with the mention marked, and TF-IDF word 1–2-grams of the ±300-character window; two
  logistic heads, ``emb`` (embedding only) and ``joint`` (embedding + words), mixed by how
  English the window is — the words were learnt from English news and pulled Chinese down to
  0.41 macro-F1 without the gate. (Format 2 also embedded the wide window with the mention
  masked; beside the encoder, which reads the wide window, that view cost a third of the tone
  stage and did not help: see docs/choices.md.)
* `EncoderHead` reads the fine-tuned tone encoder (:mod:`ttdn.models.tone_encoder`) through the
  view or views its model was trained on (`ENCODER_INPUTS`, named in the manifest; one linear
  head trained with the encoder by ``bench/tone_finetune.py``). With several views, their
  log-probabilities are averaged.

Both are plain arrays (``head.npz``, no pickle) plus, for the lexical part, its vocabulary.
A mention is ``(text, start, end)``: character offsets, end exclusive.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import scipy.sparse as sp

from ttdn.text.normalize import fold

__all__ = [
    "CONTEXT_CHARS",
    "ENCODER_INPUTS",
    "EncoderHead",
    "FrozenHeads",
    "Mention",
    "Passages",
    "lexical_terms",
    "log_softmax",
    "marked_text",
    "narrow_text",
    "target_first_text",
]

CONTEXT_CHARS = 300  # kept on each side of the mention (the tone encoder reads ≤ 256 tokens anyway)
NARROW_CHARS = 40  # the narrow view's window (CV on NewsMTSC train: 40 ≥ 60 > 80 > 120)
NEAR_WORDS = 4
PLACEHOLDER = "TGT"
EMBED_BATCH = 32
N_LABELS = 3
Mention = tuple[str, int, int]

_TOKEN = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")
_ENGLISH = frozenset(
    re.findall(
        r"\w+",
        "the of and is was for that with said by from has have it are his her their not but who will would this "
        "its they she had been were which or after more about than what when there also",
    )
)
ENGLISH_FULL = 0.08  # share of English function words at which the lexical head is fully trusted


class Passages(Protocol):
    """What a head needs from an embedding backend (`ttdn.models.embeddings.EmbeddingBackend`)."""

    model_id: str

    def embed_passages(self, texts: Sequence[str], *, batch_size: int = 32) -> np.ndarray: ...


# ---- views of a mention ----------------------------------------------------------------------


def _window(text: str, start: int, end: int, chars: int = CONTEXT_CHARS) -> tuple[str, str, str]:
    left = text[max(0, start - chars) : start]
    right = text[end : end + chars]
    return _SPACE.sub(" ", left).lstrip(), _SPACE.sub(" ", text[start:end]), _SPACE.sub(" ", right).rstrip()


def marked_text(text: str, start: int, end: int) -> str:
    """What the tone encoder reads: `CONTEXT_CHARS` either side, the mention wrapped in « »."""
    left, mention, right = _window(text, start, end)
    return f"{left}«{mention}»{right}"


def narrow_text(text: str, start: int, end: int) -> str:
    """The frozen heads' view: `NARROW_CHARS` either side, the mention wrapped in « »."""
    left, mention, right = _window(text, start, end, NARROW_CHARS)
    return f"{left}«{mention}»{right}"


def target_first_text(text: str, start: int, end: int) -> str:
    """The mention in « », then `marked_text`: the target first, as sentence-pair models are given it."""
    return f"«{' '.join(text[start:end].split())}» | {marked_text(text, start, end)}"


View = Callable[[str, int, int], str]
# the tone encoder's inputs: the views a model was trained on and is scored with (manifest: encoder.input)
ENCODER_INPUTS: dict[str, tuple[View, ...]] = {
    "marked": (marked_text,),
    "target-first": (target_first_text,),
    "marked+narrow": (marked_text, narrow_text),
    "target-first+narrow": (target_first_text, narrow_text),
}


def lexical_terms(text: str, start: int, end: int) -> list[str]:
    """The TF-IDF view: folded word 1–2-grams of the window, mention → ``TGT``, near-words tagged."""
    left, _, right = _window(text, start, end)
    lw, rw = _TOKEN.findall(fold(left)), _TOKEN.findall(fold(right))
    words = [*lw, PLACEHOLDER, *rw]
    terms = words + [f"{a} {b}" for a, b in itertools.pairwise(words)]
    terms += [f"near:{w}" for w in lw[-NEAR_WORDS:] + rw[:NEAR_WORDS]]
    return terms


def english_share(text: str, start: int, end: int) -> float:
    """Share of the window's words that are common English function words (the lexical gate)."""
    left, _, right = _window(text, start, end)
    words = _TOKEN.findall(f"{left} {right}".lower())
    return sum(w in _ENGLISH for w in words) / max(len(words), 1)


def _lexical_matrix(term_lists: Sequence[list[str]], vocab: dict[str, int], idf: np.ndarray) -> sp.csr_matrix:
    """Sublinear TF × IDF, L2-normalised rows (sklearn's ``TfidfVectorizer(sublinear_tf=True)``)."""
    indptr, indices, values = [0], [], []
    for terms in term_lists:
        counts = Counter(vocab[t] for t in terms if t in vocab)
        cols = sorted(counts)
        vals = np.array([(1.0 + math.log(counts[j])) * idf[j] for j in cols], dtype=np.float64)
        norm = float(np.linalg.norm(vals)) if cols else 0.0
        indices.extend(cols)
        values.extend((vals / norm if norm > 0 else vals).tolist())
        indptr.append(len(indices))
    shape = (len(term_lists), len(vocab))
    return sp.csr_matrix((np.asarray(values, np.float32), indices, indptr), shape=shape, dtype=np.float32)


def _fit_logistic(x: Any, y: np.ndarray, c: float) -> tuple[np.ndarray, np.ndarray]:
    """Class-balanced multinomial logistic regression: (weights (d, 3), bias (3,))."""
    from sklearn.linear_model import LogisticRegression

    clf = LogisticRegression(C=c, max_iter=3000, class_weight="balanced").fit(x, y)
    return clf.coef_.T.astype(np.float32), clf.intercept_.astype(np.float32)


def log_softmax(z: np.ndarray) -> np.ndarray:
    """Log-probabilities from logits along the last axis (a part's output, before mixing)."""
    z = z - z.max(axis=-1, keepdims=True)
    return np.asarray(z - np.log(np.exp(z).sum(axis=-1, keepdims=True)))


# ---- the heads -------------------------------------------------------------------------------


@dataclass(slots=True)
class FrozenHeads:
    """``emb`` and ``joint`` logistic heads over the plain e5's narrow view and TF-IDF terms."""

    emb: tuple[np.ndarray, np.ndarray]
    joint: tuple[np.ndarray, np.ndarray]
    vocab: dict[str, int]
    idf: np.ndarray
    lex_weight: float

    @classmethod
    def train(
        cls,
        items: Sequence[Mention],
        y: np.ndarray,
        backend: Passages,
        *,
        c_emb: float = 1.0,
        c_joint: float = 1.0,
        lex_weight: float = 1.0,
        min_df: int = 2,
    ) -> FrozenHeads:
        from sklearn.feature_extraction.text import TfidfVectorizer

        tfidf = TfidfVectorizer(analyzer=lambda terms: terms, min_df=min_df, sublinear_tf=True, dtype=np.float32)
        tfidf.fit([lexical_terms(t, a, b) for t, a, b in items])
        vocab = {str(term): int(j) for term, j in tfidf.vocabulary_.items()}
        empty = (np.zeros((0, N_LABELS), np.float32), np.zeros(N_LABELS, np.float32))
        heads = cls(empty, empty, vocab, np.asarray(tfidf.idf_, np.float32), lex_weight)
        dense, lex, _ = heads.features(items, backend)
        heads.emb = _fit_logistic(dense, y, c_emb)
        heads.joint = _fit_logistic(sp.hstack([sp.csr_matrix(dense), lex], format="csr"), y, c_joint)
        return heads

    def features(self, items: Sequence[Mention], backend: Passages) -> tuple[np.ndarray, sp.csr_matrix, np.ndarray]:
        """Embeddings (n, dim) of the narrow views, weighted TF-IDF (n, vocabulary) and English
        gates (n,) of mentions."""
        texts = [narrow_text(t, a, b) for t, a, b in items]
        dense = np.asarray(backend.embed_passages(texts, batch_size=EMBED_BATCH), dtype=np.float32)
        lex = _lexical_matrix([lexical_terms(t, a, b) for t, a, b in items], self.vocab, self.idf)
        gate = np.array([min(1.0, english_share(t, a, b) / ENGLISH_FULL) for t, a, b in items], np.float32)
        return dense, lex * float(self.lex_weight), gate

    def logits(self, items: Sequence[Mention], backend: Passages) -> np.ndarray:
        dense, lex, gate = self.features(items, backend)
        z_emb = dense @ self.emb[0] + self.emb[1]
        dim = self.emb[0].shape[0]
        z_joint = dense @ self.joint[0][:dim] + np.asarray(lex @ self.joint[0][dim:]) + self.joint[1]
        return np.asarray((1.0 - gate)[:, None] * z_emb + gate[:, None] * z_joint)

    def arrays(self) -> dict[str, np.ndarray]:
        return {
            "frozen_idf": self.idf,
            "frozen_emb_w": self.emb[0],
            "frozen_emb_b": self.emb[1],
            "frozen_joint_w": self.joint[0],
            "frozen_joint_b": self.joint[1],
        }

    def terms(self) -> list[str]:
        return sorted(self.vocab, key=self.vocab.__getitem__)

    @classmethod
    def from_arrays(cls, a: dict[str, np.ndarray], terms: list[str], lex_weight: float) -> FrozenHeads:
        """ValueError when the arrays and the vocabulary do not fit together."""
        n, dim = len(terms), a["frozen_emb_w"].shape[0]
        shapes = [
            a[k].shape for k in ("frozen_idf", "frozen_emb_w", "frozen_emb_b", "frozen_joint_w", "frozen_joint_b")
        ]
        if shapes != [(n,), (dim, N_LABELS), (N_LABELS,), (dim + n, N_LABELS), (N_LABELS,)]:
            raise ValueError("the frozen heads' array shapes do not match their vocabulary")
        vocab = {str(t): j for j, t in enumerate(terms)}
        return cls(
            (a["frozen_emb_w"], a["frozen_emb_b"]),
            (a["frozen_joint_w"], a["frozen_joint_b"]),
            vocab,
            a["frozen_idf"],
            lex_weight,
        )


@dataclass(slots=True)
class EncoderHead:
    """A linear head (``weights`` (dim, 3), ``bias`` (3,)) over the tone encoder's vectors of a
    mention's views (``input``, a key of `ENCODER_INPUTS`)."""

    weights: np.ndarray
    bias: np.ndarray
    input: str = "marked"

    def logits(self, items: Sequence[Mention], backend: Passages) -> np.ndarray:
        views = ENCODER_INPUTS[self.input]
        texts = [view(t, a, b) for view in views for t, a, b in items]
        vectors = np.asarray(backend.embed_passages(texts, batch_size=EMBED_BATCH), dtype=np.float32)
        z = (vectors @ self.weights + self.bias).reshape(len(views), len(items), N_LABELS)
        return np.asarray(log_softmax(z).mean(axis=0))  # one view: its log-probabilities

    def arrays(self) -> dict[str, np.ndarray]:
        return {"encoder_w": self.weights, "encoder_b": self.bias}

    @classmethod
    def from_arrays(cls, a: dict[str, np.ndarray], input: str = "marked") -> EncoderHead:
        """ValueError when the arrays do not have a head's shapes or ``input`` is not a known one."""
        w, b = a["encoder_w"], a["encoder_b"]
        if w.ndim != 2 or w.shape[1] != N_LABELS or b.shape != (N_LABELS,):
            raise ValueError("the encoder head's array shapes do not match")
        if input not in ENCODER_INPUTS:
            raise ValueError(f"unknown tone encoder input {input!r} (known: {', '.join(ENCODER_INPUTS)})")
        return cls(w.astype(np.float32), b.astype(np.float32), input)
