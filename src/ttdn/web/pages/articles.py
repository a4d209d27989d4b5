"""The article page: text with places and countries marked, metadata, relevance, topics, tone
with its evidence, near-duplicates, similar articles and the narratives it was matched with."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response

from ttdn.web.accounts import UserInfo
from ttdn.web.deps import require, store_of
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
from ttdn.web.templating import render

__all__ = ["router"]

router = APIRouter()
Viewer = Annotated[UserInfo, Depends(require("viewer"))]
SIMILAR = 8
# shown through _(): tone polarities, match states, severities, duplicate kinds
LABELS = (
    N_("positive"), N_("negative"), N_("neutral"), N_("pending"), N_("confirmed"), N_("rejected"),
    N_("low"), N_("medium"), N_("high"), N_("critical"), N_("exact"), N_("near"),
)  # fmt: skip


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
        "duplicates": near_duplicates(engine, article),
        "similar": _similar(request, article_id),
        "matches": article_matches(engine, article_id),
        "language_name": language_name,
        "country_name": country_name,
    }
    return render(request, "article.html", context)


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
