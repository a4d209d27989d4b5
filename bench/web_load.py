"""Benchmark: pages and API under concurrent users, with N stored articles (default 100,000).

Fills an embedded PostgreSQL with N synthetic articles the way ``bench/search.py`` does (its
generator and bulk load are reused: eight languages, sources with countries, topics, tone,
relevance, stories, 384-d embeddings, all indexes built after the load), dated so that the
newest is now (the dashboard looks at recent weeks), builds the ``stories`` rows from the
articles' story ids, adds 40 facts (half approved), then starts ``ttdn serve``
as a separate process (uvicorn, no scheduler) and drives it from this process with ``--users``
concurrent users over loopback. Each user logs in through the login form (session cookie +
CSRF, as a browser does), then loops over a mix of pages and API calls — dashboard, stories
list, a story, an article, search page (a query per request, vector half included: the
server embeds the query with the bundled model), facts, narratives, sources, and the JSON
API — pausing ``--think`` seconds between requests (0 = no pause, the harshest case).

Prints one JSON object: per route kind and overall p50/p95/p99 (ms), requests, errors,
throughput, the machine.

    python bench/web_load.py --n 100000 --users 20 --duration 60
    python bench/web_load.py --n 100000 --reuse /var/tmp/ttdn-web-100k   # load once
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import text

import search as search_bench  # bench/search.py: the synthetic corpus and its bulk load
from machine import describe
from ttdn.kb.facts import FactStore
from ttdn.settings import Settings
from ttdn.store import Store
from ttdn.web.accounts import AccountStore

USER, PASSWORD = "bench-user", "bench-password-1"
META = "bench_web_load.json"
QUERIES = ["viet nam", "ha noi", "kinh te", "Vietnam", "Hanoi economy", "mekong", "biển đông", "东海", "investissement"]


def prepare(data_dir: Path, n: int, seed: int, log: Any) -> dict[str, Any]:
    meta_path = data_dir / META
    if meta_path.exists():
        meta: dict[str, Any] = json.loads(meta_path.read_text())
        log(f"reusing {data_dir} ({meta['n']} articles)")
        return meta
    settings = Settings(data_dir=data_dir, enrich_worker=False, scheduler=False)
    with Store.open(settings) as store:
        world = search_bench.build_world(seed)
        world.start = datetime.now(UTC) - timedelta(days=search_bench.DAYS)  # the newest articles are today's
        loaded = search_bench.load(store, world, n, 10_000, log)
        engine = store.database.engine
        with engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO stories (id, title, first_seen, last_seen, size, languages, countries, tone_sum, "
                "tone_count, lang_counts, title_article_id) "
                "SELECT a.story_id, min(a.title), min(a.published_at), max(a.published_at), count(*), "
                "array_agg(DISTINCT a.lang), array_remove(array_agg(DISTINCT s.country), NULL), "
                "coalesce(sum(a.tone), 0), count(a.tone), '{}'::jsonb, min(a.id) "
                "FROM articles a JOIN sources s ON s.id = a.source_id WHERE a.story_id IS NOT NULL "
                "GROUP BY a.story_id"
            ))  # fmt: skip
            conn.execute(text("ANALYZE"))
        facts = FactStore(engine)
        for i in range(40):
            fact_id = facts.create(
                "economy",
                {"vi": (f"Dữ kiện số {i}", f"Nội dung dữ kiện {i} về kinh tế Việt Nam."),
                 "en": (f"Fact {i}", f"Fact {i} about Vietnam's economy.")},
                author="bench",
            )  # fmt: skip
            if i % 2 == 0:
                facts.set_status(fact_id, "approved", author="bench")
        AccountStore(engine).add(USER, PASSWORD, role="analyst")
        with engine.connect() as conn:
            stories = conn.execute(text("SELECT count(*) FROM stories")).scalar_one()
    meta = {"n": n, "seed": seed, "stories": stories, "load": loaded}
    meta_path.write_text(json.dumps(meta, default=str))
    return meta


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(data_dir: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TTDN_")}
    env |= {"TTDN_DATA_DIR": str(data_dir), "TTDN_ENRICH_WORKER": "false", "TTDN_SCHEDULER": "false"}
    process = subprocess.Popen(
        [sys.executable, "-m", "ttdn.cli", "serve", "--port", str(port), "--no-scheduler"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                return process, base
        except httpx.HTTPError:
            time.sleep(0.3)
    process.kill()
    raise SystemExit("ttdn serve did not start")


def mix(n: int, stories: list[int]) -> list[tuple[str, str]]:
    """(kind, path) pairs in the proportions an analyst's day might have."""
    article = random.randint(1, n)
    story = random.choice(stories) if stories else 1
    query = random.choice(QUERIES)
    return [
        ("page:dashboard", "/"),
        ("page:stories", "/stories"),
        ("page:story", f"/stories/{story}"),
        ("page:article", f"/articles/{article}"),
        ("page:search", f"/search?q={query}"),
        ("page:facts", "/facts"),
        ("page:narratives", "/narratives"),
        ("page:sources", "/sources"),
        ("api:search", f"/api/search?q={query}"),
        ("api:articles", "/api/articles?limit=50"),
        ("api:article", f"/api/articles/{article}"),
        ("api:stories", "/api/stories"),
    ]


async def user_loop(
    base: str,
    n: int,
    stories: list[int],
    until: float,
    think: float,
    results: dict[str, list[float]],
    errors: dict[str, int],
) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        page = await client.get("/login")
        token = re.search(r'name="csrf-token" content="([^"]+)"', page.text)
        assert token, "no CSRF token on the login page"
        login = await client.post("/login", data={"username": USER, "password": PASSWORD, "csrf_token": token.group(1)})
        assert login.status_code == 303, login.text
        while time.monotonic() < until:
            for kind, path in mix(n, stories):
                if time.monotonic() >= until:
                    break
                t0 = time.perf_counter()
                try:
                    answer = await client.get(path)
                    ok = answer.status_code == 200
                except httpx.HTTPError:
                    ok = False
                results[kind].append((time.perf_counter() - t0) * 1000)
                if not ok:
                    errors[kind] += 1
                if think:
                    await asyncio.sleep(random.uniform(0.5 * think, 1.5 * think))


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))], 1)


def summary(values: list[float]) -> dict[str, float]:
    return {"n": len(values), "p50_ms": pct(values, 50), "p95_ms": pct(values, 95), "p99_ms": pct(values, 99),
            "mean_ms": round(statistics.fmean(values), 1)}  # fmt: skip


async def drive(base: str, n: int, stories: list[int], users: int, duration: float, think: float) -> dict[str, Any]:
    results: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    # warm-up: one pass over every route (loads the embedding model, fills caches)
    await user_loop(base, n, stories, time.monotonic() + 5, 0, defaultdict(list), defaultdict(int))
    started = time.monotonic()
    await asyncio.gather(
        *(user_loop(base, n, stories, started + duration, think, results, errors) for _ in range(users))
    )
    elapsed = time.monotonic() - started
    everything = [v for values in results.values() for v in values]
    pages = [v for k, values in results.items() if k.startswith("page:") for v in values]
    api = [v for k, values in results.items() if k.startswith("api:") for v in values]
    return {
        "overall": summary(everything),
        "pages": summary(pages),
        "api": summary(api),
        "by_route": {k: summary(v) | {"errors": errors.get(k, 0)} for k, v in sorted(results.items())},
        "requests": len(everything),
        "errors": sum(errors.values()),
        "throughput_rps": round(len(everything) / elapsed, 1),
        "duration_s": round(elapsed, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=100_000, help="articles to store")
    parser.add_argument("--users", type=int, default=20, help="concurrent users")
    parser.add_argument("--duration", type=float, default=60, help="seconds of measured load")
    parser.add_argument("--think", type=float, default=1.0, help="mean pause between a user's requests (s); 0: none")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--reuse", type=Path, default=None, help="data dir to load once and reuse (never deleted)")
    args = parser.parse_args()

    def log(msg: str) -> None:
        print(f"[web_load] {msg}", file=sys.stderr, flush=True)

    data_dir = args.reuse or Path(tempfile.mkdtemp(prefix="ttdn-web-load-"))
    meta = prepare(data_dir, args.n, args.seed, log)
    settings = Settings(data_dir=data_dir)
    with Store.open(settings) as store, store.database.engine.connect() as conn:
        stories = [int(r) for r in conn.execute(text("SELECT id FROM stories ORDER BY random() LIMIT 2000")).scalars()]
    process, base = start_server(data_dir)
    log(f"serving {base}; {args.users} users for {args.duration} s, think {args.think} s")
    try:
        measured = asyncio.run(drive(base, meta["n"], stories, args.users, args.duration, args.think))
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        if args.reuse is None:
            shutil.rmtree(data_dir, ignore_errors=True)
    print(json.dumps({
        "benchmark": "web_load",
        "articles": meta["n"],
        "stories": meta["stories"],
        "users": args.users,
        "think_s": args.think,
        **measured,
        "target": {"p95_ms": 300},
        "machine": describe(),
    }, indent=2))  # fmt: skip


if __name__ == "__main__":
    main()
