"""All parameters as one list of numbers and back: `torch.nn.utils.parameters_to_vector` and its inverse.

For updates computed in bulk (numpy over a batch replay's gradients, a line search, an evolution strategy):
reading and writing thousands of weights one ``.data`` at a time pays the check every write makes; these
check the whole vector once, then write every weight.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from itertools import repeat
from typing import Any

from autograd import Value


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
    values = vector.tolist() if hasattr(vector, "tolist") else list(vector)
    if len(values) != len(params):
        raise ValueError(f"vector_to_parameters: {len(values)} numbers for {len(params)} parameters")
    if not set(map(type, values)) <= {float}:  # ints, numpy scalars, or something that is no number
        values = [_real(k, v) for k, v in enumerate(values)]
    total = sum(values)
    if total - total != 0.0:  # some number is inf or NaN (or the sum overflowed): find which, if any
        for k, v in enumerate(values):
            if not math.isfinite(v):
                raise ValueError(f"vector_to_parameters: number {k} is {v!r}; parameters must stay finite")
    for p, v in zip(params, values):
        p._data = v  # type: ignore[misc]  # the data slot under its engine name: each number is checked above


def _as_values(parameters: Iterable[Value], what: str) -> list[Value]:
    params = list(parameters)
    if not all(map(isinstance, params, repeat(Value))):  # checked in bulk; the loop only finds which
        k, p = next((k, p) for k, p in enumerate(params) if not isinstance(p, Value))
        raise TypeError(f"{what}: parameter {k} is {type(p).__name__}, not a Value")
    return params


def _real(k: int, v: object) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)) and not hasattr(v, "__float__"):
        raise TypeError(f"vector_to_parameters: number {k} is {type(v).__name__} {v!r:.40}, not a real number")
    if isinstance(v, complex):
        raise TypeError(f"vector_to_parameters: number {k} is complex {v!r}, not a real number")
    try:
        return float(v)
    except (TypeError, ValueError, OverflowError) as error:
        raise TypeError(f"vector_to_parameters: number {k} is not a real number ({error})") from None
