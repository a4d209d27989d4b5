"""The dashboard: KPIs and charts from live data, top stories, active narratives, source health;
and, for a first run with an empty store, the welcome panel that loads the demo corpus (a
background job polled with HTMX) and the default sources."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, RedirectResponse, Response

from ttdn.settings import Settings
from ttdn.web.accounts import UserInfo
from ttdn.web.demo_job import DemoJob, demo_module
from ttdn.web.deps import app_singleton, require, store_of, wants_json
from ttdn.web.i18n import N_, gettext
from ttdn.web.labels import country_name, language_name, topic_label
from ttdn.web.queries_dashboard import WINDOWS, Figures, FiguresCache
from ttdn.web.templating import render

__all__ = ["router"]

router = APIRouter()
Viewer = Annotated[UserInfo, Depends(require("viewer"))]
Analyst = Annotated[UserInfo, Depends(require("analyst"))]
Days = Annotated[int, Query(ge=1, le=365, description="Window in days, ending today (UTC).")]
# the demo load's summary (ttdn.demo.DemoSummary) as the welcome panel shows it
SUMMARY_LABELS = {
    "articles_stored": N_("articles stored"),
    "enriched": N_("articles analysed"),
    "stories": N_("stories"),
    "narrative_matches": N_("narrative matches"),
    "narratives_added": N_("narratives added"),
    "facts_added": N_("facts added"),
    "sources_added": N_("sources added"),
    "seconds": N_("seconds"),
}
STEP_LABELS = {
    "sources": N_("Sources"),
    "articles": N_("Storing the articles"),
    "facts": N_("Fact base"),
    "narratives": N_("Narratives"),
    "enrich": N_("Analysing the articles"),
}


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _cache(app: FastAPI) -> FiguresCache:
    return app_singleton(app, "dashboard_cache", FiguresCache)


def _job(app: FastAPI) -> DemoJob:
    def make() -> DemoJob:
        job = DemoJob()
        job.on_finish = _cache(app).clear  # the figures change with the demo corpus
        return job

    return app_singleton(app, "demo_job", make)


def _figures(request: Request, days: int) -> Figures:
    settings = _settings(request)
    return _cache(request.app).get(store_of(request), days, story_window_hours=settings.story_window_hours)


def _charts(f: Figures) -> dict[str, dict[str, Any]]:
    articles = gettext("Articles")
    return {
        "volume": {
            "kind": "bar",
            "xType": "time",
            "x": [p.day.isoformat() for p in f.volume],
            "series": [
                {"name": articles, "data": [p.articles for p in f.volume]},
                {"name": gettext("About Vietnam"), "data": [p.about_vietnam for p in f.volume]},
                {
                    "name": gettext("Mean tone toward Vietnam"),
                    "data": [p.tone for p in f.volume],
                    "axis": 1,
                    "line": True,
                },
            ],
            "secondAxis": {"name": gettext("Tone"), "min": -1, "max": 1},
        },
        "countries": {
            "kind": "hbar",
            "xType": "category",
            "x": [country_name(c) for c, _ in f.by_country],
            "series": [{"name": articles, "data": [n for _, n in f.by_country]}],
        },
        "languages": {
            "kind": "pie",
            "xType": "category",
            "x": [language_name(lang) for lang, _ in f.by_language],
            "series": [{"name": articles, "data": [n for _, n in f.by_language]}],
        },
        "topics": {
            "kind": "hbar",
            "xType": "category",
            "x": [topic_label(t) for t, _ in f.by_topic],
            "series": [{"name": articles, "data": [n for _, n in f.by_topic]}],
        },
    }


def figures_json(f: Figures) -> dict[str, Any]:
    return {
        "days": f.days,
        "generated_at": f.now,
        "kpis": {
            "articles_total": f.articles_total,
            "articles_24h": f.articles_24h,
            "articles_7d": f.articles_7d,
            "active_stories": f.active_stories,
            "narratives_week": f.narratives_week,
            "unhealthy_sources": len(f.source_warnings),
            "sources": f.sources_total,
        },
        "volume": [
            {"day": p.day, "articles": p.articles, "about_vietnam": p.about_vietnam, "tone": p.tone} for p in f.volume
        ],
        "by_country": [{"country": c, "name": country_name(c), "articles": n} for c, n in f.by_country],
        "by_language": [{"lang": lang, "name": language_name(lang), "articles": n} for lang, n in f.by_language],
        "by_topic": [{"topic": t, "name": topic_label(t), "articles": n} for t, n in f.by_topic],
        "top_stories": [s.as_dict() for s in f.top_stories],
        "narratives": [n.as_dict() for n in f.narratives],
        "source_warnings": [
            {
                "id": s.id, "name": s.name, "url": s.url, "error_streak": s.error_streak,
                "last_error_kind": s.last_error_kind, "last_error": s.last_error, "last_error_at": s.last_error_at,
            }
            for s in f.source_warnings
        ],
    }  # fmt: skip


def _demo_context(request: Request, message: str | None = None) -> dict[str, Any]:
    user: UserInfo | None = getattr(request.state, "user", None)
    return {
        "demo": _job(request.app).snapshot(),
        "demo_available": demo_module() is not None,
        "can_edit": user is not None and user.can("analyst"),
        "summary_labels": SUMMARY_LABELS,
        "step_labels": STEP_LABELS,
        "message": message,
        "ok": True,
    }


@router.get("/", include_in_schema=False)
def dashboard(request: Request, _: Viewer, days: Days = 30) -> Response:
    figures = _figures(request, days)
    context = {
        "f": figures,
        "days": days,
        "windows": WINDOWS,
        "charts": _charts(figures),
        "welcome": figures.articles_total == 0,
        "language_name": language_name,
        "country_name": country_name,
    } | _demo_context(request)
    return render(request, "dashboard.html", context)


@router.get("/api/dashboard", tags=["dashboard"])
def dashboard_api(request: Request, _: Viewer, days: Days = 30) -> dict[str, Any]:
    """The dashboard's figures over the last ``days`` days (KPIs, volume and tone per day, by
    country, language and topic, top stories, active narratives, source warnings)."""
    return figures_json(_figures(request, days))


def _answer(request: Request, status: int, message: str, payload: dict[str, Any], partial: str) -> Response:
    """JSON for scripts, a fragment for HTMX (always 200: HTMX swaps only successes), else back to the page."""
    if wants_json(request):
        return JSONResponse(jsonable_encoder({"message": message} | payload), status_code=status)
    if request.headers.get("hx-request"):
        context = _demo_context(request, message) | {"result": payload, "ok": status < 400}
        return render(request, partial, context)
    return RedirectResponse("/", status_code=303)


@router.post("/demo/load", tags=["demo"])
def demo_load(request: Request, user: Analyst) -> Response:
    """Load the bundled demo corpus in the background; poll ``/api/demo/status``."""
    module = demo_module()
    job = _job(request.app)
    if module is None:
        return _answer(request, 503, gettext("The demo corpus is not installed."), {}, "partials/dashboard_demo.html")
    if job.snapshot()["state"] == "running":
        message = gettext("The demo corpus is already being loaded.")
        return _answer(request, 409, message, job.snapshot(), "partials/dashboard_demo.html")
    if module.demo_loaded(store_of(request)):
        message = gettext("The demo corpus is already loaded.")
        return _answer(request, 409, message, job.snapshot(), "partials/dashboard_demo.html")
    if not job.start(store_of(request), _settings(request), who=user.username):
        message = gettext("The demo corpus is already being loaded.")
        return _answer(request, 409, message, job.snapshot(), "partials/dashboard_demo.html")
    return _answer(request, 202, gettext("Loading the demo corpus…"), job.snapshot(), "partials/dashboard_demo.html")


@router.get("/demo/status", include_in_schema=False)
def demo_status(request: Request, _: Viewer) -> Response:
    return render(request, "partials/dashboard_demo.html", _demo_context(request))


@router.get("/api/demo/status", tags=["demo"])
def demo_status_api(request: Request, _: Viewer) -> dict[str, Any]:
    """The demo load: ``state`` idle | running | done (with ``summary``) | failed (with ``reason``)."""
    return _job(request.app).snapshot() | {"available": demo_module() is not None}


@router.post("/sources/defaults", tags=["sources"])
def load_default_sources(request: Request, _: Analyst) -> Response:
    """Add the bundled default source list (sources already there are left as they are)."""
    from ttdn.sources.lists import default_source_list_path, read_source_list

    specs, rejections = read_source_list(default_source_list_path())
    added, present = store_of(request).sources.add(specs)
    payload = {"added": added, "present": present, "rejected": len(rejections)}
    message = gettext("Default sources: %(added)s added, %(present)s already there.") % payload
    if not wants_json(request) and not request.headers.get("hx-request"):
        return RedirectResponse("/sources", status_code=303)
    return _answer(request, 200, message, payload, "partials/dashboard_sources.html")
