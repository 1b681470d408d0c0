"""All parameters as one list of numbers and back: `torch.nn.utils.parameters_to_vector` and its inverse.

For updates computed in bulk (numpy over a batch replay's gradients, a line search, an evolution strategy):
reading and writing thousands of weights one ``.data`` at a time pays the check every write makes; these
check the whole vector once, then write every weight.
"""

from __future__ import annotations

import math
import sys
import warnings
from collections.abc import Iterable, Sequence
from itertools import repeat
from operator import countOf
from typing import Any

from autograd import Value

from .numbers_in_messages import short_repr


def parameters_to_vector(parameters: Iterable[Value]) -> list[float]:
    """The parameters' numbers, in order (``torch.nn.utils.parameters_to_vector`` for scalar parameters)."""
    params = _as_values(parameters, "parameters_to_vector")
    return [p._data for p in params]


def vector_to_parameters(vector: Sequence[float] | Any, parameters: Iterable[Value]) -> None:
    """Write ``vector[k]`` into parameter k's ``.data`` (``torch.nn.utils.vector_to_parameters``).

    ``vector`` is a sequence of real numbers (a list, a tuple, a 1-D numpy array) as long as ``parameters``.
    All or nothing: a wrong length, a non-number or a number that is not finite raises, naming the position,
    before any parameter changes.
    """
    params = _as_values(parameters, "vector_to_parameters")
    floats = _float_array(vector)
    values = vector.tolist() if hasattr(vector, "tolist") else _listed(vector, "vector_to_parameters: vector")
    if not isinstance(values, list):  # a 0-d array's tolist() is its one number ("float has no len()" below)
        raise TypeError(f"vector_to_parameters: vector must be a sequence of numbers, got a 0-d "
                        f"{type(vector).__name__} holding {short_repr(values)}")
    ndim = getattr(vector, "ndim", 1)
    if ndim != 1:  # a row (1, n) was '1 numbers for n parameters', a column 'number 0 is list'
        raise TypeError(f"vector_to_parameters: vector must be 1-D (torch's flat vector), got a {ndim}-D "
                        f"{type(vector).__name__} of shape {tuple(getattr(vector, 'shape', ()))}")
    if len(values) != len(params):
        raise ValueError(f"vector_to_parameters: {len(values)} numbers for {len(params)} parameters")
    if floats is None:
        if not set(map(type, values)) <= {float}:  # ints, numpy scalars, or something that is no number
            values = [_real(k, v) for k, v in enumerate(values)]
        total = sum(values)
        finite = total - total == 0.0  # inf or NaN in it (or the sum overflowed): find which, if any
    else:
        finite = bool(floats.all())
    if not finite:
        for k, v in enumerate(values):
            if not math.isfinite(v):
                raise ValueError(f"vector_to_parameters: number {k} is {short_repr(v)}; parameters must stay finite")
    for p, v in zip(params, values):
        p._data = v  # type: ignore[misc]  # the data slot under its engine name: each number is checked above


def _listed(items: Any, what: str) -> list[Any]:
    """``items`` as a list; TypeError naming ``what`` for no sequence (None, a number, a lone Value, a 0-d array),
    which failed inside ``list()`` ("'NoneType' object is not iterable", "iteration over a 0-d array")."""
    if isinstance(items, (str, bytes, Value)) or not isinstance(items, Iterable) or getattr(items, "ndim", 1) == 0:
        raise TypeError(f"{what} must be a sequence, got {type(items).__name__} {short_repr(items)}")
    return list(items)


def _float_array(vector: Any) -> Any:
    """For a plain 1-D numpy array of float16/32/64, which number is finite (an array of bools); else None.

    Its ``tolist()`` holds only Python floats, so the type of each number need not be looked at (the set of
    4,417 types cost more than writing the weights), and numpy tells the finite ones apart at C speed. Not
    for a subclass (a masked array's ``tolist()`` holds None) nor a longdouble (whose ``tolist()`` keeps numpy
    scalars). numpy is not imported here: a vector can only be its array if numpy is already loaded.
    """
    np = sys.modules.get("numpy")
    if np is None or type(vector) is not np.ndarray or vector.ndim != 1:
        return None
    if vector.dtype.kind != "f" or vector.dtype.itemsize > 8:
        return None
    return np.isfinite(vector)


def _as_values(parameters: Iterable[Value], what: str) -> list[Value]:
    params = _listed(parameters, f"{what}: parameters")
    # Counting exact Values first costs 3/4 of an isinstance walk (a subclass, or no Value, takes the walk too).
    if countOf(map(type, params), Value) != len(params) and not all(map(isinstance, params, repeat(Value))):
        k, p = next((k, p) for k, p in enumerate(params) if not isinstance(p, Value))
        raise TypeError(f"{what}: parameter {k} is {type(p).__name__}, not a Value")
    return params


def _real(k: int, v: object) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)) and not hasattr(v, "__float__"):
        raise TypeError(f"vector_to_parameters: number {k} is {type(v).__name__} {short_repr(v)}, not a real number")
    if isinstance(v, complex):
        raise TypeError(f"vector_to_parameters: number {k} is complex {short_repr(v)}, not a real number")
    try:
        number = float(v)
    except OverflowError:  # a real number all the same: too large, not of the wrong type
        raise ValueError(f"vector_to_parameters: number {k}, {short_repr(v)}, is too large for a float") from None
    except (TypeError, ValueError) as error:
        raise TypeError(f"vector_to_parameters: number {k} is not a real number ({error})") from None
    if math.isinf(number) and _finite_in_own_type(v):  # numpy's longdouble 1e600 becomes inf without a word
        raise ValueError(f"vector_to_parameters: number {k}, {short_repr(v)}, is too large for a float")
    return number


def _finite_in_own_type(v: Any) -> bool:
    """Whether ``v`` is finite by its own arithmetic (a wider float than Python's can be, where float(v) is inf)."""
    try:
        with warnings.catch_warnings():  # numpy warns at inf - inf, the very case being told apart
            warnings.simplefilter("ignore")
            return bool(v - v == 0)
    except Exception:  # no subtraction of its own: its float is all we know
        return False
