"""robots.txt, fetched once per host per run and kept in memory.

A robots.txt that cannot be had (4xx, 5xx, timeout, connection refused, too large)
allows everything: the site has said nothing we could read. ``settings.respect_robots``
turns the whole check off.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from urllib.parse import urlsplit

import httpx
from protego import Protego

from ttdn.settings import Settings

__all__ = ["MAX_ROBOTS_BYTES", "RobotsCache", "host_key"]

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())

MAX_ROBOTS_BYTES = 512_000  # Google reads the first 500 KiB


def host_key(url: str) -> str:
    """``scheme://host:port`` — robots.txt and politeness are kept per key."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{parts.scheme.lower()}://{(parts.hostname or '').lower()}:{port}"


class RobotsCache:
    """Parsed robots.txt per host; ``None`` means "no rules" (allow everything)."""

    def __init__(
        self,
        settings: Settings,
        client: httpx.Client,
        *,
        wait_turn: Callable[[str], None] | None = None,
    ) -> None:
        self.settings = settings
        self._client = client
        self._wait_turn = wait_turn
        self._rules: dict[str, Protego | None] = {}
        self._lock = threading.Lock()
        self._host_locks: dict[str, threading.Lock] = {}

    def _get(self, url: str) -> Protego | None:
        key = host_key(url)
        with self._lock:
            if key in self._rules:
                return self._rules[key]
            host_lock = self._host_locks.setdefault(key, threading.Lock())
        with host_lock:  # one download per host even when threads race
            with self._lock:
                if key in self._rules:
                    return self._rules[key]
            rules = self._download(key)
            with self._lock:
                self._rules[key] = rules
            return rules

    def _download(self, key: str) -> Protego | None:
        robots_url = f"{key}/robots.txt"
        if self._wait_turn is not None:
            self._wait_turn(robots_url)
        try:
            with self._client.stream("GET", robots_url, follow_redirects=True) as resp:
                if resp.status_code != 200:
                    log.debug("robots.txt %s: HTTP %s, allowing all", robots_url, resp.status_code)
                    return None
                data = bytearray()
                for chunk in resp.iter_bytes():
                    data += chunk
                    if len(data) > MAX_ROBOTS_BYTES:
                        break
                text = bytes(data[:MAX_ROBOTS_BYTES]).decode("utf-8", errors="replace")
        except httpx.HTTPError as exc:
            log.debug("robots.txt %s unreadable (%s), allowing all", robots_url, exc)
            return None
        try:
            return Protego.parse(text)
        except Exception as exc:  # protego is lenient; be safe on odd files
            log.debug("robots.txt %s unparsable (%s), allowing all", robots_url, exc)
            return None

    def allowed(self, url: str) -> bool:
        if not self.settings.respect_robots:
            return True
        rules = self._get(url)
        return True if rules is None else bool(rules.can_fetch(url, self.settings.user_agent))

    def crawl_delay(self, url: str) -> float | None:
        """The host's Crawl-delay for our user agent, if robots.txt was already read."""
        if not self.settings.respect_robots:
            return None
        with self._lock:
            rules = self._rules.get(host_key(url))
        if rules is None:
            return None
        delay = rules.crawl_delay(self.settings.user_agent)
        return float(delay) if delay is not None else None
