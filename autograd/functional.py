"""Helpers over lists of Values: n-ary sums and dot products, softmax and friends.

`sum_of` and `dot` each make one node with many parents, so a neuron's
weighted sum is one gate rather than a chain of hundreds of binary adds (a
shorter graph, a faster backward pass, a readable picture). The softmax family
computes as torch does: the largest logit m is a node of the graph (one
``largest`` node over the row, torch's amax), so it is found again whenever the graph is evaluated
(eagerly or in a replayed tape), and log_softmax is ``(z_i - m) - log(s)``
with ``log(s)`` the ``logsumexp`` node of the differences (whose own inner
shift is then exactly 0): logits of +-1000 neither overflow nor lose their
gradient, and the last digits are torch's.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

from . import ops
from .shown import short_repr
from .value import _CONSTANTS, _NARY_MAKERS, Value, _binary, apply, constant, nary_node_maker

Number = float | int
Operand = Value | Number


def sum_of(values: Sequence[Operand]) -> Value:
    """One node holding the sum of ``values`` (Values or numbers); 0 for an empty list."""
    values = _sequence(values, "sum_of")
    if not values:
        return constant(0.0)
    return apply(ops.SUM, *values)


_DOT_MAKERS = _NARY_MAKERS.setdefault(ops.DOT, {})  # dot's node maker per fan-in (`nary_node_maker`)


def dot(weights: Sequence[Operand], inputs: Sequence[Operand]) -> Value:
    """One node holding sum_i weights[i] * inputs[i]; the lists must have equal length.

    Plain numbers on either side become constants (as in ``x * 2.0``); anything else raises TypeError.
    """
    if weights.__class__ is not tuple and weights.__class__ is not list:
        weights = _sequence(weights, "dot: weights")
    if inputs.__class__ is not tuple and inputs.__class__ is not list:
        inputs = _sequence(inputs, "dot: inputs")
    if len(weights) != len(inputs):
        raise ValueError(f"dot: lengths differ ({len(weights)} weights, {len(inputs)} inputs)")
    if not weights:
        return constant(0.0)
    # The hot path of every neuron: when every operand is a Value (a layer's weights and the previous
    # layer's outputs) the node is made from their data with no per-operand type test; only if some operand
    # has no data slot (a plain number, or something that is no number) is each one converted or refused.
    last = inputs[-1]
    if last.__class__ is not Value:
        # A bias input written as a plain 1.0 at the end (``[*h, 1.0]``) would make the fast path fail at its
        # last operand, after doing nearly all of its work: that one operand is converted first (its cached
        # constant), rather than testing every operand's class; any other plain number still fails below.
        # Converted before the operands are joined: joining, then replacing the last, copied them twice.
        # `constant`'s own cache read here for a plain float (a call fewer per neuron: issue 12 goal 1).
        cached = _CONSTANTS.get(last) if last.__class__ is float else None
        parents = (*weights, *inputs[:-1], cached if cached is not None else constant(last, ops.DOT))
    else:
        parents = (*weights, *inputs)
    n = len(parents)
    make = _DOT_MAKERS.get(n) or nary_node_maker(ops.DOT, n)
    try:
        return make(parents)
    except AttributeError:
        # Some operand is a plain number (a bias's 1.0) or no number: convert each (constants; a TypeError or
        # ValueError naming dot for the rest) in one comprehension, without `apply`'s per-operand generator.
        return make(tuple([p if p.__class__ is Value else constant(p, ops.DOT) for p in parents]))


def dot_joined(operands: tuple[Operand, ...]) -> Value:
    """The node ``dot(operands[:n], operands[n:])`` makes, for the weights and the inputs already joined in one
    tuple of even length 2n (a layer builds ``(b, *w, *inputs)`` once per neuron instead of two tuples that
    `dot` joins again). Plain numbers become constants and anything else raises, as in `dot`."""
    n = len(operands)
    if n & 1:
        raise ValueError(f"dot: {n} operands cannot be split into equal weights and inputs")
    if not n:
        return constant(0.0)
    make = _DOT_MAKERS.get(n) or nary_node_maker(ops.DOT, n)
    try:
        return make(operands)  # type: ignore[arg-type]  # a plain number raises AttributeError: see `dot`
    except AttributeError:
        return make(tuple([p if p.__class__ is Value else constant(p, ops.DOT) for p in operands]))


def dot_inputs(xs: Sequence[Operand]) -> tuple[Value, ...]:
    """``xs`` as operands of `dot`: Values as they are, plain numbers as constants; TypeError for anything else.

    A layer converts its inputs once with it, rather than every neuron's `dot` converting them again.
    """
    return tuple(x if x.__class__ is Value else constant(x, ops.DOT) for x in xs)


def _sequence(items: Any, who: str) -> list[Any]:
    """``items`` as a list, or a TypeError naming ``who`` for what is no sequence (None, a number, a lone Value)."""
    if isinstance(items, (Value, str, bytes)) or not isinstance(items, Iterable) or getattr(items, "ndim", 1) == 0:
        # a lone Value or number is not a row of one (torch's 0-d tensor has no dim to reduce along); nor is a
        # 0-d numpy array, iterable by type but failing with "iteration over a 0-d array"
        raise TypeError(f"{who} needs a sequence of numbers or Values, got {type(items).__name__} "
                        f"{short_repr(items)}")
    return list(items)


def _logits(logits: Sequence[Operand], who: str) -> list[Value]:
    values = [x if isinstance(x, Value) else constant(x) for x in _sequence(logits, who)]
    if not values:
        raise ValueError(f"{who}: needs at least one logit")
    return values


def logsumexp(logits: Sequence[Operand]) -> Value:
    """log(sum_j exp(z_j)) as one node, computed as m + log1p(sum of exp(z_j - m) over the other j), m = max z.

    The shift m is found from the inputs each time the op is evaluated, so a
    replayed tape shifts by the logits it meets, not by those it was recorded
    with. The gradient is softmax(z) (exp(z_i - out) per input).
    """
    return apply(ops.LOGSUMEXP, *_logits(logits, "logsumexp"))


def maximum(a: Operand, b: Operand) -> Value:
    """The larger of ``a`` and ``b`` as a node, as ``torch.maximum``: the gradient goes to the larger input,
    and half to each on a tie."""
    return apply(ops.MAXIMUM, a, b)


def largest(values: Sequence[Operand]) -> Value:
    """The largest of ``values`` as one node (torch's ``amax`` over a row): the op table's ``largest``.

    Its gradient goes to the largest input, split evenly on a tie as ``amax`` splits it. One value is returned
    as it is (a number as a constant): the largest of one needs no node.
    """
    values = _sequence(values, "largest")
    if not values:
        raise ValueError("largest: needs at least one value")
    level = _logits(values, "largest")
    if len(level) == 1:
        return level[0]
    return apply(ops.LARGEST, *level)


#: Half the largest float: z_j - m is below the float range (it rounds to -inf) exactly when z_j / 2 - m / 2,
#: which never overflows, is below minus this.
_HALF_MAX = 8.988465674311579e307


def shifted_logits(logits: Sequence[Operand], who: str = "shifted_logits") -> tuple[list[Value | None], Value]:
    """The logits less their largest, d_i = z_i - m (each <= 0, the largest exactly 0), and ``log(s)`` with
    s = sum_j exp(d_j): log_softmax is then ``d_i - log(s)``, torch's own order of operations.

    m is a node (`largest`), so a replayed tape shifts by the logits it meets; ``log(s)`` is the `logsumexp` of
    the differences (its inner shift, their largest, is exactly 0, so its value is log(s) rounded once). Each
    difference is a `shift` node, d_i = z_i - m with m not differentiated (the op table's ``shift``): the row's
    results do not depend on m, and torch's backward has no term for it, so each logit's gradient is its
    difference's, torch's ``g_i - exp(log_softmax_i) * sum(g)``. (As a ``sub`` node m collected minus the sum of
    the differences' gradients, 0 up to rounding, and gave it to the largest logit.)

    A difference below the float range (z_i = -1e308 beside m = 1e308) is None: its exp is exactly 0 in
    float, so ``log(s)`` is the same number without it, and softmax_i is 0, as torch's. That choice is a
    comparison of Values (z_i / 2 - m / 2 against half the largest float), so a tape recorded there
    (`autograd.replay`) checks it again on every run.
    """
    differences = _differences(logits, who)
    return differences, logsumexp([d for d in differences if d is not None])


def _differences(logits: Sequence[Operand], who: str, shift: Any = ops.SHIFT) -> list[Value | None]:
    """z_i - m for each logit as nodes of ``shift`` (see `shifted_logits`), None where it is below the float range.

    `softmax` passes ``sub``: there m's gradient, minus the sum of the others', makes the row's gradients sum to
    0 as the true ones do, which its cancelling terms otherwise lose (bench/precision_sweep.py, softmax of a
    weighted sum: 3.0 ulps mean with it, 7.3 without; torch's 10.2).
    """
    z = _logits(logits, who)
    m = largest(z)
    top = m.data
    return [None if v.data - top == -math.inf and v * 0.5 - m * 0.5 < -_HALF_MAX else _binary(shift, v, m)
            for v in z]


def _below_range(who: str, index: int) -> OverflowError:
    return OverflowError(f"{who}: log-probability {index} is below the float range (its logit is more than "
                         f"1.8e308 under the largest; torch gives -inf)")


def log_softmax(logits: Sequence[Operand]) -> list[Value]:
    """log(softmax(z))_i = (z_i - m) - log(sum_j exp(z_j - m)), m = max z: torch's formula, stable for any
    finite logits (a rounding of ``m + log(s)`` cost log_softmax near 0 its last digits). A log-probability
    below the float range (a logit more than 1.8e308 under the largest) is an OverflowError naming it
    (torch: -inf)."""
    differences, log_sum = shifted_logits(logits, "log_softmax")
    out = []
    for i, d in enumerate(differences):
        if d is None:
            raise _below_range("log_softmax", i)
        out.append(d - log_sum)
    return out


def softmax(logits: Sequence[Operand]) -> list[Value]:
    """exp(z_i - m) / sum_j exp(z_j - m), m = max z (a node, so the logits' own wherever evaluated): torch's
    formula; no exp overflows, and a difference below the float range gives 0 (as torch's [1, 0] for
    [1e308, -1e308]). Its gradient is more accurate than torch's own backward (which subtracts
    sum_j g_j p_j from g_i, cancelling)."""
    differences = _differences(logits, "softmax", ops.SUB)
    exps = [d.exp() if d is not None else constant(0.0) for d in differences]
    total = sum_of([e for d, e in zip(differences, exps) if d is not None])
    return [e / total for e in exps]
