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
    checks.check_close(np.array([[1.0]]), torch.tensor([[1.0]]), strict=False)
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
    checks.check_equal(2, 2.0, strict=False)
    with pytest.raises(AssertionError, match=r"expected \(2, 3\)|expected \[2, 3\]"):
        checks.check_equal((3, 2), (2, 3))
    with pytest.raises(AssertionError, match="expected a Python int, got bool"):
        checks.check_equal(True, 1)
    with pytest.raises(AssertionError, match="expected 1, got True"):
        checks.check_equal(True, 1, strict=False)


@pytest.mark.parametrize(
    "got, expected, message",
    [
        ([2, 3], (2, 3), "expected a tuple, got list of 2"),
        (2.0, 2, "expected a Python int, got float"),
        (2, 2.0, "expected a Python float, got int"),
        (np.int64(2), 2, "expected a Python int, got numpy.int64"),
        ([np.int64(1), 2], [1, 2], r"expected a Python int at \[0\], got numpy.int64"),
        (torch.tensor([1.0, 2.0]), [1, 2], r"expected a Python int at \[0\], got float"),
        (torch.tensor([1, 2], dtype=torch.int32), torch.tensor([1, 2]), "expected dtype torch.int64, got torch.int32"),
        ([1, 2], torch.tensor([1, 2]), "expected a tensor, got list of 2"),
        (torch.tensor(3), 3, "expected a Python int, got tensor int64"),
        ({"a": 1.0}, {"a": 1}, r"expected a Python int at \['a'\], got float"),
    ],
)
def test_check_equal_is_strict_about_kinds(got, expected, message):
    with pytest.raises(AssertionError, match=message):
        checks.check_equal(got, expected, name="r")
    checks.check_equal(got, expected, strict=False)


def test_check_equal_reports_values_before_kinds_and_meta_tensors():
    with pytest.raises(AssertionError, match=r"expected \[1, 2\], got \[1, 3\]"):
        checks.check_equal([1, 3], (1, 2))
    with pytest.raises(AssertionError, match="on the 'meta' device"):
        checks.check_equal(torch.zeros(2, device="meta"), [0.0, 0.0])


def test_check_close_is_strict_about_kinds():
    checks.check_close(torch.tensor([1.0]), [1.0])
    checks.check_close(0.5, 0.5)
    checks.check_close(1, 1.0)
    with pytest.raises(AssertionError, match="expected dtype torch.float32, got torch.float64"):
        checks.check_close(torch.tensor([1.0], dtype=torch.float64), torch.tensor([1.0]))
    checks.check_close(torch.tensor(0.5), 0.5)  # a loss tensor may stand for a number
    checks.check_equal([1, {"a": np.float32(0.5)}], [1, {"a": 0.5}])  # a dict's values may be numpy
    with pytest.raises(AssertionError, match="expected a Python number, got tensor int64"):
        checks.check_close(torch.tensor(1), 1.0)
    with pytest.raises(AssertionError, match="expected a Python number, got numpy.float64"):
        checks.check_close(np.float64(0.5), 0.5)
    checks.check_close(torch.tensor(0.5), 0.5, strict=False)
    with pytest.raises(AssertionError, match="values differ"):
        checks.check_close(torch.tensor([float("inf")]), [1.0])
    checks.check_close(torch.tensor([float("-inf")]), [float("-inf")])


# --- check_device ------------------------------------------------------------------------
def test_check_device():
    checks.check_device(torch.zeros(2), "cpu")
    checks.check_device((torch.zeros(1, device="meta"), [torch.zeros(1, device="meta")]), torch.device("meta"))
    checks.check_device(torch.nn.Linear(2, 1), "cpu")
    with pytest.raises(AssertionError, match=r"out\[1\]: expected a tensor on device meta, got one on cpu"):
        checks.check_device((torch.zeros(1, device="meta"), torch.zeros(1)), "meta", name="out")
    with pytest.raises(AssertionError, match="expected a tensor on cpu, got list"):
        checks.check_device([1, 2], "cpu")


# --- call, call_unchanged, single_use ----------------------------------------------------
def test_call_turns_an_error_into_a_course_message_with_the_cause_attached():
    def f(x, k=1):
        return x[10]

    with pytest.raises(AssertionError) as err:
        checks.call(f, torch.zeros(2, 3), k="abc")
    msg = str(err.value)
    assert msg.startswith("test_call_turns_an_error_into_a_course_message_with_the_cause_attached.<locals>.f(")
    assert "tensor float32 [2, 3] on cpu, k='abc'" in msg and "raised IndexError" in msg
    cause = err.value.__cause__
    assert isinstance(cause, IndexError)
    assert cause.__traceback__.tb_frame.f_code.co_name == "f"  # the checker's frame is trimmed
    assert checks.call(lambda a, b: a + b, 1, b=2) == 3


def test_call_unchanged_catches_in_place_changes_and_returns_snapshots():
    def scale(x, d):
        x /= 2
        return x

    with pytest.raises(AssertionError, match=r"changed its input: argument x: the value at index \(0,\) changed"):
        checks.call_unchanged(scale, torch.tensor([4.0, 2.0]), {})

    def fine(x, d):
        return x * 2, dict(d, k=1)

    x, d = torch.tensor([1.0, 2.0], requires_grad=True), {"a": [1]}
    (out, _), (x0, d0) = checks.call_unchanged(fine, x, d)
    assert x0 is not x and x0.requires_grad and d0 == {"a": [1]} and d0 is not d
    for fn, args, what in [
        (lambda xs: xs.append(1), ([1],), "length changed from 1 to 2"),
        (lambda d: d.update(b=2), ({"a": 1},), r"keys changed \(added \['b'\]"),
        (lambda lengths: lengths.sub_(1), (torch.tensor([3, 2]),), "changed from 3 to 2"),
        (lambda x: x.requires_grad_(True), (torch.zeros(2),), "requires_grad changed"),
        (lambda rows: rows[0].pop(), ([["a", "b"]],), r"argument rows\[0\]: its length changed"),
        (lambda a: a.__iadd__(1), (np.arange(3),), r"argument a: the value at index \(0,\) changed from 0 to 1"),
    ]:
        with pytest.raises(AssertionError, match=what):
            checks.call_unchanged(fn, *args)
    model = torch.nn.Linear(2, 1)

    def step(model, X):
        with torch.no_grad():
            model.weight.add_(1.0)

    with pytest.raises(AssertionError, match=r"argument model.state_dict\(\)\['weight'\]"):
        checks.call_unchanged(step, model, torch.zeros(1, 2))
    checks.call_unchanged(step, model, torch.zeros(1, 2), _may_change=("model",))
    out, snaps = checks.call_unchanged(lambda xs, k=0: sum(xs) + k, [1, 2], k=3)
    assert out == 6 and snaps.kwargs == {"k": 3} and snaps["k"] == 3 and snaps[0] == [1, 2]


def test_single_use_iterates_once_and_is_not_compared():
    items = checks.single_use([["a"], ["b"]])
    out, _ = checks.call_unchanged(lambda xs: [t for x in xs for t in x], items)
    assert out == ["a", "b"]

    def twice(xs):
        return len(list(xs)) + len(list(xs))

    with pytest.raises(AssertionError, match="iterated a second time"):
        checks.call(twice, checks.single_use([1, 2]))


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


def test_check_grad_catches_detached_results_and_nan_gradients():
    linear = torch.nn.functional.linear
    args = [torch.randn(3, 4), torch.randn(2, 4), torch.randn(2)]
    checks.check_grad(lambda x, w, b: x @ w.T + b, args, linear)
    with pytest.raises(AssertionError, match="does not require grad"):
        checks.check_grad(lambda x, w, b: (x @ w.T + b).detach(), args, linear)
    with pytest.raises(AssertionError, match="gradients of argument b"):
        checks.check_grad(lambda x, w, b: x @ w.T + 2 * b, args, linear)

    def where_after_nan(x, m):
        mf = m.to(x.dtype)
        mean = (x * mf).sum(1) / mf.sum(1)
        return torch.where(mf.sum(1) > 0, mean, torch.zeros_like(mean))

    mask = torch.tensor([[True, False], [False, False]])
    with pytest.raises(AssertionError, match="expected -?0, got nan"):
        checks.check_grad(where_after_nan, [torch.randn(2, 2), mask],
                          lambda x, m: (x * m).sum(1) / m.sum(1).clamp(min=1))


def test_failures_end_in_a_sourceless_course_frame_and_name_the_call_as_it_was():
    import traceback

    def f(x):
        x.append(1)
        return x[5]

    with pytest.raises(AssertionError) as err:
        checks.call_unchanged(f, [1])
    assert "f([1]) raised IndexError" in str(err.value)  # the arguments as they were passed
    frames = traceback.extract_tb(err.value.__traceback__)
    assert frames[-1].filename == "<course check>"
    with pytest.raises(AssertionError) as err:
        checks.check_equal([1], (1,))
    assert traceback.extract_tb(err.value.__traceback__)[-1].filename == "<course check>"


def test_a_single_use_made_before_a_reload_of_the_checkers_is_not_compared():
    import importlib

    import course.checks as checks

    old = checks.single_use([1, 2, 3])
    importlib.reload(checks)
    try:
        result = checks.call_unchanged(lambda xs: sum(xs), old)
        assert result[0] == 6
    finally:
        importlib.reload(checks)


def test_set_cpu_threads_defaults_to_one_and_reads_the_environment(monkeypatch):
    import torch

    from course import set_cpu_threads

    before = torch.get_num_threads()
    try:
        monkeypatch.delenv("COURSE_CPU_THREADS", raising=False)
        assert set_cpu_threads(verbose=False) == 1 and torch.get_num_threads() == 1
        monkeypatch.setenv("COURSE_CPU_THREADS", "2")
        assert set_cpu_threads(verbose=False) == 2 and torch.get_num_threads() == 2
        with pytest.raises(ValueError):
            set_cpu_threads(-1, verbose=False)
    finally:
        torch.set_num_threads(before)
