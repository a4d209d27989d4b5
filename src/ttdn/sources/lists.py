"""Source lists: the outlets to follow, from an OPML or a CSV file.

``read_source_list(path)`` returns the good sources and a :class:`Rejection` (where + why)
for each bad one; a bad entry never stops the list. A file that cannot be read at all
(unknown extension, not XML, no ``url`` column) raises :class:`BadInput`.

OPML: every ``<outline>`` with an ``xmlUrl`` (or ``url``) is a source; ``text``/``title``
is its name. Outlines may nest in categories, and a category's ``country``, ``lang``,
``kind`` and ``cadence`` (also spelled ``ttdn:country``, ``language``, ``ttdn:kind`` …)
are inherited by the outlines inside it. CSV: columns ``url, name, kind, country, lang,
cadence_minutes`` (case-insensitive; ``language`` and ``cadence`` accepted).

Checks: an http(s) URL, ``kind`` one of feed / sitemap / page, ``country`` ISO 3166-1
alpha-2 (upper-cased), ``lang`` ISO 639-1 (lower-cased; ``en-US`` becomes ``en``), a
positive whole ``cadence``, no URL twice. XML is parsed without entity expansion, DTD
loading or network access.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Mapping
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

from ttdn.collect.fetcher import check_url
from ttdn.errors import BadInput, ConfigError, FetchRefused
from ttdn.records import Rejection, SourceSpec

__all__ = ["KINDS", "default_source_list_path", "read_source_list", "source_spec"]

KINDS = frozenset({"feed", "sitemap", "page"})
MAX_LIST_BYTES = 20_000_000

_COUNTRY_CODES = """
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV
BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES
ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE
IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY
MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU
NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM
SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE
VG VI VN VU WF WS YE YT ZA ZM ZW XK
"""  # ISO 3166-1 alpha-2 (2024), plus XK (Kosovo, in common use)
_LANGUAGE_CODES = """
aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv
dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig
ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh
mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru
rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug
uk ur uz ve vi vo wa wo xh yi yo za zh zu
"""  # ISO 639-1
COUNTRIES = frozenset(_COUNTRY_CODES.split())
LANGUAGES = frozenset(_LANGUAGE_CODES.split())

_ALIASES = {
    "xmlurl": "url", "url": "url", "text": "name", "title": "name", "name": "name",
    "kind": "kind", "country": "country", "lang": "lang", "language": "lang",
    "cadence": "cadence", "cadence_minutes": "cadence",
}  # fmt: skip
_INHERITED = ("kind", "country", "lang", "cadence")


def default_source_list_path() -> Path:
    """The OPML list of outlets shipped with the package (``ttdn/data/default_sources.opml``)."""
    resource = files("ttdn") / "data" / "default_sources.opml"
    if not isinstance(resource, Path) or not resource.is_file():
        raise ConfigError(f"the packaged source list is missing: {resource}")
    return resource


def read_source_list(path: Path) -> tuple[list[SourceSpec], list[Rejection]]:
    """Sources and rejections from an ``.opml``/``.xml`` or ``.csv`` source list."""
    path = Path(path)
    name = path.name.lower()
    if not name.endswith((".opml", ".xml", ".csv")):
        raise BadInput(f"{path}: a source list must be an .opml, .xml or .csv file")
    try:
        size = path.stat().st_size
        if size > MAX_LIST_BYTES:
            raise BadInput(f"{path}: {size} bytes is too large for a source list")
        data = path.read_bytes()
    except OSError as exc:
        raise BadInput(f"{path}: cannot read the source list ({exc.strerror or exc})") from None
    entries = _csv_entries(path, data) if name.endswith(".csv") else _opml_entries(path, data)
    sources: list[SourceSpec] = []
    rejections: list[Rejection] = []
    seen: dict[str, str] = {}
    for origin, fields in entries:
        try:
            spec = source_spec(fields)
            if spec.url in seen:
                raise BadInput(f"duplicate of {seen[spec.url]}")
        except BadInput as exc:
            rejections.append(Rejection(origin, exc.reason))
            continue
        seen[spec.url] = origin
        sources.append(spec)
    return sources, rejections


# --- OPML ---------------------------------------------------------------------------------


def _local(name: str) -> str:
    """``{namespace}country`` and ``ttdn:country`` → ``country``, lower-cased."""
    return name.rsplit("}", 1)[-1].rsplit(":", 1)[-1].lower()


def _opml_entries(path: Path, data: bytes) -> Iterator[tuple[str, dict[str, str]]]:
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    if b"ttdn:" in data and b"xmlns:ttdn" not in data:  # tolerate the undeclared prefix
        data = re.sub(rb"<opml\b", b'<opml xmlns:ttdn="urn:ttdn:opml"', data, count=1)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise BadInput(f"{path}: not well-formed XML ({exc})") from None
    if _local(str(root.tag)) != "opml":
        raise BadInput(f"{path}: the root element is <{_local(str(root.tag))}>, not <opml>")
    return _walk(path, root, {})


def _walk(path: Path, parent: Any, inherited: Mapping[str, str]) -> Iterator[tuple[str, dict[str, str]]]:
    for element in parent:
        if not isinstance(element.tag, str):
            continue  # an entity reference left unexpanded, a comment
        if _local(element.tag) == "head":
            continue
        if _local(element.tag) != "outline":
            yield from _walk(path, element, inherited)
            continue
        fields = dict(inherited)
        for key, value in element.attrib.items():
            local = _local(str(key))
            field = _ALIASES.get(local)
            if field and str(value).strip() and not (local == "title" and "name" in fields):
                fields[field] = str(value).strip()  # text wins over title as the name
        children = [child for child in element if isinstance(child.tag, str)]
        if "url" in fields:
            yield f"{path}:{element.sourceline}", fields
        elif not children:
            yield f"{path}:{element.sourceline}", fields  # rejected: no URL
        if children:
            yield from _walk(path, element, {k: fields[k] for k in _INHERITED if k in fields})


# --- CSV ----------------------------------------------------------------------------------


def _csv_entries(path: Path, data: bytes) -> Iterator[tuple[str, dict[str, str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadInput(f"{path}: not UTF-8 (byte {exc.start})") from None
    sample = text[:8192]
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [_ALIASES.get(name.strip().lower()) for name in next(reader, [])]
    if "url" not in header:
        raise BadInput(f"{path}: the CSV header has no 'url' column")
    return _csv_rows(path, reader, header)


def _csv_rows(path: Path, reader: Any, header: list[str | None]) -> Iterator[tuple[str, dict[str, str]]]:
    while True:
        origin = f"{path}:{reader.line_num + 1}"
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield origin, {"error": f"malformed CSV row: {exc}"}
            continue
        if any(cell.strip() for cell in row):
            yield origin, {k: v.strip() for k, v in zip(header, row, strict=False) if k and v.strip()}


# --- validation ---------------------------------------------------------------------------


def source_spec(fields: Mapping[str, str]) -> SourceSpec:
    if "error" in fields:
        raise BadInput(fields["error"])
    url = fields.get("url", "").strip()
    if not url:
        raise BadInput("no URL (xmlUrl)")
    try:
        check_url(url)  # the same rule the fetcher applies
    except FetchRefused:
        raise BadInput(f"not an http(s) URL: {url[:200]!r}") from None
    parts = urlsplit(url)
    kind = fields.get("kind", "feed").lower()
    if kind not in KINDS:
        raise BadInput(f"kind {kind!r} is not one of feed, sitemap, page")
    country = fields.get("country")
    if country is not None:
        country = country.upper()
        if country not in COUNTRIES:
            raise BadInput(f"country {fields['country']!r} is not an ISO 3166-1 alpha-2 code")
    lang = fields.get("lang")
    if lang is not None:
        lang = lang.replace("_", "-").split("-", 1)[0].lower()
        if lang not in LANGUAGES:
            raise BadInput(f"lang {fields['lang']!r} is not an ISO 639-1 code")
    cadence = fields.get("cadence")
    cadence_minutes = None
    if cadence is not None:
        if not (cadence.isascii() and cadence.isdigit()) or int(cadence) <= 0:
            raise BadInput(f"cadence {cadence!r} is not a positive whole number of minutes")
        cadence_minutes = int(cadence)
    name = fields.get("name") or parts.hostname or url
    return SourceSpec(url=url, name=name, kind=kind, country=country, lang=lang, cadence_minutes=cadence_minutes)
