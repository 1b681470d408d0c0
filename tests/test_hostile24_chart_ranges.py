"""Hostile input, round 24: charts of numbers near the top of float range, and connectivity maps checked first.

matplotlib's axis margins and ticks overflow a float from about 1e307: ``loss_curve([1.7e308, -1.7e308])`` failed
deep inside with "arange: cannot compute length", ``derivative_curves_chart`` with numpy's "Singular matrix"
(a LinAlgError) and ``vanishing_gradient_chart`` with "cannot convert float infinity to integer". Each is now a
ValueError naming the entry. ``gradient_reach_figure`` took its connectivity maps unchecked: a NaN was drawn as a
blank cell, a negative size vanished, a string failed as "'>' not supported between instances of 'str' and
'int'" and a ragged grid as numpy's "inhomogeneous shape".
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("matplotlib")

from viz.charts import gradient_reach_figure, loss_curve, vanishing_gradient_chart  # noqa: E402
from viz.derivative_chart import derivative_curves_chart  # noqa: E402
from viz.finite import CHART_LIMIT  # noqa: E402

TOO_LARGE = "too large to chart"


@pytest.mark.parametrize("losses", [[1.7e308, -1.7e308], [1e308, 1e308], [1.0, 1e307]])
def test_loss_curve_names_a_loss_too_large_to_chart(tmp_path: Path, losses: list[float]) -> None:
    with pytest.raises(ValueError, match=rf"^loss \d is .*: {TOO_LARGE}"):
        loss_curve(losses, tmp_path / "loss.svg")
    assert list(tmp_path.iterdir()) == []


def test_loss_curve_draws_up_to_the_limit(tmp_path: Path) -> None:
    for losses in ([CHART_LIMIT, -CHART_LIMIT], [CHART_LIMIT, 1.0]):
        out = loss_curve(losses, tmp_path / "loss.svg", log_scale=False)
        assert out.read_text(encoding="utf-8").lstrip().startswith("<?xml")


def test_vanishing_chart_names_a_norm_or_step_too_large(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=rf"^norms\['rnn'\] 0 is 1e\+307: {TOO_LARGE}"):
        vanishing_gradient_chart([1, 2], {"rnn": [1e307, 1e307]}, tmp_path / "v.svg")
    with pytest.raises(ValueError, match=rf"^step 1 is 1e\+308: {TOO_LARGE}"):
        vanishing_gradient_chart([1, 1e308], {"rnn": [1.0, 1.0]}, tmp_path / "v.svg")  # type: ignore[list-item]
    assert list(tmp_path.iterdir()) == []


def test_derivative_chart_names_an_x_or_value_too_large(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=rf"^derivative_curves_chart: curve 0 value 0 is 1e\+308: {TOO_LARGE}"):
        derivative_curves_chart([0.0, 1.0], [[1e308, -1e308]], tmp_path / "d.svg")
    with pytest.raises(ValueError, match=rf"^derivative_curves_chart: x 0 is -1e\+308: {TOO_LARGE}"):
        derivative_curves_chart([-1e308, 1e308], [[1.0, 0.0]], tmp_path / "d.svg")
    with pytest.raises(ValueError, match=r"^derivative_curves_chart: curve 1 has a value that is not finite"):
        derivative_curves_chart([0.0, 1.0], [[1.0, 0.0], [1.0, float("nan")]], tmp_path / "d.svg")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("maps", "error", "message"), [
    ({"rnn": [[float("nan"), None], [1.0, 1.0]]}, ValueError, r"^maps\['rnn'\] row 1 entry 0 is nan, not a finite"),
    ({"rnn": [[-1.0, None], [1.0, 1.0]]}, ValueError, r"^maps\['rnn'\] row 1 entry 0 is -1.0: a size is >= 0"),
    ({"rnn": [[1e308, None], [1.0, 1.0]]}, ValueError, rf"^maps\['rnn'\] row 1 entry 0 is 1e\+308: {TOO_LARGE}"),
    ({"rnn": [["a", None], [1.0, 1.0]]}, TypeError, r"^maps\['rnn'\] row 1 entry 0 must be a real number, got str"),
    ({"rnn": [[1.0], [1.0, 1.0]]}, ValueError, r"^maps\['rnn'\] row 2 has 2 entries, row 1 has 1"),
    ({"rnn": "ab"}, TypeError, r"^maps\['rnn'\] must be a non-empty sequence of rows, got str"),
    ([[1.0]], TypeError, r"^maps must be a mapping of cell kind to rows of sizes, got list"),
])
def test_gradient_reach_figure_names_a_bad_connectivity_entry(tmp_path: Path, maps: object, error: type,
                                                              message: str) -> None:
    import matplotlib.pyplot as plt

    figures = plt.get_fignums()
    with pytest.raises(error, match=message):
        gradient_reach_figure([1, 2], {"rnn": [1.0, 0.5]}, maps, tmp_path / "g.svg")  # type: ignore[arg-type]
    assert plt.get_fignums() == figures  # refused before a figure was opened
    assert list(tmp_path.iterdir()) == []


def test_gradient_reach_figure_still_draws_a_triangle_with_blanks(tmp_path: Path) -> None:
    out = gradient_reach_figure([1, 2], {"rnn": [1.0, 0.5]}, {"rnn": [[0.5, None], [1.0, 0.1]]}, tmp_path / "g.svg")
    assert out.read_text(encoding="utf-8").lstrip().startswith("<?xml")
