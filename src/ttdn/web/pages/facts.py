"""The fact base (Cơ sở dữ liệu): browse and search, a fact with every language version, its
sources and full history (a field-by-field diff between versions), create and edit (analyst),
approve and retire (analyst), import documents, export the offline bundle; and the JSON API.

Every write goes through `ttdn.kb.facts.FactStore` (validation, one transaction, a version per
change) with the signed-in user's name as author; a refusal re-renders the form or page with
the fact base's reason (422) and stores nothing. Reading lives in `ttdn.web.queries_facts`.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from sqlalchemy import Engine
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from ttdn.errors import BadInput
from ttdn.kb.bundle import export_bundle
from ttdn.kb.fact_tables import FACT_STATUSES
from ttdn.kb.facts import FactRecord, FactStore, FactVersionRecord
from ttdn.web import queries_facts as q
from ttdn.web.accounts import UserInfo
from ttdn.web.deps import require
from ttdn.web.facts_forms import FactForm, SourceRow, TextRow, fact_form
from ttdn.web.forms import FormError, form_data, receive_upload, upload_guard
from ttdn.web.i18n import N_, gettext
from ttdn.web.templating import render

__all__ = ["router"]

router = APIRouter()
Viewer = Annotated[UserInfo, Depends(require("viewer"))]
Analyst = Annotated[UserInfo, Depends(require("analyst"))]
PAGE = 50
STATUS_ACTIONS = {"approved": N_("Approve"), "retired": N_("Retire"), "draft": N_("Back to draft")}
STATUS_LABELS = (N_("draft"), N_("approved"), N_("retired"))


def _engine(request: Request) -> Engine:
    engine: Engine = request.app.state.store.database.engine
    return engine


def _status(value: str | None) -> str | None:
    return value if value in FACT_STATUSES else None


def _lang(value: str | None) -> str | None:
    value = (value or "").strip().lower()
    return value if len(value) == 2 and value.isalpha() and value.isascii() else None


def _record(engine: Engine, fact_id: int) -> FactRecord:
    if not q.fact_exists(engine, fact_id):
        raise HTTPException(404, gettext("No fact with this number."))
    return FactStore(engine).get(fact_id)


# ---- browse and search ---------------------------------------------------------------


@router.get("/facts", include_in_schema=False)
def facts_page(
    request: Request,
    user: Viewer,
    q_: Annotated[str, Query(alias="q", max_length=1000)] = "",
    status: Annotated[str, Query(max_length=16)] = "",
    topic: Annotated[str, Query(max_length=200)] = "",
    lang: Annotated[str, Query(max_length=8)] = "",
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Response:
    engine = _engine(request)
    filters = {"q": q_, "status": _status(status) or "", "topic": topic, "lang": _lang(lang) or ""}
    context: dict[str, Any] = {
        "filters": filters, "topics": q.topics(engine), "langs": q.fact_languages(engine),
        "statuses": FACT_STATUSES, "error": None, "hits": None, "passages": [], "rows": [], "total": 0,
        "offset": offset, "page": PAGE,
    }  # fmt: skip
    if q_.strip():
        try:
            context["hits"] = q.search_facts(engine, q_, status=_status(status), lang=_lang(lang))
            context["passages"] = q.search_passages(engine, q_)
        except BadInput as exc:
            context["error"] = exc.reason
            return render(request, "facts.html", context, status_code=422)
    else:
        context["rows"], context["total"] = q.fact_page(
            engine, status=_status(status), topic=topic or None, lang=_lang(lang), limit=PAGE, offset=offset
        )
    return render(request, "facts.html", context)


# ---- create and edit -----------------------------------------------------------------


def _blank_form() -> FactForm:
    return FactForm(texts=[TextRow("vi"), TextRow()], sources=[SourceRow(), SourceRow()])


def _form_of(record: FactRecord) -> FactForm:
    return FactForm(
        topic=record.topic or "",
        valid_from=record.valid_from.isoformat() if record.valid_from else "",
        valid_to=record.valid_to.isoformat() if record.valid_to else "",
        texts=[TextRow(lang, t, b, existing=True) for lang, (t, b) in record.texts.items()] + [TextRow()],
        sources=[SourceRow(s.url or "", str(s.document_id or ""), s.note) for s in record.sources]
        + [SourceRow(), SourceRow()],
    )


def _render_form(
    request: Request, form: FactForm, record: FactRecord | None, error: str | None = None, status: int = 200
) -> Response:
    context = {"form": form, "record": record, "error": error, "documents": q.documents(_engine(request))}
    return render(request, "fact_form.html", context, status_code=status)


@router.get("/facts/new", include_in_schema=False)
def new_fact_page(request: Request, user: Analyst) -> Response:
    return _render_form(request, _blank_form(), None)


@router.post("/facts/new", include_in_schema=False)
def create_fact(request: Request, user: Analyst, data: Annotated[FormData, Depends(form_data)]) -> Response:
    form = FactForm()
    try:
        form = fact_form(data)
        texts = {lang: pair for lang, pair in form.text_mapping().items() if pair is not None}
        valid_from, valid_to = form.dates()
        fact_id = FactStore(_engine(request)).create(
            form.topic, texts, form.source_list(), valid_from, valid_to, author=user.username
        )
    except (FormError, BadInput) as exc:
        message = exc.message if isinstance(exc, FormError) else exc.reason
        return _render_form(request, form if form.texts else _blank_form(), None, message, 422)
    return RedirectResponse(f"/facts/{fact_id}", status_code=303)


@router.get("/facts/{fact_id}/edit", include_in_schema=False)
def edit_fact_page(request: Request, user: Analyst, fact_id: int) -> Response:
    record = _record(_engine(request), fact_id)
    return _render_form(request, _form_of(record), record)


@router.post("/facts/{fact_id}/edit", include_in_schema=False)
def edit_fact(request: Request, user: Analyst, fact_id: int, data: Annotated[FormData, Depends(form_data)]) -> Response:
    engine = _engine(request)
    record = _record(engine, fact_id)
    form = _form_of(record)
    try:
        form = fact_form(data)
        valid_from, valid_to = form.dates()
        FactStore(engine).update(
            fact_id, author=user.username, topic=form.topic, texts=form.text_mapping(), valid_from=valid_from,
            valid_to=valid_to, sources=form.source_list(),
        )  # fmt: skip
    except (FormError, BadInput) as exc:
        message = exc.message if isinstance(exc, FormError) else exc.reason
        return _render_form(request, form, record, message, 422)
    return RedirectResponse(f"/facts/{fact_id}", status_code=303)


# ---- a fact, its history, its review -------------------------------------------------


def _history_rows(engine: Engine, history: list[FactVersionRecord]) -> tuple[list[dict[str, Any]], dict[int, str]]:
    names = q.document_titles(engine, q.snapshot_documents(*(v.snapshot for v in history)))
    rows = []
    previous: dict[str, Any] | None = None
    for version in history:
        rows.append({"v": version, "changes": q.diff_snapshots(previous, version.snapshot, names)})
        previous = version.snapshot
    return list(reversed(rows)), names


def _fact_context(engine: Engine, record: FactRecord, compare: tuple[int, int] | None) -> dict[str, Any]:
    history = FactStore(engine).history(record.id)
    rows, names = _history_rows(engine, history)
    by_version = {v.version: v for v in history}
    comparison = None
    if compare is not None and compare[0] in by_version and compare[1] in by_version:
        a, b = sorted(compare)
        comparison = {
            "from": a, "to": b,
            "changes": q.diff_snapshots(by_version[a].snapshot, by_version[b].snapshot, names),
        }  # fmt: skip
    doc_ids = [s.document_id for s in record.sources if s.document_id is not None]
    today = datetime.now(UTC).date()
    return {
        "fact": record,
        "title": record.texts.get("vi") or next(iter(record.texts.values()), ("", "")),
        "history": rows,
        "versions": [v.version for v in history],
        "comparison": comparison,
        "document_names": q.document_titles(engine, doc_ids),
        "narratives": q.narratives_rebutted(engine, record.id),
        "expired": record.valid_to is not None and record.valid_to < today,
        "not_yet": record.valid_from is not None and record.valid_from > today,
        "actions": [(s, STATUS_ACTIONS[s]) for s in FACT_STATUSES if (record.status, s) in _transitions()],
        "error": None,
    }


def _transitions() -> frozenset[tuple[str, str]]:
    from ttdn.kb.facts import TRANSITIONS

    return TRANSITIONS


@router.get("/facts/documents", include_in_schema=False)
def documents_page(request: Request, user: Viewer) -> Response:
    limit = request.app.state.settings.max_import_bytes
    return render(
        request, "facts_documents.html", {"documents": q.documents(_engine(request)), "error": None, "limit": limit}
    )


@router.post("/facts/documents", include_in_schema=False)
async def import_document(request: Request, _guard: Annotated[None, Depends(upload_guard)], user: Analyst) -> Response:
    engine = _engine(request)
    limit = request.app.state.settings.max_import_bytes
    folder = Path(tempfile.mkdtemp(prefix="ttdn-import-"))
    try:
        try:
            path = await receive_upload(request, limit, folder)
            document_id, count = await run_in_threadpool(FactStore(engine).import_document, path, author=user.username)
        except (FormError, BadInput) as exc:
            message = exc.message if isinstance(exc, FormError) else exc.reason
            context = {"documents": await run_in_threadpool(q.documents, engine), "error": message, "limit": limit}
            return render(request, "facts_documents.html", context, status_code=422)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return RedirectResponse(f"/facts/documents/{document_id}?imported={count}", status_code=303)


@router.get("/facts/documents/{document_id}", include_in_schema=False)
def document_page(
    request: Request, user: Viewer, document_id: int, imported: Annotated[int | None, Query(ge=0)] = None
) -> Response:
    engine = _engine(request)
    found = q.document(engine, document_id)
    if found is None:
        raise HTTPException(404, gettext("No document with this number."))
    context = {
        "document": found,
        "passages": q.passages(engine, document_id),
        "facts": q.facts_citing_document(engine, document_id),
        "imported": imported,
    }
    return render(request, "fact_document.html", context)


@router.get("/facts/export", include_in_schema=False)
def export_page(request: Request, user: Viewer) -> Response:
    engine = _engine(request)
    approved = q.fact_page(engine, status="approved", limit=1)[1]
    return render(
        request, "facts_export.html", {"langs": q.fact_languages(engine, approved_only=True), "approved": approved}
    )


def _bundle_response(engine: Engine, langs: list[str]) -> Response:
    chosen = [lang for lang in (_lang(x) for x in langs) if lang]
    if langs and len(chosen) != len(langs):
        raise HTTPException(422, gettext("Unknown language code."))
    folder = Path(tempfile.mkdtemp(prefix="ttdn-bundle-"))
    stamp = datetime.now(UTC).date().isoformat()
    name = f"ttdn-facts-{stamp}.sqlite"
    try:
        export_bundle(engine, folder / name, langs=chosen or None)
    except BadInput as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise HTTPException(422, exc.reason) from None
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return FileResponse(
        folder / name,
        media_type="application/vnd.sqlite3",
        filename=name,
        background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True),
    )


@router.get("/facts/export/bundle", include_in_schema=False)
def export_bundle_download(
    request: Request,
    user: Viewer,
    lang: Annotated[list[str], Query(max_length=50)] = [],  # noqa: B006
) -> Response:
    return _bundle_response(_engine(request), lang)


@router.get("/facts/{fact_id}", include_in_schema=False)
def fact_page(
    request: Request,
    user: Viewer,
    fact_id: int,
    from_: Annotated[int | None, Query(alias="from", ge=1)] = None,
    to: Annotated[int | None, Query(ge=1)] = None,
) -> Response:
    engine = _engine(request)
    record = _record(engine, fact_id)
    compare = (from_, to) if from_ is not None and to is not None else None
    return render(request, "fact.html", _fact_context(engine, record, compare))


@router.post("/facts/{fact_id}/status", include_in_schema=False)
def set_fact_status(
    request: Request, user: Analyst, fact_id: int, data: Annotated[FormData, Depends(form_data)]
) -> Response:
    engine = _engine(request)
    record = _record(engine, fact_id)
    status = data.get("status")
    try:
        if not isinstance(status, str) or status not in FACT_STATUSES:
            raise BadInput(gettext("Choose approve, retire or back to draft."))
        FactStore(engine).set_status(fact_id, status, author=user.username)
    except BadInput as exc:
        context = _fact_context(engine, FactStore(engine).get(record.id), None)
        context["error"] = exc.reason
        return render(request, "fact.html", context, status_code=422)
    return RedirectResponse(f"/facts/{fact_id}", status_code=303)


# ---- JSON ----------------------------------------------------------------------------


def fact_json(record: FactRecord) -> dict[str, Any]:
    return {
        "id": record.id,
        "topic": record.topic,
        "status": record.status,
        "valid_from": record.valid_from,
        "valid_to": record.valid_to,
        "version": record.version,
        "created_at": record.created_at,
        "updated_at": record.updated_at,
        "texts": {lang: {"title": t, "body": b} for lang, (t, b) in record.texts.items()},
        "sources": [{"url": s.url, "document_id": s.document_id, "note": s.note} for s in record.sources],
    }


@router.get("/api/facts", tags=["facts"])
def api_facts(
    request: Request,
    user: Viewer,
    q_: Annotated[str, Query(alias="q", max_length=1000, description="Search words (search-box syntax).")] = "",
    status: Annotated[str | None, Query(pattern="^(draft|approved|retired)$")] = None,
    topic: Annotated[str | None, Query(max_length=200)] = None,
    lang: Annotated[str | None, Query(pattern="^[a-z]{2}$")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    """Facts (newest change first) or, with ``q``, fact texts matching the search (best first)."""
    engine = _engine(request)
    if q_.strip():
        try:
            hits = FactStore(engine).search(q_, lang=lang, status=status, limit=limit)
        except BadInput as exc:
            raise HTTPException(422, exc.reason) from None
        items = [
            {
                "id": h.fact_id,
                "lang": h.lang,
                "title": h.title,
                "snippet": h.snippet,
                "status": h.status,
                "rank": h.rank,
            }
            for h in hits
        ]
        return {"total": len(items), "items": items}
    rows, total = q.fact_page(engine, status=status, topic=topic, lang=lang, limit=limit, offset=offset)
    items = [
        {"id": r.id, "title": r.title, "langs": list(r.langs), "topic": r.topic, "status": r.status,
         "version": r.version, "valid_from": r.valid_from, "valid_to": r.valid_to, "updated_at": r.updated_at}
        for r in rows
    ]  # fmt: skip
    return {"total": total, "items": items}


@router.get("/api/facts/bundle", tags=["facts"], response_class=FileResponse)
def api_bundle(
    request: Request,
    user: Viewer,
    lang: Annotated[list[str], Query(max_length=50)] = [],  # noqa: B006
) -> Response:
    """The offline bundle (SQLite) of the approved facts, in the languages given (all when none)."""
    return _bundle_response(_engine(request), lang)


@router.get("/api/facts/{fact_id}", tags=["facts"])
def api_fact(request: Request, user: Viewer, fact_id: int) -> dict[str, Any]:
    """A fact with every language version, its sources and its whole history (oldest first)."""
    engine = _engine(request)
    record = _record(engine, fact_id)
    history = FactStore(engine).history(fact_id)
    return fact_json(record) | {
        "history": [
            {"version": v.version, "author": v.author, "at": v.at, "change": v.change, "snapshot": v.snapshot}
            for v in history
        ]
    }


@router.get("/api/documents/{document_id}", tags=["facts"])
def api_document(request: Request, user: Viewer, document_id: int) -> dict[str, Any]:
    """An imported document and its passages."""
    engine = _engine(request)
    found = q.document(engine, document_id)
    if found is None:
        raise HTTPException(404, gettext("No document with this number."))
    passages = [{"ordinal": p.ordinal, "heading": p.heading, "text": p.text} for p in q.passages(engine, document_id)]
    return {
        "id": found.id, "title": found.title, "filename": found.filename, "media_type": found.media_type,
        "size": found.size, "lang": found.lang, "uploaded_by": found.uploaded_by, "uploaded_at": found.uploaded_at,
        "passages": passages,
    }  # fmt: skip
