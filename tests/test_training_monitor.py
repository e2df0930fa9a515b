"""course.training.fit_classifier with monitor="val_acc": keeps the most accurate epoch, stops on it."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from course.training import fit_classifier


class _Scripted(nn.Module):
    """Its validation accuracy and loss follow a script, one value per epoch."""

    def __init__(self, accs, losses):
        super().__init__()
        self.w = nn.Parameter(torch.zeros(1))
        self.accs, self.losses, self.epoch = accs, losses, -1

    def train(self, mode=True):
        if mode:
            self.epoch += 1
        return super().train(mode)

    def forward(self, ids, lengths):
        if self.training:
            return torch.zeros(len(ids), 2) + self.w
        right = int(round(self.accs[self.epoch] * 10))
        logits = torch.full((10, 2), -1.0) * self.losses[self.epoch]
        logits[:right, 1] = self.losses[self.epoch]
        logits[right:, 0] = self.losses[self.epoch]
        return logits


def _loader():
    return [(torch.zeros(10, 3, dtype=torch.long), torch.full((10,), 3), torch.ones(10, dtype=torch.long))]


def test_monitor_val_acc_keeps_the_most_accurate_epoch_and_stops_after_patience():
    model = _Scripted(accs=[0.5, 0.7, 0.6, 0.6, 0.9], losses=[1.0, 2.0, 0.5, 3.0, 1.0])
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    hist = fit_classifier(model, _loader(), _loader(), opt, 5, "cpu", patience=2, progress=False, monitor="val_acc")
    assert hist["val_acc"] == pytest.approx([0.5, 0.7, 0.6, 0.6])
    assert hist["best_epoch"] == 1 and hist["stopped_early"] is True


def test_default_monitor_is_still_the_validation_loss_and_bad_names_are_refused():
    model = _Scripted(accs=[0.5, 0.7, 0.6, 0.6, 0.9], losses=[1.0, 2.0, 0.5, 3.0, 1.0])
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    hist = fit_classifier(model, _loader(), _loader(), opt, 5, "cpu", progress=False)
    assert hist["best_epoch"] == min(range(5), key=lambda e: hist["val_loss"][e])
    with pytest.raises(ValueError, match="monitor"):
        fit_classifier(model, _loader(), _loader(), opt, 1, "cpu", progress=False, monitor="accuracy")
