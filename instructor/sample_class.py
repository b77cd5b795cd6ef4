"""A small sample class for `make demo` and the end-to-end tests: one student per profile.

- sample_correct writes the answer each notebook teaches (the source notebook's solution region);
- sample_mistakes writes, for every exercise, the first mistake in the check library's catalogue (the
  mistakes of the source material this course grew from come first);
- sample_blank hands the released notebook back untouched.
"""
from __future__ import annotations

import copy
import random

from grader_tests.exercises import all_exercises
from instructor import notebooks
from instructor.course import Course

CORRECT, MISTAKES, BLANK = "sample_correct", "sample_mistakes", "sample_blank"
STUDENTS = (CORRECT, MISTAKES, BLANK)


def write(course: Course, size: int | None = None) -> list[str]:
    """Write sample submissions into course/submitted/ and return the student ids: the three profiles by
    name, or (with `size`) that many students, student_000, student_001, ..., a third of each profile in a
    seeded random order. Not in turn: dealt in turn to three workers, each worker would get one profile, and
    the three profiles do not cost the same to grade (a real class is not ordered by its answers either)."""
    if size is None:
        students = dict(zip(STUDENTS, STUDENTS))
    else:
        profiles = [STUDENTS[i % len(STUDENTS)] for i in range(size)]
        random.Random(0).shuffle(profiles)
        students = {f"student_{i:03d}": profile for i, profile in enumerate(profiles)}
    exercises = all_exercises()
    for assignment in course.assignments:
        for released_path in sorted((course.step("release") / assignment).glob("*.ipynb")):
            released = notebooks.read(released_path)
            if not list(notebooks.answer_cells(released)):
                continue  # nothing to hand in (the start page)
            taught = notebooks.taught_answers(course.source / assignment / released_path.name)
            for student, profile in students.items():
                submission = copy.deepcopy(released)
                for name, cell in notebooks.answer_cells(submission):
                    if profile == CORRECT:
                        cell.source = taught[name]
                    elif profile == MISTAKES:
                        cell.source = notebooks.replace_stub(cell.source, exercises[name].mistakes[0].code)
                notebooks.write(submission, course.step("submitted") / student / assignment / released_path.name)
    return list(students)
