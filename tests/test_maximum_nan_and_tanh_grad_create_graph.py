"""Second reading of precision19: `maximum` and the Value versions of tanh'/sigmoid'.

- ``torch.maximum(nan, 1)`` is nan; the helper's ``a if a >= b else b`` returned 1.0 for a NaN first operand, so a
  hand-set NaN parameter vanished silently through `maximum` and through the `largest` tree of log_softmax's
  shift (the engine refuses a NaN only when a result is NaN). Both orders must now name the NaN, eager, and the
  numpy helper must agree with torch elementwise.
- ``grad(tanh(x), x, create_graph=True)`` builds ``1 - out^2`` (torch's formula, and the graph the gradient
  pictures show), so that first derivative is only as good as out's rounding (an absolute error up to ~2 ulps of
  1): 0.0 at x = 20 where tanh'(20) = 1.70e-17. The second derivative, which differentiates it with the accurate
  scalar helper, agrees with a 50-digit closed form to 1e-12 and with a central difference of plain backwards.
"""

from __future__ import annotations

import math
from decimal import Decimal, getcontext

import pytest

from autograd import Value, grad, maximum
from autograd.functional import largest, log_softmax


def _nan_parameter() -> Value:
    p = Value(0.0, label="p")
    p.data = math.nan  # a parameter set by hand (leaves let NaN through; the next op must name it)
    return p


@pytest.mark.parametrize("order", ["nan-first", "nan-second"])
def test_maximum_with_a_nan_operand_names_it_in_either_order(order: str) -> None:
    p = _nan_parameter()
    args = (p, Value(1.0)) if order == "nan-first" else (Value(1.0), p)
    with pytest.raises(ValueError, match="NaN"):
        maximum(*args)


def test_a_nan_logit_is_not_dropped_by_the_shift_of_log_softmax_or_largest() -> None:
    p = _nan_parameter()
    with pytest.raises(ValueError, match="NaN"):
        largest([p, Value(3.0), Value(0.0)])
    with pytest.raises(ValueError, match="NaN"):
        log_softmax([p, Value(3.0)])


def test_the_numpy_maximum_propagates_nan_as_torch_and_keeps_the_tie_choice() -> None:
    np = pytest.importorskip("numpy")
    torch = pytest.importorskip("torch")
    from autograd.helpers import maximum as scalar_maximum
    from autograd.replay.batch_numpy import maximum as numpy_maximum

    a = np.array([math.nan, 1.0, 2.0, -0.0, 0.0, math.nan])
    b = np.array([1.0, math.nan, 1.0, 0.0, -0.0, math.nan])
    got = numpy_maximum(a, b)
    want = torch.maximum(torch.tensor(a), torch.tensor(b)).numpy()
    assert np.array_equal(np.isnan(got), np.isnan(want))
    assert list(got[2:5]) == [2.0, -0.0, 0.0]  # the scalar helper's choice on a tie: a
    assert [math.copysign(1.0, x) for x in got[3:5]] == [-1.0, 1.0]
    assert [scalar_maximum(x, y) for x, y in zip(a[2:5], b[2:5])] == list(got[2:5])
    assert all(math.isnan(scalar_maximum(x, y)) for x, y in zip(a[[0, 1, 5]], b[[0, 1, 5]]))


def _exact(name: str, a: float) -> tuple[float, float]:
    """f'(a) and f''(a) of tanh or sigmoid at 50 digits."""
    getcontext().prec = 50
    x = Decimal(a)
    if name == "tanh":
        e = (2 * x).exp()
        t = (e - 1) / (e + 1)
        d1 = 1 - t * t
        return float(d1), float(-2 * t * d1)
    s = 1 / (1 + (-x).exp())
    d1 = s * (1 - s)
    return float(d1), float(d1 * (1 - 2 * s))


@pytest.mark.parametrize("name", ["tanh", "sigmoid"])
@pytest.mark.parametrize("a", [-30.0, -10.0, -3.0, -0.55, -0.3, 0.0, 0.3, 0.55, 0.56, 3.0, 10.0, 20.0, 30.0])
def test_create_graph_first_derivative_is_the_plain_one_and_the_second_is_exact(name: str, a: float) -> None:
    x = Value(a)
    y = getattr(x, name)()
    (plain,) = grad(y, [x])
    x2 = Value(a)
    (first,) = grad(getattr(x2, name)(), [x2], create_graph=True)
    (second,) = grad(first, [x2])
    want1, want2 = _exact(name, a)
    assert plain.data == pytest.approx(want1, rel=1e-14, abs=1e-300)  # the scalar helper's branches
    assert first.data == pytest.approx(want1, rel=1e-14, abs=4.5e-16)  # 1 - out^2: out's rounding, absolute
    assert second.data == pytest.approx(want2, rel=1e-12, abs=1e-300)
    h = 1e-6 * max(1.0, abs(a))
    xs = [Value(a + h), Value(a - h)]
    ds = [grad(getattr(v, name)(), [v])[0].data for v in xs]
    central = (ds[0] - ds[1]) / (2 * h)
    assert second.data == pytest.approx(central, rel=1e-5, abs=1e-9 * abs(want1) + 1e-300)
