"""Text normalisation: one spelling of every Vietnamese word, and folded search keys.

`normalize_text` makes the same text compare equal however it arrived:

* Unicode NFC (decomposed input from macOS or old CMSs equals precomposed input).
* Whitespace variants: NBSP and the other fixed-width spaces become a plain space, invisible
  characters (zero-width space, word joiner, BOM, soft hyphen) are removed, ``\\r\\n`` and
  ``\\r`` become ``\\n``. Line breaks and tabs are kept. ZWJ/ZWNJ are kept (emoji, scripts).
* One canonical Vietnamese tone-mark placement, the *traditional* ("old") one that most
  Vietnamese news sites use: ``hòa``, ``thủy``, ``khỏe``, ``Khánh Hòa``.

The placement rule, applied to one syllable = onset + vowel nucleus + final consonant:

1. ``qu`` and ``gi`` (before another vowel) are onsets: the ``u``/``i`` never carries the
   mark (``quý``, ``quỳnh``, ``giữa``; but ``gì``, ``gìn`` where ``i`` is the only vowel).
2. If the nucleus has a vowel with a shape mark (ă â ê ô ơ ư) the tone goes on it, on ``ơ``
   for ``ươ`` (``người``, ``thuyết``, ``cứu``).
3. Otherwise, with a final consonant, on the last vowel (``hoàn``, ``hoạch``, ``quỳnh``).
4. Otherwise (open syllable): two vowels → first (``hòa``, ``khỏe``, ``thủy``, ``mùa``),
   three vowels → middle (``ngoài``, ``khuỷu``).

Only the nuclei where the two spellings really alternate are moved — those containing
``oa``/``oe``/``uy`` — plus syllables that are unmistakably Vietnamese (a shape-marked vowel
or ``đ``) and marks misplaced on the ``u``/``i`` of ``qu``/``gi``. A word that does not parse
as one Vietnamese syllable is left alone, so French ``où``, Italian ``più``, Portuguese
``aí``, pinyin ``duì``, and every non-Latin script pass through unchanged (apart from NFC).

`fold` builds matching keys: lower case, no diacritics, ``đ`` → ``d`` (``Đà Nẵng`` →
``da nang``). Only marks on Latin letters are removed; other scripts keep theirs.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fold", "normalize_text"]

# Combining tone marks: grave, acute, hook above, tilde, dot below.
_TONES = ("\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
_BASE_VOWELS = "aăâeêioôơuưy"
_SHAPED = frozenset("ăâêôơư")

# toned vowel → (untoned vowel, same case; tone index); and the inverse.
_SPLIT: dict[str, tuple[str, int]] = {}
_COMPOSE: dict[tuple[str, int], str] = {}
for _base in _BASE_VOWELS + _BASE_VOWELS.upper():
    for _i, _mark in enumerate(_TONES):
        _ch = unicodedata.normalize("NFC", _base + _mark)
        _SPLIT[_ch] = (_base, _i)
        _COMPOSE[(_base, _i)] = _ch
_TONED = "".join(_SPLIT)

_VI_LETTERS = "a-zA-Z" + "".join(sorted(set("ăâêôơưđ" + "ăâêôơưđ".upper()))) + _TONED
# One word of at most 7 Vietnamese letters holding a toned vowel, with word boundaries on
# both sides. Bounded repeats keep the scan linear on long letter runs (CJK, base64).
_CANDIDATE = re.compile(rf"(?<![^\W\d_])[{_VI_LETTERS}]{{0,6}}[{_TONED}][{_VI_LETTERS}]{{0,6}}(?![^\W\d_])")
_HAS_TONED = re.compile(f"[{_TONED}]")

_SYLLABLE = re.compile(
    r"(ngh|ng|gh|gi|kh|nh|ph|qu|th|tr|ch|[bcdđghklmnprstvx])?"
    r"([aăâeêioôơuưy]+)"
    r"(ch|ng|nh|[cmnpt])?"
)
_NUCLEI_LIST = (
    "a ă â e ê i o ô ơ u ư y "
    "ai ao au ay âu ây eo êu ia iu iê oa oă oe oi ôi ơi oo ua uâ uê ui uô uơ uy ưa ưi ưu ươ yê "
    "iêu yêu oai oay oao oeo uây uôi uya uyê uyu ươi ươu"
)
_NUCLEI = frozenset(_NUCLEI_LIST.split())
_ALTERNATING = ("oa", "oe", "uy")

_WS_TABLE = {
    **dict.fromkeys(map(ord, "\u00a0" + "".join(map(chr, range(0x2000, 0x200B)))), " "),
    **dict.fromkeys(map(ord, "\u202f\u205f"), " "),
    **dict.fromkeys(map(ord, "\u2028\u2029"), "\n"),
    **dict.fromkeys(map(ord, "\u200b\u2060\ufeff\u00ad"), None),
}
_WS_ODD = re.compile("[\r\u00a0\u2000-\u200b\u2028\u2029\u202f\u205f\u2060\ufeff\u00ad]")

_CACHE: dict[str, str] = {}
_CACHE_MAX = 100_000


def _target_index(nucleus: str, closed: bool) -> int:
    """Index inside the nucleus that carries the tone in the traditional placement."""
    shaped = [i for i, ch in enumerate(nucleus) if ch in _SHAPED]
    if shaped:
        return shaped[-1]
    if closed:
        return len(nucleus) - 1
    return 1 if len(nucleus) == 3 else 0


def _fix_syllable(word: str) -> str:
    """Return `word` with its tone mark in the canonical place, or `word` unchanged."""
    bases: list[str] = []
    tone = -1
    tone_pos = -1
    for pos, ch in enumerate(word):
        split = _SPLIT.get(ch)
        if split is None:
            bases.append(ch)
            continue
        if tone >= 0:
            return word  # two tone marks: not a Vietnamese syllable
        bases.append(split[0])
        tone, tone_pos = split[1], pos
    lower = "".join(bases).lower()
    if len(lower) != len(word):  # a letter whose lower case is longer (rare scripts)
        return word
    match = _SYLLABLE.fullmatch(lower)
    if match is None:
        return word
    onset, nucleus, coda = match.group(1) or "", match.group(2), match.group(3)
    if nucleus not in _NUCLEI:
        return word
    start = len(onset)
    target = start + _target_index(nucleus, coda is not None)
    if target == tone_pos:
        return word
    movable = (
        tone_pos < start  # mark on the u of qu / i of gi
        or any(pair in nucleus for pair in _ALTERNATING)
        or not _SHAPED.isdisjoint(nucleus)
        or onset == "đ"
    )
    if not movable:
        return word
    out = bases
    out[target] = _COMPOSE[(out[target], tone)]
    return "".join(out)


def _replace(match: re.Match[str]) -> str:
    word = match.group()
    fixed = _CACHE.get(word)
    if fixed is None:
        fixed = _fix_syllable(word)
        if len(_CACHE) >= _CACHE_MAX:
            _CACHE.clear()
        _CACHE[word] = fixed
    return fixed


def normalize_text(s: str) -> str:
    """NFC, whitespace variants, and one canonical Vietnamese tone placement (see module doc)."""
    if not s:
        return s
    if not unicodedata.is_normalized("NFC", s):
        s = unicodedata.normalize("NFC", s)
    if _WS_ODD.search(s) is not None:
        s = s.replace("\r\n", "\n").replace("\r", "\n").translate(_WS_TABLE)
    if _HAS_TONED.search(s) is None:
        return s
    return _CANDIDATE.sub(_replace, s)


def _build_fold_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for code in (*range(0x00C0, 0x0250), *range(0x1E00, 0x1F00)):
        ch = chr(code)
        decomposed = unicodedata.normalize("NFD", ch)
        base = "".join(c for c in decomposed if not unicodedata.combining(c))
        if base != ch and base.isascii() and base:
            table[code] = base.lower()
    for code in range(0x0300, 0x0370):  # combining diacritics left on Latin letters
        table[code] = None
    table[ord("đ")] = "d"
    table[ord("Đ")] = "d"
    return table


_FOLD_TABLE = _build_fold_table()


def fold(s: str) -> str:
    """Matching key: `normalize_text`, lower case, Latin diacritics removed, đ → d."""
    return normalize_text(s).lower().translate(_FOLD_TABLE)
