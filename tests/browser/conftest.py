"""A real JupyterLab on a student's copy of the release, driven by Playwright in Debian's Chromium.

Skipped, loudly, where /usr/bin/chromium is missing; .ci/run sets REQUIRE_BROWSER=1, which turns that skip
into a failure, so CI cannot pass by skipping.
"""
from __future__ import annotations

import os
import secrets
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from instructor import lab, pipeline
from instructor.course import REPO, Course, demo_course

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))  # Debian's package; never a download
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = REPO / "artifacts"


@dataclass
class Lab:
    url: str
    token: str
    student_dir: Path
    course: Course

    def api(self, path: str) -> int:
        """The HTTP status of GET /path on the server."""
        try:
            with urllib.request.urlopen(f"{self.url}/{path}?token={self.token}", timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except urllib.error.URLError:  # not listening yet
            return 0


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    message = f"BROWSER TESTS SKIPPED: {CHROMIUM} is missing (apt-get install chromium)"
    if os.environ.get("REQUIRE_BROWSER"):
        raise pytest.UsageError(message + ", and REQUIRE_BROWSER is set")
    config.issue_config_time_warning(pytest.PytestWarning(message), stacklevel=2)
    for item in items:
        if "browser" in item.nodeid:
            item.add_marker(pytest.mark.skip(reason=message))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def jupyter_lab(tmp_path_factory):
    root = tmp_path_factory.mktemp("lab")
    course = demo_course(root / "course")
    pipeline.release(course)
    student_dir = root / "student"
    env = lab.environment(course, student_dir)
    for name in ("JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "MPLCONFIGDIR"):  # nothing of the home directory
        env[name] = str(root / name.lower())
    port, token = free_port(), secrets.token_hex(16)
    log = (root / "jupyterlab.log").open("w")
    server = subprocess.Popen(lab.command(student_dir) + [
        "--no-browser", "--ip=127.0.0.1", f"--port={port}", f"--IdentityProvider.token={token}"],
        env=env, stdout=log, stderr=subprocess.STDOUT)
    running = Lab(f"http://127.0.0.1:{port}", token, student_dir, course)
    deadline = time.monotonic() + 90
    while running.api("api/status") != 200:
        assert server.poll() is None and time.monotonic() < deadline, (root / "jupyterlab.log").read_text()[-3000:]
        time.sleep(0.3)
    yield running
    server.terminate()
    server.wait(timeout=30)
    log.close()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    yield page
    context.close()


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path
