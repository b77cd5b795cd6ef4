"""Moving gradebook contents between databases, through nbgrader's own API (so any database URL nbgrader
accepts works, SQLite or a server), as plain data that a grading task can carry.

A grading task grades in a private SQLite gradebook: the course's assignments, notebooks and cells
(`copy_assignments`, built once per run) and the course's record of the submission (`read_record` with
EVERYTHING, then `write_record` on the worker), so that nbgrader grades exactly as it would in the course
gradebook (an extension moves the due date of the late penalty, a manual score makes a regraded cell need
manual grading again, a late penalty of "zero" takes the score with its extra credit). What the task returns
is what autograding owns, and only that (`read_record` with AUTOGRADED), which the client writes into the
course gradebook (`write_record`, one transaction per result).

What autograding owns is what `nbgrader autograde --force` writes into an existing gradebook (nbgrader 0.9.6:
converters/autograde.py `init_assignment`, preprocessors/saveautogrades.py, preprocessors/latesubmissions.py):
- the student is created when missing, with no roster fields; an existing one is left as it is;
- the submission is created when missing; its timestamp is set from the submission's timestamp.txt (and kept
  when there is none); its extension is never written;
- each grade: auto_score, and needs_manual_grade (true when there is a manual score or no auto score);
- each comment: auto_comment;
- each submitted notebook: late_submission_penalty, recomputed from the timestamp, due date and extension.
Everything else is the instructor's and survives any number of regrades, as it does with plain nbgrader: the
roster (first and last name, e-mail, LMS id), manual scores, extra credit, manual comments, flags and
extensions.
"""
from __future__ import annotations

import warnings
from typing import Any, Iterable, NamedTuple

from nbgrader.api import Gradebook, MissingEntry
from sqlalchemy.exc import SAWarning


Record = dict[str, Any]  # one submission's fields as plain data: see read_record


class Fields(NamedTuple):
    """Which fields to copy, per record of a submission."""
    submission: tuple[str, ...]
    notebook: tuple[str, ...]
    grade: tuple[str, ...]
    comment: tuple[str, ...]


AUTOGRADED = Fields(submission=("timestamp",), notebook=("late_submission_penalty",),
                    grade=("auto_score", "needs_manual_grade"), comment=("auto_comment",))
EVERYTHING = Fields(submission=("timestamp", "extension"), notebook=("late_submission_penalty", "flagged"),
                    grade=("auto_score", "manual_score", "extra_credit", "needs_manual_grade"),
                    comment=("auto_comment", "manual_comment"))


def copy_assignments(source_url: str, target_url: str) -> None:
    """Give `target_url` the assignments, notebooks and cells of `source_url` (what autograde needs)."""
    with Gradebook(source_url) as source:
        assignments = list(source.assignments)
        course_id = assignments[0].course_id if assignments else "default_course"
        with Gradebook(target_url, course_id=course_id) as target:
            for assignment in assignments:
                target.update_or_create_assignment(assignment.name, duedate=assignment.duedate)
                for notebook in assignment.notebooks:
                    _copy_notebook(notebook, assignment.name, target)


def _copy_notebook(notebook, assignment: str, target: Gradebook) -> None:
    target.update_or_create_notebook(notebook.name, assignment)
    for cell in notebook.grade_cells:
        target.update_or_create_grade_cell(cell.name, notebook.name, assignment, max_score=cell.max_score,
                                           cell_type=cell.cell_type)
    for cell in notebook.solution_cells:
        target.update_or_create_solution_cell(cell.name, notebook.name, assignment)
    for cell in notebook.task_cells:
        target.update_or_create_task_cell(cell.name, notebook.name, assignment, max_score=cell.max_score,
                                          cell_type=cell.cell_type)
    for cell in notebook.source_cells:
        target.update_or_create_source_cell(cell.name, notebook.name, assignment, cell_type=cell.cell_type,
                                            locked=cell.locked, source=cell.source, checksum=cell.checksum)


def read_record(gradebook: Gradebook, student: str, assignment: str, fields: Fields,
                notebooks: Iterable[str] | None = None) -> Record | None:
    """A submission's `fields` (of those `notebooks` only, if given) as plain data; None if there is none."""
    try:
        submission = gradebook.find_submission(assignment, student)
    except MissingEntry:  # never graded before, or nbgrader failed before creating it
        return None
    wanted = None if notebooks is None else set(notebooks)
    return {"student": student, "assignment": assignment,
            "submission": _fields(submission, fields.submission),
            "notebooks": {notebook.name: {"notebook": _fields(notebook, fields.notebook),
                                          "grades": _by_name(notebook.grades, fields.grade),
                                          "comments": _by_name(notebook.comments, fields.comment)}
                          for notebook in submission.notebooks if wanted is None or notebook.name in wanted}}


def write_record(gradebook: Gradebook, record: Record, fields: Fields) -> None:
    """Set `fields` of a submission from a record (read_record's), creating the student and the submission as
    nbgrader does when they are missing (roster fields left alone). The caller commits."""
    with warnings.catch_warnings():
        # nbgrader's add_submission builds the submission before adding it to the session; SQLAlchemy warns
        # about that on autoflush, then the submission is added as intended (test_pipeline compares the result
        # with serial grading, score for score).
        warnings.simplefilter("ignore", SAWarning)
        gradebook.update_or_create_student(record["student"])
        submission = gradebook.update_or_create_submission(record["assignment"], record["student"])
        _set(submission, record["submission"], fields.submission)
        notebooks = {notebook.name: notebook for notebook in submission.notebooks}
        for name, values in record["notebooks"].items():
            notebook = notebooks[name]
            _set(notebook, values["notebook"], fields.notebook)
            _set_by_name(notebook.grades, values["grades"], fields.grade)
            _set_by_name(notebook.comments, values["comments"], fields.comment)


def _fields(source, fields: tuple[str, ...]) -> dict:
    return {field: getattr(source, field) for field in fields}


def _by_name(sources, fields: tuple[str, ...]) -> dict[str, dict]:
    return {source.name: _fields(source, fields) for source in sources}


def _set(target, values: dict, fields: tuple[str, ...]) -> None:
    for field in fields:
        setattr(target, field, values[field])


def _set_by_name(targets, values: dict[str, dict], fields: tuple[str, ...]) -> None:
    for target in targets:
        if target.name in values:
            _set(target, values[target.name], fields)
