"""`make bench`: how fast a class is graded, measured side by side in one run.

A generated class of K students (a third each of right, wrong and blank answers) is graded by plain
`nbgrader autograde` (one process, serial), then on Dask: a LocalCluster of 1 worker, of 2, and of the default
number (cores + 1), sandboxed as always, and the default unsandboxed (the sandbox's cost; the verdict outside
the kernel is in every line: nbgrader_config.py sets it for plain nbgrader too). Each Dask line is the whole
of `make autograde`: the cluster's start (worker processes, nbgrader imported, warm-kernel servers), then the
grading. On the default cluster, a batch of no-op tasks as large as a notebook times what scheduling costs per
task. The floor is what starting and stopping a bare kernel costs; the warm kernels are timed the same way
beside it. Cost per core is wall time × cores / notebooks. Figures are printed, never asserted: this machine
is shared and noisy.
"""
from __future__ import annotations

import os
import subprocess
import tempfile
import time
from pathlib import Path

from jupyter_client.manager import KernelManager

from instructor import pipeline, sample_class
from instructor.course import demo_course
from instructor.grading import client as grading
from instructor.grading import warm_kernels

FLOOR_KERNELS = 10
NOOP_TASKS = 500


def run(students: int, workers: int | None = None) -> None:
    workers = workers or grading.default_workers()
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="bench-course-") as root:
        course = demo_course(Path(root))
        pipeline.release(course)
        sample_class.write(course, size=students)
        notebooks = sum(1 for _ in course.step("submitted").glob("*/*/*.ipynb"))
        handed_in = {path.parent.name for path in course.step("submitted").glob("*/*/*.ipynb")}
        print(f"bench: {students} students × {len(handed_in)} notebooks = {notebooks} notebooks, "
              f"{cores} cores", flush=True)
        started = time.perf_counter()
        course.nbgrader("autograde", "--assignment=*", "--force", check=False)
        timings = {"plain nbgrader autograde": (0.0, time.perf_counter() - started)}
        overhead = None
        for size, sandboxed in ((1, True), (2, True), (workers, True), (workers, False)):
            name = f"Dask, {size} worker{'s' if size > 1 else ''}" + ("" if sandboxed else ", no sandbox")
            started = time.perf_counter()
            with grading.connect(workers=size) as client:
                ready = time.perf_counter()
                pipeline.autograde(course, client=client, show_progress=False, sandboxed=sandboxed)
                timings[name] = (ready - started, time.perf_counter() - started)
                if size == workers and sandboxed:
                    overhead = grading.measure_overhead(client, NOOP_TASKS)
            print(f"  {name}: {timings[name][1]:.1f} s", flush=True)
    floor = kernel_start_and_stop("python3")
    with warm_kernels.grading_in_this_process():
        warm = kernel_start_and_stop(warm_kernels.KERNEL_NAME, warm_kernels.client_config())
    _print(timings, notebooks, cores, workers, overhead, floor, warm)


def _print(timings: dict, notebooks: int, cores: int, workers: int, overhead: float, floor: float,
           warm: float) -> None:
    plain = timings["plain nbgrader autograde"][1]
    print(f"{'':28} {'start':>6} {'seconds':>8} {'s/notebook':>11} {'speed-up':>9}")
    for name, (start, seconds) in timings.items():
        print(f"{name:28} {start:6.1f} {seconds:8.1f} {seconds / notebooks:11.2f} {plain / seconds:8.2f}×")
    one, two = timings["Dask, 1 worker"][1], timings["Dask, 2 workers"][1]
    default = timings[f"Dask, {workers} workers"][1]
    per_core = default * cores / notebooks
    print(f"1 → 2 workers: {one / two:.2f}×; default ({workers} workers) vs plain nbgrader: {plain / default:.2f}×")
    print(f"scheduling overhead: {overhead * 1000:.1f} ms per task ({NOOP_TASKS} no-op tasks of 20 kB, "
          f"{workers} workers)")
    print(f"kernel floor (start and stop a bare kernel, mean of {FLOOR_KERNELS}): {floor:.2f} s; "
          f"a warm grading kernel: {warm:.2f} s")
    print(f"per-notebook cost per core with {workers} workers: {per_core:.2f} s = {per_core / floor:.2f}× the "
          f"floor; {3600 / per_core:.0f} notebooks per core-hour")


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
