"""The loss chart's log y-axis: plain tick labels over a short range, powers of ten over a long one.

The trial's LSTM chart (per-character loss 4.x down to 1.x) read 10^0, 2×10^0, 3×10^0, 4×10^0.
"""

from __future__ import annotations

import pytest

pytest.importorskip("matplotlib")

import matplotlib.pyplot as plt  # noqa: E402

from viz.charts import loss_curve, loss_figure  # noqa: E402


def visible_y_labels(losses: list[float]) -> list[str]:
    """The y tick labels drawn inside the axis' range (major and minor), in order."""
    fig = loss_figure(losses)
    try:
        fig.canvas.draw()
        ax = fig.axes[0]
        assert ax.get_yscale() == "log"
        low, high = ax.get_ylim()
        ticks = [*ax.yaxis.get_major_ticks(), *ax.yaxis.get_minor_ticks()]
        return [t.label1.get_text() for t in ticks
                if t.label1.get_visible() and t.label1.get_text() and low <= t.get_loc() <= high]
    finally:
        plt.close(fig)


def test_a_loss_within_one_decade_is_labelled_1_2_3_4() -> None:
    losses = [0.9 + 3.3 * 0.99**i for i in range(300)]  # 4.2 down to 0.92
    labels = visible_y_labels(losses)
    assert labels == ["1", "2", "3", "4"]


def test_under_two_decades_labels_are_plain_numbers() -> None:
    assert visible_y_labels([30 * 0.99**i + 0.5 for i in range(300)]) == ["2", "5", "10", "20"]
    # A narrow range holding no digit 1..9 x 10^k gets evenly spaced round numbers.
    assert visible_y_labels([1.8 - 0.002 * i for i in range(300)]) == ["1.2", "1.4", "1.6", "1.8"]


def test_a_loss_over_many_decades_keeps_powers_of_ten() -> None:
    labels = visible_y_labels([1e3 * 0.97**i for i in range(300)])  # 1000 down to 1.2e-1
    assert labels and all("10^" in t for t in labels)


def test_loss_curve_writes_the_chart(tmp_path) -> None:
    out = loss_curve([4.2, 3.0, 2.0, 1.1], tmp_path / "loss.svg", "LSTM on the text")
    text = out.read_text()
    assert "LSTM on the text" in text and "×" not in text  # the old labels drew 2×10^0 as text
    with pytest.raises(ValueError, match="no losses"):
        loss_curve([], tmp_path / "empty.svg")


def test_mean_over_draws_the_mean_of_the_last_n_steps_whose_ends_are_the_reports_means() -> None:
    # The LSTM's report says "3.411 -> 1.596": the means of its first and last 10 steps; the chart drew
    # only the noisy per-chunk loss, which starts near 3.9 and ends near 1.4, so the two disagreed.
    losses = [4.0, 2.0, 3.0, 1.0, 2.0, 0.5]
    fig = loss_figure(losses, mean_over=3)
    try:
        raw, mean = fig.axes[0].get_lines()
        assert list(raw.get_ydata()) == losses
        assert list(mean.get_xdata()) == [3, 4, 5, 6]
        assert list(mean.get_ydata()) == pytest.approx([3.0, 2.0, 2.0, 3.5 / 3])  # (4+2+3)/3 ... (1+2+0.5)/3
    finally:
        plt.close(fig)
    for bad in (1, -2, 2.5, True):
        with pytest.raises(ValueError, match="mean_over must be"):
            loss_figure(losses, mean_over=bad)  # type: ignore[arg-type]
