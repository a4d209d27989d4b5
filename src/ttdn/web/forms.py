"""Form helpers every page shares: the form error, length checks, and uploads streamed to a
temporary file with the size limit (``settings.max_import_bytes`` → 413) checked while
reading — before the role check for a declared size (`upload_guard`), and again on every
chunk.

A form problem raises `FormError` with a message in the user's language; the page re-renders
the form with it (422).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import AsyncGenerator
from pathlib import Path

from fastapi import HTTPException, Request
from starlette.datastructures import FormData, UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

from ttdn.web.i18n import fmt_number, gettext

__all__ = [
    "FormError",
    "check_length",
    "check_upload_size",
    "form_data",
    "receive_upload",
    "safe_filename",
    "upload_guard",
]

MULTIPART_OVERHEAD = 64 * 1024  # headers and small fields around the file
_CONTROL = re.compile(r"[\x00-\x1f\x7f/\\:]")


class FormError(Exception):
    """A field is missing, too long or not valid: re-render the form with this message."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


async def form_data(request: Request) -> FormData:
    """The request's form (a dependency: read once, shared with the CSRF check)."""
    return await request.form()


def check_length(value: str, label: str, limit: int) -> str:
    """``value`` if it has at most ``limit`` characters; else `FormError` naming the field."""
    if len(value) > limit:
        raise FormError(
            gettext("%(field)s is too long (%(length)s characters, at most %(limit)s).")
            % {"field": gettext(label), "length": fmt_number(len(value)), "limit": fmt_number(limit)}
        )
    return value


async def upload_guard(request: Request) -> None:
    """A dependency that runs before the role check: a body declared over the upload limit
    (``settings.max_import_bytes``) is refused unread."""
    check_upload_size(request, request.app.state.settings.max_import_bytes)


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
