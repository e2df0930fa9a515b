"""The tools behind the checks: exercise parsing, solution replacement, the mistakes runner,
the submission scanner and the hardening preprocessors. A check that cannot fail is no check,
so each is shown failing on a small synthetic notebook."""

from __future__ import annotations

import json

import pytest
from nbformat.notebooknode import from_dict

from autograder import exercises, flags, mistakes
from autograder.preprocessors import StripExecutionTags, StripGradeTracebacks


def _meta(**kw):
    base = {"grade": False, "solution": False, "locked": False, "task": False, "schema_version": 3}
    base.update(kw)
    return {"nbgrader": base}


def tiny_notebook(tmp_path, stub=False):
    body = "    # YOUR CODE HERE\n    raise NotImplementedError()" if stub else (
        "    ### BEGIN SOLUTION\n    return [v * 2 for v in x]\n    ### END SOLUTION")
    cells = [
        {"cell_type": "code", "source": "import math", "metadata": {"tags": ["setup"]}},
        {"cell_type": "code", "source": "big = list(range(10**3))", "metadata": {}},
        {"cell_type": "code", "source": f"def double(x):\n    '''x: list -> list'''\n{body}\n",
         "metadata": _meta(solution=True, grade_id="double")},
        {"cell_type": "code", "source": "# double doubles\nassert double([1, 2]) == [2, 4], 'expected [2, 4]'",
         "metadata": _meta(grade=True, locked=True, points=1, grade_id="test_double")},
        {"cell_type": "code", "source": "assert double([]) == []",
         "metadata": _meta(grade=True, locked=True, points=2, grade_id="test_double_hidden")},
        {"cell_type": "markdown", "source": "answer", "metadata": _meta(grade=True, solution=True, points=3, grade_id="q_why")},
    ]
    for c in cells:
        if c["cell_type"] == "code":
            c.update(outputs=[], execution_count=None)
    nb = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / ("stub" if stub else "sol") / "00_tiny" / "00_tiny.ipynb"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(nb))
    return path


def test_load_assignment_finds_exercises_tests_points_and_setup(tmp_path):
    a = exercises.load_assignment(tiny_notebook(tmp_path))
    assert list(a.exercises) == ["double"]
    assert a.exercises["double"].test_ids == ["test_double", "test_double_hidden"]
    assert a.auto_points == 3 and a.manual_points == 3 and a.setup_cells == [0]


def test_orphan_test_cell_is_an_error(tmp_path):
    path = tiny_notebook(tmp_path)
    nb = json.loads(path.read_text())
    nb["cells"][3]["metadata"]["nbgrader"]["grade_id"] = "test_triple"
    path.write_text(json.dumps(nb))
    with pytest.raises(ValueError, match="belongs to no exercise"):
        exercises.load_assignment(path)


def test_exercise_for_test_prefers_longest_name():
    assert exercises.exercise_for_test("test_masked_mean_hidden", ["masked", "masked_mean"]) == "masked_mean"
    assert exercises.exercise_for_test("test_other", ["masked"]) is None


def test_replace_solution_reindents_and_handles_several_regions():
    src = "def f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION\n\ndef g():\n    ### BEGIN SOLUTION\n    return 2\n    ### END SOLUTION"
    out = exercises.replace_solution(src, "x = 3\nreturn x")
    assert "    x = 3\n    return x" in out and "return 1" not in out and "return 2" in out
    out2 = exercises.replace_solution(src, {1: "return 5"})
    assert "return 1" in out2 and "return 5" in out2 and "return 2" not in out2
    with pytest.raises(ValueError, match="no region 4"):
        exercises.replace_solution(src, {4: "pass"})
    with pytest.raises(ValueError, match="no '### BEGIN SOLUTION'"):
        exercises.replace_solution("x = 1", "pass")


def test_runner_reference_passes_and_only_context_cells_run(tmp_path):
    a = exercises.load_assignment(tiny_notebook(tmp_path))
    res = mistakes.run_tests(a, "double")
    assert res == {"test_double": None, "test_double_hidden": None}


def test_runner_catches_a_wrong_answer_and_reports_an_uncaught_one(tmp_path):
    a = exercises.load_assignment(tiny_notebook(tmp_path))
    caught = mistakes.run_tests(a, "double", "return [v + v + 1 for v in x]")
    assert caught["test_double"] and "expected [2, 4]" in caught["test_double"]
    uncaught = mistakes.run_tests(a, "double", "return [v + v for v in x]")
    assert all(v is None for v in uncaught.values())


def test_runner_stops_an_infinite_loop(tmp_path, monkeypatch):
    monkeypatch.setattr(mistakes, "CELL_TIME_LIMIT_S", 1)
    a = exercises.load_assignment(tiny_notebook(tmp_path))
    res = mistakes.run_tests(a, "double", "while True:\n    pass")
    assert "ran longer than 1s" in res["test_double"]


def test_runner_rejects_magics(tmp_path):
    path = tiny_notebook(tmp_path)
    nb = json.loads(path.read_text())
    nb["cells"][0]["source"] = "%matplotlib inline\nimport math"
    path.write_text(json.dumps(nb))
    with pytest.raises(ValueError, match="magics"):
        mistakes.run_tests(exercises.load_assignment(path), "double")


def test_runner_rejects_ipython_history_names(tmp_path):
    path = tiny_notebook(tmp_path)
    nb = json.loads(path.read_text())
    nb["cells"][3]["source"] = "# checks\n_oh = double([1])\nassert _oh == [2]"
    path.write_text(json.dumps(nb))
    with pytest.raises(ValueError, match="IPython keeps for its history"):
        mistakes.run_tests(exercises.load_assignment(path), "double")


def test_check_report_flags_stub_and_catalogue(tmp_path):
    sol, stub = tiny_notebook(tmp_path), tiny_notebook(tmp_path, stub=True)
    cat = tmp_path / "cat.py"
    cat.write_text(
        "from autograder.mistakes import Mistake\n"
        "MISTAKES = {'double': [Mistake('adds one', 'return [v * 2 + 1 for v in x]'),"
        " Mistake('harmless', 'return [2 * v for v in x]')], 'nope': []}\n"
    )
    report = mistakes.check(sol, stub, cat)
    entry = report["exercises"]["double"]
    assert all(v is None for v in entry["reference"].values())
    assert all(v for v in entry["stub"].values())
    assert any(entry["mistakes"]["adds one"].values())
    assert not any(entry["mistakes"]["harmless"].values())
    assert any("unknown exercise 'nope'" in p for p in report["problems"])


# --- the submission scanner ---------------------------------------------------------------
@pytest.mark.parametrize(
    "source, expected",
    [
        ("import torch\ntorch.allclose = lambda *a, **k: True", "rebinds torch.allclose"),
        ("import numpy as np\nnp.testing.assert_allclose = print", "rebinds np.testing.assert_allclose"),
        ("import course.checks\ncourse.checks.check_close = print", "rebinds course.checks.check_close"),
        ("def check_close(*a, **k):\n    pass", "redefines checker check_close"),
        ("def call_unchanged(f, *a, **k):\n    return f(*a, **k), a", "redefines checker call_unchanged"),
        ("check_grad = print", "check_grad"),
        ("import builtins\nbuiltins.abs = lambda x: 0", "rebinds builtins.abs"),
        ("import torch\nsetattr(torch, 'equal', lambda *a: True)", "setattr(torch, ...)"),
        ("__builtins__.len = None", "touches __builtins__"),
    ],
)
def test_scan_flags_rebinding(source, expected):
    assert any(expected in f for f in flags.scan_source(source)), flags.scan_source(source)


def test_scan_flags_answers_that_import_the_reference_text_tools():
    assert flags.scan_answer("from course.text import Vocabulary")
    assert flags.scan_answer("import course.text as t")
    assert flags.scan_answer("return course.text.tokenize(s)")
    assert flags.scan_answer("from course.training import fit_classifier")
    assert flags.scan_answer("from course import training")
    assert flags.scan_answer("from course import set_seed") == []


def test_scan_leaves_honest_code_alone():
    honest = "import torch\nx = torch.zeros(3)\nmodel.weight = None\ny = x.sum(dim=0)\n"
    assert flags.scan_source(honest) == []


# --- hardening preprocessors --------------------------------------------------------------
def test_strip_execution_tags_removes_skip_tags():
    nb = from_dict({"cells": [{"cell_type": "code", "source": "1", "outputs": [], "execution_count": None,
                               "metadata": {"tags": ["skip-execution", "raises-exception"],
                                            "nbgrader": {"grade": True}}}],
                    "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
    out, _ = StripExecutionTags().preprocess(nb, {})
    assert "tags" not in out.cells[0].metadata and "nbgrader" in out.cells[0].metadata


def test_strip_grade_tracebacks_keeps_message_drops_source():
    err = {"output_type": "error", "ename": "AssertionError", "evalue": "expected 3, got 4",
           "traceback": ["Cell In[3], line 7", "    secret_hidden_check(x)", "AssertionError"]}
    nb = from_dict({"cells": [{"cell_type": "code", "source": "x", "execution_count": 1, "outputs": [err],
                               "metadata": {"nbgrader": {"grade": True, "grade_id": "test_x"}}}],
                    "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
    out, _ = StripGradeTracebacks().preprocess(nb, {})
    tb = "\n".join(out.cells[0].outputs[0].traceback)
    assert "secret_hidden_check" not in tb and "expected 3, got 4" in tb


def test_split_hidden_separates_visible_and_hidden_lines():
    from autograder.exercises import split_hidden

    source = "check(a)\n    ### BEGIN HIDDEN TESTS\nsecret(1)\nsecret(2)\n### END HIDDEN TESTS\ncheck(b)"
    assert split_hidden(source) == (["check(a)", "check(b)"], ["secret(1)", "secret(2)"])
    assert split_hidden("no markers\nat all") == (["no markers", "at all"], [])
    # nbgrader's own markers are configurable: the feedback scrubber passes them without '###'
    assert split_hidden("a\n# BEGIN X\nb\n# END X", "BEGIN X", "END X") == (["a"], ["b"])


# --- generic mistakes ------------------------------------------------------------------------
def _strict_notebook(tmp_path, visible: str, hidden: str = "pass"):
    """The tiny notebook with its tests replaced: ``visible`` code, then a hidden block."""
    path = tiny_notebook(tmp_path)
    nb = json.loads(path.read_text())
    nb["cells"][0]["source"] = "import math\nfrom course.checks import call_unchanged, check_equal"
    nb["cells"][3]["source"] = f"# double doubles\n{visible}"
    nb["cells"][4]["source"] = f"# hidden\nx = 1\n### BEGIN HIDDEN TESTS\n{hidden}\n### END HIDDEN TESTS"
    path.write_text(json.dumps(nb))
    return path


def test_generic_mistakes_cover_each_parameter_and_each_kind(tmp_path):
    a = exercises.load_assignment(tiny_notebook(tmp_path))
    names = [g.name for g in mistakes.generic_mistakes(a, "double")]
    assert names[0] == "generic: changes argument x in place"
    assert len(names) == len(mistakes.GENERIC_KINDS)


def test_exercise_targets_finds_functions_and_methods_with_solution_regions():
    src = ("def helper():\n    return 1\n\ndef f(x):\n    ### BEGIN SOLUTION\n    return x\n    ### END SOLUTION\n\n"
           "class V:\n    def given(self):\n        pass\n\n    @classmethod\n    def build(cls, d):\n"
           "        ### BEGIN SOLUTION\n        return cls()\n        ### END SOLUTION\n")
    assert mistakes.exercise_targets(src) == [("f", None), ("V", "build")]


def test_weak_tests_let_generic_mistakes_escape_and_the_report_says_so(tmp_path, monkeypatch):
    sol = tiny_notebook(tmp_path)
    cat = tmp_path / "cat.py"
    cat.write_text("from autograder.mistakes import Mistake\nMISTAKES = {'double': [Mistake('adds one', "
                   "'return [v * 2 + 1 for v in x]')]}\n")
    report = mistakes.check(sol, None, cat)
    generic = report["exercises"]["double"]["generic"]
    assert generic["generic: changes argument x in place"]["status"] == "escaped"
    assert generic["generic: returns another dtype or type"]["status"] == "escaped"
    assert generic["generic: builds its result on the CPU"]["status"] == "not exercised"
    assert report["problems"] == [] and any("changes argument x" in p for p in report["pending"])
    assert report["summary"]["hand-written"] == {"total": 1, "visible": 1, "hidden only": 0, "escaped": 0}
    assert mistakes.summary_line(report).startswith("00_tiny: hand-written 1 (1 caught by a visible test, 0 only")
    monkeypatch.setattr(mistakes, "GENERIC_REQUIRED", frozenset({"00_tiny"}))
    monkeypatch.setattr(mistakes, "GROWN_REQUIRED", frozenset({"00_tiny"}))
    report = mistakes.check(sol, None, cat)
    assert any("generic mistake 'generic: changes argument x in place' passes every test" in p
               for p in report["problems"])
    assert any("only 1 catalogued mistakes (need 5)" in p for p in report["problems"])


def test_strict_tests_catch_generic_mistakes_and_say_whether_a_visible_test_did(tmp_path):
    visible = "_out, (_x,) = call_unchanged(double, [1, 2])\ncheck_equal(_out, [2, 4])"
    hidden = "check_equal(double((3,)), [6])"
    a = exercises.load_assignment(_strict_notebook(tmp_path, visible, hidden))
    report = {"exercises": {"double": {"mistakes": {}, "generic": {}}}}
    for g in mistakes.generic_mistakes(a, "double"):
        where: dict = {}
        mistakes.run_tests(a, "double", generic=g, where=where)
        if g.triggered:
            report["exercises"]["double"]["generic"][g.name] = mistakes._caught(a, "double", where, generic=g)
    got = report["exercises"]["double"]["generic"]
    assert got["generic: changes argument x in place"]["status"] == "visible"
    assert got["generic: returns another dtype or type"]["status"] == "visible"
    # a mistake only the hidden block catches is reported as such
    where = {}
    res = mistakes.run_tests(a, "double", "return [v * 2 for v in x] if isinstance(x, list) else [0]", where=where)
    assert res["test_double"] is None and where == {"test_double_hidden": "hidden"}
    assert mistakes._caught(a, "double", where, code="return [v * 2 for v in x] if isinstance(x, list) else [0]")[
        "status"] == "hidden only"


def test_display_lines_count_a_long_line_as_several():
    from autograder.exercises import display_lines

    assert display_lines("a = 1\n\n   \nb = 2") == 2
    assert display_lines("x" * 100) == 1 and display_lines("x" * 101) == 2 and display_lines("x" * 250) == 3
