"""``ttdn facts``: the fact base (cơ sở dữ liệu TTĐN) from the command line.

Facts have language versions, sources, a topic, validity dates and a status
(draft → approved → retired); every change is a version with who, when and what. Approved
facts export to one offline SQLite file that a border post or mission can search.
"""

from __future__ import annotations

import getpass
import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from ttdn.console import console, fail, open_store
from ttdn.errors import TTDNError

if TYPE_CHECKING:
    from ttdn.kb.facts import FactStore
    from ttdn.store import Store

__all__ = ["facts_app"]

facts_app = typer.Typer(help="Cơ sở dữ liệu TTĐN / The fact base: facts, versions, documents, offline bundle.",
                        no_args_is_help=True)  # fmt: skip

Author = Annotated[str | None, typer.Option(help="Who makes the change (default: the system user).")]


def _author(value: str | None) -> str:
    return value or getpass.getuser() or "cli"


def _facts() -> tuple[Store, FactStore]:
    from ttdn.kb.facts import FactStore

    store = open_store()
    return store, FactStore(store.database.engine)


@facts_app.command("add")
def facts_add(
    lang: Annotated[str, typer.Option(help="Language of this text (vi, en, fr…).")],
    title: Annotated[str, typer.Option(help="Title of the fact.")],
    body: Annotated[str, typer.Option(help="The fact, position or figure.")],
    topic: Annotated[str | None, typer.Option(help="Topic id (e.g. sovereignty_sea).")] = None,
    source: Annotated[list[str] | None, typer.Option(help="Source URL (repeat).")] = None,
    valid_from: Annotated[str | None, typer.Option(help="Valid from (YYYY-MM-DD).")] = None,
    valid_to: Annotated[str | None, typer.Option(help="Valid until (YYYY-MM-DD).")] = None,
    author: Author = None,
) -> None:
    """Thêm dữ kiện (bản nháp) / Add a fact as a draft."""
    store, facts = _facts()
    with store:
        try:
            fact_id = facts.create(
                topic, {lang: (title, body)}, list(source or []), _date(valid_from), _date(valid_to),
                author=_author(author),
            )  # fmt: skip
        except TTDNError as exc:
            raise fail(exc.reason) from exc
    console.print_json(json.dumps({"id": fact_id, "status": "draft"}))


@facts_app.command("edit")
def facts_edit(
    fact_id: Annotated[int, typer.Argument(help="The fact's id.")],
    lang: Annotated[str, typer.Option(help="Language of the text to add or replace.")],
    title: Annotated[str, typer.Option(help="New title in that language.")],
    body: Annotated[str, typer.Option(help="New text in that language.")],
    author: Author = None,
) -> None:
    """Sửa / Add or replace one language version of a fact (a new version is recorded)."""
    store, facts = _facts()
    with store:
        try:
            record = facts.update(fact_id, author=_author(author), texts={lang: (title, body)})
        except TTDNError as exc:
            raise fail(exc.reason) from exc
    console.print_json(json.dumps({"id": record.id, "version": record.version, "status": record.status}))


def _set_status(fact_id: int, status: str, author: str | None) -> None:
    store, facts = _facts()
    with store:
        try:
            record = facts.set_status(fact_id, status, author=_author(author))
        except TTDNError as exc:
            raise fail(exc.reason) from exc
    console.print_json(json.dumps({"id": record.id, "version": record.version, "status": record.status}))


@facts_app.command("approve")
def facts_approve(fact_id: Annotated[int, typer.Argument(help="The fact's id.")], author: Author = None) -> None:
    """Phê duyệt / Approve a draft fact."""
    _set_status(fact_id, "approved", author)


@facts_app.command("retire")
def facts_retire(fact_id: Annotated[int, typer.Argument(help="The fact's id.")], author: Author = None) -> None:
    """Thôi sử dụng / Retire a fact (kept, with its history)."""
    _set_status(fact_id, "retired", author)


@facts_app.command("show")
def facts_show(fact_id: Annotated[int, typer.Argument(help="The fact's id.")]) -> None:
    """Xem dữ kiện và lịch sử / Show a fact, its language versions and its history."""
    store, facts = _facts()
    with store:
        try:
            record, history = facts.get(fact_id), facts.history(fact_id)
        except TTDNError as exc:
            raise fail(exc.reason) from exc
    console.print(f"[bold]#{record.id}[/] {record.status} · v{record.version} · {record.topic or '—'}")
    for lang, (title, body) in sorted(record.texts.items()):
        console.print(f"[{lang}] [bold]{title}[/]\n{body}", markup=False, highlight=False)
    table = Table(title="Lịch sử / history")
    for column in ("version", "when", "who", "what"):
        table.add_column(column)
    for version in history:
        table.add_row(str(version.version), version.at.strftime("%Y-%m-%d %H:%M"), version.author, version.change)
    console.print(table)


@facts_app.command("list")
def facts_list(status: Annotated[str | None, typer.Option(help="draft | approved | retired.")] = None) -> None:
    """Danh sách dữ kiện / List facts, newest change first."""
    store, facts = _facts()
    with store:
        try:
            records = facts.list(status=status)
        except TTDNError as exc:
            raise fail(exc.reason) from exc
    table = Table(title=f"Dữ kiện / facts ({len(records)})")
    for column in ("id", "status", "v", "languages", "title"):
        table.add_column(column)
    for r in records:
        first = next(iter(sorted(r.texts.items())), ("", ("", "")))
        table.add_row(str(r.id), r.status, str(r.version), ",".join(sorted(r.texts)), first[1][0][:80])
    console.print(table)


@facts_app.command("search")
def facts_search(
    query: Annotated[str, typer.Argument(help="Search text (with or without diacritics).")],
    lang: Annotated[str | None, typer.Option(help="Only this language.")] = None,
    any_status: Annotated[bool, typer.Option(help="Also drafts and retired facts.")] = False,
) -> None:
    """Tìm dữ kiện / Search the fact base (approved facts by default)."""
    store, facts = _facts()
    with store:
        try:
            hits = facts.search(query, lang=lang, status=None if any_status else "approved")
        except TTDNError as exc:
            raise fail(exc.reason) from exc
    rows = [{"id": h.fact_id, "lang": h.lang, "title": h.title, "status": h.status, "snippet": h.snippet} for h in hits]
    console.print_json(json.dumps(rows, ensure_ascii=False))


@facts_app.command("import-doc")
def facts_import_doc(
    path: Annotated[Path, typer.Argument(help="PDF, DOCX, HTML or Markdown document.", exists=True, dir_okay=False)],
    author: Author = None,
) -> None:
    """Nhập tài liệu / Import a document, split into searchable passages."""
    store, facts = _facts()
    with store:
        try:
            document_id, passages = facts.import_document(path, author=_author(author))
        except TTDNError as exc:
            raise fail(exc.reason) from exc
    console.print_json(json.dumps({"document_id": document_id, "passages": passages}))


@facts_app.command("export")
def facts_export(
    out: Annotated[Path, typer.Argument(help="The bundle file to write (SQLite).", dir_okay=False)],
    lang: Annotated[list[str] | None, typer.Option(help="Only these languages (repeat).")] = None,
) -> None:
    """Xuất gói ngoại tuyến / Export the approved facts as one offline SQLite file."""
    from ttdn.kb.bundle import export_bundle

    store = open_store()
    with store:
        try:
            summary = export_bundle(store.database.engine, out, langs=lang or None)
        except TTDNError as exc:
            raise fail(exc.reason) from exc
    console.print_json(json.dumps({"path": str(summary.path), "facts": summary.facts, "bytes": summary.bytes}))


@facts_app.command("search-bundle")
def facts_search_bundle(
    bundle: Annotated[Path, typer.Argument(help="An exported bundle file.", exists=True, dir_okay=False)],
    query: Annotated[str, typer.Argument(help="Words to find (with or without diacritics).")],
) -> None:
    """Tìm trong gói ngoại tuyến / Search an offline bundle (no network, no database)."""
    from ttdn.kb.bundle import search_bundle

    try:
        hits = search_bundle(bundle, query)
    except TTDNError as exc:
        raise fail(exc.reason) from exc
    rows = [{"id": h.fact_id, "lang": h.lang, "title": h.title, "snippet": h.snippet} for h in hits]
    console.print_json(json.dumps(rows, ensure_ascii=False))


def _date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise fail(f"not a date (YYYY-MM-DD): {value!r}") from exc
