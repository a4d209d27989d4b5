"""Quality gate: batch story clustering on the labelled multilingual set, against pinned floors."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from ttdn.models.stories_batch import cluster_jsonl

FIXTURES = Path(__file__).parent / "fixtures" / "stories"
BASELINE = json.loads((FIXTURES / "baseline.json").read_text("utf-8"))


def test_labelled_set_shape() -> None:
    rows = [json.loads(line) for line in (FIXTURES / "labelled.jsonl").read_text("utf-8").splitlines()]
    assert len(rows) >= 200
    assert {"vi", "en", "fr", "zh"} <= {r["lang"] for r in rows}
    sizes = Counter(r["story"] for r in rows)
    assert len(sizes) >= 25 and min(sizes.values()) >= 3 and max(sizes.values()) <= 12
    for story in sizes:
        assert len({r["lang"] for r in rows if r["story"] == story}) >= 2, story


def test_clustering_scores_above_baseline(tmp_path: Path) -> None:
    src = FIXTURES / "labelled.jsonl"
    written, rejections = cluster_jsonl(src, tmp_path / "out.jsonl")
    assert not rejections and written >= 200
    truth = {r["id"]: r["story"] for r in map(json.loads, src.read_text("utf-8").splitlines())}
    out = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text("utf-8").splitlines()]
    labels = [truth[o["id"]] for o in out]
    found = [o["story_id"] for o in out]
    nmi = normalized_mutual_info_score(labels, found)
    ari = adjusted_rand_score(labels, found)
    report = {"nmi": round(nmi, 4), "ari": round(ari, 4), "clusters": len(set(found)), "true": len(set(labels))}
    assert nmi >= BASELINE["min_nmi"], report
    assert ari >= BASELINE["min_ari"], report
    assert len(set(found)) <= BASELINE["max_clusters_ratio"] * len(set(labels)), report
