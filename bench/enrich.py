"""Benchmark: full enrichment throughput with the default backends.

Imports N synthetic multilingual articles (the generator of ``bench/ingest.py``), then runs
every enrichment stage (relevance and places, embedding, topics, …) over them exactly as
``ttdn enrich`` does, and prints one JSON object: articles/s of the enrichment alone, the
time per stage, how many texts the model embedded and how many repeats (wire copies, boilerplate)
reused a kept vector, and the peak RSS of this process.

    python bench/enrich.py --n 500                   # with the demo's narratives in the registry
    python bench/enrich.py --n 500 --no-narratives   # relevance, embedding, topics, tone, stories only
    python bench/enrich.py --corpus demo             # the demo's 308 written articles instead

The synthetic corpus is the worst case for the sentence-level stages: every article is about
Vietnam and has 10–25 sentences, most naming it. The demo's articles (8 languages, ~4
sentences each) are closer to what feeds give.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ingest import synthetic
from machine import describe
from ttdn.demo import demo_articles
from ttdn.kb.narrative_index import narrative_backend
from ttdn.models.embeddings import EmbeddingBackend, get_backend
from ttdn.pipeline.enrich import enrich
from ttdn.pipeline.topology import enrich_stages, ingest
from ttdn.records import Enrichment
from ttdn.settings import Settings
from ttdn.store import Store

DEMO_NARRATIVES = Path(__file__).resolve().parents[1] / "src" / "ttdn" / "data" / "demo" / "narratives.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=500, help="articles to enrich")
    parser.add_argument("--batch", type=int, default=32, help="articles per committed batch")
    parser.add_argument(
        "--corpus", choices=("synthetic", "demo"), default="synthetic",
        help="synthetic articles (--n of them) or the demo's 308 articles (--n ignored)",
    )  # fmt: skip
    parser.add_argument(
        "--narratives", type=Path, default=DEMO_NARRATIVES,
        help="narratives JSONL loaded into the registry first, so the matching stage runs (default: the demo's)",
    )  # fmt: skip
    parser.add_argument(
        "--no-narratives", action="store_true", help="an empty registry: the narrative stage does nothing",
    )  # fmt: skip
    args = parser.parse_args()
    if args.no_narratives:
        args.narratives = None

    data_dir = Path(tempfile.mkdtemp(prefix="ttdn-bench-enrich-"))
    settings = Settings(data_dir=data_dir)
    store = Store.open(settings)
    articles = demo_articles() if args.corpus == "demo" else synthetic(args.n, seed=11)
    ingest(articles, store, settings)
    narratives = 0
    if args.narratives is not None:
        narratives = store.narratives.import_jsonl(args.narratives).added
    t_load = time.perf_counter()
    stages = enrich_stages(settings, store.stories, store.narratives)
    load_s = time.perf_counter() - t_load

    spent: dict[str, float] = defaultdict(float)

    def timed(name: str, stage):  # type: ignore[no-untyped-def]
        def run(items: list[Enrichment]) -> None:
            t = time.perf_counter()
            stage(items)
            spent[name] += time.perf_counter() - t

        return run

    t0 = time.perf_counter()
    summary = enrich(store, [(name, timed(name, stage)) for name, stage in stages], batch_size=args.batch)
    elapsed = time.perf_counter() - t0
    store.close()
    print(
        json.dumps(
            {
                "benchmark": "enrich",
                "corpus": args.corpus,
                "n": summary.enriched + summary.failed,
                "enriched": summary.enriched,
                "failed": summary.failed,
                "seconds": round(elapsed, 2),
                "articles_per_s": round(summary.enriched / elapsed, 2),
                "model_load_s": round(load_s, 2),
                "stage_seconds": {name: round(value, 2) for name, value in spent.items()},
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                "narratives": narratives,
                "texts_embedded": sum(b.embedded for b in _backends(settings)),
                "texts_reused": sum(b.reused for b in _backends(settings)),
                "machine": describe(),
            }
        )
    )
    shutil.rmtree(data_dir, ignore_errors=True)


def _backends(settings: Settings) -> list[EmbeddingBackend]:
    """The stages' backends: articles and tone share one; narrative sentences have their own budget."""
    article = get_backend(
        settings.embedding_backend, settings.embedding_model_dir, max_tokens=settings.embedding_max_tokens
    )
    sentences = narrative_backend(settings)
    return list({id(b): b for b in (article, sentences)}.values())


if __name__ == "__main__":
    main()
