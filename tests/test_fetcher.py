"""The fetcher against a real loopback server (tests/plugins/fixture_server.py) and MockTransport."""

from __future__ import annotations

import socket
import threading
import time
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from ttdn import errors
from ttdn.collect.fetcher import Fetcher, check_url, parse_retry_after
from ttdn.settings import Settings

WEB = Path(__file__).parent / "fixtures" / "web"


def make_settings(**overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "host_delay": 0,
        "retry_max_wait": 0.5,
        "retry_attempts": 3,
        "max_response_bytes": 2_000_000,
        "total_timeout": 3,
        "connect_timeout": 2,
        "read_timeout": 2,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


class FakeTime:
    """A clock that only moves when the fetcher sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)


@pytest.fixture
def server(fixture_server: Any) -> Any:
    fixture_server.reset()
    return fixture_server


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def fetcher(sleeps: list[float]) -> Any:
    with Fetcher(make_settings(), sleep=sleeps.append) as f:
        yield f


# -- good fetches ---------------------------------------------------------------------------
def test_fetch_feed_returns_body_and_validators(server: Any, fetcher: Fetcher) -> None:
    result = fetcher.fetch(server.url("/feeds/en.atom"))
    expected = (WEB / "feeds/en.atom").read_bytes().replace(b"http://fixtures.ttdn.test", server.base.encode())
    assert result.content == expected
    assert result.status == 200 and not result.not_modified and result.attempts == 1
    assert result.url == server.url("/feeds/en.atom")
    assert result.etag and result.etag.startswith('"')
    assert result.last_modified == "Mon, 01 Sep 2025 00:00:00 GMT"
    assert result.headers["content-type"] == "application/atom+xml"
    assert all(key == key.lower() for key in result.headers)
    assert result.charset is None  # none declared in the header


def test_charset_comes_from_content_type(server: Any, fetcher: Fetcher) -> None:
    assert fetcher.fetch(server.url("/pages/vi/du-lich-ha-long.html")).charset == "utf-8"
    assert fetcher.fetch(server.url("/broken/wrong-charset.html")).charset == "iso-8859-1"


def test_conditional_get_gives_not_modified(server: Any, fetcher: Fetcher) -> None:
    first = fetcher.fetch(server.url("/feeds/vi.rss"))
    again = fetcher.fetch(server.url("/feeds/vi.rss"), etag=first.etag)
    assert again.not_modified and again.status == 304 and again.content == b""
    by_date = fetcher.fetch(server.url("/feeds/vi.rss"), last_modified=first.last_modified)
    assert by_date.not_modified
    changed = fetcher.fetch(server.url("/feeds/vi.rss"), etag='"stale"')
    assert not changed.not_modified and changed.content == first.content
    assert server.hits("/feeds/vi.rss") == 4


def test_redirect_is_followed_to_the_final_url(server: Any, fetcher: Fetcher) -> None:
    result = fetcher.fetch(server.url("/redirect/en-feed"))
    assert result.url == server.url("/feeds/en.atom")
    assert result.content.startswith(b"<?xml")
    assert server.hits("/redirect/en-feed") == 1 and server.hits("/feeds/en.atom") == 1


# -- refusals ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "url",
    [
        "ftp://127.0.0.1/pub/feed.xml",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "mailto:desk@example.org",
        "http://",
        "not a url",
        "http://[::1",
        "",
    ],
)
def test_non_http_urls_are_refused_without_network(url: str) -> None:
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(200)

    with (
        Fetcher(make_settings(), transport=httpx.MockTransport(handler)) as f,
        pytest.raises(errors.FetchRefused) as info,
    ):
        f.fetch(url)
    assert calls == []
    assert "URL" in info.value.reason or "http(s)" in info.value.reason


def test_robots_disallow_refuses_without_fetching_the_page(server: Any, fetcher: Fetcher) -> None:
    with pytest.raises(errors.FetchRefused, match=r"robots\.txt disallows .*/private/page\.html"):
        fetcher.fetch(server.url("/private/page.html"))
    assert server.hits("/private/page.html") == 0
    fetcher.fetch(server.url("/pages/en/hoi-an-lanterns.html"))
    assert server.hits("/robots.txt") <= 1  # cached for the run


def test_respect_robots_off_fetches_the_page(server: Any) -> None:
    with Fetcher(make_settings(respect_robots=False)) as f:
        assert b"robots.txt disallows" in f.fetch(server.url("/private/page.html")).content
    assert server.hits("/robots.txt") == 0


def test_redirect_to_ftp_is_refused(server: Any, fetcher: Fetcher) -> None:
    with pytest.raises(errors.FetchRefused, match="ftp"):
        fetcher.fetch(server.url("/broken/to-ftp"))


# -- permanent failures -----------------------------------------------------------------
def test_redirect_loop_fails_after_max_redirects(server: Any, fetcher: Fetcher) -> None:
    with pytest.raises(errors.FetchFailed, match="too many redirects"):
        fetcher.fetch(server.url("/broken/redirect-loop"))
    total = server.hits("/broken/redirect-loop") + server.hits("/broken/redirect-loop-b")
    assert total == fetcher.settings.max_redirects + 1


@pytest.mark.parametrize(("path", "reason"), [("/broken/404", "HTTP 404 Not Found"), ("/broken/410", "HTTP 410")])
def test_client_errors_are_permanent_and_not_retried(
    server: Any, fetcher: Fetcher, sleeps: list[float], path: str, reason: str
) -> None:
    with pytest.raises(errors.FetchFailed, match=reason):
        fetcher.fetch(server.url(path))
    assert server.hits(path) == 1 and sleeps == []


# -- transient failures and retries -----------------------------------------------------
def test_always_500_gives_retry_after_all_attempts(server: Any, fetcher: Fetcher, sleeps: list[float]) -> None:
    with pytest.raises(errors.Retry, match=r"HTTP 500 .*gave up after 3 tries") as info:
        fetcher.fetch(server.url("/broken/500"))
    assert server.hits("/broken/500") == 3
    assert len(sleeps) == 2 and all(0 < s <= 0.5 for s in sleeps)
    assert info.value.retry_after is None


def test_flaky_500_then_ok_succeeds_on_second_attempt(server: Any, fetcher: Fetcher) -> None:
    result = fetcher.fetch(server.url("/flaky/500-then-ok"))
    assert result.status == 200 and result.attempts == 2 and b"Recovered" in result.content
    assert server.hits("/flaky/500-then-ok") == 2


def test_429_honours_retry_after_capped(server: Any, fetcher: Fetcher, sleeps: list[float]) -> None:
    result = fetcher.fetch(server.url("/broken/429"))
    assert result.attempts == 2
    assert sleeps == [0.5]  # Retry-After: 1, capped at retry_max_wait


def test_always_429_reports_the_servers_retry_after(server: Any, fetcher: Fetcher) -> None:
    with pytest.raises(errors.Retry, match="HTTP 429") as info:
        fetcher.fetch(server.url("/broken/429-always"))
    assert info.value.retry_after == 1.0
    assert server.hits("/broken/429-always") == 3


def test_read_timeout_is_retried_then_gives_retry(server: Any) -> None:
    with (
        Fetcher(make_settings(read_timeout=0.3, retry_attempts=2), sleep=lambda s: None) as f,
        pytest.raises(errors.Retry, match=r"timeout \(ReadTimeout\).*gave up after 2 tries"),
    ):
        f.fetch(server.url("/broken/slow-headers"))
    assert server.hits("/broken/slow-headers") == 2


def test_connection_refused_is_transient() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed when the block ends: nobody listens there
    with (
        Fetcher(make_settings(retry_attempts=2), sleep=lambda s: None) as f,
        pytest.raises(errors.Retry, match="connection failed"),
    ):
        f.fetch(f"http://127.0.0.1:{port}/feed.xml")


# -- limits -----------------------------------------------------------------------------
def _bounded(action: Callable[[], object]) -> tuple[float, int]:
    tracemalloc.start()
    started = time.monotonic()
    try:
        action()
    finally:
        elapsed = time.monotonic() - started
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return elapsed, peak


def test_huge_body_with_content_length_is_rejected_before_reading(server: Any, fetcher: Fetcher) -> None:
    with pytest.raises(errors.TooLarge, match="Content-Length 52428800"):
        fetcher.fetch(server.url("/broken/huge"))


@pytest.mark.parametrize("path", ["/broken/huge-chunked", "/broken/gzip-bomb"])
def test_oversized_bodies_stop_quickly_with_bounded_memory(server: Any, fetcher: Fetcher, path: str) -> None:
    def go() -> None:
        with pytest.raises(errors.TooLarge, match="after decompression"):
            fetcher.fetch(server.url(path))

    fetcher.fetch(server.url("/robots.txt"))  # warm the robots cache outside the measurement
    elapsed, peak = _bounded(go)
    assert elapsed < 10
    assert peak < 4 * fetcher.settings.max_response_bytes  # 1 GiB bomb, 50 MB body: never held


def test_corrupt_gzip_is_bad_content(server: Any, fetcher: Fetcher) -> None:
    with pytest.raises(errors.BadContent, match="corrupt gzip body"):
        fetcher.fetch(server.url("/broken/bad-gzip"))


def test_endless_response_stops_at_total_timeout_and_server_thread_ends(server: Any) -> None:
    with Fetcher(make_settings(total_timeout=1.5, read_timeout=1)) as f:
        started = time.monotonic()
        with pytest.raises(errors.Retry, match="total timeout") as info:
            f.fetch(server.url("/broken/endless"))
        assert 1.5 <= time.monotonic() - started < 1.5 + 2
        assert info.value.retry_after is None
    assert server.hits("/broken/endless") == 1  # a deadline is not retried within the fetch
    deadline = time.monotonic() + 5
    while server.streams() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.streams() == 0  # the server noticed the hang-up and stopped writing


# -- politeness -------------------------------------------------------------------------
def test_requests_to_one_host_are_spaced_by_host_delay(server: Any) -> None:
    fake = FakeTime()

    def sleep(seconds: float) -> None:
        fake.sleep(seconds)
        fake.now += seconds

    with Fetcher(make_settings(host_delay=2), sleep=sleep, clock=fake.clock) as f:
        f.fetch(server.url("/feeds/vi.rss"))  # robots.txt first, then the feed
        f.fetch(server.url("/feeds/en.atom"))
    assert fake.sleeps == [2.0, 2.0]
    assert server.hits("/robots.txt") == 1


def test_rate_limit_is_real_time_on_the_wire(server: Any) -> None:
    with Fetcher(make_settings(host_delay=0.3)) as f:
        f.fetch(server.url("/robots.txt"))
        started = time.monotonic()
        f.fetch(server.url("/feeds/vi.rss"))
        f.fetch(server.url("/feeds/en.atom"))
        assert time.monotonic() - started >= 0.55  # two waits of ~0.3 s


# -- MockTransport unit tests (STYLE.md point 4) ----------------------------------------
class Streamed(httpx.SyncByteStream):
    """A body handed over in pieces, as a real transport does (not pre-read like content=)."""

    def __init__(self, *pieces: bytes) -> None:
        self.pieces = pieces

    def __iter__(self) -> Iterator[bytes]:
        yield from self.pieces


def mock_fetcher(
    handler: Callable[[httpx.Request], httpx.Response], fake: FakeTime | None = None, **overrides: Any
) -> Fetcher:
    fake = fake or FakeTime()
    return Fetcher(
        make_settings(**overrides), transport=httpx.MockTransport(handler), sleep=fake.sleep, clock=fake.clock
    )


def test_crawl_delay_larger_than_host_delay_is_obeyed() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            return httpx.Response(200, text="User-agent: *\nCrawl-delay: 7\n")
        return httpx.Response(200, text="ok")

    fake = FakeTime()
    with mock_fetcher(handler, fake, host_delay=1) as f:
        f.fetch("https://news.example/a")
        f.fetch("https://news.example/b")
    assert fake.sleeps == [7.0, 14.0]  # robots at t, a at t+7, b at t+14 (the fake clock stands still)


def test_parallel_threads_get_distinct_slots_for_one_host() -> None:
    fake = FakeTime()
    with mock_fetcher(lambda r: httpx.Response(200, text="ok"), fake, host_delay=1) as f:
        threads = [threading.Thread(target=f.fetch, args=(f"http://one.example/{i}",)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert sorted(fake.sleeps) == [1.0, 2.0, 3.0, 4.0]  # robots took slot 0


@pytest.mark.parametrize("robots", [httpx.Response(503), httpx.Response(404), None])
def test_unreadable_robots_allows_everything(robots: httpx.Response | None) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            if robots is None:
                raise httpx.ConnectError("refused", request=request)
            return robots
        return httpx.Response(200, text="page")

    with mock_fetcher(handler) as f:
        assert f.fetch("http://site.example/private/x").content == b"page"


def test_request_headers_user_agent_and_validators() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(304, headers={"ETag": '"v2"'})

    with mock_fetcher(handler, user_agent="TTDN-test/9") as f:
        result = f.fetch("http://site.example/feed", etag='"v1"', last_modified="Mon, 01 Sep 2025 00:00:00 GMT")
    page = seen[-1]
    assert page.headers["user-agent"] == "TTDN-test/9"
    assert page.headers["if-none-match"] == '"v1"'
    assert page.headers["if-modified-since"] == "Mon, 01 Sep 2025 00:00:00 GMT"
    assert page.headers["accept-encoding"] == "gzip, deflate"
    assert result.not_modified and result.etag == '"v2"'


@pytest.mark.parametrize("wbits", [zlib.MAX_WBITS, -zlib.MAX_WBITS], ids=["zlib", "raw"])
def test_deflate_bodies_both_flavours(wbits: int) -> None:
    packer = zlib.compressobj(6, zlib.DEFLATED, wbits)
    body = packer.compress("Xin chào Việt Nam".encode()) + packer.flush()

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=Streamed(body[:5], body[5:]), headers={"Content-Encoding": "deflate"})

    with mock_fetcher(handler, respect_robots=False) as f:
        assert f.fetch("http://site.example/").content.decode() == "Xin chào Việt Nam"


def test_unsupported_content_encoding_is_bad_content() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=Streamed(b"\x00\x01"), headers={"Content-Encoding": "br"})

    with mock_fetcher(handler, respect_robots=False) as f, pytest.raises(errors.BadContent, match="'br'"):
        f.fetch("http://site.example/")


@pytest.mark.parametrize(
    ("location", "error", "reason"),
    [
        ("javascript:void(0)", errors.FetchRefused, "redirect"),
        ("mailto:desk@site.example", errors.FetchRefused, "redirect"),
        ("ftp://files.example/x", errors.FetchRefused, "not ftp"),
        (None, errors.FetchFailed, "without Location"),
    ],
)
def test_bad_redirects(location: str | None, error: type[Exception], reason: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"Location": location} if location else {})

    with mock_fetcher(handler, respect_robots=False) as f, pytest.raises(error, match=reason):
        f.fetch("http://site.example/")


def test_total_deadline_checked_between_chunks() -> None:
    fake = FakeTime()

    class Slow(httpx.SyncByteStream):
        def __iter__(self) -> Iterator[bytes]:
            for _ in range(100):
                fake.now += 1.0  # each piece "takes" a second
                yield b"<p>more</p>"

    with (
        mock_fetcher(lambda r: httpx.Response(200, stream=Slow()), fake, respect_robots=False, total_timeout=5) as f,
        pytest.raises(errors.Retry, match="total timeout"),
    ):
        f.fetch("http://slow.example/")


def test_pre_read_mock_bodies_still_count_against_the_limit() -> None:
    with (
        mock_fetcher(lambda r: httpx.Response(200, content=bytes(3_000_000)), respect_robots=False) as f,
        pytest.raises(errors.TooLarge),
    ):
        f.fetch("http://big.example/")


def test_retry_after_parsing() -> None:
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now=1445412480.0) == 30.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412480.0 + 60) == 0.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


def test_check_url_keeps_good_urls() -> None:
    assert check_url(" https://vnexpress.net/a?b=1 ") == "https://vnexpress.net/a?b=1"
