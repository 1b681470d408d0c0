"""`Neuron`: s = sum_{i=0..m} w[i] * a[i] with a[0] = 1, then an activation.

This is the slides' formula: row 0 of a weight table is the bias, multiplying
the constant a0[0] = 1. The weighted sum is one n-ary `dot` node, so a neuron
is one gate in the graph rather than a chain of binary adds.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from autograd import Value, constant, dot
from autograd.functional import dot_inputs

from .activations import activation as lookup_activation
from .activations import activation_name
from .checks import affordable, input_vector, whole_number
from .init import make_rng, uniform_fan_in
from .module import Module

Inputs = Sequence[Value | float]

#: The constant 1 that the bias multiplies (a0[0] on the slides): one shared constant leaf.
ONE = constant(1.0)


def bias_and_inputs(x: Inputs) -> tuple[Value, ...]:
    """``(ONE, *x)`` with every input a Value: what `Neuron.forward_converted` takes."""
    return (ONE, *dot_inputs(x))


class Neuron(Module):
    """One unit: weights ``w`` (nin), bias ``b``, and an activation by name.

    Bias first, as on the slides: the weighted sum is ``dot([b, *w], [1, *x])``,
    so in a weight table the bias is row 0 (`Layer.weight_table`). `Linear` and
    the recurrent cells keep the PyTorch order instead (W x + b, bias last).
    """

    def __init__(
        self,
        nin: int,
        activation: str | None = None,
        seed: int | random.Random | None = None,
        label: str = "",
        *,
        nonlin: bool | None = None,
    ) -> None:
        """Make a neuron with ``nin`` inputs and weights drawn from a seeded U(+-1/sqrt(nin)).

        ``activation`` defaults to tanh; micrograd's ``nonlin=True`` (ReLU) / ``False`` (linear) is accepted.
        """
        activation = activation_name(activation, nonlin, "Neuron")
        nin = whole_number(nin, "Neuron's number of inputs nin")
        affordable(nin + 1, "Neuron")
        rng = make_rng(seed, type(self).__name__)
        self.activation = activation
        self._act = lookup_activation(activation)
        self.b = Value(0.0, label=f"{label}b")
        self.w = [Value(uniform_fan_in(rng, nin), label=f"{label}w[{i + 1}]") for i in range(nin)]

    @property
    def nonlin(self) -> bool:
        """micrograd's flag: True for a neuron with a non-linearity (micrograd's is ReLU), False for a linear one."""
        return self.activation != "linear"

    def weighted_sum(self, x: Inputs) -> Value:
        """s = b * 1 + sum_i w[i] * x[i], one dot node (the slides' s)."""
        x = input_vector(x, len(self.w), "Neuron")
        return dot((self.b, *self.w), (ONE, *x))

    def forward_converted(self, inputs: tuple[Value, ...]) -> Value:
        """`forward` for inputs already made Values with the constant 1 in front (``(ONE, *dot_inputs(x))``).

        What `Layer` calls: it converts its inputs once for all of its neurons.
        """
        if len(inputs) != len(self.w) + 1:
            raise ValueError(f"Neuron expects {len(self.w)} inputs, got {len(inputs) - 1}")
        return self._act(dot((self.b, *self.w), inputs))

    def forward(self, x: Inputs) -> Value:
        """The neuron's output: activation(weighted_sum(x))."""
        return self._act(self.weighted_sum(x))

    def __repr__(self) -> str:
        return f"Neuron({len(self.w)}, activation={self.activation!r})"
