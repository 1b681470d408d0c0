"""Seeded weight initialisation (the same seed gives the same network), and torch.nn.init's functions."""

from __future__ import annotations

import math
import numbers
import random
import warnings
from collections.abc import Callable
from statistics import NormalDist
from typing import Any

from autograd import Value

from .numbers_in_messages import checked_float, short_repr, short_str


def make_rng(seed: int | random.Random | None, who: str = "seed") -> random.Random:
    """A private random generator: from a seed, or the given one; without either, seeded from ``random``.

    ``seed=None`` draws the private generator's seed from the global generator, so ``random.seed(1337)``
    before building a model makes it reproducible, as in micrograd (whose weights come from
    ``random.uniform``) and PyTorch (``torch.manual_seed``). The global generator moves on by one draw.
    Any other seed than an int (not a bool) is refused with TypeError, naming ``who`` (the caller).
    """
    if isinstance(seed, random.Random):
        return seed
    if seed is None:
        return random.Random(random.getrandbits(64))
    if not isinstance(seed, numbers.Integral) or isinstance(seed, bool):
        # random.Random would take a str, a float or bytes without a word (hashing "a" to some network), and a
        # bool is most likely a misplaced flag
        raise TypeError(f"{who}: seed must be an int, a random.Random or None, got {type(seed).__name__} "
                        f"{short_repr(seed)}")
    return random.Random(int(seed))  # a numpy integer seeds as the same int


def uniform_fan_in(rng: random.Random, fan_in: int) -> float:
    """U(-1/sqrt(fan_in), 1/sqrt(fan_in)), PyTorch's default for linear layers."""
    bound = 1.0 / math.sqrt(max(fan_in, 1))
    return rng.uniform(-bound, bound)


# torch.nn.init's functions, for code written for torch: ``nn.init.xavier_uniform_(layer.weight)``.
# A "tensor" here is a parameter Value, a list of them (torch's 1-D), or nested lists (a matrix is one list of
# Values per row, torch's (out_features, in_features) layout, as `Linear.weight`); each function writes the
# Values' ``.data`` in place and returns what it was given, as torch's return the tensor.

Tensor = Any

#: The nonlinearities whose gain is 1 (torch's list).
_LINEAR_FUNCTIONS = ("linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
                     "conv_transpose3d", "sigmoid")


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """torch's recommended gain for ``nonlinearity``: 1 (linear, conv, sigmoid), 5/3 (tanh), sqrt(2) (relu),
    sqrt(2 / (1 + slope^2)) (leaky_relu, slope ``param``, default 0.01), 3/4 (selu); else torch's ValueError."""
    if nonlinearity in _LINEAR_FUNCTIONS:
        return 1
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            slope = 0.01
        elif isinstance(param, numbers.Integral) and not isinstance(param, bool) and abs(param) >= 2**1024:
            # Past the float range (math.isfinite would raise "int too large to convert to float"): the gain
            # sqrt(2) / |slope| is below the smallest float, 0.0 as it underflows.
            return 0.0
        elif isinstance(param, numbers.Real) and not isinstance(param, bool) and math.isfinite(param):
            slope = float(param)
        else:
            raise ValueError(f"negative_slope {param} not a valid number")
        if abs(slope) > 1e150:  # slope**2 would overflow: the gain is sqrt(2) / |slope| to the last bit there
            return math.sqrt(2.0) / abs(slope)
        return math.sqrt(2.0 / (1 + slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"Unsupported nonlinearity {short_str(nonlinearity)}")


def _shape_and_values(tensor: Tensor, who: str) -> tuple[tuple[int, ...], list[Value]]:
    """The tensor's shape and its Values in row-major order; TypeError/ValueError for anything else (a list
    that contains itself, or lists nested too deep for Python's recursion, is a ValueError naming ``who``)."""
    try:
        return _nested_shape_and_values(tensor, who, set())
    except RecursionError:
        raise ValueError(f"{who}: the lists are nested too deep to be a tensor") from None


def _nested_shape_and_values(tensor: Tensor, who: str, open_lists: set[int]) -> tuple[tuple[int, ...], list[Value]]:
    """`_shape_and_values` below the lists (by id) in ``open_lists``, those being walked around this one."""
    if isinstance(tensor, Value):
        return (), [tensor]
    if not isinstance(tensor, (list, tuple)):
        raise TypeError(f"{who} needs a parameter Value or (nested) lists of them, got {type(tensor).__name__}")
    if id(tensor) in open_lists:
        raise ValueError(f"{who}: the list contains itself, so it has no shape (a tensor is finitely nested lists)")
    items = list(tensor)
    if not items:
        return (0,), []
    open_lists.add(id(tensor))
    shapes_and_values = [_nested_shape_and_values(item, who, open_lists) for item in items]
    open_lists.discard(id(tensor))
    inner = shapes_and_values[0][0]
    if any(shape != inner for shape, _ in shapes_and_values):
        raise ValueError(f"{who} needs a tensor's shape: every row the same length, got rows of shapes "
                         f"{sorted({shape for shape, _ in shapes_and_values})}")
    return (len(items), *inner), [v for _, values in shapes_and_values for v in values]


def _fill(tensor: Tensor, who: str, draw: Callable[[], float]) -> Tensor:
    """Every Value of ``tensor`` set to a new ``draw()``, in row-major order (torch's); returns ``tensor``.

    All or nothing: a draw that is not finite (a spread so wide that it overflows, say ``normal_`` with
    std 1e308) is a ValueError naming ``who``, and no Value has changed.
    """
    values = _shape_and_values(tensor, who)[1]
    drawn = [draw() for _ in values]
    bad = next((x for x in drawn if not math.isfinite(x)), None)
    if bad is not None:
        raise ValueError(f"{who}: a drawn value is {short_repr(bad)} (the bounds or spread are too large for a float); "
                         "nothing was changed")
    for v, x in zip(values, drawn):
        v.data = x
    return tensor


def _uniform(rng: random.Random, low: float, high: float) -> float:
    """U(low, high) without overflowing when ``high - low`` is past the largest float (+-1e308 bounds)."""
    r = rng.random()
    width = high - low
    return low + width * r if math.isfinite(width) else low * (1.0 - r) + high * r


def _fans(shape: tuple[int, ...], who: str) -> tuple[int, int]:
    """torch's (fan_in, fan_out): ``shape[1]`` and ``shape[0]``, each times the product of the rest."""
    if len(shape) < 2:
        raise ValueError(f"{who}: Fan in and fan out can not be computed for tensor with fewer than 2 dimensions")
    receptive = math.prod(shape[2:])
    return shape[1] * receptive, shape[0] * receptive


def uniform_(tensor: Tensor, a: float = 0.0, b: float = 1.0, generator: int | random.Random | None = None) -> Tensor:
    """Fill ``tensor`` from U(a, b) (torch's ``nn.init.uniform_``); ``a > b`` is torch's error, as a ValueError.

    ``generator`` is a seed or a ``random.Random`` (torch's is a ``torch.Generator``); None draws from
    Python's global ``random`` (seeded by ``random.seed``), as torch's draws from its global generator.
    """
    low, high = checked_float(a, "uniform_ a"), checked_float(b, "uniform_ b")
    if low > high:
        raise ValueError(f"uniform_ expects to return a [from, to) range, but found from={a} > to={b}")
    rng = make_rng(generator, "nn.init.uniform_")
    return _fill(tensor, "nn.init.uniform_", lambda: _uniform(rng, low, high))


def normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0,
            generator: int | random.Random | None = None) -> Tensor:
    """Fill ``tensor`` from N(mean, std^2) (torch's ``nn.init.normal_``); a negative std is torch's error."""
    mu, sigma = checked_float(mean, "normal_ mean"), checked_float(std, "normal_ std")
    if sigma < 0.0:
        raise ValueError(f"normal expects std >= 0.0, but found std {std}")
    rng = make_rng(generator, "nn.init.normal_")
    return _fill(tensor, "nn.init.normal_", lambda: rng.gauss(mu, sigma))


def trunc_normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0, a: float = -2.0, b: float = 2.0,
                  generator: int | random.Random | None = None) -> Tensor:
    """Fill ``tensor`` from N(mean, std^2) truncated to [a, b] (torch's ``nn.init.trunc_normal_``).

    Drawn by the inverse CDF (no rejection loop, so an interval far out in a tail costs no more time than
    one around the mean); ``std`` must be positive and ``a < b``.
    """
    mu, sigma = checked_float(mean, "trunc_normal_ mean"), checked_float(std, "trunc_normal_ std")
    low, high = checked_float(a, "trunc_normal_ a"), checked_float(b, "trunc_normal_ b")
    if sigma <= 0.0 or not low < high:
        raise ValueError(f"trunc_normal_ needs std > 0 and a < b, got std={std}, a={a}, b={b}")
    rng = make_rng(generator, "nn.init.trunc_normal_")
    unit = NormalDist()
    z_low, z_high = (low - mu) / sigma, (high - mu) / sigma
    if z_low == math.inf or z_high == -math.inf:
        # the interval is more standard deviations from the mean than a float holds: the law is all at the
        # bound nearest the mean (the tail sampler below would never accept with an infinite rate)
        nearest = low if z_low == math.inf else high
        return _fill(tensor, "nn.init.trunc_normal_", lambda: nearest)
    # Sample the lower tail when the interval is above the mean: small CDF values keep their precision there.
    flip = z_low > 0.0
    if flip:
        z_low, z_high = -z_high, -z_low
    # erfc, not NormalDist.cdf (1 + erf(z), which cancels to 0 below z = -8): the lower tail to 1e-308.
    p_low, p_high = 0.5 * math.erfc(-z_low / math.sqrt(2.0)), 0.5 * math.erfc(-z_high / math.sqrt(2.0))

    def draw() -> float:
        if p_high - p_low > 0.0:
            u = rng.uniform(p_low, p_high)
            z = unit.inv_cdf(u) if 0.0 < u < 1.0 else (z_low if u <= 0.0 else z_high)
        elif z_high < -1.0:  # past z = -37 the CDF underflows: sample the tail's exact shape by rejection
            z = _far_tail(rng, z_low, z_high)
        else:  # an interval a few ulps wide: the density is flat across it
            z = rng.uniform(z_low, z_high)
        x = mu + sigma * (-z if flip else z)
        return min(max(x, low), high)  # rounding may step a hair outside

    return _fill(tensor, "nn.init.trunc_normal_", draw)


def _far_tail(rng: random.Random, z_low: float, z_high: float) -> float:
    """A standard normal draw conditioned on [z_low, z_high], far below the mean (z_high < -1).

    Proposes z_high - t with t from the exponential of rate r = -z_high truncated to the interval's width
    (the density's slope at its near end), and accepts with probability exp(-t^2 / 2), the ratio of the
    normal density to that envelope: exact, and for r > 37 nearly every proposal is accepted.
    """
    rate, width = -z_high, z_high - z_low
    kept = -math.expm1(-rate * width)  # the probability mass of the truncated exponential
    while True:
        t = -math.log1p(-rng.random() * kept) / rate
        if rng.random() <= math.exp(-0.5 * t * t):
            return z_high - t


def constant_(tensor: Tensor, val: float) -> Tensor:
    """Fill ``tensor`` with ``val`` (torch's ``nn.init.constant_``)."""
    value = checked_float(val, "constant_ val")
    return _fill(tensor, "nn.init.constant_", lambda: value)


def ones_(tensor: Tensor) -> Tensor:
    """Fill ``tensor`` with 1 (torch's ``nn.init.ones_``)."""
    return _fill(tensor, "nn.init.ones_", lambda: 1.0)


def zeros_(tensor: Tensor) -> Tensor:
    """Fill ``tensor`` with 0 (torch's ``nn.init.zeros_``)."""
    return _fill(tensor, "nn.init.zeros_", lambda: 0.0)


def eye_(tensor: Tensor) -> Tensor:
    """Fill a matrix with the identity, ones on the diagonal (torch's ``nn.init.eye_``, 2-D only)."""
    shape, values = _shape_and_values(tensor, "nn.init.eye_")
    if len(shape) != 2:
        raise ValueError("Only tensors with 2 dimensions are supported")
    for k, v in enumerate(values):
        row, column = divmod(k, shape[1])
        v.data = 1.0 if row == column else 0.0
    return tensor


def _fan_std(tensor: Tensor, who: str, mode: str | None, gain: float) -> float | None:
    """The standard deviation of Glorot's (mode None) or He's (mode 'fan_in'/'fan_out') rule; None if empty."""
    shape, values = _shape_and_values(tensor, who)
    fan_in, fan_out = _fans(shape, who)
    if not values:
        if mode is not None:
            warnings.warn("Initializing zero-element tensors is a no-op", stacklevel=3)
        return None
    if mode is None:
        return gain * math.sqrt(2.0 / float(fan_in + fan_out))
    return gain / math.sqrt(fan_in if mode == "fan_in" else fan_out)


def _checked_mode(mode: Any) -> str:
    if not isinstance(mode, str) or mode.lower() not in ("fan_in", "fan_out"):
        raise ValueError(f"Mode {mode} not supported, please use one of ['fan_in', 'fan_out']")
    return mode.lower()


def _glorot_gain(gain: Any, who: str) -> float:
    """``gain`` as a float >= 0: torch's xavier functions refuse a negative one (its uniform_ finds from > to, its
    normal_ a negative std), where ours filled the weights without a word."""
    number = checked_float(gain, f"{who} gain")
    if number < 0.0:
        raise ValueError(f"{who}: gain must be >= 0 (torch refuses a negative one), got {short_repr(gain)}")
    return number


def xavier_uniform_(tensor: Tensor, gain: float = 1.0, generator: int | random.Random | None = None) -> Tensor:
    """Glorot: U(-a, a), a = gain * sqrt(6 / (fan_in + fan_out)) (torch's ``nn.init.xavier_uniform_``)."""
    std = _fan_std(tensor, "nn.init.xavier_uniform_", None, _glorot_gain(gain, "xavier_uniform_"))
    if std is None:
        return tensor
    bound = math.sqrt(3.0) * std
    rng = make_rng(generator, "nn.init.xavier_uniform_")
    return _fill(tensor, "nn.init.xavier_uniform_", lambda: rng.uniform(-bound, bound))


def xavier_normal_(tensor: Tensor, gain: float = 1.0, generator: int | random.Random | None = None) -> Tensor:
    """Glorot: N(0, std^2), std = gain * sqrt(2 / (fan_in + fan_out)) (torch's ``nn.init.xavier_normal_``)."""
    std = _fan_std(tensor, "nn.init.xavier_normal_", None, _glorot_gain(gain, "xavier_normal_"))
    if std is None:
        return tensor
    rng = make_rng(generator, "nn.init.xavier_normal_")
    return _fill(tensor, "nn.init.xavier_normal_", lambda: rng.gauss(0.0, std))


def kaiming_uniform_(tensor: Tensor, a: float = 0.0, mode: str = "fan_in", nonlinearity: str = "leaky_relu",
                     generator: int | random.Random | None = None) -> Tensor:
    """He: U(-bound, bound), bound = gain * sqrt(3 / fan) (torch's ``nn.init.kaiming_uniform_``).

    ``gain = calculate_gain(nonlinearity, a)``; ``fan`` is fan_in or fan_out by ``mode``. torch's
    `nn.Linear` weights are ``kaiming_uniform_(w, a=math.sqrt(5))``, U(+-1/sqrt(fan_in)), as `Linear`'s here.
    """
    std = _fan_std(tensor, "nn.init.kaiming_uniform_", _checked_mode(mode), calculate_gain(nonlinearity, a))
    if std is None:
        return tensor
    bound = math.sqrt(3.0) * std
    rng = make_rng(generator, "nn.init.kaiming_uniform_")
    return _fill(tensor, "nn.init.kaiming_uniform_", lambda: rng.uniform(-bound, bound))


def kaiming_normal_(tensor: Tensor, a: float = 0.0, mode: str = "fan_in", nonlinearity: str = "leaky_relu",
                    generator: int | random.Random | None = None) -> Tensor:
    """He: N(0, std^2), std = gain / sqrt(fan) (torch's ``nn.init.kaiming_normal_``, arguments as the uniform's)."""
    std = _fan_std(tensor, "nn.init.kaiming_normal_", _checked_mode(mode), calculate_gain(nonlinearity, a))
    if std is None:
        return tensor
    rng = make_rng(generator, "nn.init.kaiming_normal_")
    return _fill(tensor, "nn.init.kaiming_normal_", lambda: rng.gauss(0.0, std))
