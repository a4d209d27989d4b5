"""Quality gate: the shipped tone head on the multilingual fixture and, when present, NewsMTSC rw_dev and mt_dev."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from ttdn.models.tone import LABELS, default_model, macro_f1

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "tone"
BASELINE = json.loads((FIXTURES / "baseline.json").read_text("utf-8"))
NEWSMTSC = ROOT.parent / "shared" / "data" / "newsmtsc"
POLARITY = {2.0: "negative", 4.0: "neutral", 6.0: "positive"}
ROWS = [json.loads(line) for line in (FIXTURES / "multilingual.jsonl").read_text("utf-8").splitlines()]


def test_fixture_is_balanced_and_offsets_are_right() -> None:
    assert Counter(r["lang"] for r in ROWS) == {"en": 30, "vi": 30, "fr": 30, "zh": 30}
    for lang in ("en", "vi", "fr", "zh"):
        assert Counter(r["polarity"] for r in ROWS if r["lang"] == lang) == dict.fromkeys(LABELS, 10)
    assert all(r["text"][r["from"] : r["to"]] == r["target"] for r in ROWS)


def test_shipped_head_on_the_multilingual_fixture() -> None:
    probs = default_model().predict_proba([(r["text"], r["from"], r["to"]) for r in ROWS])
    pred = [LABELS[int(k)] for k in probs.argmax(axis=1)]
    overall = macro_f1([r["polarity"] for r in ROWS], pred)
    per_lang = {
        lang: macro_f1(
            [r["polarity"] for r in ROWS if r["lang"] == lang],
            [p for r, p in zip(ROWS, pred, strict=True) if r["lang"] == lang],
        )
        for lang in ("en", "vi", "fr", "zh")
    }
    assert overall["macro_f1"] >= BASELINE["min_fixture_macro_f1"], overall
    weak = {lang: s["macro_f1"] for lang, s in per_lang.items() if s["macro_f1"] < BASELINE["min_language_macro_f1"]}
    assert not weak, per_lang


@pytest.mark.parametrize("split", ["rw_dev", "mt_dev"])
def test_shipped_head_on_newsmtsc_dev(split: str) -> None:
    path = NEWSMTSC / f"{split}.jsonl"
    if not path.is_file():
        pytest.skip(f"NewsMTSC {split} not found at {path}")
    items, truth = [], []
    for line in path.read_text("utf-8").splitlines():
        row = json.loads(line)
        for target in row["targets"]:
            items.append((row["sentence_normalized"], int(target["from"]), int(target["to"])))
            truth.append(POLARITY[float(target["polarity"])])
    pred = [LABELS[int(k)] for k in default_model().predict_proba(items).argmax(axis=1)]
    result = macro_f1(truth, pred)
    assert result["macro_f1"] >= BASELINE[f"min_{split}_macro_f1"], result
