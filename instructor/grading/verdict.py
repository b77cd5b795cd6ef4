"""The grader's verdict on every check cell, decided outside the student's kernel.

A grading kernel runs the student's notebook; its hidden checks only hand over what the student's functions
answered on the hidden inputs, as plain data (grader_tests.answers). This module runs in the grader (the
nbgrader process, never a kernel): it loads the reference solutions (from solutions/, or from the sources a
grading task was handed: `JudgeChecks.solutions`), computes their answers, judges the
student's with the same mechanism and messages as the visible checks (grader_tests.core), and writes its
verdict as the check cell's only output. nbgrader then scores the cell from that output: a pass keeps the
points, a failure (an error output) scores 0. Whatever the student's code printed, displayed or raised in a
check cell is replaced, so it cannot award points; answers that never arrive (the kernel died, the cell was
interrupted, the call was removed) score 0 with the reason.
"""
from __future__ import annotations

import ast
import copy
import re
import types
from functools import cache
from pathlib import Path
from typing import Any, Callable

import nbformat
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Dict, Unicode

from grader_tests import answers
from grader_tests.checking import not_defined, passed, rendered
from grader_tests.core import CallTimedOut, Exercise, Failure, Outcome, judge, message, structure_problem, _identical_args
from grader_tests.exercises import all_exercises

SOLUTIONS = Path(__file__).resolve().parents[2] / "solutions"


Sources = tuple[tuple[str, str], ...]  # the reference's source files: ((file name, text), ...)


def solution_sources(folder: Path = SOLUTIONS) -> dict[str, str]:
    """The reference solutions' source files, {file name: text}: what a grading task is handed."""
    return {path.name: path.read_text() for path in sorted(folder.glob("[!_]*.py"))}


@cache
def reference(sources: Sources | None = None) -> dict[str, Callable]:
    """Every function of the reference's source files, by name; by default those of solutions/, loaded by path
    (so `solutions` is never importable), else those handed over (a grading worker has no solutions/ folder)."""
    if sources is None:
        sources = tuple((str(path), path.read_text()) for path in sorted(SOLUTIONS.glob("[!_]*.py")))
    functions = {}
    for filename, text in sources:
        module = types.ModuleType(f"_reference_{Path(filename).stem}")
        module.__file__ = filename if Path(filename).is_absolute() else f"<reference solutions/{filename}>"
        exec(compile(text, module.__file__, "exec"), vars(module))
        functions.update({name: value for name, value in vars(module).items()
                          if callable(value) and getattr(value, "__module__", None) == module.__name__})
    return functions


@cache
def expected_answers(name: str, sources: Sources | None = None) -> list[tuple[tuple, Any]]:
    """(input, the reference's answer) for every hidden input of exercise `name`."""
    solve = reference(sources)[name]
    return [(args, solve(*copy.deepcopy(args))) for args in answers.hidden_inputs(all_exercises()[name])]


def verdict(exercise: Exercise, handed: dict | None, source: str | None, sources: Sources | None = None
            ) -> tuple[Failure | None, set[str]]:
    """(the failure, or None for a pass; the warnings the function issued) from what the kernel handed over.
    `source` is the function's definition as the submitted notebook has it, for the checks on loops;
    `sources`: the reference's (default: solutions/)."""
    if handed is None:
        return Failure("no answers reached the grader",
                       "The hidden check of this exercise did not hand the function's answers to the grader: the "
                       "notebook stopped before it finished (an error or an endless loop above, the kernel "
                       "stopping), or something in the notebook changed the check. So this scores 0."), set()
    if "missing" in handed:
        return not_defined(exercise, str(handed["missing"])[:200]), set()
    try:
        outcomes = [answers.decode_outcome(data) for data in handed["outcomes"]]
    except (answers.Unreadable, KeyError, TypeError) as error:
        return Failure("answers unreadable", f"The answers handed to the grader could not be read ({error}), "
                                             "so this scores 0."), set()
    cases = expected_answers(exercise.name, sources)
    complete = len(outcomes) == len(cases) or (0 < len(outcomes) < len(cases) and _timed_out(outcomes[-1]))
    if not complete:
        return Failure("answers incomplete", f"The grader expected answers on {len(cases)} inputs and received "
                                             f"{len(outcomes)}, so this scores 0."), set()
    outcome_on = _lookup([args for args, _ in cases], outcomes)
    noise: set[str] = set()
    for (args, expected), got in zip(cases, outcomes):
        failure = judge(exercise, args, expected, got, outcome_on)
        if failure is not None:
            return failure, noise
        noise.update(got.noise)
    return structure_problem(exercise, source), noise


def _timed_out(outcome: Outcome) -> bool:
    return isinstance(outcome.error, CallTimedOut)


def _lookup(inputs: list[tuple], outcomes: list[Outcome]) -> Callable[[tuple], Outcome | None]:
    def outcome_on(args: tuple) -> Outcome | None:
        return next((got for known, got in zip(inputs, outcomes) if _identical_args(known, args)), None)
    return outcome_on


def hidden_checks(source: str) -> list[str]:
    """The exercises whose hidden check a check cell calls: check("name", hidden=True)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    return [node.args[0].value for node in ast.walk(tree)
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "check" and node.args
            and isinstance(node.args[0], ast.Constant) and any(
                k.arg == "hidden" and getattr(k.value, "value", False) is True for k in node.keywords)]


def definition(cells: list, name: str) -> str | None:
    """The source of the last `def name(...)` at the top level of these code cells (the one in force)."""
    found = None
    for cell in cells:
        if cell.cell_type != "code":
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == name:
                found = ast.get_source_segment(cell.source, node)
    return found


def handed_over(cell) -> dict[str, list[dict]]:
    """{exercise: [what was handed over]} from a cell's outputs."""
    found: dict[str, list[dict]] = {}
    for output in cell.get("outputs", []):
        data = output.get("data", {}).get(answers.MIME)
        if isinstance(data, dict) and isinstance(data.get("exercise"), str):
            found.setdefault(data["exercise"], []).append(data)
    return found


def judge_cell(cell, cells_above: list, sources: Sources | None = None) -> nbformat.NotebookNode:
    """The verdict on one check cell, as the output that replaces everything the kernel wrote there."""
    exercises = all_exercises()
    names = [name for name in hidden_checks(cell.source) if name in exercises]
    if not names:
        return _failed("this check cell has no hidden check: grading cannot trust it, so it scores 0")
    handed = handed_over(cell)
    lines = []
    for name in names:
        exercise = exercises[name]
        copies = handed.get(name, [])
        if len(copies) > 1:
            return _failed(message(exercise, Failure("answers handed over more than once",
                                                     "The grader received several sets of answers for one "
                                                     "check, so this scores 0.")))
        failure, notes = verdict(exercise, copies[0] if copies else None, definition(cells_above, name), sources)
        if failure is not None:
            return _failed(message(exercise, failure))
        lines.append(passed(exercise, f"the reference on {len(expected_answers(name, sources))} hidden inputs",
                            notes))
    return nbformat.v4.new_output("stream", name="stdout", text="\n".join(lines) + "\n")


def _failed(text: str) -> nbformat.NotebookNode:
    first = text.splitlines()[0]
    return nbformat.v4.new_output("error", ename="CheckFailed", evalue=first, traceback=rendered(text))


HIDDEN_BLOCK = re.compile(r"### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS", re.DOTALL)
REDACTED = "[hidden test]"


def hidden_lines(cells: list) -> set[str]:
    """Every line of the check cells' hidden-test blocks, markers included (what `In` would show)."""
    return {line.strip() for cell in cells if cell.cell_type == "code"
            for block in HIDDEN_BLOCK.findall(cell.source) for line in block.splitlines() if line.strip()}


def redact(output, lines: set[str]) -> None:
    """Take the hidden tests' source out of an output (a notebook can print `In`, IPython's input history)."""
    def clean(text: str) -> str:
        for line in lines:
            text = text.replace(line, REDACTED)
        return text

    for key in ("text", "evalue"):
        if isinstance(output.get(key), str):
            output[key] = clean(output[key])
    if "traceback" in output:
        output["traceback"] = [clean(line) for line in output["traceback"]]
    for mime, value in output.get("data", {}).items():
        if mime.startswith("text/") or mime.endswith("json"):
            output["data"][mime] = clean(value if isinstance(value, str) else "".join(value)) \
                if isinstance(value, (str, list)) else value


class JudgeChecks(NbGraderPreprocessor):
    """After the notebook has run: every graded code cell's outputs become the grader's verdict, and no
    other output shows the hidden tests' source."""

    solutions = Dict(key_trait=Unicode(), value_trait=Unicode(),
                     help="The reference solutions' source files, {file name: text}; empty: read solutions/"
                     ).tag(config=True)

    def preprocess(self, nb, resources):
        sources = tuple(sorted(self.solutions.items())) or None
        lines = hidden_lines(nb.cells)
        for index, cell in enumerate(nb.cells):
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if cell.cell_type == "code" and meta.get("grade"):
                cell.outputs = [judge_cell(cell, nb.cells[:index], sources)]
            else:
                for output in cell.get("outputs", []):
                    redact(output, lines)
        return nb, resources
