"""Reading JSONL input files line by line, the one way every batch tool does it.

Each non-blank line becomes ``(origin, line number, value)`` where ``origin`` is
``FILE:LINE`` and ``value`` is the parsed JSON or the ``Rejection`` saying why the line
could not be read (not UTF-8, not JSON). A file that cannot be opened is a ``BadInput``
for the whole run. ``id_and_text`` checks the two fields most tools need.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ttdn.errors import BadInput
from ttdn.records import Rejection

__all__ = ["id_and_text", "read_json_lines"]


def read_json_lines(path: Path) -> Iterator[tuple[str, int, Any | Rejection]]:
    path = Path(path)
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise BadInput(f"cannot read {path}: {exc.strerror or exc}") from exc
    with handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            origin = f"{path}:{number}"
            try:
                yield origin, number, json.loads(raw.decode("utf-8"))
            except UnicodeDecodeError:
                yield origin, number, Rejection(origin, "line is not valid UTF-8")
            except ValueError as exc:
                yield origin, number, Rejection(origin, f"invalid JSON: {exc}")


def id_and_text(row: Any, origin: str) -> tuple[str, str] | Rejection:
    """``(id as a string, text)`` of a ``{"id", "text", …}`` object, or the line's rejection."""
    if not isinstance(row, dict):
        return Rejection(origin, "the line is not a JSON object")
    rid, text = row.get("id"), row.get("text")
    if isinstance(rid, bool) or not isinstance(rid, str | int) or rid == "":
        return Rejection(origin, "missing id (a string or an integer)")
    if not isinstance(text, str):
        return Rejection(origin, "missing text (a string)")
    if not text.strip():
        return Rejection(origin, "empty text")
    return str(rid), text
