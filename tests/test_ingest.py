"""The ingest pipeline on the real embedded PostgreSQL: normalise → language → dedupe → store."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from ttdn.pipeline.fingerprint import lsh_params
from ttdn.pipeline.topology import ingest
from ttdn.records import RawArticle, Rejection
from ttdn.settings import Settings
from ttdn.store import Store
from ttdn.store.tables import Article, ArticleBand
from ttdn.store.tables import Rejection as RejectionRow

WIRE = (
    "HANOI — Vietnam's exports rose 14 percent in the first ten months of the year, led by electronics, "
    "textiles and farm produce, the General Statistics Office said on Tuesday. Shipments to the United "
    "States and the European Union grew fastest, while imports of machinery climbed as foreign investors "
    "expanded factories in the northern provinces. Economists expect the trade surplus to widen further "
    "before the end of the year as new free trade agreements take effect and port capacity improves."
)


def raw(url: str | None, title: str, text: str, **kw: object) -> RawArticle:
    return RawArticle(url=url, title=title, text=text, origin=url or title, **kw)  # type: ignore[arg-type]


def rows(store: Store) -> list[Article]:
    with store.database.engine.connect() as conn:
        return list(conn.execute(select(Article).order_by(Article.id)).all())  # type: ignore[arg-type]


def test_articles_are_stored_with_original_and_normalised_text(store: Store, settings: Settings) -> None:
    decomposed = "Khánh Hòa đón khách quốc tế"  # NFC, old-style tone mark
    new_style = "Khánh Hoà đón khách quốc tế trở lại sau mùa mưa bão, ngành du lịch kỳ vọng tăng trưởng."
    summary = ingest(
        [raw("https://example.vn/a?utm_source=fb", decomposed, new_style, lang_hint="vi",
             published_at=datetime(2026, 11, 1, tzinfo=UTC))],
        store,
        settings,
    )  # fmt: skip
    assert summary.stored == 1 and summary.rejected == 0
    [article] = rows(store)
    assert article.text == new_style  # original kept for display
    assert "Khánh Hòa" in article.text_norm and "Hoà" not in article.text_norm
    assert article.canonical_url == "https://example.vn/a"
    assert article.url_key == "https://example.vn/a"
    assert article.lang == "vi"
    assert article.published_at == datetime(2026, 11, 1, tzinfo=UTC)


def test_exact_and_near_duplicates_are_kept_and_linked(store: Store, settings: Settings) -> None:
    near = WIRE.replace("on Tuesday", "on Tuesday, according to a report seen by reporters")
    first = ingest([raw("https://wire.example/1", "Vietnam exports rise", WIRE)], store, settings)
    second = ingest(
        [
            raw("https://paper.example/x", "Vietnam exports rise", WIRE),  # exact copy, other URL
            raw("https://other.example/y", "Exports up 14% in Vietnam", near),  # syndicated, edited
            raw("https://other.example/z", "Rice harvest", "Farmers in the Mekong delta " * 20),
        ],
        store,
        settings,
    )
    assert first.stored == 1
    assert second.stored == 3 and second.exact_duplicates == 1 and second.near_duplicates == 1
    by_url = {r.url: r for r in rows(store)}
    original = by_url["https://wire.example/1"]
    assert original.duplicate_of is None
    assert by_url["https://paper.example/x"].duplicate_of == original.id
    assert by_url["https://paper.example/x"].dup_kind == "exact"
    assert by_url["https://other.example/y"].duplicate_of == original.id
    assert by_url["https://other.example/y"].dup_kind == "near"
    assert by_url["https://other.example/z"].duplicate_of is None


def test_duplicates_inside_one_batch_point_at_the_first_copy(store: Store, settings: Settings) -> None:
    summary = ingest(
        [
            raw("https://a.example/1", "Vietnam exports rise", WIRE),
            raw("https://b.example/2", "Vietnam exports rise", WIRE),
            raw("https://c.example/3", "Vietnam exports rise!", WIRE + " More to follow."),
        ],
        store,
        settings,
    )
    assert summary.stored == 3
    first, second, third = rows(store)
    assert first.duplicate_of is None
    assert (second.duplicate_of, second.dup_kind) == (first.id, "exact")
    assert (third.duplicate_of, third.dup_kind) == (first.id, "near")


def test_rerun_creates_no_duplicate_and_counts_what_was_there(store: Store, settings: Settings) -> None:
    batch = [raw(f"https://site.example/{i}", f"Title {i}", f"Body number {i} about Hanoi. " * 5) for i in range(30)]
    first = ingest(batch, store, settings, batch_size=7)
    again = ingest(batch, store, settings, batch_size=7)
    assert first.stored == 30
    assert again.stored == 0 and again.already_stored == 30
    with store.database.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Article)).scalar_one() == 30
        bands = conn.execute(select(func.count()).select_from(ArticleBand)).scalar_one()
    assert lsh_params(settings.near_duplicate_threshold) == (25, 5)
    assert bands == 30 * 25
    assert len(rows(store)[0].minhash) == 128 * 4  # 128 permutations, 32-bit values


def test_articles_without_url_are_identified_by_content(store: Store, settings: Settings) -> None:
    item = raw(None, "Không có URL", "Bài viết nhập từ tệp HTML không có đường dẫn gốc, về Đà Nẵng.")
    ingest([item], store, settings)
    summary = ingest([item], store, settings)
    assert summary.already_stored == 1
    [article] = rows(store)
    assert article.url is None and article.url_key.startswith("sha256:")


def test_rejections_are_recorded_and_the_rest_goes_on(store: Store, settings: Settings) -> None:
    items: list[RawArticle | Rejection] = [
        raw("https://ok.example/1", "Good", "A good article about Vietnam's economy and trade."),
        Rejection(origin="file.jsonl:2", reason="invalid JSON: Expecting value"),
        raw("https://empty.example/2", "  ", "\u200b \n "),
        raw("https://ok.example/3", "Also good", "Another article about the Mekong delta."),
    ]
    summary = ingest(items, store, settings, run_id="run-1")
    assert summary.stored == 2 and summary.rejected == 2
    with store.database.engine.connect() as conn:
        recorded = conn.execute(
            select(RejectionRow.origin, RejectionRow.reason).where(RejectionRow.run_id == "run-1")
        ).all()
    assert sorted(origin for origin, _ in recorded) == ["file.jsonl:2", "https://empty.example/2"]
    assert any("no title and no text" in reason for _, reason in recorded)
