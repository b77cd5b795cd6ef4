"""`make report`: what the class got wrong, as one self-contained page (report/index.html).

Plots are drawn with Matplotlib and embedded as PNG data, so the page needs no network and no other file;
only the links to each student's feedback point outside it (to ../feedback/).
"""
from __future__ import annotations

import base64
import html
import io
from collections import Counter, defaultdict
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 - the backend must be chosen first

from instructor.course import Course  # noqa: E402
from instructor.grades import PASSED, ExerciseGrade, LatePenalty, exercise_grades, late_penalties  # noqa: E402

# what no honest notebook gets: answers that never reached the grader, or that were handed over twice
FLAGGED = ("no answers reached the grader", "answers handed over more than once", "answers unreadable",
           "answers incomplete")
STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 70rem; color: #222; }
h1 { margin-bottom: 0.2rem; } .muted { color: #666; }
table { border-collapse: collapse; margin: 1rem 0; } td, th { padding: 0.25rem 0.7rem; text-align: left; }
tr:nth-child(even) { background: #f4f4f4; } th { border-bottom: 2px solid #999; }
td.num { text-align: right; font-variant-numeric: tabular-nums; } .flag { color: #b00; font-weight: bold; }
.plots { display: flex; flex-wrap: wrap; gap: 1rem; } img { max-width: 100%; }
"""


def write(course: Course) -> Path:
    rows = exercise_grades(course)
    folder = course.root / "report"
    folder.mkdir(exist_ok=True)
    page = folder / "index.html"
    page.write_text(render(course, rows, late_penalties(course)))
    return page


def render(course: Course, rows: list[ExerciseGrade], penalties: list[LatePenalty] = ()) -> str:
    students = sorted({row.student for row in rows})
    sections = [
        f"<h1>Python Basics with NumPy: class report</h1><p class=muted>{len(students)} students, "
        f"{len({(r.student, r.assignment) for r in rows})} graded submissions, "
        f"{len({r.exercise for r in rows})} exercises.</p>",
        "<div class=plots>" + _image(_score_histogram(rows)) + _image(_pass_rate_chart(rows)) + "</div>",
        _pass_rate_table(rows),
        _mistake_table(rows),
        _student_table(course, rows, penalties),
    ]
    return (f"<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>Class report</title>"
            f"<style>{STYLE}</style></head><body>{''.join(sections)}</body></html>")


def _totals(rows: list[ExerciseGrade]) -> dict[str, tuple[float, float]]:
    totals: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for row in rows:
        totals[row.student][0] += row.score
        totals[row.student][1] += row.max_score
    return {student: (score, most) for student, (score, most) in totals.items()}


def _score_histogram(rows):
    shares = [100 * score / most for score, most in _totals(rows).values() if most]
    figure, axes = plt.subplots(figsize=(5.5, 3.4))
    axes.hist(shares, bins=[0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100.001], color="#4c72b0", edgecolor="white")
    axes.set_xlabel("total score (% of the points of the submitted notebooks)")
    axes.set_ylabel("students")
    axes.set_title("Score distribution")
    axes.yaxis.get_major_locator().set_params(integer=True)
    return figure


def _pass_rates(rows) -> dict[str, tuple[int, int]]:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        counts[row.exercise][0] += row.diagnosis == PASSED
        counts[row.exercise][1] += 1
    return {exercise: (passed, total) for exercise, (passed, total) in counts.items()}


def _exercise_order(rows) -> list[str]:
    return list(dict.fromkeys(row.exercise for row in sorted(rows, key=lambda r: (r.assignment, r.notebook))))


def _pass_rate_chart(rows):
    rates = _pass_rates(rows)
    exercises = _exercise_order(rows)[::-1]
    figure, axes = plt.subplots(figsize=(5.5, 0.35 * len(exercises) + 1.2))
    axes.barh(exercises, [100 * rates[e][0] / rates[e][1] for e in exercises], color="#55a868")
    axes.set_xlim(0, 100)
    axes.set_xlabel("students with full marks (%)")
    axes.set_title("Pass rate per exercise")
    figure.tight_layout()
    return figure


def _image(figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    plt.close(figure)
    return f"<img alt='plot' src='data:image/png;base64,{base64.b64encode(buffer.getvalue()).decode()}'>"


def _table(header: list[str], body: list[list[str]], numeric: set[int] = frozenset()) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    lines = ["<tr>" + "".join(f"<td class=num>{c}</td>" if i in numeric else f"<td>{c}</td>"
                              for i, c in enumerate(row)) + "</tr>" for row in body]
    return f"<table><tr>{head}</tr>{''.join(lines)}</table>"


def _pass_rate_table(rows) -> str:
    rates = _pass_rates(rows)
    body = [[html.escape(e), str(rates[e][0]), str(rates[e][1]), f"{100 * rates[e][0] / rates[e][1]:.0f}%"]
            for e in _exercise_order(rows)]
    return "<h2>Pass rate per exercise</h2>" + _table(["exercise", "full marks", "submissions", "pass rate"],
                                                      body, {1, 2, 3})


def _mistake_table(rows) -> str:
    """Every failing diagnosis, most common first; shares are of that exercise's submissions."""
    submissions = Counter(row.exercise for row in rows)
    mistakes = Counter((row.exercise, row.diagnosis) for row in rows if row.diagnosis != PASSED)
    body = [[html.escape(exercise), _flagged(diagnosis), str(count), f"{100 * count / submissions[exercise]:.0f}%"]
            for (exercise, diagnosis), count in sorted(mistakes.items(), key=lambda item: (-item[1], item[0]))]
    return ("<h2>What went wrong, most common first</h2><p class=muted>Named mistakes come from the check "
            "library's catalogue; the share is of all submissions of that exercise.</p>"
            + _table(["exercise", "diagnosis", "students", "share"], body, {2, 3}))


def _is_flag(diagnosis: str) -> bool:
    """Worth the instructor's eye: reaching for the reference, a submission that could not be graded, a notebook
    handed in under another name."""
    return diagnosis in FLAGGED or diagnosis.startswith(("not graded", "notebook renamed"))


def _flagged(diagnosis: str) -> str:
    text = html.escape(diagnosis)
    return f"<span class=flag>{text}</span>" if _is_flag(diagnosis) else text


def _student_table(course: Course, rows, penalties=()) -> str:
    """One row per student: the exercises' points, the late penalties, the score after them."""
    totals = _totals(rows)
    by_student = defaultdict(list)
    for row in rows:
        by_student[row.student].append(row)
    late = defaultdict(list)
    for penalty in penalties:
        late[penalty.student].append(penalty)
    body = []
    for student in sorted(by_student):
        score, most = totals[student]
        taken = sum(p.points for p in late[student])
        links = sorted({(r.assignment, r.notebook) for r in by_student[student]})
        feedback = " ".join(_feedback_link(course, student, assignment, notebook) for assignment, notebook in links)
        problems = sorted({r.diagnosis for r in by_student[student] if _is_flag(r.diagnosis)})
        penalty = "<br>".join(f"−{p.points:g} {html.escape(p.assignment)} ({p.days_late:.1f} days late)"
                              for p in late[student])
        body.append([html.escape(student), f"{score:g} / {most:g}", penalty, f"{max(0.0, score - taken):g} / {most:g}",
                     feedback, "<br>".join(_flagged(p) for p in problems)])
    return ("<h2>Students</h2><p class=muted>Points: the exercises' points; score: after the late penalty "
            "(course.toml).</p>" + _table(["student", "points", "late penalty", "score", "feedback", "flags"], body,
                                          {1, 3}))


def _feedback_link(course: Course, student: str, assignment: str, notebook: str) -> str:
    page = course.step("feedback") / student / assignment / f"{notebook}.html"
    label = html.escape(assignment)
    if not page.exists():
        return f"<span class=muted>{label}</span>"
    return f"<a href='../feedback/{html.escape(student)}/{html.escape(assignment)}/{html.escape(notebook)}.html'>" \
           f"{label}</a>"
