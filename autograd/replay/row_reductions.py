"""A reduction over a block's rows on one sample (a softmax's logsumexp of a layer's logits) as one array op.

In a vectorized tape (`codegen`) a layer's outputs are the rows of one numpy
vector. A node that reduces many of them to one number, such as the
``logsumexp`` of a cross-entropy, would otherwise read every row as a float
of its own: the vector unpacked into one name per row, the helper called with
them all, and one finiteness check per input. Here it is one call on the
rows' vector, with one finiteness check (of its result, NaN when a row is not
finite), and its result a plain float the scalar lines around it use as
before. (Its backward already runs on the
rows' vector: see `codegen._Writer._reduction_backward`.)

The logsumexp is the scalar helper itself, called on the rows' floats (the
largest input as its shift, taken on every call): the same bits as the
unvectorized tape; so is a sum, added left to right. The largest row (the
softmax family's shift, a ``largest`` node over a layer's logits in the
graph: `autograd.functional.largest`) is one call too, `rows_largest`, and
its gradient one array, `rows_amax_grad`, split evenly on a tie as torch.amax
splits it; a balanced tree of ``maximum`` nodes over the rows (`blocks.largest_trees`)
is the same call, its gradient `rows_largest_grad`, split on a tie as that
tree splits it.
"""

from __future__ import annotations

import math
from typing import Any

from ..helpers import add_all, logsumexp_all, max_share

#: The op (by name) a one-sample vectorized tape reduces over a block's rows, and the function doing it. An op
#: that can hide a non-finite input (its row's ``propagates_non_finite`` False) gets a function returning NaN
#: for one, so that a check of its result alone refuses it.
ROW_REDUCTIONS: dict[str, str] = {"logsumexp": "rows_logsumexp", "sum": "rows_sum", "largest": "rows_largest"}

#: The reductions whose gradient to the rows is one call too (its partials read every input, which
#: `codegen._Writer._reduction_backward` does not paste as one array expression).
ROW_GRADIENTS: dict[str, str] = {"largest": "rows_amax_grad"}


def rows_logsumexp(x: Any) -> float:
    """log(sum_j exp(x_j)) of a vector: the scalar helper on its floats (for a few dozen rows faster than
    numpy's reductions, and the same bits as the unvectorized tape); NaN if an entry is not finite.

    The logsumexp of finite numbers is finite, so generated code checks the result alone (``v - v``) and
    names the op: one test instead of one per row. (A plain sum of the rows finds a non-finite entry at
    C speed; only a sum that overflowed from finite entries needs the entry-by-entry look.)
    """
    xs = x.tolist()
    total = sum(xs)
    if total - total and not all(map(math.isfinite, xs)):
        return math.nan
    return logsumexp_all(*xs)


def rows_sum(x: Any) -> float:
    """The sum of a vector's entries, left to right: the scalar helper on its floats."""
    return add_all(*x.tolist())


def rows_largest(x: Any) -> float:
    """The largest entry of a vector, the value of a ``largest`` node over it (`autograd.functional.largest`) or
    of a balanced tree of ``maximum`` nodes over it; NaN if an entry is not finite (as `rows_logsumexp`:
    generated code checks the result alone).

    On finite floats both return the first of the largest entries (each ``maximum`` keeps its left input on
    a tie; so does the ``largest_all`` helper), which is what builtin ``max`` returns: the same bits, -0.0
    against 0.0 included.
    """
    xs = x.tolist()
    total = sum(xs)
    if total - total and not all(map(math.isfinite, xs)):
        return math.nan
    return max(xs)


def rows_largest_grad(x: Any, g: float) -> Any:
    """The gradient ``g`` of `rows_largest` as one array over the entries: all of it to the largest entry, or,
    on a tie, shared as the tree of ``maximum`` nodes shares it (half to each side of a tied node)."""
    import numpy as np  # here, not at the top: codegen reads this module's table on machines without numpy

    xs = x.tolist()
    top = max(xs)
    out = np.zeros(len(xs))
    if xs.count(top) == 1:
        out[xs.index(top)] = g
        return out
    levels = [xs]  # the tree's values, level by level, paired as `largest` pairs them
    while len(levels[-1]) > 1:
        level = levels[-1]
        paired = [level[i] if level[i] >= level[i + 1] else level[i + 1] for i in range(0, len(level) - 1, 2)]
        levels.append(paired + level[-1:] if len(level) % 2 else paired)
    shares = [g]
    for level in reversed(levels[:-1]):
        below: list[float] = []
        for i, share in enumerate(shares):
            if 2 * i + 1 < len(level):
                a, b = level[2 * i], level[2 * i + 1]
                below += [share * max_share(a, b), share * max_share(b, a)]
            else:  # the odd one out, carried up unpaired
                below.append(share)
        shares = below
    out[:] = shares
    return out


def rows_amax_grad(x: Any, g: float) -> Any:
    """The gradient ``g`` of a ``largest`` node (torch.amax) over a vector's entries as one array: all of it to
    the largest entry, or ``g * (1 / k)`` to each of k tied ones, as the op's derivative `amax_share` gives."""
    import numpy as np  # here, not at the top: see `rows_largest_grad`

    xs = x.tolist()
    top = max(xs)
    out = np.zeros(len(xs))
    ties = xs.count(top)
    if ties == 1:
        out[xs.index(top)] = g
        return out
    share = g * (1.0 / ties)
    for i, v in enumerate(xs):
        if v == top:
            out[i] = share
    return out


def row_tools() -> dict[str, object]:
    """The functions `ROW_REDUCTIONS` names, and `rows_largest` with its gradient, by name (for a vectorized
    tape's namespace)."""
    return {"rows_logsumexp": rows_logsumexp, "rows_sum": rows_sum, "rows_largest": rows_largest,
            "rows_largest_grad": rows_largest_grad, "rows_amax_grad": rows_amax_grad}
