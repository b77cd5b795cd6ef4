"""The mistake catalogue as data, for the check library handed to students.

In the repository every `Mistake` carries its code, and the checks recognise it by running that code. The
students' copy of the library (`make student-bundle`) must not carry the code: a catalogued mistake is often
the whole right answer with one thing changed. So when the bundle is built, `precompute` runs each mistake's
code on each worked example, here in the instructor's process, and writes what came back (values as .npy data,
errors as their type and message, through grader_tests.answers); the students' library has `FILE` instead of
the code, and `attach` turns it back into mistakes whose outcomes on the worked examples are known. The visible
checks run only on the worked examples, so they name the same mistakes, with the same messages, either way.
Hidden checks need no catalogue in the student's kernel: the grader judges them with the code (instructor.grading.verdict).
"""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from grader_tests import answers
from grader_tests.core import Exercise, Mistake, Outcome, _identical_args, same_outcome

FILE = Path(__file__).with_name("mistakes.json")  # only in the students' library
FORMAT = 1


class StaleCatalogue(ValueError):
    """The data file was computed on other worked examples than the library's."""


def precompute(exercises: dict[str, Exercise]) -> dict:
    """{exercise: its worked examples' inputs, and each mistake's name, why, fix and outcome on each example}.

    Only data: nothing in it runs code when read. Raises ValueError when an outcome does not survive the trip
    through JSON (an error message longer than grader_tests.answers keeps, say): the students' checks would then
    disagree with the repository's."""
    data = {"format": FORMAT, "exercises": {}}
    for name, exercise in sorted(exercises.items()):
        inputs = [example.args for example in exercise.examples]
        mistakes = []
        for mistake in exercise.mistakes:
            outcomes = []
            for args, example in zip(inputs, exercise.examples):
                outcome = exercise.outcome_of(mistake, args)
                encoded = answers.encode_outcome(outcome)
                decoded = answers.decode_outcome(json.loads(json.dumps(encoded)))
                right = Outcome(value=example.expected)
                if not same_outcome(decoded, outcome, exercise) \
                        or same_outcome(decoded, right, exercise) != same_outcome(outcome, right, exercise):
                    raise ValueError(f"{name}: the outcome of mistake {mistake.name!r} on {args!r} does not "
                                     "survive encoding")
                outcomes.append(encoded)
            mistakes.append({"name": mistake.name, "why": mistake.why, "fix": mistake.fix, "outcomes": outcomes})
        data["exercises"][name] = {"examples": [answers.encode(tuple(args)) for args in inputs],
                                   "mistakes": mistakes}
    return data


def attach(exercises: dict[str, Exercise], data: dict) -> dict[str, Exercise]:
    """The exercises with the catalogue's mistakes (code None, outcomes on the worked examples known) in place
    of the modules' (which the students' library has none of)."""
    if data.get("format") != FORMAT:
        raise StaleCatalogue(f"{FILE.name} has format {data.get('format')!r}, this library reads {FORMAT}")
    attached = {}
    for name, exercise in exercises.items():
        entry = data["exercises"].get(name, {"examples": [], "mistakes": []})
        inputs = [answers.decode(args) for args in entry["examples"]]
        if entry["mistakes"] and not (len(inputs) == len(exercise.examples) and all(
                _identical_args(known, example.args) for known, example in zip(inputs, exercise.examples))):
            raise StaleCatalogue(f"{FILE.name} was computed on other worked examples of {name}: rebuild the bundle")
        mistakes = tuple(Mistake(m["name"], None, m["why"], m["fix"],
                                 seen=tuple(zip(inputs, map(answers.decode_outcome, m["outcomes"]))))
                         for m in entry["mistakes"])
        attached[name] = dataclasses.replace(exercise, mistakes=mistakes)
    return attached
