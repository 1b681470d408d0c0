"""A graph of at most `levels.SMALL_GRAPH` nodes runs as float steps, unplanned: equal to eager all the same."""

from __future__ import annotations

import random

import pytest

pytest.importorskip("numpy")

from test_replay import eager, random_graph_fn  # noqa: E402

from autograd import Value  # noqa: E402
from autograd.replay import levels, record  # noqa: E402
from nn import MLP  # noqa: E402


@pytest.mark.parametrize("seed", range(12))
def test_small_random_graphs_of_every_op_run_as_float_steps_and_equal_eager(seed: int) -> None:
    rng = random.Random(200 + seed)
    params = [Value(rng.uniform(-1, 1), label=f"p{k}") for k in range(3)]
    tape = record(random_graph_fn(seed, params), [0.2, 0.3], params)
    assert len(tape.graph) <= levels.SMALL_GRAPH
    assert tape.strategy == "levels" and tape._program.large_groups == 0
    assert tape._program.float_nodes == tape.node_count
    for _ in range(3):
        inputs = [rng.uniform(-1, 1), rng.uniform(-1, 1)]
        loss, grads = tape.evaluate(inputs)
        want_loss, want_grads = eager(random_graph_fn(seed, params), inputs, params)
        assert loss == pytest.approx(want_loss, rel=1e-12, abs=1e-12)
        assert grads == pytest.approx(want_grads, rel=1e-12, abs=1e-12)


def test_a_small_mlp_runs_unplanned_and_a_large_one_in_numpy_groups() -> None:
    small = MLP(2, [3, 1], seed=0)
    tape = record(lambda a, b: (small([a, b]) - 0.5) ** 2, [0.1, 0.2], small.parameters())
    assert len(tape.graph) <= levels.SMALL_GRAPH and tape._program.large_groups == 0
    large = MLP(8, [40, 40, 1], seed=0)
    wide = record(lambda *xs: (large(list(xs)) - 0.5) ** 2, [0.1] * 8, large.parameters())
    assert len(wide.graph) > levels.SMALL_GRAPH and wide._program.large_groups > 0
    for model, t, xs in ((small, tape, [0.7, -0.3]), (large, wide, [0.2] * 8)):
        model.zero_grad()
        loss = (model(xs) - 0.5) ** 2
        loss.backward()
        got_loss, got = t.evaluate(xs)
        assert got_loss == pytest.approx(loss.data, rel=1e-12)
        assert got == pytest.approx([p.grad for p in model.parameters()], rel=1e-11, abs=1e-14)
