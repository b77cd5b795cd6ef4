"""What runs inside every grading kernel before the student's first cell.

`environment()` gives nbgrader (and the tests) an environment whose IPython profile has a startup file; the
kernel runs it first, and it calls `start()`, which
1. caps the kernel's memory (address space; GRADING_MEMORY_MB, default 4096), so one submission cannot take
   the machine down: a huge allocation raises MemoryError in that notebook only;
2. loads the reference solutions from `solutions/` by path into `grader_tests.reference`, without putting
   them on sys.path or in sys.modules, so the hidden checks can compare against them;
3. installs an audit hook (Python offers no way to remove one) that
   - refuses, and records, any later attempt to open, import or shell out to the private course files (the
     solutions, the source notebooks, the gradebook), noting which notebook cells were running;
   - refuses to raise the memory cap;
   - before any code that calls `check` runs, verifies that the check library is the one loaded at start
     (same modules, functions and code, and `check` itself) and refuses to run that code otherwise, so a
     notebook that monkeypatches the checks scores 0 on every check that follows.
The hidden checks give 0 to an exercise whose cell was caught reaching for the reference.

A student's kernel in `make lab` runs the same startup with role "student": only the guard on private files.
"""
from __future__ import annotations

import builtins
import contextlib
import importlib.util
import os
import resource
import sys
import tempfile
import types
from pathlib import Path
from typing import Callable, Iterator

SOLUTIONS = Path(__file__).resolve().parent.parent / "solutions"
PRIVATE_PATHS_VAR = "COURSE_PRIVATE_PATHS"
MEMORY_VAR = "GRADING_MEMORY_MB"
DEFAULT_MEMORY_MB = 4096
GRADING, STUDENT = "grading", "student"  # the two kinds of kernel this module sets up
SHELL_EVENTS = ("os.system", "subprocess.Popen", "os.exec", "os.posix_spawn", "os.spawn")
LIBRARY_DIRS = tuple({sys.prefix, sys.base_prefix, str(Path(__file__).resolve().parent.parent / "grader_tests"),
                      str(Path(__file__).resolve().parent)})


@contextlib.contextmanager
def environment(private_paths: list[Path]) -> Iterator[dict[str, str]]:
    """Environment variables for a process (nbgrader, nbclient) whose kernels must grade."""
    with tempfile.TemporaryDirectory(prefix="grading-ipython-") as ipython_dir:
        env = kernel_environment(Path(ipython_dir), GRADING, private_paths)
        # One BLAS thread per kernel: the parallelism is one worker per core, and a thread pool per kernel on
        # top of that only makes them compete for the same cores.
        env.update({name: "1" for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")})
        yield env


def kernel_environment(ipython_dir: Path, role: str, private_paths: list[Path]) -> dict[str, str]:
    """Write an IPython profile whose startup calls start(role); return the environment that selects it."""
    startup = ipython_dir / "profile_default" / "startup"
    startup.mkdir(parents=True, exist_ok=True)
    (startup / "00-course.py").write_text(f"import instructor.grading_kernel\n"
                                          f"instructor.grading_kernel.start({role!r})\n")
    env = dict(os.environ)
    env.update({
        "IPYTHONDIR": str(ipython_dir),
        PRIVATE_PATHS_VAR: os.pathsep.join(str(p.resolve()) for p in private_paths),
        MEMORY_VAR: os.environ.get(MEMORY_VAR, str(DEFAULT_MEMORY_MB)),
    })
    return env


def start(role: str = GRADING) -> None:
    """Grading kernels get all of the above; a student's kernel (make lab) only the guard on private files."""
    from grader_tests import reference
    from grader_tests.exercises import all_exercises

    private = [p for p in os.environ.pop(PRIVATE_PATHS_VAR, "").split(os.pathsep) if p] + [str(SOLUTIONS)]
    memory = int(os.environ.pop(MEMORY_VAR, DEFAULT_MEMORY_MB)) * 2**20
    if role == STUDENT:
        sys.addaudithook(_guard(private, reference, changed_checks=lambda: None))
        return
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    load_reference()
    all_exercises()  # import every exercise module now, so that the snapshot below covers them
    sys.addaudithook(_guard(private, reference, _check_library_snapshot()))


def load_reference() -> None:
    """Register every function of solutions/*.py with the hidden checks."""
    from grader_tests import reference

    reference.register([_load(path) for path in sorted(SOLUTIONS.glob("[!_]*.py"))])


def _load(path: Path):
    spec = importlib.util.spec_from_file_location(f"_reference_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _check_library_snapshot() -> Callable[[], str | None]:
    """A function that says what changed in the check library since now, or None."""
    from grader_tests import check

    modules = {name: module for name, module in sys.modules.items() if name.split(".")[0] == "grader_tests"}
    contents = {name: dict(vars(module)) for name, module in modules.items()}
    code = {(name, key): value.__code__ for name, names in contents.items() for key, value in names.items()
            if isinstance(value, types.FunctionType)}
    notebook = vars(sys.modules["__main__"])

    def changed() -> str | None:
        for name, module in modules.items():
            if sys.modules.get(name) is not module:
                return f"replaced the module {name}"
            current = vars(module)
            for key, value in contents[name].items():
                if current.get(key) is not value:
                    return f"changed {name}.{key}"
        for (name, key), original in code.items():
            if contents[name][key].__code__ is not original:
                return f"changed the code of {name}.{key}"
        for where, names in (("the notebook", notebook), ("builtins", vars(builtins))):
            if names.get("check", check) is not check:
                return f"replaced check in {where}"
        return None

    return changed


def _guard(private: list[str], reference, changed_checks: Callable[[], str | None]):
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
            refuse(f"import {args[0]}", "read the course's private files")
        elif event == "open" and args and is_private(args[0]):
            refuse(f"opened {args[0]}", "read the course's private files")
        elif event.startswith(SHELL_EVENTS) and any(mentions_private(a) for a in args[:2]):
            refuse(f"ran a command that names private course files ({event})", "read the course's private files")
        elif event == "resource.setrlimit":
            refuse("tried to change the memory limit", "change the grading limits")
        elif event == "exec" and args and "check" in getattr(args[0], "co_names", ()):
            tampering = changed_checks()
            if tampering:
                refuse(tampering, "change the checks", cells=frozenset())

    def refuse(what: str, verb: str, cells: frozenset[str] | None = None) -> None:
        reference.record_violation(reference.Violation(what, _notebook_cells() if cells is None else cells))
        raise reference.GradingRefused(f"Grading: this notebook may not {verb} ({what}), so this scores 0.")

    return hook


def _notebook_cells() -> frozenset[str]:
    """The code files of the notebook's own cells that are on the stack (not the libraries')."""
    frame, files = sys._getframe(2), set()
    while frame is not None:
        name = frame.f_code.co_filename
        if not name.startswith(LIBRARY_DIRS) and not name.startswith("<frozen"):
            files.add(name)
        frame = frame.f_back
    return frozenset(files)
