"""Shared fixtures: the reference solutions for in-process checks, and a graded sample course."""
from __future__ import annotations

import inspect
import math
from pathlib import Path

import numpy as np
import pytest
from nbclient import NotebookClient

from grader_tests import check, reference
from grader_tests.exercises import all_exercises
from instructor import grading_kernel, notebooks, warm_kernels
from instructor.course import REPO

SOURCE = REPO / "notebooks"

EXERCISES = all_exercises()


@pytest.fixture(scope="session", autouse=True)
def reference_loaded():
    """In-process tests play the grading kernel: the reference solutions are registered."""
    grading_kernel.load_reference()


def run_check(name: str, function, hidden: bool = False) -> None:
    """Run check(name) the way a test cell does: from a namespace that defines the student's function."""
    namespace = {"check": check, name: function}
    exec(f"check({name!r}, hidden={hidden})", namespace)


def reference_function(name: str):
    return reference.lookup(name)


def reference_clone(name: str):
    """The reference solution as if a student had typed it in: same code, but not the grader's objects."""
    source = inspect.getsourcefile(reference.lookup(name))
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


def execute(notebook, cwd: Path, private_paths: list[Path] = (), kernel: str = warm_kernels.KERNEL_NAME):
    """Run a notebook top to bottom in a real grading kernel (by default the warm kind that autograde uses;
    "python3" for nbgrader's usual kind); errors stay in the outputs."""
    with warm_kernels.grading_in_this_process(list(private_paths)):
        client = NotebookClient(notebook, kernel_name=kernel, timeout=120, allow_errors=True,
                                resources={"metadata": {"path": str(cwd)}})
        client.execute()
    return notebook


def outputs_text(cell) -> str:
    parts = []
    for output in cell.get("outputs", []):
        parts.append(output.get("text", "") + output.get("evalue", "") + "".join(output.get("traceback", [])))
    return "".join(parts)
