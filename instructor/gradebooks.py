"""Moving gradebook contents between databases, through nbgrader's own API (so any database URL nbgrader
accepts works, SQLite or a server).

Grading workers cannot share one SQLite gradebook, so each gets a private SQLite gradebook (`private_copy`)
holding the course's assignments and the course's records of the submissions about to be graded: nbgrader
then grades in the worker exactly as it would in the course gradebook (an extension moves the due date of
the late penalty, a manual score makes a regraded cell need manual grading again, a late penalty of "zero"
takes the score with its extra credit). When a worker is done, `merge` copies back into the course gradebook
what autograding owns, and only that.

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
from typing import Iterable, NamedTuple

from nbgrader.api import Gradebook, MissingEntry
from sqlalchemy.exc import SAWarning


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


def private_copy(course_url: str, target_url: str, submissions: Iterable[tuple[str, str]]) -> None:
    """Give `target_url` what autograde reads: the course's assignments, notebooks and cells, and the course's
    records of `submissions` ((student, assignment) pairs; those not in the course gradebook yet are left for
    nbgrader to create)."""
    copy_assignments(course_url, target_url)
    _copy_submissions(course_url, target_url, submissions, EVERYTHING)


def merge(worker_url: str, course_url: str, submissions: Iterable[tuple[str, str]]) -> int:
    """Copy what autograding owns of `submissions` from a worker's gradebook into the course gradebook;
    returns how many were copied."""
    return _copy_submissions(worker_url, course_url, submissions, AUTOGRADED)


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


def _copy_submissions(source_url: str, target_url: str, submissions: Iterable[tuple[str, str]],
                      fields: Fields) -> int:
    copied = 0
    with Gradebook(source_url) as source, Gradebook(target_url) as target, warnings.catch_warnings():
        # nbgrader's add_submission builds the submission before adding it to the session; SQLAlchemy warns
        # about that on autoflush, then the submission is added as intended (test_pipeline compares the result
        # with serial grading, score for score).
        warnings.simplefilter("ignore", SAWarning)
        for student, assignment in submissions:
            try:
                submission = source.find_submission(assignment, student)
            except MissingEntry:  # never graded before (seeding), or nbgrader failed before creating it
                continue
            _copy_submission(submission, target, fields)
            copied += 1
        target.db.commit()
    return copied


def _copy_submission(submission, target: Gradebook, fields: Fields) -> None:
    student, assignment = submission.student.id, submission.assignment.name
    target.update_or_create_student(student)  # as nbgrader does: created when missing, roster left alone
    copy = target.update_or_create_submission(assignment, student)
    _copy_fields(submission, copy, fields.submission)
    copies = {notebook.name: notebook for notebook in copy.notebooks}
    for notebook in submission.notebooks:
        notebook_copy = copies[notebook.name]
        _copy_fields(notebook, notebook_copy, fields.notebook)
        _copy_by_name(notebook.grades, notebook_copy.grades, fields.grade)
        _copy_by_name(notebook.comments, notebook_copy.comments, fields.comment)


def _copy_by_name(sources, targets, fields: tuple[str, ...]) -> None:
    copies = {target.name: target for target in targets}
    for source in sources:
        _copy_fields(source, copies[source.name], fields)


def _copy_fields(source, target, fields: tuple[str, ...]) -> None:
    for field in fields:
        setattr(target, field, getattr(source, field))
