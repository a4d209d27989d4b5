"""``ttdn tone``: tone toward a target for every line of a JSONL file, no database needed.

Input lines are ``{"id", "text", "target"}`` or ``{"id", "text", "from", "to"}`` (character
offsets of the target mention, end exclusive); output lines ``{"id", "polarity", "score",
"probabilities"}``, plus ``tone`` and ``evidence`` for the target form. A bad line becomes a
``Rejection`` naming ``FILE:LINE`` and the rest goes on.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ttdn.jsonl import id_and_text
from ttdn.models.tone import Progress, ToneModel, default_model
from ttdn.records import Rejection

__all__ = ["run_tone_jsonl"]


JSONL_BATCH = 64  # lines scored together (one embedding batch per group)
NO_MENTION = "no mention of the target"


def _parse_line(raw: str, origin: str) -> tuple[str, str, Any] | Rejection:
    """``(id, text, target or (start, end))`` or the rejection of one input line."""
    try:
        row = json.loads(raw)
    except json.JSONDecodeError as exc:
        return Rejection(origin, f"invalid JSON: {exc.msg}")
    checked = id_and_text(row, origin)
    if isinstance(checked, Rejection):
        return checked
    rid, text = checked
    if "from" in row or "to" in row:
        start, end = row.get("from"), row.get("to")
        if type(start) is not int or type(end) is not int:
            return Rejection(origin, f"from/to must both be integers, got {start!r} and {end!r}")
        if not 0 <= start < end <= len(text):
            return Rejection(origin, f"from/to ({start}, {end}) must satisfy 0 ≤ from < to ≤ {len(text)} (text length)")
        return str(rid), text, (start, end)
    target = row.get("target")
    if not isinstance(target, str) or not target.strip():
        return Rejection(origin, "needs a non-empty target, or from/to character offsets of the mention")
    return str(rid), text, target


def _flush(model: ToneModel, batch: list[tuple[str, str, Any]], max_sentences: int) -> list[str]:
    spans = [(i, text, where) for i, (_, text, where) in enumerate(batch) if isinstance(where, tuple)]
    articles = [(i, text, where) for i, (_, text, where) in enumerate(batch) if isinstance(where, str)]
    rows: dict[int, dict[str, Any]] = {}
    for (i, _, _), pred in zip(spans, model.score_mentions([(t, w[0], w[1]) for _, t, w in spans]), strict=True):
        rows[i] = {"polarity": pred.polarity, "score": round(pred.score, 6), "probabilities": pred.probabilities}
    tones = model.articles_tone([(text, target) for _, text, target in articles], max_sentences=max_sentences)
    for (i, _, _), tone in zip(articles, tones, strict=True):
        rows[i] = {"polarity": tone.polarity, "score": tone.score, "tone": tone.tone}
        rows[i]["evidence"] = [
            {"sentence": e.sentence, "start": e.start, "end": e.end, "polarity": e.polarity, "score": round(e.score, 6)}
            for e in tone.evidence
        ]
        if not tone.evidence:
            rows[i]["note"] = NO_MENTION
    return [json.dumps({"id": batch[i][0], **rows[i]}, ensure_ascii=False) + "\n" for i in range(len(batch))]


def run_tone_jsonl(
    in_path: Path,
    out_path: Path,
    *,
    on_progress: Progress | None = None,
    model: ToneModel | None = None,
    max_sentences: int = 20,
) -> tuple[int, list[Rejection]]:
    """Score a JSONL file; returns ``(lines written, rejections)``.

    Input lines: ``{"id", "text", "target"}`` (article tone toward the target) or ``{"id",
    "text", "from", "to"}`` (one mention, character offsets, end exclusive; wins when both
    are given). Output lines: ``{"id", "polarity", "score", "probabilities"}`` for a mention;
    ``{"id", "polarity", "score", "tone", "evidence"}`` for a target. A text that does not
    mention its target is not an error: it is written as neutral with ``tone`` 0.0, ``score``
    0.0, no evidence and ``"note": "no mention of the target"``. Lines that are not JSON
    objects, lack an id or a text, have an empty text, or bad from/to are skipped and
    returned as rejections (origin ``FILE:LINE``). ``on_progress(n)`` is called with the
    number of lines read so far after each batch.
    """
    model = model or default_model()
    rejections: list[Rejection] = []
    written = read = 0
    batch: list[tuple[str, str, Any]] = []
    with (
        Path(in_path).open(encoding="utf-8", errors="replace") as src,
        Path(out_path).open("w", encoding="utf-8") as dst,
    ):
        for lineno, raw in enumerate(src, start=1):
            read += 1
            if not raw.strip():
                continue
            parsed = _parse_line(raw, f"{in_path}:{lineno}")
            if isinstance(parsed, Rejection):
                rejections.append(parsed)
                continue
            batch.append(parsed)
            if len(batch) >= JSONL_BATCH:
                dst.writelines(_flush(model, batch, max_sentences))
                written += len(batch)
                batch = []
                if on_progress is not None:
                    on_progress(read)
        if batch:
            dst.writelines(_flush(model, batch, max_sentences))
            written += len(batch)
    if on_progress is not None:
        on_progress(read)
    return written, rejections
