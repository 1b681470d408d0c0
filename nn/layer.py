"""`Layer`: nout neurons reading the same inputs, with the slides' weight-table layout."""

from __future__ import annotations

import random
from collections.abc import Sequence

from autograd import Value
from autograd.functional import dot_joined

from .activations import activation_name
from .checks import affordable, input_vector, whole_number
from .hooks import EVER_HOOKED, HOOKS
from .init import make_rng
from .module import Module
from .neuron import Inputs, Neuron, bias_and_inputs
from .weights import set_checked, table_rows


class Layer(Module):
    """A fully connected layer of `Neuron`s.

    Parameters are labelled in the slides' notation when ``name`` is given:
    ``w1[i,k]`` is the weight from input i to neuron k (both from 1), and
    ``w1[0,k]`` is neuron k's bias, the row that multiplies a constant 1.

    Bias first: `weight_table` / `set_weight_table` take ``nin + 1`` rows of
    ``nout`` numbers, row 0 the biases (the slides' tables, transposed from
    PyTorch's ``weight[k][i]``). `Linear` is the bias-last, row-per-output layer.
    """

    def __init__(
        self,
        nin: int,
        nout: int,
        activation: str | None = None,
        seed: int | random.Random | None = None,
        name: str = "w",
        *,
        nonlin: bool | None = None,
    ) -> None:
        """Make ``nout`` neurons of ``nin`` inputs each, seeded (tanh unless ``activation`` or micrograd's
        ``nonlin=True`` (ReLU) / ``False`` (linear) says otherwise)."""
        activation = activation_name(activation, nonlin, "Layer")
        nin = whole_number(nin, "Layer's number of inputs nin")
        nout = whole_number(nout, "Layer's number of outputs nout")
        affordable((nin + 1) * nout, "Layer")
        rng = make_rng(seed, type(self).__name__)
        self.neurons = [Neuron(nin, activation, rng) for _ in range(nout)]
        self.name = name
        for k, neuron in enumerate(self.neurons, start=1):
            neuron.b.label = f"{name}[0,{k}]"
            for i, w in enumerate(neuron.w, start=1):
                w.label = f"{name}[{i},{k}]"

    @property
    def nin(self) -> int:
        """Number of inputs (not counting the constant bias input)."""
        return len(self.neurons[0].w)

    @property
    def nout(self) -> int:
        """Number of neurons."""
        return len(self.neurons)

    def forward(self, x: Inputs) -> list[Value]:
        """Every neuron's output, in order.

        The inputs are made Values once for the whole layer (numbers become constants), not once per neuron;
        a neuron of a `Neuron` subclass, which may define its own forward, or one with forward hooks is called
        as a module.
        """
        nin = len(self.neurons[0].w)
        inputs = bias_and_inputs(input_vector(x, nin, "Layer"))
        outputs = []
        unhooked = not EVER_HOOKED[0]
        for n in self.neurons:
            if n.__class__ is Neuron and len(n.w) == nin and (unhooked or HOOKS not in n.__dict__):
                outputs.append(n._act(dot_joined((n.b, *n.w, *inputs))))  # `forward_converted`, written out
            elif n.__class__ is Neuron and (unhooked or HOOKS not in n.__dict__):
                outputs.append(n.forward_converted(inputs))
            else:  # a subclass, or a neuron with forward hooks: called as a module
                outputs.append(n(x))
        return outputs

    def weight_table(self) -> list[list[float]]:
        """The weights as the slides print them: ``table[i][k-1]``, row 0 the biases."""
        rows = [[n.b.data for n in self.neurons]]
        rows += [[n.w[i].data for n in self.neurons] for i in range(self.nin)]
        return rows

    def set_weight_table(self, table: Sequence[Sequence[float]]) -> None:
        """Set weights from a slide-style table (``nin + 1`` rows of ``nout`` numbers).

        Raises ValueError naming the expected shape; nothing changes on error.
        """
        rows = table_rows(table, self.name, f"{self.nin + 1} rows (bias row first) of {self.nout} numbers")
        if len(rows) != self.nin + 1 or any(len(row) != self.nout for row in rows):
            shape = f"{len(rows)} rows of lengths {sorted({len(r) for r in rows})}"
            raise ValueError(
                f"{self.name}: expected {self.nin + 1} rows (bias row first) of {self.nout} numbers, got {shape}"
            )
        set_checked((f"{self.name}[{i},{k}]", p, rows[i][k - 1])
                    for k, neuron in enumerate(self.neurons, start=1) for i, p in enumerate([neuron.b, *neuron.w]))

    def __repr__(self) -> str:
        return f"Layer({self.nin}, {self.nout}, activation={self.neurons[0].activation!r})"
