"""Crash consistency: kill -9 a collecting or importing process mid-batch, rerun, count.

Nothing acknowledged (committed) may be lost and the rerun may create no duplicate.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from ttdn.records import SourceSpec
from ttdn.store import Store
from ttdn.store.tables import Article

pytestmark = pytest.mark.slow


def start(args: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "ttdn.cli", *args],
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def counts(store: Store) -> tuple[int, int, int]:
    with store.database.engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(Article)).scalar_one()
        keys = conn.execute(select(func.count(func.distinct(Article.url_key)))).scalar_one()
        titles = conn.execute(select(func.count(func.distinct(Article.title)))).scalar_one()
    return total, keys, titles


def kill_when_some_stored(process: subprocess.Popen[str], store: Store, at_least: int, timeout: float) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        stored = store.articles.count()
        if stored >= at_least:
            os.kill(process.pid, signal.SIGKILL)
            process.wait(10)
            return stored
        if process.poll() is not None:
            pytest.fail(f"the process ended before it could be killed: {process.stderr.read()}")  # type: ignore[union-attr]
        time.sleep(0.02)
    process.kill()
    pytest.fail("nothing was stored in time")


@pytest.fixture
def env(database_url: str, tmp_path: Path) -> dict[str, str]:
    return {"TTDN_DATABASE_URL": database_url, "TTDN_DATA_DIR": str(tmp_path / "d"), "TTDN_HOST_DELAY": "0"}


def test_killed_collection_loses_nothing_and_rerun_duplicates_nothing(
    store: Store, env: dict[str, str], fixture_server: Any
) -> None:
    total = 120
    store.sources.add([SourceSpec(url=fixture_server.url(f"/bulk/feed.xml?n={total}"), name="bulk")])
    process = start(["collect"], env)
    at_kill = kill_when_some_stored(process, store, at_least=20, timeout=60)
    after_kill = store.articles.count()
    assert 0 < after_kill < total, "the kill must land mid-collection"
    assert after_kill >= at_kill  # nothing committed was lost
    rerun = subprocess.run(
        [sys.executable, "-m", "ttdn.cli", "collect"], env={**os.environ, **env}, capture_output=True, text=True
    )
    assert rerun.returncode == 0, rerun.stderr
    assert json.loads(rerun.stdout)["stored"] == total - after_kill
    assert counts(store) == (total, total, total)


def test_killed_import_loses_nothing_and_rerun_duplicates_nothing(
    store: Store, env: dict[str, str], tmp_path: Path
) -> None:
    total = 4000
    path = tmp_path / "many.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for i in range(total):
            words = " ".join(f"w{(i * 7919 + k) % 100003}" for k in range(60))
            record = {"url": f"https://bulk.example/{i}", "title": f"Tin số {i}", "text": f"Việt Nam {i}. {words}"}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    process = start(["import", str(path)], env)
    kill_when_some_stored(process, store, at_least=200, timeout=120)
    after_kill = store.articles.count()
    assert 0 < after_kill < total
    assert after_kill % 200 == 0  # whole batches only: a batch is committed all or nothing
    rerun = subprocess.run(
        [sys.executable, "-m", "ttdn.cli", "import", str(path)],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
    )
    assert rerun.returncode == 0, rerun.stderr
    summary = json.loads(rerun.stdout)
    assert (summary["stored"], summary["already_stored"]) == (total - after_kill, after_kill)
    assert counts(store) == (total, total, total)
