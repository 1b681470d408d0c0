"""Second derivatives of a scalar function of a few inputs: `hessian` and `hvp` (Hessian-vector product).

Both differentiate the gradient graph that `grad(..., create_graph=True)`
builds, as ``torch.autograd.functional.hessian`` / ``hvp`` do. ``f`` takes one
`Value` per input (positionally) and returns a Value, as in `gradcheck`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence

from .functional import dot
from .gradcheck import point_of
from .higher_order import grad
from .value import Value, _as_real, _short_repr


def _leaves(f: Callable[..., Value], inputs: Sequence[float | Value], what: str) -> tuple[list[Value], Value]:
    # Each entry checked as gradcheck checks its point, so a NaN or a string names the input it came in.
    point = point_of(what, inputs)
    leaves = [Value(x, label=f"x{i}") for i, x in enumerate(point)]
    if not leaves:
        raise ValueError(f"{what}: needs at least one input")
    out = f(*leaves)
    if not isinstance(out, Value):
        raise TypeError(f"{what}: f must return a Value, got {type(out).__name__}")
    return leaves, out


def hessian(f: Callable[..., Value], inputs: Sequence[float | Value]) -> list[list[float]]:
    """The matrix H[i][j] = d2 f / (d input_i d input_j) at ``inputs`` (numbers, or Values whose data is used).

    One gradient graph, then one backward pass through it per input: n + 1 passes for n inputs.
    An input f does not depend on has a zero row and column.
    """
    leaves, out = _leaves(f, inputs, "hessian")
    _refuse_past_memory(len(leaves))
    first = grad(out, leaves, create_graph=True, allow_unused=True)
    return [[g.data for g in grad(g_i, leaves, allow_unused=True)] for g_i in first]


#: What one entry of the returned matrix costs: a float (24 bytes) and its place in a row's list (8).
_BYTES_PER_ENTRY = 32


def _refuse_past_memory(n: int) -> None:
    """MemoryError, before any pass, for an n x n matrix larger than the machine's memory.

    ``hessian(f, [0.0] * 100_000)`` would run 100,001 backward passes and fill rows until the operating system
    stopped the process, hours later; torch's allocator refuses such a matrix at once, naming its size.
    """
    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):
        return  # the platform does not say
    if n * n * _BYTES_PER_ENTRY > memory:
        raise MemoryError(f"hessian: {n:,} inputs make a {n:,} x {n:,} matrix, about "
                          f"{n * n * _BYTES_PER_ENTRY / 2**30:,.0f} GiB: more than this machine's "
                          f"{memory / 2**30:,.0f} GiB of memory (hvp gives H v without forming H)")


def hvp(
    f: Callable[..., Value], inputs: Sequence[float | Value], vector: Sequence[float]
) -> tuple[float, list[float]]:
    """``(f(inputs), H v)``, the Hessian of f at ``inputs`` times ``vector``, without forming H.

    d/dx (grad f(x) . v) = H v: one gradient graph and one backward pass through it, whatever
    the number of inputs (as ``torch.autograd.functional.hvp``, which also returns the value).
    """
    leaves, out = _leaves(f, inputs, "hvp")
    try:  # None, a number or a 0-d array failed inside as "object is not iterable"
        if isinstance(vector, (str, bytes, Value, dict, set, frozenset)):
            raise TypeError
        entries = list(vector)
    except TypeError:
        raise TypeError(f"hvp: vector must be a sequence of numbers (one per input), got {type(vector).__name__} "
                        f"{_short_repr(vector)}") from None
    v = [_as_real(c, f"hvp: vector entry {i}") for i, c in enumerate(entries)]  # not float(): "1.5" is no number
    if len(v) != len(leaves):
        raise ValueError(f"hvp: vector has {len(v)} entries for {len(leaves)} inputs")
    first = grad(out, leaves, create_graph=True, allow_unused=True)
    directional = dot(first, v)
    if not isinstance(directional, Value) or directional.is_leaf:
        return out.data, [0.0] * len(leaves)  # the gradient does not depend on the inputs: H = 0
    return out.data, [g.data for g in grad(directional, leaves, allow_unused=True)]


__all__ = ["hessian", "hvp"]
