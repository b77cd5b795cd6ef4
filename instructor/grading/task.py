"""One grading task: one submitted notebook, graded by nbgrader in the worker's own process.

A task receives plain data and bytes, never a path of the course: the notebook, its timestamp, the course's
record of the submission (so that an extension moves the late penalty's due date), and the names of the
assignment's notebooks the student did not submit. What every task of a run shares (`Material`: the
gradebook's assignments, the source folders' other files, the reference solutions' sources, nbgrader's options)
reaches each worker once, with its plugin (see worker). The task lays out a private course root in a temporary
folder, runs nbgrader's Autograde converter on it with this course's configuration (config.nbgrader_config) and
returns the graded notebook's folder as bytes and what autograding owns of the grades as plain data.
"""
from __future__ import annotations

import logging
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.api import Gradebook
from nbgrader.converters import Autograde
from nbgrader.converters.base import NbGraderException
from nbgrader.coursedir import CourseDirectory
from sqlalchemy.exc import SAWarning

from instructor import schedule
from instructor.grading import config, gradebooks, warm_kernels


@dataclass(frozen=True)
class Material:
    """What every task of a run needs besides its own submission."""
    gradebook: bytes  # a SQLite gradebook holding the course's assignments, notebooks and cells
    sources: dict[str, dict[str, bytes]]  # assignment -> the source folder's files other than notebooks
    solutions: dict[str, str]  # the reference solutions' source files, {file name: text}
    arguments: tuple[str, ...] = ()  # nbgrader options for this run (`--Execute.timeout=5`)
    course_file: bytes | None = None  # course.toml: due dates and the late policy (instructor.schedule)


@dataclass(frozen=True)
class Submission:
    """What one task receives: one submitted notebook."""
    student: str
    assignment: str
    notebook: str  # its name, without .ipynb
    content: bytes
    timestamp: str | None  # timestamp.txt of the submission, if there is one
    record: gradebooks.Record | None  # the course's record of this submission (all fields), if any
    not_submitted: tuple[str, ...] = ()  # notebooks of the assignment the student did not hand in

    @property
    def submission_id(self) -> str:
        return f"{self.student}/{self.assignment}"


@dataclass
class Result:
    """What one task returns."""
    student: str
    assignment: str
    notebook: str
    files: dict[str, bytes] = field(default_factory=dict)  # autograded/<student>/<assignment>/, by name
    record: gradebooks.Record | None = None  # what autograding owns of the submission's grades
    failure: str | None = None  # why nbgrader could not grade it
    seconds: float = 0.0  # on the worker

    @property
    def submission_id(self) -> str:
        return f"{self.student}/{self.assignment}"


def grade(task: Submission, material: Material, env: dict[str, str]) -> Result:
    """Grade one notebook with nbgrader, in a private course root; `env`: the worker's warm-kernel server's."""
    started = time.perf_counter()
    result = Result(task.student, task.assignment, task.notebook)
    with tempfile.TemporaryDirectory(prefix="grading-task-") as folder:
        root = Path(folder)
        db_url = _lay_out(root, task, material)
        result.failure = _autograde(root, db_url, task, material, env)
        graded = root / "autograded" / task.student / task.assignment
        result.files = {str(path.relative_to(graded)): path.read_bytes()
                        for path in sorted(graded.rglob("*")) if path.is_file()}
        with Gradebook(db_url) as gradebook:
            result.record = gradebooks.read_record(gradebook, task.student, task.assignment, gradebooks.AUTOGRADED,
                                                   notebooks=(task.notebook, *task.not_submitted))
    result.seconds = time.perf_counter() - started
    return result


def _lay_out(root: Path, task: Submission, material: Material) -> str:
    """The private course root: the gradebook, the source folder's other files, the submission."""
    gradebook = root / "gradebook.db"
    gradebook.write_bytes(material.gradebook)
    db_url = f"sqlite:///{gradebook}"
    if task.record is not None:
        with Gradebook(db_url) as private:
            gradebooks.write_record(private, task.record, gradebooks.EVERYTHING)
            private.db.commit()
    source = root / "notebooks" / task.assignment
    source.mkdir(parents=True)
    for name, content in material.sources.get(task.assignment, {}).items():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_bytes(content)
    if material.course_file is not None:
        (root / schedule.COURSE_FILE).write_bytes(material.course_file)
    submitted = root / "submitted" / task.student / task.assignment
    submitted.mkdir(parents=True)
    (submitted / f"{task.notebook}.ipynb").write_bytes(task.content)
    if task.timestamp is not None:
        (submitted / "timestamp.txt").write_text(task.timestamp)
    return db_url


def _autograde(root: Path, db_url: str, task: Submission, material: Material, env: dict[str, str]) -> str | None:
    """nbgrader's Autograde, as `nbgrader autograde --force` runs it; returns why it failed, or None."""
    settings = config.nbgrader_config()
    settings.merge(config.overrides(material.arguments))
    settings.merge(warm_kernels.client_config(env))
    settings.Execute.kernel_name = warm_kernels.KERNEL_NAME
    settings.JudgeChecks.solutions = material.solutions
    settings.CourseDirectory.merge({"root": str(root), "db_url": db_url, "assignment_id": task.assignment,
                                    "student_id": task.student, "notebook_id": task.notebook})
    log = _Errors()
    converter = Autograde(coursedir=CourseDirectory(config=settings), config=settings, log=log.logger)
    converter.force = True
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SAWarning)  # nbgrader's add_submission: see gradebooks.write_record
        try:
            converter.start()
        except NbGraderException:
            return log.reason()
    return None


class _Errors(logging.Handler):
    """nbgrader's log for one task, of which only the errors are kept: the last line of the traceback it logs
    for a notebook it could not grade is the reason given."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.messages: list[str] = []
        self.logger = logging.Logger("nbgrader", logging.ERROR)  # not registered: it goes with the task
        self.logger.addHandler(self)

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())

    def reason(self) -> str:
        for message in self.messages:
            if message.startswith("Traceback"):
                lines = [line.strip() for line in message.splitlines() if line.strip()]
                return lines[-1]
        return self.messages[0] if self.messages else "nbgrader reported an error"
