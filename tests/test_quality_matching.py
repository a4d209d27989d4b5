"""Quality gate: claim matching on the test half of tests/fixtures/narratives (floors in baseline.json)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from ttdn.kb.matching import DEFAULT_THRESHOLD, Narrative, NarrativeIndex, is_match

HERE = Path(__file__).parent / "fixtures" / "narratives"
BASELINE = json.loads((HERE / "baseline.json").read_text("utf-8"))
LANGS = ("vi", "en", "fr", "zh")


def map_at_k(ranked: list[list[str]], relevant: list[list[str]], k: int = 5) -> float:
    """Mean average precision at ``k`` over the queries that have relevant items (others skipped)."""
    aps = []
    for got, rel in zip(ranked, relevant, strict=True):
        if rel:
            hits = [item in rel for item in got[:k]]
            aps.append(sum(sum(hits[: r + 1]) / (r + 1) for r, hit in enumerate(hits) if hit) / min(len(rel), k))
    return sum(aps) / len(aps) if aps else float("nan")


def _narratives() -> list[Narrative]:
    out = []
    for line in (HERE / "narratives.jsonl").read_text("utf-8").splitlines():
        row = json.loads(line)
        out.append(Narrative(row["id"], row["text"], {"title": row["title"], "variants": row["variants"]}))
    return out


CLAIMS = [json.loads(line) for line in (HERE / "claims.jsonl").read_text("utf-8").splitlines()]


def figures(index: NarrativeIndex, claims: list[dict]) -> dict[str, float]:
    """MAP@5 (claims with a relevant narrative) and F1 of is_match over all (claim, narrative) pairs."""
    scores = index.scores([c["text"] for c in claims])
    ranked = [[index.ids[j] for j in np.argsort(-row, kind="stable")[:5]] for row in scores]
    rel = np.array([[i in c["relevant"] for i in index.ids] for c in claims])
    pred = np.vectorize(is_match)(scores)
    f1 = 2 * (pred & rel).sum() / max(pred.sum() + rel.sum(), 1)
    return {"map5": map_at_k(ranked, [c["relevant"] for c in claims]), "f1": float(f1)}


@pytest.fixture(scope="module")
def index() -> NarrativeIndex:
    return NarrativeIndex.build(_narratives())


def test_labelled_set_shape() -> None:
    narratives = _narratives()
    assert len(narratives) >= 40
    assert all(n.fields["title"] and 1 <= len(n.fields["variants"]) <= 3 for n in narratives)
    assert sum(bool(c["relevant"]) for c in CLAIMS) >= 200
    assert sum(not c["relevant"] for c in CLAIMS) >= 40
    assert {c["lang"] for c in CLAIMS} >= set(LANGS)
    assert 0.35 <= sum(c["split"] == "test" for c in CLAIMS) / len(CLAIMS) <= 0.65
    assert len({c["id"] for c in CLAIMS}) == len(CLAIMS)


def test_matching_quality_above_baseline(index: NarrativeIndex) -> None:
    test = [c for c in CLAIMS if c["split"] == "test"]
    overall = figures(index, test)
    per_lang = {lang: figures(index, [c for c in test if c["lang"] == lang]) for lang in LANGS}
    report = {"threshold": DEFAULT_THRESHOLD, "all": overall, **per_lang}
    assert overall["map5"] >= BASELINE["min_map5"], report
    assert overall["f1"] >= BASELINE["min_f1"], report
    weak = {lang: f for lang, f in per_lang.items() if f["map5"] < BASELINE["min_lang_map5"]}
    weak |= {lang: f for lang, f in per_lang.items() if f["f1"] < BASELINE["min_lang_f1"]}
    assert not weak, report
