"""The command line: a bad argument gets one line saying what is wrong and what would be right."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from instructor.course import PLAIN_AUTOGRADE_VAR, REPO


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "instructor", *args], cwd=REPO, capture_output=True, text=True)


@pytest.mark.parametrize("args,complaint", [
    (("grade",), "invalid choice: 'grade'"),
    ((), "the following arguments are required: command"),
    (("release", "--root", "/nonexistent"), "has no notebooks/ folder"),
    (("release", "--bogus"), "unrecognized arguments: --bogus"),
    (("autograde", "--workers", "0"), "argument --workers: takes a whole number of at least 1, not '0'"),
    (("roster",), "roster needs --file roster.csv (columns: id, first_name, last_name, email, lms_id)"),
    (("extend", "--student", "ada", "--assignment", "01_sigmoid"), "extend needs --days N"),
    (("extend", "--student", "ada", "--assignment", "01_sigmoid", "--days", "soon"),
     "argument --days: takes a number of days from 0 to 365"),
    (("zip-collect", "--lms", "blackboard", "--assignment", "01_sigmoid"),
     "argument --lms: invalid choice: 'blackboard' (choose from 'canvas', 'moodle')"),
    (("zip-collect", "--lms", "canvas"), "zip-collect needs --assignment NAME"),
])
def test_bad_arguments_get_one_line(args, complaint):
    result = run(*args)
    assert result.returncode == 2 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and complaint in lines[0] and "release, autograde" in lines[0]


def test_autograde_with_nothing_submitted_says_so(tmp_path):
    (tmp_path / "notebooks").symlink_to(REPO / "notebooks")
    result = run("autograde", "--root", str(tmp_path))
    assert result.returncode == 0 and "Nothing to grade" in result.stdout


@pytest.mark.parametrize("option,name,complaint", [
    ("--student", "zed", "--student: unknown student 'zed'; the course has: alice, bob"),
    ("--assignment", "01_sigmoid,99_nothing", "--assignment: unknown assignment '99_nothing'; the course has: "
                                              "00_start_here, 01_sigmoid, 02_reshaping"),
])
def test_autograde_of_an_unknown_student_or_assignment_says_what_exists(tmp_path, option, name, complaint):
    (tmp_path / "notebooks").symlink_to(REPO / "notebooks")
    for student in ("alice", "bob"):
        (tmp_path / "submitted" / student / "01_sigmoid").mkdir(parents=True)
    result = run("autograde", "--root", str(tmp_path), option, name)
    assert result.returncode == 2 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and complaint in lines[0], result.stderr


def test_autograde_of_a_student_with_nothing_for_that_assignment_says_so(tmp_path):
    (tmp_path / "notebooks").symlink_to(REPO / "notebooks")
    (tmp_path / "submitted" / "alice" / "01_sigmoid").mkdir(parents=True)
    result = run("autograde", "--root", str(tmp_path), "--student", "alice", "--assignment", "02_reshaping")
    assert result.returncode == 0 and "Nothing to grade" in result.stdout


def test_a_bad_roster_file_gets_its_rows_named(tmp_path):
    (tmp_path / "notebooks").symlink_to(REPO / "notebooks")
    (tmp_path / "roster.csv").write_text("id,email\nada,not-an-address\n")
    result = run("roster", "--root", str(tmp_path), "--file", str(tmp_path / "roster.csv"))
    assert result.returncode == 1 and "row 2: e-mail 'not-an-address' is not an address" in result.stderr


def make(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "--no-print-directory", *args], cwd=REPO, capture_output=True, text=True)


def test_make_help_lists_every_target_in_one_line_each():
    makefile = (REPO / "Makefile").read_text()
    phony = makefile.split(".PHONY:", 1)[1].split("\n\n", 1)[0].replace("\\", " ").split()
    lines = make("help").stdout.splitlines()
    assert sorted(line.split()[1] for line in lines) == sorted(phony)
    assert all(len(line.split(None, 2)) == 3 for line in lines)  # each says what it does


def test_make_clean_does_not_build_the_virtual_environment():
    plan = make("-n", "clean").stdout
    assert plan.strip() == "python3 -m instructor.tidy clean"


def test_plain_nbgrader_autograde_by_hand_says_to_use_the_make_target():
    env = {k: v for k, v in os.environ.items() if k != PLAIN_AUTOGRADE_VAR}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    result = subprocess.run([sys.executable, "-m", "nbgrader", "autograde", "01_sigmoid"], cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert result.stderr.strip().count("\n") == 0 and "make autograde" in result.stderr, result.stderr
