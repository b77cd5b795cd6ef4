"""One module per notebook topic; each defines `EXERCISES`, a tuple of `Exercise`s. New modules are found
automatically. In the students' copy of the library the modules have no mistakes: they come from the data file
grader_tests/mistakes.json (see grader_tests.catalogue)."""
from __future__ import annotations

import importlib
import json
import pkgutil
from functools import cache

from grader_tests import catalogue
from grader_tests.core import Exercise


@cache
def all_exercises() -> dict[str, Exercise]:
    found = {}
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for exercise in module.EXERCISES:
            found[exercise.name] = exercise
    if catalogue.FILE.exists():
        found = catalogue.attach(found, json.loads(catalogue.FILE.read_text(encoding="utf-8")))
    return found
