"""Hybrid search over the real embedded PostgreSQL: folded full text fused with vectors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ttdn.errors import BadInput
from ttdn.models.embeddings import get_backend
from ttdn.pipeline.enrich import enrich
from ttdn.pipeline.topology import enrich_stages, ingest
from ttdn.records import RawArticle
from ttdn.search.engine import SearchFilters, search
from ttdn.settings import Settings
from ttdn.store import Store

ARTICLES = [
    ("vi-hs", "vi", "Ngư dân Quảng Ngãi bám biển Hoàng Sa",
     "Ngư dân tỉnh Quảng Ngãi tiếp tục ra khơi đánh bắt ở vùng biển Hoàng Sa bất chấp thời tiết xấu.", "2026-11-01"),
    ("fr-hs", "fr", "Les pêcheurs vietnamiens retournent aux îles Paracels",
     "Des pêcheurs de la province de Quang Ngai sont repartis en mer près de l'archipel des Paracels, "
     "que le Vietnam appelle Hoang Sa, malgré le mauvais temps.", "2026-11-02"),
    ("en-coffee", "en", "Vietnam's coffee exports hit a record",
     "Vietnam shipped more robusta coffee than ever this season as prices climbed on world markets.", "2026-10-20"),
    ("vi-hoa", "vi", "Khánh Hoà đón khách du lịch quốc tế",
     "Tỉnh Khánh Hoà đón lượng khách quốc tế tăng mạnh trong tháng mười.", "2026-10-25"),
]  # fmt: skip


@pytest.fixture
def ids(store: Store, settings: Settings) -> dict[str, int]:
    raws = [
        RawArticle(url=f"https://s.example/{key}", title=title, text=body, lang_hint=lang,
                   published_at=datetime.fromisoformat(day).replace(tzinfo=UTC), origin=key)
        for key, lang, title, body, day in ARTICLES
    ]  # fmt: skip
    ingest(raws, store, settings)
    enrich(store, enrich_stages(settings, store.stories, store.narratives))
    with store.database.engine.connect() as conn:
        from sqlalchemy import text

        return {url.rsplit("/", 1)[-1]: i for i, url in conn.execute(text("SELECT id, url FROM articles"))}


def embed(query: str):  # type: ignore[no-untyped-def]
    return get_backend().embed_queries([query])[0]


def test_without_diacritics_and_either_tone_mark_placement(store: Store, ids: dict[str, int]) -> None:
    engine = store.database.engine
    for query in ("hoang sa", "Hoàng Sa", "HOANG SA"):
        hits = search(engine, query).hits
        assert hits and hits[0].id == ids["vi-hs"], query
    for query in ("Khánh Hòa", "Khánh Hoà", "khanh hoa"):
        assert [h.id for h in search(engine, query).hits] == [ids["vi-hoa"]], query
    hit = search(engine, "hoang sa").hits[0]
    assert "<mark>Hoàng Sa</mark>" in " ".join(hit.passages)


def test_cross_lingual_half_finds_the_french_article(store: Store, ids: dict[str, int]) -> None:
    lexical = [h.id for h in search(store.database.engine, "ngư dân Hoàng Sa").hits]
    assert ids["fr-hs"] not in lexical
    hybrid = [h.id for h in search(store.database.engine, "ngư dân Hoàng Sa", embed_query=embed).hits]
    assert hybrid[0] == ids["vi-hs"] and ids["fr-hs"] in hybrid[:2]


def test_operators_phrases_filters_and_sort(store: Store, ids: dict[str, int]) -> None:
    engine = store.database.engine
    assert [h.id for h in search(engine, '"bien hoang sa"').hits] == [ids["vi-hs"]]
    assert search(engine, '"sa hoang"').hits == []
    assert {h.id for h in search(engine, "coffee OR khach").hits} == {ids["en-coffee"], ids["vi-hoa"]}
    assert [h.id for h in search(engine, "vietnam NOT coffee").hits] == [ids["fr-hs"]]
    only_fr = search(engine, "quang ngai", filters=SearchFilters(langs=["fr"])).hits
    assert [h.id for h in only_fr] == [ids["fr-hs"]]
    november = SearchFilters(date_from=datetime(2026, 11, 1, tzinfo=UTC))
    assert {h.id for h in search(engine, "quang ngai", filters=november).hits} == {ids["vi-hs"], ids["fr-hs"]}
    by_date = [h.id for h in search(engine, "quang ngai", sort="date").hits]
    assert by_date == [ids["fr-hs"], ids["vi-hs"]]


@pytest.mark.parametrize("query", ["", "   ", "!!!", "và của", '"hoang sa', "(vietnam", "vietnam AND", "x" * 10_000])
def test_bad_queries_are_refused_clearly(store: Store, ids: dict[str, int], query: str) -> None:
    with pytest.raises(BadInput) as info:
        search(store.database.engine, query)
    assert " / " in info.value.reason  # Vietnamese first, then English


def test_cli_search(store: Store, ids: dict[str, int], database_url: str, tmp_path: Path) -> None:
    env = {**os.environ, "TTDN_DATABASE_URL": database_url, "TTDN_DATA_DIR": str(tmp_path)}
    run = subprocess.run(
        [sys.executable, "-m", "ttdn.cli", "search", "hoang sa", "--json", "--lexical-only"],
        env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)[0]["id"] == ids["vi-hs"]
    bad = subprocess.run(
        [sys.executable, "-m", "ttdn.cli", "search", '"unbalanced'], env=env, capture_output=True, text=True
    )
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_saved_searches(store: Store, ids: dict[str, int], database_url: str, tmp_path: Path) -> None:
    env = {**os.environ, "TTDN_DATABASE_URL": database_url, "TTDN_DATA_DIR": str(tmp_path)}

    def ttdn(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "ttdn.cli", *args], env=env, capture_output=True, text=True)

    saved = ttdn("search", "quang ngai", "--lang", "fr", "--lexical-only", "--save", "paracels fr", "--json")
    assert saved.returncode == 0, saved.stderr
    [record] = store.searches.all()
    assert (record.name, record.query, record.filters["langs"]) == ("paracels fr", "quang ngai", ["fr"])
    rerun = ttdn("searches", "run", "paracels fr", "--lexical-only", "--json")
    assert [hit["id"] for hit in json.loads(rerun.stdout)] == [ids["fr-hs"]]
    assert "paracels fr" in ttdn("searches", "list").stdout
    refused = ttdn("search", '"broken', "--save", "bad")
    assert refused.returncode == 2 and len(store.searches.all()) == 1  # nothing saved half-done
    assert ttdn("searches", "delete", "paracels fr").returncode == 0 and store.searches.all() == []
    missing = ttdn("searches", "run", "nope")
    assert missing.returncode == 2 and "nope" in missing.stderr


def test_text_that_looks_like_markup_stays_searchable(store: Store, settings: Settings) -> None:
    raw = RawArticle(url="https://x.example/m", title="<script>alert(1)</script> trong bài", text="<b>Đà Nẵng</b>")
    ingest([raw], store, settings)
    assert len(search(store.database.engine, "alert").hits) == 1
    assert len(search(store.database.engine, "da nang").hits) == 1


def test_query_vectors_are_embedded_once_and_shared(settings: Settings, tmp_path: Path) -> None:
    from ttdn.search.vectors import query_embedder

    embed = query_embedder(settings)
    assert embed is not None
    first = embed("biển đông ngư dân")
    assert embed("biển đông ngư dân") is first  # the second asker gets the kept vector
    assert not first.flags.writeable  # shared: nobody may change it
    assert float(first @ embed("South China Sea fishermen")) > float(first @ embed("coffee export prices"))
    broken = settings.model_copy(
        update={"embedding_backend": "sentence-transformers", "embedding_model_dir": tmp_path / "missing"}
    )
    assert query_embedder(broken) is None  # the page falls back to words only, with a notice
