"""The given batching diagrams (course.plots.plot_padded_batch, plot_packed_sequence) draw what
they say: every id and mask value, and packed.data in its real order with batch_sizes."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
from torch.nn.utils.rnn import pack_padded_sequence  # noqa: E402

from course.plots import plot_packed_sequence, plot_padded_batch  # noqa: E402


def _texts(ax) -> list[str]:
    return [t.get_text() for t in ax.texts if t.get_text()]


def test_padded_batch_shows_every_id_and_mask_value():
    ids = torch.tensor([[5, 8, 2, 9, 0], [7, 0, 0, 0, 0], [4, 4, 6, 0, 0]])   # batch 3 != length 5
    axes = plot_padded_batch(ids, ids != 0)
    assert _texts(axes[0]) == [str(v) for v in ids.flatten().tolist()]
    assert _texts(axes[1]) == ["T" if v else "F" for v in (ids != 0).flatten().tolist()]
    assert [t.get_text() for t in axes[0].get_yticklabels()] == ["b=0 (length 4)", "b=1 (length 1)", "b=2 (length 3)"]
    plt.close("all")
    with pytest.raises(ValueError, match="shape of ids"):
        plot_padded_batch(ids, (ids != 0)[:, :3])


def test_packed_sequence_lays_data_out_by_time_step():
    ids = torch.tensor([[5, 8, 2, 9, 0], [7, 0, 0, 0, 0], [4, 4, 6, 0, 0]])
    packed = pack_padded_sequence(ids, torch.tensor([4, 1, 3]), batch_first=True, enforce_sorted=False)
    top, bottom = plot_packed_sequence(packed)
    data = packed.data.tolist()
    assert data == [5, 4, 7, 8, 4, 2, 6, 9]
    strip = [t for t in _texts(bottom) if not t.startswith("t=")]
    assert strip == [str(v) for v in data], "the bottom strip is packed.data in order"
    assert [t for t in _texts(bottom) if t.startswith("t=")] == ["t=0: 3", "t=1: 2", "t=2: 2", "t=3: 1"]
    cells = _texts(top)
    assert "7\nk=2" in cells and "9\nk=7" in cells and cells.count("pad") == 4
    assert "batch_sizes = [3, 2, 2, 1]" in bottom.get_title()
    plt.close("all")
    with pytest.raises(ValueError, match="1-D"):
        plot_packed_sequence(pack_padded_sequence(torch.zeros(2, 3, 4), torch.tensor([3, 2]), batch_first=True))


# course.diagrams.draw_lstm_cell: the LSTM cell diagram of notebook 06

def test_draw_lstm_cell_labels_the_gates_and_states_on_the_given_axes():
    from course.diagrams import draw_lstm_cell

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
    from course.diagrams import draw_lstm_cell

    ax = draw_lstm_cell(title=None)
    assert ax.get_title() == ""
    assert not ax.axison
    plt.close(ax.figure)
