"""Grade a small class through real nbgrader in a throw-away course directory.

Used by ``make demo`` (a complete submission, a stub and one with a catalogued mistake) and
by the end-to-end tests. The course directory mirrors ours: ``solutions/`` as nbgrader's
source, ``notebooks/`` as release, our hardened ``autograder/nbgrader_config.py``.
"""

from __future__ import annotations

import csv
import html
import json
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from autograder.build import nbgrader
from autograder.exercises import exercise_for_test, load_assignment, replace_solution, split_hidden
from autograder.flags import scan_notebook

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "autograder" / "nbgrader_config.py"


@dataclass
class StudentResult:
    student: str
    score: float
    max_score: float
    per_exercise: dict[str, tuple[float, float]] = field(default_factory=dict)
    manual_pending: float = 0.0
    seconds: float = 0.0
    flags: list[str] = field(default_factory=list)
    feedback: Path | None = None


def make_course(course: Path, assignments: str | list[str] = (), extra_config: str = "") -> Path:
    """A fresh course directory with these assignments' sources and our nbgrader config."""
    if course.exists():
        shutil.rmtree(course)
    (course / "solutions").mkdir(parents=True)
    for assignment in [assignments] if isinstance(assignments, str) else assignments:
        shutil.copytree(ROOT / "solutions" / assignment, course / "solutions" / assignment)
    write_course_config(course, extra_config)
    return course


def write_course_config(course: Path, extra: str = "") -> None:
    """``course/nbgrader_config.py``: ours, with this folder as root and its own sqlite gradebook."""
    (course / "nbgrader_config.py").write_text(
        "c = get_config()  # noqa: F821\n"
        f"load_subconfig({str(CONFIG)!r})  # noqa: F821\n"
        f"c.CourseDirectory.root = {str(course)!r}\n"
        f"c.CourseDirectory.db_url = 'sqlite:///{course / 'gradebook.db'}'\n" + extra
    )


def run_nbgrader(course: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = nbgrader(*args, cwd=course, check=False)
    if check and result.returncode != 0:
        raise RuntimeError(f"nbgrader {' '.join(args)} failed:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}")
    return result


STUDENT_ANSWER = "My answer: views share memory with the tensor they come from."


def complete_submission(assignment: str) -> dict:
    """The solution notebook as a student who got every exercise right would hand it in.

    Manually graded answers hold a student's text, not the model answer and rubric.
    """
    nb = json.loads((ROOT / "solutions" / assignment / f"{assignment}.ipynb").read_text())
    for cell in nb["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell["cell_type"] == "markdown" and meta.get("grade") and meta.get("solution"):
            cell["source"] = STUDENT_ANSWER
    return nb


def stub_submission(assignment: str) -> dict:
    return json.loads((ROOT / "notebooks" / assignment / f"{assignment}.ipynb").read_text())


def mistake_submission(assignment: str, exercise: str, code: str | dict[int, str]) -> dict:
    """The complete submission with one exercise answered by a catalogued mistake."""
    nb = complete_submission(assignment)
    for cell in nb["cells"]:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == exercise:
            src = cell["source"]
            src = "".join(src) if isinstance(src, list) else src
            cell["source"] = replace_solution(src, code)
            return nb
    raise KeyError(f"{assignment} has no exercise {exercise!r}")


def submit(course: Path, assignment: str, student: str, nb: dict | str | bytes) -> Path:
    """Place a submission where nbgrader expects it (raw text/bytes allow broken files)."""
    folder = course / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{assignment}.ipynb"
    if isinstance(nb, dict):
        target.write_text(json.dumps(nb, indent=1))
    elif isinstance(nb, bytes):
        target.write_bytes(nb)
    else:
        target.write_text(nb)
    (folder / "timestamp.txt").write_text("2026-11-20 12:00:00.000000 UTC")
    return target


def grade_class(course: Path, assignment: str, students: list[str]) -> dict[str, StudentResult]:
    """Generate (to fill the gradebook), autograde each student, make feedback, read grades."""
    run_nbgrader(course, "db", "assignment", "add", assignment)
    for student in students:
        run_nbgrader(course, "db", "student", "add", student)
    run_nbgrader(course, "generate_assignment", assignment, "--force")
    results: dict[str, StudentResult] = {}
    timings: dict[str, float] = {}
    for student in students:
        started = time.perf_counter()
        run_nbgrader(course, "autograde", assignment, "--student", student, "--force")
        timings[student] = time.perf_counter() - started
    run_nbgrader(course, "generate_feedback", assignment, "--force")
    info = load_assignment(course / "solutions" / assignment / f"{assignment}.ipynb")
    names = list(info.exercises)
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for student in students:
            sub = gb.find_submission_notebook(assignment, assignment, student)
            res = StudentResult(student, 0.0, 0.0, seconds=round(timings[student], 1))
            for grade in sub.grades:
                max_score = float(grade.max_score)
                res.max_score += max_score
                score = float(grade.score or 0.0)
                res.score += score
                owner = exercise_for_test(grade.name, names)
                if owner is None:
                    if grade.auto_score is None and grade.manual_score is None:
                        res.manual_pending += max_score
                    continue
                got, out_of = res.per_exercise.get(owner, (0.0, 0.0))
                res.per_exercise[owner] = (got + score, out_of + max_score)
            res.flags = scan_notebook(course / "submitted" / student / assignment / f"{assignment}.ipynb")
            fb = course / "feedback" / student / assignment / f"{assignment}.html"
            res.feedback = fb if fb.exists() else None
            results[student] = res
    return results


def hidden_test_lines(assignment: str) -> list[str]:
    """Distinctive source lines of the hidden tests (they must never appear in feedback)."""
    info = load_assignment(ROOT / "solutions" / assignment / f"{assignment}.ipynb")
    lines = []
    for index in info.tests.values():
        src = info.source(index)
        _, hidden = split_hidden(src)
        lines += [line.strip() for line in hidden if len(line.strip()) > 25 and "import" not in line]
    return lines


def leaked_lines(feedback_html: Path, assignment: str) -> list[str]:
    text = html.unescape(feedback_html.read_text(encoding="utf-8"))
    return [line for line in hidden_test_lines(assignment) if line in text]


def export_grades(course: Path) -> list[dict]:
    run_nbgrader(course, "export", "--to", str(course / "grades.csv"))
    with open(course / "grades.csv", newline="") as fh:
        return list(csv.DictReader(fh))
