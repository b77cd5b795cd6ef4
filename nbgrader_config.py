"""nbgrader configuration for the course (read from the repository root by every `instructor` command)."""
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
