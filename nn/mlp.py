"""`MLP`: layers in sequence, with micrograd's constructor shape ``MLP(nin, nouts)``."""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence

from autograd import Value

from .activations import activation as activation_named
from .checks import affordable, describe, input_vector, whole_number
from .init import make_rng
from .layer import Layer
from .module import Module
from .neuron import Inputs


class MLP(Module):
    """A multilayer perceptron.

    ``MLP(3, [2, 2], activation="sigmoid", output_activation="sigmoid")`` is
    the slides' network; ``activations=[...]`` sets one activation per layer
    instead. Activations are given by name: ``"tanh"`` (the default for hidden
    layers), ``"sigmoid"``, ``"relu"``, ``"linear"`` (none: the output
    layer's default), and torch.nn.functional's ``"leaky_relu"``, ``"elu"``,
    ``"silu"``, ``"softplus"``, ``"gelu"``, ``"hardtanh"`` with torch's default
    options (see `nn.activations`; for others, a `Sequential` of `Linear` and
    the activation modules). A name keeps the model picklable and lets
    `nn.torch_bridge.to_torch` map it; anything else is a ValueError naming
    it. Layer l's parameters are labelled ``w{l}[i,k]`` as on the slides.

    Bias first, as in `Layer`: ``layers[l].set_weight_table(table)`` takes the
    slides' table whose row 0 is the biases.
    """

    def __init__(
        self,
        nin: int,
        nouts: Sequence[int],
        activation: str = "tanh",
        output_activation: str = "linear",
        activations: Sequence[str] | None = None,
        seed: int | random.Random | None = None,
    ) -> None:
        """Make layers of sizes ``nin -> nouts[0] -> ... -> nouts[-1]``, seeded."""
        if isinstance(nouts, (str, bytes)) or not isinstance(nouts, Iterable):
            raise TypeError(f"MLP's nouts must be a list of layer sizes (positive whole numbers), "
                            f"got {describe(nouts)}")
        nouts = list(nouts)
        if not nouts:
            raise ValueError("MLP needs at least one layer size in nouts")
        nin = whole_number(nin, "MLP's number of inputs nin")
        nouts = [whole_number(n, f"MLP's layer size nouts[{i}]") for i, n in enumerate(nouts)]
        for name, where in ((activation, "MLP's activation"), (output_activation, "MLP's output_activation")):
            if name is not None:  # looked up even where no layer uses it (a one-layer MLP): a typo is a typo
                activation_named(name, where)
        if activations is None:
            activations = [activation] * (len(nouts) - 1) + [output_activation]
        if isinstance(activations, (str, bytes)) or not isinstance(activations, Iterable):
            raise TypeError(f"MLP's activations must be a list of activation names, one per layer, "
                            f"got {describe(activations)}")
        activations = list(activations)
        if len(activations) != len(nouts):
            raise ValueError(f"MLP has {len(nouts)} layers but {len(activations)} activations")
        for i, name in enumerate(activations):
            activation_named(name, f"MLP's activations[{i}]")
        sizes = [nin, *nouts]
        affordable(sum((sizes[i] + 1) * sizes[i + 1] for i in range(len(nouts))), "MLP")
        rng = make_rng(seed, type(self).__name__)
        self.layers = [
            Layer(sizes[i], sizes[i + 1], activations[i], rng, name=f"w{i + 1}") for i in range(len(nouts))
        ]

    def forward_all(self, x: Inputs) -> list[list[Value]]:
        """Every layer's outputs for input ``x`` (the slides' a1, a2, ...)."""
        x = input_vector(x, self.layers[0].nin, "MLP")
        outputs: list[list[Value]] = []
        for layer in self.layers:
            outputs.append(layer(outputs[-1] if outputs else x))
        return outputs

    def forward(self, x: Inputs) -> Value | list[Value]:
        """The network's output: a single Value when the last layer has one neuron."""
        out = self.forward_all(x)[-1]
        return out[0] if len(out) == 1 else out

    def __repr__(self) -> str:
        return f"MLP([{', '.join(repr(layer) for layer in self.layers)}])"
