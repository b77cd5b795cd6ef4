"""The instructor's steps, each one nbgrader command per assignment: release, autograde, feedback."""
from __future__ import annotations

import re
import shutil
import time
from dataclasses import dataclass, field

from instructor.course import Course

GENERATED = ("release", "autograded", "feedback")


@dataclass
class StepReport:
    step: str
    done: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # "student/assignment" -> reason
    seconds: float = 0.0

    def summary(self) -> str:
        text = f"{self.step}: {len(self.done)} done, {len(self.failed)} failed, {self.seconds:.1f} s"
        return "\n".join([text] + [f"  FAILED {what}: {why}" for what, why in sorted(self.failed.items())])


def release(course: Course) -> StepReport:
    """generate_assignment for every assignment: the student versions, into release/."""
    report = StepReport("release")
    started = time.perf_counter()
    for assignment in course.assignments:
        course.nbgrader("generate_assignment", assignment, "--force")
        report.done.append(assignment)
    report.seconds = time.perf_counter() - started
    return report


def autograde(course: Course) -> StepReport:
    """Grade every submission in submitted/. A submission that cannot be graded is reported and skipped."""
    report = StepReport("autograde")
    started = time.perf_counter()
    for assignment in course.assignments:
        submitters = [s for s in course.students() if (course.step("submitted") / s / assignment).is_dir()]
        if not submitters:
            continue
        # --force: a resubmission replaces the earlier grade
        result = course.nbgrader("autograde", assignment, "--force", check=False)
        failed = _failed_submissions(result.stdout + result.stderr)
        report.failed.update({f"{s}/{assignment}": failed[s] for s in submitters if s in failed})
        report.done += [f"{s}/{assignment}" for s in submitters if s not in failed]
    report.seconds = time.perf_counter() - started
    return report


def feedback(course: Course) -> StepReport:
    """generate_feedback: one HTML page per graded notebook, into feedback/."""
    report = StepReport("feedback")
    started = time.perf_counter()
    for assignment in course.assignments:
        if any((course.step("autograded") / s / assignment).is_dir() for s in course.students()):
            course.nbgrader("generate_feedback", assignment, "--force")
            report.done.append(assignment)
    report.seconds = time.perf_counter() - started
    return report


def clean(course: Course) -> list[str]:
    """Remove what the steps generate. Never submitted/, gradebook.db or student/: those hold people's work."""
    removed = []
    for name in GENERATED + ("grades.csv", "exercise_grades.csv"):
        path = course.root / name
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
        else:
            continue
        removed.append(name)
    return removed


_FAILED_AT = re.compile(r"There was an error processing assignment: (\S+)")


def _failed_submissions(log: str) -> dict[str, str]:
    """Students whose submission nbgrader could not grade, with the last line of the error it logged."""
    records = re.split(r"\n(?=\[\w+ \| )", log)  # one log record per "[App | LEVEL] ..." line and what follows
    failed = {}
    for here, following in zip(records, records[1:] + [""]):
        match = _FAILED_AT.search(here)
        if match:
            student = match.group(1).rstrip("/").split("/")[-2]
            lines = [line for line in following.strip().splitlines() if line.strip()]
            failed[student] = lines[-1].strip() if lines else "nbgrader reported an error"
    return failed
