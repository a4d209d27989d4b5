"""The search page over real HTTP: query language, filters, errors, saved searches, exports."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import text

from tests.plugins.web import WebServer
from ttdn.pipeline.enrich import enrich
from ttdn.pipeline.topology import enrich_stages, ingest
from ttdn.records import RawArticle, SourceSpec

SOURCES = [
    SourceSpec(url="https://tuoitre.example/rss", name="Tuổi Trẻ", country="VN", lang="vi"),
    SourceSpec(url="https://lemonde.example/rss", name="Le Monde", country="FR", lang="fr"),
    SourceSpec(url="https://wire.example/rss", name="Wire", country="GB", lang="en"),
]
ARTICLES = [
    ("vi-hs", "Tuổi Trẻ", "vi", "Ngư dân Quảng Ngãi bám biển Hoàng Sa",
     "Ngư dân tỉnh Quảng Ngãi tiếp tục ra khơi đánh bắt ở vùng biển Hoàng Sa bất chấp thời tiết xấu.", "2026-11-01"),
    ("fr-hs", "Le Monde", "fr", "Les pêcheurs vietnamiens retournent aux îles Paracels",
     "Des pêcheurs de la province de Quang Ngai sont repartis en mer près de l'archipel des Paracels, "
     "que le Vietnam appelle Hoang Sa, malgré le mauvais temps.", "2026-11-02"),
    ("en-coffee", "Wire", "en", "=HYPERLINK(\"http://evil.example\",\"Vietnam coffee\") exports hit a record",
     "Vietnam shipped more robusta coffee than ever this season as prices climbed on world markets.", "2026-10-20"),
    ("vi-hoa", "Tuổi Trẻ", "vi", "Khánh Hoà đón khách du lịch quốc tế",
     "Tỉnh Khánh Hoà đón lượng khách quốc tế tăng mạnh trong tháng mười. <script>alert('xss')</script> "
     "Du khách đến Nha Trang.", "2026-10-25"),
]  # fmt: skip


@pytest.fixture
def ids(web: WebServer) -> dict[str, int]:
    store, settings = web.store, web.settings
    store.sources.add(SOURCES)
    source_ids = {s.name: s.id for s in store.sources.all()}
    raws = [
        RawArticle(url=f"https://s.example/{key}", title=title, text=body, lang_hint=lang,
                   published_at=datetime.fromisoformat(day).replace(tzinfo=UTC), origin=key,
                   source_id=source_ids[outlet], source_name=outlet)
        for key, outlet, lang, title, body, day in ARTICLES
    ]  # fmt: skip
    ingest(raws, store, settings)
    enrich(store, enrich_stages(settings, store.stories, store.narratives))
    with store.database.engine.connect() as conn:
        return {url.rsplit("/", 1)[-1]: i for i, url in conn.execute(text("SELECT id, url FROM articles"))}


def hit_ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<h3><a href="/articles/(\d+)">', html)]


def test_without_diacritics_finds_vietnamese_and_by_meaning_french(web: WebServer, ids: dict[str, int]) -> None:
    viewer = web.client("viewer")
    page = viewer.get("/search", params={"q": "ngu dan hoang sa"})
    assert page.status_code == 200, page.text
    found = hit_ids(page.text)
    assert found[0] == ids["vi-hs"] and ids["fr-hs"] in found[:2]
    assert "<mark>Hoàng Sa</mark>" in page.text  # highlighted in the original, with diacritics
    assert "theo nghĩa" in page.text  # the French article is marked as found by meaning
    words = viewer.get("/search", params={"q": "ngu dan hoang sa", "mode": "words"})
    assert hit_ids(words.text) == [ids["vi-hs"]]
    fragment = viewer.get("/search", params={"q": "khanh hoa"}, headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "<html" not in fragment.text and ids["vi-hoa"] == hit_ids(fragment.text)[0]
    assert fragment.headers["hx-push-url"] == "/search?q=khanh+hoa"  # a linkable address, without empty fields
    empty = viewer.get("/search")
    assert empty.status_code == 200 and 'name="q"' in empty.text and 'role="alert"' not in empty.text


def test_script_in_article_text_comes_out_escaped(web: WebServer, ids: dict[str, int]) -> None:
    page = web.client("viewer").get("/search", params={"q": "khach quoc te alert", "mode": "words"})
    assert page.status_code == 200 and hit_ids(page.text) == [ids["vi-hoa"]]
    assert "<script>alert" not in page.text
    assert "&lt;script&gt;<mark>alert</mark>" in page.text


def test_filters_narrow_the_results(web: WebServer, ids: dict[str, int]) -> None:
    viewer = web.client("viewer")

    def found(**params: object) -> set[int]:
        page = viewer.get("/search", params={"q": "vietnam OR quang OR khach", "mode": "words", **params})
        assert page.status_code == 200, page.text
        return set(hit_ids(page.text))

    everything = found()
    assert everything == {ids["vi-hs"], ids["fr-hs"], ids["en-coffee"], ids["vi-hoa"]}
    assert found(lang="fr") == {ids["fr-hs"]}
    assert found(lang=["fr", "en"]) == {ids["fr-hs"], ids["en-coffee"]}
    assert found(country="VN") == {ids["vi-hs"], ids["vi-hoa"]}
    lemonde = next(s.id for s in web.store.sources.all() if s.name == "Le Monde")
    assert found(source=str(lemonde)) == {ids["fr-hs"]}
    assert found(**{"from": "2026-11-01"}) == {ids["vi-hs"], ids["fr-hs"]}
    assert found(**{"to": "2026-10-25"}) == {ids["en-coffee"], ids["vi-hoa"]}  # the end day is included
    by_date = viewer.get("/search", params={"q": "quang ngai", "sort": "date", "mode": "words"})
    assert hit_ids(by_date.text) == [ids["fr-hs"], ids["vi-hs"]]
    with web.store.database.engine.connect() as conn:
        story = conn.execute(text("SELECT story_id FROM articles WHERE id = :i"), {"i": ids["fr-hs"]}).scalar_one()
        tone = conn.execute(text("SELECT tone FROM articles WHERE id = :i"), {"i": ids["en-coffee"]}).scalar_one()
    assert ids["fr-hs"] in found(story=str(story))
    if tone is not None:
        assert ids["en-coffee"] in found(tone_min=f"{tone - 0.01:.4f}", tone_max=f"{tone + 0.01:.4f}")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": ""}, "Chưa nhập từ khóa"),
        ({"q": "   "}, "Chưa nhập từ khóa"),
        ({"q": "và của"}, "quá phổ biến"),
        ({"q": '"hoang sa'}, "Thiếu dấu ngoặc kép"),
        ({"q": "x" * 10_000}, "dài"),
        ({"q": "hoang sa", "tone_min": "2"}, "từ -1 đến 1"),
        ({"q": "hoang sa", "from": "01/11/2026"}, "YYYY-MM-DD"),
        ({"q": "hoang sa", "lang": "klingon"}, "klingon"),
        ({"q": "hoang sa", "sort": "random"}, "Sắp xếp"),
    ],
)
def test_query_errors_are_shown_with_400(web: WebServer, params: dict[str, str], message: str) -> None:
    viewer = web.client("viewer")
    page = viewer.get("/search", params=params)
    assert page.status_code == 400 and 'class="error"' in page.text and message in page.text, page.text[-3000:]
    fragment = viewer.get("/search", params=params, headers={"HX-Request": "true"})
    assert fragment.status_code == 400 and message in fragment.text
    api = viewer.get("/api/search", params={"q": params["q"]})
    if params["q"].strip() in ("", "và của", '"hoang sa') or len(params["q"]) > 1000:
        assert api.status_code == 400 and api.json()["error"] == 400
    export = viewer.get("/search/export.csv", params=params)
    assert export.status_code == 400


def test_english_interface_shows_the_english_half_of_the_message(web: WebServer) -> None:
    viewer = web.client("viewer")
    viewer.post("/account/locale", data={"locale": "en", "back": "/search"})
    page = viewer.get("/search", params={"q": '"hoang sa'})
    assert page.status_code == 400 and "unbalanced quote" in page.text and "Thiếu dấu" not in page.text


def test_saved_searches_save_run_delete_and_viewer_refused(web: WebServer, ids: dict[str, int]) -> None:
    analyst, viewer = web.client("analyst"), web.client("viewer")
    form = {"name": "Paracels <b>fr</b>", "q": "quang ngai", "lang": "fr", "mode": "words"}
    refused = viewer.post("/search/saved", data=form)
    assert refused.status_code == 403 and web.store.searches.all() == []
    saved = analyst.post("/search/saved", data=form)
    assert saved.status_code == 303, saved.text
    [record] = web.store.searches.all()
    assert (record.name, record.query, record.filters["langs"]) == ("Paracels <b>fr</b>", "quang ngai", ["fr"])
    page = viewer.get("/search")
    assert "Paracels &lt;b&gt;fr&lt;/b&gt;" in page.text  # shown inert
    run = re.search(r'<a href="(/search\?[^"]+)" title="quang ngai">', page.text)
    assert run, page.text
    rerun = viewer.get(run.group(1).replace("&amp;", "&"))
    assert hit_ids(rerun.text) == [ids["fr-hs"]]
    assert 'action="/search/saved/' not in page.text  # a viewer sees no delete button
    api = viewer.get("/api/searches").json()
    assert api[0]["name"] == record.name and api[0]["filters"]["langs"] == ["fr"]
    results = viewer.get(f"/api/searches/{record.id}/results", params={"vector": "false"}).json()
    assert [h["id"] for h in results["hits"]] == [ids["fr-hs"]]
    # bad saves store nothing
    for bad in ({**form, "name": "x", "q": '"broken'}, {**form, "name": "  "}, {**form, "name": "y" * 201}):
        answer = analyst.post("/search/saved", data=bad)
        assert answer.status_code == 422 and 'class="error"' in answer.text
    assert [r.name for r in web.store.searches.all()] == [record.name]
    assert viewer.post(f"/search/saved/{record.id}/delete").status_code == 403
    assert analyst.post("/search/saved/999999/delete").status_code == 404
    deleted = analyst.post(f"/search/saved/{record.id}/delete")
    assert deleted.status_code == 303 and web.store.searches.all() == []


def test_saved_search_json_api(web: WebServer, ids: dict[str, int]) -> None:
    analyst, viewer = web.client("analyst"), web.client("viewer")
    body = {"name": "coffee", "query": "coffee", "filters": {"langs": ["en"]}}
    assert viewer.post("/api/searches", json=body).status_code == 403
    created = analyst.post("/api/searches", json=body)
    assert created.status_code == 201 and created.json()["filters"]["langs"] == ["en"]
    bad = analyst.post("/api/searches", json={**body, "query": '"open'})
    assert bad.status_code == 422 and bad.json()["error"] == 422
    assert analyst.post("/api/searches", json={**body, "filters": {"date_from": "soon"}}).status_code == 422
    assert viewer.delete(f"/api/searches/{created.json()['id']}").status_code == 403
    assert analyst.delete(f"/api/searches/{created.json()['id']}").status_code == 204
    assert analyst.delete(f"/api/searches/{created.json()['id']}").status_code == 404
    assert viewer.get("/api/searches").json() == []


def test_csv_export(web: WebServer, ids: dict[str, int]) -> None:
    answer = web.client("viewer").get("/search/export.csv", params={"q": "vietnam OR khach", "mode": "words"})
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    day = datetime.now(UTC).date().isoformat()
    assert answer.headers["content-disposition"] == f'attachment; filename="ttdn-search-{day}.csv"'
    assert answer.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert list(rows[0]) == [
        "id", "published_at", "source", "country", "language", "title", "url", "tone", "relevance", "topics",
        "story_id",
    ]  # fmt: skip
    assert {int(r["id"]) for r in rows} == {ids["fr-hs"], ids["en-coffee"], ids["vi-hoa"]}
    coffee = next(r for r in rows if int(r["id"]) == ids["en-coffee"])
    assert coffee["title"].startswith("'=HYPERLINK(")  # a formula, neutralised
    assert (coffee["source"], coffee["country"], coffee["language"]) == ("Wire", "GB", "en")
    assert coffee["published_at"].startswith("2026-10-20T")
    hoa = next(r for r in rows if int(r["id"]) == ids["vi-hoa"])
    assert hoa["title"] == "Khánh Hoà đón khách du lịch quốc tế" and hoa["source"] == "Tuổi Trẻ"


def test_xlsx_export(web: WebServer, ids: dict[str, int]) -> None:
    answer = web.client("viewer").get(
        "/search/export.xlsx", params={"q": "vietnam OR khach", "mode": "words", "sort": "date"}
    )
    assert answer.status_code == 200 and answer.headers["content-disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(answer.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("id", "published_at", "source") and sheet["A1"].font.b
    assert sheet.freeze_panes == "A2"
    body = rows[1:]
    assert [r[0] for r in body] == [ids["fr-hs"], ids["vi-hoa"], ids["en-coffee"]]  # newest first
    assert isinstance(body[0][1], datetime) and body[0][1].date().isoformat() == "2026-11-02"
    coffee = next(r for r in body if r[0] == ids["en-coffee"])
    assert str(coffee[5]).startswith("'=HYPERLINK(") and sheet.cell(row=4, column=6).data_type == "s"


def test_limits_and_openapi(web: WebServer) -> None:
    viewer = web.client("viewer")
    assert viewer.get("/search", params={"q": "x", "lang": ["vi"] * 101}).status_code == 422
    assert viewer.get("/search", params={"q": "x" * 10_001}).status_code == 422
    assert viewer.get("/search", params={"q": "hoang sa", "page": "0"}).status_code == 400
    paths = viewer.get("/openapi.json").json()["paths"]
    assert {"/search/export.csv", "/search/export.xlsx", "/api/searches", "/api/searches/{search_id}"} <= set(paths)
    assert "/search" not in paths


def test_anonymous_is_sent_to_login(web: WebServer) -> None:
    client = web.anonymous()
    assert client.get("/search", params={"q": "x"}).status_code == 303
    assert client.get("/search/export.csv", params={"q": "x"}).status_code == 303
    assert client.get("/api/searches").status_code == 401


def test_the_api_takes_every_filter_of_the_page(web: WebServer, ids: dict[str, int]) -> None:
    api = web.client("viewer")

    def found(**params: str | list[str]) -> list[int]:
        answer = api.get("/api/search", params={"vector": "false", **params})
        assert answer.status_code == 200, answer.text
        return sorted(hit["id"] for hit in answer.json()["hits"])

    assert found(q="hoang sa") == sorted([ids["vi-hs"], ids["fr-hs"]])
    assert found(q="hoang sa", country="FR") == [ids["fr-hs"]]
    assert found(q="hoang sa", lang="vi") == [ids["vi-hs"]]
    assert found(q="hoang sa", **{"from": "2026-11-02"}) == [ids["fr-hs"]]
    assert found(q="hoang sa", to="2026-11-01") == [ids["vi-hs"]]
    le_monde = next(s.id for s in web.store.sources.all() if s.name == "Le Monde")
    assert found(q="hoang sa", source=str(le_monde)) == [ids["fr-hs"]]
    by_date = api.get("/api/search", params={"q": "hoang sa OR coffee", "sort": "date", "vector": "false"}).json()
    assert [hit["id"] for hit in by_date["hits"]] == [ids["fr-hs"], ids["vi-hs"], ids["en-coffee"]]
    body = api.get("/api/search", params={"q": "hoang sa", "country": "FR", "vector": "false"}).json()
    assert body["filters"]["source_countries"] == ["FR"] and body["phrase_limited"] is False
    bad = api.get("/api/search", params={"q": "hoang sa", "country": "ZZ"})
    assert bad.status_code == 400 and "ZZ" in bad.json()["detail"]
    assert api.get("/api/search").status_code == 422  # no query at all
