"""The full-text half over thousands of rows: the newest-matches pool and the phrase bound."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from ttdn.search import engine as search_engine
from ttdn.search.engine import search
from ttdn.store import Store

ROWS = 6000


def fill(store: Store, texts: str) -> None:
    """``ROWS`` bare articles whose folded text is the SQL expression ``texts`` of ``g`` (1 … ROWS)."""
    with store.database.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO articles (id, url_key, title, text, title_norm, text_norm, lang_confidence, "
                "content_hash, minhash, search_text) SELECT g, 'k' || g, 't', 'x', 't', 'x', 1, 'h', '\\x00', "
                + texts
                + " "
                "FROM generate_series(1, :n) g"
            ),
            {"n": ROWS},
        )


def truth(store: Store, tsquery: str) -> list[int]:
    with store.database.engine.connect() as conn:
        found = conn.execute(
            text("SELECT id FROM articles WHERE search_tsv @@ to_tsquery('simple', :q) ORDER BY id DESC"),
            {"q": tsquery},
        )
        return list(found.scalars())


def test_a_frequent_word_ranks_its_newest_matches(store: Store) -> None:
    # 'alpha' in every third article, 'rare' in three old ones
    fill(
        store,
        "CASE WHEN g % 3 = 0 THEN 'alpha beta' ELSE 'gamma' END || CASE WHEN g IN (5, 7, 11) THEN ' rare' ELSE '' END",
    )
    result = search(store.database.engine, "alpha", limit=200)
    assert result.lexical_matches == search_engine.LEXICAL_POOL
    assert {h.id for h in result.hits} == set(truth(store, "alpha")[: search_engine.LEXICAL_POOL])
    rare = search(store.database.engine, "rare")
    assert sorted(h.id for h in rare.hits) == [5, 7, 11] and not rare.phrase_limited


def test_a_phrase_of_common_words_is_checked_in_a_bounded_number_of_rows(
    store: Store, monkeypatch: pytest.MonkeyPatch, database_url: str, tmp_path: Path
) -> None:
    # every article holds both words, but only articles 10 and 20 hold them side by side
    fill(store, "CASE WHEN g IN (10, 20) THEN 'alpha beta' ELSE 'beta gamma alpha' END")
    assert truth(store, "alpha <-> beta") == [20, 10]
    bounded = search(store.database.engine, '"alpha beta"')
    assert bounded.hits == [] and bounded.phrase_limited  # beyond the newest rows checked: said so
    monkeypatch.setattr(search_engine, "PHRASE_CHECK_ROWS", ROWS + 10)
    everything = search(store.database.engine, '"alpha beta"')
    assert [h.id for h in everything.hits] == [20, 10] and not everything.phrase_limited
    # the command line says so too
    env = {**os.environ, "TTDN_DATABASE_URL": database_url, "TTDN_DATA_DIR": str(tmp_path), "COLUMNS": "200"}
    run = subprocess.run(
        [sys.executable, "-m", "ttdn.cli", "search", '"alpha beta"', "--lexical-only"],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "The phrase was checked only in the newest" in " ".join(run.stdout.split())
    # a NOT around a phrase is never loosened to its words: still exact
    assert sorted(h.id for h in search(store.database.engine, 'gamma NOT "gamma alpha"').hits) == []


def test_a_phrase_among_recent_articles_is_found_within_the_bound(store: Store) -> None:
    fill(store, "CASE WHEN g % 500 = 0 THEN 'alpha beta' ELSE 'beta gamma alpha' END")
    result = search(store.database.engine, '"alpha beta"', limit=50)
    expected = truth(store, "alpha <-> beta")
    assert len(expected) == ROWS // 500
    # the newest PHRASE_CHECK_ROWS rows holding both words hold these; older ones were not checked
    newest = [i for i in expected if i > ROWS - search_engine.PHRASE_CHECK_ROWS]
    assert sorted((h.id for h in result.hits), reverse=True) == newest
    assert result.phrase_limited
    # CJK words are phrases of characters: the same path
    with store.database.engine.begin() as conn:
        conn.execute(text("UPDATE articles SET search_text = '越 南 海' WHERE id = :i"), {"i": ROWS - 1})
    assert [h.id for h in search(store.database.engine, "越南").hits] == [ROWS - 1]
