"""Where a course's files live, and how nbgrader is run on them.

The real course is rooted at the repository root (nbgrader's standard layout). `make demo` and the tests use
a separate root (`demo/`, or a temporary folder) whose `notebooks/` links to the repository's, so that sample
students never mix with real submissions.
"""
from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from nbgrader.api import Gradebook
from traitlets.config.loader import PyFileConfigLoader

from instructor.grading import grading_kernel

REPO = Path(__file__).resolve().parent.parent
CONFIG = REPO / "nbgrader_config.py"
PLAIN_AUTOGRADE_VAR = "COURSE_PLAIN_AUTOGRADE"  # set: plain `nbgrader autograde` may run (see nbgrader_config.py)


@dataclass(frozen=True)
class Course:
    root: Path
    database: str | None = None  # a SQLAlchemy URL; None: the SQLite file gradebook.db at the root

    @classmethod
    def configured(cls, root: Path) -> "Course":
        """The course at `root`, with the gradebook URL set in nbgrader_config.py (CourseDirectory.db_url)."""
        config = PyFileConfigLoader(CONFIG.name, path=str(CONFIG.parent)).load_config()
        return cls(root, config.CourseDirectory.get("db_url") or None)

    @property
    def source(self) -> Path:
        return self.root / "notebooks"

    def step(self, name: str) -> Path:
        """One of nbgrader's step folders: release, submitted, autograded, feedback."""
        return self.root / name

    @property
    def gradebook(self) -> Path:
        return self.root / "gradebook.db"

    @property
    def failures_file(self) -> Path:
        """Submissions the last autograde could not grade, with the reason: {"student/assignment": reason}."""
        return self.root / "autograde_failures.json"

    @property
    def db_url(self) -> str:
        return self.database or f"sqlite:///{self.gradebook}"

    @property
    def assignments(self) -> list[str]:
        return sorted(p.name for p in self.source.iterdir() if p.is_dir() and any(p.glob("*.ipynb")))

    def has_assignments(self) -> bool:
        if self.database is None and not self.gradebook.exists():
            return False
        with Gradebook(self.db_url) as gradebook:
            return bool(gradebook.assignments)

    def students(self) -> list[str]:
        submitted = self.step("submitted")
        return sorted(p.name for p in submitted.iterdir() if p.is_dir()) if submitted.is_dir() else []

    def submissions(self, students: list[str] | None = None, assignments: list[str] | None = None
                    ) -> list[tuple[str, str]]:
        """(student, assignment) of every submission in submitted/; with `students` or `assignments`, of
        theirs only."""
        return [(student, assignment) for student in students or self.students()
                for assignment in assignments or self.assignments
                if (self.step("submitted") / student / assignment).is_dir()]

    def nbgrader(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        """Run one nbgrader command on this course. `autograde` this way is plain nbgrader, unsandboxed: the
        tests and the bench compare with it; nbgrader_config.py refuses it to anyone else."""
        # the URL is always given, so that a db_url in nbgrader_config.py never reaches a demo or test course
        command = [sys.executable, "-m", "nbgrader", *args, f"--CourseDirectory.root={self.root}",
                   f"--CourseDirectory.db_url={self.db_url}"]
        # nbgrader reads nbgrader_config.py from its working directory: the repository's, for every root
        env = dict(grading_kernel.environment(), **{PLAIN_AUTOGRADE_VAR: "1"})
        result = subprocess.run(command, cwd=REPO, env=env, text=True, capture_output=True)
        if check and result.returncode != 0:
            raise NbgraderFailed(args[0], result)
        return result

    def private_paths(self) -> list[Path]:
        """What a student's notebook must never read while it is graded."""
        return [grading_kernel.SOLUTIONS, self.source.resolve(), self.gradebook]


def demo_course(root: Path) -> Course:
    """A course in its own folder that shares the repository's source notebooks."""
    root.mkdir(parents=True, exist_ok=True)
    link = root / "notebooks"
    if not link.exists():
        link.symlink_to(REPO / "notebooks", target_is_directory=True)
    return Course(root)


class NbgraderFailed(RuntimeError):
    def __init__(self, command: str, result: subprocess.CompletedProcess):
        tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-15:])
        super().__init__(f"nbgrader {command} failed (exit code {result.returncode}):\n{tail}")

