"""`python -m instructor <command>`: what the Makefile targets call."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from instructor import bench, demo, exchange, grades, lab, lms, pipeline, report, roster, schedule, student_bundle, tidy
from instructor.course import REPO, Course, NbgraderFailed
from instructor.grading.client import SchedulerUnreachable
from instructor.grading.sandbox import SandboxUnavailable

DEMO_ROOT = REPO / "demo"


class OneLineParser(argparse.ArgumentParser):
    """A bad argument gets one line: what was wrong and what would be right."""

    def error(self, message: str) -> None:
        choices = ", ".join(COMMANDS)
        self.exit(2, f"instructor: {message}; usage: python -m instructor {{{choices}}} (see README.md)\n")


def cmd_release(course: Course, _args: argparse.Namespace) -> int:
    print(pipeline.release(course).summary())
    print(f"Student versions are in {course.step('release')}/")
    return 0


def cmd_autograde(course: Course, args: argparse.Namespace) -> int:
    if not course.submissions(args.student, args.assignment):
        print(f"Nothing to grade: {course.step('submitted')}/<student>/<assignment>/ is empty"
              f"{' for the students and assignments asked for' if args.student or args.assignment else ''}.")
        return 0
    try:
        graded = pipeline.autograde(course, args.workers, students=args.student, assignments=args.assignment,
                                    sandboxed=not args.unsafe_no_sandbox, scheduler=args.scheduler)
    except KeyboardInterrupt:
        print("autograde: interrupted; the results merged so far are in the gradebook, the rest are as they were",
              file=sys.stderr)
        return 130
    print(graded.summary())
    return 1 if graded.failed else 0


def cmd_feedback(course: Course, _args: argparse.Namespace) -> int:
    print(pipeline.feedback(course).summary())
    print(f"Feedback pages are in {course.step('feedback')}/<student>/<assignment>/")
    return 0


def cmd_grades(course: Course, _args: argparse.Namespace) -> int:
    for path in grades.export(course):
        print(f"wrote {path}")
    return 0


def cmd_report(course: Course, _args: argparse.Namespace) -> int:
    print(f"wrote {report.write(course)}")
    return 0


def cmd_student_bundle(course: Course, _args: argparse.Namespace) -> int:
    path, summary = student_bundle.build(course)
    print(summary)
    print(f"wrote {path}: hand it out (students start with {student_bundle.TOP}/{student_bundle.START_HERE})")
    return 0


def cmd_bench(_course: Course, args: argparse.Namespace) -> int:
    bench.run(args.students, args.workers)
    return 0


def cmd_demo(_course: Course, _args: argparse.Namespace) -> int:
    _demo_course, graded = demo.run(DEMO_ROOT)
    return 1 if graded.failed else 0


def cmd_lab(course: Course, _args: argparse.Namespace) -> int:
    lab.start(course)


def cmd_clean(course: Course, _args: argparse.Namespace) -> int:
    removed = pipeline.clean(course)
    print(f"removed: {', '.join(removed) or 'nothing'} ({tidy.KEPT})")
    return 0


def cmd_roster(course: Course, args: argparse.Namespace) -> int:
    students = roster.import_roster(args.file, course.db_url)
    print(f"roster: {len(students)} students in the gradebook ({course.db_url})")
    return 0


def cmd_extend(course: Course, args: argparse.Namespace) -> int:
    print(schedule.extend(course.root, course.db_url, args.student[0], args.assignment[0], args.days))
    return 0


def cmd_export_lms(course: Course, _args: argparse.Namespace) -> int:
    paths, notes = lms.export(course)
    for path in paths:
        print(f"wrote {path}")
    for note in notes:
        print(f"  note: {note}")
    return 0


def cmd_feedback_zips(course: Course, _args: argparse.Namespace) -> int:
    print(exchange.feedback_zips(course).summary())
    return 0


def cmd_exchange_release(course: Course, args: argparse.Namespace) -> int:
    print(exchange.release(course, args.assignment or course.assignments).summary())
    return 0


def cmd_collect(course: Course, args: argparse.Namespace) -> int:
    print(exchange.collect(course, args.assignment or course.assignments).summary())
    return 0


def cmd_zip_collect(course: Course, args: argparse.Namespace) -> int:
    assignment = args.assignment[0]
    print(lms.zip_collect(course, assignment, args.lms).summary(assignment))
    return 0


def cmd_exchange_feedback(course: Course, args: argparse.Namespace) -> int:
    print(exchange.release_feedback(course, args.assignment or course.assignments).summary())
    return 0


COMMANDS = {
    "release": cmd_release, "autograde": cmd_autograde, "feedback": cmd_feedback, "grades": cmd_grades,
    "report": cmd_report, "student-bundle": cmd_student_bundle, "bench": cmd_bench, "demo": cmd_demo, "lab": cmd_lab, "clean": cmd_clean,
    "roster": cmd_roster, "extend": cmd_extend, "export-lms": cmd_export_lms, "feedback-zips": cmd_feedback_zips,
    "exchange-release": cmd_exchange_release, "collect": cmd_collect, "zip-collect": cmd_zip_collect,
    "exchange-feedback": cmd_exchange_feedback,
}
# what each command needs besides the course: {command: [(option, what to say when it is missing)]}
REQUIRED = {
    "roster": [("file", "--file roster.csv (columns: " + ", ".join(roster.COLUMNS) + ")")],
    "extend": [("student", "--student ID"), ("assignment", "--assignment NAME"), ("days", "--days N")],
    "zip-collect": [("lms", "--lms canvas or --lms moodle"), ("assignment", "--assignment NAME")],
}
ONE_EACH = {"extend": ("student", "assignment"), "zip-collect": ("assignment",)}
FAILURES = (NbgraderFailed, pipeline.NotReleased, SandboxUnavailable, roster.RosterError, schedule.CourseFileError,
            lms.CollectFailed, exchange.NotReleasedYet, student_bundle.BundleFailed, SchedulerUnreachable)


def main(argv: list[str] | None = None) -> int:
    parser = OneLineParser(prog="python -m instructor", description="Course tooling around nbgrader.")
    parser.add_argument("command", choices=COMMANDS, metavar="command")
    parser.add_argument("--root", type=Path, default=REPO,
                        help="course root (default: the repository root)")
    parser.add_argument("--workers", type=positive_int, default=None,
                        help="autograde, bench: Dask workers started here (default: one per core, plus one)")
    parser.add_argument("--scheduler", default=None,
                        help="autograde: address of a running Dask scheduler (tcp://host:8786); default: "
                             "DASK_SCHEDULER_ADDRESS, else a cluster on this machine")
    parser.add_argument("--students", type=positive_int, default=24, help="bench: size of the generated class")
    parser.add_argument("--student", type=names, help="autograde: only these students (comma-separated ids)")
    parser.add_argument("--assignment", type=names, help="autograde: only these assignments (comma-separated)")
    parser.add_argument("--unsafe-no-sandbox", action="store_true",
                        help="autograde: run student code without the sandbox (trusted settings only)")
    parser.add_argument("--file", type=Path, help="roster: the roster CSV")
    parser.add_argument("--days", type=days, help="extend: days of extension (1.5 is a day and a half)")
    parser.add_argument("--lms", choices=lms.LMSES, help="zip-collect: which LMS the download comes from")
    args = parser.parse_args(argv)
    for option, wanted in REQUIRED.get(args.command, ()):
        if getattr(args, option) is None:
            parser.error(f"{args.command} needs {wanted}")
    for option in ONE_EACH.get(args.command, ()):
        if len(getattr(args, option)) != 1:
            parser.error(f"{args.command} takes one --{option}, not {len(getattr(args, option))}")
    if not (args.root / "notebooks").is_dir():
        parser.error(f"--root {args.root} has no notebooks/ folder; give a course root such as {REPO}")
    course = Course.configured(args.root.resolve())
    students = course.students()
    if args.command == "extend" and (course.database or course.gradebook.exists()):
        # an extension may come before the submission: the roster's students too
        students = sorted(set(students) | set(roster.from_gradebook(course.db_url)))
    for option, known in (("student", students), ("assignment", course.assignments)):
        unknown = [name for name in getattr(args, option) or () if name not in known]
        if unknown:
            parser.error(f"--{option}: unknown {option} {', '.join(map(repr, unknown))}; "
                         f"the course has: {', '.join(known) or 'none'}")
    try:
        return COMMANDS[args.command](course, args)
    except FAILURES as failure:
        print(failure, file=sys.stderr)
        return 1


def names(text: str) -> list[str]:
    """"alice, bob" -> ["alice", "bob"]."""
    found = [name.strip() for name in text.split(",") if name.strip()]
    if not found:
        raise argparse.ArgumentTypeError(f"takes comma-separated names, not {text!r}")
    return found


def positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"takes a whole number of at least 1, not {text!r}")
    return int(text)


def days(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 365:
        raise argparse.ArgumentTypeError(f"takes a number of days from 0 to 365 (0 removes the extension), not "
                                         f"{text!r}")
    return value
