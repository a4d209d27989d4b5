"""Background jobs of the web application: one at a time, progress, summary, failure reason."""

from __future__ import annotations

import threading
from collections.abc import Callable
from types import SimpleNamespace

import pytest

from ttdn.errors import BadInput
from ttdn.web import demo_job
from ttdn.web.jobs import BackgroundJob


def test_a_job_runs_one_at_a_time_and_reports_progress() -> None:
    job, release, finished = BackgroundJob(), threading.Event(), []
    job.on_finish = lambda: finished.append(job.snapshot()["state"])

    def work(progress: Callable[..., None]) -> dict[str, object]:
        job.stage("embed", 10)
        progress(4)
        progress(3)
        assert release.wait(10)
        return {"corrections": 2, "path": SimpleNamespace()}

    assert job.snapshot()["state"] == "idle"
    assert job.launch(work, who="phantich")
    assert not job.launch(work, who="other")  # refused while the first runs
    while job.snapshot()["done"] < 7:
        threading.Event().wait(0.01)
    running = job.snapshot()
    assert running["state"] == "running" and running["step"] == "embed" and running["total"] == 10
    assert running["started_by"] == "phantich"
    job.stage("fit")
    assert (job.snapshot()["step"], job.snapshot()["done"], job.snapshot()["total"]) == ("fit", 0, None)
    release.set()
    job.join(10)
    done = job.snapshot()
    assert done["state"] == "done" and done["summary"]["corrections"] == 2 and isinstance(done["summary"]["path"], str)
    assert done["finished_at"] is not None and finished == ["done"]


def test_a_failed_job_keeps_its_reason() -> None:
    job = BackgroundJob()

    def work(_: Callable[..., None]) -> None:
        raise BadInput("không đủ ví dụ / not enough examples")

    assert job.launch(work, who="phantich")
    job.join(10)
    failed = job.snapshot()
    assert failed["state"] == "failed" and failed["reason"] == "không đủ ví dụ / not enough examples"
    assert job.launch(lambda progress: progress("step", 1, 2), who="phantich")  # may start again
    job.join(10)
    assert job.snapshot()["state"] == "done" and job.snapshot()["reason"] is None


def test_the_demo_job_passes_its_progress_to_load_demo(monkeypatch: pytest.MonkeyPatch) -> None:
    def load_demo(store: object, settings: object, *, on_progress: Callable[..., None]) -> dict[str, int]:
        assert (store, settings) == ("store", "settings")
        on_progress("articles", 3, 5)
        return {"articles_stored": 3}

    monkeypatch.setattr(demo_job, "demo_module", lambda: SimpleNamespace(load_demo=load_demo))
    job = demo_job.DemoJob()
    assert job.start("store", "settings", who="phantich")  # type: ignore[arg-type]
    job.join(10)
    assert job.snapshot() | {"started_at": None, "finished_at": None} == {
        "state": "done", "step": "articles", "done": 3, "total": 5, "summary": {"articles_stored": 3},
        "reason": None, "started_by": "phantich", "started_at": None, "finished_at": None,
    }  # fmt: skip
    monkeypatch.setattr(demo_job, "demo_module", lambda: None)
    assert job.start("store", "settings", who="phantich")  # type: ignore[arg-type]
    job.join(10)
    assert job.snapshot()["state"] == "failed" and "not installed" in job.snapshot()["reason"]
