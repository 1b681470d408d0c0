"""`from_torch`: a PyTorch module as one of our models, holding the same weights."""

from __future__ import annotations

import math
from collections import OrderedDict
from typing import overload

import torch
from torch import nn

from ..char_model import CharModel
from ..linear import Linear
from ..lstm import LSTMCell
from ..mlp import MLP
from ..module import Module
from ..rnn import RNNCell
from ..sequential import Sequential
from .char_model import TorchCharModel
from .links import combined_bias, links
from .shapes import OUR_SEQUENTIAL_MODULES, Layout, Shape, effective_tensor, layout_of_module


@overload
def from_torch(module: nn.Sequential) -> MLP | Sequential: ...
@overload
def from_torch(module: nn.Linear) -> Linear: ...
@overload
def from_torch(module: nn.RNNCell | nn.RNN) -> RNNCell: ...
@overload
def from_torch(module: nn.LSTMCell | nn.LSTM) -> LSTMCell: ...
@overload
def from_torch(module: TorchCharModel) -> CharModel: ...
@overload
def from_torch(module: nn.Module) -> Module: ...
def from_torch(module: nn.Module) -> Module:
    """Our model for a PyTorch ``module``, with its weights.

    Reads ``nn.Sequential`` -> `MLP` when it is ``nn.Linear`` layers, each
    followed by at most one activation module with torch's default options
    (``nn.Tanh``, ``nn.Sigmoid``, ``nn.ReLU``, ``nn.LeakyReLU()``, ``nn.ELU()``,
    ``nn.SiLU()``, ``nn.Softplus()``, ``nn.GELU()``, ``nn.Hardtanh()``;
    ``nn.Identity`` is skipped); any other ``nn.Sequential`` of those, ``nn.Identity`` and
    ``nn.Dropout`` (other options, ``inplace=True``, a Dropout, two activations in a row) -> our
    `Sequential` of the same modules under the same names, with the same
    options, each child in torch's child's training or evaluation mode;
    ``nn.Linear`` -> `Linear`; ``nn.RNNCell`` (tanh) and a
    one-layer, one-direction ``nn.RNN`` -> `RNNCell`; ``nn.LSTMCell`` and a
    one-layer, one-direction ``nn.LSTM`` without ``proj_size`` ->
    `LSTMCell`; `TorchCharModel` -> `CharModel`.

    Weights of any floating dtype become float64 exactly (float32, float16
    and bfloat16 values are all float64 values). The one case that is not
    bit-exact: a recurrent cell whose ``bias_ih`` and ``bias_hh`` entries are
    both non-zero. Our cells have one bias per unit, so it holds their float64
    sum, rounded once (at most half a unit in the last place); where either
    entry is zero it holds the other exactly, which covers every module made
    by `to_torch`.

    Raises `NoCounterpart` (a ValueError) naming the first layer, parameter
    or option with no counterpart here (a GRU, a bias-free Linear, a GELU, an
    LSTM with ``proj_size`` or two layers, ...), ValueError for non-finite
    weights, sizes that do not chain or a parameter of the wrong shape,
    TypeError for a non-module.
    """
    layout = layout_of_module(module)
    model = build_model(layout.shape)
    copy_into_model(module, model, layout)
    if isinstance(model, Sequential):  # Dropout acts by its mode: each child's as torch's
        model.train(module.training)
        for name, child in zip(model._order, model):
            child.train(module._modules[name].training)  # type: ignore[union-attr]
    return model


def build_model(shape: Shape) -> Module:
    """One of our models of ``shape`` (its initial weights are overwritten by the caller)."""
    kind, sizes = shape.kind, shape.sizes
    if kind == "sequential":
        children: OrderedDict[str, Module] = OrderedDict()
        for name, cls, options in shape.children:
            if cls == "Linear":
                children[name] = Linear(options[0][1], options[1][1], seed=0)
            else:
                children[name] = OUR_SEQUENTIAL_MODULES[cls](**dict(options))
        return Sequential(children)
    if kind == "mlp":
        return MLP(sizes[0], list(sizes[1:]), activations=list(shape.activations), seed=0)
    if kind == "linear":
        return Linear(sizes[0], sizes[1], seed=0)
    if kind == "rnn":
        return RNNCell(sizes[0], sizes[1], seed=0)
    if kind == "lstm":
        return LSTMCell(sizes[0], sizes[1], seed=0)
    return CharModel(sizes[0], sizes[1], cell=shape.cell, seed=0)


def torch_values(module: nn.Module) -> dict[str, list]:
    """Every parameter of ``module`` as nested lists of Python floats (float64, exact); a name that is no
    parameter (a pruned or parametrized weight) is read, on first use, as torch's forward computes it."""
    values = _TorchValues({name: p.detach().to("cpu", torch.float64).tolist()
                           for name, p in module.named_parameters()})
    values.module = module
    return values


class _TorchValues(dict):
    """`torch_values`' dict: a missing name is the module's computed tensor of that name (`effective_tensor`)."""

    module: nn.Module

    def __missing__(self, name: str) -> list:
        value = effective_tensor(self.module, name).to("cpu", torch.float64).tolist()
        self[name] = value
        return value


def linked_value(values: dict[str, list], name: str, index: tuple[int, ...]) -> float:
    """Entry ``index`` of parameter ``name`` in `torch_values` output."""
    entry = values[name]
    for i in index:
        entry = entry[i]
    return float(entry)  # type: ignore[arg-type]


def copy_into_model(module: nn.Module, model: Module, layout: Layout) -> None:
    """Set every parameter of ``model`` from ``module`` (recurrent biases: `combined_bias`)."""
    values = torch_values(module)
    for link in links(model, layout):
        x = linked_value(values, link.torch_name, link.index)
        if link.partner is not None:
            x = combined_bias(x, linked_value(values, link.partner, link.index))
            if not math.isfinite(x):
                raise ValueError(f"{link.torch_label()} + {link.partner}: the sum of the two biases overflows"
                                 f" float64, so {link.name} cannot hold it")
        link.value.data = x
