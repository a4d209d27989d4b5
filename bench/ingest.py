"""Benchmark: import N synthetic multilingual articles through the whole ingest path.

normalise → language ID → fingerprint → dedupe → PostgreSQL, exactly as ``ttdn import``
does. About 5 % of the articles are exact copies and 5 % near copies (edited wire stories),
so the dedupe lookups do real work. Prints one JSON object: articles/s and peak RSS of this
process (and of the PostgreSQL server when it is the embedded one).

    python bench/ingest.py --n 10000
    python bench/ingest.py --n 100000 --data-dir /tmp/ttdn-bench

With no TTDN_DATABASE_URL it starts a fresh embedded server in a temporary data directory.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import resource
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import psutil

from ttdn.pipeline.topology import ingest
from ttdn.records import RawArticle
from ttdn.settings import Settings
from ttdn.store import Store

WORDS = {
    "vi": "Việt Nam kinh tế xuất khẩu tăng trưởng đầu tư nước ngoài doanh nghiệp du lịch văn hoá biển đảo "
    "hợp tác quốc tế chính phủ Hà Nội Thành phố Hồ Chí Minh Đà Nẵng Khánh Hòa người dân phát triển bền vững "
    "chuyển đổi số công nghệ năng lượng tái tạo nông nghiệp lúa gạo cà phê cảng biển hạ tầng giao thông",
    "en": "Vietnam economy exports growth investment foreign companies tourism culture sea islands cooperation "
    "international government Hanoi Ho Chi Minh City Danang people sustainable development digital "
    "transformation technology renewable energy agriculture rice coffee seaport infrastructure transport",
    "fr": "Vietnam économie exportations croissance investissement étranger entreprises tourisme culture mer "
    "îles coopération internationale gouvernement Hanoï Hô Chi Minh-Ville population développement durable "
    "transformation numérique technologie énergie renouvelable agriculture riz café port infrastructures",
    "de": "Vietnam Wirtschaft Exporte Wachstum Investitionen ausländische Unternehmen Tourismus Kultur Meer "
    "Inseln Zusammenarbeit internationale Regierung Hanoi Bevölkerung nachhaltige Entwicklung digitale "
    "Transformation Technologie erneuerbare Energie Landwirtschaft Reis Kaffee Hafen Infrastruktur Verkehr",
    "es": "Vietnam economía exportaciones crecimiento inversión extranjera empresas turismo cultura mar islas "
    "cooperación internacional gobierno Hanói población desarrollo sostenible transformación digital "
    "tecnología energía renovable agricultura arroz café puerto infraestructura transporte",
    "ru": "Вьетнам экономика экспорт рост инвестиции иностранные компании туризм культура море острова "
    "сотрудничество международное правительство Ханой население устойчивое развитие цифровая "
    "трансформация технологии возобновляемая энергия сельское хозяйство рис кофе порт инфраструктура",
    "zh": "越南 经济 出口 增长 投资 外国 企业 旅游 文化 海洋 岛屿 合作 国际 政府 河内 胡志明市 岘港 人民 "
    "可持续 发展 数字 转型 技术 可再生 能源 农业 大米 咖啡 港口 基础设施 交通",
    "ja": "ベトナム 経済 輸出 成長 投資 外国 企業 観光 文化 海 島 協力 国際 政府 ハノイ ホーチミン市 人々 "
    "持続可能な 発展 デジタル 変革 技術 再生可能 エネルギー 農業 米 コーヒー 港 インフラ 交通",
}


def synthetic(n: int, seed: int = 7) -> Iterator[RawArticle]:
    rng = random.Random(seed)
    vocab = {lang: words.split() for lang, words in WORDS.items()}
    langs = list(vocab)
    recent: list[tuple[str, str, str]] = []
    for i in range(n):
        roll = rng.random()
        if recent and roll < 0.05:  # exact copy under another URL
            lang, title, text = rng.choice(recent)
        elif recent and roll < 0.10:  # near copy: an edited wire story
            lang, title, text = rng.choice(recent)
            lines = text.split("\n")
            lines[rng.randrange(len(lines))] = lines[0][::-1]  # one sentence edited
            text = "\n".join([*lines, "Reporting by the wire service; editing by the desk."])
        else:
            lang = rng.choice(langs)
            joiner = "" if lang in ("zh", "ja") else " "
            sentences = [
                joiner.join(rng.choices(vocab[lang], k=rng.randint(10, 20))) + ("。" if joiner == "" else ".")
                for _ in range(rng.randint(10, 25))
            ]
            title = joiner.join(rng.choices(vocab[lang], k=8))
            text = "\n".join(sentences)
        recent = ([*recent, (lang, title, text)])[-200:]
        yield RawArticle(
            url=f"https://bench.example/{lang}/{i}?utm_source=bench",
            title=title,
            text=text,
            lang_hint=lang if i % 3 == 0 else None,
            origin=f"synthetic:{i}",
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=10_000, help="articles to import")
    parser.add_argument("--batch", type=int, default=200, help="articles per committed batch")
    parser.add_argument("--data-dir", type=Path, default=None, help="data directory (default: a temporary one)")
    args = parser.parse_args()

    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="ttdn-bench-"))
    settings = Settings(data_dir=data_dir)
    started = time.perf_counter()
    store = Store.open(settings)
    startup_s = time.perf_counter() - started
    server_pids = _postgres_pids(data_dir)
    server_peak = 0
    last_sample = 0.0

    def sample(_: int) -> None:
        nonlocal server_peak, last_sample
        if time.perf_counter() - last_sample > 1.0:
            server_peak = max(server_peak, _rss(server_pids))
            last_sample = time.perf_counter()

    t0 = time.perf_counter()
    summary = ingest(synthetic(args.n), store, settings, batch_size=args.batch, on_progress=sample)
    elapsed = time.perf_counter() - t0
    store.close()
    result = {
        "benchmark": "ingest",
        "n": args.n,
        "stored": summary.stored,
        "exact_duplicates": summary.exact_duplicates,
        "near_duplicates": summary.near_duplicates,
        "rejected": summary.rejected,
        "seconds": round(elapsed, 2),
        "articles_per_s": round(args.n / elapsed, 1),
        "startup_s": round(startup_s, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "postgres_peak_rss_mb": round(server_peak / 2**20, 1) if server_pids else None,
        "embedded": settings.database_url is None,
        "machine": f"{platform.machine()} {psutil.cpu_count()} cpu {round(psutil.virtual_memory().total / 2**30)} GiB",
        "python": platform.python_version(),
    }
    print(json.dumps(result))
    if args.data_dir is None:
        shutil.rmtree(data_dir, ignore_errors=True)


def _postgres_pids(data_dir: Path) -> list[int]:
    pid_file = data_dir.resolve() / "pg" / "postmaster.pid"
    if not pid_file.exists():
        return []
    main = int(pid_file.read_text().split()[0])
    return [main]


def _rss(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            process = psutil.Process(pid)
            total += process.memory_info().rss + sum(c.memory_info().rss for c in process.children())
        except psutil.Error:
            pass
    return total


if __name__ == "__main__":
    main()
