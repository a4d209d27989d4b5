"""``ttdn narratives``: the narrative registry and claim matching from the command line.

``match`` is the batch tool over JSONL files (no database). The other commands work on the
registry: narratives with their wordings in several languages and their rebuttal facts, the
matches that enrichment finds in articles, analysts' decisions (each re-fits the threshold)
and timelines by country and language.
"""

from __future__ import annotations

import getpass
import json
import re
from dataclasses import asdict
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from ttdn.cli_models import OutFile, report, summary
from ttdn.console import console, fail, open_store, progress_bar, settings_or_exit
from ttdn.errors import TTDNError

if TYPE_CHECKING:
    from ttdn.kb.narratives import NarrativeRecord, NarrativeStore, Variant
    from ttdn.store import Store

__all__ = ["narratives_app"]

narratives_app = typer.Typer(
    help="Luận điệu / Narratives: the registry, matches in articles, decisions; match claims in files.",
    no_args_is_help=True,
)

Ref = Annotated[str, typer.Argument(help="The narrative's id or key.")]
Json = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
Who = Annotated[str | None, typer.Option("--who", help="Who decides (default: the system user).")]
VariantOpt = Annotated[
    list[str] | None,
    typer.Option("--variant", help='Another wording, "fr:Le texte…" with its language or just the text (repeat).'),
]
_LANG_PREFIX = re.compile(r"^([a-zA-Z]{2}):\s*(.+)$", re.DOTALL)


def _open() -> tuple[Store, NarrativeStore]:
    store = open_store()
    return store, store.narratives


def _plain(value: Any) -> Any:
    """Dataclass → JSON-ready: datetimes and dates as ISO strings."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _print_json(value: Any) -> None:
    console.print_json(json.dumps(_plain(value), ensure_ascii=False))


def _variants(values: list[str] | None) -> list[Variant]:
    from ttdn.kb.narratives import Variant

    out = []
    for value in values or []:
        found = _LANG_PREFIX.match(value.strip())
        out.append(Variant(found.group(2), found.group(1).lower()) if found else Variant(value))
    return out


def _embed(narratives: NarrativeStore) -> int:
    """Embed the wordings that have none, so the next enrichment batch does not wait for them."""
    from ttdn.kb.narrative_index import narrative_backend

    with progress_bar() as progress:
        task = progress.add_task("Nhúng / embedding", total=None)
        return narratives.embed_missing(
            narrative_backend(settings_or_exit()), on_progress=lambda n: progress.advance(task, n)
        )


def _brief(record: NarrativeRecord) -> dict[str, Any]:
    return {"id": record.id, "key": record.key, "status": record.status, "severity": record.severity}


@narratives_app.command("match")
def narratives_match(
    out: OutFile,
    claims: Annotated[
        Path, typer.Option("--claims", help='Claims JSONL: {"id", "text"}.', exists=True, dir_okay=False)
    ],
    against: Annotated[
        Path,
        typer.Option("--against", help='Narratives JSONL: {"id", "text", "title"?, …}.', exists=True, dir_okay=False),
    ],
    top_k: Annotated[int, typer.Option("--top-k", min=1, max=1000, help="Matches kept per claim.")] = 10,
) -> None:
    """Đối chiếu luận điệu / For each claim, the known narratives it repeats, best first.

    Writes {"id", "matches": [{"id", "score"}, …]} per claim; works across languages.
    """
    from ttdn.kb.matching import match_jsonl

    with progress_bar() as progress:
        task = progress.add_task("Đối chiếu / matching", total=None)
        try:
            written, rejections = match_jsonl(
                claims, against, out, top_k=top_k, on_progress=lambda n: progress.advance(task, n)
            )
        except TTDNError as exc:
            raise fail(exc.reason) from exc
    report(rejections)
    summary({"written": written, "rejected": len(rejections), "output": str(out)})


@narratives_app.command("add")
def narratives_add(
    title: Annotated[str, typer.Option(help="A short title.")],
    claim: Annotated[str, typer.Option(help="The canonical claim, as the narrative states it.")],
    summary_text: Annotated[str, typer.Option("--summary", help="What it is, where it comes from.")] = "",
    variant: VariantOpt = None,
    lang: Annotated[str | None, typer.Option(help="Language of the title and claim (vi, en…).")] = None,
    category: Annotated[str | None, typer.Option(help="Category (e.g. sovereignty, economy).")] = None,
    severity: Annotated[str, typer.Option(help="low | medium | high | critical.")] = "medium",
    status: Annotated[str, typer.Option(help="active (matched) | dormant | retired.")] = "active",
    key: Annotated[str | None, typer.Option(help="A stable key (default: one is made).")] = None,
) -> None:
    """Thêm luận điệu / Add a narrative to the registry (its wordings are embedded at once)."""
    store, narratives = _open()
    with store:
        try:
            record = narratives.add(
                title, claim, summary=summary_text, variants=_variants(variant), category=category,
                severity=severity, status=status, key=key, lang=lang,
            )  # fmt: skip
            _embed(narratives)
        except TTDNError as exc:
            raise fail(exc.reason) from exc
    _print_json(_brief(record))


@narratives_app.command("edit")
def narratives_edit(
    ref: Ref,
    title: Annotated[str | None, typer.Option(help="New title.")] = None,
    claim: Annotated[str | None, typer.Option(help="New canonical claim.")] = None,
    summary_text: Annotated[str | None, typer.Option("--summary", help="New summary.")] = None,
    variant: VariantOpt = None,
    category: Annotated[str | None, typer.Option(help="New category.")] = None,
    severity: Annotated[str | None, typer.Option(help="low | medium | high | critical.")] = None,
    status: Annotated[str | None, typer.Option(help="active | dormant | retired.")] = None,
) -> None:
    """Sửa luận điệu / Change a narrative; --variant (repeat) replaces the list of variants."""
    given: dict[str, Any] = {
        name: value
        for name, value in (("title", title), ("canonical_claim", claim), ("summary", summary_text),
                            ("category", category), ("severity", severity), ("status", status))
        if value is not None
    }  # fmt: skip
    if variant is not None:
        given["variants"] = _variants(variant)
    if not given:
        raise fail("Không có gì để sửa / nothing to change: give at least one option")
    store, narratives = _open()
    with store:
        try:
            record = narratives.update(ref, **given)
            _embed(narratives)
        except TTDNError as exc:
            raise fail(exc.reason) from exc
    _print_json(_brief(record))


@narratives_app.command("import")
def narratives_import(
    path: Annotated[Path, typer.Argument(help="Narratives JSONL.", exists=True, dir_okay=False)],
    embed: Annotated[bool, typer.Option(help="Embed the new wordings now (else: at the next enrichment).")] = True,
) -> None:
    """Nhập luận điệu / Add or update narratives from JSONL.

    Lines {"id", "text" (the canonical claim), "title"?, "summary"?, "category"?, "severity"?,
    "status"?, "lang"?, "variants"?: [{"lang", "text"}] or [str], "facts"?: [fact ids]}. An id
    already in the registry is updated; the same id twice in the file → nothing is imported.
    """
    store, narratives = _open()
    with store:
        try:
            result = narratives.import_jsonl(path)
            embedded = _embed(narratives) if embed else 0
        except TTDNError as exc:
            raise fail(exc.reason) from exc
    report(result.rejections)
    summary({**result.as_dict(), "embedded": embedded})


@narratives_app.command("list")
def narratives_list(
    status: Annotated[str | None, typer.Option(help="active | dormant | retired.")] = None,
    category: Annotated[str | None, typer.Option(help="Only this category.")] = None,
    as_json: Json = False,
) -> None:
    """Danh sách luận điệu / Narratives, most severe first, with their match counts."""
    store, narratives = _open()
    with store:
        try:
            records = narratives.list(status=status, category=category)
        except TTDNError as exc:
            raise fail(exc.reason) from exc
    if as_json:
        _print_json([{**asdict(r), "variants": None, "facts": None} for r in records])
        return
    table = Table(title=f"Luận điệu / narratives ({len(records)})")
    for column in ("id", "key", "severity", "status", "title", "first seen", "pending", "confirmed", "rejected"):
        table.add_column(column)
    for r in records:
        seen = r.first_seen.strftime("%Y-%m-%d") if r.first_seen else "—"
        m = r.matches
        table.add_row(str(r.id), r.key, r.severity, r.status, r.title[:70], seen, str(m.pending), str(m.confirmed),
                      str(m.rejected))  # fmt: skip
    console.print(table)


@narratives_app.command("show")
def narratives_show(ref: Ref, as_json: Json = False) -> None:
    """Xem luận điệu / A narrative: claim, variants, rebuttal facts, first seen, match counts."""
    store, narratives = _open()
    with store:
        try:
            record = narratives.get(ref)
        except TTDNError as exc:
            raise fail(exc.reason) from exc
    if as_json:
        _print_json(asdict(record))
        return
    seen = record.first_seen.strftime("%Y-%m-%d %H:%M") if record.first_seen else "—"
    console.print(f"[bold]#{record.id} {record.key}[/] · {record.severity} · {record.status} · "
                  f"{record.category or '—'} · first seen {seen}")  # fmt: skip
    console.print(record.title, style="bold", markup=False, highlight=False)
    console.print(f"[{record.lang or '—'}] {record.canonical_claim}", markup=False, highlight=False)
    if record.summary:
        console.print(record.summary, markup=False, highlight=False)
    variants = Table(title="Biến thể / variants")
    variants.add_column("lang")
    variants.add_column("text")
    for v in record.variants:
        variants.add_row(v.lang or "—", v.text)
    console.print(variants)
    facts = Table(title="Dữ kiện phản bác / rebuttal facts")
    for column in ("id", "status", "title"):
        facts.add_column(column)
    for f in record.facts:
        facts.add_row(str(f.id), f.status, f.title)
    console.print(facts)
    m = record.matches
    console.print(f"matches: {m.pending} pending · {m.confirmed} confirmed · {m.rejected} rejected")


@narratives_app.command("link-fact")
def narratives_link_fact(
    ref: Ref,
    fact_id: Annotated[int, typer.Argument(help="The fact's id (see ttdn facts list).")],
    remove: Annotated[bool, typer.Option("--remove", help="Unlink instead.")] = False,
) -> None:
    """Gắn dữ kiện phản bác / Link (or --remove) a fact that rebuts the narrative."""
    store, narratives = _open()
    with store:
        try:
            record = narratives.unlink_fact(ref, fact_id) if remove else narratives.link_fact(ref, fact_id)
        except TTDNError as exc:
            raise fail(exc.reason) from exc
    _print_json({"id": record.id, "key": record.key, "facts": [f.id for f in record.facts]})


@narratives_app.command("matches")
def narratives_matches(
    ref: Annotated[str | None, typer.Argument(help="Only this narrative (id or key).")] = None,
    status: Annotated[str | None, typer.Option(help="pending | confirmed | rejected.")] = None,
    article: Annotated[int | None, typer.Option(help="Only this article id.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="At most this many.")] = 50,
    as_json: Json = False,
) -> None:
    """Kết quả đối chiếu / Matches found in articles, newest first, with their evidence sentence."""
    store, narratives = _open()
    with store:
        try:
            found = narratives.matches(ref, status=status, article_id=article, limit=limit)
        except TTDNError as exc:
            raise fail(exc.reason) from exc
    if as_json:
        _print_json([asdict(m) for m in found])
        return
    table = Table(title=f"Kết quả đối chiếu / matches ({len(found)})")
    for column in ("id", "narrative", "article", "date", "country", "lang", "score", "status", "evidence"):
        table.add_column(column)
    for m in found:
        day = m.at.strftime("%Y-%m-%d") if m.at else "—"
        table.add_row(str(m.id), m.narrative_key, str(m.article_id), day, m.country or "—", m.lang or "—",
                      f"{m.score:.3f}", m.status, m.sentence[:90])  # fmt: skip
    console.print(table)


def _decide(match_id: int, confirmed: bool, who: str | None) -> None:
    store, narratives = _open()
    with store:
        try:
            record, calibration = narratives.decide(match_id, confirmed, who=who or getpass.getuser() or "cli")
        except TTDNError as exc:
            raise fail(exc.reason) from exc
    _print_json({"id": record.id, "status": record.status, "decided_by": record.decided_by,
                 "threshold": round(calibration.threshold, 4), "decisions": calibration.decisions})  # fmt: skip


@narratives_app.command("confirm")
def narratives_confirm(
    match_id: Annotated[int, typer.Argument(help="The match's id (see ttdn narratives matches).")], who: Who = None
) -> None:
    """Xác nhận / Confirm a match: the article does carry the narrative (re-fits the threshold)."""
    _decide(match_id, True, who)


@narratives_app.command("reject")
def narratives_reject(
    match_id: Annotated[int, typer.Argument(help="The match's id (see ttdn narratives matches).")], who: Who = None
) -> None:
    """Bác bỏ / Reject a match: a false alarm (re-fits the threshold)."""
    _decide(match_id, False, who)


@narratives_app.command("timeline")
def narratives_timeline(
    ref: Annotated[str | None, typer.Argument(help="The narrative (id or key); none: the most active ones.")] = None,
    days: Annotated[int, typer.Option(min=1, max=3660, help="Look back this many days.")] = 7,
    as_json: Json = False,
) -> None:
    """Diễn biến / Matches per day by source country and language; without a narrative, the
    narratives seen most in the last --days (7: this week)."""
    from datetime import timedelta

    since = datetime.now(UTC) - timedelta(days=days)
    store, narratives = _open()
    with store:
        try:
            if ref is None:
                active = narratives.active(days=days)
            else:
                line = narratives.timeline(ref, since=since)
        except TTDNError as exc:
            raise fail(exc.reason) from exc
    if ref is None:
        if as_json:
            _print_json([asdict(a) for a in active])
            return
        table = Table(title=f"Luận điệu nổi lên / active in the last {days} days")
        for column in ("id", "key", "severity", "matches", "last seen", "countries", "languages", "title"):
            table.add_column(column)
        for a in active:
            table.add_row(str(a.id), a.key, a.severity, str(a.matches), a.last_seen.strftime("%Y-%m-%d"),
                          ",".join(a.countries), ",".join(a.languages), a.title[:60])  # fmt: skip
        console.print(table)
        return
    if as_json:
        _print_json(asdict(line))
        return
    for title, points in (("quốc gia / country", line.by_country), ("ngôn ngữ / language", line.by_lang)):
        keys = sorted({p.key or "?" for p in points})
        table = Table(title=f"Theo {title} ({line.total})")
        table.add_column("day")
        for key in keys:
            table.add_column(key, justify="right")
        days_seen = sorted({p.day for p in points})
        counts = {(p.day, p.key or "?"): p.count for p in points}
        for day in days_seen:
            table.add_row(day.isoformat(), *(str(counts.get((day, k), "")) for k in keys))
        console.print(table)
