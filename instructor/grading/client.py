"""The instructor's side of grading on Dask: one task per submitted notebook, results taken as they complete.

The client connects to a scheduler (SCHEDULER / DASK_SCHEDULER_ADDRESS), or starts a LocalCluster on this
machine (cores + 1 worker processes, one thread each). It registers the worker plugin, which carries what every
task shares (task.Material), submits the notebooks (a window of them at a time, so a term of any size fits in
memory) and, as each result arrives, writes the graded notebook into autograded/ and what autograding owns of
its grades into the course gradebook, one transaction per result (gradebooks). A notebook nbgrader could not
grade is recorded with the reason; a task whose worker died is run once more elsewhere, then recorded as failed.
Only the client touches the course's files: workers need this package installed, not the course folder.
"""
from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import dask
from distributed import Client, LocalCluster, as_completed
from distributed.scheduler import KilledWorker
from nbgrader.api import Gradebook

from instructor import schedule
from instructor.course import Course
from instructor.grading import gradebooks, sandbox, verdict, worker
from instructor.grading.progress import Progress
from instructor.grading.task import Material, Result, Submission

CONNECT_TIMEOUT = "10s"
WORKER_WAIT = 60  # seconds to wait for a cluster's first worker
IGNORED = (".ipynb_checkpoints", "__pycache__", "feedback")  # nbgrader's CourseDirectory.ignore (and *.pyc)


class SchedulerUnreachable(RuntimeError):
    pass


@dataclass
class Run:
    graded: list[str] = field(default_factory=list)  # "student/assignment"
    failed: dict[str, str] = field(default_factory=dict)  # "student/assignment" -> reason
    notes: list[str] = field(default_factory=list)
    task_seconds: float = 0.0  # the tasks' time on their workers, added up


def default_workers() -> int:
    """One worker per core, and one more: each worker spends part of every notebook waiting on its kernel, and
    the extra one keeps the cores busy meanwhile (measured on 2 cores with the earlier process pool: 1.27 s of
    core time per notebook with 2 workers, 1.11 s with 3, 1.20 s with 4)."""
    return (os.cpu_count() or 1) + 1


@contextlib.contextmanager
def connect(scheduler: str | None = None, workers: int | None = None) -> Iterator[Client]:
    """A client of the scheduler at `scheduler` (default: DASK_SCHEDULER_ADDRESS), or of a LocalCluster of
    `workers` processes started here and closed afterwards."""
    address = scheduler or dask.config.get("scheduler-address", None)
    if not address:
        # a task whose worker dies is run once more elsewhere, then reported as failed (KilledWorker)
        with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
            cluster = LocalCluster(n_workers=workers or default_workers(), threads_per_worker=1, processes=True,
                                   dashboard_address=":8787", silence_logs=logging.ERROR)
        with cluster, Client(cluster, set_as_default=False) as client:
            yield client
        return
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as error:
        raise SchedulerUnreachable(f"autograde: cannot reach the Dask scheduler at {address} "
                                   f"({str(error).splitlines()[0] if str(error) else type(error).__name__}); "
                                   "nothing was graded") from None
    with client:
        try:
            client.wait_for_workers(1, timeout=WORKER_WAIT)
        except TimeoutError:
            raise SchedulerUnreachable(f"autograde: the Dask scheduler at {address} has no workers "
                                       f"(waited {WORKER_WAIT} s); nothing was graded") from None
        yield client


def autograde(client: Client, course: Course, submissions: list[tuple[str, str]], arguments: tuple[str, ...] = (),
              sandboxed: bool = True, show_progress: bool = True) -> Run:
    """Grade the notebooks of `submissions` ((student, assignment) pairs) on the client's cluster."""
    run = Run()
    total = sum(1 for _ in _notebooks(course, submissions))
    client.register_plugin(worker.GradingWorker(material(course, arguments), sandboxed), name=worker.PLUGIN)
    try:
        problems = [problem for problem in client.run(worker.problem).values() if problem]
        if problems:
            raise sandbox.SandboxUnavailable(problems[0])
        progress = Progress(total, "notebooks", enabled=show_progress)
        if show_progress:
            print(f"grading {total} notebooks on {len(client.scheduler_info()['workers'])} Dask workers; "
                  f"dashboard: {client.dashboard_link}", file=progress.stream, flush=True)
        try:
            with Gradebook(course.db_url) as gradebook:
                _grade(client, course, gradebook, submissions, run, progress)
        finally:
            progress.close()
    finally:
        client.unregister_worker_plugin(worker.PLUGIN)
    run.graded = [f"{s}/{a}" for s, a in submissions if f"{s}/{a}" not in run.failed]
    return run


def material(course: Course, arguments: tuple[str, ...]) -> Material:
    """What every task shares: the gradebook's assignments (a SQLite file, built once), the source folders'
    other files, the reference solutions' sources and nbgrader's options."""
    with tempfile.TemporaryDirectory(prefix="grading-material-") as folder:
        template = Path(folder) / "gradebook.db"
        gradebooks.copy_assignments(course.db_url, f"sqlite:///{template}")
        gradebook = template.read_bytes()
    sources = {assignment: {str(path.relative_to(course.source / assignment)): path.read_bytes()
                            for path in sorted((course.source / assignment).rglob("*"))
                            if path.is_file() and path.suffix != ".ipynb" and not _ignored(path)}
               for assignment in course.assignments}
    plan = course.root / schedule.COURSE_FILE  # due dates and the late policy, read by nbgrader's late plugin
    return Material(gradebook, sources, verdict.solution_sources(), tuple(arguments),
                    plan.read_bytes() if plan.exists() else None)


def _grade(client: Client, course: Course, gradebook: Gradebook, submissions: list[tuple[str, str]], run: Run,
           progress: Progress) -> None:
    """Submit a window of tasks, and one more as each result is taken."""
    pending = _tasks(course, gradebook, submissions)
    window = max(64, 8 * len(client.scheduler_info()["workers"]))
    running: dict[str, Submission] = {}
    completed = as_completed(loop=client.loop)

    def submit(count: int) -> None:
        for task in [task for _, task in zip(range(count), pending)]:
            future = client.submit(worker.grade_notebook, task, pure=False, retries=1,
                                   key=f"grade-{task.student}/{task.assignment}/{task.notebook}-{uuid.uuid4().hex}")
            running[future.key] = task
            completed.add(future)

    submit(window)
    collector = _Collector(course, gradebook)
    try:
        with _interruptible() as interrupted:
            while not completed.is_empty():
                if interrupted.is_set():
                    raise KeyboardInterrupt
                for future in completed.next_batch(block=False) or _pause():
                    task = running.pop(future.key)
                    collector.take(_result(future, task), run)
                    future.release()
                    progress.advance()
                    submit(1)
    except BaseException:  # Ctrl-C among others: what has been merged stays, the rest is not started
        client.cancel(list(completed.futures))
        raise


@contextlib.contextmanager
def _interruptible() -> Iterator[threading.Event]:
    """Ctrl-C sets the event, which the loop checks between results (a KeyboardInterrupt raised wherever the
    main thread happens to be, in a weakref callback say, can be lost); a second Ctrl-C interrupts at once."""
    interrupted = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield interrupted
        return

    def on_interrupt(_signal, _frame) -> None:
        interrupted.set()
        signal.signal(signal.SIGINT, signal.default_int_handler)

    previous = signal.signal(signal.SIGINT, on_interrupt)
    try:
        yield interrupted
    finally:
        signal.signal(signal.SIGINT, previous)


def _pause() -> list:
    time.sleep(0.02)
    return []


def _tasks(course: Course, gradebook: Gradebook, submissions: list[tuple[str, str]]) -> Iterator[Submission]:
    """One task per submitted notebook that the gradebook knows, read when it is about to be submitted."""
    names = {assignment.name: [notebook.name for notebook in assignment.notebooks]
             for assignment in gradebook.assignments}
    for student, assignment in submissions:
        folder = course.step("submitted") / student / assignment
        handed = [name for name in names.get(assignment, []) if (folder / f"{name}.ipynb").is_file()]
        if not handed:
            continue
        record = gradebooks.read_record(gradebook, student, assignment, gradebooks.EVERYTHING)
        gradebook.db.commit()  # ends the read transaction: merges commit on this session meanwhile
        timestamp = folder / "timestamp.txt"
        for name in handed:
            yield Submission(student, assignment, name, (folder / f"{name}.ipynb").read_bytes(),
                             timestamp.read_text() if timestamp.is_file() else None, record,
                             tuple(other for other in names[assignment] if other not in handed))


def _notebooks(course: Course, submissions: list[tuple[str, str]]) -> Iterator[Path]:
    with Gradebook(course.db_url) as gradebook:
        names = {a.name: [n.name for n in a.notebooks] for a in gradebook.assignments}
    for student, assignment in submissions:
        folder = course.step("submitted") / student / assignment
        yield from (folder / f"{name}.ipynb" for name in names.get(assignment, [])
                    if (folder / f"{name}.ipynb").is_file())


def _result(future, task: Submission) -> Result:
    """The task's result; a task that could not run (its workers died, an error outside nbgrader) is a
    failure of its notebook, with the reason."""
    try:
        return future.result()
    except KilledWorker:
        reason = "KilledWorker: the worker grading it died, and so did the one that retried it"
    except Exception as error:  # noqa: BLE001 - recorded with its reason; the batch goes on
        reason = f"{type(error).__name__}: {error}"
    return Result(task.student, task.assignment, task.notebook, failure=reason)


class _Collector:
    """Writes each result into autograded/ and the course gradebook as it arrives."""

    def __init__(self, course: Course, gradebook: Gradebook):
        self.course, self.gradebook = course, gradebook
        self.started: set[str] = set()  # submissions whose earlier graded folder has been replaced

    def take(self, result: Result, run: Run) -> None:
        folder = self.course.step("autograded") / result.student / result.assignment
        if result.submission_id not in self.started:  # as `--force` does: the earlier graded version goes
            self.started.add(result.submission_id)
            self._replace(folder, self.course.step("submitted") / result.student / result.assignment)
        for name, content in result.files.items():
            _write(folder / name, content)
        if result.failure is not None:
            run.failed.setdefault(result.submission_id, result.failure)
        run.task_seconds += result.seconds
        if result.record is not None:
            try:
                gradebooks.write_record(self.gradebook, result.record, gradebooks.AUTOGRADED)
                self.gradebook.db.commit()
            except BaseException:
                self.gradebook.db.rollback()
                raise

    @staticmethod
    def _replace(folder: Path, submitted: Path) -> None:
        """An empty graded folder with the submission's other files, as nbgrader starts one."""
        if folder.exists():
            for path in [folder, *folder.rglob("*")]:
                path.chmod(0o755 if path.is_dir() else 0o644)  # nbgrader leaves graded files read-only
            shutil.rmtree(folder)
        for path in sorted(submitted.rglob("*")):
            if path.is_file() and path.suffix != ".ipynb" and not _ignored(path):
                _write(folder / path.relative_to(submitted), path.read_bytes())


def _write(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.unlink()
    path.write_bytes(content)
    path.chmod(0o444)  # as nbgrader leaves its output


def _ignored(path: Path) -> bool:
    return path.suffix == ".pyc" or any(part in IGNORED for part in path.parts)


def measure_overhead(client: Client, count: int = 500, payload: int = 20_000) -> float:
    """Seconds per task that scheduling costs: `count` no-op tasks, each carrying `payload` bytes (about a
    submitted notebook), submitted at once and taken as they complete (bench)."""
    started = time.perf_counter()
    futures = [client.submit(worker.nothing, bytes(payload), pure=False) for _ in range(count)]
    for future in as_completed(futures, loop=client.loop):
        future.result()
    return (time.perf_counter() - started) / count
