"""The check library in both directions, for every exercise: the reference passes, stubs and every known
mistake fail, each with its own message; generic misbehaviours are named; noise costs no marks."""
from __future__ import annotations

import sys
import warnings

import numpy as np
import pytest

from grader_tests import CheckFailed, core
from grader_tests.core import ARRAY, SCALAR
from tests.conftest import EXERCISES, reference_clone, reference_function, run_check, taught_answers

NAMES = sorted(EXERCISES)
TAUGHT = taught_answers()
MISTAKES = [(name, mistake) for name in NAMES for mistake in EXERCISES[name].mistakes]


def failure_of(name: str, function, hidden: bool = True) -> CheckFailed:
    with pytest.raises(CheckFailed) as caught:
        run_check(name, as_student(name, function), hidden=hidden)
    return caught.value


def as_student(name: str, function):
    """`function` as a student's answer: for an exercise that requires Python loops, written with two nested loops, so
    that what is under test is not the structure check (tests of the structure check call run_check directly)."""
    if not EXERCISES[name].loops:
        return function

    def with_a_loop(*args):
        for _ in range(1):
            for _ in range(1):
                result = function(*args)
        return result

    return with_a_loop


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("hidden", [False, True], ids=["visible", "hidden"])
def test_reference_passes(name, hidden, capsys):
    run_check(name, reference_clone(name), hidden=hidden)
    assert capsys.readouterr().out.startswith(f"✓ {EXERCISES[name].signature} passes")


@pytest.mark.parametrize("name", NAMES)
def test_taught_answer_earns_full_marks(name, capsys):
    """The textbook answer each notebook teaches passes the hidden checks (and so agrees with solutions/)."""
    run_check(name, TAUGHT[name], hidden=True)
    assert capsys.readouterr().out.startswith(f"✓ {EXERCISES[name].signature} passes")


@pytest.mark.parametrize("name", NAMES)
def test_worked_examples_are_what_the_reference_gives(name):
    exercise = EXERCISES[name]
    for example in exercise.examples:
        got = reference_function(name)(*example.args)
        np.testing.assert_allclose(got, example.expected, rtol=1e-12, atol=0)


@pytest.mark.parametrize("name", NAMES)
def test_stub_is_not_attempted(name):
    def stub(*_args):
        raise NotImplementedError()

    for hidden in (False, True):
        assert failure_of(name, stub, hidden).summary == "not attempted"


@pytest.mark.parametrize("name,mistake", MISTAKES, ids=[f"{n}:{m.name}" for n, m in MISTAKES])
def test_each_known_mistake_is_caught_by_name(name, mistake):
    exercise = EXERCISES[name]
    failure = failure_of(name, exercise.compile(mistake), hidden=True)
    assert failure.summary == f"known mistake: {mistake.name}"
    assert mistake.fix in str(failure) and mistake.why in str(failure)
    assert "input:" in str(failure)


@pytest.mark.parametrize("name", NAMES)
def test_seed_mistake_is_caught_by_the_visible_check(name):
    """The first catalogued mistake is the one the source material taught: a student sees it before grading."""
    exercise = EXERCISES[name]
    if exercise.mistakes:
        failure = failure_of(name, exercise.compile(exercise.mistakes[0]), hidden=False)
        assert failure.summary == f"known mistake: {exercise.mistakes[0].name}"


@pytest.mark.parametrize("name", NAMES)
def test_hard_coded_example_output_is_named(name):
    expected = EXERCISES[name].examples[0].expected
    failure = failure_of(name, lambda *_args: expected)
    assert failure.summary == "known mistake: returns the worked example's answer whatever the input"


@pytest.mark.parametrize("name", NAMES)
def test_answer_that_ignores_its_argument_is_named(name):
    exercise = EXERCISES[name]
    global_args = exercise.random_case(np.random.default_rng(1))  # a global that is not the example
    solve = reference_clone(name)
    failure = failure_of(name, lambda *_args: solve(*global_args))
    assert failure.summary == "known mistake: ignores its argument"


@pytest.mark.parametrize("name", [n for n in NAMES if EXERCISES[n].returns == ARRAY])
def test_list_instead_of_array_is_named(name):
    solve = reference_clone(name)
    failure = failure_of(name, lambda *args: np.asarray(solve(*args)).tolist(), hidden=False)
    assert failure.summary == "returned a list"


@pytest.mark.parametrize("name", [n for n in NAMES if EXERCISES[n].returns == SCALAR])
def test_array_instead_of_scalar_is_named(name):
    solve = reference_clone(name)
    failure = failure_of(name, lambda *args: np.array([solve(*args)]), hidden=False)
    assert failure.summary == "returned an array where a number is expected"


@pytest.mark.parametrize("name", [n for n in NAMES if isinstance(EXERCISES[n].examples[0].args[0], np.ndarray)])
def test_answer_that_changes_its_input_is_named(name):
    solve = reference_clone(name)

    def mutating(*args):
        result = np.copy(solve(*args))
        args[0][...] = 0
        return result

    failure = failure_of(name, mutating, hidden=False)
    assert failure.summary == f"changes its input {EXERCISES[name].params[0]}"


@pytest.mark.parametrize("name", NAMES)
def test_missing_return_is_named(name):
    assert failure_of(name, lambda *_args: None, hidden=False).summary == "returned None"


@pytest.mark.parametrize("name", NAMES)
def test_undefined_function_is_named(name):
    with pytest.raises(CheckFailed) as caught:
        exec(f"check({name!r})", {"check": __import__("grader_tests").check})
    assert caught.value.summary == "function not defined"


@pytest.mark.parametrize("name", NAMES)
def test_warnings_and_stderr_of_a_correct_answer_cost_nothing(name, capfd):
    """nbgrader zeroes a test cell that writes to stderr: a correct but noisy answer must still pass, quietly."""
    solve = reference_clone(name)

    def noisy(*args):
        warnings.warn("overflow encountered in exp", RuntimeWarning)
        print("debugging output", file=sys.stderr)
        return solve(*args)

    run_check(name, as_student(name, noisy), hidden=True)
    out, err = capfd.readouterr()
    assert err == ""
    assert "note (costs no marks)" in out and "RuntimeWarning: overflow encountered in exp" in out


def test_messages_show_input_expected_and_result():
    message = str(failure_of("sigmoid", lambda x: 1 / (1 + np.exp(x)), hidden=False))
    assert message.splitlines()[0] == "sigmoid(x): known mistake: computes σ(−x): e^(+x) in the denominator"
    for part in ("input:", "x = array([1, 2, 3]", "expected:", "0.73105858", "but it returned:", "0.26894142",
                 "returns σ(−x)", "e^(−x)"):
        assert part in message


def test_hidden_checks_cover_dtypes_and_shapes():
    """The random inputs include ints and floats, negatives, rows, columns and non-square matrices."""
    rng = np.random.default_rng(0)
    arrays = [EXERCISES["sigmoid"].random_case(rng)[0] for _ in range(200)]
    shapes = {a.shape for a in arrays}
    assert {np.dtype(int), np.dtype(float)} <= {a.dtype for a in arrays}
    assert any(a.min() < 0 for a in arrays) and max(np.abs(a).max() for a in arrays) <= 50
    assert any(len(s) == 1 for s in shapes) and any(s[0] == 1 for s in shapes if len(s) == 2)
    assert any(s[1] == 1 for s in shapes if len(s) == 2) and any(s[0] != s[1] for s in shapes if len(s) == 2)


@pytest.mark.parametrize("name", [n for n in NAMES if EXERCISES[n].loops is False])
def test_loops_are_refused_where_the_exercise_forbids_them(name):
    solve = reference_clone(name)

    def with_comprehension(*args):
        return np.array([value for value in solve(*args)])

    failure = failure_of(name, with_comprehension, hidden=False)
    assert failure.summary == "uses a Python list comprehension"


@pytest.mark.parametrize("name", [n for n in NAMES if EXERCISES[n].loops is True])
def test_loops_are_required_where_the_exercise_asks_for_them(name):
    solve = reference_clone(name)

    def without_loops(*args):
        return solve(*args)

    with pytest.raises(CheckFailed) as caught:
        run_check(name, without_loops)
    assert caught.value.summary == "no Python loop"


def test_endless_loop_is_stopped_and_named(monkeypatch):
    monkeypatch.setattr(core, "CALL_SECONDS", 0.3)

    def endless(x):
        while True:
            try:
                pass
            except Exception:  # a student's catch-all must not swallow the time limit
                pass

    assert failure_of("sigmoid", endless, hidden=False).summary == "did not finish (endless loop?)"


# Right answers written other ways than the taught one: each must pass the visible and the hidden checks.
ALTERNATIVES = {
    "basic_sigmoid": ["return math.exp(x) / (1 + math.exp(x)) if x < 0 else 1 / (1 + math.exp(-x))",
                      "return 1.0 / (1.0 + math.e ** (-x))"],
    "sigmoid": ["return np.exp(x) / (1 + np.exp(x)) if False else 1 / (1 + 1 / np.exp(x))",
                "return 0.5 * (1 + np.tanh(x / 2))", "return 1 / (1 + np.power(np.e, -x))"],
    "sigmoid_derivative": ["s = 1 / (1 + np.exp(-x))\nreturn s - s ** 2",
                           "return np.exp(-x) / (1 + np.exp(-x)) ** 2"],
    "image2vector": ["return image.reshape(1, image.size)", "return np.reshape(image, (1, -1))",
                     "return image.flatten()[np.newaxis, :]", "return image.ravel().reshape(1, -1).copy()",
                     "h, w, c = image.shape\nreturn image.reshape(1, h * w * c)"],
    "normalize_rows": ["return x / np.sqrt(np.sum(x ** 2, axis=1, keepdims=True))",
                       "return x / np.linalg.norm(x, axis=1)[:, None]",
                       "return x / np.linalg.norm(x, ord=2, axis=-1, keepdims=True)",
                       "return x / np.linalg.norm(x, axis=1).reshape(-1, 1)",
                       "return (x.T / np.linalg.norm(x, axis=1)).T"],
    "softmax": ["e = np.exp(x)\nreturn e / e.sum(axis=-1, keepdims=True)",
                "e = np.exp(x)\nreturn e / np.sum(e, axis=1).reshape(-1, 1)",
                "e = np.exp(x - x.max(axis=1, keepdims=True))\nreturn e / e.sum(axis=1, keepdims=True)"],
    "softmax_stable": ["z = x - np.max(x, axis=-1, keepdims=True)\nreturn np.exp(z) / np.exp(z).sum(axis=-1, keepdims=True)",
                       "z = np.exp(x - x.max(axis=1)[:, None])\nreturn z / z.sum(axis=1)[:, None]"],
    "gdot_loop": ["""
                  result = np.zeros(W.shape[0])
                  for i, row in enumerate(W):
                      total = 0.0
                      for j, weight in enumerate(row):
                          total += weight * x[j]
                      result[i] = total
                  return result
                  """,
                  """
                  out = []
                  for i in range(len(W)):
                      acc = 0
                      for j in range(len(x)):
                          acc = acc + W[i][j] * x[j]
                      out.append(acc)
                  return np.array(out, dtype=float)
                  """],
    "gdot_vectorized": ["return W @ x", "return np.matmul(W, x)", "return np.sum(W * x, axis=1)",
                        "return W.dot(x)", "return np.einsum('ij,j->i', W, x)"],
    "L1": ["return np.sum(np.abs(yhat - y))", "return float(np.abs(y - yhat).sum())",
           "return np.linalg.norm(np.ravel(y - yhat), 1)", "return np.sum(np.abs(y - yhat), axis=None)"],
    "L2": ["return np.sum((yhat - y) ** 2)", "return np.sum(np.square(y - yhat))",
           "d = np.ravel(y - yhat)\nreturn np.dot(d, d)", "return np.linalg.norm(y - yhat) ** 2",
           "return float(((y - yhat) ** 2).sum())"],
}
ALTERNATIVE_CASES = [(name, code) for name, codes in ALTERNATIVES.items() for code in codes]


def test_every_exercise_has_alternatives():
    assert set(ALTERNATIVES) == set(EXERCISES)


@pytest.mark.parametrize("name,code", ALTERNATIVE_CASES, ids=[f"{n}:{i}" for i, (n, _) in enumerate(ALTERNATIVE_CASES)])
@pytest.mark.parametrize("hidden", [False, True], ids=["visible", "hidden"])
def test_valid_alternative_answers_pass(name, code, hidden, capsys):
    exercise = EXERCISES[name]
    answer = exercise.compile(core.Mistake("an alternative", code, why="", fix=""))
    run_check(name, answer, hidden=hidden)
    assert capsys.readouterr().out.startswith(f"✓ {exercise.signature} passes")


def student_function(name: str, body: str):
    """A function as a student types it in a notebook cell, with its source readable (for the loop rules)."""
    return EXERCISES[name].compile(core.Mistake("a student's answer", body, why="", fix=""))


# gdot_loop: right values, wrong structure. Each is refused with a message that says what the check found.
LOOP_STRUCTURES = {
    "one loop around np.dot": ("""
        m, n = W.shape
        gdot = np.zeros(m)
        for i in range(m):
            gdot[i] = np.dot(W[i], x)
        return gdot
        """, "a NumPy product inside the loops", "np.dot(W[i], x)"),
    "one loop around @": ("""
        gdot = np.zeros(W.shape[0])
        for i in range(W.shape[0]):
            gdot[i] = W[i, :] @ x
        return gdot
        """, "a NumPy product inside the loops", "W[i, :] @ x"),
    "one loop around np.sum of products": ("""
        gdot = np.zeros(W.shape[0])
        for i in range(W.shape[0]):
            gdot[i] = np.sum(W[i] * x)
        return gdot
        """, "a NumPy product inside the loops", "np.sum(W[i] * x)"),
    "nested loops around a row product": ("""
        gdot = np.zeros(W.shape[0])
        for i in range(W.shape[0]):
            for _ in range(1):
                gdot[i] = (W[i] * x).sum()
        return gdot
        """, "a NumPy product inside the loops", "W[i] * x"),
    "a while loop": ("""
        m, n = W.shape
        gdot = np.zeros(m)
        i = 0
        while i < m:
            gdot[i] = sum(W[i, j] * x[j] for j in range(n))
            i += 1
        return gdot
        """, "a NumPy product inside the loops", "sum("),
    "two while loops": ("""
        m, n = W.shape
        gdot = np.zeros(m)
        i = 0
        while i < m:
            j = 0
            while j < n:
                gdot[i] += W[i, j] * x[j]
                j += 1
            i += 1
        return gdot
        """, "not two nested for loops", "a `while` loop"),
    "one for loop with a generator": ("""
        m, n = W.shape
        gdot = np.zeros(m)
        for i in range(m):
            gdot[i] = math.fsum(W[i, j] * x[j] for j in range(n))
        return gdot
        """, "a NumPy product inside the loops", "math.fsum("),
    "one loop over every (i, j)": ("""
        m, n = W.shape
        gdot = np.zeros(m)
        for k in range(m * n):
            i, j = divmod(k, n)
            gdot[i] += W[i, j] * x[j]
        return gdot
        """, "not two nested for loops", "one `for` loop"),
}


@pytest.mark.parametrize("case", sorted(LOOP_STRUCTURES))
@pytest.mark.parametrize("hidden", [False, True], ids=["visible", "hidden"])
def test_gdot_loop_requires_two_nested_loops_without_numpy_products(case, hidden):
    body, summary, shown = LOOP_STRUCTURES[case]
    with pytest.raises(CheckFailed) as caught:
        run_check("gdot_loop", student_function("gdot_loop", body), hidden=hidden)
    assert caught.value.summary == summary
    assert shown in str(caught.value) and "fix:" in str(caught.value)


def test_gdot_loop_structure_is_judged_from_the_submitted_source():
    """In grading, the grader reads the function's definition from the notebook (instructor.grading.verdict.definition):
    the same rule, the same message."""
    from instructor.grading import verdict
    body, summary, _ = LOOP_STRUCTURES["one loop around np.dot"]
    source = EXERCISES["gdot_loop"].source_of(core.Mistake("", body, "", ""))
    cell = type("Cell", (), {"cell_type": "code", "source": "import numpy as np\n\n" + source})()
    assert core.structure_problem(EXERCISES["gdot_loop"], verdict.definition([cell], "gdot_loop")).summary == summary


def test_a_stub_result_left_unassigned_says_which_variable():
    """The stub ends in `return s`; an answer stored under another name gives a NameError that says so."""
    failure = failure_of("sigmoid", student_function("sigmoid", "sig = 1 / (1 + np.exp(-x))\nreturn s"), hidden=False)
    assert failure.summary == "raised NameError"
    assert "`s` is used" in str(failure) and "(s = ...)" in str(failure)
    hidden = failure_of("sigmoid", student_function("sigmoid", "sig = 1 / (1 + np.exp(-x))\nreturn s"))
    assert "`s` is used" in str(hidden)


# Answers that behave exactly like a catalogued mistake on every input, but are written differently: the named
# mistake must describe what they do, not claim a cause their code does not show.
SAME_BEHAVIOUR = [
    ("sigmoid", "return 1 / (1 + 1 / np.exp(-x))", "computes σ(−x): e^(+x) in the denominator", "1 / np.exp(-x)"),
    ("basic_sigmoid", "return 1 / (1 + 1 / math.exp(-x))", "computes σ(−x): e^(+x) in the denominator",
     "1 / math.exp(-x)"),
    ("L1", "return sum(np.abs(y - yhat))", "a total per column (np.sum with axis=0, or Python's sum) instead of one "
                                           "number", "built-in sum()"),
    ("L1", "return np.sum(np.abs(yhat - y), axis=0)", "a total per column (np.sum with axis=0, or Python's sum) "
                                                      "instead of one number", "axis=0"),
    ("L2", "return sum((y - yhat) ** 2)", "a total per column (np.sum with axis=0, or Python's sum) instead of one "
                                          "number", "built-in sum()"),
    ("L1", "return np.sum(np.abs(y - yhat), axis=1)", "a total per row (axis=1 or axis=-1) instead of one number",
     "axis=1"),
    ("L2", "d = y - yhat\nreturn d @ d.T", "a matrix of row-by-row products (the differences times their "
                                           "transpose) instead of one number", "@"),
    ("image2vector", 'return image.reshape(1, -1, order="F")', 'pixels in the wrong order (order="F" or image.T)',
     'order="F"'),
]


@pytest.mark.parametrize("name,code,mistake,cause", SAME_BEHAVIOUR, ids=[f"{n}:{c}" for n, c, _, _ in SAME_BEHAVIOUR])
def test_a_mistake_written_another_way_is_named_without_a_wrong_cause(name, code, mistake, cause):
    failure = failure_of(name, student_function(name, code), hidden=False)
    assert failure.summary == f"known mistake: {mistake}"
    assert cause in str(failure), "the message names this way of writing it among the likely causes"


def test_the_sum_mistakes_are_no_longer_misnamed():
    """Reported on real answers: np.sum(np.abs(yhat - y), axis=0) was told to stop using Python's built-in sum,
    and 1 / (1 + 1 / np.exp(-x)) was told to write np.exp(-x), which it already does."""
    text = str(failure_of("L1", student_function("L1", "return np.sum(np.abs(yhat - y), axis=0)"), hidden=False))
    assert "Python's built-in sum on a matrix" not in text and "Use np.sum" not in text
    text = str(failure_of("sigmoid", student_function("sigmoid", "return 1 / (1 + 1 / np.exp(-x))"), hidden=False))
    assert "write np.exp(-x)" not in text


@pytest.mark.parametrize("name", ["normalize_rows", "softmax"])
def test_writing_in_the_examples_two_rows_is_caught_before_grading(name):
    """Seen in real answers: reshape(2, 1), which fits the first worked example; the second has three rows."""
    mistake = next(m for m in EXERCISES[name].mistakes if "(2, 1)" in m.name)
    assert failure_of(name, EXERCISES[name].compile(mistake), hidden=False).summary == f"known mistake: {mistake.name}"
