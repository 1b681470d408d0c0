"""The op table: every operation the engine knows, defined once, one row each.

A row gives an op's value and its local derivatives as Python expressions
(inputs ``a``, ``b``; ``out`` is the op's value), the interval where the tests
check it, and an independent formula for the value. From that single text:

- the engine (`Value`) and the backward pass call ``op.forward`` and
  ``op.derivative``, functions compiled from the expressions (a traceback
  through them shows the expression, in a file named ``<op tanh>``);
- the graph replayer (`autograd.replay`) pastes the same expressions into
  straight-line code, evaluated on floats or, in batch mode, on numpy arrays;
- the tests check every op against central differences over its ``domain``;
- the renderer draws each op as a gate labelled with its ``symbol``.

Expressions call the helpers of `autograd.helpers` (``exp``, ``log``,
``div`` ...) rather than `math`, so batch mode can swap in numpy versions.
torch's activations (GELU, SiLU, LeakyReLU, ELU, softplus, hardtanh) are rows of their own file,
`autograd.activation_ops`, gathered into `OPS` here, as are the binary cross-entropy means of
`autograd.mean_loss_ops` (one node per loss, for torch's gradient order). To add an op, add a row here
(and a helper if it needs one), or call `autograd.register_op` from your own code: see docs/adding_an_op.md.
"""

from __future__ import annotations

import math

from .activation_ops import ACTIVATION_OPS, SILU_SIGMOID, SOFTPLUS_SIGMOID
from .helpers import HELPERS, amax_shares, helper
from .mean_loss_ops import MEAN_LOSS_OPS
from .op import Op, compile_function, input_names

#: Past this many terms a sum or dot is written as one call of a looping helper rather than a chain of
#: ``+``: a chain is an expression nested as deep as it is long, which Python's compiler refuses near
#: 3,000 terms (RecursionError). Both forms add left to right, so they give the same bits.
FLAT_ABOVE = 64

#: The same limit for the functions the eager engine compiles once per fan-in (`Op.forward_for`): there a
#: longer chain costs nothing per node (a tape pastes the expression per node, so it keeps the short form),
#: and a neuron of 65 to 512 inputs adds without a helper's loop. Well inside the compiler's limit.
EAGER_FLAT_ABOVE = 512


def _sum_code(n: int, flat_above: int = FLAT_ABOVE) -> str:
    names = input_names(n)
    if n > flat_above:
        return f"add_all({', '.join(names)})"
    return " + ".join(names) if n > 1 else f"{names[0]} + 0.0"


def _dot_code(n: int, flat_above: int = FLAT_ABOVE) -> str:
    # Inputs are the weights then the inputs: w_i is x{i}, its partner is x{i + n/2}.
    half = n // 2
    names = input_names(n)
    if half > flat_above:
        return f"dot_all({', '.join(names)})"
    return " + ".join(f"{names[i]} * {names[i + half]}" for i in range(half)) or "0.0"


def _dot_derivative_code(n: int) -> tuple[str, ...]:
    # d(sum w_i x_i)/dw_i = x_i and /dx_i = w_i: the two halves swap.
    half = n // 2
    names = input_names(n)
    return tuple(names[half:] + names[:half])


def _logsumexp_code(n: int) -> str:
    # One helper call whatever the width: the shift (the largest input) is computed inside, on every call.
    return f"logsumexp_all({', '.join(input_names(n))})"


def _logsumexp_derivative_code(n: int) -> tuple[str, ...]:
    # d logsumexp / dx_i = softmax_i = exp(x_i - out); x_i <= out, so it never overflows.
    return tuple(f"exp({name} - out)" for name in input_names(n))


def _logsumexp_by_fsum(*xs: float) -> float:
    return math.log(math.fsum(math.exp(x) for x in xs))


def _tanh_by_exp(a: float) -> float:
    return (math.exp(a) - math.exp(-a)) / (math.exp(a) + math.exp(-a))


def _dot_by_fsum(*xs: float) -> float:
    half = len(xs) // 2
    return math.fsum(w * x for w, x in zip(xs[:half], xs[half:]))


_WIDE = (-3.0, 3.0)
_POSITIVE = (0.1, 4.0)

ADD = Op(name="add", micrograd="+", symbol="+", forward="a + b", derivatives=("1.0", "1.0"),
         domain=(_WIDE, _WIDE), reference=lambda a, b: a + b, propagates_non_finite=True)
SUB = Op(name="sub", micrograd="-", symbol="−", forward="a - b", derivatives=("1.0", "-1.0"),
         domain=(_WIDE, _WIDE), reference=lambda a, b: a - b, propagates_non_finite=True)
MUL = Op(name="mul", micrograd="*", symbol="×", forward="a * b", derivatives=("b", "a"),
         domain=(_WIDE, _WIDE), reference=lambda a, b: a * b, propagates_non_finite=True)
DIV = Op(name="div", micrograd="/", symbol="÷", forward="div(a, b)", derivatives=("1.0 / b", "-out / b"),
         domain=(_WIDE, (0.5, 3.0)), reference=lambda a, b: a / b)
# torch.reciprocal. A number over a Value (``3.0 / x``) is reciprocal(x) * 3.0, as torch's Tensor.__rtruediv__
# and micrograd's (``other * self**-1``) compute it: two roundings, their value to the bit; `_op` is micrograd's
# "**-1" for that node, so its graph of ``3.0 / x`` reads as micrograd's ("*" over "**-1").
RECIPROCAL = Op(name="reciprocal", micrograd="**-1", symbol="1/x", forward="reciprocal(a)",
                derivatives=("-(out * out)",), domain=((0.5, 3.0),), reference=lambda a: 1.0 / a)
NEG = Op(name="neg", symbol="−", forward="-a", derivatives=("-1.0",),
         domain=(_WIDE,), reference=lambda a: -a, propagates_non_finite=True)
POW = Op(name="pow", micrograd="**", symbol="^", forward="pow_const(a, b)", derivatives=("pow_const_grad(a, b)", "0.0"),
         domain=(_POSITIVE, (-2.0, 3.0)), reference=math.pow, constant_args=1)
POW_VALUE = Op(name="pow_value", symbol="^", forward="pow_value(a, b)",
               derivatives=("pow_value_base_grad(a, b)", "pow_value_exponent_grad(out, a)"),
               domain=(_POSITIVE, (-2.0, 2.0)), reference=math.pow)
# A plain number to a Value's power (``2.0 ** x``, `Value.__rpow__`): the exponent first, the number a constant
# input. As pow_value with the base's derivative left out: ``0.0 ** x`` for 0 < x < 1 has an infinite one
# (refused), and a number's is never wanted; torch's gradient in x is 0 there (its masked a^b log a).
RPOW = Op(name="rpow", symbol="cˣ", forward="pow_value(b, a)", derivatives=("pow_value_exponent_grad(out, b)", "0.0"),
          domain=((-2.0, 2.0), (0.5, 3.0)), reference=lambda a, b: math.pow(b, a), constant_args=1)
EXP = Op(name="exp", symbol="exp", forward="exp(a)", derivatives=("out",),
         domain=(_WIDE,), reference=math.exp)
LOG = Op(name="log", symbol="log", forward="log(a)", derivatives=("1.0 / a",),
         domain=(_POSITIVE,), reference=math.log)
SQRT = Op(name="sqrt", symbol="√", forward="sqrt(a)", derivatives=("sqrt_grad(out)",),
          domain=(_POSITIVE,), reference=math.sqrt)
TANH = Op(name="tanh", symbol="tanh", forward="tanh(a)", derivatives=("tanh_grad(out, a)",),
          domain=(_WIDE,), reference=_tanh_by_exp)
SIGMOID = Op(name="sigmoid", symbol="σ", forward="sigmoid(a)", derivatives=("sigmoid_grad(out, a)",),
             domain=(_WIDE,), reference=lambda a: 1 / (1 + math.exp(-a)))
# log(1 + e^a) to the last bit for any a (named as Julia's log1pexp: the README's own-op example registers a
# softplus): binary cross-entropy on logits (torch's log_sigmoid(x) = -log1pexp(-x)). Not torch's F.softplus, which
# is x past its threshold 20 and log1p(e^x) rounded as such below it: that is the op softplus_beta.
LOG1PEXP = Op(name="log1pexp", symbol="log(1+eˣ)", forward="log1pexp(a)", derivatives=("sigmoid(a)",),
              domain=((-30.0, 30.0),), reference=lambda a: math.log(1.0 + math.exp(a)))
# torch.erf; its derivative as torch's (2 / sqrt(pi)) exp(-x^2). GELU's exact form is built on it.
ERF = Op(name="erf", symbol="erf", forward="erf(a)", derivatives=("1.1283791670955126 * exp(-(a * a))",),
         domain=(_WIDE,), reference=lambda a: 1.0 - math.erfc(a))
# torch's binary_cross_entropy of a probability a against a target b as one op, for torch's gradient
# (a - b) / (a (1 - a)): as a graph of logs, the two terms y / p and (1 - y) / (1 - p) cancelled near p = y.
BCE = Op(name="binary_cross_entropy", symbol="BCE", forward="bce(a, b)",
         derivatives=("bce_input_grad(a, b)", "bce_target_grad(a)"), domain=((0.05, 0.95), (0.0, 1.0)),
         reference=lambda a, b: -(b * math.log(a) + (1.0 - b) * math.log(1.0 - a)))
# torch's binary_cross_entropy_with_logits of a logit a against a target b, one node per element, in torch's
# order: (1 - b) a - log_sigmoid(a), gradient sigmoid(a) - b (its bits, but where that subtraction cancels on
# a > 0: see `helpers.bce_logits_input_grad`), target gradient -a. As a graph of log1pexp nodes the gradient
# was (1 - b) - sigmoid(-a), 60% of gradients a last bit or more from torch's.
BCE_LOGITS = Op(name="binary_cross_entropy_with_logits", symbol="BCEwL", forward="bce_logits(a, b)",
                derivatives=("bce_logits_input_grad(a, b)", "-a"), domain=(_WIDE, (0.0, 1.0)),
                reference=lambda a, b: (1.0 - b) * a + math.log(1.0 + math.exp(-a)))
# The same with pos_weight (inputs x0 logit, x1 target, x2 pos_weight): torch's (1 - b) a - log_sigmoid(a) lw,
# lw = (w - 1) b + 1; gradient ((w b + 1) - b) sigmoid(a) - w b. torch refuses a gradient for pos_weight;
# here one flows, -b log_sigmoid(a).
BCE_LOGITS_POS = Op(name="binary_cross_entropy_with_logits_pos_weight", symbol="BCEwL",
                    forward="bce_logits_pos(x0, x1, x2)",
                    derivatives=("bce_logits_pos_input_grad(x0, x1, x2)", "bce_logits_pos_target_grad(x0, x2)",
                                 "-(x1 * log_sigmoid(x0))"),
                    domain=(_WIDE, (0.0, 1.0), (0.2, 5.0)),
                    reference=lambda a, b, w: (1.0 - b) * a + ((w - 1.0) * b + 1.0) * math.log(1.0 + math.exp(-a)))
# torch's smooth_l1_loss of a difference a = input - target with beta b (a constant input), one node per element:
# 0.5 a^2 / b where |a| < b, else |a| - 0.5 b, torch's forward; its gradient torch's kernel's a / b (one rounding:
# as a graph of 0.5 * d * d / beta it was d * (1 / b), another last bit in a quarter of gradients at b = 2.5), or
# the sign of a from |a| = b on. The branch by `where_positive`, which keeps the chosen value's sign of zero.
SMOOTH_L1 = Op(name="smooth_l1", symbol="smoothL1",
               forward="where_positive(b - abs(a), 0.5 * a * a / b, abs(a) - 0.5 * b)",
               derivatives=("where_positive(b - abs(a), div(a, b), sign(a))", "0.0"), constant_args=1,
               domain=((-0.9, 0.9), (1.0, 3.0)),
               reference=lambda a, b: 0.5 * a * a / b if abs(a) < b else abs(a) - 0.5 * b)
# torch's huber_loss of a difference a = input - target with delta b (a constant input), one node per element:
# 0.5 a^2 where |a| < b, else b (|a| - 0.5 b), torch's forward; its gradient torch's kernel's a, or b sign(a) past
# |a| = b (parity27: as a graph of 0.5 * d * d the gradient was 0.5 d + 0.5 d, which loses a subnormal d: 41 of 300
# hostile batches differed from torch's, and the branch was a Value comparison a tape had to re-check on every run).
HUBER = Op(name="huber", symbol="huber", forward="where_positive(b - abs(a), 0.5 * a * a, b * (abs(a) - 0.5 * b))",
           derivatives=("where_positive(abs(a) - b, b * sign(a), a)", "0.0"), constant_args=1,
           domain=((-0.9, 0.9), (1.0, 3.0)),
           reference=lambda a, b: 0.5 * a * a if abs(a) < b else b * (abs(a) - 0.5 * b))
RELU = Op(name="relu", micrograd="ReLU", symbol="ReLU", forward="relu(a)", derivatives=("step(a)",),
          domain=((0.1, 3.0),), reference=lambda a: 0.0 if a < 0.0 else a)
ABS = Op(name="abs", symbol="|x|", forward="abs(a)", derivatives=("sign(a)",),
         domain=((0.1, 3.0),), reference=math.fabs, propagates_non_finite=True)
# The derivatives of relu and abs, as ops of their own so that a gradient built with create_graph=True
# still depends on its input (PyTorch's ThresholdBackward): differentiated again it gives 0, not "unused".
STEP = Op(name="step", symbol="step", forward="step(a)", derivatives=("0.0",),
          domain=((0.1, 3.0),), reference=lambda a: 1.0 if a > 0 else 0.0)
SIGN = Op(name="sign", symbol="sign", forward="sign(a)", derivatives=("0.0",),
          domain=((0.1, 3.0),), reference=lambda a: math.copysign(1.0, a) if a else 0.0)
SUM = Op(name="sum", symbol="Σ", forward=_sum_code, derivatives=lambda n: ("1.0",) * n,
         domain=(_WIDE,), reference=lambda *xs: math.fsum(xs),
         eager_forward=lambda n: _sum_code(n, EAGER_FLAT_ABOVE), propagates_non_finite=True)
DOT = Op(name="dot", symbol="w·x", forward=_dot_code, derivatives=_dot_derivative_code,
         domain=(_WIDE,), reference=_dot_by_fsum, eager_forward=lambda n: _dot_code(n, EAGER_FLAT_ABOVE),
         propagates_non_finite=True)
LOGSUMEXP = Op(name="logsumexp", symbol="log Σ exp", forward=_logsumexp_code,
               derivatives=_logsumexp_derivative_code, domain=(_WIDE,), reference=_logsumexp_by_fsum)

# torch.maximum (`Value.maximum`, `autograd.maximum`).
MAXIMUM = Op(name="maximum", symbol="max", forward="maximum(a, b)", derivatives=("max_share(a, b)", "max_share(b, a)"),
             domain=((0.5, 3.0), (-3.0, 0.0)), reference=max)  # kept apart: no kink at a tie (tested on its own)

def _largest_code(n: int) -> str:
    # One helper call whatever the width, as logsumexp: the largest is found on every evaluation.
    return f"largest_all({', '.join(input_names(n))})"


def _largest_derivative_code(n: int) -> tuple[str, ...]:
    # torch.amax's gradient: all to the largest input, split evenly on a tie (the helper counts the tie only
    # for an input that is the largest, so the usual cost is one comparison per input).
    names = input_names(n)
    every = ", ".join(names)
    return tuple(f"amax_share({name}, out, {every})" for name in names)


# torch.amax over a row as one node. The softmax family's shift m (log_softmax = (z_i - m) - logsumexp(z - m),
# torch's formula) is this node over the logits, so a replayed tape shifts by the logits it meets; one node per
# row, where a balanced tree of binary maximum nodes made n - 1 of them.
LARGEST = Op(name="largest", symbol="max", forward=_largest_code, derivatives=_largest_derivative_code,
             domain=(_WIDE,), reference=max, wide_derivative=amax_shares)


# The softmax family's shifted logit z - m, m the row's largest (a `largest` node): its value is a - b, and m is
# not differentiated (a constant input, as a power's exponent), because nothing computed from the shifted row
# depends on m: log_softmax, softmax and logsumexp of z - m are the same functions of z for any m, and torch's
# backward (g - exp(out) * sum(g) for log_softmax) has no term for it. Differentiated through m, as a `sub`
# node, the largest logit also collected minus the sum of the others' gradients, 0 up to rounding: up to 3 ulps
# of the upstream gradient off torch's, in 947 of 10,215 cross-entropy gradients (docs/torch_parity.md).
SHIFT = Op(name="shift", symbol="−m", forward="a - b", derivatives=("1.0", "0.0"), constant_args=1,
           domain=(_WIDE, _WIDE), reference=lambda a, b: a - b, propagates_non_finite=True)

#: Every op by name: the single source the engine, tests, renderer and replayer read.
OPS: dict[str, Op] = {
    op.name: op
    for op in (ADD, SUB, MUL, DIV, RECIPROCAL, NEG, POW, POW_VALUE, RPOW, EXP, LOG, SQRT, TANH, SIGMOID, LOG1PEXP,
               BCE, BCE_LOGITS, BCE_LOGITS_POS, SMOOTH_L1, HUBER, ERF, RELU, ABS, STEP, SIGN, SUM, DOT, LOGSUMEXP,
               MAXIMUM, LARGEST, SHIFT, *ACTIVATION_OPS, SILU_SIGMOID, SOFTPLUS_SIGMOID, *MEAN_LOSS_OPS)
}

#: Marks a leaf that the engine made from a plain number (the ``2`` in ``x * 2``),
#: so the renderer can draw it as a constant rather than as an input. Not in `OPS`:
#: a constant has no inputs and nothing to differentiate.
CONSTANT = Op(name="constant", micrograd="", symbol="", forward="0.0", derivatives=())

__all__ = ["Op", "OPS", "CONSTANT", "HELPERS", "helper", "compile_function", "input_names"]
