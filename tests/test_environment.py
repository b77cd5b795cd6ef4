"""The pinned environment: requirements.txt and environment.yml agree, and students cannot import solutions."""
from __future__ import annotations

import subprocess
import sys

import yaml

from instructor.course import REPO


def pins(lines) -> dict[str, str]:
    found = {}
    for line in lines:
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version, f"not pinned exactly: {line}"
            found[name.lower().replace("_", "-")] = version
    return found


def test_environment_yml_mirrors_requirements():
    requirements = pins((REPO / "requirements.txt").read_text().splitlines())
    conda = yaml.safe_load((REPO / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in conda["dependencies"] if isinstance(d, dict))
    assert pins(pip_section) == requirements
    assert "python=3.11" in conda["dependencies"]


def test_the_required_versions_are_pinned():
    requirements = pins((REPO / "requirements.txt").read_text().splitlines())
    assert requirements["nbgrader"].startswith("0.9.")
    assert requirements["jupyterlab"].startswith("4.")
    assert requirements["numpy"].startswith("2.")
    assert {"matplotlib", "pytest", "nbclient", "pyyaml"} <= set(requirements)


def test_installed_packages_exclude_the_solutions(tmp_path):
    """The check library is importable everywhere (students need it); the reference solutions are not."""
    code = "import grader_tests, instructor\ntry:\n    import solutions\nexcept ImportError:\n    print('hidden')"
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True)
    assert result.stdout.strip() == "hidden", result.stderr
