"""Hostile input, round 20: the APIs added in parity19 (nn.init, schedulers, containers, clip, grad modes)."""

from __future__ import annotations

import math
import subprocess
import sys

import pytest

from autograd import Value
from nn import init


def _matrix(rows: int = 2, columns: int = 3) -> list[list[Value]]:
    return [[Value(0.0) for _ in range(columns)] for _ in range(rows)]


@pytest.mark.parametrize(("mean", "std", "a", "b", "nearest"), [
    (0.0, 1e-320, 1.0, 2.0, 1.0),     # the interval 1e320 standard deviations above the mean
    (0.0, 1e-320, -2.0, -1.0, -1.0),  # ... and below it
    (0.0, 5e-324, 3.0, 1e308, 3.0),
])
def test_trunc_normal_far_past_the_float_range_ends_at_the_nearest_bound(mean: float, std: float, a: float,
                                                                          b: float, nearest: float) -> None:
    # (a - mean) / std overflows to inf: the law is all at the bound nearest the mean (torch's draws clamp
    # there too). It used to loop forever in the tail sampler (rate inf, width nan), so run it in a child
    # process that a hang cannot take the test run with.
    code = ("from autograd import Value; from nn import init; w = [[Value(0.0)] * 2] * 2; "
            f"init.trunc_normal_(w, mean={mean!r}, std={std!r}, a={a!r}, b={b!r}, generator=0); "
            "print(repr([v.data for row in w for v in row]))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=20)
    assert done.returncode == 0, done.stderr
    assert eval(done.stdout) == [nearest] * 4


def test_trunc_normal_point_mass_inside_the_interval() -> None:
    w = _matrix()
    init.trunc_normal_(w, mean=0.25, std=5e-324, a=-1.0, b=1.0, generator=0)
    assert all(abs(v.data - 0.25) <= 1e-300 for row in w for v in row)


def test_calculate_gain_of_a_huge_slope_is_its_limit_not_an_overflow() -> None:
    # sqrt(2 / (1 + s^2)) -> sqrt(2) / |s| once s^2 is past the largest float (torch's ** raises OverflowError)
    assert init.calculate_gain("leaky_relu", 1e200) == pytest.approx(math.sqrt(2.0) / 1e200, rel=1e-15)
    assert init.calculate_gain("leaky_relu", -1e300) == pytest.approx(math.sqrt(2.0) / 1e300, rel=1e-15)
    w = _matrix()
    init.kaiming_uniform_(w, a=1e200, generator=0)  # bound sqrt(3) * gain / sqrt(3): tiny, finite
    assert all(abs(v.data) <= math.sqrt(2.0) / 1e200 for row in w for v in row)


@pytest.mark.parametrize("bad", [None, 3.0, Value(1.0)])
@pytest.mark.parametrize("name", ["largest", "shifted_logits", "logsumexp"])
def test_row_functions_name_an_argument_that_is_not_a_sequence(name: str, bad: object) -> None:
    import autograd.functional as functional
    with pytest.raises(TypeError, match=f"{name}.*sequence of numbers or Values.*{type(bad).__name__}"):
        getattr(functional, name)(bad)


@pytest.mark.parametrize("bad", [None, 3.0, Value(1.0)])
def test_softmax_names_an_argument_that_is_not_a_sequence(bad: object) -> None:
    import nn.functional as F
    with pytest.raises(TypeError, match=f"sequence of numbers or Values.*{type(bad).__name__}"):
        F.softmax(bad, dim=0)  # type: ignore[arg-type]


def test_get_total_norm_of_none_names_the_argument() -> None:
    from nn.optim import clip
    with pytest.raises(TypeError, match="get_total_norm.*NoneType"):
        clip.get_total_norm(None)  # type: ignore[arg-type]


def test_a_ragged_loss_weight_is_refused_not_broadcast_row_by_row() -> None:
    # torch cannot make a tensor of [[1, 1], [1]] (ValueError); the short row was spread as a length-1 row
    import nn.functional as F
    x, y = [[0.5, -0.2], [0.1, 0.3]], [[1.0, 0.0], [0.0, 1.0]]
    with pytest.raises(ValueError, match="weight.*same length"):
        F.binary_cross_entropy_with_logits(x, y, weight=[[1.0, 1.0], [1.0]])
    with pytest.raises(ValueError, match="pos_weight.*same length"):
        F.binary_cross_entropy_with_logits(x, y, pos_weight=[[2.0, 1.0], [3.0]])


def test_an_unordered_loss_weight_is_refused() -> None:
    # a set has no order to match the input's: torch.tensor({1., 2.}) is a TypeError too
    import nn.functional as F
    with pytest.raises(TypeError, match="weight"):
        F.binary_cross_entropy_with_logits([[0.5, -0.2]], [[1.0, 0.0]], weight={1.0, 2.0})


@pytest.mark.parametrize("bad", [5, "ab", None])
def test_chained_scheduler_of_no_list_is_a_type_error(bad: object) -> None:
    from nn import optim
    with pytest.raises(TypeError, match="ChainedScheduler.*list of schedulers"):
        optim.ChainedScheduler(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize(("make", "key"), [
    (lambda o: __import__("nn").optim.LinearLR(o), "total_iters"),
    (lambda o: __import__("nn").optim.CosineAnnealingWarmRestarts(o, T_0=3), "T_i"),
    (lambda o: __import__("nn").optim.CosineAnnealingWarmRestarts(o, T_0=3), "T_cur"),
    (lambda o: __import__("nn").optim.CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=3), "last_epoch"),
    (lambda o: __import__("nn").optim.ReduceLROnPlateau(o), "best"),
])
def test_a_saved_scheduler_number_past_the_float_range_is_named(make: object, key: str) -> None:
    # a state_dict entry of 10**400 used to surface later as "int too large to convert to float" from inside
    from nn import optim
    scheduler = make(optim.SGD([Value(1.0)], lr=0.1, momentum=0.9))  # type: ignore[operator]
    state = scheduler.state_dict()
    state[key] = 10**400
    with pytest.raises((ValueError, OverflowError), match=key):
        scheduler.load_state_dict(state)
        scheduler.step(1.0) if isinstance(scheduler, optim.ReduceLROnPlateau) else scheduler.step()


def test_warm_restarts_with_a_cycle_past_the_float_range_matches_torch() -> None:
    # T_i = T_0 * T_mult**n grows past 1.8e308 as an int; T_cur / T_i raised "int too large to convert to
    # float" (torch 2.13 raises the same there). Closed form: n = 16 restarts before 1e300 (2**62 * (2**(62 n)
    # - 1) / (2**62 - 1) <= 1e300 < the next), T_cur = 1e300 - that, T_i = 2**(62 (n + 1)), the rate
    # 0.1 * (1 + cos(pi T_cur / T_i)) / 2, computed exactly with Fractions.
    from fractions import Fraction

    from nn import optim
    scheduler = optim.CosineAnnealingWarmRestarts(optim.SGD([Value(1.0)], lr=0.1), T_0=2**62, T_mult=2**62)
    scheduler.step(1e300)
    start = Fraction(2**62 * (2**(62 * 16) - 1), 2**62 - 1)
    assert start <= Fraction(1e300) < Fraction(2**62 * (2**(62 * 17) - 1), 2**62 - 1)
    ratio = float((Fraction(1e300) - start) / 2**(62 * 17))
    assert 0 < ratio < 1e-16
    assert scheduler.get_last_lr() == [pytest.approx(0.1 * (1 + math.cos(math.pi * ratio)) / 2, rel=1e-15)]


@pytest.mark.parametrize("bad", ["x", math.nan, None])
def test_a_scheduler_names_a_learning_rate_set_by_hand_to_no_number(bad: object) -> None:
    # used to fail inside get_lr with "can't multiply sequence by non-int of type 'float'"
    from nn import optim
    optimizer = optim.SGD([Value(1.0)], lr=0.1)
    optimizer.param_groups[0]["lr"] = bad
    with pytest.raises(ValueError, match=r"param_groups\[0\]\['lr'\]"):
        optim.LinearLR(optimizer)
    assert "initial_lr" not in optimizer.param_groups[0]  # nothing written before the refusal
