"""`rank_units` names itself and what it needs: a correlation needs at least two time steps.

One time step (``rank_units([[1.0, 2.0]], [1.0])``) was refused by the helper it calls, in its words:
"correlation needs two sequences of equal length >= 2, got 1 and 1" (the user called no correlation, and
the "two sequences" are neither of the arguments given); the other refusals did not name rank_units.
"""

from __future__ import annotations

import pytest

from viz.heatmap import rank_units


@pytest.mark.parametrize("activations, signal", [([[1.0, 2.0]], [1.0]), ([[]], [1.0]), ([[0.5]], [3.0])])
def test_one_time_step_is_refused_by_name(activations: list[list[float]], signal: list[float]) -> None:
    with pytest.raises(ValueError, match=r"^rank_units needs at least 2 time steps \(a correlation over time\), "
                                         r"got 1$"):
        rank_units(activations, signal)


@pytest.mark.parametrize("activations, signal, words", [
    ([], [], r"^rank_units needs at least 2 time steps \(a correlation over time\), got 0$"),
    ([[1.0], [2.0]], [1.0], r"^rank_units: 2 time steps of activations but a signal of 1$"),
])
def test_other_refusals_name_rank_units(activations: list[list[float]], signal: list[float], words: str) -> None:
    with pytest.raises(ValueError, match=words):
        rank_units(activations, signal)


def test_two_steps_rank_by_pearson_r() -> None:
    # unit 0 rises with the signal (r = 1), unit 1 falls (r = -1), unit 2 is constant (r defined as 0)
    assert rank_units([[0.0, 1.0, 5.0], [2.0, -1.0, 5.0]], [1.0, 3.0]) == [(0, 1.0), (1, -1.0), (2, 0.0)]
