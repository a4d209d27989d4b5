"""Benchmark: `ttdn topics predict` throughput with the shipped model (words + article embedding).

Writes ``--n`` lines built from the shipped labelled set (each text made unique by a number,
so no vector is reused), runs the real command-line function over them, and prints one JSON
object: lines per second, seconds, peak RSS of this process, the machine. ``--lexical-only``
first trains a words-only model on the same set and measures that instead (the fast choice
for corpora in the labelled set's languages).

    python bench/topics.py --n 2000
    python bench/topics.py --n 20000 --lexical-only
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from pathlib import Path

from machine import describe
from ttdn.cli_models import topics_predict
from ttdn.models.topics import DATA_DIR, TopicModel, is_held_out, read_labelled_jsonl


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=2000, help="lines to predict")
    parser.add_argument("--lexical-only", action="store_true", help="measure a words-only model instead")
    args = parser.parse_args()
    examples, _ = read_labelled_jsonl(DATA_DIR / "labelled.jsonl")
    texts = [text for text, _ in examples]
    with tempfile.TemporaryDirectory() as tmp:
        source, out = Path(tmp) / "in.jsonl", Path(tmp) / "out.jsonl"
        with source.open("w", encoding="utf-8") as fh:
            for i in range(args.n):
                fh.write(json.dumps({"id": i, "text": f"{texts[i % len(texts)]} ({i})"}, ensure_ascii=False) + "\n")
        model = None
        if args.lexical_only:
            model = Path(tmp) / "lexical"
            TopicModel.train([ex for ex in examples if not is_held_out(ex[0])]).save(model)
        started = time.perf_counter()
        topics_predict(source, out, model=model, top_k=None)
        seconds = time.perf_counter() - started
        written = sum(1 for _ in out.open(encoding="utf-8"))
    print(
        json.dumps(
            {
                "benchmark": "topics_predict",
                "model": "lexical-only" if args.lexical_only else "shipped (words + article embedding)",
                "lines": written,
                "seconds": round(seconds, 2),
                "lines_per_s": round(written / seconds, 1),
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                "machine": describe(),
            }
        )
    )


if __name__ == "__main__":
    main()
