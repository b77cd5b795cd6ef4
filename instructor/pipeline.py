"""The instructor's steps: release and feedback (one nbgrader command each), autograde (on Dask: see grading)."""
from __future__ import annotations

import contextlib
import json
import time
from dataclasses import dataclass, field

import dask

from instructor import schedule, tidy
from instructor.course import Course
from instructor.grading import client as grading
from instructor.grading import sandbox, verdict


@dataclass
class StepReport:
    step: str
    unit: str  # what `done` counts
    done: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # "student/assignment" -> reason
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)  # said in every summary

    def summary(self) -> str:
        failed = f", {len(self.failed)} failed" if self.failed else ""
        text = f"{self.step}: {len(self.done)} {self.unit}{failed} in {self.seconds:.1f} s"
        return "\n".join([text] + [f"  FAILED {what}: {why}" for what, why in sorted(self.failed.items())]
                         + self.notes)


def release(course: Course) -> StepReport:
    """generate_assignment for every assignment (one nbgrader process): the student versions, into release/."""
    report = StepReport("release", "assignments")
    started = time.perf_counter()
    course.nbgrader("generate_assignment", "--assignment=*", "--force")
    report.done = [a for a in course.assignments if (course.step("release") / a).is_dir()]
    report.notes += _due_dates(course)
    report.seconds = time.perf_counter() - started
    return report


def autograde(course: Course, workers: int | None = None, extra_args: tuple[str, ...] = (),
              show_progress: bool = True, students: list[str] | None = None,
              assignments: list[str] | None = None, sandboxed: bool = True, scheduler: str | None = None,
              client=None) -> StepReport:
    """Grade every submission in submitted/, or those of `students` to `assignments`, one Dask task per
    notebook: on the scheduler at `scheduler` (default: DASK_SCHEDULER_ADDRESS), else on a LocalCluster of
    `workers` processes (default: one per core, plus one), or on `client`'s cluster. Each kernel runs in the
    sandbox (`sandboxed=False`: a trusted setting only). A submission that cannot be graded is recorded in
    autograde_failures.json with the reason, and the others are graded. `extra_args`: nbgrader options."""
    if not course.has_assignments():
        raise NotReleased(f"the gradebook ({course.db_url}) has no assignments yet: run `make release` first")
    if sandboxed and client is None and not (scheduler or dask.config.get("scheduler-address", None)):
        sandbox.check_available()  # one line saying why not and how to enable it, before anything is written
    verdict.reference()  # a reference that does not load would fail every student: stop here
    report = StepReport("autograde", "submissions graded", notes=[] if sandboxed else [sandbox.UNSAFE_NOTE])
    started = time.perf_counter()
    _due_dates(course)  # course.toml may have changed since the release
    submissions = course.submissions(students, assignments)
    if not submissions:
        return report
    extended = schedule.apply_pending_extensions(course.root, course.db_url, submissions)
    report.notes += [f"  extension granted earlier now in the gradebook: {what}" for what in extended]
    with contextlib.nullcontext(client) if client is not None else grading.connect(scheduler, workers) as client:
        run = grading.autograde(client, course, submissions, extra_args, sandboxed, show_progress)
    report.done, report.failed = run.graded, run.failed
    report.seconds = time.perf_counter() - started
    _record_failures(course, report)
    return report


def _due_dates(course: Course) -> list[str]:
    """course.toml's due dates into the gradebook; one line each for the summary."""
    due = schedule.apply_due_dates(course.root, course.db_url, course.assignments)
    return [f"  {name} due {when:%Y-%m-%d %H:%M} UTC" for name, when in sorted(due.items())]


def _record_failures(course: Course, report: StepReport) -> None:
    """Write this run's failures into autograde_failures.json, keeping those of submissions it did not regrade
    (a regrade of some students or assignments leaves the others' records alone)."""
    earlier = json.loads(course.failures_file.read_text()) if course.failures_file.exists() else {}
    regraded = set(report.done) | set(report.failed)
    kept = {what: why for what, why in earlier.items() if what not in regraded}
    course.failures_file.write_text(json.dumps(kept | report.failed, indent=2, sort_keys=True))


class NotReleased(RuntimeError):
    pass


def feedback(course: Course) -> StepReport:
    """generate_feedback (one nbgrader process): one HTML page per graded notebook, into feedback/."""
    report = StepReport("feedback", "feedback pages")
    started = time.perf_counter()
    if course.step("autograded").is_dir():
        course.nbgrader("generate_feedback", "--assignment=*", "--force")
    report.done = sorted(str(p.relative_to(course.step("feedback"))) for p in
                         course.step("feedback").glob("*/*/*.html")) if course.step("feedback").is_dir() else []
    report.seconds = time.perf_counter() - started
    return report


def clean(course: Course) -> list[str]:
    """Remove what the steps generate. Never submitted/, gradebook.db or student/: those hold people's work."""
    return tidy.clean(course.root)
