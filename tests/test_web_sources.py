"""The sources page over real HTTP: health, add, import OPML/CSV, enable/disable, JSON."""

from __future__ import annotations

import re

import pytest

from tests.plugins.web import WebServer
from ttdn.errors import FetchFailed, Retry
from ttdn.records import SourceSpec
from ttdn.settings import Settings

LIMIT = 20_000  # bytes: a small upload limit, so the 413 test sends little

OPML = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0" xmlns:ttdn="urn:ttdn:opml">
  <head><title>test</title></head>
  <body>
    <outline text="Presse" ttdn:country="FR" ttdn:lang="fr">
      <outline text="Le Figaro" xmlUrl="https://figaro.example/rss.xml"/>
      <outline text="Lib\xc3\xa9ration" xmlUrl="https://liberation.example/rss"/>
      <outline text="Bad" xmlUrl="ftp://bad.example/feed"/>
    </outline>
  </body>
</opml>
"""


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"max_import_bytes": LIMIT})


@pytest.fixture
def sources(web: WebServer) -> dict[str, int]:
    web.store.sources.add(
        [
            SourceSpec(url="https://vnexpress.example/rss", name="VnExpress", country="VN", lang="vi"),
            SourceSpec(url="https://broken.example/rss", name="Broken", country="US", lang="en"),
            SourceSpec(url="https://flaky.example/rss", name="Flaky", country="DE", lang="de"),
        ]
    )
    found = {s.name: s.id for s in web.store.sources.all()}
    web.store.sources.record_success(found["VnExpress"], 12)
    for _ in range(3):
        web.store.sources.record_error(found["Broken"], FetchFailed("HTTP 404 <script>alert(1)</script>"))
    web.store.sources.record_error(found["Flaky"], Retry("timed out"))
    return found


def row(html: str, source_id: int) -> str:
    found = re.search(rf'<tr id="source-{source_id}".*?</tr>', html, re.S)
    assert found, f"no row for source {source_id}"
    return found.group(0)


def test_page_lists_sources_with_health(web: WebServer, sources: dict[str, int]) -> None:
    page = web.client("viewer").get("/sources")
    assert page.status_code == 200
    good, broken, flaky = (row(page.text, sources[n]) for n in ("VnExpress", "Broken", "Flaky"))
    assert "unhealthy" not in good.split(">")[0] and "VnExpress" in good and ">12<" in good
    assert "unhealthy" in broken.split(">")[0] and 'badge off">3<' in broken
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in broken and "<script>alert" not in page.text
    assert "unhealthy" in flaky.split(">")[0] and 'badge warn">1<' in flaky
    assert 'action="/sources"' not in page.text and "/enabled" not in page.text  # a viewer cannot edit
    problems = web.client("viewer").get("/sources", params={"show": "problems"})
    assert "VnExpress" not in problems.text and "Broken" in problems.text and "Flaky" in problems.text
    analyst_page = web.client("analyst").get("/sources")
    assert 'action="/sources"' in analyst_page.text and f"/sources/{sources['Broken']}/enabled" in analyst_page.text


def test_analyst_adds_a_source_and_bad_input_stores_nothing(web: WebServer) -> None:
    analyst, viewer = web.client("analyst"), web.client("viewer")
    form = {"url": "https://nhk.example/rss", "name": "NHK <b>World</b>", "kind": "feed", "country": "jp", "lang": "ja"}
    assert viewer.post("/sources", data=form).status_code == 403
    assert web.store.sources.all() == []
    for bad, reason in [
        ({**form, "url": "ftp://nhk.example/rss"}, "http(s)"),
        ({**form, "url": "javascript:alert(1)"}, "http(s)"),
        ({**form, "url": "not a url"}, "http(s)"),
        ({**form, "url": ""}, "địa chỉ"),
        ({**form, "country": "XX"}, "ISO 3166"),
        ({**form, "lang": "klingon"}, "ISO 639"),
        ({**form, "kind": "podcast"}, "kind"),
        ({**form, "cadence": "-5"}, "cadence"),
    ]:
        answer = analyst.post("/sources", data=bad)
        assert answer.status_code == 422 and 'class="error"' in answer.text and reason in answer.text, bad
    too_long = analyst.post("/sources", data={**form, "url": "https://x.example/" + "a" * 2000})
    assert too_long.status_code == 422
    assert web.store.sources.all() == []
    added = analyst.post("/sources", data=form)
    assert added.status_code == 303
    [record] = web.store.sources.all()
    assert (record.url, record.name, record.country, record.lang) == (
        "https://nhk.example/rss", "NHK <b>World</b>", "JP", "ja",
    )  # fmt: skip
    page = analyst.get("/sources")
    assert "NHK &lt;b&gt;World&lt;/b&gt;" in page.text and 'class="success"' in page.text
    again = analyst.post("/sources", data=form)
    assert again.status_code == 409 and len(web.store.sources.all()) == 1


def test_opml_upload_imports_and_lists_rejections(web: WebServer) -> None:
    analyst = web.client("analyst")
    files = {"file": ("nguon.opml", OPML, "text/x-opml")}
    assert web.client("viewer").post("/sources/import", files=files).status_code == 403
    answer = analyst.post("/sources/import", files=files)
    assert answer.status_code == 200, answer.text
    names = sorted(s.name for s in web.store.sources.all())
    assert names == ["Le Figaro", "Libération"]
    assert all(s.country == "FR" and s.lang == "fr" for s in web.store.sources.all())
    assert "nguon.opml: đã thêm 2" in answer.text and "nguon.opml:8</code>" in answer.text
    assert "/tmp" not in answer.text and "ftp://bad.example" in answer.text
    again = analyst.post("/sources/import", files=files, headers={"HX-Request": "true"})
    assert again.status_code == 200 and "<html" not in again.text
    assert 'hx-swap-oob="true"' in again.text and "Libération" in again.text  # the table is refreshed
    assert len(web.store.sources.all()) == 2
    csv_list = b"url,name,country,lang\nhttps://asahi.example/rss,Asahi,JP,ja\n"
    assert analyst.post("/sources/import", files={"file": ("list.csv", csv_list, "text/csv")}).status_code == 200
    assert len(web.store.sources.all()) == 3


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("broken.opml", b"<opml><body><outline"),
        ("notes.txt", b"https://x.example/rss"),
        ("list.csv", b"name,country\nX,FR\n"),
        ("latin1.csv", "url,name\nhttps://x.example/rss,Société\n".encode("latin-1")),
    ],
)
def test_bad_file_is_refused_and_nothing_stored(web: WebServer, name: str, content: bytes) -> None:
    analyst = web.client("analyst")
    answer = analyst.post("/sources/import", files={"file": (name, content, "application/octet-stream")})
    assert answer.status_code == 422 and 'class="error"' in answer.text and "/tmp" not in answer.text
    htmx = analyst.post(
        "/sources/import", files={"file": (name, content, "text/plain")}, headers={"HX-Request": "true"}
    )
    assert htmx.status_code == 422 and "<html" not in htmx.text
    assert web.store.sources.all() == []


def test_missing_and_oversize_uploads(web: WebServer) -> None:
    analyst = web.client("analyst")
    assert analyst.post("/sources/import", data={"x": "1"}).status_code == 422
    big = OPML.replace(b"<body>", b"<body>" + b"<!-- padding -->" * (LIMIT // 10))
    assert len(big) > LIMIT
    answer = analyst.post("/sources/import", files={"file": ("big.opml", big, "text/x-opml")})
    assert answer.status_code == 413 and "MB" in answer.text
    huge = OPML.replace(b"<body>", b"<body>" + b"<!-- padding -->" * (LIMIT * 2))  # over the declared-size check
    assert analyst.post("/sources/import", files={"file": ("huge.opml", huge, "text/x-opml")}).status_code == 413
    api = analyst.post("/api/sources/import", files={"file": ("big.opml", big, "text/x-opml")})
    assert api.status_code == 413 and api.json()["error"] == 413
    assert web.store.sources.all() == []


def test_enable_and_disable(web: WebServer, sources: dict[str, int]) -> None:
    analyst, viewer = web.client("analyst"), web.client("viewer")
    target = sources["Broken"]
    assert viewer.post(f"/sources/{target}/enabled", data={"enabled": "false"}).status_code == 403
    assert web.store.sources.get(target).enabled
    fragment = analyst.post(f"/sources/{target}/enabled", data={"enabled": "false"}, headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and fragment.text.strip().startswith(f'<tr id="source-{target}"')
    assert 'name="enabled" value="true"' in fragment.text and not web.store.sources.get(target).enabled
    back = analyst.post(f"/sources/{target}/enabled", data={"enabled": "true"})
    assert back.status_code == 303 and web.store.sources.get(target).enabled
    assert analyst.post("/sources/999999/enabled", data={"enabled": "true"}).status_code == 404
    assert analyst.post(f"/sources/{target}/enabled", data={"enabled": "maybe"}).status_code == 422


def test_json_api(web: WebServer, sources: dict[str, int]) -> None:
    analyst, viewer = web.client("analyst"), web.client("viewer")
    body = {"url": "https://scmp.example/rss", "name": "SCMP", "country": "HK", "lang": "en"}
    assert viewer.post("/api/sources", json=body).status_code == 403
    created = analyst.post("/api/sources", json=body)
    assert created.status_code == 201 and created.json()["country"] == "HK" and created.json()["healthy"]
    assert analyst.post("/api/sources", json=body).status_code == 409
    bad = analyst.post("/api/sources", json={**body, "url": "file:///etc/passwd"})
    assert bad.status_code == 422 and bad.json()["error"] == 422
    assert analyst.post("/api/sources", json={"name": "no url"}).status_code == 422
    patched = analyst.patch(f"/api/sources/{created.json()['id']}", json={"enabled": False})
    assert patched.status_code == 200 and patched.json()["enabled"] is False
    assert viewer.patch(f"/api/sources/{created.json()['id']}", json={"enabled": True}).status_code == 403
    assert analyst.patch("/api/sources/999999", json={"enabled": True}).status_code == 404
    listed = viewer.get("/api/sources").json()
    assert {s["name"] for s in listed} == {"VnExpress", "Broken", "Flaky", "SCMP"}
    imported = analyst.post("/api/sources/import", files={"file": ("nguon.opml", OPML, "text/x-opml")})
    assert imported.status_code == 200 and imported.json()["added"] == 2 and len(imported.json()["rejected"]) == 1


def test_default_sources_button(web: WebServer) -> None:
    analyst = web.client("analyst")
    page = analyst.get("/sources")
    assert 'action="/sources/defaults"' in page.text
    assert web.client("viewer").post("/sources/defaults").status_code == 403
    loaded = analyst.post("/sources/defaults")
    assert loaded.status_code == 303 and len(web.store.sources.all()) > 20


def test_a_long_list_is_shown_a_hundred_at_a_time(web: WebServer) -> None:
    web.store.sources.add(
        [SourceSpec(url=f"https://outlet{i:03d}.example/rss", name=f"Outlet {i:03d}") for i in range(130)]
    )
    client = web.client("viewer")
    first = client.get("/sources")
    assert first.status_code == 200
    assert len(re.findall(r'<tr id="source-\d+"', first.text)) == 100
    assert "offset=100" in first.text and "1–100 / 130" in first.text
    second = client.get("/sources?offset=100")
    rows = re.findall(r'<tr id="source-\d+"', second.text)
    assert len(rows) == 30 and "101–130 / 130" in second.text and "offset=0" in second.text
    shown = set(re.findall(r"Outlet \d{3}", first.text)) | set(re.findall(r"Outlet \d{3}", second.text))
    assert len(shown) == 130  # every source on one page or the other
    assert client.get("/sources?offset=-1").status_code == 422
