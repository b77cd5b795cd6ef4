"""`check`: what a notebook's test cells call."""
from __future__ import annotations

import copy
import sys
from typing import Any, Callable, Iterator

import numpy as np

from grader_tests import reference
from grader_tests.core import Exercise, Failure, run_case, structure_problem
from grader_tests.exercises import all_exercises

SEED = 20261128  # fixed, so that every student is graded on the same hidden inputs


class CheckFailed(AssertionError):
    """Raised by a failing check. The first line of the message is a one-line summary (it goes into the
    instructor's grades CSV); the rest is the explanation for the student."""

    def __init__(self, exercise: Exercise, failure: Failure):
        super().__init__(f"{exercise.signature}: {failure.summary}\n\n{failure.details.rstrip()}")
        self.summary = failure.summary

    def _render_traceback_(self) -> list[str]:
        """IPython shows this instead of a traceback: the frames are the check library's, not the student's."""
        first, *rest = str(self).splitlines()
        return [f"\x1b[0;31mCheckFailed\x1b[0m: {first}", *rest]


def check(name: str, *, hidden: bool = False) -> None:
    """Check the student's function `name`, as defined in the notebook that calls this.

    Prints one line on success; raises CheckFailed with a message for the learner otherwise.
    """
    exercise = all_exercises()[name]
    namespace = sys._getframe(1).f_globals
    function = _student_function(exercise, namespace)
    _refuse_reference_access(exercise, _evidence(function, namespace))
    if hidden and exercise.examples and reference.calls_reference(function, exercise.examples[0].args):
        _refuse_reference_access(exercise, [f"{exercise.name} calls the reference solution"])
    cases = list(_hidden_cases(exercise) if hidden else _visible_cases(exercise))
    noise: set[str] = set()
    for args, expected in cases:
        failure, outcome = run_case(exercise, function, args, expected)
        if failure is not None:
            raise CheckFailed(exercise, failure)
        noise.update(outcome.noise)
    structure = structure_problem(exercise, function)  # after the values: "not attempted" and named mistakes first
    if structure is not None:
        raise CheckFailed(exercise, structure)
    what = f"the reference on {len(cases)} hidden inputs" if hidden else _plural(len(cases), "worked example")
    print(f"✓ {exercise.signature} passes: it matches {what}.")
    for note in sorted(noise):
        print(f"  note (costs no marks): while being checked, your function issued {note}")


def _plural(count: int, noun: str) -> str:
    return f"the {noun}" if count == 1 else f"all {count} {noun}s"


def _student_function(exercise: Exercise, namespace: dict[str, Any]) -> Callable:
    function = namespace.get(exercise.name)
    if callable(function):
        return function
    found = "is not defined" if function is None else f"is a {type(function).__name__}, not a function"
    raise CheckFailed(exercise, Failure(
        "function not defined",
        f"`{exercise.name}` {found}. Run the cell that defines it (and the cells above it) first, and keep "
        f"its name and parameters exactly as given: def {exercise.signature}:"))


def _visible_cases(exercise: Exercise) -> Iterator[tuple[tuple, Any]]:
    for example in exercise.examples:
        yield example.args, example.expected


def _hidden_cases(exercise: Exercise) -> Iterator[tuple[tuple, Any]]:
    """The worked examples, then random inputs with the reference solution's answers."""
    yield from _visible_cases(exercise)
    solve = reference.lookup(exercise.name)
    rng = np.random.default_rng([SEED, sum(map(ord, exercise.name))])
    for _ in range(exercise.hidden_cases):
        args = exercise.random_case(rng)
        yield args, solve(*copy.deepcopy(args))


def _evidence(function: Callable, namespace: dict[str, Any]) -> list[str]:
    """Attempts on the reference that count against this function: those made from the cell that defines it,
    and those made from cells that define no graded function (there is no telling whom they served)."""
    def cell_of(value) -> str | None:
        return getattr(getattr(value, "__code__", None), "co_filename", None)

    answer_cells = {cell_of(namespace.get(name)) for name in all_exercises()} - {None}
    mine = cell_of(function)
    return [v.what for v in reference.violations() if mine in v.files or not v.files & answer_cells]


def _refuse_reference_access(exercise: Exercise, evidence: list[str]) -> None:
    """Fail when the notebook reached for the reference solutions (recorded only inside grading kernels)."""
    if evidence:
        raise CheckFailed(exercise, Failure(
            "used the reference solutions",
            "This notebook reached for the course's hidden reference solutions "
            f"({'; '.join(evidence[:3])}). That is not allowed, so this exercise scores 0. "
            "Write the function yourself."))
