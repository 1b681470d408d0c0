"""LeakyReLU, ELU, SiLU, Softplus, GELU (erf and tanh), Hardtanh and erf against torch 2.13 (float64).

Values and gradients on 4,000 random points in [-8, 8] and [-40, 40] and at 0, -0.0, tiny, large and
overflowing inputs. The ops use torch's kernel formulas: where the formula is one rounding of terms
(LeakyReLU, ELU, Hardtanh, GELU, softplus, SiLU's value) the results are within an ulp or two of torch's;
where it subtracts nearly equal terms (the tanh GELU below -3: 1 + tanh and 1 - tanh^2; SiLU's gradient
near -1.28, where it is 0), torch computes with fused multiply-adds and the bits left differ, so those are
compared in ulps of the largest term, the rounding no float formula can avoid.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable

import pytest

torch = pytest.importorskip("torch")
F_torch = torch.nn.functional

import nn  # noqa: E402
import nn.functional as F  # noqa: E402
from autograd import Value  # noqa: E402

SPECIAL = [0.0, -0.0, 1e-300, -1e-300, 1e-8, -1e-8, 0.5, -0.5, 1.0, -1.0, 1.28, -1.28, 5.0, -5.0, 10.0, -10.0,
           20.0, -20.0, 20.5, 30.0, -30.0, 100.0, -100.0, 700.0, -700.0, 709.9, -709.9, 800.0, -800.0]
_rng = random.Random(2113)
POINTS = SPECIAL + [_rng.uniform(-8.0, 8.0) for _ in range(3000)] + [_rng.uniform(-40.0, 40.0) for _ in range(1000)]

KB = 0.7978845608028654  # sqrt(2 / pi), torch's kBeta for the tanh GELU


def _one(x: float) -> float:
    return 1.0


def _gelu_grad_terms(x: float) -> float:
    return max(1.0, abs(x * 0.3989422804014327 * math.exp(-0.5 * x * x)))


def _gelu_tanh_grad_terms(x: float) -> float:
    return max(1.0, abs(0.5 * x * KB * (1.0 + 3.0 * 0.044715 * x * x)))


def _silu_grad_terms(x: float) -> float:
    s = 0.5 * (1.0 + math.tanh(0.5 * x))  # the sigmoid, without overflow
    return s * max(1.0, abs(x) * (1.0 - s))


# name: (ours, torch's, scale of the value's terms, scale of the gradient's terms, ulps allowed); a scale of
# None means the result itself (no cancellation in the formula).
CASES: dict[str, tuple[Callable, Callable, Callable | None, Callable | None, float]] = {
    "leaky_relu": (lambda v: F.leaky_relu(v, 0.01), lambda t: F_torch.leaky_relu(t, 0.01), None, None, 0),
    "leaky_relu slope -0.3": (lambda v: F.leaky_relu(v, -0.3), lambda t: F_torch.leaky_relu(t, -0.3), None, None, 0),
    "elu": (lambda v: F.elu(v), lambda t: F_torch.elu(t), None, None, 1),
    "elu alpha 0.7": (lambda v: F.elu(v, 0.7), lambda t: F_torch.elu(t, 0.7), None, None, 1),
    "hardtanh": (lambda v: F.hardtanh(v), lambda t: F_torch.hardtanh(t), None, None, 0),
    "hardtanh -2, 3": (lambda v: F.hardtanh(v, -2.0, 3.0), lambda t: F_torch.hardtanh(t, -2.0, 3.0), None, None, 0),
    "softplus": (lambda v: F.softplus(v), lambda t: F_torch.softplus(t), None, None, 2),
    "softplus beta 2, threshold 5": (lambda v: F.softplus(v, 2.0, 5.0), lambda t: F_torch.softplus(t, 2.0, 5.0),
                                     None, None, 2),
    "softplus beta -1.5": (lambda v: F.softplus(v, -1.5), lambda t: F_torch.softplus(t, -1.5), None, None, 2),
    "silu": (lambda v: F.silu(v), lambda t: F_torch.silu(t), None, _silu_grad_terms, 2),
    "gelu": (lambda v: F.gelu(v), lambda t: F_torch.gelu(t), lambda x: abs(0.5 * x), _gelu_grad_terms, 2),
    "gelu tanh": (lambda v: F.gelu(v, "tanh"), lambda t: F_torch.gelu(t, approximate="tanh"), lambda x: abs(x),
                  _gelu_tanh_grad_terms, 2),
    "erf": (lambda v: v.erf(), torch.erf, _one, None, 2),
}


def _ulps(ours: float, theirs: float, scale: float | None) -> float:
    if ours == theirs:
        return 0.0
    size = abs(theirs) if scale is None else max(scale, abs(theirs))
    return abs(ours - theirs) / math.ulp(size) if size else math.inf


@pytest.mark.parametrize("name", sorted(CASES))
def test_value_and_gradient_equal_torch(name: str) -> None:
    ours_fn, torch_fn, value_scale, grad_scale, allowed = CASES[name]
    worst_value = worst_grad = 0.0
    for x in POINTS:
        v = Value(x)
        y = ours_fn(v)
        y.backward()
        t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
        ty = torch_fn(t)
        ty.backward()
        value_gap = _ulps(y.data, ty.item(), value_scale(x) if value_scale else None)
        grad_gap = _ulps(v.grad, t.grad.item(), grad_scale(x) if grad_scale else None)
        assert value_gap <= allowed, (name, x, y.data, ty.item())
        assert grad_gap <= allowed, (name, x, v.grad, t.grad.item())
        worst_value, worst_grad = max(worst_value, value_gap), max(worst_grad, grad_gap)


@pytest.mark.parametrize(("fn", "x", "value", "grad"), [
    # torch's choices at the kinks, by their closed forms: the negative side's slope at 0 ...
    (lambda v: F.leaky_relu(v, 0.2), 0.0, 0.0, 0.2),
    (lambda v: F.elu(v, 0.7), 0.0, 0.0, 0.7),
    # ... 0 at and beyond a hardtanh bound, 1 inside
    (lambda v: F.hardtanh(v), 1.0, 1.0, 0.0),
    (lambda v: F.hardtanh(v), -1.0, -1.0, 0.0),
    (lambda v: F.hardtanh(v), 0.0, 0.0, 1.0),
    # x itself past softplus's threshold (beta x = 20.5 > 20): gradient exactly 1
    (lambda v: F.softplus(v), 20.5, 20.5, 1.0),
    (lambda v: F.softplus(v), 0.0, math.log(2.0), 0.5),
    (lambda v: F.gelu(v), 0.0, 0.0, 0.5),
    (lambda v: F.gelu(v, "tanh"), 0.0, 0.0, 0.5),
    (lambda v: F.silu(v), 0.0, 0.0, 0.5),
    (lambda v: v.erf(), 0.0, 0.0, 2.0 / math.sqrt(math.pi)),
    # far out: exact limits, no overflow (torch: x / (1 + inf) = -0.0 for SiLU)
    (lambda v: F.silu(v), -800.0, 0.0, 0.0),
    (lambda v: F.elu(v), -800.0, -1.0, 0.0),
    (lambda v: F.gelu(v), 800.0, 800.0, 1.0),
])
def test_closed_forms_at_kinks_and_extremes(fn: Callable, x: float, value: float, grad: float) -> None:
    v = Value(x)
    y = fn(v)
    y.backward()
    assert y.data == value
    assert v.grad == pytest.approx(grad, rel=1e-15, abs=0.0)


def test_elu_near_zero_keeps_every_digit_as_expm1() -> None:
    # exp(x) - 1 would keep 8 digits here; expm1's value -1e-10 + 5e-21 is what torch gives.
    x = -1e-10
    assert F.elu(Value(x)).data == math.expm1(x) == F_torch.elu(torch.tensor(x, dtype=torch.float64)).item()


def test_modules_print_as_torch_and_apply_their_options() -> None:
    pairs = [
        (nn.LeakyReLU(), torch.nn.LeakyReLU()), (nn.LeakyReLU(0.2, True), torch.nn.LeakyReLU(0.2, True)),
        (nn.ELU(), torch.nn.ELU()), (nn.ELU(alpha=0.5, inplace=True), torch.nn.ELU(alpha=0.5, inplace=True)),
        (nn.SiLU(), torch.nn.SiLU()), (nn.SiLU(inplace=True), torch.nn.SiLU(inplace=True)),
        (nn.Softplus(), torch.nn.Softplus()), (nn.Softplus(2, 10), torch.nn.Softplus(2, 10)),
        (nn.GELU(), torch.nn.GELU()), (nn.GELU("tanh"), torch.nn.GELU("tanh")),
        (nn.Hardtanh(), torch.nn.Hardtanh()), (nn.Hardtanh(-2.0, 3.0, True), torch.nn.Hardtanh(-2.0, 3.0, True)),
    ]
    xs = [-2.5, -0.3, 0.0, 0.7, 4.0]
    for ours, theirs in pairs:
        assert repr(ours) == repr(theirs)
        out = ours([Value(x) for x in xs])
        expected = theirs(torch.tensor(xs, dtype=torch.float64)).tolist()
        assert [o.data for o in out] == pytest.approx(expected, rel=1e-15, abs=1e-300), repr(ours)
    model = nn.Sequential(nn.Linear(2, 3, seed=1), nn.GELU(), nn.Linear(3, 1, seed=2), nn.LeakyReLU(0.1))
    assert "(1): GELU(approximate='none')" in repr(model)


def test_a_nested_list_keeps_its_shape_and_a_number_becomes_a_value() -> None:
    out = F.elu([[1.0, -1.0], [Value(0.5)]])
    assert [[o.data for o in row] for row in out] == [[1.0, math.expm1(-1.0)], [0.5]]
    assert isinstance(F.silu(2.0), Value)


@pytest.mark.parametrize(("call", "error", "words"), [
    (lambda: F.gelu(1.0, "fast"), ValueError, "approximate argument must be either none or tanh"),
    (lambda: nn.GELU("fast"), ValueError, "approximate argument must be either none or tanh"),
    # torch's TypeError for a non-string (was a ValueError calling None or 1 a bad string)
    (lambda: F.gelu(1.0, None), TypeError, "argument 'approximate' must be str, not NoneType"),
    (lambda: nn.GELU(1), TypeError, "argument 'approximate' must be str, not int"),
    (lambda: nn.GELU(True), TypeError, "argument 'approximate' must be str, not bool"),
    (lambda: F.hardtanh(0.0, 1.0, -1.0), ValueError, "min_val cannot be greater than max_val"),
    (lambda: nn.Hardtanh(1.0, -1.0), ValueError, r"max_val \(-1.0\) must be greater than min_val \(1.0\)"),
    (lambda: nn.Hardtanh(1.0, 1.0), ValueError, "must be greater than min_val"),
    (lambda: F.softplus(1.0, beta=0.0), ValueError, "beta must not be 0"),
    (lambda: nn.Softplus(threshold=math.inf), ValueError, "threshold must be finite"),
    (lambda: F.leaky_relu(1.0, "0.1"), TypeError, "negative_slope must be a real number"),
    (lambda: nn.LeakyReLU(math.nan), ValueError, "negative_slope must be finite"),
    (lambda: nn.ELU(inplace=1), TypeError, "inplace must be True or False"),
    (lambda: F.elu("x"), TypeError, "elu expects a Value, a number or a list"),
    (lambda: F.elu(Value(2.0), alpha=[1]), TypeError, "alpha must be a real"),
])
def test_bad_arguments_are_named(call: Callable, error: type, words: str) -> None:
    with pytest.raises(error, match=words):
        call()


def test_hardtanh_with_equal_bounds_is_a_constant_as_torch() -> None:
    x = Value(0.3)
    y = F.hardtanh(x, 0.5, 0.5)
    y.backward()
    t = torch.tensor(0.3, dtype=torch.float64, requires_grad=True)
    F_torch.hardtanh(t, 0.5, 0.5).backward()
    assert (y.data, x.grad) == (0.5, 0.0) == (F_torch.hardtanh(t, 0.5, 0.5).item(), t.grad.item())
