"""The hidden check's hand-over: what a student's function answered on the hidden inputs, as plain data.

When a notebook is graded, `check(name, hidden=True)` runs in the student's kernel. It holds no reference
solution and no expected value: it calls the student's function on the hidden inputs and displays what came
back, as JSON in an output of MIME type `MIME` (arrays as .npy bytes; never pickle, nothing that runs code
when read). The grader, in its own process, reads that output, computes the reference's answers, judges and
writes the verdict into the cell (instructor.grading.verdict). Forging this data gains nothing: a forged answer must
hold the right values for the hidden inputs, which is what solving the exercise means.

The hidden inputs are public (a fixed seed: every student gets the same ones); their answers are not.
"""
from __future__ import annotations

import base64
import builtins
import io
from typing import Any, Callable

import numpy as np

from grader_tests.core import CallTimedOut, Exercise, Outcome, call, error_name, probe_input

MIME = "application/vnd.python-basics-numpy.answers+json"
SEED = 20261128  # fixed, so that every student is graded on the same hidden inputs
MAX_ITEMS = 1000  # a list longer than any right answer is reported by its type and length only
MAX_TEXT = 500


def hidden_inputs(exercise: Exercise) -> list[tuple]:
    """The worked examples, then random inputs, then the probe that shows an answer ignoring its input."""
    rng = np.random.default_rng([SEED, sum(map(ord, exercise.name))])
    return ([example.args for example in exercise.examples]
            + [exercise.random_case(rng) for _ in range(exercise.hidden_cases)] + [probe_input(exercise)])


def hand_over(exercise: Exercise, function: Callable | None, missing: str = "") -> dict:
    """What the student's function answered on every hidden input; it stops after an endless loop, as the
    rest would only add ten seconds each. `missing` says why there is no function."""
    if function is None:
        return {"exercise": exercise.name, "missing": missing}
    outcomes = []
    for args in hidden_inputs(exercise):
        outcome = call(function, args)
        outcomes.append(encode_outcome(outcome))
        if isinstance(outcome.error, CallTimedOut):
            break
    return {"exercise": exercise.name, "outcomes": outcomes}


def encode_outcome(outcome: Outcome) -> dict:
    error = None if outcome.error is None else {"type": error_name(outcome.error),
                                                "message": str(outcome.error)[:MAX_TEXT]}
    return {"value": encode(outcome.value), "error": error, "noise": [n[:MAX_TEXT] for n in outcome.noise[:5]],
            "changed": list(outcome.changed)}


def encode(value: Any) -> dict:
    if value is None:
        return {"none": True}
    if isinstance(value, np.ndarray) and value.dtype.kind in "biufc":
        return {"ndarray": _npy(value)}
    if isinstance(value, np.generic) and value.dtype.kind in "biufc":
        return {"numpy_scalar": _npy(np.asarray(value))}
    if type(value) in (bool, int, float):
        return {"python": type(value).__name__, "text": repr(value)}
    if type(value) in (list, tuple) and len(value) <= MAX_ITEMS:
        return {"sequence": type(value).__name__, "items": [encode(item) for item in value]}
    return {"other": f"{type(value).__module__}.{type(value).__qualname__}", "repr": repr(value)[:MAX_TEXT]}


def _npy(array: np.ndarray) -> str:
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


class Unreadable(ValueError):
    """The handed-over data is not what hand_over writes."""


class Opaque:
    """A returned value of a type that is not handed over (it stays in the student's kernel): its type and repr."""

    def __init__(self, kind: str, text: str):
        self.kind, self.text = kind, text

    def __repr__(self) -> str:
        return self.text


def decode_outcome(data: Any) -> Outcome:
    """The grader's reading of one handed-over outcome; raises Unreadable for anything else."""
    try:
        error = None if data["error"] is None else _error(str(data["error"]["type"]), str(data["error"]["message"]))
        noise = tuple(str(n)[:MAX_TEXT] for n in data["noise"][:5])
        changed = tuple(int(i) for i in data["changed"])
        return Outcome(decode(data["value"]), error, noise, changed)
    except (KeyError, TypeError, IndexError, AttributeError) as exc:
        raise Unreadable(f"an outcome without its fields ({exc!r})") from None


def decode(data: dict, depth: int = 0) -> Any:
    if depth > 20 or not isinstance(data, dict):
        raise Unreadable("a value nested too deep, or not a value")
    if "none" in data:
        return None
    if "ndarray" in data or "numpy_scalar" in data:
        array = _from_npy(data.get("ndarray") or data.get("numpy_scalar"))
        return array if "ndarray" in data else array[()]
    if data.get("python") in ("bool", "int", "float"):
        kind = getattr(builtins, data["python"])
        text = str(data["text"])
        if len(text) > 400:
            raise Unreadable("a number too long to be an answer")
        return (text == "True") if kind is bool else kind(text)
    if data.get("sequence") in ("list", "tuple"):
        items = [decode(item, depth + 1) for item in data["items"][:MAX_ITEMS]]
        return items if data["sequence"] == "list" else tuple(items)
    if "other" in data:
        return Opaque(str(data["other"])[:200], str(data.get("repr", ""))[:MAX_TEXT])
    raise Unreadable(f"an unknown kind of value ({sorted(data)[:3]})")


def _from_npy(text: str) -> np.ndarray:
    try:
        array = np.load(io.BytesIO(base64.b64decode(text, validate=True)), allow_pickle=False)
    except Exception as exc:  # noqa: BLE001 - whatever the bytes are, they are not an answer
        raise Unreadable(f"an array that does not load ({exc})") from None
    if array.dtype.kind not in "biufc" or array.size > 10**6:
        raise Unreadable("an array that cannot be an answer")
    return array


_KNOWN_ERRORS = {f"builtins.{name}": value for name, value in vars(builtins).items()
                 if isinstance(value, type) and issubclass(value, BaseException)}
_KNOWN_ERRORS[error_name(CallTimedOut())] = CallTimedOut


class ReportedError(Exception):
    """An exception the student's function raised, of a class the grader does not know."""


def _error(kind: str, text: str) -> BaseException:
    """The exception as the grader sees it: the same class where it is a built-in one (so `isinstance`
    works), and always the reported class name (so it compares equal to a mistake raising the same)."""
    cls = _KNOWN_ERRORS.get(kind, ReportedError)
    try:
        error = cls(text)
    except Exception:  # noqa: BLE001 - a built-in exception class with another constructor
        error = ReportedError(text)
    error.reported_type = kind[:200]
    return error
