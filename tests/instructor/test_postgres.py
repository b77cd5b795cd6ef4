"""The whole pipeline on a PostgreSQL gradebook (a course team's setup): release, autograde on Dask, grades.

Needs a real server: COURSE_TEST_POSTGRES is a SQLAlchemy URL of a database this test may create databases
from (.ci/run starts PostgreSQL and sets it, with REQUIRE_POSTGRES=1 so that the test cannot be skipped there).
"""
from __future__ import annotations

import dataclasses
import os
import secrets

import pytest

from grader_tests.exercises import all_exercises
from instructor import grades, pipeline, sample_class
from instructor.course import demo_course

SERVER = os.environ.get("COURSE_TEST_POSTGRES")
if not SERVER and os.environ.get("REQUIRE_POSTGRES"):
    raise RuntimeError("REQUIRE_POSTGRES is set but COURSE_TEST_POSTGRES is not")
pytestmark = pytest.mark.skipif(not SERVER, reason="POSTGRESQL TEST SKIPPED: set COURSE_TEST_POSTGRES")


@pytest.fixture(scope="module")
def database():
    import sqlalchemy

    name = f"course_test_{secrets.token_hex(4)}"
    server = sqlalchemy.create_engine(SERVER, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(sqlalchemy.text(f"CREATE DATABASE {name}"))
    yield sqlalchemy.engine.make_url(SERVER).set(database=name).render_as_string(hide_password=False)
    with server.connect() as connection:
        connection.execute(sqlalchemy.text(f"DROP DATABASE {name} WITH (FORCE)"))
    server.dispose()


def test_a_class_graded_on_dask_on_postgresql(database, tmp_path):
    course = dataclasses.replace(demo_course(tmp_path / "course"), database=database)
    pipeline.release(course)
    sample_class.write(course)
    report = pipeline.autograde(course, workers=2, show_progress=False)
    assert not report.failed and not course.gradebook.exists()  # everything went to the server
    course_csv, _exercise_csv = grades.export(course)
    rows = grades.exercise_grades(course)
    exercises = all_exercises()
    assert len(rows) == len(sample_class.STUDENTS) * len(exercises)
    for row in rows:
        expected = {sample_class.CORRECT: "passed", sample_class.BLANK: "not attempted",
                    sample_class.MISTAKES: f"known mistake: {exercises[row.exercise].mistakes[0].name}"}
        assert row.diagnosis == expected[row.student], row
    assert "sample_correct" in course_csv.read_text()
