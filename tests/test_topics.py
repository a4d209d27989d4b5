"""Topic classifier: training, prediction, model files and labelled-file reading."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from ttdn.errors import BadInput, ConfigError
from ttdn.models.topics import (
    MAX_CHARS,
    ArticleEmbeddings,
    TopicModel,
    add_corrections,
    read_labelled_jsonl,
    read_predict_jsonl,
    retrain,
)
from ttdn.models.topics_shipped import main

SUBJECTS = ["Vietnam", "Hanoi", "The government", "Officials", "Việt Nam", "Analysts"]
PHRASES = {
    "sea": [
        "protested a ship in the East Sea",
        "defended sovereignty over the Spratly islands",
        "tàu cá bị xua đuổi ở Hoàng Sa",
        "called for a code of conduct at sea",
    ],
    "trade": [
        "reported strong exports and investment",
        "signed a free trade agreement",
        "thu hút vốn đầu tư nước ngoài",
        "saw factory output and exports rise",
    ],
    "tourism": [
        "welcomed a record number of foreign tourists",
        "opened new beach resorts for visitors",
        "đón nhiều khách du lịch quốc tế",
        "eased visas for tourists and travellers",
    ],
}


def tiny_set(multi: bool = True) -> list[tuple[str, list[str]]]:
    rows = []
    for label, phrases in PHRASES.items():
        for i, subject in enumerate(SUBJECTS):
            for j, phrase in enumerate(phrases):
                rows.append((f"{subject} {phrase} ({i}{j}).", [label]))
    if multi:
        rows += [("Vietnam signed a trade deal and welcomed more tourists.", ["tourism", "trade"])] * 2
    return rows


@pytest.fixture(scope="module")
def model() -> TopicModel:
    return TopicModel.train(tiny_set())


def test_train_predict_round_trip(model: TopicModel) -> None:
    assert model.labels == ["sea", "tourism", "trade"]
    assert model.labels_for("Hanoi protested a Chinese ship near the Spratly islands") == ["sea"]
    assert model.labels_for("Record foreign tourists at the beach resorts") == ["tourism"]
    row = model.predict(["exports and investment rise"])[0]
    assert row[0][0] == "trade"
    assert len(row) == 3 and [s for _, s in row] == sorted((s for _, s in row), reverse=True)
    assert all(0.0 <= s <= 1.0 for _, s in row)
    assert [len(r) for r in model.predict(["a", "b"], top_k=1)] == [1, 1]
    assert model.predict([]) == []
    assert not model.exclusive


def test_save_load_gives_identical_predictions(model: TopicModel, tmp_path: Path) -> None:
    texts = ["tàu cá ở Hoàng Sa", "tourists and visas", "越南出口增长", ""]
    loaded = TopicModel.load(model.save(tmp_path / "m"))
    assert loaded.labels == model.labels and loaded.thresholds == model.thresholds
    assert np.array_equal(loaded.scores(texts), model.scores(texts))
    manifest = json.loads((tmp_path / "m" / "manifest.json").read_text("utf-8"))
    assert {"format_version", "ttdn_version", "sklearn_version", "labels", "thresholds", "created_at"} <= set(manifest)


def _break(kind: str, path: Path) -> None:
    manifest_path = path / "manifest.json"
    manifest = json.loads(manifest_path.read_text("utf-8"))
    if kind == "no_manifest":
        manifest_path.unlink()
    elif kind == "bad_json":
        manifest_path.write_text("{not json", "utf-8")
    elif kind == "format_version":
        manifest["format_version"] = 99
    elif kind == "sklearn_version":
        manifest["sklearn_version"] = "0.1.0"
    elif kind == "altered_file":
        (path / "weights.npz").write_bytes(b"garbage")
    elif kind == "missing_file":
        (path / "features.joblib").unlink()
    if kind in ("format_version", "sklearn_version"):
        manifest_path.write_text(json.dumps(manifest), "utf-8")


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("no_manifest", "no manifest.json"),
        ("bad_json", "unreadable"),
        ("format_version", "format version 99"),
        ("sklearn_version", "scikit-learn 0.1.0"),
        ("altered_file", "weights.npz"),
        ("missing_file", "features.joblib"),
    ],
)
def test_bad_model_dirs_raise_config_error(model: TopicModel, tmp_path: Path, kind: str, message: str) -> None:
    path = model.save(tmp_path / "m")
    _break(kind, path)
    with pytest.raises(ConfigError, match=message):
        TopicModel.load(path)


def test_missing_model_dir_raises_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        TopicModel.load(tmp_path / "nowhere")


def test_bad_labelled_lines_become_rejections(tmp_path: Path) -> None:
    path = tmp_path / "set.jsonl"
    lines = [
        '{"text": "good one", "labels": ["a"]}',
        "{not json",
        '{"labels": ["a"]}',
        '{"text": "x", "labels": "a"}',
        '{"text": "   ", "labels": ["a"]}',
        "",
        '["a list"]',
        '{"text": "y", "labels": [1]}',
        '{"text": "z", "labels": []}',
        '{"text": "good one", "labels": ["b"]}',
    ]
    path.write_text("\n".join(lines) + "\n", "utf-8")
    examples, rejections = read_labelled_jsonl(path)
    assert examples == [("good one", ["b"])]  # the later line wins
    got = {r.origin.rsplit(":", 1)[1]: r.reason for r in rejections}
    assert set(got) == {"2", "3", "4", "5", "7", "8", "9"}
    assert "invalid JSON" in got["2"] and "missing 'text'" in got["3"] and "empty 'text'" in got["5"]
    assert "list of non-empty strings" in got["4"] and "not a JSON object" in got["7"] and "empty" in got["9"]
    assert all(r.origin.startswith(str(path)) for r in rejections)


def test_read_predict_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_bytes(b'{"id": "a1", "text": "hello"}\n{"text": "bye"}\n\xff\xfe\n{"text": ""}\n')
    items, rejections = read_predict_jsonl(path)
    assert items == [("a1", "hello"), (f"{path}:2", "bye")]
    assert [(r.origin, r.reason) for r in rejections] == [
        (f"{path}:3", "line is not valid UTF-8"),
        (f"{path}:4", "empty 'text'"),
    ]
    with pytest.raises(BadInput):
        read_predict_jsonl(tmp_path / "missing.jsonl")


def test_single_label_data_is_exclusive() -> None:
    single = TopicModel.train(tiny_set(multi=False))
    assert single.exclusive
    assert single.labels_for("tourists and beach resorts and exports") in (["tourism"], ["trade"])


def test_rare_and_degenerate_labels_are_refused() -> None:
    with pytest.raises(BadInput, match="fewer than 2 examples: odd, rare"):
        TopicModel.train([*tiny_set(), ("x", ["rare"]), ("y", ["odd"])])
    with pytest.raises(BadInput, match="at least 2 labels"):
        TopicModel.train([("a", ["only"]), ("b", ["only"])])
    with pytest.raises(BadInput, match="every example"):
        TopicModel.train([("a", ["x", "all"]), ("b", ["y", "all"]), ("c", ["x", "all"]), ("d", ["y", "all"])])


def test_predict_only_returns_trained_labels(model: TopicModel) -> None:
    for row in model.predict(["Unknown topic about football and music", "🙂", "Вьетнам"]):
        assert {label for label, _ in row} == set(model.labels)


def test_empty_text_gets_low_confidence(model: TopicModel) -> None:
    row = model.predict([""])[0]
    assert len(row) == 3 and all(s < 0.5 for _, s in row)
    assert model.labels_for("") == []


def test_five_megabyte_text(model: TopicModel) -> None:
    big = "Vietnam welcomed a record number of foreign tourists. " * 100_000
    assert len(big) > 5_000_000
    assert np.array_equal(model.scores([big]), model.scores([big[:MAX_CHARS]]))
    assert model.labels_for(big) == ["tourism"]


def test_progress_is_reported() -> None:
    steps: list[int] = []
    trained = TopicModel.train(tiny_set(), on_progress=steps.append, tune_thresholds=False)
    assert sum(steps) == len(trained.labels)


def test_corrections_become_examples_and_retrain(tmp_path: Path) -> None:
    path = tmp_path / "set.jsonl"
    path.write_text("".join(json.dumps({"text": t, "labels": ls}) + "\n" for t, ls in tiny_set()), "utf-8")
    text = "Vietnam eased visas for tourists and travellers (00)."
    assert add_corrections(path, [(text, ["trade"]), ("A fresh trade story about exports", ["trade"])]) == 2
    examples, rejections = read_labelled_jsonl(path)
    assert not rejections and dict(examples)[text] == ["trade"]
    retrained = retrain(path, tmp_path / "model")
    assert retrained.info["n_examples"] == len(tiny_set()) + 1
    assert TopicModel.load(tmp_path / "model").labels == ["sea", "tourism", "trade"]
    with pytest.raises(BadInput, match="correction 1"):
        add_corrections(path, [("", ["trade"])])


class HashHook:
    """A stand-in for an embedding backend: a fixed-width dense block per text."""

    name = "test-hash-4"

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        return np.array([[len(t) % 7, t.count("a"), t.count("e"), 1.0] for t in texts], dtype=np.float32)


def test_extra_feature_hook_is_recorded(tmp_path: Path) -> None:
    hooked = TopicModel.train(tiny_set(), extra=HashHook(), tune_thresholds=False)
    path = hooked.save(tmp_path / "m")
    with pytest.raises(ConfigError, match="extra features"):
        TopicModel.load(path)
    again = TopicModel.load(path, extra=HashHook())
    assert np.array_equal(again.scores(["tourists"]), hooked.scores(["tourists"]))


def test_article_embeddings_carry_topics_across_languages(tmp_path: Path) -> None:
    hook = ArticleEmbeddings()
    assert hook.name == f"article-embedding/{hook.backend.model_id}/{hook.backend.max_tokens}"
    examples = tiny_set()
    dense = hook([t for t, _ in examples])
    trained = TopicModel.train(examples, extra=hook, dense=dense, tune_thresholds=False)
    assert np.array_equal(
        trained.scores(["exports rise"]), trained.scores(["exports rise"], dense=hook(["exports rise"]))
    )
    with pytest.raises(ValueError, match="dense has shape"):
        trained.scores(["exports rise"], dense=np.zeros((1, 5), np.float32))
    with pytest.raises(ValueError, match="rows for"):
        TopicModel.train(examples, extra=hook, dense=dense[:3], tune_thresholds=False)
    # Korean and Arabic are not in the training set at all: the words give nothing, the vector does
    unseen = ["베트남의 수출과 외국인 투자가 크게 늘었다", "استقبلت فيتنام عددا قياسيا من السياح الأجانب هذا الصيف"]
    assert [row[0][0] for row in trained.predict(unseen)] == ["trade", "tourism"]
    lexical = TopicModel.train(examples, tune_thresholds=False)
    assert lexical.scores(unseen[:1])[0].max() < trained.scores(unseen[:1])[0].max()
    path = trained.save(tmp_path / "m")
    again = TopicModel.load(path)  # the hook is rebuilt from the manifest
    assert isinstance(again.extra, ArticleEmbeddings) and np.array_equal(again.scores(unseen), trained.scores(unseen))
    manifest = json.loads((path / "manifest.json").read_text("utf-8"))
    manifest["extra_features"]["name"] = "article-embedding/another-model/128"
    (path / "manifest.json").write_text(json.dumps(manifest), "utf-8")
    with pytest.raises(ConfigError, match=r"another-model.*retrain"):
        TopicModel.load(path)


def test_cli_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    assert "retrain" in capsys.readouterr().out
