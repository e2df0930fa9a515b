"""Given diagrams drawn with matplotlib, for the notebooks' explanations (no exercise answers).

    from course.diagrams import draw_lstm_cell
    draw_lstm_cell()          # one LSTM step: gates, cell state, hidden state
    plt.show()
"""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

__all__ = ["draw_lstm_cell"]

_GATES = (  # (x, label, what it computes, colour)
    (2.0, "σ", "forget f_t", "tab:red"),
    (3.6, "σ", "input i_t", "tab:green"),
    (5.2, "tanh", "candidate g_t", "tab:purple"),
    (6.8, "σ", "output o_t", "tab:blue"),
)


def _arrow(ax, start, end, color="black", style="-|>", lw=1.4) -> None:
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle=style, mutation_scale=12, color=color, lw=lw,
                                 shrinkA=0, shrinkB=0))


def _node(ax, xy, text, color="black", size=0.32) -> None:
    ax.add_patch(plt.Circle(xy, size, facecolor="white", edgecolor=color, lw=1.4, zorder=3))
    ax.text(*xy, text, ha="center", va="center", fontsize=11, color=color, zorder=4)


def draw_lstm_cell(ax=None, title: str | None = "One LSTM step"):
    """Draw one LSTM step: the four gates from [h_{t-1}, x_t], the cell-state path and h_t. Returns the axes."""
    if ax is None:
        _, ax = plt.subplots(figsize=(8.5, 4.6))
    ax.set_xlim(-0.6, 10.4)
    ax.set_ylim(-0.9, 5.6)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.add_patch(FancyBboxPatch((0.8, 0.3), 8.0, 4.6, boxstyle="round,pad=0.1", facecolor="#f4f4f4",
                                edgecolor="grey", lw=1.0, zorder=0))
    top, gate_y, bottom = 4.2, 1.7, 0.6
    # cell state path: c_{t-1} -> (x f_t) -> (+ i_t * g_t) -> c_t
    _arrow(ax, (-0.4, top), (1.68, top), lw=2.2)
    _node(ax, (2.0, top), "×")
    _arrow(ax, (2.32, top), (5.08, top), lw=2.2)
    _node(ax, (5.4, top), "+")
    _arrow(ax, (5.72, top), (10.2, top), lw=2.2)
    ax.text(-0.4, top + 0.3, "$c_{t-1}$", fontsize=12)
    ax.text(9.6, top + 0.3, "$c_t$", fontsize=12)
    # inputs: h_{t-1} and x_t joined into one vector that feeds every gate
    _arrow(ax, (-0.4, bottom), (1.2, bottom), style="-")
    ax.text(-0.4, bottom + 0.2, "$h_{t-1}$", fontsize=12)
    _arrow(ax, (1.2, -0.7), (1.2, bottom), style="-")
    ax.text(1.35, -0.75, "$x_t$", fontsize=12)
    _arrow(ax, (1.2, bottom), (6.8, bottom), style="-")
    for x, label, what, color in _GATES:
        _arrow(ax, (x, bottom), (x, gate_y - 0.3), color=color)
        ax.add_patch(FancyBboxPatch((x - 0.45, gate_y - 0.3), 0.9, 0.6, boxstyle="round,pad=0.05",
                                    facecolor="white", edgecolor=color, lw=1.6, zorder=2))
        ax.text(x, gate_y, label, ha="center", va="center", fontsize=11, color=color, zorder=3)
        ax.text(x, gate_y - 0.62, what, ha="center", va="center", fontsize=8, color=color)
    # forget gate scales the old memory
    _arrow(ax, (2.0, gate_y + 0.3), (2.0, top - 0.32), color="tab:red")
    # input gate times candidate, added to the memory
    _node(ax, (4.4, 3.0), "×", color="tab:green")
    _arrow(ax, (3.6, gate_y + 0.3), (4.15, 2.8), color="tab:green")
    _arrow(ax, (5.2, gate_y + 0.3), (4.65, 2.8), color="tab:purple")
    _arrow(ax, (4.62, 3.22), (5.2, top - 0.26), color="tab:green")
    # output: h_t = o_t * tanh(c_t)
    _node(ax, (8.0, 3.0), "tanh", color="tab:blue", size=0.38)
    _arrow(ax, (8.0, top), (8.0, 3.38), color="tab:blue")
    _node(ax, (8.0, 1.7), "×", color="tab:blue")
    _arrow(ax, (8.0, 2.62), (8.0, 2.02), color="tab:blue")
    _arrow(ax, (7.25, gate_y), (7.68, gate_y), color="tab:blue")
    _arrow(ax, (8.32, gate_y), (10.2, gate_y), lw=2.0)
    ax.text(9.6, gate_y + 0.25, "$h_t$", fontsize=12)
    _arrow(ax, (9.2, gate_y), (9.2, 5.3), lw=1.4)
    ax.text(9.3, 5.15, "output at step t", fontsize=9)
    ax.text(5.0, -0.75, "every gate reads $[h_{t-1}, x_t]$ through its own weights", ha="center",
            fontsize=9, color="dimgrey")
    if title:
        ax.set_title(title)
    return ax
