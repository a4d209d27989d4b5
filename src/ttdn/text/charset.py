"""Decode fetched bytes to text, whatever the page claims about its charset.

Order of evidence (`decode_body`):

1. A byte-order mark wins (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE).
2. The charset from the HTTP ``Content-Type`` header, then the one in ``<meta charset>``,
   ``<meta http-equiv="Content-Type">`` or ``<?xml encoding?>`` within the first 4 KB.
   A declaration is used only if the bytes decode strictly under it and the result is
   plausible: bytes that are valid UTF-8 with multi-byte sequences are UTF-8 whatever a
   single- or multi-byte legacy charset says (the classic wrong declaration), and
   Vietnamese windows-1258 bytes declared as iso-8859-1/windows-1252 are read as cp1258.
3. charset-normalizer guesses the undeclared or wrongly declared rest.
4. Last resort: UTF-8 with replacement characters. `decode_body` never raises.

Labels follow the WHATWG encoding standard where it widens a legacy charset (iso-8859-1 →
windows-1252, gb2312 → gb18030, shift_jis → cp932, euc-kr → cp949). Unknown labels
(``x-foo``), bytes-to-bytes codecs (``base64``) and UTF-7 are ignored. The returned text is
NFC (cp1258 decodes tone marks as combining characters); the returned name is Python's
codec name (``utf-8``, ``cp1258``, ``cp1252``, ``cp932``, ``gb18030``, ``koi8-r`` …).
"""

from __future__ import annotations

import codecs
import itertools
import logging
import re
import unicodedata

__all__ = ["decode_body", "resolve_charset"]

log = logging.getLogger(__name__)

SNIFF_BYTES = 4096

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_WIDER = {
    "iso-8859-1": "cp1252", "iso8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252",
    "l1": "cp1252", "cp819": "cp1252", "ibm819": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252",
    "iso_8859-1": "cp1252", "iso-ir-100": "cp1252", "csisolatin1": "cp1252",
    "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "chinese": "gb18030",
    "csgb2312": "gb18030", "iso-ir-58": "gb18030",
    "shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "x-sjis": "cp932",
    "ms_kanji": "cp932", "windows-31j": "cp932", "csshiftjis": "cp932",
    "euc-kr": "cp949", "ks_c_5601-1987": "cp949", "korean": "cp949", "windows-949": "cp949",
    "big5": "big5hkscs", "x-x-big5": "big5hkscs",
    "tis-620": "cp874", "iso-8859-11": "cp874", "windows-874": "cp874",
    "x-cp1258": "cp1258", "x-cp1252": "cp1252",
}  # fmt: skip
_REFUSED = frozenset({"utf-7", "utf_7", "x-user-defined"})
_LATIN = frozenset({"cp1252", "latin-1", "iso8859-1", "ascii", "iso8859-15"})
_LATIN_GUESSES = _LATIN | {"cp1250", "cp1254", "cp1257", "iso8859-2", "iso8859-9", "mac-roman"}
_UNICODE = frozenset({"utf-8", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"})

_META = re.compile(
    rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([a-z0-9_.:\-]+)"""
    rb"""|<\?xml\b[^>]*?\bencoding\s*=\s*["']([a-z0-9_.:\-]+)""",
    re.IGNORECASE,
)

# cp1258 positions of the combining tone marks (grave, hook, tilde, acute, dot below) ...
_CP1258_TONES = frozenset(b"\xcc\xd2\xde\xec\xf2")
# ... the vowels they follow (ASCII and cp1258's â ê ô ơ ư ă, both cases) ...
_CP1258_VOWELS = frozenset(b"aeiouyAEIOUY\xe2\xea\xf4\xf5\xfd\xe3\xc2\xca\xd4\xd5\xdd\xc3")
# ... and the letters only Vietnamese uses at those positions (đ ơ ư ă, both cases).
_CP1258_LETTERS = frozenset(b"\xf0\xd0\xf5\xd5\xfd\xdd\xe3\xc3")


def resolve_charset(label: str | None) -> str | None:
    """A usable Python text codec name for a charset label, or None for unknown/unsafe ones."""
    if not label:
        return None
    key = label.strip().strip("\"'").lower()
    key = _WIDER.get(key, key)
    if key in _REFUSED:
        return None
    try:
        info = codecs.lookup(key)
    except (LookupError, ValueError):
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in _REFUSED:
        return None
    return info.name


def _is_multibyte_utf8(body: bytes) -> bool:
    if body.isascii():
        return False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _mostly_utf8(body: bytes) -> bool:
    """UTF-8 with at most a few bad sequences (a truncated body, one stray byte)."""
    text = body.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - body.count(b"\xef\xbf\xbd")
    multibyte = len(body) - len(text)
    return 0 < bad <= max(2, len(text) // 1000) and multibyte > 4 * bad


def _high_share(body: bytes) -> float:
    """Share of non-ASCII bytes among letters: a few % in Western text, most in other scripts."""
    sample = body[:65536]
    high = sum(1 for b in sample if b >= 0x80)
    ascii_letters = sum(1 for b in sample if 0x41 <= b <= 0x5A or 0x61 <= b <= 0x7A)
    return high / (high + ascii_letters) if high else 0.0


def _looks_cp1258(body: bytes) -> bool:
    """Vietnamese windows-1258 bytes: tone-mark bytes right after vowels, and đ/ơ/ư/ă."""
    body = body[:65536]
    if body.isascii():
        return False
    high = sum(1 for b in body if b >= 0x80)
    tones_after_vowel = sum(
        1 for prev, cur in itertools.pairwise(body) if cur in _CP1258_TONES and prev in _CP1258_VOWELS
    )
    letters = sum(1 for b in body if b in _CP1258_LETTERS)
    return tones_after_vowel >= max(2, high // 10) and (tones_after_vowel + letters) >= high * 0.4


def _nfc(text: str) -> str:
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def _declared_candidates(body: bytes, declared: str | None) -> list[str]:
    labels: list[str | None] = [declared]
    for match in _META.finditer(body[:SNIFF_BYTES]):
        raw = match.group(1) or match.group(2)
        labels.append(raw.decode("ascii", errors="ignore"))
    out: list[str] = []
    if len(labels) > 1 and resolve_charset(declared) in _LATIN:
        labels.append(labels.pop(0))  # a Latin-1 header is often a server default: meta first
    for label in labels:
        name = resolve_charset(label)
        if name is None:
            if label:
                log.debug("ignoring unknown charset label %r", label)
            continue
        if name not in out:
            out.append(name)
    return out


def _try_declared(body: bytes, name: str) -> tuple[str, str] | None:
    """Decode under a declared charset if that is believable; None to look further."""
    if name in _UNICODE:
        if name == "utf-8" and _mostly_utf8(body):
            return body.decode("utf-8", errors="replace"), "utf-8"
        if name != "utf-8" and b"\x00" not in body[:SNIFF_BYTES]:
            return None  # UTF-16/32 without a single NUL byte is an 8-bit page mislabelled
        try:
            return body.decode(name), name
        except UnicodeDecodeError:
            return None
    if _is_multibyte_utf8(body):
        return body.decode("utf-8"), "utf-8"
    if name in _LATIN:
        if _looks_cp1258(body):
            return body.decode("cp1258", errors="replace"), "cp1258"
        if _high_share(body) > 0.3:  # Cyrillic, CJK, Thai… under a default Latin-1 label
            return None
        for codec in ("cp1252", "latin-1") if name != "iso8859-15" else (name,):
            try:
                return body.decode(codec), codec
            except UnicodeDecodeError:
                continue
        return None
    try:
        return body.decode(name), name
    except UnicodeDecodeError:
        return None


def _guess(body: bytes) -> tuple[str, str] | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - charset-normalizer is a dependency
        return None
    try:
        best = from_bytes(body).best()
    except Exception:  # the guesser must never take the fetcher down
        log.exception("charset-normalizer failed")
        return None
    if best is None:
        return None
    name = resolve_charset(best.encoding) or best.encoding
    if name in _LATIN_GUESSES and _looks_cp1258(body):
        return body.decode("cp1258", errors="replace"), "cp1258"
    try:
        return body.decode(name), name
    except (UnicodeDecodeError, LookupError):
        return str(best), name


def decode_body(body: bytes, declared: str | None = None) -> tuple[str, str]:
    """Return ``(text, encoding used)`` for fetched bytes; `declared` is the HTTP charset."""
    if not body:
        return "", "utf-8"
    for bom, name in _BOMS:
        if body.startswith(bom):
            return _nfc(body[len(bom) :].decode(name, errors="replace")), name
    for name in _declared_candidates(body, declared):
        result = _try_declared(body, name)
        if result is not None:
            return _nfc(result[0]), result[1]
    if body.isascii():
        return body.decode("ascii"), "ascii"
    if _is_multibyte_utf8(body):
        return _nfc(body.decode("utf-8")), "utf-8"
    if _looks_cp1258(body):
        return _nfc(body.decode("cp1258", errors="replace")), "cp1258"
    guessed = _guess(body)
    if guessed is not None:
        return _nfc(guessed[0]), guessed[1]
    return _nfc(body.decode("utf-8", errors="replace")), "utf-8"
