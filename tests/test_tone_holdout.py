"""bench/tone_finetune.py's held-out split, for comparing encoder recipes without the dev parts.

Needs no torch (the script imports it only to train).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

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


def test_the_shipped_input_is_the_marked_window_and_target_first_is_only_for_holdout() -> None:
    text = "Hanoi  and\nBeijing traded words; Vietnam protested, China did not."
    a, b = text.index("Vietnam"), text.index("Vietnam") + 7
    window = "Hanoi and Beijing traded words; «Vietnam» protested, China did not."
    assert tone_finetune.VIEWS["marked"](text, a, b) == window
    assert tone_finetune.VIEWS["target-first"](text, a, b) == f"«Vietnam» | {window}"
    with pytest.raises(SystemExit) as stopped:
        tone_finetune.main(["--out", "/nonexistent/x", "--input", "target-first"])
    assert stopped.value.code == 2
    with pytest.raises(SystemExit) as stopped:  # a model or a held-out score: one of them
        tone_finetune.main(["--holdout", "--out", "/nonexistent/x"])
    assert stopped.value.code == 2
