"""Reading the fact-base forms: the fact form (repeated language and source rows, every field
length-checked before anything is stored) and document uploads streamed to a temporary file
with the size limit (``settings.max_import_bytes`` → 413) checked while reading.

A form problem raises `FormError` with a message in the user's language; the page re-renders
the form with it (422). Problems only the fact base can judge (a language code, a URL, dates
in the wrong order) come back from `ttdn.kb.facts.FactStore` as `ttdn.errors.BadInput`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import AsyncGenerator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from fastapi import HTTPException, Request
from starlette.datastructures import FormData, UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

from ttdn.kb.facts import MAX_BODY, MAX_NOTE, MAX_TITLE, MAX_TOPIC, MAX_URL, FactSource
from ttdn.web.i18n import N_, fmt_number, gettext

__all__ = [
    "FactForm",
    "FormError",
    "SourceRow",
    "TextRow",
    "check_length",
    "check_upload_size",
    "fact_form",
    "receive_upload",
]

MAX_LANG = 8
MAX_ROWS = 30
MAX_SOURCES = 50
MULTIPART_OVERHEAD = 64 * 1024  # headers and small fields around the file
_CONTROL = re.compile(r"[\x00-\x1f\x7f/\\:]")


class FormError(Exception):
    """A field is missing, too long or not valid: re-render the form with this message."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(slots=True)
class TextRow:
    lang: str = ""
    title: str = ""
    body: str = ""
    existing: bool = False
    remove: bool = False


@dataclass(slots=True)
class SourceRow:
    url: str = ""
    document: str = ""
    note: str = ""


@dataclass(slots=True)
class FactForm:
    """What the analyst typed, as typed (to show again when something is refused)."""

    topic: str = ""
    valid_from: str = ""
    valid_to: str = ""
    texts: list[TextRow] = field(default_factory=list)
    sources: list[SourceRow] = field(default_factory=list)

    def text_mapping(self) -> dict[str, tuple[str, str] | None]:
        """lang → (title, body), or None to remove; blank new rows left out."""
        out: dict[str, tuple[str, str] | None] = {}
        for row in self.texts:
            lang = row.lang.strip().lower()
            if not row.existing and not row.title.strip() and not row.body.strip():
                continue  # a blank block for a new language (its code may be filled in already)
            if not lang:
                raise FormError(gettext("Give the language code (vi, en, fr…) of every text."))
            if lang in out:
                raise FormError(gettext("The language %(lang)s appears twice.") % {"lang": lang})
            out[lang] = None if row.remove else (row.title, row.body)
        return out

    def source_list(self) -> list[FactSource]:
        out = []
        for row in self.sources:
            if not (row.url.strip() or row.document.strip() or row.note.strip()):
                continue
            document = row.document.strip()
            if document and not document.isdigit():
                raise FormError(gettext("Choose the document from the list."))
            out.append(FactSource(row.url.strip() or None, int(document) if document else None, row.note))
        if len(out) > MAX_SOURCES:
            raise FormError(gettext("Too many sources (at most %(n)s).") % {"n": MAX_SOURCES})
        return out

    def dates(self) -> tuple[date | None, date | None]:
        return _date(self.valid_from), _date(self.valid_to)


def _date(value: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise FormError(gettext("A date must be written YYYY-MM-DD: %(value)s") % {"value": value[:20]}) from None


def _field(form: FormData, name: str, label: str, limit: int) -> str:
    value = form.get(name, "")
    return check_length(value if isinstance(value, str) else "", label, limit)


def _fields(form: FormData, name: str, label: str, limit: int) -> list[str]:
    values = [v if isinstance(v, str) else "" for v in form.getlist(name)]
    if len(values) > MAX_ROWS + MAX_SOURCES:
        raise FormError(gettext("Too many rows in the form."))
    return [check_length(v, label, limit) for v in values]


def check_length(value: str, label: str, limit: int) -> str:
    """``value`` if it has at most ``limit`` characters; else `FormError` naming the field."""
    if len(value) > limit:
        raise FormError(
            gettext("%(field)s is too long (%(length)s characters, at most %(limit)s).")
            % {"field": gettext(label), "length": fmt_number(len(value)), "limit": fmt_number(limit)}
        )
    return value


def fact_form(form: FormData) -> FactForm:
    """Read and length-check the fact form (``lang``/``title``/``body`` rows, ``remove`` = the
    languages to drop, ``source_url``/``source_doc``/``source_note`` rows)."""
    result = FactForm(
        topic=_field(form, "topic", N_("Topic"), MAX_TOPIC),
        valid_from=_field(form, "valid_from", N_("Valid from"), 10),
        valid_to=_field(form, "valid_to", N_("Valid until"), 10),
    )
    langs = _fields(form, "lang", N_("Language"), MAX_LANG)
    titles = _fields(form, "title", N_("Title"), MAX_TITLE)
    bodies = _fields(form, "body", N_("Text"), MAX_BODY)
    existing = set(_fields(form, "existing", N_("Language"), MAX_LANG))
    removed = set(_fields(form, "remove", N_("Language"), MAX_LANG))
    if not len(langs) == len(titles) == len(bodies):
        raise FormError(gettext("The form is incomplete; reload the page and try again."))
    if len(langs) > MAX_ROWS:
        raise FormError(gettext("Too many rows in the form."))
    for lang, title, body in zip(langs, titles, bodies, strict=True):
        key = lang.strip().lower()
        result.texts.append(TextRow(lang, title, body, key in existing, key in removed))
    urls = _fields(form, "source_url", N_("Address"), MAX_URL)
    docs = _fields(form, "source_doc", N_("Document"), 12)
    notes = _fields(form, "source_note", N_("Note"), MAX_NOTE)
    if not len(urls) == len(docs) == len(notes):
        raise FormError(gettext("The form is incomplete; reload the page and try again."))
    result.sources = [SourceRow(u, d, n) for u, d, n in zip(urls, docs, notes, strict=True)]
    return result


# ---- uploads -------------------------------------------------------------------------


class _TooLarge(Exception):
    pass


def _too_large(limit: int) -> HTTPException:
    megabytes = fmt_number(limit / 1_000_000, 1)
    return HTTPException(413, gettext("The file is larger than the limit of %(size)s MB.") % {"size": megabytes})


def check_upload_size(request: Request, limit: int) -> None:
    """Refuse (413) before reading when the declared body is already over the limit."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit + MULTIPART_OVERHEAD:
        raise _too_large(limit)


def safe_filename(name: str | None) -> str:
    """The last part of an uploaded file's name, without control characters or separators."""
    base = unicodedata.normalize("NFC", (name or "").replace("\\", "/").rsplit("/", 1)[-1])
    base = _CONTROL.sub("", base).strip().lstrip(".")
    if len(base) > 150:
        stem, dot, suffix = base.rpartition(".")
        base = (stem[: 140 - len(suffix)] + dot + suffix) if dot and len(suffix) <= 10 else base[:150]
    return base or "upload"


async def receive_upload(request: Request, limit: int, directory: Path, *, name: str = "file") -> Path:
    """Stream the multipart field ``name`` into ``directory`` (keeping a safe form of its file
    name) and return its path; 413 as soon as the body passes ``limit``."""
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise FormError(gettext("Send the file as a multipart form (field “file”)."))
    check_upload_size(request, limit)

    async def counted() -> AsyncGenerator[bytes, None]:
        seen = 0
        async for chunk in request.stream():
            seen += len(chunk)
            if seen > limit + MULTIPART_OVERHEAD:
                raise _TooLarge
            yield chunk

    try:
        form = await MultiPartParser(request.headers, counted(), max_files=1, max_fields=20).parse()
    except _TooLarge:
        raise _too_large(limit) from None
    except MultiPartException as exc:
        raise FormError(gettext("The upload could not be read: %(reason)s") % {"reason": exc.message}) from None
    except RuntimeError:  # the CSRF check already read the form (a plain form post): use it
        form = await request.form()
    upload = form.get(name)
    try:
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise FormError(gettext("Choose a file to import."))
        if upload.size is not None and upload.size > limit:
            raise _too_large(limit)
        target = directory / safe_filename(upload.filename)
        await upload.seek(0)
        with target.open("wb") as out:
            written = 0
            while chunk := await upload.read(1 << 20):
                written += len(chunk)
                if written > limit:
                    raise _too_large(limit)
                out.write(chunk)
        return target
    finally:
        await form.close()
