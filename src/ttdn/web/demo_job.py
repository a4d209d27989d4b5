"""Loading the bundled demo corpus from the web: one background job per application, its state
kept in memory (idle → running → done with a summary, or failed with its reason), polled by
the dashboard's welcome panel.

The work itself is ``ttdn.demo.load_demo(store, settings, *, on_progress=None)``; the job
accepts any of the usual progress calls: ``on_progress(n)`` (n more done),
``on_progress(done, total)``, ``on_progress("step")`` or ``on_progress("step", done, total)``.
"""

from __future__ import annotations

import dataclasses
import importlib
import logging
import threading
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from types import ModuleType
from typing import Any

from ttdn.settings import Settings
from ttdn.store import Store

__all__ = ["DemoJob", "demo_module"]

logger = logging.getLogger(__name__)


def demo_module() -> ModuleType | None:
    """``ttdn.demo`` when it is installed, else None."""
    try:
        return importlib.import_module("ttdn.demo")
    except ImportError:
        return None


def _summary_of(result: object) -> dict[str, Any]:
    if result is None:
        return {}
    as_dict = getattr(result, "as_dict", None)
    if callable(as_dict):
        result = as_dict()
    elif dataclasses.is_dataclass(result) and not isinstance(result, type):
        result = dataclasses.asdict(result)
    if isinstance(result, Mapping):
        return {
            str(k): v if isinstance(v, int | float | str | bool) or v is None else str(v) for k, v in result.items()
        }
    return {"result": str(result)}


class DemoJob:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.state = "idle"
        self.step: str | None = None
        self.done = 0
        self.total: int | None = None
        self.summary: dict[str, Any] = {}
        self.reason: str | None = None
        self.started_by: str | None = None
        self.started_at: datetime | None = None
        self.finished_at: datetime | None = None
        self._thread: threading.Thread | None = None
        self.on_finish: Callable[[], None] | None = None

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {
                "state": self.state,
                "step": self.step,
                "done": self.done,
                "total": self.total,
                "summary": dict(self.summary),
                "reason": self.reason,
                "started_by": self.started_by,
                "started_at": self.started_at,
                "finished_at": self.finished_at,
            }

    def start(self, store: Store, settings: Settings, *, who: str) -> bool:
        """Start loading unless a load is running; False when one is."""
        with self._lock:
            if self.state == "running":
                return False
            self.state, self.step, self.done, self.total = "running", None, 0, None
            self.summary, self.reason = {}, None
            self.started_by, self.started_at, self.finished_at = who, datetime.now(UTC), None
            self._thread = threading.Thread(target=self._run, args=(store, settings), name="ttdn-demo", daemon=True)
            self._thread.start()
        return True

    def join(self, timeout: float | None = None) -> None:
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def progress(self, *args: object, **_: object) -> None:
        with self._lock:
            numbers = [a for a in args if isinstance(a, int) and not isinstance(a, bool)]
            words = [a for a in args if isinstance(a, str)]
            if words:
                self.step = words[0][:200]
            if len(numbers) >= 2:
                self.done, self.total = numbers[0], numbers[1]
            elif len(numbers) == 1:
                self.done += numbers[0]

    def _run(self, store: Store, settings: Settings) -> None:
        module = demo_module()
        try:
            if module is None:
                raise RuntimeError("the demo corpus (ttdn.demo) is not installed")
            result = module.load_demo(store, settings, on_progress=self.progress)
        except Exception as exc:  # shown to the user as the reason; the log has the traceback
            logger.exception("loading the demo corpus failed")
            with self._lock:
                self.state, self.reason = "failed", getattr(exc, "reason", None) or str(exc) or type(exc).__name__
                self.finished_at = datetime.now(UTC)
        else:
            with self._lock:
                self.state, self.summary = "done", _summary_of(result)
                self.finished_at = datetime.now(UTC)
        if self.on_finish is not None:
            self.on_finish()
