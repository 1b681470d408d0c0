"""README's "Coming from micrograd": `Neuron(2)` and `Layer(2, 3)` default to tanh (micrograd's to ReLU), and
`nonlin=True` gives micrograd's ReLU. Checked against tanh / max(0, .) of w·x + b computed by hand."""

from __future__ import annotations

import math

import pytest

from nn import Layer, Neuron

X = [0.7, -1.3]


def _affine(w: list[float], b: float) -> float:
    total = b
    for wi, xi in zip(w, X):
        total += wi * xi
    return total


def test_a_neuron_defaults_to_tanh_and_nonlin_true_is_relu() -> None:
    for neuron, act in [(Neuron(2, seed=3), math.tanh), (Neuron(2, seed=3, nonlin=True), lambda s: max(0.0, s))]:
        neuron.b.data = 0.25
        expected = act(_affine([w.data for w in neuron.w], 0.25))
        assert neuron(X).data == pytest.approx(expected, rel=1e-15, abs=1e-300)


def test_a_layer_defaults_to_tanh() -> None:
    layer = Layer(2, 3, seed=5)
    outputs = layer(X)
    for neuron, out in zip(layer.neurons, outputs):
        assert out.data == pytest.approx(math.tanh(_affine([w.data for w in neuron.w], neuron.b.data)), rel=1e-15)
