"""Collecting submissions: nbgrader's exchange on one machine (three students fetch, answer and submit; the
instructor collects, grades and releases feedback; a student fetches it), and zip_collect of Canvas- and
Moodle-shaped downloads, names mapped to student ids through the roster, a renamed notebook reported."""
from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from grader_tests.exercises import all_exercises
from instructor import exchange, grades, lms, notebooks, pipeline, roster
from instructor.course import Course, demo_course

COURSE_ID = "python-basics-numpy"  # c.CourseDirectory.course_id in nbgrader_config.py
ASSIGNMENT, NOTEBOOK = "01_sigmoid", "sigmoid"


def student_nbgrader(home: Path, student: str, *args: str, exchange_root: Path) -> subprocess.CompletedProcess:
    """nbgrader as a student runs it, in their own folder with their own cache, without the course's
    nbgrader_config.py; --student names the student, as nbgrader's own tests do."""
    home.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "nbgrader", *args, f"--course={COURSE_ID}", f"--student={student}",
               f"--Exchange.root={exchange_root}", f"--Exchange.cache={home / '.nbgrader_cache'}"]
    result = subprocess.run(command, cwd=home, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def answer(path: Path, profile: str) -> None:
    """Fill in a fetched notebook: the answers the notebook teaches, the first known mistakes, or nothing."""
    notebook = notebooks.read(path)
    taught = notebooks.taught_answers(Path(__file__).resolve().parents[2] / "notebooks" / ASSIGNMENT
                                      / f"{NOTEBOOK}.ipynb")
    for name, cell in notebooks.answer_cells(notebook):
        if profile == "correct":
            cell.source = taught[name]
        elif profile == "mistakes":
            cell.source = notebooks.replace_stub(cell.source, all_exercises()[name].mistakes[0].code)
    notebooks.write(notebook, path)


def test_the_exchange_round_trip_with_three_students(tmp_path, monkeypatch):
    exchange_root = tmp_path / "exchange"
    monkeypatch.setenv(exchange.EXCHANGE_VAR, str(exchange_root))
    course = demo_course(tmp_path / "course")
    pipeline.release(course)
    assert exchange.release(course, [ASSIGNMENT]).done == [ASSIGNMENT]

    profiles = {"ada": "correct", "grace": "mistakes", "alan": "blank"}
    for student, profile in profiles.items():
        home = tmp_path / "students" / student
        student_nbgrader(home, student, "fetch_assignment", ASSIGNMENT, exchange_root=exchange_root)
        answer(home / ASSIGNMENT / f"{NOTEBOOK}.ipynb", profile)
        student_nbgrader(home, student, "submit", ASSIGNMENT, exchange_root=exchange_root)

    collected = exchange.collect(course, [ASSIGNMENT])
    assert sorted(collected.done) == [f"{s}/{ASSIGNMENT}" for s in sorted(profiles)]
    for student in profiles:
        assert (course.step("submitted") / student / ASSIGNMENT / "timestamp.txt").exists()
    graded = pipeline.autograde(course, workers=2, show_progress=False)
    assert not graded.failed, graded.summary()
    with Gradebook(course.db_url) as gradebook:
        scores = {s: gradebook.find_submission(ASSIGNMENT, s).score for s in profiles}
    assert scores == {"ada": 8.0, "grace": 0.0, "alan": 0.0}

    pipeline.feedback(course)
    released = exchange.release_feedback(course, [ASSIGNMENT])
    assert sorted(released.done) == [f"{s}/{ASSIGNMENT}/{NOTEBOOK}.html" for s in sorted(profiles)]
    home = tmp_path / "students" / "grace"
    student_nbgrader(home, "grace", "fetch_feedback", ASSIGNMENT, exchange_root=exchange_root)
    pages = list((home / ASSIGNMENT / "feedback").glob(f"*/{NOTEBOOK}.html"))
    assert len(pages) == 1  # hers only
    assert "known mistake" in pages[0].read_text() or "likely mistake" in pages[0].read_text()
    assert not (tmp_path / "students" / "ada" / ASSIGNMENT / "feedback").exists()


ROSTER = """id,first_name,last_name,email,lms_id
ada,Ada,Lovelace,ada@example.org,12345
grace,Grace,Hopper,grace@example.org,12346
alan,Alan,Turing,alan@example.org,12347
"""


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Course:
    """A released course with a roster and a correct sigmoid notebook to hand in."""
    course = demo_course(tmp_path_factory.mktemp("zip") / "course")
    pipeline.release(course)
    (course.root / "roster.csv").write_text(ROSTER)
    roster.import_roster(course.root / "roster.csv", course.db_url)
    return course


def download(course: Course, assignment: str, files: dict[str, Path]) -> None:
    """What an LMS's "Download submissions" gives, put where zip_collect looks: downloaded/<assignment>/archive/."""
    archive = course.root / "downloaded" / assignment / "archive"
    archive.mkdir(parents=True)
    with zipfile.ZipFile(archive / "submissions.zip", "w") as handle:
        for name, source in files.items():
            handle.write(source, name)


def released(course: Course, assignment: str, notebook: str) -> Path:
    return course.step("release") / assignment / f"{notebook}.ipynb"


def handed_in(course: Course, assignment: str) -> dict[str, list[str]]:
    return {student: sorted(p.name for p in (course.step("submitted") / student / assignment).iterdir())
            for student in ("ada", "grace", "alan") if (course.step("submitted") / student / assignment).is_dir()}


def test_zip_collect_of_a_canvas_download(course):
    notebook = released(course, ASSIGNMENT, NOTEBOOK)
    download(course, ASSIGNMENT, {
        "lovelaceada_12345_900001_sigmoid.ipynb": notebook,
        "hoppergrace_late_12346_900002_sigmoid-1.ipynb": notebook,  # late, handed in a second time
        "turingalan_12347_900003_sigmoid (1).ipynb": notebook,  # renamed
        "nobodyknown_99999_900004_sigmoid.ipynb": notebook,  # not in the roster
    })
    report = lms.zip_collect(course, ASSIGNMENT, "canvas")
    assert handed_in(course, ASSIGNMENT) == {"ada": ["sigmoid.ipynb"], "grace": ["sigmoid.ipynb"],
                                             "alan": ["sigmoid (1).ipynb"]}
    assert report.renamed == [
        "alan handed in 'sigmoid (1).ipynb' for 01_sigmoid, expected sigmoid.ipynb: it is not graded until renamed "
        "(submitted/alan/01_sigmoid/), then `make autograde STUDENT=alan ASSIGNMENT=01_sigmoid`"]
    assert report.late == ["grace"]
    assert report.skipped == ["submissions/nobodyknown_99999_900004_sigmoid.ipynb: Canvas user 99999 "
                              "(nobodyknown): no student in the roster has that lms_id or name"]
    summary = report.summary(ASSIGNMENT)
    assert "RENAMED alan handed in 'sigmoid (1).ipynb'" in summary and "NOT COLLECTED" in summary
    # the grades say so too, rather than "notebook not submitted"
    rows = [r for r in grades.exercise_grades(course) if r.student == "alan" and r.assignment == ASSIGNMENT]
    assert rows and {r.diagnosis for r in rows} == {
        "notebook renamed: handed in 'sigmoid (1).ipynb', expected sigmoid.ipynb"}


def test_zip_collect_of_a_moodle_download(course):
    assignment, notebook = "02_reshaping", "reshaping"
    source = released(course, assignment, notebook)
    download(course, assignment, {
        "Ada Lovelace_501_assignsubmission_file/reshaping.ipynb": source,  # Moodle 3.1 and later: a folder each
        "Grace Hopper_502_assignsubmission_file_/reshaping.ipynb": source,  # an older Moodle's folder name
        "Alan Turing_503_assignsubmission_file/Copy of reshaping.ipynb": source,  # renamed
    })
    report = lms.zip_collect(course, assignment, "moodle")
    assert handed_in(course, assignment) == {"ada": ["reshaping.ipynb"], "grace": ["reshaping.ipynb"],
                                             "alan": ["Copy of reshaping.ipynb"]}
    assert len(report.renamed) == 1 and report.renamed[0].startswith(
        "alan handed in 'Copy of reshaping.ipynb' for 02_reshaping, expected reshaping.ipynb")
    assert report.skipped == [] and report.late == []


def test_zip_collect_without_a_download_says_where_to_put_it(course):
    with pytest.raises(lms.CollectFailed, match="downloaded/03_normalization/archive"):
        lms.zip_collect(course, "03_normalization", "canvas")
