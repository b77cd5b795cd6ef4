"""What a Dask worker keeps for its lifetime while it grades: nbgrader imported, a warm-kernel server (in the
sandbox unless told otherwise) and the run's shared material. A WorkerPlugin sets it up on every worker, those
that join later or replace a dead one included, and tears it down when the run ends (the client unregisters
the plugin) or the worker closes: the server, and every kernel it forked, stop with it.
"""
from __future__ import annotations

import contextlib
import os

from distributed import WorkerPlugin, get_worker

from instructor.grading import sandbox, warm_kernels
from instructor.grading.task import Material, Result, Submission, grade  # nbgrader: imported once per worker

PLUGIN = "course-grading"


class GradingWorker(WorkerPlugin):
    name = PLUGIN

    def __init__(self, material: Material, sandboxed: bool = True):
        self.material, self.sandboxed = material, sandboxed
        self.env: dict[str, str] | None = None
        self.problem: str | None = None  # why this worker cannot grade (no sandbox here)
        self._stack: contextlib.ExitStack | None = None
        self._saved_env: dict[str, str] | None = None

    def setup(self, worker) -> None:
        self._stack = contextlib.ExitStack()
        try:
            self.env = self._stack.enter_context(warm_kernels.grading_environment(self.sandboxed, log_kernels=True))
        except sandbox.SandboxUnavailable as refused:
            self.problem = f"{worker.address}: {refused}"
            return
        # kernels started from this process (by nbgrader's Execute) are the server's warm ones
        self._saved_env = dict(os.environ)
        os.environ.update(self.env)

    def teardown(self, worker) -> None:
        if self._stack is not None:
            self._stack.close()
        if self._saved_env is not None:
            os.environ.clear()
            os.environ.update(self._saved_env)


def grade_notebook(task: Submission) -> Result:
    """The task function: grade one submitted notebook on this worker."""
    plugin: GradingWorker = get_worker().plugins[PLUGIN]
    if plugin.problem is not None:
        raise sandbox.SandboxUnavailable(plugin.problem)
    return grade(task, plugin.material, plugin.env)


def problem(dask_worker) -> str | None:
    """Run on each worker by the client after registering the plugin: why this worker cannot grade, if so."""
    plugin = dask_worker.plugins.get(PLUGIN)
    return "the grading plugin is not set up" if plugin is None else plugin.problem


def nothing(payload: bytes) -> int:
    """A no-op task, to time what scheduling costs (bench)."""
    return len(payload)
