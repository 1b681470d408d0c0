"""Dropout as torch's: ``F.dropout(x, p, training)`` and the module ``Dropout(p)``.

Inverted dropout: in training each entry is kept with probability 1 - p and then multiplied by
1 / (1 - p) (torch's scale), or replaced by 0 (``x * 0.0``, a node whose gradient to x is 0, as torch's);
in evaluation (``training=False``, ``model.eval()``) the input is returned unchanged.

Randomness: torch draws from its own generator; here the draws come from Python's `random`, so no seed
reproduces torch's masks (the same p and the same statistics, never the same entries). A
``generator`` is a seed or a ``random.Random``: `Dropout` makes its private generator when built (from
``generator``, or seeded from the global ``random`` when None, as the layers' weights are, so
``random.seed(s)`` before building a model fixes its masks too); the function draws from the global
``random`` unless given one.

A tape recorded by `autograd.replay` would bake one mask into every replay; dropout in training mode
while a tape records is therefore refused (record the model in ``eval()`` mode).
"""

from __future__ import annotations

import numbers
import random
from collections.abc import Callable
from typing import Any

from autograd import Value
from autograd.value import OBSERVERS

from .activation_functions import _elementwise
from .init import make_rng
from .module import Module
from .numbers_in_messages import checked_float, short_repr
from .pointwise_activations import check_inplace


def check_probability(p: Any) -> float:
    """``p`` as a float in [0, 1]; torch's ValueError words otherwise, TypeError for a non-number."""
    if isinstance(p, bool) or not isinstance(p, numbers.Real):
        raise TypeError(f"dropout probability must be a real number, got {type(p).__name__}")
    if isinstance(p, numbers.Integral) and not 0 <= int(p) <= 1:  # float() of 10**400 was a bare OverflowError
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {short_repr(p)}")
    value = checked_float(p, "dropout probability") if not isinstance(p, float) else p
    if not 0.0 <= value <= 1.0:  # NaN fails this too
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {short_repr(p)}")
    return value


def dropout(x: Any, p: float = 0.5, training: bool = True, inplace: bool = False,
            generator: int | random.Random | None = None) -> Any:
    """Zero each entry of ``x`` (a Value, a number or a nested list) with probability ``p`` and scale the
    others by 1 / (1 - p), when ``training``; otherwise return ``x`` itself. ``inplace`` changes nothing."""
    probability = check_probability(p)
    if not isinstance(training, bool):
        raise TypeError(f"dropout: training must be True or False, got {type(training).__name__}")
    check_inplace(inplace, "dropout")
    if not training:
        return x
    draw = random.random if generator is None else make_rng(generator, "dropout").random
    return apply_mask(x, probability, draw)


def apply_mask(x: Any, p: float, draw: Callable[[], float]) -> Any:
    """Inverted dropout of every entry of ``x``, one draw per entry in order (see `dropout`)."""
    if OBSERVERS.leaf_made is not None:  # only a recording installs this observer
        raise RuntimeError("dropout in training mode cannot be recorded by autograd.replay: the tape would "
                           "replay one random mask forever; record the model after model.eval()")
    # torch multiplies by a mask holding 1 / (1 - p) (rounded once) or 0; p = 1 keeps nothing.
    scale = 0.0 if p == 1.0 else 1.0 / (1.0 - p)

    def drop(v: Value) -> Value:
        return v * (scale if draw() >= p else 0.0)

    return _elementwise(drop, x, "dropout")


class Dropout(Module):
    """torch's ``nn.Dropout(p=0.5, inplace=False)``: `dropout` in training mode, the identity after ``eval()``.

    ``generator`` (not in torch): a seed or a ``random.Random`` for the masks; None seeds a private
    generator from Python's global ``random`` (see the module's notes: torch's masks cannot be reproduced).
    """

    def __init__(self, p: float = 0.5, inplace: bool = False, generator: int | random.Random | None = None) -> None:
        """Check ``p`` (in [0, 1]) and ``inplace`` (kept and printed only), and make the generator."""
        check_probability(p)
        check_inplace(inplace, "Dropout")
        self.p = p
        self.inplace = inplace
        self._rng = make_rng(generator, "Dropout")

    def extra_repr(self) -> str:
        """torch's: ``p=0.5, inplace=False``."""
        return f"p={self.p}, inplace={self.inplace}"

    def forward(self, x: Any) -> Any:
        """``x`` with dropout applied in training mode, ``x`` itself in evaluation mode."""
        if not self.training:
            return x
        return apply_mask(x, check_probability(self.p), self._rng.random)
