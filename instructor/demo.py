"""`make demo`: the whole pipeline on a sample class, in a course of its own (demo/), so that sample students
never mix with real submissions. The end-to-end tests run this same function."""
from __future__ import annotations

import shutil
from pathlib import Path

from instructor import grades, pipeline, report, sample_class
from instructor.course import Course, demo_course


def run(root: Path) -> tuple[Course, pipeline.StepReport]:
    """Build the demo course at `root` from scratch, print what happens and where to look."""
    if root.exists():
        shutil.rmtree(root)
    course = demo_course(root)
    print(pipeline.release(course).summary())
    print(f"sample class: {', '.join(sample_class.write(course))}")
    graded = pipeline.autograde(course)
    print(graded.summary())
    print(pipeline.feedback(course).summary())
    course_csv, exercise_csv = grades.export(course)
    class_report = report.write(course)
    print()
    print(grades.table(grades.exercise_grades(course)))
    print(f"""
Where to look:
  student versions   {course.step('release')}/<assignment>/
  submissions        {course.step('submitted')}/<student>/<assignment>/
  graded notebooks   {course.step('autograded')}/<student>/<assignment>/
  feedback (HTML)    {course.step('feedback')}/<student>/<assignment>/<notebook>.html
  grades             {course_csv}  (one row per student and assignment)
  why, per exercise  {exercise_csv}
  class report       {class_report}""")
    return course, graded
