"""Copy the submissions a worker graded in its own gradebook into the course gradebook.

nbgrader's SQLite gradebook takes one writer at a time, so each grading worker writes to a private copy; this
moves the results across through nbgrader's own API (so any database URL nbgrader accepts works as the target).
A submission that is already in the course gradebook is replaced, as `nbgrader autograde --force` would.
"""
from __future__ import annotations

import warnings

from nbgrader.api import Gradebook, MissingEntry
from sqlalchemy.exc import SAWarning

GRADE_FIELDS = ("auto_score", "manual_score", "extra_credit", "needs_manual_grade")
COMMENT_FIELDS = ("auto_comment", "manual_comment")
STUDENT_FIELDS = ("first_name", "last_name", "email", "lms_user_id")


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
