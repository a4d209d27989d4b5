"""The ``ttdn`` command line: thin over the library. Every command has ``--help``."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from ttdn import __version__
from ttdn.cli_facts import facts_app
from ttdn.cli_models import engine_app, stories_app, tone_cmd, topics_app
from ttdn.cli_narratives import narratives_app
from ttdn.cli_users import users_app
from ttdn.console import console, err_console, fail, open_store, progress_bar, settings_or_exit
from ttdn.demo import demo_app
from ttdn.errors import TTDNError

if TYPE_CHECKING:
    from ttdn.search.engine import SearchFilters

app = typer.Typer(
    help="TTĐN — nền tảng thông tin đối ngoại / foreign-information platform.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
sources_app = typer.Typer(help="Nguồn tin / Sources: add, import, list, disable, remove.", no_args_is_help=True)
app.add_typer(sources_app, name="sources")
app.add_typer(topics_app, name="topics")
app.command("tone")(tone_cmd)
app.add_typer(stories_app, name="stories")
app.add_typer(engine_app, name="engine")
app.add_typer(narratives_app, name="narratives")
app.add_typer(facts_app, name="facts")
searches_app = typer.Typer(help="Tìm kiếm đã lưu / Saved searches: list, run, delete.", no_args_is_help=True)
app.add_typer(searches_app, name="searches")
app.add_typer(users_app, name="users")
app.add_typer(demo_app, name="demo")


def _version_callback(value: bool) -> None:
    if value:
        console.print(f"ttdn {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version_callback, is_eager=True, help="Phiên bản / Version."),
    ] = False,
) -> None:
    """TTĐN: theo dõi truyền thông quốc tế về Việt Nam / monitor world media about Vietnam."""


# ---------------------------------------------------------------------------- sources


@sources_app.command("add")
def sources_add(
    url: Annotated[str, typer.Argument(help="URL of the feed, sitemap or page.")],
    name: Annotated[str, typer.Option("--name", help="Tên hiển thị / Display name.")],
    country: Annotated[str | None, typer.Option(help="Outlet country, ISO 3166-1 alpha-2 (VN, FR…).")] = None,
    lang: Annotated[str | None, typer.Option(help="Content language, ISO 639-1 (vi, en…).")] = None,
    kind: Annotated[str, typer.Option(help="feed | sitemap | page.")] = "feed",
    cadence: Annotated[int | None, typer.Option(help="Minutes between polls.")] = None,
) -> None:
    """Thêm một nguồn / Add one source."""
    from ttdn.sources.lists import source_spec

    fields = {"url": url, "name": name, "kind": kind}
    optional = {"country": country, "lang": lang, "cadence": None if cadence is None else str(cadence)}
    fields |= {key: value for key, value in optional.items() if value is not None}
    try:
        spec = source_spec(fields)
    except TTDNError as exc:
        raise fail(exc.reason) from exc
    with open_store() as store:
        added, _ = store.sources.add([spec])
    console.print("Đã thêm / added" if added else "Đã có / already present", url)


@sources_app.command("import")
def sources_import(
    path: Annotated[Path, typer.Argument(help="An OPML or CSV source list.", exists=True, dir_okay=False)],
) -> None:
    """Nhập danh sách nguồn (OPML, CSV) / Import a source list."""
    from ttdn.sources.lists import read_source_list

    try:
        specs, rejections = read_source_list(path)
    except TTDNError as exc:
        raise fail(exc.reason) from exc
    with open_store() as store:
        added, present = store.sources.add(specs)
    console.print(f"added {added}, already present {present}, rejected {len(rejections)}")
    for rejection in rejections:
        err_console.print(f"  [yellow]{rejection.origin}[/]: {rejection.reason}")


@sources_app.command("load-defaults")
def sources_load_defaults() -> None:
    """Nạp danh sách nguồn mặc định / Load the bundled default source list."""
    from ttdn.sources.lists import default_source_list_path

    sources_import(default_source_list_path())


@sources_app.command("list")
def sources_list(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Danh sách nguồn và tình trạng / List sources with their health."""
    with open_store() as store:
        records = store.sources.all()
    if as_json:
        rows = [{slot: getattr(r, slot) for slot in r.__slots__} | {"healthy": r.healthy} for r in records]
        console.print_json(json.dumps(rows, default=str, ensure_ascii=False))
        return
    table = Table(title=f"Nguồn / Sources ({len(records)})")
    for column in (
        "id",
        "name",
        "kind",
        "lang",
        "country",
        "on",
        "items",
        "last success",
        "errors",
        "last error",
    ):
        table.add_column(column)
    for r in records:
        table.add_row(
            str(r.id),
            r.name,
            r.kind,
            r.lang or "",
            r.country or "",
            "✓" if r.enabled else "✗",
            str(r.items_collected),
            r.last_success_at.strftime("%Y-%m-%d %H:%M") if r.last_success_at else "—",
            str(r.error_streak),
            (r.last_error or "")[:60],
        )
    console.print(table)


def _set_enabled(ref: str, enabled: bool) -> None:
    with open_store() as store:
        try:
            record = store.sources.set_enabled(ref, enabled)
        except TTDNError as exc:
            raise fail(exc.reason) from exc
    console.print(("enabled" if enabled else "disabled"), record.id, record.name)


@sources_app.command("disable")
def sources_disable(ref: Annotated[str, typer.Argument(help="Source id, URL or name.")]) -> None:
    """Tạm dừng một nguồn / Disable a source (kept, not polled)."""
    _set_enabled(ref, False)


@sources_app.command("enable")
def sources_enable(ref: Annotated[str, typer.Argument(help="Source id, URL or name.")]) -> None:
    """Bật lại một nguồn / Enable a source."""
    _set_enabled(ref, True)


@sources_app.command("remove")
def sources_remove(ref: Annotated[str, typer.Argument(help="Source id, URL or name.")]) -> None:
    """Xoá một nguồn / Remove a source (its articles stay)."""
    with open_store() as store:
        try:
            record = store.sources.remove(ref)
        except TTDNError as exc:
            raise fail(exc.reason) from exc
    console.print("removed", record.id, record.name)


# ---------------------------------------------------------------------------- collect / import


@app.command("collect")
def collect_cmd(
    source: Annotated[list[str] | None, typer.Option(help="Only these sources (id, URL or name).")] = None,
    workers: Annotated[int, typer.Option(min=1, max=32, help="Sources collected at once.")] = 4,
) -> None:
    """Thu thập một lượt / Collect every enabled source once."""
    from ttdn.collect.collector import collect

    with open_store() as store:
        try:
            records = [store.sources.get(ref) for ref in source] if source else store.sources.all(enabled_only=True)
        except TTDNError as exc:
            raise fail(exc.reason) from exc
        settings = settings_or_exit()
        with progress_bar() as progress:
            task = progress.add_task("Thu thập / collecting", total=len(records))
            summary = collect(
                records, store, settings, workers=workers, on_source_done=lambda _: progress.advance(task)
            )
    for outcome in summary.sources:
        if outcome.error:
            err_console.print(f"  [yellow]{outcome.name}[/]: {outcome.error}")
    console.print_json(json.dumps(summary.as_dict()))


@app.command("import")
def import_cmd(
    path: Annotated[Path, typer.Argument(help="JSONL, CSV, WARC file or a folder of HTML files.", exists=True)],
    show: Annotated[int, typer.Option(help="How many rejections to print (all are stored).")] = 50,
) -> None:
    """Nhập bài từ tệp / Import articles from files."""
    from ttdn.pipeline.topology import ingest
    from ttdn.sources.files import count_units, iter_import

    settings = settings_or_exit()
    with open_store() as store, progress_bar() as progress:
        task = progress.add_task("Nhập / importing", total=count_units(path))
        try:
            summary = ingest(
                iter_import(path, max_bytes=settings.max_import_bytes),
                store,
                settings,
                on_progress=lambda n: progress.advance(task, n),
            )
        except TTDNError as exc:
            raise fail(exc.reason) from exc
    for rejection in summary.rejections[:show]:
        err_console.print(f"  [yellow]{rejection.origin}[/]: {rejection.reason}")
    if summary.rejected > show:
        err_console.print(
            f"  … {summary.rejected - show} more, all stored in the rejections table (run id {summary.run_id})"
        )
    console.print_json(json.dumps(summary.as_dict()))


@app.command("enrich")
def enrich_cmd(
    redo: Annotated[bool, typer.Option("--all", help="Process every stored article again.")] = False,
    retry_failed: Annotated[bool, typer.Option(help="Process again the articles that failed before.")] = False,
    limit: Annotated[int | None, typer.Option(min=1, help="Stop after this many articles.")] = None,
) -> None:
    """Phân tích bài đã lưu / Analyse stored articles: relevance, places, embedding, topics.

    Resumes where an interrupted run stopped; an article that fails is recorded and skipped.
    """
    from ttdn.pipeline.enrich import enrich, pending_count, reset
    from ttdn.pipeline.topology import enrich_stages

    settings = settings_or_exit()
    with open_store() as store:
        if redo or retry_failed:
            reset(store, failed_only=not redo)
        pending = pending_count(store)
        total = pending if limit is None else min(pending, limit)
        try:
            stages = enrich_stages(settings, store.stories, store.narratives)
        except TTDNError as exc:
            raise fail(exc.reason) from exc
        with progress_bar() as progress:
            task = progress.add_task("Phân tích / enriching", total=total)
            summary = enrich(
                store,
                stages,
                batch_size=settings.enrich_batch,
                limit=limit,
                on_progress=lambda n: progress.advance(task, n),
            )
    console.print_json(json.dumps(summary.as_dict()))


@app.command("search")
def search_cmd(
    query: Annotated[
        str, typer.Argument(help='Search text: words, "exact phrases", AND / OR / NOT (VÀ / HOẶC / KHÔNG).')
    ],
    lang: Annotated[list[str] | None, typer.Option(help="Only these languages (repeat).")] = None,
    date_from: Annotated[datetime | None, typer.Option("--from", help="Published on or after (YYYY-MM-DD).")] = None,
    date_to: Annotated[datetime | None, typer.Option("--to", help="Published on or before (YYYY-MM-DD).")] = None,
    source: Annotated[list[int] | None, typer.Option(help="Only these source ids (repeat).")] = None,
    country: Annotated[list[str] | None, typer.Option(help="Only outlets from these countries (repeat).")] = None,
    topic: Annotated[list[str] | None, typer.Option(help="Only articles with one of these topics (repeat).")] = None,
    tone_min: Annotated[float | None, typer.Option(min=-1, max=1, help="Lowest tone toward Vietnam.")] = None,
    tone_max: Annotated[float | None, typer.Option(min=-1, max=1, help="Highest tone toward Vietnam.")] = None,
    story: Annotated[int | None, typer.Option(help="Only this story.")] = None,
    min_relevance: Annotated[float | None, typer.Option(min=0, max=1, help="Lowest relevance to Vietnam.")] = None,
    sort: Annotated[str, typer.Option(help="relevance | date.")] = "relevance",
    limit: Annotated[int, typer.Option(min=1, max=500, help="How many results.")] = 20,
    lexical_only: Annotated[bool, typer.Option(help="Skip the multilingual vector half (faster).")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
    save: Annotated[str | None, typer.Option(help="Also save this search under a name.")] = None,
) -> None:
    """Tìm kiếm / Search stored articles in any language, with or without diacritics."""
    from ttdn.search.engine import SearchFilters

    filters = SearchFilters(
        date_from=date_from.replace(tzinfo=UTC) if date_from and date_from.tzinfo is None else date_from,
        date_to=date_to.replace(tzinfo=UTC) if date_to and date_to.tzinfo is None else date_to,
        langs=[code.lower() for code in lang or []],
        sources=list(source or []),
        source_countries=[code.upper() for code in country or []],
        topics=list(topic or []),
        tone_min=tone_min,
        tone_max=tone_max,
        story_id=story,
        min_relevance=min_relevance,
    )
    _run_search(query, filters, sort=sort, limit=limit, lexical_only=lexical_only, as_json=as_json, save=save)


def _run_search(
    query: str, filters: SearchFilters, *, sort: str, limit: int, lexical_only: bool, as_json: bool, save: str | None
) -> None:
    from ttdn.search.engine import search
    from ttdn.search.query import parse_query

    if sort not in ("relevance", "date"):
        raise fail("--sort must be relevance or date")
    settings = settings_or_exit()
    embed = None
    if not lexical_only:
        from ttdn.models.embeddings import get_backend

        backend = get_backend(settings.embedding_backend, settings.embedding_model_dir)
        embed = lambda text: backend.embed_queries([text])[0]  # noqa: E731
    with open_store() as store:
        try:
            if save is not None:
                parse_query(query)  # refuse to save a query that cannot run
                store.searches.save(save, query, filters.as_dict())
            result = search(store.database.engine, query, filters=filters, sort=sort, limit=limit, embed_query=embed)
        except TTDNError as exc:
            raise fail(exc.reason) from exc
    if as_json:
        rows = [{slot: getattr(h, slot) for slot in h.__slots__} for h in result.hits]
        console.print_json(json.dumps(rows, default=str, ensure_ascii=False))
        return
    table = Table(title=f"Kết quả / results for {query!r} ({result.lexical_matches} full-text matches)")
    for column in ("id", "lang", "date", "source", "title"):
        table.add_column(column)
    for hit in result.hits:
        date = hit.published_at.strftime("%Y-%m-%d") if hit.published_at else ""
        table.add_row(str(hit.id), hit.lang or "", date, hit.source_name or "", hit.title[:90])
    console.print(table)
    if result.phrase_limited:
        console.print(
            "[yellow]Cụm từ chỉ được kiểm tra trong các bài mới nhất chứa đủ các từ; "
            "thêm --from/--to để tìm bài cũ hơn. / The phrase was checked only in the newest "
            "articles holding all its words; add --from/--to for older ones.[/]"
        )


@searches_app.command("list")
def searches_list() -> None:
    """Các tìm kiếm đã lưu / Saved searches."""
    with open_store() as store:
        saved = store.searches.all()
    table = Table(title=f"Tìm kiếm đã lưu / saved searches ({len(saved)})")
    for column in ("name", "query", "filters"):
        table.add_column(column)
    for record in saved:
        active = {k: v for k, v in record.filters.items() if v not in (None, [], "")}
        table.add_row(record.name, record.query, json.dumps(active, ensure_ascii=False))
    console.print(table)


@searches_app.command("run")
def searches_run(
    name: Annotated[str, typer.Argument(help="The saved search's name.")],
    sort: Annotated[str, typer.Option(help="relevance | date.")] = "relevance",
    limit: Annotated[int, typer.Option(min=1, max=500, help="How many results.")] = 20,
    lexical_only: Annotated[bool, typer.Option(help="Skip the multilingual vector half (faster).")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Chạy lại tìm kiếm đã lưu / Run a saved search again."""
    from ttdn.search.engine import SearchFilters

    with open_store() as store:
        try:
            record = store.searches.get(name)
        except TTDNError as exc:
            raise fail(exc.reason) from exc
    filters = SearchFilters.from_dict(record.filters)
    _run_search(record.query, filters, sort=sort, limit=limit, lexical_only=lexical_only, as_json=as_json, save=None)


@searches_app.command("delete")
def searches_delete(name: Annotated[str, typer.Argument(help="The saved search's name.")]) -> None:
    """Xoá tìm kiếm đã lưu / Delete a saved search."""
    with open_store() as store:
        try:
            store.searches.delete(name)
        except TTDNError as exc:
            raise fail(exc.reason) from exc
    console.print("deleted", name)


@stories_app.command("list")
def stories_list(
    limit: Annotated[int, typer.Option(min=1, max=1000, help="How many stories.")] = 20,
    hours: Annotated[float, typer.Option(min=0.5, help="Growth window in hours.")] = 6.0,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Sự kiện đang nổi / Stored stories, fastest-growing first."""
    with open_store() as store:
        stories = store.stories.summaries(limit=limit, growth_hours=hours)
    if as_json:
        rows = [{slot: getattr(s, slot) for slot in s.__slots__} for s in stories]
        console.print_json(json.dumps(rows, default=str, ensure_ascii=False))
        return
    table = Table(title=f"Sự kiện / Stories ({len(stories)})")
    for column in ("id", "size", f"+{hours:g}h", "languages", "tone", "first seen", "title"):
        table.add_column(column)
    for s in stories:
        tone = "—" if s.mean_tone is None else f"{s.mean_tone:+.2f}"
        first = s.first_seen.strftime("%Y-%m-%d %H:%M")
        table.add_row(str(s.id), str(s.size), str(s.growth), ",".join(s.languages), tone, first, s.title[:80])
    console.print(table)


@app.command("similar")
def similar_cmd(
    article_id: Annotated[int, typer.Argument(help="A stored article's id.")],
    limit: Annotated[int, typer.Option(min=1, max=100, help="How many neighbours.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Bài tương tự / The stored articles nearest to one article, in any language."""
    with open_store() as store:
        neighbours = store.articles.similar(article_id, limit)
        if not neighbours and not store.articles.exists(article_id):
            raise fail(f"no article with id {article_id}")
    if as_json:
        rows = [{"id": i, "title": t, "lang": lang, "similarity": round(s, 4)} for i, t, lang, s in neighbours]
        console.print_json(json.dumps(rows, ensure_ascii=False))
        return
    if not neighbours:
        err_console.print("Chưa có vector — chạy `ttdn enrich` / no embedding yet: run `ttdn enrich`.")
    table = Table(title=f"Tương tự / similar to {article_id}")
    for column in ("id", "lang", "similarity", "title"):
        table.add_column(column)
    for i, t, lang, s in neighbours:
        table.add_row(str(i), lang or "", f"{s:.3f}", t[:90])
    console.print(table)


# ---------------------------------------------------------------------------- serve / doctor


@app.command("serve")
def serve_cmd(
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
    scheduler: Annotated[bool | None, typer.Option(help="Run the collection scheduler.")] = None,
) -> None:
    """Chạy nền tảng / Run the web application and the collection scheduler."""
    import uvicorn

    from ttdn.web.app import create_app

    settings = settings_or_exit()
    store = open_store()
    from ttdn.web.accounts import FIRST_ADMIN, FIRST_ADMIN_FILE, AccountStore, ensure_first_admin

    password = ensure_first_admin(AccountStore(store.database.engine), settings.data_dir)
    if password is not None:
        console.print(
            f"[bold]Tài khoản quản trị đầu tiên / first admin account:[/] {FIRST_ADMIN} / {password}\n"
            f"(also in {settings.data_dir / FIRST_ADMIN_FILE}; add people with `ttdn users add`)"
        )
    application = create_app(store, settings, run_scheduler=settings.scheduler if scheduler is None else scheduler)
    console.print(f"TTĐN on http://{host or settings.host}:{port or settings.port} — {store.database.describe()}")
    try:
        uvicorn.run(application, host=host or settings.host, port=port or settings.port, log_level="info")
    finally:
        store.close()


@app.command("doctor")
def doctor_cmd() -> None:
    """Kiểm tra cài đặt / Check the installation: database, data directory, models, versions."""
    from ttdn.doctor import run_checks

    checks = run_checks(settings_or_exit())
    table = Table(title="ttdn doctor")
    table.add_column("check")
    table.add_column("ok")
    table.add_column("detail")
    for check in checks:
        table.add_row(check.name, "✓" if check.ok else "✗", check.detail)
    console.print(table)
    if not all(check.ok for check in checks):
        raise typer.Exit(1)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
