"""The source notebooks: stored clean, valid nbgrader metadata, the promised values, and they run."""
from __future__ import annotations

import ast

import nbformat
import numpy as np
import pytest

from instructor import notebooks
from instructor.grading import verdict
from tests.conftest import EXERCISES, SOURCE, execute, outputs_text

PATHS = sorted(SOURCE.glob("*/*.ipynb"))
IDS = [path.parent.name for path in PATHS]


@pytest.fixture(params=PATHS, ids=IDS)
def notebook(request):
    return notebooks.read(request.param)


def test_every_assignment_folder_holds_only_notebooks():
    """nbgrader releases every file beside a source notebook to students."""
    assert PATHS
    for folder in SOURCE.iterdir():
        assert folder.is_dir() and all(p.suffix == ".ipynb" for p in folder.iterdir()), folder


def test_stored_without_outputs(notebook):
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source[:60]


def test_kernel_is_python3(notebook):
    assert notebook.metadata.kernelspec.name == "python3"


def test_nbgrader_metadata(notebook):
    ids = [notebooks.nbgrader_meta(c)["grade_id"] for c in notebook.cells if notebooks.nbgrader_meta(c)]
    assert len(ids) == len(set(ids)), "grade_ids must be unique"
    for cell in notebook.cells:
        meta = notebooks.nbgrader_meta(cell)
        if meta:
            assert meta["schema_version"] == 3
        if meta.get("grade"):
            assert meta["locked"] and meta["points"] > 0 and cell.cell_type == "code"


def test_each_answer_cell_is_followed_by_its_checks(notebook):
    cells = notebook.cells
    answers = list(notebooks.answer_cells(notebook))
    assert answers
    for name, cell in answers:
        assert name in EXERCISES, f"{name} has no Exercise in grader_tests"
        following = cells[cells.index(cell) + 1]
        assert notebooks.nbgrader_meta(following).get("grade_id") == f"{notebooks.CHECK_PREFIX}{name}"
        assert f'check("{name}")' in following.source
        assert "### BEGIN HIDDEN TESTS" in following.source and f'check("{name}", hidden=True)' in following.source
        assert following.source.startswith('"""') and "points" in following.source.splitlines()[0]


def test_each_answer_cell_defines_exactly_its_function(notebook):
    for name, cell in notebooks.answer_cells(notebook):
        tree = ast.parse(notebooks.without_solution_markers(cell.source))
        functions = [node for node in tree.body if isinstance(node, ast.FunctionDef)]
        assert [f.name for f in functions] == [name]
        assert tuple(a.arg for a in functions[0].args.args) == EXERCISES[name].params
        assert "### BEGIN SOLUTION" in cell.source and ast.get_docstring(functions[0])


def test_text_promises_the_values_the_checks_use(notebook):
    """Every worked example's expected value is printed in the notebook text, as NumPy prints it."""
    text = "".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")
    for name, _cell in notebooks.answer_cells(notebook):
        for example in EXERCISES[name].examples:
            shown = str(example.expected) if isinstance(example.expected, np.ndarray) else repr(example.expected)
            assert shown in text, f"{name}: the text should show {shown}"


def test_points_stated_in_text_match_metadata(notebook):
    total = sum(notebooks.nbgrader_meta(c)["points"] for _n, c in notebooks.check_cells(notebook))
    assert f"worth **{total:g} points**" in notebook.cells[0].source


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_runs_top_to_bottom_with_the_reference_answers(path, tmp_path):
    """The source notebook (taught answers and hidden tests included) runs in a real grading kernel."""
    notebook = execute(notebooks.read(path), tmp_path)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert not [o for o in cell.outputs if o.output_type == "error"], outputs_text(cell)
            assert not [o for o in cell.outputs if o.get("name") == "stderr"], outputs_text(cell)
    for name, cell in notebooks.check_cells(notebook):
        assert outputs_text(cell).count("✓") == 1, name  # the visible check; the hidden one hands over answers
        assert verdict.handed_over(cell), name
    judged, _ = verdict.JudgeChecks().preprocess(notebook, {})
    for name, cell in notebooks.check_cells(judged):
        assert outputs_text(cell).startswith(f"✓ {EXERCISES[name].signature} passes: it matches the reference"), name
    images = [o for c in notebook.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
    assert images, "the notebook's plot did not render"
