"""A given training loop for text classifiers, for the notebooks after 04 (which builds it step by step).

Conventions: a loader yields ``(ids [B, T] int64, lengths [B] int64, labels [B] int64)`` as made
by ``course.text.collate_batch``; a model is called as ``model(ids, lengths)`` and returns logits
``[B, C]``. ``ids`` and ``labels`` are moved to ``device``; ``lengths`` stay on the CPU
(``pack_padded_sequence`` wants them there): a model that needs them elsewhere moves them itself.
"""

from __future__ import annotations

import copy
import math
import time
from collections.abc import Iterable

import torch
from torch import nn

__all__ = ["evaluate", "fit_classifier", "predict_logits"]


def _progress(iterable: Iterable, enabled: bool, **kwargs) -> Iterable:
    if not enabled:
        return iterable
    from tqdm.auto import tqdm

    return tqdm(iterable, **kwargs)


def evaluate(
    model: nn.Module, loader: Iterable, device: torch.device | str, loss_fn: nn.Module | None = None
) -> dict[str, float]:
    """Mean loss per example and accuracy over a loader, in eval mode without gradients."""
    loss_fn = loss_fn or nn.CrossEntropyLoss()
    model.eval()
    total_loss, correct, count = 0.0, 0, 0
    with torch.no_grad():
        for ids, lengths, labels in loader:
            ids, labels = ids.to(device), labels.to(device)
            logits = model(ids, lengths)
            total_loss += loss_fn(logits, labels).item() * len(labels)
            correct += (logits.argmax(dim=1) == labels).sum().item()
            count += len(labels)
    if count == 0:
        raise ValueError("evaluate() got an empty loader")
    return {"loss": total_loss / count, "accuracy": correct / count}


def fit_classifier(
    model: nn.Module,
    train_loader: Iterable,
    val_loader: Iterable,
    optimizer: torch.optim.Optimizer,
    num_epochs: int,
    device: torch.device | str,
    loss_fn: nn.Module | None = None,
    patience: int | None = None,
    min_delta: float = 0.0,
    progress: bool = True,
    monitor: str = "val_loss",
) -> dict:
    """Train with validation after every epoch; early stopping on ``monitor`` if ``patience``.

    ``monitor="val_loss"`` (default) keeps the epoch with the lowest validation loss,
    ``monitor="val_acc"`` the one with the highest validation accuracy; an epoch counts as better
    when it beats the best so far by more than ``min_delta``. The model ends with the weights of
    its best validation epoch (kept in memory).
    Returns ``{"train_loss", "val_loss", "val_acc": lists per epoch, "best_epoch": 0-based int,
    "stopped_early": bool, "seconds": float}``.
    """
    if num_epochs < 1:
        raise ValueError(f"num_epochs must be at least 1, got {num_epochs}")
    if monitor not in ("val_loss", "val_acc"):
        raise ValueError(f"monitor must be 'val_loss' or 'val_acc', got {monitor!r}")
    loss_fn = loss_fn or nn.CrossEntropyLoss()
    history: dict = {"train_loss": [], "val_loss": [], "val_acc": []}
    sign = 1.0 if monitor == "val_loss" else -1.0  # minimise sign * value
    best_score, best_epoch, best_state, waited = math.inf, 0, None, 0
    stopped_early = False
    started = time.perf_counter()
    epochs = _progress(range(num_epochs), progress, desc="epochs")
    for epoch in epochs:
        model.train()
        total, count = 0.0, 0
        for ids, lengths, labels in _progress(train_loader, progress, desc=f"epoch {epoch + 1}", leave=False):
            ids, labels = ids.to(device), labels.to(device)
            optimizer.zero_grad()
            loss = loss_fn(model(ids, lengths), labels)
            loss.backward()
            optimizer.step()
            total += loss.item() * len(labels)
            count += len(labels)
        val = evaluate(model, val_loader, device, loss_fn)
        history["train_loss"].append(total / max(count, 1))
        history["val_loss"].append(val["loss"])
        history["val_acc"].append(val["accuracy"])
        if progress and hasattr(epochs, "set_postfix"):
            epochs.set_postfix(train_loss=f"{total / max(count, 1):.3f}", val_loss=f"{val['loss']:.3f}",
                               val_acc=f"{val['accuracy']:.3f}")
        score = sign * history[monitor][-1]
        if score < best_score - min_delta:
            best_score, best_epoch, waited = score, epoch, 0
            best_state = copy.deepcopy(model.state_dict())
        else:
            waited += 1
            if patience is not None and waited >= patience:
                stopped_early = True
                break
    if best_state is not None:
        model.load_state_dict(best_state)
    history.update(best_epoch=best_epoch, stopped_early=stopped_early,
                   seconds=time.perf_counter() - started)
    return history


def predict_logits(
    model: nn.Module, loader: Iterable, device: torch.device | str
) -> tuple[torch.Tensor, torch.Tensor]:
    """Logits [N, C] and labels [N] for a whole loader, batch by batch, both on the CPU."""
    model.eval()
    all_logits, all_labels = [], []
    with torch.no_grad():
        for ids, lengths, labels in loader:
            all_logits.append(model(ids.to(device), lengths).cpu())
            all_labels.append(labels.cpu())
    if not all_logits:
        raise ValueError("predict_logits() got an empty loader")
    return torch.cat(all_logits), torch.cat(all_labels)
