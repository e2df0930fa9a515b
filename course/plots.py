"""Given plots that several notebooks share: loss curves and confusion matrices.

Each function draws on a matplotlib ``Axes`` (a new figure when ``ax`` is None), returns the
axes and leaves ``plt.show()`` to the caller.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import MaxNLocator

__all__ = ["plot_confusion_matrix", "plot_history", "plot_histories", "plot_word_map"]


def _axes(ax, figsize):
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax


def plot_history(
    history: Mapping[str, Sequence[float]],
    keys: Sequence[str] = ("train_loss", "val_loss"),
    ax=None,
    title: str | None = None,
    best_epoch: int | None = None,
    ylabel: str = "loss",
):
    """Curves of ``history[key]`` per epoch (epochs numbered from 1); marks ``best_epoch`` (0-based)."""
    ax = _axes(ax, (6.5, 4))
    for key in keys:
        if key not in history:
            raise KeyError(f"history has no {key!r}; it has {sorted(history)}")
        values = list(history[key])
        ax.plot(range(1, len(values) + 1), values, marker="o", label=key.replace("_", " "))
    if best_epoch is not None:
        ax.axvline(best_epoch + 1, color="grey", linestyle="--", label=f"best epoch ({best_epoch + 1})")
    return _epoch_axes(ax, ylabel, title)


def _epoch_axes(ax, ylabel: str, title: str | None):
    """Integer epochs on x, labels, legend and a light grid: the style of every curve plot."""
    ax.set_xlabel("epoch")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    ax.legend()
    ax.grid(alpha=0.3)
    return ax


def plot_histories(
    histories: Mapping[str, Mapping[str, Sequence[float]]],
    key: str = "val_loss",
    ax=None,
    title: str | None = None,
    ylabel: str | None = None,
):
    """One curve of ``history[key]`` per named run, to compare runs on one axis."""
    ax = _axes(ax, (6.5, 4))
    for name, history in histories.items():
        values = list(history[key])
        ax.plot(range(1, len(values) + 1), values, marker="o", label=name)
    return _epoch_axes(ax, ylabel or key.replace("_", " "), title)


def plot_confusion_matrix(
    cm: Any,
    class_names: Sequence[str],
    normalize: bool = False,
    ax=None,
    title: str | None = None,
):
    """Heat map of a confusion matrix (rows: true class, columns: predicted), counts written in cells.

    ``normalize=True`` shows each row as shares of that true class (the row's recall on the diagonal).
    """
    counts = np.asarray(cm.tolist() if hasattr(cm, "tolist") else cm, dtype=float)
    if counts.ndim != 2 or counts.shape[0] != counts.shape[1] or counts.shape[0] != len(class_names):
        raise ValueError(
            f"expected a square [{len(class_names)}, {len(class_names)}] matrix, got shape {counts.shape}"
        )
    shown = counts / np.clip(counts.sum(axis=1, keepdims=True), 1, None) if normalize else counts
    ax = _axes(ax, (1.6 * len(class_names) + 2, 1.4 * len(class_names) + 1.5))
    image = ax.imshow(shown, cmap="Blues", vmin=0)
    plt.colorbar(image, ax=ax, fraction=0.046, pad=0.04)
    threshold = shown.max() / 2 if shown.size else 0
    for i in range(shown.shape[0]):
        for j in range(shown.shape[1]):
            text = f"{shown[i, j]:.2f}" if normalize else f"{int(counts[i, j])}"
            ax.text(j, i, text, ha="center", va="center",
                    color="white" if shown[i, j] > threshold else "black")
    ax.set_xticks(range(len(class_names)), labels=list(class_names), rotation=30, ha="right")
    ax.set_yticks(range(len(class_names)), labels=list(class_names))
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    ax.set_title(title or ("confusion matrix (row shares)" if normalize else "confusion matrix"))
    return ax


def plot_word_map(
    coords: Any,
    words: Sequence[str],
    groups: Sequence[str] | None = None,
    ax=None,
    title: str | None = None,
):
    """Words at 2-D coordinates (e.g. a PCA of their vectors), each labelled, coloured by ``groups``."""
    points = np.asarray(coords.tolist() if hasattr(coords, "tolist") else coords, dtype=float)
    if points.ndim != 2 or points.shape[1] != 2 or len(points) != len(words):
        raise ValueError(
            f"expected coordinates of shape [{len(words)}, 2] (one row per word), got {points.shape}"
        )
    if groups is not None and len(groups) != len(words):
        raise ValueError(f"{len(words)} words but {len(groups)} group labels")
    labels = list(groups) if groups is not None else [""] * len(words)
    ax = _axes(ax, (7.5, 6))
    for group in dict.fromkeys(labels):
        idx = [i for i, g in enumerate(labels) if g == group]
        ax.scatter(points[idx, 0], points[idx, 1], s=30, label=group or None)
    for (x, y), word in zip(points, words, strict=True):
        ax.annotate(word, (x, y), xytext=(3, 3), textcoords="offset points", fontsize=9)
    ax.set_xlabel("component 1")
    ax.set_ylabel("component 2")
    if title:
        ax.set_title(title)
    if groups is not None:
        ax.legend()
    ax.grid(alpha=0.3)
    return ax
