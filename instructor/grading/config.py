"""nbgrader's configuration for this course, built from the installed package.

One mechanism for every place nbgrader runs: nbgrader_config.py (plain `nbgrader` commands at the course root)
merges `nbgrader_config()`, and a grading worker, which has this package but not the course folder, builds the
same configuration from it, plus the run's options (`overrides`).
"""
from __future__ import annotations

from traitlets.config import Config
from traitlets.config.loader import KVArgParseConfigLoader

CELL_TIMEOUT = 30  # seconds: an endless loop at the top of a cell costs that cell, not the batch


def nbgrader_config() -> Config:
    """Everything the course sets in nbgrader (stub text, restored test cells, the cell timeout, the grader's
    verdict and output caps in autograde, the late policy, sanitised feedback)."""
    from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor
    from nbgrader.preprocessors import (AssignLatePenalties, CheckCellMetadata, Execute, GetGrades, IgnorePattern,
                                        LimitOutput, SaveAutoGrades)

    from instructor.grading.verdict import JudgeChecks
    from instructor.nbgrader_plugins import CapOutputSize, SanitisedHTMLExporter, SanitiseOutputs, StripHiddenTests
    from instructor.schedule import CourseLatePenalty

    c = Config()
    c.CourseDirectory.course_id = "python-basics-numpy"
    c.CourseDirectory.source_directory = "notebooks"
    # Every file beside a source notebook reaches students; tests/test_notebooks.py keeps notebooks/ to notebooks.

    c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
    c.ClearSolutions.enforce_metadata = True

    # A student who deletes a test cell gets it back at grading time, instead of a "needs manual grading" forever.
    c.OverwriteCells.add_missing_cells = True

    c.Execute.timeout = CELL_TIMEOUT

    # nbgrader's own list, with two additions. JudgeChecks, right after the notebook has run: the grader's verdict
    # (decided outside the student's kernel) becomes each check cell's only output, so it alone decides the
    # score. CapOutputSize after LimitOutput: huge output is cut, feedback stays small.
    c.Autograde.autograde_preprocessors = [Execute, JudgeChecks, IgnorePattern, ClearMetadataPreprocessor,
                                           LimitOutput, CapOutputSize, SaveAutoGrades, AssignLatePenalties,
                                           CheckCellMetadata]

    # Feedback pages leave out the hidden-test blocks of check cells (nbgrader shows them by default), and carry
    # no script, event handler or javascript: URL from a student's outputs or markdown (see nbgrader_plugins:
    # HTMLExporter.sanitize_html would leave markdown cells, which nbgrader's feedback template renders,
    # unsanitised).
    c.GenerateFeedback.preprocessors = [GetGrades, CSSHTMLHeaderPreprocessor, StripHiddenTests, SanitiseOutputs]
    c.GenerateFeedback.exporter_class = SanitisedHTMLExporter

    # Late work: the policy and the due dates are in course.toml at the course root (see instructor/schedule.py;
    # a grading task gets a copy in its private root); this plugin applies them. Without a policy there,
    # nbgrader's own LateSubmissionPlugin.penalty_method decides.
    c.AssignLatePenalties.plugin_class = CourseLatePenalty
    return c


def overrides(arguments: tuple[str, ...] | list[str]) -> Config:
    """nbgrader's command-line options (`--Execute.timeout=5`) as a Config, to send to workers as plain data
    (the options are strings) and apply on top of nbgrader_config()."""
    return KVArgParseConfigLoader(list(arguments)).load_config()
