"""`make bench`: how fast a class is graded, measured side by side in one run.

A generated class of K students (a third each of right, wrong and blank answers) is graded by plain
`nbgrader autograde` (one process, serial), then by this course's parallel autograde with 1 worker and with
the default number of workers, sandboxed as always, and with the default number unsandboxed: the cost of the
sandbox (the verdict outside the kernel is in every line: nbgrader_config.py sets it for plain nbgrader too).
The floor is what starting and stopping a bare kernel costs, since nbgrader starts a fresh kernel for every
notebook; the warm kernels that this course grades with are timed the same way beside it. Cost per core is wall time × cores / notebooks. Figures are printed, never asserted: this
machine is shared and noisy.
"""
from __future__ import annotations

import os
import subprocess
import tempfile
import time
from pathlib import Path

from jupyter_client.manager import KernelManager

from instructor import parallel, pipeline, sample_class, warm_kernels
from instructor.course import demo_course

FLOOR_KERNELS = 10


def run(students: int, workers: int | None = None) -> None:
    workers = workers or parallel.default_workers()
    with tempfile.TemporaryDirectory(prefix="bench-course-") as root:
        course = demo_course(Path(root))
        pipeline.release(course)
        sample_class.write(course, size=students)
        notebooks = sum(1 for _ in course.step("submitted").glob("*/*/*.ipynb"))
        print(f"bench: {students} students × {len(course.assignments)} notebooks = {notebooks} notebooks, "
              f"{os.cpu_count()} cores")
        timings = {
            "plain nbgrader autograde": _timed(lambda: course.nbgrader("autograde", "--assignment=*", "--force",
                                                                       check=False)),
            "parallel, 1 worker": _timed(lambda: pipeline.autograde(course, 1, show_progress=False)),
            f"parallel, {workers} workers": _timed(lambda: pipeline.autograde(course, workers,
                                                                              show_progress=False)),
            "  the same, no sandbox": _timed(lambda: pipeline.autograde(course, workers, show_progress=False,
                                                                        sandboxed=False)),
        }
    floor = kernel_start_and_stop("python3")
    with warm_kernels.grading_in_this_process():
        warm = kernel_start_and_stop(warm_kernels.KERNEL_NAME, warm_kernels.client_config())
    plain = timings["plain nbgrader autograde"]
    print(f"{'':28} {'seconds':>8} {'s/notebook':>11} {'speed-up':>9}")
    for name, seconds in timings.items():
        print(f"{name:28} {seconds:8.1f} {seconds / notebooks:11.2f} {plain / seconds:8.2f}×")
    cores = os.cpu_count() or 1
    per_core = timings[f"parallel, {workers} workers"] * cores / notebooks
    print(f"kernel floor (start and stop a bare kernel, mean of {FLOOR_KERNELS}): {floor:.2f} s; "
          f"a warm grading kernel: {warm:.2f} s")
    print(f"per-notebook cost per core with {workers} workers: {per_core:.2f} s = {per_core / floor:.2f}× the floor")


def kernel_start_and_stop(kernel_name: str, config=None) -> float:
    """Mean seconds to start a kernel, wait until it answers, and shut it down."""
    started = time.perf_counter()
    for _ in range(FLOOR_KERNELS):
        # the kernel's log (a warning about unencrypted local connections) is not the bench's output
        manager = KernelManager(kernel_name=kernel_name, config=config)
        manager.start_kernel(stderr=subprocess.DEVNULL)
        client = manager.client()
        client.start_channels()
        client.wait_for_ready(timeout=60)
        client.stop_channels()
        manager.shutdown_kernel(now=False)
    return (time.perf_counter() - started) / FLOOR_KERNELS


def _timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started
