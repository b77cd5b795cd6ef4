"""nbgrader configuration for the course (read from the repository root by every `instructor` command)."""
import os
from pathlib import Path

from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import (AssignLatePenalties, CheckCellMetadata, Execute, GetGrades, IgnorePattern,
                                    LimitOutput, SaveAutoGrades)

from instructor.lms import CanvasCollector, MoodleCollector
from instructor.nbgrader_plugins import CapOutputSize, SanitisedHTMLExporter, SanitiseOutputs, StripHiddenTests
from instructor.schedule import CourseLatePenalty
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

# Late work: the policy and the due dates are in course.toml at the course root (see instructor/schedule.py);
# this plugin applies them. Without a policy there, nbgrader's own LateSubmissionPlugin.penalty_method decides.
c.AssignLatePenalties.plugin_class = CourseLatePenalty

# The exchange (release_assignment, fetch_assignment, submit, collect, release_feedback, fetch_feedback): a folder
# every student account can write to. exchange/ in the course, unless COURSE_EXCHANGE names another folder.
c.Exchange.root = os.environ.get("COURSE_EXCHANGE") or str(Path(__file__).resolve().parent / "exchange")

# zip_collect of an LMS's "Download submissions" zip (make zip-collect LMS=canvas|moodle; instructor/lms.py says
# where these names come from). Each collector finds the student in the roster: Canvas by its user id (the
# roster's lms_id), Moodle by full name. A renamed notebook keeps its name and is reported.
c.CanvasCollector.named_regexp = (  # lovelaceada[_late]_12345_67890_sigmoid[-1].ipynb
    r"(?:.*/)?(?P<canvas_name>[^/_]+?)(?P<late>_late)?_(?P<canvas_id>\d+)_(?P<submission_id>\d+)_"
    r"(?P<file_id>[^/]+?)(?:-\d+)?\.ipynb$")
c.MoodleCollector.named_regexp = (  # Ada Lovelace_12345_assignsubmission_file[_]/sigmoid.ipynb, or ..._file_sigmoid.ipynb
    r"(?:.*/)?(?P<full_name>[^/_]+)_(?P<participant_id>\d+)_assignsubmission_file(?:_?/|_)"
    r"(?P<file_id>[^/]+)\.ipynb$")
