"""The collection scheduler that runs inside ``ttdn serve``.

Each source has its own cadence; every ``tick`` seconds the scheduler claims the sources
that are due (``SourceStore.claim_due`` uses ``FOR UPDATE SKIP LOCKED``, so several
servers may share one database) and collects them.
"""

from __future__ import annotations

import logging
import threading

from ttdn.settings import Settings
from ttdn.store import Store

__all__ = ["CollectionScheduler"]

logger = logging.getLogger(__name__)


class CollectionScheduler:
    def __init__(self, store: Store, settings: Settings, *, tick: float = 30.0) -> None:
        self.store = store
        self.settings = settings
        self.tick = tick
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.passes = 0

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="ttdn-scheduler", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def run_once(self) -> int:
        """Collect the sources due now; returns how many were collected."""
        from ttdn.collect.collector import collect

        due = self.store.sources.claim_due()
        if due:
            summary = collect(due, self.store, self.settings)
            logger.info("scheduled pass: %s", summary.as_dict())
        self.passes += 1
        return len(due)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_once()
            except Exception:  # the scheduler must outlive any one failure
                logger.exception("scheduled collection failed")
            self._stop.wait(self.tick)
