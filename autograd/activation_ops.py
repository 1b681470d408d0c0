"""Rows of the op table for torch's activations: GELU (exact and tanh), SiLU, LeakyReLU, ELU, Softplus, Hardtanh.

Each value and derivative is torch 2.13's CPU kernel formula (ATen's GeluKernel, silu_backward,
leaky_relu_backward, elu_backward, softplus_backward, hardtanh_backward), written with the same
operations in the same order, so values and gradients come out equal to torch's, or a last bit apart
where a libm function (erf, tanh, exp) rounds differently from torch's vectorized one. torch's branches
(``x > 0 ? x : x * slope``) are written without a conditional, as sums of terms multiplied by ``step``
(1 or 0, exactly), or, where such a sum would lose the sign of a zero result (softplus), as the helper
``where_positive(c, a, b)`` (a where c > 0, else b), so the very same text runs on numpy arrays in batch
replay. The slope, alpha, beta, threshold and bounds are constant inputs (``constant_args``), drawn as constants.

Where torch's formula divides by an exponential that overflows (SiLU below -709.782712893384, the last
float whose exp is finite: ``x / (1 + inf)``, -0.0 in torch), the exponent is capped there (the engine's
helpers refuse an infinity rather than compute with one) and the term is multiplied by a ``step`` that is 0
only beyond the cap, so the result is torch's -0.0 there and torch's tiny number at the cap itself.
Likewise softplus's logarithm is taken of min(beta x, threshold): where beta x passes the threshold that
term is not chosen, and beta x may be infinite there (x = 1e308, beta = 2), torch's x all the same.
"""

from __future__ import annotations

import math

from .op import Op

_WIDE = (-3.0, 3.0)
_NEGATIVE = (-3.0, -0.1)  # the side of a kinked activation where it is not the identity

#: torch's kBeta for the exact GELU's derivative: M_2_SQRTPI * M_SQRT1_2 * 0.5 = 1 / sqrt(2 pi).
_GELU_PDF = "0.3989422804014327"
_SQRT1_2 = "0.7071067811865476"
#: torch's kBeta for the tanh GELU: M_SQRT2 * M_2_SQRTPI * 0.5 = sqrt(2 / pi); kKappa = 0.044715.
_GELU_TANH_INNER = "0.7978845608028654 * (a + 0.044715 * (a * a * a))"
_SILU_FINITE = "(1.0 - step(-709.782712893384 - a))"


def _gelu_reference(a: float) -> float:
    # erfc instead of 1 + erf: another libm function and no cancellation.
    return a * 0.5 * math.erfc(-a / math.sqrt(2.0))


def _gelu_tanh_reference(a: float) -> float:
    return 0.5 * a * (1.0 + math.tanh(math.sqrt(2.0 / math.pi) * (a + 0.044715 * a**3)))


GELU = Op(name="gelu", symbol="GELU", forward=f"a * 0.5 * (1.0 + erf(a * {_SQRT1_2}))",
          derivatives=(f"0.5 * (1.0 + erf(a * {_SQRT1_2})) + a * ({_GELU_PDF} * exp(a * a * -0.5))",),
          domain=(_WIDE,), reference=_gelu_reference)
GELU_TANH = Op(name="gelu_tanh", symbol="GELU(tanh)", forward=f"0.5 * a * (1.0 + tanh({_GELU_TANH_INNER}))",
               derivatives=(f"0.5 * (1.0 + tanh({_GELU_TANH_INNER})) + 0.5 * a"
                            f" * (1.0 - tanh({_GELU_TANH_INNER}) * tanh({_GELU_TANH_INNER}))"
                            " * (0.7978845608028654 * (1.0 + 3.0 * 0.044715 * (a * a)))",),
               domain=(_WIDE,), reference=_gelu_tanh_reference)
# SiLU's sigmoid (torch's 1 / (1 + e^-x) in silu_backward, 0 where e^-x overflows) as a node of its own: a
# gradient built with create_graph=True differentiates it as sigmoid's s (1 - s) in one piece (see
# value_helpers.silu_sigmoid), and a tape recomputes it with this helper, not the sigmoid op's e^x / (1 + e^x).
SILU_SIGMOID = Op(name="silu_sigmoid", symbol="σ", forward="silu_sigmoid(a)", derivatives=("sigmoid_grad(out, a)",),
                  domain=(_WIDE,), reference=lambda a: 1.0 / (1.0 + math.exp(-a)))
SILU = Op(name="silu", symbol="SiLU", forward=f"{_SILU_FINITE} * (a / (1.0 + exp(-maximum(a, -709.782712893384))))",
          # silu_sigmoid is torch's 1 / (1 + exp(-x)) (0 where exp(-x) overflows); on Values a silu_sigmoid node,
          # so the second derivative is sigmoid's out (1 - out), not an underflowing d(1/u) (autograd.value_helpers).
          derivatives=("silu_sigmoid(a) * (1.0 + a * (1.0 - silu_sigmoid(a)))",),
          domain=(_WIDE,), reference=lambda a: a / (1.0 + math.exp(-a)))
# One product, a times 1 or the slope (1.0 - step(a) is exactly 0 or 1): a or a * b to the bit, as torch's, the
# sign of a zero included (relu(a) - b * relu(-a) gave 0.0 where a * b underflows to torch's -0.0).
LEAKY_RELU = Op(name="leaky_relu", symbol="LeakyReLU", forward="a * (step(a) + (1.0 - step(a)) * b)",
                derivatives=("step(a) + (1.0 - step(a)) * b", "0.0"), constant_args=1,
                domain=(_NEGATIVE, (0.01, 0.5)), reference=lambda a, b: a if a > 0.0 else a * b)
# ELU chooses its branch by `where_positive` (parity27): added as relu(a) + expm1(-relu(-a)) * b, a zero result lost
# its sign (x = -0.0: torch's kernel takes x itself, -0.0, for x >= 0; x = -5e-324, alpha = 0.5: torch's -0.0),
# and the derivative alpha * e^x lost it where e^x underflows. -relu(-a) is min(a, 0): expm1 of the branch not
# taken never overflows. The derivative's 1 is step(a) (1 there, exactly): on Values a step node, so a gradient built
# with create_graph=True still depends on x and differentiates to torch's 0 (a constant 1.0 made the second
# derivative "not used": parity28).
ELU = Op(name="elu", symbol="ELU", forward="where_positive(-a, expm1(-relu(-a)) * b, a)",
         derivatives=("where_positive(a, step(a), b * exp(-relu(-a)))", "0.0"), constant_args=1,
         domain=(_NEGATIVE, (0.5, 2.0)), reference=lambda a, b: a if a > 0.0 else b * (math.exp(a) - 1.0))
# Inputs x0 (the input), x1 (beta), x2 (threshold): x where x * beta > threshold, else log1p(e^(x beta)) / beta, and
# the gradient 1 or e^(x beta) / (e^(x beta) + 1), torch's softplus_kernel and softplus_backward_kernel as its 0-d
# (scalar) loop computes them (parity28: with log1pexp and the sigmoid op, 2-4% of values and 8-23% of gradients were
# a last bit off torch's). The branch is chosen by `where_positive`, not as a sum of step terms: the sum lost the
# sign of a zero result (torch's -0.0 for x = -0.0 past a negative threshold, and log1p(0) / beta for a negative
# beta). The logarithm is taken of min(x beta, threshold), so the branch not taken never overflows. The derivative's
# 1 past the threshold is a step (as ELU's), so a second derivative there is torch's 0, not "not used".
SOFTPLUS = Op(name="softplus_beta", symbol="softplus",
              forward="where_positive(x0 * x1 - x2, x0, div(softplus_log(-maximum(-(x0 * x1), -x2)), x1))",
              derivatives=("where_positive(x0 * x1 - x2, step(x0 * x1 - x2), softplus_sigmoid(x0 * x1))", "0.0",
                           "0.0"),
              constant_args=2, domain=(_WIDE, (0.5, 2.0), (20.0, 30.0)),
              reference=lambda a, b, t: a if a * b > t else math.log(1.0 + math.exp(a * b)) / b)
# softplus's derivative e^a / (e^a + 1) (torch's rounding of the sigmoid) as a node of its own, as SILU_SIGMOID: a
# gradient built with create_graph=True holds the helper's number and differentiates it as sigmoid's out (1 - out).
SOFTPLUS_SIGMOID = Op(name="softplus_sigmoid", symbol="σ", forward="softplus_sigmoid(a)",
                      derivatives=("sigmoid_grad(out, a)",), domain=(_WIDE,),
                      reference=lambda a: 1.0 / (1.0 + math.exp(-a)))
# Inputs x0, x1 (min_val), x2 (max_val): torch's clamp, min(max(x, lo), hi); gradient 0 at and beyond the bounds.
HARDTANH = Op(name="hardtanh", symbol="hardtanh", forward="-maximum(-maximum(x0, x1), -x2)",
              derivatives=("step(x0 - x1) * step(x2 - x0)", "0.0", "0.0"), constant_args=2,
              domain=((-0.9, 0.9), (-3.0, -1.0), (1.0, 3.0)), reference=lambda a, lo, hi: min(max(a, lo), hi))

ACTIVATION_OPS = (GELU, GELU_TANH, SILU, LEAKY_RELU, ELU, SOFTPLUS, HARDTANH)

__all__ = ["ACTIVATION_OPS", "ELU", "GELU", "GELU_TANH", "HARDTANH", "LEAKY_RELU", "SILU", "SILU_SIGMOID", "SOFTPLUS",
           "SOFTPLUS_SIGMOID"]
