"""Unit tests for the checkers branch nb05 added to `course.checks`: check_call, check_trainable."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from course import checks


def _scale(x, factor=1.0):
    return x * factor


def test_check_call_passes_returns_the_result_and_names_the_call():
    out = checks.check_call(_scale, torch.tensor([1.0, 2.0]), factor=2.0, _expect=torch.tensor([2.0, 4.0]))
    assert out.tolist() == [2.0, 4.0]
    with pytest.raises(AssertionError) as err:
        checks.check_call(_scale, torch.tensor([1.0, 2.0]), factor=3.0, _expect=torch.tensor([2.0, 4.0]),
                          _hint="use factor")
    msg = str(err.value)
    assert "_scale(tensor float32 [2] on cpu, factor=3.0)" in msg and "Likely cause: use factor" in msg


def test_check_call_is_strict_about_kinds_and_dtypes():
    with pytest.raises(AssertionError, match="expected dtype torch.float64, got torch.float32"):
        checks.check_call(_scale, torch.tensor([1.0]), _expect=torch.tensor([1.0], dtype=torch.float64))
    with pytest.raises(AssertionError, match="expected a tuple, got list"):
        checks.check_call(lambda: [1.0, 2.0], _expect=(1.0, 2.0))
    with pytest.raises(AssertionError, match="expected a Python float"):
        checks.check_call(lambda: (torch.tensor(0.5), 1.0), _expect=(0.5, 1.0))
    with pytest.raises(AssertionError, match="expected dtype float32, got float64"):
        checks.check_call(lambda: np.zeros(2), _expect=np.zeros(2, dtype=np.float32))
    # a plain list accepts a tensor or an array of the right values
    checks.check_call(lambda: torch.tensor([1, 2]), _expect=[1, 2])
    checks.check_call(lambda: np.array([0.5]), _expect=[0.5])


def test_check_call_compares_numbers_with_tolerance_and_the_rest_exactly():
    checks.check_call(lambda: (torch.tensor([3, 1]), torch.tensor([0.9, 0.1 + 1e-7])),
                      _expect=(torch.tensor([3, 1]), torch.tensor([0.9, 0.1])))
    with pytest.raises(AssertionError, match="first bad element"):
        checks.check_call(lambda: torch.tensor([0.9, 0.2]), _expect=torch.tensor([0.9, 0.1]), _atol=1e-3)
    checks.check_call(lambda: {"a": ["x", "y"]}, _expect={"a": ["x", "y"]})
    with pytest.raises(AssertionError, match="expected"):
        checks.check_call(lambda: ["x", "y"], _expect=["x", "z"])


def test_check_call_fails_when_the_call_changes_an_argument_or_raises():
    def divides(x):
        x /= 2
        return x

    with pytest.raises(AssertionError, match="changed its input"):
        checks.check_call(divides, torch.tensor([2.0]), _expect=torch.tensor([1.0]))
    with pytest.raises(AssertionError, match="raised ZeroDivisionError"):
        checks.check_call(lambda x: x / 0, 1, _expect=1.0)
    # _may_change lets an exercise change what it is meant to change
    checks.check_call(divides, torch.tensor([2.0]), _expect=torch.tensor([1.0]), _may_change=(0,))


def test_check_call_reports_a_result_left_on_another_device():
    with pytest.raises(AssertionError, match="'meta' device"):
        checks.check_call(lambda: torch.zeros(2, device="meta"), _expect=torch.zeros(2))


class _Two(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(5, 3)
        self.classifier = nn.Linear(3, 2)

    def forward(self, ids):
        return self.classifier(self.embedding(ids).mean(dim=1))


def _loss(model):
    return model(torch.tensor([[1, 2], [3, 4]])).sum()


def test_check_trainable_accepts_the_expected_split():
    torch.manual_seed(0)
    model = _Two()
    checks.check_trainable(model, _loss(model), ["embedding", "classifier"])
    model.embedding.weight.requires_grad_(False)
    checks.check_trainable(model, _loss(model), ["classifier"])


def test_check_trainable_names_the_parameter_that_is_wrong():
    torch.manual_seed(0)
    model = _Two()
    with pytest.raises(AssertionError, match=r"model\.embedding\.weight should be frozen") as err:
        checks.check_trainable(model, _loss(model), ["classifier"], hint="pass freeze")
    assert "Likely cause: pass freeze" in str(err.value)
    model.embedding.weight.requires_grad_(False)
    with pytest.raises(AssertionError, match=r"model\.embedding\.weight should train"):
        checks.check_trainable(model, _loss(model), ["embedding", "classifier"])
    for p in model.parameters():
        p.requires_grad_(False)
    with pytest.raises(AssertionError, match="does not require grad"):
        checks.check_trainable(model, _loss(model), ["classifier"])


def test_check_trainable_catches_an_all_zero_gradient():
    model = _Two()
    with torch.no_grad():
        model.classifier.weight.zero_()
    with pytest.raises(AssertionError, match=r"embedding\.weight should train, but its gradient is all zeros"):
        checks.check_trainable(model, _loss(model), ["embedding", "classifier"])


def test_the_new_checkers_are_exported():
    assert {"check_call", "check_trainable"} <= set(checks.__all__)
