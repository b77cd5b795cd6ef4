"""`make student-bundle`: what an instructor hands out, as one zip (dist/student-bundle.zip).

    python-basics-numpy/START_HERE.md                                    how to install, check, validate, submit
    python-basics-numpy/python_basics_numpy_checks-<version>-py3-none-any.whl   the check library, for pip
    python-basics-numpy/<assignment>/<notebook>.ipynb                      the released notebooks, as in release/

The wheel is built from a staging copy of grader_tests/ in which every exercise's catalogue of known mistakes
has been replaced by data: a catalogued mistake is often the whole right answer with one thing changed, so its
code stays here. When the bundle is built, each mistake's code runs on each worked example in this process and
what it did is written into grader_tests/mistakes.json (grader_tests.catalogue); the students' visible checks
recognise a mistake by that outcome. The repository keeps the code: the grader still runs every mistake on the
hidden inputs (instructor.grading.verdict). Nothing of solutions/, of the source notebooks or of the hidden answers is
staged.
"""
from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
import zipfile
from pathlib import Path

from grader_tests import catalogue
from grader_tests.exercises import all_exercises
from instructor import pipeline
from instructor.course import CONFIG, REPO, Course

LIBRARY = REPO / "grader_tests"
WHEEL_NAME = "python-basics-numpy-checks"
TOP = "python-basics-numpy"  # the zip's one top-level folder
START_HERE = "START_HERE.md"
STUDENT_PINS = ("jupyterlab", "numpy", "matplotlib", "ipywidgets", "nbgrader")  # what a student installs beside the wheel


class BundleFailed(RuntimeError):
    """The bundle could not be built; the message says why in one line or a few."""


class BundleLeak(BundleFailed):
    """Something staged for students holds what must stay with the instructor."""


def bundle_path(course: Course) -> Path:
    return course.root / "dist" / "student-bundle.zip"


def version() -> str:
    return tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]


def pins() -> dict[str, str]:
    """{package (lower case): version} from requirements.txt."""
    found = {}
    for line in (REPO / "requirements.txt").read_text().splitlines():
        name, _, pinned = line.split("#")[0].strip().partition("==")
        if pinned:
            found[name.lower()] = pinned
    return found


def release_is_stale(course: Course) -> bool:
    """release/ lacks a source notebook's student version, or one is older than its source or the nbgrader
    configuration (which decides what a student version holds)."""
    for source in sorted(course.source.glob("*/*.ipynb")):
        released = course.step("release") / source.parent.name / source.name
        if not released.exists() or released.stat().st_mtime < max(source.stat().st_mtime, CONFIG.stat().st_mtime):
            return True
    return False


def build(course: Course, target: Path | None = None) -> tuple[Path, str]:
    """Write the bundle (by default dist/student-bundle.zip under the course root); release first where release/
    is missing or stale. Returns the zip's path and a summary line."""
    started = time.perf_counter()
    target = target or bundle_path(course)
    released_now = ""
    if release_is_stale(course):
        released_now = f" ({pipeline.release(course).summary()})"
    notebooks = [course.step("release") / source.parent.name / source.name
                 for source in sorted(course.source.glob("*/*.ipynb"))]
    with tempfile.TemporaryDirectory(prefix="student-bundle-") as tmp:
        wheel = build_wheel(Path(tmp))
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".zip.partial")
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
            bundle.writestr(f"{TOP}/{START_HERE}", start_here(wheel.name))
            bundle.write(wheel, f"{TOP}/{wheel.name}")
            for notebook in notebooks:
                bundle.write(notebook, f"{TOP}/{notebook.parent.name}/{notebook.name}")
        partial.replace(target)
    assignments = len({notebook.parent.name for notebook in notebooks})
    return target, (f"student bundle: {assignments} assignments, {len(notebooks)} notebooks, {wheel.name}, "
                    f"{START_HERE} in {time.perf_counter() - started:.1f} s{released_now}")


def build_wheel(work: Path) -> Path:
    """The check library as a wheel, without mistake code: staged in work/project, built into work/wheel."""
    project = stage(work / "project")
    out = work / "wheel"
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                             "--wheel-dir", str(out), str(project)], cwd=work, capture_output=True, text=True)
    if result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-15:])
        raise BundleFailed(f"pip wheel failed (exit code {result.returncode}):\n{tail}")
    [wheel] = out.glob("*.whl")
    return wheel


def stage(project: Path) -> Path:
    """A project holding the students' check library: grader_tests/ with the mistakes as data."""
    package = project / "grader_tests"
    (package / "exercises").mkdir(parents=True)
    for source in sorted(LIBRARY.glob("*.py")):
        shutil.copyfile(source, package / source.name)
    for source in sorted((LIBRARY / "exercises").glob("*.py")):
        text = source.read_text(encoding="utf-8")
        (package / "exercises" / source.name).write_text(
            text if source.name == "__init__.py" else without_mistakes(text), encoding="utf-8")
    (package / catalogue.FILE.name).write_text(json.dumps(catalogue.precompute(all_exercises())), encoding="utf-8")
    (project / "pyproject.toml").write_text(PYPROJECT.format(name=WHEEL_NAME, version=version()))
    check_no_mistake_code(project)
    return project


PYPROJECT = """\
[build-system]
requires = ["setuptools"]
build-backend = "setuptools.build_meta"

[project]
name = "{name}"
version = "{version}"
description = "Python Basics with NumPy: the check library the notebooks' check cells call"
requires-python = ">=3.11"
dependencies = ["numpy>=2", "ipython", "matplotlib", "ipywidgets"]

[tool.setuptools]
packages = ["grader_tests", "grader_tests.exercises"]

[tool.setuptools.package-data]
grader_tests = ["mistakes.json"]
"""


def without_mistakes(source: str) -> str:
    """An exercise module with `mistakes=()` in every Exercise(...), and without the module-level strings that
    only the mistakes used (fix texts shared by several of them: they are in the data file)."""
    tree = ast.parse(source)
    values = [keyword.value for node in ast.walk(tree) if isinstance(node, ast.Call)
              and getattr(node.func, "id", None) == "Exercise" for keyword in node.keywords
              if keyword.arg == "mistakes"]
    data = source.encode("utf-8")  # ast's column offsets count UTF-8 bytes
    starts = [0]
    for line in data.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    for value in sorted(values, key=lambda v: (v.lineno, v.col_offset), reverse=True):
        begin = starts[value.lineno - 1] + value.col_offset
        end = starts[value.end_lineno - 1] + value.end_col_offset
        data = data[:begin] + b"()" + data[end:]
    source = data.decode("utf-8")
    tree = ast.parse(source)
    used = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)}
    unused = [node for node in tree.body if isinstance(node, ast.Assign) and len(node.targets) == 1
              and isinstance(node.targets[0], ast.Name) and node.targets[0].id not in used
              and _is_text(node.value)]
    lines = source.splitlines(keepends=True)
    for node in sorted(unused, key=lambda n: n.lineno, reverse=True):
        del lines[node.lineno - 1:node.end_lineno]
    return "".join(lines)


def _is_text(node: ast.expr) -> bool:
    """A string literal, an f-string, or strings joined with +."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _is_text(node.left) and _is_text(node.right)
    return isinstance(node, ast.JoinedStr) or isinstance(node, ast.Constant) and isinstance(node.value, str)


def normalised(text: str) -> str:
    """Text with escaped newlines unescaped and every run of white space made one space, to compare code."""
    return re.sub(r"\s+", " ", text.replace("\\n", "\n")).strip()


def check_no_mistake_code(project: Path) -> None:
    codes = {normalised(mistake.code): (exercise.name, mistake.name) for exercise in all_exercises().values()
             for mistake in exercise.mistakes if mistake.code}
    for path in sorted(p for p in project.rglob("*") if p.is_file()):
        text = normalised(path.read_text(encoding="utf-8"))
        for code, (exercise, mistake) in codes.items():
            if code in text:
                raise BundleLeak(f"{path.relative_to(project)} holds the code of {exercise}'s mistake {mistake!r}")


def start_here(wheel: str) -> str:
    pinned = pins()
    packages = " ".join(f"{name}=={pinned[name]}" for name in STUDENT_PINS)
    return START_HERE_TEXT.format(wheel=wheel, packages=packages, top=TOP)


START_HERE_TEXT = """\
# Python Basics with NumPy: start here

This folder holds the course's notebooks, one folder per assignment, and the check library that their
check cells call (`from grader_tests import check`):

    {wheel}

Install it once, next to JupyterLab, in one of the three ways below.

## Your own JupyterLab, with pip (Python 3.11 or newer)

    cd {top}
    python3 -m venv .venv
    .venv/bin/pip install ./{wheel} {packages}
    .venv/bin/jupyter lab

(On Windows: `py -m venv .venv`, then `.venv\\Scripts\\pip` and `.venv\\Scripts\\jupyter`.)

## With conda

    conda create -n python-basics-numpy python=3.11 pip
    conda activate python-basics-numpy
    pip install ./{wheel} {packages}
    jupyter lab

## On your course's JupyterHub

Your instructor adds the library to the single-user image, for example in its Dockerfile:

    COPY {wheel} /tmp/
    RUN pip install --no-cache-dir /tmp/{wheel} {packages}

## Working through a notebook

Open the notebooks in order. Run the cells from the top (Shift+Enter runs one cell). Write each function in
its answer cell, in place of `raise NotImplementedError()`; keep the function's name and parameters. Then run
the check cell under it: it prints `✓ ... passes` or says what is wrong: the input, what was expected, what
came back and, for a mistake many students make, its name and how to fix it. A check tries the worked
examples shown in the notebook; when your notebook is graded, hidden checks try many more inputs.

## Before you submit: Validate

Click **Validate** in the notebook's toolbar (it comes with nbgrader, installed above; you need none of the
instructor's tools nbgrader also adds to JupyterLab's menus): it restarts the
notebook, runs every cell and says whether every check passes. The same in a terminal:
`nbgrader validate 01_sigmoid/sigmoid.ipynb`. Or *Kernel -> Restart Kernel and Run All Cells*, and look
for a `✓` under every exercise.

## Submitting

Save each notebook (Ctrl+S) and hand in the `.ipynb` files the way your instructor says (your course's
site, or the Assignments tab of your JupyterHub), under their own names, in their assignment folders
(`01_sigmoid/sigmoid.ipynb`, ...). Do not rename the notebooks or the functions, and do not delete or edit
the check cells: they are graded.
"""
