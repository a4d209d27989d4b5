"""Benchmark: claim matching (ttdn.kb.matching) against N synthetic narratives.

Narratives are short sentences composed from templates in vi, en, fr and zh (a claim plus
``--variants`` translations-like variants each); the claims to match are composed the same
way. Prints one JSON object: build_seconds, narratives_per_s (build), vectors, sentences_per_s
(batched match), p95_ms / median_ms per single-claim call, peak_rss_mb, machine.

    python bench/matching.py                      # 15,000 narratives, 1,000 sentences
    python bench/matching.py --narratives 2000 --sentences 300
    python bench/matching.py --random-passages    # skip the narrative embedding (match speed only)

``--random-passages`` replaces the narratives' e5 vectors by random unit vectors (claims are
still embedded for real): build_seconds then measures only the lexical index, and is flagged.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import time

import numpy as np

from machine import describe
from ttdn.kb.matching import MAX_TOKENS, Narrative, NarrativeIndex
from ttdn.models import get_backend

SUBJECTS = {
    "vi": ["Việt Nam", "chính quyền", "các nhà đầu tư", "ngư dân", "ngân hàng", "du khách", "Hà Nội", "tỉnh {p}"],
    "en": [
        "Vietnam",
        "the authorities",
        "foreign investors",
        "fishermen",
        "the banks",
        "tourists",
        "Hanoi",
        "{p} province",
    ],
    "fr": [
        "le Vietnam",
        "les autorités",
        "les investisseurs",
        "les pêcheurs",
        "les banques",
        "les touristes",
        "Hanoï",
        "la province de {p}",
    ],
    "zh": ["越南", "当局", "外国投资者", "渔民", "银行", "游客", "河内", "{p}省"],
}
CLAIMS = {
    "vi": [
        "đã che giấu {n} ca tử vong",
        "sắp sụp đổ vào năm {y}",
        "bị cấm hoạt động từ năm {y}",
        "đã bán {n} hecta đất cho nước ngoài",
        "không có bằng chứng lịch sử về {x}",
        "đã thả {n} tấn chất độc ra biển",
    ],
    "en": [
        "concealed {n} deaths",
        "will collapse in {y}",
        "has been banned since {y}",
        "sold {n} hectares of land to foreigners",
        "has no historical evidence about {x}",
        "dumped {n} tonnes of toxic waste into the sea",
    ],
    "fr": [
        "a caché {n} décès",
        "va s'effondrer en {y}",
        "est interdit depuis {y}",
        "a vendu {n} hectares de terres aux étrangers",
        "n'a aucune preuve historique sur {x}",
        "a rejeté {n} tonnes de déchets toxiques en mer",
    ],
    "zh": [
        "隐瞒了{n}例死亡",
        "将在{y}年崩溃",
        "自{y}年起被禁止",
        "向外国出售了{n}公顷土地",
        "没有关于{x}的历史证据",
        "向海里倾倒了{n}吨有毒废物",
    ],
}
PLACES = [
    "Hoàng Sa",
    "Trường Sa",
    "Khánh Hòa",
    "Quảng Ninh",
    "Đà Nẵng",
    "Cà Mau",
    "Lào Cai",
    "Nghệ An",
    "Huế",
    "Cần Thơ",
]
LANGS = ("vi", "en", "fr", "zh")


def _sentence(rng: random.Random, lang: str, seed: tuple[int, int, int, int]) -> str:
    s, c, n, p = seed
    sep = "" if lang == "zh" else " "
    subject = SUBJECTS[lang][s % len(SUBJECTS[lang])].format(p=PLACES[p % len(PLACES)])
    claim = CLAIMS[lang][c % len(CLAIMS[lang])].format(n=n, y=1975 + n % 50, x=PLACES[(p + n) % len(PLACES)])
    tail = rng.choice(["", "", "," + sep + "the post says" if lang == "en" else ""])
    return f"{subject}{sep}{claim}{tail}"


def _narratives(n: int, variants: int, rng: random.Random) -> list[Narrative]:
    out = []
    for i in range(n):
        seed = (rng.randrange(100), rng.randrange(100), rng.randrange(10, 100_000), rng.randrange(100))
        langs = rng.sample(LANGS, 1 + variants)
        text = _sentence(rng, langs[0], seed)
        out.append(Narrative(f"N{i:06d}", text, {"variants": [_sentence(rng, lang, seed) for lang in langs[1:]]}))
    return out


class _RandomPassages:
    """Real query embeddings, random passage vectors (for ``--random-passages``)."""

    def __init__(self, real, seed: int) -> None:
        self._real, self._rng = real, np.random.default_rng(seed)
        self.name, self.dim, self.model_id, self.max_tokens = real.name, real.dim, real.model_id, real.max_tokens

    def embed_passages(self, texts, **_: object) -> np.ndarray:
        v = self._rng.standard_normal((len(texts), self.dim)).astype(np.float32)
        return v / np.linalg.norm(v, axis=1, keepdims=True)

    def embed_queries(self, texts, **kwargs: object) -> np.ndarray:
        return self._real.embed_queries(texts, **kwargs)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--narratives", type=int, default=15_000, help="narratives in the index (default 15,000)")
    parser.add_argument("--variants", type=int, default=1, help="variants per narrative, 0–3 (default 1)")
    parser.add_argument("--sentences", type=int, default=1_000, help="sentences matched in batch (default 1,000)")
    parser.add_argument("--single", type=int, default=200, help="single-claim calls for latency (default 200)")
    parser.add_argument("--top-k", type=int, default=10)
    parser.add_argument("--random-passages", action="store_true", help="random narrative vectors (match speed only)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    rng = random.Random(args.seed)
    narratives = _narratives(args.narratives, max(0, min(args.variants, 3)), rng)
    sentences = [
        _sentence(rng, rng.choice(LANGS), tuple(rng.randrange(1, 100_000) for _ in range(4)))
        for _ in range(args.sentences)
    ]
    backend = get_backend(max_tokens=MAX_TOKENS)
    backend.embed_queries(["warm-up"])
    used = _RandomPassages(backend, args.seed) if args.random_passages else backend

    t0 = time.perf_counter()
    index = NarrativeIndex.build(narratives, backend=used)  # type: ignore[arg-type]
    build = time.perf_counter() - t0

    t0 = time.perf_counter()
    index.match(sentences, top_k=args.top_k)
    batched = time.perf_counter() - t0

    latencies = []
    for text in sentences[: args.single]:
        t0 = time.perf_counter()
        index.match([text], top_k=args.top_k)
        latencies.append((time.perf_counter() - t0) * 1000)
    latencies.sort()
    print(
        json.dumps(
            {
                "narratives": len(index),
                "vectors": index.n_vectors,
                "random_passages": args.random_passages,
                "build_seconds": round(build, 2),
                "narratives_per_s": round(len(index) / build, 1),
                "sentences": len(sentences),
                "sentences_per_s": round(len(sentences) / batched, 1),
                "single_calls": len(latencies),
                "median_ms": round(statistics.median(latencies), 1) if latencies else None,
                "p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))], 1) if latencies else None,
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                "machine": describe(),
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
