"""The sources page: every source with its health, add one, import an OPML or CSV list,
enable or disable (analysts).

A source is checked exactly as ``ttdn sources add`` and ``ttdn sources import`` check it
(`ttdn.sources.lists.source_spec`, which applies the fetcher's own URL rule): a bad field
re-renders the form with the reason (422) and stores nothing. An uploaded list is streamed to
a temporary file with the size limit checked while reading (413), then read by
`ttdn.sources.lists.read_source_list`; a file that cannot be read at all stores nothing, and a
bad entry is listed with its line and reason while the good ones are added. The bundled list
is loaded by ``POST /sources/defaults`` (in the dashboard module).
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from ttdn.errors import BadInput, TTDNError
from ttdn.records import Rejection
from ttdn.sources.lists import KINDS, MAX_LIST_BYTES, read_source_list, source_spec
from ttdn.store import SourceRecord
from ttdn.web.accounts import UserInfo
from ttdn.web.deps import require, store_of
from ttdn.web.forms import FormError, check_upload_size, receive_upload
from ttdn.web.i18n import N_, gettext
from ttdn.web.queries_search import forget_options
from ttdn.web.templating import render

__all__ = ["router"]

router = APIRouter()
Viewer = Annotated[UserInfo, Depends(require("viewer"))]
Analyst = Annotated[UserInfo, Depends(require("analyst"))]

MAX_URL = 2000
MAX_NAME = 200
SHOWN_REJECTIONS = 100
FLASH = "sources_flash"
VIEWS = ("all", "problems", "disabled")
PAGE = 100  # sources per page
# what went wrong last (`ttdn.errors` kinds), in the interface language
ERROR_KINDS = {
    "retry": N_("temporary failure, retrying"),
    "quarantine": N_("failed"),
    "bad_input": N_("bad input"),
    "refused": N_("refused"),
    "fetch_failed": N_("fetch failed"),
    "too_large": N_("too large"),
    "bad_content": N_("bad content"),
}


def _upload_limit(request: Request) -> int:
    return min(int(request.app.state.settings.max_import_bytes), MAX_LIST_BYTES)


def _record_json(record: SourceRecord) -> dict[str, Any]:
    return {slot: getattr(record, slot) for slot in record.__slots__} | {"healthy": record.healthy}


def _get(request: Request, source_id: int) -> SourceRecord:
    try:
        return store_of(request).sources.get(source_id)
    except BadInput:
        raise HTTPException(404, gettext("No source with this number.")) from None


def _is_htmx(request: Request) -> bool:
    return bool(request.headers.get("hx-request"))


# --- the page ------------------------------------------------------------------------------


@dataclass
class ImportResult:
    filename: str
    added: int = 0
    present: int = 0
    rejections: list[Rejection] = field(default_factory=list)

    @property
    def shown(self) -> list[Rejection]:
        return self.rejections[:SHOWN_REJECTIONS]


def _page(
    request: Request,
    *,
    view: str = "all",
    status_code: int = 200,
    values: dict[str, str] | None = None,
    add_error: str | None = None,
    import_error: str | None = None,
    imported: ImportResult | None = None,
    offset: int = 0,
) -> Response:
    records = store_of(request).sources.all()
    if view == "problems":
        shown = [r for r in records if not r.healthy]
    elif view == "disabled":
        shown = [r for r in records if not r.enabled]
    else:
        shown = records
    offset = min(offset, max(0, len(shown) - 1))
    context = {
        "sources": shown[offset : offset + PAGE],
        "shown": len(shown),
        "offset": offset,
        "page": PAGE,
        "view": view,
        "views": VIEWS,
        "total": len(records),
        "enabled": sum(r.enabled for r in records),
        "unhealthy": sum(not r.healthy for r in records),
        "items": sum(r.items_collected for r in records),
        "kinds": sorted(KINDS),
        "values": values or {"kind": "feed"},
        "add_error": add_error,
        "import_error": import_error,
        "imported": imported,
        "flash": request.session.pop(FLASH, None),
        "limit_mb": _upload_limit(request) / 1_000_000,
        "max_url": MAX_URL,
        "max_name": MAX_NAME,
        "error_kinds": ERROR_KINDS,
    }
    return render(request, "sources.html", context, status_code=status_code)


@router.get("/sources", include_in_schema=False)
def sources_page(
    request: Request, user: Viewer, show: str = "all", offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0
) -> Response:
    return _page(request, view=show if show in VIEWS else "all", offset=offset)


@router.post("/sources", include_in_schema=False)
def add_source(
    request: Request,
    user: Analyst,
    url: Annotated[str, Form(max_length=MAX_URL)] = "",
    name: Annotated[str, Form(max_length=MAX_NAME)] = "",
    kind: Annotated[str, Form(max_length=16)] = "feed",
    country: Annotated[str, Form(max_length=8)] = "",
    lang: Annotated[str, Form(max_length=16)] = "",
    cadence: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    values = {"url": url, "name": name, "kind": kind, "country": country, "lang": lang, "cadence": cadence}
    fields = {key: value.strip() for key, value in values.items() if value.strip()}
    if not fields.get("url"):
        return _page(request, status_code=422, values=values, add_error=gettext("Give the address of the source."))
    try:
        spec = source_spec(fields)
    except TTDNError as exc:
        message = gettext("This source cannot be added: {}").format(exc.reason)
        return _page(request, status_code=422, values=values, add_error=message)
    added, _ = store_of(request).sources.add([spec])
    if not added:
        message = gettext("A source with this address is already registered.")
        return _page(request, status_code=409, values=values, add_error=message)
    forget_options(store_of(request).database.engine)
    request.session[FLASH] = gettext("Source added: {}").format(spec.name)
    return RedirectResponse("/sources", status_code=303)


@router.post("/sources/{source_id}/enabled", include_in_schema=False)
def set_enabled(request: Request, user: Analyst, source_id: int, enabled: Annotated[bool, Form()]) -> Response:
    record = _get(request, source_id)
    record = store_of(request).sources.set_enabled(record.id, enabled)
    if _is_htmx(request):
        return render(request, "partials/sources_row.html", {"source": record, "error_kinds": ERROR_KINDS})
    request.session[FLASH] = (gettext("Source enabled: {}") if enabled else gettext("Source disabled: {}")).format(
        record.name
    )
    return RedirectResponse("/sources", status_code=303)


async def _upload_guard(request: Request) -> None:
    """Before the role check reads a plain form: refuse a body already declared too large."""
    check_upload_size(request, _upload_limit(request))


async def _import_upload(request: Request) -> ImportResult:
    """Read the uploaded list (field ``file``) and add its good sources; raises FormError or BadInput."""
    folder = Path(tempfile.mkdtemp(prefix="ttdn-sources-"))
    try:
        path = await receive_upload(request, _upload_limit(request), folder)
        try:
            specs, rejections = await run_in_threadpool(read_source_list, path)
        except BadInput as exc:
            raise BadInput(exc.reason.replace(f"{folder}/", "")) from None
        store = store_of(request)
        added, present = await run_in_threadpool(store.sources.add, specs)
        forget_options(store.database.engine)
        cleaned = [
            Rejection(r.origin.replace(f"{folder}/", ""), r.reason.replace(f"{folder}/", ""), r.kind)
            for r in rejections
        ]
        return ImportResult(filename=path.name, added=added, present=present, rejections=cleaned)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@router.post("/sources/import", include_in_schema=False)
async def import_sources(request: Request, _guard: Annotated[None, Depends(_upload_guard)], user: Analyst) -> Response:
    try:
        result = await _import_upload(request)
    except (FormError, BadInput) as exc:
        message = exc.message if isinstance(exc, FormError) else exc.reason
        message = gettext("Nothing was imported: {}").format(message)
        if _is_htmx(request):
            return render(request, "partials/sources_import.html", {"import_error": message}, status_code=422)
        return await run_in_threadpool(lambda: _page(request, status_code=422, import_error=message))
    if _is_htmx(request):
        records = await run_in_threadpool(store_of(request).sources.all)
        context = {"imported": result, "sources": records, "refresh_rows": True, "error_kinds": ERROR_KINDS}
        return render(request, "partials/sources_import.html", context)
    return await run_in_threadpool(lambda: _page(request, imported=result))


# --- JSON ----------------------------------------------------------------------------------


class SourceCreate(BaseModel):
    url: str = Field(max_length=MAX_URL, description="http(s) address of the feed, sitemap or page")
    name: str | None = Field(None, max_length=MAX_NAME, description="Display name (default: the host)")
    kind: str = Field("feed", max_length=16, description="feed | sitemap | page")
    country: str | None = Field(None, max_length=8, description="Outlet country, ISO 3166-1 alpha-2")
    lang: str | None = Field(None, max_length=16, description="Content language, ISO 639-1")
    cadence_minutes: int | None = Field(None, gt=0, le=100_000, description="Minutes between polls")


class SourceUpdate(BaseModel):
    enabled: bool


@router.post("/api/sources", tags=["sources"], status_code=201)
def create_source(request: Request, user: Analyst, body: SourceCreate) -> dict[str, Any]:
    """Add one source (checked as ``ttdn sources add`` checks it); 409 if its URL is registered."""
    fields = {
        key: str(value)
        for key, value in {
            "url": body.url, "name": body.name, "kind": body.kind, "country": body.country, "lang": body.lang,
            "cadence": body.cadence_minutes,
        }.items()
        if value not in (None, "")
    }  # fmt: skip
    try:
        spec = source_spec(fields)
    except TTDNError as exc:
        raise HTTPException(422, exc.reason) from exc
    added, _ = store_of(request).sources.add([spec])
    if not added:
        raise HTTPException(409, gettext("A source with this address is already registered."))
    forget_options(store_of(request).database.engine)
    return _record_json(store_of(request).sources.get(spec.url))


@router.patch("/api/sources/{source_id}", tags=["sources"])
def update_source(request: Request, user: Analyst, source_id: int, body: SourceUpdate) -> dict[str, Any]:
    """Enable or disable a source."""
    record = _get(request, source_id)
    return _record_json(store_of(request).sources.set_enabled(record.id, body.enabled))


@router.post("/api/sources/import", tags=["sources"])
async def import_sources_api(
    request: Request, _guard: Annotated[None, Depends(_upload_guard)], user: Analyst
) -> JSONResponse:
    """Import an OPML or CSV source list (multipart field ``file``): counts and each rejected entry."""
    try:
        result = await _import_upload(request)
    except (FormError, BadInput) as exc:
        raise HTTPException(422, exc.message if isinstance(exc, FormError) else exc.reason) from None
    rejected = [{"origin": r.origin, "reason": r.reason} for r in result.rejections]
    return JSONResponse({"added": result.added, "present": result.present, "rejected": rejected})
