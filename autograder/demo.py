"""`make demo`: build student notebooks, execute every solution, grade a sample class, summarise.

    python -m autograder.demo [--skip-execute]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from autograder import build
from autograder.mistakes import load_catalogue
from autograder.sample_class import (
    ROOT,
    complete_submission,
    grade_class,
    leaked_lines,
    make_course,
    mistake_submission,
    stub_submission,
    submit,
)

SAMPLE_ASSIGNMENT = "01_tensors"


def sample_class(course: Path) -> tuple[dict, str]:
    """Grade three students on notebook 01: complete, stub, one catalogued mistake."""
    catalogue = load_catalogue(ROOT / "tests" / "mistakes" / f"{SAMPLE_ASSIGNMENT}.py")
    exercise, mistakes = next(iter(catalogue.items()))
    mistake = mistakes[0]
    make_course(course, SAMPLE_ASSIGNMENT)
    submit(course, SAMPLE_ASSIGNMENT, "ada", complete_submission(SAMPLE_ASSIGNMENT))
    submit(course, SAMPLE_ASSIGNMENT, "bob", stub_submission(SAMPLE_ASSIGNMENT))
    submit(course, SAMPLE_ASSIGNMENT, "cyd",
           mistake_submission(SAMPLE_ASSIGNMENT, exercise, mistake.code))
    results = grade_class(course, SAMPLE_ASSIGNMENT, ["ada", "bob", "cyd"])
    return results, f"cyd: {exercise} answered with the catalogued mistake '{mistake.name}'"


def _auto(result) -> tuple[float, float]:
    """Autograded points scored and available (manual answers excluded)."""
    got = sum(g for g, _ in result.per_exercise.values())
    return got, sum(m for _, m in result.per_exercise.values())


def print_grades(results: dict, note: str) -> None:
    any_result = next(iter(results.values()))
    exercises = list(any_result.per_exercise)
    width = max(len(e) for e in exercises)
    print(f"\nGrades for {SAMPLE_ASSIGNMENT} (autograded points; manual answers pending)")
    header = "  " + "exercise".ljust(width) + "".join(f"{s:>10}" for s in results)
    print(header)
    print("  " + "-" * (len(header) - 2))
    for ex in exercises:
        row = "".join(f"{r.per_exercise[ex][0]:>6g}/{r.per_exercise[ex][1]:<3g}" for r in results.values())
        print("  " + ex.ljust(width) + row)
    print("  " + "total".ljust(width) + "".join(
        f"{_auto(r)[0]:>6g}/{_auto(r)[1]:<3g}" for r in results.values()))
    print(f"  ({note})")
    for r in results.values():
        leaks = leaked_lines(r.feedback, SAMPLE_ASSIGNMENT) if r.feedback else ["no feedback file"]
        print(f"  {r.student}: graded in {r.seconds:.1f} s; feedback {r.feedback.relative_to(ROOT) if r.feedback else '-'}"
              f"; hidden-test lines in feedback: {len(leaks)}; flags: {', '.join(r.flags) or 'none'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--skip-execute", action="store_true", help="do not execute the solutions")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    print("== 1/3 student notebooks (nbgrader generate_assignment)")
    build.build_notebooks()
    runs = []
    if not args.skip_execute:
        print("\n== 2/3 executing every solution notebook into build/solutions/")
        runs = build.execute_all()
    print("\n== 3/3 autograding a sample class through nbgrader")
    results, note = sample_class(build.BUILD / "sample_class")
    print_grades(results, note)
    print("\n== Summary")
    for run in runs:
        status = "ok" if run["error"] is None else "FAILED"
        print(f"  {run['notebook']:<24} {run['seconds']:7.1f} s  {run['figures']:2d} figures  {status}"
              f"  -> {run['output']} (+ .html)")
    for r in results.values():
        print(f"  sample class {r.student}: {_auto(r)[0]:g}/{_auto(r)[1]:g} autograded points")
    print(f"  total demo time {time.perf_counter() - started:.0f} s")
    failed = [r for r in runs if r["error"]]
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
