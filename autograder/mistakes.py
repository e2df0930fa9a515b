"""Prove that each exercise's tests catch its catalogue of common mistakes, fast.

Instead of executing a whole notebook per mistake, the runner executes, in one Python
process and a fresh namespace per run, only what an exercise's tests may rely on: the
cells tagged ``setup`` and every solution cell, then that exercise's test cells.

    python -m autograder.mistakes solutions/01_tensors/01_tensors.ipynb \
        --stub notebooks/01_tensors/01_tensors.ipynb --catalogue tests/mistakes/01_tensors.py

prints a JSON report; ``tests/test_mistakes.py`` turns it into pytest results.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import importlib.util
import io
import json
import os
import re
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from autograder.exercises import Assignment, load_assignment, replace_solution

MIN_MISTAKES_PER_EXERCISE = 3
CELL_TIME_LIMIT_S = 60


@dataclass(frozen=True)
class Mistake:
    """A plausible wrong answer, written as a student would type it inside the solution region.

    ``code`` replaces the body of the exercise's solution region (a dict maps region index to
    body when the cell has several regions, e.g. methods of a class).
    """

    name: str
    code: str | dict[int, str]
    why: str = ""


class _CellTimeout(Exception):
    pass


def _on_alarm(signum, frame):  # noqa: ARG001
    raise _CellTimeout(f"cell ran longer than {CELL_TIME_LIMIT_S}s")


# Containers IPython keeps its history in: rebinding one breaks later cells in Jupyter
# (but not in this runner), so they are refused here.
_IPYTHON_RESERVED = re.compile(r"^(_ih|_oh|_dh|In|Out)$")


def _check_plain_python(source: str, where: str) -> None:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        tree = None
    for node in ast.walk(tree) if tree is not None else []:
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and _IPYTHON_RESERVED.match(node.id):
            raise ValueError(
                f"{where}: assigns {node.id!r}, a name IPython keeps for its history; rename it"
            )
    for line in source.split("\n"):
        stripped = line.lstrip()
        if stripped.startswith(("%", "!")):
            raise ValueError(
                f"{where}: IPython magics or shell escapes ({stripped[:30]!r}) are not allowed in "
                "setup, solution or test cells; use plain Python"
            )


def _exec(source: str, namespace: dict, label: str) -> str | None:
    """Execute one cell's source; return None on success or a one-line error summary."""
    code = compile(source, label, "exec")
    out = io.StringIO()
    old = signal.signal(signal.SIGALRM, _on_alarm)
    signal.alarm(CELL_TIME_LIMIT_S)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            exec(code, namespace)  # noqa: S102 - this is a notebook runner
    except (Exception, _CellTimeout) as err:  # noqa: BLE001 - a failing cell is a result
        return f"{type(err).__name__}: {str(err)[:300]}"
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    return None


def run_tests(
    assignment: Assignment,
    exercise: str,
    replacement: str | dict[int, str] | None = None,
) -> dict[str, str | None]:
    """Run the context cells (with ``replacement`` in ``exercise``'s cell) then its test cells.

    Returns {test grade_id: None if it passed else the error summary}.
    """
    target = assignment.exercises[exercise].cell_index
    context = sorted(set(assignment.setup_cells) | {e.cell_index for e in assignment.exercises.values()})
    namespace: dict = {"__name__": "__main__"}
    for index in context:
        source = assignment.source(index)
        if index == target and replacement is not None:
            source = replace_solution(source, replacement)
        _check_plain_python(source, f"{assignment.path} cell {index}")
        _exec(source, namespace, f"<cell {index}>")  # a broken stub cell is itself a result
    results: dict[str, str | None] = {}
    for test_id in assignment.exercises[exercise].test_ids:
        index = assignment.tests[test_id]
        source = assignment.source(index)
        _check_plain_python(source, f"{assignment.path} cell {index}")
        results[test_id] = _exec(source, namespace, f"<test {test_id}>")
    return results


def load_catalogue(path: str | Path) -> dict[str, list[Mistake]]:
    spec = importlib.util.spec_from_file_location(f"mistakes_{Path(path).stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.MISTAKES


def check(solution: Path, stub: Path | None, catalogue: Path | None) -> dict:
    """Everything CI asserts about one assignment's exercises, as a JSON-able report."""
    os.environ.setdefault("MPLBACKEND", "Agg")
    os.environ.setdefault("PYTHONHASHSEED", "0")
    started = time.perf_counter()
    sol = load_assignment(solution)
    os.chdir(solution.parent)
    report: dict = {"assignment": sol.name, "exercises": {}, "problems": []}
    mistakes = load_catalogue(catalogue) if catalogue else {}
    for name in mistakes:
        if name not in sol.exercises:
            report["problems"].append(f"catalogue names unknown exercise {name!r}")
    for name, ex in sol.exercises.items():
        entry: dict = {"points": ex.points, "tests": ex.test_ids}
        if not ex.test_ids:
            report["problems"].append(f"exercise {name!r} has no test cell")
        entry["reference"] = run_tests(sol, name)
        entry["mistakes"] = {}
        for mistake in mistakes.get(name, []):
            try:
                entry["mistakes"][mistake.name] = run_tests(sol, name, mistake.code)
            except ValueError as err:
                entry["mistakes"][mistake.name] = {"<catalogue>": f"cannot apply: {err}"}
        report["exercises"][name] = entry
    if stub is not None:
        os.chdir(stub.parent)
        st = load_assignment(stub)
        for name in sol.exercises:
            if name not in st.exercises:
                report["problems"].append(f"student notebook lacks exercise {name!r}")
                continue
            report["exercises"][name]["stub"] = run_tests(st, name)
    report["seconds"] = round(time.perf_counter() - started, 2)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("solution", type=Path)
    parser.add_argument("--stub", type=Path)
    parser.add_argument("--catalogue", type=Path)
    args = parser.parse_args(argv)
    solution = args.solution.resolve()
    stub = args.stub.resolve() if args.stub else None
    catalogue = args.catalogue.resolve() if args.catalogue else None
    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root))
    report = check(solution, stub, catalogue)
    sys.stdout.write(json.dumps(report, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
