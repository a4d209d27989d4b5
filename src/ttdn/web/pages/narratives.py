"""The narrative registry (Luận điệu): the list with filters, a narrative with its variants,
rebuttal facts, timelines and matches to confirm or reject (HTMX, the row updates in place and
the recalibrated threshold is shown), create / edit / import (analyst), the review queue of
pending matches across narratives, best score first; and the JSON API.

Writes go through `ttdn.kb.narratives.NarrativeStore` (``store.narratives``); the decider
recorded is the signed-in user's name. Reading that the store does not offer as such is in
`ttdn.web.queries_narratives`.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from ttdn.errors import BadInput
from ttdn.kb.narrative_matches import Calibration, MatchCounts, MatchRecord, match_counts
from ttdn.kb.narrative_tables import MATCH_STATUSES, NARRATIVE_SEVERITIES, NARRATIVE_STATUSES
from ttdn.kb.narratives import NarrativeRecord, NarrativeStore
from ttdn.web import queries_facts
from ttdn.web import queries_narratives as q
from ttdn.web.accounts import UserInfo
from ttdn.web.deps import require
from ttdn.web.forms import FormError, form_data, receive_upload, upload_guard
from ttdn.web.i18n import N_, fmt_number, gettext
from ttdn.web.labels import country_name, language_name
from ttdn.web.narratives_forms import NarrativeForm, narrative_form
from ttdn.web.templating import render

__all__ = ["router"]

router = APIRouter()
Viewer = Annotated[UserInfo, Depends(require("viewer"))]
Analyst = Annotated[UserInfo, Depends(require("analyst"))]
PAGE = 50
LABELS = (
    N_("low"), N_("medium"), N_("high"), N_("critical"), N_("active"), N_("dormant"), N_("retired"),
    N_("pending"), N_("confirmed"), N_("rejected"),
)  # fmt: skip


def _engine(request: Request) -> Engine:
    engine: Engine = request.app.state.store.database.engine
    return engine


def _store(request: Request) -> NarrativeStore:
    store: NarrativeStore = request.app.state.store.narratives
    return store


def _choice(value: str | None, allowed: tuple[str, ...]) -> str | None:
    return value if value in allowed else None


def _record(request: Request, narrative_id: int) -> NarrativeRecord:
    if not q.narrative_exists(_engine(request), narrative_id):
        raise HTTPException(404, gettext("No narrative with this number."))
    return _store(request).get(narrative_id)


def _threshold_context(calibration: Calibration) -> dict[str, Any]:
    """The threshold in use, and the name helpers the match rows need."""
    return {
        "threshold": calibration.threshold, "decisions": calibration.decisions,
        "country_name": country_name, "language_name": language_name,
    }  # fmt: skip


# ---- the registry --------------------------------------------------------------------


def _list_context(request: Request, filters: dict[str, str], offset: int) -> dict[str, Any]:
    engine = _engine(request)
    rows, total = q.registry(
        engine, status=_choice(filters["status"], NARRATIVE_STATUSES),
        severity=_choice(filters["severity"], NARRATIVE_SEVERITIES), category=filters["category"] or None,
        q=filters["q"], limit=PAGE, offset=offset,
    )  # fmt: skip
    return {
        "rows": rows, "total": total, "offset": offset, "page": PAGE, "filters": filters,
        "statuses": NARRATIVE_STATUSES, "severities": NARRATIVE_SEVERITIES, "categories": q.categories(engine),
        "pending": q.pending_total(engine), "imported": None, "error": None,
        **_threshold_context(_store(request).threshold()),
    }  # fmt: skip


@router.get("/narratives", include_in_schema=False)
def narratives_page(
    request: Request,
    user: Viewer,
    q_: Annotated[str, Query(alias="q", max_length=200)] = "",
    status: Annotated[str, Query(max_length=16)] = "",
    severity: Annotated[str, Query(max_length=16)] = "",
    category: Annotated[str, Query(max_length=200)] = "",
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Response:
    filters = {"q": q_, "status": status, "severity": severity, "category": category}
    return render(request, "narratives.html", _list_context(request, filters, offset))


@router.post("/narratives/import", include_in_schema=False)
async def import_narratives(
    request: Request, _guard: Annotated[None, Depends(upload_guard)], user: Analyst
) -> Response:
    limit = request.app.state.settings.max_import_bytes
    folder = Path(tempfile.mkdtemp(prefix="ttdn-narratives-"))
    filters = {"q": "", "status": "", "severity": "", "category": ""}
    try:
        path = await receive_upload(request, limit, folder)
        summary = await run_in_threadpool(_store(request).import_jsonl, path)
    except (FormError, BadInput) as exc:
        context = await run_in_threadpool(_list_context, request, filters, 0)
        context["error"] = exc.message if isinstance(exc, FormError) else exc.reason
        return render(request, "narratives.html", context, status_code=422)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    context = await run_in_threadpool(_list_context, request, filters, 0)
    context["imported"] = summary
    return render(request, "narratives.html", context)


@router.get("/narratives/review", include_in_schema=False)
def review_page(
    request: Request,
    user: Viewer,
    narrative: Annotated[int | None, Query(ge=1)] = None,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Response:
    engine = _engine(request)
    matches, total = q.matches_page(engine, narrative, status="pending", order="score", limit=PAGE, offset=offset)
    context = {
        "matches": matches, "total": total, "offset": offset, "page": PAGE, "narrative": narrative,
        "narratives": q.registry(engine, limit=1000)[0], "back": str(request.url.path),
        **_threshold_context(_store(request).threshold()),
    }  # fmt: skip
    return render(request, "narratives_review.html", context)


# ---- create and edit -----------------------------------------------------------------


def _render_form(
    request: Request, form: NarrativeForm, record: NarrativeRecord | None, error: str | None = None, status: int = 200
) -> Response:
    context = {"form": form, "record": record, "error": error, "severities": NARRATIVE_SEVERITIES,
               "statuses": NARRATIVE_STATUSES}  # fmt: skip
    return render(request, "narrative_form.html", context, status_code=status)


@router.get("/narratives/new", include_in_schema=False)
def new_narrative_page(request: Request, user: Analyst) -> Response:
    return _render_form(request, NarrativeForm.of(None), None)


@router.post("/narratives/new", include_in_schema=False)
def create_narrative(request: Request, user: Analyst, data: Annotated[FormData, Depends(form_data)]) -> Response:
    form = NarrativeForm.of(None)
    try:
        form = narrative_form(data)
        record = _store(request).add(key=form.key.strip() or None, **form.values())
    except (FormError, BadInput) as exc:
        return _render_form(request, form, None, exc.message if isinstance(exc, FormError) else exc.reason, 422)
    return RedirectResponse(f"/narratives/{record.id}", status_code=303)


@router.get("/narratives/{narrative_id}/edit", include_in_schema=False)
def edit_narrative_page(request: Request, user: Analyst, narrative_id: int) -> Response:
    record = _record(request, narrative_id)
    return _render_form(request, NarrativeForm.of(record), record)


@router.post("/narratives/{narrative_id}/edit", include_in_schema=False)
def edit_narrative(
    request: Request, user: Analyst, narrative_id: int, data: Annotated[FormData, Depends(form_data)]
) -> Response:
    record = _record(request, narrative_id)
    form = NarrativeForm.of(record)
    try:
        form = narrative_form(data)
        _store(request).update(narrative_id, **form.values())
    except (FormError, BadInput) as exc:
        return _render_form(request, form, record, exc.message if isinstance(exc, FormError) else exc.reason, 422)
    return RedirectResponse(f"/narratives/{narrative_id}", status_code=303)


# ---- a narrative ---------------------------------------------------------------------


def _variants_by_lang(record: NarrativeRecord) -> list[tuple[str | None, list[str]]]:
    groups: dict[str | None, list[str]] = {}
    for variant in record.variants:
        groups.setdefault(variant.lang, []).append(variant.text)
    return sorted(groups.items(), key=lambda item: (item[0] is None, item[0] != "vi", item[0] or ""))


def _timeline_context(request: Request, record: NarrativeRecord) -> dict[str, Any]:
    timeline = _store(request).timeline(record.id)
    return {
        "n": record,
        "country_chart": q.timeline_spec(timeline.by_country, country_name),
        "lang_chart": q.timeline_spec(timeline.by_lang, language_name),
        "timeline_total": timeline.total,
    }


def _narrative_context(request: Request, record: NarrativeRecord, status: str | None, offset: int) -> dict[str, Any]:
    engine = _engine(request)
    store = _store(request)
    matches, total = q.matches_page(engine, record.id, status=status, limit=PAGE, offset=offset)
    linked = {f.id for f in record.facts}
    choices = [r for r in queries_facts.fact_page(engine, limit=500)[0] if r.id not in linked]
    return {
        **_timeline_context(request, record),
        "variants": _variants_by_lang(record),
        "matches": matches, "total": total, "offset": offset, "page": PAGE, "status": status or "",
        "match_statuses": MATCH_STATUSES, "fact_choices": choices, "error": None,
        "back": f"/narratives/{record.id}",
        **_threshold_context(store.threshold()),
    }  # fmt: skip


@router.get("/narratives/{narrative_id}", include_in_schema=False)
def narrative_page(
    request: Request,
    user: Viewer,
    narrative_id: int,
    status: Annotated[str, Query(max_length=16)] = "",
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Response:
    record = _record(request, narrative_id)
    context = _narrative_context(request, record, _choice(status, MATCH_STATUSES), offset)
    return render(request, "narrative.html", context)


@router.get("/narratives/{narrative_id}/timeline", include_in_schema=False)
def narrative_timeline(request: Request, user: Viewer, narrative_id: int) -> Response:
    """The timeline part of the narrative page (htmx fetches it again after a decision)."""
    record = _record(request, narrative_id)
    return render(request, "partials/narrative_timeline.html", _timeline_context(request, record))


@router.post("/narratives/{narrative_id}/facts", include_in_schema=False)
def link_fact(
    request: Request, user: Analyst, narrative_id: int, data: Annotated[FormData, Depends(form_data)]
) -> Response:
    record = _record(request, narrative_id)
    action, fact = data.get("action"), data.get("fact_id")
    try:
        if not isinstance(fact, str) or not fact.strip().isdigit() or len(fact) > 12:
            raise BadInput(gettext("Choose a fact from the list."))
        if action == "link":
            _store(request).link_fact(narrative_id, int(fact))
        elif action == "unlink":
            _store(request).unlink_fact(narrative_id, int(fact))
        else:
            raise BadInput(gettext("Choose to link or unlink the fact."))
    except BadInput as exc:
        context = _narrative_context(request, record, None, 0)
        context["error"] = exc.reason
        return render(request, "narrative.html", context, status_code=422)
    return RedirectResponse(f"/narratives/{narrative_id}#facts", status_code=303)


def _safe_back(value: object, default: str) -> str:
    return value if isinstance(value, str) and value.startswith("/narratives") and "//" not in value else default


@router.post("/narratives/matches/{match_id}/decision", include_in_schema=False)
def decide_page(
    request: Request, user: Analyst, match_id: int, data: Annotated[FormData, Depends(form_data)]
) -> Response:
    engine = _engine(request)
    if q.match(engine, match_id) is None:
        raise HTTPException(404, gettext("No match with this number."))
    decision = data.get("decision")
    if decision not in ("confirm", "reject"):
        raise HTTPException(422, gettext("Choose confirm or reject."))
    record, calibration = _store(request).decide(match_id, decision == "confirm", who=user.username)
    back = _safe_back(data.get("back"), f"/narratives/{record.narrative_id}")
    if not request.headers.get("hx-request"):
        return RedirectResponse(back, status_code=303)
    context = {"m": record, "show_narrative": data.get("show_narrative") == "1", "back": back, "decided": True,
               **_threshold_context(calibration)}  # fmt: skip
    response = render(request, "partials/narratives_match_row.html", context)
    with engine.connect() as conn:
        counts = match_counts(conn, [record.narrative_id]).get(record.narrative_id, MatchCounts())
    event = {
        "value": fmt_number(calibration.threshold, 2),
        "decisions": fmt_number(calibration.decisions),
        "narrative": record.narrative_id,
        "counts": {status: fmt_number(getattr(counts, status)) for status in ("pending", "confirmed", "rejected")},
    }
    response.headers["HX-Trigger"] = json.dumps({"ttdn:threshold": event})
    return response


# ---- JSON ----------------------------------------------------------------------------


def match_json(m: MatchRecord) -> dict[str, Any]:
    return {
        "id": m.id, "narrative_id": m.narrative_id, "narrative_title": m.narrative_title, "article_id": m.article_id,
        "article_title": m.article_title, "url": m.url, "outlet": m.source_name, "country": m.country,
        "lang": m.lang, "at": m.at, "score": m.score, "sentence": m.sentence, "start": m.start, "end": m.end,
        "status": m.status, "decided_by": m.decided_by, "decided_at": m.decided_at, "matched_at": m.matched_at,
    }  # fmt: skip


@router.get("/api/narratives", tags=["narratives"])
def api_narratives(
    request: Request,
    user: Viewer,
    status: Annotated[str | None, Query(pattern="^(active|dormant|retired)$")] = None,
    severity: Annotated[str | None, Query(pattern="^(low|medium|high|critical)$")] = None,
    category: Annotated[str | None, Query(max_length=200)] = None,
    q_: Annotated[str, Query(alias="q", max_length=200)] = "",
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    """The registry, most recent activity first, with match counts per status."""
    rows, total = q.registry(
        _engine(request), status=status, severity=severity, category=category, q=q_, limit=limit, offset=offset
    )
    items = [
        {"id": r.id, "key": r.key, "title": r.title, "category": r.category, "severity": r.severity,
         "status": r.status, "first_seen": r.first_seen, "last_activity": r.last_activity,
         "matches": {"pending": r.pending, "confirmed": r.confirmed, "rejected": r.rejected}}
        for r in rows
    ]  # fmt: skip
    calibration = _store(request).threshold()
    return {"total": total, "threshold": calibration.threshold, "decisions": calibration.decisions, "items": items}


@router.get("/api/narratives/{narrative_id}", tags=["narratives"])
def api_narrative(request: Request, user: Viewer, narrative_id: int) -> dict[str, Any]:
    """A narrative with its variants, rebuttal facts and match counts."""
    n = _record(request, narrative_id)
    return {
        "id": n.id, "key": n.key, "title": n.title, "summary": n.summary, "canonical_claim": n.canonical_claim,
        "lang": n.lang, "category": n.category, "severity": n.severity, "status": n.status,
        "first_seen": n.first_seen, "created_at": n.created_at, "updated_at": n.updated_at,
        "variants": [{"lang": v.lang, "text": v.text} for v in n.variants],
        "facts": [{"id": f.id, "title": f.title, "status": f.status} for f in n.facts],
        "matches": {"pending": n.matches.pending, "confirmed": n.matches.confirmed, "rejected": n.matches.rejected},
    }  # fmt: skip


@router.get("/api/narratives/{narrative_id}/timeline", tags=["narratives"])
def api_timeline(request: Request, user: Viewer, narrative_id: int) -> dict[str, Any]:
    """Matches (not rejected) per day (UTC), by outlet country and by language."""
    _record(request, narrative_id)
    timeline = _store(request).timeline(narrative_id)
    return {
        "narrative_id": narrative_id,
        "total": timeline.total,
        "by_country": q.timeline_json(timeline.by_country),
        "by_lang": q.timeline_json(timeline.by_lang),
    }


@router.get("/api/narratives/{narrative_id}/matches", tags=["narratives"])
def api_matches(
    request: Request,
    user: Viewer,
    narrative_id: int,
    status: Annotated[str | None, Query(pattern="^(pending|confirmed|rejected)$")] = None,
    order: Annotated[Literal["recent", "score"], Query()] = "recent",
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    """A narrative's matches in articles, newest (or best score) first."""
    _record(request, narrative_id)
    matches, total = q.matches_page(
        _engine(request), narrative_id, status=status, order=order, limit=limit, offset=offset
    )
    return {"total": total, "items": [match_json(m) for m in matches]}


class Decision(BaseModel):
    decision: Literal["confirm", "reject"]


@router.post("/api/narrative-matches/{match_id}/decision", tags=["narratives"])
def api_decide(request: Request, user: Analyst, match_id: int, body: Decision) -> dict[str, Any]:
    """Confirm or reject a match (analyst); the threshold is recalibrated over every decision."""
    if q.match(_engine(request), match_id) is None:
        raise HTTPException(404, gettext("No match with this number."))
    record, calibration = _store(request).decide(match_id, body.decision == "confirm", who=user.username)
    return {"match": match_json(record), "threshold": calibration.threshold, "decisions": calibration.decisions}
