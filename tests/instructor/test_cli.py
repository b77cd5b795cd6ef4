"""The command line: a bad argument gets one line saying what is wrong and what would be right."""
from __future__ import annotations

import subprocess
import sys

import pytest

from instructor.course import REPO


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "instructor", *args], cwd=REPO, capture_output=True, text=True)


@pytest.mark.parametrize("args,complaint", [
    (("grade",), "invalid choice: 'grade'"),
    ((), "the following arguments are required: command"),
    (("release", "--root", "/nonexistent"), "has no notebooks/ folder"),
    (("release", "--bogus"), "unrecognized arguments: --bogus"),
    (("autograde", "--workers", "0"), "argument --workers: takes a whole number of at least 1, not '0'"),
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
