"""Highlight search terms in the original text: best fragments, spans, safe HTML.

Terms are matched on the folded text (`ttdn.text.fold`: no diacritics, lower case, one
tone placement), so ``hoang sa`` marks ``Hoàng Sa`` and ``越南`` marks ``越南``. Folding can
change lengths (NFD input, ``İ``, removed zero-width characters), so the text is folded one
character-with-its-marks at a time and every folded character remembers where it came from:
spans always point into the original.

Latin, Cyrillic … terms match whole words (``sa`` does not mark ``saigon``); a term of several
words matches them in order with any punctuation or spaces between (``hoang sa`` marks
``Hoàng Sa,`` and ``Hoàng  Sa``); CJK, kana, hangul, Thai, Lao and Khmer match as substrings.

`highlight` picks up to ``max_fragments`` windows of about ``fragment_chars`` characters that
show the most distinct terms (new terms first, then more matches), cut at spaces where it can,
and returns them in reading order; matches separated only by spaces become one span. No
match: an empty list (the caller shows the start of the text).
"""

from __future__ import annotations

import html
import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from ttdn.search.query import MARKS, SPACED, SPACED_UNIT, WORD, space_scripts
from ttdn.text.normalize import fold

__all__ = ["Fragment", "highlight", "to_html"]

MAX_MATCHES = 2000  # per text: enough for any snippet, bounded on pathological input

_UNIT = re.compile(f".[{MARKS}]*", re.DOTALL)
_ANY_MARK = re.compile(f"[{MARKS}]")
# A word character of a script that separates words with spaces: the edges of a word term.
_NOT_WORD_EDGE = f"[^\\W_{SPACED}]"
_WS = str.maketrans("\n\r\t\v\f", "     ")


@dataclass(slots=True)
class Fragment:
    """A piece of the original text; ``spans`` are ``(start, end)`` of the marks inside it.

    ``start`` is where the fragment begins in the whole text (to add “…” when it is > 0).
    """

    text: str
    spans: list[tuple[int, int]] = field(default_factory=list)
    start: int = 0


@lru_cache(maxsize=4096)
def _fold_unit(unit: str) -> str:
    return fold(unit)


def _fold_with_offsets(text: str) -> tuple[str, list[int] | None, list[int] | None]:
    """Folded text and, per folded character, the start and end of its source in `text`.

    ``None`` maps mean identity (ASCII text folds character for character).
    """
    if text.isascii():
        return text.lower(), None, None
    if _ANY_MARK.search(text) is None:
        # Fast path (nearly every stored text is NFC): each character folds on its own; when
        # each folds to exactly one character, one `str.translate` does it and offsets are
        # the identity.
        table: dict[int, str] = {}
        for char in set(text):
            folded = _fold_unit(char)
            if len(folded) != 1:
                break
            table[ord(char)] = folded
        else:
            return text.translate(table), None, None
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for match in _UNIT.finditer(text):
        folded = _fold_unit(match.group())
        pieces.append(folded)
        starts.extend([match.start()] * len(folded))
        ends.extend([match.end()] * len(folded))
    return "".join(pieces), starts, ends


@lru_cache(maxsize=512)
def _term_pattern(term: str) -> re.Pattern[str] | None:
    tokens = WORD.findall(space_scripts(fold(term)))
    # a CJK token is a run of characters: split it so spaces between them do not matter
    units: list[str] = []
    for token in tokens:
        units.extend(SPACED_UNIT.findall(token) if SPACED_UNIT.match(token) else [token])
    if not units:
        return None
    parts: list[str] = []
    for i, unit in enumerate(units):
        if i:
            cjk_joint = SPACED_UNIT.match(unit) is not None or SPACED_UNIT.match(units[i - 1]) is not None
            parts.append(r"[\W_]{0,8}?" if cjk_joint else r"[\W_]{1,8}?")
        parts.append(re.escape(unit))
    left = "" if SPACED_UNIT.match(units[0]) else f"(?<!{_NOT_WORD_EDGE})"
    right = "" if SPACED_UNIT.fullmatch(units[-1]) else f"(?!{_NOT_WORD_EDGE})"
    return re.compile(left + "".join(parts) + right)


def _find(text: str, terms: Sequence[str]) -> list[tuple[int, int, int]]:
    """Non-overlapping matches ``(start, end, term index)`` in original offsets, in order."""
    folded, starts, ends = _fold_with_offsets(text)
    found: list[tuple[int, int, int]] = []
    for index, term in enumerate(terms):
        pattern = _term_pattern(term)
        if pattern is None:
            continue
        for count, match in enumerate(pattern.finditer(folded)):
            if count >= MAX_MATCHES:
                break
            a, b = match.span()
            if a == b:
                continue
            if starts is not None and ends is not None:
                a, b = starts[a], ends[b - 1]
            found.append((a, b, index))
    found.sort(key=lambda m: (m[0], -(m[1] - m[0])))
    kept: list[tuple[int, int, int]] = []
    for item in found:
        if not kept or item[0] >= kept[-1][1]:
            kept.append(item)
    return kept[:MAX_MATCHES]


def _snap(text: str, start: int, end: int, first: int, last: int) -> tuple[int, int]:
    """Move the window's edges to spaces when that keeps ``[first, last)`` inside it."""
    if start > 0 and not text[start - 1].isspace():
        cut = next((i for i in range(start, first) if text[i].isspace()), -1)
        if cut >= 0:
            start = cut + 1
    if end < len(text) and not text[end].isspace():
        cut = next((i for i in range(end - 1, last - 1, -1) if text[i].isspace()), -1)
        if cut >= 0:
            end = cut
    while start < first and text[start].isspace():
        start += 1
    while end > last and text[end - 1].isspace():
        end -= 1
    return start, end


def highlight(text: str, terms: Sequence[str], *, max_fragments: int = 3, fragment_chars: int = 160) -> list[Fragment]:
    """The best fragments of `text` for `terms` (folded or not), in reading order."""
    terms = [t for t in dict.fromkeys(fold(t).strip() for t in terms) if t]
    if not text or not terms or max_fragments <= 0:
        return []
    matches = _find(text, terms)
    if not matches:
        return []
    match_starts = [m[0] for m in matches]
    lead = max(0, fragment_chars // 4)
    windows: list[tuple[int, int, int, int]] = []  # start, end, index of first and last match
    for i, (a, b, _) in enumerate(matches):
        start = min(max(0, a - lead), max(0, len(text) - fragment_chars))
        start = min(start, a)
        end = max(start + fragment_chars, b)
        last = bisect_left(match_starts, end) - 1
        while last > i and matches[last][1] > end:
            last -= 1
        first = bisect_left(match_starts, start)
        windows.append((start, end, first, last))

    chosen: list[tuple[int, int, int, int]] = []
    shown: set[int] = set()
    while len(chosen) < max_fragments:
        best: tuple[tuple[int, int, int], tuple[int, int, int, int]] | None = None
        for window in windows:
            start, end, first, last = window
            if any(start < c_end and c_start < end for c_start, c_end, _, _ in chosen):
                continue
            inside = {matches[k][2] for k in range(first, last + 1)}
            score = (len(inside - shown), len(inside), last - first + 1)
            if best is None or score > best[0]:
                best = (score, window)
        if best is None:
            break
        chosen.append(best[1])
        shown |= {matches[k][2] for k in range(best[1][2], best[1][3] + 1)}

    fragments: list[Fragment] = []
    for start, end, first, last in sorted(chosen):
        start, end = _snap(text, start, min(end, len(text)), matches[first][0], matches[last][1])
        piece = text[start:end].translate(_WS)
        spans: list[tuple[int, int]] = []
        for a, b, _ in matches[first : last + 1]:
            if a < start or b > end:
                continue
            a, b = a - start, b - start
            if spans and not piece[spans[-1][1] : a].strip():
                spans[-1] = (spans[-1][0], b)  # adjacent words: one mark (“chủ quyền”)
            else:
                spans.append((a, b))
        fragments.append(Fragment(piece, spans, start))
    return fragments


def to_html(fragment: Fragment) -> str:
    """The fragment as HTML: everything escaped, the spans wrapped in ``<mark>``."""
    out: list[str] = []
    pos = 0
    for a, b in sorted(fragment.spans):
        if a < pos or b <= a:
            continue  # overlapping or empty span: never emit broken markup
        out.append(html.escape(fragment.text[pos:a]))
        out.append("<mark>" + html.escape(fragment.text[a:b]) + "</mark>")
        pos = b
    out.append(html.escape(fragment.text[pos:]))
    return "".join(out)
