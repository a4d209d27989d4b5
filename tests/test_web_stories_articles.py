"""The stories list, a story's page and an article's page, over real HTTP, on articles that went
through the real ingest and enrichment pipeline (relevance and places, embedding, topics, tone,
stories)."""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import insert, select

from tests.plugins.web import USERS, WebServer
from ttdn.errors import TTDNError
from ttdn.kb.narrative_tables import NarrativeMatch, NarrativeRow
from ttdn.pipeline.enrich import enrich
from ttdn.pipeline.topology import enrich_stages, ingest
from ttdn.records import RawArticle, SourceSpec
from ttdn.settings import Settings
from ttdn.store import Store
from ttdn.store.tables import Article
from ttdn.web.queries_articles import marked, marked_paragraphs

NOW = datetime.now(UTC)
SCRIPT_TITLE = '<script>alert("title")</script> Hanoi hosts a regional summit'
SCRIPT_TEXT = (
    'Leaders gathered in Hanoi, the capital of Vietnam, for a regional summit. <img src=x onerror="alert(1)">\n\n'
    "Officials from Vietnam and Thailand signed agreements on trade and clean energy."
)
NARRATIVE_SENTENCE = "The central Vietnamese city of Da Nang welcomed a record number of international visitors"
SOURCES = [
    SourceSpec(url="https://vn.example/feed", name="Báo Thử Nghiệm", country="VN", lang="vi"),
    SourceSpec(url="https://uk.example/feed", name="Test Chronicle", country="GB", lang="en"),
    SourceSpec(url="https://fr.example/feed", name="Le Journal d'Essai", country="FR", lang="fr"),
]
# key: (source url, url, title, text, language, hours ago)
ARTICLES = {
    "vi": ("https://vn.example/feed", "https://vn.example/da-nang", "Đà Nẵng đón lượng khách quốc tế kỷ lục",
           "Thành phố Đà Nẵng cho biết lượng khách quốc tế đến Việt Nam qua sân bay Đà Nẵng tăng mạnh trong mùa "
           "du lịch năm nay. Các khách sạn ven biển kín phòng, ngành du lịch kỳ vọng doanh thu cao.", "vi", 2),
    "en": ("https://uk.example/feed", "https://uk.example/da-nang", "Record number of foreign tourists visit Da Nang",
           f"{NARRATIVE_SENTENCE} this season, with beach hotels fully booked and the tourism industry expecting "
           "strong revenue.", "en", 3),
    "copy": ("https://vn.example/feed", "https://vn.example/da-nang-copy", "Đà Nẵng đón lượng khách quốc tế kỷ lục",
             "Thành phố Đà Nẵng cho biết lượng khách quốc tế đến Việt Nam qua sân bay Đà Nẵng tăng mạnh trong mùa "
             "du lịch năm nay. Các khách sạn ven biển kín phòng, ngành du lịch kỳ vọng doanh thu cao.", "vi", 1),
    "script": ("https://uk.example/feed", "https://uk.example/summit", SCRIPT_TITLE, SCRIPT_TEXT, "en", 5),
    "fr": ("https://fr.example/feed", "https://fr.example/cafe", "Le Brésil récolte un café record",
           "Les producteurs brésiliens annoncent une récolte de café record cette année grâce à une météo favorable "
           "dans l'État de Minas Gerais, selon les coopératives agricoles.", "fr", 30),
    "old": ("https://vn.example/feed", "https://vn.example/xuat-khau", "Xuất khẩu gạo của Việt Nam tăng mạnh",
            "Bộ Công Thương cho biết xuất khẩu gạo của Việt Nam trong quý vừa qua tăng mạnh nhờ nhu cầu từ "
            "Philippines và Indonesia, giá gạo xuất khẩu duy trì ở mức cao.", "vi", 20 * 24),
}  # fmt: skip


@dataclass
class Seeded:
    ids: dict[str, int]
    sources: dict[str, int]
    narrative_id: int


def seed(store: Store, settings: Settings) -> Seeded:
    """The articles above through the real pipeline, one failing source and one narrative match."""
    store.sources.add(SOURCES)
    sources = {s.url: s.id for s in store.sources.all()}
    for key, (source, url, title, body, lang, hours) in ARTICLES.items():
        raw = RawArticle(
            url=url, title=title, text=body, lang_hint=lang, origin=url, source_id=sources[source],
            source_name=next(s.name for s in SOURCES if s.url == source), published_at=NOW - timedelta(hours=hours),
        )  # fmt: skip
        ingest([raw], store, settings)  # one at a time: the copy finds its original stored
        del key
    summary = enrich(store, enrich_stages(settings, store.stories, store.narratives))
    assert summary.failed == 0
    with store.database.engine.connect() as conn:
        by_url = dict(conn.execute(select(Article.url, Article.id)).all())
    ids = {key: by_url[spec[1]] for key, spec in ARTICLES.items()}
    store.sources.record_error(sources["https://fr.example/feed"], TTDNError("HTTP 503 from the feed"))
    with store.database.engine.begin() as conn:
        narrative_id = conn.execute(
            insert(NarrativeRow)
            .values(key="tourism-boom", title="Tourism boom hides <b>trouble</b>", canonical_claim="Tourism is fake",
                    severity="high")
            .returning(NarrativeRow.id)
        ).scalar_one()  # fmt: skip
        conn.execute(
            insert(NarrativeMatch).values(
                narrative_id=narrative_id, article_id=ids["en"], score=0.81, sentence=NARRATIVE_SENTENCE,
                sentence_start=0, sentence_end=len(NARRATIVE_SENTENCE),
            )
        )  # fmt: skip
    return Seeded(ids, sources, narrative_id)


@pytest.fixture
def seeded(store: Store, settings: Settings) -> Seeded:
    return seed(store, settings)


def chart(html: str, chart_id: str) -> dict[str, object]:
    found = re.search(rf'<script type="application/json" id="{chart_id}">(.*?)</script>', html, re.S)
    assert found, f"no chart data block {chart_id}"
    spec: dict[str, object] = json.loads(found.group(1))
    return spec


def story_of(store: Store, article_id: int) -> int:
    with store.database.engine.connect() as conn:
        story_id = conn.execute(select(Article.story_id).where(Article.id == article_id)).scalar_one()
    assert story_id is not None
    return int(story_id)


def test_stories_list_filters_sorts_and_pages(web: WebServer, seeded: Seeded) -> None:
    viewer = web.client("viewer")
    tourism = story_of(web.store, seeded.ids["vi"])
    assert story_of(web.store, seeded.ids["en"]) == tourism
    page = viewer.get("/stories")
    assert page.status_code == 200
    headlines = (ARTICLES["vi"][2], ARTICLES["en"][2])  # the story's title is its most central headline
    assert f'href="/stories/{tourism}"' in page.text and any(f">{h}</a>" in page.text for h in headlines)
    assert "Sự kiện" in page.text and "Tăng trong 24 giờ" in page.text  # Vietnamese by default
    assert "&lt;script&gt;" in page.text and "<script>alert" not in page.text

    api = viewer.get("/api/stories", params={"days": 7}).json()
    stories = {s["id"]: s for s in api["stories"]}
    assert api["total"] == len(stories) >= 3  # the tourism story, the summit, the coffee (the old one is out)
    assert stories[tourism]["languages"] == ["en", "vi"] and stories[tourism]["size"] == 3
    assert stories[tourism]["growth"] == 3 and api["stories"][0]["id"] == tourism  # most growth first
    assert story_of(web.store, seeded.ids["old"]) not in stories
    every = viewer.get("/api/stories", params={"days": 0}).json()
    assert story_of(web.store, seeded.ids["old"]) in {s["id"] for s in every["stories"]}

    french = viewer.get("/api/stories", params={"lang": "fr", "days": 7}).json()
    assert [s["id"] for s in french["stories"]] == [story_of(web.store, seeded.ids["fr"])]
    by_size = viewer.get("/api/stories", params={"sort": "size", "days": 0, "per_page": 1, "page": 2}).json()
    assert by_size["total"] == every["total"] and len(by_size["stories"]) == 1 and by_size["stories"][0]["size"] <= 3

    paged = viewer.get(
        "/stories", params={"days": 0, "page": 1}, headers={"HX-Request": "true", "HX-Target": "stories-body"}
    )
    assert paged.status_code == 200 and "<html" not in paged.text and 'id="stories-count"' in paged.text
    assert viewer.get("/stories", params={"lang": "<script>"}).status_code == 422
    assert viewer.get("/api/stories", params={"sort": "drop table"}).status_code == 422
    assert viewer.get("/api/stories", params={"page": 0}).status_code == 422


def test_story_page_groups_articles_by_language_with_timeline_and_tone(web: WebServer, seeded: Seeded) -> None:
    viewer = web.client("viewer")
    tourism = story_of(web.store, seeded.ids["vi"])
    page = viewer.get(f"/stories/{tourism}")
    assert page.status_code == 200
    html = page.text
    assert 'id="lang-vi"' in html and 'id="lang-en"' in html and 'id="lang-fr"' not in html
    for key in ("vi", "en", "copy"):
        assert f'href="/articles/{seeded.ids[key]}"' in html
    assert "Test Chronicle" in html and "Việt Nam" in html  # an outlet; a mentioned country, by name
    timeline = chart(html, "chart-timeline")
    assert timeline["hourly"] is True and timeline["stacked"] is True
    assert sum(sum(s["data"]) for s in timeline["series"]) == 3  # type: ignore[attr-defined]
    assert {s["name"] for s in timeline["series"]} == {"Tiếng Việt", "Tiếng Anh"}  # type: ignore[attr-defined]
    tone = chart(html, "chart-tone")
    assert tone["yMin"] == -1 and any(v is not None for v in tone["series"][0]["data"])  # type: ignore[index]
    assert '<script src="/static/vendor/echarts-5.6.0.min.js" defer></script>' in html

    api = viewer.get(f"/api/stories/{tourism}").json()
    assert api["story"]["size"] == 3 and {a["id"] for a in api["articles"]} == {
        seeded.ids["vi"],
        seeded.ids["en"],
        seeded.ids["copy"],
    }
    assert api["timeline"]["unit"] == "hour" and sum(b["articles"] for b in api["timeline"]["buckets"]) == 3


def test_unknown_story_and_article_are_404(web: WebServer) -> None:
    viewer = web.client("viewer")
    page = viewer.get("/stories/987654")
    assert page.status_code == 404 and "Không có sự kiện nào mang số này" in page.text
    api = viewer.get("/api/stories/987654")
    assert api.status_code == 404 and api.json()["error"] == 404
    assert viewer.get("/articles/987654").status_code == 404
    assert viewer.get("/api/articles/987654/related").status_code == 404
    assert viewer.get("/stories/not-a-number").status_code == 422
    assert web.anonymous().get("/api/stories").status_code == 401


def test_article_page_marks_places_and_shows_the_analysis(web: WebServer, seeded: Seeded) -> None:
    viewer = web.client("viewer")
    page = viewer.get(f"/articles/{seeded.ids['vi']}")
    assert page.status_code == 200
    html = page.text
    assert '<mark class="place" title="Đà Nẵng">Đà Nẵng</mark> đón lượng khách' in html  # in the title
    assert '<mark class="country" title="Việt Nam">Việt Nam</mark>' in html  # in the text
    assert 'href="https://vn.example/da-nang" rel="noopener noreferrer"' in html
    assert "Báo Thử Nghiệm" in html and "Du lịch" in html  # outlet; topic by its Vietnamese label
    with web.store.database.engine.connect() as conn:
        evidence = conn.execute(select(Article.tone_evidence).where(Article.id == seeded.ids["vi"])).scalar_one()
    assert evidence, "the tone stage found no evidence sentence"
    assert evidence[0]["sentence"] in html and 'class="evidence"' in html
    # near-duplicates both ways, and the English version among the similar articles
    assert f'href="/articles/{seeded.ids["copy"]}"' in html.split('id="duplicates"')[1].split("</section>")[0]
    assert f'href="/articles/{seeded.ids["en"]}"' in html.split('id="similar"')[1].split("</section>")[0]
    copy = viewer.get(f"/articles/{seeded.ids['copy']}").text
    assert f'href="/articles/{seeded.ids["vi"]}"' in copy and "bản sao nguyên văn" in copy
    assert f'href="/stories/{story_of(web.store, seeded.ids["vi"])}"' in html

    related = viewer.get(f"/api/articles/{seeded.ids['vi']}/related").json()
    assert [d["id"] for d in related["duplicates"]] == [seeded.ids["copy"]]
    assert related["duplicates"][0]["relation"] == "copy"
    assert seeded.ids["en"] in [s["id"] for s in related["similar"]]


def test_article_page_shows_its_narratives(web: WebServer, seeded: Seeded) -> None:
    viewer = web.client("viewer")
    html = viewer.get(f"/articles/{seeded.ids['en']}").text
    section = html.split('id="narratives"')[1].split("</section>")[0]
    assert f'href="/narratives/{seeded.narrative_id}"' in section
    assert "Tourism boom hides &lt;b&gt;trouble&lt;/b&gt;" in section and NARRATIVE_SENTENCE in section
    assert "cao" in section and "chờ xét duyệt" in section  # severity and status in Vietnamese
    related = viewer.get(f"/api/articles/{seeded.ids['en']}/related").json()
    assert related["narratives"][0]["narrative_id"] == seeded.narrative_id
    other = viewer.get(f"/articles/{seeded.ids['fr']}").text
    assert "Không phát hiện luận điệu nào" in other


def test_script_in_an_article_is_shown_inert(web: WebServer, seeded: Seeded) -> None:
    viewer = web.client("viewer")
    page = viewer.get(f"/articles/{seeded.ids['script']}")
    html = page.text
    assert page.status_code == 200
    assert "<script>alert" not in html and "<img src=x" not in html and 'onerror="alert' not in html
    assert "&lt;script&gt;alert(&#34;title&#34;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in html
    assert '<mark class="place" title="Hà Nội">Hanoi</mark> hosts a regional summit' in html  # offsets still right
    paragraphs = html.split('class="article-text"')[1].split("</div>")[0]
    assert paragraphs.count("<p>") == 2
    assert page.headers["content-security-policy"].startswith("default-src 'self'")


def test_marking_escapes_every_segment_and_ignores_offsets_that_do_not_fit() -> None:
    content = "<b>Hà Nội</b> & Paris\nsecond line"
    mentions = [
        {"field": "text", "start": 3, "end": 9, "kind": "province", "id": "HN", "name": 'Hà Nội"><script>'},
        {"field": "text", "start": 16, "end": 21, "kind": "country", "id": "FR", "name": "France"},
        {"field": "text", "start": 5, "end": 400, "kind": "country", "id": "XX", "name": "too long"},
        {"field": "title", "start": 0, "end": 2, "kind": "country", "id": "YY", "name": "other field"},
        {"field": "text", "start": "0", "end": 2, "kind": "country", "id": "ZZ", "name": "not a number"},
    ]
    first, second = marked_paragraphs(content, mentions)
    assert str(first) == (
        '&lt;b&gt;<mark class="place" title="Hà Nội&#34;&gt;&lt;script&gt;">Hà Nội</mark>&lt;/b&gt; &amp; '
        '<mark class="country" title="France">Paris</mark>'
    )
    assert str(second) == "second line"
    assert str(marked("<i>x</i>", mentions)) == '<mark class="country" title="other field">&lt;i</mark>&gt;x&lt;/i&gt;'
    assert str(marked("<i>", [{"field": "title", "start": 1, "end": 9, "kind": "country"}])) == "&lt;i&gt;"


def test_an_analyst_corrects_an_articles_topics(web: WebServer, seeded: Seeded) -> None:
    from ttdn.models.topic_corrections import corrections_path

    article = seeded.ids["vi"]
    viewer_page = web.client("viewer").get(f"/articles/{article}").text
    assert 'id="correct-topics"' not in viewer_page  # viewers see no correction form
    assert web.client("viewer").post(f"/articles/{article}/topics", data={"topic": "health"}).status_code == 403
    analyst = web.client("analyst")
    page = analyst.get(f"/articles/{article}").text
    assert 'id="correct-topics"' in page and 'name="topic" value="sovereignty_sea"' in page
    assert 'value="tourism" checked' in page  # the article's current topic is ticked
    refused = analyst.post(f"/articles/{article}/topics", data={"topic": "astrology"})
    assert refused.status_code == 422 and not corrections_path(web.settings.data_dir).exists()
    assert analyst.post(f"/articles/{article}/topics", data={}).status_code == 422

    done = analyst.post(f"/articles/{article}/topics", data={"topic": ["tourism", "culture"]})
    assert done.status_code == 303 and done.headers["location"] == f"/articles/{article}#article-topics"
    with web.store.database.engine.connect() as conn:
        topics = conn.execute(select(Article.topics).where(Article.id == article)).scalar_one()
    assert [t["label"] for t in topics] == ["culture", "tourism"] and topics[0]["corrected_by"] == USERS["analyst"][0]
    line = json.loads(corrections_path(web.settings.data_dir).read_text("utf-8").splitlines()[-1])
    assert line["labels"] == ["culture", "tourism"] and line["source"] == f"analyst:{USERS['analyst'][0]}"
    shown = analyst.get(f"/articles/{article}").text
    assert 'value="culture" checked' in shown and "Văn hoá, di sản" in shown.split('id="article-topics"')[1][:2000]


def small_shipped_set(directory: Path, per_label: int = 4) -> int:
    """A copy of the shipped training part with about ``per_label`` examples of each topic (the
    retraining embeds every example: the whole set takes half a minute on two cores)."""
    from ttdn.models.topics import DATA_DIR, is_held_out, read_labelled_jsonl

    examples, _ = read_labelled_jsonl(DATA_DIR / "labelled.jsonl")
    counts: Counter[str] = Counter()
    lines = []
    for text, labels in examples:
        if not is_held_out(text) and any(counts[label] < per_label for label in labels):
            counts.update(labels)
            lines.append(json.dumps({"text": text, "labels": labels}, ensure_ascii=False) + "\n")
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "labelled.jsonl").write_text("".join(lines), "utf-8")
    return len(lines)


def test_an_analyst_retrains_the_topic_model_from_the_article_page(
    web: WebServer, seeded: Seeded, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ttdn.models import topic_corrections
    from ttdn.models.topics import load_default

    shipped = small_shipped_set(tmp_path / "shipped")
    monkeypatch.setattr(topic_corrections, "DATA_DIR", tmp_path / "shipped")
    data_dir = web.settings.data_dir
    article = seeded.ids["vi"]
    viewer, analyst = web.client("viewer"), web.client("analyst")
    assert 'id="retrain-topics"' not in viewer.get(f"/articles/{article}").text
    assert viewer.post("/topics/retrain", data={"article": str(article)}).status_code == 403
    assert viewer.get("/api/topics/retrain").status_code == 403

    page = analyst.get(f"/articles/{article}").text  # no correction yet: no button, a reason
    assert 'id="retrain-none"' in page and 'id="retrain-button"' not in page
    refused = analyst.post("/topics/retrain", headers={"Accept": "application/json"})
    assert refused.status_code == 409 and refused.json()["message"].startswith("Chưa ghi nhận chỉnh sửa chủ đề")
    form = analyst.post("/topics/retrain", data={"article": str(article)})  # a plain form: the error page
    assert form.status_code == 409 and "hãy sửa chủ đề của một bài viết trước" in form.text
    assert "Traceback" not in form.text and analyst.get("/api/topics/retrain").json()["state"] == "idle"

    assert analyst.post(f"/articles/{article}/topics", data={"topic": ["tourism", "culture"]}).status_code == 303
    page = analyst.get(f"/articles/{article}").text
    assert "Đã ghi nhận 1 chỉnh sửa chủ đề." in page and "Huấn luyện lại mô hình chủ đề" in page
    assert 'hx-post="/topics/retrain"' in page and f'name="article" value="{article}"' in page

    started = analyst.post("/topics/retrain", data={"article": str(article)}, headers={"HX-Request": "true"})
    assert started.status_code == 200 and 'id="retrain-topics"' in started.text
    again = analyst.post("/topics/retrain", headers={"Accept": "application/json"})
    assert again.status_code in (202, 409)  # 409 while the first runs (202: it had already finished)
    if again.status_code == 409:
        assert again.json()["message"] == "Mô hình chủ đề đang được huấn luyện lại."
    deadline = time.monotonic() + 300
    status = analyst.get("/api/topics/retrain").json()
    seen = [status]
    while status["state"] == "running" and time.monotonic() < deadline:
        time.sleep(0.1)
        status = analyst.get("/api/topics/retrain").json()
        seen.append(status)
    assert status["state"] == "done", status
    for s in seen:  # progress: examples embedded out of all, then linear fits
        if s["state"] == "running" and s["step"] == "embed":
            assert s["total"] == shipped + 1 and 0 <= s["done"] <= s["total"]
    local = topic_corrections.model_for(data_dir)
    assert (topic_corrections.local_model_dir(data_dir) / "manifest.json").is_file() and local is not load_default()
    assert status["summary"] == {"corrections": 1, "labels": len(local.labels), "examples": shipped + 1}
    assert local.info["n_examples"] == shipped + 1 and {"tourism", "culture"} <= set(local.labels)

    panel = analyst.get("/topics/retrain/status", params={"article": article}, headers={"HX-Request": "true"})
    assert 'id="retrain-done"' in panel.text and "hx-get" not in panel.text  # finished: no more polling
    assert f"Đã huấn luyện lại mô hình chủ đề với 1 chỉnh sửa; mô hình mới có {len(local.labels)} chủ đề" in panel.text
    assert 'id="retrain-done"' in analyst.get(f"/articles/{article}").text


def test_a_failed_retraining_is_shown_as_its_reason(
    web: WebServer, seeded: Seeded, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ttdn.models import topic_corrections

    monkeypatch.setattr(topic_corrections, "DATA_DIR", tmp_path / "missing")  # no shipped set to read
    analyst = web.client("analyst")
    assert analyst.post(f"/articles/{seeded.ids['vi']}/topics", data={"topic": "tourism"}).status_code == 303
    assert analyst.post("/topics/retrain", headers={"Accept": "application/json"}).status_code == 202
    deadline = time.monotonic() + 60
    while (status := analyst.get("/api/topics/retrain").json())["state"] == "running" and time.monotonic() < deadline:
        time.sleep(0.1)
    assert status["state"] == "failed" and "labelled.jsonl" in status["reason"]
    panel = analyst.get("/topics/retrain/status").text
    assert 'id="retrain-failed"' in panel and "Huấn luyện lại mô hình chủ đề thất bại" in panel
    assert "Traceback" not in panel and 'id="retrain-button"' in panel  # can be tried again
