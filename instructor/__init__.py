"""The instructor's tooling around nbgrader: `python -m instructor <command>` (see cli.py)."""
import os
import sys
from pathlib import Path

# nbgrader runs `alembic` from PATH whenever it opens a gradebook it has to create or migrate, in its own
# processes and in ours: put this interpreter's bin/ (the .venv's) first, for us and every process we start.
os.environ["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
