"""Enrichment of stored articles with the real models: relevance, places, embedding, topics."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from ttdn.pipeline.enrich import enrich, pending_count, reset
from ttdn.pipeline.topology import enrich_stages, ingest
from ttdn.records import Enrichment, RawArticle
from ttdn.settings import Settings
from ttdn.store import Store
from ttdn.store.tables import Article

ARTICLES = [
    ("https://a.example/vi", "Đà Nẵng đón lượng khách quốc tế kỷ lục",
     "Thành phố Đà Nẵng cho biết lượng khách quốc tế đến Việt Nam qua sân bay Đà Nẵng tăng mạnh trong mùa "
     "du lịch năm nay. Các khách sạn ven biển kín phòng, ngành du lịch kỳ vọng doanh thu cao.", "vi"),
    ("https://a.example/en", "Record number of foreign tourists visit Da Nang",
     "The central Vietnamese city of Da Nang welcomed a record number of international visitors this season, "
     "with beach hotels fully booked and the tourism industry expecting strong revenue.", "en"),
    ("https://a.example/fr", "Le Brésil récolte un café record",
     "Les producteurs brésiliens annoncent une récolte de café record cette année grâce à une météo favorable "
     "dans l'État de Minas Gerais, selon les coopératives agricoles.", "fr"),
]  # fmt: skip


@pytest.fixture
def stored(store: Store, settings: Settings) -> dict[str, int]:
    raws = [RawArticle(url=u, title=t, text=x, lang_hint=lang, origin=u) for u, t, x, lang in ARTICLES]
    ingest(raws, store, settings)
    with store.database.engine.connect() as conn:
        return {url.rsplit("/", 1)[-1]: id_ for id_, url in conn.execute(select(Article.id, Article.url))}


def test_enrich_fills_every_analysis_field(store: Store, settings: Settings, stored: dict[str, int]) -> None:
    summary = enrich(store, enrich_stages(settings, store.stories, store.narratives), batch_size=2)
    assert summary.as_dict() == {"enriched": 3, "failed": 0}
    with store.database.engine.connect() as conn:
        rows = {r.id: r for r in conn.execute(select(Article)).all()}
    vi, en, fr = rows[stored["vi"]], rows[stored["en"]], rows[stored["fr"]]
    assert vi.relevance > 0.5 and en.relevance > 0.5 and fr.relevance < 0.5
    assert "VN" in vi.places["countries"] and vi.places["provinces"]
    mention = next(m for m in vi.places["mentions"] if m["field"] == "title")
    assert vi.title[mention["start"] : mention["end"]] == "Đà Nẵng"
    assert len(vi.embedding) == 384 and vi.enriched_at is not None and vi.enrich_error is None
    assert "tourism" in [t["label"] for t in vi.topics]
    assert pending_count(store) == 0
    assert enrich(store, enrich_stages(settings, store.stories, store.narratives)).enriched == 0  # nothing left to do
    # the same story in Vietnamese and English are each other's nearest neighbour
    assert store.articles.similar(stored["vi"], 1)[0][0] == stored["en"]


def test_a_failing_article_is_recorded_and_the_rest_go_on(store: Store, stored: dict[str, int]) -> None:
    def fragile(items: list[Enrichment]) -> None:
        for item in items:
            if "Brésil" in item.title:
                raise ValueError("cannot analyse this one")
            item.relevance = 0.9

    summary = enrich(store, [("fragile", fragile)])
    assert summary.as_dict() == {"enriched": 2, "failed": 1}
    with store.database.engine.connect() as conn:
        errors = dict(conn.execute(select(Article.id, Article.enrich_error)).all())
    assert "cannot analyse this one" in errors[stored["fr"]] and errors[stored["vi"]] is None
    assert reset(store, failed_only=True) == 1 and pending_count(store) == 1


def test_enrich_resumes_after_an_interruption(store: Store, stored: dict[str, int]) -> None:
    seen: list[int] = []

    def record(items: list[Enrichment]) -> None:
        seen.extend(item.article_id for item in items)

    assert enrich(store, [("record", record)], limit=2).enriched == 2
    assert pending_count(store) == 1
    assert enrich(store, [("record", record)]).enriched == 1
    assert sorted(seen) == sorted(stored.values())  # each processed exactly once


def test_cli_enrich_and_similar(store: Store, database_url: str, tmp_path: Path, stored: dict[str, int]) -> None:
    env = {**os.environ, "TTDN_DATABASE_URL": database_url, "TTDN_DATA_DIR": str(tmp_path)}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "ttdn.cli", *args], env=env, capture_output=True, text=True)

    before = run("similar", str(stored["vi"]), "--json")
    assert before.returncode == 0 and json.loads(before.stdout) == []
    result = run("enrich")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"enriched": 3, "failed": 0}
    neighbours = json.loads(run("similar", str(stored["vi"]), "--json").stdout)
    assert neighbours[0]["id"] == stored["en"] and neighbours[0]["similarity"] > neighbours[-1]["similarity"]
    missing = run("similar", "999999")
    assert missing.returncode == 2 and "no article" in missing.stderr


def test_stories_group_the_same_event_across_languages(
    store: Store, settings: Settings, stored: dict[str, int]
) -> None:
    enrich(store, enrich_stages(settings, store.stories, store.narratives))
    with store.database.engine.connect() as conn:
        story_of = dict(conn.execute(select(Article.id, Article.story_id)).all())
    assert story_of[stored["vi"]] == story_of[stored["en"]] != story_of[stored["fr"]]
    summaries = {s.id: s for s in store.stories.summaries()}
    tourism = summaries[story_of[stored["vi"]]]
    assert tourism.size == 2 and sorted(tourism.languages) == ["en", "vi"] and "VN" in tourism.countries
    assert tourism.title in {ARTICLES[0][1], ARTICLES[1][1]} and tourism.growth == 2
    assert summaries[story_of[stored["fr"]]].size == 1


def test_topics_stage_reads_the_stored_article_vector(settings: Settings) -> None:
    from ttdn.models.embeddings import get_backend
    from ttdn.models.topics import load_default
    from ttdn.pipeline import understand

    items = [
        Enrichment(article_id=1, title="Bão Yagi đổ bộ Quảng Ninh", text="Hàng nghìn nhà bị ngập, nhiều người chết."),
        Enrichment(article_id=2, title="베트남 수출 급증", text="외국인 투자가 전자 산업 성장을 이끌었다."),
    ]
    understand.embed(settings)(items)
    stage = understand.topics(settings)
    backend = get_backend(settings.embedding_backend, max_tokens=settings.embedding_max_tokens)
    before = (backend.embedded, backend.reused)
    stage(items)
    assert (backend.embedded, backend.reused) == before  # the stored vectors were used, nothing re-embedded
    model = load_default()
    for item, row in zip(items, model.predict([f"{i.title}\n{i.text}" for i in items]), strict=True):
        assert [t["label"] for t in item.topics or []] == [label for label, s in row if s >= model.thresholds[label]]
    assert [t["label"] for t in items[0].topics or []][:1] == ["environment"]
    assert [t["label"] for t in items[1].topics or []][:1] == ["economy"]
