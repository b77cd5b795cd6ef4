"""`make lab`: JupyterLab on a student's copy of the released notebooks.

The copy lives in student/ (git-ignored) and is never overwritten: rerunning `make lab` after a new release
adds the notebooks that are missing and keeps the student's work. The student's JupyterLab has nbgrader's
Validate button but not the instructor's tools (formgrader, create-assignment) nor the exchange-based
assignment and course lists, which need a JupyterHub exchange this setup does not have.
"""
from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path
from typing import NoReturn

from instructor import pipeline
from instructor.grading import grading_kernel
from instructor.course import REPO, Course

STUDENT_DIR = REPO / "student"
INSTRUCTOR_ONLY_LAB_PLUGINS = ("@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment",
                               "@jupyter/nbgrader:course-list", "@jupyter/nbgrader:assignment-list",
                               "@jupyter/nbgrader:menu")  # the "Nbgrader" menu only opens the tools above
INSTRUCTOR_ONLY_SERVER_EXTENSIONS = ("nbgrader.server_extensions.formgrader",
                                     "nbgrader.server_extensions.course_list",
                                     "nbgrader.server_extensions.assignment_list")


def prepare(course: Course, student_dir: Path) -> Path:
    """Copy released notebooks the student does not have yet; write the student's Jupyter config.

    Returns the Jupyter config directory to use."""
    if not course.step("release").is_dir():
        print(pipeline.release(course).summary())
    for notebook in sorted(course.step("release").glob("*/*.ipynb")):
        target = student_dir / notebook.parent.name / notebook.name
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(notebook, target)
    config_dir = student_dir / ".jupyter"
    _write_json(config_dir / "labconfig" / "page_config.json",
                {"disabledExtensions": {name: True for name in INSTRUCTOR_ONLY_LAB_PLUGINS}})
    _write_json(config_dir / "jupyter_server_config.json",
                {"ServerApp": {"jpserver_extensions": {name: False for name in INSTRUCTOR_ONLY_SERVER_EXTENSIONS}}})
    # JupyterLab otherwise asks, over a network this machine may not have, whether to fetch news
    _write_json(config_dir / "lab" / "user-settings" / "@jupyterlab" / "apputils-extension"
                / "notification.jupyterlab-settings", {"fetchNews": "false", "checkForUpdates": False})
    return config_dir


def environment(course: Course, student_dir: Path = STUDENT_DIR) -> dict[str, str]:
    """The student's JupyterLab: its config, and kernels that cannot open the course's private files."""
    config_dir = prepare(course, student_dir)
    env = grading_kernel.student_environment(student_dir / ".ipython", course.private_paths())
    env["JUPYTER_CONFIG_DIR"] = str(config_dir)
    return env


def command(student_dir: Path = STUDENT_DIR) -> list[str]:
    # No terminals: a shell would reach the whole repository, reference solutions included.
    command = [str(Path(sys.executable).parent / "jupyter"), "lab", f"--ServerApp.root_dir={student_dir}",
               "--ServerApp.terminals_enabled=False"]
    if os.geteuid() == 0:  # containers and CI machines often run as root; JupyterLab refuses unless told
        command.append("--allow-root")
    return command


def start(course: Course, student_dir: Path = STUDENT_DIR) -> NoReturn:
    env = environment(course, student_dir)
    print(f"Starting JupyterLab on {student_dir} (stop it with Ctrl+C)")
    os.execve(command(student_dir)[0], command(student_dir), env)


def _write_json(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2))
