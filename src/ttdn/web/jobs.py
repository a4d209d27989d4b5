"""Long work started from the web: one background job of a kind per application, its state
kept in memory (idle → running → done with a summary, or failed with its reason) and polled by
a page with HTMX. The demo load (`ttdn.web.demo_job`) and the topic model's retraining
(`ttdn.web.retrain_job`) are such jobs.

The work is a callable given the job's `BackgroundJob.progress`, which accepts any of the
usual progress calls: ``progress(n)`` (n more done), ``progress(done, total)``,
``progress("step")`` or ``progress("step", done, total)``; `BackgroundJob.stage` starts a new
step with its count from zero. What the work returns becomes the summary.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

__all__ = ["BackgroundJob", "Work"]

logger = logging.getLogger(__name__)
Work = Callable[[Callable[..., None]], object]


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


class BackgroundJob:
    """One job at a time; `launch` refuses a second while the first runs."""

    kind = "job"  # names the thread and the log line of a failure

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

    def launch(self, work: Work, *, who: str) -> bool:
        """Run ``work`` in a thread unless a job is running; False when one is."""
        with self._lock:
            if self.state == "running":
                return False
            self.state, self.step, self.done, self.total = "running", None, 0, None
            self.summary, self.reason = {}, None
            self.started_by, self.started_at, self.finished_at = who, datetime.now(UTC), None
            self._thread = threading.Thread(target=self._run, args=(work,), name=f"ttdn-{self.kind}", daemon=True)
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

    def stage(self, step: str, total: int | None = None) -> None:
        """A new step: its count starts from zero, out of ``total`` when known."""
        with self._lock:
            self.step, self.done, self.total = step[:200], 0, total

    def _run(self, work: Work) -> None:
        try:
            result = work(self.progress)
        except Exception as exc:  # shown to the user as the reason; the log has the traceback
            logger.exception("background job %s failed", self.kind)
            with self._lock:
                self.state, self.reason = "failed", getattr(exc, "reason", None) or str(exc) or type(exc).__name__
                self.finished_at = datetime.now(UTC)
        else:
            with self._lock:
                self.state, self.summary = "done", _summary_of(result)
                self.finished_at = datetime.now(UTC)
        if self.on_finish is not None:
            self.on_finish()
