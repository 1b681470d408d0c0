"""torch.nn.init's functions on Values: gains, fans, bounds and spreads by torch's formulas, and its errors.

Closed forms run everywhere; the comparisons with torch skip where it is not installed.
"""

from __future__ import annotations

import math
import random
import statistics
import warnings
from typing import Any

import pytest

import nn
from autograd import Value


def _matrix(rows: int, cols: int) -> list[list[Value]]:
    return [[Value(0.5) for _ in range(cols)] for _ in range(rows)]


def _numbers(tensor: Any) -> list[float]:
    return [tensor.data] if isinstance(tensor, Value) else [x for item in tensor for x in _numbers(item)]


GAINS = [("linear", None, 1.0), ("conv2d", None, 1.0), ("sigmoid", None, 1.0), ("tanh", None, 5.0 / 3),
         ("relu", None, math.sqrt(2.0)), ("leaky_relu", None, math.sqrt(2.0 / (1 + 0.01**2))),
         ("leaky_relu", 0.2, math.sqrt(2.0 / 1.04)), ("leaky_relu", math.sqrt(5), math.sqrt(1 / 3)),
         ("selu", None, 0.75)]


@pytest.mark.parametrize(("name", "param", "gain"), GAINS)
def test_calculate_gain_is_torchs_table(name: str, param: float | None, gain: float) -> None:
    assert nn.init.calculate_gain(name, param) == pytest.approx(gain, rel=1e-15)


@pytest.mark.parametrize(
    ("fill", "shape", "bound"),
    [(lambda w: nn.init.xavier_uniform_(w, generator=1), (30, 50), math.sqrt(6 / 80)),
     (lambda w: nn.init.xavier_uniform_(w, gain=5 / 3, generator=2), (40, 10), 5 / 3 * math.sqrt(6 / 50)),
     (lambda w: nn.init.kaiming_uniform_(w, generator=3), (20, 60), math.sqrt(2 / 1.0001) * math.sqrt(3 / 60)),
     (lambda w: nn.init.kaiming_uniform_(w, a=math.sqrt(5), generator=4), (25, 64), 1 / 8),
     (lambda w: nn.init.kaiming_uniform_(w, mode="fan_out", nonlinearity="relu", generator=5), (32, 30),
      math.sqrt(2) * math.sqrt(3 / 32)),
     (lambda w: nn.init.uniform_(w, -0.3, 0.7, generator=6), (40, 40), None)],
)
def test_uniform_fillers_stay_inside_their_bound_and_spread_over_it(fill: Any, shape: tuple[int, int],
                                                                    bound: float | None) -> None:
    w = _matrix(*shape)
    assert fill(w) is w
    xs = _numbers(w)
    low, high = (-0.3, 0.7) if bound is None else (-bound, bound)
    assert all(low <= x <= high for x in xs)
    # A uniform's standard deviation is (high - low) / sqrt(12); with >= 1000 draws the sample's is within 8%.
    assert statistics.pstdev(xs) == pytest.approx((high - low) / math.sqrt(12), rel=0.08)
    assert min(xs) < low + 0.02 * (high - low) and max(xs) > high - 0.02 * (high - low)


@pytest.mark.parametrize(
    ("fill", "shape", "std"),
    [(lambda w: nn.init.xavier_normal_(w, generator=1), (30, 50), math.sqrt(2 / 80)),
     (lambda w: nn.init.kaiming_normal_(w, nonlinearity="relu", generator=2), (30, 50), math.sqrt(2 / 50)),
     (lambda w: nn.init.kaiming_normal_(w, mode="fan_out", nonlinearity="tanh", generator=3), (30, 50),
      5 / 3 / math.sqrt(30)),
     (lambda w: nn.init.normal_(w, 2.0, 0.5, generator=4), (30, 50), 0.5)],
)
def test_normal_fillers_have_torchs_standard_deviation(fill: Any, shape: tuple[int, int], std: float) -> None:
    xs = _numbers(fill(_matrix(*shape)))
    assert statistics.pstdev(xs) == pytest.approx(std, rel=0.06)  # 1500 draws: the sample's std is within ~2%


def _truncated_mean(a: float, b: float) -> float:
    """The mean of a standard normal truncated to [a, b], both below 0: (phi(a) - phi(b)) / (Phi(b) - Phi(a)),
    each term scaled by exp(b^2 / 2) so nothing underflows."""
    def scaled_phi(z: float) -> float:
        return math.exp(-0.5 * (z * z - b * b))

    def scaled_cdf(z: float) -> float:  # Phi(z) exp(b^2/2) = erfcx-like; for the far tail use Mills' series
        return scaled_phi(z) / -z * (1 - 1 / z**2 + 3 / z**4 - 15 / z**6)

    return (scaled_phi(a) - scaled_phi(b)) / (scaled_cdf(b) - scaled_cdf(a))


def test_trunc_normal_stays_in_its_interval_even_far_out_in_a_tail() -> None:
    w = _matrix(40, 50)
    xs = _numbers(nn.init.trunc_normal_(w, std=0.02, generator=7))
    assert all(-2.0 <= x <= 2.0 for x in xs) and statistics.pstdev(xs) == pytest.approx(0.02, rel=0.06)
    # Far out, the truncated density falls like e^(-|a| t): the mean is about 1/|a| inside the near end.
    for a, b, seed in ((10.0, 11.0, 8), (-40.0, -39.0, 9), (-1e6, -1e6 + 1, 10)):
        drawn = _numbers(nn.init.trunc_normal_(_matrix(50, 40), a=a, b=b, generator=seed))
        assert all(a <= x <= b for x in drawn)
        expected = -_truncated_mean(-b, -a) if a > 0 else _truncated_mean(a, b)
        spread = 1 / min(abs(a), abs(b))  # the standard deviation of the tail's exponential
        assert abs(statistics.mean(drawn) - expected) < 5 * spread / math.sqrt(len(drawn))


def test_constant_ones_zeros_and_eye() -> None:
    assert _numbers(nn.init.constant_(_matrix(2, 3), 0.25)) == [0.25] * 6
    assert _numbers(nn.init.ones_([Value(0.0), Value(3.0)])) == [1.0, 1.0]
    assert _numbers(nn.init.zeros_(Value(3.0))) == [0.0]
    assert _numbers(nn.init.eye_(_matrix(2, 3))) == [1.0, 0.0, 0.0, 0.0, 1.0, 0.0]


def test_the_same_generator_seed_gives_the_same_weights_and_a_linear_layer_takes_them() -> None:
    first, second = nn.Linear(4, 3, seed=0), nn.Linear(4, 3, seed=1)
    nn.init.xavier_uniform_(first.weight, generator=11)
    nn.init.xavier_uniform_(second.weight, generator=random.Random(11))
    assert _numbers(first.weight) == _numbers(second.weight)
    model = nn.Sequential(nn.Linear(2, 3, seed=0), nn.Tanh(), nn.Linear(3, 1, seed=1))
    model.apply(lambda m: nn.init.zeros_(m.bias) and nn.init.ones_(m.weight) if isinstance(m, nn.Linear) else None)
    assert [p.data for p in model.parameters()] == [1.0] * 6 + [0.0] * 3 + [1.0] * 3 + [0.0]


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [(lambda: nn.init.xavier_uniform_([Value(1.0)]), ValueError, "fewer than 2 dimensions"),
     (lambda: nn.init.kaiming_normal_(_matrix(2, 2), mode="fan_avg"), ValueError, "Mode fan_avg not supported"),
     (lambda: nn.init.calculate_gain("gelu"), ValueError, "Unsupported nonlinearity gelu"),
     (lambda: nn.init.calculate_gain("leaky_relu", "0.2"), ValueError, "negative_slope 0.2 not a valid number"),
     (lambda: nn.init.eye_([Value(1.0)]), ValueError, "Only tensors with 2 dimensions"),
     (lambda: nn.init.uniform_(_matrix(1, 1), 1.0, 0.0), ValueError, "from=1.0 > to=0.0"),
     (lambda: nn.init.normal_(_matrix(1, 1), 0.0, -1.0), ValueError, "std >= 0.0"),
     (lambda: nn.init.ones_([[Value(1.0)], [Value(1.0), Value(2.0)]]), ValueError, "same length"),
     (lambda: nn.init.ones_([1.0, 2.0]), TypeError, "parameter Value"),
     (lambda: nn.init.constant_(_matrix(1, 1), math.nan), ValueError, "finite"),
     (lambda: nn.init.trunc_normal_(_matrix(1, 1), a=1.0, b=1.0), ValueError, "a < b")],
)
def test_bad_arguments_are_named(call: Any, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        call()


def test_an_empty_tensor_is_left_alone_with_torchs_warning() -> None:
    with pytest.warns(UserWarning, match="zero-element tensors is a no-op"):
        assert nn.init.kaiming_uniform_([[], []]) == [[], []]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # torch's xavier fills a (0, 5) tensor without a word: so does ours
        empty: list[list[Value]] = []
        with pytest.raises(ValueError, match="fewer than 2 dimensions"):  # [] is one dimension, as torch.empty(0)
            nn.init.xavier_uniform_(empty)


def test_torch_has_the_same_gains_bounds_and_errors() -> None:
    torch = pytest.importorskip("torch")
    for name, param, _ in GAINS:
        assert torch.nn.init.calculate_gain(name, param) == nn.init.calculate_gain(name, param)
    torch.manual_seed(0)
    for shape, fill, ours in [
        ((30, 50), torch.nn.init.xavier_uniform_, lambda w: nn.init.xavier_uniform_(w, generator=0)),
        ((20, 60), lambda t: torch.nn.init.kaiming_uniform_(t, a=math.sqrt(5)),
         lambda w: nn.init.kaiming_uniform_(w, a=math.sqrt(5), generator=0)),
        ((32, 30), lambda t: torch.nn.init.kaiming_uniform_(t, mode="fan_out", nonlinearity="relu"),
         lambda w: nn.init.kaiming_uniform_(w, mode="fan_out", nonlinearity="relu", generator=0)),
    ]:
        theirs = fill(torch.empty(*shape, dtype=torch.float64)).abs().max().item()
        mine = max(abs(x) for x in _numbers(ours(_matrix(*shape))))
        # Both maxima of 1500 draws sit within 1% under the same bound.
        assert mine == pytest.approx(theirs, rel=0.02)
    for shape, fill, ours in [
        ((40, 50), torch.nn.init.xavier_normal_, lambda w: nn.init.xavier_normal_(w, generator=0)),
        ((40, 50), lambda t: torch.nn.init.kaiming_normal_(t, nonlinearity="relu"),
         lambda w: nn.init.kaiming_normal_(w, nonlinearity="relu", generator=0)),
    ]:
        theirs = fill(torch.empty(*shape, dtype=torch.float64)).std().item()
        assert statistics.stdev(_numbers(ours(_matrix(*shape)))) == pytest.approx(theirs, rel=0.1)
    with pytest.raises(ValueError, match="fewer than 2 dimensions"):
        torch.nn.init.xavier_uniform_(torch.empty(3))
    with pytest.raises(ValueError, match="Mode fan_avg not supported"):
        torch.nn.init.kaiming_normal_(torch.empty(2, 2), mode="fan_avg")
    with pytest.raises(ValueError, match="Unsupported nonlinearity gelu"):
        torch.nn.init.calculate_gain("gelu")
    eye = torch.nn.init.eye_(torch.empty(2, 3, dtype=torch.float64)).reshape(-1).tolist()
    assert eye == _numbers(nn.init.eye_(_matrix(2, 3)))


def test_bounds_at_the_float_limits_fill_finite_values_or_change_nothing() -> None:
    xs = _numbers(nn.init.uniform_(_matrix(10, 10), -1e308, 1e308, generator=1))
    assert all(-1e308 <= x <= 1e308 for x in xs) and max(xs) > 1e307 and min(xs) < -1e307
    w = _matrix(30, 30)
    with pytest.raises(ValueError, match="nn.init.normal_: a drawn value is inf"):
        nn.init.normal_(w, 0.0, 1e308, generator=2)  # 900 draws: some |z| > 1.8 overflow
    assert set(_numbers(w)) == {0.5}
    single = _matrix(1, 1)
    with pytest.raises(ValueError, match="xavier_uniform_: a drawn value"):
        nn.init.xavier_uniform_(single, gain=1.5e308, generator=3)  # bound sqrt(3) * 1.5e308 is inf
    assert _numbers(single) == [0.5]
