"""Given plots that several notebooks share: loss curves, confusion matrices, word maps, and
two diagrams of batching (a padded batch with its mask; a PackedSequence laid out over time).

Each function draws on a matplotlib ``Axes`` (a new figure when ``ax`` is None), returns the
axes and leaves ``plt.show()`` to the caller.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import MaxNLocator

__all__ = [
    "plot_confusion_matrix",
    "plot_history",
    "plot_histories",
    "plot_packed_sequence",
    "plot_padded_batch",
    "plot_word_map",
]


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
    ax = _axes(ax, (0.8 * len(class_names) + 2.6, 0.7 * len(class_names) + 1.6))
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


_PAD_COLOUR = "#e6e6e6"


def _as_rows(ids: Any) -> list[list[int]]:
    rows = ids.tolist() if hasattr(ids, "tolist") else [list(r) for r in ids]
    if not rows or any(len(r) != len(rows[0]) for r in rows):
        raise ValueError("expected a rectangular [batch, seq_len] batch of ids")
    return [[int(v) for v in r] for r in rows]


def _grid(ax, cells: list[list[str]], colours: list[list[Any]], xlabel: str, ylabel: str, title: str):
    """Boxes with text, row 0 at the top; x = time step, y = row of the batch."""
    for b, row in enumerate(cells):
        for t, text in enumerate(row):
            ax.add_patch(plt.Rectangle((t - 0.5, b - 0.5), 1, 1, facecolor=colours[b][t],
                                       edgecolor="white", linewidth=2))
            ax.text(t, b, text, ha="center", va="center", fontsize=9)
    width, height = len(cells[0]), len(cells)
    ax.set_xlim(-0.5, width - 0.5)
    ax.set_ylim(height - 0.5, -0.5)
    ax.set_xticks(range(width))
    ax.set_yticks(range(height))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.set_aspect("equal")
    for side in ("top", "right", "bottom", "left"):
        ax.spines[side].set_visible(False)
    ax.tick_params(length=0)


def plot_padded_batch(ids: Any, mask: Any, pad_idx: int = 0, axes=None, title: str | None = None):
    """Diagram: a padded batch of ids ``[batch, seq_len]`` beside its boolean mask, cell by cell.

    Real tokens are coloured, padding is grey, in both panels; returns the two axes.
    """
    rows = _as_rows(ids)
    flags = [[bool(v) for v in r] for r in (mask.tolist() if hasattr(mask, "tolist") else mask)]
    if len(flags) != len(rows) or any(len(f) != len(rows[0]) for f in flags):
        raise ValueError(f"the mask must have the shape of ids, [{len(rows)}, {len(rows[0])}]")
    if axes is None:
        width = 2 * (0.55 * len(rows[0]) + 1.2)
        _, axes = plt.subplots(1, 2, figsize=(width, 0.55 * len(rows) + 1.4))
    real = plt.get_cmap("tab10")(0, alpha=0.35)
    colours = [[real if f else _PAD_COLOUR for f in r] for r in flags]
    lengths = [sum(r) for r in flags]
    _grid(axes[0], [[str(v) for v in r] for r in rows], colours, "time step t", "row b",
          f"ids [{len(rows)}, {len(rows[0])}], <PAD> = {pad_idx} in grey")
    axes[0].set_yticks(range(len(rows)), labels=[f"b={b} (length {n})" for b, n in enumerate(lengths)])
    _grid(axes[1], [["T" if f else "F" for f in r] for r in flags], colours, "time step t", "",
          "mask: T (True) at real tokens, F at padding")
    axes[1].set_yticks(range(len(rows)), labels=[""] * len(rows))
    if title:
        axes[0].figure.suptitle(title)
    return axes


def plot_packed_sequence(packed: Any, axes=None, title: str | None = None):
    """Diagram of a ``PackedSequence`` of token ids (1-D ``data``): where each id of the padded batch
    lands in ``packed.data``, and how ``batch_sizes`` cuts ``data`` into one group per time step.

    Top: the batch in its original row order, each real token labelled with its value and its
    position ``k`` in ``data``, coloured by time step; grey cells are padding that packing drops.
    Bottom: ``data`` itself, one box per element, grouped by time step. Returns the two axes.
    """
    data = [int(v) for v in packed.data.reshape(-1).tolist()]
    if len(data) != packed.data.shape[0]:
        raise ValueError("plot_packed_sequence draws packed token ids: data must be 1-D [sum of lengths]")
    batch_sizes = [int(n) for n in packed.batch_sizes.tolist()]
    batch = batch_sizes[0] if batch_sizes else 0
    order = (packed.sorted_indices.tolist() if packed.sorted_indices is not None else list(range(batch)))
    steps = len(batch_sizes)
    cells = [[""] * steps for _ in range(batch)]
    colours = [[_PAD_COLOUR] * steps for _ in range(batch)]
    step_of, k = [], 0
    cmap = plt.get_cmap("tab10")
    for t, n in enumerate(batch_sizes):
        for j in range(n):
            row = order[j]
            cells[row][t] = f"{data[k]}\nk={k}"
            colours[row][t] = cmap(t % 10, alpha=0.35)
            step_of.append(t)
            k += 1
    if axes is None:
        _, axes = plt.subplots(2, 1, figsize=(max(0.6 * len(data), 0.9 * steps, 6) + 1.5, 0.9 * batch + 3.4),
                               gridspec_kw={"height_ratios": [max(batch, 1), 1.4]})
    lengths = [sum(1 for t in range(steps) if cells[b][t]) for b in range(batch)]
    _grid(axes[0], [[c or "pad" for c in r] for r in cells], colours, "", "row b",
          "padded batch: each real id and its position k in packed.data")
    axes[0].set_aspect("auto")
    axes[0].set_xticks(range(steps), labels=[f"t={t}\nbatch_sizes[{t}]={n}" for t, n in enumerate(batch_sizes)],
                       fontsize=8)
    axes[0].set_yticks(range(batch), labels=[f"b={b} (length {n})" for b, n in enumerate(lengths)])
    ax = axes[1]
    for i, (v, t) in enumerate(zip(data, step_of, strict=True)):
        ax.add_patch(plt.Rectangle((i - 0.5, -0.5), 1, 1, facecolor=cmap(t % 10, alpha=0.35),
                                   edgecolor="white", linewidth=2))
        ax.text(i, 0, str(v), ha="center", va="center", fontsize=9)
    start = 0
    for t, n in enumerate(batch_sizes):
        ax.annotate("", xy=(start - 0.45, 0.75), xytext=(start + n - 0.55, 0.75),
                    arrowprops={"arrowstyle": "<->", "color": "0.4"})
        ax.text(start + (n - 1) / 2, 1.05, f"t={t}: {n}", ha="center", va="bottom", fontsize=8)
        start += n
    ax.set_xlim(-0.5, max(len(data), 1) - 0.5)
    ax.set_ylim(1.6, -0.6)
    ax.set_xticks(range(len(data)))
    ax.set_yticks([])
    ax.set_xlabel("k, position in packed.data")
    ax.set_title(f"packed.data ({len(data)} ids, no padding), batch_sizes = {batch_sizes}")
    ax.invert_yaxis()
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    if title:
        axes[0].figure.suptitle(title)
    return axes
