"""Language identification among the configured languages only.

Built on lingua (`lingua-language-detector`), restricted to the languages in settings, with
three additions lingua lacks:

* Lao and Khmer (and Thai) are recognised by Unicode script share before lingua is asked;
  lingua has no Lao or Khmer model at all.
* The language the source declared (HTML ``lang``, feed ``<language>``, HTTP header) is
  trusted for very short texts (≤ 3 words) and when lingua is unsure (< 0.5) and disagrees.
* Configured codes that neither lingua nor the script rules know are skipped with a logged
  warning; the identifier never fails because of configuration.

`detect` returns ``(code, confidence)``: an ISO 639-1 code from the configured list (or
``None``) and a confidence in 0..1. Only the first ~1,000 characters are looked at.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Sequence

from lingua import IsoCode639_1, LanguageDetector, LanguageDetectorBuilder

__all__ = ["LanguageIdentifier", "get_identifier", "normalize_lang_code"]

log = logging.getLogger(__name__)

SAMPLE_CHARS = 1000
SHORT_WORDS = 3
LOW_CONFIDENCE = 0.5
DECLARED_CONFIDENCE = 0.75  # a trusted declaration that detection did not check
SHORT_PENALTY = 0.5  # confidence factor for short texts detected without a usable declaration

# Scripts that name their language outright among the languages we watch.
_SCRIPT_RANGES = {
    "th": re.compile("[\u0e00-\u0e7f]"),
    "lo": re.compile("[\u0e80-\u0eff]"),
    "km": re.compile("[\u1780-\u17ff\u19e0-\u19ff]"),
}
_SCRIPT_ANY = re.compile("[\u0e00-\u0eff\u1780-\u17ff\u19e0-\u19ff]")
_LETTER = re.compile(r"[^\W\d_]")
# Scripts written without spaces between words: count characters, not tokens.
_UNSPACED = re.compile("[\u0e00-\u0eff\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")

_ISO3 = {
    "vie": "vi", "eng": "en", "fra": "fr", "fre": "fr", "zho": "zh", "chi": "zh", "rus": "ru",
    "jpn": "ja", "kor": "ko", "deu": "de", "ger": "de", "spa": "es", "tha": "th", "lao": "lo",
    "khm": "km", "ind": "id", "msa": "ms", "may": "ms", "por": "pt", "ita": "it", "ara": "ar",
    "in": "id", "iw": "he", "ji": "yi",
}  # fmt: skip


def normalize_lang_code(code: str | None) -> str | None:
    """``"vi-VN"`` → ``"vi"``, ``"en_US"`` → ``"en"``, ``"zh-Hans"`` → ``"zh"``; junk → None."""
    if not code:
        return None
    primary = re.split(r"[-_\s;,]", code.strip().lower(), maxsplit=1)[0]
    primary = _ISO3.get(primary, primary)
    if len(primary) == 2 and primary.isascii() and primary.isalpha():
        return primary
    return None


def _count_words(text: str) -> int:
    unspaced = len(_UNSPACED.findall(text))
    tokens = len(text.split())
    if unspaced:
        return tokens + unspaced // 2
    return tokens


def _sample(text: str) -> str:
    if len(text) <= SAMPLE_CHARS:
        return text.strip()
    cut = text.rfind(" ", SAMPLE_CHARS - 100, SAMPLE_CHARS)
    return text[: cut if cut > 0 else SAMPLE_CHARS].strip()


class LanguageIdentifier:
    """Detect the language of a text among `languages` (ISO 639-1 codes)."""

    def __init__(self, languages: Sequence[str]) -> None:
        codes: list[str] = []
        for raw in languages:
            code = normalize_lang_code(raw)
            if code and code not in codes:
                codes.append(code)
        self.languages: tuple[str, ...] = tuple(codes)
        self._script_langs = frozenset(c for c in codes if c in _SCRIPT_RANGES)
        lingua_codes: list[IsoCode639_1] = []
        for code in codes:
            member = getattr(IsoCode639_1, code.upper(), None)
            if isinstance(member, IsoCode639_1):
                if code not in _SCRIPT_RANGES:  # script rules handle th/lo/km
                    lingua_codes.append(member)
            elif code not in _SCRIPT_RANGES:
                log.warning("language %r is not supported by the language identifier; skipped", code)
        self._lingua_langs = frozenset(m.name.lower() for m in lingua_codes)
        self._detector: LanguageDetector | None = None
        if len(lingua_codes) == 1:
            self._single: str | None = lingua_codes[0].name.lower()
        else:
            self._single = None
            if lingua_codes:
                self._detector = LanguageDetectorBuilder.from_iso_codes_639_1(*lingua_codes).build()

    def __repr__(self) -> str:
        return f"LanguageIdentifier({list(self.languages)!r})"

    # -- the steps shared by detect and detect_many --------------------------------------

    def _declared(self, declared: str | None) -> str | None:
        code = normalize_lang_code(declared)
        return code if code in self.languages else None

    def _by_script(self, text: str) -> tuple[str | None, float] | None:
        """Thai/Lao/Khmer by share of letters; None when the text is not mainly one of them."""
        if _SCRIPT_ANY.search(text) is None:
            return None
        letters = len(_LETTER.findall(text))
        if not letters:
            return None
        best, share = max(
            ((code, len(rx.findall(text)) / letters) for code, rx in _SCRIPT_RANGES.items()),
            key=lambda item: item[1],
        )
        if share < 0.5:
            return None
        if best in self._script_langs:
            return best, round(min(1.0, share), 4)
        return None, 0.0

    def _pre(self, text: str, declared: str | None) -> tuple[str | None, tuple[str | None, float] | None]:
        """Return (sample for lingua, None) or (None, final answer)."""
        sample = _sample(text or "")
        decl = self._declared(declared)
        if not sample or _LETTER.search(sample) is None:
            return None, (decl or normalize_lang_code(declared), 0.0)
        short = _count_words(sample) <= SHORT_WORDS
        if short and decl is not None:
            return None, (decl, DECLARED_CONFIDENCE)
        scripted = self._by_script(sample)
        if scripted is not None:
            return None, scripted
        if self._detector is None:
            if self._single is not None:
                return None, (self._single, DECLARED_CONFIDENCE if decl == self._single else 0.5)
            return None, (decl, 0.0)
        return sample, None

    def _post(self, values: list[tuple[str, float]], declared: str | None, sample: str) -> tuple[str | None, float]:
        decl = self._declared(declared)
        if not values or values[0][1] <= 0.0:
            return decl, 0.0
        code, conf = values[0]
        if _count_words(sample) <= SHORT_WORDS:
            return code, round(conf * SHORT_PENALTY, 4)
        if decl is not None and decl != code and conf < LOW_CONFIDENCE:
            return decl, round(dict(values).get(decl, 0.0), 4)
        return code, round(conf, 4)

    @staticmethod
    def _values(raw: Sequence[object]) -> list[tuple[str, float]]:
        out: list[tuple[str, float]] = []
        for item in raw:
            language = item.language  # type: ignore[attr-defined]
            out.append((language.iso_code_639_1.name.lower(), float(item.value)))  # type: ignore[attr-defined]
        return out

    # -- public ----------------------------------------------------------------------------

    def detect(self, text: str, declared: str | None = None) -> tuple[str | None, float]:
        """``(ISO 639-1 code or None, confidence 0..1)`` for `text`; see the module doc."""
        sample, answer = self._pre(text, declared)
        if answer is not None or sample is None or self._detector is None:
            return answer if answer is not None else (None, 0.0)
        raw = self._detector.compute_language_confidence_values(sample)
        return self._post(self._values(raw), declared, sample)

    def detect_many(
        self, texts: Sequence[str], declared: Sequence[str | None] | None = None
    ) -> list[tuple[str | None, float]]:
        """`detect` for many texts; lingua runs them in parallel threads."""
        if declared is not None and len(declared) != len(texts):
            raise ValueError("declared must be as long as texts")
        decls: Sequence[str | None] = declared if declared is not None else [None] * len(texts)
        results: list[tuple[str | None, float] | None] = []
        pending: list[tuple[int, str]] = []
        for i, (text, decl) in enumerate(zip(texts, decls, strict=True)):
            sample, answer = self._pre(text, decl)
            results.append(answer)
            if answer is None and sample is not None:
                pending.append((i, sample))
        if pending and self._detector is not None:
            batch = self._detector.compute_language_confidence_values_in_parallel([s for _, s in pending])
            for (i, sample), raw in zip(pending, batch, strict=True):
                results[i] = self._post(self._values(raw), decls[i], sample)
        return [r if r is not None else (None, 0.0) for r in results]


@functools.lru_cache(maxsize=8)
def get_identifier(languages: tuple[str, ...]) -> LanguageIdentifier:
    """A shared identifier per language tuple (building lingua's detector is slow)."""
    return LanguageIdentifier(languages)
