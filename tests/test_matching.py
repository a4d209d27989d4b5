"""Claim matching: cross-lingual matches, ranking, save/load, thresholds and the JSONL batch tool."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from ttdn.errors import BadInput, ConfigError
from ttdn.kb.matching import (
    DEFAULT_THRESHOLD,
    Match,
    Narrative,
    NarrativeIndex,
    calibrate_threshold,
    is_match,
    match_jsonl,
)

NARRATIVES = [
    Narrative(
        "paracel-history",
        "The claim that Vietnam has no historical evidence of sovereignty over the Paracel Islands.",
        {
            "title": "No historical basis for the Paracel claim",
            "variants": [
                "L'affirmation selon laquelle le Vietnam n'a aucune preuve historique de souveraineté sur les Paracels."
            ],
        },
    ),
    Narrative(
        "note-1958",
        "The claim that a 1958 diplomatic note shows Vietnam recognised China's sovereignty over the islands.",
        {"title": "The 1958 note"},
    ),
    Narrative("fdi-flight", "The claim that foreign investors are fleeing Vietnam en masse and FDI has collapsed.", {}),
    Narrative(
        "vaccine-infertility",
        "L'affirmation selon laquelle les vaccins contre le Covid-19 administrés au Vietnam rendraient stériles.",
        {"summary": "Rumour about vaccine side effects"},
    ),
    Narrative("dengue-gmo", "The claim that the dengue outbreak was caused by genetically modified mosquitoes.", {}),
]


@pytest.fixture(scope="module")
def index() -> NarrativeIndex:
    return NarrativeIndex.build(NARRATIVES)


def test_cross_lingual_claims_find_their_narrative(index: NarrativeIndex) -> None:
    claims = [
        "Việt Nam không có bằng chứng lịch sử nào về chủ quyền đối với quần đảo Hoàng Sa.",  # vi → en/fr narrative
        "Tin đồn rằng tiêm vắc-xin Covid sẽ khiến người trẻ bị vô sinh.",  # vi → fr narrative
        "外国投资者正在大规模撤离越南。",  # zh → en narrative
        "Les investisseurs étrangers fuient massivement le Vietnam.",  # fr → en narrative
    ]
    got = [matches[0].id for matches in index.match(claims)]
    assert got == ["paracel-history", "vaccine-infertility", "fdi-flight", "fdi-flight"]


def test_ranking_order_scores_and_top_k(index: NarrativeIndex) -> None:
    [matches] = index.match(["Vietnam recognised Chinese sovereignty over the Paracels in its 1958 note."], top_k=3)
    assert len(matches) == 3 and all(isinstance(m, Match) for m in matches)
    assert matches[0].id == "note-1958"
    assert matches[1].id == "paracel-history"  # the near miss on the same topic comes next
    scores = [m.score for m in matches]
    assert scores == sorted(scores, reverse=True) and all(0.0 <= s <= 1.0 for s in scores)
    assert is_match(matches[0].score) and not is_match(matches[2].score)
    [everything] = index.match(["dengue mosquitoes"], top_k=100)
    assert len(everything) == len(NARRATIVES)
    with pytest.raises(BadInput, match="top_k"):
        index.match(["x"], top_k=0)


def test_unrelated_and_empty_claims(index: NarrativeIndex) -> None:
    unrelated, empty, blank = index.match(["Hà Nội hosted a food festival with street performers.", "", "  \n"])
    assert not is_match(unrelated[0].score)
    assert empty == [] and blank == []
    assert index.scores([""]).shape == (1, len(NARRATIVES)) and not index.scores([""]).any()
    with pytest.raises(TypeError):
        index.match("a bare string")  # type: ignore[arg-type]


def test_save_load_round_trip(index: NarrativeIndex, tmp_path: Path) -> None:
    index.save(tmp_path / "idx")
    loaded = NarrativeIndex.load(tmp_path / "idx")
    claims = ["Les investisseurs fuient le Vietnam.", "Covid vaccines cause infertility in Vietnam."]
    assert loaded.ids == index.ids and loaded.n_vectors == index.n_vectors
    assert np.array_equal(loaded.scores(claims), index.scores(claims))
    assert loaded.match(claims) == index.match(claims)


def test_load_refuses_other_model_version_or_damage(index: NarrativeIndex, tmp_path: Path) -> None:
    index.save(tmp_path / "idx")
    manifest_path = tmp_path / "idx" / "manifest.json"
    manifest = json.loads(manifest_path.read_text("utf-8"))
    manifest_path.write_text(json.dumps({**manifest, "model_id": "other-model"}), "utf-8")
    with pytest.raises(ConfigError, match="other-model"):
        NarrativeIndex.load(tmp_path / "idx")
    manifest_path.write_text(json.dumps({**manifest, "format_version": 99}), "utf-8")
    with pytest.raises(ConfigError, match="format version"):
        NarrativeIndex.load(tmp_path / "idx")
    manifest_path.write_text(json.dumps(manifest), "utf-8")
    (tmp_path / "idx" / "vectors.npz").write_bytes(b"not a zip")
    with pytest.raises(ConfigError, match="damaged"):
        NarrativeIndex.load(tmp_path / "idx")
    with pytest.raises(ConfigError):
        NarrativeIndex.load(tmp_path / "missing")


def test_build_refuses_duplicate_ids_and_empty_text() -> None:
    with pytest.raises(BadInput, match="a, b"):
        NarrativeIndex.build([Narrative(i, "text") for i in ("a", "b", "a", "b", "c")])
    with pytest.raises(BadInput, match="empty-one"):
        NarrativeIndex.build([Narrative("ok", "text"), Narrative("empty-one", "  ")])
    with pytest.raises(BadInput):
        NarrativeIndex.build([])


def test_calibrate_threshold() -> None:
    assert calibrate_threshold([]) == DEFAULT_THRESHOLD
    # analysts reject matches scoring up to 0.75 and confirm those above: the threshold rises
    rejected_high = [(0.6, False), (0.65, False), (0.7, False), (0.75, False), (0.8, True), (0.9, True)] * 5
    raised = calibrate_threshold(rejected_high)
    assert DEFAULT_THRESHOLD < raised < 0.775
    # more decisions pull further from the prior toward the fitted 0.775
    assert raised < calibrate_threshold(rejected_high * 10) < 0.776
    # analysts confirm lower-scoring matches: the threshold falls
    confirmed_low = [(0.4, True), (0.45, True), (0.5, True), (0.3, False), (0.2, False)] * 4
    assert calibrate_threshold(confirmed_low) < DEFAULT_THRESHOLD
    # only rejections: just above the highest rejected score, shrunk toward the default
    assert DEFAULT_THRESHOLD < calibrate_threshold([(0.9, False)] * 20) < 0.9
    assert calibrate_threshold([(0.3, True)], prior_weight=0) == pytest.approx(0.3, abs=1e-5)
    with pytest.raises(BadInput):
        calibrate_threshold([(1.5, True)])


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_match_jsonl_output_and_rejections(tmp_path: Path) -> None:
    narratives = _write(
        tmp_path / "n.jsonl",
        [
            json.dumps(
                {
                    "id": "fdi",
                    "text": "Foreign investors are fleeing Vietnam.",
                    "title": "FDI flight",
                    "variants": ["Les investisseurs étrangers fuient le Vietnam."],
                }
            ),
            json.dumps({"id": "dengue", "text": "Dengue spread by GM mosquitoes.", "tags": ["health"]}),
            "{not json",
            json.dumps({"text": "no id"}),
            json.dumps({"id": "n-no-text"}),
            json.dumps({"id": "bad-field", "text": "x", "variants": [1, 2]}),
            json.dumps({"id": "bad-field2", "text": "x", "score": 3}),
        ],
    )
    claims = _write(
        tmp_path / "c.jsonl",
        [
            json.dumps({"id": "c1", "text": "Các nhà đầu tư nước ngoài đang rút khỏi Việt Nam."}),
            json.dumps({"id": 2, "text": "登革热是转基因蚊子造成的。"}),
            json.dumps({"id": "c1", "text": "duplicate id"}),
            json.dumps({"id": "c3"}),
            json.dumps({"id": "c4", "text": ""}),
            json.dumps({"id": "c5", "text": 42}),
            "[1, 2]",
            "",
        ],
    )
    out = tmp_path / "out.jsonl"
    progress: list[int] = []
    written, rejections = match_jsonl(claims, narratives, out, top_k=1, on_progress=progress.append)
    rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert written == 2 and sum(progress) == 2
    assert rows[0]["id"] == "c1" and [m["id"] for m in rows[0]["matches"]] == ["fdi"]
    assert rows[1]["id"] == "2" and rows[1]["matches"][0]["id"] == "dengue"
    assert 0 <= rows[0]["matches"][0]["score"] <= 1
    where = {r.origin: r.reason for r in rejections}
    assert set(where) == {f"{narratives}:{i}" for i in (3, 4, 5, 6, 7)} | {f"{claims}:{i}" for i in (3, 4, 5, 6, 7)}
    assert "invalid JSON" in where[f"{narratives}:3"] and "missing id" in where[f"{narratives}:4"]
    assert "missing text" in where[f"{narratives}:5"] and "'variants'" in where[f"{narratives}:6"]
    assert "duplicate claim id 'c1'" in where[f"{claims}:3"] and "empty text" in where[f"{claims}:5"]
    assert "not a JSON object" in where[f"{claims}:7"]


def test_match_jsonl_whole_run_errors(tmp_path: Path) -> None:
    claims = _write(tmp_path / "c.jsonl", [json.dumps({"id": "c1", "text": "anything"})])
    dup = _write(
        tmp_path / "dup.jsonl",
        [json.dumps({"id": i, "text": f"narrative {n}"}) for n, i in enumerate(["a", "b", "a", "c", "a"])],
    )
    with pytest.raises(BadInput, match=r"'a' on lines 1, 3, 5"):
        match_jsonl(claims, dup, tmp_path / "out.jsonl")
    empty = _write(tmp_path / "empty.jsonl", [])
    with pytest.raises(BadInput, match="no valid narrative"):
        match_jsonl(claims, empty, tmp_path / "out.jsonl")
    only_bad = _write(tmp_path / "bad.jsonl", ["{oops"])
    with pytest.raises(BadInput, match="no valid narrative"):
        match_jsonl(claims, only_bad, tmp_path / "out.jsonl")
    good = _write(tmp_path / "n.jsonl", [json.dumps({"id": "x", "text": "y"})])
    with pytest.raises(BadInput, match="cannot read"):
        match_jsonl(tmp_path / "nope.jsonl", good, tmp_path / "out.jsonl")
    with pytest.raises(BadInput, match="top_k"):
        match_jsonl(claims, empty, tmp_path / "out.jsonl", top_k=0)
