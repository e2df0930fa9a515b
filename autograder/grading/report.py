"""Stage 5, report: grades.csv (with review columns), the summary per student and per
exercise, and the table printed at the end of a run."""

from __future__ import annotations

import csv
import hashlib
import json
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

from autograder.grading.common import FAILED, Settings, expected_notebooks, gradebook


# --- summary -----------------------------------------------------------------------------------
@dataclass
class StudentRow:
    student: str
    on_roster: bool
    status: str
    score: float = 0.0
    max_auto: float = 0.0
    manual_score: float = 0.0  # manually graded answers, graded so far
    manual_pending: float = 0.0  # their points still waiting for a grader
    per_exercise: dict[str, list[float]] = field(default_factory=dict)
    failed_tests: list[str] = field(default_factory=list)
    seconds: float | None = None
    flags: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def summarize(settings: Settings, roster: list[str], states: dict[str, dict]) -> list[StudentRow]:
    from autograder.exercises import exercise_for_test, load_assignment

    course = Path(settings.course)
    notebooks = expected_notebooks(course, settings.assignment, settings.source_dir)
    points: dict[str, float] = {}
    for name in notebooks:
        info = load_assignment(course / settings.source_dir / settings.assignment / name)
        points.update({n: ex.points for n, ex in info.exercises.items()})
    names = list(points)
    students = sorted(set(roster) | set(states))
    rows = []
    with gradebook(settings) as gb:
        for sid in students:
            state = states.get(sid, {})
            row = StudentRow(sid, sid in roster, state.get("status", "no submission"),
                             seconds=state.get("seconds"), flags=list(state.get("flags", [])),
                             notes=list(state.get("notes", [])))
            row.per_exercise = {n: [0.0, points[n]] for n in names}
            row.max_auto = sum(points.values())
            try:
                sub = gb.find_submission(settings.assignment, sid)
            except Exception:  # noqa: BLE001 - no submission: zero of every point
                sub = None
            if sub is not None:
                row.max_auto = 0.0
                row.per_exercise = {n: [0.0, 0.0] for n in names}
            for nb in sub.notebooks if sub else []:
                for grade in nb.grades:
                    max_score, score = float(grade.max_score), float(grade.score or 0.0)
                    owner = exercise_for_test(grade.name, names)
                    if owner is None:  # a manually graded answer
                        if grade.auto_score is None and grade.manual_score is None:
                            row.manual_pending += max_score
                        else:
                            row.manual_score += score
                        continue
                    row.score += score
                    row.max_auto += max_score
                    row.per_exercise[owner][0] += score
                    row.per_exercise[owner][1] += max_score
                    if score < max_score:
                        row.failed_tests.append(grade.name)
            if not row.on_roster and sid in states:
                row.flags.insert(0, "not on the roster")
            rows.append(row)
    return rows


def write_reports(settings: Settings, rows: list[StudentRow], extra: dict) -> dict:
    report = Path(settings.report)
    report.mkdir(parents=True, exist_ok=True)
    exercises = list(rows[0].per_exercise) if rows else []
    with open(report / "summary.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["student", "on_roster", "status", "score", "max_auto", "manual_score", "manual_pending",
                    *exercises, "failed_tests", "seconds", "flags", "notes"])
        for r in rows:
            w.writerow([r.student, r.on_roster, r.status, f"{r.score:g}", f"{r.max_auto:g}",
                        f"{r.manual_score:g}", f"{r.manual_pending:g}", *(f"{r.per_exercise[e][0]:g}" for e in exercises),
                        " ".join(r.failed_tests), "" if r.seconds is None else r.seconds,
                        "; ".join(r.flags), "; ".join(r.notes)])
    per_ex = []
    graded = [r for r in rows if r.status != "no submission"]
    for e in exercises:
        points = [r.per_exercise[e][0] for r in graded]
        out_of = max((r.per_exercise[e][1] for r in rows), default=0.0)
        per_ex.append({"exercise": e, "points": out_of,
                       "mean": round(sum(points) / len(points), 2) if points else 0.0,
                       "full": sum(1 for p in points if p >= out_of > 0),
                       "zero": sum(1 for p in points if p == 0)})
    with open(report / "exercises.csv", "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["exercise", "points", "mean", "full", "zero"])
        w.writeheader()
        w.writerows(per_ex)
    summary = {"assignment": settings.assignment, "students": [asdict(r) for r in rows],
               "exercises": per_ex, **extra}
    (report / "summary.json").write_text(json.dumps(summary, indent=1))
    return summary


def print_summary(summary: dict, out=sys.stdout) -> None:
    rows = summary["students"]
    if not rows:
        print("no students", file=out)
        return
    ex = [e["exercise"] for e in summary["exercises"]]
    width = max(8, *(len(r["student"]) for r in rows))
    print(f"\n{summary['assignment']}: autograded points per student; manual = graded (+ still to grade)",
          file=out)
    head = f"{'student':<{width}} {'status':<13} {'score':>9} {'manual':>8} {'time':>6}  failed tests / flags"
    print(head, file=out)
    print("-" * len(head), file=out)
    for r in rows:
        score = f"{r['score']:g}/{r['max_auto']:g}"
        secs = "" if r["seconds"] is None else f"{r['seconds']:.0f}s"
        tail = ", ".join(t.replace("test_", "") for t in r["failed_tests"][:6])
        if len(r["failed_tests"]) > 6:
            tail += f", +{len(r['failed_tests']) - 6}"
        flags = "; ".join(r["flags"][:3]) + (f"; +{len(r['flags']) - 3}" if len(r["flags"]) > 3 else "")
        manual = f"{r['manual_score']:g}" + (f"+{r['manual_pending']:g}" if r["manual_pending"] else "")
        print(f"{r['student']:<{width}} {r['status']:<13} {score:>9} {manual:>8} {secs:>6}  "
              f"{tail}{' | ' if tail and flags else ''}{flags}", file=out)
    w = max(len(e) for e in ex) if ex else 8
    print(f"\n{'exercise':<{w}} {'points':>6} {'mean':>6} {'full':>5} {'zero':>5}", file=out)
    for e in summary["exercises"]:
        print(f"{e['exercise']:<{w}} {e['points']:>6g} {e['mean']:>6g} {e['full']:>5} {e['zero']:>5}", file=out)
    review = [r["student"] for r in rows if r["flags"] or r["status"] in FAILED]
    if review:
        print(f"\nmarked for review in grades.csv ({len(review)}): " + ", ".join(review[:30]), file=out)
    print(f"sandbox: {summary.get('sandbox', 'bubblewrap')}", file=out)
    for key in ("ignored_files", "errors"):
        if summary.get(key):
            print(f"\n{key.replace('_', ' ')}: " + "; ".join(summary[key][:20]), file=out)
    print(f"\nreports: {summary.get('report', '')}", file=out)


def mark_for_review(csv_path: Path, rows: list[StudentRow]) -> None:
    """Add ``needs_review`` and ``review_reasons`` columns to nbgrader's grades.csv."""
    reasons = {r.student: review_reasons(r) for r in rows}
    with open(csv_path, newline="") as fh:
        table = list(csv.reader(fh))
    if not table:
        return
    head = table[0]
    sid = head.index("student_id") if "student_id" in head else None
    out = [head + ["needs_review", "review_reasons"]]
    for line in table[1:]:
        why = reasons.get(line[sid], []) if sid is not None and sid < len(line) else []
        out.append(line + ["yes" if why else "no", "; ".join(why)[:2000]])
    with open(csv_path, "w", newline="") as fh:
        csv.writer(fh).writerows(out)


def export_grades(settings: Settings, dest: Path) -> None:
    from nbgrader.plugins import CsvExportPlugin

    with gradebook(settings) as gb:
        CsvExportPlugin(to=str(dest)).export(gb)


def shard_filter(students: list[str], shard: str | None) -> list[str]:
    if not shard:
        return students
    k, n = (int(x) for x in shard.split("/"))
    if not 1 <= k <= n:
        raise SystemExit(f"--shard {shard}: expected K/N with 1 <= K <= N")
    return [s for s in students if int(hashlib.sha256(s.encode()).hexdigest(), 16) % n == k - 1]

def review_reasons(row: StudentRow) -> list[str]:
    """Why a person should look at this grade before it counts (empty: nothing to look at)."""
    reasons = list(row.flags)
    if row.status in FAILED:
        reasons.insert(0, f"status {row.status}")
    return reasons
