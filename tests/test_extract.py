"""Article extraction from the recorded pages in every language (tests/fixtures/web/pages)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from ttdn import errors
from ttdn.collect.extract import FAST_THRESHOLD_BYTES, extract_article
from ttdn.collect.fetcher import Fetcher
from ttdn.settings import Settings
from ttdn.sources.feeds import FeedEntry, parse_feed

WEB = Path(__file__).parent / "fixtures" / "web"
HOST = "http://fixtures.ttdn.test"
ARTICLES: dict[str, dict[str, str]] = json.loads((WEB / "articles.json").read_text(encoding="utf-8"))


def first_paragraph(article_id: str) -> str:
    """The first body paragraph as written in the page."""
    page = (WEB / ARTICLES[article_id]["path"]).read_text(encoding="utf-8")
    start = page.index("      <p>", page.index('class="byline"')) + len("      <p>")
    return page[start : page.index("</p>", start)].replace("&#x27;", "'").replace("&amp;", "&")


@pytest.mark.parametrize("article_id", sorted(ARTICLES))
def test_pages_in_each_language_extract_fully(article_id: str) -> None:
    expected = ARTICLES[article_id]
    url = f"{HOST}/{expected['path']}"
    article = extract_article((WEB / expected["path"]).read_bytes(), url, charset="utf-8")
    assert article.title == expected["title"]
    assert article.published_at == datetime.fromisoformat(expected["published"]).astimezone(UTC)
    assert article.authors == [expected["author"]]
    assert article.lang_hint == expected["lang"]
    assert article.url == url and article.origin == url
    assert first_paragraph(article_id) in article.text
    assert "Fictional outlet" not in article.text and "Privacy" not in article.text  # boilerplate gone


def test_tracking_params_copy_is_an_exact_duplicate_with_the_canonical_url() -> None:
    path = ARTICLES["en-electronics"]["path"]
    body = (WEB / path).read_bytes()
    clean = extract_article(body, f"{HOST}/{path}")
    tracked = extract_article(body, f"{HOST}/{path}?utm_source=x&utm_medium=sitemap")
    assert tracked.text == clean.text
    assert tracked.url == clean.url == f"{HOST}/{path}"  # from <link rel=canonical>
    assert tracked.origin.endswith("utm_medium=sitemap")


def test_wire_copy_is_a_near_duplicate_with_another_headline() -> None:
    original = extract_article((WEB / ARTICLES["en-electronics"]["path"]).read_bytes(), HOST + "/a")
    wire = extract_article((WEB / ARTICLES["en-electronics-wire"]["path"]).read_bytes(), HOST + "/b")
    assert original.title != wire.title and original.text != wire.text
    ours = {line for line in original.text.splitlines() if len(line) > 80}
    theirs = {line for line in wire.text.splitlines() if len(line) > 80}
    assert len(ours & theirs) >= 3  # the same wire paragraphs
    assert "morning briefing" not in wire.text  # the republisher's promo box is boilerplate


def test_wrongly_declared_charset_still_gives_vietnamese() -> None:
    body = (WEB / "broken/wrong-charset.html").read_bytes()
    article = extract_article(body, HOST + "/broken/wrong-charset.html", charset="iso-8859-1")
    assert article.title == "Phố cổ Hội An lung linh đèn lồng đêm rằm"
    assert "thả hoa đăng trên sông Hoài" in article.text and "Ã" not in article.text
    assert article.lang_hint == "vi" and article.authors == ["Lê Thị Hoa"]


EMPTY_PAGE = b"<html><head><title>Video</title></head><body><nav><a href='/'>Home</a></nav></body></html>"


def test_page_without_text_falls_back_on_the_feed_entry() -> None:
    entry = FeedEntry(
        url="https://tv.example/v/1",
        title="Lễ hội pháo hoa Đà Nẵng",
        summary="Video: pháo hoa trên sông Hàn.",
        published_at=datetime(2025, 6, 1, tzinfo=UTC),
        authors=["Đài TH"],
        lang="vi",
    )
    article = extract_article(EMPTY_PAGE, entry.url, fallback=entry)
    assert article.text == "Video: pháo hoa trên sông Hàn."
    assert article.published_at == entry.published_at and article.authors == ["Đài TH"]
    assert article.lang_hint == "vi"


@pytest.mark.parametrize("body", [EMPTY_PAGE, b"", b"   \n"])
def test_page_without_text_and_no_fallback_is_bad_content(body: bytes) -> None:
    with pytest.raises(errors.BadContent, match="no article text"):
        extract_article(body, "https://tv.example/v/1")


def test_relative_canonical_resolves_and_javascript_canonical_is_ignored() -> None:
    page = (WEB / ARTICLES["en-hoian"]["path"]).read_text(encoding="utf-8")
    relative = page.replace(f'href="{HOST}/pages/en/hoi-an-lanterns.html"', 'href="/culture/lanterns"')
    article = extract_article(relative.encode(), "https://news.example/x?utm_source=y")
    assert article.url == "https://news.example/culture/lanterns"
    hostile = page.replace(f"{HOST}/pages/en/hoi-an-lanterns.html", "javascript:alert(1)")
    assert extract_article(hostile.encode(), "https://news.example/x").url == "https://news.example/x"


def test_heavy_page_uses_the_fast_path_and_still_extracts() -> None:
    page = (WEB / ARTICLES["vi-halong"]["path"]).read_text(encoding="utf-8")
    padding = "<script>var x = '" + "a" * (FAST_THRESHOLD_BYTES + 1000) + "';</script>"
    heavy = page.replace("</body>", padding + "</body>").encode()
    assert len(heavy) > FAST_THRESHOLD_BYTES
    article = extract_article(heavy, f"{HOST}/{ARTICLES['vi-halong']['path']}")
    assert first_paragraph("vi-halong") in article.text and "aaaa" not in article.text


def test_feed_to_article_over_the_wire(fixture_server: Any) -> None:
    settings = Settings(_env_file=None, host_delay=0, retry_max_wait=0.1)  # type: ignore[call-arg]
    by_title = {a["title"]: a for a in ARTICLES.values()}
    seen_langs = set()
    with Fetcher(settings) as fetcher:
        for feed in ["feeds/vi.rss", "feeds/en.atom", "feeds/fr.json", "feeds/zh.rdf", "feeds/ru.rss"]:
            result = fetcher.fetch(fixture_server.url(feed))
            _, entries = parse_feed(result.content, result.url, charset=result.charset)
            for entry in entries:
                page = fetcher.fetch(entry.url)
                article = extract_article(page.content, page.url, charset=page.charset, fallback=entry)
                assert article.url == entry.url  # canonical, rewritten to the live server
                assert by_title[article.title]["author"] == article.authors[0]
                seen_langs.add(article.lang_hint)
    assert seen_langs == {"vi", "en", "fr", "zh", "ru"}
