"""The course and an LMS (Canvas, Moodle): grades out as the CSV each imports, submissions in from the zip each
downloads (nbgrader's zip_collect, with a collector that knows their file names and the roster).

Grades out (`make export-lms`), one file per LMS in dist/, scores after the late penalty:

- Canvas, Grades > Import (Canvas's "How do I import grades in the Gradebook?" guide; the importer is
  app/models/gradebook_importer.rb in Canvas's source): a header row `Student, ID, SIS User ID, SIS Login ID,
  Section`, then one column per assignment, headed by its name (Canvas matches it to the assignment of that title,
  or to the id in "name (id)", and creates the assignment otherwise); a second row whose first cell contains
  "Points Possible"; then one row per student. Canvas finds the student by ID (its user id: the roster's lms_id),
  then by SIS ids, then by name ("Last, First"). A blank cell changes nothing in Canvas.
- Moodle, Grades > Import > CSV file (Moodle's grade/import/csv, "Import grades from CSV"): any header; on the
  import page "Identify user by" maps one column to a user field (here: "Email address" to email address) and
  each other column is mapped to a grade item. The header follows Moodle's own grade export ("First name",
  "Last name", "ID number", "Email address"), then one column per assignment.

Submissions in (`make zip-collect LMS=canvas ASSIGNMENT=01_sigmoid`): put the zip the LMS's "Download all
submissions" gives into downloaded/<assignment>/archive/; nbgrader's zip_collect extracts it and hands every
file name to the collector configured in nbgrader_config.py, whose `named_regexp` reads the LMS's naming:

- Canvas: `<lastfirst>[_late]_<canvas user id>_<submission id>_<file name as uploaded>[-<n>].ipynb`, all in
  one folder (e.g. `lovelaceada_12345_67890_sigmoid.ipynb`, `lovelaceada_late_12345_67890_sigmoid-1.ipynb`:
  Canvas adds `-1`, `-2`, ... to a file handed in again). The student is the roster's student whose lms_id is
  the Canvas user id (else whose "lastfirst" is that name).
- Moodle: `<First Last>_<participant id>_assignsubmission_file/<file name>` (one folder per student, the
  default since Moodle 3.1; older versions add "_" to the folder name, and without folders the file name
  follows the prefix: `Ada Lovelace_12345_assignsubmission_file_sigmoid.ipynb`). The participant id is
  Moodle's per-assignment number, not a user id, so the student is the roster's student of that full name.

A notebook handed in under another name (`sigmoid (1).ipynb`, `Copy of sigmoid.ipynb`) is collected under that
name and reported: which student, which file, which name was expected. It is not graded until it is renamed.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.plugins import FileNameCollectorPlugin
from traitlets.config.loader import PyFileConfigLoader

from instructor import roster
from instructor.course import CONFIG, Course

LMSES = ("canvas", "moodle")
CANVAS_STUDENT_COLUMNS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
MOODLE_STUDENT_COLUMNS = ["Email address", "ID number", "First name", "Last name"]


# --- Grades out --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Scores:
    assignments: list[str]
    max_scores: dict[str, float]
    students: list[roster.Student]
    scores: dict[tuple[str, str], float]  # (student, assignment) -> score after the late penalty; absent: none


def scores(course: Course) -> Scores:
    """Every student's score per assignment after the late penalty, from the gradebook (as nbgrader's export
    computes it: max(0, score - penalty))."""
    students = roster.from_gradebook(course.db_url)
    found = {}
    with Gradebook(course.db_url) as gradebook:
        # an assignment worth no points (the start page) is no column of an LMS gradebook
        assignments = sorted(assignment.name for assignment in gradebook.assignments if assignment.max_score)
        max_scores = {assignment.name: assignment.max_score for assignment in gradebook.assignments}
        for assignment in assignments:
            for student in students:
                try:
                    submission = gradebook.find_submission(assignment, student)
                except MissingEntry:
                    continue
                found[(student, assignment)] = max(0.0, submission.score - submission.late_submission_penalty)
    return Scores(assignments, max_scores, [students[s] for s in sorted(students)], found)


def export(course: Course) -> tuple[list[Path], list[str]]:
    """Write dist/canvas_grades.csv and dist/moodle_grades.csv; returns the paths and notes for the instructor."""
    table = scores(course)
    folder = course.root / "dist"
    folder.mkdir(exist_ok=True)
    canvas, moodle = folder / "canvas_grades.csv", folder / "moodle_grades.csv"
    with canvas.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(CANVAS_STUDENT_COLUMNS + table.assignments)
        writer.writerow(["Points Possible", "", "", "", ""] + [_number(table.max_scores[a]) for a in table.assignments])
        for student in table.students:
            name = f"{student.last_name}, {student.first_name}" if student.last_name else student.full_name or student.id
            writer.writerow([name, student.lms_id or "", "", "", ""] + _row(table, student.id))
    with moodle.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(MOODLE_STUDENT_COLUMNS + table.assignments)
        for student in table.students:
            writer.writerow([student.email or "", student.lms_id or "", student.first_name or "",
                             student.last_name or ""] + _row(table, student.id))
    notes = []
    if without := [s.id for s in table.students if not s.lms_id]:
        notes.append(f"no lms_id for {', '.join(without)}: Canvas matches them by name (make roster FILE=...)")
    if without := [s.id for s in table.students if not s.email]:
        notes.append(f"no e-mail for {', '.join(without)}: Moodle cannot match them by e-mail")
    return [canvas, moodle], notes


def _row(table: Scores, student: str) -> list[str]:
    return [_number(table.scores[(student, a)]) if (student, a) in table.scores else "" for a in table.assignments]


def _number(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".")


# --- Submissions in: zip_collect ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Identified:
    """What a downloaded file's name says."""
    path: str
    student: str | None  # the course's student id; None: not found in the roster (see problem)
    file_id: str  # the notebook's name as handed in, with ".ipynb"
    late: bool = False  # Canvas marks late submissions in the name (it carries no time)
    problem: str = ""


def identify(path: str, lms: str, named_regexp: str, students: dict[str, roster.Student]) -> Identified | None:
    """Read a downloaded file's name with the LMS's `named_regexp`; None when it is not a submission of this
    kind (another extension, or a name the LMS does not give)."""
    match = re.match(named_regexp, path)
    if not match:
        return None
    found = match.groupdict()
    file_id = found["file_id"] + ".ipynb"
    if lms == "canvas":
        by_id = [s for s in students.values() if s.lms_id and s.lms_id == found["canvas_id"]]
        by_name = [s for s in students.values() if _canvas_name(s) == found["canvas_name"]]
        matches = by_id or by_name
        who = f"Canvas user {found['canvas_id']} ({found['canvas_name']})"
    else:
        name = " ".join(found["full_name"].split()).casefold()
        matches = [s for s in students.values() if " ".join(s.full_name.split()).casefold() == name]
        who = f"Moodle participant {found['full_name']!r}"
    late = bool(found.get("late"))
    if len(matches) == 1:
        return Identified(path, matches[0].id, file_id, late)
    problem = (f"{who}: no student in the roster has that {'lms_id or name' if lms == 'canvas' else 'name'}"
               if not matches else f"{who}: {len(matches)} students in the roster match "
                                   f"({', '.join(s.id for s in matches)})")
    return Identified(path, None, file_id, late, problem)


def _canvas_name(student: roster.Student) -> str:
    """Canvas's file-name form of a name: last name then first name, lower case, letters and digits only."""
    return re.sub(r"[^0-9a-z]", "", f"{student.last_name or ''}{student.first_name or ''}".casefold())


class _RosterCollector(FileNameCollectorPlugin):
    """zip_collect's collector: the LMS's file names read by `named_regexp`, the student found in the roster
    (the gradebook's students: `make roster` first). A file whose student is not found is skipped (and listed by
    `make zip-collect`)."""

    lms = ""
    _students: dict[str, roster.Student] | None = None

    def collect(self, submitted_file: str) -> dict | None:
        if not any(submitted_file.endswith(ext) for ext in self.valid_ext):
            return None
        if self._students is None:
            self._students = roster.from_gradebook(self.parent.coursedir.db_url)
        found = identify(submitted_file, self.lms, self.named_regexp, self._students)
        if found is None or found.student is None:
            self.log.warning("Skipping %s: %s", submitted_file, found.problem if found else "not an LMS file name")
            return None
        return {"student_id": found.student, "file_id": found.file_id}


class CanvasCollector(_RosterCollector):
    lms = "canvas"


class MoodleCollector(_RosterCollector):
    lms = "moodle"


COLLECTORS = {"canvas": CanvasCollector, "moodle": MoodleCollector}


@dataclass
class CollectReport:
    collected: dict[str, list[str]]  # student -> notebooks now in submitted/
    skipped: list[str]  # "file: why"
    renamed: list[str]  # one line per notebook handed in under another name
    late: list[str]  # students whose submission Canvas marks late

    def summary(self, assignment: str) -> str:
        lines = [f"zip-collect {assignment}: {len(self.collected)} students collected"]
        lines += [f"  NOT COLLECTED {line}" for line in self.skipped]
        lines += [f"  RENAMED {line}" for line in self.renamed]
        if self.late:
            lines.append(f"  Canvas marks as late: {', '.join(self.late)} (its download carries no time: write one "
                         f"into submitted/<student>/{assignment}/timestamp.txt for the late penalty)")
        return "\n".join(lines)


def zip_collect(course: Course, assignment: str, lms: str) -> CollectReport:
    """nbgrader zip_collect of downloaded/<assignment>/archive/ with the LMS's collector, then what happened
    to each file: collected, skipped (and why), renamed."""
    archive = course.root / "downloaded" / assignment / "archive"
    if not archive.is_dir() or not any(archive.iterdir()):
        raise CollectFailed(f"nothing to collect: put the zip of {lms.capitalize()}'s \"Download submissions\" "
                            f"into {archive}/")
    collector = COLLECTORS[lms]
    course.nbgrader("zip_collect", assignment, "--force",
                    f"--ZipCollectApp.collector_plugin={collector.__module__}.{collector.__name__}")
    regexp = configured_regexp(collector)
    students = roster.from_gradebook(course.db_url)
    skipped, late = [], set()
    extracted = course.root / "downloaded" / assignment / "extracted"
    for path in sorted(p for p in extracted.rglob("*") if p.is_file()):
        found = identify(str(path), lms, regexp, students) if path.suffix == ".ipynb" else None
        shown = path.relative_to(extracted)
        if found is None:
            skipped.append(f"{shown}: not a notebook named as {lms.capitalize()} names downloads")
        elif found.student is None:
            skipped.append(f"{shown}: {found.problem}")
        elif found.late:
            late.add(found.student)
    collected = {student: notebooks for student, notebooks in submitted_notebooks(course, assignment).items()}
    return CollectReport(collected, skipped, renamed_notebooks(course, assignment), sorted(late))


def configured_regexp(collector: type) -> str:
    """The collector's named_regexp as nbgrader_config.py sets it."""
    config = PyFileConfigLoader(CONFIG.name, path=str(CONFIG.parent)).load_config()
    return config[collector.__name__]["named_regexp"]


class CollectFailed(RuntimeError):
    pass


# --- Notebooks handed in under another name -----------------------------------------------------------------------

def submitted_notebooks(course: Course, assignment: str) -> dict[str, list[str]]:
    """student -> the notebooks in submitted/<student>/<assignment>/."""
    return {folder.parent.name: sorted(p.name for p in folder.glob("*.ipynb"))
            for folder in sorted(course.step("submitted").glob(f"*/{assignment}")) if folder.is_dir()}


def expected_notebooks(course: Course, assignment: str) -> list[str]:
    return sorted(p.name for p in (course.source / assignment).glob("*.ipynb"))


def renamed_notebooks(course: Course, assignment: str) -> list[str]:
    """One line per notebook a student handed in under a name the assignment does not have: who, which file,
    which name was expected, and what to do."""
    expected = expected_notebooks(course, assignment)
    lines = []
    for student, handed in submitted_notebooks(course, assignment).items():
        missing = [name for name in expected if name not in handed]
        for name in handed:
            if name not in expected:
                wanted = " or ".join(missing) if missing else " or ".join(expected)
                lines.append(f"{student} handed in {name!r} for {assignment}, expected {wanted}: it is not graded "
                             f"until renamed (submitted/{student}/{assignment}/), then `make autograde "
                             f"STUDENT={student} ASSIGNMENT={assignment}`")
    return lines


def stray_notebooks(course: Course, student: str, assignment: str) -> list[str]:
    """The notebooks in a submission that the assignment does not have (a renamed notebook)."""
    expected = expected_notebooks(course, assignment)
    folder = course.step("submitted") / student / assignment
    return sorted(p.name for p in folder.glob("*.ipynb") if p.name not in expected)
