"""nbgrader configuration for the course (read from the repository root by every `instructor` command and by
plain `nbgrader` commands). The grading settings are built by instructor.grading.config, so that grading
workers, which have the installed package but not this folder, use exactly the same ones; what only the
instructor's machine uses (the exchange, the LMS collectors) is set here."""
import os
import sys
from pathlib import Path

from instructor.course import PLAIN_AUTOGRADE_VAR
from instructor.grading.config import nbgrader_config

# Plain `nbgrader autograde` would run student code outside the sandbox, as you, next to the gradebook.
if "nbgrader" in Path(sys.argv[0]).parts[-2:] and sys.argv[1:2] == ["autograde"] \
        and not os.environ.get(PLAIN_AUTOGRADE_VAR):
    sys.exit("nbgrader autograde: grade with `make autograde` (STUDENT=… ASSIGNMENT=… for some): it runs student "
             "code in the sandbox; plain nbgrader autograde would not")

c = get_config()  # noqa: F821 - provided by traitlets when nbgrader loads this file
c.merge(nbgrader_config())

# A course team's gradebook on a server: any SQLAlchemy URL (the graded results are merged into it).
# c.CourseDirectory.db_url = "postgresql+psycopg2://user@host/db"

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
