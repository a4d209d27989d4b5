"""Stories for the web pages: the filtered, sorted, paged list, one story, its articles and its
timeline.

An article's time is when it was published, else when it was collected (the time the story
stage used). A story's *growth* is the number of its articles whose time falls within the
last ``growth_hours``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, text

__all__ = [
    "ARTICLE_TIME",
    "SORTS",
    "StoryArticle",
    "StoryRow",
    "TimelineBucket",
    "get_story",
    "list_stories",
    "stories_languages",
    "story_articles",
    "story_timeline",
]

ARTICLE_TIME = "COALESCE(a.published_at, a.collected_at)"
SORTS = {
    "growth": "growth DESC, s.size DESC, s.id DESC",
    "size": "s.size DESC, growth DESC, s.id DESC",
    "recent": "s.last_seen DESC, s.id DESC",
}
MAX_STORY_ARTICLES = 1_000
MAX_BUCKETS = 400  # gaps are filled with zeros up to this many buckets


@dataclass(frozen=True, slots=True)
class StoryRow:
    id: int
    title: str
    first_seen: datetime
    last_seen: datetime
    size: int
    languages: list[str]
    countries: list[str]
    mean_tone: float | None
    growth: int
    lang_counts: dict[str, int]
    title_article_id: int | None

    def as_dict(self) -> dict[str, Any]:
        return {slot: getattr(self, slot) for slot in self.__slots__}


@dataclass(frozen=True, slots=True)
class StoryArticle:
    id: int
    title: str
    url: str | None
    source_name: str | None
    country: str | None
    lang: str | None
    at: datetime
    tone: float | None
    dup_kind: str | None

    def as_dict(self) -> dict[str, Any]:
        return {slot: getattr(self, slot) for slot in self.__slots__}


@dataclass(frozen=True, slots=True)
class TimelineBucket:
    at: datetime
    lang: str | None
    articles: int
    tone_sum: float
    tone_count: int


_STORY_COLUMNS = (
    "s.id, s.title, s.first_seen, s.last_seen, s.size, s.languages, s.countries, "
    "CASE WHEN s.tone_count > 0 THEN s.tone_sum / s.tone_count END AS tone, "
    "COALESCE(r.n, 0) AS growth, s.lang_counts, s.title_article_id"
)
_RECENT = (
    "WITH recent AS (SELECT a.story_id, count(*) AS n FROM articles a "
    f"WHERE a.story_id IS NOT NULL AND {ARTICLE_TIME} >= :growth_since GROUP BY a.story_id) "
)


def _row(row: Any) -> StoryRow:
    id_, title, first, last, size, langs, countries, tone, growth, counts, title_article = row
    return StoryRow(
        int(id_), title, first, last, int(size), sorted(langs or []), sorted(countries or []),
        None if tone is None else float(tone), int(growth),
        {k: int(v) for k, v in (counts or {}).items() if k}, title_article,
    )  # fmt: skip


def list_stories(
    engine: Engine,
    *,
    since: datetime | None = None,
    lang: str | None = None,
    sort: str = "growth",
    growth_hours: float = 24.0,
    limit: int = 25,
    offset: int = 0,
    now: datetime | None = None,
) -> tuple[list[StoryRow], int]:
    """Stories last seen since ``since`` (all when None) with an article in ``lang`` (any when
    None), sorted by ``sort`` (one of `SORTS`); returns one page and the number in all."""
    order = SORTS.get(sort, SORTS["growth"])
    where = (
        "WHERE (CAST(:since AS timestamptz) IS NULL OR s.last_seen >= :since) "
        "AND (CAST(:lang AS text) IS NULL OR CAST(:lang AS text) = ANY(s.languages)) "
    )
    params = {
        "since": since,
        "lang": lang or None,
        "growth_since": (now or datetime.now(UTC)) - timedelta(hours=growth_hours),
        "limit": max(1, min(limit, 500)),
        "offset": max(0, offset),
    }
    page = text(
        f"{_RECENT}SELECT {_STORY_COLUMNS} FROM stories s LEFT JOIN recent r ON r.story_id = s.id "
        f"{where}ORDER BY {order} LIMIT :limit OFFSET :offset"
    )
    total = text(f"SELECT count(*) FROM stories s {where}")
    with engine.connect() as conn:
        rows = [_row(row) for row in conn.execute(page, params)]
        count = int(conn.execute(total, {"since": params["since"], "lang": params["lang"]}).scalar_one())
    return rows, count


def stories_languages(engine: Engine) -> list[str]:
    """Every language that some story has an article in."""
    with engine.connect() as conn:
        return [r[0] for r in conn.execute(text("SELECT DISTINCT unnest(languages) AS l FROM stories ORDER BY l"))]


def get_story(
    engine: Engine, story_id: int, *, growth_hours: float = 24.0, now: datetime | None = None
) -> StoryRow | None:
    query = text(
        f"{_RECENT}SELECT {_STORY_COLUMNS} FROM stories s LEFT JOIN recent r ON r.story_id = s.id WHERE s.id = :id"
    )
    growth_since = (now or datetime.now(UTC)) - timedelta(hours=growth_hours)
    with engine.connect() as conn:
        row = conn.execute(query, {"id": story_id, "growth_since": growth_since}).first()
    return None if row is None else _row(row)


def story_articles(engine: Engine, story_id: int, *, limit: int = MAX_STORY_ARTICLES) -> list[StoryArticle]:
    """The story's articles, oldest first (at most ``limit``)."""
    query = text(
        f"SELECT a.id, a.title, a.url, a.source_name, s.country, a.lang, {ARTICLE_TIME} AS at, a.tone, a.dup_kind "
        "FROM articles a LEFT JOIN sources s ON s.id = a.source_id "
        "WHERE a.story_id = :id ORDER BY at, a.id LIMIT :limit"
    )
    with engine.connect() as conn:
        return [StoryArticle(*row) for row in conn.execute(query, {"id": story_id, "limit": limit})]


def story_timeline(engine: Engine, story: StoryRow) -> tuple[bool, list[TimelineBucket]]:
    """Articles (and tone sums) per language per hour — per day when the story spans more than
    three days; returns (hourly, buckets)."""
    hourly = story.last_seen - story.first_seen <= timedelta(days=3)
    query = text(
        f"SELECT date_trunc(:unit, {ARTICLE_TIME} AT TIME ZONE 'UTC') AS b, a.lang, count(*), "
        "COALESCE(sum(a.tone), 0), count(a.tone) FROM articles a WHERE a.story_id = :id GROUP BY 1, 2 ORDER BY 1, 2"
    )
    with engine.connect() as conn:
        rows = conn.execute(query, {"unit": "hour" if hourly else "day", "id": story.id})
        buckets = [
            TimelineBucket(b.replace(tzinfo=UTC), lang, int(n), float(total), int(scored))
            for b, lang, n, total, scored in rows
        ]
    return hourly, buckets


def bucket_axis(buckets: list[TimelineBucket], hourly: bool) -> list[datetime]:
    """Every bucket from the first to the last, gaps included (only those with articles when
    there would be more than `MAX_BUCKETS`)."""
    present = sorted({b.at for b in buckets})
    if not present:
        return []
    step = timedelta(hours=1) if hourly else timedelta(days=1)
    span = int((present[-1] - present[0]) / step) + 1
    if span > MAX_BUCKETS:
        return present
    return [present[0] + i * step for i in range(span)]
