"""Benchmark: hybrid search (``ttdn.search.engine.search``) over N stored articles.

Fills the embedded PostgreSQL with N synthetic articles in eight languages (vi with
diacritics, en, fr, de, es, ru, zh, ja), written straight into ``articles`` with a binary
COPY — not through the ingest pipeline, which would take hours at a million. Words follow a
Zipf law over per-language vocabularies grown from the project's own labelled texts (real
words first, then made-up words of the same letters), so a one-word query hits anything
from a handful to tens of thousands of articles. Every article has a source (with a
country), a publication date over two years (rising with the id, as a collector would
store them), topics, tone, relevance, a story, and a 384-d unit embedding drawn around one
of a few thousand topic centroids (the topic also picks some of its words, so the lexical
and vector halves agree). ``search_text`` is `ttdn.search.query.search_text_of`, as the
store computes it, and ``search_tsv`` is the table's generated column.

The article indexes (GIN on ``search_tsv``, HNSW on ``embedding`` — their definitions are
read from the migrated schema and re-created unchanged — and the b-trees) are dropped
before the load and built after it, as a bulk load should; then VACUUM ANALYZE.

Then a query mix (single words of every frequency, Vietnamese without diacritics, phrases,
OR / NOT, CJK, with and without filters on language, dates, source country, topic, tone,
and sorted by date) runs through the real ``search()`` three ways: lexical only
(``embed_query=None``), vector only (the engine's nearest-neighbour half alone, with a
synthetic query vector near the topic's centroid) and hybrid (``search()`` with that
vector, so no model time). The e5 model's own per-query embedding time is measured apart
on a small sample. Prints one JSON object.

    python bench/search.py --n 20000
    python bench/search.py --n 1000000 --reuse /var/tmp/ttdn-search-1m   # load once, rerun queries

``--reuse DIR`` loads into DIR the first time and afterwards only runs the queries (DIR is
never deleted); without it the data lives in a temporary directory removed at the end
unless ``--keep``. ``--shared-buffers 12GB`` sets the embedded server's buffer cache (ALTER
SYSTEM and a restart) and ``--prewarm`` reads the articles (heap, TOAST, indexes) into it
first: on a machine that reclaims idle page cache (as the 2-core test VM does within about
30 s) PostgreSQL's own buffers are the only cache that stays, and the default 128 MB turns
every search into disk reads.
"""

from __future__ import annotations

import argparse
import atexit
import hashlib
import json
import math
import resource
import shutil
import statistics
import struct
import sys
import tempfile
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import psycopg
from psycopg.adapt import Dumper
from psycopg.pq import Format
from psycopg.types import TypeInfo
from sqlalchemy import Engine, insert, text

from machine import describe
from ttdn.errors import BadInput
from ttdn.search import engine as search_engine
from ttdn.search.engine import SearchFilters, search
from ttdn.search.query import WORD, parse_query, search_text_of
from ttdn.settings import Settings
from ttdn.store import Store
from ttdn.store.server import restart
from ttdn.store.tables import Source
from ttdn.text.normalize import fold, normalize_text

DIM = 384
DATA = Path(__file__).resolve().parents[1] / "src" / "ttdn" / "data"
LANG_SHARE = {"vi": 0.34, "en": 0.24, "fr": 0.08, "zh": 0.08, "ru": 0.07, "ja": 0.07, "de": 0.06, "es": 0.06}
COUNTRIES = {
    "vi": ["VN"],
    "en": ["US", "GB", "AU", "SG", "PH", "IN"],
    "fr": ["FR", "BE", "CA"],
    "zh": ["CN", "TW", "SG"],
    "ru": ["RU", "BY"],
    "ja": ["JP"],
    "de": ["DE", "AT", "CH"],
    "es": ["ES", "MX", "AR"],
}
CJK = ("zh", "ja")
VOCAB = 40_000  # word types per language (vi: syllable compounds, zh/ja: words of characters)
N_SOURCES = 600
N_TOPICS = 3_000
N_GROUPS = 40
TOPIC_WORDS = 8  # keywords per topic and language
DAYS = 730
TOPIC_LABELS = [t["id"] for t in json.loads((DATA / "topics" / "taxonomy.json").read_text())["topics"]]
META = "bench_search.json"  # in the data dir: what was loaded, for --reuse

# ---- vocabularies -----------------------------------------------------------------------

_TONES = ("\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
_HAN = "\u4e00-\u9fff"


def _corpus() -> dict[str, list[str]]:
    texts: dict[str, list[str]] = defaultdict(list)
    for line in (DATA / "topics" / "labelled.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        texts[row["lang"]].append(normalize_text(row["text"]))
    for name in ("vietnam.tsv", "provinces.tsv"):
        for line in (DATA / "gazetteer" / name).read_text(encoding="utf-8").splitlines():
            cols = line.split("\t")
            if len(cols) >= 6 and cols[4] == "vi" and not line.startswith("#"):
                texts["vi_names"] += [normalize_text(x) for x in [cols[2], *cols[5].split(";")] if x]
    return texts


def _tone_variants(syllable: str) -> list[str]:
    """The same Vietnamese syllable with each of the other tone marks (biển → biên, biến …)."""
    nfd = unicodedata.normalize("NFD", syllable)
    bare = "".join(ch for ch in nfd if ch not in _TONES)
    vowels = [i for i, ch in enumerate(bare) if ch.lower() in "aeiouy"]
    if not vowels:
        return []
    at = vowels[len(vowels) // 2] + 1
    while at < len(bare) and unicodedata.combining(bare[at]):
        at += 1
    out = [bare]
    out += [bare[:at] + tone + bare[at:] for tone in _TONES]
    return [normalize_text(unicodedata.normalize("NFC", v)) for v in out]


def _ranked(tokens: list[str]) -> list[str]:
    return [w for w, _ in Counter(tokens).most_common()]


def _fill(ranked: list[str], make: Callable[[], str], size: int) -> list[str]:
    seen = set(ranked)
    out = list(ranked)
    while len(out) < size:
        word = make()
        if word not in seen:
            seen.add(word)
            out.append(word)
    return out[:size]


def build_vocabularies(seed: int) -> dict[str, list[str]]:
    """Per language, word types by Zipf rank: the corpus' real words first, made-up ones after."""
    rng = np.random.default_rng(seed)
    corpus = _corpus()
    vocab: dict[str, list[str]] = {}
    for lang in ("en", "fr", "de", "es", "ru"):
        tokens = [t for doc in corpus[lang] for t in WORD.findall(doc) if t.isalpha() and len(t) > 1]
        tokens = [t if t[0].isupper() and t[1:].islower() and len(t) > 3 else t.lower() for t in tokens]
        real = _ranked(tokens)
        stems = [w.lower() for w in real if len(w) >= 4]

        def made_up(stems: list[str] = stems) -> str:
            a, b = stems[rng.integers(len(stems))], stems[rng.integers(len(stems))]
            return a[: rng.integers(2, len(a))] + b[rng.integers(1, len(b) - 1) :]

        vocab[lang] = _fill(real, made_up, VOCAB)
    # Vietnamese: syllables (real ones, then their other tones), words of one to three syllables
    syllables = _ranked([t.lower() for doc in corpus["vi"] for t in WORD.findall(doc) if t.isalpha()])
    known = set(syllables)
    for s in list(syllables):
        for v in _tone_variants(s):
            if v not in known:
                known.add(v)
                syllables.append(v)
    names = list(dict.fromkeys(n for n in corpus["vi_names"] if " " in n and WORD.fullmatch(n.split()[0])))
    zipf = _zipf_cdf(len(syllables), 1.0)

    def vi_word() -> str:
        k = 2 if rng.random() < 0.8 else 3
        return " ".join(syllables[i] for i in np.searchsorted(zipf, rng.random(k)).clip(0, len(syllables) - 1))

    vocab["vi"] = _fill(syllables[:1500] + names, vi_word, VOCAB)
    # Chinese and Japanese: real character runs cut in words, then made-up words of known characters
    for lang in CJK:
        pattern = f"[{_HAN}]+|[\u30a0-\u30ff]+|[\u3040-\u309f]"
        runs = [m.group() for doc in corpus[lang] for m in _re_finditer(pattern, doc)]
        words = []
        for run in runs:
            if len(run) <= 2 or not _is_han(run[0]):
                words.append(run)
            else:
                words += [run[i : i + 2] for i in range(0, len(run) - 1, 2)]
        real = _ranked(words)
        chars = _ranked([ch for w in words for ch in w if _is_han(ch)])
        extra = [chr(c) for c in range(0x4E00, 0x4E00 + 6000) if chr(c) not in set(chars)]
        chars += [extra[i] for i in rng.permutation(len(extra))[:3500]]
        cz = _zipf_cdf(len(chars), 0.9)

        def cjk_word(chars: list[str] = chars, cz: np.ndarray = cz) -> str:
            k = 2 if rng.random() < 0.85 else 3
            return "".join(chars[i] for i in np.searchsorted(cz, rng.random(k)).clip(0, len(chars) - 1))

        vocab[lang] = _fill(real, cjk_word, VOCAB)
    return vocab


def _re_finditer(pattern: str, s: str) -> Iterator[Any]:
    import re

    return re.finditer(pattern, s)


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _zipf_cdf(n: int, s: float, q: float = 2.7) -> np.ndarray:
    """Zipf–Mandelbrot rank probabilities, cumulated (for searchsorted sampling)."""
    p = 1.0 / (np.arange(1, n + 1) + q) ** s
    c = np.cumsum(p)
    return c / c[-1]


# ---- the synthetic world ---------------------------------------------------------------


@dataclass
class World:
    seed: int
    vocab: dict[str, list[str]]
    cdf: dict[str, np.ndarray]
    topic_words: dict[str, np.ndarray]  # lang -> (N_TOPICS, TOPIC_WORDS) word ranks
    centroids: np.ndarray  # (N_TOPICS, DIM)
    common: np.ndarray  # the direction every e5 vector shares
    lang_dirs: dict[str, np.ndarray]
    topic_cdf: np.ndarray
    sources: list[dict[str, Any]] = field(default_factory=list)
    start: datetime = datetime(2024, 1, 1, tzinfo=UTC)


def _unit(x: np.ndarray) -> np.ndarray:
    return (x / np.linalg.norm(x, axis=-1, keepdims=True)).astype(np.float32)


def build_world(seed: int) -> World:
    rng = np.random.default_rng(seed)
    vocab = build_vocabularies(seed)
    cdf = {lang: _zipf_cdf(len(words), 1.0) for lang, words in vocab.items()}
    # topic keywords: mid-frequency words (ranks 200 … 30,000, log-uniform)
    topic_words = {
        lang: np.exp(rng.uniform(math.log(200), math.log(30_000), (N_TOPICS, TOPIC_WORDS))).astype(np.int64)
        for lang in vocab
    }
    groups = _unit(rng.standard_normal((N_GROUPS, DIM)))
    centroids = _unit(groups[rng.integers(N_GROUPS, size=N_TOPICS)] + 0.9 * _unit(rng.standard_normal((N_TOPICS, DIM))))
    common = _unit(rng.standard_normal(DIM))
    lang_dirs = {lang: _unit(rng.standard_normal(DIM)) for lang in vocab}
    sources = []
    for i in range(N_SOURCES):
        lang = list(LANG_SHARE)[int(np.searchsorted(np.cumsum(list(LANG_SHARE.values())), rng.random()))]
        country = COUNTRIES[lang][int(rng.integers(len(COUNTRIES[lang])))]
        sources.append({"id": i + 1, "name": f"{country} {lang} news {i + 1}", "lang": lang, "country": country})
    return World(seed, vocab, cdf, topic_words, centroids, common, lang_dirs, _zipf_cdf(N_TOPICS, 0.8), sources)


def embed_like(
    world: World, topics: np.ndarray, langs: list[str], rng: np.random.Generator, noise: float
) -> np.ndarray:
    """Unit vectors near the topics' centroids, with e5's shared direction and a language tilt."""
    lang_tilt = np.stack([world.lang_dirs[lang] for lang in langs])
    raw = (
        world.centroids[topics]
        + noise * _unit(rng.standard_normal((len(topics), DIM)))
        + 0.6 * world.common
        + 0.2 * lang_tilt
    )
    return _unit(raw)


def _words(world: World, lang: str, topic: int, n: int, rng: np.random.Generator) -> list[str]:
    ranks = np.searchsorted(world.cdf[lang], rng.random(n)).clip(0, VOCAB - 1)
    topical = rng.random(n) < 0.12
    ranks[topical] = world.topic_words[lang][topic, rng.integers(TOPIC_WORDS, size=int(topical.sum()))]
    vocab = world.vocab[lang]
    return [vocab[r] for r in ranks]


def _sentence(words: list[str], lang: str) -> str:
    if lang in CJK:
        return "".join(words) + "。"
    first = words[0]
    return " ".join([first[:1].upper() + first[1:], *words[1:]]) + "."


def _article(world: World, lang: str, topic: int, rng: np.random.Generator) -> tuple[str, str]:
    title_words = _words(world, lang, topic, int(rng.integers(6, 14)), rng)
    title_words[int(rng.integers(len(title_words)))] = world.vocab[lang][world.topic_words[lang][topic, 0]]
    title = _sentence(title_words, lang)[:-1]
    length = int(np.clip(rng.lognormal(math.log(170), 0.5), 40, 700))
    words = _words(world, lang, topic, length, rng)
    cuts = np.cumsum(rng.integers(8, 26, size=length // 8 + 2))
    sentences, at = [], 0
    for cut in cuts:
        if at >= length:
            break
        sentences.append(_sentence(words[at : int(cut)], lang))
        at = int(cut)
    joiner = "" if lang in CJK else " "
    paragraphs = [joiner.join(sentences[i : i + 4]) for i in range(0, len(sentences), 4)]
    return title, "\n".join(paragraphs)


class _HalfvecBytes(bytes):
    """A halfvec already in PostgreSQL's binary form (dim, unused, big-endian float16s)."""


def _halfvec_dumper(oid: int) -> type[Dumper]:
    class HalfvecBinary(Dumper):
        format = Format.BINARY

        def dump(self, obj: bytes) -> bytes:
            return obj

    HalfvecBinary.oid = oid
    return HalfvecBinary


COLUMNS = [
    ("id", "int8"), ("url_key", "text"), ("url", "text"), ("source_id", "int4"), ("source_name", "text"),
    ("origin", "text"), ("title", "text"), ("text", "text"), ("title_norm", "text"), ("text_norm", "text"),
    ("lang", "varchar"), ("lang_confidence", "float8"), ("published_at", "timestamptz"),
    ("collected_at", "timestamptz"), ("content_hash", "varchar"), ("minhash", "bytea"), ("relevance", "float8"),
    ("topics", "jsonb"), ("tone", "float8"), ("story_id", "int8"), ("embedding", "halfvec"),
    ("enriched_at", "timestamptz"), ("search_text", "text"),
]  # fmt: skip


def rows(world: World, first: int, count: int, n_total: int) -> Iterator[tuple[Any, ...]]:
    """Articles ``first`` … ``first + count - 1`` (ids from 1); deterministic per chunk."""
    rng = np.random.default_rng([world.seed, first])
    langs_all = list(LANG_SHARE)
    by_lang: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for s in world.sources:
        by_lang[s["lang"]].append(s)
    langs = [langs_all[i] for i in np.searchsorted(np.cumsum(list(LANG_SHARE.values())), rng.random(count)).clip(0, 7)]
    topics = np.searchsorted(world.topic_cdf, rng.random(count)).clip(0, N_TOPICS - 1)
    vectors = embed_like(world, topics, langs, rng, noise=0.55).astype(">f2")
    header = struct.pack(">HH", DIM, 0)
    span = DAYS * 86400.0
    for k in range(count):
        id_ = first + k
        lang, topic = langs[k], int(topics[k])
        source = by_lang[lang][int(rng.integers(len(by_lang[lang])))]
        title, body = _article(world, lang, topic, rng)
        published = world.start + timedelta(
            seconds=float(np.clip(id_ / n_total * span + rng.normal(0, 86400), 0, span))
        )
        relevance = float(rng.beta(2, 2))
        tone = round(float(np.clip(rng.normal(0.05, 0.35), -1, 1)), 4) if relevance >= 0.5 else None
        labels = rng.choice(len(TOPIC_LABELS), size=int(rng.integers(1, 3)), replace=False)
        yield (
            id_, f"https://bench.example/{lang}/{id_}", f"https://bench.example/{lang}/{id_}", source["id"],
            source["name"], "synthetic:search", title, body, title, body, lang, 0.97, published,
            published + timedelta(minutes=float(rng.integers(1, 90))),
            hashlib.sha256(body.encode()).hexdigest(), rng.bytes(512), round(relevance, 4),
            [{"label": TOPIC_LABELS[i], "score": round(float(rng.uniform(0.3, 0.95)), 4)} for i in labels],
            tone, int(id_ // 12 + topic) if rng.random() < 0.6 else None,
            _HalfvecBytes(header + vectors[k].tobytes()), published + timedelta(hours=2),
            search_text_of(title, body),
        )  # fmt: skip


# ---- loading ------------------------------------------------------------------------------


def _psycopg_url(engine: Engine) -> str:
    return engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


def load(store: Store, world: World, n: int, chunk: int, log: Callable[[str], None]) -> dict[str, Any]:
    engine = store.database.engine
    with engine.begin() as conn:
        conn.execute(insert(Source.__table__), [
            {"id": s["id"], "name": s["name"], "url": f"https://bench.example/source/{s['id']}",
             "lang": s["lang"], "country": s["country"], "kind": "feed", "cadence_minutes": 30}
            for s in world.sources
        ])  # fmt: skip
        indexes = conn.execute(
            text(
                "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
                "WHERE x.indrelid = 'articles'::regclass AND NOT x.indisprimary AND NOT x.indisunique"
            )
        ).all()
        for name, _ in indexes:
            conn.execute(text(f'DROP INDEX "{name}"'))
    log(f"dropped {len(indexes)} article indexes; loading {n} articles")
    t0 = time.perf_counter()
    with psycopg.connect(_psycopg_url(engine)) as pg:
        info = TypeInfo.fetch(pg, "halfvec")
        assert info is not None
        info.register(pg)
        pg.adapters.register_dumper(_HalfvecBytes, _halfvec_dumper(info.oid))
        names = ", ".join(c for c, _ in COLUMNS)
        for first in range(1, n + 1, chunk):
            count = min(chunk, n + 1 - first)
            with pg.cursor() as cur, cur.copy(f"COPY articles ({names}) FROM STDIN (FORMAT BINARY)") as copy:
                copy.set_types([t if t != "halfvec" else info.oid for _, t in COLUMNS])
                for row in rows(world, first, count, n):
                    copy.write_row(row)
            pg.commit()
            done = first + count - 1
            rate = done / (time.perf_counter() - t0)
            log(f"loaded {done}/{n} ({rate:.0f}/s, eta {(n - done) / rate:.0f} s)")
    load_s = time.perf_counter() - t0
    with engine.connect() as conn:
        conn.execute(text("SELECT setval(pg_get_serial_sequence('articles', 'id'), :n)"), {"n": n})
        conn.execute(text("SELECT setval(pg_get_serial_sequence('sources', 'id'), :n)"), {"n": N_SOURCES})
        conn.commit()
    build: dict[str, float] = {}
    with psycopg.connect(_psycopg_url(engine), autocommit=True) as pg:
        pg.execute("SET maintenance_work_mem = '3GB'")
        pg.execute("SET max_parallel_maintenance_workers = 2")
        kinds = {"btree": [], "gin": [], "hnsw": []}
        for name, ddl in indexes:
            kind = "hnsw" if " USING hnsw " in ddl else "gin" if " USING gin " in ddl else "btree"
            kinds[kind].append((name, ddl))
        for kind in ("btree", "gin", "hnsw"):
            t = time.perf_counter()
            for name, ddl in kinds[kind]:
                log(f"building {name}: {ddl}")
                pg.execute(ddl)
            build[kind] = round(time.perf_counter() - t, 1)
            log(f"built {kind} indexes in {build[kind]} s")
        t = time.perf_counter()
        pg.execute("VACUUM (ANALYZE) articles")
        pg.execute("ANALYZE sources")
        vacuum_s = time.perf_counter() - t
    return {
        "n": n,
        "seed": world.seed,
        "load_s": round(load_s, 1),
        "load_rows_per_s": round(n / load_s),
        "index_build_s": build,
        "index_build_total_s": round(sum(build.values()), 1),
        "vacuum_analyze_s": round(vacuum_s, 1),
        "indexes_built_after_load": [ddl for _, ddl in indexes],
        "maintenance_work_mem": "3GB",
        "max_parallel_maintenance_workers": 2,
    }


# ---- queries ------------------------------------------------------------------------------


@dataclass
class Query:
    kind: str
    text: str
    topic: int
    lang: str
    filters: SearchFilters | None = None
    sort: str = "relevance"


def _word(world: World, lang: str, rng: np.random.Generator, lo: int, hi: int) -> str:
    return world.vocab[lang][int(np.exp(rng.uniform(math.log(lo), math.log(hi))))]


def make_queries(world: World, engine: Engine, n_total: int, count: int, seed: int) -> list[Query]:
    """``count`` queries over the kinds below, round robin, each with the topic its vector is near."""
    rng = np.random.default_rng([seed, 99])
    end = world.start + timedelta(days=DAYS)
    word_langs = ["vi", "en", "fr", "de", "es", "ru"]
    with engine.connect() as conn:  # phrases are taken from stored titles, so they hit
        titles = conn.execute(
            text("SELECT title, lang FROM articles WHERE id = ANY(:ids)"),
            {"ids": [int(i) for i in rng.integers(1, n_total + 1, size=count)]},
        ).all()

    def topical(lang: str, topic: int, k: int = 1) -> list[str]:
        return [world.vocab[lang][int(r)] for r in rng.choice(world.topic_words[lang][topic], size=k, replace=False)]

    def one(kind: str, i: int) -> Query:
        topic = int(np.searchsorted(world.topic_cdf, rng.random()))
        lang = word_langs[i % len(word_langs)]
        recent = (end - timedelta(days=30), end)
        if kind == "word_rare":
            return Query(kind, _word(world, lang, rng, 10_000, VOCAB - 1), topic, lang)
        if kind == "word_mid":
            return Query(kind, _word(world, lang, rng, 1_000, 10_000), topic, lang)
        if kind == "word_common":
            return Query(kind, _word(world, lang, rng, 30, 1_000), topic, lang)
        if kind == "word_very_common":  # "Vietnam", "Việt Nam", "nhiều": in a good share of all articles
            return Query(kind, _word(world, lang, rng, 1, 30), topic, lang)
        if kind == "topical_words":
            return Query(kind, " ".join(topical(lang, topic, 2)), topic, lang)
        if kind in ("vi_no_diacritics", "vi_diacritics"):  # a word of two or three syllables
            words = [w for w in topical("vi", topic, TOPIC_WORDS) if " " in w] or [
                _word(world, "vi", rng, 2_000, 30_000)
            ]
            return Query(kind, fold(words[0]) if kind == "vi_no_diacritics" else words[0], topic, "vi")
        if kind == "phrase":
            title, tlang = titles[i % len(titles)]
            words = title.split() if tlang not in CJK else [title[j : j + 2] for j in range(0, len(title) - 1, 2)]
            at = int(rng.integers(max(1, len(words) - 2)))
            return Query(kind, '"' + " ".join(words[at : at + 2]) + '"', topic, tlang)
        if kind == "or":
            a, b = topical(lang, topic, 2)
            return Query(kind, f"{a} OR {b}", topic, lang)
        if kind == "not":
            a = topical(lang, topic, 1)[0]
            return Query(kind, f"{a} NOT {_word(world, lang, rng, 30, 300)}", topic, lang)
        if kind == "cjk":
            cl = CJK[i % 2]
            return Query(kind, topical(cl, topic, 1)[0], topic, cl)
        if kind == "filter_lang":
            return Query(kind, topical(lang, topic, 1)[0], topic, lang, SearchFilters(langs=[lang]))
        if kind == "filter_recent_30d":
            return Query(kind, _word(world, lang, rng, 100, 3_000), topic, lang, SearchFilters(*recent))
        if kind == "filter_date_range":
            a = world.start + timedelta(days=float(rng.uniform(0, DAYS - 90)))
            return Query(
                kind, _word(world, lang, rng, 100, 3_000), topic, lang, SearchFilters(a, a + timedelta(days=90))
            )
        if kind == "filter_country":
            country = COUNTRIES[lang][0]
            return Query(kind, topical(lang, topic, 1)[0], topic, lang, SearchFilters(source_countries=[country]))
        if kind == "filter_combo":
            f = SearchFilters(*recent, langs=[lang], source_countries=COUNTRIES[lang][:2], min_relevance=0.5)
            return Query(kind, _word(world, lang, rng, 30, 2_000), topic, lang, f)
        if kind == "filter_topic_tone":
            f = SearchFilters(topics=[TOPIC_LABELS[i % len(TOPIC_LABELS)]], tone_min=-1.0, tone_max=0.0)
            return Query(kind, _word(world, lang, rng, 100, 3_000), topic, lang, f)
        if kind == "sort_date":
            return Query(kind, _word(world, lang, rng, 300, 5_000), topic, lang, sort="date")
        raise ValueError(kind)

    kinds = [
        "word_rare", "word_mid", "word_common", "word_very_common", "topical_words", "vi_no_diacritics",
        "vi_diacritics", "phrase", "or", "not", "cjk", "filter_lang", "filter_recent_30d", "filter_date_range",
        "filter_country", "filter_combo", "filter_topic_tone", "sort_date",
    ]  # fmt: skip
    out = []
    for i in range(count):
        for _ in range(50):  # a draw of only stop words (the, của …) is refused by the parser: draw again
            q = one(kinds[i % len(kinds)], i // len(kinds))
            try:
                parse_query(q.text)
                break
            except BadInput:
                continue
        out.append(q)
    return out


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, max(0, math.ceil(p / 100 * len(ordered)) - 1))], 2)


def _summary(values: list[float]) -> dict[str, float]:
    return {"p50": _pct(values, 50), "p95": _pct(values, 95), "p99": _pct(values, 99), "max": round(max(values), 2)}


def run_queries(
    store: Store, world: World, queries: list[Query], warmup: list[Query], log: Callable[[str], None]
) -> dict[str, Any]:
    engine = store.database.engine
    rng = np.random.default_rng([world.seed, 7])
    vectors = embed_like(
        world, np.array([q.topic for q in queries + warmup]), [q.lang for q in queries + warmup], rng, 0.35
    )
    vec = {id(q): vectors[i] for i, q in enumerate(queries + warmup)}

    def lexical(q: Query) -> Any:
        return search(engine, q.text, filters=q.filters, sort=q.sort)

    def hybrid(q: Query) -> Any:
        return search(engine, q.text, filters=q.filters, sort=q.sort, embed_query=lambda _: vec[id(q)])

    def vector_only(q: Query) -> Any:
        return search_engine.vector_candidates(engine, vec[id(q)], q.filters)

    # the product's search first: each mode after it finds the pages of the same queries cached
    modes: dict[str, Callable[[Query], Any]] = {"hybrid": hybrid, "lexical": lexical, "vector": vector_only}
    t = time.perf_counter()
    for q in warmup:
        for fn in modes.values():
            fn(q)
    log(f"warm-up done in {time.perf_counter() - t:.1f} s")
    times: dict[str, list[float]] = {m: [] for m in modes}
    per_kind: dict[str, dict[str, list[float]]] = defaultdict(lambda: {m: [] for m in modes})
    hits: dict[str, list[int]] = defaultdict(list)
    lexical_counts: dict[str, list[int]] = defaultdict(list)
    for mode, fn in modes.items():
        for q in queries:
            t = time.perf_counter()
            result = fn(q)
            ms = (time.perf_counter() - t) * 1000
            times[mode].append(ms)
            per_kind[q.kind][mode].append(ms)
            if mode == "hybrid":
                hits[q.kind].append(len(result.hits))
            if mode == "lexical":
                lexical_counts[q.kind].append(result.lexical_matches)
        log(f"{mode}: p50 {_pct(times[mode], 50)} ms, p95 {_pct(times[mode], 95)} ms")
    slowest = sorted(range(len(queries)), key=lambda i: -times["hybrid"][i])[:5]
    return {
        "queries": len(queries),
        "warmup_queries": len(warmup),
        "lexical_only_ms": _summary(times["lexical"]),
        "vector_only_ms": _summary(times["vector"]),
        "hybrid_ms": _summary(times["hybrid"]),
        "per_kind": {
            kind: {
                "n": len(modes_["hybrid"]),
                "example": next(q.text for q in queries if q.kind == kind),
                **{f"{m}_p50": _pct(v, 50) for m, v in modes_.items()},
                **{f"{m}_p95": _pct(v, 95) for m, v in modes_.items()},
                "lexical_candidates_median": int(statistics.median(lexical_counts[kind])),
                "hybrid_hits_median": int(statistics.median(hits[kind])),
            }
            for kind, modes_ in per_kind.items()
        },
        "slowest_hybrid": [
            {"kind": queries[i].kind, "query": queries[i].text, "ms": round(times["hybrid"][i], 1)} for i in slowest
        ],
    }


def match_counts(engine: Engine, queries: list[Query], per_kind: int = 4) -> dict[str, list[int]]:
    """How many articles the lexical query matches (before any candidate limit), a few per kind."""
    out: dict[str, list[int]] = defaultdict(list)
    with engine.connect() as conn:
        for q in queries:
            if len(out[q.kind]) >= per_kind:
                continue
            n = conn.execute(
                text("SELECT count(*) FROM articles WHERE search_tsv @@ to_tsquery('simple', :q)"),
                {"q": parse_query(q.text).tsquery},
            ).scalar_one()
            out[q.kind].append(int(n))
    return {k: sorted(v) for k, v in out.items()}


def model_embedding_ms(queries: list[Query], sample: int) -> dict[str, Any]:
    try:
        from ttdn.models.embeddings import get_backend

        backend = get_backend()
        backend.embed_queries(["khởi động / warm-up"])
        times = []
        for q in queries[:sample]:
            t = time.perf_counter()
            backend.embed_queries([parse_query(q.text).text_for_embedding])
            times.append((time.perf_counter() - t) * 1000)
        return {"sample": len(times), "p50_ms": _pct(times, 50), "p95_ms": _pct(times, 95)}
    except Exception as exc:  # the model is optional for this benchmark
        return {"error": f"{type(exc).__name__}: {exc}"}


def set_shared_buffers(store: Store, data_dir: Path, size: str, log: Callable[[str], None]) -> Store:
    """Give the embedded server ``size`` of shared buffers (ALTER SYSTEM and a restart)."""
    with store.database.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        if conn.execute(text("SELECT current_setting('shared_buffers')")).scalar_one() == size:
            return store
        conn.execute(text(f"ALTER SYSTEM SET shared_buffers = '{size}'"))
    store.close()
    restart(data_dir)
    log(f"restarted the server with shared_buffers = {size}")
    return Store.open(Settings(data_dir=data_dir))


def prewarm(engine: Engine) -> dict[str, Any]:
    """Read the articles (heap, TOAST, indexes) into shared buffers, as a server in use has them."""
    t = time.perf_counter()
    with engine.connect() as conn:
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_prewarm"))
        names = conn.execute(
            text(
                "SELECT c.relname FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid "
                "WHERE x.indrelid = 'articles'::regclass ORDER BY pg_relation_size(c.oid)"
            )
        ).scalars()
        toast = conn.execute(
            text(
                "SELECT t.oid::regclass::text, x.indexrelid::regclass::text FROM pg_class c "
                "JOIN pg_class t ON t.oid = c.reltoastrelid JOIN pg_index x ON x.indrelid = t.oid "
                "WHERE c.relname = 'articles'"
            )
        ).one()
        blocks = 0
        # the hottest last: when the buffers are smaller than the table, what is read last stays
        # (equal usage counts are evicted oldest first): TOAST, then the heap, then the indexes
        for name in [*toast, "articles", "sources", *names]:
            blocks += conn.execute(text("SELECT pg_prewarm(CAST(:r AS regclass))"), {"r": name}).scalar_one()
        conn.commit()
    return {
        "relations": "articles heap, TOAST and indexes",
        "mb": round(blocks * 8192 / 2**20),
        "s": round(time.perf_counter() - t, 1),
    }


def db_sizes(engine: Engine) -> dict[str, Any]:
    with engine.connect() as conn:
        mb = 2**20
        db = conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one()
        table = conn.execute(text("SELECT pg_table_size('articles')")).scalar_one()
        indexes = conn.execute(
            text(
                "SELECT c.relname, pg_relation_size(c.oid) FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid "
                "WHERE x.indrelid = 'articles'::regclass "
                "AND c.relname IN ('ix_articles_search_tsv', 'ix_articles_embedding')"
            )
        ).all()
        settings = dict(
            conn.execute(
                text(
                    "SELECT name, current_setting(name) FROM pg_settings WHERE name IN "
                    "('shared_buffers', 'work_mem', 'effective_cache_size', 'server_version')"
                )
            ).all()
        )
        vector_version = conn.execute(text("SELECT extversion FROM pg_extension WHERE extname = 'vector'")).scalar()
    return {
        "db_size_mb": round(db / mb),
        "articles_table_mb": round(table / mb),
        **{f"{name}_mb": round(size / mb) for name, size in indexes},
        "postgres": {**settings, "pgvector": vector_version},
        "engine": {
            name: getattr(search_engine, name)
            for name in ("CANDIDATES", "LEXICAL_POOL", "WALK_ROWS", "EF_SEARCH", "MAX_SCAN_TUPLES", "RRF_K")
            if hasattr(search_engine, name)
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1_000_000, help="articles to store")
    parser.add_argument("--queries", type=int, default=270, help="measured queries (each run three ways)")
    parser.add_argument("--warmup", type=int, default=40, help="warm-up queries before measuring")
    parser.add_argument("--chunk", type=int, default=10_000, help="articles per COPY transaction")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--reuse", type=Path, default=None, help="data dir to load once and reuse (never deleted)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary data dir")
    parser.add_argument("--model-sample", type=int, default=20, help="queries embedded by the e5 model (0: skip)")
    parser.add_argument("--load-only", action="store_true", help="load (with --reuse) and stop")
    parser.add_argument("--shared-buffers", default=None, help="set the server's shared_buffers (e.g. 6GB) first")
    parser.add_argument("--prewarm", action="store_true", help="read the article heap and indexes into shared buffers")
    parser.add_argument(
        "--query-seed", type=int, default=None, help="draw the queries with this seed (default --seed): a fresh set"
    )
    args = parser.parse_args()

    def log(msg: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)

    data_dir = args.reuse or Path(tempfile.mkdtemp(prefix="ttdn-bench-search-"))
    meta_path = data_dir / META
    t = time.perf_counter()
    world = build_world(args.seed)
    log(f"vocabularies and topics ready in {time.perf_counter() - t:.1f} s")
    if args.reuse is None and not args.keep:
        # registered before the server starts, so it runs after the server's own exit hook stops it
        atexit.register(shutil.rmtree, data_dir, ignore_errors=True)
    store = Store.open(Settings(data_dir=data_dir))
    try:
        if meta_path.exists():
            meta = json.loads(meta_path.read_text())
            if meta["n"] != args.n or meta["seed"] != args.seed:
                raise SystemExit(f"{data_dir} holds n={meta['n']} seed={meta['seed']}, not n={args.n} seed={args.seed}")
            meta["reused"] = True
            log(f"reusing {data_dir} ({meta['n']} articles)")
        else:
            with store.database.engine.connect() as conn:
                if conn.execute(text("SELECT count(*) FROM articles")).scalar_one():
                    raise SystemExit(f"{data_dir} already holds articles but no {META}")
            meta = load(store, world, args.n, args.chunk, log)
            meta_path.write_text(json.dumps(meta))
            meta["reused"] = False
        if args.load_only:
            print(json.dumps({"benchmark": "search", **meta}))
            return
        if args.shared_buffers:
            store = set_shared_buffers(store, data_dir, args.shared_buffers, log)
        engine = store.database.engine
        warmed = prewarm(engine) if args.prewarm else None
        if warmed:
            log(f"prewarmed {warmed}")
        query_seed = args.seed if args.query_seed is None else args.query_seed
        all_queries = make_queries(world, engine, args.n, args.queries + args.warmup, query_seed)
        warmup, queries = all_queries[: args.warmup], all_queries[args.warmup :]
        log(f"running {len(queries)} queries x 3 modes after {len(warmup)} warm-up queries")
        timings = run_queries(store, world, queries, warmup, log)
        counts = match_counts(engine, queries)
        for kind, values in counts.items():
            timings["per_kind"][kind]["lexical_matches_sample"] = values
        model = model_embedding_ms(queries, args.model_sample) if args.model_sample else None
        result = {
            "benchmark": "search",
            "n_articles": args.n,
            "languages": LANG_SHARE,
            "load_s": meta["load_s"],
            "load_rows_per_s": meta["load_rows_per_s"],
            "index_build_s": meta["index_build_s"],
            "index_build_total_s": meta["index_build_total_s"],
            "vacuum_analyze_s": meta["vacuum_analyze_s"],
            "indexes_built_after_load": meta["indexes_built_after_load"],
            "reused_data_dir": meta["reused"],
            "query_seed": query_seed,
            **timings,
            "p95_target_ms": 100,
            "hybrid_p95_within_target": timings["hybrid_ms"]["p95"] <= 100,
            "model_query_embedding_ms": model,
            "prewarm": warmed,
            **db_sizes(engine),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "machine": describe(),
        }
        print(json.dumps(result, ensure_ascii=False))
    finally:
        store.close()
        if args.reuse is None and args.keep:
            log(f"kept {data_dir}")


if __name__ == "__main__":
    main()
