"""nbgrader preprocessors this course adds to autograding and to feedback (see nbgrader_config.py)."""
from __future__ import annotations

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
