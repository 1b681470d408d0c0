"""torch.nn.functional's activations under torch's names, for a Value or a list of Values.

``F.relu(x)``, ``F.tanh(x)``, ``F.sigmoid(x)`` keep their input's shape;
``F.softmax(z, dim=-1)`` and ``F.log_softmax(z, dim=-1)`` take a list of
logits (one dimension: ``dim`` may be 0 or -1, as for a 1-D tensor) or a
batch of them, N lists of C (``dim`` 1 or -1: each row, torch's choice when
``dim`` is None; 0 or -2: each column).
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Sequence
from typing import Any, cast

from autograd import Value
from autograd import log_softmax as _log_softmax
from autograd import softmax as _softmax
from autograd.functional import Operand

from .device_dtype import check_dtype
from .numbers_in_messages import short_repr


def _elementwise(fn: Callable[[Value], Value], x: Any, who: str) -> Any:
    """``fn`` of a Value (or number), or of each entry of a list or tuple; TypeError naming ``who`` otherwise."""
    if isinstance(x, Value):
        return fn(x)
    if isinstance(x, numbers.Real) and not isinstance(x, bool):  # numpy's float32 and int64 too, as Value takes them
        return fn(Value(cast(float, x)))
    if isinstance(x, (list, tuple)):
        return [_elementwise(fn, v, who) for v in x]
    raise TypeError(f"{who} expects a Value, a number or a list of them, got {type(x).__name__}")


def check_inplace(inplace: Any, who: str) -> None:
    """TypeError unless ``inplace`` (torch's, which changes nothing here) is True or False."""
    if not isinstance(inplace, bool):
        raise TypeError(f"{who}: inplace must be True or False, got {type(inplace).__name__}")


def relu(x: Operand | Sequence[Operand], inplace: bool = False) -> Any:
    """max(0, x) of a Value or of every entry of a list. ``inplace`` (torch's) must be True or False and changes
    nothing: a Value is never overwritten."""
    check_inplace(inplace, "relu")
    return _elementwise(Value.relu, x, "relu")


def tanh(x: Operand | Sequence[Operand]) -> Any:
    """tanh of a Value or of every entry of a list."""
    return _elementwise(Value.tanh, x, "tanh")


def sigmoid(x: Operand | Sequence[Operand]) -> Any:
    """The logistic sigmoid of a Value or of every entry of a list."""
    return _elementwise(Value.sigmoid, x, "sigmoid")


def softmax(x: Sequence[Operand] | Sequence[Sequence[Operand]], dim: int | None = None, _stacklevel: int = 3,
            dtype: Any = None) -> Any:
    """softmax over a list of logits, or over each row (``dim`` 1, -1 or None) or column (0, -2) of N lists.

    torch's ``dtype`` may name float64 (the one dtype here: ``torch.float64``, ``"float64"``); another is
    refused as `Module.to` refuses it. ``_stacklevel`` is torch's, and unused."""
    if dtype is not None:
        check_dtype(dtype, f"softmax(dtype={short_repr(dtype)})")
    return _over_dim(_softmax, x, dim, "softmax")


def log_softmax(x: Sequence[Operand] | Sequence[Sequence[Operand]], dim: int | None = None, _stacklevel: int = 3,
                dtype: Any = None) -> Any:
    """log softmax over a list of logits, or over each row or column of N lists (``dim`` and ``dtype`` as
    `softmax`)."""
    if dtype is not None:
        check_dtype(dtype, f"log_softmax(dtype={short_repr(dtype)})")
    return _over_dim(_log_softmax, x, dim, "log_softmax")


def _over_dim(fn: Callable[[Sequence[Operand]], list[Value]], x: Any, dim: Any, who: str) -> Any:
    """``fn`` over a 1-D list, or along ``dim`` of a matrix (a list of equally long lists), as torch's."""
    matrix = isinstance(x, (list, tuple)) and len(x) > 0 and isinstance(x[0], (list, tuple))
    _check_dim(dim, who, 2 if matrix else 1)
    if not matrix:
        return fn(x)
    rows = [list(row) for row in x]
    if not all(isinstance(row, (list, tuple)) for row in x) or len({len(row) for row in rows}) != 1:
        raise ValueError(f"{who}: a batch must be N lists of the same length, got lengths "
                         f"{sorted({len(row) if isinstance(row, (list, tuple)) else 0 for row in x})}")
    if dim is None or dim in (1, -1):  # torch's implicit dim for 2-D input is 1 (each row)
        return [fn(row) for row in rows]
    columns = [fn(list(column)) for column in zip(*rows)]
    return [list(row) for row in zip(*columns)]


def _check_dim(dim: Any, who: str, dims: int = 1) -> None:
    if dim is None:
        return
    if isinstance(dim, bool) or not isinstance(dim, int):
        raise TypeError(f"{who}: dim must be an int, got {type(dim).__name__}")
    if not -dims <= dim < dims:
        # torch's words for a tensor of ``dims`` dimensions
        raise IndexError(f"Dimension out of range (expected to be in range of [{-dims}, {dims - 1}], but got "
                         f"{short_repr(dim)})")
