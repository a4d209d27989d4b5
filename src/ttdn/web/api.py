"""The REST API under /api (JSON; OpenAPI at /docs). Everything here needs at least a viewer."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from sqlalchemy import func, select

from ttdn import __version__
from ttdn.store.tables import Article
from ttdn.web.deps import require, store_of

__all__ = ["router"]

router = APIRouter()
viewer = Depends(require("viewer"))


@router.get("/health", tags=["system"])
def health(request: Request) -> dict[str, Any]:
    """Open to all: is the platform up, and how many articles does it hold."""
    store = store_of(request)
    with store.database.engine.connect() as conn:
        articles = conn.execute(select(func.count()).select_from(Article)).scalar_one()
    return {"status": "ok", "version": __version__, "articles": articles, "embedded": store.database.embedded}


@router.get("/openapi.json", include_in_schema=False, dependencies=[viewer])
def openapi(request: Request) -> dict[str, Any]:
    schema: dict[str, Any] = request.app.openapi()
    return schema


@router.get("/docs", include_in_schema=False, dependencies=[viewer])
def docs() -> HTMLResponse:
    page = get_swagger_ui_html(
        openapi_url="/openapi.json",
        title="TTĐN API",
        swagger_js_url="/static/vendor/swagger-ui-bundle.js",
        swagger_css_url="/static/vendor/swagger-ui.css",
        swagger_favicon_url="/static/favicon.svg",
    )
    # Swagger UI starts from an inline script, which the CSP forbids: start it from a file instead.
    body = page.body.decode() if isinstance(page.body, bytes) else str(page.body)
    start, end = body.index("<script>", body.index("swagger-ui-bundle.js")), body.rindex("</script>")
    body = body[:start] + '<script src="/static/swagger-init.js"></script>' + body[end + len("</script>") :]
    return HTMLResponse(body)


@router.get("/api/sources", tags=["sources"], dependencies=[viewer])
def sources(request: Request) -> list[dict[str, Any]]:
    return [
        {slot: getattr(r, slot) for slot in r.__slots__} | {"healthy": r.healthy}
        for r in store_of(request).sources.all()
    ]


@router.get("/api/articles", tags=["articles"], dependencies=[viewer])
def articles(
    request: Request, limit: int = Query(50, ge=1, le=500), offset: int = Query(0, ge=0)
) -> list[dict[str, Any]]:
    query = (
        select(
            Article.id, Article.url, Article.title, Article.lang, Article.published_at,
            Article.source_name, Article.duplicate_of, Article.dup_kind,
        )
        .order_by(Article.id.desc())
        .limit(limit)
        .offset(offset)
    )  # fmt: skip
    with store_of(request).database.engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(query)]


@router.get("/api/articles/{article_id}", tags=["articles"], dependencies=[viewer])
def article(request: Request, article_id: int) -> dict[str, Any]:
    query = select(Article.__table__).where(Article.id == article_id)
    with store_of(request).database.engine.connect() as conn:
        row = conn.execute(query).mappings().first()
    if row is None:
        raise HTTPException(404, f"no article {article_id}")
    data = dict(row)
    for heavy in ("minhash", "embedding"):
        data.pop(heavy, None)
    return data
