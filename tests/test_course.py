"""Unit tests for the given helpers in `course`: checkers (and their messages), seeding, device."""

from __future__ import annotations

import random

import numpy as np
import pytest
import torch

import course
from course import checks


# --- check_shape -------------------------------------------------------------------------
def test_check_shape_passes_and_reports_both_shapes():
    checks.check_shape(torch.zeros(4, 7), (4, 7))
    with pytest.raises(AssertionError) as err:
        checks.check_shape(torch.zeros(7, 4), (4, 7), name="logits", hint="wrong dim?")
    msg = str(err.value)
    assert "logits" in msg and "(4, 7)" in msg and "(7, 4)" in msg and "Likely cause: wrong dim?" in msg


def test_check_shape_on_non_tensor_says_so():
    with pytest.raises(AssertionError, match="got list with no .shape"):
        checks.check_shape([1, 2], (2,))


# --- check_dtype -------------------------------------------------------------------------
def test_check_dtype():
    checks.check_dtype(torch.zeros(2, dtype=torch.long), torch.int64)
    with pytest.raises(AssertionError, match="expected dtype torch.int64, got torch.float32"):
        checks.check_dtype(torch.zeros(2), torch.int64)


# --- check_close -------------------------------------------------------------------------
def test_check_close_accepts_within_tolerance():
    checks.check_close(torch.tensor([1.0, 2.0]), [1.0 + 1e-7, 2.0])
    checks.check_close(np.array([[1.0]]), torch.tensor([[1.0]]))
    checks.check_close(3.0, 3.0)


def test_check_close_reports_max_diff_and_first_bad_index():
    got = torch.tensor([[0.0, 1.0], [2.0, 3.5]])
    with pytest.raises(AssertionError) as err:
        checks.check_close(got, [[0.0, 1.0], [2.0, 3.0]], name="dist", hint="squared distances?")
    msg = str(err.value)
    assert "Max abs difference 0.5" in msg
    assert "index (1, 1)" in msg and "expected 3, got 3.5" in msg
    assert "squared distances?" in msg


def test_check_close_shape_mismatch_and_nan():
    with pytest.raises(AssertionError, match=r"expected shape \(3,\), got \(2,\)"):
        checks.check_close(torch.zeros(2), [0.0, 0.0, 0.0])
    with pytest.raises(AssertionError, match="values differ"):
        checks.check_close(torch.tensor([float("nan")]), [0.0])
    checks.check_close(torch.tensor([float("nan")]), [float("nan")])


def test_check_close_is_not_fooled_by_rebinding_allclose(monkeypatch):
    monkeypatch.setattr(torch, "allclose", lambda *a, **k: True)
    monkeypatch.setattr(np, "allclose", lambda *a, **k: True)
    with pytest.raises(AssertionError):
        checks.check_close(torch.ones(3), torch.zeros(3))


def test_max_abs_diff():
    assert checks.max_abs_diff(torch.tensor([1.0, -2.0]), [1.5, 2.0]) == pytest.approx(4.0)
    with pytest.raises(ValueError):
        checks.max_abs_diff([1.0], [1.0, 2.0])


# --- check_equal / check_true / check_raises ---------------------------------------------
def test_check_equal():
    checks.check_equal(torch.tensor([1, 2]), [1, 2])
    checks.check_equal((2, 3), (2, 3))
    checks.check_equal(2, 2.0)
    with pytest.raises(AssertionError, match=r"expected \(2, 3\)|expected \[2, 3\]"):
        checks.check_equal((3, 2), (2, 3))
    with pytest.raises(AssertionError, match="expected 1, got True"):
        checks.check_equal(True, 1)


def test_check_true():
    checks.check_true(True, "fine")
    with pytest.raises(AssertionError, match="rows must sum to 1. Likely cause: keepdim"):
        checks.check_true(False, "rows must sum to 1.", hint="keepdim")
    with pytest.raises(AssertionError):
        checks.check_true(torch.tensor(True), "a tensor is not a bool")


def test_check_raises():
    err = checks.check_raises(lambda: int("x"), ValueError, match="invalid literal")
    assert isinstance(err, ValueError)
    with pytest.raises(AssertionError, match="expected ValueError to be raised, but nothing was"):
        checks.check_raises(lambda: None, ValueError, name="broadcast_shape((2,), (3,))")
    with pytest.raises(AssertionError, match="expected ValueError, got KeyError"):
        checks.check_raises(lambda: {}["k"], ValueError)
    with pytest.raises(AssertionError, match="does not mention 'shape'"):
        checks.check_raises(lambda: int("x"), ValueError, match="shape")


# --- seeding, device, grading budget -------------------------------------------------------
def test_set_seed_makes_all_three_generators_repeat():
    g1 = course.set_seed(7)
    a = (random.random(), float(np.random.rand()), torch.rand(1).item(), torch.rand(1, generator=g1).item())
    g2 = course.set_seed(7)
    b = (random.random(), float(np.random.rand()), torch.rand(1).item(), torch.rand(1, generator=g2).item())
    assert a == b
    with pytest.raises(ValueError, match="non-negative int"):
        course.set_seed(-1)


def test_pick_device_prints_choice_and_respects_preference(capsys, monkeypatch):
    monkeypatch.delenv("COURSE_DEVICE", raising=False)
    device = course.pick_device()
    assert device.type in {"cpu", "cuda", "mps"}
    assert "Using device:" in capsys.readouterr().out
    assert course.pick_device("cpu", verbose=False).type == "cpu"
    with pytest.raises(ValueError, match="unknown device"):
        course.pick_device("tpu")
    if not torch.cuda.is_available():
        with pytest.raises(RuntimeError, match="install a CUDA build"):
            course.pick_device("cuda")
    monkeypatch.setenv("COURSE_DEVICE", "cpu")
    assert course.pick_device(verbose=False).type == "cpu"


def test_grading_budget(monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    assert course.grading_budget(10, 2) == 10 and not course.is_grading()
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert course.grading_budget(10, 2) == 2 and course.is_grading()
