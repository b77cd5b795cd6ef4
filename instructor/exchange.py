"""Handing out and collecting through nbgrader's exchange on one machine, and feedback for an LMS upload.

The exchange is a folder every student account can write to: `exchange/` in the course, or the folder that
COURSE_EXCHANGE names (nbgrader_config.py sets `c.Exchange.root` the same way, so that nbgrader run by hand, by
students or in formgrader finds the same folder). nbgrader's own commands do the work:

    instructor: nbgrader release_assignment      (make exchange-release)
    student:    nbgrader fetch_assignment, then nbgrader submit
    instructor: nbgrader collect                 (make collect), then make autograde and make feedback
    instructor: nbgrader release_feedback        (make exchange-feedback)
    student:    nbgrader fetch_feedback

nbgrader takes the student's id from the operating-system user name; `--student=<id>` (CourseDirectory.
student_id) names another one, as nbgrader's own tests do to play several students on one machine.
"""
from __future__ import annotations

import os
import zipfile
from pathlib import Path

from instructor import lms
from instructor.course import Course
from instructor.pipeline import StepReport

EXCHANGE_VAR = "COURSE_EXCHANGE"


def root(course: Course) -> Path:
    """The exchange folder of the course."""
    return Path(os.environ.get(EXCHANGE_VAR) or course.root / "exchange")


def _nbgrader(course: Course, command: str, assignment: str, *args: str):
    return course.nbgrader(command, assignment, f"--Exchange.root={root(course)}", *args)


def release(course: Course, assignments: list[str]) -> StepReport:
    """release_assignment: the student versions in release/ go to the exchange's outbound folder (run `make
    release` first); a release again replaces them."""
    report = StepReport("exchange-release", "assignments in the exchange")
    missing = [a for a in assignments if not (course.step("release") / a).is_dir()]
    if missing:
        raise NotReleasedYet(f"no student version of {', '.join(missing)} in {course.step('release')}/: "
                             f"run `make release` first")
    root(course).mkdir(parents=True, exist_ok=True)
    for assignment in assignments:
        _nbgrader(course, "release_assignment", assignment, "--force")
        report.done.append(assignment)
    report.notes.append(f"exchange: {root(course)}")
    return report


def collect(course: Course, assignments: list[str]) -> StepReport:
    """collect: every submission in the exchange's inbound folder into submitted/ (a newer submission replaces
    an older one); reports notebooks handed in under another name."""
    report = StepReport("collect", "submissions in submitted/")
    for assignment in assignments:
        _nbgrader(course, "collect", assignment, "--update")
        report.done += [f"{student}/{assignment}" for student in lms.submitted_notebooks(course, assignment)]
        report.notes += [f"  RENAMED {line}" for line in lms.renamed_notebooks(course, assignment)]
    return report


def release_feedback(course: Course, assignments: list[str]) -> StepReport:
    """release_feedback: the feedback pages of feedback/ (run `make feedback` first) to the exchange, where each
    student's `nbgrader fetch_feedback` finds their own."""
    report = StepReport("exchange-feedback", "feedback pages released")
    for assignment in assignments:
        if any(course.step("feedback").glob(f"*/{assignment}/*.html")):
            _nbgrader(course, "release_feedback", assignment)
            report.done += [str(p.relative_to(course.step("feedback")))
                            for p in sorted(course.step("feedback").glob(f"*/{assignment}/*.html"))]
    return report


def feedback_zips(course: Course) -> StepReport:
    """dist/feedback/<student>.zip: each student's feedback pages (<assignment>/<notebook>.html), one file to
    upload per student to the LMS."""
    report = StepReport("feedback-zips", "zip files")
    folder = course.root / "dist" / "feedback"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.zip"):
        old.unlink()
    feedback = course.step("feedback")
    for student in sorted(p for p in feedback.iterdir() if p.is_dir()) if feedback.is_dir() else []:
        pages = sorted(student.glob("*/*.html"))
        if not pages:
            continue
        target = folder / f"{student.name}.zip"
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            for page in pages:
                archive.write(page, str(page.relative_to(student)))
        report.done.append(str(target.relative_to(course.root)))
    if not report.done:
        report.notes.append(f"no feedback pages in {feedback}/: run `make feedback` first")
    return report


class NotReleasedYet(RuntimeError):
    pass
