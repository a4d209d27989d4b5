"""bench/tone_finetune.py's held-out split, for comparing encoder recipes without the dev parts.

Needs no torch (the script imports it only to train).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

from ttdn.models.tone_heads import ENCODER_INPUTS

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import tone_finetune


def write_train(path: Path, n: int) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            sentence = f"Sentence {i}: Hanoi praised Tokyo."
            targets = [{"from": 13, "to": 18, "polarity": 6.0}]
            if i % 3 == 0:
                targets.append({"from": 27, "to": 32, "polarity": 4.0})
            fh.write(json.dumps({"primary_gid": f"g{i}", "sentence_normalized": sentence, "targets": targets}) + "\n")


def test_holdout_keeps_sentences_whole_and_holds_more_of_the_multi_target_ones(tmp_path: Path) -> None:
    write_train(tmp_path / "train.jsonl", 3000)
    kept, held = tone_finetune.holdout_split(tmp_path / "train.jsonl")
    assert len(kept) + len(held["single"]) + len(held["several"]) == 3000 + 1000
    sentences = lambda rows: {r[0] for r in rows}  # noqa: E731
    held_sentences = sentences(held["single"]) | sentences(held["several"])
    assert not sentences(kept) & held_sentences  # a sentence is never on both sides
    assert all(s.startswith("Sentence") for s in held_sentences)
    # the rule: about 30 % of the 1,000 multi-target sentences, about 4 % of the 2,000 others
    assert 250 <= len(sentences(held["several"])) <= 350 and 50 <= len(held["single"]) <= 110
    assert {y for *_, y in held["several"]} == {"positive", "neutral"}
    # the same file gives the same split
    assert tone_finetune.holdout_split(tmp_path / "train.jsonl") == (kept, held)


def test_the_encoder_inputs_and_the_flags_the_script_refuses() -> None:
    text = (
        "In a quiet hall far away, Hanoi  and\nBeijing traded words; Vietnam protested, China did not, "
        "and the talks went on."
    )
    a, b = text.index("Vietnam"), text.index("Vietnam") + 7
    window = (
        "In a quiet hall far away, Hanoi and Beijing traded words; «Vietnam» protested, China did not, "
        "and the talks went on."
    )
    # 40 characters either side, runs of white space made one space
    narrow = "away, Hanoi and Beijing traded words; «Vietnam» protested, China did not, and the talks"
    texts = {name: [view(text, a, b) for view in views] for name, views in ENCODER_INPUTS.items()}
    assert texts["marked"] == [window]
    assert texts["target-first"] == [f"«Vietnam» | {window}"]
    assert texts["marked+narrow"] == [window, narrow]
    assert texts["target-first+narrow"] == [f"«Vietnam» | {window}", narrow]
    for argv in (
        ["--holdout", "--out", "/nonexistent/x"],  # a model or a held-out score: one of them
        [],
        ["--holdout", "--input", "mention-last"],
    ):
        with pytest.raises(SystemExit) as stopped:
            tone_finetune.main(argv)
        assert stopped.value.code == 2


def test_parts_are_mixed_by_their_mean_log_probability() -> None:
    examples = [("x", 0, 1, "negative"), ("y", 0, 1, "neutral"), ("z", 0, 1, "positive")]
    a = np.array([[0.9, 0.05, 0.05], [0.8, 0.15, 0.05], [0.1, 0.1, 0.8]])
    b = np.array([[0.6, 0.2, 0.2], [0.01, 0.6, 0.39], [0.2, 0.2, 0.6]])
    assert tone_finetune.scored(examples, [np.log(b)]) == 1.0
    assert tone_finetune.scored(examples, [np.log(a)]) < 1.0  # "y" read as negative
    # the second row: the mean of probabilities says negative (0.405), the mean of
    # log-probabilities neutral (0.8·0.01 < 0.15·0.6)
    assert ((a + b) / 2)[1].argmax() == 0
    assert tone_finetune.scored(examples, [np.log(a), np.log(b)]) == 1.0
