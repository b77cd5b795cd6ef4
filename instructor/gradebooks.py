"""Moving gradebook contents between databases, through nbgrader's own API (so any database URL nbgrader
accepts works, SQLite or a server).

Grading workers cannot share one SQLite gradebook, so each gets a private SQLite gradebook holding the
course's assignments (`copy_assignments`); when it is done, the submissions it graded are copied into the
course gradebook (`merge`). A submission that is already there is replaced, as `nbgrader autograde --force`
would.
"""
from __future__ import annotations

import warnings

from nbgrader.api import Gradebook, MissingEntry
from sqlalchemy.exc import SAWarning

GRADE_FIELDS = ("auto_score", "manual_score", "extra_credit", "needs_manual_grade")
COMMENT_FIELDS = ("auto_comment", "manual_comment")
STUDENT_FIELDS = ("first_name", "last_name", "email", "lms_user_id")


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


def merge(source_url: str, target_url: str) -> int:
    """Copy every submission of `source_url` into `target_url`; returns how many were copied."""
    copied = 0
    with Gradebook(source_url) as source, Gradebook(target_url) as target, warnings.catch_warnings():
        # nbgrader's add_submission builds the submission before adding it to the session; SQLAlchemy warns
        # about that on autoflush, then the submission is added as intended (test_pipeline compares the result
        # with serial grading, score for score).
        warnings.simplefilter("ignore", SAWarning)
        for assignment in source.assignments:
            for submission in assignment.submissions:
                _copy_submission(submission, target)
                copied += 1
        target.db.commit()
    return copied


def _copy_submission(submission, target: Gradebook) -> None:
    student, assignment = submission.student, submission.assignment.name
    target.update_or_create_student(student.id, **{f: getattr(student, f) for f in STUDENT_FIELDS})
    try:
        target.remove_submission(assignment, student.id)
        target.db.commit()
    except MissingEntry:
        pass
    target.add_submission(assignment, student.id, timestamp=submission.timestamp, extension=submission.extension)
    for notebook in submission.notebooks:
        copy = target.find_submission_notebook(notebook.name, assignment, student.id)
        copy.flagged = notebook.flagged
        copy.late_submission_penalty = notebook.late_submission_penalty
        for grade in notebook.grades:
            _copy_fields(grade, target.find_grade(grade.name, notebook.name, assignment, student.id), GRADE_FIELDS)
        for comment in notebook.comments:
            _copy_fields(comment, target.find_comment(comment.name, notebook.name, assignment, student.id),
                         COMMENT_FIELDS)


def _copy_fields(source, target, fields: tuple[str, ...]) -> None:
    for field in fields:
        setattr(target, field, getattr(source, field))
