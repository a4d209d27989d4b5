"""Stories: the list (filtered by window and language, sorted by growth, size or recency, in
pages) and one story's page (its articles grouped by language, timeline, tone, countries)."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response

from ttdn.web.accounts import UserInfo
from ttdn.web.deps import require, store_of
from ttdn.web.i18n import N_, gettext
from ttdn.web.labels import country_name, language_name
from ttdn.web.queries_stories import (
    SORTS,
    StoryArticle,
    StoryRow,
    bucket_axis,
    get_story,
    list_stories,
    stories_languages,
    story_articles,
    story_timeline,
)
from ttdn.web.templating import render

__all__ = ["router"]

router = APIRouter()
Viewer = Annotated[UserInfo, Depends(require("viewer"))]
PER_PAGE = 25
# window in days (0: all time) → label
WINDOWS = {1: N_("24 hours"), 3: N_("3 days"), 7: N_("7 days"), 30: N_("30 days"), 90: N_("90 days"), 0: N_("all time")}
SORT_LABELS = {"growth": N_("growth"), "size": N_("size"), "recent": N_("most recent")}
Window = Annotated[int, Query(ge=0, le=3650, description="Stories seen in the last N days; 0: all.")]
Lang = Annotated[
    str | None,
    Query(max_length=8, pattern="^[a-z]{2,3}$", description="Only stories with an article in this language."),
]
Sort = Annotated[str, Query(pattern=f"^({'|'.join(SORTS)})$")]
Page = Annotated[int, Query(ge=1, le=100_000)]


def _page(request: Request, days: int, lang: str | None, sort: str, page: int, per_page: int) -> dict[str, Any]:
    since = datetime.now(UTC) - timedelta(days=days) if days else None
    engine = store_of(request).database.engine
    stories, total = list_stories(
        engine, since=since, lang=lang, sort=sort, limit=per_page, offset=(page - 1) * per_page
    )
    return {"stories": stories, "total": total, "page": page, "pages": max(1, -(-total // per_page))}


@router.get("/stories", include_in_schema=False)
def stories_page(
    request: Request, _: Viewer, days: Window = 7, lang: Lang = None, sort: Sort = "growth", page: Page = 1
) -> Response:
    context = _page(request, days, lang, sort, page, PER_PAGE) | {
        "days": days,
        "lang": lang or "",
        "sort": sort,
        "windows": WINDOWS,
        "sorts": SORT_LABELS,
        "languages": stories_languages(store_of(request).database.engine),
        "language_name": language_name,
        "country_name": country_name,
    }
    if request.headers.get("hx-request") and request.headers.get("hx-target") == "stories-body":
        response = render(request, "partials/stories_list.html", context)
    else:
        response = render(request, "stories.html", context)
    response.headers["Vary"] = "HX-Request"
    return response


@router.get("/api/stories", tags=["stories"])
def stories_api(
    request: Request,
    _: Viewer,
    days: Window = 7,
    lang: Lang = None,
    sort: Sort = "growth",
    page: Page = 1,
    per_page: Annotated[int, Query(ge=1, le=200)] = PER_PAGE,
) -> dict[str, Any]:
    """Stories seen in the last ``days`` days, with ``growth`` = articles of the last 24 hours."""
    found = _page(request, days, lang, sort, page, per_page)
    return {
        "total": found["total"],
        "page": page,
        "per_page": per_page,
        "stories": [s.as_dict() for s in found["stories"]],
    }


def _story_or_404(request: Request, story_id: int) -> StoryRow:
    story = get_story(store_of(request).database.engine, story_id)
    if story is None:
        raise HTTPException(404, gettext("There is no story with this number."))
    return story


def _charts(request: Request, story: StoryRow) -> dict[str, dict[str, Any]]:
    hourly, buckets = story_timeline(store_of(request).database.engine, story)
    axis = bucket_axis(buckets, hourly)
    position = {at: i for i, at in enumerate(axis)}
    per_lang: dict[str | None, list[int]] = defaultdict(lambda: [0] * len(axis))
    tone_sum, tone_count = [0.0] * len(axis), [0] * len(axis)
    for b in buckets:
        i = position[b.at]
        per_lang[b.lang][i] += b.articles
        tone_sum[i] += b.tone_sum
        tone_count[i] += b.tone_count
    order = sorted(per_lang, key=lambda lang: (-sum(per_lang[lang]), lang or ""))
    x = [at.isoformat() for at in axis]
    return {
        "timeline": {
            "kind": "bar",
            "xType": "time",
            "hourly": hourly,
            "stacked": True,
            "x": x,
            "series": [{"name": language_name(lang), "data": per_lang[lang]} for lang in order],
        },
        "tone": {
            "kind": "line",
            "xType": "time",
            "hourly": hourly,
            "x": x,
            "yMin": -1,
            "yMax": 1,
            "series": [
                {
                    "name": gettext("Mean tone toward Vietnam"),
                    "data": [round(s / n, 4) if n else None for s, n in zip(tone_sum, tone_count, strict=True)],
                }
            ],
        },
    }


def _by_language(articles: list[StoryArticle]) -> list[tuple[str | None, list[StoryArticle]]]:
    groups: dict[str | None, list[StoryArticle]] = defaultdict(list)
    for article in articles:
        groups[article.lang].append(article)
    return sorted(groups.items(), key=lambda item: (-len(item[1]), item[0] or "~"))


@router.get("/stories/{story_id}", include_in_schema=False)
def story_page(request: Request, _: Viewer, story_id: int) -> Response:
    story = _story_or_404(request, story_id)
    articles = story_articles(store_of(request).database.engine, story_id)
    outlets = Counter(a.country for a in articles)
    context = {
        "story": story,
        "groups": _by_language(articles),
        "shown": len(articles),
        "charts": _charts(request, story),
        "outlet_countries": outlets.most_common(),
        "language_name": language_name,
        "country_name": country_name,
    }
    return render(request, "story.html", context)


@router.get("/api/stories/{story_id}", tags=["stories"])
def story_api(request: Request, _: Viewer, story_id: int) -> dict[str, Any]:
    """One story, its articles (oldest first, at most 1,000) and its timeline per language."""
    story = _story_or_404(request, story_id)
    hourly, buckets = story_timeline(store_of(request).database.engine, story)
    return {
        "story": story.as_dict(),
        "articles": [a.as_dict() for a in story_articles(store_of(request).database.engine, story_id)],
        "timeline": {
            "unit": "hour" if hourly else "day",
            "buckets": [
                {
                    "at": b.at,
                    "lang": b.lang,
                    "articles": b.articles,
                    "mean_tone": round(b.tone_sum / b.tone_count, 4) if b.tone_count else None,
                }
                for b in buckets
            ],
        },
    }
