"""The term's dates in one place: `course.toml` at the course root holds each assignment's due date and the late
policy; extensions are per student and assignment, in the gradebook.

Why a TOML file and not nbgrader_config.py: it is data an instructor edits every term, without Python syntax,
read by the standard library (tomllib), and it says nothing else. nbgrader_config.py stays the grader's
technical settings; it only names the plugin (`CourseLatePenalty`) that applies the policy written here.

    timezone = "Europe/London"       # due dates without an offset are local times there

    [late_policy]                    # every assignment's, unless it has its own
    percent_per_day = 10             # of the score, for each day or part of a day late
    max_percent = 50                 # never more than this
    grace_minutes = 0                # a submission this little late is on time

    [assignments.01_sigmoid]
    due = 2026-02-06T23:59:00

    [assignments.02_reshaping]
    due = 2026-02-13T23:59:00
    late_policy = { percent_per_day = 20, max_percent = 100 }

The due dates go into the gradebook (nbgrader's Assignment.duedate, in UTC) at `make release` and at every
`make autograde`; nbgrader computes how late each submission is (from `timestamp.txt`, the due date and the
student's extension) and asks the late-submission plugin for the penalty.
"""
from __future__ import annotations

import datetime
import json
import math
import tomllib
import warnings
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.coursedir import CourseDirectory
from nbgrader.plugins import LateSubmissionPlugin
from sqlalchemy.exc import SAWarning

COURSE_FILE = "course.toml"
PENDING_FILE = "pending_extensions.json"
DAY = 24 * 3600


class CourseFileError(ValueError):
    """course.toml says something that cannot be right; the message says what and where."""


@dataclass(frozen=True)
class LatePolicy:
    percent_per_day: float = 0.0
    max_percent: float = 100.0
    grace_minutes: float = 0.0

    def fraction(self, seconds_late: float) -> float:
        """The share of the score taken for a submission `seconds_late` late: each day or part of a day counts
        as a whole day (1.5 days late is 2 days), up to max_percent."""
        if seconds_late <= self.grace_minutes * 60:
            return 0.0
        days = math.ceil(seconds_late / DAY)
        return min(self.percent_per_day * days, self.max_percent) / 100

    def penalty(self, score: float, seconds_late: float) -> float | None:
        """Points taken from `score` (None: none, as nbgrader records "no penalty")."""
        fraction = self.fraction(seconds_late)
        return round(score * fraction, 6) if fraction else None

    def describe(self) -> str:
        grace = f" after {self.grace_minutes:g} minutes' grace" if self.grace_minutes else ""
        return f"{self.percent_per_day:g}% of the score per day or part of a day late{grace}, " \
               f"at most {self.max_percent:g}%"


@dataclass(frozen=True)
class Plan:
    """What course.toml says (an empty plan where there is none: no due dates, nbgrader's own late handling)."""
    due: dict[str, datetime.datetime] = field(default_factory=dict)  # assignment -> due date, naive UTC
    policies: dict[str, LatePolicy] = field(default_factory=dict)  # assignment -> its policy
    default_policy: LatePolicy | None = None

    def policy(self, assignment: str) -> LatePolicy | None:
        return self.policies.get(assignment, self.default_policy)


def load(root: Path, assignments: list[str] | None = None) -> Plan:
    """The plan in `root`/course.toml; with `assignments`, an assignment it names must be one of them."""
    path = root / COURSE_FILE
    if not path.exists():
        return Plan()
    try:
        data = tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError as error:
        raise CourseFileError(f"{path}: not valid TOML ({error})") from None
    unknown = set(data) - {"timezone", "late_policy", "assignments"}
    if unknown:
        raise CourseFileError(f"{path}: unknown setting {', '.join(sorted(unknown))}; "
                              f"it takes timezone, [late_policy] and [assignments.<name>]")
    zone = _zone(path, data.get("timezone", "UTC"))
    default = _policy(path, "[late_policy]", data["late_policy"]) if "late_policy" in data else None
    due, policies = {}, {}
    for name, settings in data.get("assignments", {}).items():
        where = f"[assignments.{name}]"
        if assignments is not None and name not in assignments:
            raise CourseFileError(f"{path}: {where} is not an assignment of the course; "
                                  f"the course has: {', '.join(assignments)}")
        extra = set(settings) - {"due", "late_policy"}
        if extra:
            raise CourseFileError(f"{path}: {where} has unknown setting {', '.join(sorted(extra))}; "
                                  f"it takes due and late_policy")
        if "due" in settings:
            due[name] = _utc(path, where, settings["due"], zone)
        if "late_policy" in settings:
            policies[name] = _policy(path, f"{where} late_policy", settings["late_policy"])
    return Plan(due, policies, default)


def _zone(path: Path, name) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(str(name))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise CourseFileError(f"{path}: timezone {name!r} is not a time zone; write one such as "
                              f"\"Europe/London\" or \"America/New_York\"") from None


def _utc(path: Path, where: str, value, zone: zoneinfo.ZoneInfo) -> datetime.datetime:
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        value = datetime.datetime.combine(value, datetime.time(23, 59, 59))  # a date alone: the end of that day
    if not isinstance(value, datetime.datetime):
        raise CourseFileError(f"{path}: {where} due = {value!r} is not a date; write it as 2026-02-06T23:59:00 "
                              f"(no quotes)")
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    return value.astimezone(datetime.timezone.utc).replace(tzinfo=None)  # as nbgrader stores times


def _policy(path: Path, where: str, settings) -> LatePolicy:
    names = {"percent_per_day", "max_percent", "grace_minutes"}
    if not isinstance(settings, dict) or set(settings) - names:
        raise CourseFileError(f"{path}: {where} takes {', '.join(sorted(names))}")
    for name, value in settings.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0 \
                or name != "grace_minutes" and value > 100:
            raise CourseFileError(f"{path}: {where} {name} = {value!r}: give a number"
                                  f"{' of minutes' if name == 'grace_minutes' else ' from 0 to 100'}")
    return LatePolicy(**{name: float(value) for name, value in settings.items()})


def apply_due_dates(root: Path, db_url: str, assignments: list[str]) -> dict[str, datetime.datetime]:
    """Write course.toml's due dates into the gradebook's assignments (those it holds); returns them."""
    plan = load(root, assignments)
    if not plan.due:
        return {}
    with Gradebook(db_url) as gradebook:
        known = {assignment.name for assignment in gradebook.assignments}
        for name, due in plan.due.items():
            if name in known:
                gradebook.update_or_create_assignment(name, duedate=due)
    return plan.due


class CourseLatePenalty(LateSubmissionPlugin):
    """nbgrader's late-submission plugin for this course: the policy of course.toml at the course root, for the
    assignment being graded. Without a policy there, nbgrader's own (`LateSubmissionPlugin.penalty_method`).

    nbgrader calls it once per notebook with that notebook's score and how late the submission is, extension
    taken into account; the penalty it returns is stored as the notebook's late_submission_penalty."""

    def late_submission_penalty(self, student_id: str, score: float, total_seconds_late: float) -> float | None:
        root = Path(CourseDirectory(config=self.config).root)
        assignment = self.parent.assignment_id  # the AssignLatePenalties preprocessor that made this plugin
        policy = load(root).policy(assignment)
        if policy is None:
            return super().late_submission_penalty(student_id, score, total_seconds_late)
        penalty = policy.penalty(score, total_seconds_late)
        self.log.info("%s on %s: %.0f s late, penalty %s (%s)", student_id, assignment, total_seconds_late,
                      penalty, policy.describe())
        return penalty


# --- Extensions --------------------------------------------------------------------------------------------------
#
# nbgrader keeps an extension on the student's submission record (SubmittedAssignment.extension), which exists
# once the submission has been graded. An extension granted before that is kept in pending_extensions.json at the
# course root and written into the gradebook just before the submission is first graded.

def extend(root: Path, db_url: str, student: str, assignment: str, days: float) -> str:
    """Give `student` `days` more for `assignment` (replacing any earlier extension); returns what was done."""
    with Gradebook(db_url) as gradebook:
        try:
            gradebook.find_submission(assignment, student)
        except MissingEntry:
            pending = _pending(root)
            pending[f"{student}/{assignment}"] = days
            _save_pending(root, pending)
            return (f"{student} has no graded submission of {assignment} yet: the {days:g}-day extension is kept "
                    f"in {PENDING_FILE} and goes into the gradebook when that submission is first graded")
        gradebook.grant_extension(assignment, student, days=days)
    return f"{student} has {days:g} more days for {assignment}; `make autograde STUDENT={student} " \
           f"ASSIGNMENT={assignment}` recomputes the late penalty"


def apply_pending_extensions(root: Path, db_url: str, submissions: list[tuple[str, str]]) -> list[str]:
    """Write the pending extensions of `submissions` ((student, assignment) about to be graded) into the
    gradebook, creating their submission records as nbgrader would; returns "student/assignment" of each."""
    pending = _pending(root)
    due = [(student, assignment) for student, assignment in submissions if f"{student}/{assignment}" in pending]
    if not due:
        return []
    with Gradebook(db_url) as gradebook, warnings.catch_warnings():
        warnings.simplefilter("ignore", SAWarning)  # nbgrader's add_submission, as in gradebooks._copy_submissions
        for student, assignment in due:
            gradebook.update_or_create_student(student)  # as nbgrader's autograde: the roster is left alone
            gradebook.update_or_create_submission(assignment, student)
            gradebook.grant_extension(assignment, student, days=pending.pop(f"{student}/{assignment}"))
    _save_pending(root, pending)
    return [f"{student}/{assignment}" for student, assignment in due]


def _pending(root: Path) -> dict[str, float]:
    path = root / PENDING_FILE
    return json.loads(path.read_text()) if path.exists() else {}


def _save_pending(root: Path, pending: dict[str, float]) -> None:
    path = root / PENDING_FILE
    if pending:
        path.write_text(json.dumps(pending, indent=2, sort_keys=True) + "\n")
    elif path.exists():
        path.unlink()
