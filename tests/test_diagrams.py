"""course.diagrams: the LSTM cell diagram draws its parts on the axes it is given."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from course.diagrams import draw_lstm_cell  # noqa: E402


def test_draw_lstm_cell_labels_the_gates_and_states_on_the_given_axes():
    fig, ax = plt.subplots()
    assert draw_lstm_cell(ax=ax, title="LSTM") is ax
    texts = [t.get_text() for t in ax.texts]
    for label in ("forget f_t", "input i_t", "candidate g_t", "output o_t",
                  "$c_{t-1}$", "$c_t$", "$h_{t-1}$", "$h_t$", "$x_t$"):
        assert label in texts, label
    assert texts.count("σ") == 3 and "tanh" in texts
    assert ax.get_title() == "LSTM"
    assert len(ax.patches) > 10  # boxes, nodes and arrows
    fig.canvas.draw()  # renders without error
    plt.close(fig)


def test_draw_lstm_cell_makes_its_own_figure_without_axes():
    ax = draw_lstm_cell(title=None)
    assert ax.get_title() == ""
    assert not ax.axison
    plt.close(ax.figure)
