"""What runs inside every grading kernel before the student's first cell.

`environment()` gives nbgrader (and the tests) an environment whose IPython profile has a startup file; the
kernel runs it first, and it calls `start()`, which
1. loads the reference solutions from `solutions/` by path into `grader_tests.reference`, without putting
   them on sys.path or in sys.modules, so the hidden checks can compare against them;
2. installs an audit hook (it cannot be removed) that refuses, and records, any later attempt to open,
   import or shell out to the private course files: the solutions, the source notebooks, the gradebook.
The hidden checks give 0 to an exercise when anything was recorded.
"""
from __future__ import annotations

import contextlib
import importlib.util
import os
import sys
import tempfile
from pathlib import Path
from typing import Iterator

SOLUTIONS = Path(__file__).resolve().parent.parent / "solutions"
PRIVATE_PATHS_VAR = "COURSE_PRIVATE_PATHS"
STARTUP = "import instructor.grading_kernel\ninstructor.grading_kernel.start()\n"
WATCHED_EVENTS = ("open", "os.system", "subprocess.Popen", "os.exec", "os.posix_spawn", "os.spawn")


@contextlib.contextmanager
def environment(private_paths: list[Path]) -> Iterator[dict[str, str]]:
    """Environment variables for a process (nbgrader, nbclient) whose kernels must grade."""
    with tempfile.TemporaryDirectory(prefix="grading-ipython-") as ipython_dir:
        startup = Path(ipython_dir, "profile_default", "startup")
        startup.mkdir(parents=True)
        (startup / "00-grading.py").write_text(STARTUP)
        env = dict(os.environ)
        env.update({
            "IPYTHONDIR": ipython_dir,
            PRIVATE_PATHS_VAR: os.pathsep.join(str(p.resolve()) for p in private_paths),
            # nbgrader runs `alembic` from PATH: put this interpreter's bin/ first
            "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
        })
        yield env


def start() -> None:
    from grader_tests import reference

    load_reference()
    private = [p for p in os.environ.pop(PRIVATE_PATHS_VAR, "").split(os.pathsep) if p]
    sys.addaudithook(_guard(private + [str(SOLUTIONS)], reference.record_violation))


def load_reference() -> None:
    """Register every function of solutions/*.py with the hidden checks."""
    from grader_tests import reference

    reference.register([_load(path) for path in sorted(SOLUTIONS.glob("[!_]*.py"))])


def _load(path: Path):
    spec = importlib.util.spec_from_file_location(f"_reference_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _guard(private: list[str], record):
    def is_private(target) -> bool:
        if isinstance(target, bytes):
            target = os.fsdecode(target)
        if not isinstance(target, str):
            return False
        resolved = os.path.realpath(target)
        return any(resolved == p or resolved.startswith(p + os.sep) for p in private)

    def mentions_private(argument) -> bool:
        text = " ".join(map(str, argument)) if isinstance(argument, (list, tuple)) else str(argument)
        return "solutions" in text or any(p in text for p in private)

    def hook(event: str, args: tuple) -> None:
        if event == "import" and args and str(args[0]).split(".")[0] == "solutions":
            refuse(f"import {args[0]}")
        elif event == "open" and args and is_private(args[0]):
            refuse(f"opened {args[0]}")
        elif event.startswith(WATCHED_EVENTS[1:]) and any(mentions_private(a) for a in args[:2]):
            refuse(f"ran a command that names private course files ({event})")

    def refuse(what: str) -> None:
        record(what)
        raise PermissionError(f"Grading: this notebook may not read the course's private files ({what}).")

    return hook
