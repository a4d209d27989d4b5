"""A real HTTP server on 127.0.0.1 serving tests/fixtures/web/ plus misbehaving routes.

Fixture ``fixture_server`` (session scope): ``.url(path)``, ``.hits(path)``, ``.reset()``.

Files are served as recorded, with ``http://fixtures.ttdn.test`` (the host the fixtures were
written for) replaced by the server's own address, and with ETag / Last-Modified (304 when
If-None-Match or If-Modified-Since says the client has it). Special routes:

    /broken/invalid.xml        invalid XML feed (file)
    /broken/wrong-charset.html declares iso-8859-1, is UTF-8 Vietnamese (file + header)
    /broken/huge               50 MB body with Content-Length (generated, not stored)
    /broken/huge-chunked       50 MB body, chunked, no Content-Length
    /broken/endless            chunked, trickles bytes for ever (stops on disconnect, or 10 min)
    /broken/redirect-loop      → /broken/redirect-loop-b → /broken/redirect-loop …
    /broken/to-ftp             302 to ftp://
    /broken/404, /broken/410   permanent failures
    /broken/500                always 500
    /broken/429-always         always 429, Retry-After: 1
    /broken/429                429 with Retry-After: 1 on the first hit after reset, then a page
    /broken/gzip-bomb          gzip body of ~1 MB that inflates to 1 GiB of zeros
    /broken/bad-gzip           Content-Encoding: gzip, body is not gzip
    /broken/slow-headers       answers after 3 s (read timeout tests)
    /flaky/500-then-ok         500 on the first hit after reset, then a page
    /bulk/feed.xml?n=N         an RSS feed of N generated entries → /bulk/page/I (each page
                               answers after 30 ms, so a collection takes long enough to kill)
    /redirect/en-feed          301 → /feeds/en.atom
"""

from __future__ import annotations

import hashlib
import struct
import sys
import threading
import time
import zlib
from collections import Counter
from collections.abc import Iterator
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent / "fixtures" / "web"
RECORDED_HOST = b"http://fixtures.ttdn.test"
LAST_MODIFIED = "Mon, 01 Sep 2025 00:00:00 GMT"
ENDLESS_MAX_SECONDS = 600
CONTENT_TYPES = {
    ".rss": "application/rss+xml",
    ".rdf": "application/rdf+xml",
    ".atom": "application/atom+xml",
    ".xml": "application/xml",
    ".json": "application/feed+json",
    ".html": "text/html; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
}
OK_PAGE = (
    b"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Recovered</title></head>"
    b"<body><article><h1>Recovered</h1><p>The server answered after a transient failure.</p>"
    b"</article></body></html>"
)


def _gzip_bomb(total: int = 1 << 30) -> bytes:
    """A valid gzip stream of ``total`` zero bytes, ~1 KB per MiB, built without inflating it."""
    mib = bytes(1 << 20)
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    block = packer.compress(mib) + packer.flush(zlib.Z_FULL_FLUSH)  # byte-aligned, self-contained
    end = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS).flush(zlib.Z_FINISH)
    crc = 0
    for _ in range(total >> 20):
        crc = zlib.crc32(mib, crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    return header + block * (total >> 20) + end + struct.pack("<II", crc, total & 0xFFFFFFFF)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """A client hanging up on a misbehaving route is expected; anything else is printed."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


class FixtureServer:
    """The running server, as tests see it."""

    def __init__(self) -> None:
        self.httpd = _Server(("127.0.0.1", 0), _Handler)
        self.httpd.fixture = self  # type: ignore[attr-defined]
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._hits: Counter[str] = Counter()
        self._bomb: bytes | None = None
        self.active_streams = 0  # chunked responses still being written (endless, huge-chunked)
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="fixture-server", daemon=True)

    def start(self) -> FixtureServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self._thread.join(timeout=5)

    def url(self, path: str) -> str:
        return self.base + ("" if path.startswith("/") else "/") + path

    def streams(self) -> int:
        """Chunked responses whose handler thread is still writing."""
        with self._lock:
            return self.active_streams

    def hits(self, path: str) -> int:
        """Requests seen for ``path`` (query string ignored) since the last reset."""
        with self._lock:
            return self._hits[urlsplit(path).path or path]

    def reset(self) -> None:
        """Forget hit counts, which also re-arms the one-shot failures (flaky, 429)."""
        with self._lock:
            self._hits.clear()

    def count(self, path: str) -> int:
        with self._lock:
            self._hits[path] += 1
            return self._hits[path]

    def bomb(self) -> bytes:
        with self._lock:
            if self._bomb is None:
                self._bomb = _gzip_bomb()
            return self._bomb


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "TTDNFixtures/1.0"

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    @property
    def fixture(self) -> FixtureServer:
        return self.server.fixture  # type: ignore[attr-defined, no-any-return]

    # -- helpers ----------------------------------------------------------------------------
    def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body and self.command != "HEAD":
            self.wfile.write(body)

    def _redirect(self, status: int, location: str) -> None:
        self._send(status, b"", {"Location": location})

    def _chunks(self, pieces: Iterator[bytes], content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        with self.fixture._lock:
            self.fixture.active_streams += 1
        try:
            for piece in pieces:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                self.wfile.flush()
            self.wfile.write(b"0\r\n\r\n")
        except OSError:
            pass  # the client hung up: that is the point of these routes
        finally:
            with self.fixture._lock:
                self.fixture.active_streams -= 1

    def _endless(self) -> Iterator[bytes]:
        stop_at = time.monotonic() + ENDLESS_MAX_SECONDS
        yield b"<html><body>"
        while time.monotonic() < stop_at and not self.fixture.stopping.is_set():
            time.sleep(0.05)
            yield b"<p>still going</p>\n"

    # -- routes -----------------------------------------------------------------------------
    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        hit = self.fixture.count(path)
        special = {
            "/broken/huge": self._huge,
            "/broken/huge-chunked": lambda: self._chunks(
                (bytes(1 << 20) for _ in range(50)), "application/octet-stream"
            ),
            "/broken/endless": lambda: self._chunks(self._endless(), "text/html"),
            "/broken/redirect-loop": lambda: self._redirect(302, "/broken/redirect-loop-b"),
            "/broken/redirect-loop-b": lambda: self._redirect(302, "/broken/redirect-loop"),
            "/broken/to-ftp": lambda: self._redirect(302, "ftp://127.0.0.1/pub/file.xml"),
            "/redirect/en-feed": lambda: self._redirect(301, "/feeds/en.atom"),
            "/broken/404": lambda: self._send(404, b"not here", {"Content-Type": "text/plain"}),
            "/broken/410": lambda: self._send(410, b"gone", {"Content-Type": "text/plain"}),
            "/broken/500": lambda: self._send(500, b"boom", {"Content-Type": "text/plain"}),
            "/broken/429-always": lambda: self._send(429, b"slow down", {"Retry-After": "1"}),
            "/broken/gzip-bomb": lambda: self._send(
                200, self.fixture.bomb(), {"Content-Type": "text/html", "Content-Encoding": "gzip"}
            ),
            "/broken/bad-gzip": lambda: self._send(
                200,
                b"this is not gzip at all" * 10,
                {"Content-Type": "text/html", "Content-Encoding": "gzip"},
            ),
            "/broken/slow-headers": self._slow,
        }
        if path in special:
            special[path]()
        elif path.startswith("/bulk/"):
            self._bulk(path)
        elif path == "/broken/429" and hit == 1:
            self._send(429, b"slow down", {"Retry-After": "1"})
        elif path == "/flaky/500-then-ok" and hit == 1:
            self._send(500, b"try again", {"Content-Type": "text/plain"})
        elif path in ("/broken/429", "/flaky/500-then-ok"):
            self._send(200, OK_PAGE, {"Content-Type": "text/html; charset=utf-8"})
        else:
            self._file(path)

    def _huge(self) -> None:
        size = 50 * (1 << 20)
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(size))
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        block = bytes(1 << 16)
        try:
            for _ in range(size // len(block)):
                self.wfile.write(block)
        except OSError:
            pass

    def _bulk(self, path: str) -> None:
        if path == "/bulk/feed.xml":
            n = int(parse_qs(urlsplit(self.path).query).get("n", ["50"])[0])
            items = "".join(
                f"<item><title>Bulk {i}</title><link>{self.fixture.base}/bulk/page/{i}</link></item>" for i in range(n)
            )
            body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Bulk</title>{items}</channel></rss>'
            self._send(200, body.encode(), {"Content-Type": "application/rss+xml"})
            return
        number = path.rsplit("/", 1)[-1]
        self.fixture.stopping.wait(0.03)
        words = " ".join(f"word{(int(number) * 7919 + k) % 100003}" for k in range(120)) if number.isdigit() else ""
        body = (
            f"<html lang='en'><head><title>Bulk story {number}</title></head><body><article>"
            f"<h1>Bulk story {number}</h1><p>Vietnam story number {number}. {words}</p></article></body></html>"
        )
        self._send(200, body.encode(), {"Content-Type": "text/html; charset=utf-8"})

    def _slow(self) -> None:
        self.fixture.stopping.wait(3)
        self._send(200, OK_PAGE, {"Content-Type": "text/html; charset=utf-8"})

    def _file(self, path: str) -> None:
        target = (ROOT / path.lstrip("/")).resolve()
        if ROOT not in target.parents or not target.is_file():
            self._send(404, b"not found", {"Content-Type": "text/plain"})
            return
        body = target.read_bytes().replace(RECORDED_HOST, self.fixture.base.encode())
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        ctype = CONTENT_TYPES.get(target.suffix, "application/octet-stream")
        if path == "/broken/wrong-charset.html":
            ctype = "text/html; charset=iso-8859-1"
        headers = {"Content-Type": ctype, "ETag": etag, "Last-Modified": LAST_MODIFIED}
        if self._fresh(etag):
            self._send(304, b"", {"ETag": etag, "Last-Modified": LAST_MODIFIED})
            return
        self._send(200, body, headers)

    def _fresh(self, etag: str) -> bool:
        match = self.headers.get("If-None-Match")
        if match is not None:
            return etag in [tag.strip() for tag in match.split(",")] or match.strip() == "*"
        since = self.headers.get("If-Modified-Since")
        if since:
            try:
                return parsedate_to_datetime(since) >= parsedate_to_datetime(LAST_MODIFIED)
            except (TypeError, ValueError):
                return False
        return False


@pytest.fixture(scope="session")
def fixture_server() -> Iterator[FixtureServer]:
    server = FixtureServer().start()
    try:
        yield server
    finally:
        server.stop()
