"""Quality gate: language ID accuracy on the project's labelled set stays above a pinned floor."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from ttdn.settings import DEFAULT_LANGUAGES
from ttdn.text import get_identifier

FIXTURES = Path(__file__).parent / "fixtures" / "text"


def load_labelled() -> list[dict[str, str]]:
    lines = (FIXTURES / "langid_labelled.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def test_labelled_set_covers_every_default_language() -> None:
    counts = Counter(row["lang"] for row in load_labelled())
    assert set(counts) == set(DEFAULT_LANGUAGES)
    assert min(counts.values()) >= 8


def test_langid_accuracy_above_baseline() -> None:
    baseline = json.loads((FIXTURES / "langid_baseline.json").read_text(encoding="utf-8"))
    rows = load_labelled()
    ident = get_identifier(tuple(DEFAULT_LANGUAGES))
    predicted = ident.detect_many([row["text"] for row in rows])
    total: Counter[str] = Counter()
    right: Counter[str] = Counter()
    misses = []
    for row, (code, conf) in zip(rows, predicted, strict=True):
        total[row["lang"]] += 1
        if code == row["lang"]:
            right[row["lang"]] += 1
        else:
            misses.append(f"{row['lang']}→{code} ({conf:.2f}): {row['text'][:50]}")
    accuracy = sum(right.values()) / len(rows)
    assert accuracy >= baseline["min_accuracy"], f"accuracy {accuracy:.3f}; misses: {misses}"
    per_language = {lang: right[lang] / total[lang] for lang in total}
    weak = {lang: acc for lang, acc in per_language.items() if acc < baseline["min_per_language_accuracy"]}
    assert not weak, f"languages below the per-language floor: {weak}; misses: {misses}"
