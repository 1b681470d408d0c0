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
unvectorized tape; so is a sum, added left to right.
"""

from __future__ import annotations

import math
from typing import Any

from ..helpers import add_all, logsumexp_all

#: The op (by name) a one-sample vectorized tape reduces over a block's rows, and the function doing it. An op
#: that can hide a non-finite input (not in `codegen.PROPAGATES_NON_FINITE`) gets a function returning NaN
#: for one, so that a check of its result alone refuses it.
ROW_REDUCTIONS: dict[str, str] = {"logsumexp": "rows_logsumexp", "sum": "rows_sum"}


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


def row_tools() -> dict[str, object]:
    """The functions `ROW_REDUCTIONS` names, by name (for a vectorized tape's namespace)."""
    return {"rows_logsumexp": rows_logsumexp, "rows_sum": rows_sum}
