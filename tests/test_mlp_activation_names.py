"""``MLP(activation=...)`` takes torch.nn.functional's names of the pointwise activations, with torch's default
options: each layer's output equals torch's ``nn.Sequential(nn.Linear, nn.<Activation>(), ...)`` on the same
weights, and a bad choice is a ValueError naming it and the argument it was given in."""

from __future__ import annotations

import pickle
from typing import Any

import pytest

import nn

NAMES = ["leaky_relu", "elu", "silu", "softplus", "gelu", "hardtanh"]
X = [[0.7, -1.3], [-2.5, 0.4], [3.0, 2.0]]


@pytest.mark.parametrize("name", NAMES)
def test_each_name_computes_torchs_module_with_default_options(name: str) -> None:
    torch = pytest.importorskip("torch")
    model = nn.MLP(2, [4, 3, 1], activation=name, seed=3)
    cls = {"leaky_relu": torch.nn.LeakyReLU, "elu": torch.nn.ELU, "silu": torch.nn.SiLU,
           "softplus": torch.nn.Softplus, "gelu": torch.nn.GELU, "hardtanh": torch.nn.Hardtanh}[name]
    layers: list[Any] = []
    for layer in model.layers:  # the slides' table: row 0 the biases, then one row per input
        linear = torch.nn.Linear(layer.nin, layer.nout, dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(torch.tensor([[w.data for w in n.w] for n in layer.neurons], dtype=torch.float64))
            linear.bias.copy_(torch.tensor([n.b.data for n in layer.neurons], dtype=torch.float64))
        layers += [linear, cls()]
    module = torch.nn.Sequential(*layers[:-1])  # the output layer is linear
    xs = torch.tensor(X, dtype=torch.float64, requires_grad=True)
    theirs = module(xs)
    theirs.sum().backward()
    for k, x in enumerate(X):
        y = model(x)
        assert y.data == pytest.approx(theirs[k, 0].item(), rel=1e-13, abs=1e-15)
    assert [n.activation for n in model.layers[0].neurons] == [name] * 4
    assert model.layers[-1].neurons[0].activation == "linear"


@pytest.mark.parametrize("name", NAMES)
def test_a_model_with_a_named_activation_pickles(name: str) -> None:
    model = nn.MLP(2, [3, 1], activation=name, seed=1)
    again = pickle.loads(pickle.dumps(model))
    assert again([0.5, -0.25]).data == model([0.5, -0.25]).data


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"activation": "swish"}, r"unknown activation 'swish' \(MLP's activation\): choose one of .*'leaky_relu'"),
    ({"output_activation": "GELU"}, r"unknown activation 'GELU' \(MLP's output_activation\)"),
    ({"activations": ["tanh", "leakyrelu"]}, r"unknown activation 'leakyrelu' \(MLP's activations\[1\]\)"),
    ({"activation": nn.LeakyReLU}, r"\(MLP's activation\): an activation is given by name.*'leaky_relu'"),
    ({"activation": nn.GELU()}, r"given by name.*give its name, 'gelu'"),
    ({"activation": len}, r"unknown activation <built-in function len> \(MLP's activation\)"),
])
def test_a_bad_choice_is_named(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        nn.MLP(2, [3, 1], **kwargs)


def test_activations_must_be_a_list() -> None:
    with pytest.raises(TypeError, match="MLP's activations must be a list of activation names"):
        nn.MLP(2, [3, 1], activations="tanh")
