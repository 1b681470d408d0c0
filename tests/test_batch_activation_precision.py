"""Batch replay's tanh, tanh', sigmoid and sigmoid' against 60-digit decimal references, sample by sample.

`Tape.run_batch` computes these with its own numpy formulas (tanh' = 2 / (1 + cosh 2a), sigmoid' =
1 / (2 + 2 cosh a), sigmoid = 1 / (1 + e^-a): fewer array ops than the scalar helpers' branches), so they are
held to the eager engine's bar in tests/test_precision_against_decimal.py: within 3 ulps everywhere, under
1 on average. The classic forms miss it by orders of magnitude (tanh' as 1 - out^2: mean 30 ulps on
[-20, 20]; sigmoid' as out (1 - out): 1e10 on [-30, 30]). The references are closed forms on Decimals
(exp correctly rounded at 60 digits), independent of the engine, numpy and torch.
"""

from __future__ import annotations

import math
import random
import statistics
from collections.abc import Callable
from decimal import Decimal, localcontext

import pytest

from autograd import Value
from autograd.replay import record

np = pytest.importorskip("numpy")

PRECISION = 60


def ulps(x: float, ref: Decimal) -> float:
    """|x - ref| in units of the last place of the float nearest ref."""
    return float(abs(Decimal(x) - ref) / Decimal(math.ulp(float(ref))))


def exact_sigmoid(a: float) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = PRECISION
        return 1 / (1 + (-Decimal(a)).exp())


def exact_sigmoid_grad(a: float) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = PRECISION
        return exact_sigmoid(a) * exact_sigmoid(-a)


def exact_tanh(a: float) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = PRECISION
        e = (-2 * abs(Decimal(a))).exp()
        return (1 - e) / (1 + e) * (1 if a >= 0 else -1)


def exact_tanh_grad(a: float) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = PRECISION
        e = (-2 * abs(Decimal(a))).exp()
        return 4 * e / ((1 + e) * (1 + e))


def batch(activation: str, xs: list[float]) -> tuple[list[float], list[float]]:
    """Per sample: activation(0 + x) and its derivative towards the parameter 0 (exactly the activation's
    derivative at x, as 0 + x is x), by one batch run of a tape recorded on a single example."""
    p = Value(0.0)
    tape = record(lambda x: getattr(p + x, activation)(), example=[0.5], parameters=[p])
    losses, grads = tape.run_batch([xs], reduce="none")
    return [float(v) for v in losses], [float(g) for g in grads[0]]


CASES: list[tuple[str, float, float, Callable[[float], Decimal], Callable[[float], Decimal]]] = [
    ("tanh", -1.0, 1.0, exact_tanh, exact_tanh_grad),
    ("tanh", -20.0, 20.0, exact_tanh, exact_tanh_grad),
    ("tanh", -350.0, 350.0, exact_tanh, exact_tanh_grad),
    ("sigmoid", -1.0, 1.0, exact_sigmoid, exact_sigmoid_grad),
    ("sigmoid", -30.0, 30.0, exact_sigmoid, exact_sigmoid_grad),
    ("sigmoid", -700.0, 700.0, exact_sigmoid, exact_sigmoid_grad),
]


@pytest.mark.parametrize("activation, low, high, value, derivative", CASES)
def test_batch_activation_and_derivative_within_3_ulps(
    activation: str, low: float, high: float, value: Callable[[float], Decimal],
    derivative: Callable[[float], Decimal],
) -> None:
    rng = random.Random(21)
    xs = [rng.uniform(low, high) for _ in range(400)]
    outs, grads = batch(activation, xs)
    for name, got, want in (("value", outs, value), ("derivative", grads, derivative)):
        errors = [ulps(g, want(x)) for g, x in zip(got, xs)]
        assert max(errors) <= 3.0, (activation, name, low, high, max(errors))
        assert statistics.mean(errors) < 1.0, (activation, name, low, high, statistics.mean(errors))


@pytest.mark.parametrize("activation", ["tanh", "sigmoid"])
def test_batch_derivative_matches_eager_sample_by_sample(activation: str) -> None:
    """The batch formulas differ from the scalar helpers' branches only in the last digits (1e-12 is the
    replay contract), at both sides of the scalar tanh' branch point 0.55 and far out."""
    xs = [0.0, 0.3, -0.55, 0.55, 0.56, -0.5500001, 2.0, -7.5, 19.0, -40.0, 300.0]
    outs, grads = batch(activation, xs)
    for x, out, grad in zip(xs, outs, grads):
        v = Value(x)
        y = getattr(v, activation)()
        y.backward()
        assert out == pytest.approx(y.data, rel=1e-12, abs=0.0)
        assert grad == pytest.approx(v.grad, rel=1e-12, abs=0.0)


def test_far_out_results_are_eager_or_flushed_below_the_smallest_normal() -> None:
    """cosh 2a (tanh') and e^-a, cosh a (sigmoid, sigmoid') overflow to inf only where the true result is below
    the smallest normal float, 2.2e-308: the batch result is then 0 where eager keeps a subnormal, never NaN
    nor inf; everywhere else it is eager's to 1e-12 (355 and 709 sit just inside)."""
    tiny = 2.2250738585072014e-308
    xs = [355.0, 356.0, -400.0, 709.0, 720.0, -709.0, -745.0, 1e300, -1e300]
    for activation in ("tanh", "sigmoid"):
        outs, grads = batch(activation, xs)
        for x, out, grad in zip(xs, outs, grads):
            v = Value(x)
            y = getattr(v, activation)()
            y.backward()
            for got, want in ((out, y.data), (grad, v.grad)):
                assert math.isfinite(got)
                if abs(want) >= tiny:
                    assert got == pytest.approx(want, rel=1e-12, abs=0.0), (activation, x)
                else:
                    assert got == 0.0 or got == want, (activation, x, got, want)
