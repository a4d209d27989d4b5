"""Narrative matching inside enrichment, with the real models on the real embedded PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select, text

from ttdn.kb.narrative_tables import NarrativeMatch
from ttdn.kb.narratives import Variant
from ttdn.pipeline.enrich import enrich, reset
from ttdn.pipeline.narrative_stage import article_sentences
from ttdn.pipeline.topology import enrich_stages, ingest
from ttdn.records import RawArticle
from ttdn.settings import Settings
from ttdn.store import Store
from ttdn.store.tables import Article

CLAIM_FR = (
    "Selon plusieurs blogs, le Vietnam aurait caché des milliers de morts du COVID-19 et publié de faux chiffres."
)
ARTICLES = {
    # French, repeating a narrative that the registry only knows in Vietnamese
    "fr": ("https://a.example/fr", "Hanoï face aux rumeurs sur la pandémie",
           "Le débat sur la gestion de la crise sanitaire au Vietnam continue à Hanoï. " + CLAIM_FR
           + " Le ministère de la Santé dément ces accusations et rappelle que les données sont publiques.",
           "fr", datetime(2025, 3, 2, 8, tzinfo=UTC)),
    # about Vietnam, no narrative
    "vi": ("https://a.example/vi", "Đà Nẵng đón lượng khách quốc tế kỷ lục",
           "Thành phố Đà Nẵng cho biết lượng khách quốc tế đến Việt Nam qua sân bay Đà Nẵng tăng mạnh trong mùa "
           "du lịch năm nay. Các khách sạn ven biển kín phòng, ngành du lịch kỳ vọng doanh thu cao.",
           "vi", datetime(2025, 3, 1, 8, tzinfo=UTC)),
    # not about Vietnam at all
    "br": ("https://a.example/br", "Le Brésil récolte un café record",
           "Les producteurs brésiliens annoncent une récolte de café record cette année grâce à une météo "
           "favorable dans l'État de Minas Gerais, selon les coopératives agricoles.",
           "fr", datetime(2025, 3, 1, 9, tzinfo=UTC)),
}  # fmt: skip


@pytest.fixture
def stored(store: Store, settings: Settings) -> dict[str, int]:
    raws = [
        RawArticle(url=u, title=t, text=x, lang_hint=lang, published_at=at, origin=u)
        for u, t, x, lang, at in ARTICLES.values()
    ]
    ingest(raws, store, settings)
    with store.database.engine.connect() as conn:
        ids = {url: id_ for id_, url in conn.execute(select(Article.id, Article.url))}
    return {name: ids[row[0]] for name, row in ARTICLES.items()}


@pytest.fixture
def narratives(store: Store) -> dict[str, int]:
    covid = store.narratives.add(
        "Việt Nam che giấu số người chết vì COVID-19",
        "Việt Nam đã che giấu hàng nghìn ca tử vong vì COVID-19 và công bố số liệu giả.",
        variants=[Variant("Luận điệu cho rằng chính quyền Việt Nam giấu số người tử vong do dịch COVID-19.", "vi")],
        lang="vi", severity="high", key="N26",
    )  # fmt: skip
    rice = store.narratives.add(
        "Việt Nam ngừng xuất khẩu gạo",
        "Việt Nam sẽ ngừng xuất khẩu gạo vì đồng bằng sông Cửu Long bị nhiễm mặn.",
        lang="vi",
        key="N32",
    )
    return {"covid": covid.id, "rice": rice.id}


def matches(store: Store) -> list[Any]:
    """Every narrative_matches row (columns as attributes), oldest first."""
    with store.database.engine.connect() as conn:
        return list(conn.execute(select(NarrativeMatch).order_by(NarrativeMatch.id)).all())


def test_a_french_article_repeating_a_vietnamese_narrative_is_matched(
    store: Store, settings: Settings, stored: dict[str, int], narratives: dict[str, int]
) -> None:
    summary = enrich(store, enrich_stages(settings, store.stories, store.narratives), batch_size=2)
    assert summary.as_dict() == {"enriched": 3, "failed": 0}
    found = matches(store)
    assert [(m.narrative_id, m.article_id) for m in found] == [(narratives["covid"], stored["fr"])]
    match = found[0]
    assert match.sentence == CLAIM_FR and match.status == "pending"
    body = ARTICLES["fr"][2]
    assert body[match.sentence_start : match.sentence_end] == CLAIM_FR
    assert 0.58 <= match.score <= 1.0
    record = store.narratives.get("N26")
    assert record.first_seen == ARTICLES["fr"][4] and record.matches.pending == 1
    assert store.narratives.get("N32").first_seen is None
    # the wordings were embedded once and stored: the stage built its index from them
    with store.database.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM narrative_variants WHERE embedding IS NULL")).scalar() == 0


def test_reenrichment_does_not_duplicate_and_keeps_the_decision(
    store: Store, settings: Settings, stored: dict[str, int], narratives: dict[str, int]
) -> None:
    stages = enrich_stages(settings, store.stories, store.narratives)
    enrich(store, stages)
    (first,) = matches(store)
    store.narratives.confirm(first.id, who="lan")
    assert reset(store) == 3
    assert enrich(store, stages).enriched == 3
    (again,) = matches(store)
    assert (again.id, again.status, again.decided_by, again.score) == (first.id, "confirmed", "lan", first.score)
    # a pending match that no longer holds goes away on re-enrichment; a decided one stays
    with store.database.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO narrative_matches (narrative_id, article_id, score, sentence, status) "
                "VALUES (:n, :a, 0.9, 'stale', 'pending')"
            ),
            {"n": narratives["rice"], "a": stored["fr"]},
        )
    reset(store)
    enrich(store, stages)
    assert [(m.narrative_id, m.status) for m in matches(store)] == [(narratives["covid"], "confirmed")]


def test_a_higher_threshold_from_decisions_is_applied(
    store: Store, settings: Settings, stored: dict[str, int], narratives: dict[str, int]
) -> None:
    with store.database.engine.begin() as conn:
        conn.execute(text("INSERT INTO match_calibration (name, threshold, decisions) VALUES ('narratives', 0.99, 50)"))
    enrich(store, enrich_stages(settings, store.stories, store.narratives))
    assert matches(store) == []


def test_no_stage_without_a_registry_or_when_turned_off(store: Store, settings: Settings) -> None:
    assert "narratives" not in [name for name, _ in enrich_stages(settings, store.stories, None)]
    off = settings.model_copy(update={"narrative_max_sentences": 0})
    assert "narratives" not in [name for name, _ in enrich_stages(off, store.stories, store.narratives)]
    names = [name for name, _ in enrich_stages(settings, store.stories, store.narratives)]
    assert names[-2:] == ["story", "narratives"]


def test_article_sentences_offsets_and_cap() -> None:
    body = "Short. " + CLAIM_FR + "\nAnother sentence that is long enough to count."
    found = article_sentences("A title long enough", body, limit=3)
    assert found[0] == ("A title long enough", None, None)
    assert [body[a:b] for _, a, b in found[1:] if a is not None and b is not None] == [
        CLAIM_FR,
        "Another sentence that is long enough to count.",
    ]
    assert len(article_sentences("A title long enough", body, limit=2)) == 2
