"""Story clustering: the online clusterer, and the JSONL batch on real embeddings."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from ttdn.errors import BadInput
from ttdn.models.stories import Story, StoryClusterer, growth, lexical_tokens
from ttdn.models.stories_batch import cluster_jsonl, reuse_plan

LABELLED = Path(__file__).parent / "fixtures" / "stories" / "labelled.jsonl"
T0 = datetime(2024, 9, 7, 8, 0, tzinfo=UTC)
# Same topic, different events: two storms, and two Vietnam–China stories.
PICKED = ("typhoon_yagi", "storm_soulik", "vn_cn_railway", "vn_cn_fishermen", "gdp_q3", "nvidia_ai_centre")


def _unit(seed: int, dim: int = 16) -> np.ndarray:
    vec = np.random.default_rng(seed).standard_normal(dim).astype(np.float32)
    return vec / np.linalg.norm(vec)


@pytest.fixture(scope="module")
def subset(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, dict[str, str]]]:
    rows = [json.loads(line) for line in LABELLED.read_text("utf-8").splitlines()]
    picked = [r for r in rows if r["story"] in PICKED]
    path = tmp_path_factory.mktemp("stories") / "subset.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in picked), encoding="utf-8")
    return path, {r["id"]: r for r in picked}


@pytest.fixture(scope="module")
def clustered(subset: tuple[Path, dict[str, dict[str, str]]], tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("out") / "out.jsonl"
    written, rejections = cluster_jsonl(subset[0], out)
    assert written == len(subset[1]) and not rejections
    return out.read_text("utf-8")


def test_same_input_gives_the_same_output(subset: tuple[Path, dict[str, dict[str, str]]], clustered: str) -> None:
    again = subset[0].parent / "again.jsonl"
    cluster_jsonl(subset[0], again)
    assert again.read_text("utf-8") == clustered
    ids = [json.loads(line)["id"] for line in clustered.splitlines()]
    assert ids == list(subset[1])  # written in file order


def test_versions_of_one_story_in_four_languages_land_together(
    subset: tuple[Path, dict[str, dict[str, str]]], clustered: str
) -> None:
    rows = subset[1]
    story_of = {o["id"]: o["story_id"] for o in map(json.loads, clustered.splitlines())}
    for story in ("vn_cn_fishermen", "vn_cn_railway", "storm_soulik"):
        members = [i for i, r in rows.items() if r["story"] == story and r["lang"] in {"vi", "en", "fr", "zh"}]
        assert {rows[i]["lang"] for i in members} == {"vi", "en", "fr", "zh"}
        assert len({story_of[i] for i in members}) == 1, story
    majority = {}
    for story in PICKED:
        found = [story_of[i] for i, r in rows.items() if r["story"] == story]
        majority[story] = max(set(found), key=found.count)
    assert len(set(majority.values())) == len(PICKED), majority  # the confusers stay apart


def test_window_opens_a_new_story_for_the_same_topic_days_later() -> None:
    clusterer = StoryClusterer(threshold=0.8, window_hours=72, means={})
    a = clusterer.assign("a", _unit(1), T0)
    assert clusterer.assign("b", _unit(1) + 0.05 * _unit(2), T0 + timedelta(hours=30)) == a
    late = clusterer.assign("c", _unit(1), T0 + timedelta(days=10))
    assert late != a
    assert clusterer.assign("d", _unit(1), T0 + timedelta(days=10, hours=2)) == late
    assert StoryClusterer(threshold=0.8, window_hours=24 * 30, means={}).assign("x", _unit(1), T0) == 1


def test_story_summaries_and_growth() -> None:
    clusterer = StoryClusterer(threshold=0.8, means={})
    base = _unit(5)
    for k, lang in enumerate(["vi", "en", "fr", "en"]):
        vec = base + (0.0 if k == 2 else 0.2) * _unit(10 + k)
        clusterer.assign(f"i{k}", vec, T0 + timedelta(hours=k * 3), lang=lang, title=f"headline {k}")
    clusterer.assign("other", _unit(99), T0, lang="zh", title="another story")
    top = clusterer.summaries()[0]
    assert isinstance(top, Story)
    assert (top.size, top.members, top.languages) == (4, ["i0", "i1", "i2", "i3"], ["en", "fr", "vi"])
    assert top.title == "headline 2"  # the member nearest the centroid
    assert (top.first_seen, top.last_seen) == (T0, T0 + timedelta(hours=9))
    assert growth(top, T0 + timedelta(hours=9), hours=6) == 2
    assert growth(top, T0 + timedelta(hours=9), hours=24) == 4
    assert [s.size for s in clusterer.summaries(min_size=2)] == [4]
    assert clusterer.story_of("other") == clusterer.story(2).id == 2


def test_clusterer_refuses_bad_vectors_and_repeated_ids() -> None:
    clusterer = StoryClusterer(means={})
    clusterer.assign("a", _unit(1), None)
    with pytest.raises(BadInput):
        clusterer.assign("a", _unit(2), None)
    with pytest.raises(ValueError):
        clusterer.assign("b", np.zeros(16, dtype=np.float32), None)
    with pytest.raises(ValueError):
        clusterer.assign("c", np.ones(8, dtype=np.float32), None)


def test_active_matrix_stays_bounded() -> None:
    clusterer = StoryClusterer(threshold=0.99, window_hours=1, max_active=500, means={})
    for i in range(3000):
        clusterer.assign(f"v{i}", _unit(i), T0 + timedelta(minutes=i))
    assert clusterer.active_count <= 1100  # compacted: ~60 stories in the window, at most max_active


def test_lexical_tokens_fold_and_split_cjk() -> None:
    assert lexical_tokens("Bão Yagi đổ bộ Quảng Ninh, 4 người chết") >= {"bao", "yagi", "do", "quang", "ninh", "4"}
    assert {"台风", "越南"} <= lexical_tokens("台风登陆越南")


def test_reuse_plan_shares_vectors_between_near_repeats_only() -> None:
    texts = [
        "Typhoon Yagi hits northern Vietnam, killing four",
        "Typhoon Yagi hits northern Vietnam, killing four - Reuters",
        "TYPHOON YAGI HITS NORTHERN VIETNAM, KILLING FOUR",
        "Typhoon Trami hits central Vietnam, killing four",
        "Typhoon Yagi hits northern Vietnam, killing four",
    ]
    langs: list[str | None] = ["en", "en", "en", "en", "fr"]
    times: list[float | None] = [0.0, 60.0, 120.0, 180.0, 240.0]
    assert reuse_plan(texts, langs, times, threshold=0.7, window_s=3600) == [0, 0, 0, 3, 0]
    assert reuse_plan(texts, langs, [0.0, 1e6, 2e6, 3e6, 4e6], threshold=0.7, window_s=3600)[1] == 1


BAD_LINES = {
    "not json": "invalid JSON",
    '["a list"]': "not a JSON object",
    '{"title": "no id"}': "missing 'id'",
    '{"id": "e1", "title": " ", "text": ""}': "no title and no text",
    '{"id": "e2", "title": "Hanoi", "published_at": "yesterday"}': "not an ISO 8601 date",
    '{"id": "e3", "title": "Hanoi", "published_at": 17}': "ISO 8601 string",
    '{"id": "e4", "title": ["x"]}': "must be strings",
    '{"id": "ok", "title": "Hanoi hosts a summit"}': "duplicate id 'ok'",
}


def test_each_bad_line_is_rejected_with_its_place(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    good = '{"id": "ok", "title": "Hanoi hosts a summit", "lang": "en", "published_at": "2024-09-07T08:00:00Z"}'
    src.write_bytes(("\n".join([good, *BAD_LINES, ""]) + "\n").encode() + b"\xff\xfe bad bytes\n")
    written, rejections = cluster_jsonl(src, tmp_path / "out.jsonl")
    assert written == 1
    assert [json.loads(line) for line in (tmp_path / "out.jsonl").read_text("utf-8").splitlines()] == [
        {"id": "ok", "story_id": 1}
    ]
    reasons = {r.origin: r.reason for r in rejections}
    assert len(rejections) == len(BAD_LINES) + 1
    for number, expected in enumerate(BAD_LINES.values(), start=2):
        assert expected in reasons[f"{src}:{number}"], reasons
    assert "UTF-8" in reasons[f"{src}:{len(BAD_LINES) + 3}"]


def test_empty_and_missing_files(tmp_path: Path) -> None:
    src = tmp_path / "empty.jsonl"
    src.write_text("", encoding="utf-8")
    assert cluster_jsonl(src, tmp_path / "out.jsonl") == (0, [])
    assert (tmp_path / "out.jsonl").read_text("utf-8") == ""
    with pytest.raises(BadInput):
        cluster_jsonl(tmp_path / "nope.jsonl", tmp_path / "out2.jsonl")
