"""Inside a real grading kernel: the reference is loaded; private files, the memory cap and the check library
are out of the notebook's reach."""
from __future__ import annotations

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
WRONG_SIGMOID = "import numpy as np\nfrom grader_tests import check\ndef sigmoid(x):\n    return 1 / (1 + np.exp(x))"


def run(tmp_path, *sources: str, **kwargs):
    return execute(new_notebook(cells=[new_code_cell(s) for s in sources]), tmp_path, **kwargs).cells


def test_private_files_are_refused_and_recorded(tmp_path):
    values = {"path": str(REPO / "solutions" / "sigmoid.py"), "repo": str(REPO),
              "notebook": str(REPO / "notebooks" / "01_sigmoid" / "sigmoid.ipynb")}
    cells = run(tmp_path, *(code.format(**values) for code in ATTEMPTS.values()),
                "from grader_tests import reference\n"
                "print(len(reference.violations()), reference.lookup('sigmoid')(0.0))",
                private_paths=[REPO / "notebooks"])
    for what, cell in zip(ATTEMPTS, cells):
        assert "GradingRefused" in outputs_text(cell), what
        assert "may not read the course's private files" in outputs_text(cell), what
    recorded, sigmoid_at_zero = outputs_text(cells[-1]).split()
    assert int(recorded) >= len(ATTEMPTS) and sigmoid_at_zero == "0.5"


def test_ordinary_files_stay_readable(tmp_path):
    (tmp_path / "data.txt").write_text("fine")
    cells = run(tmp_path, "print(open('data.txt').read())")
    assert outputs_text(cells[0]).strip() == "fine"


def test_patching_numpy_comparisons_does_not_pass_a_wrong_answer(tmp_path):
    cells = run(tmp_path, WRONG_SIGMOID,
                "np.allclose = np.array_equal = np.isclose = lambda *a, **k: True\n"
                "np.testing.assert_allclose = lambda *a, **k: None",
                'check("sigmoid")')
    assert "known mistake: sign flipped inside np.exp" in outputs_text(cells[-1])


def test_patching_the_check_library_makes_the_checks_refuse_to_run(tmp_path):
    cells = run(tmp_path, WRONG_SIGMOID,
                "import grader_tests.core\ngrader_tests.core.values_match = lambda *a: True",
                'check("sigmoid")')
    assert "may not change the checks (changed grader_tests.core.values_match)" in outputs_text(cells[-1])


def test_replacing_check_itself_makes_the_checks_refuse_to_run(tmp_path):
    cells = run(tmp_path, WRONG_SIGMOID, "def check(*args, **kwargs):\n    pass", 'check("sigmoid")')
    assert "may not change the checks (replaced check in the notebook)" in outputs_text(cells[-1])


def test_memory_is_capped_and_the_cap_cannot_be_lifted(tmp_path, monkeypatch):
    monkeypatch.setenv("GRADING_MEMORY_MB", "2048")
    cells = run(tmp_path, "import numpy as np\nbig = np.ones(400_000_000)",  # 3.2 GB
                "import resource\nresource.setrlimit(resource.RLIMIT_AS, (-1, -1))",
                "print('still alive')")
    assert "MemoryError" in outputs_text(cells[0])
    assert "may not change the grading limits" in outputs_text(cells[1])
    assert outputs_text(cells[2]).strip() == "still alive"
