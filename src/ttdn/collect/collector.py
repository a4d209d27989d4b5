"""One collection pass: fetch each source, follow its entries to their pages, ingest them.

Errors never stop the pass: a source that fails is recorded in its health (reason, error
streak) and the fetch log; an entry whose page fails becomes a recorded rejection and is
tried again on the next pass, because only stored articles count as known.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta

from ttdn.collect.extract import extract_article
from ttdn.collect.fetcher import Fetcher, FetchResult
from ttdn.errors import Retry, TTDNError
from ttdn.pipeline.fingerprint import canonical_url
from ttdn.pipeline.topology import ingest
from ttdn.records import RawArticle, Rejection
from ttdn.settings import Settings
from ttdn.sources.feeds import FeedEntry, parse_feed, parse_sitemap
from ttdn.store import SourceRecord, Store

__all__ = ["CollectSummary", "SourceOutcome", "collect", "collect_source"]

logger = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(hours=24)
MAX_CHILD_SITEMAPS = 5


@dataclass(slots=True)
class SourceOutcome:
    source_id: int
    name: str
    stored: int = 0
    duplicates: int = 0
    rejected: int = 0
    not_modified: bool = False
    error: str | None = None


@dataclass(slots=True)
class CollectSummary:
    run_id: str
    sources: list[SourceOutcome] = field(default_factory=list)

    @property
    def stored(self) -> int:
        return sum(s.stored for s in self.sources)

    @property
    def failed(self) -> int:
        return sum(1 for s in self.sources if s.error)

    def as_dict(self) -> dict[str, object]:
        return {
            "run_id": self.run_id,
            "sources": len(self.sources),
            "failed_sources": self.failed,
            "stored": self.stored,
            "duplicates": sum(s.duplicates for s in self.sources),
            "rejected": sum(s.rejected for s in self.sources),
        }


def collect(
    sources: Sequence[SourceRecord],
    store: Store,
    settings: Settings,
    *,
    fetcher: Fetcher | None = None,
    workers: int = 4,
    on_source_done: Callable[[SourceOutcome], None] | None = None,
) -> CollectSummary:
    """Collect ``sources`` (several hosts at once; each host politely, one request at a time)."""
    summary = CollectSummary(run_id=uuid.uuid4().hex)
    own_fetcher = fetcher is None
    fetcher = fetcher or Fetcher(settings)
    try:
        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            for outcome in pool.map(lambda s: collect_source(s, store, settings, fetcher, summary.run_id), sources):
                summary.sources.append(outcome)
                if on_source_done is not None:
                    on_source_done(outcome)
    finally:
        if own_fetcher:
            fetcher.close()
    return summary


def collect_source(
    source: SourceRecord, store: Store, settings: Settings, fetcher: Fetcher, run_id: str
) -> SourceOutcome:
    outcome = SourceOutcome(source_id=source.id, name=source.name)
    try:
        result = _fetch_logged(fetcher, store, source.id, source.url, source.etag, source.last_modified)
        if result.not_modified:
            outcome.not_modified = True
            store.sources.record_success(source.id, 0)
            return outcome
        entries = _entries(source, result, fetcher, store)
    except TTDNError as exc:
        outcome.error = f"{exc.kind}: {exc.reason}"
        store.sources.record_error(source.id, exc, backoff=_backoff(source, exc))
        return outcome
    except Exception as exc:  # a bug must not stop the other sources; it is recorded
        logger.exception("collecting %s failed", source.url)
        outcome.error = f"internal: {exc!r}"
        store.sources.record_error(source.id, TTDNError(f"internal error: {exc!r}"))
        return outcome

    known = store.articles.existing_url_keys(filter(None, (canonical_url(e.url) for e in entries)))
    todo = [e for e in entries if canonical_url(e.url) not in known][: settings.max_items_per_source]
    if source.kind == "page":
        items: Iterator[RawArticle | Rejection] = iter([_page_article(source, result, None)])
    else:
        items = (_follow(entry, source, fetcher, store) for entry in todo)
    summary = ingest(items, store, settings, run_id=run_id, source_id=source.id, batch_size=20)
    outcome.stored = summary.stored
    outcome.duplicates = summary.exact_duplicates + summary.near_duplicates
    outcome.rejected = summary.rejected
    store.sources.record_success(source.id, summary.stored, etag=result.etag, last_modified=result.last_modified)
    return outcome


def _fetch_logged(
    fetcher: Fetcher,
    store: Store,
    source_id: int,
    url: str,
    etag: str | None = None,
    last_modified: str | None = None,
) -> FetchResult:
    try:
        result = fetcher.fetch(url, etag=etag, last_modified=last_modified)
    except TTDNError as exc:
        store.sources.log_fetch(url, exc.kind, source_id=source_id, reason=exc.reason)
        raise
    store.sources.log_fetch(
        url,
        "not_modified" if result.not_modified else "ok",
        source_id=source_id,
        status=result.status,
        size=len(result.content),
        elapsed_ms=result.elapsed_ms,
    )
    return result


def _entries(source: SourceRecord, result: FetchResult, fetcher: Fetcher, store: Store) -> list[FeedEntry]:
    if source.kind == "page":
        return [FeedEntry(url=result.url, title="", summary="", published_at=None, authors=[], lang=None)]
    if source.kind == "sitemap":
        entries = parse_sitemap(result.content, result.url)
        children = [e for e in entries if e.is_sitemap_index]
        pages = [e for e in entries if not e.is_sitemap_index]
        for child in children[:MAX_CHILD_SITEMAPS]:
            child_result = _fetch_logged(fetcher, store, source.id, child.url)
            pages.extend(e for e in parse_sitemap(child_result.content, child_result.url) if not e.is_sitemap_index)
        return pages
    feed_lang, entries = parse_feed(result.content, result.url, charset=result.charset)
    for entry in entries:
        entry.lang = entry.lang or feed_lang
    return entries


def _follow(entry: FeedEntry, source: SourceRecord, fetcher: Fetcher, store: Store) -> RawArticle | Rejection:
    try:
        page = _fetch_logged(fetcher, store, source.id, entry.url)
        return _page_article(source, page, entry)
    except TTDNError as exc:
        return Rejection(origin=entry.url, reason=exc.reason, kind=exc.kind)


def _page_article(source: SourceRecord, page: FetchResult, entry: FeedEntry | None) -> RawArticle | Rejection:
    try:
        raw = extract_article(page.content, page.url, charset=page.charset, fallback=entry)
    except TTDNError as exc:
        return Rejection(origin=page.url, reason=exc.reason, kind=exc.kind)
    raw.source_id = source.id
    raw.source_name = source.name
    raw.lang_hint = raw.lang_hint or (entry.lang if entry else None) or source.lang
    if entry is not None:
        raw.published_at = raw.published_at or entry.published_at
    return raw


def _backoff(source: SourceRecord, exc: TTDNError) -> timedelta:
    """Wait longer after each failure in a row; honour Retry-After when the server gave one."""
    if isinstance(exc, Retry) and exc.retry_after:
        return timedelta(seconds=max(exc.retry_after, 60))
    minutes = source.cadence_minutes * (2 ** min(source.error_streak, 6))
    return min(timedelta(minutes=minutes), MAX_BACKOFF)
