"""`random.seed(n)` before building a model makes it reproducible, as in micrograd and PyTorch."""

from __future__ import annotations

import random

from nn import MLP, CharModel, Linear, LSTMCell, Neuron, RNNCell


def weights(model) -> list[float]:  # type: ignore[no-untyped-def]
    return [p.data for p in model.parameters()]


BUILDERS = [lambda: MLP(2, [16, 16, 1]), lambda: Neuron(2), lambda: Linear(3, 2), lambda: RNNCell(3, 4),
            lambda: LSTMCell(3, 2), lambda: CharModel(5, 4, cell="lstm")]


def test_the_global_seed_makes_every_unseeded_model_reproducible() -> None:
    for build in BUILDERS:
        random.seed(1337)
        first = weights(build())
        random.seed(1337)
        assert weights(build()) == first
        random.seed(1338)
        assert weights(build()) != first
        # Without reseeding, the next model differs (the global generator moved on, as torch's does).
        random.seed(1337)
        build()
        assert weights(build()) != first


def test_an_explicit_seed_ignores_the_global_generator() -> None:
    random.seed(1)
    a = weights(MLP(2, [3, 1], seed=7))
    random.seed(2)
    assert weights(MLP(2, [3, 1], seed=7)) == a
    random.seed(5)
    before = random.random()
    random.seed(5)
    MLP(2, [3, 1], seed=7)
    assert random.random() == before  # a seeded model never touches the global generator
