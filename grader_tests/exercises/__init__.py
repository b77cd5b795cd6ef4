"""One module per notebook topic; each defines `EXERCISES`, a tuple of `Exercise`s. New modules are found
automatically."""
from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from grader_tests.core import Exercise


@cache
def all_exercises() -> dict[str, Exercise]:
    found = {}
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for exercise in module.EXERCISES:
            found[exercise.name] = exercise
    return found
