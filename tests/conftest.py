"""Shared pytest set-up: real parts only (embedded PostgreSQL, loopback HTTP server, Chromium)."""

pytest_plugins = [
    "tests.plugins.fixture_server",
    "tests.plugins.database",
    "tests.plugins.web",
    "tests.plugins.browser",
]
