"""micrograd's ``Neuron(nin, nonlin=...)`` / ``Layer(nin, nout, nonlin=...)`` build the same neurons here."""

from __future__ import annotations

import pytest

from nn import Layer, Neuron


def _weighted_sum(neuron: Neuron, x: list[float]) -> float:
    """b + sum_i w_i x_i written out by hand from the neuron's weights."""
    return neuron.b.data + sum(w.data * xi for w, xi in zip(neuron.w, x))


def test_nonlin_true_is_a_relu_neuron_and_false_a_linear_one() -> None:
    x = [0.5, -2.0, 3.0]
    for seed in range(20):
        relu_neuron, linear_neuron = Neuron(3, nonlin=True, seed=seed), Neuron(3, nonlin=False, seed=seed)
        s = _weighted_sum(relu_neuron, x)
        assert relu_neuron(x).data == pytest.approx(max(0.0, s), rel=1e-15, abs=1e-300)
        assert linear_neuron(x).data == pytest.approx(s, rel=1e-15)
        assert (relu_neuron.activation, linear_neuron.activation) == ("relu", "linear")
    assert Neuron(3).activation == "tanh"


def test_a_layer_passes_nonlin_to_its_neurons() -> None:
    layer = Layer(2, 4, nonlin=False, seed=1)
    x = [1.5, -0.25]
    assert [v.data for v in layer(x)] == pytest.approx([_weighted_sum(n, x) for n in layer.neurons], rel=1e-15)
    assert {n.activation for n in Layer(2, 4, nonlin=True).neurons} == {"relu"}


def test_activation_and_nonlin_together_or_a_non_bool_nonlin_are_refused() -> None:
    with pytest.raises(TypeError, match="not both"):
        Neuron(3, activation="tanh", nonlin=True)
    with pytest.raises(TypeError, match="nonlin must be True"):
        Layer(3, 2, nonlin=1)  # type: ignore[arg-type]
