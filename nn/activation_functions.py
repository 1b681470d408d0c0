"""torch.nn.functional's activations under torch's names, for a Value or a list of Values.

``F.relu(x)``, ``F.tanh(x)``, ``F.sigmoid(x)`` keep their input's shape;
``F.softmax(z, dim=-1)`` and ``F.log_softmax(z, dim=-1)`` take a list of
logits (one dimension: ``dim`` may be 0 or -1, as for a 1-D tensor).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from autograd import Value
from autograd import log_softmax as _log_softmax
from autograd import softmax as _softmax
from autograd.functional import Operand


def _elementwise(fn: Callable[[Value], Value], x: Any, who: str) -> Any:
    """``fn`` of a Value (or number), or of each entry of a list or tuple; TypeError naming ``who`` otherwise."""
    if isinstance(x, Value):
        return fn(x)
    if isinstance(x, (int, float)) and not isinstance(x, bool):
        return fn(Value(x))
    if isinstance(x, (list, tuple)):
        return [_elementwise(fn, v, who) for v in x]
    raise TypeError(f"{who} expects a Value, a number or a list of them, got {type(x).__name__}")


def relu(x: Operand | Sequence[Operand]) -> Any:
    """max(0, x) of a Value or of every entry of a list."""
    return _elementwise(Value.relu, x, "relu")


def tanh(x: Operand | Sequence[Operand]) -> Any:
    """tanh of a Value or of every entry of a list."""
    return _elementwise(Value.tanh, x, "tanh")


def sigmoid(x: Operand | Sequence[Operand]) -> Any:
    """The logistic sigmoid of a Value or of every entry of a list."""
    return _elementwise(Value.sigmoid, x, "sigmoid")


def softmax(x: Sequence[Operand], dim: int | None = None) -> list[Value]:
    """softmax over a list of logits (``dim`` None, 0 or -1: a list has one dimension)."""
    _check_dim(dim, "softmax")
    return _softmax(x)


def log_softmax(x: Sequence[Operand], dim: int | None = None) -> list[Value]:
    """log softmax over a list of logits (``dim`` None, 0 or -1: a list has one dimension)."""
    _check_dim(dim, "log_softmax")
    return _log_softmax(x)


def _check_dim(dim: Any, who: str) -> None:
    if dim is None:
        return
    if isinstance(dim, bool) or not isinstance(dim, int):
        raise TypeError(f"{who}: dim must be an int, got {type(dim).__name__}")
    if dim not in (0, -1):
        # torch's words for a 1-D tensor
        raise IndexError(f"Dimension out of range (expected to be in range of [-1, 0], but got {dim})")
