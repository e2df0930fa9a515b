"""course.plots.plot_word_map on a few made-up points."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402

from course.plots import plot_word_map  # noqa: E402


def test_plot_word_map_labels_every_word_and_one_legend_entry_per_group():
    coords = np.array([[0.0, 0.0], [1.0, 0.5], [2.0, 1.0], [-1.0, 2.0]])
    ax = plot_word_map(coords, ["cat", "dog", "paris", "rome"], ["animal", "animal", "city", "city"], title="t")
    assert [t.get_text() for t in ax.texts] == ["cat", "dog", "paris", "rome"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["animal", "city"]
    assert ax.get_title() == "t"
    plt.close(ax.figure)


def test_plot_word_map_accepts_tensors_and_no_groups_and_checks_shapes():
    fig, ax = plt.subplots()
    assert plot_word_map(torch.zeros(2, 2), ["a", "b"], ax=ax) is ax
    assert ax.get_legend() is None
    with pytest.raises(ValueError, match="shape"):
        plot_word_map(np.zeros((3, 2)), ["a", "b"])
    with pytest.raises(ValueError, match="group"):
        plot_word_map(np.zeros((2, 2)), ["a", "b"], ["g"])
    plt.close("all")
