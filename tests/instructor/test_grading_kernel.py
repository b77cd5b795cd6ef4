"""Inside a real grading kernel: the reference is loaded, and the private course files are out of reach."""
from __future__ import annotations

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from instructor.course import REPO
from tests.conftest import execute, outputs_text

ATTEMPTS = {
    "open by path": "open({path!r}).read()",
    "import after adding the repository to sys.path": "import sys; sys.path.insert(0, {repo!r}); import solutions.sigmoid",
    "load by file location": "import importlib.util as u; s = u.spec_from_file_location('x', {path!r}); "
                             "m = u.module_from_spec(s); s.loader.exec_module(m)",
    "walk up from the check library": "import pathlib, grader_tests; "
                                      "(pathlib.Path(grader_tests.__file__).parents[1] / 'solutions' / 'sigmoid.py').read_text()",
    "shell command": "import subprocess; subprocess.run(['cat', {path!r}], capture_output=True)",
    "the source notebook": "open({notebook!r}).read()",
}


def test_private_files_are_refused_and_recorded(tmp_path):
    values = {"path": str(REPO / "solutions" / "sigmoid.py"), "repo": str(REPO),
              "notebook": str(REPO / "notebooks" / "01_sigmoid" / "sigmoid.ipynb")}
    cells = [new_code_cell(code.format(**values)) for code in ATTEMPTS.values()]
    cells.append(new_code_cell("from grader_tests import reference\n"
                               "print(len(reference.violations()), reference.lookup('sigmoid')(0.0))"))
    notebook = execute(new_notebook(cells=cells), tmp_path, private_paths=[REPO / "notebooks"])
    for what, cell in zip(ATTEMPTS, notebook.cells):
        assert "PermissionError" in outputs_text(cell), what
        assert "may not read the course's private files" in outputs_text(cell), what
    recorded, sigmoid_at_zero = outputs_text(notebook.cells[-1]).split()
    assert int(recorded) >= len(ATTEMPTS) and sigmoid_at_zero == "0.5"


def test_ordinary_files_stay_readable(tmp_path):
    (tmp_path / "data.txt").write_text("fine")
    notebook = execute(new_notebook(cells=[new_code_cell("print(open('data.txt').read())")]), tmp_path)
    assert outputs_text(notebook.cells[0]).strip() == "fine"
    nbformat.validate(notebook)
