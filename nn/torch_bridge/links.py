"""Which PyTorch entry each of our parameters is: one `Link` per scalar parameter.

The layouts, side by side (H hidden units, I inputs):

- MLP layer l: neuron k's bias ``w{l}[0,k]`` (row 0 of the slides' table) is
  ``bias[k-1]`` of the l-th nn.Linear; weight ``w{l}[i,k]`` is ``weight[k-1, i-1]``.
- Linear: ``W[r][c]`` is ``weight[r, c]``, ``b[r]`` is ``bias[r]``.
- RNNCell: ``Wxh`` is ``weight_ih``, ``Whh`` is ``weight_hh``, ``bh`` is
  ``bias_ih + bias_hh`` (PyTorch has two biases where the slides have one).
- LSTMCell: PyTorch stacks the gates i, f, g, o (our order too) in blocks of H
  rows; row k of our ``W_f`` is ``weight_ih[H + k]`` followed by
  ``weight_hh[H + k]``, and ``b_f[k]`` is ``bias_ih[H + k] + bias_hh[H + k]``.
- CharModel: the cell's links under ``cell.``, the head's (a Linear) under ``head.``.
- Sequential: each Linear child's links under its name (``0.``, ``2.``), as a Linear's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from autograd import Value

from ..char_model import CharModel
from ..linear import Linear
from ..lstm import GATES, LSTMCell
from ..mlp import MLP
from ..module import Module
from ..rnn import RNNCell
from ..sequential import Sequential
from .shapes import Layout


@dataclass(frozen=True)
class Link:
    """Our parameter ``name`` (the Value ``value``) is entry ``index`` of PyTorch's ``torch_name``.

    ``partner`` names the second bias (``bias_hh``) for a recurrent bias,
    whose value is the sum of both entries; None otherwise.
    """

    name: str
    value: Value
    torch_name: str
    index: tuple[int, ...]
    partner: str | None = None

    def torch_label(self) -> str:
        """``weight_ih[3, 0]``-style text for reports."""
        return f"{self.torch_name}[{', '.join(map(str, self.index))}]"


def links(model: Module, layout: Layout) -> list[Link]:
    """Every parameter of ``model`` linked to its entry in a module of ``layout`` (the shapes must match)."""
    names = {id(p): name for name, p in model.named_parameters()}
    out: list[Link] = []

    def link(value: Value, canonical: str, index: tuple[int, ...], partner: str | None = None) -> None:
        out.append(Link(names[id(value)], value, layout.actual(canonical), index,
                        layout.actual(partner) if partner else None))

    def linear(W: list[list[Value]], b: list[Value], prefix: str) -> None:
        for r, row in enumerate(W):
            for c, v in enumerate(row):
                link(v, f"{prefix}weight", (r, c))
            link(b[r], f"{prefix}bias", (r,))

    def cell(module: RNNCell | LSTMCell, prefix: str) -> None:
        gates: list[tuple[list[list[Value]], list[list[Value]] | None, list[Value]]]
        if isinstance(module, RNNCell):
            gates = [(module.Wxh, module.Whh, module.bh)]
        else:
            gates = [(getattr(module, f"W_{g}"), None, getattr(module, f"b_{g}")) for g in GATES]
        size, hidden = module.input_size, module.hidden_size
        for g, (W_in, W_rec, b) in enumerate(gates):
            for k in range(hidden):
                row = g * hidden + k
                # An LSTM row holds [input part, recurrent part]; an RNN keeps them in two matrices.
                full = W_in[k] + (W_rec[k] if W_rec is not None else [])
                for j, v in enumerate(full):
                    if j < size:
                        link(v, f"{prefix}weight_ih", (row, j))
                    else:
                        link(v, f"{prefix}weight_hh", (row, j - size))
                link(b[k], f"{prefix}bias_ih", (row,), partner=f"{prefix}bias_hh")

    if isinstance(model, MLP):
        for number, layer in enumerate(model.layers):
            W = [neuron.w for neuron in layer.neurons]
            linear(W, [neuron.b for neuron in layer.neurons], f"{number}.")
    elif isinstance(model, Linear):
        linear(model.W, model.b, "")
    elif isinstance(model, (RNNCell, LSTMCell)):
        cell(model, "")
    elif isinstance(model, CharModel):
        recurrent: Any = model.cell
        cell(recurrent, "cell.")
        linear(model.head.W, model.head.b, "head.")
    elif isinstance(model, Sequential):
        for name, child in zip(model._order, model):
            if isinstance(child, Linear):
                linear(child.W, child.b, f"{name}.")
    else:  # shapes.shape_of_model has already refused anything else
        raise TypeError(f"no links for {type(model).__name__}")
    return out


def combined_bias(ih: float, hh: float) -> float:
    """Our single bias from PyTorch's two: their sum, and exactly the other one when either is zero.

    Returning the other one (not ``ih + 0.0``) keeps a -0.0 bias -0.0, so a
    round trip through `to_torch` (which sets ``bias_hh`` to zero) is exact to
    the bit. When both are non-zero the float64 sum is rounded once.
    """
    if hh == 0.0:
        return ih
    if ih == 0.0:
        return hh
    return ih + hh
