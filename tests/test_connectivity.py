"""The connectivity map |dL_t/dx_k| (issue 10, item 6) against central differences, and its chart."""

from __future__ import annotations

import math
import random

import pytest

from autograd import Value, no_grad
from lecture.vanishing import connectivity, step_losses
from nn import CharModel


def loss_at(kind: str, inputs: list[list[float]], targets: list[int], t: int, hidden: int, seed: int) -> float:
    """L_t for plain-number input vectors, from a fresh model with the same seed."""
    model = CharModel(len(inputs[0]), hidden, cell=kind, seed=seed)
    with no_grad():
        return step_losses(model, [[Value(v) for v in x] for x in inputs], targets)[t - 1].data


@pytest.mark.parametrize("kind", ["rnn", "lstm"])
def test_each_entry_is_the_size_of_a_central_difference(kind: str) -> None:
    length, hidden, vocab, seed = 5, 3, 4, 2
    links = connectivity(length=length, hidden=hidden, vocab_size=vocab, seed=seed)
    rng = random.Random(seed)  # the same sequence connectivity draws
    inputs = [rng.randrange(vocab) for _ in range(length)]
    targets = [rng.randrange(vocab) for _ in range(length)]
    one_hot = [[1.0 if j == x else 0.0 for j in range(vocab)] for x in inputs]
    grid = links.maps[kind]
    eps = 1e-6
    for t in range(1, length + 1):
        for k in range(1, length + 1):
            if k > t:
                assert grid[t - 1][k - 1] is None  # L_t cannot depend on a later input
                continue
            partials = []
            for j in range(vocab):
                up = [row[:] for row in one_hot]
                down = [row[:] for row in one_hot]
                up[k - 1][j] += eps
                down[k - 1][j] -= eps
                partials.append((loss_at(kind, up, targets, t, hidden, seed)
                                 - loss_at(kind, down, targets, t, hidden, seed)) / (2 * eps))
            expected = math.sqrt(sum(p * p for p in partials))
            assert grid[t - 1][k - 1] == pytest.approx(expected, rel=1e-5, abs=1e-9), (t, k)


def test_the_chart_draws_both_maps_beside_the_vanishing_chart(tmp_path) -> None:
    pytest.importorskip("matplotlib", reason="charts need matplotlib")
    from lecture.vanishing import gradient_reach
    from viz.charts import gradient_reach_figure

    reach = gradient_reach(length=6, hidden=3)
    links = connectivity(length=6, hidden=3)
    out = gradient_reach_figure(reach.steps, reach.norms, links.maps, tmp_path / "reach.svg")
    svg = out.read_text()
    assert "vanilla RNN: |d loss_t / d input_k|" in svg and "LSTM: |d loss_t / d input_k|" in svg
    assert "Vanishing gradients" in svg
    with pytest.raises(ValueError, match="no connectivity maps"):
        gradient_reach_figure(reach.steps, reach.norms, {}, tmp_path / "x.svg")
