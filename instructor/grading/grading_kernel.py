"""What a kernel gets before the first cell: a grading kernel its limits, a student's kernel in `make lab` a
guard on the course's private files.

A grading kernel's address space is capped (GRADING_MEMORY_MB, default 4096), so one submission cannot take
the machine down: a huge allocation raises MemoryError in that notebook only, and the cap is a hard limit that
the kernel cannot raise. Nothing else of the course runs in a grading kernel: the reference solutions and the
verdicts stay in the grader's process (instructor.grading.verdict), and the kernel runs in an operating-system sandbox
(instructor.grading.sandbox), which applies the cap with its other limits.

A student's kernel in `make lab` runs on the instructor's machine, outside any sandbox, so an IPython startup
file gives it an audit hook that refuses to open the course's private files (the solutions, the source
notebooks, the gradebook). It is a courtesy for a lab on the course's own machine, not a security boundary.
"""
from __future__ import annotations

import os
import resource
import sys
from pathlib import Path

SOLUTIONS = Path(__file__).resolve().parents[2] / "solutions"
PRIVATE_PATHS_VAR = "COURSE_PRIVATE_PATHS"
MEMORY_VAR = "GRADING_MEMORY_MB"
DEFAULT_MEMORY_MB = 4096
SHELL_EVENTS = ("os.system", "subprocess.Popen", "os.exec", "os.posix_spawn", "os.spawn")


def environment() -> dict[str, str]:
    """Environment variables for a process (nbgrader, nbclient) whose kernels grade."""
    env = dict(os.environ)
    env[MEMORY_VAR] = os.environ.get(MEMORY_VAR, str(DEFAULT_MEMORY_MB))
    # One BLAS thread per kernel: the parallelism is one worker per core, and a thread pool per kernel on
    # top of that only makes them compete for the same cores.
    env.update({name: "1" for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")})
    return env


def cap_memory(memory_bytes: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))


def student_environment(ipython_dir: Path, private_paths: list[Path]) -> dict[str, str]:
    """Write an IPython profile whose startup guards the private files; return the environment that selects it."""
    startup = ipython_dir / "profile_default" / "startup"
    startup.mkdir(parents=True, exist_ok=True)
    (startup / "00-course.py").write_text("import instructor.grading.grading_kernel\n"
                                          "instructor.grading.grading_kernel.start()\n")
    env = dict(os.environ)
    env.update({"IPYTHONDIR": str(ipython_dir),
                PRIVATE_PATHS_VAR: os.pathsep.join(str(p.resolve()) for p in private_paths)})
    return env


def start() -> None:
    """A student's kernel in `make lab`: refuse to open the private files."""
    private = [p for p in os.environ.pop(PRIVATE_PATHS_VAR, "").split(os.pathsep) if p] + [str(SOLUTIONS)]
    sys.addaudithook(_guard(private))


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
