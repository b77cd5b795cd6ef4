"""`make clean` and `make help`: the standard library only, so that neither needs .venv/ (nor builds it).

    python3 -m instructor.tidy clean [ROOT]   remove what the steps generate under ROOT (default: the repository)
    python3 -m instructor.tidy help MAKEFILE  one line per target: the `## ...` comment on its line
"""
from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# What the steps generate. Never submitted/, gradebook.db, student/, downloaded/, exchange/, course.toml or
# pending_extensions.json: those hold people's work or the instructor's decisions.
GENERATED = ("release", "autograded", "feedback", "report", "dist", "grades.csv", "exercise_grades.csv",
             "autograde_failures.json", "demo")
KEPT = "submitted/, gradebook.db, student/, downloaded/ and exchange/ are kept"


def clean(root: Path, names: tuple[str, ...] = GENERATED) -> list[str]:
    """Remove the generated files and folders under `root`; returns the names removed."""
    removed = []
    for name in names:
        path = root / name
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.exists() or path.is_symlink():
            path.unlink()
        else:
            continue
        removed.append(name)
    return removed


def targets(makefile: Path) -> list[tuple[str, str]]:
    """(target, what it does) for every `target: ... ## what it does` line of the Makefile."""
    found = []
    for line in makefile.read_text().splitlines():
        if match := re.match(r"^([a-z][a-z-]*):[^#]*##\s*(.+)$", line):
            found.append((match.group(1), match.group(2)))
    return found


def main(argv: list[str]) -> int:
    if argv[:1] == ["clean"] and len(argv) <= 2:
        root = Path(argv[1]) if len(argv) == 2 else REPO
        removed = clean(root)
        print(f"removed: {', '.join(removed) or 'nothing'} ({KEPT})")
        return 0
    if argv[:1] == ["help"] and len(argv) == 2:
        rows = targets(Path(argv[1]))
        width = max(len(name) for name, _ in rows)
        print("\n".join(f"make {name:<{width}}  {text}" for name, text in rows))
        return 0
    print("usage: python3 -m instructor.tidy clean [ROOT] | help MAKEFILE", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
