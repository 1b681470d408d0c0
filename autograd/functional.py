"""Helpers over lists of Values: n-ary sums and dot products, softmax and friends.

`sum_of` and `dot` each make one node with many parents, so a neuron's
weighted sum is one gate rather than a chain of hundreds of binary adds (a
shorter graph, a faster backward pass, a readable picture). The softmax family
rests on one table op, ``logsumexp``, shifted inside by the largest logit
whenever it is evaluated (eagerly or in a replayed tape), so logits of +-1000
neither overflow nor lose their gradient.
"""

from __future__ import annotations

from collections.abc import Sequence

from . import ops
from .value import _NARY_MAKERS, Value, apply, constant, nary_node_maker

Number = float | int
Operand = Value | Number


def sum_of(values: Sequence[Operand]) -> Value:
    """One node holding the sum of ``values`` (Values or numbers); 0 for an empty list."""
    values = list(values)
    if not values:
        return constant(0.0)
    if len(values) == 1:
        return constant(values[0]) if not isinstance(values[0], Value) else values[0]
    return apply(ops.SUM, *values)


_DOT_MAKERS = _NARY_MAKERS.setdefault(ops.DOT, {})  # dot's node maker per fan-in (`nary_node_maker`)


def dot(weights: Sequence[Operand], inputs: Sequence[Operand]) -> Value:
    """One node holding sum_i weights[i] * inputs[i]; the lists must have equal length.

    Plain numbers on either side become constants (as in ``x * 2.0``); anything else raises TypeError.
    """
    if weights.__class__ is not tuple and weights.__class__ is not list:
        weights = list(weights)
    if inputs.__class__ is not tuple and inputs.__class__ is not list:
        inputs = list(inputs)
    if len(weights) != len(inputs):
        raise ValueError(f"dot: lengths differ ({len(weights)} weights, {len(inputs)} inputs)")
    if not weights:
        return constant(0.0)
    # The hot path of every neuron: when every operand is a Value (a layer's weights and the previous
    # layer's outputs) the node is made from their data with no per-operand type test; only if some operand
    # has no data slot (a plain number, or something that is no number) is each one converted or refused.
    parents = (*weights, *inputs)
    n = len(parents)
    make = _DOT_MAKERS.get(n) or nary_node_maker(ops.DOT, n)
    if parents[-1].__class__ is not Value:
        # A bias input written as a plain 1.0 at the end (``[*h, 1.0]``) would make the fast path fail at its
        # last operand, after doing nearly all of its work: that one operand is converted first (its cached
        # constant), rather than testing every operand's class; any other plain number still fails below.
        parents = (*parents[:-1], constant(parents[-1], ops.DOT))
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


def _logits(logits: Sequence[Operand], who: str) -> list[Value]:
    values = [x if isinstance(x, Value) else constant(x) for x in logits]
    if not values:
        raise ValueError(f"{who}: needs at least one logit")
    return values


def logsumexp(logits: Sequence[Operand]) -> Value:
    """log(sum_j exp(z_j)) as one node, computed as m + log(sum_j exp(z_j - m)) with m = max z.

    The shift m is found from the inputs each time the op is evaluated, so a
    replayed tape shifts by the logits it meets, not by those it was recorded
    with. The gradient is softmax(z) (exp(z_i - out) per input).
    """
    return apply(ops.LOGSUMEXP, *_logits(logits, "logsumexp"))


def log_softmax(logits: Sequence[Operand]) -> list[Value]:
    """log(softmax(z))_i = z_i - logsumexp(z), stable for any finite logits."""
    return _log_softmax(logits, "log_softmax")


def _log_softmax(logits: Sequence[Operand], who: str) -> list[Value]:
    z = _logits(logits, who)
    lse = logsumexp(z)
    return [v - lse for v in z]


def softmax(logits: Sequence[Operand]) -> list[Value]:
    """exp(z_i - logsumexp(z)): no exp overflows, and the shift is the logits' own, wherever evaluated."""
    return [v.exp() for v in _log_softmax(logits, "softmax")]
