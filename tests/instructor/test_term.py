"""Running a term on a graded sample course with a roster: due dates and the late policy from course.toml,
an extension granted before the submission was graded, through the real pipeline (pipeline.autograde); the
penalties in the gradebook, grades.csv and the report; the Canvas and Moodle grade files; feedback zips."""
from __future__ import annotations

import csv
import datetime
import html
import subprocess
import sys
import zipfile

import pytest
from nbgrader.api import Gradebook

from instructor import exchange, grades, lms, notebooks, pipeline, report, schedule
from instructor.course import REPO, Course, demo_course

ASSIGNMENT, NOTEBOOK = "01_sigmoid", "sigmoid"  # 8 points
COURSE_TOML = """
timezone = "Europe/Berlin"     # CET in February: UTC+1

[late_policy]
percent_per_day = 10
max_percent = 50

[assignments.01_sigmoid]
due = 2026-02-06T13:00:00      # 12:00 UTC
"""
DUE = datetime.datetime(2026, 2, 6, 12, 0)
SUBMITTED = {  # student -> submission time (UTC)
    "ontime": "2026-02-06 11:00:00 UTC",
    "late15": "2026-02-08 00:00:00 UTC",  # 1.5 days late: two days started, 20%
    "late10": "2026-02-16 12:00:00 UTC",  # 10 days late: 100%, capped at 50%
    "extended": "2026-02-09 12:00:00 UTC",  # 3 days late, with 4 days' extension: on time
}
PENALTY = {"ontime": 0.0, "late15": 1.6, "late10": 4.0, "extended": 0.0}
ROSTER = """id,first_name,last_name,email,lms_id
ontime,Ada,Lovelace,ada@example.org,1001
late15,Grace,Hopper,grace@example.org,1002
late10,Alan,Turing,alan@example.org,1003
extended,Edsger,Dijkstra,edsger@example.org,1004
"""


def submit_correct_answers(course: Course, student: str, timestamp: str) -> None:
    released = notebooks.read(course.step("release") / ASSIGNMENT / f"{NOTEBOOK}.ipynb")
    taught = notebooks.taught_answers(course.source / ASSIGNMENT / f"{NOTEBOOK}.ipynb")
    for name, cell in notebooks.answer_cells(released):
        cell.source = taught[name]
    folder = course.step("submitted") / student / ASSIGNMENT
    notebooks.write(released, folder / f"{NOTEBOOK}.ipynb")
    (folder / "timestamp.txt").write_text(timestamp)


def instructor(course: Course, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "instructor", *args, "--root", str(course.root)], cwd=REPO,
                          capture_output=True, text=True)


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Course:
    course = demo_course(tmp_path_factory.mktemp("term") / "course")
    (course.root / "course.toml").write_text(COURSE_TOML)
    (course.root / "roster.csv").write_text(ROSTER)
    assert instructor(course, "roster", "--file", str(course.root / "roster.csv")).returncode == 0
    released = pipeline.release(course)
    assert "01_sigmoid due 2026-02-06 12:00 UTC" in released.summary()
    for student, timestamp in SUBMITTED.items():
        submit_correct_answers(course, student, timestamp)
    # granted before anything was graded: nbgrader has no submission record to hold it yet
    extended = instructor(course, "extend", "--student", "extended", "--assignment", ASSIGNMENT, "--days", "4")
    assert extended.returncode == 0 and "kept in pending_extensions.json" in extended.stdout, extended.stderr
    graded = pipeline.autograde(course, workers=2, show_progress=False)
    assert not graded.failed, graded.summary()
    assert "extension granted earlier now in the gradebook: extended/01_sigmoid" in graded.summary()
    pipeline.feedback(course)
    grades.export(course)
    return course


def test_due_date_and_extension_are_in_the_gradebook(course):
    with Gradebook(course.db_url) as gradebook:
        assert gradebook.find_assignment(ASSIGNMENT).duedate == DUE
        assert gradebook.find_submission(ASSIGNMENT, "extended").extension == datetime.timedelta(days=4)
        assert gradebook.find_submission(ASSIGNMENT, "extended").total_seconds_late == 0
        assert gradebook.find_submission(ASSIGNMENT, "late15").total_seconds_late == 1.5 * 86400
    assert not (course.root / schedule.PENDING_FILE).exists()


def test_each_late_penalty_is_exact(course):
    with Gradebook(course.db_url) as gradebook:
        for student, penalty in PENALTY.items():
            submission = gradebook.find_submission(ASSIGNMENT, student)
            assert (submission.score, submission.late_submission_penalty) == (8.0, penalty), student


def test_grades_csv_shows_each_penalty(course):
    with (course.root / "grades.csv").open() as handle:
        rows = {r["student_id"]: r for r in csv.DictReader(handle) if r["assignment"] == ASSIGNMENT}
    for student, penalty in PENALTY.items():
        row = rows[student]
        assert (float(row["raw_score"]), float(row["late_submission_penalty"]), float(row["score"])) == \
               (8.0, penalty, 8.0 - penalty), student


def test_the_report_shows_the_penalties(course):
    page = html.unescape(report.write(course).read_text())
    assert "−1.6 01_sigmoid (1.5 days late)" in page
    assert "−4 01_sigmoid (10.0 days late)" in page
    assert "6.4 / 8" in page and "4 / 8" in page


def test_an_extension_after_grading_goes_straight_into_the_gradebook(course):
    """Granted once the submission is graded: written at once; regrading that student applies it."""
    result = instructor(course, "extend", "--student", "late15", "--assignment", ASSIGNMENT, "--days", "2")
    assert result.returncode == 0 and "recomputes the late penalty" in result.stdout, result.stderr
    pipeline.autograde(course, workers=1, show_progress=False, students=["late15"], assignments=[ASSIGNMENT])
    with Gradebook(course.db_url) as gradebook:
        assert gradebook.find_submission(ASSIGNMENT, "late15").late_submission_penalty == 0.0
    schedule.extend(course.root, course.db_url, "late15", ASSIGNMENT, 0)  # as it was, for the other tests
    pipeline.autograde(course, workers=1, show_progress=False, students=["late15"], assignments=[ASSIGNMENT])
    with Gradebook(course.db_url) as gradebook:
        assert gradebook.find_submission(ASSIGNMENT, "late15").late_submission_penalty == 1.6


def read_csv(path):
    with path.open(newline="") as handle:
        return list(csv.reader(handle))


def test_canvas_and_moodle_grade_files(course):
    paths, notes = lms.export(course)
    assert notes == []
    assignments = [name for name in course.assignments if name != "00_start_here"]  # no points: no column
    canvas = read_csv(course.root / "dist" / "canvas_grades.csv")
    assert canvas[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", *assignments]
    assert canvas[1][:6] == ["Points Possible", "", "", "", "", "8"]
    others = [""] * (len(assignments) - 1)  # nothing submitted: blank, which changes nothing in Canvas
    assert canvas[2:] == [
        ["Dijkstra, Edsger", "1004", "", "", "", "8", *others],
        ["Turing, Alan", "1003", "", "", "", "4", *others],
        ["Hopper, Grace", "1002", "", "", "", "6.4", *others],
        ["Lovelace, Ada", "1001", "", "", "", "8", *others],
    ]
    moodle = read_csv(course.root / "dist" / "moodle_grades.csv")
    assert moodle[0] == ["Email address", "ID number", "First name", "Last name", *assignments]
    assert moodle[1:] == [
        ["edsger@example.org", "1004", "Edsger", "Dijkstra", "8", *others],
        ["alan@example.org", "1003", "Alan", "Turing", "4", *others],
        ["grace@example.org", "1002", "Grace", "Hopper", "6.4", *others],
        ["ada@example.org", "1001", "Ada", "Lovelace", "8", *others],
    ]


def test_one_feedback_zip_per_student(course):
    made = exchange.feedback_zips(course)
    assert made.done == [f"dist/feedback/{student}.zip" for student in sorted(SUBMITTED)]
    with zipfile.ZipFile(course.root / "dist" / "feedback" / "late15.zip") as archive:
        assert archive.namelist() == [f"{ASSIGNMENT}/{NOTEBOOK}.html"]
        assert archive.read(f"{ASSIGNMENT}/{NOTEBOOK}.html").decode().lstrip().lower().startswith("<!doctype html")


def test_a_course_file_mistake_gets_one_clear_line(tmp_path):
    (tmp_path / "course.toml").write_text("[assignments.99_nothing]\ndue = 2026-01-01T00:00:00\n")
    with pytest.raises(schedule.CourseFileError, match="99_nothing] is not an assignment of the course"):
        schedule.load(tmp_path, ["01_sigmoid"])
    (tmp_path / "course.toml").write_text("[late_policy]\npercent_per_day = 'ten'\n")
    with pytest.raises(schedule.CourseFileError, match="percent_per_day = 'ten': give a number from 0 to 100"):
        schedule.load(tmp_path)


def test_the_policy_counts_each_day_started():
    policy = schedule.LatePolicy(percent_per_day=10, max_percent=50, grace_minutes=5)
    assert [policy.penalty(8, seconds) for seconds in (0, 299, 301, 86400, 86401, 10 * 86400)] == \
           [None, None, 0.8, 0.8, 1.6, 4.0]
