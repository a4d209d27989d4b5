"""Analysts' topic corrections: recorded as examples, the article's topics replaced, the model retrained."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from ttdn.errors import BadInput
from ttdn.models.topic_corrections import corrections_path, local_model_dir, model_for, record
from ttdn.models.topics import load_default, read_labelled_jsonl
from ttdn.pipeline import understand
from ttdn.pipeline.topology import ingest
from ttdn.records import Enrichment, RawArticle
from ttdn.settings import Settings
from ttdn.store import Store
from ttdn.store.tables import Article

TITLE = "Hanoi opens its first semiconductor design centre"
TEXT = "The centre will train chip engineers and host start-ups working on artificial intelligence."


def ttdn(args: list[str], settings: Settings) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TTDN_DATABASE_URL": settings.database_url or "", "TTDN_DATA_DIR": str(settings.data_dir)}
    return subprocess.run(
        [sys.executable, "-m", "ttdn.cli", *args], env=env, capture_output=True, text=True, timeout=300
    )


def test_record_checks_labels_and_appends(tmp_path: Path) -> None:
    known = load_default().labels
    with pytest.raises(BadInput, match=r"unknown topic.*astrology"):
        record(tmp_path, TITLE, TEXT, ["technology", "astrology"], known=known, who="a")
    with pytest.raises(BadInput, match="at least one"):
        record(tmp_path, TITLE, TEXT, [" "], known=known, who="a")
    assert not corrections_path(tmp_path).exists()  # a refused correction writes nothing
    record(tmp_path, TITLE, TEXT, ["economy"], known=known, who="a")
    example = record(tmp_path, TITLE, TEXT, ["technology", "technology"], known=known, who="b")
    examples, rejections = read_labelled_jsonl(corrections_path(tmp_path))
    assert not rejections and examples == [(example, ["technology"])]  # the later correction wins
    assert model_for(tmp_path) is load_default()  # nothing retrained yet: the shipped model


def test_correct_then_retrain_from_the_command_line(store: Store, settings: Settings) -> None:
    stage = understand.topics(settings)  # built before the retraining, like a running worker's
    ingest([RawArticle(url="https://a.example/chips", title=TITLE, text=TEXT, origin="t")], store, settings)
    with store.database.engine.connect() as conn:
        article_id = conn.execute(select(Article.id)).scalar_one()
    bad = ttdn(["topics", "correct", str(article_id), "astrology"], settings)
    assert bad.returncode != 0 and "astrology" in bad.stderr and "Traceback" not in bad.stderr
    missing = ttdn(["topics", "correct", "987654", "technology"], settings)
    assert missing.returncode != 0 and "987654" in missing.stderr
    early = ttdn(["topics", "retrain"], settings)
    assert early.returncode != 0 and "no corrections" in early.stderr

    # economy: a label the shipped model does not give this text, so the two models' outputs differ
    done = ttdn(["topics", "correct", str(article_id), "technology", "economy", "--by", "phantich"], settings)
    assert done.returncode == 0, done.stderr
    with store.database.engine.connect() as conn:
        topics = conn.execute(select(Article.topics).where(Article.id == article_id)).scalar_one()
    assert sorted(topics, key=lambda t: t["label"]) == [
        {"label": label, "score": 1.0, "corrected_by": "phantich"} for label in ("economy", "technology")
    ]
    line = json.loads(corrections_path(settings.data_dir).read_text("utf-8").splitlines()[-1])
    assert (
        sorted(line["labels"]) == ["economy", "technology"]
        and line["source"] == "analyst:phantich"
        and TITLE in line["text"]
    )

    retrained = ttdn(["topics", "retrain"], settings)
    assert retrained.returncode == 0, retrained.stderr
    summary = json.loads(retrained.stdout)
    assert summary["corrections"] == 1 and summary["examples"] == load_default().info["n_examples"] + 1
    local = model_for(settings.data_dir)
    assert (local_model_dir(settings.data_dir) / "manifest.json").is_file() and local is not load_default()
    assert local.info["n_examples"] == summary["examples"]
    assert {"technology", "economy"} <= set(local.labels_for(f"{TITLE}\n{TEXT}"))
    # the stage built before now uses the retrained model
    item = Enrichment(article_id=article_id, title=TITLE, text=TEXT)
    understand.embed(settings)([item])
    stage([item])
    [row] = local.predict([f"{TITLE}\n{TEXT}"], dense=item.embedding[None, :])
    assert item.topics == [{"label": lb, "score": round(sc, 4)} for lb, sc in row if sc >= local.thresholds[lb]]
    assert item.topics != [
        {"label": lb, "score": round(sc, 4)}
        for lb, sc in load_default().predict([f"{TITLE}\n{TEXT}"], dense=item.embedding[None, :])[0]
        if sc >= load_default().thresholds[lb]
    ]
