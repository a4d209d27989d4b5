"""Is this article about Vietnam? A transparent score in [0, 1] from gazetteer mentions.

Every mention gets a *signal* weight (``SIGNAL``): Vietnam itself, its provinces, cities and
Hoàng Sa count 1, institutions and Trường Sa a little less, the South China Sea / Biển Đông less
still (many stories about it are about the Philippines or China). Five features follow:

==================  ===========================================================================
``title``           signal in the title, capped at 2
``lead``            signal in the first `lead_chars` characters of the text, capped at 3
``density``         log(1 + signal per 1,000 characters of text) — one passing mention in a long
                    text weighs little, many in a short one a lot
``share``           signal / (signal + mentions of other countries + 1) — an article naming ten
                    countries once each is about none of them; the +1 keeps one lone mention
                    from looking like a whole article
``title_other``     other countries named in the title, capped at 2
==================  ===========================================================================

``score = 1 / (1 + exp(-(BIAS + Σ WEIGHTS[f] · f)))``. The weights were fitted with scikit-learn's
``LogisticRegression`` (C = 1) on the development half of ``tests/fixtures/relevance/labelled.jsonl``
(see `fit_weights`) and then rounded; they live in ``WEIGHTS`` and ``BIAS`` below, nowhere else.
The default decision threshold is ``THRESHOLD`` (0.5).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ttdn.understand.gazetteer import Gazetteer, Mention

__all__ = [
    "BIAS",
    "FEATURES",
    "SIGNAL",
    "THRESHOLD",
    "WEIGHTS",
    "RelevanceResult",
    "fit_weights",
    "relevance_features",
    "relevance_score",
]

# signal weight by mention kind, and by id where one id differs from its kind
SIGNAL: dict[str, float] = {
    "vietnam": 1.0,
    "province": 1.0,
    "former_province": 1.0,
    "city": 1.0,
    "institution": 1.0,
    "sea_island": 0.6,
    "hoang-sa": 1.0,
    "truong-sa": 0.8,
    "bien-dong": 0.6,
    "vietnam-war": 0.3,  # "the Vietnam War" in a film review is about America more often than not
}
FEATURES = ("title", "lead", "density", "share", "title_other")
WEIGHTS: dict[str, float] = {"title": 2.3, "lead": 1.05, "density": 1.26, "share": 1.04, "title_other": -1.28}
BIAS = -2.86
THRESHOLD = 0.5
# between title and text: two separators around a dropped NUL, which no alias can span
_JOIN = "\n\x00\n"


@dataclass(frozen=True, slots=True)
class RelevanceResult:
    """The score, and what the gazetteer found.

    ``mentions`` holds the title's mentions first (``in_title`` of them, offsets into the title),
    then the text's (offsets into the text).
    """

    score: float
    mentions: list[Mention]
    provinces: list[str]
    countries: list[str]
    in_title: int = 0

    @property
    def relevant(self) -> bool:
        return self.score >= THRESHOLD


def _signal(m: Mention) -> float:
    if m.kind == "country":
        return 0.0
    return SIGNAL.get(m.id, SIGNAL.get(m.kind, 0.0))


def _others(mentions: Iterable[Mention]) -> int:
    return sum(1 for m in mentions if m.kind == "country" and m.id != "VN")


def relevance_features(
    title_mentions: Sequence[Mention], text_mentions: Sequence[Mention], text_len: int, lead_chars: int = 500
) -> dict[str, float]:
    """The five features of the module docstring, from the mentions of title and text."""
    title_signal = sum(map(_signal, title_mentions))
    lead_signal = sum(_signal(m) for m in text_mentions if m.start < lead_chars)
    text_signal = sum(map(_signal, text_mentions))
    total = title_signal + text_signal
    others = _others(title_mentions) + _others(text_mentions)
    return {
        "title": min(title_signal, 2.0),
        "lead": min(lead_signal, 3.0),
        "density": math.log1p(1000.0 * text_signal / max(text_len, 300)),
        "share": total / (total + others + 1.0),
        "title_other": float(min(_others(title_mentions), 2)),
    }


def _logistic(features: dict[str, float], weights: dict[str, float], bias: float) -> float:
    z = bias + sum(weights[name] * features[name] for name in FEATURES)
    return 1.0 / (1.0 + math.exp(-z))


def relevance_score(
    title: str, text: str, gazetteer: Gazetteer | None = None, lead_chars: int = 500
) -> RelevanceResult:
    """How much the article (`title`, `text`) is about Vietnam, in [0, 1]; see the module docstring."""
    gaz = gazetteer if gazetteer is not None else Gazetteer.load()
    title_mentions, text_mentions = _find(gaz, title, text)
    features = relevance_features(title_mentions, text_mentions, len(text), lead_chars)
    mentions = title_mentions + text_mentions
    return RelevanceResult(
        score=_logistic(features, WEIGHTS, BIAS),
        mentions=mentions,
        provinces=gaz.provinces(mentions),
        countries=gaz.countries(mentions),
        in_title=len(title_mentions),
    )


def _find(gaz: Gazetteer, title: str, text: str) -> tuple[list[Mention], list[Mention]]:
    """Mentions of title and text found in one pass, so each supports the other's ambiguous names."""
    joined = title + _JOIN + text
    cut = len(title) + len(_JOIN)
    found = gaz.find(joined)
    in_title = [m for m in found if m.end <= len(title)]
    in_text = [m._replace(start=m.start - cut, end=m.end - cut) for m in found if m.start >= cut]
    return in_title, in_text


def fit_weights(
    rows: Iterable[tuple[str, str, bool]], gazetteer: Gazetteer | None = None, c: float = 1.0
) -> tuple[dict[str, float], float]:
    """Fit ``WEIGHTS`` and ``BIAS`` on (title, text, relevant) rows with logistic regression.

    A maintenance helper (scikit-learn is imported only here): run it on the development half
    of the labelled set and copy the rounded numbers into ``WEIGHTS``/``BIAS``.
    """
    from sklearn.linear_model import LogisticRegression

    gaz = gazetteer if gazetteer is not None else Gazetteer.load()
    xs: list[list[float]] = []
    ys: list[int] = []
    for title, text, relevant in rows:
        feats = relevance_features(*_find(gaz, title, text), len(text))
        xs.append([feats[name] for name in FEATURES])
        ys.append(int(relevant))
    model = LogisticRegression(C=c, max_iter=1000).fit(xs, ys)
    weights = {name: float(w) for name, w in zip(FEATURES, model.coef_[0], strict=True)}
    return weights, float(model.intercept_[0])
