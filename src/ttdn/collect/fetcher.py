"""Polite, bounded HTTP fetching: one ``Fetcher`` per run, shared by all sources.

Every request goes through the same rules::

    fetch(url)
     ├── only http(s)                        → FetchRefused (no network touched)
     ├── robots.txt of the host (cached)     → FetchRefused "robots.txt disallows …"
     ├── wait for the host (host_delay or Crawl-delay, whichever is larger)
     ├── GET with If-None-Match / If-Modified-Since; 304 → FetchResult(not_modified=True)
     ├── redirects followed by hand (each hop checked again) → FetchFailed "too many redirects"
     ├── body streamed and decompressed here, counted after decompression → TooLarge
     ├── total wall-clock deadline while streaming → Retry "total timeout" (not retried in this call)
     └── transient failures (timeouts, connection errors, 408, 429, 5xx) tried again with
         backoff (Retry-After honoured up to retry_max_wait); when tries run out → Retry

Permanent HTTP failures (other 4xx) raise FetchFailed. Decompression is done here, not by
httpx, so that a gzip bomb never inflates more than ``max_response_bytes`` in memory.
"""

from __future__ import annotations

import logging
import random
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from types import TracebackType
from urllib.parse import urljoin, urlsplit

import httpx
import tenacity

from ttdn import errors
from ttdn.collect.robots import RobotsCache, host_key
from ttdn.settings import Settings

__all__ = ["FetchResult", "Fetcher", "check_url"]

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())

REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
TRANSIENT_CODES = frozenset({408, 429, 500, 502, 503, 504})
ACCEPT_ENCODING = "gzip, deflate"  # only what _Decoder below can undo with a size bound


@dataclass(slots=True)
class FetchResult:
    """One successful fetch (2xx or 304)."""

    url: str  # final URL after redirects
    status: int
    content: bytes  # decompressed body; b"" when not_modified
    headers: dict[str, str]  # lower-case keys
    charset: str | None  # from Content-Type, as declared (may be wrong)
    etag: str | None
    last_modified: str | None
    not_modified: bool
    elapsed_ms: int  # from sending the last request to the end of its body
    attempts: int  # tries used, 1 when the first one worked


class _Transient(Exception):
    """Inside ``fetch`` only: this try failed in a way worth trying again at once."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


def check_url(url: str) -> str:
    """Return ``url`` if it is an absolute http(s) URL with a host, else raise FetchRefused."""
    if not isinstance(url, str) or not url.strip():
        raise errors.FetchRefused(f"not a URL: {url!r}")
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
        _ = parts.port  # raises ValueError on a bad port
    except ValueError as exc:
        raise errors.FetchRefused(f"malformed URL {url!r}: {exc}") from exc
    if parts.scheme.lower() not in ("http", "https"):
        scheme = parts.scheme or "no scheme"
        raise errors.FetchRefused(f"only http(s) URLs are fetched, not {scheme}: {url!r}")
    if not host:
        raise errors.FetchRefused(f"malformed URL {url!r}: no host")
    return url.strip()


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    current = time.time() if now is None else now
    return max(0.0, when.timestamp() - current)


class _Decoder:
    """Undo Content-Encoding chunk by chunk, never producing more than ``limit`` bytes."""

    def __init__(self, encoding: str, limit: int) -> None:
        self.limit = limit
        self.total = 0
        self.encoding = encoding
        self._raw_deflate_tried = False
        if encoding in ("", "identity"):
            self._z = None
        elif encoding in ("gzip", "x-gzip"):
            self._z = zlib.decompressobj(zlib.MAX_WBITS | 16)
        elif encoding == "deflate":
            self._z = zlib.decompressobj()
        else:
            raise errors.BadContent(f"unsupported Content-Encoding {encoding!r}")

    def _count(self, data: bytes) -> bytes:
        self.total += len(data)
        if self.total > self.limit:
            raise errors.TooLarge(f"body larger than {self.limit} bytes after decompression")
        return data

    def feed(self, chunk: bytes) -> bytes:
        if self._z is None:
            return self._count(chunk)
        room = self.limit - self.total + 1  # one byte more than allowed proves "too large"
        try:
            out = self._z.decompress(chunk, room)
        except zlib.error as exc:
            if self.encoding == "deflate" and not self._raw_deflate_tried and self.total == 0:
                # some servers send raw deflate without the zlib header
                self._raw_deflate_tried = True
                self._z = zlib.decompressobj(-zlib.MAX_WBITS)
                return self.feed(chunk)
            raise errors.BadContent(f"corrupt {self.encoding} body: {exc}") from exc
        self._raw_deflate_tried = True
        return self._count(out)

    def finish(self) -> bytes:
        if self._z is None:
            return b""
        try:
            return self._count(self._z.flush())
        except zlib.error as exc:
            raise errors.BadContent(f"corrupt {self.encoding} body: {exc}") from exc


class Fetcher:
    """Fetch pages and feeds politely. Safe to share between threads (one thread per host)."""

    def __init__(
        self,
        settings: Settings,
        *,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings
        self._sleep = sleep
        self._clock = clock
        self._client = httpx.Client(
            transport=transport,
            timeout=httpx.Timeout(
                connect=settings.connect_timeout,
                read=settings.read_timeout,
                write=settings.read_timeout,
                pool=settings.connect_timeout,
            ),
            follow_redirects=False,  # followed by hand so each hop is checked
            headers={"User-Agent": settings.user_agent, "Accept-Encoding": ACCEPT_ENCODING},
        )
        self._lock = threading.Lock()
        self._last_slot: dict[str, float] = {}  # host key → time of the latest (reserved) request
        self.robots = RobotsCache(settings, self._client, wait_turn=self._wait_turn)

    # -- context manager -------------------------------------------------------------------
    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- politeness --------------------------------------------------------------------------
    def _wait_turn(self, url: str) -> None:
        """Block until this host may be asked again; reserve the slot under the lock."""
        key = host_key(url)
        delay = max(self.settings.host_delay, self.robots.crawl_delay(url) or 0.0)
        with self._lock:
            now = self._clock()
            last = self._last_slot.get(key)
            slot = now if last is None else max(now, last + delay)
            self._last_slot[key] = slot
        wait = slot - now
        if wait > 0:
            self._sleep(wait)

    # -- public ------------------------------------------------------------------------------
    def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> FetchResult:
        """GET ``url``; raise an ``errors`` class that says what to do when it fails."""
        url = check_url(url)
        retrying = tenacity.Retrying(
            stop=tenacity.stop_after_attempt(self.settings.retry_attempts),
            wait=self._backoff,
            retry=tenacity.retry_if_exception_type(_Transient),
            sleep=self._sleep,
            reraise=True,
        )
        attempt_no = 0
        try:
            for attempt in retrying:
                with attempt:
                    attempt_no = attempt.retry_state.attempt_number
                    result = self._follow(url, etag, last_modified)
                    result.attempts = attempt_no
                    return result
        except _Transient as exc:
            tries = "try" if attempt_no == 1 else "tries"
            raise errors.Retry(f"{exc.reason} (gave up after {attempt_no} {tries}): {url}", exc.retry_after) from exc
        raise AssertionError("unreachable")  # pragma: no cover

    def _backoff(self, state: tenacity.RetryCallState) -> float:
        cap = self.settings.retry_max_wait
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, _Transient) and exc.retry_after is not None:
            return min(exc.retry_after, cap)
        base = 0.5 * 2 ** (state.attempt_number - 1)
        return min(cap, base * (1 + 0.25 * random.random()))

    # -- one try: a chain of redirects ending in a body -------------------------------------
    def _follow(self, url: str, etag: str | None, last_modified: str | None) -> FetchResult:
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current = url
        for _hop in range(self.settings.max_redirects + 1):
            if not self.robots.allowed(current):
                raise errors.FetchRefused(f"robots.txt disallows {current}")
            self._wait_turn(current)
            outcome = self._request(current, headers)
            if isinstance(outcome, FetchResult):
                return outcome
            try:
                current = check_url(outcome)
            except errors.FetchRefused as exc:
                raise errors.FetchRefused(f"redirect from {current} refused: {exc.reason}") from exc
        raise errors.FetchFailed(f"too many redirects (more than {self.settings.max_redirects}) starting at {url}")

    def _request(self, url: str, headers: dict[str, str]) -> FetchResult | str:
        """One request. Returns the result, or the next URL when redirected."""
        started = self._clock()
        try:
            with self._client.stream("GET", url, headers=headers) as resp:
                status = resp.status_code
                if status in REDIRECT_CODES:
                    location = resp.headers.get("location")
                    if not location:
                        raise errors.FetchFailed(f"HTTP {status} without Location from {url}")
                    return urljoin(str(resp.url), location.strip())
                lower = {k.lower(): v for k, v in resp.headers.items()}
                if status == 304:
                    return self._result(resp, lower, b"", started, not_modified=True)
                if status in TRANSIENT_CODES:
                    raise _Transient(f"HTTP {status} {resp.reason_phrase}", parse_retry_after(lower.get("retry-after")))
                if not 200 <= status < 300:
                    raise errors.FetchFailed(f"HTTP {status} {resp.reason_phrase}: {url}")
                body = self._read_body(resp, lower, started)
                return self._result(resp, lower, body, started, not_modified=False)
        except httpx.TimeoutException as exc:
            raise _Transient(f"timeout ({type(exc).__name__})") from exc
        except (httpx.NetworkError, httpx.RemoteProtocolError) as exc:
            raise _Transient(f"connection failed ({type(exc).__name__}: {exc})") from exc
        except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
            raise errors.FetchRefused(f"cannot fetch {url} or follow its redirect: {exc}") from exc

    def _read_body(self, resp: httpx.Response, headers: dict[str, str], started: float) -> bytes:
        limit = self.settings.max_response_bytes
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > limit:
            raise errors.TooLarge(f"Content-Length {length} is over the limit of {limit} bytes")
        encoding = headers.get("content-encoding", "").strip().lower()
        if resp.is_stream_consumed:  # a transport that hands over a body already read and decoded
            encoding = ""
        decoder = _Decoder(encoding, limit)
        deadline = started + self.settings.total_timeout
        parts: list[bytes] = []
        for chunk in _raw(resp):
            parts.append(decoder.feed(chunk))
            if self._clock() > deadline:
                raise errors.Retry(
                    f"total timeout: body not finished after {self.settings.total_timeout:g} s",
                    retry_after=None,
                )
        parts.append(decoder.finish())
        return b"".join(parts)

    def _result(
        self,
        resp: httpx.Response,
        headers: dict[str, str],
        body: bytes,
        started: float,
        *,
        not_modified: bool,
    ) -> FetchResult:
        return FetchResult(
            url=str(resp.url),
            status=resp.status_code,
            content=body,
            headers=headers,
            charset=resp.charset_encoding,
            etag=headers.get("etag"),
            last_modified=headers.get("last-modified"),
            not_modified=not_modified,
            elapsed_ms=int((self._clock() - started) * 1000),
            attempts=1,
        )


def _raw(resp: httpx.Response) -> Iterator[bytes]:
    """The body as sent (still compressed), each read as it arrives (at most 64 KiB).

    No ``chunk_size``: httpx would buffer up to it, and a trickling body would never
    reach the deadline check.
    """
    if resp.is_stream_consumed:
        yield resp.content
        return
    yield from resp.iter_raw()
