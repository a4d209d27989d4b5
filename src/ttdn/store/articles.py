"""Article repository: the dedupe index, and writing a batch of articles atomically.

A batch is written in one transaction: either every article of it is stored (with its
LSH bands and duplicate links) or none is. That is what "acknowledged" means: a crash
loses nothing committed, and a rerun skips what is there by its ``url_key``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, bindparam, func, select, text, update
from sqlalchemy.dialects.postgresql import insert

from ttdn.pipeline.dedupe import StoredFingerprint
from ttdn.pipeline.fingerprint import url_key
from ttdn.records import Article
from ttdn.search.query import search_text_of
from ttdn.store.tables import Article as ArticleRow

__all__ = ["ArticleStore", "SavedBatch"]


@dataclass(slots=True)
class SavedBatch:
    inserted: int = 0
    exact_duplicates: int = 0
    near_duplicates: int = 0
    skipped_existing: int = 0  # lost a race with another writer for the same url_key


class ArticleStore:
    """Implements ``ttdn.pipeline.dedupe.DuplicateIndex`` on PostgreSQL."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # -- DuplicateIndex ----------------------------------------------------------------
    def existing_url_keys(self, keys: Iterable[str]) -> set[str]:
        keys = list(set(keys))
        if not keys:
            return set()
        with self.engine.connect() as conn:
            rows = conn.execute(select(ArticleRow.url_key).where(ArticleRow.url_key == func.any(keys)))
            return {row[0] for row in rows}

    def by_content_hash(self, hashes: Iterable[str]) -> dict[str, StoredFingerprint]:
        hashes = list(set(hashes))
        if not hashes:
            return {}
        query = (
            select(ArticleRow.content_hash, ArticleRow.id, ArticleRow.duplicate_of, ArticleRow.minhash)
            .where(ArticleRow.content_hash == func.any(hashes))
            .order_by(ArticleRow.id)
        )
        found: dict[str, StoredFingerprint] = {}
        with self.engine.connect() as conn:
            for content_hash, id_, dup_of, minhash in conn.execute(query):
                found.setdefault(content_hash, StoredFingerprint(id_, dup_of or id_, minhash))
        return found

    def band_candidates(self, bands: Iterable[tuple[int, int]]) -> dict[tuple[int, int], list[StoredFingerprint]]:
        bands = list(bands)
        if not bands:
            return {}
        # two array parameters instead of thousands of IN-list parameters: one plan, fast to send
        query = text(
            "SELECT b.band, b.hash, a.id, a.duplicate_of, a.minhash "
            "FROM unnest(CAST(:bands AS smallint[]), CAST(:hashes AS bigint[])) AS q(band, hash) "
            "JOIN article_bands b ON b.band = q.band AND b.hash = q.hash "
            "JOIN articles a ON a.id = b.article_id"
        )
        found: dict[tuple[int, int], list[StoredFingerprint]] = {}
        with self.engine.connect() as conn:
            rows = conn.execute(query, {"bands": [b for b, _ in bands], "hashes": [h for _, h in bands]})
            for band, h, id_, dup_of, minhash in rows:
                found.setdefault((band, h), []).append(StoredFingerprint(id_, dup_of or id_, minhash))
        return found

    # -- writing -------------------------------------------------------------------------
    def save(self, articles: Sequence[Article]) -> SavedBatch:
        """Store a deduplicated batch in one transaction."""
        result = SavedBatch()
        if not articles:
            return result
        rows = [_row(a) for a in articles]
        with self.engine.begin() as conn:
            returned = conn.execute(
                insert(ArticleRow)
                .on_conflict_do_nothing(index_elements=["url_key"])
                .returning(ArticleRow.id, ArticleRow.url_key),
                rows,
            ).all()
            ids = {key: id_ for id_, key in returned}
            # resolve links to earlier articles of the same batch, now that they have ids
            group_of: dict[int, int] = {}
            links: list[dict[str, Any]] = []
            bands: list[dict[str, int]] = []
            for position, article in enumerate(articles):
                id_ = ids.get(rows[position]["url_key"])
                if id_ is None:
                    result.skipped_existing += 1
                    continue
                group = article.duplicate_of
                if article.batch_duplicate_of is not None:
                    group = group_of.get(article.batch_duplicate_of)
                    if group is not None:
                        links.append({"b_id": id_, "b_group": group})
                group_of[position] = group if group is not None else id_
                result.inserted += 1
                if article.dup_kind == "exact":
                    result.exact_duplicates += 1
                elif article.dup_kind == "near":
                    result.near_duplicates += 1
                bands.extend({"band": band, "hash": h, "article_id": id_} for band, h in enumerate(article.band_hashes))
            if links:
                conn.execute(
                    update(ArticleRow)
                    .where(ArticleRow.id == bindparam("b_id"))
                    .values(duplicate_of=bindparam("b_group")),
                    links,
                )
            if bands:
                conn.execute(
                    text(
                        "INSERT INTO article_bands (band, hash, article_id) "
                        "SELECT * FROM unnest(CAST(:bands AS smallint[]), CAST(:hashes AS bigint[]), "
                        "CAST(:ids AS bigint[])) ON CONFLICT DO NOTHING"
                    ),
                    {
                        "bands": [b["band"] for b in bands],
                        "hashes": [b["hash"] for b in bands],
                        "ids": [b["article_id"] for b in bands],
                    },
                )
        return result

    def similar(self, article_id: int, limit: int = 10) -> list[tuple[int, str, str | None, float]]:
        """(id, title, lang, cosine similarity) of the stored articles nearest to ``article_id``.

        Uses the HNSW index on the embeddings; an article not yet enriched has no neighbours.
        """
        # the query vector as a scalar subquery (a constant to the plan), not a join: only then
        # does PostgreSQL walk the HNSW index instead of measuring every stored article
        query = text(
            "WITH q AS MATERIALIZED (SELECT embedding FROM articles WHERE id = :id AND embedding IS NOT NULL) "
            "SELECT a.id, a.title, a.lang, 1 - (a.embedding <=> (SELECT embedding FROM q)) AS similarity "
            "FROM articles a WHERE a.id <> :id AND a.embedding IS NOT NULL AND EXISTS (SELECT 1 FROM q) "
            "ORDER BY a.embedding <=> (SELECT embedding FROM q) LIMIT :limit"
        )
        with self.engine.connect() as conn:
            return [
                (i, t, lang, float(sim)) for i, t, lang, sim in conn.execute(query, {"id": article_id, "limit": limit})
            ]

    def exists(self, article_id: int) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(select(ArticleRow.id).where(ArticleRow.id == article_id)).first() is not None

    def count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(ArticleRow)).scalar_one())


def _row(article: Article) -> dict[str, Any]:
    raw = article.raw
    return {
        "url_key": url_key(article),
        "url": raw.url,
        "canonical_url": article.canonical_url or None,
        "source_id": raw.source_id,
        "source_name": raw.source_name,
        "origin": raw.origin,
        "title": raw.title or "",
        "text": raw.text or "",
        "authors": list(raw.authors),
        "title_norm": article.title_norm,
        "search_text": search_text_of(article.title_norm, article.text_norm),
        "text_norm": article.text_norm,
        "lang": article.lang,
        "lang_declared": (raw.lang_hint or None) and raw.lang_hint[:16],
        "lang_confidence": article.lang_confidence,
        "published_at": raw.published_at,
        "content_hash": article.content_hash,
        "minhash": article.minhash,
        "duplicate_of": article.duplicate_of,
        "dup_kind": article.dup_kind,
    }
