"""Regrading keeps the instructor's edits: what an instructor enters in the gradebook (roster, manual scores,
extra credit, manual comments, flags, extensions) survives `make autograde`, whole or for one student, as it
does with plain `nbgrader autograde --force`; what autograding owns (auto scores, auto comments, the late
penalty) is recomputed. On SQLite, and on PostgreSQL where COURSE_TEST_POSTGRES names a server.
"""
from __future__ import annotations

import dataclasses
import datetime
import shutil
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from instructor import pipeline, sample_class
from instructor.course import Course, demo_course
from tests.instructor.test_postgres import SERVER, database  # noqa: F401 (database is a fixture)

CORRECT, MISTAKES, BLANK = sample_class.STUDENTS
ASSIGNMENT, OTHER_ASSIGNMENT = "01_sigmoid", "02_reshaping"  # OTHER_ASSIGNMENT: MISTAKES's only
NOTEBOOK = "sigmoid"
# nbgrader's default LateSubmissionPlugin gives no penalty at all; "zero" takes the notebook's whole score, so
# that a late penalty shows (and shows whether the extension and the manual scores were known to the grader).
PENALTY = "--LateSubmissionPlugin.penalty_method=zero"
DUE = datetime.datetime(2025, 1, 9, 12, 0)
SUBMITTED = "2025-01-10 12:00:00.000000 UTC"  # one day after DUE; CORRECT's 3-day extension covers it
ROSTER = {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.org", "lms_user_id": "lms-42"}

FIELDS = {  # every field of a student's records, by record
    "student": ("first_name", "last_name", "email", "lms_user_id"),
    "submission": ("timestamp", "extension"),
    "notebook": ("flagged", "late_submission_penalty"),
    "grade": ("auto_score", "manual_score", "extra_credit", "needs_manual_grade"),
    "comment": ("auto_comment", "manual_comment"),
}
INSTRUCTORS = {"first_name", "last_name", "email", "lms_user_id", "extension", "flagged", "manual_score",
               "extra_credit", "manual_comment"}


def snapshot(db_url: str) -> dict[tuple, object]:
    """Every field of every student and submission: {(student, ..., field): value}."""
    values = {}
    with Gradebook(db_url) as gradebook:
        for student in gradebook.students:
            records = [((student.id, "student"), student)]
            for submission in student.submissions:
                where = (student.id, submission.assignment.name)
                records.append((where + ("submission",), submission))
                for notebook in submission.notebooks:
                    records.append((where + (notebook.name, "notebook"), notebook))
                    records += [(where + (notebook.name, grade.name, "grade"), grade) for grade in notebook.grades]
                    records += [(where + (notebook.name, comment.name, "comment"), comment)
                                for comment in notebook.comments]
            for key, record in records:
                values.update({key + (field,): getattr(record, field) for field in FIELDS[key[-1]]})
    return values


def instructors(values: dict) -> dict:
    return {key: value for key, value in values.items() if key[-1] in INSTRUCTORS}


def sample_course(root: Path, database: str | None) -> Course:
    """The sample class on ASSIGNMENT (MISTAKES also on OTHER_ASSIGNMENT), each submitted a day late."""
    course = dataclasses.replace(demo_course(root), database=database)
    pipeline.release(course)
    sample_class.write(course)
    for submission in course.step("submitted").glob("*/*"):
        if submission.name != ASSIGNMENT and submission.parts[-2:] != (MISTAKES, OTHER_ASSIGNMENT):
            shutil.rmtree(submission)
        else:
            (submission / "timestamp.txt").write_text(SUBMITTED)
    return course


def edit(db_url: str) -> None:
    """What an instructor does in formgrader, through the same API."""
    with Gradebook(db_url) as gradebook:
        gradebook.update_or_create_assignment(ASSIGNMENT, duedate=DUE)
        gradebook.update_or_create_student(CORRECT, **ROSTER)
        gradebook.grant_extension(ASSIGNMENT, CORRECT, days=3)
        gradebook.find_grade("check_basic_sigmoid", NOTEBOOK, ASSIGNMENT, CORRECT).extra_credit = 0.5
        gradebook.find_grade("check_sigmoid", NOTEBOOK, ASSIGNMENT, MISTAKES).manual_score = 1.0
        gradebook.find_comment("sigmoid", NOTEBOOK, ASSIGNMENT, BLANK).manual_comment = "Come to office hours."
        gradebook.find_submission_notebook(NOTEBOOK, ASSIGNMENT, BLANK).flagged = True
        gradebook.db.commit()


def resubmit_correct_answers(course: Course, student: str) -> None:
    shutil.copyfile(course.step("submitted") / CORRECT / ASSIGNMENT / f"{NOTEBOOK}.ipynb",
                    course.step("submitted") / student / ASSIGNMENT / f"{NOTEBOOK}.ipynb")


def autograded_files(course: Course) -> dict[str, tuple[int, bytes]]:
    return {str(path.relative_to(course.root)): (path.stat().st_mtime_ns, path.read_bytes())
            for path in course.step("autograded").glob("*/*/*.ipynb")}


@dataclasses.dataclass
class Regrades:
    course: Course
    edited: dict  # the gradebook right after the instructor's edits
    everyone: dict  # after regrading everything (BLANK resubmitted the correct answers first)
    one_student: dict  # after regrading MISTAKES on ASSIGNMENT only (MISTAKES resubmitted them first)
    files_before: dict = dataclasses.field(default_factory=dict)  # autograded files before the last regrade
    files_after: dict = dataclasses.field(default_factory=dict)


def autograde(course: Course, **subset) -> None:
    report = pipeline.autograde(course, workers=2, extra_args=(PENALTY,), show_progress=False, **subset)
    assert not report.failed, report.summary()


@pytest.fixture(scope="module", params=[
    "sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(not SERVER, reason="POSTGRESQL TEST SKIPPED: "
                                                                                      "set COURSE_TEST_POSTGRES"))])
def regrades(request, tmp_path_factory) -> Regrades:
    """Grade, edit as an instructor, then regrade everything, then one student, with `make autograde`'s grader."""
    url = request.getfixturevalue("database") if request.param == "postgresql" else None
    course = sample_course(tmp_path_factory.mktemp(request.param) / "course", url)
    autograde(course)
    edit(course.db_url)
    edited = snapshot(course.db_url)
    resubmit_correct_answers(course, BLANK)
    autograde(course)
    everyone = snapshot(course.db_url)
    files_before = autograded_files(course)
    resubmit_correct_answers(course, MISTAKES)
    autograde(course, students=[MISTAKES], assignments=[ASSIGNMENT])
    return Regrades(course, edited, everyone, snapshot(course.db_url), files_before, autograded_files(course))


@pytest.fixture(scope="module")
def plain(tmp_path_factory) -> dict:
    """The same class, edits and final submissions, regraded by one plain `nbgrader autograde --force`."""
    course = sample_course(tmp_path_factory.mktemp("plain") / "course", None)
    course.nbgrader("autograde", "--assignment=*", "--force", PENALTY)
    edit(course.db_url)
    resubmit_correct_answers(course, BLANK)
    resubmit_correct_answers(course, MISTAKES)
    course.nbgrader("autograde", "--assignment=*", "--force", PENALTY)
    return snapshot(course.db_url)


def test_the_edits_were_made(regrades):
    """Guards the other tests against comparing gradebooks in which nothing was edited."""
    edited = regrades.edited
    assert {edited[(CORRECT, "student", field)] for field in ROSTER} == set(ROSTER.values())
    assert edited[(CORRECT, ASSIGNMENT, "submission", "extension")] == datetime.timedelta(days=3)
    assert edited[(MISTAKES, ASSIGNMENT, NOTEBOOK, "check_sigmoid", "grade", "manual_score")] == 1.0
    assert edited[(CORRECT, ASSIGNMENT, NOTEBOOK, "check_basic_sigmoid", "grade", "extra_credit")] == 0.5
    assert edited[(BLANK, ASSIGNMENT, NOTEBOOK, "sigmoid", "comment", "manual_comment")] == "Come to office hours."
    assert edited[(BLANK, ASSIGNMENT, NOTEBOOK, "notebook", "flagged")] is True


def test_every_instructor_edit_survives_both_regrades(regrades):
    assert instructors(regrades.everyone) == instructors(regrades.edited)
    assert instructors(regrades.one_student) == instructors(regrades.edited)


def test_auto_scores_are_recomputed(regrades):
    def auto(values, student, check):
        return values[(student, ASSIGNMENT, NOTEBOOK, check, "grade", "auto_score")]

    assert (auto(regrades.edited, BLANK, "check_sigmoid"), auto(regrades.everyone, BLANK, "check_sigmoid")) == (0, 3)
    assert (auto(regrades.everyone, MISTAKES, "check_sigmoid"),
            auto(regrades.one_student, MISTAKES, "check_sigmoid")) == (0, 3)
    # a cell with a manual score needs manual grading again once it is regraded, as nbgrader decides
    assert regrades.one_student[(MISTAKES, ASSIGNMENT, NOTEBOOK, "check_sigmoid", "grade", "needs_manual_grade")]


def test_the_late_penalty_respects_the_extension_and_the_manual_score(regrades):
    def penalty(values, student):
        return values[(student, ASSIGNMENT, NOTEBOOK, "notebook", "late_submission_penalty")]

    assert penalty(regrades.everyone, CORRECT) is None  # a day late, with 3 days' extension: on time
    assert penalty(regrades.everyone, BLANK) == 8  # a day late: the whole of its new score
    assert penalty(regrades.everyone, MISTAKES) == 1  # the manual score is the only point it has
    assert penalty(regrades.one_student, MISTAKES) == 1 + 2 + 3  # the manual score overrides check_sigmoid's 3
    with Gradebook(regrades.course.db_url) as gradebook:
        assert gradebook.find_submission(ASSIGNMENT, CORRECT).total_seconds_late == 0
        assert gradebook.find_submission(ASSIGNMENT, BLANK).total_seconds_late == 24 * 3600


def test_regrading_gives_what_plain_nbgrader_gives(regrades, plain):
    assert instructors(regrades.one_student) == instructors(plain)
    assert regrades.one_student == plain  # everything else too: auto scores, comments, timestamps, penalties


def test_regrading_one_student_on_one_assignment_leaves_everything_else_alone(regrades):
    regraded = (MISTAKES, ASSIGNMENT)
    before, after = regrades.everyone, regrades.one_student
    assert {k: v for k, v in after.items() if k[:2] != regraded} == {k: v for k, v in before.items()
                                                                     if k[:2] != regraded}
    assert {k: v for k, v in after.items() if k[:2] == regraded} != {k: v for k, v in before.items()
                                                                     if k[:2] == regraded}
    regraded_file = f"autograded/{MISTAKES}/{ASSIGNMENT}/{NOTEBOOK}.ipynb"
    others = set(regrades.files_before) - {regraded_file}
    assert f"autograded/{MISTAKES}/{OTHER_ASSIGNMENT}/reshaping.ipynb" in others
    assert {f: regrades.files_after[f] for f in others} == {f: regrades.files_before[f] for f in others}
    assert regrades.files_after[regraded_file] != regrades.files_before[regraded_file]
