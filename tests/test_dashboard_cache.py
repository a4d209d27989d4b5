"""The dashboard's figures cache on the real PostgreSQL: kept, refreshed once, recomputed on change."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from typing import Any

import pytest

from ttdn.pipeline.topology import ingest
from ttdn.records import RawArticle
from ttdn.settings import Settings
from ttdn.store import Store
from ttdn.web import queries_dashboard
from ttdn.web.queries_dashboard import FiguresCache


def add_article(store: Store, settings: Settings, n: int) -> None:
    raw = RawArticle(
        url=f"https://s.example/{n}",
        title=f"Việt Nam và đối tác số {n}",
        text=f"Bài số {n}: Việt Nam ký thỏa thuận hợp tác kinh tế mới với đối tác thứ {n} tại Hà Nội.",
        lang_hint="vi",
        published_at=datetime.now(UTC),
    )
    ingest([raw], store, settings)


@pytest.fixture
def computed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The threads in which the real `compute_figures` ran (each made slower, to overlap callers)."""
    calls: list[str] = []
    real = queries_dashboard.compute_figures

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(threading.current_thread().name)
        time.sleep(0.2)
        return real(*args, **kwargs)

    monkeypatch.setattr(queries_dashboard, "compute_figures", counting)
    return calls


def test_kept_figures_are_served_and_a_change_recomputes_them_once(
    store: Store, settings: Settings, computed: list[str]
) -> None:
    add_article(store, settings, 1)
    cache = FiguresCache(seconds=3600)
    results: list[int] = []

    def get() -> None:
        results.append(cache.get(store, 7).articles_total)

    threads = [threading.Thread(target=get) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [1] * 8 and len(computed) == 1  # eight callers, one computation
    assert cache.get(store, 7).articles_total == 1 and len(computed) == 1
    add_article(store, settings, 2)  # the data changed: the next caller gets the new figures
    assert cache.get(store, 7).articles_total == 2 and len(computed) == 2


def test_old_figures_are_served_at_once_while_one_refresh_runs(
    store: Store, settings: Settings, computed: list[str]
) -> None:
    add_article(store, settings, 1)
    cache = FiguresCache(seconds=0.0)  # every figure is immediately old
    assert cache.get(store, 7).articles_total == 1 and len(computed) == 1
    for _ in range(10):  # served from the kept figures: no caller computes
        assert cache.get(store, 7).articles_total == 1
    deadline = time.monotonic() + 30
    while len(computed) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    refreshes = computed[1:]
    # one background refresh at a time (another may start once it ends), never in a caller
    assert 1 <= len(refreshes) <= 3 and set(refreshes) == {"ttdn-dashboard-refresh"}
