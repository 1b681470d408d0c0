"""micrograd's demo notebook, run on our Value and nn.MLP, gives micrograd's own numbers step by step.

The notebook's cells (the max-margin loss, L2 term, accuracy, SGD by hand over `model.parameters()`) are
kept as written; its sklearn moons are replaced by nn.two_moons (sklearn is not a dependency) and fewer
points and steps keep the test quick. micrograd's hidden layers are ReLU and its output linear: our MLP's
default is tanh, so the notebook's `MLP(2, [16, 16, 1])` is written `MLP(2, [16, 16, 1], activation="relu")`
(the README's "Coming from micrograd" says so). micrograd's own weights are copied in, so every loss,
accuracy and weight must agree with micrograd's run.
"""

from __future__ import annotations

import random

import numpy as np
import pytest

from autograd import Value
from nn import MLP, two_moons

micrograd_engine = pytest.importorskip("micrograd.engine", reason="micrograd 0.1.0 (in the test extra)")
micrograd_nn = pytest.importorskip("micrograd.nn")


def notebook_run(value_class, model, X, y, steps: int):  # type: ignore[no-untyped-def]
    """The notebook's loss() and optimisation cells, verbatim but for the step count."""

    def loss(batch_size=None):  # type: ignore[no-untyped-def]
        Xb, yb = X, y
        inputs = [list(map(value_class, xrow)) for xrow in Xb]
        scores = list(map(model, inputs))
        losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(yb, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        alpha = 1e-4
        reg_loss = alpha * sum(p * p for p in model.parameters())
        total_loss = data_loss + reg_loss
        accuracy = [(yi > 0) == (scorei.data > 0) for yi, scorei in zip(yb, scores)]
        return total_loss, sum(accuracy) / len(accuracy)

    history = []
    for k in range(steps):
        total_loss, acc = loss()
        model.zero_grad()
        total_loss.backward()
        learning_rate = 1.0 - 0.9 * k / 100
        for p in model.parameters():
            p.data -= learning_rate * p.grad
        history.append((total_loss.data, acc))
    return history


def test_the_demo_notebook_trains_as_in_micrograd() -> None:
    points, labels = two_moons(30, noise=0.1, seed=3)
    X = np.array(points)
    y = (np.array(labels) > 0).astype(np.int64) * 2 - 1  # the notebook's y*2 - 1, on 0/1 integers as make_moons gives
    random.seed(1337)
    theirs = micrograd_nn.MLP(2, [16, 16, 1])
    ours = MLP(2, [16, 16, 1], activation="relu")
    assert len(ours.parameters()) == len(theirs.parameters()) == 337
    for our_layer, their_layer in zip(ours.layers, theirs.layers):
        table = [[n.b.data for n in their_layer.neurons]]
        table += [[n.w[i].data for n in their_layer.neurons] for i in range(len(their_layer.neurons[0].w))]
        our_layer.set_weight_table(table)  # bias row first
    expected = notebook_run(micrograd_engine.Value, theirs, X, y, steps=6)
    got = notebook_run(Value, ours, X, y, steps=6)
    for (their_loss, their_acc), (our_loss, our_acc) in zip(expected, got, strict=True):
        assert our_loss == pytest.approx(their_loss, rel=1e-12) and our_acc == their_acc
    for our_layer, their_layer in zip(ours.layers, theirs.layers):
        table = our_layer.weight_table()
        for j, n in enumerate(their_layer.neurons):
            assert table[0][j] == pytest.approx(n.b.data, rel=1e-12, abs=1e-14)
            for i, w in enumerate(n.w):
                assert table[i + 1][j] == pytest.approx(w.data, rel=1e-12, abs=1e-14)


def test_the_readme_recipe_starts_from_micrograds_own_weights_without_micrograd() -> None:
    """The README's "Coming from micrograd" block, run as written, gives the very weights micrograd's
    `random.seed(1337); MLP(2, [16, 16, 1])` draws (bit for bit, biases 0), leaves Python's generator where
    micrograd leaves it, and then trains to micrograd's losses (new-user trial 24: the README said "when
    micrograd's initial weights are copied in" without saying how, and the copy needed micrograd itself)."""
    from readme_blocks import python_blocks

    (block,) = python_blocks("Coming from micrograd")
    scope: dict[str, object] = {"__name__": "readme_example"}
    exec(compile(block, "README.md", "exec"), scope)  # noqa: S102 - our own README
    after_ours = random.random()
    ours = scope["model"]
    random.seed(1337)
    theirs = micrograd_nn.MLP(2, [16, 16, 1])
    after_theirs = random.random()
    assert after_ours == after_theirs
    for our_layer, their_layer in zip(ours.layers, theirs.layers, strict=True):  # type: ignore[attr-defined]
        assert our_layer.neurons[0].activation == ("relu" if their_layer.neurons[0].nonlin else "linear")
        for our_neuron, their_neuron in zip(our_layer.neurons, their_layer.neurons, strict=True):
            assert [w.data for w in our_neuron.w] == [w.data for w in their_neuron.w]
            assert our_neuron.b.data == their_neuron.b.data == 0
    points, labels = two_moons(20, noise=0.1, seed=5)
    X = np.array(points)
    y = (np.array(labels) > 0).astype(np.int64) * 2 - 1
    expected = notebook_run(micrograd_engine.Value, theirs, X, y, steps=4)
    got = notebook_run(Value, ours, X, y, steps=4)
    for (their_loss, their_acc), (our_loss, our_acc) in zip(expected, got, strict=True):
        assert our_loss == pytest.approx(their_loss, rel=1e-12) and our_acc == their_acc
