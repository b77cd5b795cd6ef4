"""nbgrader configuration for the course (read from the repository root by every `instructor` command)."""
from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import (AssignLatePenalties, CheckCellMetadata, Execute, GetGrades, IgnorePattern,
                                    LimitOutput, SaveAutoGrades)

from instructor.nbgrader_plugins import CapOutputSize, SanitisedHTMLExporter, SanitiseOutputs, StripHiddenTests
from instructor.verdict import JudgeChecks

c = get_config()  # noqa: F821 - provided by traitlets when nbgrader loads this file

c.CourseDirectory.course_id = "python-basics-numpy"
c.CourseDirectory.source_directory = "notebooks"
# Every file beside a source notebook reaches students; tests/test_notebooks.py keeps notebooks/ to notebooks.

c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.enforce_metadata = True

# A student who deletes a test cell gets it back at grading time, instead of a "needs manual grading" forever.
c.OverwriteCells.add_missing_cells = True

# An infinite loop costs its own cell, not the batch.
c.Execute.timeout = 30

# nbgrader's own list, with two additions. JudgeChecks, right after the notebook has run: the grader's verdict
# (decided outside the student's kernel) becomes each check cell's only output, so it alone decides the score.
# CapOutputSize after LimitOutput: huge output is cut, feedback stays small.
c.Autograde.autograde_preprocessors = [Execute, JudgeChecks, IgnorePattern, ClearMetadataPreprocessor, LimitOutput,
                                       CapOutputSize, SaveAutoGrades, AssignLatePenalties, CheckCellMetadata]

# Feedback pages leave out the hidden-test blocks of check cells (nbgrader shows them by default), and carry no
# script, event handler or javascript: URL from a student's outputs or markdown (see instructor/nbgrader_plugins.py:
# HTMLExporter.sanitize_html would leave markdown cells, which nbgrader's feedback template renders, unsanitised).
c.GenerateFeedback.preprocessors = [GetGrades, CSSHTMLHeaderPreprocessor, StripHiddenTests, SanitiseOutputs]
c.GenerateFeedback.exporter_class = SanitisedHTMLExporter
