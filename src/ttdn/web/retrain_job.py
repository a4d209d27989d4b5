"""Retraining the installation's topic model from the web: a `ttdn.web.jobs.BackgroundJob`
around `ttdn.models.topic_corrections.retrain_local` (the work of ``ttdn topics retrain``),
polled by the article page. Its steps are ``"embed"`` (examples embedded out of all) and
``"fit"`` (linear fits done); its summary holds the corrections used, the new model's labels
and its examples."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ttdn.web.jobs import BackgroundJob

__all__ = ["RetrainJob"]


class RetrainJob(BackgroundJob):
    kind = "topics-retrain"

    def start(self, data_dir: Path, *, who: str) -> bool:
        """Start retraining unless a retraining is running; False when one is."""

        def retrain(progress: Callable[..., None]) -> dict[str, Any]:
            from ttdn.models.topic_corrections import retrain_local

            model, used = retrain_local(data_dir, on_progress=progress, on_stage=self.stage)
            return {"corrections": used, "labels": len(model.labels), "examples": model.info["n_examples"]}

        return self.launch(retrain, who=who)
