"""Feeds and sitemaps → ``FeedEntry`` records (links to articles, with what the feed says).

- ``parse_feed``: RSS 0.9x/1.0/2.0 and Atom (feedparser), JSON Feed 1.0/1.1 (here).
- ``parse_sitemap``: ``<urlset>`` (plain or Google News) and ``<sitemapindex>``. Entries from
  an index have ``is_sitemap_index=True``: their ``url`` is a child sitemap to fetch and
  parse in turn, not an article.
- ``detect_feed_kind``: sniff what a body is before choosing a parser.

Sitemaps are parsed with lxml without entity expansion, DTD loading or network access, so
a billion-laughs document or an external entity cannot blow up or leak.
"""

from __future__ import annotations

import calendar
import html
import io
import json
import logging
import re
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser
from lxml import etree

from ttdn import errors

__all__ = [
    "FeedEntry",
    "detect_feed_kind",
    "parse_feed",
    "parse_sitemap",
]

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())

MAX_SITEMAP_BYTES = 50_000_000  # the sitemap protocol's own limit, uncompressed
_TAG = re.compile(r"<([A-Za-z_][\w.:-]*)")
_SKIP_PROLOG = re.compile(r"^(\s|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(\[.*?\])?\s*>)*", re.S | re.I)
_HTML_TAG = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"\s+")


@dataclass(slots=True)
class FeedEntry:
    """One link a feed or sitemap gives, with what it says about it."""

    url: str
    title: str = ""
    summary: str = ""  # plain text (HTML stripped)
    published_at: datetime | None = None  # tz-aware UTC
    authors: list[str] = field(default_factory=list)
    lang: str | None = None  # ISO 639-1 primary subtag, lower case ("vi", "zh")
    is_sitemap_index: bool = False  # True: ``url`` is a child sitemap, not an article


# -- helpers -------------------------------------------------------------------------------
def _lang(value: object) -> str | None:
    """``vi-VN`` → ``vi``; ``None`` or junk → None."""
    if not isinstance(value, str):
        return None
    primary = value.strip().replace("_", "-").split("-")[0].lower()
    return primary if primary.isalpha() and 2 <= len(primary) <= 3 else None


def _text(value: object) -> str:
    """HTML or plain text → one line of plain text."""
    if not isinstance(value, str) or not value:
        return ""
    return _SPACES.sub(" ", html.unescape(_HTML_TAG.sub(" ", value))).strip()


def _http_url(value: object, base_url: str) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    url = urljoin(base_url, value.strip())
    return url if urlsplit(url).scheme in ("http", "https") else None


def parse_datetime(value: object) -> datetime | None:
    """ISO 8601 / W3C datetime → tz-aware UTC; a naive value is taken as UTC."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC)


def detect_feed_kind(content: bytes) -> str:
    """``rss`` | ``atom`` | ``jsonfeed`` | ``sitemap`` | ``html`` | ``unknown`` from the first bytes."""
    head = content[:8192]
    if head.startswith(b"\x1f\x8b"):
        return "sitemap"  # gzip: sitemaps are the only compressed documents sources give us
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", errors="ignore")
    else:
        text = head.decode("latin-1")
    text = text.lstrip("\ufeffï»¿ \t\r\n")
    if text.startswith("{"):
        return "jsonfeed" if "jsonfeed.org/version" in text else "unknown"
    if re.match(r"<!doctype\s+html", text, re.I):
        return "html"
    rest = _SKIP_PROLOG.sub("", text, count=1)
    match = _TAG.match(rest)
    if not match:
        return "unknown"
    name = match.group(1).lower().split(":")[-1]
    return {
        "rss": "rss",
        "rdf": "rss",
        "feed": "atom",
        "urlset": "sitemap",
        "sitemapindex": "sitemap",
        "html": "html",
    }.get(name, "unknown")


# -- feeds ---------------------------------------------------------------------------------
def parse_feed(content: bytes, base_url: str, *, charset: str | None = None) -> tuple[str | None, list[FeedEntry]]:
    """Parse RSS, Atom or JSON Feed. Returns (feed language, entries).

    ``charset`` is the one the HTTP header declared; the document's own declaration and
    feedparser's detection still apply. A valid feed with no entries gives ``[]``; a body
    that is not a feed at all raises ``errors.BadContent``. Entries without an http(s)
    link are left out (and logged): there is nothing to fetch.
    """
    kind = detect_feed_kind(content)
    if kind == "jsonfeed":
        return _parse_json_feed(content, base_url)
    if kind == "html":
        raise errors.BadContent("not a feed: an HTML page")
    if kind == "sitemap":
        raise errors.BadContent("not a feed: a sitemap (use parse_sitemap)")
    # feedparser flags a body without a Content-Type as bozo; the caller checked the type
    ctype = f"application/xml; charset={charset}" if charset else "application/xml"
    headers = {"content-location": base_url, "content-type": ctype}
    parsed = feedparser.parse(io.BytesIO(content), response_headers=headers, sanitize_html=True)
    if not parsed.entries and (parsed.bozo or not parsed.version):
        reason = parsed.get("bozo_exception") or "no RSS/Atom root element"
        raise errors.BadContent(f"invalid feed: {reason}")
    if parsed.bozo:
        log.debug("feed %s parsed with a problem: %s", base_url, parsed.get("bozo_exception"))
    feed_lang = _lang(parsed.feed.get("language"))
    entries: list[FeedEntry] = []
    for item in parsed.entries:
        entry = _feedparser_entry(item, base_url, feed_lang)
        if entry is None:
            log.info("feed %s: entry without an http(s) link left out: %r", base_url, item.get("title"))
            continue
        entries.append(entry)
    return feed_lang, entries


def _feedparser_entry(item: Any, base_url: str, feed_lang: str | None) -> FeedEntry | None:
    url = _http_url(item.get("link"), base_url)
    if url is None:
        for link in item.get("links", []):
            if link.get("rel", "alternate") == "alternate":
                url = _http_url(link.get("href"), base_url)
                if url:
                    break
    if url is None and item.get("guidislink", True):
        url = _http_url(item.get("id"), base_url)
    if url is None:
        return None
    stamp = item.get("published_parsed") or item.get("updated_parsed")
    published = datetime.fromtimestamp(calendar.timegm(stamp), UTC) if stamp else None
    authors = [a.get("name") or a.get("email") or "" for a in item.get("authors", [])]
    authors = [_text(a) for a in authors if a]
    if not authors and item.get("author"):
        authors = [_text(item["author"])]
    title_detail = item.get("title_detail") or {}
    summary = item.get("summary") or ""
    if not summary and item.get("content"):
        summary = item["content"][0].get("value", "")
    return FeedEntry(
        url=url,
        title=_text(item.get("title")),
        summary=_text(summary),
        published_at=published,
        authors=authors,
        lang=_lang(title_detail.get("language")) or feed_lang,
    )


def _parse_json_feed(content: bytes, base_url: str) -> tuple[str | None, list[FeedEntry]]:
    try:
        data = json.loads(content)
    except (ValueError, UnicodeDecodeError) as exc:
        raise errors.BadContent(f"invalid JSON Feed: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("items", []), list):
        raise errors.BadContent("invalid JSON Feed: no items list")
    feed_lang = _lang(data.get("language"))
    feed_authors = _json_authors(data)
    home = data.get("home_page_url") if isinstance(data.get("home_page_url"), str) else None
    base = urljoin(base_url, home) if home else base_url
    entries: list[FeedEntry] = []
    for item in data.get("items", []):
        if not isinstance(item, dict):
            continue
        url = _http_url(item.get("url"), base) or _http_url(item.get("external_url"), base)
        if url is None:
            log.info("feed %s: item without an http(s) url left out: %r", base_url, item.get("id"))
            continue
        summary = item.get("summary") or item.get("content_text") or _text(item.get("content_html"))
        entries.append(
            FeedEntry(
                url=url,
                title=_text(item.get("title")),
                summary=_text(summary),
                published_at=parse_datetime(item.get("date_published")) or parse_datetime(item.get("date_modified")),
                authors=_json_authors(item) or feed_authors,
                lang=_lang(item.get("language")) or feed_lang,
            )
        )
    return feed_lang, entries


def _json_authors(obj: dict[str, Any]) -> list[str]:
    people = obj.get("authors")  # 1.1
    if not isinstance(people, list):
        people = [obj["author"]] if isinstance(obj.get("author"), dict) else []  # 1.0
    return [_text(p["name"]) for p in people if isinstance(p, dict) and isinstance(p.get("name"), str)]


# -- sitemaps ------------------------------------------------------------------------------
def _safe_parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=False)


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child_text(el: etree._Element, *path: str) -> str:
    """Text of the first descendant following ``path`` (local names), or ""."""
    current = [el]
    for name in path:
        current = [c for parent in current for c in parent if _local(c.tag) == name]
        if not current:
            return ""
    return (current[0].text or "").strip()


def _gunzip(content: bytes, limit: int) -> bytes:
    z = zlib.decompressobj(zlib.MAX_WBITS | 16)
    try:
        out = z.decompress(content, limit + 1)
    except zlib.error as exc:
        raise errors.BadContent(f"corrupt gzip sitemap: {exc}") from exc
    if len(out) > limit:
        raise errors.TooLarge(f"sitemap larger than {limit} bytes after decompression")
    return out


def parse_sitemap(content: bytes, base_url: str) -> list[FeedEntry]:
    """Parse a sitemap (plain, Google News, or an index; gzip accepted).

    Article entries get ``title``/``published_at``/``lang`` from ``<news:news>`` when
    present, else ``published_at`` from ``<lastmod>``. Index entries have
    ``is_sitemap_index=True`` and ``title=""``.
    """
    if content[:2] == b"\x1f\x8b":
        content = _gunzip(content, MAX_SITEMAP_BYTES)
    try:
        root = etree.fromstring(content, parser=_safe_parser())
    except etree.XMLSyntaxError as exc:
        raise errors.BadContent(f"invalid sitemap XML: {exc}") from exc
    kind = _local(root.tag)
    if kind not in ("urlset", "sitemapindex"):
        raise errors.BadContent(f"not a sitemap: root element <{kind or root.tag}>")
    entries: list[FeedEntry] = []
    child_name = "url" if kind == "urlset" else "sitemap"
    for node in root:
        if _local(node.tag) != child_name:
            continue
        url = _http_url(_child_text(node, "loc"), base_url)
        if url is None:
            continue
        lastmod = parse_datetime(_child_text(node, "lastmod"))
        if kind == "sitemapindex":
            entries.append(FeedEntry(url=url, published_at=lastmod, is_sitemap_index=True))
            continue
        entries.append(
            FeedEntry(
                url=url,
                title=_text(_child_text(node, "news", "title")),
                published_at=parse_datetime(_child_text(node, "news", "publication_date")) or lastmod,
                lang=_lang(_child_text(node, "news", "publication", "language")),
            )
        )
    return entries
