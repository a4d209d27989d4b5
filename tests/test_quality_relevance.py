"""Quality gate: relevance precision and recall on the test half stay above pinned floors."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path
from typing import Any

from ttdn.understand import relevance_score

FIXTURES = Path(__file__).parent / "fixtures" / "relevance"


def load_labelled() -> list[dict[str, Any]]:
    lines = (FIXTURES / "labelled.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def is_test(row: dict[str, Any]) -> bool:
    """Deterministic split: odd first byte of SHA-1(title) → test half, else dev half."""
    return hashlib.sha1(row["title"].encode("utf-8")).digest()[0] % 2 == 1


def test_labelled_set_is_large_multilingual_and_balanced() -> None:
    rows = load_labelled()
    assert len(rows) >= 200
    langs = Counter(row["lang"] for row in rows)
    assert {"vi", "en", "fr", "zh", "ru", "de", "es", "ja", "ko"} <= set(langs)
    assert all(langs[lang] >= 20 for lang in ("vi", "en", "fr", "zh", "ru"))
    labels = Counter(row["relevant"] for row in rows)
    assert labels[True] >= 80 and labels[False] >= 80
    test_half = [row for row in rows if is_test(row)]
    assert 70 <= len(test_half) <= len(rows) - 70


def test_precision_and_recall_above_baseline() -> None:
    baseline = json.loads((FIXTURES / "baseline.json").read_text(encoding="utf-8"))
    tp = fp = fn = 0
    misses = []
    for row in filter(is_test, load_labelled()):
        score = relevance_score(row["title"], row["text"]).score
        predicted = score >= baseline["threshold"]
        if predicted and row["relevant"]:
            tp += 1
        elif predicted:
            fp += 1
            misses.append(f"FP {score:.2f} {row['title']}")
        elif row["relevant"]:
            fn += 1
            misses.append(f"FN {score:.2f} {row['title']}")
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    assert precision >= baseline["min_precision"], f"precision {precision:.3f}; {misses}"
    assert recall >= baseline["min_recall"], f"recall {recall:.3f}; {misses}"
