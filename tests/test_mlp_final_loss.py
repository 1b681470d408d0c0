"""The tour's MLP line ends at the loss of the trained weights, the number the training film's last frame shows.

New-user trial 24: `python demo.py` printed 3.2455 -> 0.001265 (the last epoch's loss, computed before that
epoch's update) while mlp_training_film.html, training the same 300 Adam epochs, said 3.245 -> 0.001258 (the
loss after it). The final loss is checked against a forward pass written here in plain floats.
"""

from __future__ import annotations

import math
import re

import pytest

import demo
from lecture.slides_mlp import SLIDES_X, SLIDES_Y
from lecture.training import train_slides_mlp


def plain_float_E(w1: list[list[float]], w2: list[list[float]]) -> float:
    """E = sum over rows of 1/2 sum_j (a2[j] - y[j])^2 for the sigmoid 3-2-2 net; tables have the bias row first."""
    def sigmoid(s: float) -> float:
        return 1.0 / (1.0 + math.exp(-s))

    total = 0.0
    for x, y in zip(SLIDES_X, SLIDES_Y, strict=True):
        a0 = [1.0, *x]
        a1 = [1.0] + [sigmoid(sum_loop(w1[i][k] * a0[i] for i in range(4))) for k in range(2)]
        a2 = [sigmoid(sum_loop(w2[k][j] * a1[k] for k in range(3))) for j in range(2)]
        for j in range(2):
            total += 0.5 * (a2[j] - y[j]) ** 2
    return total


def sum_loop(terms) -> float:  # type: ignore[no-untyped-def]
    """Left to right, as written (builtin sum compensates on Python 3.12+)."""
    total = 0.0
    for term in terms:
        total += term
    return total


def test_the_final_loss_is_E_at_the_trained_weights_not_the_last_steps_loss() -> None:
    run = train_slides_mlp(epochs=5)
    w1, w2 = (layer.weight_table() for layer in run.model.layers)  # type: ignore[attr-defined]
    assert run.final_loss == pytest.approx(plain_float_E(w1, w2), rel=1e-12)
    assert run.final_loss < run.losses[-1]  # Adam's fifth step lowered it further


def test_the_printed_line_ends_at_the_trained_weights_loss(capsys, tmp_path) -> None:
    assert demo.main(["mlp", "--epochs", "5", "--out", str(tmp_path)]) == 0
    line = next(line for line in capsys.readouterr().out.splitlines() if "loss E (summed over rows)" in line)
    first, last = (float(number) for number in re.findall(r"(\d+\.\d+) (?:at|after)", line))
    run = train_slides_mlp(epochs=5)
    w1, w2 = (layer.weight_table() for layer in run.model.layers)  # type: ignore[attr-defined]
    assert last == pytest.approx(plain_float_E(w1, w2), abs=5e-7)  # printed with 6 decimals
    slides_w1 = [[0.5, 0.5], [0.1, 0.2], [0.3, 0.4], [0.5, 0.6]]  # the slides' tables, bias row first
    slides_w2 = [[0.5, 0.5], [0.7, 0.8], [0.9, 0.1]]
    assert first == pytest.approx(plain_float_E(slides_w1, slides_w2), abs=5e-5)  # printed with 4 decimals
    assert "after 5 epochs" in line


def test_the_mlp_chart_counts_epochs_as_the_film_and_the_printed_line_do(tmp_path) -> None:
    # Full batch, each step of the slides' MLP is an epoch; its chart's axis said "step" beside "after 5 epochs".
    assert demo.main(["mlp", "--epochs", "5", "--out", str(tmp_path), "--quiet"]) == 0
    svg = (tmp_path / "mlp_loss.svg").read_text(encoding="utf-8")
    assert re.findall(r">(epoch|step)<", svg) == ["epoch"]
