"""The dashboard's figures from live data, and a small cache in front of them.

Every figure counts articles by their time (published, else collected) within the chosen
window of whole UTC days ending today: volume and mean tone toward Vietnam per day, articles
by outlet country (the source's ``country``), by language and by topic (the topics stage's
``[{"label", "score"}]``); the stories seen in the window with their growth; the narratives
with matches (not rejected) in articles of the last seven days; sources whose last fetches
failed.

`FiguresCache` keeps the figures of each window for a minute, or until something they are
made of changes (a new or newly enriched article, a match or its decision, a source's health):
one cheap query over indexed maxima tells.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, text

from ttdn.store import Store
from ttdn.store.sources import SourceRecord
from ttdn.understand.relevance import THRESHOLD
from ttdn.web.queries_stories import ARTICLE_TIME, StoryRow, list_stories

__all__ = ["WINDOWS", "ActiveNarrative", "Figures", "FiguresCache", "compute_figures"]

WINDOWS = (7, 30, 90)
NARRATIVE_DAYS = 7
TOP = 15
log = logging.getLogger(__name__)

CACHE_SECONDS = 60.0


@dataclass(frozen=True, slots=True)
class ActiveNarrative:
    id: int
    title: str
    severity: str
    status: str
    matches: int
    confirmed: int
    last_seen: datetime | None

    def as_dict(self) -> dict[str, Any]:
        return {slot: getattr(self, slot) for slot in self.__slots__}


@dataclass(frozen=True, slots=True)
class DayPoint:
    day: date
    articles: int
    about_vietnam: int
    tone: float | None


@dataclass(slots=True)
class Figures:
    days: int
    now: datetime
    articles_total: int = 0
    articles_24h: int = 0
    articles_7d: int = 0
    active_stories: int = 0
    narratives_week: int = 0
    volume: list[DayPoint] = field(default_factory=list)
    by_country: list[tuple[str | None, int]] = field(default_factory=list)
    by_language: list[tuple[str | None, int]] = field(default_factory=list)
    by_topic: list[tuple[str, int]] = field(default_factory=list)
    top_stories: list[StoryRow] = field(default_factory=list)
    narratives: list[ActiveNarrative] = field(default_factory=list)
    sources_total: int = 0
    source_warnings: list[SourceRecord] = field(default_factory=list)


def _window_start(now: datetime, days: int) -> datetime:
    today = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return today - timedelta(days=days - 1)


def compute_figures(
    store: Store, days: int, *, story_window_hours: float = 72.0, now: datetime | None = None
) -> Figures:
    now = now or datetime.now(UTC)
    since = _window_start(now, days)
    until = _window_start(now, 0)  # the start of tomorrow
    engine = store.database.engine
    figures = Figures(days=days, now=now)
    window = {"since": since, "until": until}
    in_window = f"{ARTICLE_TIME} >= :since AND {ARTICLE_TIME} < :until"
    with engine.connect() as conn:
        total, day, week = conn.execute(
            text(
                f"SELECT count(*), count(*) FILTER (WHERE {ARTICLE_TIME} >= :d1), "
                f"count(*) FILTER (WHERE {ARTICLE_TIME} >= :d7) FROM articles a"
            ),
            {"d1": now - timedelta(hours=24), "d7": now - timedelta(days=7)},
        ).one()
        figures.articles_total, figures.articles_24h, figures.articles_7d = int(total), int(day), int(week)
        figures.active_stories = int(
            conn.execute(
                text("SELECT count(*) FROM stories WHERE last_seen >= :since"),
                {"since": now - timedelta(hours=story_window_hours)},
            ).scalar_one()
        )
        per_day = {
            d.date(): (int(n), int(vn), None if tone is None else round(float(tone), 4))
            for d, n, vn, tone in conn.execute(
                text(
                    f"SELECT date_trunc('day', {ARTICLE_TIME} AT TIME ZONE 'UTC') AS d, count(*), "
                    "count(*) FILTER (WHERE a.relevance >= :threshold), avg(a.tone) "
                    f"FROM articles a WHERE {in_window} GROUP BY 1"
                ),
                window | {"threshold": THRESHOLD},
            )
        }
        for i in range(days):
            d = (since + timedelta(days=i)).date()
            n, vn, tone = per_day.get(d, (0, 0, None))
            figures.volume.append(DayPoint(d, n, vn, tone))
        by = "GROUP BY 1 ORDER BY n DESC, 1 LIMIT :top"
        figures.by_country = _counted(
            conn,
            "SELECT s.country, count(*) AS n FROM articles a LEFT JOIN sources s ON s.id = a.source_id "
            f"WHERE {in_window} {by}",
            window,
        )
        figures.by_language = _counted(
            conn, f"SELECT a.lang, count(*) AS n FROM articles a WHERE {in_window} {by}", window
        )
        topics = _counted(
            conn,
            "SELECT t.topic ->> 'label' AS label, count(*) AS n FROM articles a CROSS JOIN LATERAL "
            "jsonb_array_elements(CASE WHEN jsonb_typeof(a.topics) = 'array' THEN a.topics ELSE '[]'::jsonb END) "
            f"AS t(topic) WHERE {in_window} AND t.topic ->> 'label' IS NOT NULL {by}",
            window,
        )
        figures.by_topic = [(str(label), n) for label, n in topics]
        narratives = active_narratives(conn, now - timedelta(days=NARRATIVE_DAYS))
    figures.narratives_week = len(narratives)
    figures.narratives = narratives[:10]
    figures.top_stories, _ = list_stories(engine, since=since, sort="growth", limit=10, now=now)
    return figures


def active_narratives(conn: Any, since: datetime) -> list[ActiveNarrative]:
    """Narratives with matches (not rejected) in articles since ``since``, most matches first."""
    rows = conn.execute(
        text(
            "SELECT n.id, n.title, n.severity, n.status, count(*) AS c, "
            "count(*) FILTER (WHERE m.status = 'confirmed'), "
            f"max({ARTICLE_TIME}) AS last FROM narrative_matches m "
            "JOIN narratives n ON n.id = m.narrative_id JOIN articles a ON a.id = m.article_id "
            f"WHERE m.status <> 'rejected' AND {ARTICLE_TIME} >= :since "
            "GROUP BY n.id ORDER BY c DESC, last DESC, n.id LIMIT 1000"
        ),
        {"since": since},
    )
    return [ActiveNarrative(int(i), t, sev, st, int(c), int(ok), last) for i, t, sev, st, c, ok, last in rows]


def _counted(conn: Any, query: str, params: dict[str, Any]) -> list[tuple[Any, int]]:
    return [(key, int(n)) for key, n in conn.execute(text(query), params | {"top": TOP})]


def _with_sources(store: Store, figures: Figures) -> Figures:
    sources = store.sources.all()
    warnings = [s for s in sources if s.enabled and not s.healthy]
    return replace(figures, sources_total=len(sources), source_warnings=warnings)


class FiguresCache:
    """Figures per window, kept while nothing they count has changed (at most `CACHE_SECONDS`).

    When only time has passed (the data is unchanged) the kept figures are served at once and
    one background thread computes fresh ones; when the data changed, callers wait for one
    computation (not one each).
    """

    def __init__(self, seconds: float = CACHE_SECONDS) -> None:
        self.seconds = seconds
        self._lock = threading.Lock()
        self._kept: dict[int, tuple[tuple[Any, ...], float, Figures]] = {}
        self._computing: dict[int, threading.Lock] = {}

    def get(self, store: Store, days: int, *, story_window_hours: float = 72.0) -> Figures:
        version = _version(store.database.engine)
        with self._lock:
            kept = self._kept.get(days)
            computing = self._computing.setdefault(days, threading.Lock())
        if kept is not None and kept[0] == version:
            if time.monotonic() - kept[1] >= self.seconds:
                self._refresh_later(store, days, version, story_window_hours)
            return _with_sources(store, kept[2])  # sources: few rows, always live
        with computing:  # one computation at a time per window; who waited finds it done
            with self._lock:
                kept = self._kept.get(days)
            if kept is None or kept[0] != version:
                self._compute(store, days, version, story_window_hours)
            with self._lock:
                figures = self._kept[days][2]
        return _with_sources(store, figures)

    def _compute(self, store: Store, days: int, version: tuple[Any, ...], story_window_hours: float) -> None:
        figures = compute_figures(store, days, story_window_hours=story_window_hours)
        with self._lock:
            self._kept[days] = (version, time.monotonic(), figures)

    def _refresh_later(self, store: Store, days: int, version: tuple[Any, ...], story_window_hours: float) -> None:
        computing = self._computing[days]
        if not computing.acquire(blocking=False):
            return  # a computation for this window is running: its figures will do

        def refresh() -> None:
            try:
                self._compute(store, days, version, story_window_hours)
            except Exception:  # the stale figures stay; the next request tries again
                log.exception("refreshing the dashboard figures failed")
            finally:
                computing.release()

        try:
            threading.Thread(target=refresh, name="ttdn-dashboard-refresh", daemon=True).start()
        except RuntimeError:  # no thread to be had: nothing holds the lock
            computing.release()
            raise

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()


def _version(engine: Engine) -> tuple[Any, ...]:
    query = text(
        "SELECT (SELECT max(id) FROM articles), (SELECT max(enriched_at) FROM articles), "
        "(SELECT max(GREATEST(matched_at, decided_at)) FROM narrative_matches), "
        "(SELECT count(*) FROM narrative_matches), (SELECT max(updated_at) FROM narratives)"
    )
    with engine.connect() as conn:
        return tuple(conn.execute(query).one())
