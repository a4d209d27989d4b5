"""Search results as files: CSV (UTF-8 with a BOM, so Excel reads Vietnamese) and XLSX.

Both hold the same columns (`COLUMNS`). Text that a spreadsheet would run as a formula — a cell
starting with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage return, which Excel skips before
reading one) — gets a leading apostrophe, so ``=HYPERLINK(…)`` in a headline stays text.
Numbers and dates are written as numbers and dates, never neutralised.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from ttdn.web.queries_search import ExportRow

__all__ = ["COLUMNS", "MAX_EXPORT_ROWS", "export_filename", "neutralise", "write_csv", "write_xlsx"]

MAX_EXPORT_ROWS = 10_000
COLUMNS = (
    "id", "published_at", "source", "country", "language", "title", "url", "tone", "relevance", "topics", "story_id",
)  # fmt: skip
_WIDTHS = {
    "id": 9, "published_at": 18, "source": 24, "country": 8, "language": 9, "title": 70, "url": 50,
    "tone": 8, "relevance": 10, "topics": 30, "story_id": 10,
}  # fmt: skip
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value: str) -> str:
    """Text a spreadsheet would read as a formula, made plain text with a leading apostrophe."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def _values(row: ExportRow) -> list[Any]:
    return [
        row.id,
        row.published_at,
        neutralise(row.source or ""),
        neutralise(row.country or ""),
        neutralise(row.language or ""),
        neutralise(row.title),
        neutralise(row.url or ""),
        None if row.tone is None else round(row.tone, 4),
        None if row.relevance is None else round(row.relevance, 4),
        neutralise(";".join(row.topics)),
        row.story_id,
    ]


def write_csv(rows: Iterable[ExportRow]) -> bytes:
    """The rows as CSV: UTF-8 with a byte-order mark, a header row, ISO 8601 dates in UTC."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        values = _values(row)
        when = values[1]
        values[1] = when.astimezone(UTC).isoformat(timespec="seconds") if isinstance(when, datetime) else ""
        writer.writerow(["" if v is None else v for v in values])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def write_xlsx(rows: Iterable[ExportRow], *, title: str = "TTĐN") -> bytes:
    """The rows as an XLSX workbook: bold frozen header, column widths, dates as real dates (UTC)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    for index, name in enumerate(COLUMNS, 1):
        sheet.column_dimensions[get_column_letter(index)].width = _WIDTHS[name]
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for name in COLUMNS:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        values = _values(row)
        when = values[1]
        if isinstance(when, datetime):
            stamp = WriteOnlyCell(sheet, value=when.astimezone(UTC).replace(tzinfo=None))
            stamp.number_format = "yyyy-mm-dd hh:mm"
            values[1] = stamp
        sheet.append(values)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export_filename(extension: str, today: date | None = None) -> str:
    """``ttdn-search-2026-11-22.csv``: the file name, with the day of the export."""
    return f"ttdn-search-{(today or datetime.now(UTC).date()).isoformat()}.{extension}"
