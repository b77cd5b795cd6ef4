"""Reading the nbgrader cells of a notebook: answer cells (one graded function each) and their checks."""
from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Iterator

import nbformat

SOLUTION_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")
STUB = ("# YOUR CODE HERE", "raise NotImplementedError()")
CHECK_PREFIX = "check_"  # the check cell of function f has grade_id "check_f"


def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def write(notebook: nbformat.NotebookNode, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, path)


def nbgrader_meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def answer_cells(notebook) -> Iterator[tuple[str, nbformat.NotebookNode]]:
    """(function name, cell) for every answer cell; its grade_id is the name of the function it defines."""
    for cell in notebook.cells:
        meta = nbgrader_meta(cell)
        if meta.get("solution") and cell.cell_type == "code":
            yield meta["grade_id"], cell


def check_cells(notebook) -> Iterator[tuple[str, nbformat.NotebookNode]]:
    """(function name, cell) for every graded check cell."""
    for cell in notebook.cells:
        meta = nbgrader_meta(cell)
        if meta.get("grade") and cell.cell_type == "code":
            yield meta["grade_id"].removeprefix(CHECK_PREFIX), cell


def without_solution_markers(source: str) -> str:
    """An answer cell of a source notebook as a student who wrote the reference answer would have it."""
    return "\n".join(line for line in source.splitlines() if line.strip() not in SOLUTION_MARKERS)


def taught_answers(source_notebook: Path) -> dict[str, str]:
    """{function name: answer cell source} as a student who wrote what the source notebook teaches has them."""
    return {name: without_solution_markers(cell.source) for name, cell in answer_cells(read(source_notebook))}


def replace_stub(source: str, code: str) -> str:
    """Put `code` where a released answer cell has `# YOUR CODE HERE` / `raise NotImplementedError()`."""
    lines = source.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == STUB[0])
    indent = lines[start][: len(lines[start]) - len(lines[start].lstrip())]
    end = start + 2 if start + 1 < len(lines) and lines[start + 1].strip() == STUB[1] else start + 1
    body = [indent + line if line else line for line in textwrap.dedent(code).strip("\n").splitlines()]
    return "\n".join(lines[:start] + body + lines[end:])
