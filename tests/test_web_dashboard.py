"""The dashboard over real HTTP: the first-run welcome (demo corpus in the background, default
sources), and the figures and charts from articles that went through the real pipeline."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from tests.plugins.web import WebServer
from tests.test_web_stories_articles import Seeded, chart, seed, story_of
from ttdn.settings import Settings
from ttdn.store import Store


def test_an_empty_store_offers_the_demo_to_analysts_only(web: WebServer) -> None:
    analyst = web.client("analyst").get("/")
    assert analyst.status_code == 200
    assert 'id="welcome"' in analyst.text and "Chào mừng" in analyst.text
    assert 'id="demo-load"' in analyst.text and 'hx-post="/demo/load"' in analyst.text
    assert 'action="/sources/defaults"' in analyst.text and 'name="csrf_token"' in analyst.text
    assert 'id="dashboard-body"' not in analyst.text

    viewer = web.client("viewer")
    page = viewer.get("/")
    assert page.status_code == 200 and 'id="welcome"' in page.text
    assert 'id="demo-load"' not in page.text and "/sources/defaults" not in page.text
    assert "Chuyên viên có thể nạp bộ dữ liệu mẫu" in page.text
    refused = viewer.post("/demo/load")
    assert refused.status_code == 403 and "Vai trò của bạn không cho phép" in refused.text
    assert viewer.post("/sources/defaults").status_code == 403
    assert viewer.get("/api/demo/status").json()["state"] == "idle"  # nothing started
    assert web.store.sources.all() == [] and web.store.articles.count() == 0

    figures = viewer.get("/api/dashboard").json()
    assert figures["kpis"]["articles_total"] == 0 and len(figures["volume"]) == 30
    assert figures["top_stories"] == [] and figures["narratives"] == []


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_demo_corpus_loads_in_the_background(web: WebServer) -> None:
    """The whole demo load from the welcome panel (one to a few minutes: enrichment of 300 articles)."""
    analyst = web.client("analyst")
    started = analyst.post("/demo/load", headers={"HX-Request": "true"})
    assert started.status_code == 200 and 'hx-get="/demo/status"' in started.text  # the panel polls
    again = analyst.post("/demo/load", headers={"Accept": "application/json"})
    assert again.status_code == 409  # one load at a time (or already loaded)
    deadline = time.monotonic() + 840
    status = analyst.get("/api/demo/status").json()
    while status["state"] == "running" and time.monotonic() < deadline:
        time.sleep(1)
        status = analyst.get("/api/demo/status").json()
    assert status["state"] == "done", status
    assert status["summary"]["articles_stored"] >= 300 and status["started_by"] == "phantich"
    fragment = analyst.get("/demo/status", headers={"HX-Request": "true"})
    assert "Đã nạp xong bộ dữ liệu mẫu" in fragment.text and "hx-trigger" not in fragment.text
    assert "bài báo đã lưu" in fragment.text

    page = analyst.get("/")
    assert 'id="welcome"' not in page.text and 'id="dashboard-body"' in page.text
    figures = analyst.get("/api/dashboard").json()
    assert figures["kpis"]["articles_7d"] > 0 and figures["kpis"]["narratives_week"] >= 1
    assert len(figures["by_language"]) >= 6 and figures["top_stories"]
    loaded = analyst.post("/demo/load", headers={"Accept": "application/json"})
    assert loaded.status_code == 409 and "đã được nạp" in loaded.json()["message"]


def test_default_sources_load_once(web: WebServer) -> None:
    analyst = web.client("analyst")
    first = analyst.post("/sources/defaults", headers={"Accept": "application/json"})
    assert first.status_code == 200
    added = first.json()["added"]
    assert added > 10 and len(web.store.sources.all()) == added
    again = analyst.post("/sources/defaults", headers={"HX-Request": "true"})
    assert again.status_code == 200 and f"đã có sẵn {added}" in again.text and "<html" not in again.text
    plain = analyst.post("/sources/defaults")
    assert plain.status_code == 303 and plain.headers["location"] == "/sources"
    assert len(web.store.sources.all()) == added
    figures = analyst.get("/api/dashboard").json()
    assert figures["kpis"]["sources"] == added and figures["kpis"]["unhealthy_sources"] == 0


def test_dashboard_figures_and_charts_from_live_data(web: WebServer, store: Store, settings: Settings) -> None:
    seeded: Seeded = seed(store, settings)
    viewer = web.client("viewer")
    figures = viewer.get("/api/dashboard", params={"days": 30}).json()
    assert figures["kpis"] == {
        "articles_total": 6, "articles_24h": 4, "articles_7d": 5, "active_stories": 3, "narratives_week": 1,
        "unhealthy_sources": 1, "sources": 3,
    }  # fmt: skip
    volume = figures["volume"]
    assert len(volume) == 30 and volume[-1]["day"] == datetime.now(UTC).date().isoformat()
    assert sum(d["articles"] for d in volume) == 6 and sum(d["about_vietnam"] for d in volume) == 5
    assert any(d["tone"] is not None for d in volume)
    assert {c["lang"]: c["articles"] for c in figures["by_language"]} == {"vi": 3, "en": 2, "fr": 1}
    assert {c["country"]: c["articles"] for c in figures["by_country"]} == {"VN": 3, "GB": 2, "FR": 1}
    assert {t["topic"]: t["articles"] for t in figures["by_topic"]}["tourism"] >= 2
    tourism = story_of(store, seeded.ids["vi"])
    assert figures["top_stories"][0]["id"] == tourism and figures["top_stories"][0]["growth"] == 3
    assert [n["id"] for n in figures["narratives"]] == [seeded.narrative_id]
    assert [s["name"] for s in figures["source_warnings"]] == ["Le Journal d'Essai"]
    week = viewer.get("/api/dashboard", params={"days": 7}).json()
    assert len(week["volume"]) == 7 and sum(d["articles"] for d in week["volume"]) == 5

    page = viewer.get("/")
    html = page.text
    assert page.status_code == 200 and 'id="welcome"' not in html
    assert '<script src="/static/vendor/echarts-5.6.0.min.js" defer></script>' in html
    assert '<div class="kpi" data-kpi="articles_24h"><div class="value">4</div>' in html
    volume_chart = chart(html, "chart-volume")
    assert len(volume_chart["x"]) == 30 and volume_chart["secondAxis"] == {"name": "Giọng điệu", "min": -1, "max": 1}  # type: ignore[index, arg-type]
    series = volume_chart["series"]
    assert sum(series[0]["data"]) == 6 and series[2]["axis"] == 1 and series[2]["line"] is True  # type: ignore[index]
    assert set(chart(html, "chart-languages")["x"]) == {"Tiếng Việt", "Tiếng Anh", "Tiếng Pháp"}  # type: ignore[arg-type]
    assert set(chart(html, "chart-countries")["x"]) == {"Việt Nam", "Vương quốc Anh", "Pháp"}  # type: ignore[arg-type]
    assert "Du lịch" in chart(html, "chart-topics")["x"]  # type: ignore[operator]
    assert f'href="/stories/{tourism}"' in html and f'href="/narratives/{seeded.narrative_id}"' in html
    assert "Tourism boom hides &lt;b&gt;trouble&lt;/b&gt;" in html and "<b>trouble" not in html
    assert "Le Journal d&#39;Essai" in html and "HTTP 503 from the feed" in html

    seven = viewer.get("/", params={"days": 7}).text
    assert len(chart(seven, "chart-volume")["x"]) == 7  # type: ignore[arg-type]
    assert 'aria-current="true">7 ngày' in seven and 'href="/?days=90"' in seven

    english = web.client("viewer")
    english.post("/account/locale", data={"locale": "en"})
    assert "Articles, last 24 hours" in english.get("/").text
    assert viewer.get("/", params={"days": 0}).status_code == 422
    assert viewer.get("/api/dashboard", params={"days": "abc"}).status_code == 422
    assert web.anonymous().get("/api/dashboard").status_code == 401
