"""The fact-base pages and API over real HTTP (uvicorn on loopback, embedded PostgreSQL):
browse and search, a fact with its versions and history, create / edit / approve / retire as an
analyst, a viewer refused everywhere, bad input, document import and the offline bundle."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from tests.plugins.web import WebServer
from ttdn.kb.facts import FactSource, FactStore
from ttdn.settings import Settings

DOCS = Path(__file__).parent / "fixtures" / "documents"
TABLES = ("facts", "fact_texts", "fact_sources", "fact_versions", "documents", "document_passages")
LIMIT = 120_000  # max_import_bytes in these tests


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"max_import_bytes": LIMIT})


@pytest.fixture
def facts(web: WebServer) -> Iterator[FactStore]:
    yield FactStore(web.store.database.engine)


def counts(facts: FactStore) -> dict[str, int]:
    with facts.engine.connect() as conn:
        return {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in TABLES}


def seed(facts: FactStore) -> dict[str, int]:
    ids = {
        "paracels": facts.create(
            "biển đông",
            {
                "vi": ("Chủ quyền Hoàng Sa", "Việt Nam có đủ bằng chứng lịch sử về chủ quyền đối với Hoàng Sa."),
                "en": ("Paracel sovereignty", "Vietnam has ample historical evidence of sovereignty."),
            },
            sources=["https://mofa.gov.vn/hoang-sa", FactSource(note="Sách trắng 2024")],
            author="lan",
        ),
        "economy": facts.create("kinh tế", {"vi": ("Tăng trưởng GDP", "GDP tăng 7,09% năm 2024.")}, author="lan"),
    }
    facts.set_status(ids["paracels"], "approved", author="chief")
    return ids


def fact_form(**fields: str | list[str]) -> dict[str, str | list[str]]:
    base: dict[str, str | list[str]] = {
        "topic": "biển đông", "valid_from": "", "valid_to": "",
        "lang": ["vi", ""], "title": ["Trường Sa", ""], "body": ["Trường Sa là của Việt Nam.", ""],
        "source_url": ["https://mofa.gov.vn/truong-sa", ""], "source_doc": ["", ""], "source_note": ["", ""],
    }  # fmt: skip
    return base | fields


def created_id(answer: httpx.Response) -> int:
    assert answer.status_code == 303, answer.text[:2000]
    found = re.fullmatch(r"/facts/(\d+)", answer.headers["location"])
    assert found, answer.headers["location"]
    return int(found.group(1))


# ---- reading -------------------------------------------------------------------------


def test_list_filters_search_and_fact_page(web: WebServer, facts: FactStore) -> None:
    ids = seed(facts)
    viewer = web.client("viewer")
    page = viewer.get("/facts")
    assert page.status_code == 200
    assert "Chủ quyền Hoàng Sa" in page.text and "Tăng trưởng GDP" in page.text and "Cơ sở dữ liệu" in page.text
    approved = viewer.get("/facts", params={"status": "approved"}).text
    assert "Chủ quyền Hoàng Sa" in approved and "Tăng trưởng GDP" not in approved
    assert "Chủ quyền Hoàng Sa" not in viewer.get("/facts", params={"topic": "kinh tế"}).text
    assert "Tăng trưởng GDP" not in viewer.get("/facts", params={"lang": "en"}).text

    found = viewer.get("/facts", params={"q": "hoang sa"})  # no diacritics
    assert found.status_code == 200
    assert f'href="/facts/{ids["paracels"]}"' in found.text and "<mark>Hoàng Sa</mark>" in found.text
    assert "Tăng trưởng GDP" not in found.text
    refused = viewer.get("/facts", params={"q": "x" * 1001})
    assert refused.status_code == 422

    fact = viewer.get(f"/facts/{ids['paracels']}")
    assert fact.status_code == 200
    assert "Paracel sovereignty" in fact.text and "Việt Nam có đủ bằng chứng" in fact.text
    assert 'href="https://mofa.gov.vn/hoang-sa" rel="noopener noreferrer"' in fact.text
    assert "Sách trắng 2024" in fact.text and "chief" in fact.text and "lan" in fact.text
    assert 'class="badge approved"' in fact.text
    assert "/facts/" + str(ids["paracels"]) + "/edit" not in fact.text  # a viewer sees no edit button

    assert viewer.post("/account/locale", data={"locale": "en", "back": "/facts"}).status_code == 303
    english = viewer.get(f"/facts/{ids['paracels']}").text
    assert "Language versions" in english and "History" in english and ">approved<" in english
    missing = viewer.get("/facts/987654")
    assert missing.status_code == 404 and "<h1>404" in missing.text
    assert viewer.get("/facts/abc").status_code == 422


def test_json_api(web: WebServer, facts: FactStore) -> None:
    ids = seed(facts)
    viewer = web.client("viewer")
    listing = viewer.get("/api/facts").json()
    assert listing["total"] == 2 and {item["id"] for item in listing["items"]} == set(ids.values())
    assert viewer.get("/api/facts", params={"status": "draft"}).json()["items"][0]["id"] == ids["economy"]
    assert viewer.get("/api/facts", params={"status": "nope"}).status_code == 422
    hits = viewer.get("/api/facts", params={"q": "paracel", "status": "approved"}).json()["items"]
    assert [(h["id"], h["lang"]) for h in hits] == [(ids["paracels"], "en")]
    one = viewer.get(f"/api/facts/{ids['paracels']}").json()
    assert one["texts"]["vi"]["title"] == "Chủ quyền Hoàng Sa" and one["status"] == "approved"
    assert [(v["version"], v["author"]) for v in one["history"]] == [(1, "lan"), (2, "chief")]
    missing = viewer.get("/api/facts/987654")
    assert missing.status_code == 404 and missing.json()["error"] == 404
    assert "/api/facts/{fact_id}" in viewer.get("/openapi.json").json()["paths"]


# ---- writing -------------------------------------------------------------------------


def test_analyst_creates_edits_approves_and_retires(web: WebServer, facts: FactStore) -> None:
    analyst = web.client("analyst")
    assert analyst.get("/facts/new").status_code == 200
    fid = created_id(analyst.post("/facts/new", data=fact_form()))
    record = facts.get(fid)
    assert record.status == "draft" and record.texts == {"vi": ("Trường Sa", "Trường Sa là của Việt Nam.")}
    assert [s.url for s in record.sources] == ["https://mofa.gov.vn/truong-sa"]
    only_second = analyst.post(
        "/facts/new", data=fact_form(lang=["vi", "en"], title=["", "Spratlys"], body=["", "They belong to Vietnam."])
    )
    assert sorted(facts.get(created_id(only_second)).texts) == ["en"]  # the blank "vi" block is ignored

    edit = analyst.get(f"/facts/{fid}/edit")
    assert edit.status_code == 200 and "Trường Sa là của Việt Nam." in edit.text
    changed = analyst.post(
        f"/facts/{fid}/edit",
        data=fact_form(
            topic="biển đông",
            valid_from="2024-01-01",
            valid_to="2030-12-31",
            lang=["vi", "en"],
            existing=["vi"],
            title=["Quần đảo Trường Sa", "Spratly Islands"],
            body=["Trường Sa là của Việt Nam.", "The Spratlys belong to Vietnam."],
        ),
    )
    assert changed.status_code == 303 and changed.headers["location"] == f"/facts/{fid}"
    history = facts.history(fid)
    assert [(v.version, v.author) for v in history] == [(1, "phantich"), (2, "phantich")]
    assert "title[vi]" in history[1].change and "+text[en]" in history[1].change
    page = analyst.get(f"/facts/{fid}").text
    assert "Spratly Islands" in page and "phantich" in page
    assert "<del>Trường Sa</del>" in page or "<ins>Quần đảo </ins>" in page  # the word diff of the title

    assert analyst.post(f"/facts/{fid}/status", data={"status": "approved"}).status_code == 303
    assert facts.get(fid).status == "approved"
    compare = analyst.get(f"/facts/{fid}", params={"from": 2, "to": 3})
    assert compare.status_code == 200 and "<del>draft</del>" in compare.text and "<ins>approved</ins>" in compare.text

    # remove a language version as a further edit
    dropped = analyst.post(
        f"/facts/{fid}/edit",
        data=fact_form(lang=["vi", "en"], existing=["vi", "en"], remove=["en"], title=["Quần đảo Trường Sa", "x"],
                       body=["Trường Sa là của Việt Nam.", "y"], valid_from="2024-01-01", valid_to="2030-12-31"),
    )  # fmt: skip
    assert dropped.status_code == 303 and sorted(facts.get(fid).texts) == ["vi"]
    assert facts.get(fid).status == "approved"  # an edit keeps the status

    assert analyst.post(f"/facts/{fid}/status", data={"status": "retired"}).status_code == 303
    assert facts.get(fid).status == "retired"
    before = facts.get(fid).version
    refused = analyst.post(f"/facts/{fid}/status", data={"status": "approved"})  # retired → approved: not allowed
    assert refused.status_code == 422 and "cannot go from retired to approved" in refused.text
    assert facts.get(fid).version == before and facts.get(fid).status == "retired"
    assert analyst.post(f"/facts/{fid}/status", data={"status": "bogus"}).status_code == 422
    assert analyst.post("/facts/987654/status", data={"status": "approved"}).status_code == 404
    assert analyst.get("/facts/987654/edit").status_code == 404


def test_viewer_is_refused_on_every_editing_endpoint(web: WebServer, facts: FactStore) -> None:
    fid = seed(facts)["economy"]
    before = counts(facts)
    viewer = web.client("viewer")
    assert viewer.get("/facts/new").status_code == 403
    assert viewer.get(f"/facts/{fid}/edit").status_code == 403
    assert viewer.post("/facts/new", data=fact_form()).status_code == 403
    assert viewer.post(f"/facts/{fid}/edit", data=fact_form()).status_code == 403
    assert viewer.post(f"/facts/{fid}/status", data={"status": "approved"}).status_code == 403
    upload = viewer.post("/facts/documents", files={"file": ("notes_vi.md", (DOCS / "notes_vi.md").read_bytes())})
    assert upload.status_code == 403 and "Vai trò của bạn không cho phép" in upload.text
    assert counts(facts) == before and facts.get(fid).status == "draft"
    # no CSRF token: refused even for an analyst
    analyst = web.client("analyst")
    analyst.headers.pop("X-CSRF-Token")
    assert analyst.post("/facts/new", data=fact_form()).status_code == 403
    assert counts(facts) == before


def test_bad_input_is_refused_and_nothing_is_stored(web: WebServer, facts: FactStore) -> None:
    fid = seed(facts)["economy"]
    analyst = web.client("analyst")
    before = counts(facts)

    missing = analyst.post("/facts/new", data=fact_form(title=["", ""]))
    assert missing.status_code == 422 and "the title [vi] is empty" in missing.text
    assert 'value="vi"' in missing.text and "Trường Sa là của Việt Nam." in missing.text  # the form is kept
    nothing = analyst.post("/facts/new", data=fact_form(lang=["", ""], title=["", ""], body=["", ""]))
    assert nothing.status_code == 422 and "at least one language" in nothing.text
    huge = analyst.post("/facts/new", data=fact_form(body=["x" * 100_001, ""]))
    assert huge.status_code == 422 and "100.000" in huge.text  # Vietnamese number format
    long_topic = analyst.post("/facts/new", data=fact_form(topic="t" * 201))
    assert long_topic.status_code == 422
    bad_url = analyst.post("/facts/new", data=fact_form(source_url=["javascript:alert(1)", ""]))
    assert bad_url.status_code == 422 and "http(s)" in bad_url.text
    bad_date = analyst.post("/facts/new", data=fact_form(valid_from="31/12/2024"))
    assert bad_date.status_code == 422 and "YYYY-MM-DD" in bad_date.text
    reversed_dates = analyst.post("/facts/new", data=fact_form(valid_from="2025-01-01", valid_to="2024-01-01"))
    assert reversed_dates.status_code == 422 and "valid_to" in reversed_dates.text
    twice = analyst.post("/facts/new", data=fact_form(lang=["vi", "VI"], title=["a", "b"], body=["c", "d"]))
    assert twice.status_code == 422
    unknown_doc = analyst.post("/facts/new", data=fact_form(source_doc=["999", ""]))
    assert unknown_doc.status_code == 422 and "999" in unknown_doc.text
    last = analyst.post(
        f"/facts/{fid}/edit", data=fact_form(lang=["vi"], existing=["vi"], remove=["vi"], title=["a"], body=["b"])
    )
    assert last.status_code == 422 and "last language" in last.text
    assert analyst.post("/facts/987654/edit", data=fact_form()).status_code == 404
    assert counts(facts) == before

    script = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    sid = created_id(analyst.post("/facts/new", data=fact_form(title=[script, ""], body=[script, ""])))
    assert facts.get(sid).texts["vi"] == (script, script)  # stored as given
    for url in (f"/facts/{sid}", "/facts", f"/facts/{sid}/edit"):
        page = analyst.get(url).text
        assert "<script>alert" not in page and "<img src=x" not in page, url
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page, url
    hits = analyst.get("/facts", params={"q": "alert", "status": ""}).text
    assert "<script>alert" not in hits and "&lt;script&gt;<mark>alert</mark>" in hits


# ---- documents and the bundle --------------------------------------------------------


def test_document_import_shows_passages_and_refuses_bad_files(web: WebServer, facts: FactStore) -> None:
    analyst = web.client("analyst")
    assert analyst.get("/facts/documents").status_code == 200
    answer = analyst.post("/facts/documents", files={"file": ("notes_vi.md", (DOCS / "notes_vi.md").read_bytes())})
    assert answer.status_code == 303, answer.text[:2000]
    page = analyst.get(answer.headers["location"])
    assert page.status_code == 200 and "Ghi chú về Biển Đông" in page.text and "Khánh Hòa và Khánh Hoà" in page.text
    docx = analyst.post("/facts/documents", files={"file": ("report_vi.docx", (DOCS / "report_vi.docx").read_bytes())})
    assert docx.status_code == 303
    docx_page = analyst.get(docx.headers["location"])
    assert docx_page.status_code == 200 and "report_vi.docx" in docx_page.text
    with facts.engine.connect() as conn:
        uploader = conn.execute(text("SELECT DISTINCT uploaded_by FROM documents")).scalars().all()
    assert uploader == ["phantich"]
    found = analyst.get("/facts", params={"q": "khanh hoa"}).text
    assert "Ghi chú về Biển Đông" in found and "<mark>Khánh Hòa</mark>" in found
    document_id = int(answer.headers["location"].split("/")[-1].split("?")[0])
    api = analyst.get(f"/api/documents/{document_id}").json()
    assert api["uploaded_by"] == "phantich" and api["passages"]
    assert analyst.get("/facts/documents/987654").status_code == 404

    before = counts(facts)
    fake = analyst.post("/facts/documents", files={"file": ("fake.docx", (DOCS / "fake.docx").read_bytes())})
    assert fake.status_code == 422 and "fake.docx" in fake.text and "DOCX" in fake.text
    encrypted = analyst.post("/facts/documents", files={"file": ("enc.pdf", (DOCS / "encrypted.pdf").read_bytes())})
    assert encrypted.status_code == 422 and "password" in encrypted.text
    scanned = analyst.post("/facts/documents", files={"file": ("scan.pdf", (DOCS / "scanned.pdf").read_bytes())})
    assert scanned.status_code == 422 and "OCR" in scanned.text
    assert analyst.post("/facts/documents", data={"other": "x"}, files={"x": ("", b"")}).status_code == 422
    too_big = analyst.post("/facts/documents", files={"file": ("big.md", b"# Big\n\n" + b"a " * LIMIT)})
    assert too_big.status_code == 413 and "MB" in too_big.text

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit is checked while streaming
        yield b'--XyZ\r\nContent-Disposition: form-data; name="file"; filename="big.md"\r\n\r\n'
        for _ in range(40):
            yield b"a " * 5000
        yield b"\r\n--XyZ--\r\n"

    streamed = analyst.post(
        "/facts/documents", content=chunks(), headers={"content-type": "multipart/form-data; boundary=XyZ"}
    )
    assert streamed.status_code == 413
    assert counts(facts) == before


def test_plain_form_upload_with_csrf_field(web: WebServer) -> None:
    analyst = web.client("analyst")
    token = analyst.headers.pop("X-CSRF-Token")  # as a browser without HTMX: the token in the form
    answer = analyst.post(
        "/facts/documents",
        data={"csrf_token": token},
        files={"file": ("notes_vi.md", (DOCS / "notes_vi.md").read_bytes())},
    )
    assert answer.status_code == 303
    assert analyst.post("/facts/documents", files={"file": ("n.md", b"# x\n\nabc")}).status_code == 403


def test_bundle_download_holds_only_approved_facts(web: WebServer, facts: FactStore, tmp_path: Path) -> None:
    ids = seed(facts)
    viewer = web.client("viewer")
    page = viewer.get("/facts/export")
    assert page.status_code == 200 and 'value="vi"' in page.text and 'value="en"' in page.text
    answer = viewer.get("/facts/export/bundle", params={"lang": ["vi"]})
    assert answer.status_code == 200
    today = datetime.now(UTC).date().isoformat()
    assert f'filename="ttdn-facts-{today}.sqlite"' in answer.headers["content-disposition"]
    assert answer.headers["content-disposition"].startswith("attachment")
    out = tmp_path / "bundle.sqlite"
    out.write_bytes(answer.content)
    assert answer.content.startswith(b"SQLite format 3\x00")
    db = sqlite3.connect(out)
    try:
        assert [r[0] for r in db.execute("SELECT id FROM facts")] == [ids["paracels"]]
        assert {r[0] for r in db.execute("SELECT lang FROM fact_texts")} == {"vi"}
    finally:
        db.close()
    every = viewer.get("/api/facts/bundle")
    assert every.status_code == 200 and every.content.startswith(b"SQLite format 3")
    assert viewer.get("/facts/export/bundle", params={"lang": ["<x>"]}).status_code == 422
