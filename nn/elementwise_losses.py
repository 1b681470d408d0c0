"""torch's element-by-element losses: MSE, L1, smooth L1, Huber, binary cross-entropy (on probabilities and
on logits), each with ``reduction=``.

``input`` and ``target`` are a number or Value, or equally shaped (nested)
lists of them, as torch's tensors of one shape. ``reduction='none'`` gives
the losses in the input's shape (a Value for a single number, else nested
lists of Values); 'mean' (the default) and 'sum' give one Value. Values and
gradients follow torch's formulas (float64: equal to about 1e-15).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Iterable, Mapping, Set
from typing import Any

from autograd import Value, apply
from autograd.helpers import BCE_LOG_FLOOR
from autograd.mean_loss_ops import (
    BCE_LOGITS_MEAN,
    BCE_LOGITS_MEAN_WEIGHTED,
    BCE_LOGITS_POS_MEAN,
    BCE_LOGITS_POS_MEAN_WEIGHTED,
    BCE_MEAN,
    BCE_MEAN_WEIGHTED,
    SMOOTH_L1_MEAN,
)
from autograd.op import Op
from autograd.ops import BCE, BCE_LOGITS, BCE_LOGITS_POS, HUBER, SMOOTH_L1

from .loss_weights import broadcast_to_input
from .numbers_in_messages import checked_float, short_repr, zero_dimensional_as_item
from .reduction import checked_reduction, reduced

#: A number, a Value, or (nested) lists of them: one loss argument, shaped as a tensor.
Nested = float | Value | list[Any] | tuple[Any, ...]

#: torch clamps binary cross-entropy's logarithms at -100, so a probability of exactly 0 or 1 gives a finite loss.
LOG_FLOOR = BCE_LOG_FLOOR


def _is_sequence(x: Any) -> bool:
    """Whether ``x`` holds entries: not a number, a Value, a string, a mapping, a set (no order to pair its
    entries by, as torch.tensor refuses one) or a 0-d array (one number: iterating it raises)."""
    kind = x.__class__
    if kind is list or kind is tuple or kind is float or kind is Value:  # the common cases, without the ABCs
        return kind is list or kind is tuple
    return (isinstance(x, Iterable) and not isinstance(x, (str, bytes, Mapping, Set, Value))
            and getattr(x, "ndim", 1) != 0)


def _refuse_text_and_sets(x: Any, what: str) -> None:
    """TypeError naming ``what`` for a str, bytes, mapping or set where a number or a list belongs: they were
    named as a shape mismatch ("one is a list, the other ..."), or a str compared as a number."""
    if x.__class__ is float or x.__class__ is Value:
        return
    if isinstance(x, (Set, str, bytes, Mapping)):
        why = ": a set has no order to pair its entries by" if isinstance(x, Set) else ""
        raise TypeError(f"{what} must be a number, a Value or (nested) lists of them, got {type(x).__name__} "
                        f"{short_repr(x)}{why}")


def _as_value(x: Any, what: str) -> Value:
    if isinstance(x, Value):
        return x
    return Value(checked_float(zero_dimensional_as_item(x), what))


def _elementwise(
    input: Nested, target: Nested, loss: Callable[[Value, Value], Any], names: tuple[str, str] = ("input", "target"),
) -> tuple[Any, list[Any]]:
    """``loss`` of every (input, target) pair, in the input's nesting, and the same losses as one flat list.

    ``names`` are the two arguments' names for messages ("target[1][0] must be finite, got nan").
    """
    flat: list[Any] = []
    first, second = names

    def walk(x: Any, y: Any, at: str) -> Any:
        x_is_sequence, y_is_sequence = _is_sequence(x), _is_sequence(y)
        if not x_is_sequence:
            _refuse_text_and_sets(x, f"{first}{at}")
        if not y_is_sequence:
            _refuse_text_and_sets(y, f"{second}{at}")
        if x_is_sequence != y_is_sequence:
            # The usual cause (trial 27): a Linear(n, 1) or MLP layer gives a one-element list per sample.
            one = x if x_is_sequence else y
            hint = ""
            if len(one) == 1 and x_is_sequence:
                hint = (f"; {first}{at} is a one-element list (a Linear(n, 1) returns one): take its [0] "
                        f"(model(x)[0]), or give each {second} as a one-element list too")
            elif len(one) == 1:
                hint = f"; {second}{at} is a one-element list: give it as the number itself, as {first}{at} is"
            raise ValueError(f"{first}{at} and {second}{at} differ in shape (one is a list, the other "
                             f"{short_repr(y if _is_sequence(x) else x)}); they must be equal (torch would "
                             f"broadcast them, warning that this likely gives wrong results){hint}")
        if not x_is_sequence:
            out = loss(_as_value(x, f"{first}{at}"), _as_value(y, f"{second}{at}"))
            flat.append(out)
            return out
        xs, ys = list(x), list(y)
        if len(xs) != len(ys):
            raise ValueError(f"{first}{at} has {len(xs)} entries but {second}{at} {len(ys)}: their shapes must be "
                             "equal")
        return [walk(a, b, f"{at}[{i}]") for i, (a, b) in enumerate(zip(xs, ys))]

    shaped = walk(input, target, "")
    return shaped, flat


def _loss(input: Nested, target: Nested, reduction: str, loss: Callable[[Value, Value], Value]) -> Any:
    reduction = checked_reduction(reduction)
    shaped, flat = _elementwise(input, target, loss)
    return shaped if reduction == "none" else reduced(flat, reduction)


def mse_loss(input: Nested, target: Nested, reduction: str = "mean") -> Any:
    """torch's ``F.mse_loss``: (input - target)^2, averaged ('mean'), summed, or per element ('none')."""
    return _loss(input, target, reduction, lambda x, y: (x - y) ** 2)


def l1_loss(input: Nested, target: Nested, reduction: str = "mean") -> Any:
    """torch's ``F.l1_loss``: |input - target| (gradient 0 where they are equal, as torch's sign)."""
    return _loss(input, target, reduction, lambda x, y: (x - y).abs())


def checked_delta(delta: Any) -> float:
    """Huber's ``delta`` as a float > 0 (+inf allowed: torch's loss is then d^2 / 2 everywhere), or torch's words.

    torch refuses 0, negative and NaN deltas ("does not support non-positive values for delta") when the loss is
    computed; `HuberLoss` checks at construction too, as its ``reduction``.
    """
    if isinstance(delta, bool) or not isinstance(zero_dimensional_as_item(delta), numbers.Real):
        raise TypeError(f"huber_loss delta must be a real number, got {type(delta).__name__} {short_repr(delta)}")
    try:
        value = float(zero_dimensional_as_item(delta))
    except OverflowError:
        raise ValueError(f"huber_loss delta: {short_repr(delta)} is too large for a float") from None
    if not value > 0.0:  # also NaN
        raise ValueError(f"huber_loss does not support non-positive values for delta, got {short_repr(value)}")
    return value


def checked_beta(beta: Any) -> float:
    """Smooth L1's ``beta`` as a finite float >= 0, or torch's words ("does not support negative values")."""
    value = checked_float(zero_dimensional_as_item(beta), "smooth_l1_loss beta")
    if value < 0.0:
        raise ValueError(f"smooth_l1_loss does not support negative values for beta, got {short_repr(value)}")
    return value


def huber_loss(input: Nested, target: Nested, reduction: str = "mean", delta: float = 1.0) -> Any:
    """torch's ``F.huber_loss``: d^2 / 2 where |d| < delta, else delta * (|d| - delta / 2), d = input - target."""
    delta = checked_delta(delta)

    def loss(x: Value, y: Value) -> Value:
        d = x - y
        if delta == math.inf:  # no linear part; an infinite delta cannot be a constant input
            return 0.5 * d * d
        # torch's kernel as one node (its gradient d, or delta sign(d), in one rounding); the branch is chosen
        # inside the op, so a recorded tape needs no comparison to re-check.
        return apply(HUBER, d, delta)

    return _loss(input, target, reduction, loss)


def smooth_l1_loss(input: Nested, target: Nested, reduction: str = "mean", beta: float = 1.0) -> Any:
    """torch's ``F.smooth_l1_loss``: d^2 / (2 beta) where |d| < beta, else |d| - beta / 2; beta = 0 is L1."""
    beta = checked_beta(beta)
    if beta == 0.0:
        return l1_loss(input, target, reduction)

    def loss(x: Value, y: Value) -> Value:
        return apply(SMOOTH_L1, x - y, beta)  # torch's kernel as one node: its gradient d / beta, one rounding

    if checked_reduction(reduction) == "mean":
        # One node, so that the last N mod 8 gradients are torch's scalar loop's (autograd.mean_loss_ops).
        _, differences = _elementwise(input, target, lambda x, y: x - y)
        if not differences:
            return reduced([], "mean")
        return apply(SMOOTH_L1_MEAN, *differences, beta)
    return _loss(input, target, reduction, loss)


def binary_cross_entropy(
    input: Nested, target: Nested, weight: Nested | None = None, reduction: str = "mean"
) -> Any:
    """torch's ``F.binary_cross_entropy``: -w (y log p + (1 - y) log(1 - p)) for probabilities p in [0, 1].

    One node per element (the op table's ``binary_cross_entropy``), with
    torch's formulas: each logarithm floored at -100 (p = 0 or 1 gives a
    finite loss), log1p(-p) for log(1 - p), and the gradient
    (p - y) / max(p (1 - p), 1e-12), one rounding from torch's last bit
    rather than the cancelling y / p - (1 - y) / (1 - p) of a graph of logs.
    A p or a target y outside [0, 1] is a ValueError (torch: RuntimeError, same words).
    ``weight`` (a rescaling per element: a number, or lists that torch's
    broadcasting spreads over ``input``'s shape) is optional.
    """
    def checked(p: Value, y: Value) -> tuple[Value, Value]:
        # The message names the number (1.5), not the Value's repr ("Value(data=1.5, grad=0)").
        if not (p >= 0.0 and p <= 1.0):
            raise ValueError(f"all elements of input should be between 0 and 1, got {short_repr(p.data)}")
        if not (y >= 0.0 and y <= 1.0):
            raise ValueError(f"all elements of target should be between 0 and 1, got {short_repr(y.data)}")
        return p, y

    def loss(p: Value, y: Value) -> Value:
        return apply(BCE, *checked(p, y))

    if checked_reduction(reduction) == "mean":
        return _mean_node(input, target, weight, checked, BCE_MEAN, BCE_MEAN_WEIGHTED)
    return _weighted(input, target, weight, reduction, loss)


def binary_cross_entropy_with_logits(
    input: Nested, target: Nested, weight: Nested | None = None, reduction: str = "mean",
    pos_weight: Nested | None = None,
) -> Any:
    """torch's ``F.binary_cross_entropy_with_logits``: sigmoid and binary cross-entropy in one stable formula.

    (1 - y) x - log_sigmoid(x) (1 + (pos_weight - 1) y), one node per element
    (the op table's ``binary_cross_entropy_with_logits`` and its
    ``_pos_weight`` twin) evaluated in torch's order, log_sigmoid as torch's
    min(x, 0) - log1p(exp(-|x|)) (no logit overflows, and a loss of 4e-18 at
    x = 40, y = 1 is not rounded to 0); the gradient is torch's formula
    ((pos_weight y + 1) - y) sigmoid(x) - pos_weight y, or sigmoid(x) - y,
    except where its subtraction cancels (see
    `autograd.helpers.bce_logits_input_grad`);
    ``pos_weight`` weighs the positive term (one number, or one per class:
    lists spread over ``input``'s shape by torch's broadcasting, so C numbers
    weigh the C columns of N rows), ``weight`` each element (likewise
    broadcast).
    """
    if pos_weight is None or not _is_sequence(pos_weight):
        positives: Any = None
        positive: Value | float = 1.0 if pos_weight is None else _weight_entry(pos_weight, "pos_weight")
    else:
        # One weight per element, read in the order `_elementwise` walks the input (depth first, as _flatten).
        positives = iter(_flatten_entries(broadcast_to_input(pos_weight, input, "pos_weight"), "pos_weight"))

    def loss(x: Value, y: Value) -> Value:
        if pos_weight is None:
            return apply(BCE_LOGITS, x, y)
        w = positive if positives is None else next(positives)
        return apply(BCE_LOGITS_POS, x, y, w)

    if checked_reduction(reduction) == "mean":
        if pos_weight is None:
            return _mean_node(input, target, weight, lambda x, y: (x, y), BCE_LOGITS_MEAN, BCE_LOGITS_MEAN_WEIGHTED)

        def group(x: Value, y: Value) -> tuple[Value | float, ...]:
            return x, y, positive if positives is None else next(positives)

        return _mean_node(input, target, weight, group, BCE_LOGITS_POS_MEAN, BCE_LOGITS_POS_MEAN_WEIGHTED)
    return _weighted(input, target, weight, reduction, loss)


def _mean_node(input: Nested, target: Nested, weight: Nested | None, group: Callable[[Value, Value], Any],
               plain: Op, weighted: Op) -> Value:
    """The 'mean' of a binary cross-entropy as one node of ``plain`` (or ``weighted``, with each element's weight
    last in its group) over every element's ``group(input, target)``: torch divides each element's gradient by
    the count last, which only one node for the whole loss can do (`autograd.mean_loss_ops`)."""
    _, groups = _elementwise(input, target, group)
    if not groups:
        return reduced([], "mean")  # the empty mean's error
    if weight is None:
        return apply(plain, *[x for g in groups for x in g])
    spread = broadcast_to_input(weight, input, "weight")
    _, weights = _elementwise(spread, input, lambda w, _: w, names=("weight", "input"))
    return apply(weighted, *[x for g, w in zip(groups, weights) for x in (*g, w)])


def _weighted(
    input: Nested, target: Nested, weight: Nested | None, reduction: str, loss: Callable[[Value, Value], Value]
) -> Any:
    """``loss`` per element, times ``weight`` (broadcast as torch's) when given, then reduced (a weighted mean
    is over the count)."""
    reduction = checked_reduction(reduction)
    shaped, flat = _elementwise(input, target, loss)
    if weight is not None:
        spread = broadcast_to_input(weight, input, "weight")
        weights, _ = _elementwise(spread, input, lambda w, _: w, names=("weight", "input"))
        shaped = _times(shaped, weights)
        flat = _flatten(shaped)
    return shaped if reduction == "none" else reduced(flat, reduction)


def _times(losses: Any, weights: Any) -> Any:
    if isinstance(losses, Value):
        return losses * weights
    return [_times(a, b) for a, b in zip(losses, weights)]


def _flatten(shaped: Any) -> list[Value]:
    if isinstance(shaped, Value):
        return [shaped]
    return [v for item in shaped for v in _flatten(item)]


def _weight_entry(w: Any, name: str) -> Value | float:
    """One weight: a Value as it is (its gradient then flows), else a finite number, or an error naming ``name``."""
    return w if isinstance(w, Value) else checked_float(zero_dimensional_as_item(w), name)


def _flatten_entries(shaped: Any, name: str) -> list[Value | float]:
    """The entries of nested lists, depth first, each checked by `_weight_entry`."""
    if not _is_sequence(shaped):
        return [_weight_entry(shaped, name)]
    return [w for item in shaped for w in _flatten_entries(item, name)]
