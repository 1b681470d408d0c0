"""Activation functions by name, for `Neuron`, `Layer` and `MLP` constructors."""

from __future__ import annotations

from collections.abc import Callable

from autograd import Value

Activation = Callable[[Value], Value]


def linear(v: Value) -> Value:
    """The identity: a layer with no activation (a named function, not a lambda, so a model pickles)."""
    return v


ACTIVATIONS: dict[str, Activation] = {
    "sigmoid": Value.sigmoid,
    "tanh": Value.tanh,
    "relu": Value.relu,
    "linear": linear,
}


def activation(name: str) -> Activation:
    """The activation called ``name``; ValueError listing the choices otherwise."""
    try:
        return ACTIVATIONS[name]
    except (KeyError, TypeError):
        choices = ", ".join(ACTIVATIONS)
        raise ValueError(f"unknown activation {name!r}: choose one of {choices}") from None


def activation_name(activation: str | None, nonlin: bool | None, owner: str) -> str:
    """The activation's name from ours (``activation="relu"``) or micrograd's ``nonlin=True/False``.

    micrograd's ``Neuron(nin, nonlin=True)`` is a ReLU neuron and ``nonlin=False`` a linear one, so code
    written for micrograd builds the same layers here; the default (neither given) is tanh, the slides' choice.
    """
    if nonlin is None:
        return "tanh" if activation is None else activation
    if activation is not None:
        raise TypeError(f"{owner}: give activation={activation!r} or micrograd's nonlin={nonlin!r}, not both")
    if not isinstance(nonlin, bool):
        raise TypeError(f"{owner}: nonlin must be True (ReLU) or False (linear), got {type(nonlin).__name__}")
    return "relu" if nonlin else "linear"
