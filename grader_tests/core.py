"""The one checking mechanism every exercise uses.

An `Exercise` is data: the graded function's signature, worked examples (the values printed in the notebook
text), a generator of random hidden cases, and a catalogue of known `Mistake`s. `run_case` calls a student's
function on one input and returns `None` when the answer is right, or a `Failure` that says, for a learner,
what was given, what was expected, what came back, and (when the answer behaves like a catalogued mistake)
the mistake's name and its fix.
"""
from __future__ import annotations

import ast
import contextlib
import copy
import inspect
import io
import linecache
import math
import re
import signal
import textwrap
import threading
import warnings
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

import numpy as np

ARRAY = "array"
SCALAR = "scalar"


@dataclass(frozen=True)
class Mistake:
    """A wrong answer students really write, recognised by behaving exactly like `code`.

    `code` is the body of the graded function as the student would write it; it is compiled into a callable
    for diagnosis and written verbatim into the sample class, so the catalogue, the checks and the demo can
    never disagree about what the mistake is.

    The check library handed to students (`make student-bundle`) carries no mistake code, since it would show
    the answer (a wrong answer is often the right one with one thing changed). There `code` is None and `seen`
    holds what the code did on each worked example, computed when the bundle was built (grader_tests.catalogue):
    (the example's arguments, the outcome). A mistake without code is recognised on those inputs only.
    """

    name: str
    code: str | None
    why: str
    fix: str
    seen: tuple[tuple[tuple, "Outcome"], ...] = ()


@dataclass(frozen=True)
class Example:
    args: tuple
    expected: Any


@dataclass(frozen=True)
class Exercise:
    name: str
    params: tuple[str, ...]
    returns: str  # ARRAY or SCALAR
    examples: tuple[Example, ...]
    random_case: Callable[[np.random.Generator], tuple]
    mistakes: tuple[Mistake, ...] = ()
    hidden_cases: int = 40
    loops: bool | None = None  # True: must use Python loops; False: must not (comprehensions included)
    rtol: float = 1e-5
    atol: float = 1e-10
    namespace: dict = field(default_factory=lambda: {"np": np, "math": math})

    @property
    def signature(self) -> str:
        return f"{self.name}({', '.join(self.params)})"

    def source_of(self, mistake: Mistake) -> str:
        """The mistake as a complete function definition, named like the graded function."""
        return f"def {self.signature}:\n{textwrap.indent(textwrap.dedent(mistake.code).strip(), '    ')}\n"

    def compile(self, mistake: Mistake) -> Callable:
        namespace, source = dict(self.namespace), self.source_of(mistake)
        filename = f"<known mistake: {mistake.name}>"
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)  # for inspect
        exec(compile(source, filename, "exec"), namespace)
        return namespace[self.name]

    def outcome_of(self, mistake: Mistake, args: tuple) -> "Outcome | None":
        """What the mistake does on `args`: its code run on them, or, where the code is absent (the students'
        check library), the outcome computed when the library was built; None where it was not computed."""
        if mistake.code is not None:
            return call(self.compile(mistake), args)
        return next((outcome for known, outcome in mistake.seen if _identical_args(known, args)), None)


@dataclass(frozen=True)
class Outcome:
    """What one call did: the value it returned, or the exception it raised, plus what it printed."""

    value: Any = None
    error: BaseException | None = None
    noise: tuple[str, ...] = ()  # warnings and stderr text: reported as notes, never as failures
    changed: tuple[int, ...] = ()  # positions of the arguments the call changed in place


@dataclass(frozen=True)
class Failure:
    summary: str  # one line, e.g. "known mistake: no absolute value"; goes into the grades CSV
    details: str  # the rest of the message for the learner


CALL_SECONDS = 10.0  # far more than any answer needs on the graded inputs


class CallTimedOut(BaseException):
    """Raised into a student's function that runs too long; a BaseException, so `except Exception` in the
    student's code cannot swallow it."""


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():  # signals reach the main thread only
        yield
        return

    def expire(_signum, _frame):
        raise CallTimedOut(f"it did not finish within {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def call(function: Callable, args: tuple) -> Outcome:
    """Call `function` on copies of `args`, capturing warnings and anything written to stdout or stderr.

    nbgrader gives a test cell 0 as soon as anything reaches stderr; a correct answer that trips a
    RuntimeWarning must keep its marks, so warnings are recorded here and reported as a note instead.
    """
    stderr, stdout = io.StringIO(), io.StringIO()
    with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stderr(stderr), \
            contextlib.redirect_stdout(stdout):
        warnings.simplefilter("always")
        inputs = copy.deepcopy(args)
        try:
            with time_limit(CALL_SECONDS):
                value, error = function(*inputs), None
        except (Exception, CallTimedOut) as exc:  # noqa: BLE001 - any exception is the student's answer
            value, error = None, exc
    noise = tuple(f"{w.category.__name__}: {w.message}" for w in caught)
    if stderr.getvalue().strip():
        noise += (f"printed to stderr: {stderr.getvalue().strip()[:200]}",)
    changed = tuple(i for i, (before, after) in enumerate(zip(args, inputs)) if not _identical(before, after))
    return Outcome(value, error, noise, changed)


def error_name(error: BaseException) -> str:
    """The exception's class as `module.QualName`; for an error reported by a grading kernel (see
    grader_tests.answers), the class the kernel reported."""
    kind = type(error)
    return getattr(error, "reported_type", None) or f"{kind.__module__}.{kind.__qualname__}"


def error_label(error: BaseException) -> str:
    """The exception's class name as a learner knows it: ValueError, AxisError."""
    return error_name(error).rsplit(".", 1)[-1]


def show(value: Any) -> str:
    if isinstance(value, np.ndarray):
        text = np.array2string(value, precision=8, separator=", ", threshold=24, edgeitems=3)
        return f"array({text}, dtype={value.dtype}) with shape {value.shape}"
    if isinstance(value, list):
        return f"list {value!r}"[:300]
    return repr(value)


def labelled(label: str, text: str) -> str:
    return f"{label}:\n{textwrap.indent(text, '    ')}\n"


def show_args(exercise: Exercise, args: tuple) -> str:
    return "\n".join(f"{name} = {show(arg)}" for name, arg in zip(exercise.params, args))


def same_outcome(a: Outcome, b: Outcome, exercise: Exercise) -> bool:
    """Same value (or same error), and the same arguments changed, if any."""
    if a.changed != b.changed:
        return False
    if a.error is not None or b.error is not None:
        if a.error is None or b.error is None:
            return False
        return (error_name(a.error), str(a.error)) == (error_name(b.error), str(b.error))
    return values_match(a.value, b.value, exercise)


# Comparisons use these, bound when the check library is imported (in a grading kernel: before any student
# code runs). They are C functions and ndarray operators, which a notebook cannot patch through `np.…`, so a
# student who replaces np.allclose or np.array_equal changes nothing here.
_asarray, _absolute, _isnan = np.asarray, np.absolute, np.isnan


def values_match(got: Any, expected: Any, exercise: Exercise) -> bool:
    """Same shape, and close element by element (NaN matches NaN, inf matches the same inf)."""
    try:
        got_arr, expected_arr = _asarray(got, dtype=float), _asarray(expected, dtype=float)
    except (TypeError, ValueError):
        return False
    if got_arr.shape != expected_arr.shape:
        return False
    with np.errstate(invalid="ignore", over="ignore"):
        close = _absolute(got_arr - expected_arr) <= exercise.atol + exercise.rtol * _absolute(expected_arr)
    return bool((close | (got_arr == expected_arr) | (_isnan(got_arr) & _isnan(expected_arr))).all())


def is_scalar(value: Any) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)


def type_problem(exercise: Exercise, value: Any) -> tuple[str, str] | None:
    """(summary, advice) when the returned value has the wrong kind, else None."""
    if value is None:
        return "returned None", "The function has no `return` statement (or it returns nothing). " \
                                "Finish it with `return <your result>`."
    if exercise.returns == ARRAY and isinstance(value, (list, tuple)):
        return f"returned a {type(value).__name__}", \
            "Return a numpy.ndarray: NumPy operations on arrays (np.exp, +, /, ...) give one directly; " \
            "a Python loop that appends to a list does not."
    if exercise.returns == ARRAY and not isinstance(value, np.ndarray):
        return f"returned a {type(value).__name__}, not an array", \
            "Return a numpy.ndarray with one result for every element of the input."
    if exercise.returns == SCALAR and isinstance(value, np.ndarray):
        return "returned an array where a number is expected", \
            f"{exercise.name} must return a single number (a Python or NumPy float). If you have a " \
            "one-element array, use `float(...)`; a sum with an axis (or keepdims) returns an array, while np.sum " \
            "with neither adds every element into one number."
    if exercise.returns == SCALAR and not is_scalar(value):
        return f"returned a {type(value).__name__}, not a number", "Return a single number (a float)."
    return None


# Mistakes any exercise can show; they are recognised by how the answer behaves, not by a formula.
HARD_CODED = Mistake(
    name="returns the worked example's answer whatever the input", code="",
    why="The result is the expected output of the notebook's example, but the input was different: the "
        "function has the expected numbers written in, or computes from the example's global variable "
        "instead of from its parameter.",
    fix="Compute the result from the function's parameters only.")
IGNORES_INPUT = Mistake(
    name="ignores its argument", code="",
    why="It gives the same result for different inputs, so it probably computes from a global variable "
        "(such as the example array defined in the notebook) rather than from its parameter.",
    fix="Use only the function's parameters inside the function body.")


def probe_input(exercise: Exercise) -> tuple:
    """One more random input, on which an answer that ignores its argument gives itself away."""
    return exercise.random_case(np.random.default_rng(0))


# How a judge learns what the student's function does on another input: by calling it (in the student's own
# kernel), or by looking it up among the answers a grading kernel handed over (in the grader).
OutcomeOn = Callable[[tuple], "Outcome | None"]


def diagnose(exercise: Exercise, args: tuple, got: Outcome, expected: Any, outcome_on: OutcomeOn) -> Mistake | None:
    """The known mistake that explains this outcome, if any. A mistake that happens to give the right answer
    on this input explains nothing here."""
    right = Outcome(value=expected)
    for mistake in exercise.mistakes:
        outcome = exercise.outcome_of(mistake, args)  # None: not known on this input
        if outcome is not None and not same_outcome(outcome, right, exercise) \
                and same_outcome(outcome, got, exercise):
            return mistake
    if got.error is not None or got.value is None:  # "returned None" says it better
        return None
    for example in exercise.examples:
        if not _identical_args(example.args, args) and values_match(got.value, example.expected, exercise):
            return HARD_CODED
    for other in [example.args for example in exercise.examples] + [probe_input(exercise)]:
        if not _identical_args(other, args):
            elsewhere = outcome_on(other)
            if elsewhere is not None and same_outcome(elsewhere, got, exercise):
                return IGNORES_INPUT
    return None


def judge(exercise: Exercise, args: tuple, expected: Any, got: Outcome, outcome_on: OutcomeOn) -> Failure | None:
    """Judge what the student's function did on one input against the expected value: None when it is right."""
    if isinstance(got.error, NotImplementedError):
        return Failure("not attempted", f"{exercise.name} still raises NotImplementedError: replace "
                                        "`raise NotImplementedError()` with your code, then run the cell.")
    problem = _problem(exercise, expected, got)
    if problem is None:
        return None
    summary, body = problem
    body = labelled("input", show_args(exercise, args)) + body
    mistake = diagnose(exercise, args, got, expected, outcome_on)
    if mistake is not None:
        summary = f"known mistake: {mistake.name}"
        body += f"\nlikely mistake: {mistake.name}.\n    {mistake.why}\nfix: {mistake.fix}"
    return Failure(summary, body)


def run_case(exercise: Exercise, function: Callable, args: tuple, expected: Any) -> tuple[Failure | None, Outcome]:
    """Call the student's function on one input and judge it (in the student's own kernel)."""
    got = call(function, args)
    return judge(exercise, args, expected, got, lambda other: call(function, other)), got


def message(exercise: Exercise, failure: Failure) -> str:
    """A failed check as the learner reads it: a one-line summary (it goes into the grades CSV), then why."""
    return f"{exercise.signature}: {failure.summary}\n\n{failure.details.rstrip()}"


def _problem(exercise: Exercise, expected: Any, got: Outcome) -> tuple[str, str] | None:
    """(summary, explanation) of what is wrong with this outcome, or None when it is right."""
    expected_text = labelled("expected", show(expected))
    if isinstance(got.error, CallTimedOut):
        return ("did not finish (endless loop?)",
                f"{got.error}. On inputs this small an answer takes milliseconds: look for a loop that never "
                "ends (a `while` whose condition never becomes false, or a loop that changes what it loops over).\n")
    if got.error is not None:
        return (f"raised {error_label(got.error)}",
                expected_text + f"but it raised {error_label(got.error)}: {got.error}\n" + _hint(got.error))
    changed = [exercise.params[i] for i in got.changed]
    if changed:
        return (f"changes its input {changed[0]}",
                f"{exercise.name} changed the array `{changed[0]}` that was passed in. The caller's data must "
                "stay as it was.\nfix: compute a new array (for example `y = x / n` rather than `x /= n`), or "
                "work on `x.copy()`.\n")
    kind = type_problem(exercise, got.value)
    if kind is not None:
        summary, advice = kind
        return summary, expected_text + f"but it {summary}: {show(got.value)}\nfix: {advice}\n"
    if values_match(got.value, expected, exercise):
        return None
    body = expected_text + labelled("but it returned", show(got.value))
    got_shape, expected_shape = np.shape(got.value), np.shape(expected)
    if got_shape != expected_shape:
        return "wrong shape", body + f"The shape is {got_shape}; it should be {expected_shape}.\n"
    return "wrong values", body


UNDEFINED_NAME = re.compile(r"name '(\w+)' is not defined")


def _hint(error: BaseException) -> str:
    """What a bare error means in a stub like ours: a NameError is almost always the returned variable left
    unassigned (the stub ends with `return s`, and the answer was put into another name)."""
    found = UNDEFINED_NAME.search(str(error)) if error_label(error) == "NameError" else None
    if found is None:
        return ""
    name = found.group(1)
    return (f"fix: `{name}` is used (perhaps by the `return {name}` line the exercise gave you) but never assigned. "
            f"Store your result in `{name}` ({name} = ...), or return the variable you did use; check the "
            "spelling too.\n")


LOOP_NODES = {ast.For: "for loop", ast.AsyncFor: "for loop", ast.While: "while loop",
              ast.ListComp: "list comprehension", ast.SetComp: "set comprehension",
              ast.DictComp: "dict comprehension", ast.GeneratorExp: "generator expression"}


def source_of(function: Callable) -> str | None:
    """The source of a function defined in a notebook cell (or a file); None when there is none to read."""
    try:
        return textwrap.dedent(inspect.getsource(function))
    except (OSError, TypeError):
        return None


def structure_problem(exercise: Exercise, source: str | None) -> Failure | None:
    """For exercises about loops: whether the function's source has (or avoids) Python loops, as asked.

    loops=True (gdot_loop): two nested `for` loops, and no NumPy product inside them (np.dot, @, np.sum of a
    product, ...), which would do the inner loop's work in compiled code. loops=False: no loop or comprehension.
    """
    if exercise.loops is None or source is None:
        return None  # no source to read (rare): the values are still checked
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    loops = [(node.lineno, LOOP_NODES[type(node)]) for node in ast.walk(tree) if type(node) in LOOP_NODES]
    explicit = [loop for loop in loops if loop[1] in ("for loop", "while loop")]
    if exercise.loops and not explicit:
        return Failure("no Python loop", f"{exercise.name} must compute its result with two nested Python `for` "
                                         "loops: this exercise is about what such loops cost.\n"
                                         f"fix: {NESTED_LOOPS_FIX}")
    if exercise.loops:
        return _loop_problem(exercise, tree)
    if loops:
        line, kind = min(loops)
        return Failure(f"uses a Python {kind}", f"{exercise.name} must not use Python loops, but line {line} of "
                                                f"the function has a {kind} (a comprehension is a loop too).\n"
                                                "fix: let one NumPy operation do the whole product (see the "
                                                "matrix product in the NumPy reference).")
    return None


NESTED_LOOPS_FIX = ("write an outer `for` loop over the rows of W and, inside it, an inner `for` loop over its "
                    "columns; in the inner loop multiply one number of W by one number of x and add it to the "
                    "running sum of that row.")
# Calls that multiply or add up whole arrays: inside the loops they would do the inner loop's work themselves.
ARRAY_PRODUCTS = {"dot", "matmul", "inner", "vdot", "tensordot", "einsum", "sum", "fsum", "nansum", "outer", "kron"}


def _loop_problem(exercise: Exercise, tree: ast.AST) -> Failure | None:
    """Two nested `for` loops, and no whole-array product inside them."""
    outer = [node for node in ast.walk(tree) if isinstance(node, (ast.For, ast.While))]
    inside = {id(inner): node for node in outer for inner in ast.walk(node) if inner is not node}
    outermost = [node for node in outer if id(node) not in inside]
    for loop in outermost:
        product = _array_product(loop, _dimensions(exercise))
        if product is not None:
            line, code = product
            return Failure("a NumPy product inside the loops",
                           f"{exercise.name} must do the multiplying and adding itself, one number at a time, but "
                           f"line {line} of the function has `{code}` inside a loop: that NumPy operation works "
                           "on whole arrays and does the inner loop for you, so the loop does not show what looping "
                           f"costs.\nfix: {NESTED_LOOPS_FIX}")
    nested = any(isinstance(node, ast.For) and isinstance(inner, ast.For)
                 for node in outer for inner in ast.walk(node) if inner is not node)
    if not nested:
        kinds = sorted({"a `while` loop" if isinstance(node, ast.While) else "one `for` loop" for node in outer})
        return Failure("not two nested for loops",
                       f"{exercise.name} must use two nested `for` loops (one inside the other), but the function "
                       f"has {' and '.join(kinds)} without another `for` loop inside it.\nfix: {NESTED_LOOPS_FIX}")
    return None


def _dimensions(exercise: Exercise) -> dict[str, int]:
    """How many axes each array parameter has (read from the first worked example)."""
    args = exercise.examples[0].args if exercise.examples else ()
    return {name: np.ndim(arg) for name, arg in zip(exercise.params, args) if np.ndim(arg) > 0}


def _array_product(loop: ast.AST, dims: dict[str, int]) -> tuple[int, str] | None:
    """(line, code) of the first whole-array product inside `loop`: a call such as np.dot or np.sum, the @
    operator, or `*` with a whole array parameter or a part of one with an axis left (W[i], W[:, j]) as an
    operand. One number times one number (W[i, j] * x[j]) is what the loops are for."""
    def whole(node: ast.AST) -> bool:
        if isinstance(node, ast.Name):
            return node.id in dims
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id in dims:
            index = node.slice
            parts = index.elts if isinstance(index, ast.Tuple) else [index]
            return len(parts) < dims[node.value.id] or any(isinstance(part, ast.Slice) for part in parts)
        if isinstance(node, ast.Attribute) and node.attr == "T":
            return whole(node.value)
        return False

    found = []
    for node in ast.walk(loop):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.MatMult):
            found.append(node)
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult) and (whole(node.left) or whole(node.right)):
            found.append(node)
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if name in ARRAY_PRODUCTS:
                found.append(node)
    if not found:
        return None
    first = min(found, key=lambda node: (node.lineno, node.col_offset))
    return first.lineno, ast.unparse(first)


def _identical(before: Any, after: Any) -> bool:
    if isinstance(before, np.ndarray):
        if not isinstance(after, np.ndarray) or before.dtype != after.dtype or before.shape != after.shape:
            return False
        same = before == after
        if before.dtype.kind in "fc":
            same = same | (_isnan(before) & _isnan(after))
        return bool(same.all())
    return bool(before == after)


def _identical_args(a: tuple, b: tuple) -> bool:
    return len(a) == len(b) and all(np.shape(x) == np.shape(y) and _identical(np.asarray(x), np.asarray(y))
                                    for x, y in zip(a, b))
