"""Hostile input, round 27: a loss chart of losses held in a numpy array, or in no sequence at all.

Before: ``loss_curve(np.array(losses), path)`` (losses gathered in an array, as often) failed with numpy's "The
truth value of an array with more than one element is ambiguous", and an empty array likewise; ``None`` said "no
losses to plot", 5 "'int' object is not iterable", and a set was drawn in whatever order it iterates. Now an
array or any iterable of numbers is read as a list, and what is no sequence is a TypeError naming ``losses``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from viz import charts


def _ydata(figure) -> list[float]:  # type: ignore[no-untyped-def]
    return [float(y) for y in figure.axes[0].lines[0].get_ydata()]


def test_a_numpy_array_of_losses_is_charted_as_its_list(tmp_path: Path) -> None:
    losses = [2.0, 1.0, 0.5, 0.25]
    import matplotlib.pyplot as plt

    for given in (np.array(losses), iter(losses), tuple(losses), np.array(losses, dtype=np.float32)):
        figure = charts.loss_figure(given)
        try:
            assert _ydata(figure) == losses
        finally:
            plt.close(figure)
    assert charts.loss_curve(np.array(losses), tmp_path / "loss.svg").read_text(encoding="utf-8").lstrip()[:5] in (
        "<?xml", "<svg ")


def test_an_empty_array_has_no_losses_to_plot() -> None:
    with pytest.raises(ValueError, match="no losses to plot"):
        charts.loss_figure(np.array([]))


@pytest.mark.parametrize("bad", [None, 5, "ab", {1.0, 2.0}, {0: 1.0}, np.array(1.0), np.ones((2, 2))])
def test_what_is_no_sequence_of_losses_is_a_type_error(bad: object) -> None:
    with pytest.raises(TypeError, match="^losses must be a sequence of numbers, one per step, got "):
        charts.loss_figure(bad)  # type: ignore[arg-type]


def test_derivative_curves_of_numpy_arrays_are_drawn() -> None:
    # Before: numpy's "truth value of an array ... is ambiguous" from `not xs`.
    import matplotlib.pyplot as plt

    from viz import derivative_chart

    xs = np.linspace(-1.0, 1.0, 5)
    for curves in (np.array([np.tanh(xs), 1.0 - np.tanh(xs) ** 2]), [np.tanh(xs), 1.0 - np.tanh(xs) ** 2]):
        figure = derivative_chart.derivative_curves_figure(xs, curves)
        try:
            drawn = [float(y) for y in figure.axes[0].lines[0].get_ydata()]
            assert drawn == [float(v) for v in np.tanh(xs)]
        finally:
            plt.close(figure)
    with pytest.raises(TypeError, match="derivative_curves_chart: xs must be a sequence of numbers, got NoneType"):
        derivative_chart.derivative_curves_figure(None, [[1.0]])  # type: ignore[arg-type]
