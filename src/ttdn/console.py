"""What every command shares: the consoles, errors as exit codes, progress bars, settings."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ttdn.errors import TTDNError
from ttdn.settings import Settings, get_settings

if TYPE_CHECKING:
    from ttdn.store import Store

__all__ = ["console", "err_console", "fail", "open_store", "progress_bar", "settings_or_exit"]

console = Console()
err_console = Console(stderr=True)


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print a one-line error and return the ``typer.Exit`` to raise (exit code 2)."""
    err_console.print(f"[bold red]Lỗi / Error:[/] {message}")
    return typer.Exit(code)


def settings_or_exit() -> Settings:
    try:
        return get_settings()
    except ValueError as exc:  # pydantic's ValidationError is a ValueError
        raise fail(f"invalid setting: {exc}") from exc


def open_store() -> Store:
    from ttdn.store import Store

    try:
        return Store.open(settings_or_exit())
    except TTDNError as exc:
        raise fail(exc.reason) from exc


def progress_bar() -> Progress:
    """A progress bar on stderr; shown on a terminal, or anywhere with ``TTDN_PROGRESS=1``."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        disable=not err_console.is_terminal and os.environ.get("TTDN_PROGRESS") != "1",
    )
