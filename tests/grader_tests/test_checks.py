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
    """`function` as a student's answer: for an exercise that requires Python loops, written with a loop, so
    that what is under test is not the structure check (tests of the structure check call run_check directly)."""
    if not EXERCISES[name].loops:
        return function

    def with_a_loop(*args):
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
    assert message.splitlines()[0] == "sigmoid(x): known mistake: sign flipped inside np.exp"
    for part in ("input:", "x = array([1, 2, 3]", "expected:", "0.73105858", "but it returned:", "0.26894142",
                 "returns σ(−x)", "np.exp(-x)"):
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
