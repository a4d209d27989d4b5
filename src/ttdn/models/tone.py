"""Tone toward a target: negative / neutral / positive for each mention, and per article.

A mention is a character span ``(start, end)`` of a text. Its features are

* two e5 *passage* embeddings, made in one batch: the text around the mention
  (`CONTEXT_CHARS` either side) with the mention replaced by « X » (`masked_text`: what is
  said of the slot, not who fills it), and a narrow window (`NARROW_CHARS` either side) with
  the mention wrapped in « » (`narrow_text`: e5 mean-pools every token, so the narrow view
  is what stands near the target). On NewsMTSC train (5-fold CV, shipped recipe otherwise)
  these two gave macro-F1 0.721 against 0.700 for the one marked wide window of format 1;
* TF-IDF of word 1–2-grams of the wide window, folded, with the mention replaced by the
  placeholder ``TGT`` and words within `NEAR_WORDS` of it also counted as ``near:`` terms.

Two multinomial logistic heads turn them into probabilities: ``emb`` reads the embedding
alone, ``joint`` the embedding and the TF-IDF terms. The shipped heads (``data/tone/``) were
trained on NewsMTSC (Hamborg & Donnay, EACL 2021; English political news) by
``bench/tone_eval.py --train-out``. e5 is multilingual, so the embedding carries over to vi,
fr, zh, but the TF-IDF terms are English: the two heads' logits are mixed by a gate, the share
of common English function words in the window (full trust in ``joint`` at `ENGLISH_FULL`,
none at 0). Without the gate the lexical part pulled Chinese down to 0.41 macro-F1.

Files: ``manifest.json`` (format version, feature recipe, embedding ``model_id``, labels,
metrics), ``head.npz`` (weights and idf, no pickle) and ``vocab.json`` (TF-IDF terms).

Articles: :func:`article_tone` splits the text into sentences, finds the target in each
(:func:`find_target_mentions`: folded, so case and diacritics do not matter, with aliases
for Vietnam), scores the first mention of each of the first ``max_sentences`` sentences that
mention it, and returns the confidence-weighted mean of p(positive) − p(negative).
"""

from __future__ import annotations

import itertools
import json
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, Protocol

import numpy as np
import scipy.sparse as sp

from ttdn.errors import BadInput, ConfigError
from ttdn.text.normalize import fold

__all__ = [
    "DATA_DIR",
    "FORMAT_VERSION",
    "LABELS",
    "RECIPE",
    "ArticleTone",
    "Evidence",
    "Mention",
    "ToneModel",
    "TonePrediction",
    "article_tone",
    "default_model",
    "find_target_mentions",
    "macro_f1",
    "masked_text",
    "narrow_text",
    "split_sentences",
]

FORMAT_VERSION = 2
RECIPE = "e5-passage-masked-window+marked-narrow-window+tfidf-masked-window/2"
Polarity = Literal["negative", "neutral", "positive"]
LABELS: tuple[Polarity, Polarity, Polarity] = ("negative", "neutral", "positive")
DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "tone"
CONTEXT_CHARS = 300  # kept on each side of the mention (e5 sees ≤ 128 tokens anyway)
NARROW_CHARS = 40  # the narrow view's window (CV on NewsMTSC train: 40 ≥ 60 > 80 > 120)
MASK = "X"  # stands for the mention in the masked view
NEAR_WORDS = 4
PLACEHOLDER = "TGT"
TONE_THRESHOLD = 0.2  # |tone| below this is a neutral article
MAX_SENTENCE_CHARS = 2_000
EMBED_BATCH = 32
Mention = tuple[str, int, int]
Progress = Callable[[int], None]

# Other names of a target, folded. A target whose folded form is one of a group's names
# matches every name of the group.
ALIASES: tuple[tuple[str, ...], ...] = (("viet nam", "vietnam", "越南", "вьетнам", "ベトナム", "베트남"),)

_TOKEN = re.compile(r"\w+")
_ENGLISH = frozenset(
    re.findall(
        r"\w+",
        "the of and is was for that with said by from has have it are his her their not but who will would this "
        "its they she had been were which or after more about than what when there also",
    )
)
ENGLISH_FULL = 0.08  # share of English function words at which the lexical head is fully trusted
_SPACE = re.compile(r"\s+")
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s)|[。！？]+[”」』）]*|\n\s*")


class Passages(Protocol):
    """What the model needs from an embedding backend (`ttdn.models.embeddings.EmbeddingBackend`)."""

    model_id: str

    def embed_passages(self, texts: Sequence[str], *, batch_size: int = 32) -> np.ndarray: ...


@dataclass(slots=True, frozen=True)
class TonePrediction:
    """The polarity of one mention, ``score`` its probability, ``probabilities`` all three."""

    polarity: Polarity
    score: float
    probabilities: dict[str, float]


@dataclass(slots=True, frozen=True)
class Evidence:
    """A sentence that mentions the target; ``start``/``end`` locate the mention in the article."""

    sentence: str
    start: int
    end: int
    polarity: Polarity
    score: float


@dataclass(slots=True, frozen=True)
class ArticleTone:
    """``tone`` in [-1, 1]; ``score`` is the weighted mean probability of ``polarity`` (0.0 with no evidence)."""

    tone: float
    polarity: Polarity
    evidence: list[Evidence] = field(default_factory=list)
    score: float = 0.0


# ---- text helpers ----------------------------------------------------------------------------


@lru_cache(maxsize=65_536)
def _fold_char(ch: str) -> str:
    return fold(ch)


def _fold_with_map(text: str) -> tuple[str, list[int]]:
    """``fold`` one character at a time, with the original index of every folded character."""
    parts: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        f = ch if ch.isascii() and not ch.isupper() and ch != "\r" else _fold_char(ch)
        parts.append(f)
        where.extend([i] * len(f))
    return "".join(parts), where


def _edge(ch: str) -> bool:
    """Whether a name edge needs a word boundary (letters of spaced scripts; not CJK)."""
    return ch.isalnum() and ord(ch) < 0x2E80


@lru_cache(maxsize=256)
def _target_pattern(target: str) -> re.Pattern[str] | None:
    key = " ".join(fold(target).split())
    if not key:
        return None
    names = {key}
    for group in ALIASES:
        if key in group or key.replace("-", " ") in group:
            names.update(group)
    alts = []
    for name in sorted(names, key=len, reverse=True):
        body = r"[\s\-]+".join(re.escape(w) for w in name.split())
        alts.append((r"(?<!\w)" if _edge(name[0]) else "") + body + (r"(?!\w)" if _edge(name[-1]) else ""))
    return re.compile("|".join(alts))


def find_target_mentions(text: str, target: str) -> list[tuple[int, int]]:
    """Character spans of ``target`` in ``text``, ignoring case and diacritics (`fold`).

    "Vietnam", "Việt Nam", "Viet Nam", "Viet-Nam" and "越南" all find each other; any other
    target is matched as written after folding, on word boundaries for spaced scripts.
    """
    pattern = _target_pattern(target)
    if pattern is None or not text:
        return []
    if pattern.search(fold(text)) is None:  # cheap check before the per-character map
        return []
    folded, where = _fold_with_map(text)
    spans = []
    for m in pattern.finditer(folded):
        if m.end() > m.start():
            spans.append((where[m.start()], where[m.end() - 1] + 1))
    return spans


def split_sentences(text: str) -> Iterable[tuple[int, int]]:
    """Spans of sentences: after . ! ? … followed by a space, after 。！？, and at line breaks."""
    start = 0
    for m in _SENTENCE_END.finditer(text):
        yield from _trimmed(text, start, m.end())
        start = m.end()
    yield from _trimmed(text, start, len(text))


def _trimmed(text: str, start: int, end: int) -> Iterable[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    for a in range(start, end, MAX_SENTENCE_CHARS):  # a run without punctuation: cut it up
        yield a, min(a + MAX_SENTENCE_CHARS, end)


def _window(text: str, start: int, end: int, chars: int = CONTEXT_CHARS) -> tuple[str, str, str]:
    left = text[max(0, start - chars) : start]
    right = text[end : end + chars]
    return _SPACE.sub(" ", left).lstrip(), _SPACE.sub(" ", text[start:end]), _SPACE.sub(" ", right).rstrip()


def masked_text(text: str, start: int, end: int) -> str:
    """The wide embedding view: the window around the mention, the mention replaced by « X »."""
    left, _, right = _window(text, start, end)
    return f"{left}«{MASK}»{right}"


def narrow_text(text: str, start: int, end: int) -> str:
    """The narrow embedding view: `NARROW_CHARS` either side, the mention wrapped in « »."""
    left, mention, right = _window(text, start, end, NARROW_CHARS)
    return f"{left}«{mention}»{right}"


def lexical_terms(text: str, start: int, end: int) -> list[str]:
    """The TF-IDF view: folded word 1–2-grams of the window, mention → ``TGT``, near-words tagged."""
    left, _, right = _window(text, start, end)
    lw, rw = _TOKEN.findall(fold(left)), _TOKEN.findall(fold(right))
    words = [*lw, PLACEHOLDER, *rw]
    terms = words + [f"{a} {b}" for a, b in itertools.pairwise(words)]
    terms += [f"near:{w}" for w in lw[-NEAR_WORDS:] + rw[:NEAR_WORDS]]
    return terms


def _check_span(text: object, start: object, end: object) -> None:
    if not isinstance(text, str):
        raise BadInput(f"text must be a str, not {type(text).__name__}")
    if type(start) is not int or type(end) is not int:
        raise BadInput(f"from/to must be integers, got {start!r}, {end!r}")
    if not 0 <= start < end <= len(text):
        raise BadInput(f"span {start}..{end} is not inside the text (length {len(text)}) or is empty")


def macro_f1(truth: Sequence[str], pred: Sequence[str]) -> dict[str, Any]:
    """Macro-F1 over `LABELS`, with per-label F1 and accuracy."""
    per = {}
    for label in LABELS:
        tp = sum(t == p == label for t, p in zip(truth, pred, strict=True))
        n = sum(t == label for t in truth) + sum(p == label for p in pred)
        per[label] = 2 * tp / n if n else 0.0
    acc = sum(t == p for t, p in zip(truth, pred, strict=True)) / max(len(truth), 1)
    return {"macro_f1": sum(per.values()) / len(per), "per_label_f1": per, "accuracy": acc, "n": len(truth)}


# ---- the model ---------------------------------------------------------------------------------


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
    from sklearn.linear_model import LogisticRegression

    clf = LogisticRegression(C=c, max_iter=3000, class_weight="balanced").fit(x, y)
    return clf.coef_.T.astype(np.float32), clf.intercept_.astype(np.float32)


@dataclass(slots=True)
class ToneModel:
    """Two multinomial logistic heads, mixed by the English gate (see the module docstring).

    ``emb`` reads the embedding only; ``joint`` reads the embedding then the TF-IDF
    vocabulary. Raises `ConfigError` when the backend is not the one the heads were trained with.
    """

    emb: tuple[np.ndarray, np.ndarray]
    joint: tuple[np.ndarray, np.ndarray]
    vocab: dict[str, int]
    idf: np.ndarray
    info: dict[str, Any]
    backend: Passages | None = None

    @classmethod
    def train(
        cls,
        examples: Iterable[tuple[str, int, int, str]],
        *,
        backend: Passages | None = None,
        c_emb: float = 1.0,
        c_joint: float = 1.0,
        lex_weight: float = 1.0,
        min_df: int = 2,
    ) -> ToneModel:
        """Fit on ``(text, start, end, polarity)``. Raises `BadInput` for a bad span or label,
        or when a polarity has no example."""
        from sklearn.feature_extraction.text import TfidfVectorizer

        rows = list(examples)
        for text, start, end, label in rows:
            _check_span(text, start, end)
            if label not in LABELS:
                raise BadInput(f"polarity must be one of {', '.join(LABELS)}, not {label!r}")
        y = np.array([LABELS.index(r[3]) for r in rows])
        if len(set(y.tolist())) < len(LABELS):
            raise BadInput(f"training needs examples of every polarity ({', '.join(LABELS)})")
        backend = backend or _default_backend()
        tfidf = TfidfVectorizer(analyzer=lambda terms: terms, min_df=min_df, sublinear_tf=True, dtype=np.float32)
        tfidf.fit([lexical_terms(t, a, b) for t, a, b, _ in rows])
        vocab = {str(term): int(j) for term, j in tfidf.vocabulary_.items()}
        info = {
            "format_version": FORMAT_VERSION,
            "recipe": RECIPE,
            "model_id": backend.model_id,
            "labels": list(LABELS),
            "lex_weight": lex_weight,
            "heads": {"emb": {"kind": "logistic", "c": c_emb}, "joint": {"kind": "logistic", "c": c_joint}},
            "n_examples": len(rows),
            "class_counts": {label: int((y == i).sum()) for i, label in enumerate(LABELS)},
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        empty = (np.zeros((0, 3), np.float32), np.zeros(3, np.float32))
        model = cls(empty, empty, vocab, np.asarray(tfidf.idf_, np.float32), info, backend)
        dense, lex, _ = model.features([(t, a, b) for t, a, b, _ in rows])
        model.emb = _fit_logistic(dense, y, c_emb)
        model.joint = _fit_logistic(sp.hstack([sp.csr_matrix(dense), lex], format="csr"), y, c_joint)
        return model

    def save(self, out_dir: Path) -> None:
        """Write ``head.npz``, ``vocab.json`` and, last, ``manifest.json`` into ``out_dir``."""
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        arrays = {"idf": self.idf, "emb_w": self.emb[0], "emb_b": self.emb[1]}
        arrays |= {"joint_w": self.joint[0], "joint_b": self.joint[1]}
        np.savez_compressed(out / "head.npz", **arrays)  # type: ignore[arg-type]
        terms = sorted(self.vocab, key=self.vocab.__getitem__)
        (out / "vocab.json").write_text(json.dumps(terms, ensure_ascii=False), "utf-8")
        info = {**self.info, "files": ["head.npz", "vocab.json"]}
        (out / "manifest.json").write_text(json.dumps(info, ensure_ascii=False, indent=2) + "\n", "utf-8")

    @classmethod
    def load(cls, dir: Path | None = None, *, backend: Passages | None = None) -> ToneModel:
        """Open a model directory (default: the shipped head). Raises `ConfigError` when it is
        missing, incomplete, of another format version, feature recipe or label set, or inconsistent."""
        where = DATA_DIR if dir is None else Path(dir)
        hint = "retrain it with bench/tone_eval.py --train-out DIR, or use the shipped head"
        manifest = where / "manifest.json"
        if not where.is_dir():
            raise ConfigError(f"tone model directory {where} does not exist; {hint}")
        if not manifest.is_file():
            raise ConfigError(f"{where} is not a tone model directory (no manifest.json); {hint}")
        try:
            info = json.loads(manifest.read_text("utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ConfigError(f"cannot read {manifest}: {exc}") from exc
        if not isinstance(info, dict) or info.get("format_version") != FORMAT_VERSION:
            version = info.get("format_version") if isinstance(info, dict) else None
            raise ConfigError(f"{where} holds a tone model of format version {version!r}, not {FORMAT_VERSION}; {hint}")
        if info.get("recipe") != RECIPE or info.get("labels") != list(LABELS):
            raise ConfigError(f"{where} was made with another feature recipe or label set; {hint}")
        if not isinstance(info.get("model_id"), str) or not isinstance(info.get("lex_weight"), int | float):
            raise ConfigError(
                f"{manifest} does not say which embedding model or lexical weight the head was trained with; {hint}"
            )
        try:
            with np.load(where / "head.npz", allow_pickle=False) as npz:
                a = {k: np.asarray(npz[k]) for k in ("idf", "emb_w", "emb_b", "joint_w", "joint_b")}
            terms = json.loads((where / "vocab.json").read_text("utf-8"))
        except (OSError, ValueError, KeyError, json.JSONDecodeError) as exc:
            raise ConfigError(f"the tone model in {where} is incomplete or damaged ({exc}); {hint}") from exc
        n, dim = len(terms) if isinstance(terms, list) else -1, a["emb_w"].shape[0]
        shapes = [a["idf"].shape, a["emb_w"].shape, a["emb_b"].shape, a["joint_w"].shape, a["joint_b"].shape]
        if shapes != [(n,), (dim, 3), (3,), (dim + n, 3), (3,)]:
            raise ConfigError(f"the tone model in {where} is inconsistent (array shapes do not match); {hint}")
        vocab = {str(t): j for j, t in enumerate(terms)}
        return cls((a["emb_w"], a["emb_b"]), (a["joint_w"], a["joint_b"]), vocab, a["idf"], info, backend)

    def _backend(self) -> Passages:
        if self.backend is None:
            self.backend = _default_backend()
        if self.backend.model_id != self.info["model_id"]:
            raise ConfigError(
                f"this tone head was trained on embeddings of {self.info['model_id']!r} but the backend is "
                f"{self.backend.model_id!r}: use that backend or retrain the head"
            )
        return self.backend

    def features(self, items: Sequence[Mention]) -> tuple[np.ndarray, sp.csr_matrix, np.ndarray]:
        """Embeddings (n, 2 × dim: masked wide view, narrow view), weighted TF-IDF (n, vocabulary)
        and English gates (n,) of mentions."""
        texts = [masked_text(t, a, b) for t, a, b in items] + [narrow_text(t, a, b) for t, a, b in items]
        both = np.asarray(self._backend().embed_passages(texts, batch_size=EMBED_BATCH), dtype=np.float32)
        dense = np.hstack([both[: len(items)], both[len(items) :]])
        lex = _lexical_matrix([lexical_terms(t, a, b) for t, a, b in items], self.vocab, self.idf)
        gate = np.array([min(1.0, english_share(t, a, b) / ENGLISH_FULL) for t, a, b in items], np.float32)
        return dense, lex * float(self.info["lex_weight"]), gate

    def predict_proba(self, items: Sequence[Mention]) -> np.ndarray:
        """Probabilities (n, 3) in the order of `LABELS`. Raises `BadInput` for a bad span."""
        for text, start, end in items:
            _check_span(text, start, end)
        if not items:
            return np.zeros((0, len(LABELS)), dtype=np.float32)
        dense, lex, gate = self.features(items)
        z_emb = dense @ self.emb[0] + self.emb[1]
        dim = self.emb[0].shape[0]
        z_joint = dense @ self.joint[0][:dim] + np.asarray(lex @ self.joint[0][dim:]) + self.joint[1]
        z = (1.0 - gate)[:, None] * z_emb + gate[:, None] * z_joint
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return np.asarray(e / e.sum(axis=1, keepdims=True))

    def score_mentions(self, items: Sequence[Mention]) -> list[TonePrediction]:
        """One `TonePrediction` per ``(text, start, end)`` mention (offsets in characters, end exclusive)."""
        out = []
        for p in self.predict_proba(items):
            k = int(np.argmax(p))
            probs: dict[str, float] = {label: round(float(v), 6) for label, v in zip(LABELS, p, strict=True)}
            out.append(TonePrediction(LABELS[k], float(p[k]), probs))
        return out

    # ---- articles -------------------------------------------------------------------------
    def articles_tone(self, articles: Sequence[tuple[str, str]], *, max_sentences: int = 20) -> list[ArticleTone]:
        """`article_tone` for many ``(text, target)`` pairs, with one batch of embeddings."""
        found = [_article_mentions(text, target, max_sentences) for text, target in articles]
        flat = [m for mentions in found for m in mentions]
        probs = self.predict_proba([(sentence, s, e) for sentence, s, e, _ in flat])
        out, k = [], 0
        for mentions in found:
            out.append(_aggregate(mentions, probs[k : k + len(mentions)]))
            k += len(mentions)
        return out

    def article_tone(self, text: str, target: str = "Vietnam", *, max_sentences: int = 20) -> ArticleTone:
        """Tone of ``text`` toward ``target``: see the module function `article_tone`."""
        return self.articles_tone([(text, target)], max_sentences=max_sentences)[0]


def _default_backend() -> Passages:
    from ttdn.models.embeddings import get_backend

    return get_backend()


def _article_mentions(text: str, target: str, max_sentences: int) -> list[tuple[str, int, int, int]]:
    """``(sentence, start in sentence, end in sentence, sentence start in text)`` of the first
    mention in each of the first ``max_sentences`` sentences that mention ``target``."""
    out: list[tuple[str, int, int, int]] = []
    if max_sentences < 1 or not target.strip():
        return out
    for a, b in split_sentences(text):
        sentence = text[a:b]
        spans = find_target_mentions(sentence, target)
        if spans:
            out.append((sentence, spans[0][0], spans[0][1], a))
            if len(out) >= max_sentences:
                break
    return out


def _aggregate(mentions: list[tuple[str, int, int, int]], probs: np.ndarray) -> ArticleTone:
    if not mentions:
        return ArticleTone(0.0, "neutral", [], 0.0)
    conf = probs.max(axis=1)
    signed = probs[:, 2] - probs[:, 0]
    tone = float(np.clip(np.sum(conf * signed) / np.sum(conf), -1.0, 1.0))
    k = 2 if tone >= TONE_THRESHOLD else 0 if tone <= -TONE_THRESHOLD else 1
    score = float(np.sum(conf * probs[:, k]) / np.sum(conf))
    evidence = [
        Evidence(sentence, a + s, a + e, LABELS[int(np.argmax(p))], float(p.max()))
        for (sentence, s, e, a), p in zip(mentions, probs, strict=True)
    ]
    return ArticleTone(round(tone, 6), LABELS[k], evidence, round(score, 6))


@lru_cache(maxsize=1)
def default_model() -> ToneModel:
    """The shipped head, loaded once per process."""
    return ToneModel.load()


def article_tone(text: str, target: str = "Vietnam", *, max_sentences: int = 20) -> ArticleTone:
    """Tone of an article toward ``target`` with the shipped head.

    Sentences are split on . ! ? … (before a space), on 。！？ and at line breaks; the first
    mention in each of the first ``max_sentences`` sentences that mention the target is
    scored. ``tone`` is the mean of p(positive) − p(negative) weighted by each prediction's
    confidence; ``polarity`` is positive at ≥ 0.2, negative at ≤ −0.2. No mention: tone 0.0,
    neutral, no evidence, score 0.0.
    """
    return default_model().article_tone(text, target, max_sentences=max_sentences)
