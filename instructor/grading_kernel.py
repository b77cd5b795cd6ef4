"""What runs inside every grading kernel, and in a student's kernel in `make lab`, before the first cell.

`environment()` gives nbgrader (and the tests) an environment whose IPython profile has a startup file; the
kernel runs it first, and it calls `start()`. A grading kernel gets its memory capped (address space;
GRADING_MEMORY_MB, default 4096), so one submission cannot take the machine down: a huge allocation raises
MemoryError in that notebook only, and the cap cannot be raised again. Nothing else happens in the kernel: the
reference solutions and the verdicts stay in the grader's process (instructor.verdict), and the kernel runs in
an operating-system sandbox (instructor.sandbox).

A student's kernel in `make lab` runs on the instructor's machine, so its startup adds an audit hook that
refuses to open the course's private files (the solutions, the source notebooks, the gradebook).
"""
from __future__ import annotations

import contextlib
import os
import resource
import sys
import tempfile
from pathlib import Path
from typing import Iterator

SOLUTIONS = Path(__file__).resolve().parent.parent / "solutions"
PRIVATE_PATHS_VAR = "COURSE_PRIVATE_PATHS"
MEMORY_VAR = "GRADING_MEMORY_MB"
DEFAULT_MEMORY_MB = 4096
GRADING, STUDENT = "grading", "student"  # the two kinds of kernel this module sets up
SHELL_EVENTS = ("os.system", "subprocess.Popen", "os.exec", "os.posix_spawn", "os.spawn")


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
    private = [p for p in os.environ.pop(PRIVATE_PATHS_VAR, "").split(os.pathsep) if p] + [str(SOLUTIONS)]
    memory = int(os.environ.pop(MEMORY_VAR, DEFAULT_MEMORY_MB)) * 2**20
    if role == STUDENT:
        sys.addaudithook(_guard(private))
    else:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))


def _guard(private: list[str]):
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
        if (event == "import" and args and str(args[0]).split(".")[0] == "solutions"
                or event == "open" and args and is_private(args[0])
                or event.startswith(SHELL_EVENTS) and any(mentions_private(a) for a in args[:2])):
            raise PermissionError(f"This kernel may not read the course's private files ({event} {args[0]!r}).")

    return hook
