"""Loading the bundled demo corpus from the web: a `ttdn.web.jobs.BackgroundJob` polled by the
dashboard's welcome panel.

The work itself is ``ttdn.demo.load_demo(store, settings, *, on_progress=None)``; the job
accepts any of the usual progress calls: ``on_progress(n)`` (n more done),
``on_progress(done, total)``, ``on_progress("step")`` or ``on_progress("step", done, total)``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from types import ModuleType

from ttdn.settings import Settings
from ttdn.store import Store
from ttdn.web.jobs import BackgroundJob

__all__ = ["DemoJob", "demo_module"]


def demo_module() -> ModuleType | None:
    """``ttdn.demo`` when it is installed, else None."""
    try:
        return importlib.import_module("ttdn.demo")
    except ImportError:
        return None


class DemoJob(BackgroundJob):
    kind = "demo"

    def start(self, store: Store, settings: Settings, *, who: str) -> bool:
        """Start loading unless a load is running; False when one is."""

        def load(progress: Callable[..., None]) -> object:
            module = demo_module()
            if module is None:
                raise RuntimeError("the demo corpus (ttdn.demo) is not installed")
            return module.load_demo(store, settings, on_progress=progress)

        return self.launch(load, who=who)
