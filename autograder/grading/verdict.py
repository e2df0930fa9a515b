"""Stage 4, verdict: zero scores for what could not be graded, the gradebook's flag, what the
kernel's own run reported (crashes, hangs, cut output, refusals), and why a grade needs review."""

from __future__ import annotations

import contextlib
import html
import json
from pathlib import Path

from autograder.grading.common import Settings, gradebook


def record_zero(settings: Settings, student: str, notebooks: list[str], why: str) -> None:
    """A submission nbgrader could not grade scores zero, flagged for the instructor."""
    course = Path(settings.course)
    ts_file = course / "submitted" / student / settings.assignment / "timestamp.txt"
    kwargs = {}
    if ts_file.exists():
        from nbgrader.utils import parse_utc

        with contextlib.suppress(ValueError):
            kwargs["timestamp"] = parse_utc(ts_file.read_text().strip())
    with gradebook(settings) as gb:
        gb.update_or_create_student(student)
        sub = gb.update_or_create_submission(settings.assignment, student, **kwargs)
        for nb in sub.notebooks:
            for grade in nb.grades:
                if grade.auto_score is None:
                    grade.auto_score = 0.0
                grade.needs_manual_grade = False
            nb.flagged = True
        gb.db.commit()
    for name in notebooks:
        path = course / "feedback" / student / settings.assignment / name.replace(".ipynb", ".html")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Feedback</title></head><body>"
            f"<h1>{html.escape(settings.assignment)}: your submission could not be graded</h1>"
            f"<p>{html.escape(why)}</p><p>It scores zero for now; your instructor has been told "
            "and will look at it.</p></body></html>", encoding="utf-8")


def set_flagged(settings: Settings, student: str, flagged: bool) -> None:
    with gradebook(settings) as gb:
        try:
            sub = gb.find_submission(settings.assignment, student)
        except Exception:  # noqa: BLE001 - no submission, nothing to flag
            return
        for nb in sub.notebooks:
            nb.flagged = flagged or bool(nb.flagged)
        gb.db.commit()


KERNEL_EVENTS = {
    "KernelDied": "kernel died in cell {i}",
    "KernelUnresponsive": "kernel hung (ignored the interrupt) in cell {i}",
    "CellTimeoutError": "timeout in cell {i}",
    "KernelRestarted": "kernel restarted after running out of memory in cell {i}",
    "GradingIntegrityError": "test cell {i} did not run to its end",
}


def runtime_flags(autograded_nb: Path) -> list[str]:
    """What happened while the notebook ran: crashes, timeouts, refusals by the sandbox, cuts."""
    try:
        nb = json.loads(autograded_nb.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    flags = []
    for i, cell in enumerate(nb.get("cells", [])):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                ename, evalue = out.get("ename", ""), str(out.get("evalue", ""))
                if ename in KERNEL_EVENTS:
                    flags.append(KERNEL_EVENTS[ename].format(i=i))
                elif ename == "PermissionError" and "not allowed while grading" in evalue:
                    flags.append(f"cell {i}: sandbox refused {evalue.split(': ', 1)[-1][:90]}")
                elif ename == "MemoryError":
                    flags.append(f"cell {i}: ran out of memory")
            elif out.get("output_type") == "stream" and "[grader: output cut" in str(out.get("text", "")):
                flags.append(f"cell {i}: output cut")
    return sorted(set(flags), key=flags.index)

