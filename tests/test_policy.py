"""The allowlist policy on student cells: quiet on every honest answer, loud on every attack."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT

from autograder.exercises import list_assignments, load_assignment, replace_solution
from autograder.grading.policy import check_notebook, check_source, given_sources
from autograder.mistakes import load_catalogue

SOLUTIONS = list_assignments(ROOT, "solutions")


@pytest.mark.parametrize("path", SOLUTIONS, ids=[p.parent.name for p in SOLUTIONS])
def test_policy_is_quiet_on_the_solution_and_every_catalogued_mistake(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    given = given_sources(nb)
    assert check_notebook(nb, given) == [], "a solution breaks the student-cell policy"
    info = load_assignment(path)
    catalogue = ROOT / "tests" / "mistakes" / f"{path.parent.name}.py"
    loud = []
    for exercise, mistakes in load_catalogue(catalogue).items():
        source = info.source(info.exercises[exercise].cell_index)
        for mistake in mistakes:
            cell = replace_solution(source, mistake.code)
            found = check_source(cell, 0)
            if found:
                loud.append(f"{exercise} / {mistake.name}: {found[0]}")
    assert not loud, "honest wrong answers must not be flagged:\n" + "\n".join(loud)


ATTACKS = {
    "import sys\nsys.displayhook('x')": "imports 'sys'",
    "t = __import__('sys').settrace": "__import__",
    "import importlib\nimportlib.reload(course)": "imports 'importlib'",
    "x = f.__globals__['check_close']": "dunder attribute",
    "g = getattr(course, 'checks')": "uses getattr",
    "setattr(torch, 'allclose', None)": "uses setattr",
    "eval('1')": "uses eval",
    "exec('x = 1')": "uses exec",
    "c = compile('1', 'x', 'eval')": "uses compile",
    "print(In[-1])": "IPython input history",
    "print(_ih)": "IPython input history",
    "print(_i3)": "IPython history",
    "print(Out)": "IPython output history",
    "%config InteractiveShell.ast_transformers = []": "IPython internals",
    "!cat /etc/passwd": "IPython internals",
    "get_ipython().events.register('pre_run_cell', print)": "IPython internals",
    "import gc\ngc.get_objects()": "imports 'gc'",
    "import inspect": "imports 'inspect'",
    "import ctypes": "imports 'ctypes'",
    "import linecache": "imports 'linecache'",
    "import threading": "imports 'threading'",
    "import signal": "imports 'signal'",
    "from os import system": "imports from 'os'",
    "import numpy as np\nnp.ctypeslib": "attribute .ctypeslib",
    "def f():\n    return g.f_back.f_locals": "attribute .f_back",
    "torch.allclose = lambda *a, **k: True": "rebinds torch",
    "course.checks.check_close = print": "rebinds course",
    "import torch as t\nt.allclose = lambda *a, **k: True": "rebinds t",
    "from course import checks as k\nk.check_masked_pooling = print": "rebinds k",
    "import course.checks as c\nc.check_calls = print": "rebinds c",
    "from course.text import Vocabulary\nVocabulary.build = print": "rebinds Vocabulary",
    "check_close = print": "assigns the checker check_close",
    "def check_equal(*a):\n    pass": "named like the checker",
    "call_unchanged = lambda f, *a: f(*a)": "assigns the checker call_unchanged",
    "global check_true": "declares the checker",
    "x = torch._C": "private attribute",
    "'{0.__class__}'.format(1)": "format string",
    "v = vars()": "uses vars",
    "b = __builtins__": "dunder name",
    "torch = FakeTorch()": "assigns torch",
    "import numpy as torch": "imports numpy as torch",
    "from torch import nn as F": "imports torch.nn as F",
    "def np():\n    pass": "defines np",
    "for F in range(3):\n    pass": "assigns F",
    "x = " + "(" * 150 + "1" + ")" * 150: "nested too deeply",
    "x = " + "1+" * 60_000 + "1": "too large",
}


@pytest.mark.parametrize("source", list(ATTACKS), ids=range(len(ATTACKS)))
def test_each_attack_is_a_violation_with_its_line(source):
    found = check_source(source, 7)
    assert any(ATTACKS[source] in v.what for v in found), (ATTACKS[source], [str(v) for v in found])
    assert all(v.cell == 7 for v in found)


def test_honest_code_is_quiet():
    honest = (
        "import torch\nimport torch.nn as nn\nfrom collections import Counter\n"
        "class M(nn.Module):\n    def __init__(self, d):\n        super().__init__()\n"
        "        self._hidden = nn.Linear(d, d)\n    def forward(self, x):\n"
        "        return self._hidden(x).relu()\n"
        "def f(xs: list[str]) -> dict[str, int]:\n    changed = call = False\n    for _ in range(2):\n        pass\n"
        "    return dict(Counter(xs))\n"
        "with open('bundle.json', 'w') as fh:\n    fh.write(f'{len([1]):d}')\n"
        "model = M(3)\nmodel.eval()\nimport re\nre.compile(r'\\w+')\n"
    )
    assert check_source(honest, 0) == []


def test_the_policy_never_raises_on_hostile_input():
    for source in ("x = (" * 10_000, "\x00\x01", "def f(:\n", "'" * 3, "x = " + "[" * 500_000):
        found = check_source(source, 0)
        assert isinstance(found, list)


def test_rebinding_a_given_function_at_top_level_is_a_violation():
    given = {"def reference_mean(x):\n    return x.mean()", "from course.text import tokenize"}
    nb = {"cells": [
        {"cell_type": "code", "metadata": {}, "source": src} for src in sorted(given)] + [
        {"cell_type": "code", "metadata": {}, "source": "def reference_mean(x):\n    return my_answer(x)"},
        {"cell_type": "code", "metadata": {}, "source": "tokenize = str.split"},
        {"cell_type": "code", "metadata": {}, "source": "def f(reference_mean):\n    tokenize = 1\n    return tokenize"},
        {"cell_type": "code", "metadata": {}, "source": "from collections import Counter\nimport torch"},
    ]}
    found = [(v.cell, v.what.split(",")[0]) for v in check_notebook(nb, given)]
    assert found == [(2, "defines reference_mean"), (3, "assigns tokenize")], found


def test_unchanged_given_cells_and_test_cells_are_not_the_students():
    nb = {"cells": [
        {"cell_type": "code", "metadata": {}, "source": "import sys  # given by the instructor"},
        {"cell_type": "code", "metadata": {"nbgrader": {"grade": True, "solution": False}},
         "source": "import inspect  # a test cell: restored by grading"},
        {"cell_type": "code", "metadata": {}, "source": "import gc  # added by the student"},
    ]}
    found = check_notebook(nb, {"import sys  # given by the instructor"})
    assert [(v.cell, v.what) for v in found] == [(2, "imports 'gc' (not on the list of allowed libraries)")]


def test_checkers_exported_by_a_later_all_block_are_protected_too(tmp_path, monkeypatch):
    from autograder.grading import policy

    checks = tmp_path / "course" / "checks.py"
    checks.parent.mkdir()
    checks.write_text('__all__ = ["check_equal"]\n\ndef check_pooling(): pass\n\n__all__ += ["check_pooling"]\n')
    monkeypatch.setattr(policy, "__file__", str(tmp_path / "autograder" / "grading" / "policy.py"))
    assert policy._checker_names() == {"check_equal", "check_pooling"}
    # and in the real module: every name course.checks exports is a protected checker
    import course.checks

    assert set(course.checks.__all__) <= policy.CHECKER_NAMES
