"""Errors that say what happens next.

Every error the platform raises on purpose derives from ``TTDNError``. The two branches
tell the caller what to do with the item that failed::

    TTDNError
     ├── Quarantine            never retry: record the reason, go on with the rest
     │    ├── BadInput         malformed line, record or argument (wrong scheme, bad JSON …)
     │    ├── FetchRefused     robots.txt disallows, or the URL is not http(s)
     │    ├── FetchFailed      a permanent HTTP failure (404, 410, redirect loop …)
     │    ├── TooLarge         the body passed the size limit (also gzip bombs)
     │    └── BadContent       invalid XML / feed, undecodable or empty page
     ├── Retry                 transient: try again later with backoff (timeouts, 429, 5xx)
     └── ConfigError           a setting or model directory is wrong: stop and tell the user

A bad feed or page is quarantined with its reason and shown in source health; a timeout
is retried; nothing is silently dropped.
"""

from __future__ import annotations

__all__ = [
    "BadContent",
    "BadInput",
    "ConfigError",
    "FetchFailed",
    "FetchRefused",
    "Quarantine",
    "Retry",
    "TTDNError",
    "TooLarge",
]


class TTDNError(Exception):
    """Base class of every error the platform raises on purpose."""

    kind = "error"

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Quarantine(TTDNError):
    """Permanent failure: never retry the same input; record ``reason``."""

    kind = "quarantine"


class BadInput(Quarantine):
    kind = "bad_input"


class FetchRefused(Quarantine):
    kind = "refused"


class FetchFailed(Quarantine):
    kind = "fetch_failed"


class TooLarge(Quarantine):
    kind = "too_large"


class BadContent(Quarantine):
    kind = "bad_content"


class Retry(TTDNError):
    """Transient failure: try again later. ``retry_after`` is in seconds, when the server said."""

    kind = "retry"

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class ConfigError(TTDNError):
    """A setting, path or model directory is wrong; the command cannot go on."""

    kind = "config"
