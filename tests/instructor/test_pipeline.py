"""End to end on a real nbgrader course: release → submissions → autograde → feedback → grades."""
from __future__ import annotations

import base64
import csv
import html
import re
import shutil

import pytest
from nbgrader.api import Gradebook

from grader_tests.exercises import all_exercises
from instructor import demo, grades, notebooks, pipeline, sample_class
from instructor.course import REPO, Course, demo_course

EXERCISES = all_exercises()

@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Course:
    """Exactly what `make demo` does, in a temporary folder."""
    course, graded = demo.run(tmp_path_factory.mktemp("course") / "demo")
    assert not graded.failed, graded.summary()
    return course


@pytest.fixture(scope="module")
def rows(course) -> dict[tuple[str, str], grades.ExerciseGrade]:
    return {(row.student, row.exercise): row for row in grades.exercise_grades(course)}


def expected_outcome(student: str, name: str) -> tuple[str, bool]:
    """(diagnosis, full marks?) for one student and exercise."""
    return {
        sample_class.CORRECT: (grades.PASSED, True),
        sample_class.MISTAKES: (f"known mistake: {EXERCISES[name].mistakes[0].name}", False),
        sample_class.BLANK: ("not attempted", False),
    }[student]


def test_every_exercise_gets_exactly_the_expected_score(course, rows):
    assert {student for student, _ in rows} == set(sample_class.STUDENTS)
    assert {name for _, name in rows} == set(EXERCISES)
    for (student, name), row in rows.items():
        diagnosis, full_marks = expected_outcome(student, name)
        assert (row.diagnosis, row.score) == (diagnosis, row.max_score if full_marks else 0), (student, name)


def test_the_class_report_is_written_and_self_contained(course):
    page = (course.root / "report" / "index.html").read_text()
    assert page.count("<img") == 2 and "data:image/png;base64," in page
    assert "http://" not in page and "https://" not in page  # nothing to fetch
    for name in EXERCISES:
        assert f"known mistake: {html.escape(EXERCISES[name].mistakes[0].name)}" in page


def test_grades_csv_has_each_students_total(course, rows):
    with (course.root / "grades.csv").open() as handle:
        totals = {(r["student_id"], r["assignment"]): float(r["score"]) for r in csv.DictReader(handle)}
    for (student, assignment), total in totals.items():
        assert total == sum(r.score for (s, _), r in rows.items() if s == student and r.assignment == assignment)
    assert totals[(sample_class.CORRECT, "01_sigmoid")] == 8
    with (course.root / "exercise_grades.csv").open() as handle:
        assert next(csv.reader(handle)) == ["student", "assignment", "notebook", "exercise", "score",
                                            "max_score", "diagnosis"]


def test_feedback_names_the_mistake_and_the_fix(course):
    for assignment in course.assignments:
        for page in (course.step("feedback") / sample_class.MISTAKES / assignment).glob("*.html"):
            text = html.unescape(page.read_text())
            for name, cell in notebooks.check_cells(notebooks.read(course.source / assignment / f"{page.stem}.ipynb")):
                mistake = EXERCISES[name].mistakes[0]
                assert f"likely mistake: {mistake.name}" in text and mistake.fix in text


def test_every_plot_reaches_the_feedback_whole(course):
    """Plots, and the static picture of each interactive exploration (its widget cannot be shown there)."""
    for assignment in course.assignments:
        if not (course.step("feedback") / sample_class.CORRECT / assignment).is_dir():
            continue  # the start page: nothing to hand in
        page = next((course.step("feedback") / sample_class.CORRECT / assignment).glob("*.html")).read_text()
        images = re.findall(r'<img[^>]* src="data:image/png;base64,([^"]*)"', page)
        assert images, f"{assignment}: no plot in the feedback"
        for image in images:
            assert base64.b64decode(image, validate=True).startswith(b"\x89PNG"), f"{assignment}: a broken plot"


def reference_lines() -> set[str]:
    """Code lines of solutions/ that a student could not have written from the notebooks and the checks' hints."""
    public = [*(REPO / "notebooks").glob("*/*.ipynb"), *(REPO / "grader_tests").rglob("*.py")]
    taught = "".join(path.read_text() for path in public)
    lines = set()
    for path in (REPO / "solutions").glob("[!_]*.py"):
        for line in path.read_text().splitlines():
            line = line.strip()
            if len(line) > 12 and not line.startswith(('"""', "#", "import", "def ")) and line not in taught:
                lines.add(line)
    return lines


def taught_answer_lines(course: Course) -> set[str]:
    """Lines of the source notebooks' solution regions that neither the notebook text nor the stub (which may
    scaffold, e.g. `# m, n = W.shape`) gives away."""
    lines = set()
    for path in course.source.glob("*/*.ipynb"):
        notebook = notebooks.read(path)
        text = "".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")
        for _name, cell in notebooks.answer_cells(notebook):
            source = cell.source
            start, end = source.index("### BEGIN SOLUTION"), source.index("### END SOLUTION")
            region, stub = source[start:end], source[:start] + source[end:]
            lines |= {line.strip() for line in region.splitlines()[1:]
                      if line.strip() and line.strip() not in text and line.strip() not in stub}
    return lines


def test_no_reference_code_reaches_students(course):
    secret = reference_lines()
    assert secret, "the check would be vacuous"
    answers = taught_answer_lines(course)
    student_visible = [*course.step("release").rglob("*"), *course.step("feedback").rglob("*"),
                       *course.step("autograded").rglob("*")]
    files = [path for path in student_visible if path.is_file()]
    assert files
    for path in files:
        text = html.unescape(path.read_text(errors="replace"))
        assert not [line for line in secret if line in text], path
        if sample_class.BLANK in path.parts or "release" in path.parts:
            assert not [line for line in answers if line in text], path


def test_released_stubs_fail_every_test(course):
    """nbgrader's own validate --invert: the student version must not pass any test."""
    paths = sorted(str(path) for path in course.step("release").glob("*/*.ipynb"))
    result = course.nbgrader("validate", "--invert", *paths)
    assert result.stdout.count("Success! The notebook does not pass any tests.") == len(paths), result.stdout


def test_the_start_page_is_released_but_not_handed_in(course):
    """An assignment without graded cells: released (so `make lab` copies it), never submitted by the sample class,
    and no rows in the exercise grades."""
    assert (course.step("release") / "00_start_here" / "start_here.ipynb").is_file()
    assert not list(course.step("submitted").glob("*/00_start_here"))
    assert not [row for row in grades.exercise_grades(course) if row.assignment == "00_start_here"]


def test_release_holds_only_notebooks(course):
    released = [p for p in course.step("release").rglob("*") if p.is_file()]
    assert released and all(p.suffix == ".ipynb" for p in released)


def gradebook_contents(db_url: str) -> dict:
    """Every grade and comment of every submission, by name."""
    found = {}
    with Gradebook(db_url) as gradebook:
        for assignment in gradebook.assignments:
            for submission in assignment.submissions:
                for notebook in submission.notebooks:
                    for grade in notebook.grades:
                        found[(submission.student.id, assignment.name, notebook.name, grade.name)] = (
                            grade.auto_score, grade.manual_score, grade.needs_manual_grade)
                    for comment in notebook.comments:
                        found[(submission.student.id, assignment.name, notebook.name, comment.name)] = (
                            comment.auto_comment,)
    return found


def test_grading_on_a_local_dask_cluster_gives_exactly_what_serial_nbgrader_gives(course, tmp_path):
    """`make demo` graded on a LocalCluster; the same submissions graded by one plain `nbgrader autograde`
    process: same gradebook, score for score."""
    first = next(a for a in course.assignments if list(course.step("submitted").glob(f"*/{a}")))  # not the start
    # page, which nobody hands in; every profile of student has submitted it: enough to compare
    serial = demo_course(tmp_path / "serial")
    for submission in course.step("submitted").glob(f"*/{first}"):
        shutil.copytree(submission, serial.step("submitted") / submission.parent.name / first)
    pipeline.release(serial)
    serial.nbgrader("autograde", first, "--force", check=False)
    on_dask = {key: value for key, value in gradebook_contents(course.db_url).items() if key[1] == first}
    assert len({key[0] for key in on_dask}) == len(sample_class.STUDENTS)
    assert on_dask == gradebook_contents(serial.db_url)


def test_feedback_shows_no_hidden_tests(course):
    pages = list(course.step("feedback").rglob("*.html"))
    assert pages
    for page in pages:
        text = html.unescape(page.read_text())
        assert "HIDDEN TESTS" not in text and "hidden=True" not in text, page
