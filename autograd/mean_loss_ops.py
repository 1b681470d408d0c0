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

smooth_l1_loss's 'mean' is one node too, for another reason: torch's backward kernel (``cpu_kernel_vec``)
computes norm * (d / beta) in its vectorized loop, 8 elements (two vectors of 4 doubles) per step, and
(norm * d) / beta in its scalar loop over the last N mod 8 elements; the node's partials do the same by
position (per-element nodes could only give the first form: 6-30 of 1,740 gradients were up to 2 ulps off).

Rows are made by `mean_op` from one template per value and per partial, where
``{0}``, ``{1}`` ... are a group's inputs, ``{n}`` the element count and ``{norm}`` torch's 1 / N.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import cast

from . import torch_sum as _torch_sum  # noqa: F401 - registers the torch_mean helper the rows call
from .op import Interval, Op, input_names

#: Elements per step of torch's vectorized elementwise loop (``cpu_kernel_vec``: two vectors of 4 doubles); the
#: last N mod 8 go through its scalar loop. Measured on torch 2.13 with ATEN_CPU_CAPABILITY avx512, avx2, default.
TORCH_VECTOR_STEP = 8


def mean_op(name: str, symbol: str, value: str, partials: Sequence[str], domain: Sequence[Interval],
            reference: Callable[..., float], scalar_tail: Sequence[str] | None = None, shared: int = 0) -> Op:
    """An n-ary op: the mean (torch's order) of ``value`` over groups of ``len(partials)`` inputs, each partial
    ``partials[j]`` the derivative in a group's input j as torch computes it. ``scalar_tail``, if given, are the
    partials of the last N mod `TORCH_VECTOR_STEP` elements, where torch's kernel runs its scalar loop.
    ``shared`` trailing inputs are constants every group reads (``{s0}`` ...; smooth L1's beta), not
    differentiated; ``domain`` is one interval per input of a group, then one per shared input."""
    per = len(partials)

    def split(n: int) -> tuple[list[list[str]], dict[str, str]]:
        names = input_names(n)
        elements = n - shared
        return ([names[i:i + per] for i in range(0, elements, per)],
                {f"s{j}": names[elements + j] for j in range(shared)})

    def forward(n: int) -> str:
        groups, constants = split(n)
        return f"torch_mean({', '.join(value.format(*group, **constants) for group in groups)})"

    def derivatives(n: int) -> tuple[str, ...]:
        groups, constants = split(n)
        k = len(groups)
        count, norm = repr(float(k)), repr(1.0 / k)
        vectorized = k if scalar_tail is None else k - k % TORCH_VECTOR_STEP
        return tuple(template.format(*group, n=count, norm=norm, **constants) for i, group in enumerate(groups)
                     for template in (partials if i < vectorized else cast(Sequence[str], scalar_tail))
                     ) + ("0.0",) * shared

    return Op(name=name, symbol=symbol, forward=forward, derivatives=derivatives, domain=domain,
              reference=reference, inputs_per_term=per, constant_args=shared)


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

# smooth_l1 of the differences d = input - target, then beta (`ops.SMOOTH_L1`'s value), a constant every element
# reads; torch's gradient norm * (d / beta) in its vectorized loop, (norm * d) / beta in its scalar tail, and
# norm * sign(d) from |d| = beta on.
SMOOTH_L1_MEAN = mean_op(
    "smooth_l1_mean", "smoothL1 mean",
    "where_positive({s0} - abs({0}), 0.5 * {0} * {0} / {s0}, abs({0}) - 0.5 * {s0})",
    ("{norm} * where_positive({s0} - abs({0}), div({0}, {s0}), sign({0}))",),
    ((-0.9, 0.9), (1.0, 3.0)),
    lambda *xs: math.fsum(0.5 * d * d / xs[-1] if abs(d) < xs[-1] else abs(d) - 0.5 * xs[-1] for d in xs[:-1])
    / (len(xs) - 1),
    scalar_tail=("where_positive({s0} - abs({0}), div({norm} * {0}, {s0}), {norm} * sign({0}))",), shared=1)

#: The rows of this file, gathered into `autograd.ops.OPS`.
MEAN_LOSS_OPS = (BCE_MEAN, BCE_MEAN_WEIGHTED, BCE_LOGITS_MEAN, BCE_LOGITS_MEAN_WEIGHTED, BCE_LOGITS_POS_MEAN,
                 BCE_LOGITS_POS_MEAN_WEIGHTED, SMOOTH_L1_MEAN)
