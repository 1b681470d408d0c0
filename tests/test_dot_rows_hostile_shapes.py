"""Dot graphs shaped to look like a layer's contiguous weight runs but not being one (second reading of record19).

Each graph is replayed in every mode (levels with each grouping, vectorized and scalar code, batch) and compared
with the eager engine to 1e-12: a parameter shared by two neurons, a neuron's weights in reverse order, two
layers' weights interleaved in the parameter list, a dot whose inputs are not one row, dots of width 1, bias-free
dots, weights given as the dot's second operand, and parameters passed in an order other than the model's.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import cast

import pytest

from autograd import Value, dot

np = pytest.importorskip("numpy")
levels = pytest.importorskip("autograd.replay.levels")

from test_dot_row_descriptors import assert_every_mode_equals_eager  # noqa: E402  (after the numpy skip)


def _weights(rng: random.Random, n: int) -> list[Value]:
    return [Value(rng.uniform(-0.8, 0.8)) for _ in range(n)]


def _sum_sq(outs: list[Value]) -> Value:
    return cast(Value, sum((o * o for o in outs), Value(0.0)))


def _shared_between_neurons(rng: random.Random) -> tuple[Callable[..., Value], list[Value], int]:
    w = _weights(rng, 8)
    rows = [w[0:4], w[2:6], w[4:8], [w[1], w[1], w[5], w[7]]]  # overlapping runs and a weight used twice in one row
    return (lambda *xs: _sum_sq([dot(r, list(xs)).tanh() for r in rows])), w, 4


def _reversed_rows(rng: random.Random) -> tuple[Callable[..., Value], list[Value], int]:
    w = _weights(rng, 9)
    rows = [w[2::-1], w[5:2:-1], w[6:9]]  # two neurons read their run backwards, one forwards
    return (lambda *xs: _sum_sq([dot(r, list(xs)).sigmoid() for r in rows])), w, 3


def _interleaved_layers(rng: random.Random) -> tuple[Callable[..., Value], list[Value], int]:
    w = _weights(rng, 12)
    first = [w[0:6:2], w[6:12:2]]  # layer 1 takes the even positions
    second = [w[1:6:2][:2], w[7:12:2][:2]]  # layer 2 the odd ones

    def fn(*xs: Value) -> Value:
        h = [dot(r, list(xs)).tanh() for r in first]
        return _sum_sq([dot(r, h) for r in second])

    return fn, w, 3


def _not_one_row(rng: random.Random) -> tuple[Callable[..., Value], list[Value], int]:
    w = _weights(rng, 6)

    def fn(*xs: Value) -> Value:
        a = dot(w[0:3], [xs[0], xs[1], xs[2]])
        b = dot(w[3:6], [xs[2], xs[0], xs[1]])  # the same inputs permuted
        c = dot(w[0:3], [xs[0], a, 1.0])  # a row mixing an input, a node and a constant
        d = dot([xs[0], xs[1], xs[2]], w[3:6])  # inputs first, weights second
        e = dot(w[0:3], [xs[0], xs[0], xs[0]])  # one input repeated
        return _sum_sq([a, b, c, d, e])

    return fn, w, 3


def _width_one_and_bias_free(rng: random.Random) -> tuple[Callable[..., Value], list[Value], int]:
    w = _weights(rng, 5)

    def fn(*xs: Value) -> Value:
        single = [dot([w[k]], [xs[k % 2]]).tanh() for k in range(3)]  # dots of width 1
        free = dot(w[3:5], single[:2])  # no bias
        return _sum_sq([*single, free, dot([w[4]], [1.0])])

    return fn, w, 2


def _weights_as_second_operand_and_params_reordered(rng: random.Random) -> tuple[Callable[..., Value], list[Value],
                                                                                   int]:
    w = _weights(rng, 12)
    rows = [w[0:4], w[4:8], w[8:12]]

    def fn(*xs: Value) -> Value:
        h = [dot([*xs, 1.0], r).tanh() for r in rows]
        return _sum_sq([dot(rows[0][:3], h), dot(rows[2][1:], h)])

    shuffled = list(w)
    rng.shuffle(shuffled)
    return fn, list(reversed(w[:6])) + shuffled[:0] + w[6:][::-1], 3


def _tails_off_the_run(rng: random.Random) -> tuple[Callable[..., Value], list[Value], int]:
    w = _weights(rng, 10)
    extra = Value(rng.uniform(-1, 1))  # a parameter given after the others, used as a tail and as a node's operand

    def fn(*xs: Value) -> Value:
        ones = [*xs, 1.0]
        rows = [
            [*w[0:3], w[9]],  # Linear's shape: the bias (the last parameter) off the run
            [*w[3:6], w[3]],  # the tail is the run's own first weight
            [*w[6:9], extra * 2.0],  # the tail a computed node
            [*w[7:10], xs[0]],  # a run up to the last parameter, then an input as a weight
            [*w[6:9], extra],  # the tail a parameter far from the run
        ]
        return _sum_sq([dot(r, ones).tanh() for r in rows])

    return fn, [*w, extra], 3


def _random_mlp(rng: random.Random) -> tuple[Callable[..., Value], list[Value], int]:
    from nn import MLP

    model = MLP(3, [4, 4, 1])
    for p in model.parameters():
        p.data = rng.uniform(-1.0, 1.0)

    def fn(*xs: Value) -> Value:
        out = model(list(xs))
        o = out[0] if isinstance(out, list) else out
        return o * o

    params = model.parameters()
    return fn, params if rng.random() < 0.5 else params[::-1], 3


BUILDERS = [_shared_between_neurons, _reversed_rows, _interleaved_layers, _not_one_row, _width_one_and_bias_free,
            _weights_as_second_operand_and_params_reordered, _tails_off_the_run, _random_mlp]


@pytest.mark.parametrize("small_group", [1, 32, 10**9], ids=["all-groups", "default", "float-steps"])
@pytest.mark.parametrize("build", BUILDERS, ids=[b.__name__.lstrip("_") for b in BUILDERS])
@pytest.mark.parametrize("seed", [0, 1])
def test_every_mode_equals_eager_on_dot_graphs_that_are_not_plain_layers(
        build: Callable[[random.Random], tuple[Callable[..., Value], list[Value], int]], seed: int, small_group: int,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(levels, "SMALL_GROUP", small_group)
    monkeypatch.setattr(levels, "SMALL_GRAPH", 0)
    rng = random.Random(seed)
    fn, params, n_inputs = build(rng)
    assert_every_mode_equals_eager(fn, [rng.uniform(-1, 1) for _ in range(n_inputs)], params)
