"""The model batch tools as a user runs them: JSONL in, JSONL out, bad lines reported."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def ttdn(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TTDN_")}
    return subprocess.run([sys.executable, "-m", "ttdn.cli", *args], capture_output=True, text=True, env=env)


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_topics_predict_with_the_shipped_model(tmp_path: Path) -> None:
    source = write_lines(
        tmp_path / "in.jsonl",
        [
            json.dumps(
                {"id": "a", "text": "Lượng khách du lịch quốc tế đến Hội An tăng mạnh, các khách sạn kín phòng."}
            ),
            "{broken",
            json.dumps({"id": "b", "text": ""}),
            json.dumps({"id": "c", "text": "Vietnam's exports and foreign direct investment rose sharply this year."}),
        ],
    )
    out = tmp_path / "out.jsonl"
    result = ttdn("topics", "predict", str(source), str(out), "--top-k", "3")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"written": 2, "rejected": 2, "output": str(out)}
    assert f"{source}:2" in result.stderr and f"{source}:3" in result.stderr
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["a", "c"]
    assert rows[0]["labels"][0]["label"] == "tourism" and rows[1]["labels"][0]["label"] == "economy"
    scores = [label["score"] for label in rows[0]["labels"]]
    assert len(scores) == 3 and scores == sorted(scores, reverse=True)


def test_topics_train_then_predict_any_label_set(tmp_path: Path) -> None:
    words = {"sport": "football match goal team league", "weather": "rain storm typhoon flood forecast"}
    lines = [
        json.dumps({"text": f"{words[label].split()[i % 5]} {words[label].split()[(i + 2) % 5]} report {i}",
                    "labels": [label]})
        for label in words
        for i in range(12)
    ]  # fmt: skip
    labelled = write_lines(tmp_path / "labelled.jsonl", [*lines, json.dumps({"text": "x", "labels": "sport"})])
    model = tmp_path / "model"
    trained = ttdn("topics", "train", str(labelled), "--model", str(model))
    assert trained.returncode == 0, trained.stderr
    assert json.loads(trained.stdout)["labels"] == 2 and "labels" in trained.stderr
    source = write_lines(tmp_path / "in.jsonl", [json.dumps({"id": 1, "text": "typhoon brings flood and rain"})])
    out = tmp_path / "out.jsonl"
    assert ttdn("topics", "predict", str(source), str(out), "--model", str(model)).returncode == 0
    [row] = [json.loads(line) for line in out.read_text().splitlines()]
    assert row["id"] == "1" and row["labels"][0]["label"] == "weather"
    manifest = json.loads((model / "manifest.json").read_text("utf-8"))
    assert manifest["extra_features"]["name"].startswith("article-embedding/")  # embeddings by default
    lexical = tmp_path / "lexical"
    assert ttdn("topics", "train", str(labelled), "--model", str(lexical), "--lexical-only").returncode == 0
    assert json.loads((lexical / "manifest.json").read_text("utf-8"))["extra_features"] is None
    # Thai shares no word or character with the examples: only the embedding model can tell them apart
    thai = write_lines(
        tmp_path / "thai.jsonl",
        [
            json.dumps({"id": "storm", "text": "พายุไต้ฝุ่นทำให้เกิดน้ำท่วมและฝนตกหนัก"}),
            json.dumps({"id": "match", "text": "ทีมฟุตบอลยิงประตูชนะในการแข่งขันลีก"}),
        ],
    )
    best: dict[str, list[str]] = {}
    for directory in (model, lexical):
        assert ttdn("topics", "predict", str(thai), str(out), "--model", str(directory)).returncode == 0
        rows = [json.loads(line) for line in out.read_text().splitlines()]
        best[directory.name] = [r["labels"][0]["label"] for r in rows]
        if directory == lexical:
            assert rows[0]["labels"] == rows[1]["labels"]  # the words say nothing: the same scores for both
    assert best["model"] == ["weather", "sport"]


def test_topics_predict_with_a_missing_model_dir(tmp_path: Path) -> None:
    source = write_lines(tmp_path / "in.jsonl", [json.dumps({"id": 1, "text": "x"})])
    result = ttdn("topics", "predict", str(source), str(tmp_path / "o.jsonl"), "--model", str(tmp_path / "nope"))
    assert result.returncode == 2 and "Traceback" not in result.stderr and "nope" in result.stderr


def test_tone_batch_tool(tmp_path: Path) -> None:
    text = "Việt Nam đạt thành tựu ấn tượng về giảm nghèo, được cộng đồng quốc tế đánh giá cao."
    source = write_lines(
        tmp_path / "in.jsonl",
        [
            json.dumps({"id": "t", "text": text, "target": "Việt Nam"}, ensure_ascii=False),
            json.dumps({"id": "o", "text": text, "from": 0, "to": 7}, ensure_ascii=False),
            json.dumps({"id": "bad", "text": text, "from": 5, "to": 500}),
            "[1, 2]",
        ],
    )
    out = tmp_path / "out.jsonl"
    result = ttdn("tone", str(source), str(out))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["written"] == 2 and json.loads(result.stdout)["rejected"] == 2
    assert f"{source}:3" in result.stderr and f"{source}:4" in result.stderr
    rows = {r["id"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert rows["t"]["polarity"] == rows["o"]["polarity"] == "positive"
    assert 0.0 <= rows["o"]["score"] <= 1.0


def test_stories_cluster_batch_tool(tmp_path: Path) -> None:
    rows = [
        {"id": "1", "title": "Typhoon Yagi makes landfall in northern Vietnam", "text": "Quang Ninh and Hai Phong hit.",
         "lang": "en", "published_at": "2024-09-07T08:00:00Z"},
        {"id": "2", "title": "Bão Yagi đổ bộ vào miền Bắc Việt Nam", "text": "Quảng Ninh, Hải Phòng bị ảnh hưởng.",
         "lang": "vi", "published_at": "2024-09-07T09:00:00Z"},
        {"id": "3", "title": "Vietnam's coffee exports hit record value", "text": "Robusta prices doubled this year.",
         "lang": "en", "published_at": "2024-09-07T10:00:00Z"},
    ]  # fmt: skip
    lines = [json.dumps(r, ensure_ascii=False) for r in rows] + ["{oops", json.dumps({"id": "1", "title": "dup"})]
    source = write_lines(tmp_path / "in.jsonl", lines)
    out = tmp_path / "out.jsonl"
    result = ttdn("stories", "cluster", str(source), str(out))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["written"] == 3 and json.loads(result.stdout)["rejected"] == 2
    story = {r["id"]: r["story_id"] for r in map(json.loads, out.read_text().splitlines())}
    assert story["1"] == story["2"] != story["3"]
    again = tmp_path / "again.jsonl"
    assert ttdn("stories", "cluster", str(source), str(again)).returncode == 0
    assert again.read_text() == out.read_text()  # deterministic
    titles = tmp_path / "titles.jsonl"
    result = ttdn("stories", "cluster", str(source), str(titles), "--lead-chars", "0")
    assert result.returncode == 0, result.stderr
    story = {r["id"]: r["story_id"] for r in map(json.loads, titles.read_text().splitlines())}
    assert story["1"] == story["2"] != story["3"]  # the headlines alone still tell the stories apart
    bad = ttdn("stories", "cluster", str(source), str(titles), "--lead-chars", "-5")
    assert bad.returncode != 0 and "--lead-chars" in bad.stderr and "Traceback" not in bad.stderr


def test_narratives_match_batch_tool(tmp_path: Path) -> None:
    narratives = write_lines(
        tmp_path / "narratives.jsonl",
        [
            json.dumps(
                {"id": "n1", "title": "Rice export ban", "text": "The claim that Vietnam banned all rice exports."}
            ),
            json.dumps(
                {"id": "n2", "title": "Dam collapse", "text": "The claim that a hydropower dam collapsed in the north."}
            ),
        ],
    )
    claims = write_lines(
        tmp_path / "claims.jsonl",
        [
            json.dumps({"id": "c1", "text": "Việt Nam đã cấm toàn bộ xuất khẩu gạo."}, ensure_ascii=False),
            json.dumps({"id": "c2"}),
        ],
    )
    out = tmp_path / "out.jsonl"
    result = ttdn(
        "narratives", "match", "--claims", str(claims), "--against", str(narratives), "--top-k", "2", str(out)
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["written"] == 1 and f"{claims}:2" in result.stderr
    [row] = [json.loads(line) for line in out.read_text().splitlines()]
    assert row["id"] == "c1" and [m["id"] for m in row["matches"]] == ["n1", "n2"]
    assert row["matches"][0]["score"] > row["matches"][1]["score"]
    dup = write_lines(
        tmp_path / "dup.jsonl", [json.dumps({"id": "n1", "text": "a"}), json.dumps({"id": "n1", "text": "b"})]
    )
    refused = ttdn("narratives", "match", "--claims", str(claims), "--against", str(dup), str(out))
    assert refused.returncode == 2 and "n1" in refused.stderr and "Traceback" not in refused.stderr
