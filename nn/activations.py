"""Activation functions by name, for `Neuron`, `Layer` and `MLP` constructors.

The names are torch.nn.functional's (``"leaky_relu"`` is ``F.leaky_relu``),
each with torch's default options (``negative_slope=0.01``, ``alpha=1.0``,
``beta=1, threshold=20``, the erf GELU, ``[-1, 1]``); ``"linear"`` is none. A
model keeps the name, so it pickles, prints and crosses the torch bridge
(``nn.LeakyReLU()`` and so on). For other options, build a `Sequential` with
the activation modules (``LeakyReLU(0.2)``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from autograd import Value, apply
from autograd.activation_ops import ELU, GELU, HARDTANH, LEAKY_RELU, SILU, SOFTPLUS

from .numbers_in_messages import short_repr

Activation = Callable[[Value], Value]


def linear(v: Value) -> Value:
    """The identity: a layer with no activation (a named function, not a lambda, so a model pickles)."""
    return v


def leaky_relu(v: Value) -> Value:
    """torch's ``F.leaky_relu`` with its default ``negative_slope=0.01``."""
    return apply(LEAKY_RELU, v, 0.01)


def elu(v: Value) -> Value:
    """torch's ``F.elu`` with its default ``alpha=1.0``."""
    return apply(ELU, v, 1.0)


def silu(v: Value) -> Value:
    """torch's ``F.silu``: x * sigmoid(x)."""
    return apply(SILU, v)


def softplus(v: Value) -> Value:
    """torch's ``F.softplus`` with its defaults ``beta=1``, ``threshold=20``."""
    return apply(SOFTPLUS, v, 1.0, 20.0)


def gelu(v: Value) -> Value:
    """torch's ``F.gelu`` with its default ``approximate='none'`` (the erf form)."""
    return apply(GELU, v)


def hardtanh(v: Value) -> Value:
    """torch's ``F.hardtanh`` with its defaults ``min_val=-1``, ``max_val=1``."""
    return apply(HARDTANH, v, -1.0, 1.0)


ACTIVATIONS: dict[str, Activation] = {
    "sigmoid": Value.sigmoid,
    "tanh": Value.tanh,
    "relu": Value.relu,
    "linear": linear,
    "leaky_relu": leaky_relu,
    "elu": elu,
    "silu": silu,
    "softplus": softplus,
    "gelu": gelu,
    "hardtanh": hardtanh,
}


def activation(name: Any, where: str = "") -> Activation:
    """The activation called ``name``; ValueError naming it and listing the choices otherwise.

    ``where`` says which argument it was (``"MLP's activations[1]"``). A class, module or function (torch's
    ``nn.ReLU``, our ``LeakyReLU()``) is refused too, with the name to give instead where there is one.
    """
    try:
        return ACTIVATIONS[name]
    except (KeyError, TypeError):
        pass
    choices = ", ".join(repr(k) for k in ACTIVATIONS)
    place = f" ({where})" if where else ""
    if isinstance(name, str):
        raise ValueError(f"unknown activation {short_repr(name)}{place}: choose one of {choices}")
    cls = name if isinstance(name, type) else type(name)
    guess = str(getattr(name, "__name__", cls.__name__)).lower()
    guess = {"leakyrelu": "leaky_relu", "identity": "linear"}.get(guess, guess)
    hint = (f"; give its name, {short_repr(guess)} (torch's default options; for others, a Sequential of Linear and "
            f"{cls.__name__}(...))") if guess in ACTIVATIONS else ""
    raise ValueError(f"unknown activation {short_repr(name)}{place}: an activation is given by name, one of "
                     f"{choices}{hint}")


def activation_name(activation: str | None, nonlin: bool | None, owner: str) -> str:
    """The activation's name from ours (``activation="relu"``) or micrograd's ``nonlin=True/False``.

    micrograd's ``Neuron(nin, nonlin=True)`` is a ReLU neuron and ``nonlin=False`` a linear one, so code
    written for micrograd builds the same layers here; the default (neither given) is tanh, the slides' choice.
    """
    if nonlin is None:
        return "tanh" if activation is None else activation
    if activation is not None:
        raise TypeError(f"{owner}: give activation={short_repr(activation)} or micrograd's "
                        f"nonlin={short_repr(nonlin)}, not both")
    if not isinstance(nonlin, bool):
        raise TypeError(f"{owner}: nonlin must be True (ReLU) or False (linear), got {type(nonlin).__name__}")
    return "relu" if nonlin else "linear"
