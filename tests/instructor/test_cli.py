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
