"""The bundled demo corpus: a working platform in one step (``ttdn demo load``, or the dashboard).

``data/demo/`` holds data written for the project and marked as demo everywhere: 26 invented
outlets (names end with " (demo)", addresses under ``https://demo.ttdn.invalid/``), 308
articles in eight languages about 14 invented but plausible events concerning Vietnam, some of
them repeating five false narratives, the narrative registry for those and ten approved facts
(Vietnamese and English) that rebut them. ``scripts/demo_corpus/`` generates the files.

Article dates are stored as ``days_ago`` and become timestamps at load time, so the demo
always shows the last 30 days. :func:`load_demo` goes through the real paths: the sources
registry (disabled, never polled), the ingest pipeline (normalise, language, dedupe, store),
the fact base (approved, author ``demo``), the narrative registry (JSONL import, rebuttal
links) and enrichment (relevance, embedding, topics, tone, stories, narrative matches) of
every article still waiting for it. Loading again stores nothing new.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ttdn.errors import BadInput, TTDNError
from ttdn.records import RawArticle

if TYPE_CHECKING:  # the storage layer is imported when used: `ttdn --help` stays quick
    from sqlalchemy import Select

    from ttdn.settings import Settings
    from ttdn.store import Store

__all__ = [
    "AUTHOR",
    "DEMO_DIR",
    "DEMO_URL",
    "DemoSummary",
    "demo_app",
    "demo_articles",
    "demo_loaded",
    "load_demo",
]

DEMO_DIR = Path(__file__).parent / "data" / "demo"
DEMO_URL = "https://demo.ttdn.invalid/"
AUTHOR = "demo"

Progress = Callable[[str, int, int], None]


@dataclass(slots=True)
class DemoSummary:
    sources_added: int = 0
    articles: int = 0  # lines in the bundled corpus
    articles_stored: int = 0
    articles_already_stored: int = 0
    articles_rejected: int = 0
    facts_added: int = 0
    narratives_added: int = 0
    narrative_links: int = 0
    enriched: int = 0
    enrich_failed: int = 0
    stories: int = 0  # stories the demo articles fall into
    narrative_matches: int = 0  # matches of demo articles
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _lines(name: str) -> Iterator[tuple[int, dict[str, Any]]]:
    with (DEMO_DIR / name).open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if line.strip():
                yield lineno, json.loads(line)


def demo_articles(now: datetime | None = None, source_ids: dict[str, int] | None = None) -> list[RawArticle]:
    """The demo articles, oldest first, dated ``days_ago`` before ``now``."""
    now = (now or datetime.now(UTC)).replace(microsecond=0)
    ids = source_ids or {}
    out = [
        RawArticle(
            url=row["url"],
            title=row["title"],
            text=row["text"],
            published_at=now - timedelta(days=float(row["days_ago"])),
            lang_hint=row["lang"],
            source_id=ids.get(row["source"]),
            source_name=row["source"],
            origin=f"demo/articles.jsonl:{lineno}",
        )
        for lineno, row in _lines("articles.jsonl")
    ]
    out.sort(key=lambda a: (a.published_at or now, a.origin))
    return out


def _demo_article_ids() -> Select[Any]:
    from sqlalchemy import select

    from ttdn.store.tables import Article, Source

    return select(Article.id).join(Source, Source.id == Article.source_id).where(Source.url.startswith(DEMO_URL))


def _demo_sources(store: Store) -> dict[str, int]:
    """name → id of the demo sources in the store."""
    from sqlalchemy import select

    from ttdn.store.tables import Source

    query = select(Source.name, Source.id).where(Source.url.startswith(DEMO_URL))
    with store.database.engine.connect() as conn:
        return {name: int(id_) for name, id_ in conn.execute(query)}


def demo_loaded(store: Store) -> bool:
    """Whether demo articles are stored (the demo corpus was loaded, at least in part)."""
    from sqlalchemy import select

    query = select(_demo_article_ids().exists())
    with store.database.engine.connect() as conn:
        return bool(conn.execute(query).scalar_one())


def _load_sources(store: Store) -> tuple[int, dict[str, int]]:
    from ttdn.sources.lists import source_spec

    specs = [source_spec({key: str(value) for key, value in row.items()}) for _, row in _lines("sources.jsonl")]
    added, _ = store.sources.add(specs)
    ids = _demo_sources(store)
    for spec in specs:  # demo outlets do not exist: never poll them (no health warnings either)
        source = store.sources.get(ids[spec.name])
        if source.enabled:
            store.sources.set_enabled(source.id, False)
    return added, ids


def _count_collected(store: Store, ids: dict[str, int]) -> None:
    """Bring each demo source's ``items_collected`` up to its stored articles (idempotent)."""
    from sqlalchemy import func, select

    from ttdn.store.tables import Article

    query = (
        select(Article.source_id, func.count())
        .where(Article.source_id.in_(list(ids.values())))
        .group_by(Article.source_id)
    )
    with store.database.engine.connect() as conn:
        counts = dict(conn.execute(query).all())
    for source in store.sources.all():
        stored = int(counts.get(source.id, 0))
        if source.id in counts and stored > source.items_collected:
            store.sources.record_success(source.id, stored - source.items_collected)


def _load_facts(store: Store) -> tuple[int, dict[str, int]]:
    """Create the approved demo facts that are not there yet; returns (added, key → fact id).

    A demo fact is recognised by its source URL (``https://demo.ttdn.invalid/facts/KEY``)."""
    from sqlalchemy import select

    from ttdn.kb.fact_tables import FactSourceRow
    from ttdn.kb.facts import FactSource, FactStore

    facts = FactStore(store.database.engine)
    rows = [row for _, row in _lines("facts.jsonl")]
    urls = [row["source_url"] for row in rows]
    with store.database.engine.connect() as conn:
        existing = dict(
            conn.execute(select(FactSourceRow.url, FactSourceRow.fact_id).where(FactSourceRow.url.in_(urls))).all()
        )
    ids: dict[str, int] = {}
    added = 0
    for row in rows:
        fact_id = existing.get(row["source_url"])
        if fact_id is None:
            texts = {lang: (t["title"], t["body"]) for lang, t in row["texts"].items()}
            source = FactSource(url=row["source_url"], note="Dữ liệu trình diễn / demo data")
            fact_id = facts.create(row.get("topic"), texts, [source], author=AUTHOR)
            if row.get("status", "approved") == "approved":
                facts.set_status(fact_id, "approved", author=AUTHOR)
            added += 1
        ids[row["id"]] = int(fact_id)
    return added, ids


def _load_narratives(store: Store, fact_ids: dict[str, int]) -> tuple[int, int]:
    """Import the demo narratives into the registry and link their rebuttal facts: (added, links)."""
    summary = store.narratives.import_jsonl(DEMO_DIR / "narratives.jsonl")
    if summary.rejections:
        first = summary.rejections[0]
        raise BadInput(f"demo narratives rejected: {first.origin}: {first.reason}")
    links = 0
    for _, row in _lines("facts.jsonl"):
        for key in row.get("rebuts", []):
            store.narratives.link_fact(key, fact_ids[row["id"]])
            links += 1
    return summary.added, links


def _outcome(store: Store, summary: DemoSummary) -> None:
    from sqlalchemy import func, select

    from ttdn.kb.narrative_tables import NarrativeMatch
    from ttdn.store.tables import Article

    demo = _demo_article_ids()
    stories = select(func.count(func.distinct(Article.story_id))).where(Article.id.in_(demo))
    matches = select(func.count()).select_from(NarrativeMatch).where(NarrativeMatch.article_id.in_(demo))
    with store.database.engine.connect() as conn:
        summary.stories = int(conn.execute(stories).scalar_one())
        summary.narrative_matches = int(conn.execute(matches).scalar_one())


def load_demo(
    store: Store, settings: Settings, *, on_progress: Progress | None = None, enrich_articles: bool = True
) -> DemoSummary:
    """Load the demo corpus into ``store`` and enrich it; idempotent (see the module doc).

    ``on_progress(step, done, total)`` follows each step: ``sources``, ``articles``, ``facts``,
    ``narratives``, ``enrich``. ``enrich_articles=False`` leaves the enrichment to a worker
    (``ttdn enrich`` or the one inside ``ttdn serve``).
    """
    from ttdn.pipeline.enrich import enrich, pending_count
    from ttdn.pipeline.topology import enrich_stages, ingest

    started = time.perf_counter()
    report = on_progress or (lambda _step, _done, _total: None)
    summary = DemoSummary()

    report("sources", 0, 1)
    summary.sources_added, source_ids = _load_sources(store)
    report("sources", 1, 1)

    articles = demo_articles(source_ids=source_ids)
    summary.articles = len(articles)
    done = 0
    report("articles", 0, len(articles))

    def advance(n: int) -> None:
        nonlocal done
        done += n
        report("articles", done, len(articles))

    ingested = ingest(articles, store, settings, on_progress=advance)
    summary.articles_stored = ingested.stored
    summary.articles_already_stored = ingested.already_stored + ingested.exact_duplicates
    summary.articles_rejected = ingested.rejected
    _count_collected(store, source_ids)

    report("facts", 0, 1)
    summary.facts_added, fact_ids = _load_facts(store)
    report("facts", 1, 1)

    report("narratives", 0, 1)
    summary.narratives_added, summary.narrative_links = _load_narratives(store, fact_ids)
    report("narratives", 1, 1)

    total = pending_count(store) if enrich_articles else 0
    done = 0
    report("enrich", 0, total)
    if total:
        stages = enrich_stages(settings, store.stories, store.narratives)

        def advance_enrich(n: int) -> None:
            nonlocal done
            done += n
            report("enrich", done, total)

        enriched = enrich(store, stages, batch_size=settings.enrich_batch, on_progress=advance_enrich)
        summary.enriched, summary.enrich_failed = enriched.enriched, enriched.failed
    _outcome(store, summary)
    summary.seconds = round(time.perf_counter() - started, 1)
    return summary


# ---------------------------------------------------------------------------- the command

demo_app = typer.Typer(help="Dữ liệu mẫu / Demo corpus: load the bundled demo data.", no_args_is_help=True)


@demo_app.command("load")
def demo_load_cmd(
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON only.")] = False,
    enrich: Annotated[
        bool, typer.Option("--enrich/--no-enrich", help="Analyse the articles now, or leave them to `ttdn enrich`.")
    ] = True,
) -> None:
    """Nạp dữ liệu mẫu / Load the demo corpus: 308 articles in 8 languages, facts, narratives.

    Everything is marked as demo (outlets end with "(demo)", addresses under
    https://demo.ttdn.invalid/); the articles are dated over the last 30 days and enriched
    (stories, tone, topics, narrative matches). Loading again adds nothing.
    """
    from ttdn.console import console, fail, open_store, progress_bar, settings_or_exit

    labels = {
        "sources": "Nguồn / sources",
        "articles": "Bài viết / articles",
        "facts": "Dữ kiện / facts",
        "narratives": "Luận điệu / narratives",
        "enrich": "Phân tích / enriching",
    }
    settings = settings_or_exit()
    with open_store() as store, progress_bar() as progress:
        tasks: dict[str, Any] = {}

        def on_progress(step: str, done: int, total: int) -> None:
            if step not in tasks:
                tasks[step] = progress.add_task(labels.get(step, step), total=total)
            progress.update(tasks[step], completed=done, total=total)

        try:
            summary = load_demo(store, settings, on_progress=on_progress, enrich_articles=enrich)
        except TTDNError as exc:
            raise fail(exc.reason) from exc
    if as_json:
        console.print_json(json.dumps(summary.as_dict()))
        return
    console.print(
        f"Dữ liệu mẫu / demo corpus: {summary.articles_stored} bài mới / new articles "
        f"({summary.articles_already_stored} đã có / already stored, {summary.articles_rejected} bị loại / rejected), "
        f"{summary.sources_added} nguồn / sources, {summary.facts_added} dữ kiện / facts, "
        f"{summary.narratives_added} luận điệu / narratives; {summary.enriched} bài đã phân tích / enriched, "
        f"{summary.stories} sự kiện / stories, {summary.narrative_matches} khớp luận điệu / narrative matches "
        f"({summary.seconds} s)"
    )
    console.print_json(json.dumps(summary.as_dict()))
