"""A fetched page → ``RawArticle`` (title, main text, date, authors, language hint, URL).

trafilatura finds the main text (comments left out). The page's own declarations are read
first because they are exact where trafilatura guesses: ``<html lang>``, the canonical link,
``article:published_time`` with its time of day and zone. A page without article text falls
back on what the feed said about it; with no feed entry it is quarantined (BadContent).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import trafilatura
from lxml import html as lxml_html
from trafilatura.utils import load_html

from ttdn import errors
from ttdn.records import RawArticle
from ttdn.sources.feeds import FeedEntry, parse_datetime
from ttdn.text.charset import decode_body

__all__ = ["FAST_THRESHOLD_BYTES", "MIN_TEXT_CHARS", "extract_article"]

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())

FAST_THRESHOLD_BYTES = 1_000_000  # above this, trafilatura skips its slower fallbacks
MIN_TEXT_CHARS = 20  # less than this is a menu or a caption ("Home"), not an article

_DATE_XPATHS = (
    "//meta[@property='article:published_time']/@content",
    "//meta[@itemprop='datePublished']/@content",
    "//meta[@name='pubdate' or @name='publishdate' or @name='date' or @name='DC.date.issued'"
    " or @name='dc.date' or @name='parsely-pub-date']/@content",
    "//article//time[@datetime]/@datetime",
    "//time[@datetime]/@datetime",
)


def _first(tree: lxml_html.HtmlElement, xpath: str) -> str:
    for value in tree.xpath(xpath):
        text = str(value).strip()
        if text:
            return text
    return ""


def _lang(value: str | None) -> str | None:
    if not value:
        return None
    primary = value.strip().replace("_", "-").split("-")[0].lower()
    return primary if primary.isalpha() and 2 <= len(primary) <= 3 else None


@dataclass(slots=True)
class _PageFacts:
    """What the page declares about itself, read before trafilatura cleans the tree."""

    url: str
    published: datetime | None = None
    lang: str | None = None
    authors: list[str] = field(default_factory=list)
    title: str = ""


def _page_facts(tree: lxml_html.HtmlElement, url: str) -> _PageFacts:
    canonical = _first(tree, "//link[translate(@rel,'CANONICAL','canonical')='canonical']/@href")
    canonical = canonical or _first(tree, "//meta[@property='og:url']/@content")
    canonical_url = urljoin(url, canonical) if canonical else url
    if urlsplit(canonical_url).scheme not in ("http", "https"):
        canonical_url = url
    published: datetime | None = None
    for xpath in _DATE_XPATHS:
        published = parse_datetime(_first(tree, xpath))
        if published:
            break
    lang = (
        _lang(_first(tree, "/html/@lang | /html/@xml:lang"))
        or _lang(
            _first(
                tree,
                "//meta[translate(@http-equiv,'CONTENTLANGUAGE','contentlanguage')='content-language']/@content",
            )
        )
        or _lang(_first(tree, "//meta[@property='og:locale']/@content"))
    )
    authors = [str(a).strip() for a in tree.xpath("//meta[@name='author']/@content") if str(a).strip()]
    title = _first(tree, "//meta[@property='og:title']/@content")
    return _PageFacts(canonical_url, published, lang, authors, title)


def _split_authors(value: str | None) -> list[str]:
    if not value:
        return []
    return [part.strip() for part in value.split(";") if part.strip()]


def _date_only(value: str | None) -> datetime | None:
    """trafilatura gives ``YYYY-MM-DD``: midnight UTC of that day."""
    if not value:
        return None
    try:
        return datetime.strptime(value[:10], "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        return None


def extract_article(
    body: bytes,
    url: str,
    *,
    charset: str | None = None,
    fallback: FeedEntry | None = None,
) -> RawArticle:
    """Extract the article in ``body`` (fetched from ``url``).

    ``charset`` is the one the HTTP header declared (it may be wrong; ``decode_body``
    checks). ``fallback`` is the feed entry that pointed here: its title and summary stand
    in when the page has no extractable text (under ``MIN_TEXT_CHARS``), its date and authors fill gaps.
    Raises ``errors.BadContent`` when there is no text at all.
    """
    text_html, _encoding = decode_body(body, charset)
    tree = load_html(text_html) if text_html.strip() else None
    facts = _page_facts(tree, url) if tree is not None else _PageFacts(url)
    doc = None
    if tree is not None:
        try:
            doc = trafilatura.bare_extraction(
                tree,
                url=url,
                with_metadata=True,
                include_comments=False,
                include_tables=True,
                fast=len(body) > FAST_THRESHOLD_BYTES,
                deduplicate=False,
            )
        except Exception as exc:  # trafilatura on hostile markup: quarantine, don't crash
            raise errors.BadContent(f"extraction failed: {type(exc).__name__}: {exc}") from exc

    text = (getattr(doc, "text", None) or "").strip()
    if len(text) < MIN_TEXT_CHARS:
        text = ""
    title = (getattr(doc, "title", None) or facts.title).strip()
    published = facts.published or _date_only(getattr(doc, "date", None))
    authors = facts.authors or _split_authors(getattr(doc, "author", None))
    lang = facts.lang or _lang(getattr(doc, "language", None))

    if fallback is not None:
        title = title or fallback.title
        published = published or fallback.published_at
        authors = authors or list(fallback.authors)
        lang = lang or fallback.lang
        if not text:
            log.info("no article text in %s; using the feed's summary", url)
            text = fallback.summary.strip()
    if not text:
        raise errors.BadContent(f"no article text: {url}")
    return RawArticle(
        url=facts.url,
        title=title,
        text=text,
        published_at=published,
        lang_hint=lang,
        authors=authors,
        origin=url,
    )
