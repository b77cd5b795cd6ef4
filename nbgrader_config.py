"""nbgrader configuration for the course (read from the repository root by every `instructor` command and by
plain `nbgrader` commands). The course's settings are built by instructor.grading.config, so that grading
workers, which have the installed package but not this folder, use exactly the same ones."""
from instructor.grading.config import nbgrader_config

c = get_config()  # noqa: F821 - provided by traitlets when nbgrader loads this file
c.merge(nbgrader_config())

# A course team's gradebook on a server: any SQLAlchemy URL (the graded results are merged into it).
# c.CourseDirectory.db_url = "postgresql+psycopg2://user@host/db"
