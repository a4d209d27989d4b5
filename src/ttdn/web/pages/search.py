"""The search page: one query box, the engine's filters, saved searches, CSV and XLSX export.

``GET /search`` renders the page, or only the results (``partials/search_results.html``) for
an HTMX request, which pushes the URL so every search is a link. The query language is
`ttdn.search.query`; the ranking is `ttdn.search.engine.search` (words fused with multilingual
vectors from the same embedding backend as enrichment, loaded once per process). A query the
engine refuses, or a filter that is not valid, is shown in the page with status 400.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Body, Depends, HTTPException, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from ttdn.errors import TTDNError
from ttdn.search.engine import PHRASE_CHECK_ROWS, SORTS, SearchFilters, SearchResult, search
from ttdn.search.query import parse_query
from ttdn.search.vectors import query_embedder
from ttdn.settings import Settings
from ttdn.sources.lists import COUNTRIES, LANGUAGES
from ttdn.store.searches import MAX_NAME, SavedSearchRecord
from ttdn.web import exports
from ttdn.web.accounts import UserInfo
from ttdn.web.deps import require, store_of
from ttdn.web.i18n import current_locale, gettext
from ttdn.web.queries_search import export_rows, filter_options, leads, more_lexical_ids, topic_names
from ttdn.web.templating import render

__all__ = ["SearchForm", "query_embedder", "router", "user_message"]

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())

router = APIRouter()
Viewer = Annotated[UserInfo, Depends(require("viewer"))]
Analyst = Annotated[UserInfo, Depends(require("analyst"))]

PAGE_SIZE = 20
MAX_PAGE = 50
MAX_QUERY = 10_000
MAX_FIELD = 64
MAX_VALUES = 100
MODES = ("hybrid", "words")
FLASH = "search_flash"


# --- the form ------------------------------------------------------------------------------


@dataclass
class SearchForm:
    """The search box, filters, sort and page, as typed; ``problems`` holds what is not valid."""

    q: str = ""
    date_from: date | None = None
    date_to: date | None = None
    langs: list[str] = field(default_factory=list)
    sources: list[int] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    tone_min: float | None = None
    tone_max: float | None = None
    story: int | None = None
    min_relevance: float | None = None
    sort: str = "relevance"
    mode: str = "hybrid"
    page: int = 1
    problems: list[str] = field(default_factory=list)

    @classmethod
    def parse(cls, raw: Mapping[str, Any]) -> SearchForm:
        """From request values (``str`` or ``list[str]``); blank fields are left unset."""
        form = cls(q=str(raw.get("q") or ""))
        problems = form.problems

        def one(key: str) -> str:
            value = raw.get(key)
            return (value[-1] if value else "") if isinstance(value, list) else str(value or "").strip()

        def many(key: str) -> list[str]:
            value = raw.get(key) or []
            values = value if isinstance(value, list) else [value]
            return [v.strip() for v in values if isinstance(v, str) and v.strip()]

        form.date_from = _date(one("from"), problems)
        form.date_to = _date(one("to"), problems)
        if form.date_from and form.date_to and form.date_from > form.date_to:
            problems.append(gettext("The start date is after the end date."))
        form.langs = _codes(
            [v.lower() for v in many("lang")], LANGUAGES, gettext("Unknown language code: {}"), problems
        )
        form.countries = _codes(
            [v.upper() for v in many("country")], COUNTRIES, gettext("Unknown country code: {}"), problems
        )
        form.topics = _codes(many("topic"), set(topic_names("en")), gettext("Unknown topic: {}"), problems)
        for value in many("source"):
            if value.isascii() and value.isdigit() and len(value) < 12:
                form.sources.append(int(value))
            else:
                problems.append(gettext("A source is chosen by its number."))
        form.tone_min = _number(one("tone_min"), -1, 1, gettext("Tone is a number from -1 to 1."), problems)
        form.tone_max = _number(one("tone_max"), -1, 1, gettext("Tone is a number from -1 to 1."), problems)
        if form.tone_min is not None and form.tone_max is not None and form.tone_min > form.tone_max:
            problems.append(gettext("The lowest tone is above the highest tone."))
        form.min_relevance = _number(
            one("min_relevance"), 0, 1, gettext("Relevance is a number from 0 to 1."), problems
        )
        story = one("story")
        if story:
            if story.isascii() and story.isdigit() and len(story) < 18:
                form.story = int(story)
            else:
                problems.append(gettext("A story is given by its number."))
        form.sort = one("sort") or "relevance"
        if form.sort not in SORTS:
            problems.append(gettext("Sort by relevance or by date."))
            form.sort = "relevance"
        form.mode = one("mode") or "hybrid"
        if form.mode not in MODES:
            problems.append(gettext("Unknown search mode."))
            form.mode = "hybrid"
        page = one("page") or "1"
        if page.isascii() and page.isdigit() and 1 <= int(page[:6]) <= MAX_PAGE:
            form.page = int(page)
        else:
            problems.append(gettext("Pages are numbered from 1 to {}.").format(MAX_PAGE))
        return form

    @classmethod
    def from_saved(cls, record: SavedSearchRecord) -> SearchForm:
        try:
            filters = SearchFilters.from_dict(record.filters)
        except (TypeError, ValueError):
            filters = SearchFilters()
        return cls(
            q=record.query,
            date_from=filters.date_from.date() if filters.date_from else None,
            date_to=filters.date_to.date() if filters.date_to else None,
            langs=list(filters.langs),
            sources=list(filters.sources),
            countries=list(filters.source_countries),
            topics=list(filters.topics),
            tone_min=filters.tone_min,
            tone_max=filters.tone_max,
            story=filters.story_id,
            min_relevance=filters.min_relevance,
        )

    def filters(self) -> SearchFilters:
        return SearchFilters(
            date_from=datetime.combine(self.date_from, time.min, UTC) if self.date_from else None,
            date_to=datetime.combine(self.date_to, time.max, UTC) if self.date_to else None,
            langs=list(self.langs),
            sources=list(self.sources),
            source_countries=list(self.countries),
            topics=list(self.topics),
            tone_min=self.tone_min,
            tone_max=self.tone_max,
            story_id=self.story,
            min_relevance=self.min_relevance,
        )

    @property
    def has_filters(self) -> bool:
        return self.filters() != SearchFilters()

    def params(self, *, page: int | None = None) -> list[tuple[str, str]]:
        """The non-default values, as query-string pairs (``page`` 1 is left out)."""
        pairs: list[tuple[str, str]] = [("q", self.q)]
        pairs += [("from", self.date_from.isoformat())] if self.date_from else []
        pairs += [("to", self.date_to.isoformat())] if self.date_to else []
        pairs += [("lang", v) for v in self.langs] + [("source", str(v)) for v in self.sources]
        pairs += [("country", v) for v in self.countries] + [("topic", v) for v in self.topics]
        for key in ("tone_min", "tone_max", "story", "min_relevance"):
            if (value := getattr(self, key)) is not None:
                pairs.append((key, f"{value:g}" if isinstance(value, float) else str(value)))
        pairs += [("sort", self.sort)] if self.sort != "relevance" else []
        pairs += [("mode", self.mode)] if self.mode != "hybrid" else []
        number = self.page if page is None else page
        pairs += [("page", str(number))] if number != 1 else []
        return pairs

    def query_string(self, *, page: int | None = None) -> str:
        return urlencode(self.params(page=page))


def _date(value: str, problems: list[str]) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        problems.append(gettext("Dates are written YYYY-MM-DD."))
        return None


def _number(value: str, low: float, high: float, message: str, problems: list[str]) -> float | None:
    if not value:
        return None
    try:
        number = float(value.replace(",", "."))
    except ValueError:
        number = float("nan")
    if not low <= number <= high:  # also NaN
        problems.append(message)
        return None
    return number


def _codes(values: list[str], known: set[str] | frozenset[str], message: str, problems: list[str]) -> list[str]:
    found: list[str] = []
    for value in values:
        if value not in known:
            problems.append(message.format(value[:MAX_FIELD]))
        elif value not in found:
            found.append(value)
    return found


def search_form(
    q: Annotated[
        str | None,
        Query(max_length=MAX_QUERY, description='Words, "phrases", AND / OR / NOT (VÀ / HOẶC / KHÔNG).'),
    ] = None,
    date_from: Annotated[str, Query(alias="from", max_length=MAX_FIELD, description="YYYY-MM-DD")] = "",
    date_to: Annotated[str, Query(alias="to", max_length=MAX_FIELD, description="YYYY-MM-DD (inclusive)")] = "",
    lang: Annotated[list[str], Query(max_length=MAX_VALUES, description="ISO 639-1 (repeat)")] = [],  # noqa: B006
    source: Annotated[list[str], Query(max_length=MAX_VALUES, description="Source ids (repeat)")] = [],  # noqa: B006
    country: Annotated[list[str], Query(max_length=MAX_VALUES, description="Outlet countries")] = [],  # noqa: B006
    topic: Annotated[list[str], Query(max_length=MAX_VALUES, description="Topic ids (repeat)")] = [],  # noqa: B006
    tone_min: Annotated[str, Query(max_length=MAX_FIELD, description="-1 … 1")] = "",
    tone_max: Annotated[str, Query(max_length=MAX_FIELD, description="-1 … 1")] = "",
    story: Annotated[str, Query(max_length=MAX_FIELD, description="Story id")] = "",
    min_relevance: Annotated[str, Query(max_length=MAX_FIELD, description="0 … 1")] = "",
    sort: Annotated[str, Query(max_length=MAX_FIELD, description="relevance | date")] = "",
    mode: Annotated[str, Query(max_length=MAX_FIELD, description="hybrid | words (no vector half)")] = "",
    page: Annotated[str, Query(max_length=MAX_FIELD)] = "",
) -> SearchForm | None:
    """The search in the query string, or None when nothing was asked (no ``q``)."""
    if q is None:
        return None
    raw = {
        "q": q, "from": date_from, "to": date_to, "lang": lang, "source": source, "country": country, "topic": topic,
        "tone_min": tone_min, "tone_max": tone_max, "story": story, "min_relevance": min_relevance, "sort": sort,
        "mode": mode, "page": page,
    }  # fmt: skip
    return SearchForm.parse(raw)


Asked = Annotated[SearchForm | None, Depends(search_form)]


# --- running it ----------------------------------------------------------------------------


def user_message(reason: str) -> str:
    """The half of a bilingual engine message (``Vietnamese / English``) in the user's language."""
    if " / " not in reason:
        return reason
    vi, en = reason.split(" / ", 1)
    return vi if current_locale() == "vi" else en


@dataclass
class Outcome:
    result: SearchResult | None = None
    reason: str | None = None  # the engine's message in both languages (for the API)
    error: str | None = None
    lexical_only: bool = False  # the vector half was asked for but could not run


def _run(request: Request, form: SearchForm, *, limit: int, offset: int) -> Outcome:
    if form.problems:
        return Outcome(error=" ".join(form.problems))
    settings: Settings = request.app.state.settings
    embed = query_embedder(settings) if form.mode == "hybrid" else None
    try:
        result = search(
            store_of(request).database.engine, form.q, filters=form.filters(), sort=form.sort, limit=limit,
            offset=offset, embed_query=embed,
        )  # fmt: skip
    except TTDNError as exc:
        return Outcome(error=user_message(exc.reason), reason=exc.reason)
    return Outcome(result=result, lexical_only=form.mode == "hybrid" and embed is None)


def _page_context(request: Request, form: SearchForm | None, outcome: Outcome | None) -> dict[str, Any]:
    engine = store_of(request).database.engine
    hits = outcome.result.hits if outcome and outcome.result else []
    shown = hits[:PAGE_SIZE]
    page = form.page if form else 1
    start = (page - 1) * PAGE_SIZE + 1
    without_passage = [hit.id for hit in shown if not hit.passages]
    return {
        "form": form or SearchForm(),
        "ran": outcome is not None and outcome.result is not None,
        "error": outcome.error if outcome else None,
        "lexical_only": outcome.lexical_only if outcome else False,
        "phrase_limited": bool(outcome and outcome.result and outcome.result.phrase_limited),
        "phrase_rows": PHRASE_CHECK_ROWS,
        "hits": shown,
        "leads": leads(engine, without_passage),
        "has_next": len(hits) > PAGE_SIZE and page < MAX_PAGE,
        "start": start,
        "end": start + len(shown) - 1,
        "options": filter_options(engine),
        "topics": topic_names(current_locale()),
        "saved": [
            (record, SearchForm.from_saved(record).query_string()) for record in store_of(request).searches.all()
        ],
        "max_name": MAX_NAME,
        "max_query": MAX_QUERY,
    }


def _fragment_only(request: Request) -> bool:
    return bool(request.headers.get("hx-request")) and not request.headers.get("hx-history-restore-request")


# --- pages ---------------------------------------------------------------------------------


@router.get("/search", tags=["search"], include_in_schema=False)
def search_page(request: Request, user: Viewer, form: Asked) -> Response:
    outcome = None
    if form is not None:
        outcome = _run(request, form, limit=PAGE_SIZE + 1, offset=(form.page - 1) * PAGE_SIZE)
    context = _page_context(request, form, outcome)
    fragment = _fragment_only(request)
    context["flash"] = None if fragment else request.session.pop(FLASH, None)
    status = 400 if outcome and outcome.error else 200
    name = "partials/search_results.html" if fragment else "search.html"
    response = render(request, name, context, status_code=status)
    response.headers["Vary"] = "HX-Request"
    if fragment and form is not None:  # the address bar shows the search without its empty fields
        response.headers["HX-Push-Url"] = "/search?" + form.query_string()
    return response


def _flash(request: Request, message: str) -> None:
    request.session[FLASH] = message


@router.post("/search/saved", include_in_schema=False)
async def save_search(request: Request, user: Analyst) -> Response:
    data = await request.form(max_files=0, max_fields=5 * MAX_VALUES)
    raw: dict[str, Any] = {}
    too_long = False
    for key in ("q", "from", "to", "tone_min", "tone_max", "story", "min_relevance", "sort", "mode", "name"):
        value = data.get(key)
        raw[key] = value if isinstance(value, str) else ""
        too_long |= len(raw[key]) > (MAX_QUERY if key == "q" else MAX_NAME if key == "name" else MAX_FIELD)
    for key in ("lang", "source", "country", "topic"):
        raw[key] = [v for v in data.getlist(key) if isinstance(v, str)]
        too_long |= len(raw[key]) > MAX_VALUES or any(len(v) > MAX_FIELD for v in raw[key])
    form = SearchForm.parse(raw)
    name = raw["name"].strip()
    problem = None
    if too_long:
        problem = gettext("A field is too long.")
    elif form.problems:
        problem = " ".join(form.problems)
    elif not name:
        problem = gettext("Give the search a name.")
    else:
        try:
            parse_query(form.q)  # never save a search that cannot run
        except TTDNError as exc:
            problem = user_message(exc.reason)
    if problem is None:
        store = store_of(request)
        try:
            await run_in_threadpool(store.searches.save, name, form.q, form.filters().as_dict())
        except TTDNError as exc:
            problem = user_message(exc.reason)
    if problem is not None:
        shown = None if too_long else form
        outcome = None if shown is None else await run_in_threadpool(_run, request, form, limit=PAGE_SIZE + 1, offset=0)
        context = await run_in_threadpool(_page_context, request, shown, outcome)
        context |= {"save_error": problem, "save_name": name[:MAX_NAME], "flash": None}
        return render(request, "search.html", context, status_code=422)
    _flash(request, gettext("Search saved."))
    return RedirectResponse("/search?" + form.query_string(page=1), status_code=303)


def _saved_by_id(request: Request, search_id: int) -> SavedSearchRecord:
    for record in store_of(request).searches.all():
        if record.id == search_id:
            return record
    raise HTTPException(404, gettext("No saved search with this number."))


@router.post("/search/saved/{search_id}/delete", include_in_schema=False)
def delete_search(request: Request, user: Analyst, search_id: int) -> Response:
    record = _saved_by_id(request, search_id)
    store_of(request).searches.delete(record.name)
    _flash(request, gettext("Saved search deleted."))
    return RedirectResponse("/search", status_code=303)


# --- exports -------------------------------------------------------------------------------


def _export_rows(request: Request, form: SearchForm | None) -> list[exports.ExportRow]:
    if form is None:
        raise HTTPException(400, gettext("Type a query to export its results."))
    form.page = 1
    outcome = _run(request, form, limit=exports.MAX_EXPORT_ROWS, offset=0)
    if outcome.result is None:
        raise HTTPException(400, outcome.error)
    engine = store_of(request).database.engine
    ids = [hit.id for hit in outcome.result.hits][: exports.MAX_EXPORT_ROWS]
    ids += more_lexical_ids(
        engine, outcome.result.query, form.filters(), exclude=set(ids), limit=exports.MAX_EXPORT_ROWS - len(ids)
    )
    rows = export_rows(engine, ids)
    if form.sort == "date":
        rows.sort(key=lambda r: (r.published_at.timestamp() if r.published_at else 0.0, r.id), reverse=True)
    return rows


def _download(content: bytes, media_type: str, extension: str) -> Response:
    filename = exports.export_filename(extension)
    return Response(
        content, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


@router.get("/search/export.csv", tags=["search"])
def export_csv(request: Request, user: Viewer, form: Asked) -> Response:
    """The results of a search (same parameters as the page), up to 10,000 rows, as CSV (UTF-8 with BOM)."""
    return _download(exports.write_csv(_export_rows(request, form)), exports.CSV_TYPE, "csv")


@router.get("/search/export.xlsx", tags=["search"])
def export_xlsx(request: Request, user: Viewer, form: Asked) -> Response:
    """The results of a search (same parameters as the page), up to 10,000 rows, as an Excel workbook."""
    return _download(exports.write_xlsx(_export_rows(request, form)), exports.XLSX_TYPE, "xlsx")


# --- JSON ----------------------------------------------------------------------------------


def _saved_json(record: SavedSearchRecord) -> dict[str, Any]:
    return {
        "id": record.id,
        "name": record.name,
        "query": record.query,
        "filters": record.filters,
        "created_at": record.created_at.isoformat(),
        "url": "/search?" + SearchForm.from_saved(record).query_string(),
    }


@router.get("/api/searches", tags=["search"])
def list_saved(request: Request, user: Viewer) -> list[dict[str, Any]]:
    """Saved searches, by name."""
    return [_saved_json(record) for record in store_of(request).searches.all()]


@router.post("/api/searches", tags=["search"], status_code=201)
def create_saved(
    request: Request,
    user: Analyst,
    name: Annotated[str, Body(min_length=1, max_length=MAX_NAME)],
    query: Annotated[str, Body(min_length=1, max_length=MAX_QUERY)],
    filters: Annotated[dict[str, Any], Body(description="SearchFilters fields: langs, date_from …")] = {},  # noqa: B006
) -> dict[str, Any]:
    """Save (or replace) a search under a name; the query must parse and the filters be valid."""
    try:
        checked = SearchFilters.from_dict(filters)
        checked.sql()
        parse_query(query)
        record = store_of(request).searches.save(name, query, checked.as_dict())
    except TTDNError as exc:
        raise HTTPException(422, exc.reason) from exc
    except (TypeError, ValueError) as exc:
        raise HTTPException(422, f"filters: {exc}") from exc
    return _saved_json(record)


@router.delete("/api/searches/{search_id}", tags=["search"], status_code=204)
def delete_saved(request: Request, user: Analyst, search_id: int) -> Response:
    """Delete a saved search."""
    record = _saved_by_id(request, search_id)
    store_of(request).searches.delete(record.name)
    return Response(status_code=204)


@router.get("/api/searches/{search_id}/results", tags=["search"])
def run_saved(
    request: Request,
    user: Viewer,
    search_id: int,
    sort: Annotated[str, Query(pattern="^(relevance|date)$")] = "relevance",
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
    offset: Annotated[int, Query(ge=0, le=10_000)] = 0,
    vector: Annotated[bool, Query(description="Fuse with multilingual vector search.")] = True,
) -> JSONResponse:
    """Run a saved search: its hits, best first (passages are HTML with only <mark>)."""
    form = SearchForm.from_saved(_saved_by_id(request, search_id))
    form.sort, form.mode = sort, "hybrid" if vector else "words"
    return _results_json(form, _run(request, form, limit=limit, offset=offset))


@router.get("/api/search", tags=["search"])
def search_api(
    request: Request,
    user: Viewer,
    form: Asked,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
    offset: Annotated[int, Query(ge=0, le=10_000)] = 0,
    vector: Annotated[bool, Query(description="Fuse with multilingual vector search (false: mode=words).")] = True,
) -> JSONResponse:
    """Search stored articles with the search page's box and filters (``from``, ``to``, ``lang``,
    ``source``, ``country``, ``topic``, ``tone_min``, ``tone_max``, ``story``, ``min_relevance``,
    ``sort``, ``mode``): hits best first, passages as HTML with only <mark>."""
    if form is None:
        raise HTTPException(422, "q is required")
    if not vector:
        form.mode = "words"
    return _results_json(form, _run(request, form, limit=limit, offset=offset))


def _results_json(form: SearchForm, outcome: Outcome) -> JSONResponse:
    if outcome.result is None:
        raise HTTPException(400, outcome.reason or outcome.error)
    hits = [{slot: getattr(h, slot) for slot in h.__slots__} for h in outcome.result.hits]
    for hit in hits:
        hit["published_at"] = hit["published_at"].isoformat() if hit["published_at"] else None
    return JSONResponse(
        {
            "query": form.q,
            "filters": form.filters().as_dict(),
            "lexical_matches": outcome.result.lexical_matches,
            "phrase_limited": outcome.result.phrase_limited,
            "hits": hits,
        }
    )
