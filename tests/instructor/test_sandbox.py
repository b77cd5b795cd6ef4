"""Inside a real grading kernel: the operating-system sandbox. Nothing of the course is there to read, no
network, no way out to the grader, to the warm-kernel server or to another kernel, and limits that hold."""
from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import psutil
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from instructor.grading import sandbox
from instructor.course import REPO
from tests.conftest import execute, outputs_text

PRIVATE = {
    "a reference solution": REPO / "solutions" / "sigmoid.py",
    "a source notebook": REPO / "notebooks" / "01_sigmoid" / "sigmoid.ipynb",
    "the nbgrader configuration": REPO / "nbgrader_config.py",
    "the repository's README": REPO / "README.md",
}


def run(tmp_path, *sources: str) -> list[str]:
    cells = execute(new_notebook(cells=[new_code_cell(s) for s in sources]), tmp_path).cells
    return [outputs_text(cell).strip() for cell in cells]


WALK = f"import glob\nprint(sorted(glob.glob({str(REPO)!r} + '/**/*.*', recursive=True)))"


def test_nothing_of_the_course_is_there(tmp_path):
    (tmp_path / "classmate.ipynb").write_text("{}")  # a notebook beside the one being graded
    with tempfile.NamedTemporaryFile(dir=Path.home()) as in_home:
        probes = [f"import os\nprint(os.path.exists({str(path)!r}))"
                  for path in [*PRIVATE.values(), Path(in_home.name), tmp_path]]
        outputs = run(tmp_path, *probes, WALK)
    for what, printed in zip([*PRIVATE, "a file in the instructor's home", "the graded notebook's folder"], outputs):
        assert printed == "False", what
    assert all(path.startswith(str(REPO / "grader_tests")) or path.startswith(str(REPO / "instructor"))
               for path in eval(outputs[-1])), outputs[-1]


def test_no_network_not_even_the_graders_loopback(tmp_path):
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        port = listener.getsockname()[1]
        printed = run(tmp_path, f"import socket\ns = socket.socket()\ns.settimeout(3)\nprint(s.connect_ex(('127.0.0.1', {port})))")
    assert printed[0] != "0"


def test_the_kernel_sees_no_other_process_and_leaves_none_behind(tmp_path):
    """Process ids inside are the kernel's own (1), its threads' and its children's: nothing it could signal."""
    before = {p.pid for p in psutil.process_iter()}
    printed = run(tmp_path, "import os, subprocess, threading\n"
                            "child = subprocess.Popen(['sleep', '600'], start_new_session=True).pid\n"
                            "mine = {1, child} | {t.native_id for t in threading.enumerate()}\n"
                            "others = []\n"
                            "for pid in range(1, 5000):\n"
                            "    try:\n        os.kill(pid, 0)\n    except OSError:\n        continue\n"
                            "    if pid not in mine and os.getsid(pid) != os.getsid(0):  # not a thread of its own\n"
                            "        others.append(pid)\n"
                            "print(os.getpid(), others, sorted(os.listdir('/proc')))")
    assert printed[0] == "1 [] []", printed[0]
    left = [p for p in psutil.process_iter(["name"]) if p.pid not in before and p.info["name"] == "sleep"]
    assert not left, left


def test_limits_hold_and_cannot_be_raised(tmp_path, monkeypatch):
    monkeypatch.setenv("GRADING_MEMORY_MB", "2048")
    printed = run(tmp_path, "import numpy as np\ntry:\n    big = np.ones(400_000_000)\nexcept MemoryError:\n"
                            "    print('MemoryError')",  # 3.2 GB
                  "import resource\ntry:\n    resource.setrlimit(resource.RLIMIT_AS, (-1, -1))\n"
                  "except (ValueError, OSError) as e:\n    print('refused')",
                  "print('still alive')")
    assert printed[0] == "MemoryError" and printed[1] == "refused"
    assert printed[2] == "still alive"


def test_the_mounts_cannot_be_undone(tmp_path):
    printed = run(tmp_path, "import ctypes, os\nlibc = ctypes.CDLL(None, use_errno=True)\n"
                            "print(libc.umount2(b'/scratch', 2), libc.umount2(b'/proc', 2))")
    assert printed[0] == "-1 -1"


def test_a_missing_sandbox_refuses_with_one_line(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(sandbox.SandboxUnavailable) as refused:
        sandbox.check_available()
    assert "\n" not in str(refused.value) and "bubblewrap" in str(refused.value) and "--unsafe-no-sandbox" in \
        str(refused.value)


def test_the_sandbox_works_here():
    """CI must not skip the sandbox: where it cannot start, this fails rather than skipping."""
    sandbox.check_available()
    assert subprocess.run([*sandbox.bwrap_command([]), sys.executable, "-c", "print('in')"],
                          capture_output=True, text=True).stdout == "in\n"
