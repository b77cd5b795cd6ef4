"""Shared helpers: checks run in this process (the visible ones as a kernel runs them, the hidden ones as the
kernel hands over and the grader judges), the reference solutions, and notebooks run in real kernels."""
from __future__ import annotations

import inspect
import json
import math
from pathlib import Path

import numpy as np
from nbclient import NotebookClient

from grader_tests import CheckFailed, answers, check
from grader_tests.checking import passed
from grader_tests.core import source_of
from grader_tests.exercises import all_exercises
from instructor import notebooks
from instructor.grading import verdict, warm_kernels
from instructor.course import REPO

SOURCE = REPO / "notebooks"

EXERCISES = all_exercises()


def run_check(name: str, function, hidden: bool = False) -> None:
    """The visible check: run check(name) the way a test cell does, from a namespace that defines the student's
    function. The hidden check: what the kernel hands over (through JSON, as in a notebook's output), then the
    grader's verdict; raises CheckFailed or prints the line the graded cell would show."""
    if not hidden:
        exec(f"check({name!r})", {"check": check, name: function})
        return
    exercise = EXERCISES[name]
    handed = json.loads(json.dumps(answers.hand_over(exercise, function)))
    failure, noise = verdict.verdict(exercise, handed, source_of(function))
    if failure is not None:
        raise CheckFailed(exercise, failure)
    print(passed(exercise, "the reference on the hidden inputs", noise))


def reference_function(name: str):
    return verdict.reference()[name]


def reference_clone(name: str):
    """The reference solution as if a student had typed it in: same code, but not the grader's objects."""
    source = inspect.getsourcefile(reference_function(name))
    namespace = {}
    exec(compile(Path(source).read_text(), source, "exec"), namespace)  # a new code object, same file
    return namespace[name]


def taught_answers() -> dict:
    """The functions each source notebook's answer cells define (what the notebook teaches students to write)."""
    namespace = {"np": np, "math": math}
    for path in sorted(SOURCE.glob("*/*.ipynb")):
        for source in notebooks.taught_answers(path).values():
            exec(source, namespace)
    return {name: namespace[name] for name in EXERCISES}


def execute(notebook, cwd: Path, kernel: str = warm_kernels.KERNEL_NAME):
    """Run a notebook top to bottom in a real grading kernel (by default the sandboxed warm kind that autograde
    uses; "python3" for nbgrader's usual kind); errors stay in the outputs."""
    with warm_kernels.grading_in_this_process():
        config = warm_kernels.client_config() if kernel == warm_kernels.KERNEL_NAME else None
        client = NotebookClient(notebook, kernel_name=kernel, timeout=120, allow_errors=True, config=config,
                                resources={"metadata": {"path": str(cwd)}})
        client.execute()
    return notebook


def outputs_text(cell) -> str:
    parts = []
    for output in cell.get("outputs", []):
        parts.append(output.get("text", "") + output.get("evalue", "") + "".join(output.get("traceback", [])))
    return "".join(parts)
