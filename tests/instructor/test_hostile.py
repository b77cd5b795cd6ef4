"""Broken and hostile submissions, graded by the real pipeline: each costs its own exercise (or, when the
kernel dies or the file is not a notebook, its own submission), never the rest of the batch."""
from __future__ import annotations

import html

import psutil
import pytest
from nbgrader.api import Gradebook

from instructor import grades, notebooks, pipeline
from instructor.course import Course, demo_course

ASSIGNMENT, NOTEBOOK = "01_sigmoid", "sigmoid.ipynb"
FUNCTIONS = ("basic_sigmoid", "sigmoid", "sigmoid_derivative")
CELL_TIMEOUT = 5  # seconds; nbgrader's default of 30 would make this test slow


def correct_answers(course: Course):
    """The released notebook with the taught answers filled in."""
    taught = notebooks.taught_answers(course.source / ASSIGNMENT / NOTEBOOK)
    submission = notebooks.read(course.step("release") / ASSIGNMENT / NOTEBOOK)
    for name, cell in notebooks.answer_cells(submission):
        cell.source = taught[name]
    return submission


def in_answer(name: str, change):
    def edit(submission):
        cell = dict(notebooks.answer_cells(submission))[name]
        cell.source = change(cell.source)
    return edit


def prepend(name: str, code: str):
    return in_answer(name, lambda source: code + "\n" + source)


def without_checks(submission):
    checks = dict(notebooks.check_cells(submission))
    submission.cells.remove(checks["sigmoid"])
    checks["basic_sigmoid"].source = "pass  # the student emptied this test cell"


NOISE = "import sys, warnings\nwarnings.warn('a harmless warning', RuntimeWarning)\nprint('debugging', file=sys.stderr)"
CHEAT = ("import pathlib, grader_tests\n"  # the reference is not in the sandbox: the cell fails, nothing is defined
         "exec((pathlib.Path(grader_tests.__file__).parents[1] / 'solutions' / 'sigmoid.py').read_text())")
TAMPER = "import grader_tests.core\ngrader_tests.core.values_match = lambda *args: True"
WRONG = lambda s: s.replace("np.exp(-x)", "np.exp(x)")  # noqa: E731 - the sign mistake
SIGN_MISTAKE = "known mistake: computes σ(−x): e^(+x) in the denominator"
EAT_CHECKS = ("get_ipython().input_transformers_post.append(\n"
              "    lambda lines: ['pass\\n'] if any('check(' in line for line in lines) else lines)")
FAKE_ANSWERS = ("from IPython.display import display\n"
                "get_ipython().events.register('post_run_cell', lambda result: display(\n"
                "    {'application/vnd.python-basics-numpy.answers+json': {'exercise': 'sigmoid', 'outcomes': []}},"
                " raw=True))")
FAKE_PASS = ("import sys\nfrom IPython.display import display\n"
             "get_ipython().events.register('post_run_cell', lambda result: print('✓ passes'))")
# Forging: look for the reference or the expected values in the kernel's memory and stack; award itself
# points through an execute_result (nbgrader reads one as partial credit).
SEARCH_MEMORY = """import gc, sys
def sigmoid(x):
    for obj in gc.get_objects():
        if callable(obj) and getattr(obj, '__name__', '') == 'sigmoid' and obj is not sigmoid:
            return obj(x)
    frame = sys._getframe(1)
    while frame is not None:
        for name in ('expected', 'solve', 'reference'):
            if name in frame.f_locals:
                found = frame.f_locals[name]
                return found(x) if callable(found) else found
        frame = frame.f_back
    return 1 / (1 + np.exp(x))"""
EXECUTE_RESULT = "get_ipython().displayhook(3)\n"
# Copying: a classmate's submission, the shared IPython history.
COPY = """import glob, os
FOUND = [p for pattern in ('/tmp/**/submitted/*/01_sigmoid/*.ipynb', '/var/**/*.ipynb', '/work/**/submitted/**/*.ipynb',
                           '/root/**/history.sqlite', os.path.expanduser('~/**/history.sqlite'))
         for p in glob.glob(pattern, recursive=True)]
print('copying found', FOUND)"""
# Damage: the gradebook, classmates' files, a process left behind, signals to every process in sight.
VANDAL = """import glob, os, signal, sqlite3, subprocess
TARGETS = [p for pattern in ('/tmp/**/gradebook.db', '/var/**/gradebook.db', '/work/**/gradebook.db',
                             '/tmp/**/submitted/*/*/*.ipynb', '/tmp/**/autograded/*/*/*.ipynb')
           for p in glob.glob(pattern, recursive=True)]
for path in TARGETS:
    try:
        if path.endswith('.db'):
            sqlite3.connect(path).execute('UPDATE grade SET extra_credit = 100')
        else:
            open(path, 'w').write('{}')
    except Exception as error:
        print('refused', path, error)
subprocess.Popen(['sleep', '777'], start_new_session=True)
for pid in range(2, 2000):
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass
print('vandal found', TARGETS)"""
LEAK = "print(In)\nprint(Out)\n"

# student -> (how the correct submission is spoiled, {exercise: expected diagnosis}; unnamed exercises pass)
STUDENTS = {
    # the cell times out before it defines the function
    "endless_top_level": (prepend("basic_sigmoid", "while True:\n    pass"), {"basic_sigmoid": "function not defined"}),
    "syntax_error": (in_answer("basic_sigmoid", lambda s: s.replace("def basic_sigmoid(x):", "def basic_sigmoid(x)")),
                     {"basic_sigmoid": "function not defined"}),
    "renamed": (in_answer("sigmoid_derivative", lambda s: s.replace("def sigmoid_derivative", "def derivative")),
                {"sigmoid_derivative": "function not defined"}),
    # nbgrader zeroes a test cell that writes to stderr; the checks keep a correct answer's noise away from it
    "noisy_but_correct": (in_answer("sigmoid", lambda s: s.replace("    s = 1", "    " + NOISE.replace("\n", "\n    ")
                                                                   + "\n    s = 1")), {}),
    "floods_output": (prepend("sigmoid", "print('x' * 5_000_000)\nfor i in range(100_000):\n    print(i)\n"
                                         "from IPython.display import display\n"
                                         "display({'image/png': 'iVBOR' + 'A' * 3_000_000}, raw=True)"), {}),
    "deleted_checks": (without_checks, {}),
    "reads_reference": (in_answer("sigmoid", lambda _s: CHEAT), {"sigmoid": "function not defined",
                                                                 "sigmoid_derivative": "raised NameError"}),
    # the verdict is decided outside the kernel: what a notebook changes in its own process does not count
    "tampers": (in_answer("sigmoid", lambda s: TAMPER + "\n" + WRONG(s)),
                {"sigmoid": SIGN_MISTAKE}),
    "eats_checks": (in_answer("sigmoid", lambda s: EAT_CHECKS + "\n" + WRONG(s)),
                    {name: "no answers reached the grader" for name in ("sigmoid", "sigmoid_derivative")}),
    "fakes_answers": (in_answer("sigmoid", lambda s: FAKE_ANSWERS + "\n" + WRONG(s)),
                      {"sigmoid": "answers handed over more than once"}),
    "fakes_a_pass": (in_answer("sigmoid", lambda s: FAKE_PASS + "\n" + WRONG(s)),
                     {"sigmoid": SIGN_MISTAKE}),
    "searches_memory": (in_answer("sigmoid", lambda _s: SEARCH_MEMORY), {"sigmoid": SIGN_MISTAKE}),
    "emits_a_score": (in_answer("sigmoid", lambda s: WRONG(s).replace("    return s", "    " + EXECUTE_RESULT
                                                                          + "    return s")),
                      {"sigmoid": SIGN_MISTAKE}),
    "copies": (in_answer("sigmoid", lambda s: COPY + "\n" + WRONG(s)), {"sigmoid": SIGN_MISTAKE}),
    # the vandal's own answers are right: it keeps its marks, and nobody else loses any
    "vandal": (prepend("basic_sigmoid", VANDAL), {}),
    "leaks": (prepend("sigmoid_derivative", LEAK), {}),
    "kernel_dies": (prepend("sigmoid", "import os\nos._exit(1)"), None),
}
NOT_A_NOTEBOOK = "not_json"
NO_NOTEBOOK = "no_notebook"


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> tuple[Course, pipeline.StepReport]:
    course = demo_course(tmp_path_factory.mktemp("hostile"))
    pipeline.release(course)
    for student, (spoil, _expected) in STUDENTS.items():
        submission = correct_answers(course)
        spoil(submission)
        notebooks.write(submission, course.step("submitted") / student / ASSIGNMENT / NOTEBOOK)
    (course.step("submitted") / NOT_A_NOTEBOOK / ASSIGNMENT).mkdir(parents=True)
    (course.step("submitted") / NOT_A_NOTEBOOK / ASSIGNMENT / NOTEBOOK).write_text('{"cells": [')
    (course.step("submitted") / NO_NOTEBOOK / ASSIGNMENT).mkdir(parents=True)
    (course.step("submitted") / NO_NOTEBOOK / ASSIGNMENT / "notes.txt").write_text("I forgot the notebook")
    report = pipeline.autograde(course, extra_args=(f"--Execute.timeout={CELL_TIMEOUT}",), show_progress=False)
    pipeline.feedback(course)
    return course, report


@pytest.fixture(scope="module")
def course(graded) -> Course:
    return graded[0]


@pytest.fixture(scope="module")
def rows(course):
    return {(row.student, row.exercise): row for row in grades.exercise_grades(course)}


@pytest.mark.parametrize("student", [s for s, (_spoil, expected) in STUDENTS.items() if expected is not None])
def test_a_broken_answer_costs_only_its_own_exercise(rows, student):
    expected = STUDENTS[student][1]
    for name in FUNCTIONS:
        row = rows[(student, name)]
        if name in expected:
            assert row.score == 0 and row.diagnosis.startswith(expected[name]), (name, row)
        else:
            assert (row.score, row.diagnosis) == (row.max_score, grades.PASSED), (name, row)


def test_a_dead_kernel_or_a_broken_file_is_recorded_with_its_reason(graded, rows):
    failed = graded[1].failed
    assert set(failed) == {f"kernel_dies/{ASSIGNMENT}", f"{NOT_A_NOTEBOOK}/{ASSIGNMENT}"}
    assert "DeadKernelError" in failed[f"kernel_dies/{ASSIGNMENT}"]
    assert "JSON" in failed[f"{NOT_A_NOTEBOOK}/{ASSIGNMENT}"]
    for student in ("kernel_dies", NOT_A_NOTEBOOK):
        for name in FUNCTIONS:
            assert rows[(student, name)].score == 0
            assert rows[(student, name)].diagnosis.startswith("not graded: "), rows[(student, name)]
    for name in FUNCTIONS:
        assert rows[(NO_NOTEBOOK, name)].diagnosis == "notebook not submitted"


def test_huge_output_is_cut_and_feedback_stays_small(course):
    graded = course.step("autograded") / "floods_output" / ASSIGNMENT / NOTEBOOK
    page = course.step("feedback") / "floods_output" / ASSIGNMENT / "sigmoid.html"
    assert graded.stat().st_size < 300_000 and page.stat().st_size < 600_000
    assert "output cut" in graded.read_text() and "image/png output removed: 3,000,005 characters" in graded.read_text()


def test_deleted_and_edited_checks_are_restored_and_nothing_needs_manual_grading(course):
    graded = notebooks.read(course.step("autograded") / "deleted_checks" / ASSIGNMENT / NOTEBOOK)
    checks = dict(notebooks.check_cells(graded))
    assert set(checks) == set(FUNCTIONS) and 'check("basic_sigmoid", hidden=True)' in checks["basic_sigmoid"].source
    with Gradebook(course.db_url) as gradebook:
        for student in STUDENTS:
            if student != "kernel_dies":
                assert not gradebook.find_submission(ASSIGNMENT, student).needs_manual_grade, student


def test_copying_and_damage_find_nothing_to_read_or_break(course, rows):
    graded = {student: outputs(course, student) for student in ("copies", "vandal")}
    assert "copying found []" in graded["copies"]
    assert "vandal found []" in graded["vandal"]
    with Gradebook(course.db_url) as gradebook:
        assert all(not grade.extra_credit for submission in gradebook.assignment_submissions(ASSIGNMENT)
                   for notebook in submission.notebooks for grade in notebook.grades)
    for student in STUDENTS:  # every submitted notebook is still the student's own
        assert notebooks.read(course.step("submitted") / student / ASSIGNMENT / NOTEBOOK).cells


def test_no_process_outlives_its_notebook(graded):
    assert not [p for p in psutil.process_iter(["cmdline"]) if p.info["cmdline"] == ["sleep", "777"]]


def test_feedback_shows_no_hidden_test_source(course):
    page = html.unescape((course.step("feedback") / "leaks" / ASSIGNMENT / "sigmoid.html").read_text())
    assert "print(In)" in page and "[hidden test]" in page  # the leak ran, and what it printed was redacted
    assert "hidden=True" not in page and "BEGIN HIDDEN TESTS" not in page


def outputs(course, student: str) -> str:
    graded = notebooks.read(course.step("autograded") / student / ASSIGNMENT / NOTEBOOK)
    return "".join(output.get("text", "") for cell in graded.cells for output in cell.get("outputs", []))
