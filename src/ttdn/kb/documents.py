"""Import documents into passages for the fact base: PDF, DOCX, HTML, Markdown, plain text.

``read_document(path)`` returns a `Document` whose ``passages`` are pieces of about
500–1,500 characters, each with the heading it sits under. The text keeps the original
spelling (NFC, spaces tidied; no tone-mark change) so quotes and citations are exact.

How each format is read:

* **PDF** — pypdf's text layer, page by page; wrapped lines are joined, a word hyphenated
  across a line break is rejoined, a sentence running over a page break stays whole. A PDF
  encrypted with an empty user password (only the owner password set) is opened; one that
  needs a password is refused. Pages with no text at all (scans) are refused: OCR first.
* **DOCX** — python-docx: body paragraphs and tables in document order; paragraphs styled
  ``Title`` / ``Heading N`` are headings; a table becomes one block, a row per line, cells
  joined with `` | ``. Headers, footers and comments are left out.
* **HTML** — trafilatura (boilerplate removed, headings and tables kept, as Markdown, then
  read like Markdown); when it finds nothing, every heading, paragraph, list item and cell.
* **Markdown** — markdown-it-py tokens: headings, paragraphs, list items, code, tables;
  YAML front matter is skipped (its ``title:`` is used).
* **Plain text** — paragraphs separated by blank lines (each line one paragraph when the file
  has no blank line).

Passages: a heading starts a new passage, unless the current one is a whole section still
under 500 characters (then the heading is kept as a line of it and the passage keeps its
first heading). Paragraphs are packed up to 1,500 characters; a paragraph that does not fit
is cut into passages of even size between sentences (abbreviations like ``TP.`` and ``Mr.``
do not end one; tables between rows), a sentence longer than 1,500 characters between
words. ``ordinal`` counts from 0.

The kind comes from the extension (or ``media_type=``, for uploads without a usable name)
and must agree with the content's magic bytes: a ``.pdf`` that is a ZIP archive, a ``.docx``
that is text, a ``.txt`` that is a PDF are refused. Every refusal is `ttdn.errors.BadInput`
with a message naming the file, Vietnamese first, then English. ``lang_hint`` is what the
file declares (``<html lang>``, the PDF catalogue's ``/Lang``, DOCX core properties), if any.
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="SOCKS support in urllib3")  # see sources/files.py
    import trafilatura

import docx
import lxml.html
import pypdf
from docx.table import Table
from docx.text.paragraph import Paragraph
from markdown_it import MarkdownIt
from markdown_it.token import Token
from pypdf.errors import DependencyError

from ttdn.errors import BadInput
from ttdn.text.charset import decode_body

__all__ = ["MAX_BYTES", "MEDIA_TYPES", "Document", "Passage", "read_document"]

MAX_BYTES = 50_000_000
MIN_CHARS = 500
MAX_CHARS = 1500

MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html",
    "markdown": "text/markdown",
    "text": "text/plain",
}
_BY_EXTENSION = {
    ".pdf": "pdf", ".docx": "docx", ".html": "html", ".htm": "html", ".xhtml": "html",
    ".md": "markdown", ".markdown": "markdown", ".txt": "text", ".text": "text",
}  # fmt: skip
_BY_MEDIA_TYPE = {
    **{v: k for k, v in MEDIA_TYPES.items()},
    "application/xhtml+xml": "html", "text/x-markdown": "markdown",
}  # fmt: skip
_MAGIC = (
    (b"PK\x03\x04", "zip", "một tệp ZIP / a ZIP archive"),
    (b"PK\x05\x06", "zip", "một tệp ZIP / a ZIP archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole", "tệp Office cũ (.doc) / an old binary Office file (.doc)"),
    (b"\x89PNG", "image", "ảnh PNG / a PNG image"),
    (b"\xff\xd8\xff", "image", "ảnh JPEG / a JPEG image"),
    (b"GIF8", "image", "ảnh GIF / a GIF image"),
    (b"\x1f\x8b", "gzip", "tệp nén gzip / a gzip file"),
)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = str.maketrans("", "", "\u00ad\u200b\u2060\ufeff")
_HYPHEN_BREAK = re.compile(r"(\w)-\n(?=[a-zà-ỹđ])")
_BLANK_LINE = re.compile(r"\n\s*\n")
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’»)\]]*\s+|[。！？]+[」』”’)]*\s*")
_TERMINAL = tuple(".!?…:;。！？\"'”’»)")


@dataclass(slots=True)
class Passage:
    ordinal: int
    text: str
    heading: str | None = None


@dataclass(slots=True)
class Document:
    title: str
    media_type: str
    lang_hint: str | None
    passages: list[Passage] = field(default_factory=list)


@dataclass(slots=True)
class _Block:
    text: str
    level: int = 0  # > 0: a heading of this level
    table: bool = False


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n")).strip()


def _refuse(path: Path, vi: str, en: str) -> BadInput:
    return BadInput(f"{path.name}: {vi} / {en}")


def _read_bytes(path: Path, limit: int) -> bytes:
    with path.open("rb") as handle:
        return handle.read(limit + 1)


def _sniff(data: bytes) -> tuple[str, str]:
    if b"%PDF-" in data[:1024]:
        return "pdf", "một tệp PDF / a PDF file"
    for magic, kind, described in _MAGIC:
        if data.startswith(magic):
            return kind, described
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "binary", "dữ liệu nhị phân / binary data"
    return "text", "văn bản / text"


def _kind_of(path: Path, media_type: str | None) -> str:
    if media_type is not None:
        kind = _BY_MEDIA_TYPE.get(media_type.split(";")[0].strip().lower())
        if kind is None:
            raise _refuse(path, f"không hỗ trợ kiểu {media_type}", f"unsupported media type {media_type}")
        return kind
    kind = _BY_EXTENSION.get(path.suffix.lower())
    if kind is None:
        supported = ", ".join(sorted(_BY_EXTENSION))
        raise _refuse(
            path, f"không hỗ trợ loại tệp này ({supported})", f"unsupported file type (supported: {supported})"
        )
    return kind


def read_document(path: Path, *, max_bytes: int = MAX_BYTES, media_type: str | None = None) -> Document:
    """Read a document into titled passages; raises `BadInput` naming the file when it cannot."""
    path = Path(path)
    kind = _kind_of(path, media_type)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise _refuse(path, "không đọc được tệp", f"cannot read the file ({exc.strerror})") from exc
    if not path.is_file():
        raise _refuse(path, "không phải một tệp", "not a regular file")
    if size > max_bytes:
        raise _refuse(
            path,
            f"tệp quá lớn ({size / 1e6:.1f} MB, tối đa {max_bytes / 1e6:.1f} MB)",
            f"file too large ({size / 1e6:.1f} MB, the limit is {max_bytes / 1e6:.1f} MB)",
        )
    data = _read_bytes(path, max_bytes)
    if len(data) > max_bytes:  # grew since stat
        raise _refuse(path, "tệp quá lớn", f"file too large (over {max_bytes} bytes)")
    if not data or data.isspace():
        raise _refuse(path, "tệp rỗng", "the file is empty")
    sniffed, described = _sniff(data)
    expected = {"pdf": "pdf", "docx": "zip"}.get(kind, "text")
    if sniffed != expected:
        raise _refuse(
            path,
            f"nội dung không khớp với loại {kind.upper()} (thực ra là {described.split(' / ')[0]})",
            f"the content does not match the {kind.upper()} type: it is {described.split(' / ')[1]}",
        )
    reader = {"pdf": _read_pdf, "docx": _read_docx, "html": _read_html, "markdown": _read_markdown}
    title, lang, blocks = reader.get(kind, _read_text)(path, data, max_bytes)
    passages = _passages(blocks)
    if not passages:
        raise _refuse(path, "tài liệu không có nội dung chữ", "the document has no text")
    return Document(title=title or path.stem, media_type=MEDIA_TYPES[kind], lang_hint=lang, passages=passages)


# ---- formats ------------------------------------------------------------------------


_Read = tuple[str, str | None, list[_Block]]


def _first_line_title(blocks: list[_Block]) -> str:
    for block in blocks:
        line = block.text.split("\n", 1)[0].strip()
        if line:
            return line if len(line) <= 150 else ""
    return ""


def _read_pdf(path: Path, data: bytes, max_bytes: int) -> _Read:
    encrypted = _refuse(
        path,
        "PDF được mã hóa bằng mật khẩu — hãy gỡ mật khẩu rồi nhập lại",
        "the PDF is encrypted with a password: remove the password and import it again",
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                try:
                    if reader.decrypt("") == pypdf.PasswordType.NOT_DECRYPTED:
                        raise encrypted
                except (DependencyError, NotImplementedError) as exc:  # AES without `cryptography`
                    raise encrypted from exc
            pages = [page.extract_text() or "" for page in reader.pages]
            title = str(reader.metadata.get("/Title") or "").strip() if reader.metadata else ""
            lang = reader.root_object.get("/Lang")
    except BadInput:
        raise
    except Exception as exc:  # pypdf raises many types on broken files
        raise _refuse(path, "tệp PDF bị hỏng", f"corrupt PDF ({type(exc).__name__}: {exc})") from exc
    if not pages:
        raise _refuse(path, "PDF không có trang nào", "the PDF has no pages")
    if not any(page.strip() for page in pages):
        raise _refuse(
            path,
            "PDF không có lớp chữ (bản quét) — hãy nhận dạng ký tự (OCR) trước",
            "the PDF has no text layer (scanned images): OCR it first",
        )
    paragraphs: list[str] = []
    for page in pages:
        text = _HYPHEN_BREAK.sub(r"\1", _clean(page))
        for i, para in enumerate(p for p in _BLANK_LINE.split(text) if p.strip()):
            para = " ".join(para.split())
            if i == 0 and paragraphs and not paragraphs[-1].endswith(_TERMINAL):
                paragraphs[-1] += " " + para  # a sentence running over the page break
            else:
                paragraphs.append(para)
    blocks = [_Block(p) for p in paragraphs]
    if title.lower().startswith(("untitled", "microsoft word -")):
        title = ""
    return title or _first_line_title(blocks), str(lang) if lang else None, blocks


def _read_docx(path: Path, data: bytes, max_bytes: int) -> _Read:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = {info.filename: info.file_size for info in archive.infolist()}
    except zipfile.BadZipFile as exc:
        raise _refuse(path, "tệp .docx bị hỏng", f"corrupt .docx (bad ZIP archive: {exc})") from exc
    if "word/document.xml" not in infos:
        raise _refuse(path, "tệp ZIP này không phải văn bản Word", "a ZIP archive, but not a Word (.docx) document")
    if sum(infos.values()) > 10 * max_bytes or infos["word/document.xml"] > 2 * max_bytes:
        raise _refuse(path, "nội dung giải nén quá lớn", "the .docx unpacks to too much data (a ZIP bomb?)")
    try:
        document = docx.Document(io.BytesIO(data))
        blocks: list[_Block] = []
        title = ""
        for item in document.iter_inner_content():
            if isinstance(item, Paragraph):
                text = _clean(item.text)
                if not text:
                    continue
                style = item.style.name if item.style is not None else ""
                level = _heading_level(style or "")
                if not title and style == "Title":
                    title = text
                blocks.append(_Block(text, level))
            elif isinstance(item, Table):
                rows = []
                for row in item.rows:
                    cells = list(dict.fromkeys(_clean(cell.text) for cell in row.cells))  # merged cells repeat
                    if any(cells):
                        rows.append(" | ".join(cells))
                if rows:
                    blocks.append(_Block("\n".join(rows), table=True))
        props = document.core_properties
        title = (props.title or "").strip() or title
        lang = (props.language or "").strip() or None
    except Exception as exc:  # python-docx / lxml on a damaged package
        raise _refuse(path, "tệp .docx bị hỏng", f"corrupt .docx ({type(exc).__name__}: {exc})") from exc
    if not title:
        title = next((b.text for b in blocks if b.level), "") or _first_line_title(blocks)
    return title, lang, blocks


def _heading_level(style: str) -> int:
    """1 for ``Title``, N for ``Heading N``, 0 for anything else."""
    match = re.fullmatch(r"(?i)(title|heading)\s*(\d)?", style.strip())
    if match is None:
        return 0
    return 1 if match.group(1).lower() == "title" else int(match.group(2) or 1)


def _read_html(path: Path, data: bytes, max_bytes: int) -> _Read:
    text, _encoding = decode_body(data)
    try:
        tree = lxml.html.document_fromstring(text)
    except Exception as exc:  # lxml: empty or hostile markup
        raise _refuse(path, "không đọc được HTML", f"unreadable HTML ({type(exc).__name__})") from exc
    lang = (tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang") or "").strip() or None
    title = _clean(tree.findtext(".//title") or "")
    for bad in tree.xpath("//script|//style|//noscript|//template"):
        bad.drop_tree()
    markdown = trafilatura.extract(
        tree, output_format="markdown", include_formatting=True, include_tables=True,
        include_comments=False, favor_recall=True, deduplicate=False,
    )  # fmt: skip
    if markdown and markdown.strip():
        _md_title, blocks = _markdown_blocks(markdown)
    else:
        blocks = _html_blocks(tree)
    return title or next((b.text for b in blocks if b.level), ""), lang, blocks


_HTML_BLOCKS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "pre", "blockquote", "td", "th", "dt", "dd")


def _html_blocks(tree: lxml.html.HtmlElement) -> list[_Block]:
    blocks: list[_Block] = []
    for element in tree.iter(*_HTML_BLOCKS):
        if any(parent.tag in _HTML_BLOCKS for parent in element.iterancestors()):
            continue
        text = _clean(element.text_content())
        if text:
            tag = str(element.tag)
            blocks.append(_Block(text, int(tag[1]) if tag[0] == "h" and tag[1:].isdigit() else 0))
    return blocks


def _read_markdown(path: Path, data: bytes, max_bytes: int) -> _Read:
    text, _encoding = decode_body(data)
    title, blocks = _markdown_blocks(text)
    return title or next((b.text for b in blocks if b.level == 1), "") or _first_line_title(blocks), None, blocks


_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?\n)---\s*\n", re.DOTALL)


def _inline(token: Token) -> str:
    parts: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline", "image"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
    text = _clean("".join(parts))
    lines = text.split("\n")
    return text if all(line.startswith("|") for line in lines) else " ".join(lines)


def _markdown_blocks(text: str) -> tuple[str, list[_Block]]:
    title = ""
    front = _FRONT_MATTER.match(text)
    if front is not None:
        text = text[front.end() :]
        found = re.search(r"(?m)^title:\s*[\"']?(.+?)[\"']?\s*$", front.group(1))
        title = found.group(1) if found else ""
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    blocks: list[_Block] = []
    rows: list[str] = []
    cells: list[str] = []
    for i, token in enumerate(tokens):
        kind = token.type
        if kind == "inline":
            previous = tokens[i - 1].type if i else ""
            content = _inline(token)
            if previous in ("th_open", "td_open"):
                cells.append(content)
            elif content and previous == "heading_open":
                blocks.append(_Block(content, int(tokens[i - 1].tag[1:])))
            elif content:
                blocks.append(_Block(content))
        elif kind in ("fence", "code_block") and token.content.strip():
            blocks.append(_Block(_clean(token.content), table=True))
        elif kind == "html_block" and token.content.strip():
            try:
                fragment = lxml.html.fragment_fromstring(token.content, create_parent="div")
            except Exception:  # not parseable as HTML: keep nothing of it
                continue
            if content := _clean(fragment.text_content()):
                blocks.append(_Block(content))
        elif kind == "tr_close":
            if any(cells):
                rows.append(" | ".join(cells))
            cells = []
        elif kind == "table_close":
            if rows:
                blocks.append(_Block("\n".join(rows), table=True))
            rows = []
    return title, blocks


def _read_text(path: Path, data: bytes, max_bytes: int) -> _Read:
    text = _clean(decode_body(data)[0])
    if _BLANK_LINE.search(text):
        paragraphs = [" ".join(p.split()) for p in _BLANK_LINE.split(text)]
    else:
        paragraphs = text.split("\n")
    blocks = [_Block(p) for p in paragraphs if p.strip()]
    return _first_line_title(blocks), None, blocks


# ---- passages -----------------------------------------------------------------------


def _sentences(text: str) -> list[str]:
    """Split between sentences; abbreviations (``TP.``, ``Mr.``, ``U.S.``) do not end one."""
    out: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        if end >= len(text):
            break
        nxt = text[end]
        if match.group()[0] in ".!?…" and not (nxt.isupper() or nxt.isdigit() or nxt in "\"“‘«(['"):
            continue
        if match.group().startswith(".") and match.group().strip() == ".":
            word = re.search(r"(\S+)$", text[start : match.start()])
            token = word.group(1) if word else ""
            if len(token) == 1 or (len(token) <= 3 and token[:1].isupper()) or "." in token:
                continue  # TP. Hồ Chí Minh, Mr. X, U.S. policy
        out.append(text[start:end].strip())
        start = end
    out.append(text[start:].strip())
    return [s for s in out if s]


def _hard_split(text: str, limit: int = MAX_CHARS) -> Iterable[str]:
    while len(text) > limit:
        cut = text.rfind(" ", 0, limit + 1)
        if cut <= limit // 2:
            cut = limit
        yield text[:cut].strip()
        text = text[cut:].strip()
    if text:
        yield text


def _pieces(block: _Block) -> list[str]:
    units = block.text.split("\n") if block.table else _sentences(block.text)
    return [piece for unit in units for piece in _hard_split(unit)]


def _passages(blocks: list[_Block]) -> list[Passage]:
    passages: list[Passage] = []
    heading: str | None = None
    section = 0  # counts headings: a section's tail is not merged into the next section
    buf = ""
    buf_heading: str | None = None
    buf_section = flushed_section = -1

    def flush() -> None:
        nonlocal buf, flushed_section
        if buf.strip():
            passages.append(Passage(len(passages), buf.strip(), buf_heading))
            flushed_section = buf_section
        buf = ""

    def add(text: str, sep: str) -> None:
        nonlocal buf, buf_heading, buf_section
        if not buf:
            buf, buf_heading, buf_section = text, heading, section
        else:
            buf += sep + text

    for block in blocks:
        if block.level:
            if len(buf) >= MIN_CHARS or buf_section == flushed_section:
                flush()
            if buf:
                add(block.text, "\n")  # a short section: keep its heading as a line, go on
            heading = block.text
            section += 1
            continue
        if len(buf) + 1 + len(block.text) <= MAX_CHARS:
            add(block.text, "\n")
            continue
        if len(buf) >= MIN_CHARS:
            flush()
        # cut into passages of even size, between sentences (table rows), never over MAX_CHARS
        total = len(buf) + 1 + len(block.text)
        target = total / math.ceil(total / MAX_CHARS)
        joint = "\n"
        for piece in _pieces(block):
            if buf and (len(buf) + 1 + len(piece) > MAX_CHARS or len(buf) >= target):
                flush()
            add(piece, joint)
            joint = "\n" if block.table else " "
    flush()
    return passages
