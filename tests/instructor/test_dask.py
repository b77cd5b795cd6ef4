"""Grading on Dask: a real scheduler and workers that have no access to the course, a worker killed while it
grades, a scheduler that cannot be reached, and nothing left running afterwards."""
from __future__ import annotations

import hashlib
import json
import os
import pickle
import random
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest
from nbgrader.api import Gradebook

from instructor import pipeline, sample_class
from instructor.course import REPO, Course, demo_course
from instructor.grading import client as grading
from tests.instructor.test_pipeline import gradebook_contents

ASSIGNMENTS = ["01_sigmoid", "02_reshaping"]
DASK = Path(sys.executable).parent / "dask"


def sample(root: Path, size: int | None = None) -> Course:
    """The sample class (or `size` students of it) on ASSIGNMENTS only."""
    course = demo_course(root)
    pipeline.release(course)
    sample_class.write(course, size=size)
    for submission in course.step("submitted").glob("*/*"):
        if submission.name not in ASSIGNMENTS:
            shutil.rmtree(submission)
    return course


@pytest.fixture(scope="module")
def serial(tmp_path_factory) -> dict:
    """The sample class graded by one plain `nbgrader autograde`."""
    course = sample(tmp_path_factory.mktemp("serial") / "course")
    course.nbgrader("autograde", "--assignment=*", "--force", check=False)
    return gradebook_contents(course.db_url)


def grading_processes() -> list[psutil.Process]:
    """Warm-kernel servers, launchers and kernels of any grader on the machine that this test started."""
    mine = {p.pid for p in psutil.Process().children(recursive=True)}
    return [p for p in psutil.process_iter(["cmdline"]) if p.pid in mine and any(
        "warm_kernel" in part for part in p.info["cmdline"] or [])]


@pytest.fixture
def cluster(tmp_path):
    """`dask scheduler` and two `dask worker` processes on 127.0.0.1, each started in an empty folder of its
    own (not the course's, nor the repository's)."""
    places = [tmp_path / name for name in ("scheduler", "worker-1", "worker-2")]
    for place in places:
        place.mkdir()
    scheduler_file = places[0] / "scheduler.json"
    env = dict(os.environ, DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES="1")
    common = ["--no-dashboard"]
    processes = [subprocess.Popen([DASK, "scheduler", "--host", "127.0.0.1", "--port", "0",
                                   "--scheduler-file", scheduler_file, *common], cwd=places[0], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    deadline = time.monotonic() + 60
    while not scheduler_file.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    address = json.loads(scheduler_file.read_text())["address"]
    for place in places[1:]:
        processes.append(subprocess.Popen([DASK, "worker", address, "--nthreads", "1", "--nworkers", "1",
                                           "--host", "127.0.0.1", "--local-directory", place, *common],
                                          cwd=place, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    yield address, processes
    for process in reversed(processes):
        process.terminate()
    for process in reversed(processes):
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_a_real_scheduler_and_workers_without_the_course_grade_as_plain_nbgrader(cluster, serial, tmp_path):
    address, processes = cluster
    course = sample(tmp_path / "course")
    report = pipeline.autograde(course, scheduler=address, show_progress=False)
    assert not report.failed, report.summary()
    assert gradebook_contents(course.db_url) == serial
    assert all(p.poll() is None for p in processes)  # the cluster outlives the run...
    assert not grading_processes()  # ...but each worker's warm-kernel server and its kernels do not


def test_what_a_task_receives_names_nothing_of_the_course(tmp_path):
    course = sample(tmp_path / "course")
    with Gradebook(course.db_url) as gradebook:
        tasks = list(grading._tasks(course, gradebook, course.submissions()))
    shared = grading.material(course, ("--Execute.timeout=5",))
    assert len(tasks) == len(sample_class.STUDENTS) * len(ASSIGNMENTS)
    received = pickle.dumps((tasks, shared))
    for path in {course.root, course.root.resolve(), REPO}:
        assert str(path).encode() not in received
    assert set(shared.solutions) == {p.name for p in (REPO / "solutions").glob("[!_]*.py")}


def test_a_worker_killed_while_grading_has_its_notebooks_graded_elsewhere(serial, tmp_path):
    course = sample(tmp_path / "course", size=6)
    killed: dict = {}
    with grading.connect(workers=2) as client:
        def kill_one_grading_worker() -> None:
            deadline = time.monotonic() + 300
            while time.monotonic() < deadline and not killed:
                done = list(course.step("autograded").glob("*/*/*.ipynb")) if course.step("autograded").exists() \
                    else []
                busy = {address: keys for address, keys in client.processing().items() if keys}
                if done and busy:
                    address, keys = next(iter(busy.items()))
                    pid = client.run(os.getpid, workers=[address])[address]
                    os.kill(pid, signal.SIGKILL)
                    killed.update(pid=pid, keys=list(keys))
                time.sleep(0.1)

        killer = threading.Thread(target=kill_one_grading_worker, daemon=True)
        killer.start()
        report = pipeline.autograde(course, client=client, show_progress=False)
        killer.join()
    assert killed, "no worker was killed: the test proves nothing"
    assert not psutil.pid_exists(killed["pid"]) or psutil.Process(killed["pid"]).status() == psutil.STATUS_ZOMBIE
    assert not report.failed, report.summary()
    graded = {str(p.relative_to(course.step("autograded"))) for p in course.step("autograded").glob("*/*/*.ipynb")}
    assert len(graded) == 6 * len(ASSIGNMENTS)
    for key in killed["keys"]:  # grade-<student>/<assignment>/<notebook>-<id>
        student, assignment, notebook = key.split("-", 1)[1].rsplit("-", 1)[0].split("/")
        assert f"{student}/{assignment}/{notebook}.ipynb" in graded
    profiles = [sample_class.STUDENTS[i % 3] for i in range(6)]
    random.Random(0).shuffle(profiles)  # as sample_class.write deals them
    profile = {f"student_{i:03d}": name for i, name in enumerate(profiles)}
    assert {key: value for key, value in gradebook_contents(course.db_url).items()} == {
        (student, *key[1:]): value for student in profile for key, value in serial.items()
        if key[0] == profile[student]}
    assert not grading_processes()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_unreachable_scheduler_gets_one_line_and_nothing_is_written(tmp_path):
    course = sample(tmp_path / "course")
    before = hashlib.sha256(course.gradebook.read_bytes()).hexdigest()
    address = f"tcp://127.0.0.1:{free_port()}"
    result = subprocess.run([sys.executable, "-m", "instructor", "autograde", "--root", str(course.root),
                             "--scheduler", address], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    lines = (result.stdout + result.stderr).strip().splitlines()
    assert len(lines) == 1 and "cannot reach the Dask scheduler" in lines[0] and address in lines[0], lines
    assert not course.step("autograded").exists() and not course.failures_file.exists()
    assert hashlib.sha256(course.gradebook.read_bytes()).hexdigest() == before


def test_a_local_cluster_leaves_nothing_running(tmp_path):
    course = sample(tmp_path / "course")
    before = {p.pid for p in psutil.Process().children(recursive=True)}  # other tests' servers (JupyterLab…)
    report = pipeline.autograde(course, workers=2, students=[sample_class.CORRECT], assignments=ASSIGNMENTS[:1],
                                show_progress=False)
    assert report.done == [f"{sample_class.CORRECT}/{ASSIGNMENTS[0]}"] and not report.failed
    assert not grading_processes()
    # no worker, nanny or kernel: only multiprocessing's resource tracker, which lives as long as this process
    assert not [p.cmdline() for p in psutil.Process().children(recursive=True) if p.pid not in before
                and p.is_running() and p.status() != psutil.STATUS_ZOMBIE
                and "multiprocessing.resource_tracker" not in " ".join(p.cmdline())]


def test_ctrl_c_stops_the_run_and_leaves_a_consistent_gradebook(tmp_path):
    course = sample(tmp_path / "course", size=6)
    run = subprocess.Popen([sys.executable, "-m", "instructor", "autograde", "--root", str(course.root),
                            "--workers", "2"], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 300
    while not list(course.step("autograded").glob("*/*/*.ipynb")) and time.monotonic() < deadline:
        time.sleep(0.2)
    helpers = psutil.Process(run.pid).children(recursive=True)  # the cluster's workers, their kernel servers
    run.send_signal(signal.SIGINT)
    _, stderr = run.communicate(timeout=120)
    assert run.returncode == 130 and "interrupted" in stderr.strip().splitlines()[-1], stderr
    _gone, alive = psutil.wait_procs(helpers, timeout=20)  # multiprocessing's resource tracker takes a moment
    assert not [p.cmdline() for p in alive if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    graded = {tuple(p.parts[-3:-1]) for p in course.step("autograded").glob("*/*/*.ipynb")}
    assert 0 < len(graded) < 6 * len(ASSIGNMENTS)
    with Gradebook(course.db_url) as gradebook:  # a result is merged whole (one transaction) or not at all
        merged = {(student.id, submission.assignment.name): [grade.auto_score for notebook in submission.notebooks
                                                             for grade in notebook.grades]
                  for student in gradebook.students for submission in student.submissions}
    assert merged and set(merged) <= graded
    assert all(score is not None for scores in merged.values() for score in scores)
