"""Prove that each exercise's tests catch its catalogue of common mistakes, fast.

Instead of executing a whole notebook per mistake, the runner executes, in one Python
process and a fresh namespace per run, only what an exercise's tests may rely on: the
cells tagged ``setup`` and every solution cell, then that exercise's test cells.

    python -m autograder.mistakes solutions/01_tensors/01_tensors.ipynb \
        --stub notebooks/01_tensors/01_tensors.ipynb --catalogue tests/mistakes/01_tensors.py

prints a JSON report; ``tests/test_notebooks.py::test_mistakes_catalogue`` turns it into pytest
results.

Besides the hand-written catalogue, every exercise gets generic mistakes derived from its
reference solution (``GENERIC_KINDS``): the reference wrapped so that it also changes one of
its arguments in place, returns its result as another dtype or type, returns a list for a
tuple, builds its result on the CPU when the inputs are on another device, puts its result on
another device (``meta`` stands in for a GPU), or detaches its result from the autograd graph.
A generic mistake that no test call triggers is "not exercised"; one that is triggered must be
caught. Each mistake's report says which tests caught it and whether a visible test did.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import functools
import importlib.util
import io
import json
import os
import re
import signal
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from autograder.exercises import (
    Assignment,
    load_assignment,
    replace_solution,
    solution_regions,
    split_hidden,
)

MIN_MISTAKES_PER_EXERCISE = 3
# Notebooks held to the issue-13 bar. GENERIC_REQUIRED: every triggered generic mistake must be
# caught (the others report their escapes under "pending" until their tests are brought up to
# it). GROWN_REQUIRED: at least GROWN_MISTAKES_PER_EXERCISE hand-written mistakes per exercise.
GENERIC_REQUIRED = frozenset({"01_tensors", "02_text_to_tensors", "03_padding_masking", "04_feedforward_classifier", "05_word_embeddings", "06_lstm_packing", "07_keras_to_pytorch"})
GROWN_REQUIRED = frozenset({"01_tensors", "02_text_to_tensors", "03_padding_masking", "04_feedforward_classifier", "05_word_embeddings", "06_lstm_packing", "07_keras_to_pytorch"})
GROWN_MISTAKES_PER_EXERCISE = 5
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


def _exec(source: str, namespace: dict, label: str, lines: list[int] | None = None) -> str | None:
    """Execute one cell's source; return None on success or a one-line error summary.

    ``lines`` receives the cell's line number (1-based) the error came through, if any.
    """
    code = compile(source, label, "exec")
    out = io.StringIO()
    old = signal.signal(signal.SIGALRM, _on_alarm)
    signal.alarm(CELL_TIME_LIMIT_S)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            exec(code, namespace)  # noqa: S102 - this is a notebook runner
    except (Exception, _CellTimeout) as err:  # noqa: BLE001 - a failing cell is a result
        if lines is not None:
            lines.extend(f.lineno for f in traceback.extract_tb(err.__traceback__) if f.filename == label)
        return f"{type(err).__name__}: {str(err)[:300]}"
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    return None


def _hidden_lines(source: str) -> set[int]:
    """1-based numbers of the lines inside hidden-test blocks (markers included)."""
    hidden, inside = set(), False
    for n, line in enumerate(source.split("\n"), start=1):
        if "BEGIN HIDDEN TESTS" in line:
            inside = True
        if inside:
            hidden.add(n)
        if "END HIDDEN TESTS" in line:
            inside = False
    return hidden


def run_tests(
    assignment: Assignment,
    exercise: str,
    replacement: str | dict[int, str] | None = None,
    generic: GenericMistake | None = None,
    where: dict[str, str] | None = None,
    visible_only: bool = False,
    repeat: int = 1,
) -> dict[str, str | None]:
    """Run the context cells (with ``replacement`` in ``exercise``'s cell) then its test cells.

    ``generic`` wraps the exercise's functions after the context ran. ``where`` receives, for
    each failing test, "visible" or "hidden": the part of the cell the error came through.
    ``visible_only`` runs the test cells as students see them (hidden blocks removed).
    ``repeat`` runs the test cells that many times in the same namespace (a student re-runs them).
    Returns {test grade_id: None if it passed every time else the (first) error summary}.
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
    if generic is not None:
        generic.install(namespace, exercise_targets(assignment.source(target)))
    results: dict[str, str | None] = {}
    for attempt in range(repeat):
        for test_id in assignment.exercises[exercise].test_ids:
            index = assignment.tests[test_id]
            source = assignment.source(index)
            _check_plain_python(source, f"{assignment.path} cell {index}")
            if visible_only:
                source = "\n".join(split_hidden(source)[0])
            lines: list[int] = []
            error = _exec(source, namespace, f"<test {test_id}>", lines)
            if error is not None and attempt:
                error = f"on its run number {attempt + 1} in the same kernel: {error}"
            if results.get(test_id) is None:
                results[test_id] = error
            if error is not None and where is not None and test_id not in where:
                hidden = _hidden_lines(source)
                where[test_id] = "hidden" if lines and lines[0] in hidden else "visible"
    return results


# --- generic mistakes ----------------------------------------------------------------------
def exercise_targets(source: str) -> list[tuple[str, str | None]]:
    """(top-level name, method name or None) of each function holding a solution region."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    regions = [(first + 1, last + 1) for first, last, _ in solution_regions(source)]

    def holds_region(node: ast.AST) -> bool:
        return any(node.lineno <= first and last <= node.end_lineno for first, last in regions)

    found: list[tuple[str, str | None]] = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and holds_region(node):
            found.append((node.name, None))
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and holds_region(item):
                    found.append((node.name, item.name))
    return found


def _tensors_in(x, depth: int = 0):
    """The tensors in ``x``, looking into lists, tuples and dicts up to 5 levels deep (a batch is a
    list of (ids, label) pairs, a result a tuple of tensors)."""
    import torch

    if isinstance(x, torch.Tensor):
        yield x
    elif depth < 5 and isinstance(x, (list, tuple)):
        for v in x:
            yield from _tensors_in(v, depth + 1)
    elif depth < 5 and isinstance(x, dict):
        for v in x.values():
            yield from _tensors_in(v, depth + 1)


def _mutate(obj) -> bool:
    """Change ``obj`` in place the way students do; True if something changed."""
    import numpy as np
    import torch

    if isinstance(obj, torch.Tensor):
        if obj.numel() == 0 or obj.device.type == "meta" or obj.is_complex():
            return False
        with torch.no_grad():
            if obj.dtype == torch.bool:
                obj.logical_not_()
            else:
                obj.add_(1)
        return True
    if isinstance(obj, np.ndarray):
        if obj.size == 0 or not obj.flags.writeable or obj.dtype.kind not in "iufb":
            return False
        if obj.dtype.kind == "b":
            np.logical_not(obj, out=obj)
        else:
            obj += 1
        return True
    if isinstance(obj, (list, set, dict)) and len(obj) > 0:
        obj.popitem() if isinstance(obj, dict) else obj.pop()
        return True
    if hasattr(obj, "iloc") and hasattr(obj, "drop") and len(obj) > 0:  # pandas
        obj.drop(obj.index[-1], inplace=True)
        return True
    return False


def _retype(x, depth: int = 0):
    """(x as another dtype or type, whether anything changed)."""
    import numpy as np
    import torch

    if isinstance(x, torch.Tensor):
        if x.is_floating_point():
            return x.to(torch.float64 if x.dtype != torch.float64 else torch.float32), True
        if x.dtype == torch.int64:
            return x.to(torch.int32), True
        if x.dtype == torch.bool:
            return x.to(torch.uint8), True
        if not x.is_complex():
            return x.to(torch.int64), True
        return x, False
    if type(x) is bool:
        return np.bool_(x), True
    if type(x) is int:
        return np.int64(x), True
    if type(x) is float:
        return np.float64(x), True
    if depth < 2 and type(x) in (list, tuple):
        items = [_retype(v, depth + 1) for v in x]
        return type(x)(v for v, _ in items), any(c for _, c in items)
    if depth < 2 and type(x) is dict:
        items = {k: _retype(v, depth + 1) for k, v in x.items()}
        return {k: v for k, (v, _) in items.items()}, any(c for _, c in items.values())
    return x, False


def _map_tensors(x, fn, depth: int = 0):
    """(x with fn applied to each tensor, whether fn changed one); fn returns (new, changed)."""
    import torch

    if isinstance(x, torch.Tensor):
        return fn(x)
    if depth < 2 and type(x) in (list, tuple):
        items = [_map_tensors(v, fn, depth + 1) for v in x]
        return type(x)(v for v, _ in items), any(c for _, c in items)
    if depth < 2 and type(x) is dict:
        items = {k: _map_tensors(v, fn, depth + 1) for k, v in x.items()}
        return {k: v for k, (v, _) in items.items()}, any(c for _, c in items.values())
    return x, False


@dataclass
class GenericMistake:
    """A wrong answer derived from the reference: it wraps the exercise's functions.

    ``kind`` is one of ``GENERIC_KINDS``; ``param`` names the argument a "mutates" mistake
    changes. ``triggered`` counts the calls where the wrapper actually changed something.
    """

    kind: str
    param: str | None = None
    triggered: int = field(default=0, compare=False)

    @property
    def name(self) -> str:
        return f"generic: {GENERIC_KINDS[self.kind][0].format(param=self.param)}"

    @property
    def why(self) -> str:
        return GENERIC_KINDS[self.kind][1]

    def install(self, namespace: dict, targets: list[tuple[str, str | None]]) -> None:
        for top, method in targets:
            obj = namespace.get(top)
            if obj is None:
                continue
            if method is None:
                if callable(obj):
                    namespace[top] = self._wrap(obj, skip_first=False)
                continue
            if self.kind == "retypes" and method in _CONVERTED_BY_PYTHON:
                continue
            raw = obj.__dict__.get(method)
            if isinstance(raw, staticmethod):
                setattr(obj, method, staticmethod(self._wrap(raw.__func__, skip_first=False)))
            elif isinstance(raw, classmethod):
                setattr(obj, method, classmethod(self._wrap(raw.__func__, skip_first=True)))
            elif callable(raw):
                setattr(obj, method, self._wrap(raw, skip_first=True))

    def _wrap(self, fn: Callable, skip_first: bool) -> Callable:
        import inspect

        try:
            params = list(inspect.signature(fn).parameters)
        except (TypeError, ValueError):
            params = []
        if self.kind == "mutates" and self.param not in params[1 if skip_first else 0:]:
            return fn

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            result = fn(*args, **kwargs)
            return self._spoil(fn, params, args, kwargs, result)

        return wrapper

    def _spoil(self, fn, params, args, kwargs, result):
        import torch

        kind = self.kind
        if kind == "mutates":
            index = params.index(self.param)
            value = kwargs[self.param] if self.param in kwargs else args[index] if index < len(args) else None
            if value is not None and _mutate(value):
                self.triggered += 1
            return result
        if kind == "retypes":
            new, did = _retype(result)
        elif kind == "list_for_tuple":
            new, did = (list(result), True) if type(result) is tuple else (result, False)
        elif kind == "builds_on_cpu":
            devices = {t.device.type for t in _tensors_in((args, kwargs))}
            if devices - {"cpu"}:
                new, did = _map_tensors(result, lambda t: (torch.zeros(t.shape, dtype=t.dtype), True)
                                        if t.device.type != "cpu" else (t, False))
            else:
                new, did = result, False
        elif kind == "other_device":
            devices = {t.device.type for t in _tensors_in((args, kwargs))}
            if devices <= {"cpu"}:
                new, did = _map_tensors(result, lambda t: (t.to("meta"), True) if t.device.type == "cpu" else (t, False))
            else:
                new, did = result, False
        elif kind == "detaches":
            new, did = _map_tensors(result, lambda t: (t.detach(), True) if t.requires_grad else (t, False))
        else:
            raise ValueError(f"unknown generic mistake kind {kind!r}")
        if did:
            self.triggered += 1
        return new


# len(), bool(), hash() and index() convert what these return: numpy.int64 from __len__ is no mistake.
_CONVERTED_BY_PYTHON = frozenset({"__len__", "__bool__", "__hash__", "__index__", "__init__"})

# kind -> (name, why)
GENERIC_KINDS = {
    "mutates": ("changes argument {param} in place",
                "x /= ..., x[mask] = 0, lengths -= 1, tokens.pop(), d.update(...) on the caller's object"),
    "retypes": ("returns another dtype or type",
                "float64 for float32, int32 for int64, uint8 for bool, numpy.int64 / numpy.float64 for "
                "int / float"),
    "list_for_tuple": ("returns a list for a tuple", "the docstring promises a tuple"),
    "builds_on_cpu": ("builds its result on the CPU",
                      "torch.zeros(...) / torch.arange(...) without device=: wrong when the inputs are "
                      "on a GPU (tests use the meta device)"),
    "other_device": ("puts its result on another device",
                     "device=<the notebook's global device> instead of the inputs' device (meta stands in "
                     "for a GPU)"),
    "detaches": ("detaches its result from autograd",
                 "a detour through NumPy, .item(), .detach() or torch.no_grad(): no gradient flows back"),
}


def generic_mistakes(assignment: Assignment, exercise: str) -> list[GenericMistake]:
    """Every generic mistake that could apply to the exercise's functions."""
    import inspect

    namespace: dict = {"__name__": "__main__"}
    found: list[GenericMistake] = []
    source = assignment.source(assignment.exercises[exercise].cell_index)
    params: list[str] = []
    for index in assignment.setup_cells:
        _exec(assignment.source(index), namespace, f"<cell {index}>")
    _exec(source, namespace, "<exercise>")
    for top, method in exercise_targets(source):
        obj = namespace.get(top)
        fn = obj if method is None else (obj.__dict__.get(method) if obj is not None else None)
        fn = getattr(fn, "__func__", fn)
        if fn is None:
            continue
        names = list(inspect.signature(fn).parameters)
        if method is not None and names and not isinstance(obj.__dict__.get(method), staticmethod):
            names = names[1:]
        params += [n for n in names if n not in params]
    found += [GenericMistake("mutates", p) for p in params]
    found += [GenericMistake(kind) for kind in GENERIC_KINDS if kind != "mutates"]
    return found


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
    required = generic_required(sol.name)
    for name, ex in sol.exercises.items():
        entry: dict = {"points": ex.points, "tests": ex.test_ids}
        if not ex.test_ids:
            report["problems"].append(f"exercise {name!r} has no test cell")
        entry["reference"] = run_tests(sol, name, repeat=2)  # tests run twice still pass
        for tid, err in entry["reference"].items():
            if err is not None:
                report["problems"].append(f"{name}: the reference solution fails {tid}: {err}")
        entry["mistakes"] = {}
        entry["caught"] = {}
        for mistake in mistakes.get(name, []):
            try:
                where: dict[str, str] = {}
                entry["mistakes"][mistake.name] = run_tests(sol, name, mistake.code, where=where)
                entry["caught"][mistake.name] = _caught(sol, name, where, code=mistake.code)
            except ValueError as err:
                entry["mistakes"][mistake.name] = {"<catalogue>": f"cannot apply: {err}"}
        entry["generic"] = {}
        for generic in generic_mistakes(sol, name):
            where = {}
            results = run_tests(sol, name, generic=generic, where=where)
            if not generic.triggered:
                entry["generic"][generic.name] = {"status": "not exercised", "why": generic.why}
                continue
            caught = _caught(sol, name, where, generic=generic)
            entry["generic"][generic.name] = {"status": caught["status"], "by": caught["by"],
                                              "why": generic.why, "results": results}
            if caught["status"] == "escaped":
                message = f"{name}: generic mistake '{generic.name}' passes every test ({generic.why})"
                (report["problems"] if required else report.setdefault("pending", [])).append(message)
        if sol.name in GROWN_REQUIRED and len(entry["mistakes"]) < GROWN_MISTAKES_PER_EXERCISE:
            report["problems"].append(
                f"{name}: only {len(entry['mistakes'])} catalogued mistakes (need {GROWN_MISTAKES_PER_EXERCISE})")
        report["exercises"][name] = entry
    report["summary"] = summarize(report)
    if stub is not None:
        os.chdir(stub.parent)
        st = load_assignment(stub)
        for name in sol.exercises:
            if name not in st.exercises:
                report["problems"].append(f"student notebook lacks exercise {name!r}")
                continue
            report["exercises"][name]["stub"] = run_tests(st, name)
            for tid, err in report["exercises"][name]["stub"].items():
                if err is None:
                    report["problems"].append(f"{name}: the student stub passes {tid}")
    report["seconds"] = round(time.perf_counter() - started, 2)
    return report


def generic_required(assignment_name: str) -> bool:
    """Whether the notebook is held to the full bar (escaped generic mistakes are problems)."""
    return assignment_name in GENERIC_REQUIRED


def _caught(sol: Assignment, name: str, where: dict[str, str], code=None, generic=None) -> dict:
    """{"status": "visible" | "hidden only" | "escaped", "by": [test ids and parts]}."""
    by = [f"{tid} ({part})" for tid, part in where.items()]
    if not where:
        return {"status": "escaped", "by": []}
    if "visible" in where.values():
        return {"status": "visible", "by": by}
    # the error came through hidden lines: would the cells as students see them fail too?
    if generic is not None:
        generic = GenericMistake(generic.kind, generic.param)
    student_view = run_tests(sol, name, code, generic=generic, visible_only=True)
    if any(student_view.values()):
        return {"status": "visible", "by": by + [f"{t} (visible part)" for t, e in student_view.items() if e]}
    return {"status": "hidden only", "by": by}


def summarize(report: dict) -> dict:
    """Counts of hand-written and generic mistakes: caught visibly, only by hidden tests, escaped."""
    out = {kind: {"total": 0, "visible": 0, "hidden only": 0, "escaped": 0} for kind in ("hand-written", "generic")}
    out["generic"]["not exercised"] = 0
    for entry in report["exercises"].values():
        for mname in entry["mistakes"]:
            status = entry.get("caught", {}).get(mname, {"status": "escaped"})["status"]
            out["hand-written"]["total"] += 1
            out["hand-written"][status] += 1
        for result in entry.get("generic", {}).values():
            if result["status"] == "not exercised":
                out["generic"]["not exercised"] += 1
                continue
            out["generic"]["total"] += 1
            out["generic"][result["status"]] += 1
    return out


def summary_line(report: dict) -> str:
    """One line for a closing note: the per-notebook counts of the report's summary."""
    h, g = report["summary"]["hand-written"], report["summary"]["generic"]
    return (f"{report['assignment']}: hand-written {h['total']} ({h['visible']} caught by a visible test, "
            f"{h['hidden only']} only by a hidden one, {h['escaped']} escaped); generic {g['total']} triggered "
            f"({g['visible']} visible, {g['hidden only']} hidden only, {g['escaped']} escaped), "
            f"{g['not exercised']} not exercised by any test call")


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
    sys.stderr.write(summary_line(report) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
