"""The reference solutions, as the grading kernel sees them.

Students never have them: `instructor.grading_kernel` loads `solutions/` into this registry when a grading
kernel starts (before any student code runs) and records here any attempt by the notebook to read them.
"""
from __future__ import annotations

import sys
import types
from dataclasses import dataclass
from typing import Callable

from grader_tests.core import call


class ReferenceUnavailable(RuntimeError):
    pass


class GradingRefused(PermissionError):
    """Raised inside a grading kernel when a notebook reaches for what it may not (see instructor.grading_kernel)."""


@dataclass(frozen=True)
class Violation:
    what: str
    files: frozenset[str]  # the notebook cells (code file names) on the stack when it happened


_functions: dict[str, Callable] = {}
_code_ids: set[int] = set()  # identity, not equality: a student may write identical code
_violations: list[Violation] = []


def register(modules: list[types.ModuleType]) -> None:
    for module in modules:
        for name, value in vars(module).items():
            if isinstance(value, types.FunctionType) and value.__module__ == module.__name__:
                _functions[name] = value
                _code_ids.add(id(value.__code__))


def lookup(name: str) -> Callable:
    try:
        return _functions[name]
    except KeyError:
        raise ReferenceUnavailable(
            f"The hidden checks for {name} need the reference solutions, which are loaded only when an "
            "instructor grades (nbgrader autograde through this course's tooling).") from None


def record_violation(violation: Violation) -> None:
    _violations.append(violation)


def violations() -> list[Violation]:
    return list(_violations)


def calls_reference(function: Callable, args: tuple) -> bool:
    """Whether calling `function(*args)` runs any reference code, however the student reached it."""
    seen = []

    def profile(frame, event, _arg):
        if event == "call" and id(frame.f_code) in _code_ids:
            seen.append(frame.f_code)

    previous = sys.getprofile()
    sys.setprofile(profile)
    try:
        call(function, args)
    finally:
        sys.setprofile(previous)
    return bool(seen)
