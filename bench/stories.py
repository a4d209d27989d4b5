"""Benchmark: story clustering speed and memory. Prints one JSON object.

* ``assign_ms``: milliseconds per `StoryClusterer.assign` after ``--pre`` (default 100,000)
  random-ish vectors are already clustered (stories = noisy copies of random centres, times
  spread over 30 days), median and p95 over the next 2,000; ``assign_ms_all_in_window``: the
  same when every item falls inside the window (the active matrix is then capped by
  ``max_active``).
* ``batch``: `cluster_jsonl` on ``--n`` synthetic multilingual headlines + leads (templates in
  vi, en, fr, zh, ru, es; stories of heavy-tailed sizes over 10 days, each with its own
  district name and number, ~25 % wire copies with an outlet suffix): seconds per phase, texts
  embedded vs items, stories found vs planted. Templated text is far more repetitive than real
  news: the share of texts embedded is optimistic, and ``nmi_vs_planted`` is only a sanity
  figure (planted stories of one kind differ by a name and a number only).
* ``peak_rss_mb``: peak resident memory of the process.

    python bench/stories.py                  # assignment speed + 2,000 headlines
    python bench/stories.py --n 50000        # the 50k-headline batch (slow: it embeds)
    python bench/stories.py --n 0            # assignment speed only
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from ttdn.models.stories import StoryClusterer
from ttdn.models.stories_batch import cluster_jsonl

PLACES = [
    "Hà Nội",
    "Đà Nẵng",
    "Hải Phòng",
    "Quảng Ninh",
    "Cần Thơ",
    "Huế",
    "Nghệ An",
    "Lào Cai",
    "Bình Định",
    "Khánh Hòa",
]
PLACES_EN = [
    "Hanoi",
    "Da Nang",
    "Hai Phong",
    "Quang Ninh",
    "Can Tho",
    "Hue",
    "Nghe An",
    "Lao Cai",
    "Binh Dinh",
    "Khanh Hoa",
]
PLACES_ZH = ["河内", "岘港", "海防", "广宁", "芹苴", "顺化", "义安", "老街", "平定", "庆和"]
PARTNERS = {
    "vi": ["Nhật Bản", "Hàn Quốc", "Mỹ", "Pháp", "Đức", "Ấn Độ", "Úc", "Singapore"],
    "en": ["Japan", "South Korea", "the US", "France", "Germany", "India", "Australia", "Singapore"],
    "fr": [
        "le Japon",
        "la Corée du Sud",
        "les États-Unis",
        "la France",
        "l'Allemagne",
        "l'Inde",
        "l'Australie",
        "Singapour",
    ],
    "zh": ["日本", "韩国", "美国", "法国", "德国", "印度", "澳大利亚", "新加坡"],
    "ru": ["Японией", "Кореей", "США", "Францией", "Германией", "Индией", "Австралией", "Сингапуром"],
    "es": ["Japón", "Corea del Sur", "EE. UU.", "Francia", "Alemania", "India", "Australia", "Singapur"],
}
# event kind -> language -> templates ({p} place, {q} partner, {n} number)
EVENTS: dict[str, dict[str, list[str]]] = {
    "storm": {
        "vi": [
            "Bão đổ bộ {p}, {n} người thiệt mạng",
            "Mưa lũ ở {p}: {n} người chết và mất tích",
            "{p} sơ tán dân vì bão, {n} người thương vong",
        ],
        "en": [
            "Storm hits Vietnam's {p}, killing {n}",
            "Floods in {p} leave {n} dead in Vietnam",
            "Vietnam storm death toll in {p} rises to {n}",
        ],
        "fr": ["Une tempête frappe {p} au Vietnam, {n} morts", "Inondations à {p} : {n} victimes au Vietnam"],
        "zh": ["风暴登陆越南{p} 造成{n}人死亡", "越南{p}遭洪水袭击 {n}人遇难"],
    },
    "trade": {
        "vi": ["Việt Nam và {q} ký hiệp định thương mại {n} tỷ USD", "Kim ngạch thương mại với {q} đạt {n} tỷ USD"],
        "en": ["Vietnam and {q} sign ${n} billion trade deal", "Vietnam's trade with {q} reaches ${n} billion"],
        "fr": ["Le Vietnam et {q} signent un accord commercial de {n} milliards de dollars"],
        "zh": ["越南与{q}签署{n}亿美元贸易协议", "越南与{q}贸易额达{n}亿美元"],
        "ru": ["Вьетнам и {q} подписали торговое соглашение на {n} млрд долларов"],
        "es": ["Vietnam y {q} firman un acuerdo comercial de {n} mil millones de dólares"],
    },
    "visit": {
        "vi": ["Thủ tướng thăm {q}, thúc đẩy hợp tác đầu tư", "Lãnh đạo Việt Nam hội đàm với {q} về {n} dự án"],
        "en": ["Vietnam's prime minister visits {q} to boost investment", "Vietnam, {q} leaders agree on {n} projects"],
        "fr": ["Le Premier ministre vietnamien en visite chez {q}"],
        "zh": ["越南总理访问{q} 推动投资合作", "越南与{q}领导人就{n}个项目达成一致"],
        "ru": ["Премьер Вьетнама провёл переговоры с {q}"],
    },
    "fdi": {
        "vi": ["Doanh nghiệp {q} rót {n} triệu USD vào nhà máy ở {p}", "{p} thu hút {n} triệu USD vốn từ {q}"],
        "en": ["{q} firm invests ${n} million in {p} factory", "{p} draws ${n} million from {q} investors"],
        "zh": ["{q}企业在越南{p}投资{n}百万美元建厂"],
        "es": ["Una empresa de {q} invierte {n} millones de dólares en {p}"],
    },
    "accident": {
        "vi": ["Tai nạn giao thông ở {p}, {n} người tử vong", "Cháy lớn tại {p}, {n} người thiệt mạng"],
        "en": ["{n} killed in road accident in Vietnam's {p}", "Fire in Vietnam's {p} kills {n}"],
        "fr": ["Vietnam : {n} morts dans un accident à {p}"],
        "zh": ["越南{p}发生交通事故 {n}人死亡"],
    },
}
LEADS = {
    "vi": "Theo thông tin ban đầu, chính quyền địa phương đang khẩn trương triển khai các biện pháp cần thiết.",
    "en": "Local authorities said on {d} that they were taking the necessary measures, state media reported.",
    "fr": "Les autorités locales ont indiqué {d} prendre les mesures nécessaires, selon les médias d'État.",
    "zh": "据越南媒体报道，当地政府正在采取必要措施。",
    "ru": "Как сообщают местные СМИ, власти принимают необходимые меры.",
    "es": "Las autoridades locales informaron que están tomando las medidas necesarias.",
}
SYLLABLES = [
    "An",
    "Bình",
    "Cát",
    "Định",
    "Giang",
    "Hòa",
    "Hưng",
    "Khánh",
    "Lâm",
    "Long",
    "Minh",
    "Nam",
    "Phú",
    "Phước",
    "Quang",
    "Sơn",
    "Tân",
    "Thạnh",
    "Thủy",
    "Vĩnh",
]
OUTLETS = [" - VnExpress", " | Reuters", " - AFP", " (Xinhua)", " - Tuổi Trẻ", " | VOV"]


def synth(n: int, seed: int = 7) -> tuple[list[dict[str, object]], int]:
    """``n`` synthetic articles and the number of planted stories."""
    rng = random.Random(seed)
    start = datetime(2024, 9, 1, tzinfo=UTC)
    rows: list[dict[str, object]] = []
    story = 0
    while len(rows) < n:
        story += 1
        kind = rng.choice(sorted(EVENTS))
        langs = rng.sample(sorted(EVENTS[kind]), k=min(len(EVENTS[kind]), rng.randint(2, 4)))
        size = min(int(rng.paretovariate(1.3)) + 1, 300, n - len(rows))
        t0 = start + timedelta(minutes=rng.randint(0, 10 * 24 * 60))
        pi, qi, num = rng.randrange(len(PLACES)), rng.randrange(8), rng.randint(2, 900)
        district = rng.choice(SYLLABLES) + " " + rng.choice(SYLLABLES)  # the story's own named entity
        for k in range(size):
            lang = rng.choice(langs)
            if k and rng.random() < 0.25:  # a wire copy of an earlier article, another outlet
                prev = rows[-rng.randint(1, k)]
                rows.append({**prev, "id": f"a{len(rows)}", "title": str(prev["title"]) + rng.choice(OUTLETS)})
                continue
            place = f"{district} ({ ({'vi': PLACES, 'zh': PLACES_ZH}.get(lang, PLACES_EN)[pi]) })"
            title = rng.choice(EVENTS[kind][lang]).format(
                p=place, q=PARTNERS[lang][qi], n=num + rng.choice([0, 0, 1, 2])
            )
            when = t0 + timedelta(minutes=rng.randint(0, 48 * 60))
            rows.append(
                {
                    "id": f"a{len(rows)}",
                    "title": title,
                    "text": f"{place}. " + LEADS[lang].format(d=when.strftime("%d/%m")),
                    "lang": lang,
                    "published_at": when.isoformat(),
                    "story": story,
                }
            )
    return rows[:n], story


def assign_speed(pre: int, dim: int = 384, all_in_window: bool = False, seed: int = 3) -> dict[str, float]:
    rng = np.random.default_rng(seed)
    n_centres = max(pre // 20, 1)
    centres = rng.standard_normal((n_centres, dim)).astype(np.float32)
    langs = ["vi", "en", "fr", "zh"]
    start = datetime(2024, 9, 1, tzinfo=UTC)
    span_h = 60.0 if all_in_window else 30 * 24.0
    clusterer = StoryClusterer()
    timings: list[float] = []
    for i in range(pre + 2000):
        c = int(rng.integers(n_centres)) if not all_in_window else i % n_centres
        vec = centres[c] + 0.8 * rng.standard_normal(dim).astype(np.float32)
        when = start + timedelta(hours=span_h * i / (pre + 2000))
        t = time.perf_counter()
        clusterer.assign(f"v{i}", vec, when, lang=langs[i % 4])
        if i >= pre:
            timings.append((time.perf_counter() - t) * 1000)
    return {
        "median": round(float(np.median(timings)), 3),
        "p95": round(float(np.percentile(timings, 95)), 3),
        "active_stories": clusterer.active_count,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=2000, help="synthetic headlines to cluster in batch (0: skip)")
    parser.add_argument("--pre", type=int, default=100_000, help="vectors clustered before timing assign()")
    parser.add_argument("--lead-chars", type=int, default=200, help="lead characters embedded (0: titles only)")
    args = parser.parse_args(argv)
    out: dict[str, object] = {"cores": os.cpu_count(), "load_avg_1m": round(os.getloadavg()[0], 2)}
    if args.pre:
        out["assign_ms"] = assign_speed(args.pre)
        out["assign_ms_all_in_window"] = assign_speed(args.pre, all_in_window=True)
    if args.n:
        rows, planted = synth(args.n)
        with tempfile.TemporaryDirectory() as tmp:
            src, dst = Path(tmp) / "in.jsonl", Path(tmp) / "out.jsonl"
            src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
            stats: dict[str, float] = {}
            t = time.perf_counter()
            cluster_jsonl(src, dst, stats=stats, lead_chars=args.lead_chars)
            stats["total_s"] = round(time.perf_counter() - t, 2)
            found = [json.loads(line)["story_id"] for line in dst.read_text(encoding="utf-8").splitlines()]
        from sklearn.metrics import normalized_mutual_info_score

        by_id = {str(r["id"]): r["story"] for r in rows}
        ids = [str(r["id"]) for r in rows]
        stats["planted_stories"] = planted
        stats["nmi_vs_planted"] = round(float(normalized_mutual_info_score([by_id[i] for i in ids], found)), 4)
        out["batch"] = {"n": args.n, "lead_chars": args.lead_chars, **stats}
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
