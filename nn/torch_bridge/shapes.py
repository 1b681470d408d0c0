"""What a model is, in sizes: the description both sides are read into and checked against.

`shape_of_model` reads one of our models, `layout_of_module` reads a PyTorch
module (raising `NoCounterpart` at the first layer, parameter or option that
valuegrad has no counterpart for). The two meet in a `Shape`; a `Layout` adds
where each of PyTorch's parameters lives in the module (a one-layer
``nn.LSTM`` calls ``weight_ih`` ``weight_ih_l0``; a Sequential's third Linear
may sit at index 4).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeGuard, TypeVar

import torch
from torch import nn

from .. import activation_modules as ours_activations
from .. import dropout as ours_dropout
from .. import pointwise_activation_modules as ours_pointwise
from ..char_model import CharModel
from ..linear import Linear
from ..lstm import LSTMCell
from ..mlp import MLP
from ..module import Module
from ..numbers_in_messages import short_repr
from ..rnn import RNNCell
from ..sequential import Sequential
from .char_model import TorchCharModel

#: PyTorch activation modules and valuegrad's names for them, as an MLP layer's activation (with torch's
#: default options only: an MLP keeps the name; nn.Identity is our "linear").
ACTIVATION_MODULES: dict[type[nn.Module], str] = {
    nn.Tanh: "tanh", nn.Sigmoid: "sigmoid", nn.ReLU: "relu", nn.LeakyReLU: "leaky_relu", nn.ELU: "elu",
    nn.SiLU: "silu", nn.Softplus: "softplus", nn.GELU: "gelu", nn.Hardtanh: "hardtanh",
}
MODULE_OF_ACTIVATION: dict[str, type[nn.Module]] = {name: cls for cls, name in ACTIVATION_MODULES.items()}
#: The parameter-free modules a Sequential may hold, by class name (the same on both sides), with the
#: options each keeps (the same attribute names on both sides).
SEQUENTIAL_OPTIONS: dict[str, tuple[str, ...]] = {
    "Identity": (), "Tanh": (), "Sigmoid": (), "ReLU": ("inplace",), "LeakyReLU": ("negative_slope", "inplace"),
    "ELU": ("alpha", "inplace"), "SiLU": ("inplace",), "Softplus": ("beta", "threshold"), "GELU": ("approximate",),
    "Hardtanh": ("min_val", "max_val", "inplace"), "Dropout": ("p", "inplace"),
}
TORCH_SEQUENTIAL_MODULES: dict[str, type[nn.Module]] = {name: getattr(nn, name) for name in SEQUENTIAL_OPTIONS}
OUR_SEQUENTIAL_MODULES: dict[str, type[Module]] = {
    name: getattr(ours_activations, name, None) or getattr(ours_pointwise, name, None) or ours_dropout.Dropout
    for name in SEQUENTIAL_OPTIONS
}
M = TypeVar("M", bound=nn.Module)
SUPPORTED = "MLP, Linear, RNNCell, LSTMCell, CharModel and Sequential (of Linear, activations and Dropout)"
SUPPORTED_TORCH = (
    "nn.Sequential of nn.Linear, nn.Identity, nn.Dropout and nn.Tanh/Sigmoid/ReLU/LeakyReLU/ELU/SiLU/Softplus/GELU/"
    "Hardtanh, nn.Linear, nn.RNNCell (tanh), nn.LSTMCell, one-layer nn.RNN (tanh) or nn.LSTM, and TorchCharModel"
)

#: One child of a Sequential in a `Shape`: its name, its class name, and its options (a Linear's sizes).
Child = tuple[str, str, tuple[tuple[str, Any], ...]]


class NoCounterpart(ValueError):
    """A PyTorch layer, parameter or option that valuegrad has nothing to map to; the message names it."""


@dataclass(frozen=True)
class Shape:
    """A model's kind and sizes.

    kind "mlp": sizes (nin, *nouts), one activation per layer; "linear":
    (nin, nout); "rnn" / "lstm": (input_size, hidden_size); "char":
    (vocab_size, hidden_size) with ``cell`` "rnn" or "lstm"; "sequential":
    sizes of its Linear layers in order (nin, *nouts) and ``children``, every
    child's name, class and options (a Dropout's ``p``, a LeakyReLU's slope).
    """

    kind: str
    sizes: tuple[int, ...]
    activations: tuple[str, ...] = ()
    cell: str = ""
    children: tuple[Child, ...] = ()

    def describe(self) -> str:
        """A one-line human description, for error messages."""
        if self.kind == "sequential":
            parts = [f"{name}: {cls}({', '.join(f'{k}={v!r}' for k, v in options)})"
                     for name, cls, options in self.children]
            return f"Sequential({', '.join(parts)})"
        if self.kind == "mlp":
            return f"MLP {' -> '.join(map(str, self.sizes))} with activations {'/'.join(self.activations)}"
        if self.kind == "char":
            return f"CharModel ({self.cell}) vocabulary {self.sizes[0]}, hidden {self.sizes[1]}"
        names = {"linear": "Linear", "rnn": "RNN cell", "lstm": "LSTM cell"}
        return f"{names[self.kind]} {self.sizes[0]} -> {self.sizes[1]}"


@dataclass(frozen=True)
class Layout:
    """A module's `Shape` and the actual name of each canonical parameter name.

    Canonical names are those of the module `to_torch` builds (``0.weight``
    for the first Linear of an MLP, ``weight_ih`` for a cell, ``cell.bias_hh``
    for a char model); ``names`` maps the ones that differ.
    """

    shape: Shape
    names: dict[str, str] = field(default_factory=dict)
    recurrent_layer: bool = False  # an nn.RNN / nn.LSTM (whole sequences) rather than a cell

    def actual(self, canonical: str) -> str:
        """Where the canonical parameter lives in this module."""
        return self.names.get(canonical, canonical)


def shape_of_model(model: Any) -> Shape:
    """The `Shape` of one of our models; TypeError for anything else (a subclass with its own forward too)."""
    for cls in (MLP, Linear, RNNCell, LSTMCell, CharModel, Sequential):
        if isinstance(model, cls) and type(model).forward is not cls.forward:
            raise TypeError(f"{type(model).__name__} redefines {cls.__name__}.forward: the bridge maps"
                            f" {cls.__name__}'s own computation only")
    if isinstance(model, MLP):
        activations = []
        for number, layer in enumerate(model.layers, start=1):
            kinds = {n.activation for n in layer.neurons}
            if len(kinds) != 1:
                raise ValueError(f"MLP layer {number} mixes activations {sorted(kinds)}: nn.Linear layers"
                                 " share one activation module")
            activations.append(kinds.pop())
        return Shape("mlp", (model.layers[0].nin, *(layer.nout for layer in model.layers)), tuple(activations))
    if isinstance(model, Linear):
        return Shape("linear", (len(model.W[0]), len(model.W)))
    if isinstance(model, RNNCell):
        return Shape("rnn", (model.input_size, model.hidden_size))
    if isinstance(model, LSTMCell):
        return Shape("lstm", (model.input_size, model.hidden_size))
    if isinstance(model, CharModel):
        cell: Any = model.cell
        return Shape("char", (model.vocab_size, cell.hidden_size), cell=model.kind)
    if isinstance(model, Sequential):
        return _shape_of_sequential(model)
    what = type(model).__name__
    hint = " (a valuegrad Module, but not one the bridge maps)" if isinstance(model, Module) else ""
    if isinstance(model, Module):
        hint += _own_module_hint(model, "to_torch")
    raise TypeError(f"to_torch converts {SUPPORTED}; got {what}{hint}")


def _shape_of_sequential(model: Sequential) -> Shape:
    """The `Shape` of our Sequential of Linear layers, activation modules and Dropout; TypeError naming a child
    without a torch counterpart, ValueError for Linear sizes that do not chain or a layer held twice."""
    sizes: list[int] = []
    children: list[Child] = []
    seen: dict[int, str] = {}
    for name, child in zip(model._order, model):
        where = f"Sequential's layer {name} ({type(child).__name__})"
        if type(child) is Linear:
            if id(child) in seen:
                raise ValueError(f"{where} is layer {seen[id(child)]} again: a torch Sequential built from it "
                                 "would hold two separate copies of its weights")
            seen[id(child)] = name
            nin, nout = len(child.W[0]), len(child.W)
            if sizes and nin != sizes[-1]:
                raise ValueError(f"{where} takes {nin} inputs but the Linear before it gives {sizes[-1]}")
            sizes.extend([nin, nout] if not sizes else [nout])
            children.append((name, "Linear", (("in_features", nin), ("out_features", nout))))
            continue
        kind = type(child).__name__
        if OUR_SEQUENTIAL_MODULES.get(kind) is not type(child):
            raise TypeError(f"to_torch converts a Sequential of Linear, Identity, Dropout and the activation modules "
                            f"({', '.join(k for k in SEQUENTIAL_OPTIONS if k not in ('Identity', 'Dropout'))}); "
                            f"{where} is none of them")
        children.append((name, kind, tuple((key, getattr(child, key)) for key in SEQUENTIAL_OPTIONS[kind])))
    if not sizes:
        raise TypeError("to_torch converts a Sequential holding at least one Linear (its sizes are the model's)")
    return Shape("sequential", tuple(sizes), children=tuple(children))


def layout_of_module(module: Any) -> Layout:
    """Read a PyTorch module into a `Layout`, or raise `NoCounterpart` naming the first thing without one."""
    if not isinstance(module, nn.Module):
        raise TypeError(f"from_torch needs a torch.nn.Module, got {type(module).__name__}")
    _check_parameters(module)
    layout = _layout(module)
    _check_shapes(module, layout)
    return layout


def _layout(module: nn.Module) -> Layout:
    if _is(module, TorchCharModel):
        return _char_layout(module)
    if _is(module, nn.Sequential):
        return _sequential_layout(module)
    if _is(module, nn.Linear):
        nin, nout = _linear_sizes(module, "nn.Linear")
        return Layout(Shape("linear", (nin, nout)))
    if isinstance(module, (nn.RNNCellBase, nn.RNNBase)):
        return _recurrent_layout(module)
    raise NoCounterpart(f"{_describe(module)} has no counterpart in valuegrad: from_torch reads {SUPPORTED_TORCH}"
                        f"{_own_module_hint(module, 'from_torch')}")


def _own_module_hint(module: Any, bridge: str) -> str:
    """For a model class of the user's own (torch's or ours) holding layers the bridge maps: how to move it
    anyway, layer by layer, naming those layers; empty when no child is one the bridge maps."""
    if bridge == "from_torch":
        maps: tuple[type, ...] = (nn.Linear, nn.RNNCell, nn.LSTMCell, nn.RNN, nn.LSTM, nn.Sequential)
    else:
        maps = (Linear, RNNCell, LSTMCell, MLP, Sequential, CharModel)
    layers = [name for name, child in module.named_children() if name.isidentifier() and isinstance(child, maps)]
    if not layers:
        return ""
    shown = ", ".join(layers[:6]) + (", ..." if len(layers) > 6 else "")
    return (f"; {type(module).__name__} is a class of its own: move its layers ({shown}) one by one into a"
            f" module of the same structure on the other side, e.g. other.{layers[0]} = {bridge}(model.{layers[0]})")


def _check_shapes(module: nn.Module, layout: Layout) -> None:
    """ValueError naming a parameter whose shape is not the one its sizes give (a weight replaced by hand):
    its entries would be read at the wrong places, or past its end."""
    actual = dict(module.named_parameters())
    for canonical, expected in _parameter_shapes(layout.shape).items():
        name = layout.actual(canonical)
        tensor = actual[name] if name in actual else effective_tensor(module, name)
        if tuple(tensor.shape) != expected:
            raise ValueError(f"parameter {name} has shape {tuple(tensor.shape)}; the "
                             f"{layout.shape.describe()} needs {expected}")


def effective_tensor(module: nn.Module, name: str) -> torch.Tensor:
    """The tensor ``module``'s forward uses as ``name`` when no parameter has that name: a pruned weight
    (``weight_orig`` times ``weight_mask``) or a parametrized one (``weight_norm``, ``spectral_norm``), computed by
    torch as its forward computes it, and checked as a parameter is (`check_tensor`). These were a KeyError."""
    owner: Any = module
    for part in name.split("."):
        owner = getattr(owner, part, None)
    if not isinstance(owner, torch.Tensor):
        raise NoCounterpart(f"{_describe(module)} has no tensor {name}: from_torch reads its weights by torch's names")
    with torch.no_grad():
        tensor = owner.detach()
    check_tensor(name, tensor)
    return tensor


def _parameter_shapes(shape: Shape) -> dict[str, tuple[int, ...]]:
    """Each canonical parameter name of a module of ``shape`` (see `Layout`) and its tensor shape."""
    def linear(prefix: str, nin: int, nout: int) -> dict[str, tuple[int, ...]]:
        return {f"{prefix}weight": (nout, nin), f"{prefix}bias": (nout,)}

    def cell(prefix: str, kind: str, nin: int, hidden: int) -> dict[str, tuple[int, ...]]:
        rows = (4 if kind == "lstm" else 1) * hidden
        return {f"{prefix}weight_ih": (rows, nin), f"{prefix}weight_hh": (rows, hidden),
                f"{prefix}bias_ih": (rows,), f"{prefix}bias_hh": (rows,)}

    sizes = shape.sizes
    if shape.kind == "sequential":
        return {name: size for child, kind, options in shape.children if kind == "Linear"
                for name, size in linear(f"{child}.", options[0][1], options[1][1]).items()}
    if shape.kind == "mlp":
        layers = [linear(f"{i}.", nin, nout) for i, (nin, nout) in enumerate(zip(sizes, sizes[1:]))]
        return {name: size for layer in layers for name, size in layer.items()}
    if shape.kind == "linear":
        return linear("", sizes[0], sizes[1])
    if shape.kind in ("rnn", "lstm"):
        return cell("", shape.kind, sizes[0], sizes[1])
    return {**cell("cell.", shape.cell, sizes[0], sizes[1]), **linear("head.", sizes[1], sizes[0])}


def _is(module: nn.Module, cls: type[M]) -> TypeGuard[M]:
    """``module`` is a ``cls`` that computes what ``cls`` computes (a subclass must not redefine forward)."""
    return isinstance(module, cls) and type(module).forward is cls.forward


def _describe(module: nn.Module) -> str:
    text = repr(module).splitlines()[0]
    if text.endswith("("):
        # A module with children prints them on the lines below: its first line alone read "TNet(".
        text = type(module).__name__
    return text if len(text) <= 80 else text[:77] + "..."


def _check_parameters(module: nn.Module) -> None:
    """Every parameter is a real, finite tensor with data: else ValueError naming the first bad entry."""
    for name, p in module.named_parameters():
        check_tensor(name, p)


def check_tensor(name: str, p: torch.Tensor) -> None:
    """``p`` (parameter ``name``) is a dense, real, finite tensor with data: else an error naming the first bad
    entry."""
    if p.layout != torch.strided:  # the finiteness check below failed inside torch (NotImplementedError)
        raise NoCounterpart(f"parameter {name} has layout {p.layout}: from_torch reads dense (strided) tensors;"
                            " convert it with .to_dense() (torch's nn.Linear cannot run a sparse weight either)")
    if p.is_complex():
        raise NoCounterpart(f"parameter {name} is complex ({p.dtype}): valuegrad's numbers are real")
    if p.is_meta:
        raise ValueError(f"parameter {name} is on the meta device (no data): materialize the module first")
    if not p.is_floating_point():
        raise NoCounterpart(f"parameter {name} has dtype {p.dtype}: expected a floating-point tensor")
    if p.dtype.itemsize < 2:  # float8: torch.isfinite below is "not implemented" for it, nor is nn.Linear's forward
        raise NoCounterpart(f"parameter {name} has dtype {p.dtype}, a storage format torch cannot compute in:"
                            " convert the module with .to(torch.float32) (or float64) first")
    bad = ~torch.isfinite(p.detach())
    if bool(bad.any()):
        where = tuple(int(i) for i in bad.nonzero()[0])
        value = float(p.detach()[where])
        raise ValueError(f"parameter {name}{list(where)} is {short_repr(value)}: valuegrad needs finite weights")
    if p.numel() == 0:
        raise ValueError(f"parameter {name} is empty (shape {tuple(p.shape)}): every size must be at least 1")


def _linear_sizes(module: nn.Linear, where: str) -> tuple[int, int]:
    if module.bias is None:
        raise NoCounterpart(f"{where} ({_describe(module)}) has no bias: valuegrad's layers always have one"
                            " (row 0 of the weight table); build it with bias=True")
    return module.in_features, module.out_features


def _options(child: nn.Module, kind: str) -> tuple[tuple[str, Any], ...]:
    """A parameter-free child's options (`SEQUENTIAL_OPTIONS`), as plain numbers, strings and bools."""
    return tuple((key, getattr(child, key)) for key in SEQUENTIAL_OPTIONS[kind])


def _kind_of(child: nn.Module) -> str | None:
    """The class name of a parameter-free child the bridge maps (exactly that class), or None."""
    kind = type(child).__name__
    return kind if kind in TORCH_SEQUENTIAL_MODULES and _is(child, TORCH_SEQUENTIAL_MODULES[kind]) else None


def _sequential_layout(module: nn.Sequential) -> Layout:
    """An `MLP`'s layout when the Sequential is Linear layers each followed by at most one activation with
    torch's default options (nn.Identity skipped); else our `Sequential`'s, child by child."""
    # Not named_children(): it skips a module met before, and Sequential runs such a module again.
    children = [(name, child) for name, child in module._modules.items() if child is not None]
    sizes: list[int] = []
    seen: dict[int, str] = {}  # id of each Linear's weight -> its layer name, to catch tied weights
    for name, child in children:
        where = f"layer {name}"
        if _is(child, nn.Linear):
            nin, nout = _linear_sizes(child, where)
            for p in child.parameters():
                if id(p) in seen:
                    raise NoCounterpart(f"{where} ({_describe(child)}) shares its weights with layer {seen[id(p)]}:"
                                        " each of valuegrad's layers owns its own")
                seen[id(p)] = name
            if sizes and nin != sizes[-1]:
                raise ValueError(f"{where} ({_describe(child)}) takes {nin} inputs but the layer before it gives"
                                 f" {sizes[-1]}")
            sizes.extend([nin, nout] if not sizes else [nout])
        elif _kind_of(child) is None:
            raise NoCounterpart(f"{where} ({_describe(child)}) has no counterpart in valuegrad: a Sequential maps"
                                " nn.Linear, nn.Identity, nn.Dropout and the activations nn.Tanh, Sigmoid, ReLU,"
                                " LeakyReLU, ELU, SiLU, Softplus, GELU, Hardtanh")
    if not sizes:
        raise NoCounterpart(f"{_describe(module)} holds no nn.Linear: its sizes come from its Linear layers")
    mlp = _mlp_layout(children, sizes)
    if mlp is not None:
        return mlp
    shape_children: list[Child] = []
    for name, child in children:
        if _is(child, nn.Linear):
            shape_children.append((name, "Linear", (("in_features", child.in_features),
                                                    ("out_features", child.out_features))))
        else:
            kind = _kind_of(child)
            assert kind is not None  # checked above
            shape_children.append((name, kind, _options(child, kind)))
    return Layout(Shape("sequential", tuple(sizes), children=tuple(shape_children)))


def _mlp_layout(children: list[tuple[str, nn.Module]], sizes: list[int]) -> Layout | None:
    """The MLP layout of Linear layers each followed by at most one default-option activation, or None."""
    activations: list[str] = []
    names: dict[str, str] = {}
    last = ""  # "linear" or "activation": what the previous layer was
    for name, child in children:
        if _is(child, nn.Identity):
            continue
        if _is(child, nn.Linear):
            if last == "linear":
                activations.append("linear")
            index = len(activations)
            names[f"{index}.weight"] = f"{name}.weight"
            names[f"{index}.bias"] = f"{name}.bias"
            last = "linear"
            continue
        kind = next((act for cls, act in ACTIVATION_MODULES.items() if _is(child, cls)), None)
        if kind is None or last != "linear" or _options(child, type(child).__name__) != \
                _options(type(child)(), type(child).__name__):
            return None  # a Dropout, an activation with other options, first, or after another: a Sequential
        activations.append(kind)
        last = "activation"
    if last == "linear":
        activations.append("linear")
    return Layout(Shape("mlp", tuple(sizes), tuple(activations)), names)


def _recurrent_layout(module: nn.Module) -> Layout:
    """nn.RNNCell / nn.LSTMCell, or a one-layer, one-direction nn.RNN / nn.LSTM (tanh, with biases)."""
    what = _describe(module)
    if isinstance(module, (nn.GRUCell, nn.GRU)):
        raise NoCounterpart(f"{what} is a GRU: valuegrad has RNNCell and LSTMCell, no GRU")
    if _is(module, nn.RNNCell) or _is(module, nn.LSTMCell):
        cell = module
        kind = "lstm" if isinstance(module, nn.LSTMCell) else "rnn"
        if kind == "rnn" and cell.nonlinearity != "tanh":
            raise NoCounterpart(f"{what} uses nonlinearity={short_repr(cell.nonlinearity)}: valuegrad's RNNCell is "
                                f"tanh")
        if not cell.bias:
            raise NoCounterpart(f"{what} has bias=False: valuegrad's cells always have a bias")
        return Layout(Shape(kind, (cell.input_size, cell.hidden_size)))
    if _is(module, nn.RNN) or _is(module, nn.LSTM):
        rnn: Any = module
        kind = "lstm" if isinstance(module, nn.LSTM) else "rnn"
        if kind == "rnn" and rnn.nonlinearity != "tanh":
            raise NoCounterpart(f"{what} uses nonlinearity={short_repr(rnn.nonlinearity)}: valuegrad's RNNCell is tanh")
        if rnn.proj_size:
            raise NoCounterpart(f"{what} has proj_size={rnn.proj_size}: parameter weight_hr_l0 (the projection of"
                                " h) has no counterpart in valuegrad's LSTMCell")
        if rnn.num_layers != 1:
            raise NoCounterpart(f"{what} has num_layers={rnn.num_layers}: parameters weight_ih_l1 and up have no"
                                " counterpart (valuegrad's cells are one layer; import each layer's weights"
                                " as its own cell)")
        if rnn.bidirectional:
            raise NoCounterpart(f"{what} is bidirectional: parameters weight_ih_l0_reverse and up have no"
                                " counterpart in a one-direction cell")
        if not rnn.bias:
            raise NoCounterpart(f"{what} has bias=False: valuegrad's cells always have a bias")
        names = {base: f"{base}_l0" for base in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")}
        return Layout(Shape(kind, (rnn.input_size, rnn.hidden_size)), names, recurrent_layer=True)
    raise NoCounterpart(f"{what} has no counterpart in valuegrad: from_torch reads {SUPPORTED_TORCH}")


def _char_layout(module: TorchCharModel) -> Layout:
    cell = _recurrent_layout(module.cell)
    if cell.recurrent_layer:
        raise NoCounterpart("TorchCharModel.cell must be an nn.RNNCell or nn.LSTMCell")
    if not _is(module.head, nn.Linear):
        raise NoCounterpart(f"TorchCharModel.head ({_describe(module.head)}) must be an nn.Linear")
    vocab, hidden = cell.shape.sizes
    nin, nout = _linear_sizes(module.head, "TorchCharModel.head")
    if (nin, nout) != (hidden, vocab):
        raise ValueError(f"TorchCharModel.head maps {nin} -> {nout}, but the cell has {hidden} units over a"
                         f" vocabulary of {vocab}: it must map {hidden} -> {vocab}")
    return Layout(Shape("char", (vocab, hidden), cell=cell.shape.kind))
