"""The student's path where students live: JupyterLab in a browser, the checks, and nbgrader's Validate."""
from __future__ import annotations

import shutil

import pytest

from grader_tests.exercises import all_exercises
from instructor import notebooks
from instructor.course import REPO
from tests.browser.conftest import screenshot

SIGMOID = "01_sigmoid/sigmoid.ipynb"
EXERCISES = all_exercises()
SIGN = EXERCISES["sigmoid"].mistakes[0].name  # computes σ(−x): e^(+x) in the denominator


class Notebook:
    """One notebook open in JupyterLab; cells are addressed by their index in the .ipynb file."""

    def __init__(self, page, jupyter_lab, path: str):
        self.page, self.path = page, path
        page.goto(f"{jupyter_lab.url}/lab/tree/{path}?reset&token={jupyter_lab.token}")
        page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell")
        page.wait_for_function("""() => {
            const name = document.querySelector('.jp-KernelName');
            const idle = document.querySelector('.jp-Notebook-ExecutionIndicator[data-status="idle"]');
            return name && !/No Kernel/.test(name.textContent) && idle;
        }""")
        released = notebooks.read(jupyter_lab.student_dir / path)
        self.answers = {name: released.cells.index(cell) for name, cell in notebooks.answer_cells(released)}
        self.checks = {name: released.cells.index(cell) for name, cell in notebooks.check_cells(released)}
        self.code_cells = [i for i, cell in enumerate(released.cells) if cell.cell_type == "code"]

    def cell(self, index: int):
        return self.page.locator(f'.jp-NotebookPanel .jp-Cell[data-windowed-list-index="{index}"]')

    def type_into(self, index: int, code: str) -> None:
        cell = self.cell(index)
        cell.scroll_into_view_if_needed()
        cell.locator(".cm-content").click()
        self.page.keyboard.press("Control+a")
        self.page.keyboard.insert_text(code)
        self.page.keyboard.press("Escape")

    def source(self, index: int) -> str:
        return "\n".join(self.cell(index).locator(".cm-line").all_text_contents())

    def output(self, index: int) -> str:
        return self.cell(index).locator(".jp-OutputArea").text_content() or ""

    def run_all(self) -> None:
        """Run all cells and wait until the kernel has stopped (at the end, or at the first error)."""
        self.page.locator("#jp-MainMenu .lm-MenuBar-itemLabel", has_text="Run").click()
        self.page.locator('.lm-Menu-item[data-command="runmenu:run-all"]').click()
        self.page.wait_for_function("""(indices) => {
            const prompt = i => (document.querySelector(
                `.jp-NotebookPanel .jp-Cell[data-windowed-list-index="${i}"] .jp-InputPrompt`) || {}).textContent || '';
            const prompts = indices.map(prompt);
            const running = prompts.some(p => p.includes('*'));
            const errored = document.querySelector('.jp-NotebookPanel [data-mime-type="application/vnd.jupyter.stderr"]');
            const done = /\\[\\d+\\]/.test(prompts[prompts.length - 1]);
            const idle = document.querySelector('.jp-Notebook-ExecutionIndicator[data-status="idle"]');
            return !running && idle && (done || errored) && !prompts.every(p => /\\[ \\]/.test(p));
        }""", arg=self.code_cells)

    def validate(self) -> tuple[str, str]:
        """Click nbgrader's Validate; return the verdict's class and text, and close the dialog."""
        self.page.locator(".validate-button").first.click()
        message = self.page.locator(".jp-Dialog #validation-message")
        message.wait_for()
        return message.get_attribute("class") or "", message.text_content() or ""

    def close_dialog(self) -> None:
        self.page.locator(".jp-Dialog button.jp-mod-accept").click()
        self.page.locator(".jp-Dialog").wait_for(state="detached")


def taught_answers(assignment: str, notebook: str) -> dict[str, str]:
    return notebooks.taught_answers(REPO / "notebooks" / assignment / notebook)


def test_a_student_writes_sigmoid_sees_the_checks_and_validates(page, jupyter_lab):
    notebook = Notebook(page, jupyter_lab, SIGMOID)
    screenshot(page, "01-sigmoid-opened")
    answers = taught_answers("01_sigmoid", "sigmoid.ipynb")
    for name in ("basic_sigmoid", "sigmoid", "sigmoid_derivative"):
        notebook.type_into(notebook.answers[name], answers[name])
    assert "np.exp(-x)" in notebook.source(notebook.answers["sigmoid"])
    notebook.run_all()
    for name in ("basic_sigmoid", "sigmoid", "sigmoid_derivative"):
        assert f"✓ {EXERCISES[name].signature} passes" in notebook.output(notebook.checks[name]), name
    plot = page.locator('.jp-NotebookPanel [data-mime-type="image/png"] img')
    plot.first.scroll_into_view_if_needed()
    assert plot.count() == 1 and plot.first.evaluate("img => img.naturalWidth") > 300
    page.wait_for_function("document.querySelectorAll('.jp-NotebookPanel mjx-container').length > 5")
    screenshot(page, "02-sigmoid-correct-plot")

    notebook.type_into(notebook.answers["sigmoid"], answers["sigmoid"].replace("np.exp(-x)", "np.exp(x)"))
    notebook.run_all()
    message = notebook.output(notebook.checks["sigmoid"])
    assert f"known mistake: {SIGN}" in message and "e^(−x)" in message
    notebook.cell(notebook.checks["sigmoid"]).scroll_into_view_if_needed()
    screenshot(page, "03-sigmoid-sign-mistake")

    verdict_class, verdict = notebook.validate()
    screenshot(page, "04-validate-fails")
    assert "validation-failed" in verdict_class and SIGN in verdict
    notebook.close_dialog()

    notebook.type_into(notebook.answers["sigmoid"], answers["sigmoid"])
    verdict_class, verdict = notebook.validate()
    screenshot(page, "05-validate-passes")
    assert "validation-success" in verdict_class and "Success! Your notebook passes all the tests." in verdict
    notebook.close_dialog()


def test_the_students_lab_reaches_no_solutions_and_no_instructor_tools(page, jupyter_lab):
    assert jupyter_lab.api("api/terminals") == 404  # no shell on the repository
    assert jupyter_lab.api("formgrader") == 404
    assert jupyter_lab.api(f"api/contents/{SIGMOID}") == 200
    notebook = Notebook(page, jupyter_lab, SIGMOID)
    solutions = jupyter_lab.course.source.resolve().parent / "solutions" / "sigmoid.py"
    notebook.type_into(notebook.answers["basic_sigmoid"], f"print(open({str(solutions)!r}).read())")
    notebook.run_all()
    assert "may not read the course's private files" in notebook.output(notebook.answers["basic_sigmoid"])
    menus = page.locator("#jp-MainMenu .lm-MenuBar-itemLabel").all_text_contents()
    assert "Run" in menus and "Nbgrader" not in menus
    assert page.locator(".validate-button").count() == 1


ALL = sorted(path.relative_to(REPO / "notebooks").as_posix() for path in (REPO / "notebooks").glob("*/*.ipynb"))


def open_filled(page, jupyter_lab, path: str) -> "Notebook":
    """The released notebook with the taught answers typed in, saved under filled/, open in JupyterLab."""
    assignment, name = path.split("/")
    filled = f"filled/{assignment}.ipynb"
    (jupyter_lab.student_dir / "filled").mkdir(exist_ok=True)
    shutil.copy(jupyter_lab.course.step("release") / path, jupyter_lab.student_dir / filled)
    released = notebooks.read(jupyter_lab.student_dir / filled)
    answers = taught_answers(assignment, name)
    for function, cell in notebooks.answer_cells(released):
        cell.source = answers[function]
    notebooks.write(released, jupyter_lab.student_dir / filled)
    return Notebook(page, jupyter_lab, filled)


@pytest.mark.parametrize("path", ALL)
def test_every_notebook_runs_top_to_bottom_in_the_browser(page, jupyter_lab, path):
    """The released notebook with the taught answers typed in runs to the end, every check passing."""
    notebook = open_filled(page, jupyter_lab, path)
    if notebook.code_cells:
        notebook.run_all()
    else:  # the start page: markdown only, nothing to run; it renders, tables and all
        page.wait_for_selector(".jp-NotebookPanel .jp-MarkdownOutput h1")
        assert page.locator(".jp-NotebookPanel .jp-MarkdownOutput table tr").count() == 7
    assert page.locator('.jp-NotebookPanel [data-mime-type="application/vnd.jupyter.stderr"]').count() == 0
    for function, index in notebook.checks.items():
        assert "passes" in notebook.output(index), function
    screenshot(page, f"10-runs-{path.split('/')[0]}")


EXPLORATIONS = ["01_sigmoid/sigmoid.ipynb", "04_softmax/softmax.ipynb", "06_losses/losses.ipynb"]
PIXELS = """img => {
    const canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    canvas.getContext('2d').drawImage(img, 0, 0);
    return canvas.toDataURL('image/png');
}"""


@pytest.mark.parametrize("path", EXPLORATIONS)
def test_moving_a_slider_redraws_the_exploration(page, jupyter_lab, path):
    """The interactive exploration is a live widget in JupyterLab: a slider moved by the keyboard, as a student
    would drag it, changes the plot (compared pixel by pixel, before and after)."""
    notebook = open_filled(page, jupyter_lab, path)
    notebook.run_all()
    widget = page.locator(".jp-NotebookPanel .jp-OutputArea-output .widget-vbox").last
    widget.wait_for(state="attached")  # off-screen cells are not rendered visible until scrolled to
    widget.scroll_into_view_if_needed()
    widget.wait_for()
    picture = widget.locator(".widget-image").first
    page.wait_for_function("img => img.complete && img.naturalWidth > 300", arg=picture.element_handle())
    before_src, before = picture.get_attribute("src"), picture.evaluate(PIXELS)
    slider = widget.locator(".widget-slider").first
    label = slider.locator(".widget-label").text_content()
    readout = slider.locator(".widget-readout")
    start = readout.text_content()
    screenshot(page, f"20-explore-{path.split('/')[0]}-before")
    slider.locator(".noUi-handle").first.focus()
    page.keyboard.press("ArrowRight")  # one step: one redraw
    page.wait_for_function("([img, old]) => img.getAttribute('src') !== old && img.complete",
                           arg=[picture.element_handle(), before_src])
    page.wait_for_function("""() => document.querySelector('.jp-Notebook-ExecutionIndicator[data-status="idle"]')""")
    page.wait_for_function("img => img.complete && img.naturalWidth > 300", arg=picture.element_handle())
    after = picture.evaluate(PIXELS)
    screenshot(page, f"21-explore-{path.split('/')[0]}-after")
    assert readout.text_content() != start, f"the slider {label} did not move"
    assert after != before, f"moving {label} from {start} to {readout.text_content()} did not change the plot"
