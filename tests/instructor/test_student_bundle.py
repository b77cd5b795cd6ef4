"""`make student-bundle`: the zip an instructor hands out holds the released notebooks, the check library as a
wheel and a start page, and nothing from which an answer can be read. The wheel is installed into a fresh
virtual environment outside the repository, where the released notebooks run with the taught answers typed in,
nbgrader's Validate works, and every check says exactly what it says in the repository."""
from __future__ import annotations

import ast
import io
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell

from grader_tests import answers
from grader_tests.core import ARRAY, SCALAR
from grader_tests.exercises import all_exercises
from instructor import notebooks, student_bundle
from instructor.grading import verdict
from instructor.course import REPO, Course, demo_course
from instructor.student_bundle import START_HERE, TOP, normalised
from tests.conftest import outputs_text

EXERCISES = all_exercises()
SOURCE_NOTEBOOKS = sorted((REPO / "notebooks").glob("*/*.ipynb"))
ASSIGNMENTS = sorted({path.parent.name for path in SOURCE_NOTEBOOKS})
WHEEL = re.compile(r"python_basics_numpy_checks-[\d.]+-py3-none-any\.whl")


# ---------------------------------------------------------------------------------------------- the bundle


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, str, str]:
    """The bundle of a course of its own (SQLite, whatever nbgrader_config.py says), which has no release/ yet;
    then made again by the command `make student-bundle` runs, which finds the release up to date."""
    course = demo_course(tmp_path_factory.mktemp("bundle-course"))
    path, summary = student_bundle.build(course)
    assert path == course.root / "dist" / "student-bundle.zip"
    first = path.read_bytes()
    result = subprocess.run([sys.executable, "-m", "instructor", "student-bundle", "--root", str(course.root)],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    with zipfile.ZipFile(io.BytesIO(first)) as before, zipfile.ZipFile(path) as after:
        assert before.namelist() == after.namelist()
    return path, summary, result.stdout


@pytest.fixture(scope="module")
def bundle(built) -> Path:
    return built[0]


@pytest.fixture(scope="module")
def unpacked(bundle, tmp_path_factory) -> Path:
    """The bundle as a student unpacks it, outside the repository."""
    where = tmp_path_factory.mktemp("student")
    assert not where.is_relative_to(REPO)
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(where)
    return where / TOP


def test_the_bundle_holds_every_notebook_the_wheel_and_the_start_page(built):
    bundle, summary, printed = built
    assert f"release: {len(ASSIGNMENTS)} assignments" in summary  # the course had no release/: made first
    assert "release:" not in printed and f"wrote {bundle}" in printed  # then up to date: not made again
    with zipfile.ZipFile(bundle) as archive:
        names = set(archive.namelist())
    wheels = [name for name in names if WHEEL.fullmatch(name.removeprefix(f"{TOP}/"))]
    expected = {f"{TOP}/{path.parent.name}/{path.name}" for path in SOURCE_NOTEBOOKS}
    assert len(wheels) == 1 and ASSIGNMENTS and len(expected) == len(ASSIGNMENTS)
    assert names == expected | {f"{TOP}/{START_HERE}", wheels[0]}


def test_the_notebooks_are_the_student_versions(unpacked):
    for path in SOURCE_NOTEBOOKS:
        released = notebooks.read(unpacked / path.parent.name / path.name)
        text = json.dumps(released)
        assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text and "hidden=True" not in text
        answer_cells = list(notebooks.answer_cells(released))
        assert len(answer_cells) == len(list(notebooks.answer_cells(notebooks.read(path)))), path.name
        assert all("raise NotImplementedError()" in cell.source for _, cell in answer_cells)


def test_the_wheel_holds_only_the_check_library(unpacked):
    [wheel] = unpacked.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        top_level = next(archive.read(n).decode() for n in names if n.endswith(".dist-info/top_level.txt"))
        metadata = next(archive.read(n).decode() for n in names if n.endswith(".dist-info/METADATA"))
    packages = {name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")}
    assert packages == {"grader_tests"} and top_level.split() == ["grader_tests"]
    assert not [n for n in names if "solutions" in n or n.endswith(".ipynb") or n.startswith("instructor")]
    assert "grader_tests/mistakes.json" in names
    assert "Requires-Dist: numpy" in metadata


def test_the_start_page_says_how_to_install_check_validate_and_submit(unpacked):
    page = (unpacked / START_HERE).read_text()
    [wheel] = unpacked.glob("*.whl")
    pins = student_bundle.pins()
    for needed in ("python3 -m venv", f"pip install ./{wheel.name}", "conda create", "conda activate",
                   f"RUN pip install --no-cache-dir /tmp/{wheel.name}", "Validate", "nbgrader validate",
                   "check cell", "Submitting", *(f"{name}=={pins[name]}" for name in student_bundle.STUDENT_PINS)):
        assert needed in page, needed
    assert len(page.splitlines()) < 80  # one page


def test_a_stale_release_is_noticed(bundle):
    course = Course(bundle.parent.parent)
    assert not student_bundle.release_is_stale(course)
    released = course.step("release") / SOURCE_NOTEBOOKS[0].parent.name / SOURCE_NOTEBOOKS[0].name
    old = SOURCE_NOTEBOOKS[0].stat().st_mtime - 60
    os.utime(released, (old, old))
    assert student_bundle.release_is_stale(course)


# ------------------------------------------------------------------------------ nothing to read answers from


def computes(line: str) -> bool:
    """A line that computes something (an operator, a NumPy or math call); `m, n = W.shape`, a `for` header or
    `return s` give nothing away."""
    return bool(re.search(r"[-+*/@]|\bnp\.|\bmath\.|\.reshape\(", line))


def shown_to_students(path: Path) -> str:
    """What a source notebook shows students on purpose: every cell, with the solution regions cut out."""
    parts = []
    for cell in notebooks.read(path).cells:
        parts.append(re.sub(r"### BEGIN SOLUTION.*?### END SOLUTION", "", cell.source, flags=re.S))
    return normalised("\n".join(parts))


def secrets() -> dict[str, str]:
    """{normalised code: where it comes from}: the reference solutions' computing lines, the source notebooks'
    solution regions' computing lines (unless the notebook's own text teaches that line), and every catalogued
    mistake's code."""
    taught_in_text = " ".join(shown_to_students(path) for path in SOURCE_NOTEBOOKS)
    found = {}
    for path in sorted((REPO / "solutions").glob("[!_]*.py")):
        source = path.read_text()
        for function in (n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.FunctionDef)):
            for node in ast.walk(function):
                if isinstance(node, (ast.Assign, ast.AugAssign, ast.Return)):
                    found[normalised(ast.get_source_segment(source, node))] = f"solutions/{path.name}"
    for path in SOURCE_NOTEBOOKS:
        taught = notebooks.taught_answers(path)
        for name, cell in notebooks.answer_cells(notebooks.read(path)):
            region = cell.source.split("### BEGIN SOLUTION")[1].split("### END SOLUTION")[0]
            for line in region.splitlines():
                code = normalised(line.split("#")[0])
                assert not code or code in normalised(taught[name])
                found[code] = f"{path.parent.name}: the answer to {name}"
    found = {code: origin for code, origin in found.items()
             if code and computes(code) and code not in taught_in_text}
    for exercise in EXERCISES.values():
        for mistake in exercise.mistakes:
            found[normalised(mistake.code)] = f"{exercise.name}: the code of mistake {mistake.name!r}"
    return found


SECRETS = secrets()


def hidden_expected_values() -> dict[str, str]:
    """{text: exercise} for the reference's answers on the hidden inputs, as .npy data and as the first number's
    repr (unless a worked example, which is public, has that number too)."""
    public = {repr(float(v)) for exercise in EXERCISES.values() for example in exercise.examples
              for v in np.ravel(example.expected)}
    found = {}
    for name, exercise in EXERCISES.items():
        for _args, expected in verdict.expected_answers(name)[len(exercise.examples):]:
            encoded = answers.encode(expected)
            if "ndarray" in encoded or "numpy_scalar" in encoded:
                found[encoded.get("ndarray") or encoded["numpy_scalar"]] = name
            first = repr(float(np.ravel(expected)[0]))
            if len(first) > 10 and first not in public:  # a number this long is in no file by chance
                found[first] = name
    return found


HIDDEN_VALUES = hidden_expected_values()


def texts(archive: zipfile.ZipFile, prefix: str = "") -> dict[str, str]:
    """{member: what to search in it} for every file of the archive, and of every archive inside it: the raw text,
    and for JSON (notebooks included) every string in it, unescaped."""
    found = {}
    for name in archive.namelist():
        data = archive.read(name)
        if name.endswith((".whl", ".zip")):
            with zipfile.ZipFile(io.BytesIO(data)) as inner:
                found.update(texts(inner, f"{prefix}{name}!"))
            continue
        text = data.decode("utf-8", errors="replace")
        if name.endswith((".json", ".ipynb")):
            text += "\n".join(strings(json.loads(text)))
        found[prefix + name] = text
    return found


def strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in strings(item)]
    return []


def leaks(bundle: Path) -> list[str]:
    found = []
    with zipfile.ZipFile(bundle) as archive:
        for member, text in texts(archive).items():
            flat = normalised(text)
            found += [f"{member}: {origin}: {code}" for code, origin in SECRETS.items() if code in flat]
            found += [f"{member}: a hidden answer of {name}" for value, name in HIDDEN_VALUES.items() if value in text]
    return found


def test_the_secrets_are_what_they_should_be():
    """The scan looks for something: every exercise's answer, the references and all mistakes."""
    origins = set(SECRETS.values())
    assert {f"{p.parent.name}: the answer to {n}" for p in SOURCE_NOTEBOOKS
            for n, _ in notebooks.answer_cells(notebooks.read(p))} - origins <= {
        "04_softmax: the answer to softmax"}  # the notebook's text walks through its three lines
    assert all(normalised(m.code) in SECRETS for e in EXERCISES.values() for m in e.mistakes)
    assert len({o for o in origins if o.startswith("solutions/")}) == 6 and len(HIDDEN_VALUES) > 400


def test_no_reference_code_no_answer_no_mistake_code_no_hidden_answer(bundle):
    assert leaks(bundle) == []


@pytest.mark.parametrize("member,planted", [
    (f"{TOP}/{START_HERE}", "    loss = np.sum(np.abs(y - yhat))"),  # a notebook's answer line
    ("grader_tests/inputs.py", "# d = np.subtract(y, yhat, dtype=float).ravel()"),  # a reference line, in the wheel
    ("grader_tests/mistakes.json", "return 1 / (1 + np.exp(x))"),  # a mistake's code
    (f"{TOP}/01_sigmoid/sigmoid.ipynb", None),  # an answer typed into the released notebook
])
def test_the_scan_finds_what_is_planted(bundle, tmp_path, member, planted):
    spoiled = tmp_path / "spoiled.zip"
    with zipfile.ZipFile(bundle) as source, zipfile.ZipFile(spoiled, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == member and planted is None:
                released = json.loads(data)
                cell = next(c for c in released["cells"] if "def sigmoid(" in "".join(c["source"]))
                cell["source"] = "".join(cell["source"]).replace("raise NotImplementedError()",
                                                                 "s = 1 / (1 + np.exp(-x))")
                data = json.dumps(released).encode()
            elif name == member:
                data += ("\n" + planted + "\n").encode()
            elif WHEEL.fullmatch(name.removeprefix(f"{TOP}/")):
                data = replanted(data, member, planted)
            target.writestr(name, data)
    assert leaks(spoiled), f"nothing found after planting {planted!r} into {member}"


def replanted(wheel: bytes, member: str, planted: str | None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(wheel)) as source, zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == member and name.endswith(".json"):
                data = json.dumps({**json.loads(data), "planted": planted}).encode()
            elif name == member:
                data += ("\n" + planted + "\n").encode()
            target.writestr(name, data)
    return out.getvalue()


# ------------------------------------------------------------------------------ in a fresh environment


@pytest.fixture(scope="module")
def fresh(unpacked, tmp_path_factory) -> Path:
    """A virtual environment outside the repository with what START_HERE.md has students install: the wheel,
    and the pinned NumPy, Matplotlib and a kernel (ipykernel: JupyterLab itself is not needed here).

    pip installs them the way `make .venv/.ready` installs the course's pins (this machine's pip configuration:
    its package index and wheel cache), constrained to requirements.txt. That is what a student does, it
    proves the wheel's dependencies, and with the cache warm it takes about 15 s. The alternative, a .pth file
    pointing into the repository's .venv, would share the instructor's site-packages (and, unless removed, its
    editable install of the repository) with the environment under test."""
    venv = tmp_path_factory.mktemp("fresh") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    [wheel] = unpacked.glob("*.whl")
    result = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet",
                             "--disable-pip-version-check", "--no-compile", "-c", str(REPO / "requirements.txt"),
                             str(wheel), "ipykernel", "matplotlib", "ipywidgets"],
                            capture_output=True, text=True, timeout=600, cwd=unpacked)
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    return venv


@pytest.fixture(scope="module")
def kernels(fresh, tmp_path_factory) -> Path:
    """A Jupyter data folder whose kernelspec `python3` (the notebooks' kernel) starts the fresh environment's
    Python: JUPYTER_PATH for nbgrader, kernel_dirs for nbclient."""
    jupyter = tmp_path_factory.mktemp("jupyter")
    spec = jupyter / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [str(fresh / "bin" / "python"), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (student bundle)", "language": "python"}))
    return jupyter


PROBE = """import importlib.util, json, os, sys
import grader_tests
print(json.dumps({"prefix": sys.prefix, "library": grader_tests.__file__, "cwd": os.getcwd(),
                  "solutions": importlib.util.find_spec("solutions") is not None,
                  "instructor": importlib.util.find_spec("instructor") is not None,
                  "mistake code": [m.name for e in grader_tests.exercises.all_exercises().values()
                                   for m in e.mistakes if m.code is not None]}))"""


def with_taught_answers(unpacked: Path, source: Path):
    """The released notebook from the bundle, with the answers its source notebook teaches typed in."""
    taught = notebooks.taught_answers(source)
    notebook = notebooks.read(unpacked / source.parent.name / source.name)
    for name, cell in notebooks.answer_cells(notebook):
        cell.source = taught[name]
    return notebook


@pytest.mark.parametrize("source", SOURCE_NOTEBOOKS, ids=[p.parent.name for p in SOURCE_NOTEBOOKS])
def test_released_notebook_runs_in_the_fresh_environment(source, unpacked, fresh, kernels):
    """Every visible check passes; the hidden checks hand their answers over, and the grader (here, in the
    repository) finds them right."""
    notebook = with_taught_answers(unpacked, source)
    names = [name for name, _ in notebooks.answer_cells(notebook)]
    notebook.cells += [new_code_cell(f'check("{name}", hidden=True)') for name in names]
    notebook.cells.append(new_code_cell(PROBE))
    workdir = unpacked / source.parent.name
    manager = KernelManager(kernel_name="python3",
                            kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(kernels / "kernels")]))
    NotebookClient(notebook, km=manager, timeout=120, allow_errors=True,
                   resources={"metadata": {"path": str(workdir)}}).execute()

    probe = json.loads(outputs_text(notebook.cells[-1]))
    assert Path(probe["prefix"]).resolve() == fresh.resolve()
    assert Path(probe["library"]).resolve().is_relative_to(fresh.resolve())
    assert Path(probe["cwd"]).resolve() == workdir.resolve() and not workdir.resolve().is_relative_to(REPO)
    assert not probe["solutions"] and not probe["instructor"] and probe["mistake code"] == []
    for cell in notebook.cells[:-1]:
        if cell.cell_type == "code":
            assert not [o for o in cell.outputs if o.output_type == "error"], outputs_text(cell)
    for name, cell in notebooks.check_cells(notebook):
        assert outputs_text(cell).startswith(f"✓ {EXERCISES[name].signature} passes"), outputs_text(cell)
    for index, name in enumerate(names, start=len(notebook.cells) - 1 - len(names)):
        judged = verdict.judge_cell(notebook.cells[index], notebook.cells[:index])
        assert judged.get("text", "").startswith(f"✓ {EXERCISES[name].signature} passes"), judged


def validate(notebook, path: Path, kernels: Path) -> str:
    notebooks.write(notebook, path)
    result = subprocess.run([sys.executable, "-m", "nbgrader", "validate", "--Validator.validate_all=True",
                             str(path)], cwd=path.parent, capture_output=True, text=True, timeout=300,
                            env={**os.environ, "JUPYTER_PATH": str(kernels)})
    return result.stdout + result.stderr


def test_nbgrader_validate_runs_the_notebook_in_the_fresh_environment(unpacked, fresh, kernels):
    """nbgrader (the repository's) validates with the kernel of the fresh environment: a cell added here fails
    the validation unless it runs there."""
    source = REPO / "notebooks" / "01_sigmoid" / "sigmoid.ipynb"
    notebook = with_taught_answers(unpacked, source)
    notebook.cells.append(new_code_cell(
        f"import sys, grader_tests\nassert sys.prefix == {str(fresh)!r}, sys.prefix\n"
        f"assert grader_tests.__file__.startswith({str(fresh)!r}), grader_tests.__file__"))
    path = unpacked / "01_sigmoid" / "validated.ipynb"
    assert "Success! Your notebook passes all the tests." in validate(notebook, path, kernels)

    answer = dict(notebooks.answer_cells(notebook))["sigmoid"]
    answer.source = answer.source.replace("np.exp(-x)", "np.exp(x)")
    said = validate(notebook, path, kernels)
    seed_mistake = all_exercises()["sigmoid"].mistakes[0].name
    assert "VALIDATION FAILED" in said and f"known mistake: {seed_mistake}" in said, said


# ------------------------------------------------- the wheel's checks say what the repository's checks say

DRIVER = r"""
import contextlib, io, json, linecache, math, sys
import numpy as np
import grader_tests, grader_tests.core
from grader_tests import CheckFailed, check
from grader_tests.exercises import all_exercises

grader_tests.core.CALL_SECONDS = 0.3  # endless loops are stopped sooner
said = {}
for number, case in enumerate(json.load(sys.stdin)):
    filename = f"<answer cell {number}>"  # so that the loop rules can read the function's source
    linecache.cache[filename] = (len(case["source"]), None, case["source"].splitlines(True), filename)
    namespace = {"np": np, "math": math, "check": check}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        try:
            exec(compile(case["source"], filename, "exec"), namespace)
            exec(f"check({case['exercise']!r})", namespace)
        except CheckFailed as failure:
            print(f"CheckFailed: {failure}")
    said[case["label"]] = out.getvalue()
print(json.dumps({"library": grader_tests.__file__, "said": said,
                  "mistake code": sum(m.code is not None for e in all_exercises().values() for m in e.mistakes)}))
"""


def cases() -> list[dict]:
    """Answers as a student types them, for every exercise: the stub, every catalogued mistake, the taught
    answer, and the misbehaviours every exercise recognises."""
    taught = "\n\n".join(src for path in SOURCE_NOTEBOOKS for src in notebooks.taught_answers(path).values())
    found = []

    def add(name, kind, body):
        source = f"{taught}\n\n_taught = {name}\n\ndef {EXERCISES[name].signature}:\n{body}\n"
        found.append({"exercise": name, "label": f"{name}: {kind}", "source": source})

    for name, exercise in EXERCISES.items():
        args = ", ".join(exercise.params)
        add(name, "stub", "    # YOUR CODE HERE\n    raise NotImplementedError()")
        found.append({"exercise": name, "label": f"{name}: taught", "source": taught})
        for number, mistake in enumerate(exercise.mistakes):
            found.append({"exercise": name, "label": f"{name}: mistake {number}",
                          "source": exercise.source_of(mistake)})
        expected = exercise.examples[0].expected
        literal = f"np.array({expected.tolist()!r})" if isinstance(expected, np.ndarray) else repr(expected)
        add(name, "hard-coded", f"    return {literal}")
        add(name, "ignores input", f"    return _taught(*all_exercises()[{name!r}].random_case(np.random.default_rng(1)))")
        add(name, "None", "    result = _taught({args})".format(args=args))
        add(name, "raises", "    return undefined_name")
        if exercise.returns == ARRAY:
            add(name, "list", f"    return np.asarray(_taught({args})).tolist()")
        if exercise.returns == SCALAR:
            add(name, "array", f"    return np.array([_taught({args})])")
        if isinstance(exercise.examples[0].args[0], np.ndarray):
            add(name, "changes input", f"    result = np.copy(_taught({args}))\n    {exercise.params[0]}[...] = 0\n"
                                       "    return result")
        if exercise.loops is False:
            add(name, "comprehension", f"    return np.array([v for v in _taught({args})])")
        if exercise.loops is True:
            add(name, "no loop", f"    return _taught({args})")
        found.append({"exercise": name, "label": f"{name}: not defined", "source": ""})
    for name in ("sigmoid", "gdot_loop"):
        add(name, "endless loop", "    while True:\n        pass")
    return [dict(case, source=case["source"].replace("all_exercises()", "__import__('grader_tests.exercises', "
                                                    "fromlist=['all_exercises']).all_exercises()")) for case in found]


def what_the_checks_say(python: Path, cwd: Path) -> dict:
    result = subprocess.run([str(python), "-c", DRIVER], input=json.dumps(cases()), capture_output=True,
                            text=True, cwd=cwd, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


def test_the_wheels_checks_say_what_the_repositorys_say(fresh, tmp_path):
    """Message for message, in the fresh environment (mistakes known from data) and the repository's (mistakes
    run from code); and the messages are the right ones: stubs not attempted, the seed mistake named, …"""
    wheel = what_the_checks_say(fresh / "bin" / "python", tmp_path)
    repository = what_the_checks_say(Path(sys.executable), tmp_path)
    assert Path(wheel["library"]).resolve().is_relative_to(fresh.resolve()) and wheel["mistake code"] == 0
    assert Path(repository["library"]).resolve().is_relative_to(REPO) and repository["mistake code"] > 0
    said = wheel["said"]
    assert said == repository["said"]

    def summary(label):
        first = said[label].splitlines()[0]
        return first.split(": ", 2)[-1] if first.startswith("CheckFailed") else first

    for name, exercise in EXERCISES.items():
        assert summary(f"{name}: stub") == "not attempted"
        assert summary(f"{name}: mistake 0") == f"known mistake: {exercise.mistakes[0].name}"
        assert summary(f"{name}: taught").startswith(f"✓ {exercise.signature} passes")
        assert summary(f"{name}: None") == "returned None"
        assert summary(f"{name}: raises") == "raised NameError"
        assert summary(f"{name}: not defined") == "function not defined"
        assert summary(f"{name}: ignores input") == "known mistake: ignores its argument"
        if len(exercise.examples) > 1:
            assert summary(f"{name}: hard-coded") == "known mistake: returns the worked example's answer whatever the input"
        kinds = {"list": "returned a list", "array": "returned an array where a number is expected",
                 "changes input": f"changes its input {exercise.params[0]}",
                 "comprehension": "uses a Python list comprehension", "no loop": "no Python loop"}
        for kind, expected in kinds.items():
            if f"{name}: {kind}" in said:
                assert summary(f"{name}: {kind}") == expected, (name, kind)
    assert summary("sigmoid: endless loop") == summary("gdot_loop: endless loop") == "did not finish (endless loop?)"
    named = sum(summary(f"{n}: mistake {i}").startswith("known mistake") for n, e in EXERCISES.items()
                for i in range(len(e.mistakes)))
    assert named >= len(EXERCISES)
