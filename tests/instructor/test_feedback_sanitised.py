"""Feedback pages are opened in a browser by the instructor and the student, and a student controls the outputs
and markdown of their notebook: a submission that emits scripts, event handlers, javascript: links, frames or
styles must not carry any of them into its feedback page, while the page keeps the course's own content (plots,
check results, tracebacks, math, tables). Graded by the real pipeline, like tests/instructor/test_hostile.py."""
from __future__ import annotations

import base64
import html
import re
from html.parser import HTMLParser

import nbformat
import pytest

from instructor import notebooks, pipeline
from instructor.course import Course, demo_course

from .test_hostile import ASSIGNMENT, CELL_TIMEOUT, NOTEBOOK, correct_answers, in_answer

HOSTILE, CORRECT, MISTAKE = "scripts_in_outputs", "correct", "sign_mistake"
PAGE = NOTEBOOK.replace(".ipynb", ".html")

# Every payload carries a token "pwned-N"; the page may show a token as text, never in anything that runs.
PAYLOADS = r'''
from IPython.display import HTML, SVG, Javascript, Markdown, display
display(HTML('<script>alert("pwned-1")</script><b>harmless bold</b>'))
display({'text/html': '<script>alert("pwned-2")</script>', 'text/plain': 'plain twin'}, raw=True)
display(Javascript('alert("pwned-3")'))
display(HTML('<img src=x onerror=alert("pwned-4")><img src="https://example.org/pixel.png?pwned-15">'))
display(HTML('<a href="javascript:alert(\'pwned-5\')">click me</a> '
             '<a href=" JaVaScRiPt:alert(\'pwned-5\')">or me</a>'))
display(HTML('<iframe src="javascript:alert(\'pwned-6\')"></iframe>'
             '<iframe srcdoc="<script>alert(\'pwned-6\')</script>"></iframe>'))
display(SVG('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(\'pwned-7\')"><script>alert("pwned-7")</script>'
            '<circle r="5"/></svg>'))
display(HTML('<svg onload="alert(\'pwned-8\')"><script>alert("pwned-8")</script></svg>'))
display(HTML('<style>/* pwned-9 */ img { display: none }</style><div style="display:none">pwned-9</div>'))
display(Markdown('<script>alert("pwned-10")</script> <img src=x onerror=alert("pwned-10")> '
                 '[md link](javascript:alert(\'pwned-10\'))'))
display(HTML('<script>alert("pwned-11")</script>'), metadata={'text/html': {'isolated': True}})
display({'application/vnd.jupyter.widget-view+json': {'model_id': '</script><script>alert("pwned-12")</script>',
         'version_major': 2, 'version_minor': 0}}, raw=True)
display({'text/html': '<details open ontoggle=alert("pwned-13")><summary>s</summary></details>'
                      '<form action="javascript:alert(\'pwned-13\')"><button>go</button></form>'
                      '<object data="javascript:alert(\'pwned-13\')"></object><embed src="x.swf">'
                      '<math><a xlink:href="javascript:alert(\'pwned-13\')">m</a></math>'}, raw=True)
HTML('<body onload=alert("pwned-14")><script>alert("pwned-14")</script>')
'''
MARKDOWN = r'''## My notes

<script>alert("pwned-20")</script>

<img src=x onerror="alert('pwned-21')"> and [a link](javascript:alert('pwned-22'))
<a href="javascript:alert('pwned-23')" onclick="alert('pwned-23')">html link</a>

The student's own math stays: $\tanh(x) = 2\sigma(2x) - 1$, and so does a pasted picture:
![pasted](attachment:dot.png)

| x | sigma(x) |
|---|---|
| 0 | 0.5 |
'''
RAW = '<script>alert("pwned-24")</script><img src=x onerror=alert("pwned-24")>'
PASTED_PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
TOKEN = re.compile(r"pwned-\d+")


def hostile_submission(course: Course):
    """The correct answers, plus a code cell emitting every payload, a markdown cell and a raw HTML cell carrying
    some; one of the course's own markdown cells is edited too (a student can edit any cell that is not locked)."""
    submission = correct_answers(course)
    at = submission.cells.index(dict(notebooks.check_cells(submission))["sigmoid"]) + 1
    notes = nbformat.v4.new_markdown_cell(MARKDOWN, attachments={"dot.png": {"image/png": PASTED_PNG}})
    raw = nbformat.v4.new_raw_cell(RAW, metadata={"raw_mimetype": "text/html"})
    submission.cells[at:at] = [nbformat.v4.new_code_cell(PAYLOADS), notes, raw]
    first = submission.cells[0]
    first.source += '\n\n<img src=x onerror=alert("pwned-30")><script>alert("pwned-30")</script>'
    return submission


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Course:
    course = demo_course(tmp_path_factory.mktemp("feedback"))
    pipeline.release(course)
    notebooks.write(hostile_submission(course), course.step("submitted") / HOSTILE / ASSIGNMENT / NOTEBOOK)
    notebooks.write(correct_answers(course), course.step("submitted") / CORRECT / ASSIGNMENT / NOTEBOOK)
    mistake = correct_answers(course)
    in_answer("sigmoid", lambda source: source.replace("np.exp(-x)", "np.exp(x)"))(mistake)
    notebooks.write(mistake, course.step("submitted") / MISTAKE / ASSIGNMENT / NOTEBOOK)
    report = pipeline.autograde(course, extra_args=(f"--Execute.timeout={CELL_TIMEOUT}",), show_progress=False)
    assert not report.failed, report.summary()
    pipeline.feedback(course)
    return course


def page(course: Course, student: str) -> str:
    return (course.step("feedback") / student / ASSIGNMENT / PAGE).read_text()


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text inside each <script> and <style>."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self._inside: str | None = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {name: value or "" for name, value in attrs}))
        if tag in ("script", "style"):
            self._inside = tag
            (self.scripts if tag == "script" else self.styles).append("")

    def handle_endtag(self, tag):
        if tag == self._inside:
            self._inside = None

    def handle_data(self, data):
        if self._inside:
            (self.scripts if self._inside == "script" else self.styles)[-1] += data


def embedded_documents(elements: Elements) -> list[str]:
    """Documents a page embeds as data: URLs (an SVG in an <img>, HTML in an <iframe>), decoded; PNG and JPEG
    plots are pictures, not documents."""
    found = []
    for _tag, attrs in elements.tags:
        for value in attrs.values():
            match = re.match(r"\s*data:([^;,]*)(;base64)?,(.*)", value, re.S)
            if match and match[1] not in ("image/png", "image/jpeg"):
                found.append(base64.b64decode(match[3]).decode(errors="replace") if match[2] else match[3])
    return found


def executable_payloads(text: str) -> list[str]:
    """What in a page (or in a document it embeds) could run a student's code in a browser."""
    elements = Elements(text)
    found = [f"<script>{script.strip()[:80]}" for script in elements.scripts if TOKEN.search(script)]
    found += [f"<style>{style.strip()[:80]}" for style in elements.styles if TOKEN.search(style)]
    for tag, attrs in elements.tags:
        if tag in ("iframe", "frame", "object", "embed", "form", "base") or (tag == "meta" and "http-equiv" in attrs):
            found.append(f"<{tag}> {attrs}")
        for name, value in attrs.items():
            if name.startswith("on"):
                found.append(f"<{tag} {name}={value!r}>")
            if re.sub(r"[\s\x00-\x1f]", "", value).lower().startswith(("javascript:", "vbscript:")):
                found.append(f"<{tag} {name}={value!r}>")
    for document in embedded_documents(elements):
        found += [f"embedded: {payload}" for payload in executable_payloads(document)]
        if TOKEN.search(document):
            found.append(f"embedded document with a token: {document[:80]!r}")
    return found


def test_the_hostile_submission_was_graded_and_its_payloads_ran(course):
    """The test means something only if the payloads reached the graded notebook as outputs."""
    graded = notebooks.read(course.step("autograded") / HOSTILE / ASSIGNMENT / NOTEBOOK)
    cell = next(c for c in graded.cells if c.source == PAYLOADS)
    mimes = {mime for output in cell.outputs for mime in output.get("data", {})}
    assert {"text/html", "application/javascript", "image/svg+xml", "text/markdown",
            "application/vnd.jupyter.widget-view+json"} <= mimes, mimes
    assert not [o for o in cell.outputs if o.output_type == "error"], cell.outputs


def test_feedback_carries_no_student_script_handler_or_javascript_url(course):
    text = page(course, HOSTILE)
    assert executable_payloads(text) == []
    # and the page loads no picture from elsewhere (a tracking pixel would tell a student when it is opened)
    sources = [attrs["src"] for tag, attrs in Elements(text).tags if tag == "img" and "src" in attrs]
    assert sources and all(src.startswith(("data:image/png;base64,", "data:image/jpeg;base64,")) for src in sources)


def test_the_hostile_feedback_keeps_the_course_content(course):
    hostile, correct = page(course, HOSTILE), page(course, CORRECT)
    for text in (hostile, correct):
        assert len(re.findall(r"✓ \w+\(x\) passes", text)) == 3  # every check cell's verdict
        assert r"\sigma(x) = \frac{1}{1 + e^{-x}}" in text  # the course's math, left for MathJax
        assert any("MathJax.Hub.Config" in script for script in Elements(text).scripts)  # the page's own MathJax
        images = re.findall(r'<img[^>]* src="data:image/png;base64,([^"]*)"', text)
        assert images and all(base64.b64decode(i, validate=True).startswith(b"\x89PNG") for i in images)
        assert "Score: 8.0 / 8.0" in text
    assert r"$\tanh(x) = 2\sigma(2x) - 1$" in hostile  # the student's own math
    assert f'src="data:image/png;base64,{PASTED_PNG}"' in hostile  # the picture pasted into markdown
    assert "<table>" in hostile and "<td>0.5</td>" in hostile  # the student's markdown table
    # harmless HTML survives (a link without its javascript: URL); an output whose HTML was all script shows its
    # plain text instead of nothing
    assert "<b>harmless bold</b>" in hostile and '<a rel="noopener noreferrer">click me</a>' in hostile
    assert "<pre>plain twin</pre>" in hostile


def test_well_behaved_pages_keep_their_outputs_and_tracebacks(course):
    correct, mistake = page(course, CORRECT), page(course, MISTAKE)
    assert executable_payloads(correct) == executable_payloads(mistake) == []
    assert "TypeError: must be real number, not list" in correct  # a printed error of the notebook itself
    # a failed check: its traceback, ANSI colours turned into HTML, and the name and fix of the mistake
    traceback = re.search(r'<div class="output_subarea output_text output_error">(.*?)</div>', mistake, re.S)
    assert traceback and '<span class="ansi-' in traceback[1] and "CheckFailed" in traceback[1]
    assert "likely mistake: computes σ(−x): e^(+x) in the denominator" in html.unescape(mistake)
