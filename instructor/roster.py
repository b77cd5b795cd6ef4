"""`make roster FILE=roster.csv`: the class list into the gradebook, through nbgrader's API.

The CSV has a header row naming its columns, in any order: id (required: the student id nbgrader uses, the
name of the student's folder in submitted/), first_name, last_name, email, lms_id (the student's id in the
LMS: Canvas's user id, or Moodle's ID number; the LMS exports and zip_collect use it). Every row is checked
first; one bad row and nothing is imported, and every bad row is named with what is wrong.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from nbgrader.api import Gradebook

COLUMNS = ("id", "first_name", "last_name", "email", "lms_id")
REQUIRED = ("id",)
# A student id becomes a folder name and part of the exchange's file names ("student+assignment+time").
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_EMAIL = re.compile(r"[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>.]+")


@dataclass(frozen=True)
class Student:
    id: str
    first_name: str | None = None  # None: the roster file has no such column (the gradebook's value is kept)
    last_name: str | None = None
    email: str | None = None
    lms_id: str | None = None

    @property
    def full_name(self) -> str:
        return f"{self.first_name or ''} {self.last_name or ''}".strip()


class RosterError(ValueError):
    """The roster file cannot be imported; the message names every bad row and what is wrong with it."""


def read(path: Path) -> list[Student]:
    """The students of a roster CSV, or RosterError naming each bad row (rows are numbered as a spreadsheet
    shows them: the header is row 1)."""
    if not path.is_file():
        raise RosterError(f"{path}: no such file; give a CSV with the columns {', '.join(COLUMNS)}")
    with path.open(newline="", encoding="utf-8-sig") as handle:  # utf-8-sig: a spreadsheet's byte-order mark
        rows = list(csv.reader(handle))
    if not rows:
        raise RosterError(f"{path}: empty; the first row must name the columns ({', '.join(COLUMNS)})")
    header = [name.strip().lower() for name in rows[0]]
    unknown = [name for name in header if name not in COLUMNS]
    missing = [name for name in REQUIRED if name not in header]
    if unknown or missing or len(set(header)) != len(header):
        problem = (f"unknown column {', '.join(map(repr, unknown))}" if unknown else
                   f"no {', '.join(missing)} column" if missing else "a column named twice")
        raise RosterError(f"{path}: row 1 (the header): {problem}; the columns accepted are "
                          f"{', '.join(COLUMNS)} (id required), in any order")
    students, problems, seen = [], [], {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue  # a blank line, as spreadsheets leave at the end
        if len(row) != len(header):
            problems.append(f"row {number}: {len(row)} values, the header has {len(header)} columns")
            continue
        values = {name: cell.strip() for name, cell in zip(header, row)}
        student = Student(**values)
        if not student.id:
            problems.append(f"row {number}: no id")
        elif not _ID.fullmatch(student.id):
            problems.append(f"row {number}: id {student.id!r} may hold only letters, digits, '.', '_' and '-' "
                            f"(it becomes a folder name)")
        elif student.id in seen:
            problems.append(f"row {number}: id {student.id!r} is already on row {seen[student.id]}")
        else:
            seen[student.id] = number
        if student.email and not _EMAIL.fullmatch(student.email):
            problems.append(f"row {number}: e-mail {student.email!r} is not an address like name@example.org")
        students.append(student)
    if problems:
        raise RosterError(f"{path}: nothing imported, {len(problems)} bad row{'s' if len(problems) > 1 else ''}:\n  "
                          + "\n  ".join(problems))
    return students


def import_roster(path: Path, db_url: str) -> list[Student]:
    """Read the roster and create or update each student in the gradebook (grades are left alone)."""
    students = read(path)
    with Gradebook(db_url) as gradebook:
        for student in students:
            fields = {"first_name": student.first_name, "last_name": student.last_name, "email": student.email,
                      "lms_user_id": student.lms_id}
            # a column the file has sets the field (an empty cell clears it); one it lacks leaves it alone
            gradebook.update_or_create_student(student.id, **{name: value or None for name, value in fields.items()
                                                              if value is not None})
    return students


def from_gradebook(db_url: str) -> dict[str, Student]:
    """Every student of the gradebook, by id, with their roster fields ("" where empty)."""
    with Gradebook(db_url) as gradebook:
        return {s.id: Student(s.id, s.first_name or "", s.last_name or "", s.email or "", s.lms_user_id or "")
                for s in gradebook.students}
