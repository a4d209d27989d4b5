"""Benchmark: online story assignment in PostgreSQL with many stored articles and stories.

Fills the embedded database with N synthetic stories (random unit centroids spread over the
last days, as ``ttdn enrich`` would have left them after N articles), then assigns M new
articles through the real story stage and prints JSON: milliseconds per assignment
(median, p95), how many joined or opened a story, and the peak RSS of this process.

    python bench/stories_db.py --stored 100000 --new 1000
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import shutil
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import psutil
from sqlalchemy import text

from ttdn.pipeline.story import LanguageMeans, assign_stories
from ttdn.records import Enrichment
from ttdn.settings import Settings
from ttdn.store import Store

DIM = 384


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stored", type=int, default=100_000, help="stories already stored")
    parser.add_argument("--new", type=int, default=1_000, help="new articles to assign")
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="ttdn-bench-stories-"))
    store = Store.open(Settings(data_dir=data_dir))
    rng = np.random.default_rng(3)
    now = datetime.now(UTC)
    t_fill = time.perf_counter()
    with store.database.engine.begin() as conn:
        for start in range(0, args.stored, 5000):
            n = min(5000, args.stored - start)
            vectors = rng.standard_normal((n, DIM)).astype(np.float32)
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
            seen = [now - timedelta(hours=float(h)) for h in rng.uniform(0, 24 * 14, n)]
            conn.execute(
                text(
                    "INSERT INTO stories (title, first_seen, last_seen, size, centroid, lang_counts) "
                    "SELECT 'story ' || i, s, s, 1, CAST(v AS halfvec), '{\"en\": 1}' "
                    "FROM unnest(CAST(:ids AS int[]), CAST(:seen AS timestamptz[]), CAST(:vs AS text[])) AS t(i, s, v)"
                ),
                {
                    "ids": list(range(start, start + n)),
                    "seen": seen,
                    "vs": ["[" + ",".join(f"{x:.5f}" for x in row) + "]" for row in vectors],
                },
            )
    fill_s = time.perf_counter() - t_fill
    prior = {None: np.zeros(DIM, dtype=np.float32)}
    stage = assign_stories(store.stories, LanguageMeans(lambda: {}, prior), threshold=0.45, window_hours=72)
    timings = []
    for i in range(args.new):
        base = rng.standard_normal(DIM).astype(np.float32)
        item = Enrichment(article_id=10_000_000 + i, title=f"new {i}", text="", lang="en", published_at=now)
        item.embedding = base / np.linalg.norm(base)
        t = time.perf_counter()
        stage([item])
        timings.append((time.perf_counter() - t) * 1000)
    timings.sort()
    with store.database.engine.connect() as conn:
        total = conn.execute(text("SELECT count(*) FROM stories")).scalar_one()
    store.close()
    print(
        json.dumps(
            {
                "benchmark": "stories_db",
                "stored_stories": args.stored,
                "new_articles": args.new,
                "stories_after": total,
                "fill_s": round(fill_s, 1),
                "assign_ms_median": round(statistics.median(timings), 2),
                "assign_ms_p95": round(timings[int(0.95 * len(timings)) - 1], 2),
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                "machine": f"{platform.machine()} {psutil.cpu_count()} cpu "
                f"{round(psutil.virtual_memory().total / 2**30)} GiB",
            }
        )
    )
    shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
