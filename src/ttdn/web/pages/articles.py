"""The article page: text with places and countries marked, metadata, relevance, topics, tone
with its evidence, near-duplicates, similar articles and the narratives it was matched with;
for analysts, the topic correction form and the retraining of the topic model on the
corrections (a background job polled with HTMX)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from ttdn.web.accounts import UserInfo
from ttdn.web.deps import app_singleton, require, store_of, wants_json
from ttdn.web.forms import form_data
from ttdn.web.i18n import N_, gettext
from ttdn.web.labels import country_name, language_name, topic_label
from ttdn.web.queries_articles import (
    COUNTRY_KINDS,
    PLACE_KINDS,
    ArticleView,
    article_matches,
    get_article,
    marked,
    marked_paragraphs,
    near_duplicates,
)
from ttdn.web.retrain_job import RetrainJob
from ttdn.web.templating import render

__all__ = ["router"]

router = APIRouter()
Viewer = Annotated[UserInfo, Depends(require("viewer"))]
Analyst = Annotated[UserInfo, Depends(require("analyst"))]
SIMILAR = 8
# shown through _(): tone polarities, match states, severities, duplicate kinds
LABELS = (
    N_("positive"), N_("negative"), N_("neutral"), N_("pending"), N_("confirmed"), N_("rejected"),
    N_("low"), N_("medium"), N_("high"), N_("critical"), N_("exact"), N_("near"),
)  # fmt: skip
# the retraining's steps (ttdn.web.retrain_job) as its panel shows them
RETRAIN_STEPS = {"embed": N_("Embedding the examples"), "fit": N_("Fitting the classifiers")}


def _data_dir(request: Request) -> Path:
    data_dir: Path = request.app.state.settings.data_dir
    return data_dir


def _retrain_job(app: FastAPI) -> RetrainJob:
    return app_singleton(app, "topics_retrain_job", RetrainJob)


def _article_or_404(request: Request, article_id: int) -> ArticleView:
    article = get_article(store_of(request).database.engine, article_id)
    if article is None:
        raise HTTPException(404, gettext("There is no article with this number."))
    return article


def _places(article: ArticleView) -> tuple[list[str], list[str]]:
    """Names of the places and countries found, each once, in the order they first appear."""
    places: dict[str, None] = {}
    countries: dict[str, None] = {}
    for m in article.mentions:
        if m.get("kind") in PLACE_KINDS and m.get("name"):
            places.setdefault(str(m["name"]), None)
        elif m.get("kind") in COUNTRY_KINDS and m.get("id"):
            countries.setdefault(country_name(str(m["id"])), None)
    for code in (article.places or {}).get("countries") or []:
        countries.setdefault(country_name(str(code)), None)
    return list(places), list(countries)


def _similar(request: Request, article_id: int) -> list[dict[str, Any]]:
    return [
        {"id": i, "title": title, "lang": lang, "similarity": round(sim, 4)}
        for i, title, lang, sim in store_of(request).articles.similar(article_id, SIMILAR)
    ]


@router.get("/articles/{article_id}", include_in_schema=False)
def article_page(request: Request, _: Viewer, article_id: int) -> Response:
    article = _article_or_404(request, article_id)
    engine = store_of(request).database.engine
    places, countries = _places(article)
    context = {
        "a": article,
        "title": marked(article.title, article.mentions, "title"),
        "paragraphs": marked_paragraphs(article.text, article.mentions, "text"),
        "places": places,
        "countries": countries,
        "topics": [(topic_label(str(t.get("label"))), float(t.get("score") or 0)) for t in article.topics or []],
        "topic_choices": _topic_choices(request),
        "chosen_topics": {str(t.get("label")) for t in article.topics or []},
        "duplicates": near_duplicates(engine, article),
        "similar": _similar(request, article_id),
        "matches": article_matches(engine, article_id),
        "language_name": language_name,
        "country_name": country_name,
    } | _retrain_context(request, article_id)
    return render(request, "article.html", context)


def _topic_choices(request: Request) -> list[tuple[str, str]]:
    """``(id, shown name)`` of the topics the installation's model knows."""
    from ttdn.models.topic_corrections import model_for

    return [(label, topic_label(label)) for label in model_for(_data_dir(request)).labels]


@router.post("/articles/{article_id}/topics", include_in_schema=False)
def correct_topics(
    request: Request, user: Analyst, article_id: int, data: Annotated[FormData, Depends(form_data)]
) -> Response:
    """An analyst's topics for the article: they replace its topics and become a training
    example (`ttdn.models.topic_corrections`; `ttdn topics retrain` learns from them)."""
    from ttdn.errors import BadInput
    from ttdn.models.topic_corrections import correct_article

    _article_or_404(request, article_id)
    labels = [value for value in data.getlist("topic") if isinstance(value, str)]
    try:
        correct_article(
            store_of(request).database.engine,
            _data_dir(request),
            article_id,
            labels,
            who=user.username,
        )
    except BadInput as exc:
        raise HTTPException(422, exc.reason) from exc
    return RedirectResponse(f"/articles/{article_id}#article-topics", status_code=303)


def _retrain_context(
    request: Request, article_id: int | None = None, message: str | None = None, *, ok: bool = True
) -> dict[str, Any]:
    from ttdn.models.topic_corrections import count_corrections

    return {
        "retrain": _retrain_job(request.app).snapshot(),
        "retrain_steps": RETRAIN_STEPS,
        "corrections": count_corrections(_data_dir(request)),
        "article_id": article_id,
        "message": message,
        "ok": ok,
    }


def _retrain_answer(request: Request, status: int, message: str, article_id: int | None) -> Response:
    """JSON for scripts; the panel for HTMX (always 200: HTMX swaps only successes); else the
    article page back, or the refusal as an error page."""
    if wants_json(request):
        payload = {"message": message} | _retrain_job(request.app).snapshot()
        return JSONResponse(jsonable_encoder(payload), status_code=status)
    if request.headers.get("hx-request"):
        context = _retrain_context(request, article_id, message, ok=status < 400)
        return render(request, "partials/topics_retrain.html", context)
    if status >= 400:
        raise HTTPException(status, message)
    return RedirectResponse(f"/articles/{article_id}#retrain-topics" if article_id else "/", status_code=303)


@router.post("/topics/retrain", tags=["topics"])
def retrain_topics(request: Request, user: Analyst, data: Annotated[FormData, Depends(form_data)]) -> Response:
    """Retrain the installation's topic model on the shipped examples plus every analyst's
    correction (``ttdn topics retrain``) in the background; poll ``/api/topics/retrain``.
    409 while a retraining runs or when no correction is recorded."""
    from ttdn.models.topic_corrections import count_corrections

    article = data.get("article")
    article_id = int(article) if isinstance(article, str) and article.isascii() and article.isdigit() else None
    data_dir = _data_dir(request)
    if count_corrections(data_dir) == 0:  # a running retraining implies at least one
        message = gettext("No topic corrections are recorded yet: correct an article's topics first.")
        return _retrain_answer(request, 409, message, article_id)
    if not _retrain_job(request.app).start(data_dir, who=user.username):  # refused while one runs
        return _retrain_answer(request, 409, gettext("The topic model is already being retrained."), article_id)
    return _retrain_answer(request, 202, gettext("Retraining the topic model…"), article_id)


@router.get("/topics/retrain/status", include_in_schema=False)
def retrain_status(request: Request, _: Analyst, article: int | None = None) -> Response:
    return render(request, "partials/topics_retrain.html", _retrain_context(request, article))


@router.get("/api/topics/retrain", tags=["topics"])
def retrain_status_api(request: Request, _: Analyst) -> dict[str, Any]:
    """The retraining: ``state`` idle | running (``step`` embed | fit, ``done`` of ``total``) |
    done (``summary``: corrections used, the new model's labels and examples) | failed
    (``reason``); ``corrections``: how many are recorded now."""
    from ttdn.models.topic_corrections import count_corrections

    return _retrain_job(request.app).snapshot() | {"corrections": count_corrections(_data_dir(request))}


@router.get("/api/articles/{article_id}/related", tags=["articles"])
def article_related(request: Request, _: Viewer, article_id: int) -> dict[str, Any]:
    """What the article page shows beside the text: near-duplicates (both ways), similar
    articles by embedding, and the narratives it was matched with."""
    article = _article_or_404(request, article_id)
    engine = store_of(request).database.engine
    return {
        "id": article.id,
        "story_id": article.story_id,
        "duplicates": [d.as_dict() for d in near_duplicates(engine, article)],
        "similar": _similar(request, article_id),
        "narratives": [m.as_dict() for m in article_matches(engine, article_id)],
    }
