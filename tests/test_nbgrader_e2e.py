"""Real nbgrader on a throw-away copy of the course: full marks, zero, exact point losses,
no hidden tests in feedback, and the hardening of autograder/nbgrader_config.py."""

from __future__ import annotations

import copy

import pytest
from conftest import ROOT, once_per_run

from autograder.exercises import load_assignment, replace_solution
from autograder.mistakes import load_catalogue
from autograder.sample_class import (
    complete_submission,
    grade_class,
    leaked_lines,
    make_course,
    stub_submission,
    submit,
)

# one xdist worker takes the whole module; once_per_run makes sure the class is graded once
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("nbgrader_e2e")]
NAME = "01_tensors"


def _cell(nb, grade_id):
    return next(c for c in nb["cells"] if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id)


def _with_mistakes(exercises: list[str], catalogue: dict) -> dict:
    nb = complete_submission(NAME)
    for ex in exercises:
        cell = _cell(nb, ex)
        src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        cell["source"] = replace_solution(src, catalogue[ex][0].code)
    return nb


@pytest.fixture(scope="session")
def graded(tmp_path_factory):
    """The class below, graded once per test run whatever the number of xdist workers."""
    return once_per_run(tmp_path_factory, "nbgrader-e2e", _grade_class)


def _grade_class(folder):
    """One nbgrader run over five students that exercise every promise we make about grading.

    Mistakes go into alternating exercises of two students (exercises are graded
    independently), and one student combines the tricks nbgrader's defaults fall for.
    """
    info = load_assignment(ROOT / "solutions" / NAME / f"{NAME}.ipynb")
    catalogue = load_catalogue(ROOT / "tests" / "mistakes" / f"{NAME}.py")
    names = list(info.exercises)
    course = make_course(folder / "course", NAME)
    odd, even = names[0::2], names[1::2]
    skipped, deleted, patched = names[0], names[1], names[2]
    hostile = _with_mistakes([skipped, deleted, patched], catalogue)
    for tid in info.exercises[skipped].test_ids:
        _cell(hostile, tid)["metadata"]["tags"] = ["skip-execution", "raises-exception"]
    hidden_id = next(t for t in info.exercises[deleted].test_ids if t != f"test_{deleted}")
    hostile["cells"].remove(_cell(hostile, hidden_id))
    patch = copy.deepcopy(_cell(hostile, patched))
    patch["metadata"] = {}
    patch["source"] = (
        "import torch, numpy, course, course.checks\n"
        "torch.allclose = lambda *a, **k: True\n"
        "torch.equal = lambda *a, **k: True\n"
        "numpy.allclose = lambda *a, **k: True\n"
        "course.checks.check_close = lambda *a, **k: None\n"
        "course.checks.check_equal = lambda *a, **k: None\n"
        "course.check_close = lambda *a, **k: None\n"
        "check_close = check_equal = check_shape = check_true = lambda *a, **k: None\n"
    )
    hostile["cells"].insert(hostile["cells"].index(_cell(hostile, patched)) + 1, patch)
    students = {
        "complete": complete_submission(NAME),
        "stub": stub_submission(NAME),
        "odd": _with_mistakes(odd, catalogue),
        "even": _with_mistakes(even, catalogue),
        "hostile": hostile,
    }
    for student, nb in students.items():
        submit(course, NAME, student, nb)
    results = grade_class(course, NAME, list(students))
    return info, {"odd": odd, "even": even, "skipped": skipped, "deleted": deleted,
                  "patched": patched}, results


def test_complete_submission_gets_every_autograded_point(graded):
    info, _, results = graded
    r = results["complete"]
    assert r.score == info.auto_points, r.per_exercise
    assert r.manual_pending == info.manual_points


def test_stub_gets_zero(graded):
    _, _, results = graded
    assert results["stub"].score == 0, results["stub"].per_exercise


@pytest.mark.parametrize("student", ["odd", "even"])
def test_mistakes_lose_exactly_their_exercises_points(graded, student):
    info, plan, results = graded
    r = results[student]
    lost = {e: out_of - got for e, (got, out_of) in r.per_exercise.items() if got < out_of}
    assert set(lost) == set(plan[student]), (
        f"mistakes in {plan[student]} changed the scores of {sorted(lost)}"
    )
    for ex in lost:
        assert 0 < lost[ex] <= info.exercises[ex].points


def test_feedback_exists_and_holds_no_hidden_test_source(graded):
    _, _, results = graded
    for student, r in results.items():
        assert r.feedback is not None, f"no feedback for {student}"
        assert leaked_lines(r.feedback, NAME) == [], f"hidden test lines leaked into {student}'s feedback"
        text = r.feedback.read_text()
        assert "BEGIN HIDDEN TESTS" not in text and "Rubric" not in text


def test_skip_execution_tags_do_not_skip_tests(graded):
    _, plan, results = graded
    got, out_of = results["hostile"].per_exercise[plan["skipped"]]
    assert got < out_of, "tagging test cells skip-execution still earned their points"


def test_deleted_test_cell_is_restored_and_graded(graded):
    info, plan, results = graded
    got, out_of = results["hostile"].per_exercise[plan["deleted"]]
    assert out_of == info.exercises[plan["deleted"]].points, "deleted test cell lost its points from the total"
    assert got < out_of


def test_hostile_tricks_cost_nothing_elsewhere(graded):
    _, plan, results = graded
    r = results["hostile"]
    tricked = {plan["skipped"], plan["deleted"], plan["patched"]}
    short = {e for e, (got, out_of) in r.per_exercise.items() if got < out_of}
    assert short == tricked, f"expected losses exactly in {sorted(tricked)}, got {sorted(short)}"


def test_monkeypatching_does_not_pass_a_wrong_answer_and_is_flagged(graded):
    _, plan, results = graded
    r = results["hostile"]
    got, out_of = r.per_exercise[plan["patched"]]
    assert got < out_of, "rebinding torch/numpy/course checkers made a wrong answer pass"
    joined = " ".join(r.flags)
    assert results["odd"].flags == [] and results["even"].flags == []
    assert "rebinds torch.allclose" in joined and "rebinds course.checks.check_close" in joined
    assert results["complete"].flags == []


def _grade_every_solution(folder):
    """Each notebook's complete solution through real nbgrader (sandboxed kernels, graded mode)."""
    from autograder.exercises import list_assignments

    out = {}
    for path in list_assignments(ROOT, "solutions"):
        name = path.parent.name
        course = make_course(folder / name, name)
        submit(course, name, "complete", complete_submission(name))
        res = grade_class(course, name, ["complete"])["complete"]
        auto = sum(out_of for _, out_of in res.per_exercise.values())
        got = sum(score for score, _ in res.per_exercise.values())
        out[name] = {"got": got, "auto": auto, "seconds": res.seconds,
                     "lost": sorted(e for e, (s, m) in res.per_exercise.items() if s < m)}
    return out


@pytest.fixture(scope="session")
def every_solution(tmp_path_factory):
    return once_per_run(tmp_path_factory, "nbgrader-every-solution", _grade_every_solution)


def test_every_solution_gets_every_autograded_point_when_graded_for_real(every_solution):
    """Graded by nbgrader in the bubblewrap sandbox under NBGRADER_EXECUTION, each notebook's
    solution scores full marks, within the one-minute grading budget of a notebook."""
    for name, res in every_solution.items():
        assert res["auto"] > 0 and res["got"] == res["auto"], f"{name}: {res}"
        print(f"{name}: {res['got']:g}/{res['auto']:g} in {res['seconds']} s")
