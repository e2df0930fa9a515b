"""The given training loop (course.training) and plots (course.plots) on tiny synthetic data."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402
from torch.utils.data import DataLoader  # noqa: E402

from course import plots, training  # noqa: E402
from course.text import TextDataset, collate_batch, lengths_to_mask  # noqa: E402


class _Bag(nn.Module):
    def __init__(self, vocab_size=20, dim=8, classes=2):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, dim, padding_idx=0)
        self.out = nn.Linear(dim, classes)

    def forward(self, ids, lengths):
        mask = lengths_to_mask(lengths.to(ids.device), ids.shape[1]).unsqueeze(-1).float()
        return self.out((self.embedding(ids) * mask).sum(1) / mask.sum(1).clamp(min=1))


def _loaders(seed=0):
    g = torch.Generator().manual_seed(seed)
    ids, labels = [], []
    for _ in range(64):
        y = int(torch.randint(0, 2, (1,), generator=g))
        n = int(torch.randint(1, 6, (1,), generator=g))
        ids.append((torch.randint(2, 10, (n,), generator=g) + 8 * y).tolist())
        labels.append(y)
    ds = TextDataset(ids, labels)
    train = DataLoader(ds, batch_size=8, shuffle=True, collate_fn=collate_batch,
                       generator=torch.Generator().manual_seed(seed))
    val = DataLoader(ds, batch_size=16, collate_fn=collate_batch)
    return train, val


def test_fit_classifier_learns_and_restores_the_best_epoch():
    torch.manual_seed(0)
    model = _Bag()
    train, val = _loaders()
    opt = torch.optim.Adam(model.parameters(), lr=0.05)
    hist = training.fit_classifier(model, train, val, opt, num_epochs=6, device="cpu", progress=False)
    assert len(hist["train_loss"]) == len(hist["val_loss"]) == len(hist["val_acc"]) == 6
    assert hist["val_loss"][-1] < hist["val_loss"][0]
    best = hist["best_epoch"]
    assert hist["val_loss"][best] == min(hist["val_loss"])
    assert training.evaluate(model, val, "cpu")["loss"] == pytest.approx(hist["val_loss"][best], rel=1e-5)
    logits, labels = training.predict_logits(model, val, "cpu")
    assert logits.shape == (64, 2) and labels.shape == (64,)
    assert (logits.argmax(1) == labels).float().mean().item() == pytest.approx(hist["val_acc"][best])


def test_fit_classifier_stops_early_with_patience():
    torch.manual_seed(0)
    model = _Bag()
    train, val = _loaders()
    opt = torch.optim.SGD(model.parameters(), lr=0.0)  # nothing improves after epoch 1
    hist = training.fit_classifier(model, train, val, opt, num_epochs=10, device="cpu",
                                   patience=2, progress=False)
    assert hist["stopped_early"] and len(hist["val_loss"]) == 3 and hist["best_epoch"] == 0
    with pytest.raises(ValueError):
        training.fit_classifier(model, train, val, opt, num_epochs=0, device="cpu", progress=False)


def test_plots_draw_and_validate_their_input():
    ax = plots.plot_history({"train_loss": [1.0, 0.5], "val_loss": [1.1, 0.7]}, best_epoch=1)
    assert len(ax.lines) == 3
    ax = plots.plot_histories({"a": {"val_loss": [1, 2]}, "b": {"val_loss": [2, 1]}})
    assert [line.get_label() for line in ax.lines] == ["a", "b"]
    ax = plots.plot_confusion_matrix(torch.tensor([[3, 1], [0, 4]]), ["neg", "pos"], normalize=True)
    assert [t.get_text() for t in ax.texts] == ["0.75", "0.25", "0.00", "1.00"]
    with pytest.raises(ValueError, match="square"):
        plots.plot_confusion_matrix([[1, 2, 3]], ["a", "b", "c"])
    with pytest.raises(KeyError):
        plots.plot_history({"loss": [1.0]})
    plt.close("all")
