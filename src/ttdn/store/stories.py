"""Story repository: the stories and their centroids, persisted in PostgreSQL.

The story stage keeps the active stories (those seen within the time window) in memory and
writes every join or new story through here. Centroids are running means, re-normalised;
the story's title is the member headline that was nearest to the centroid when it joined.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from sqlalchemy import Engine, text

from ttdn.store.vectors import vector_literal

__all__ = ["StoryStore", "StorySummary"]

# Story writes do not wait for their own WAL flush: the enrichment batch that records the
# articles' story ids commits synchronously afterwards, and WAL is flushed in order, so a
# crash can never keep an article's story id while losing the story it points to.
ASYNC_COMMIT = text("SET LOCAL synchronous_commit = off")


@dataclass(frozen=True, slots=True)
class StorySummary:
    id: int
    title: str
    first_seen: datetime
    last_seen: datetime
    size: int
    languages: list[str]
    countries: list[str]
    mean_tone: float | None
    growth: int  # articles added within the growth window


def _parse(value: object) -> np.ndarray:
    if isinstance(value, str):
        return np.array([float(x) for x in value.strip("[]").split(",")], dtype=np.float32)
    return np.asarray(getattr(value, "to_numpy", lambda: value)(), dtype=np.float32)


class StoryStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def active(self, since: datetime) -> list[tuple[int, np.ndarray, dict[str, int], datetime]]:
        """Stories seen since ``since``: (id, centroid, members per language, last seen)."""
        query = text("SELECT id, centroid, lang_counts, last_seen FROM stories WHERE last_seen >= :since ORDER BY id")
        with self.engine.connect() as conn:
            return [(int(i), _parse(c), dict(n), seen) for i, c, n, seen in conn.execute(query, {"since": since})]

    def language_sums(self) -> dict[str | None, tuple[np.ndarray, int]]:
        """Sum and count of the stored article embeddings per language (for centring)."""
        query = text(
            "SELECT lang, sum(CAST(embedding AS vector)), count(*) FROM articles "
            "WHERE embedding IS NOT NULL GROUP BY lang"
        )
        with self.engine.connect() as conn:
            return {lang: (_parse(total), int(n)) for lang, total, n in conn.execute(query)}

    def open(
        self, article_id: int, vector: np.ndarray, title: str, at: datetime, lang: str | None, countries: list[str],
        tone: float | None,
    ) -> int:  # fmt: skip
        with self.engine.begin() as conn:
            conn.execute(ASYNC_COMMIT)
            return int(
                conn.execute(
                    text(
                        "INSERT INTO stories (title, first_seen, last_seen, size, languages, countries, tone_sum, "
                        "tone_count, centroid, title_article_id, title_similarity, lang_counts) VALUES (:title, :at, "
                        ":at, 1, :langs, :countries, :tone_sum, :tone_count, CAST(:v AS halfvec), :article, 1.0, "
                        "CAST(:counts AS jsonb)) RETURNING id"
                    ),
                    {
                        "title": title,
                        "at": at,
                        "langs": [lang] if lang else [],
                        "countries": countries,
                        "tone_sum": tone or 0.0,
                        "tone_count": 0 if tone is None else 1,
                        "v": vector_literal(vector),
                        "article": article_id,
                        "counts": json.dumps({lang or "": 1}),
                    },
                ).scalar_one()
            )

    def join(
        self, story_id: int, article_id: int, vector: np.ndarray, title: str, at: datetime, lang: str | None,
        countries: list[str], tone: float | None,
    ) -> np.ndarray:  # fmt: skip
        with self.engine.begin() as conn:
            conn.execute(ASYNC_COMMIT)
            size, centroid, title_similarity = conn.execute(
                text("SELECT size, centroid, title_similarity FROM stories WHERE id = :id FOR UPDATE"),
                {"id": story_id},
            ).one()
            mean = _parse(centroid) * size + vector
            mean /= max(float(np.linalg.norm(mean)), 1e-9)
            similarity = float(np.dot(mean, vector))
            better_title = similarity > title_similarity
            conn.execute(
                text(
                    "UPDATE stories SET size = size + 1, centroid = CAST(:v AS halfvec), "
                    "first_seen = LEAST(first_seen, :at), last_seen = GREATEST(last_seen, :at), "
                    "languages = ARRAY(SELECT DISTINCT unnest(languages || CAST(:langs AS text[]))), "
                    "countries = ARRAY(SELECT DISTINCT unnest(countries || CAST(:countries AS text[]))), "
                    "tone_sum = tone_sum + :tone_sum, tone_count = tone_count + :tone_count, "
                    "title = CASE WHEN :better THEN :title ELSE title END, "
                    "title_article_id = CASE WHEN :better THEN :article ELSE title_article_id END, "
                    "title_similarity = CASE WHEN :better THEN :sim ELSE title_similarity END, "
                    "lang_counts = jsonb_set(lang_counts, ARRAY[CAST(:lang_key AS text)], "
                    "to_jsonb(coalesce(CAST(lang_counts ->> CAST(:lang_key AS text) AS int), 0) + 1)) "
                    "WHERE id = :id"
                ),
                {
                    "id": story_id,
                    "v": vector_literal(mean),
                    "at": at,
                    "langs": [lang] if lang else [],
                    "countries": countries,
                    "tone_sum": tone or 0.0,
                    "tone_count": 0 if tone is None else 1,
                    "better": better_title,
                    "title": title,
                    "article": article_id,
                    "sim": similarity,
                    "lang_key": lang or "",
                },
            )
        return mean

    def summaries(
        self, *, limit: int = 20, since: datetime | None = None, growth_hours: float = 6.0
    ) -> list[StorySummary]:
        """Stories seen since ``since`` (all when None), largest recent growth first."""
        query = text(
            "SELECT s.id, s.title, s.first_seen, s.last_seen, s.size, s.languages, s.countries, "
            "CASE WHEN s.tone_count > 0 THEN s.tone_sum / s.tone_count END, "
            "(SELECT count(*) FROM articles a WHERE a.story_id = s.id "
            " AND a.collected_at >= now() - :growth) AS growth "
            "FROM stories s WHERE (CAST(:since AS timestamptz) IS NULL OR s.last_seen >= :since) "
            "ORDER BY growth DESC, s.size DESC, s.id LIMIT :limit"
        )
        with self.engine.connect() as conn:
            rows = conn.execute(query, {"since": since, "limit": limit, "growth": timedelta(hours=growth_hours)})
            return [StorySummary(*row) for row in rows]
