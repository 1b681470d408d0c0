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
