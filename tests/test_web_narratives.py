"""The narrative pages and API over real HTTP (uvicorn on loopback, embedded PostgreSQL): the
registry, a narrative with its timeline and matches, confirm / reject (HTMX row in place, the
threshold recalibrated), the review queue, create / edit / link facts / import as an analyst,
a viewer refused everywhere, bad input."""

from __future__ import annotations

import html
import json
import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select, text

from tests.plugins.web import WebServer
from ttdn.kb.facts import FactStore
from ttdn.kb.narrative_matches import ArticleMatches, NarrativeHit
from ttdn.kb.narratives import Variant
from ttdn.pipeline.topology import ingest
from ttdn.records import RawArticle
from ttdn.store import Store
from ttdn.store.tables import Article

ARTICLES = {
    # name: (url, title, text, lang, published, outlet country)
    "fr": ("https://a.example/fr", "Hanoï face aux rumeurs sur la pandémie",
           "Le débat sur la gestion de la crise sanitaire au Vietnam continue à Hanoï. Selon des blogs, le Vietnam "
           "aurait caché des milliers de morts du COVID-19. Le ministère de la Santé du Vietnam dément.",
           "fr", datetime(2025, 3, 2, 8, tzinfo=UTC), "FR"),
    "en": ("https://b.example/en", "Vietnam rejects claims on pandemic deaths",
           "Vietnam's health ministry in Hanoi rejected claims that Vietnam hid thousands of COVID-19 deaths, "
           "saying its data on the pandemic in Vietnam have always been public.",
           "en", datetime(2025, 3, 4, 9, tzinfo=UTC), "US"),
    "vi": ("https://c.example/vi", "Tin đồn về xuất khẩu gạo của Việt Nam",
           "Một số trang mạng cho rằng Việt Nam sẽ ngừng xuất khẩu gạo. Bộ Công Thương Việt Nam khẳng định xuất "
           "khẩu gạo của Việt Nam vẫn diễn ra bình thường tại Hà Nội và Thành phố Hồ Chí Minh.",
           "vi", datetime(2025, 3, 4, 10, tzinfo=UTC), "VN"),
}  # fmt: skip
HX = {"HX-Request": "true"}
SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def seed(store: Store, settings: object) -> dict[str, int]:
    """Three articles from outlets in three countries, two narratives, four matches."""
    raws = []
    with store.database.engine.begin() as conn:
        for name, (url, title, body, lang, at, country) in ARTICLES.items():
            source_id = conn.execute(
                text(
                    "INSERT INTO sources (name, url, kind, country, lang, cadence_minutes) "
                    "VALUES (:n, :u, 'feed', :c, :l, 30) RETURNING id"
                ),
                {"n": f"Outlet {name}", "u": f"{url}/feed", "c": country, "l": lang},
            ).scalar_one()
            raws.append(RawArticle(url=url, title=title, text=body, lang_hint=lang, published_at=at, origin=url,
                                   source_id=source_id, source_name=f"Outlet {name}"))  # fmt: skip
    ingest(raws, store, settings)  # type: ignore[arg-type]
    with store.database.engine.connect() as conn:
        by_url = {url: id_ for id_, url in conn.execute(select(Article.id, Article.url))}
    ids = {name: by_url[row[0]] for name, row in ARTICLES.items()}
    narratives = store.narratives
    covid = narratives.add(
        "Việt Nam che giấu số người chết vì COVID-19",
        "Việt Nam đã che giấu hàng nghìn ca tử vong vì COVID-19 và công bố số liệu giả.",
        variants=[Variant("Vietnam hid thousands of COVID-19 deaths.", "en"),
                  Variant("Le Vietnam aurait caché des milliers de morts du COVID-19.", "fr")],
        lang="vi", severity="high", category="y tế", key="N26",
    )  # fmt: skip
    rice = narratives.add(
        "Việt Nam ngừng xuất khẩu gạo",
        "Việt Nam sẽ ngừng xuất khẩu gạo vì đồng bằng sông Cửu Long bị nhiễm mặn.",
        lang="vi", severity="low", category="kinh tế", key="N32",
    )  # fmt: skip
    at = {name: row[4] for name, row in ARTICLES.items()}
    fr_hit = NarrativeHit(covid.id, 0.81, "Selon des blogs, le Vietnam aurait caché des milliers de morts du COVID-19.")
    narratives.record_matches(
        [
            ArticleMatches(ids["fr"], at["fr"], [fr_hit]),
            ArticleMatches(ids["en"], at["en"], [NarrativeHit(covid.id, 0.64, "Vietnam hid thousands of deaths")]),
            ArticleMatches(ids["vi"], at["vi"], [NarrativeHit(rice.id, 0.72, "Việt Nam sẽ ngừng xuất khẩu gạo."),
                                                 NarrativeHit(covid.id, 0.51, "xuất khẩu gạo")]),
        ],
        scored=[covid.id, rice.id],
    )  # fmt: skip
    with store.database.engine.connect() as conn:
        query = text("SELECT article_id * 1000 + narrative_id, id FROM narrative_matches")
        matches = {int(key): int(id_) for key, id_ in conn.execute(query)}
    return {
        **{f"article_{k}": v for k, v in ids.items()},
        "covid": covid.id, "rice": rice.id,
        "m_fr": matches[ids["fr"] * 1000 + covid.id], "m_en": matches[ids["en"] * 1000 + covid.id],
        "m_vi_rice": matches[ids["vi"] * 1000 + rice.id], "m_vi_covid": matches[ids["vi"] * 1000 + covid.id],
    }  # fmt: skip


@pytest.fixture
def data(web: WebServer) -> dict[str, int]:
    return seed(web.store, web.settings)


def statuses(web: WebServer) -> dict[int, tuple[str, str | None]]:
    with web.store.database.engine.connect() as conn:
        return {i: (s, d) for i, s, d in conn.execute(text("SELECT id, status, decided_by FROM narrative_matches"))}


def narrative_form(**fields: str | list[str]) -> dict[str, str | list[str]]:
    base: dict[str, str | list[str]] = {
        "title": "Việt Nam cấm mạng xã hội", "canonical_claim": "Việt Nam sắp cấm hoàn toàn Facebook.",
        "summary": "Tin đồn lặp lại mỗi năm.", "category": "internet", "severity": "medium", "status": "active",
        "lang": "vi", "key": "", "variant_lang": ["en", "fr", ""],
        "variant_text": ["Vietnam is about to ban Facebook.", "Le Vietnam va interdire Facebook.", ""],
    }  # fmt: skip
    return base | fields


# ---- reading -------------------------------------------------------------------------


def test_registry_narrative_page_and_timeline(web: WebServer, data: dict[str, int]) -> None:
    viewer = web.client("viewer")
    page = viewer.get("/narratives")
    assert page.status_code == 200 and "Luận điệu" in page.text
    assert "Việt Nam che giấu số người chết vì COVID-19" in page.text and "Việt Nam ngừng xuất khẩu gạo" in page.text
    assert 'class="badge high"' in page.text and 'class="badge low"' in page.text
    assert f'href="/narratives/{data["covid"]}?status=pending#matches">3<' in page.text
    assert "ngừng xuất khẩu gạo" not in viewer.get("/narratives", params={"severity": "high"}).text
    assert "COVID-19" not in viewer.get("/narratives", params={"category": "kinh tế"}).text
    assert "COVID-19" not in viewer.get("/narratives", params={"q": "gạo"}).text
    assert "Việt Nam ngừng" not in viewer.get("/narratives", params={"status": "retired"}).text

    one = viewer.get(f"/narratives/{data['covid']}")
    assert one.status_code == 200
    assert "Việt Nam đã che giấu hàng nghìn ca tử vong" in one.text  # the canonical claim
    assert "Vietnam hid thousands of COVID-19 deaths." in one.text and "Le Vietnam aurait caché" in one.text
    assert f'href="/articles/{data["article_fr"]}"' in one.text and "Hanoï face aux rumeurs" in one.text
    assert "Outlet fr" in one.text and "Pháp" in one.text  # the outlet and its country, in Vietnamese
    assert "Selon des blogs, le Vietnam aurait caché" in one.text  # the evidence sentence
    assert 'data-chart="chart-country"' in one.text and 'data-chart="chart-lang"' in one.text
    spec = json.loads(
        html.unescape(re.search(r"data-chart=\"chart-country\" data-spec='(.*?)'", one.text, re.S).group(1))
    )  # type: ignore[union-attr]
    assert spec["x"] == ["2025-03-02", "2025-03-03", "2025-03-04"] and spec["stacked"] is True
    assert sum(sum(s["data"]) for s in spec["series"]) == 3
    assert "/narratives/matches/" not in one.text  # a viewer sees no decision buttons
    pending = viewer.get(f"/narratives/{data['covid']}", params={"status": "confirmed"})
    assert "Hanoï face aux rumeurs" not in pending.text

    timeline = viewer.get(f"/api/narratives/{data['covid']}/timeline").json()
    assert timeline["total"] == 3
    assert {(p["day"], p["key"], p["count"]) for p in timeline["by_country"]} == {
        ("2025-03-02", "FR", 1), ("2025-03-04", "US", 1), ("2025-03-04", "VN", 1)
    }  # fmt: skip
    assert {(p["day"], p["key"]) for p in timeline["by_lang"]} == {
        ("2025-03-02", "fr"), ("2025-03-04", "en"), ("2025-03-04", "vi")
    }  # fmt: skip
    listing = viewer.get("/api/narratives").json()
    assert listing["total"] == 2 and listing["threshold"] > 0
    covid = next(item for item in listing["items"] if item["id"] == data["covid"])
    assert covid["matches"] == {"pending": 3, "confirmed": 0, "rejected": 0} and covid["severity"] == "high"
    detail = viewer.get(f"/api/narratives/{data['covid']}").json()
    assert {(v["lang"], v["text"]) for v in detail["variants"]} >= {("en", "Vietnam hid thousands of COVID-19 deaths.")}
    matches = viewer.get(f"/api/narratives/{data['covid']}/matches", params={"order": "score"}).json()
    assert [m["id"] for m in matches["items"]] == [data["m_fr"], data["m_en"], data["m_vi_covid"]]
    for url in ("/narratives/987654", "/api/narratives/987654", "/api/narratives/987654/timeline"):
        assert viewer.get(url).status_code == 404, url
    assert viewer.get("/narratives/abc").status_code == 422


def test_review_queue_is_pending_matches_best_score_first(web: WebServer, data: dict[str, int]) -> None:
    viewer = web.client("viewer")
    page = viewer.get("/narratives/review")
    assert page.status_code == 200
    rows = re.findall(r'<tr id="match-(\d+)"', page.text)
    assert [int(r) for r in rows] == [data["m_fr"], data["m_vi_rice"], data["m_en"], data["m_vi_covid"]]
    only_rice = viewer.get("/narratives/review", params={"narrative": data["rice"]}).text
    assert [int(r) for r in re.findall(r'<tr id="match-(\d+)"', only_rice)] == [data["m_vi_rice"]]


# ---- decisions -----------------------------------------------------------------------


def test_analyst_confirms_and_rejects_and_the_threshold_moves(web: WebServer, data: dict[str, int]) -> None:
    analyst = web.client("analyst")
    page = analyst.get(f"/narratives/{data['covid']}")
    assert f'hx-post="/narratives/matches/{data["m_fr"]}/decision"' in page.text
    # the timeline part asks for itself again when a decision is announced
    assert f'hx-get="/narratives/{data["covid"]}/timeline"' in page.text and 'data-total="3"' in page.text
    assert 'hx-trigger="ttdn:threshold from:body"' in page.text
    before = web.store.narratives.threshold()
    assert before.decisions == 0

    confirmed = analyst.post(
        f"/narratives/matches/{data['m_fr']}/decision",
        data={"decision": "confirm", "back": f"/narratives/{data['covid']}"},
        headers={"HX-Request": "true"},
    )
    assert confirmed.status_code == 200
    assert confirmed.text.lstrip().startswith(f'<tr id="match-{data["m_fr"]}"')  # only the row, swapped in place
    assert 'class="badge confirmed"' in confirmed.text and "phantich" in confirmed.text
    event = json.loads(confirmed.headers["hx-trigger"])["ttdn:threshold"]
    assert event["decisions"] == "1"
    # the narrative's counts come with it, for the page to show without a reload
    with web.store.database.engine.connect() as conn:
        truth = dict(
            conn.execute(
                text("SELECT status, count(*) FROM narrative_matches WHERE narrative_id = :n GROUP BY status"),
                {"n": data["covid"]},
            ).all()
        )
    assert event["narrative"] == data["covid"] and truth["confirmed"] == 1
    assert event["counts"] == {k: str(truth.get(k, 0)) for k in ("pending", "confirmed", "rejected")}
    assert (
        f'data-narrative="{data["covid"]}" data-count="confirmed">1<'
        in analyst.get(f"/narratives/{data['covid']}").text
    )
    assert statuses(web)[data["m_fr"]] == ("confirmed", "phantich")

    rejected = analyst.post(
        f"/narratives/matches/{data['m_vi_covid']}/decision",
        data={"decision": "reject"},
        headers={"HX-Request": "true"},
    )
    assert rejected.status_code == 200 and 'class="badge rejected"' in rejected.text
    assert statuses(web)[data["m_vi_covid"]] == ("rejected", "phantich")
    after = web.store.narratives.threshold()
    assert after.decisions == 2 and after.threshold != before.threshold
    assert json.loads(rejected.headers["hx-trigger"])["ttdn:threshold"]["decisions"] == "2"
    shown = analyst.get(f"/narratives/{data['covid']}").text
    assert f'<strong id="match-threshold">{after.threshold:.2f}'.replace(".", ",") in shown  # Vietnamese decimals
    assert "Hanoï face aux rumeurs" in analyst.get(f"/narratives/{data['covid']}", params={"status": "confirmed"}).text
    timeline = analyst.get(f"/api/narratives/{data['covid']}/timeline").json()
    assert timeline["total"] == 2  # a rejected match leaves the timeline
    part = analyst.get(f"/narratives/{data['covid']}/timeline")
    assert part.status_code == 200 and part.text.lstrip().startswith("{#") is False
    assert 'id="narrative-timeline" data-total="2"' in part.text and 'data-chart="chart-country"' in part.text
    assert "<html" not in part.text  # only the part, swapped in place
    assert web.client("viewer").get(f"/narratives/{data['covid']}/timeline").status_code == 200
    assert analyst.get("/narratives/987654/timeline").status_code == 404

    # without HTMX: a plain form post goes back to the page it came from
    plain = analyst.post(
        f"/narratives/matches/{data['m_en']}/decision", data={"decision": "reject", "back": "/narratives/review"}
    )
    assert plain.status_code == 303 and plain.headers["location"] == "/narratives/review"
    evil = analyst.post(
        f"/narratives/matches/{data['m_en']}/decision", data={"decision": "confirm", "back": "https://evil.example/"}
    )
    assert evil.headers["location"] == f"/narratives/{data['covid']}"
    api = analyst.post(f"/api/narrative-matches/{data['m_vi_rice']}/decision", json={"decision": "confirm"})
    assert api.status_code == 200
    assert api.json()["match"]["status"] == "confirmed" and api.json()["decisions"] == 4
    assert (
        analyst.post(f"/api/narrative-matches/{data['m_vi_rice']}/decision", json={"decision": "maybe"}).status_code
        == 422
    )
    assert analyst.post("/api/narrative-matches/987654/decision", json={"decision": "confirm"}).status_code == 404
    assert analyst.post("/narratives/matches/987654/decision", data={"decision": "confirm"}).status_code == 404
    bad = analyst.post(f"/narratives/matches/{data['m_fr']}/decision", data={"decision": "maybe"})
    assert bad.status_code == 422 and statuses(web)[data["m_fr"]][0] == "confirmed"


def test_viewer_cannot_decide_or_edit(web: WebServer, data: dict[str, int]) -> None:
    viewer = web.client("viewer")
    before = statuses(web)
    record = web.store.narratives.get(data["covid"])
    fact = FactStore(web.store.database.engine).create("y tế", {"vi": ("Số liệu COVID-19", "Công khai.")}, author="lan")
    refused = [
        viewer.post(f"/narratives/matches/{data['m_fr']}/decision", data={"decision": "confirm"}, headers=HX),
        viewer.post(f"/api/narrative-matches/{data['m_fr']}/decision", json={"decision": "reject"}),
        viewer.get("/narratives/new"),
        viewer.post("/narratives/new", data=narrative_form()),
        viewer.get(f"/narratives/{data['covid']}/edit"),
        viewer.post(f"/narratives/{data['covid']}/edit", data=narrative_form()),
        viewer.post(f"/narratives/{data['covid']}/facts", data={"action": "link", "fact_id": str(fact)}),
        viewer.post("/narratives/import", files={"file": ("n.jsonl", b'{"id": "N99", "text": "x"}\n')}),
    ]  # fmt: skip
    assert [r.status_code for r in refused] == [403] * len(refused)
    assert statuses(web) == before and web.store.narratives.threshold().decisions == 0
    after = web.store.narratives.get(data["covid"])
    assert (after.title, after.facts, after.updated_at) == (record.title, record.facts, record.updated_at)
    assert len(web.store.narratives.list()) == 2


# ---- writing -------------------------------------------------------------------------


def test_analyst_creates_and_edits_a_narrative(web: WebServer, data: dict[str, int]) -> None:
    analyst = web.client("analyst")
    assert analyst.get("/narratives/new").status_code == 200
    made = analyst.post("/narratives/new", data=narrative_form())
    assert made.status_code == 303
    nid = int(made.headers["location"].rsplit("/", 1)[1])
    record = web.store.narratives.get(nid)
    assert record.title == "Việt Nam cấm mạng xã hội" and record.severity == "medium" and record.lang == "vi"
    assert {(v.lang, v.text) for v in record.variants} == {
        ("en", "Vietnam is about to ban Facebook."), ("fr", "Le Vietnam va interdire Facebook.")
    }  # fmt: skip
    page = analyst.get(f"/narratives/{nid}").text
    assert "Vietnam is about to ban Facebook." in page and "Tiếng Anh" in page  # variants grouped by language

    form = analyst.get(f"/narratives/{nid}/edit")
    assert form.status_code == 200 and "Le Vietnam va interdire Facebook." in form.text
    edited = analyst.post(
        f"/narratives/{nid}/edit",
        data=narrative_form(severity="critical", status="dormant", variant_lang=["de", ""],
                            variant_text=["Vietnam will Facebook verbieten.", ""]),
    )  # fmt: skip
    assert edited.status_code == 303
    record = web.store.narratives.get(nid)
    assert (record.severity, record.status) == ("critical", "dormant")
    assert [(v.lang, v.text) for v in record.variants] == [("de", "Vietnam will Facebook verbieten.")]
    assert analyst.get("/narratives/987654/edit").status_code == 404
    assert analyst.post("/narratives/987654/edit", data=narrative_form()).status_code == 404


def test_bad_narrative_input_stores_nothing_and_script_is_inert(web: WebServer, data: dict[str, int]) -> None:
    analyst = web.client("analyst")
    count = len(web.store.narratives.list())
    missing = analyst.post("/narratives/new", data=narrative_form(title="  "))
    assert missing.status_code == 422 and "the title is empty" in missing.text
    assert "Việt Nam sắp cấm hoàn toàn Facebook." in missing.text  # the form keeps what was typed
    assert analyst.post("/narratives/new", data=narrative_form(canonical_claim="")).status_code == 422
    huge = analyst.post("/narratives/new", data=narrative_form(canonical_claim="x" * 5001))
    assert huge.status_code == 422 and "5.000" in huge.text
    assert analyst.post("/narratives/new", data=narrative_form(severity="apocalyptic")).status_code == 422
    assert analyst.post("/narratives/new", data=narrative_form(variant_lang=["english", ""])).status_code == 422
    lonely = analyst.post(
        "/narratives/new", data=narrative_form(variant_lang=["en", "fr", ""], variant_text=["", "x", ""])
    )
    assert lonely.status_code == 422
    taken = analyst.post("/narratives/new", data=narrative_form(key="N26"))
    assert taken.status_code == 422 and "N26" in taken.text
    assert len(web.store.narratives.list()) == count

    scripted = narrative_form(
        title=SCRIPT, canonical_claim=SCRIPT, variant_lang=["en", "", ""], variant_text=[SCRIPT, "", ""]
    )
    made = analyst.post("/narratives/new", data=scripted)
    assert made.status_code == 303
    nid = int(made.headers["location"].rsplit("/", 1)[1])
    assert web.store.narratives.get(nid).title == SCRIPT
    for url in (f"/narratives/{nid}", "/narratives", f"/narratives/{nid}/edit"):
        page = analyst.get(url).text
        assert "<script>alert" not in page and "<img src=x" not in page, url
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page, url


def test_link_and_unlink_rebuttal_facts(web: WebServer, data: dict[str, int]) -> None:
    facts = FactStore(web.store.database.engine)
    fid = facts.create("y tế", {"vi": ("Số liệu COVID-19 công khai", "Bộ Y tế công bố hằng ngày.")}, author="lan")
    analyst = web.client("analyst")
    page = analyst.get(f"/narratives/{data['covid']}").text
    assert f'<option value="{fid}">' in page
    linked = analyst.post(f"/narratives/{data['covid']}/facts", data={"action": "link", "fact_id": str(fid)})
    assert linked.status_code == 303
    assert [f.id for f in web.store.narratives.get(data["covid"]).facts] == [fid]
    page = analyst.get(f"/narratives/{data['covid']}").text
    assert f'href="/facts/{fid}"' in page and "Số liệu COVID-19 công khai" in page
    fact_page = analyst.get(f"/facts/{fid}").text
    assert f'href="/narratives/{data["covid"]}"' in fact_page  # the fact shows what it rebuts
    assert (
        analyst.post(f"/narratives/{data['covid']}/facts", data={"action": "link", "fact_id": "987654"}).status_code
        == 422
    )
    assert (
        analyst.post(f"/narratives/{data['covid']}/facts", data={"action": "link", "fact_id": "abc"}).status_code == 422
    )
    assert analyst.post("/narratives/987654/facts", data={"action": "link", "fact_id": str(fid)}).status_code == 404
    unlinked = analyst.post(f"/narratives/{data['covid']}/facts", data={"action": "unlink", "fact_id": str(fid)})
    assert unlinked.status_code == 303 and web.store.narratives.get(data["covid"]).facts == ()
    again = analyst.post(f"/narratives/{data['covid']}/facts", data={"action": "unlink", "fact_id": str(fid)})
    assert again.status_code == 422 and "not linked" in again.text


def test_import_narratives_from_jsonl(web: WebServer, data: dict[str, int]) -> None:
    analyst = web.client("analyst")
    lines = [
        {"id": "N40", "text": "Việt Nam đàn áp báo chí nước ngoài.", "severity": "high",
         "variants": [{"lang": "en", "text": "Vietnam cracks down on foreign press."}]},
        {"id": "N26", "text": "Việt Nam đã che giấu hàng nghìn ca tử vong vì COVID-19 và công bố số liệu giả.",
         "severity": "critical"},
        {"text": "no id"},
    ]  # fmt: skip
    body = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines).encode()
    answer = analyst.post("/narratives/import", files={"file": ("narratives.jsonl", body)})
    assert answer.status_code == 200, answer.text[:2000]
    assert "1 đã thêm" in answer.text and "1 đã cập nhật" in answer.text and "1 bị từ chối" in answer.text
    assert web.store.narratives.get("N40").severity == "high"
    assert web.store.narratives.get("N26").severity == "critical"
    dup = b'{"id": "N50", "text": "a"}\n{"id": "N50", "text": "b"}\n'
    refused = analyst.post("/narratives/import", files={"file": ("dup.jsonl", dup)})
    assert refused.status_code == 422 and "N50" in refused.text
    assert len(web.store.narratives.list()) == 3
