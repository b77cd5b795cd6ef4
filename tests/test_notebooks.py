"""The source notebooks: stored clean, valid nbgrader metadata, the promised values, and they run."""
from __future__ import annotations

import ast
import re

import nbformat
import numpy as np
import pytest

from instructor import notebooks
from instructor.grading import verdict
from tests.conftest import EXERCISES, SOURCE, execute, outputs_text

PATHS = sorted(SOURCE.glob("*/*.ipynb"))
IDS = [path.parent.name for path in PATHS]
START = SOURCE / "00_start_here" / "start_here.ipynb"
GRADED = [path for path in PATHS if path != START]
GRADED_IDS = [path.parent.name for path in GRADED]
INTERACTIVE = {"01_sigmoid", "04_softmax", "06_losses"}  # the notebooks with a slider to play with


@pytest.fixture(params=PATHS, ids=IDS)
def any_notebook(request):
    return notebooks.read(request.param)


@pytest.fixture(params=GRADED, ids=GRADED_IDS)
def notebook(request):
    return notebooks.read(request.param)


def test_every_assignment_folder_holds_only_notebooks():
    """nbgrader releases every file beside a source notebook to students."""
    assert PATHS
    for folder in SOURCE.iterdir():
        assert folder.is_dir() and all(p.suffix == ".ipynb" for p in folder.iterdir()), folder


def test_stored_without_outputs(any_notebook):
    notebook = any_notebook
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source[:60]


def test_kernel_is_python3(any_notebook):
    notebook = any_notebook
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


@pytest.mark.parametrize("path", GRADED, ids=GRADED_IDS)
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
    if path.parent.name in INTERACTIVE:  # the exploration: a live widget, and the same picture as a PNG
        bundles = [o.data for c in notebook.cells for o in c.get("outputs", [])
                   if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
        assert len(bundles) == 1 and "image/png" in bundles[0], path.parent.name


def test_the_start_page_is_not_graded_and_says_what_a_student_needs():
    page = notebooks.read(START)
    assert not [cell for cell in page.cells if notebooks.nbgrader_meta(cell)]
    text = "".join(cell.source for cell in page.cells)
    positions = [text.index(f"`{path.parent.name}/{path.name}`") for path in GRADED]
    assert positions == sorted(positions), "the notebooks in their order"
    for needed in ("one example per row", "one example per **column**", "Shift + Tab", "np.sum?", "Validate",
                   "all or nothing", "min", "Restart Kernel and Run All Cells"):
        assert needed in text, needed
    for path in GRADED:  # the points in the table are the notebook's
        total = sum(notebooks.nbgrader_meta(c)["points"] for _n, c in notebooks.check_cells(notebooks.read(path)))
        assert re.search(rf"`{path.parent.name}/{path.name}` \| [^|]+ \| {total:g} \|", text), path.parent.name


def test_each_stub_names_the_variable_it_returns(notebook):
    """`return s` after a stub that never mentions s gives a bare NameError: the stub says what to assign."""
    for name, cell in notebooks.answer_cells(notebook):
        lines = cell.source.splitlines()
        returned = lines[-1].strip().removeprefix("return ").strip()
        stub = "\n".join(lines[:lines.index(next(l for l in lines if "### BEGIN SOLUTION" in l))])
        assert re.search(rf"# {re.escape(returned)} = \.\.\.", stub), f"{name}: no `# {returned} = ...` in the stub"


def test_each_check_is_followed_by_a_try_it_cell(notebook):
    """Not graded, not locked: the student's own result on the worked example, next to the expected one."""
    cells = notebook.cells
    for name, check_cell in notebooks.check_cells(notebook):
        after = cells[cells.index(check_cell) + 1]
        assert after.cell_type == "code" and not notebooks.nbgrader_meta(after), name
        assert after.source.startswith("# Try it (not graded)") and f"{name}(" in after.source, name
        assert "expected" in after.source, name


FUNCTION = re.compile(r"\bnp\.((?:linalg\.|random\.)?[a-z_]+)\(")


def test_every_numpy_function_used_is_linked_to_its_reference(notebook):
    """Each notebook links every np.… function its code and its taught answers call (or the page covering it)."""
    code = "".join(cell.source for cell in notebook.cells if cell.cell_type == "code")
    text = "".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")
    aliases = {"abs": "absolute"}
    missing = sorted({name for name in FUNCTION.findall(code)
                      if f"numpy.{aliases.get(name, name)}.html" not in text and not name.startswith("random.")})
    assert not missing, f"no link to the NumPy reference for {missing}"


def test_no_grading_internals_in_student_cells(notebook):
    """What a student reads and runs says nothing of how grading runs it (the timing switch lives in the library)."""
    for cell in notebook.cells:
        if cell.cell_type == "code" and not notebooks.nbgrader_meta(cell).get("grade"):
            assert not re.search(r"NBGRADER|os\.environ|nobody reads|while .* graded", cell.source), cell.source[:80]
