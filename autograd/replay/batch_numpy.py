"""numpy versions of the op helpers, for replaying a tape over many samples at once.

The replayer pastes the op table's expressions into generated code; run with
this namespace, every name (``exp``, ``log``, ``div`` ...) works elementwise
on arrays of samples. The names come from the one helper list,
`autograd.helpers.HELPERS`: each gets the numpy version written here, or
else its scalar helper applied sample by sample (a helper you registered for
your own op works in batch mode unchanged, only slower). Domain checks stay:
a bad value in any sample raises, naming the op and that value. Imported
only by `Tape.run_batch`; numpy is an optional extra.
"""

from __future__ import annotations

import math
import numbers
import os
import struct
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from ..helpers import BCE_EPSILON, BCE_LOG_FLOOR, HELPERS, LAST_FINITE_EXP
from ..shown import short_repr
from ..torch_sum import torch_mean
from .blocks import ARRAY_HELPER_PREFIX

try:
    import numpy as np
except ImportError:  # pragma: no cover - exercised only without numpy
    raise ImportError('batch replay needs numpy: pip install "valuegrad[batch]"') from None

from .row_reductions import row_tools  # noqa: E402 - needs numpy, whose absence is reported above

Array = Any  # numpy.ndarray or float
F = TypeVar("F", bound=Callable[..., Any])

# The numpy version of each helper that has one, by the helper's name.
_VERSIONS: dict[str, Callable[..., Array]] = {}


def numpy_version(fn: F, name: str | None = None) -> F:
    """Register ``fn`` as the array version of the helper called ``name`` (default: its own name)."""
    _VERSIONS[name or fn.__name__] = fn
    return fn


def _first_bad(a: Array, bad: Array) -> float:
    return float(np.asarray(a)[np.asarray(bad)].flat[0]) if np.ndim(bad) else float(a)


@numpy_version
def div(a: Array, b: Array) -> Array:
    """Elementwise a / b, refusing any zero divisor."""
    zero = np.equal(b, 0.0)
    if np.any(zero):
        raise ZeroDivisionError("div: division by zero in a sample")
    return np.divide(a, b)


@numpy_version
def reciprocal(a: Array) -> Array:
    """Elementwise 1 / a, refusing any zero."""
    if np.any(np.equal(a, 0.0)):
        raise ZeroDivisionError(f"reciprocal: division by zero in 1 / {_first_bad(a, np.equal(a, 0.0))!r} in a sample")
    return np.divide(1.0, a)


# torch's special exponents (`autograd.torch_powers`) on arrays: the same products, divisions and correctly rounded
# square roots as the scalar helpers, so every replay mode gives the eager engine's bits (np.power(a, 3.0) is pow).
_SPECIAL_POWERS: dict[float, Callable[[Array], Array]] = {
    2.0: lambda a: a * a,
    3.0: lambda a: a * a * a,
    -2.0: lambda a: np.divide(1.0, a * a),
    0.5: np.sqrt,
    -0.5: lambda a: np.divide(1.0, np.sqrt(a)),
    -1.0: lambda a: np.divide(1.0, a),
}


def _power(a: Array, n: float) -> Array:
    special = _SPECIAL_POWERS.get(n)
    return special(a) if special is not None else np.power(a, n)


@numpy_version
def pow_const(a: Array, n: float) -> Array:
    """a ** n with a constant exponent, real results only; torch's special exponents as the scalar helper's."""
    if n < 0 and np.any(np.equal(a, 0.0)):
        raise ZeroDivisionError(f"pow: zero to a negative power ({n!r}) in a sample")
    if not float(n).is_integer() and np.any(np.less(a, 0.0)):
        bad = _first_bad(a, np.less(a, 0.0))
        raise ValueError(f"pow: math domain error in {bad!r} ** {n!r}: a negative base needs an integer exponent")
    with np.errstate(over="ignore", divide="ignore"):  # an infinity is named by _finite
        return _finite("pow", _power(a, n))


@numpy_version
def pow_const_grad(a: Array, n: float) -> Array:
    """n a^(n-1), a^(n-1) computed as `pow_const` computes it (torch's pow_backward); refused where infinite."""
    if n == 0.0:
        return 0.0
    if n < 1.0 and np.any(np.equal(a, 0.0)):
        raise ZeroDivisionError(f"pow: derivative of 0.0 ** {n!r} is infinite")
    with np.errstate(over="ignore", divide="ignore"):
        return n * _power(a, n - 1.0)


@numpy_version
def pow_value(a: Array, b: Array) -> Array:
    """a ** b with a positive base, or 0 with an exponent >= 0 (the scalar helper's rule)."""
    if np.any(np.less_equal(a, 0.0)):
        if np.any(np.less(a, 0.0)):
            bad = _first_bad(a, np.less(a, 0.0))
            raise ValueError(f"pow: math domain error in {bad!r} ** b: Value ** Value needs a positive base")
        if np.any(np.equal(a, 0.0) & np.less(b, 0.0)):
            raise ZeroDivisionError("pow: zero to a negative power in a sample")
    return _finite("pow", np.power(a, b))


@numpy_version
def pow_value_base_grad(a: Array, b: Array) -> Array:
    """b a^(b-1) elementwise; 0 where b = 0; refused where a = 0 and 0 < b < 1 (infinite)."""
    if np.any(np.equal(a, 0.0) & np.less(b, 1.0) & np.not_equal(b, 0.0)):
        raise ZeroDivisionError("pow: derivative of 0.0 ** b in the base is infinite at zero in a sample")
    zero = np.equal(b, 0.0)
    if not np.any(zero):
        return b * np.power(a, b - 1.0)
    return np.where(zero, 0.0, b * np.power(a, np.where(zero, 1.0, b) - 1.0))


@numpy_version
def pow_value_exponent_grad(out: Array, a: Array) -> Array:
    """a^b log a elementwise; 0 where a = 0."""
    zero = np.equal(a, 0.0)
    if not np.any(zero):
        return out * np.log(a)
    return np.where(zero, 0.0, out * np.log(np.where(zero, 1.0, a)))


@numpy_version
def exp(a: Array) -> Array:
    """Elementwise e ** a, refusing overflow."""
    too_big = np.greater(a, 709.782712893384)
    if np.any(too_big):
        raise OverflowError(f"exp: result too large in exp({_first_bad(a, too_big)!r})")
    return np.exp(a)


@numpy_version
def log(a: Array) -> Array:
    """Elementwise natural log of positive numbers."""
    bad = np.less_equal(a, 0.0)
    if np.any(bad):
        raise ValueError(f"log: math domain error in log({_first_bad(a, bad)!r}): needs a positive argument")
    return np.log(a)


@numpy_version
def sqrt(a: Array) -> Array:
    """Elementwise square root of non-negative numbers."""
    bad = np.less(a, 0.0)
    if np.any(bad):
        raise ValueError(f"sqrt: math domain error in sqrt({_first_bad(a, bad)!r}): needs a non-negative argument")
    return np.sqrt(a)


@numpy_version
def sqrt_grad(out: Array) -> Array:
    """1 / (2 sqrt(a)), refused at 0."""
    if np.any(np.equal(out, 0.0)):
        raise ZeroDivisionError("sqrt: derivative of sqrt(0.0) is infinite")
    return 0.5 / out


@numpy_version
def sigmoid(a: Array) -> Array:
    """1 / (1 + e^-a) elementwise, in one buffer: four array ops where the scalar helper's two branches (which
    keep math.exp from raising) took nine. e^-a overflows to inf only where the result is below 5.6e-309,
    which gives 0 (the scalar helper: a subnormal); within 1.8 ulps of a 60-digit reference as that helper
    (the run ignores numpy's overflow warning, as for every op: a non-finite result is refused by name)."""
    t = np.negative(a)
    if type(t) is not np.ndarray:  # one sample's number
        return 1.0 / (1.0 + np.exp(t))
    np.exp(t, out=t)
    t += 1.0
    return np.divide(1.0, t, out=t)


@numpy_version
def sigmoid_grad(out: Array, a: Array) -> Array:
    """sigmoid'(a) = 1 / (4 cosh^2(a/2)) = 1 / (2 + 2 cosh a): three array ops in one buffer, no cancellation
    (cosh >= 1), within 2 ulps of a 60-digit reference where the scalar helper's branches (nine ops) reached
    3. cosh overflows only where the result is below 4.5e-309, which gives 0 (the scalar helper: a subnormal)."""
    t = np.cosh(a)
    if type(t) is not np.ndarray:
        return 0.5 / (1.0 + t)
    t += 1.0
    return np.divide(0.5, t, out=t)


@numpy_version
def tanh_grad(out: Array, a: Array) -> Array:
    """tanh'(a) = 1 / cosh^2(a) = 2 / (1 + cosh 2a): four array ops in one buffer, where the scalar helper's two
    branches (1 - out^2 near 0, 4e / (1 + e)^2 beyond) took eleven. No cancellation (cosh >= 1) and one
    rounding fewer than squaring 1 / cosh a: within 2 ulps of a 60-digit reference (the branches: 3.7).
    cosh 2a overflows only where the result is below 1.2e-308 (|a| > 355), which gives 0 (the scalar
    helper: a subnormal)."""
    t = np.multiply(a, 2.0)
    if type(t) is not np.ndarray:
        return 2.0 / (1.0 + np.cosh(t))
    np.cosh(t, out=t)
    t += 1.0
    return np.divide(2.0, t, out=t)


@numpy_version
def log1pexp(a: Array) -> Array:
    """log(1 + e^a) elementwise: max(a, 0) + log1p(e^-|a|), the scalar helper's two branches."""
    return np.where(np.greater(a, 0.0), a, 0.0) + np.log1p(np.exp(-np.abs(a)))


# libm's functions called from C for every element, so each sample equals the scalar helper exactly: numpy has
# no erf, and its own expm1 differs from libm's in the last bit at some points (e.g. -2.5).
_LIBM_ERF = np.frompyfunc(math.erf, 1, 1)
_LIBM_EXPM1 = np.frompyfunc(math.expm1, 1, 1)


_LIBM_SOFTPLUS_LOG = np.frompyfunc(HELPERS["softplus_log"], 1, 1)
_LIBM_SOFTPLUS_SIGMOID = np.frompyfunc(HELPERS["softplus_sigmoid"], 1, 1)


@numpy_version
def softplus_log(a: Array) -> Array:
    """log1p(exp(a)) elementwise by libm, as the scalar helper (numpy's exp and log1p are other last bits in 5% and
    13% of points here, so a numpy group of a level or a layer would not give the eager engine's bits)."""
    return np.asarray(_LIBM_SOFTPLUS_LOG(a), dtype=np.float64)


@numpy_version
def softplus_sigmoid(a: Array) -> Array:
    """exp(a) / (exp(a) + 1) elementwise by libm's exp, as the scalar helper."""
    return np.asarray(_LIBM_SOFTPLUS_SIGMOID(a), dtype=np.float64)


@numpy_version
def erf(a: Array) -> Array:
    """The error function elementwise, libm's (``math.erf``) as the scalar helper."""
    return np.asarray(_LIBM_ERF(a), dtype=np.float64)


@numpy_version
def expm1(a: Array) -> Array:
    """Elementwise e^a - 1 without cancellation near 0, refusing overflow as the scalar helper does."""
    too_big = np.greater(a, 709.782712893384)
    if np.any(too_big):
        raise OverflowError(f"expm1: result too large in expm1({_first_bad(a, too_big)!r})")
    return np.asarray(_LIBM_EXPM1(a), dtype=np.float64)


_LIBM_EXP = np.frompyfunc(math.exp, 1, 1)
_LIBM_LOG1P = np.frompyfunc(math.log1p, 1, 1)


def _libm(fn: Any, a: Array) -> Array:
    """libm's function of each element (called from C), as the scalar helpers compute: numpy's own exp and log1p
    may differ from libm's in the last bit, and binary_cross_entropy_with_logits is torch's bits where libm's are."""
    return np.asarray(fn(a), dtype=np.float64)


@numpy_version
def log_sigmoid(a: Array) -> Array:
    """min(a, 0) - log1p(e^-|a|) per sample, libm's, as the scalar helper (a kept where a <= 0: -0.0 stays)."""
    return np.where(np.greater(a, 0.0), 0.0, a) - _libm(_LIBM_LOG1P, _libm(_LIBM_EXP, -np.abs(a)))


def _torch_sigmoid(a: Array) -> Array:
    """1 / (1 + e^-a) per sample, 0 where e^-a overflows, as `helpers.torch_sigmoid`."""
    beyond = np.less(a, -LAST_FINITE_EXP)
    return np.where(beyond, 0.0, 1.0 / (1.0 + _libm(_LIBM_EXP, -np.where(beyond, 0.0, a))))


def _sigmoid_of_minus(a: Array) -> Array:
    """e^-a / (1 + e^-a) per sample where a > 0 (the accurate branch of the gradients below; 0.5 elsewhere)."""
    e = _libm(_LIBM_EXP, -np.where(np.greater(a, 0.0), a, 0.0))
    return e / (1.0 + e)


@numpy_version
def bce_logits(a: Array, b: Array) -> Array:
    """(1 - b) a - log_sigmoid(a) per sample, as the scalar helper."""
    return (1.0 - b) * a - log_sigmoid(a)


@numpy_version
def bce_logits_pos(a: Array, b: Array, w: Array) -> Array:
    """(1 - b) a - log_sigmoid(a) ((w - 1) b + 1) per sample, as the scalar helper."""
    return (1.0 - b) * a - log_sigmoid(a) * ((w - 1.0) * b + 1.0)


@numpy_version
def bce_logits_input_grad(a: Array, b: Array) -> Array:
    """sigmoid(a) - b per sample, or (1 - b) - sigmoid(-a) where that cancels on a > 0, as the scalar helper."""
    s = _torch_sigmoid(a)
    result = s - b
    cancels = np.logical_and(np.logical_and(np.greater(a, 0.0), np.greater(b, 0.5)),
                             np.less(np.abs(result), 0.5 * np.abs(s)))
    return np.where(cancels, (1.0 - b) - _sigmoid_of_minus(a), result)


@numpy_version
def bce_logits_pos_input_grad(a: Array, b: Array, w: Array) -> Array:
    """((w b + 1) - b) sigmoid(a) - w b per sample, or its accurate form where that cancels, as the scalar helper."""
    t = w * b
    weight = (t + 1.0) - b
    term = weight * _torch_sigmoid(a)
    result = term - t
    cancels = np.logical_and(np.logical_and(np.greater(a, 0.0), np.greater(b, 0.5)),
                             np.less(np.abs(result), 0.5 * np.abs(term)))
    return np.where(cancels, (1.0 - b) - weight * _sigmoid_of_minus(a), result)


@numpy_version
def bce_logits_pos_target_grad(a: Array, w: Array) -> Array:
    """log_sigmoid(-a) - w log_sigmoid(a) per sample."""
    return log_sigmoid(-a) - w * log_sigmoid(a)


@numpy_version
def bce(a: Array, b: Array) -> Array:
    """Binary cross-entropy per sample, the scalar helper's formula: (b - 1) max(log1p(-a), -100) - b max(log a,
    -100), a probability outside [0, 1] refused as there."""
    bad = np.logical_not(np.logical_and(np.greater_equal(a, 0.0), np.less_equal(a, 1.0)))
    if np.any(bad):
        raise ValueError(f"binary_cross_entropy: probability {_first_bad(a, bad)!r} is outside [0, 1]")
    with np.errstate(divide="ignore"):  # log(0) and log1p(-1) are -inf, floored at -100 as torch's
        log_a = np.maximum(np.log(a), BCE_LOG_FLOOR)
        log_rest = np.maximum(np.log1p(-a), BCE_LOG_FLOOR)
    return (b - 1.0) * log_rest - b * log_a


@numpy_version
def bce_input_grad(a: Array, b: Array) -> Array:
    """(a - b) / max((1 - a) a, eps) per sample, as the scalar helper."""
    return (a - b) / np.maximum((1.0 - a) * a, BCE_EPSILON)


@numpy_version
def bce_target_grad(a: Array) -> Array:
    """-log(a / (1 - a)) per sample inside (0, 1), the floored logs' difference (+-100) at 0 and 1."""
    inside = np.logical_and(np.greater(a, 0.0), np.less(a, 1.0))
    safe = np.where(inside, a, 0.5)
    return np.where(inside, -np.log(safe / (1.0 - safe)), np.where(np.greater(a, 0.0), BCE_LOG_FLOOR, -BCE_LOG_FLOOR))


@numpy_version
def relu(a: Array) -> Array:
    """max(0, a) elementwise; -0.0 stays -0.0 as in the scalar helper (``np.maximum`` returned +0.0 there)."""
    return np.where(np.less(a, 0.0), 0.0, a)


@numpy_version
def step(a: Array) -> Array:
    """1 where a > 0, else 0."""
    return np.where(np.greater(a, 0.0), 1.0, 0.0)


@numpy_version
def silu_sigmoid(a: Array) -> Array:
    """Elementwise 1 / (1 + exp(-a)), 0 below -709.782712893384 (as the scalar helper: torch's 1 / (1 + inf))."""
    capped = np.maximum(a, -LAST_FINITE_EXP)  # exp is taken of finite exponents only; those lanes are replaced
    return np.where(np.less(a, -LAST_FINITE_EXP), 0.0, 1.0 / (1.0 + np.exp(-capped)))


@numpy_version
def where_positive(c: Array, a: Array, b: Array) -> Array:
    """a where c > 0, else b, per sample (the scalar helper's choice, each value's sign of zero kept)."""
    return np.where(np.greater(c, 0.0), a, b)


# The mean-loss ops' value (`autograd.mean_loss_ops`): torch's Tensor.sum order is a fixed order of additions,
# which the scalar helper carries out on arrays of samples as well (numpy's ufuncs take at most 64 operands).
numpy_version(torch_mean)


@numpy_version
def logsumexp_all(*xs: Array) -> Array:
    """Per sample, the largest input as the shift, then the scalar helper's left-to-right sum of the other terms
    (the first largest input's term left out, as 0.0) and m + log1p of it."""
    m = xs[0]
    for x in xs[1:]:
        m = np.maximum(m, x)
    rest: Array = 0.0
    taken: Array = False
    for x in xs:
        first = np.logical_and(np.equal(x, m), np.logical_not(taken))
        rest = rest + np.where(first, 0.0, np.exp(x - m))
        taken = np.logical_or(taken, first)
    return m + np.log1p(rest)


@numpy_version
def maximum(a: Array, b: Array) -> Array:
    """The larger per sample, a on a tie (the scalar helper's choice, which matters for -0.0 against 0.0), NaN
    where either is NaN (as the scalar helper and torch.maximum)."""
    return np.where(np.logical_or(np.greater_equal(a, b), np.isnan(a)), a, b)


@numpy_version
def largest_all(*xs: Array) -> Array:
    """The largest input per sample, the first on a tie and NaN where any is NaN (as the scalar helper)."""
    m = xs[0]
    for x in xs[1:]:
        m = maximum(m, x)
    return m


@numpy_version
def amax_share(x: Array, out: Array, *xs: Array) -> Array:
    """Per sample, 0 below the largest, else 1 over the number of inputs equal to it (as the scalar helper)."""
    ties: Array = 0.0
    for v in xs:
        ties = ties + np.where(np.less(v, out), 0.0, 1.0)
    return np.where(np.less(x, out), 0.0, 1.0 / ties)


@numpy_version
def amax_shares(out: Array, *xs: Array) -> list[Array]:
    """Every input's `amax_share` at once, per sample (as the scalar helper): the ties counted once over the
    stacked inputs, then 0.0 below the largest and 1 / ties elsewhere, one array (or number) per input."""
    stacked = np.asarray(np.broadcast_arrays(*xs, out)[:-1])  # (inputs, samples), or (inputs,) on one sample
    below = np.less(stacked, out)
    share = 1.0 / np.sum(~below, axis=0, dtype=np.float64)  # a count of at most 2**53: exact in float64
    return list(np.where(below, 0.0, share))


@numpy_version
def max_share(a: Array, b: Array) -> Array:
    """1, 1/2 or 0 per sample, as the scalar helper."""
    return np.where(np.greater(a, b), 1.0, np.where(np.equal(a, b), 0.5, 0.0))


def _finite(name: str, result: Array) -> Array:
    if not np.all(np.isfinite(result)):
        raise OverflowError(f"{name}: result too large in a sample")
    return result


def stack_rows(values: Sequence[Array], width: int) -> Array:
    """Rows of a (len(values), width) matrix from arrays of samples and plain numbers (repeated across samples)."""
    rows = np.empty((len(values), width))
    for i, v in enumerate(values):
        rows[i] = v  # a number fills its row
    return rows


def stack_pieces(width: int, pieces: Sequence[tuple[Array, int]]) -> Array:
    """Rows from pieces ``(value, count)``: a block of ``count`` rows, or one row (an array or a number).

    ``width`` is the number of samples (rows are then arrays of them), or 0 for one sample (a vector).
    """
    total = sum(count for _, count in pieces)
    rows = np.empty((total, width) if width else total)
    start = 0
    for value, count in pieces:
        rows[start: start + count] = value
        start += count
    return rows


#: A packer per length met (a tape reads its parameters at one length): ``struct.pack`` writes a list of
#: floats out at C speed, 2.6x ``np.fromiter`` and 4x ``np.asarray`` on W1's 4,417 weights.
_PACKERS: dict[int, struct.Struct] = {}


def floats(values: Sequence[float]) -> Array:
    """A float64 vector of ``values`` (read-only: its memory is the packed bytes, which nothing else holds)."""
    packer = _PACKERS.get(len(values))
    if packer is None:
        if len(_PACKERS) >= 64:  # lengths from many different tapes: start over rather than grow without end
            _PACKERS.clear()
        packer = _PACKERS[len(values)] = struct.Struct(f"={len(values)}d")
    return np.frombuffer(packer.pack(*values), np.float64)


def like_rows(value: Array, like: Array) -> Array:
    """A new array shaped like ``like`` holding ``value`` (a number, or one row of samples) in every row."""
    return np.broadcast_to(value, np.shape(like)).copy()


def batch_size(inputs: Sequence[Array]) -> int:
    """The number of samples a batch run's input columns hold (1 for a tape without inputs)."""
    return max((np.size(a) for a in inputs), default=1)


def add_sample_sums(summed: Array, index: Array, grads: Sequence[Array], n: int) -> None:
    """Add each gradient's sum over the ``n`` samples to ``summed[index[k]]`` (a number counts for every sample)."""
    summed[index] += [g * n if np.ndim(g) == 0 else np.sum(g) for g in grads]


numpy_version(np.tanh, "tanh")
numpy_version(np.sign, "sign")
numpy_version(np.abs, "abs")
# Wide sums and dots loop over their terms with + and *, which arrays support as they are.
numpy_version(HELPERS["add_all"])
numpy_version(HELPERS["dot_all"])


def helpers_namespace() -> dict[str, object]:
    """Every registered helper by name: its numpy version, or the scalar one applied elementwise."""
    return {name: _VERSIONS.get(name) or np.vectorize(fn, otypes=[np.float64]) for name, fn in HELPERS.items()}


def namespace(tables: dict[str, list[Any]]) -> dict[str, object]:
    """The helpers plus the generated code's index tables (as integer arrays) and matrix tools."""
    scope = helpers_namespace()
    scope.update({"asarray": np.asarray, "zeros": np.zeros, "stack_rows": stack_rows, "add_at": np.add.at,
                  "stack_pieces": stack_pieces, "batch_size": batch_size, "floats": floats, "like_rows": like_rows,
                  "add_sample_sums": add_sample_sums})
    scope.update({name: np.asarray(table, dtype=np.intp) for name, table in tables.items()})
    return scope


def vector_tools(tables: dict[str, list[Any]], prefix: str = ARRAY_HELPER_PREFIX) -> dict[str, object]:
    """What a one-sample vectorized tape calls besides the scalar helpers: its index tables, numpy tools, and
    the numpy version of every helper under ``prefix`` + its name (for a layer's elementwise ops on arrays)."""
    scope: dict[str, object] = {"asarray": np.asarray, "add_at": np.add.at, "zeros": np.zeros,
                                "stack_pieces": stack_pieces, "floats": floats, "like_rows": like_rows}
    scope.update({name: np.asarray(table, dtype=np.intp) for name, table in tables.items()})
    scope.update({prefix + name: fn for name, fn in helpers_namespace().items()})
    scope.update(row_tools())  # a logsumexp (or sum) over a block's rows as one call
    return scope


def _refuse_bools_and_complex(k: int, column: Sequence[float]) -> None:
    """TypeError for a bool or a complex number in a column, worded as the eager engine's ``Value(True)``:
    converted to float64, True became 1.0 and a complex array lost its imaginary parts (only a ComplexWarning
    said so), where ``Value(True)`` and ``Value(1j)`` are TypeErrors.

    The types are collected at C speed (a set over ``map(type, ...)``), so a long list of floats costs
    little; only a column holding a bool or a complex is walked to name the sample.
    """
    if isinstance(column, np.ndarray):
        kind = column.dtype.kind
        if kind in "fiu":
            if isinstance(column, np.ma.MaskedArray) and np.ma.getmaskarray(column).any():
                i = int(np.flatnonzero(np.ma.getmaskarray(column))[0])
                raise ValueError(f"batch column {k} is a masked array with sample {i} masked: numpy would replay"
                                 " the number under the mask; fill or drop the masked samples first")
            return
        if kind == "b":
            raise TypeError(f"batch column {k}: Value data must be a real number, got bool array of dtype bool")
        if kind == "c":
            raise TypeError(f"batch column {k}: Value data must be a real number, got complex array of dtype"
                            f" {column.dtype}")
        if kind != "O":  # text ('1.5' was read as 1.5), dates and durations (their count of days or seconds)
            raise TypeError(f"batch column {k} must hold real numbers only, got an array of dtype {column.dtype}"
                            " (the eager engine refuses such Value data)")
    try:
        kinds = set(map(type, column))
    except TypeError:
        return  # not iterable: np.asarray's own error names it
    refused = (bool, np.bool_, complex, np.complexfloating)
    if any(issubclass(t, refused) for t in kinds):
        i, x = next((i, x) for i, x in enumerate(column) if isinstance(x, refused))
        what = "bool" if isinstance(x, (bool, np.bool_)) else "complex"
        raise TypeError(f"batch column {k}, sample {i}: Value data must be a real number, got {what} {x!r}")
    # numpy reads a str '1.5' (or bytes), a Value or any object with __float__ as a number; a Value() and a tape's
    # own inputs refuse them. None stays for as_columns to name; rows of a 2-D column for its shape check.
    if not kinds <= _NUMBER_KINDS and any(not issubclass(t, _NUMBER_LIKE) for t in kinds):
        i, x = next((i, x) for i, x in enumerate(column) if not isinstance(x, _NUMBER_LIKE))
        raise TypeError(f"batch column {k} must hold real numbers only: sample {i} is {type(x).__name__}"
                        f" {short_repr(x)} (the eager engine refuses such Value data)")


_NUMBER_KINDS = frozenset({float, int, type(None)})
_NUMBER_LIKE = (numbers.Real, type(None), list, tuple, np.ndarray)  # a Fraction is Value data too


def as_columns(columns: Sequence[Sequence[float]], bytes_per_sample: int = 0) -> tuple[list[Array], int]:
    """Each input column as a float64 array; all the same length, finite; and a MemoryError, before any sample
    is read, when ``bytes_per_sample`` (what the tape's code keeps per sample) times the samples is more than
    the machine's memory."""
    arrays = []
    for k, c in enumerate(columns):
        if isinstance(c, (str, bytes)):
            raise TypeError(f"batch column {k} must be a sequence of numbers, got {type(c).__name__} {c[:40]!r}")
        _refuse_bools_and_complex(k, c)
        try:
            arrays.append(np.asarray(c, dtype=np.float64))
        except (TypeError, ValueError) as error:  # a string, None, a complex or a ragged row among the numbers
            raise TypeError(f"batch column {k} must hold real numbers only: {error}") from None
        except OverflowError:  # an int beyond float range ("int too large to convert to float", naming no column)
            raise OverflowError(f"batch column {k} holds an integer too large for a float") from None
    lengths = {a.shape for a in arrays}
    if len(lengths) != 1 or arrays[0].ndim != 1:
        raise ValueError(f"batch columns must be 1-D and equally long, got shapes {sorted(lengths)}")
    if arrays and not arrays[0].size:  # numpy's own error was about broadcasting shapes (3,0) into (3,)
        raise ValueError("batch columns are empty: run_batch needs at least one sample")
    if arrays:
        _refuse_past_memory(int(arrays[0].shape[0]), bytes_per_sample)
    for k, a in enumerate(arrays):
        if not np.all(np.isfinite(a)):
            i = int(np.flatnonzero(~np.isfinite(a))[0])
            try:
                given = columns[k][i]  # None became NaN in the array: name what was given
            except (TypeError, IndexError, KeyError):
                given = a[i]
            shown = "None, not a number" if given is None else f"{float(a[i])!r}, not a finite number"
            raise ValueError(f"batch column {k} holds a non-finite number: sample {i} is {shown}")
    return arrays, int(arrays[0].shape[0])


def _refuse_past_memory(n: int, bytes_per_sample: int) -> None:
    """MemoryError naming the sample count when the tape's arrays for ``n`` samples exceed physical memory: a
    column of 10^9 samples (a broadcast view costs nothing to pass) ran until the operating system killed the
    process, an array per node of the graph at a time."""
    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):
        return  # the platform does not say
    if n * bytes_per_sample > memory:
        raise MemoryError(f"run_batch: {n:,} samples need about {n * bytes_per_sample / 2**30:,.0f} GiB of arrays"
                          f" ({bytes_per_sample:,} bytes a sample): more than this machine's {memory / 2**30:,.0f}"
                          " GiB of memory; run the samples in chunks")


def finish(
    loss: Array, grads: Sequence[Array] | None, summed: Array | None, n: int, reduce: str,
    names: Callable[[int], str],
) -> tuple[Array, list[Array]]:
    """Per-sample losses, and each gradient summed over samples or broadcast to one per sample.

    A gradient that came out as a plain number is the same for every sample.
    The tape's code returns its gradients one of two ways, never both: ``grads`` (one per parameter: a
    number, or an array over samples) when it has no matrix products, else ``summed`` alone (every
    gradient, summed over samples by matrix products, or one row per parameter per sample) with ``grads``
    None.
    """
    if grads is not None and summed is not None:  # a mix would need its two halves added: no code makes one
        raise ValueError("batch replay: the tape's code returned gradients both per parameter and summed")
    losses = np.broadcast_to(np.asarray(loss, dtype=np.float64), (n,)).copy()
    bad = np.flatnonzero(~np.isfinite(losses))
    if bad.size:
        raise FloatingPointError(
            f"batch replay: the loss is {float(losses[bad[0]])!r} in sample {int(bad[0])} (and {bad.size - 1} more):"
            " run that sample eagerly to find the op"
        )
    if grads is None:  # every gradient is in ``summed``: a vector of sums, or (per sample) one row per parameter
        if summed is None or np.ndim(summed) != (1 if reduce == "sum" else 2):
            raise ValueError(f"batch replay: the tape's code returned no gradients for reduce={reduce!r}")
        if reduce != "sum":
            if not np.isfinite(summed).all():
                row = int(np.flatnonzero(~np.isfinite(summed).all(axis=1))[0])
                raise FloatingPointError(f"batch replay: the gradient of {names(row)} is not finite in some sample")
            return losses, list(summed)
    if reduce == "sum":
        if grads is None:
            totals = np.asarray(summed, dtype=np.float64)
        else:
            totals = np.array([g * n if type(g) is float or np.ndim(g) == 0 else g.sum() for g in grads],
                              dtype=np.float64)
        if not np.isfinite(totals).all():
            bad = np.flatnonzero(~np.isfinite(totals))
            raise FloatingPointError(f"batch replay: the gradient of {names(int(bad[0]))} is not finite")
        return losses, totals.tolist()
    assert grads is not None
    out = [np.broadcast_to(np.asarray(g, dtype=np.float64), (n,)).copy() for g in grads]
    for k, g in enumerate(out):
        if not np.all(np.isfinite(g)):
            raise FloatingPointError(f"batch replay: the gradient of {names(k)} is not finite in some sample")
    return losses, out
