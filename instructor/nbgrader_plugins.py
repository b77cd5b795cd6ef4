"""nbgrader preprocessors, and the feedback exporter, this course adds to autograding and to feedback (see
nbgrader_config.py)."""
from __future__ import annotations

import re

import nh3
from jinja2 import pass_context
from nbconvert.exporters import HTMLExporter
from nbgrader.preprocessors import ClearHiddenTests, NbGraderPreprocessor
from traitlets import Bool, Integer


class CapOutputSize(NbGraderPreprocessor):
    """Keep every output of a graded notebook small.

    nbgrader's LimitOutput caps the number of lines, but one enormous line (print("x" * 10**8)) or a huge image
    passes it and would bloat the graded notebook and the student's feedback page. Text is cut to `max_chars`
    with a note saying so. An image (or any other output that is not text) is kept whole up to
    `max_image_chars`, as a cut image would not show at all (the course's plots take 40,000–130,000
    characters); a larger one is replaced by a note.
    """

    max_chars = Integer(20_000, help="largest size of one text output, in characters").tag(config=True)
    max_image_chars = Integer(1_000_000, help="largest size of one image or other non-text output, in "
                                              "characters (base64)").tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        for output in cell.get("outputs", []):
            if output.output_type == "stream":
                output.text = self._cut(output.text)
            elif output.output_type == "error":
                output.traceback = [self._cut(line) for line in output.traceback]
                output.evalue = self._cut(output.evalue)
            for mime, value in list(output.get("data", {}).items()):
                text = "".join(value) if isinstance(value, list) else value
                if not isinstance(text, str):
                    continue
                if mime.startswith("text/"):
                    output.data[mime] = self._cut(text)
                elif len(text) > self.max_image_chars:
                    del output.data[mime]
                    output.data["text/plain"] = f"[{mime} output removed: {len(text):,} characters, more than " \
                                                f"the {self.max_image_chars:,} a graded notebook keeps]"
        return cell, resources

    def _cut(self, text: str) -> str:
        if len(text) <= self.max_chars:
            return text
        return text[: self.max_chars] + f"\n… [output cut: {len(text) - self.max_chars:,} more characters]\n"


class StripHiddenTests(ClearHiddenTests):
    """Feedback shows each check cell as the student had it: without its hidden-test block.

    Unlike ClearHiddenTests at release time, it does not insist that hidden-test markers sit in grade cells:
    a student who types the marker into an answer cell must not break the feedback run.
    """

    enforce_metadata = Bool(False).tag(config=True)


# --- Feedback pages run nothing a student put into their notebook ------------------------------------------------
#
# A student controls the outputs and the markdown of their notebook, and the feedback page is opened in a browser.
# nbconvert's own HTMLExporter.sanitize_html is not enough here: nbgrader's feedback template renders markdown
# cells without nbconvert's clean_html filter, so a <script> in a markdown cell would still run; and it escapes,
# rather than removes, everything outside a short list of tags. Instead, everything a student's notebook turns into
# HTML goes through nh3 (the Ammonia sanitiser): its allow-list of tags and attributes, no <script> or <style>
# (content included), no event handlers, no javascript: URLs, no picture loaded from elsewhere. Text, tracebacks
# and PNG/JPEG plots are not HTML: the template escapes the first two and puts the base64 of the last into an <img>
# itself. (SanitizeHTML, nbconvert's preprocessor, cleans markdown *source*: it would escape the math's "<" and "&".)

# Generic attributes: Ammonia's (lang, title), plus class and id, which nbconvert's markdown uses for headings,
# anchor links and highlighted code.
_ATTRIBUTES = {**nh3.ALLOWED_ATTRIBUTES, "*": {"lang", "title", "class", "id"}}
_EMBEDDED_IMAGE = re.compile(r"data:image/(png|jpeg|gif);base64,[a-z0-9+/=]*", re.IGNORECASE)


def _embedded_images_only(element: str, attribute: str, value: str) -> str | None:
    """An <img> shows only a PNG, JPEG or GIF embedded in the page as a data: URL (a picture pasted into
    markdown), so that a student's page loads nothing from elsewhere (no tracking pixel); no other attribute
    keeps a data: URL."""
    bare = re.sub(r"[\x00-\x20]", "", value)  # what a browser reads: "da\tta:" is "data:"
    if element == "img" and attribute == "src":
        return value if _EMBEDDED_IMAGE.fullmatch(bare) else None
    return None if bare.lower().startswith("data:") else value


def sanitise_html(html: str) -> str:
    """`html` with nothing that can run: Ammonia's allowed tags and attributes, URLs of its safe schemes, and
    pictures only embedded ones."""
    return nh3.clean(html, attributes=_ATTRIBUTES, url_schemes=nh3.ALLOWED_URL_SCHEMES | {"data"},
                     attribute_filter=_embedded_images_only)


class SanitiseOutputs(NbGraderPreprocessor):
    """Feedback pages show a notebook's outputs without anything in them that could run in a browser.

    HTML outputs are sanitised (`sanitise_html`); outputs of other kinds are dropped unless the page shows them
    as text or as a picture: JavaScript, SVG (which can hold scripts), widgets, PDF, ... go, and if nothing
    of an output is left, a line says what was removed. Markdown outputs stay: SanitisedHTMLExporter sanitises
    the HTML it renders them to. Stream and error outputs stay: the template escapes them.
    """

    shown = ("text/plain", "image/png", "image/jpeg", "text/latex", "text/markdown")

    def preprocess_cell(self, cell, resources, index):
        for output in cell.get("outputs", []):
            data = output.get("data")
            if not data:
                continue
            removed = [mime for mime in data if mime != "text/html" and mime not in self.shown]
            for mime in removed:
                del data[mime]
            if "text/html" in data:
                html = data["text/html"]
                data["text/html"] = sanitise_html("".join(html) if isinstance(html, list) else html)
                output.get("metadata", {}).pop("text/html", None)  # no "isolated" iframe
                if not data["text/html"].strip() and len(data) > 1:  # it was all script: show the rest
                    del data["text/html"]
            if removed and not data:
                data["text/plain"] = f"[{', '.join(removed)} output: not shown in feedback pages]"
        return cell, resources


class SanitisedHTMLExporter(HTMLExporter):
    """HTMLExporter whose markdown (markdown cells, markdown outputs, graders' comments) is sanitised once it
    is HTML: sanitising the markdown source instead would escape the "<" and "&" of its math and code."""

    @pass_context
    def markdown2html(self, context, source):
        return sanitise_html(super().markdown2html(context, source))
