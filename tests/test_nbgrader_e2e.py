"""Real nbgrader on a throw-away copy of the course: full marks, zero, exact point losses,
no hidden tests in feedback, and the hardening of autograder/nbgrader_config.py."""

from __future__ import annotations

import copy

import pytest
from conftest import ROOT

from autograder.exercises import load_assignment
from autograder.mistakes import load_catalogue
from autograder.sample_class import (
    complete_submission,
    grade_class,
    leaked_lines,
    make_course,
    mistake_submission,
    stub_submission,
    submit,
)

pytestmark = pytest.mark.slow
NAME = "01_tensors"


def _cell(nb, grade_id):
    return next(c for c in nb["cells"] if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """One nbgrader run over a class that exercises every promise we make about grading."""
    info = load_assignment(ROOT / "solutions" / NAME / f"{NAME}.ipynb")
    catalogue = load_catalogue(ROOT / "tests" / "mistakes" / f"{NAME}.py")
    course = make_course(tmp_path_factory.mktemp("course") / "course", NAME)
    students = {"complete": complete_submission(NAME), "stub": stub_submission(NAME)}
    for ex in info.exercises:
        students[f"m_{ex}"] = mistake_submission(NAME, ex, catalogue[ex][0].code)

    first_ex = next(iter(info.exercises))
    hidden_id = next(t for t in info.exercises[first_ex].test_ids if t != f"test_{first_ex}")
    # a wrong answer whose test cells are tagged to be skipped
    skipper = mistake_submission(NAME, first_ex, catalogue[first_ex][0].code)
    for tid in info.exercises[first_ex].test_ids:
        _cell(skipper, tid)["metadata"]["tags"] = ["skip-execution"]
    students["skip_tags"] = skipper
    # a wrong answer whose hidden test cell was deleted
    deleter = mistake_submission(NAME, first_ex, catalogue[first_ex][0].code)
    deleter["cells"] = [c for c in deleter["cells"] if c is not _cell(deleter, hidden_id)]
    students["deleted_test"] = deleter
    # a wrong answer plus monkeypatching of torch, numpy and the course checkers
    patcher = mistake_submission(NAME, first_ex, catalogue[first_ex][0].code)
    patch = copy.deepcopy(_cell(patcher, first_ex))
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
    patcher["cells"].insert(patcher["cells"].index(_cell(patcher, first_ex)) + 1, patch)
    students["monkeypatch"] = patcher
    for student, nb in students.items():
        submit(course, NAME, student, nb)
    results = grade_class(course, NAME, list(students))
    return info, first_ex, results


def test_complete_submission_gets_every_autograded_point(graded):
    info, _, results = graded
    r = results["complete"]
    assert r.score == info.auto_points, r.per_exercise
    assert r.manual_pending == info.manual_points


def test_stub_gets_zero(graded):
    _, _, results = graded
    assert results["stub"].score == 0, results["stub"].per_exercise


def test_each_mistake_loses_exactly_its_exercise_points(graded):
    info, _, results = graded
    for ex, exercise in info.exercises.items():
        r = results[f"m_{ex}"]
        lost = {e: out_of - got for e, (got, out_of) in r.per_exercise.items() if got < out_of}
        assert set(lost) == {ex}, f"mistake in {ex} changed the score of {sorted(lost)}"
        assert 0 < lost[ex] <= exercise.points


def test_feedback_exists_and_holds_no_hidden_test_source(graded):
    _, _, results = graded
    for student, r in results.items():
        assert r.feedback is not None, f"no feedback for {student}"
        assert leaked_lines(r.feedback, NAME) == [], f"hidden test lines leaked into {student}'s feedback"
        text = r.feedback.read_text()
        assert "BEGIN HIDDEN TESTS" not in text and "Rubric" not in text


def test_skip_execution_tags_do_not_skip_tests(graded):
    _, first_ex, results = graded
    got, out_of = results["skip_tags"].per_exercise[first_ex]
    assert got < out_of, "tagging test cells skip-execution still earned their points"


def test_deleted_test_cell_is_restored_and_graded(graded):
    info, first_ex, results = graded
    got, out_of = results["deleted_test"].per_exercise[first_ex]
    assert out_of == info.exercises[first_ex].points, "deleted test cell lost its points from the total"
    assert got < out_of
    assert results["deleted_test"].score < info.auto_points


def test_monkeypatching_does_not_pass_a_wrong_answer_and_is_flagged(graded):
    _, first_ex, results = graded
    r = results["monkeypatch"]
    got, out_of = r.per_exercise[first_ex]
    assert got < out_of, "rebinding torch/numpy/course checkers made a wrong answer pass"
    joined = " ".join(r.flags)
    assert "rebinds torch.allclose" in joined and "rebinds course.checks.check_close" in joined
    assert results["complete"].flags == []
