"""The FastAPI application: health, a small REST API, and the scheduler's lifetime."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, HTTPException, Query
from sqlalchemy import func, select

from ttdn import __version__
from ttdn.errors import TTDNError
from ttdn.scheduler import CollectionScheduler
from ttdn.settings import Settings
from ttdn.store import Store
from ttdn.store.tables import Article

__all__ = ["create_app"]


def create_app(store: Store, settings: Settings, *, run_scheduler: bool = True) -> FastAPI:
    scheduler = CollectionScheduler(store, settings, enrich=settings.enrich_worker) if run_scheduler else None

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if scheduler is not None:
            scheduler.start()
        try:
            yield
        finally:
            if scheduler is not None:
                scheduler.stop()

    app = FastAPI(title="TTĐN", version=__version__, lifespan=lifespan)

    @app.get("/health")
    def health() -> dict[str, Any]:
        with store.database.engine.connect() as conn:
            articles = conn.execute(select(func.count()).select_from(Article)).scalar_one()
        return {
            "status": "ok",
            "version": __version__,
            "articles": articles,
            "embedded": store.database.embedded,
        }

    @app.get("/api/sources")
    def sources() -> list[dict[str, Any]]:
        return [{slot: getattr(r, slot) for slot in r.__slots__} | {"healthy": r.healthy} for r in store.sources.all()]

    @app.get("/api/articles")
    def articles(limit: int = Query(50, ge=1, le=500), offset: int = Query(0, ge=0)) -> list[dict[str, Any]]:
        query = (
            select(
                Article.id, Article.url, Article.title, Article.lang, Article.published_at,
                Article.source_name, Article.duplicate_of, Article.dup_kind,
            )
            .order_by(Article.id.desc())
            .limit(limit)
            .offset(offset)
        )  # fmt: skip
        with store.database.engine.connect() as conn:
            return [dict(row._mapping) for row in conn.execute(query)]

    @app.get("/api/search")
    def search_articles(
        q: str = Query(..., max_length=10_000, description="Search-box text."),
        lang: list[str] = Query(default_factory=list),
        sort: str = Query("relevance", pattern="^(relevance|date)$"),
        limit: int = Query(20, ge=1, le=200),
        offset: int = Query(0, ge=0),
        vector: bool = Query(True, description="Fuse with multilingual vector search."),
    ) -> dict[str, Any]:
        from ttdn.models.embeddings import get_backend
        from ttdn.search.engine import SearchFilters, search

        embed = None
        if vector:
            backend = get_backend(settings.embedding_backend, settings.embedding_model_dir)
            embed = lambda text: backend.embed_queries([text])[0]  # noqa: E731
        try:
            result = search(
                store.database.engine,
                q,
                filters=SearchFilters(langs=lang),
                sort=sort,
                limit=limit,
                offset=offset,
                embed_query=embed,
            )
        except TTDNError as exc:
            raise HTTPException(400, exc.reason) from exc
        return {
            "query": q,
            "lexical_matches": result.lexical_matches,
            "hits": [{slot: getattr(h, slot) for slot in h.__slots__} for h in result.hits],
        }

    @app.get("/api/articles/{article_id}")
    def article(article_id: int) -> dict[str, Any]:
        query = select(Article.__table__).where(Article.id == article_id)
        with store.database.engine.connect() as conn:
            row = conn.execute(query).mappings().first()
        if row is None:
            raise HTTPException(404, f"no article {article_id}")
        data = dict(row)
        for heavy in ("minhash", "embedding"):
            data.pop(heavy, None)
        return data

    return app
