"""The reference solutions, as the grading kernel sees them.

Students never have them: `instructor.grading_kernel` loads `solutions/` into this registry when a grading
kernel starts (before any student code runs) and records here any attempt by the notebook to read them.
"""
from __future__ import annotations

import sys
import types
from typing import Callable

from grader_tests.core import call


class ReferenceUnavailable(RuntimeError):
    pass


_functions: dict[str, Callable] = {}
_code_ids: set[int] = set()  # identity, not equality: a student may write identical code
_violations: list[str] = []


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


def record_violation(what: str) -> None:
    _violations.append(what)


def violations() -> list[str]:
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
