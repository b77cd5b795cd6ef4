"""Grades: nbgrader's grades.csv, and a CSV with one row per student, notebook and exercise, saying why."""
from __future__ import annotations

import csv
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry

from instructor import lms, notebooks
from instructor.course import Course

PASSED = "passed"


@dataclass(frozen=True)
class ExerciseGrade:
    student: str
    assignment: str
    notebook: str
    exercise: str
    score: float
    max_score: float
    diagnosis: str


def export(course: Course) -> tuple[Path, Path]:
    """Write grades.csv (nbgrader's export) and exercise_grades.csv at the course root."""
    course_csv, exercise_csv = course.root / "grades.csv", course.root / "exercise_grades.csv"
    course.nbgrader("export", f"--to={course_csv}")
    rows = exercise_grades(course)
    with exercise_csv.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(ExerciseGrade.__dataclass_fields__))
        writer.writeheader()
        writer.writerows(asdict(row) for row in rows)
    return course_csv, exercise_csv


def exercise_grades(course: Course) -> list[ExerciseGrade]:
    """One row per submitted assignment, notebook and exercise (the check cells of the source notebook)."""
    failures = json.loads(course.failures_file.read_text()) if course.failures_file.exists() else {}
    rows = []
    with Gradebook(course.db_url) as gradebook:
        for assignment in gradebook.assignments:
            for student in course.students():
                if (course.step("submitted") / student / assignment.name).is_dir():
                    failure = failures.get(f"{student}/{assignment.name}")
                    for notebook in assignment.notebooks:
                        rows += _notebook_grades(course, gradebook, assignment.name, notebook.name, student, failure)
    return rows


@dataclass(frozen=True)
class LatePenalty:
    student: str
    assignment: str
    points: float  # taken from the assignment's score
    days_late: float  # after the extension


def late_penalties(course: Course) -> list[LatePenalty]:
    """Every late penalty in the gradebook (nbgrader's export, grades.csv, has them too: raw_score,
    late_submission_penalty, score)."""
    found = []
    with Gradebook(course.db_url) as gradebook:
        for assignment in gradebook.assignments:
            for submission in assignment.submissions:
                if submission.late_submission_penalty:
                    found.append(LatePenalty(submission.student.id, assignment.name,
                                             submission.late_submission_penalty,
                                             submission.total_seconds_late / 86400))
    return sorted(found, key=lambda p: (p.student, p.assignment))


def _notebook_grades(course, gradebook, assignment: str, notebook: str, student: str,
                     failure: str | None) -> list[ExerciseGrade]:
    graded = course.step("autograded") / student / assignment / f"{notebook}.ipynb"
    submitted = course.step("submitted") / student / assignment / f"{notebook}.ipynb"
    source = notebooks.read(course.source / assignment / f"{notebook}.ipynb")
    if graded.exists():
        outcomes = {name: diagnosis(cell) for name, cell in notebooks.check_cells(notebooks.read(graded))}
    else:
        why = f"not graded: {failure}" if failure else _missing(course, student, assignment, notebook) \
            if not submitted.exists() else "not graded"
        outcomes = {name: why for name, _cell in notebooks.check_cells(source)}
    rows = []
    for name, cell in notebooks.check_cells(source):
        max_score = float(notebooks.nbgrader_meta(cell)["points"])
        try:
            score = gradebook.find_grade(notebooks.nbgrader_meta(cell)["grade_id"], notebook, assignment,
                                         student).score or 0.0
        except MissingEntry:
            score = 0.0
        found = PASSED if score >= max_score else outcomes.get(name, "check cell missing from the graded notebook")
        rows.append(ExerciseGrade(student, assignment, notebook, name, score, max_score, found))
    return rows


def _missing(course: Course, student: str, assignment: str, notebook: str) -> str:
    """Why a notebook is not in a submission: not handed in, or handed in under another name."""
    stray = lms.stray_notebooks(course, student, assignment)
    if stray:
        return f"notebook renamed: handed in {', '.join(map(repr, stray))}, expected {notebook}.ipynb"
    return "notebook not submitted"


def diagnosis(cell) -> str:
    """One line on why a check cell failed, read from its outputs ("" when it has no error and no stderr)."""
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            first_line = (output.get("evalue") or "").strip().splitlines()[:1]
            text = first_line[0] if first_line else ""
            if output.get("ename") == "CheckFailed":
                return text.split(": ", 1)[-1]
            if output.get("ename") == "GradingRefused":  # "Grading: this notebook may not …, so this scores 0."
                return text.removeprefix("Grading: this notebook ").removesuffix(", so this scores 0.")
            return f"{output.get('ename')}: {text}"[:200]
        if output.get("output_type") == "stream" and output.get("name") == "stderr":
            return "wrote to stderr (nbgrader gives such a cell 0)"
    return ""


def table(rows: list[ExerciseGrade]) -> str:
    """The per-exercise grades as aligned text, one line per student and exercise."""
    lines = [f"{'student':<18} {'exercise':<22} {'score':>7}  diagnosis"]
    for row in sorted(rows, key=lambda r: (r.student, r.assignment, r.notebook)):
        lines.append(f"{row.student:<18} {row.exercise:<22} {row.score:>3g}/{row.max_score:<3g}  {row.diagnosis}")
    return "\n".join(lines)
