"""Binary cross-entropy losses with ``reduction='mean'`` as one node each, for torch's gradient bits.

torch 2.13's backward of these losses (``binary_cross_entropy_backward``, and
``binary_cross_entropy_with_logits_backward`` in FunctionsManual.cpp) computes
each element's gradient with the upstream gradient, times its ``weight``, and
divides by the element count *last*: fl(fl(e w) / N). A graph of per-element
nodes, a sum and a division by N gives each element fl(1 / N) times the
rest instead, which no local derivative can turn into a division: one
rounding apart unless N is a power of two (1,534 of 4,580 gradients at 7
sizes). So each mean is one n-ary node over all the elements' inputs, in groups
(probability or logit, target, [pos_weight], [weight]): its value is torch's,
the elements' losses (times their weights) added in ``Tensor.sum``'s order over N
(`torch_mean`); its partials are torch's per-element formulas over N, so with
the usual upstream gradient 1 every gradient is torch's to the bit (another
upstream g multiplies last here, first in torch: a rounding apart).

Rows are made by `mean_op` from one template per value and per partial, where
``{0}``, ``{1}`` ... are a group's inputs and ``{n}`` the element count.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from . import torch_sum as _torch_sum  # noqa: F401 - registers the torch_mean helper the rows call
from .op import Interval, Op, input_names


def mean_op(name: str, symbol: str, value: str, partials: Sequence[str], domain: Sequence[Interval],
            reference: Callable[..., float]) -> Op:
    """An n-ary op: the mean (torch's order) of ``value`` over groups of ``len(partials)`` inputs, each partial
    ``partials[j]`` the derivative in a group's input j as torch computes it, divided by the count last."""
    per = len(partials)

    def groups(n: int) -> list[list[str]]:
        names = input_names(n)
        return [names[i:i + per] for i in range(0, n, per)]

    def forward(n: int) -> str:
        return f"torch_mean({', '.join(value.format(*group) for group in groups(n))})"

    def derivatives(n: int) -> tuple[str, ...]:
        count = repr(float(n // per))
        return tuple(template.format(*group, n=count) for group in groups(n) for template in partials)

    return Op(name=name, symbol=symbol, forward=forward, derivatives=derivatives, domain=domain,
              reference=reference, inputs_per_term=per)


def _mean_of(term: Callable[..., float], per: int) -> Callable[..., float]:
    """An independent reference: the exact mean (fsum) of ``term`` over the groups."""
    def reference(*xs: float) -> float:
        return math.fsum(term(*xs[i:i + per]) for i in range(0, len(xs), per)) / (len(xs) // per)
    return reference


def _bce(p: float, y: float) -> float:
    return -(y * math.log(p) + (1.0 - y) * math.log(1.0 - p))


def _bce_logits(x: float, y: float, w: float = 1.0) -> float:
    return (1.0 - y) * x + ((w - 1.0) * y + 1.0) * math.log(1.0 + math.exp(-x))


_UNIT = (0.05, 0.95)  # probabilities and targets; logits and weights drawn from it too in the op-table tests

# torch's input gradient (p - y) / max(p (1 - p), eps), target gradient -logit(p), times the weight, over N.
BCE_MEAN = mean_op("binary_cross_entropy_mean", "BCE mean", "bce({0}, {1})",
                   ("div(bce_input_grad({0}, {1}), {n})", "div(bce_target_grad({0}), {n})"),
                   (_UNIT, _UNIT), _mean_of(_bce, 2))
BCE_MEAN_WEIGHTED = mean_op(
    "binary_cross_entropy_mean_weighted", "BCE mean", "bce({0}, {1}) * {2}",
    ("div(bce_input_grad({0}, {1}) * {2}, {n})", "div(bce_target_grad({0}) * {2}, {n})", "div(bce({0}, {1}), {n})"),
    (_UNIT, _UNIT, _UNIT), _mean_of(lambda p, y, w: _bce(p, y) * w, 3))
# Logits: torch's sigmoid(x) - y (see `helpers.bce_logits_input_grad`), target gradient -x; with pos_weight w
# ((w y + 1) - y) sigmoid(x) - w y and log_sigmoid(-x) - w log_sigmoid(x), and here a gradient for w too.
BCE_LOGITS_MEAN = mean_op("binary_cross_entropy_with_logits_mean", "BCEwL mean", "bce_logits({0}, {1})",
                          ("div(bce_logits_input_grad({0}, {1}), {n})", "div(-{0}, {n})"),
                          (_UNIT, _UNIT), _mean_of(_bce_logits, 2))
BCE_LOGITS_MEAN_WEIGHTED = mean_op(
    "binary_cross_entropy_with_logits_mean_weighted", "BCEwL mean", "bce_logits({0}, {1}) * {2}",
    ("div(bce_logits_input_grad({0}, {1}) * {2}, {n})", "div(-{0} * {2}, {n})", "div(bce_logits({0}, {1}), {n})"),
    (_UNIT, _UNIT, _UNIT), _mean_of(lambda x, y, w: _bce_logits(x, y) * w, 3))
BCE_LOGITS_POS_MEAN = mean_op(
    "binary_cross_entropy_with_logits_pos_weight_mean", "BCEwL mean", "bce_logits_pos({0}, {1}, {2})",
    ("div(bce_logits_pos_input_grad({0}, {1}, {2}), {n})", "div(bce_logits_pos_target_grad({0}, {2}), {n})",
     "div(-({1} * log_sigmoid({0})), {n})"),
    (_UNIT, _UNIT, _UNIT), _mean_of(_bce_logits, 3))
BCE_LOGITS_POS_MEAN_WEIGHTED = mean_op(
    "binary_cross_entropy_with_logits_pos_weight_mean_weighted", "BCEwL mean", "bce_logits_pos({0}, {1}, {2}) * {3}",
    ("div(bce_logits_pos_input_grad({0}, {1}, {2}) * {3}, {n})",
     "div(bce_logits_pos_target_grad({0}, {2}) * {3}, {n})", "div(-({1} * log_sigmoid({0})) * {3}, {n})",
     "div(bce_logits_pos({0}, {1}, {2}), {n})"),
    (_UNIT, _UNIT, _UNIT, _UNIT), _mean_of(lambda x, y, pw, w: _bce_logits(x, y, pw) * w, 4))

#: The rows of this file, gathered into `autograd.ops.OPS`.
MEAN_LOSS_OPS = (BCE_MEAN, BCE_MEAN_WEIGHTED, BCE_LOGITS_MEAN, BCE_LOGITS_MEAN_WEIGHTED, BCE_LOGITS_POS_MEAN,
                 BCE_LOGITS_POS_MEAN_WEIGHTED)
