"""Import articles from files: JSON Lines, CSV, a folder of HTML pages, a WARC archive.

``iter_import(path)`` yields a :class:`RawArticle` for each good record and a
:class:`Rejection` (where + why) for each bad one; a malformed record never stops the batch.
A problem with the whole file (missing, unknown format, CSV header without text or title)
raises :class:`BadInput`. Nothing is loaded whole: lines and records are read with a
bound of ``max_bytes`` and longer ones are skipped with a rejection.

Origins point back at the input:

- JSONL: ``FILE:LINE``; CSV: ``FILE:LINE`` of the line where the row starts (header = 1);
- HTML: the file's path; WARC: ``FILE@OFFSET``, the byte offset of the record.

Records (JSONL objects, CSV columns, case-insensitive for CSV): ``url``, ``title``,
``text``, ``published_at`` (ISO 8601; a date alone or a naive time is taken as UTC),
``lang``, ``source`` and optional ``authors`` (a list, or one string split on ``,``/``;``).
CSV also accepts ``link``, ``date``/``published``, ``body``/``content``, ``language``, ``author``.
"""

from __future__ import annotations

import csv
import gzip
import json
import logging
import re
import warnings
import zlib
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, cast

from warcio.archiveiterator import ArchiveIterator

with warnings.catch_warnings():
    # trafilatura probes urllib3's optional SOCKS support on import; under warnings-as-errors
    # urllib3's DependencyWarning (PySocks missing) would escape its `except ImportError`.
    warnings.filterwarnings("ignore", message="SOCKS support in urllib3")
    import trafilatura
    from trafilatura.settings import Document

from ttdn.collect.fetcher import check_url
from ttdn.errors import BadInput, FetchRefused
from ttdn.records import RawArticle, Rejection
from ttdn.text.charset import decode_body

__all__ = ["count_units", "iter_import"]

log = logging.getLogger(__name__)

_FORMATS = {
    "jsonl": (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz"), "csv": (".csv",),
    "warc": (".warc", ".warc.gz"), "html": (".html", ".htm"),
}  # fmt: skip
_HTML_SUFFIXES = _FORMATS["html"]
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_CSV_FIELDS = {
    "url": "url", "link": "url", "title": "title",
    "text": "text", "body": "text", "content": "text",
    "published_at": "published_at", "date": "published_at", "published": "published_at",
    "lang": "lang", "language": "lang", "source": "source", "authors": "authors", "author": "authors",
}  # fmt: skip
_BOM = b"\xef\xbb\xbf"
_CHUNK = 1 << 20
_SNIFF_BYTES = 8192
_LANG_RE = re.compile(r"[a-z]{2,3}")
_CHARSET_RE = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)


def iter_import(path: Path, *, max_bytes: int = 50_000_000) -> Iterator[RawArticle | Rejection]:
    """Articles and rejections from ``path``; raises :class:`BadInput` for an unusable path."""
    path = Path(path)
    if not path.exists():
        raise BadInput(f"{path}: no such file or folder")
    fmt = _format(path)
    if fmt == "jsonl":
        return _iter_jsonl(path, max_bytes)
    if fmt == "csv":
        return _iter_csv(path, max_bytes)
    if fmt == "warc":
        return _iter_warc(path, max_bytes)
    files = _html_files(path) if fmt == "html-dir" else [path]
    return _iter_html_files(files, max_bytes)


def count_units(path: Path) -> int | None:
    """How many units ``iter_import`` will go through (lines, rows, files), for a progress bar.

    Cheap and approximate (a CSV field spanning lines counts more than once); ``None`` when
    unknown (WARC, unknown format, unreadable file).
    """
    path = Path(path)
    try:
        fmt = _format(path) if path.exists() else None
    except BadInput:
        return None
    if fmt == "html-dir":
        return len(_html_files(path))
    if fmt == "html":
        return 1
    if fmt not in ("jsonl", "csv"):
        return None
    lines, last = 0, b"\n"
    try:
        with _open_binary(path) as stream:
            while chunk := stream.read(_CHUNK):
                lines += chunk.count(b"\n")
                last = chunk[-1:]
    except (OSError, EOFError, zlib.error):
        return None
    lines += last != b"\n"
    return max(lines - 1, 0) if fmt == "csv" else lines


# --- dispatch -----------------------------------------------------------------------------


def _format(path: Path) -> str:
    if path.is_dir():
        return "html-dir"
    name = path.name.lower()
    for fmt, suffixes in _FORMATS.items():
        if name.endswith(suffixes):
            return fmt
    raise BadInput(
        f"{path}: unknown import format; expected .jsonl, .ndjson, .jsonl.gz, .csv, .warc, "
        ".warc.gz, an .html file or a folder of .html/.htm files"
    )


def _open_binary(path: Path) -> IO[bytes]:
    if path.name.lower().endswith(".gz"):
        return cast(IO[bytes], gzip.open(path, "rb"))
    return path.open("rb")


def _skip_line(stream: IO[bytes]) -> None:
    """Read on to the next newline in bounded chunks."""
    while True:
        chunk = stream.readline(_CHUNK)
        if not chunk or chunk.endswith(b"\n"):
            return


# --- JSON Lines ---------------------------------------------------------------------------


def _iter_jsonl(path: Path, max_bytes: int) -> Iterator[RawArticle | Rejection]:
    lineno = 0
    with _open_binary(path) as stream:
        while True:
            try:
                line = stream.readline(max_bytes + 1)
                if line and len(line) > max_bytes and not line.endswith(b"\n"):
                    del line
                    _skip_line(stream)
                    lineno += 1
                    yield Rejection(f"{path}:{lineno}", f"line longer than {max_bytes} bytes", kind="too_large")
                    continue
            except (OSError, EOFError, zlib.error) as exc:
                yield Rejection(
                    f"{path}:{lineno + 1}",
                    f"file unreadable after line {lineno} ({exc}); the rest was skipped",
                )
                return
            if not line:
                return
            lineno += 1
            if lineno == 1 and line.startswith(_BOM):
                line = line[len(_BOM) :]
            if line.strip():
                yield _parse_json_line(line.rstrip(b"\r\n"), f"{path}:{lineno}")


def _parse_json_line(line: bytes, origin: str) -> RawArticle | Rejection:
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Rejection(origin, f"invalid UTF-8 at byte {exc.start} of the line")
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        return Rejection(origin, f"invalid JSON: {exc.msg} at column {exc.colno}")
    except RecursionError:
        return Rejection(origin, "invalid JSON: nested too deeply")
    if not isinstance(obj, dict):
        return Rejection(origin, f"not a JSON object but {_json_type(obj)}")
    return _to_article(obj, origin)


def _json_type(value: object) -> str:
    names = {list: "an array", str: "a string", bool: "a boolean", int: "a number", float: "a number"}
    return "null" if value is None else names.get(type(value), type(value).__name__)


# --- records, shared by JSONL and CSV -----------------------------------------------------


def _to_article(record: Mapping[str, object], origin: str) -> RawArticle | Rejection:
    try:
        url = _opt_str(record, "url")
        if url is not None and _http_url(url) is None:
            raise BadInput(f"url is not an http(s) URL: {_short(url)}")
        title = _opt_str(record, "title") or ""
        text = _opt_str(record, "text") or ""
        if not title and not text:
            raise BadInput("no text and no title")
        published_at = _parse_date(_opt_str(record, "published_at"))
        lang = _lang_hint(_opt_str(record, "lang"))
        source = _opt_str(record, "source")
        authors = _authors(record.get("authors"))
    except BadInput as exc:
        return Rejection(origin, exc.reason)
    return RawArticle(
        url=url,
        title=title,
        text=text,
        published_at=published_at,
        lang_hint=lang,
        authors=authors,
        source_name=source,
        origin=origin,
    )


def _short(value: str, limit: int = 80) -> str:
    return repr(value if len(value) <= limit else value[:limit] + "…")


def _opt_str(record: Mapping[str, object], key: str) -> str | None:
    value = record.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadInput(f"'{key}' must be a string, not {_json_type(value)}")
    return value.strip() or None


def _http_url(value: str | None) -> str | None:
    """``value`` stripped if it is a URL the fetcher would accept, else None."""
    if not value:
        return None
    try:
        return check_url(value)
    except FetchRefused:
        return None


def _parse_date(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise BadInput(f"unparseable published_at {_short(value)} (expected ISO 8601)") from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _lang_hint(value: str | None) -> str | None:
    if value is None:
        return None
    primary = re.split(r"[-_]", value.lower(), maxsplit=1)[0]
    return primary if _LANG_RE.fullmatch(primary) else None


def _authors(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [name.strip() for name in re.split(r"[;,]", value) if name.strip()]
    if isinstance(value, list) and all(isinstance(name, str) for name in value):
        return [name.strip() for name in value if name.strip()]
    raise BadInput("'authors' must be a string or a list of strings")


# --- CSV ----------------------------------------------------------------------------------


class _LineTooLong(Exception):
    pass


class _CsvLines:
    """Lines for ``csv.reader``: bounded; bytes that are not UTF-8 kept as surrogates."""

    def __init__(self, stream: IO[bytes], max_bytes: int) -> None:
        self.stream, self.max_bytes, self.lineno = stream, max_bytes, 0

    def __iter__(self) -> _CsvLines:
        return self

    def __next__(self) -> str:
        line = self.stream.readline(self.max_bytes + 1)
        if not line:
            raise StopIteration
        self.lineno += 1
        if self.lineno == 1 and line.startswith(_BOM):
            line = line[len(_BOM) :]
        if len(line) > self.max_bytes and not line.endswith(b"\n"):
            del line
            _skip_line(self.stream)
            raise _LineTooLong
        return line.decode("utf-8", "surrogateescape")


def _sniff_delimiter(sample: bytes) -> str:
    text = sample.decode("utf-8", "replace").lstrip("\ufeff")
    if "\n" in text.rstrip("\r\n"):
        text = text[: text.rstrip("\r\n").rindex("\n")]  # whole lines only
    try:
        return csv.Sniffer().sniff(text, delimiters=",;\t").delimiter
    except csv.Error:
        return ","


def _iter_csv(path: Path, max_bytes: int) -> Iterator[RawArticle | Rejection]:
    old_limit = csv.field_size_limit(max_bytes)
    try:
        with path.open("rb") as stream:
            delimiter = _sniff_delimiter(stream.read(_SNIFF_BYTES))
            stream.seek(0)
            lines = _CsvLines(stream, max_bytes)
            reader = csv.reader(lines, delimiter=delimiter)
            try:
                header = [_CSV_FIELDS.get(name.strip().lower()) for name in next(reader)]
            except (StopIteration, _LineTooLong, csv.Error) as exc:
                raise BadInput(f"{path}: no readable CSV header ({type(exc).__name__})") from None
            if "text" not in header and "title" not in header:
                raise BadInput(f"{path}: the CSV header has neither a 'text' nor a 'title' column")
            header = [name if name not in header[:i] else None for i, name in enumerate(header)]
            while True:
                origin = f"{path}:{lines.lineno + 1}"
                try:
                    row = next(reader)
                except StopIteration:
                    return
                except _LineTooLong:
                    yield Rejection(origin, f"line longer than {max_bytes} bytes", kind="too_large")
                    continue
                except csv.Error as exc:
                    yield Rejection(origin, f"malformed CSV row: {exc}")
                    continue
                if any(cell.strip() for cell in row):
                    yield _csv_row(row, header, origin)
    finally:
        csv.field_size_limit(old_limit)


def _csv_row(row: list[str], header: list[str | None], origin: str) -> RawArticle | Rejection:
    if len(row) > len(header) and any(cell.strip() for cell in row[len(header) :]):
        return Rejection(origin, f"row has {len(row)} fields, the header has {len(header)}")
    try:
        "".join(row).encode("utf-8")
    except UnicodeEncodeError:
        return Rejection(origin, "invalid UTF-8 in the row")
    record = {name: cell for name, cell in zip(header, row, strict=False) if name is not None}
    return _to_article(record, origin)


# --- HTML ---------------------------------------------------------------------------------


def _html_files(folder: Path) -> list[Path]:
    found = (p for p in folder.rglob("*") if p.suffix.lower() in _HTML_SUFFIXES and p.is_file())
    return sorted(found, key=lambda p: p.relative_to(folder).as_posix())


def _iter_html_files(files: list[Path], max_bytes: int) -> Iterator[RawArticle | Rejection]:
    for file in files:
        origin = str(file)
        try:
            size = file.stat().st_size
            if size > max_bytes:
                yield Rejection(origin, f"file is {size} bytes, over the {max_bytes}-byte limit", kind="too_large")
                continue
            body = file.read_bytes()
        except OSError as exc:
            yield Rejection(origin, f"cannot read the file: {exc.strerror or exc}")
            continue
        yield _extract_html(body, url=None, origin=origin)


def _extract_html(body: bytes, *, url: str | None, origin: str, charset: str | None = None) -> RawArticle | Rejection:
    """One page → an article with trafilatura; ``url`` None: take the page's canonical URL."""
    if not body.strip():
        return Rejection(origin, "no article text (empty page)", kind="bad_content")
    html, _encoding = decode_body(body, charset)
    tree = trafilatura.load_html(html)
    if tree is None:
        return Rejection(origin, "no article text (not parseable as HTML)", kind="bad_content")
    lang = _lang_hint(tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang"))
    links = ((link.get("rel") or "", link.get("href")) for link in tree.iter("link"))
    canonical = next((href for rel, href in links if "canonical" in rel.lower().split()), None)
    doc = trafilatura.bare_extraction(tree, url=url, with_metadata=True, include_comments=False)
    text = (doc.text or "") if isinstance(doc, Document) else ""
    if not isinstance(doc, Document) or not text.strip():
        return Rejection(origin, "no article text", kind="bad_content")
    published_at = None
    if doc.date:
        try:
            published_at = _parse_date(doc.date)
        except BadInput:
            log.debug("%s: ignoring the extracted date %r", origin, doc.date)
    return RawArticle(
        url=url or _http_url(canonical) or _http_url(doc.url),
        title=(doc.title or "").strip(),
        text=text.strip(),
        published_at=published_at,
        lang_hint=lang,
        authors=_authors(doc.author),
        source_name=doc.sitename or None,
        origin=origin,
    )


# --- WARC ---------------------------------------------------------------------------------


def _iter_warc(path: Path, max_bytes: int) -> Iterator[RawArticle | Rejection]:
    """HTML ``response`` records with status 200; a broken archive stops with a rejection."""
    with path.open("rb") as stream:
        records = ArchiveIterator(stream)
        found = iter(records)
        offset = 0
        while True:
            try:
                record = next(found)
                offset = records.offset  # where it starts (get_record_offset() would consume it)
                if not record.rec_type or record.length is None:
                    raise EOFError("incomplete record header")
                page = _warc_page(record, max_bytes)
                while record.raw_stream.read(_CHUNK):  # drain, to see whether it was complete
                    pass
                if getattr(record.raw_stream, "limit", 0) > 0:
                    raise EOFError("the file ends inside this record")
            except StopIteration:
                break
            except Exception as exc:  # warcio raises anything from ValueError to AttributeError
                yield _warc_broken(path, max(offset, records.offset or 0), exc)
                return
            if isinstance(page, Rejection):
                yield Rejection(f"{path}@{offset}", page.reason, kind=page.kind)
            elif page is not None:
                url, body, charset = page
                yield _extract_html(body, url=url, origin=f"{path}@{offset}", charset=charset)
        size = path.stat().st_size
        if records.offset < size:
            stream.seek(records.offset)
            tail = stream.read(_CHUNK)
            if path.name.lower().endswith(".gz") or tail.strip():
                yield _warc_broken(path, records.offset, EOFError("unreadable or truncated data"))


def _warc_page(record: Any, max_bytes: int) -> tuple[str | None, bytes, str | None] | Rejection | None:
    """(url, body, charset) of an HTML 200 response; None for any other record."""
    if record.rec_type != "response" or record.http_headers is None:
        return None
    content_type = record.http_headers.get_header("Content-Type") or ""
    mime = content_type.split(";", 1)[0].strip().lower()
    if record.http_headers.get_statuscode() != "200" or mime not in _HTML_TYPES:
        return None
    body = record.content_stream().read(max_bytes + 1)
    if len(body) > max_bytes:
        return Rejection("", f"record body over {max_bytes} bytes", kind="too_large")
    charset = _CHARSET_RE.search(content_type)
    url = _http_url(record.rec_headers.get_header("WARC-Target-URI"))
    return url, body, charset.group(1) if charset else None


def _warc_broken(path: Path, where: int, exc: BaseException) -> Rejection:
    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    if not isinstance(exc, EOFError):
        detail = f"{type(exc).__name__}: {detail}".rstrip(": ")
    return Rejection(
        f"{path}@{where}",
        f"WARC broken at byte {where} ({detail}); the rest of the file was skipped",
        kind="bad_content",
    )
