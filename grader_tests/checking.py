"""`check`: what a notebook's test cells call."""
from __future__ import annotations

import sys
from typing import Any, Callable

from grader_tests import answers
from grader_tests.core import Exercise, Failure, message, run_case, source_of, structure_problem
from grader_tests.exercises import all_exercises


class CheckFailed(AssertionError):
    """Raised by a failing check. The first line of the message is a one-line summary (it goes into the
    instructor's grades CSV); the rest is the explanation for the student."""

    def __init__(self, exercise: Exercise, failure: Failure):
        super().__init__(message(exercise, failure))
        self.summary = failure.summary

    def _render_traceback_(self) -> list[str]:
        """IPython shows this instead of a traceback: the frames are the check library's, not the student's."""
        return rendered(str(self))


def rendered(text: str) -> list[str]:
    """A check's failure message as the lines of an error output (the grader writes its verdicts this way)."""
    first, *rest = text.splitlines()
    return [f"\x1b[0;31mCheckFailed\x1b[0m: {first}", *rest]


def check(name: str, *, hidden: bool = False) -> None:
    """Check the student's function `name`, as defined in the notebook that calls this.

    check(name): the worked examples from the notebook text. Prints one line on success; raises CheckFailed
    with a message for the learner otherwise.
    check(name, hidden=True): only when the notebook is graded. Hands what the function answers on the hidden
    inputs to the grader, which judges them outside this kernel (see grader_tests.answers).
    """
    exercise = all_exercises()[name]
    namespace = sys._getframe(1).f_globals
    if hidden:
        _hand_over(exercise, namespace)
        return
    function = _student_function(exercise, namespace)
    noise: set[str] = set()
    for example in exercise.examples:
        failure, outcome = run_case(exercise, function, example.args, example.expected)
        if failure is not None:
            raise CheckFailed(exercise, failure)
        noise.update(outcome.noise)
    structure = structure_problem(exercise, source_of(function))  # after the values: named mistakes first
    if structure is not None:
        raise CheckFailed(exercise, structure)
    print(passed(exercise, _plural(len(exercise.examples), "worked example"), noise))


def passed(exercise: Exercise, what: str, noise: set[str]) -> str:
    """The line a passing check prints, with any warnings the function issued as notes."""
    notes = [f"\n  note (costs no marks): while being checked, your function issued {note}" for note in sorted(noise)]
    return f"✓ {exercise.signature} passes: it matches {what}." + "".join(notes)


def _plural(count: int, noun: str) -> str:
    return f"the {noun}" if count == 1 else f"all {count} {noun}s"


def _student_function(exercise: Exercise, namespace: dict[str, Any]) -> Callable:
    function, missing = _lookup(exercise, namespace)
    if function is None:
        raise CheckFailed(exercise, not_defined(exercise, missing))
    return function


def _lookup(exercise: Exercise, namespace: dict[str, Any]) -> tuple[Callable | None, str]:
    function = namespace.get(exercise.name)
    if callable(function):
        return function, ""
    return None, "is not defined" if function is None else f"is a {type(function).__name__}, not a function"


def not_defined(exercise: Exercise, missing: str) -> Failure:
    return Failure("function not defined",
                   f"`{exercise.name}` {missing}. Run the cell that defines it (and the cells above it) first, and "
                   f"keep its name and parameters exactly as given: def {exercise.signature}:")


def _hand_over(exercise: Exercise, namespace: dict[str, Any]) -> None:
    from IPython.display import display

    function, missing = _lookup(exercise, namespace)
    handed = answers.hand_over(exercise, function, missing)
    display({answers.MIME: handed,
             "text/plain": f"{exercise.name}: answers on the hidden inputs, for the grader to judge"}, raw=True)
