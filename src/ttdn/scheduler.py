"""The collection scheduler and enrichment worker that run inside ``ttdn serve``.

Each source has its own cadence; every ``tick`` seconds the scheduler claims the sources
that are due (``SourceStore.claim_due`` uses ``FOR UPDATE SKIP LOCKED``, so several
servers may share one database) and collects them, then analyses the articles not yet
enriched (at most ``ENRICH_PER_TICK`` a tick, so collection keeps its cadence).
"""

from __future__ import annotations

import logging
import threading

from ttdn.pipeline.understand import EnrichStage
from ttdn.settings import Settings
from ttdn.store import Store

__all__ = ["CollectionScheduler"]

logger = logging.getLogger(__name__)

ENRICH_PER_TICK = 500


class CollectionScheduler:
    def __init__(self, store: Store, settings: Settings, *, tick: float = 30.0, enrich: bool = True) -> None:
        self.store = store
        self.settings = settings
        self.tick = tick
        self.enrich = enrich
        self._stages: list[tuple[str, EnrichStage]] | None = None
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
        if self.enrich:
            from ttdn.pipeline.enrich import enrich
            from ttdn.pipeline.topology import enrich_stages

            self._stages = self._stages or enrich_stages(self.settings, self.store.stories, self.store.narratives)
            done = enrich(self.store, self._stages, batch_size=self.settings.enrich_batch, limit=ENRICH_PER_TICK)
            if done.enriched or done.failed:
                logger.info("enriched: %s", done.as_dict())
        self.passes += 1
        return len(due)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_once()
            except Exception:  # the scheduler must outlive any one failure
                logger.exception("scheduled collection failed")
            self._stop.wait(self.tick)
