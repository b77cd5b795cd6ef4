"""Parallel autograding: nbgrader itself, run by several workers at once, with one gradebook at the end.

nbgrader grades one notebook after another, and its SQLite gradebook takes one writer at a time. So the
students are dealt into shards, one per worker; each worker is a plain `nbgrader autograde` over a private
course root (`.grading/worker-N/`) that links to the real source folder and to the submissions it is to grade
(all of them, or those of the students and assignments asked for), and holds its own SQLite gradebook with the
course's assignments and the course's records of those submissions. Its kernels are warm ones (see
warm_kernels): each notebook still gets a fresh kernel process, forked from a template that has already
imported what kernels need. As each worker finishes, its autograded notebooks are moved into `autograded/`
and what autograding owns of its grades is merged into the course gradebook (see gradebooks), one worker at a
time, so the result is what serial grading gives, instructor's edits included.
"""
from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from instructor import schedule, warm_kernels
from instructor.course import REPO, Course
from instructor.gradebooks import merge, private_copy
from instructor.progress import Progress

_AUTOGRADING = re.compile(r"\] Autograding (\S+)")
_WRITING = re.compile(r"\] Writing \d+ bytes to (\S+)")
_FAILED_AT = re.compile(r"There was an error processing assignment: (\S+)")


@dataclass
class Shard:
    root: Path
    submissions: list[tuple[str, str]]  # (student, assignment)
    notebooks: int
    log: list[str] = field(default_factory=list)


def autograde(course: Course, workers: int, extra_args: tuple[str, ...] = (), show_progress: bool = True,
              students: list[str] | None = None, assignments: list[str] | None = None, sandboxed: bool = True
              ) -> tuple[list[str], dict[str, str]]:
    """Grade every submission, or those of `students` to `assignments`, with `workers` parallel nbgrader
    processes; other submissions are left as they are. `sandboxed=False` only in a trusted setting.

    Returns (graded "student/assignment" ids, {failed "student/assignment": reason})."""
    submissions = course.submissions(students, assignments)
    if not submissions:
        return [], {}
    shards = _plan(course, submissions, workers)
    progress = Progress(sum(s.notebooks for s in shards), "notebooks", enabled=show_progress)
    with contextlib.ExitStack() as servers:  # each worker's kernels must outlive the worker
        # the kernel servers warm up while the private gradebook is built
        environments = [servers.enter_context(warm_kernels.grading_environment(sandboxed)) for shard in shards]
        gradebook = _private_gradebook(course, submissions)
        merging = threading.Lock()  # one worker at a time into the course gradebook
        with ThreadPoolExecutor(len(shards)) as pool:
            graders = [pool.submit(_grade, course, shard, gradebook, env, extra_args, progress, merging)
                       for shard, env in zip(shards, environments)]
            for grader in graders:
                grader.result()
    progress.finish()
    failed: dict[str, str] = {}
    for shard in shards:
        failed.update(_failures("\n".join(shard.log)))
    shutil.rmtree(course.root / ".grading", ignore_errors=True)
    graded = [f"{student}/{assignment}" for student, assignment in submissions]
    return [g for g in graded if g not in failed], failed


def _plan(course: Course, submissions: list[tuple[str, str]], workers: int) -> list[Shard]:
    """Deal students (each with all their `submissions`) into at most `workers` shards with about the same
    number of notebooks each."""
    by_student: dict[str, list[tuple[str, str]]] = {}
    for student, assignment in submissions:
        by_student.setdefault(student, []).append((student, assignment))
    counts = {student: sum(_notebook_count(course, *s) for s in theirs) for student, theirs in by_student.items()}
    shards = [Shard(course.root / ".grading" / f"worker-{i}", [], 0) for i in range(max(1, workers))]
    for student in sorted(counts, key=lambda s: (-counts[s], s)):
        lightest = min(shards, key=lambda s: s.notebooks)
        lightest.submissions += by_student[student]
        lightest.notebooks += counts[student]
    return [shard for shard in shards if shard.submissions]


def _notebook_count(course: Course, student: str, assignment: str) -> int:
    return sum(1 for name in _notebook_names(course, assignment)
               if (course.step("submitted") / student / assignment / name).exists())


def _notebook_names(course: Course, assignment: str) -> list[str]:
    return [path.name for path in (course.source / assignment).glob("*.ipynb")]


def _private_gradebook(course: Course, submissions: list[tuple[str, str]]) -> Path:
    """A SQLite gradebook with the course's assignments and its records of the submissions to grade, to be
    copied for each worker (building one through nbgrader's API takes seconds; copying the file, none)."""
    grading = course.root / ".grading"
    if grading.exists():
        shutil.rmtree(grading)
    grading.mkdir()
    private_copy(course.db_url, f"sqlite:///{grading / 'gradebook.db'}", submissions)
    return grading / "gradebook.db"


def _grade(course: Course, shard: Shard, gradebook: Path, env: dict[str, str], extra_args: tuple[str, ...],
           progress: Progress, merging: threading.Lock) -> None:
    """One worker: grade the shard, then (as soon as it is done, while others may still grade) collect it."""
    process = _start(course, shard, gradebook, env, extra_args)
    _follow(process, shard, progress)
    process.wait()
    with merging:
        _collect(course, shard)


def _start(course: Course, shard: Shard, gradebook: Path, env: dict[str, str],
           extra_args: tuple[str, ...]) -> subprocess.Popen:
    shard.root.mkdir(parents=True)
    (shard.root / "notebooks").symlink_to(course.source.resolve(), target_is_directory=True)
    plan = course.root / schedule.COURSE_FILE  # the late policy, which nbgrader's plugin reads from the root
    if plan.exists():
        (shard.root / schedule.COURSE_FILE).symlink_to(plan.resolve())
    # only what this worker is to grade is linked: `--assignment=*` then grades exactly that
    for student, assignment in shard.submissions:
        link = shard.root / "submitted" / student / assignment
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(course.step("submitted") / student / assignment, target_is_directory=True)
    shutil.copyfile(gradebook, shard.root / "gradebook.db")
    command = [sys.executable, "-m", "nbgrader", "autograde", "--assignment=*", "--force",
               f"--CourseDirectory.root={shard.root}", f"--Execute.kernel_name={warm_kernels.KERNEL_NAME}",
               *warm_kernels.client_arguments(env),
               *extra_args]
    return subprocess.Popen(command, cwd=REPO, env=env, text=True, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, errors="replace")


def _follow(process: subprocess.Popen, shard: Shard, progress: Progress) -> None:
    """Read a worker's log as it comes; a notebook is done when its graded version is written."""
    running = None
    for line in process.stdout:
        shard.log.append(line.rstrip("\n"))
        if match := _AUTOGRADING.search(line):
            running = match.group(1)
        elif (match := _WRITING.search(line)) and match.group(1) == running:
            running = None
            progress.advance()


def _failures(log: str) -> dict[str, str]:
    """"student/assignment" ids nbgrader could not grade, with the last line of the error it logged."""
    records = re.split(r"\n(?=\[\w+ \| )", log)  # one record per "[App | LEVEL] ..." line and what follows
    failed = {}
    for here, following in zip(records, records[1:] + [""]):
        if match := _FAILED_AT.search(here):
            student, assignment = Path(match.group(1)).parts[-2:]
            lines = [line.strip() for line in following.splitlines()[1:] if line.strip()]
            failed[f"{student}/{assignment}"] = lines[-1] if lines else "nbgrader reported an error"
    return failed


def _collect(course: Course, shard: Shard) -> None:
    """Move a worker's graded notebooks into autograded/ and its grades into the course gradebook (every
    worker's gradebook holds the records of all submissions being graded: only its own are merged)."""
    for graded in sorted((shard.root / "autograded").glob("*/*")):
        target = course.step("autograded") / graded.parent.name / graded.name
        if target.exists():
            _make_writable(target)
            shutil.rmtree(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(graded, target)
    merge(f"sqlite:///{shard.root / 'gradebook.db'}", course.db_url, shard.submissions)


def _make_writable(folder: Path) -> None:
    """nbgrader leaves graded notebooks read-only (444)."""
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)


def default_workers() -> int:
    """One worker per core, and one more: each worker spends part of every notebook waiting on its kernel
    (the connection handshake, the shutdown), and the extra one keeps the cores busy meanwhile. Measured on
    2 cores, 144 notebooks: 1.27 s of core time per notebook with 2 workers, 1.11 s with 3, 1.20 s with 4."""
    return (os.cpu_count() or 1) + 1

