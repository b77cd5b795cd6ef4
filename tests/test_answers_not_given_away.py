"""Scaffold, don't solve: no released notebook and no message a student can see spells out an answer.

The key expressions of every answer are derived from the taught answers (each assignment in a source notebook's
solution region, and its right-hand side) and from solutions/ (each function's returned expression), plus the
usual ways of writing the same (EQUIVALENTS). The released notebooks (made by the real release step) and every
message the checks can show (each known mistake's why and fix, and the failure messages the checks build for
the catalogue, for structure problems and for the generic misbehaviours) must contain none of them, spaces
ignored.
"""
from __future__ import annotations

import ast
import re

import numpy as np
import pytest

from grader_tests import CheckFailed, core
from instructor import notebooks, pipeline
from instructor.course import REPO, demo_course
from tests.conftest import EXERCISES, SOURCE, run_check

# Lines of the taught answers that scaffold rather than solve: the stubs and the text may show them (the sizes of
# W and a result of zeros, the image's sizes, reusing sigmoid, the exponential that sigmoid's notebook taught).
SCAFFOLDING = {"m, n = W.shape", "gdot = np.zeros(m)", "h, w, c = image.shape", "s = sigmoid(x)",
               "x_exp = np.exp(x)"}

# Other spellings of the answers (and, for image2vector, the answer in the column layout the series left).
EQUIVALENTS = {
    "sigmoid": ["1 / (1 + np.exp(-x))", "1/(1+np.exp(-x))"],
    "basic_sigmoid": ["1 / (1 + math.exp(-x))"],
    "sigmoid_derivative": ["s * (1 - s)", "sigmoid(x) * (1 - sigmoid(x))"],
    "image2vector": ["image.reshape(1, -1)", "image.reshape(-1, 1)", "np.reshape(image, (1, -1))",
                     "image.reshape(1, image.size)", "image.reshape(1, h * w * c)"],
    "normalize_rows": ["np.linalg.norm(x, axis=1, keepdims=True)", "np.linalg.norm(x, axis=-1, keepdims=True)",
                       "np.linalg.norm(x, ord=2, axis=1, keepdims=True)", "x / np.linalg.norm(x, axis=1"],
    "softmax": ["np.sum(x_exp, axis=1, keepdims=True)", "x_exp / x_sum", "np.sum(np.exp(x), axis=1, keepdims=True)"],
    "softmax_stable": ["np.max(x, axis=1, keepdims=True)", "np.exp(x - x_max)", "x - np.max(x, axis=1, keepdims=True)"],
    "gdot_loop": ["gdot[i] += W[i, j] * x[j]", "gdot[i] += W[i][j] * x[j]", "total += W[i, j] * x[j]"],
    "gdot_vectorized": ["np.dot(W, x)", "W @ x", "np.matmul(W, x)", "W.dot(x)"],
    "L1": ["np.sum(np.abs(y - yhat))", "np.sum(np.abs(yhat - y))", "np.abs(y - yhat).sum()"],
    "L2": ["np.sum((y - yhat) ** 2)", "np.sum((yhat - y) ** 2)", "np.sum(d ** 2)", "np.dot(d, d)",
           "np.sum(np.square(y - yhat))", "np.linalg.norm(y - yhat) ** 2"],
}


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def taught_expressions() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in sorted(SOURCE.glob("*/*.ipynb")):
        for name, cell in notebooks.answer_cells(notebooks.read(path)):
            source = cell.source
            region = source[source.index("### BEGIN SOLUTION"):source.index("### END SOLUTION")]
            for line in region.splitlines()[1:]:
                line = line.split("#")[0].strip()
                if not line or line in SCAFFOLDING or line.endswith(":"):
                    continue
                found.setdefault(name, set()).add(line)
                statement = ast.parse(line).body[0]
                if isinstance(statement, (ast.Assign, ast.AugAssign)):
                    found[name].add(ast.unparse(statement.value))
    return found


def reference_expressions() -> dict[str, set[str]]:
    """What each reference function returns, when it is more than a name (np.asarray(image) read as image)."""
    found: dict[str, set[str]] = {}
    for path in (REPO / "solutions").glob("[!_]*.py"):
        for function in ast.parse(path.read_text()).body:
            if isinstance(function, ast.FunctionDef):
                for node in ast.walk(function):
                    if isinstance(node, ast.Return) and not isinstance(node.value, ast.Name):
                        found.setdefault(function.name, set()).add(ast.unparse(node.value))
    return found


def key_expressions() -> dict[str, set[str]]:
    keys = {name: set(values) for name, values in EQUIVALENTS.items()}
    for source in (taught_expressions(), reference_expressions()):
        for name, values in source.items():
            keys.setdefault(name, set()).update(values)
    # a reference's return of a helper's result (softmax returns softmax_stable(x)) gives nothing away
    return {name: {v for v in values if squeeze(v) not in {"softmax_stable(x)", "z"}} for name, values in keys.items()}


KEYS = key_expressions()


def test_the_key_expressions_cover_every_exercise():
    assert set(KEYS) == set(EXERCISES)
    for expected in ("np.dot(W, x)", "np.linalg.norm(x, axis=1, keepdims=True)", "np.sum(np.abs(y - yhat))",
                     "image.reshape(1, h * w * c)", "x / x_norm", "np.max(x, axis=1, keepdims=True)",
                     "1 / (1 + math.exp(-x))", "gdot[i] += W[i, j] * x[j]"):
        assert any(expected in values for values in KEYS.values()), expected


def given_away(text: str) -> list[str]:
    flat = squeeze(text)
    return sorted(f"{name}: {key}" for name, keys in KEYS.items() for key in keys if squeeze(key) in flat)


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    course = demo_course(tmp_path_factory.mktemp("course"))
    pipeline.release(course)
    paths = sorted(course.step("release").glob("*/*.ipynb"))
    assert len(paths) == len(list(SOURCE.glob("*/*.ipynb")))
    return paths


def test_no_released_notebook_gives_an_answer_away(released):
    for path in released:
        for cell in notebooks.read(path).cells:
            assert not given_away(cell.source), (path.parent.name, given_away(cell.source), cell.source[:200])


MISTAKES = [(name, mistake) for name in sorted(EXERCISES) for mistake in EXERCISES[name].mistakes]


@pytest.mark.parametrize("name,mistake", MISTAKES, ids=[f"{n}:{m.name}" for n, m in MISTAKES])
def test_no_known_mistake_message_gives_an_answer_away(name, mistake):
    assert not given_away(mistake.why + "\n" + mistake.fix)
    for hidden in (False, True):  # the whole message the student reads, as the checks build it
        with pytest.raises(CheckFailed) as caught:
            run_check(name, EXERCISES[name].compile(mistake), hidden=hidden)
        assert not given_away(str(caught.value)), given_away(str(caught.value))


def test_no_generic_message_gives_an_answer_away():
    texts = [m.why + m.fix for m in (core.HARD_CODED, core.IGNORES_INPUT)]
    for name, exercise in EXERCISES.items():
        cases = {"stub": "raise NotImplementedError()", "nothing": "return None", "unassigned": "return s",
                 "a list": "return [1.0]", "a loop": "for _ in range(1):\n    pass\nreturn None"}
        for code in cases.values():
            try:
                run_check(name, exercise.compile(core.Mistake("", code, "", "")))
            except CheckFailed as failure:
                texts.append(str(failure))
        texts.append(str(core.type_problem(exercise, np.zeros(2))))
        texts.append(str(core.type_problem(exercise, [1.0])))
        source = exercise.source_of(core.Mistake("", "return None", "", ""))
        failure = core.structure_problem(exercise, source)
        if failure is not None:
            texts.append(failure.details)
    single = "gdot = np.zeros(W.shape[0])\nfor i in range(len(W)):\n    gdot[i] = np.dot(W[i], x)\nreturn gdot"
    texts.append(core.structure_problem(EXERCISES["gdot_loop"],
                                        EXERCISES["gdot_loop"].source_of(core.Mistake("", single, "", ""))).details)
    for text in texts:
        assert not given_away(text), given_away(text)
