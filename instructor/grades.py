"""Grades: nbgrader's grades.csv, and a CSV with one row per student, notebook and exercise, saying why."""
from __future__ import annotations

import csv
from dataclasses import asdict, dataclass
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry

from instructor import notebooks
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
    rows = []
    with Gradebook(course.db_url) as gradebook:
        for assignment in gradebook.assignments:
            for notebook in assignment.notebooks:
                for student in gradebook.students:
                    rows += _notebook_grades(course, gradebook, assignment.name, notebook, student.id)
    return rows


def _notebook_grades(course, gradebook, assignment: str, notebook, student: str) -> list[ExerciseGrade]:
    path = course.step("autograded") / student / assignment / f"{notebook.name}.ipynb"
    if not path.exists():
        return []
    outcomes = {name: diagnosis(cell) for name, cell in notebooks.check_cells(notebooks.read(path))}
    rows = []
    for grade_cell in notebook.grade_cells:
        try:
            grade = gradebook.find_grade(grade_cell.name, notebook.name, assignment, student)
        except MissingEntry:
            continue
        exercise = grade_cell.name.removeprefix(notebooks.CHECK_PREFIX)
        score = grade.score or 0.0
        found = outcomes.get(exercise, "check cell missing from the graded notebook")
        if score >= grade.max_score:
            found = PASSED
        rows.append(ExerciseGrade(student, assignment, notebook.name, exercise, score, grade.max_score, found))
    return rows


def diagnosis(cell) -> str:
    """One line on why a check cell failed, read from its outputs ("" when it has no error and no stderr)."""
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            first_line = (output.get("evalue") or "").strip().splitlines()[:1]
            text = first_line[0] if first_line else ""
            if output.get("ename") == "CheckFailed":
                return text.split(": ", 1)[-1]
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
