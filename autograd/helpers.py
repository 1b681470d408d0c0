"""The helper functions op expressions call (``exp``, ``log``, ``div`` ...): one list, every backend.

Expressions in the op table name helpers rather than `math` directly, so that
batch replay can run the same text on numpy arrays. `HELPERS` is the one
list: the scalar engine evaluates expressions among exactly these functions,
and batch replay derives its numpy namespace from the same names (a numpy
version where one is written, else the scalar helper applied elementwise).

The helpers raise the way Python's `math` does, naming the op and its
operands, instead of returning a complex number, an infinity or a NaN.
Register a new one with the `helper` decorator.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any, TypeVar, cast, overload

from .shown import short_repr
from .torch_powers import SPECIAL_POWERS

F = TypeVar("F", bound=Callable[..., float])

#: Every helper by the name expressions call it by: the single list each backend's namespace is derived from.
HELPERS: dict[str, Callable[..., float]] = {}

# Names expressions use for their inputs and output: a helper named like one would be shadowed by it.
_RESERVED = re.compile(r"(a|b|out|x\d+)")


@overload
def helper(fn: F, *, name: str | None = None) -> F: ...


@overload
def helper(fn: None = None, *, name: str | None = None) -> Callable[[F], F]: ...


def helper(fn: F | None = None, *, name: str | None = None) -> F | Callable[[F], F]:
    """Register ``fn`` as a helper op expressions may call (usable as ``@helper`` or ``helper(fn, name=...)``)."""

    if name is not None and not isinstance(name, str):  # 3 failed as "'int' object has no attribute 'isidentifier'"
        raise TypeError(f"helper name must be a str, got {type(name).__name__} {short_repr(name)}")

    def register(f: F) -> F:
        if not callable(f):  # "'float' object has no attribute '__name__'" named neither helper nor the problem
            raise TypeError(f"helper registers a function, got {type(f).__name__} {short_repr(f)}")
        key = name or getattr(f, "__name__", None)
        if key is None:  # a functools.partial or a callable object has no __name__
            raise TypeError(f"helper: {type(f).__name__} has no __name__; pass name='...'")
        if not key.isidentifier() or _RESERVED.fullmatch(key):
            raise ValueError(f"helper name {key!r} must be an identifier other than a, b, out and x0, x1, ...")
        if key in HELPERS and HELPERS[key] is not f:
            raise ValueError(f"a helper named {key!r} is already registered")
        HELPERS[key] = f
        return f

    return register(fn) if fn is not None else register


def scalar_namespace() -> dict[str, object]:
    """The globals op expressions are evaluated among on floats: exactly the registered helpers."""
    return dict(HELPERS)


@helper
def add_all(*xs: float) -> float:
    """x0 + x1 + ... added left to right (a wide sum; works on numpy arrays too)."""
    total = xs[0]
    for x in xs[1:]:
        total = total + x
    return total


@helper
def dot_all(*xs: float) -> float:
    """w0 * x0 + w1 * x1 + ... left to right, for inputs given as the weights then their partners."""
    half = len(xs) // 2
    total = xs[0] * xs[half]
    for i in range(1, half):
        total = total + xs[i] * xs[i + half]
    return total


@helper
def logsumexp_all(*xs: float) -> float:
    """log(sum_j exp(x_j)), shifted by the largest x_j found now, so no exp overflows or underflows to a 0 sum.

    The shift is taken from the arguments on every call, never fixed in advance: a replayed tape meeting
    logits near -800 computes with their own maximum, as the eager engine does.
    """
    m = max(xs)
    # The largest term, exp(m - m) = 1, is left out of the sum and added back by log1p: log(1 + rest) would
    # round 1 + rest first, an error relative to rest (log_softmax of a dominant logit: thousands of ulps).
    i = xs.index(m)
    rest = 0.0
    for x in xs[:i]:
        rest += math.exp(x - m)
    for x in xs[i + 1:]:
        rest += math.exp(x - m)
    return m + math.log1p(rest)


@helper
def maximum(a: float, b: float) -> float:
    """The larger of a and b (a when they are equal), as torch.maximum: a NaN in either is the result (``a >= b``
    alone returned b for a NaN a, so a NaN parameter vanished through log_softmax's shift)."""
    return a if a >= b or a != a else b


@helper
def largest_all(*xs: float) -> float:
    """The largest of ``xs`` (the first of them on a tie, which matters for -0.0 against 0.0), NaN if any is NaN:
    torch.amax's value. Builtin ``max`` alone returned a number past a NaN that was not first."""
    m = max(xs)
    total = sum(xs)
    if total - total != 0.0:  # inf or NaN somewhere (or an overflowing sum): look for a NaN
        for x in xs:
            if x != x:
                return x
    return m


@helper
def amax_share(x: float, out: float, *xs: float) -> float:
    """d largest(xs)/dx for one input ``x`` of ``xs``: 0 below the largest, else 1 over the number of inputs
    equal to it (torch.amax's even split of a tie). Only ``<`` is used, so it also runs on Values (a gradient
    built with create_graph=True), whose ``==`` is identity."""
    if x < out:
        return 0.0
    ties = 0
    for v in xs:
        if not v < out:
            ties += 1
    return 1.0 / ties


def amax_shares(out: Any, *xs: Any) -> tuple[float, ...]:
    """Every ``amax_share(x, out, *xs)`` at once, one per input: the ties are counted once, not once per input
    (O(n), not O(n^2)); the same numbers (0.0 below the largest, else 1 / ties). The `largest` op's
    ``wide_derivative``: the eager engine calls it past `INLINE_BACKWARD_UP_TO` inputs, and so does replayed
    code (a helper, so every replay namespace has it; `autograd.replay.batch_numpy` has an array version).
    On Values (a gradient built with create_graph=True) the shares are constants found by comparing the numbers,
    as amax_share's Value version: comparing the Values themselves made, while a tape recorded, 2n branch checks
    re-made on every run, where the narrow path makes none (numpy's float64 is a float: compared as it is)."""
    if not isinstance(out, float):
        out = out.data
        xs = tuple(x.data for x in xs)
    ties = 0
    for v in xs:
        if not v < out:
            ties += 1
    share = 1.0 / ties
    return tuple(0.0 if x < out else share for x in xs)


helper(cast(Callable[..., float], amax_shares))  # a helper that returns a tuple (one partial per input)


@helper
def max_share(a: float, b: float) -> float:
    """d maximum(a, b)/da: 1 where a is the larger, 0 where b is, and 1/2 on a tie (torch.maximum's split)."""
    return 1.0 if a > b else 0.5 if a == b else 0.0


@helper
def div(a: float, b: float) -> float:
    """a / b, refusing division by zero with the operands named."""
    if b == 0.0:
        raise ZeroDivisionError(f"div: division by zero in {a!r} / {b!r}")
    return a / b


@helper
def reciprocal(a: float) -> float:
    """1 / a (torch.reciprocal), refusing zero with the op named: a number over a Value is its reciprocal times
    the number, so ``3.0 / x`` at x = 0 is named here too (torch gives inf)."""
    if a == 0.0:
        raise ZeroDivisionError(f"reciprocal: division by zero in 1 / {a!r} (x.reciprocal(), or a number / x)")
    return 1.0 / a


_special_power = SPECIAL_POWERS.get  # one name lookup on the general exponents' path, not two


@helper
def pow_const(a: float, n: float) -> float:
    """a ** n for a constant exponent: real results only, computed as torch's pow kernel computes it (the exponents
    2, 3, -2, 0.5, -0.5 and -1 by products, sqrt and division: `autograd.torch_powers`), else by libm's pow."""
    if n == 2.0:
        # First, for the common square: one correctly rounded product, torch's (its pow kernel and mse_loss square
        # as x * x) and numpy's; libm's pow(x, 2) is a last bit off x * x in about 1 of 1,200 inputs here.
        square = a * a
        if square - square != 0.0 and a - a == 0.0:
            # Only a finite a's square is this op's overflow. An inf or NaN a, which reaches here only in a replayed
            # tape from an op upstream that overflowed (x * w), passes on as libm's pow passes it, so that the
            # tape's check names that op as eager does, not "pow: result too large in inf ** 2" (review28).
            raise OverflowError(f"pow: result too large in {a!r} ** {n!r}")
        return square
    if a == 0.0 and n < 0:
        raise ZeroDivisionError(f"pow: zero to a negative power in {a!r} ** {n!r}")
    if a < 0.0 and not float(n).is_integer():
        # Python would silently return a complex number here.
        raise ValueError(f"pow: math domain error in {a!r} ** {n!r}: a negative base needs an integer exponent")
    special = _special_power(n)
    if special is not None:
        out = special(a)
        if out - out != 0.0 and a - a == 0.0:  # as for the square: an inf or NaN a is an upstream op's overflow
            raise OverflowError(f"pow: result too large in {a!r} ** {n!r}")
        return out
    try:
        return float(a**n)
    except OverflowError:
        raise OverflowError(f"pow: result too large in {a!r} ** {n!r}") from None


@helper
def pow_const_grad(a: float, n: float) -> float:
    """d(a ** n)/da = n a^(n-1), as torch's pow_backward: n times a ** (n - 1) computed as `pow_const` computes it
    (2 a, 3 (a a), 0.5 / sqrt(a) ...); 0 for n = 0; infinite at a = 0 for n < 1, which is refused."""
    if n == 2.0:
        return 2.0 * a
    if n == 0.0:
        return 0.0
    if a == 0.0 and n < 1.0:
        raise ZeroDivisionError(f"pow: derivative of {a!r} ** {n!r} is infinite at zero")
    m = n - 1.0
    special = _special_power(m)
    if special is not None:
        out = n * special(a)
    else:
        try:
            out = n * a**m
        except OverflowError:  # Python's bare "(34, 'Numerical result out of range')" names neither op nor operands
            out = math.inf
    if out - out != 0.0:
        raise OverflowError(f"pow: derivative of {a!r} ** {n!r} is too large for a float")
    return out


@helper
def pow_value(a: float, b: float) -> float:
    """a ** b where both may be variables: a positive base, or 0 with an exponent >= 0 (0 ** 0 = 1, as torch)."""
    if a <= 0.0:
        if a == 0.0 and b >= 0.0:
            return a**b  # (-0.0) ** 1.0 is -0.0, as torch's
        if a == 0.0:
            raise ZeroDivisionError(f"pow: zero to a negative power in {a!r} ** {b!r}")
        raise ValueError(f"pow: math domain error in {a!r} ** {b!r}: a Value exponent (x ** y, or a number ** y)"
                         " needs a positive base (its derivative in the exponent, a ** b log a, is not real)")
    try:
        return a**b
    except OverflowError:
        raise OverflowError(f"pow: result too large in {a!r} ** {b!r}") from None


@helper
def pow_value_base_grad(a: float, b: float) -> float:
    """d(a ** b)/da = b a^(b-1); 0 where b = 0 (as torch, also at a = 0); infinite at a = 0 for 0 < b < 1: refused."""
    if b == 0.0:
        return 0.0
    if a == 0.0 and b < 1.0:
        raise ZeroDivisionError(f"pow: derivative of {a!r} ** {b!r} in the base is infinite at zero")
    try:
        return b * a ** (b - 1.0)
    except OverflowError:  # as in pow_const_grad: name the op and its operands
        raise OverflowError(f"pow: derivative of {a!r} ** {b!r} in the base is too large for a float") from None


@helper
def pow_value_exponent_grad(out: float, a: float) -> float:
    """d(a ** b)/db = a^b log a; 0 at a = 0 (where the base may be 0 at all, b >= 0), as torch masks it."""
    return 0.0 if a == 0.0 else out * log(a)


@helper
def exp(a: float) -> float:
    """e ** a, refusing overflow (past about 709.78)."""
    try:
        return math.exp(a)
    except OverflowError:
        raise OverflowError(f"exp: result too large in exp({a!r})") from None


@helper
def log(a: float) -> float:
    """Natural log of a positive number."""
    if a <= 0.0:
        raise ValueError(f"log: math domain error in log({a!r}): needs a positive argument")
    return math.log(a)


@helper
def sqrt(a: float) -> float:
    """Square root of a non-negative number."""
    if a < 0.0:
        raise ValueError(f"sqrt: math domain error in sqrt({a!r}): needs a non-negative argument")
    return math.sqrt(a)


@helper
def sqrt_grad(out: float) -> float:
    """d sqrt(a)/da = 1 / (2 sqrt(a)); infinite at 0, which is refused."""
    if out == 0.0:
        raise ZeroDivisionError("sqrt: derivative of sqrt(0.0) is infinite")
    return 0.5 / out


@helper
def sigmoid(a: float) -> float:
    """1 / (1 + e^-a), torch's CPU formula and rounding (its 0-d sigmoid to the bit), wherever e^-a is finite; below
    -709.78 e^a, to which e^a / (1 + e^a) rounds (torch: 1 / inf = 0), so exp never overflows.

    parity28: for a < 0 this was e^a / (1 + e^a), a last bit from torch's in 66 of 279 points of the sweep; measured
    against 200-bit mpmath, torch's form is closer on [-30, 0] (mean 0.36 against 0.47 ulps), the other one below
    -30 (0.25 against 0.36)."""
    if a >= -709.782712893384:  # LAST_FINITE_EXP, written out: one global lookup fewer on the engine's hot path
        return 1.0 / (1.0 + math.exp(-a))
    return math.exp(a)


@helper
def sigmoid_grad(out: float, a: float) -> float:
    """sigmoid'(a) = out (1 - out), with 1 - out = sigmoid(-a) computed afresh for a > 0: ``1.0 - out`` there is
    exact but inherits out's rounding, relative to a small number (about 1e8 ulps of it at a = 30)."""
    if a <= 0.0:
        return out * (1.0 - out)
    e = math.exp(-a)
    return out * (e / (1.0 + e))


@helper
def tanh_grad(out: float, a: float) -> float:
    """tanh'(a) = 1 - out^2 = 4 e / (1 + e)^2 with e = exp(-2|a|) for |a| > 0.55 (where out^2 > 1/4):
    ``1.0 - out * out`` there cancels out's rounding into an error relative to a small number
    (tens of ulps from |a| = 3, about 1e8 at |a| = 10)."""
    if -0.55 <= a <= 0.55:
        return 1.0 - out * out
    e = math.exp(-2.0 * abs(a))
    d = 1.0 + e
    return 4.0 * e / (d * d)


@helper
def log1pexp(a: float) -> float:
    """log(1 + e^a), stable and accurate for any a: a + log1p(e^-a) for a > 0, log1p(e^a) otherwise
    (log(1 + tiny) would round 1 + e^-40 to 1, a relative error of 100%)."""
    if a > 0.0:
        return a + math.log1p(math.exp(-a))
    return math.log1p(math.exp(a))


@helper
def softplus_log(a: float) -> float:
    """log1p(exp(a)), torch's softplus (softplus_kernel) before its division by beta, rounded as torch's 0-d
    kernel rounds it (`log1pexp`'s a + log1p(e^-a) is a last bit off it in about 2% of points); a itself where
    exp(a) overflows (torch: inf), the true value rounded (log1p(e^-a) < 1e-308 is far below half an ulp of a)."""
    if a > LAST_FINITE_EXP:
        return a
    return math.log1p(math.exp(a))


@helper
def softplus_sigmoid(a: float) -> float:
    """torch's softplus_backward's z / (z + 1) with z = exp(a) (a = beta x), its rounding of the sigmoid; 1.0
    where exp(a) overflows (torch: inf / inf, NaN), which the true sigmoid rounds to."""
    if a > LAST_FINITE_EXP:
        return 1.0
    z = math.exp(a)
    return z / (z + 1.0)


#: torch's floor under binary cross-entropy's logarithms (a probability of exactly 0 or 1 gives a finite loss),
#: and its floor under the denominator p (1 - p) of its gradient: torch's ``EPSILON = 1e-12`` is a C++ float,
#: so 1e-12 rounded to single precision (its gradient at p = 1, y = 0.3 is 700000002797.06, not 7e11).
BCE_LOG_FLOOR = -100.0
BCE_EPSILON = 9.999999960041972e-13


def _floored_log(x: float) -> float:
    return math.log(x) if x > 0.0 else BCE_LOG_FLOOR


@helper
def bce(a: float, b: float) -> float:
    """Binary cross-entropy of a probability a against a target b, torch's formula:
    (b - 1) max(log1p(-a), -100) - b max(log(a), -100)."""
    if not 0.0 <= a <= 1.0:
        raise ValueError(f"binary_cross_entropy: probability {a!r} is outside [0, 1]")
    log_a = max(_floored_log(a), BCE_LOG_FLOOR)
    log_rest = max(math.log1p(-a), BCE_LOG_FLOOR) if a < 1.0 else BCE_LOG_FLOOR
    return (b - 1.0) * log_rest - b * log_a


@helper
def bce_input_grad(a: float, b: float) -> float:
    """d bce / da, torch's formula (a - b) / max((1 - a) a, eps), eps = `BCE_EPSILON`: one rounding of a - b,
    not the difference of b / a and (1 - b) / (1 - a), which cancels where a is near b."""
    return (a - b) / max((1.0 - a) * a, BCE_EPSILON)


@helper
def bce_target_grad(a: float) -> float:
    """d bce / db, torch's -log(a / (1 - a)); at a = 0 or 1 (torch: an infinite gradient) the floored logs'
    difference, +-100."""
    if 0.0 < a < 1.0:
        return -math.log(a / (1.0 - a))
    return max(math.log1p(-a), BCE_LOG_FLOOR) - _floored_log(a) if a < 1.0 else BCE_LOG_FLOOR


def torch_sigmoid(a: float) -> float:
    """torch's CPU sigmoid, 1 / (1 + e^-a) (0 where e^-a overflows, as torch's 1 / inf): the number its
    binary_cross_entropy_with_logits backward starts from. Not a helper: `sigmoid` keeps a subnormal below -709.78."""
    try:
        return 1.0 / (1.0 + math.exp(-a))
    except OverflowError:
        return 0.0


@helper
def log_sigmoid(a: float) -> float:
    """log(sigmoid(a)), torch's CPU formula min(a, 0) - log1p(e^-|a|): no exp overflows, and a tiny
    log1p(e^-40) keeps its digits."""
    return min(a, 0.0) - math.log1p(math.exp(-abs(a)))


@helper
def bce_logits(a: float, b: float) -> float:
    """torch's binary_cross_entropy_with_logits of a logit a against a target b: (1 - b) a - log_sigmoid(a),
    in torch's order."""
    return (1.0 - b) * a - log_sigmoid(a)


@helper
def bce_logits_pos(a: float, b: float, w: float) -> float:
    """The same with pos_weight w, torch's order: (1 - b) a - log_sigmoid(a) ((w - 1) b + 1)."""
    return (1.0 - b) * a - log_sigmoid(a) * ((w - 1.0) * b + 1.0)


def _cancels(result: float, term: float, a: float, b: float) -> bool:
    """Whether torch's ``term - t`` lost more than one bit of ``term``'s rounding (|result| < |term| / 2) on
    the side a > 0, where 1 - sigmoid(a) can be had without cancelling as sigmoid(-a), for a target b > 1/2,
    where 1 - b is exact (Sterbenz). For b <= 1/2 the rounding of 1 - b costs what the cancellation does
    (b = 0.3, 0.45: mean 0.66 and 1.34 ulps against torch's 0.60 and 1.03 over 2,003 points; b = 0.5 alike),
    so torch's bits are kept there (parity27)."""
    return a > 0.0 and b > 0.5 and abs(result) < 0.5 * abs(term)


@helper
def bce_logits_input_grad(a: float, b: float) -> float:
    """d bce_logits / da: torch's sigmoid(a) - b, its bits, except where that subtraction cancels more than
    one bit on a > 0 (b near 1: at b = 1, a = 40 torch's is 0, the true value -4.2e-18); there the same
    value as (1 - b) - sigmoid(-a), which does not (for b > 1/2, where 1 - b is exact: see `_cancels`)."""
    s = torch_sigmoid(a)
    result = s - b
    if _cancels(result, s, a, b):
        e = math.exp(-a)
        return (1.0 - b) - e / (1.0 + e)
    return result


@helper
def bce_logits_pos_input_grad(a: float, b: float, w: float) -> float:
    """d bce_logits_pos / da: torch's ((w b + 1) - b) sigmoid(a) - w b, its bits, except where that
    subtraction cancels more than one bit on a > 0; there (1 - b) - ((w b + 1) - b) sigmoid(-a)."""
    t = w * b
    weight = (t + 1.0) - b
    term = weight * torch_sigmoid(a)
    result = term - t
    if _cancels(result, term, a, b):
        e = math.exp(-a)
        return (1.0 - b) - weight * (e / (1.0 + e))
    return result


@helper
def bce_logits_pos_target_grad(a: float, w: float) -> float:
    """d bce_logits_pos / db, torch's formula log_sigmoid(-a) - w log_sigmoid(a)."""
    return log_sigmoid(-a) - w * log_sigmoid(a)


@helper
def erf(a: float) -> float:
    """The error function (libm's, as ``math.erf``): GELU's normal CDF is 0.5 (1 + erf(a / sqrt 2))."""
    return math.erf(a)


@helper
def expm1(a: float) -> float:
    """e^a - 1 without the cancellation of ``exp(a) - 1.0`` near 0 (ELU's negative side, as torch's expm1);
    refuses overflow (past about 709.78), as `exp` does."""
    try:
        return math.expm1(a)
    except OverflowError:
        raise OverflowError(f"expm1: result too large in expm1({a!r})") from None


@helper
def relu(a: float) -> float:
    """max(0, a); -0.0 stays -0.0, as in PyTorch (only a negative number is replaced by 0)."""
    return 0.0 if a < 0.0 else a


@helper
def step(a: float) -> float:
    """1 for a > 0, else 0: ReLU's derivative."""
    return 1.0 if a > 0.0 else 0.0


#: The last float whose exp is finite (math.exp of the next float up overflows).
LAST_FINITE_EXP = 709.782712893384


@helper
def silu_sigmoid(a: float) -> float:
    """The sigmoid of torch's SiLU derivative (silu_backward), 1 / (1 + exp(-a)), and its 0 where exp(-a)
    overflows (below -709.782712893384 torch divides by 1 + inf; here the exponential is not taken)."""
    if a < -LAST_FINITE_EXP:
        return 0.0
    return 1.0 / (1.0 + math.exp(-a))


@helper
def where_positive(c: float, a: float, b: float) -> float:
    """a where c > 0, else b: a branch of torch's kernels (``c > 0 ? a : b``) that keeps the chosen value's sign of
    zero, which ``step(c) * a + (1 - step(c)) * b`` loses (0.0 * b is added to a -0.0 a: +0.0)."""
    return a if c > 0.0 else b


@helper
def sign(a: float) -> float:
    """-1, 0 or 1; the subgradient of |a| at 0 is 0, as in PyTorch."""
    return 1.0 if a > 0.0 else -1.0 if a < 0.0 else 0.0


helper(math.tanh, name="tanh")
helper(abs, name="abs")

__all__ = ["HELPERS", "helper", "scalar_namespace"]
