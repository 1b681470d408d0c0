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


#: The most node visits `hessian` sets out on by default (its ``max_work``): at about a microsecond each in
#: Python (measured: 3,000 inputs of tanh(sum x), 2.7e7 visits, 20 s), some minutes.
MAX_HESSIAN_WORK = 3e8


def hessian(f: Callable[..., Value], inputs: Sequence[float | Value], *,
            max_work: float = MAX_HESSIAN_WORK) -> list[list[float]]:
    """The matrix H[i][j] = d2 f / (d input_i d input_j) at ``inputs`` (numbers, or Values whose data is used).

    One gradient graph, then one backward pass through it per input: n + 1 passes for n inputs.
    An input f does not depend on has a zero row and column. Before the n passes, a few of the gradient
    graphs they walk are counted: when n passes over graphs that size (and n entries a pass) would pass
    ``max_work`` node visits (`MAX_HESSIAN_WORK`, some minutes; ``math.inf`` for no limit) it is a ValueError
    naming the estimate (`hvp` gives H v in one pass). An n x n matrix past memory is a MemoryError.
    """
    _check_max_work(max_work)
    leaves, out = _leaves(f, inputs, "hessian")
    n = len(leaves)
    _refuse_past_memory(n)
    first = grad(out, leaves, create_graph=True, allow_unused=True)
    sample = sorted({0, n // 2, n - 1})
    sizes = [graph_size(first[i]) for i in sample]
    work = work_estimate(n, sizes)
    if work > max_work:
        raise ValueError(f"hessian: {n:,} inputs need {n:,} backward passes through gradient graphs of about "
                         f"{round(sum(sizes) / len(sizes)):,} nodes and edges each: about {work:.2g} node visits, "
                         f"over max_work={max_work:.3g} (some minutes at a microsecond a visit); hvp gives H v in "
                         "one pass, or pass a larger max_work (math.inf: no limit) to run it anyway")
    return [[g.data for g in grad(g_i, leaves, allow_unused=True)] for g_i in first]


def _check_max_work(max_work: object) -> None:
    """TypeError unless ``max_work`` is a real number (not a bool or str), ValueError unless it is > 0."""
    if isinstance(max_work, bool) or not isinstance(max_work, (int, float)):
        raise TypeError(f"hessian: max_work must be a number of node visits, got {type(max_work).__name__} "
                        f"{_short_repr(max_work)}")
    if not max_work > 0:  # also NaN
        raise ValueError(f"hessian: max_work must be > 0 (math.inf: no limit), got {_short_repr(max_work)}")


def graph_size(root: Value) -> int:
    """Nodes plus edges of the graph behind ``root``: what a backward pass from it walks."""
    seen: set[int] = set()
    stack = [root]
    size = 0
    while stack:
        v = stack.pop()
        if id(v) in seen:
            continue
        seen.add(id(v))
        parents = v.parents
        size += 1 + len(parents)
        stack.extend(parents)
    return size


def work_estimate(n: int, sizes: Sequence[int]) -> float:
    """Node visits of `hessian`'s n passes: each walks a gradient graph (of about the mean of ``sizes``) and
    makes a row of n entries (the row alone dominates when f is simple: a pass per input over n inputs)."""
    return float(n) * (sum(sizes) / max(len(sizes), 1) + n)


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
