"""`to_torch`: one of our models as the PyTorch module that computes the same function."""

from __future__ import annotations

from collections import OrderedDict
from typing import overload

import torch
from torch import nn

from ..char_model import CharModel
from ..linear import Linear
from ..lstm import LSTMCell
from ..mlp import MLP
from ..module import Module
from ..numbers_in_messages import short_repr
from ..rnn import RNNCell
from ..sequential import Sequential
from .char_model import TorchCharModel
from .links import Link, links
from .shapes import (
    MODULE_OF_ACTIVATION,
    TORCH_SEQUENTIAL_MODULES,
    Layout,
    Shape,
    layout_of_module,
    shape_of_model,
)


@overload
def to_torch(model: MLP, dtype: torch.dtype = ...) -> nn.Sequential: ...
@overload
def to_torch(model: Linear, dtype: torch.dtype = ...) -> nn.Linear: ...
@overload
def to_torch(model: RNNCell, dtype: torch.dtype = ...) -> nn.RNNCell: ...
@overload
def to_torch(model: LSTMCell, dtype: torch.dtype = ...) -> nn.LSTMCell: ...
@overload
def to_torch(model: CharModel, dtype: torch.dtype = ...) -> TorchCharModel: ...
@overload
def to_torch(model: Sequential, dtype: torch.dtype = ...) -> nn.Sequential: ...
@overload
def to_torch(model: Module, dtype: torch.dtype = ...) -> nn.Module: ...
def to_torch(model: Module, dtype: torch.dtype = torch.float64) -> nn.Module:
    """The PyTorch module for ``model``, holding the same weights.

    - `MLP` -> ``nn.Sequential`` of ``nn.Linear`` layers, each followed by
      its activation's module with torch's default options (``nn.Tanh``,
      ``nn.LeakyReLU()``, ``nn.GELU()``, ...; nothing for "linear"); the
      slides' bias row 0 becomes each Linear's ``bias``.
    - `Sequential` of `Linear`, `Identity`, `Dropout` and the activation
      modules (`Tanh`, `LeakyReLU`, `GELU`, ...) -> ``nn.Sequential`` of their
      torch counterparts under the same names, with the same options
      (``Dropout(p)``, ``LeakyReLU(0.2)``), each child in training or
      evaluation mode as ours is (the masks differ: ours come from Python's
      ``random``, torch's from its own generator).
    - `Linear` -> ``nn.Linear``.
    - `RNNCell` -> ``nn.RNNCell`` (tanh); `LSTMCell` -> ``nn.LSTMCell`` (same
      gate order i, f, g, o). Our single bias goes to ``bias_ih``;
      ``bias_hh`` is zero, so the sum PyTorch adds is our bias exactly.
    - `CharModel` -> `TorchCharModel` (one-hot input, the cell, a Linear head).

    In float64 (the default) every weight is copied bit for bit and
    `from_torch` gives the same model back exactly; ``dtype=torch.float32``
    rounds each weight to the nearest float32. The module is in training
    mode with ``requires_grad`` parameters, like any new PyTorch module.
    Raises TypeError for a model the bridge does not map, OverflowError
    naming a weight too large for ``dtype`` (torch would hold it as inf).
    """
    if not isinstance(dtype, torch.dtype) or not dtype.is_floating_point or dtype.is_complex:
        raise TypeError(f"dtype must be a real floating-point torch.dtype, got {short_repr(dtype)}")
    if dtype.itemsize < 2:  # float8 kinds: torch's own init failed inside ("check_uniform_bounds" not implemented)
        raise TypeError(f"dtype {dtype} is a storage format torch's layers cannot be made in or run: export in"
                        " torch.float64, float32, float16 or bfloat16 (and convert the module afterwards)")
    shape = shape_of_model(model)
    module = build_module(shape, dtype)
    copy_into_module(model, module, layout_of_module(module))
    if isinstance(model, Sequential):  # Dropout acts by its mode: each child's as ours
        module.train(model.training)
        for name, child in zip(model._order, model):
            module._modules[name].train(child.training)  # type: ignore[union-attr]
    return module


def build_module(shape: Shape, dtype: torch.dtype) -> nn.Module:
    """A PyTorch module of ``shape`` with PyTorch's own initial weights."""
    kind, sizes = shape.kind, shape.sizes
    if kind == "sequential":
        children: OrderedDict[str, nn.Module] = OrderedDict()
        for name, cls, options in shape.children:
            if cls == "Linear":
                children[name] = nn.Linear(options[0][1], options[1][1], dtype=dtype)
            else:
                children[name] = TORCH_SEQUENTIAL_MODULES[cls](**dict(options))
        return nn.Sequential(children)
    if kind == "mlp":
        layers: list[nn.Module] = []
        for nin, nout, activation in zip(sizes, sizes[1:], shape.activations):
            layers.append(nn.Linear(nin, nout, dtype=dtype))
            if activation != "linear":
                layers.append(MODULE_OF_ACTIVATION[activation]())
        return nn.Sequential(*layers)
    if kind == "linear":
        return nn.Linear(sizes[0], sizes[1], dtype=dtype)
    if kind == "rnn":
        return nn.RNNCell(sizes[0], sizes[1], nonlinearity="tanh", dtype=dtype)
    if kind == "lstm":
        return nn.LSTMCell(sizes[0], sizes[1], dtype=dtype)
    return TorchCharModel(sizes[0], sizes[1], shape.cell, dtype=dtype)


def copy_into_module(model: Module, module: nn.Module, layout: Layout) -> None:
    """Set every parameter of ``module`` from ``model`` (the second recurrent bias to zero)."""
    params = dict(module.named_parameters())
    # Fill flat lists of Python floats and assign each tensor once: writing entry by entry into a tensor is slow.
    flat = {name: [0.0] * p.numel() for name, p in params.items()}
    strides = {name: _row_major_strides(tuple(p.shape)) for name, p in params.items()}
    placed: dict[tuple[str, int], Link] = {}
    for link in links(model, layout):
        offset = sum(i * s for i, s in zip(link.index, strides[link.torch_name]))
        flat[link.torch_name][offset] = link.value.data
        placed[link.torch_name, offset] = link
    with torch.no_grad():
        for name, p in params.items():
            p.copy_(torch.tensor(flat[name], dtype=torch.float64).reshape(p.shape))
            overflowed = (~torch.isfinite(p)).flatten().nonzero()
            if len(overflowed):  # a finite float64 past the dtype's largest number: torch rounds it to inf
                link = placed[name, int(overflowed[0])]
                raise OverflowError(f"{link.name} = {link.value.data!r} (torch's {link.torch_label()}) does not fit"
                                    f" in {p.dtype} (largest {torch.finfo(p.dtype).max:.6g}): export in "
                                    "torch.float64, or scale the weights down")


def _row_major_strides(shape: tuple[int, ...]) -> tuple[int, ...]:
    """How far apart consecutive indices of each dimension are in a flat row-major list."""
    strides, step = [], 1
    for size in reversed(shape):
        strides.append(step)
        step *= size
    return tuple(reversed(strides))
