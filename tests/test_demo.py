"""The bundled demo corpus: its files meet the promised counts, it loads through the real
pipeline on the real (embedded) PostgreSQL, loading twice adds nothing, and enrichment turns
it into the stories it was written as and finds the narratives it repeats."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sklearn.metrics import normalized_mutual_info_score
from sqlalchemy import text

from ttdn.demo import DEMO_DIR, DEMO_URL, demo_articles, demo_loaded, load_demo
from ttdn.kb.facts import FactStore
from ttdn.records import RawArticle
from ttdn.settings import Settings
from ttdn.sources.files import iter_import
from ttdn.store import Store

MAIN_LANGS = ("vi", "en", "fr", "zh", "ru", "ja")


def rows(name: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (DEMO_DIR / name).read_text(encoding="utf-8").splitlines() if line.strip()]


ARTICLES = rows("articles.jsonl")
SOURCES = rows("sources.jsonl")
NARRATIVES = rows("narratives.jsonl")
FACTS = rows("facts.jsonl")


# ---------------------------------------------------------------------------- the files


def test_articles_meet_the_counts() -> None:
    assert len(ARTICLES) >= 300
    langs = Counter(a["lang"] for a in ARTICLES)
    assert all(langs[lang] >= 40 for lang in MAIN_LANGS), langs
    assert len(langs) >= 6
    stories: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for a in ARTICLES:
        stories[a["story"]].append(a)
    assert len(stories) >= 12
    for story, members in stories.items():
        assert len({a["lang"] for a in members}) >= 3, story
        assert len({a["source"] for a in members}) >= 5, story
    assert len({a["url"] for a in ARTICLES}) == len(ARTICLES)
    assert len({(a["lang"], a["title"]) for a in ARTICLES}) == len(ARTICLES), "titles repeat within a language"


def test_everything_is_marked_as_demo() -> None:
    names = {s["name"] for s in SOURCES}
    assert len(SOURCES) >= 20 and len({s["country"] for s in SOURCES}) >= 10
    assert all(s["name"].endswith(" (demo)") and s["url"].startswith(DEMO_URL) for s in SOURCES)
    for a in ARTICLES:
        assert a["url"].startswith(DEMO_URL) and a["source"] in names
        assert 0 < a["days_ago"] <= 30
    assert all(n["title"].endswith("(demo)") for n in NARRATIVES)
    assert all(t["title"].endswith("(demo)") for f in FACTS for t in f["texts"].values())
    assert all(f["source_url"].startswith(DEMO_URL) for f in FACTS)


def test_narratives_are_repeated_in_several_languages() -> None:
    assert len(NARRATIVES) >= 4
    keys = {n["id"] for n in NARRATIVES}
    for n in NARRATIVES:
        assert n["text"] and n["summary"] and n["category"] and n["severity"]
        assert {v["lang"] for v in n["variants"]} >= {"vi", "en", "fr", "zh"}
    repeated: dict[str, set[str]] = defaultdict(set)
    for a in ARTICLES:
        if "narrative" in a:
            assert a["narrative"] in keys
            repeated[a["narrative"]].add(a["lang"])
    assert sum(1 for langs in repeated.values() if len(langs) >= 3) >= 2, repeated


def test_facts_have_vietnamese_and_english_and_rebut_narratives() -> None:
    assert len(FACTS) >= 8
    keys = {n["id"] for n in NARRATIVES}
    for f in FACTS:
        assert {"vi", "en"} <= set(f["texts"]) and f["status"] == "approved"
        assert all(t["title"] and t["body"] for t in f["texts"].values())
        assert set(f["rebuts"]) <= keys
    assert len({k for f in FACTS for k in f["rebuts"]}) >= 4


def test_articles_follow_the_import_format(tmp_path: Path) -> None:
    """Each line is a `ttdn import` JSONL record once ``days_ago`` is a ``published_at``."""
    path = tmp_path / "demo.jsonl"
    now = datetime.now(UTC)
    with path.open("w", encoding="utf-8") as fh:
        for a in ARTICLES:
            moment = now.timestamp() - a["days_ago"] * 86400
            published = datetime.fromtimestamp(moment, UTC).isoformat()
            fh.write(json.dumps({**a, "published_at": published}, ensure_ascii=False) + "\n")
    items = list(iter_import(path))
    assert all(isinstance(item, RawArticle) for item in items), [i for i in items if not isinstance(i, RawArticle)]
    assert len(items) == len(ARTICLES)


def test_demo_articles_are_dated_relative_to_now() -> None:
    now = datetime(2030, 1, 31, 12, tzinfo=UTC)
    articles = demo_articles(now)
    dates = [a.published_at for a in articles if a.published_at is not None]
    assert len(dates) == len(articles) and all((now - d).days < 30 for d in dates)
    assert dates == sorted(dates), "oldest first, so that enrichment follows the stories in time"
    assert all(a.url and a.url.startswith(DEMO_URL) for a in articles)


# ---------------------------------------------------------------------------- loading


def counts(store: Store) -> dict[str, int]:
    queries = {
        "articles": "SELECT count(*) FROM articles",
        "sources": "SELECT count(*) FROM sources",
        "facts": "SELECT count(*) FROM facts",
        "fact_versions": "SELECT count(*) FROM fact_versions",
        "narratives": "SELECT count(*) FROM narratives",
        "narrative_facts": "SELECT count(*) FROM narrative_facts",
        "rejections": "SELECT count(*) FROM rejections",
    }
    with store.database.engine.connect() as conn:
        return {name: int(conn.execute(text(sql)).scalar_one()) for name, sql in queries.items()}


def test_load_without_enrichment_stores_everything_once(store: Store, settings: Settings) -> None:
    assert not demo_loaded(store)
    steps: list[tuple[str, int, int]] = []
    first = load_demo(store, settings, enrich_articles=False, on_progress=lambda *a: steps.append(a))
    assert demo_loaded(store)
    assert first.articles == len(ARTICLES) == first.articles_stored
    assert first.articles_rejected == 0 and first.articles_already_stored == 0
    assert first.sources_added == len(SOURCES) and first.facts_added == len(FACTS)
    assert first.narratives_added == len(NARRATIVES)
    assert {step for step, _, _ in steps} >= {"sources", "articles", "facts", "narratives"}
    assert ("articles", len(ARTICLES), len(ARTICLES)) in steps
    after = counts(store)
    assert after["articles"] == len(ARTICLES) and after["sources"] == len(SOURCES)
    assert after["facts"] == len(FACTS) and after["rejections"] == 0
    assert after["narrative_facts"] == sum(len(f["rebuts"]) for f in FACTS)
    with store.database.engine.connect() as conn:
        near = conn.execute(text("SELECT count(*) FROM articles WHERE dup_kind IS NOT NULL")).scalar_one()
        langs: dict[str, int] = dict(conn.execute(text("SELECT lang, count(*) FROM articles GROUP BY lang")).all())
    assert near == 0, "demo articles must not be taken for duplicates of each other"
    assert langs == Counter(a["lang"] for a in ARTICLES), "every article keeps its language"
    facts = FactStore(store.database.engine).list(status="approved")
    assert len(facts) == len(FACTS) and all({"vi", "en"} <= set(f.texts) for f in facts)
    sources = store.sources.all()
    assert not any(s.enabled for s in sources), "demo outlets do not exist: never polled"
    assert sum(s.items_collected for s in sources) == len(ARTICLES)

    second = load_demo(store, settings, enrich_articles=False)
    assert second.articles_stored == 0 and second.articles_already_stored == len(ARTICLES)
    assert second.sources_added == second.facts_added == second.narratives_added == 0
    assert counts(store) == after
    assert sum(s.items_collected for s in store.sources.all()) == len(ARTICLES)


def test_demo_load_command_without_enrichment(database_url: str, tmp_path: Path) -> None:
    env = {**os.environ, "TTDN_DATABASE_URL": database_url, "TTDN_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "200"}
    command = [sys.executable, "-m", "ttdn.cli", "demo", "load", "--no-enrich"]
    first = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    assert f"{len(ARTICLES)} bài mới / new articles" in first.stdout
    again = subprocess.run([*command, "--json"], env=env, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    summary = json.loads(again.stdout)
    assert summary["articles_stored"] == 0 and summary["articles_already_stored"] == len(ARTICLES)


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_demo_load_command_forms_the_stories_and_finds_the_narratives(
    store: Store, settings: Settings, database_url: str, tmp_path: Path
) -> None:
    """`ttdn demo load` end to end (one to two minutes on two idle cores, mostly embeddings for
    tone and narrative matching): stories agree with the labels (NMI ≥ 0.8), at least two
    narratives are matched, and a second load adds nothing."""
    env = {**os.environ, "TTDN_DATABASE_URL": database_url, "TTDN_DATA_DIR": str(tmp_path / "data")}
    result = subprocess.run(
        [sys.executable, "-m", "ttdn.cli", "demo", "load", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=840,
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["articles_stored"] == len(ARTICLES) and summary["articles_rejected"] == 0
    assert summary["enriched"] == len(ARTICLES) and summary["enrich_failed"] == 0

    with store.database.engine.connect() as conn:
        stored: dict[str, int] = dict(conn.execute(text("SELECT url, story_id FROM articles")).all())
        tones = [t for (t,) in conn.execute(text("SELECT tone FROM articles WHERE tone IS NOT NULL"))]
        matched = conn.execute(
            text(
                "SELECT n.key, a.url FROM narrative_matches m JOIN narratives n ON n.id = m.narrative_id "
                "JOIN articles a ON a.id = m.article_id"
            )
        ).all()
    labels = [a["story"] for a in ARTICLES]
    predicted = [stored[a["url"]] for a in ARTICLES]
    assert None not in predicted
    nmi = normalized_mutual_info_score(labels, predicted)
    assert nmi >= 0.8, f"stories disagree with the labels: NMI {nmi:.3f}"
    assert summary["stories"] == len(set(predicted))
    assert len(tones) >= 0.8 * len(ARTICLES)
    assert len({key for key, _ in matched}) >= 2, matched
    assert summary["narrative_matches"] == len(matched)
    repeating = {(a["narrative"], a["url"]) for a in ARTICLES if "narrative" in a}
    found = repeating & set(matched)
    print(
        f"demo load: {summary['seconds']} s, {summary['stories']} stories, NMI {nmi:.3f}, tone on {len(tones)} "
        f"articles (min {min(tones):.2f}, max {max(tones):.2f}), {len(matched)} narrative matches, "
        f"{len(found)}/{len(repeating)} repeating articles found"
    )

    again = load_demo(store, settings)
    assert again.articles_stored == 0 and again.enriched == 0
    with store.database.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM articles")).scalar_one() == len(ARTICLES)
