"""Analysts' topic corrections: kept as examples, and a model retrained on them.

A correction is an article's title and text with the labels an analyst chose. It is appended to
``<data dir>/topics/corrections.jsonl`` (a labelled JSONL file: a later line for the same text
wins) and replaces the article's stored topics. `retrain_local` trains on the shipped set's
training part plus every correction (a correction of a shipped example wins) and writes
``<data dir>/topics/model``; from then on enrichment and ``ttdn topics predict`` use that model
(`model_for`), and the shipped one until it exists.
"""

from __future__ import annotations

import functools
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ttdn.errors import BadInput
from ttdn.models.topics import (
    DATA_DIR,
    ArticleEmbeddings,
    Progress,
    TopicModel,
    add_corrections,
    is_held_out,
    load_default,
    read_labelled_jsonl,
)

if TYPE_CHECKING:
    from sqlalchemy import Engine

__all__ = [
    "CORRECTION_CHARS",
    "correct_article",
    "corrections_path",
    "count_corrections",
    "local_model_dir",
    "model_for",
    "record",
    "retrain_local",
]

CORRECTION_CHARS = 4_000  # of title + text kept per example: the model reads the start of a text


def corrections_path(data_dir: Path) -> Path:
    return Path(data_dir) / "topics" / "corrections.jsonl"


def local_model_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "topics" / "model"


def count_corrections(data_dir: Path) -> int:
    """How many texts have an analyst's labels (a text corrected twice counts once); read again
    only when the file changes."""
    path = corrections_path(data_dir)
    if not path.is_file():
        return 0
    stat = path.stat()
    return _count(str(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=4)
def _count(path: str, _mtime: int, _size: int) -> int:
    return len(read_labelled_jsonl(Path(path))[0])


def model_for(data_dir: Path) -> TopicModel:
    """The model retrained on this installation's corrections, else the shipped one (loaded
    once per version of the manifest: a retraining is seen at the next call)."""
    manifest = local_model_dir(data_dir) / "manifest.json"
    if not manifest.is_file():
        return load_default()
    return _load_local(str(manifest.parent), manifest.stat().st_mtime_ns)


@functools.lru_cache(maxsize=4)
def _load_local(directory: str, _version: int) -> TopicModel:
    return TopicModel.load(Path(directory))


def record(data_dir: Path, title: str, text: str, labels: Sequence[str], *, known: Sequence[str], who: str) -> str:
    """Append one correction; returns the example's text. Raises `BadInput` for no label or a
    label the model does not know (the message lists the known ones)."""
    chosen = _chosen(labels)
    if not chosen:
        raise BadInput("Chọn ít nhất một chủ đề / choose at least one topic")
    unknown = [label for label in chosen if label not in known]
    if unknown:
        raise BadInput(
            f"Chủ đề không có trong mô hình / unknown topic(s): {', '.join(unknown)} (known: {', '.join(known)})"
        )
    example = f"{' '.join(title.split())}\n{text}"[:CORRECTION_CHARS]
    path = corrections_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    add_corrections(path, [(example, chosen)], source=f"analyst:{who}")
    return example


def _chosen(labels: Sequence[str]) -> list[str]:
    return sorted({label.strip() for label in labels if label.strip()})


def correct_article(engine: Engine, data_dir: Path, article_id: int, labels: Sequence[str], *, who: str) -> list[str]:
    """An analyst's topics for a stored article: recorded as an example (`record`, against the
    installation's model) and written over the article's topics, each marked ``corrected_by``.
    Returns the labels. Raises `BadInput` for a missing article or refused labels (nothing changes)."""
    from sqlalchemy import select, update

    from ttdn.store.tables import Article

    with engine.begin() as conn:
        row = conn.execute(select(Article.title, Article.text).where(Article.id == article_id)).one_or_none()
        if row is None:
            raise BadInput(f"Không có bài số {article_id} / no article {article_id}")
        record(data_dir, row.title, row.text, labels, known=model_for(data_dir).labels, who=who)
        chosen = _chosen(labels)
        topics = [{"label": label, "score": 1.0, "corrected_by": who} for label in chosen]
        conn.execute(update(Article).where(Article.id == article_id).values(topics=topics))
    return chosen


def retrain_local(
    data_dir: Path, *, on_progress: Progress | None = None, on_stage: Callable[[str, int | None], None] | None = None
) -> tuple[TopicModel, int]:
    """Train on the shipped training part plus the corrections; returns (model, corrections used).

    ``on_stage(step, total)`` announces each step: ``"embed"`` with the number of examples,
    then ``"fit"`` (total None); ``on_progress(n)``: n more examples embedded, then n more linear
    fits. Raises `BadInput` when no correction is recorded. The model is written next to the
    corrections, into a temporary directory first and then moved into place, so enrichment
    never reads a half-written model."""
    path = corrections_path(data_dir)
    corrections, _ = read_labelled_jsonl(path) if path.is_file() else ([], [])
    if not corrections:
        raise BadInput("Chưa có chỉnh sửa chủ đề nào / no topic corrections yet: correct an article's topics first")
    shipped, _ = read_labelled_jsonl(DATA_DIR / "labelled.jsonl")
    by_text = {text: labels for text, labels in shipped if not is_held_out(text)}
    by_text.update(corrections)
    examples = list(by_text.items())
    extra = ArticleEmbeddings()
    if on_stage is not None:
        on_stage("embed", len(examples))
    dense = extra([text for text, _ in examples], on_progress=_increments(on_progress))
    if on_stage is not None:
        on_stage("fit", None)
    model = TopicModel.train(examples, extra=extra, dense=dense, on_progress=on_progress)
    target = local_model_dir(data_dir)
    fresh = target.with_name("model.new")
    shutil.rmtree(fresh, ignore_errors=True)
    model.save(fresh)
    old = target.with_name("model.old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    fresh.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    return model, len(corrections)


def _increments(on_progress: Progress | None) -> Progress | None:
    """The embedder reports how many are done so far; `Progress` counts how many more."""
    if on_progress is None:
        return None
    reported = 0

    def step(done: int) -> None:
        nonlocal reported
        if done > reported:
            on_progress(done - reported)
            reported = done

    return step
