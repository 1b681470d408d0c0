"""A reduction over a block's rows on one sample (a softmax's logsumexp of a layer's logits) as one array op.

In a vectorized tape (`codegen`) a layer's outputs are the rows of one numpy
vector. A node that reduces many of them to one number, such as the
``logsumexp`` of a cross-entropy, would otherwise read every row as a float
of its own: the vector unpacked into one name per row, the helper called with
them all, and one finiteness check per input. Here it is one call on the
rows' vector, with one check for all of them, and its result a plain float
the scalar lines around it use as before. (Its backward already runs on the
rows' vector: see `codegen._Writer._reduction_backward`.)

The array versions compute what the scalar helpers compute (the largest input
as logsumexp's shift, taken on every call), with numpy's summation order: the
result may differ from the float helper's in the last bits only.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

#: The op (by name) a one-sample vectorized tape reduces over a block's rows, and the function doing it.
ROW_REDUCTIONS: dict[str, str] = {"logsumexp": "rows_logsumexp", "sum": "rows_sum"}


def rows_logsumexp(x: Any) -> float:
    """log(sum_j exp(x_j)) of a finite vector, shifted by its largest entry (as `helpers.logsumexp_all`)."""
    m = float(x.max())
    return m + math.log(float(np.exp(x - m).sum()))


def rows_sum(x: Any) -> float:
    """The sum of a vector's entries, as a float."""
    return float(x.sum())


def row_tools() -> dict[str, object]:
    """The functions `ROW_REDUCTIONS` names, by name (for a vectorized tape's namespace)."""
    return {"rows_logsumexp": rows_logsumexp, "rows_sum": rows_sum}
