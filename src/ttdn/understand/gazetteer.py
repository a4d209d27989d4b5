"""Find Vietnam, its provinces, cities, seas and institutions, and the world's countries in text.

The names live in human-editable TSV files (``ttdn/data/gazetteer/*.tsv``, format in the README
there); a user directory of more ``*.tsv`` files adds entries or aliases.

Matching runs on a *folded* copy of the text, one character of the original at a time:

* lower case; diacritics removed from Latin, Greek and Cyrillic letters and combining marks
  dropped everywhere (so NFC and NFD input, ``Khánh Hòa``/``Khánh Hoà`` and unaccented
  ``Khanh Hoa`` fold alike); ``đ`` → ``d``;
* every run of spaces and punctuation becomes one separator, so ``TP.HCM``/``TP. HCM`` and
  ``Bà Rịa–Vũng Tàu``/``Bà Rịa - Vũng Tàu`` are the same key.

An index from folded positions back to the original gives character offsets into the text as
given. Aho–Corasick (pyahocorasick) finds every alias in one pass. Aliases in scripts that
separate words (Latin, Greek, Cyrillic) must start and end on a word boundary; a trailing ``*``
in the data lets a word end freely (``Вьетнам*`` finds ``Вьетнама``, ``Vietnam*`` finds
``Vietnamese``). Other scripts (CJK, Thai, Lao, Khmer, Arabic …) match as substrings.

Ambiguous aliases (``~`` in the data: ``~Hue``, ``~Huế``, ``~Vinh``, ``~Mỹ``, ``~US``) match only
as written, case and diacritics included (or in capitals), so the colour "hue", the English
"my" and the pronoun "us" are not places. A Vietnamese name found through an ambiguous alias in
plain ASCII ("Hue", "Vinh") is kept only with support: another such name or any unambiguous
Vietnamese mention in the same text ("Hue and saturation" alone is a colour guide).
Overlaps resolve leftmost-longest: ``South China Sea`` is a sea, not China. ``stop`` entries
(``Thái Bình Dương``, ``Chủ tịch Hồ Chí Minh``) are matched to block shorter names inside them,
then dropped. A bare ``Hồ Chí Minh`` is the person and is
never a place; ``Thành phố Hồ Chí Minh``, ``TP.HCM`` and ``Ho Chi Minh City`` are the city.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Literal, NamedTuple, get_args

import ahocorasick
import numpy as np

from ttdn.errors import ConfigError
from ttdn.text.normalize import normalize_text

__all__ = ["KINDS", "Entry", "Gazetteer", "Kind", "Mention"]

Kind = Literal["vietnam", "province", "former_province", "city", "sea_island", "institution", "country"]
KINDS: tuple[str, ...] = get_args(Kind)
_FILE_KINDS = frozenset((*KINDS, "stop"))
_RESERVED = ("kind", "id", "name", "parent", "lang", "aliases")
_LANG_COLUMN = re.compile(r"^[a-z]{2,3}$|^other$")
# sea/island entries that are Vietnamese territory (count as Vietnam in `countries`)
_VN_TERRITORY = frozenset({"hoang-sa", "truong-sa"})
_VN_KINDS = frozenset({"vietnam", "province", "former_province", "city", "institution"})

_SEP = "\x01"  # what every run of spaces and punctuation folds to
_SEP_CP = 1


class Mention(NamedTuple):
    """One name found in a text; ``text[start:end] == surface`` (character offsets, end exclusive).

    ``province`` is the current (2025) provincial unit the mention lies in, for provinces,
    former provinces and cities; ``None`` otherwise.
    """

    start: int
    end: int
    surface: str
    kind: Kind
    id: str
    name: str
    province: str | None = None


@dataclass(slots=True)
class Entry:
    """One named thing: a country, a province, a sea …, with where it was defined."""

    kind: str
    id: str
    name: str
    parent: str | None
    origin: str
    aliases: list[tuple[str, str]] = field(default_factory=list)  # (alias as written, origin)


@dataclass(slots=True)
class _Key:
    entry: str
    stem: bool
    left: int  # 1: needs a word boundary (a separator) on the left
    right: int  # 1: needs a word boundary on the right (0 for stems)
    exact: set[str] | None  # ambiguous: the canonical surfaces that are accepted
    origin: str
    out: tuple[str, str, str, str | None] = ("", "", "", None)  # kind, id, name, province


# ---------------------------------------------------------------- folding


@functools.cache
def _fold_table() -> np.ndarray:
    """Code point → folded code point (0: drop the character, 1: separator)."""
    table = np.arange(0x110000, dtype=np.uint32)
    for cp in range(0x10000):
        ch = chr(cp)
        if 0xD800 <= cp < 0xE000:
            continue
        if unicodedata.combining(ch) or ch in "\u200b\u2060\ufeff\u00ad":
            table[cp] = 0
            continue
        if not ch.isalnum():
            table[cp] = _SEP_CP
            continue
        if cp < 0x80 or cp >= 0x3100:
            if ch.isupper() and len(ch.lower()) == 1:
                table[cp] = ord(ch.lower())
            continue
        base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c)).lower()
        if ch in "đĐ":
            base = "d"
        if len(base) == 1:
            table[cp] = ord(base)
        elif len(ch.lower()) == 1:
            table[cp] = ord(ch.lower())
    table[0] = 0
    return table


def _fold(text: str) -> tuple[str, np.ndarray | None]:
    """Folded text, and for each folded character its index in `text` (None: the identity)."""
    if not text:
        return "", None
    cps = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    out = _fold_table()[cps]
    keep = out != 0
    sep = out == _SEP_CP
    keep[1:] &= ~(sep[1:] & sep[:-1])  # one separator per run
    if bool(keep.all()):
        return out.tobytes().decode("utf-32-le", "surrogatepass"), None
    positions = np.flatnonzero(keep)
    return out[positions].tobytes().decode("utf-32-le", "surrogatepass"), positions


def _fold_key(alias: str) -> str:
    return _fold(normalize_text(alias))[0].strip(_SEP)


def _canon(surface: str) -> str:
    """The form an ambiguous alias is compared in: NFC, one tone placement, punctuation → space."""
    return " ".join(re.split(r"[\W_]+", normalize_text(surface))).strip()


def _spaced(ch: str) -> bool:
    """True for letters of scripts that put spaces between words (Latin, Greek, Cyrillic …)."""
    cp = ord(ch)
    return cp < 0x0590 or 0x1E00 <= cp < 0x2000 or 0x2C00 <= cp < 0x2E00 or 0xA640 <= cp < 0xA800


# ---------------------------------------------------------------- loading


def _split_aliases(cell: str) -> Iterator[str]:
    for part in cell.split(";"):
        part = part.strip()
        if part:
            yield part


def _read_file(path: Path, entries: dict[str, Entry]) -> None:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read gazetteer file ({exc})") from exc
    header: list[str] | None = None
    for lineno, raw in enumerate(lines, start=1):
        where = f"{path}:{lineno}"
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in raw.split("\t")]
        if header is None:
            header = [c.lower() for c in cells]
            if "id" not in header:
                raise ConfigError(f"{where}: the header row must name an 'id' column (tab-separated); got {raw!r}")
            if ("aliases" in header) != ("lang" in header):
                raise ConfigError(f"{where}: 'aliases' and 'lang' columns go together")
            bad = [c for c in header if c not in _RESERVED and not _LANG_COLUMN.match(c)]
            if bad:
                raise ConfigError(f"{where}: unknown column(s) {bad}; use {list(_RESERVED)} or language codes")
            continue
        if len(cells) > len(header):
            raise ConfigError(f"{where}: {len(cells)} tab-separated cells but the header has {len(header)}")
        row = dict(zip(header, cells + [""] * (len(header) - len(cells)), strict=True))
        _add_row(row, where, entries)
    if header is None:
        raise ConfigError(
            f"{path}: no header row (expected e.g. 'kind<TAB>id<TAB>name<TAB>parent<TAB>lang<TAB>aliases')"
        )


def _add_row(row: dict[str, str], where: str, entries: dict[str, Entry]) -> None:
    ident = row["id"]
    if not ident:
        raise ConfigError(f"{where}: empty id")
    kind, name, parent = row.get("kind", ""), row.get("name", ""), row.get("parent", "")
    entry = entries.get(ident)
    if entry is None:
        if kind not in _FILE_KINDS:
            raise ConfigError(f"{where}: first row of id {ident!r} needs a kind, one of {sorted(_FILE_KINDS)}")
        if not name:
            raise ConfigError(f"{where}: first row of id {ident!r} needs a name")
        entry = entries[ident] = Entry(kind, ident, normalize_text(name), parent or None, where)
    else:
        if kind and kind != entry.kind:
            raise ConfigError(f"{where}: id {ident!r} has kind {kind!r} here but {entry.kind!r} at {entry.origin}")
        if parent:
            entry.parent = parent
    columns = [c for c in row if c not in _RESERVED]
    cells = [row[c] for c in columns] + [row.get("aliases", "")]
    for cell in cells:
        for alias in _split_aliases(cell):
            if "*" in alias.rstrip("*") or alias.endswith("**"):
                raise ConfigError(f"{where}: '*' may only end an alias: {alias!r}")
            if not _fold_key(alias.lstrip("~").rstrip("*")):
                raise ConfigError(f"{where}: alias {alias!r} has no letters or digits")
            entry.aliases.append((alias, where))


def _check_parents(entries: dict[str, Entry]) -> None:
    for entry in entries.values():
        if entry.kind in ("former_province", "city"):
            parent = entries.get(entry.parent or "")
            if parent is None or parent.kind != "province":
                raise ConfigError(
                    f"{entry.origin}: {entry.kind} {entry.id!r} needs a parent that is a province id, "
                    f"got {entry.parent!r}"
                )


def _build_keys(entries: dict[str, Entry]) -> dict[str, _Key]:
    keys: dict[str, _Key] = {}
    owners: dict[str, tuple[str, str]] = {}  # folded alias → (id, where), however it is bounded
    for entry in entries.values():
        aliases = entry.aliases or [(entry.name, entry.origin)]
        for alias, where in aliases:
            ambiguous = alias.startswith("~")
            stem = alias.endswith("*")
            text = alias.lstrip("~").rstrip("*").strip()
            folded = _fold_key(text)
            left = int(_spaced(folded[0]))
            right = int(_spaced(folded[-1]) and not stem)
            key = (_SEP if left else "") + folded + (_SEP if right else "")
            if stem and left:
                key = _SEP + folded
            owner = owners.setdefault(folded, (entry.id, where))
            if owner[0] != entry.id:
                raise ConfigError(f"{where}: alias {alias!r} is already used by {owner[0]!r} at {owner[1]}")
            known = keys.get(key)
            exact = {_canon(text), _canon(text).upper()} if ambiguous else None
            if known is None:
                keys[key] = _Key(entry.id, stem, left, right, exact, where)
                continue
            known.stem = known.stem or stem
            if known.exact is not None:
                known.exact = known.exact | exact if exact is not None else None
    return keys


# ---------------------------------------------------------------- the gazetteer


class Gazetteer:
    """Names of Vietnam's places and institutions and of the world's countries, and a fast finder."""

    def __init__(self, entries: dict[str, Entry]) -> None:
        _check_parents(entries)
        self.entries = entries
        self._keys = _build_keys(entries)
        self._automaton = ahocorasick.Automaton()
        for key, info in self._keys.items():
            entry = entries[info.entry]
            info.out = (entry.kind, entry.id, entry.name, self.province_of(entry.id))
            self._automaton.add_word(key, (len(key), info))
        if self._keys:
            self._automaton.make_automaton()

    @classmethod
    def load(cls, extra_dir: Path | None = None) -> Gazetteer:
        """The packaged gazetteer plus every ``*.tsv`` in `extra_dir`; the default one is cached."""
        return _load(str(Path(extra_dir).resolve()) if extra_dir is not None else None)

    def __len__(self) -> int:
        return len(self.entries)

    def province_of(self, entry_id: str) -> str | None:
        """Name of the current provincial unit for a province, former province or city id."""
        entry = self.entries.get(entry_id)
        if entry is None or entry.kind not in ("province", "former_province", "city"):
            return None
        if entry.kind != "province":
            entry = self.entries[entry.parent or ""]
        return entry.name

    def find(self, text: str) -> list[Mention]:
        """Every name in `text`, in order, without overlaps (leftmost-longest wins)."""
        if not text or not self._keys:
            return []
        folded, positions = _fold(text)
        padded = _SEP + folded + _SEP
        n = len(padded)
        candidates: list[tuple[int, int, _Key]] = []
        append = candidates.append
        for end, (klen, info) in self._automaton.iter(padded):
            # `padded` coordinates minus the leading pad = `folded` coordinates
            if info.stem:
                stop = end + 1
                while stop < n and padded[stop] != _SEP and _spaced(padded[stop]):
                    stop += 1
                append((end - klen + info.left, stop - 1, info))
            else:
                append((end - klen + info.left, end - info.right, info))
        candidates.sort(key=lambda c: (c[0], c[0] - c[1]))
        chosen: list[tuple[int, int, _Key]] = []
        last_end = 0
        for fstart, fend, info in candidates:
            if fstart < last_end:
                continue
            if info.exact is not None:
                start, end = _to_original(text, positions, fstart, fend)
                if not _exact_ok(text[start:end], info):
                    continue
            last_end = fend
            chosen.append((fstart, fend, info))
        return self._mentions(text, positions, chosen)

    def _mentions(self, text: str, positions: np.ndarray | None, chosen: list[tuple[int, int, _Key]]) -> list[Mention]:
        if positions is not None and chosen:
            starts = positions[np.fromiter((c[0] for c in chosen), dtype=np.int64, count=len(chosen))].tolist()
            ends = (positions[np.fromiter((c[1] - 1 for c in chosen), dtype=np.int64, count=len(chosen))] + 1).tolist()
            size = len(text)
            for k, end in enumerate(ends):
                while end < size and unicodedata.combining(text[end]):
                    end += 1  # the marks of the last letter (NFD input)
                ends[k] = end
        else:
            starts = [c[0] for c in chosen]
            ends = [c[1] for c in chosen]
        mentions: list[Mention] = []
        doubtful: list[int] = []  # indexes of bare-ASCII ambiguous Vietnamese names
        supported = False
        for start, end, (_, _, info) in zip(starts, ends, chosen, strict=True):
            kind, ident, name, province = info.out
            if kind == "stop":
                continue
            surface = text[start:end]
            if info.exact is not None and kind != "country" and surface.isascii():
                doubtful.append(len(mentions))
            elif kind != "country":
                supported = True
            mentions.append(Mention(start, end, surface, kind, ident, name, province))  # type: ignore[arg-type]
        if len(doubtful) == 1 and not supported:
            del mentions[doubtful[0]]  # a lone "Hue" or "Vinh" with nothing Vietnamese around it
        return mentions

    def provinces(self, mentions: Iterable[Mention]) -> list[str]:
        """Current provincial units named (former units and cities resolved), in order of first mention."""
        return list(dict.fromkeys(m.province for m in mentions if m.province))

    def countries(self, mentions: Iterable[Mention]) -> list[str]:
        """ISO alpha-2 codes named, in order; ``VN`` for Vietnam, its places, institutions and islands."""
        codes: dict[str, None] = {}
        for m in mentions:
            if m.kind == "country":
                codes[m.id] = None
            elif m.kind in _VN_KINDS or m.id in _VN_TERRITORY:
                codes["VN"] = None
        return list(codes)


def _exact_ok(surface: str, info: _Key) -> bool:
    canon = _canon(surface)
    assert info.exact is not None
    if info.stem:
        return any(canon.startswith(e) for e in info.exact)
    return canon in info.exact


def _to_original(text: str, positions: np.ndarray | None, fstart: int, fend: int) -> tuple[int, int]:
    if positions is None:
        return fstart, fend
    start = int(positions[fstart])
    end = int(positions[fend - 1]) + 1
    while end < len(text) and unicodedata.combining(text[end]):
        end += 1  # the marks of the last letter (NFD input)
    return start, end


def _data_files(extra_dir: str | None) -> list[Path]:
    packaged = resources.files("ttdn.data").joinpath("gazetteer")
    files = sorted((Path(str(p)) for p in packaged.iterdir() if p.name.endswith(".tsv")), key=lambda p: p.name)
    if extra_dir is not None:
        extra = Path(extra_dir)
        if not extra.is_dir():
            raise ConfigError(f"{extra}: gazetteer directory does not exist")
        files += sorted(extra.glob("*.tsv"))
    return files


@functools.lru_cache(maxsize=8)
def _load(extra_dir: str | None) -> Gazetteer:
    entries: dict[str, Entry] = {}
    for path in _data_files(extra_dir):
        _read_file(path, entries)
    return Gazetteer(entries)
