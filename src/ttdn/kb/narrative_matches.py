"""Narrative matches in articles: recording them, analysts' decisions, calibration, timelines.

The enrichment stage (`ttdn.pipeline.narrative_stage`) scores an article's sentences against
the active narratives and calls :func:`record_matches` with, per article, the narratives whose
best sentence reached the threshold. One row per (narrative, article): the score, the evidence
sentence and its character offsets in the article's ``text`` (None when the evidence is the
title). Recording again (re-enrichment) updates a *pending* row, keeps a decided one as the
analyst left it, and removes the pending rows of narratives that were scored and no longer
match. ``narratives.first_seen`` is the earliest article time (published, else collected) of
the narrative's matches that are not rejected.

An analyst confirms or rejects a match (:func:`decide`); every decision re-fits the threshold
over all decided matches (`ttdn.kb.matching.calibrate_threshold`, shrunk toward the default)
and stores it in ``match_calibration`` under ``"narratives"`` with the number of decisions.
Decisions are serialised on that row, so each fit sees every earlier decision.

Timelines count matches that are not rejected per day (UTC) of the article's time, by the
source's country and by the article's language.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, text

from ttdn.errors import BadInput

__all__ = [
    "CALIBRATION_NAME",
    "ActiveNarrative",
    "ArticleMatches",
    "Calibration",
    "MatchCounts",
    "MatchRecord",
    "NarrativeHit",
    "Timeline",
    "TimelinePoint",
    "active",
    "current_calibration",
    "decide",
    "list_matches",
    "match_counts",
    "record_matches",
    "timeline",
]

CALIBRATION_NAME = "narratives"
MAX_WHO = 200
MAX_SENTENCE = 2_000
ASYNC_COMMIT = text("SET LOCAL synchronous_commit = off")  # see ttdn.store.stories: the batch commits after


@dataclass(frozen=True, slots=True)
class MatchCounts:
    pending: int = 0
    confirmed: int = 0
    rejected: int = 0


@dataclass(frozen=True, slots=True)
class NarrativeHit:
    """A narrative an article repeats: its best sentence, where it is (None: the title) and the score."""

    narrative_id: int
    score: float
    sentence: str
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True, slots=True)
class ArticleMatches:
    """What one article's scoring found (``hits`` may be empty); ``at``: published, else collected."""

    article_id: int
    at: datetime | None
    hits: list[NarrativeHit] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class MatchRecord:
    id: int
    narrative_id: int
    narrative_key: str
    narrative_title: str
    article_id: int
    article_title: str
    url: str | None
    source_name: str | None
    country: str | None
    lang: str | None
    at: datetime | None
    score: float
    sentence: str
    start: int | None
    end: int | None
    status: str
    decided_by: str | None
    decided_at: datetime | None
    matched_at: datetime


@dataclass(frozen=True, slots=True)
class Calibration:
    threshold: float
    decisions: int = 0
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class TimelinePoint:
    day: date
    key: str | None  # a country (ISO 3166-1 alpha-2) or a language (ISO 639-1); None: unknown
    count: int


@dataclass(frozen=True, slots=True)
class Timeline:
    narrative_id: int
    by_country: list[TimelinePoint]
    by_lang: list[TimelinePoint]

    @property
    def total(self) -> int:
        return sum(p.count for p in self.by_country)


@dataclass(frozen=True, slots=True)
class ActiveNarrative:
    id: int
    key: str
    title: str
    severity: str
    status: str
    matches: int
    last_seen: datetime
    countries: list[str]
    languages: list[str]


def match_counts(conn: Connection, narrative_ids: Sequence[int]) -> dict[int, MatchCounts]:
    """Pending, confirmed and rejected matches per narrative."""
    if not narrative_ids:
        return {}
    rows = conn.execute(
        text(
            "SELECT narrative_id, count(*) FILTER (WHERE status = 'pending'), "
            "count(*) FILTER (WHERE status = 'confirmed'), count(*) FILTER (WHERE status = 'rejected') "
            "FROM narrative_matches WHERE narrative_id = ANY(:ids) GROUP BY narrative_id"
        ),
        {"ids": list(narrative_ids)},
    )
    return {int(n): MatchCounts(int(p), int(c), int(r)) for n, p, c, r in rows}


def current_calibration(engine: Engine) -> Calibration:
    """The threshold in use: the last calibration, or the matcher's default before any decision."""
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT threshold, decisions, updated_at FROM match_calibration WHERE name = :name"),
            {"name": CALIBRATION_NAME},
        ).first()
    if row is None:
        from ttdn.kb.matching import DEFAULT_THRESHOLD

        return Calibration(DEFAULT_THRESHOLD)
    return Calibration(float(row[0]), int(row[1]), row[2])


def record_matches(engine: Engine, results: Sequence[ArticleMatches], scored: Sequence[int]) -> None:
    """Store what scoring found for these articles (see the module doc); ``scored`` are the
    narrative ids they were scored against (other narratives' rows are left alone)."""
    if not results:
        return
    with engine.begin() as conn:
        conn.execute(ASYNC_COMMIT)
        conn.execute(
            text(
                "DELETE FROM narrative_matches WHERE article_id = :a AND status = 'pending' "
                "AND narrative_id = ANY(:scored) AND NOT narrative_id = ANY(:kept)"
            ),
            [
                {"a": r.article_id, "scored": list(scored), "kept": [h.narrative_id for h in r.hits]}
                for r in sorted(results, key=lambda r: r.article_id)
            ],
        )
        rows = [
            {
                "n": h.narrative_id,
                "a": r.article_id,
                "score": float(min(max(h.score, 0.0), 1.0)),
                "sentence": h.sentence[:MAX_SENTENCE],
                "s": h.start,
                "e": h.end,
            }
            for r in results
            for h in r.hits
        ]
        if not rows:
            return
        rows.sort(key=lambda row: (row["n"], row["a"]))  # one lock order for concurrent workers
        conn.execute(
            text(
                "INSERT INTO narrative_matches (narrative_id, article_id, score, sentence, sentence_start, "
                "sentence_end) VALUES (:n, :a, :score, :sentence, :s, :e) "
                "ON CONFLICT ON CONSTRAINT uq_narrative_matches_narrative_article DO UPDATE SET "
                "score = EXCLUDED.score, sentence = EXCLUDED.sentence, sentence_start = EXCLUDED.sentence_start, "
                "sentence_end = EXCLUDED.sentence_end, matched_at = now() "
                "WHERE narrative_matches.status = 'pending'"
            ),
            rows,
        )
        rejected = {
            (int(n), int(a))
            for n, a in conn.execute(
                text("SELECT narrative_id, article_id FROM narrative_matches WHERE article_id = ANY(:a) "
                     "AND status = 'rejected'"),
                {"a": [r.article_id for r in results]},
            )
        }  # fmt: skip
        earliest: dict[int, datetime] = {}
        for r in results:
            for h in r.hits:
                n = h.narrative_id
                if r.at is not None and (n, r.article_id) not in rejected and (n not in earliest or r.at < earliest[n]):
                    earliest[n] = r.at
        if earliest:
            conn.execute(
                text("UPDATE narratives SET first_seen = LEAST(COALESCE(first_seen, :at), :at) WHERE id = :n"),
                [{"n": n, "at": when} for n, when in sorted(earliest.items())],
            )


_MATCH_SELECT = (
    "SELECT m.id, m.narrative_id, n.key, n.title, m.article_id, a.title, a.url, a.source_name, s.country, a.lang, "
    "COALESCE(a.published_at, a.collected_at), m.score, m.sentence, m.sentence_start, m.sentence_end, m.status, "
    "m.decided_by, m.decided_at, m.matched_at FROM narrative_matches m "
    "JOIN narratives n ON n.id = m.narrative_id JOIN articles a ON a.id = m.article_id "
    "LEFT JOIN sources s ON s.id = a.source_id "
)


def list_matches(
    engine: Engine,
    narrative_id: int | None = None,
    *,
    status: str | None = None,
    article_id: int | None = None,
    limit: int = 50,
) -> list[MatchRecord]:
    """Matches, newest first, for one narrative and/or article and status."""
    if status is not None and status not in ("pending", "confirmed", "rejected"):
        raise BadInput(
            f"Trạng thái không hợp lệ {status!r} (pending, confirmed, rejected) "
            f"/ unknown match status {status!r} (pending, confirmed, rejected)"
        )
    query = text(
        _MATCH_SELECT + "WHERE (CAST(:n AS integer) IS NULL OR m.narrative_id = :n) "
        "AND (CAST(:s AS text) IS NULL OR m.status = :s) AND (CAST(:a AS bigint) IS NULL OR m.article_id = :a) "
        "ORDER BY m.matched_at DESC, m.id DESC LIMIT :limit"
    )
    with engine.connect() as conn:
        rows = conn.execute(
            query, {"n": narrative_id, "s": status, "a": article_id, "limit": max(1, min(limit, 10_000))}
        )
        return [MatchRecord(*row) for row in rows]


def decide(engine: Engine, match_id: int, confirmed: bool, *, who: str) -> tuple[MatchRecord, Calibration]:
    """Confirm or reject a match (who, when), then re-fit and store the threshold.
    An unknown match → BadInput, nothing changed."""
    from ttdn.kb.matching import DEFAULT_THRESHOLD, calibrate_threshold

    who = unicodedata.normalize("NFC", who).strip() if isinstance(who, str) else ""
    if not who or len(who) > MAX_WHO:
        raise BadInput("Cần ghi rõ người quyết định / say who decides (a name of at most 200 characters)")
    status = "confirmed" if confirmed else "rejected"
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO match_calibration (name, threshold, decisions) VALUES (:name, :t, 0) "
                "ON CONFLICT (name) DO NOTHING"
            ),
            {"name": CALIBRATION_NAME, "t": DEFAULT_THRESHOLD},
        )
        conn.execute(  # serialise decisions: each fit sees every earlier one
            text("SELECT 1 FROM match_calibration WHERE name = :name FOR UPDATE"), {"name": CALIBRATION_NAME}
        )
        nid = conn.execute(
            text(
                "UPDATE narrative_matches SET status = :status, decided_by = :who, decided_at = now() "
                "WHERE id = :id RETURNING narrative_id"
            ),
            {"status": status, "who": who, "id": match_id},
        ).scalar()
        if nid is None:
            raise BadInput(f"Không có kết quả đối chiếu số {match_id} / no narrative match with id {match_id}")
        decisions = [
            (float(score), bool(ok))
            for score, ok in conn.execute(
                text(
                    "SELECT score, status = 'confirmed' FROM narrative_matches "
                    "WHERE status IN ('confirmed', 'rejected') ORDER BY id"
                )
            )
        ]
        threshold = calibrate_threshold(decisions)
        updated_at = conn.execute(
            text(
                "UPDATE match_calibration SET threshold = :t, decisions = :d, updated_at = now() "
                "WHERE name = :name RETURNING updated_at"
            ),
            {"t": threshold, "d": len(decisions), "name": CALIBRATION_NAME},
        ).scalar_one()
        _refresh_first_seen(conn, int(nid))
        record = MatchRecord(*conn.execute(text(_MATCH_SELECT + "WHERE m.id = :id"), {"id": match_id}).one())
    return record, Calibration(threshold, len(decisions), updated_at)


def _refresh_first_seen(conn: Connection, narrative_id: int) -> None:
    conn.execute(
        text(
            "UPDATE narratives SET first_seen = (SELECT min(COALESCE(a.published_at, a.collected_at)) "
            "FROM narrative_matches m JOIN articles a ON a.id = m.article_id "
            "WHERE m.narrative_id = :n AND m.status <> 'rejected') WHERE id = :n"
        ),
        {"n": narrative_id},
    )


def timeline(engine: Engine, narrative_id: int, *, since: datetime | None = None) -> Timeline:
    """Matches (not rejected) per day, by source country and by language, oldest day first."""

    def points(group: str) -> list[TimelinePoint]:
        query = text(
            "SELECT CAST(date_trunc('day', COALESCE(a.published_at, a.collected_at) AT TIME ZONE 'UTC') AS date) "
            f"AS day, {group} AS key, count(*) FROM narrative_matches m JOIN articles a ON a.id = m.article_id "
            "LEFT JOIN sources s ON s.id = a.source_id WHERE m.narrative_id = :n AND m.status <> 'rejected' "
            "AND (CAST(:since AS timestamptz) IS NULL OR COALESCE(a.published_at, a.collected_at) >= :since) "
            "GROUP BY day, key ORDER BY day, key NULLS LAST"
        )
        with engine.connect() as conn:
            rows = conn.execute(query, {"n": narrative_id, "since": since})
            return [TimelinePoint(day, key, int(count)) for day, key, count in rows]

    return Timeline(narrative_id, points("s.country"), points("a.lang"))


def active(engine: Engine, *, days: int = 7, limit: int = 20, now: datetime | None = None) -> list[ActiveNarrative]:
    """Narratives with matches (not rejected) in articles of the last ``days``, most matches first."""
    since = (now or datetime.now(UTC)) - timedelta(days=days)
    query = text(
        "SELECT n.id, n.key, n.title, n.severity, n.status, count(*) AS c, "
        "max(COALESCE(a.published_at, a.collected_at)) AS last, "
        "array_remove(array_agg(DISTINCT s.country), NULL), array_remove(array_agg(DISTINCT a.lang), NULL) "
        "FROM narrative_matches m JOIN narratives n ON n.id = m.narrative_id "
        "JOIN articles a ON a.id = m.article_id LEFT JOIN sources s ON s.id = a.source_id "
        "WHERE m.status <> 'rejected' AND COALESCE(a.published_at, a.collected_at) >= :since "
        "GROUP BY n.id ORDER BY c DESC, last DESC, n.id LIMIT :limit"
    )
    with engine.connect() as conn:
        rows: Any = conn.execute(query, {"since": since, "limit": max(1, min(limit, 1000))})
        return [
            ActiveNarrative(int(i), k, t, sev, st, int(c), last, list(countries), list(langs))
            for i, k, t, sev, st, c, last, countries, langs in rows
        ]
