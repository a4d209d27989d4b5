"""Feeds and sitemaps in several languages and formats, recorded under tests/fixtures/web/."""

from __future__ import annotations

import gzip
import json
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from ttdn import errors
from ttdn.collect.fetcher import Fetcher
from ttdn.settings import Settings
from ttdn.sources.feeds import FeedEntry, detect_feed_kind, parse_feed, parse_sitemap

WEB = Path(__file__).parent / "fixtures" / "web"
HOST = "http://fixtures.ttdn.test"
ARTICLES: dict[str, dict[str, str]] = json.loads((WEB / "articles.json").read_text(encoding="utf-8"))

FEEDS = [
    # file, kind, feed language, article ids in order
    ("feeds/vi.rss", "rss", "vi", ["vi-coffee", "vi-halong"]),
    ("feeds/en.atom", "atom", "en", ["en-electronics", "en-hoian"]),
    ("feeds/fr.json", "jsonfeed", "fr", ["fr-eastsea", "fr-sapa"]),
    ("feeds/zh.rdf", "rss", "zh", ["zh-durian", "zh-danang"]),
    ("feeds/ru.rss", "rss", "ru", ["ru-nhatrang", "ru-tet"]),  # windows-1251
]


def utc(iso: str) -> datetime:
    return datetime.fromisoformat(iso).astimezone(UTC)


@pytest.mark.parametrize(("path", "kind", "lang", "ids"), FEEDS, ids=[f[0] for f in FEEDS])
def test_feeds_in_each_language_parse_to_their_entries(path: str, kind: str, lang: str, ids: list[str]) -> None:
    content = (WEB / path).read_bytes()
    assert detect_feed_kind(content) == kind
    feed_lang, entries = parse_feed(content, f"{HOST}/{path}")
    assert feed_lang == lang
    assert [e.url for e in entries] == [f"{HOST}/{ARTICLES[i]['path']}" for i in ids]
    for entry, article_id in zip(entries, ids, strict=True):
        expected = ARTICLES[article_id]
        assert entry.title == expected["title"]
        assert entry.summary == expected["summary"]  # HTML stripped, entities decoded
        assert entry.authors == [expected["author"]]
        assert entry.published_at == utc(expected["published"])
        assert entry.published_at is not None and entry.published_at.tzinfo is UTC
        assert entry.lang == lang and not entry.is_sitemap_index


def test_relative_links_resolve_against_the_feed_url() -> None:
    content = (WEB / "feeds/vi.rss").read_bytes()
    assert b"<link>/pages/vi/" in content  # the recorded feed really has relative links
    _, entries = parse_feed(content, "https://mirror.example/rss/vi.rss")
    assert entries[0].url == "https://mirror.example/pages/vi/xuat-khau-ca-phe.html"


def test_header_charset_is_passed_on_and_the_document_wins_when_right() -> None:
    content = (WEB / "feeds/ru.rss").read_bytes()
    _, entries = parse_feed(content, f"{HOST}/feeds/ru.rss", charset="windows-1251")
    assert entries[0].title == "Нячанг снова ждёт российских туристов"


def test_empty_but_valid_feed_gives_no_entries() -> None:
    assert parse_feed((WEB / "feeds/empty.rss").read_bytes(), f"{HOST}/feeds/empty.rss") == (None, [])


def test_invalid_xml_feed_is_bad_content_with_the_parser_reason() -> None:
    with pytest.raises(errors.BadContent, match=r"invalid feed: .*not well-formed"):
        parse_feed((WEB / "broken/invalid.xml").read_bytes(), f"{HOST}/broken/invalid.xml")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"<!DOCTYPE html><html><body>hi</body></html>", "HTML page"),
        (b"<?xml version='1.0'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'/>", "sitemap"),
        (b"plain words, nothing else", "invalid feed"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": [', "invalid JSON Feed"),
    ],
)
def test_things_that_are_not_feeds_are_bad_content(content: bytes, reason: str) -> None:
    with pytest.raises(errors.BadContent, match=reason):
        parse_feed(content, "http://site.example/feed")


def test_json_feed_1_0_with_single_author_and_relative_urls() -> None:
    feed = {
        "version": "https://jsonfeed.org/version/1",
        "title": "Tin nhanh",
        "home_page_url": "https://tin.example/",
        "author": {"name": "Ban biên tập"},
        "items": [
            {"id": "1", "url": "/bai/1", "title": "Một", "content_html": "<p>A &amp; <b>B</b></p>"},
            {"id": "2", "external_url": "https://other.example/x", "title": "Hai", "content_text": "C"},
            {"id": "3", "title": "No link at all", "content_text": "kept out"},
        ],
    }
    lang, entries = parse_feed(json.dumps(feed).encode(), "https://tin.example/feed.json")
    assert lang is None
    assert [e.url for e in entries] == ["https://tin.example/bai/1", "https://other.example/x"]
    assert entries[0].summary == "A & B"
    assert entries[0].authors == ["Ban biên tập"]
    assert entries[0].published_at is None


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (b"\xef\xbb\xbf<?xml version='1.0'?>\n<!-- c -->\n<rss version='2.0'/>", "rss"),
        (b"<feed xmlns='http://www.w3.org/2005/Atom'/>", "atom"),
        (b"<?xml version='1.0'?><sitemapindex/>", "sitemap"),
        (b"  <html lang='vi'><body/></html>", "html"),
        (b'{"title": "not a feed"}', "unknown"),
        (b"%PDF-1.4", "unknown"),
    ],
)
def test_detect_feed_kind(content: bytes, kind: str) -> None:
    assert detect_feed_kind(content) == kind


# -- sitemaps -------------------------------------------------------------------------------
def test_news_sitemap_gives_titles_dates_and_languages() -> None:
    entries = parse_sitemap((WEB / "sitemaps/news.xml").read_bytes(), f"{HOST}/sitemaps/news.xml")
    wire, tracked, coffee = entries
    assert wire.url == f"{HOST}/{ARTICLES['en-electronics-wire']['path']}"
    assert wire.title == ARTICLES["en-electronics-wire"]["title"] and wire.lang == "en"
    assert tracked.url.endswith("vietnam-electronics-exports.html?utm_source=x&utm_medium=sitemap")
    assert coffee.lang == "vi" and coffee.published_at == utc(ARTICLES["vi-coffee"]["published"])
    assert not any(e.is_sitemap_index for e in entries)


def test_plain_sitemap_uses_lastmod_dates() -> None:
    entries = parse_sitemap((WEB / "sitemaps/pages.xml").read_bytes(), f"{HOST}/sitemaps/pages.xml")
    assert [e.title for e in entries] == ["", "", ""]
    assert entries[0].published_at == datetime(2025, 9, 3, tzinfo=UTC)


def test_sitemap_index_lists_child_sitemaps() -> None:
    entries = parse_sitemap((WEB / "sitemaps/index.xml").read_bytes(), "https://m.example/sitemaps/index.xml")
    assert [e.url for e in entries] == [f"{HOST}/sitemaps/news.xml", "https://m.example/sitemaps/pages.xml"]
    assert all(e.is_sitemap_index and e.title == "" for e in entries)


def test_gzipped_sitemap() -> None:
    plain = (WEB / "sitemaps/news.xml").read_bytes()
    assert parse_sitemap(gzip.compress(plain), HOST) == parse_sitemap(plain, HOST)


def test_billion_laughs_sitemap_does_not_expand() -> None:
    started = time.monotonic()
    try:
        entries = parse_sitemap((WEB / "broken/billion-laughs.xml").read_bytes(), HOST)
    except errors.BadContent:
        entries = []
    assert time.monotonic() - started < 2
    assert all(e.published_at is None for e in entries)


def test_external_entities_are_not_loaded(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("2025-01-01")
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY xxe SYSTEM "file://{secret}">]>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<url><loc>https://s.example/a</loc><lastmod>&xxe;</lastmod></url></urlset>"
    ).encode()
    (entry,) = parse_sitemap(xml, "https://s.example/")
    assert entry.published_at is None  # the file's date was never read


@pytest.mark.parametrize(
    ("content", "reason"),
    [(b"<rss version='2.0'><channel/></rss>", "not a sitemap: root element <rss>"), (b"<urlset", "invalid")],
)
def test_not_a_sitemap_is_bad_content(content: bytes, reason: str) -> None:
    with pytest.raises(errors.BadContent, match=reason):
        parse_sitemap(content, HOST)


# -- over the wire ----------------------------------------------------------------------------
def test_feeds_fetched_from_the_server_link_to_live_pages(fixture_server: Any) -> None:
    settings = Settings(_env_file=None, host_delay=0, retry_max_wait=0.1)  # type: ignore[call-arg]
    with Fetcher(settings) as fetcher:
        for path, _kind, lang, ids in FEEDS:
            result = fetcher.fetch(fixture_server.url(path))
            feed_lang, entries = parse_feed(result.content, result.url, charset=result.charset)
            assert feed_lang == lang and len(entries) == len(ids)
            for entry in entries:
                assert entry.url.startswith(fixture_server.base)
                assert fetcher.fetch(entry.url).status == 200
        index = fetcher.fetch(fixture_server.url("/sitemaps/index.xml"))
        children = parse_sitemap(index.content, index.url)
        found: list[FeedEntry] = []
        for child in children:
            sitemap = fetcher.fetch(child.url)
            found += parse_sitemap(sitemap.content, sitemap.url)
    assert len(found) == 6 and not any(e.is_sitemap_index for e in found)
