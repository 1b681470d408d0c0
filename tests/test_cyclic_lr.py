"""CyclicLR as torch's: triangles, halving triangles, exp_range, a scale_fn of one's own, momentum, state.

A closed-form test runs everywhere; the comparison with torch skips where it is not installed.
"""

from __future__ import annotations

import math
from typing import Any

import pytest

from autograd import Value
from nn.optim import SGD, Adagrad, Adam, lr_scheduler


def _optimizer(kind: type = SGD) -> Any:
    extra = {"momentum": 0.5} if kind is SGD else {}
    return kind([{"params": [Value(0.5)]}, {"params": [Value(-1.0)], "lr": 0.3}], lr=0.1, **extra)


def _rates(scheduler: Any, steps: int) -> list[float]:
    rates = [scheduler.get_last_lr()[0]]
    for _ in range(steps):
        scheduler.optimizer.step()
        scheduler.step()
        rates.append(scheduler.get_last_lr()[0])
    return rates


def test_a_triangle_and_a_halving_triangle_by_hand() -> None:
    optimizer = _optimizer()
    rates = _rates(lr_scheduler.CyclicLR(optimizer, base_lr=0.0, max_lr=0.4, step_size_up=2), 8)
    assert rates == pytest.approx([0.0, 0.2, 0.4, 0.2, 0.0, 0.2, 0.4, 0.2, 0.0], abs=1e-15)
    assert optimizer.param_groups[0]["momentum"] == pytest.approx(0.9)  # back at max_momentum where the rate is low
    halving = _rates(lr_scheduler.CyclicLR(_optimizer(), base_lr=0.0, max_lr=0.4, step_size_up=2,
                                           mode="triangular2"), 8)
    assert halving == pytest.approx([0.0, 0.2, 0.4, 0.2, 0.0, 0.1, 0.2, 0.1, 0.0], abs=1e-15)


def test_exp_range_scales_by_gamma_per_step() -> None:
    rates = _rates(lr_scheduler.CyclicLR(_optimizer(), base_lr=0.0, max_lr=1.0, step_size_up=1, mode="exp_range",
                                         gamma=0.5, cycle_momentum=False), 4)
    assert rates == pytest.approx([0.0, 0.5, 0.0, 0.125, 0.0], abs=1e-15)


@pytest.mark.parametrize(("make", "error", "message"), [
    (lambda o: lr_scheduler.CyclicLR(o, 0.01, 0.1, mode="saw"), ValueError, "mode is invalid and scale_fn is None"),
    (lambda o: lr_scheduler.CyclicLR(o, 0.01, 0.1, step_size_up=0), ValueError, "step_size_up must be > 0"),
    (lambda o: lr_scheduler.CyclicLR(o, [0.01], 0.1), ValueError, "base_lr must have the same length"),
    (lambda o: lr_scheduler.CyclicLR(_optimizer(Adagrad), 0.01, 0.1), ValueError, "must support momentum or beta1"),
    (lambda o: lr_scheduler.CyclicLR(o, 0.01, 0.1, scale_fn=lambda x: "big"), TypeError, "scale_fn returned str"),
])
def test_bad_arguments_are_refused_naming_them(make: Any, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        make(_optimizer())


CASES = [
    {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 4},
    {"base_lr": [0.01, 0.02], "max_lr": [0.1, 0.5], "step_size_up": 3, "step_size_down": 5, "mode": "triangular2"},
    {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 4, "mode": "exp_range", "gamma": 0.9},
    {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 4, "cycle_momentum": False},
    {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 2, "scale_fn": lambda x: 1 / (1 + x), "scale_mode": "iterations"},
]


@pytest.mark.parametrize("options", CASES, ids=[str(i) for i in range(len(CASES))])
@pytest.mark.parametrize("kind", [SGD, Adam])
def test_rates_momenta_and_state_keys_equal_torchs(options: dict, kind: type) -> None:
    torch = pytest.importorskip("torch")
    ours_params = [Value(0.5), Value(-1.0)]
    theirs_params = [torch.tensor([x], dtype=torch.float64, requires_grad=True) for x in (0.5, -1.0)]
    extra = {"momentum": 0.5} if kind is SGD else {}
    ours_opt = kind([{"params": [ours_params[0]]}, {"params": [ours_params[1]], "lr": 0.3}], lr=0.1, **extra)
    theirs_opt = {SGD: torch.optim.SGD, Adam: torch.optim.Adam}[kind](
        [{"params": [theirs_params[0]]}, {"params": [theirs_params[1]], "lr": 0.3}], lr=0.1, **extra)
    ours = lr_scheduler.CyclicLR(ours_opt, **options)
    theirs = torch.optim.lr_scheduler.CyclicLR(theirs_opt, **options)

    def momenta(optimizer: Any) -> list[float]:
        return [g["momentum"] if kind is SGD else g["betas"][0] for g in optimizer.param_groups]

    for step in range(25):
        assert ours.get_last_lr() == pytest.approx(theirs.get_last_lr(), rel=1e-13, abs=1e-300), f"step {step}"
        assert momenta(ours_opt) == pytest.approx(momenta(theirs_opt), rel=1e-13)
        for p, t in zip(ours_params, theirs_params):
            p.grad = math.sin(step + 1.0)
            t.grad = torch.tensor([math.sin(step + 1.0)], dtype=torch.float64)
        ours_opt.step()
        theirs_opt.step()
        ours.step()
        theirs.step()
    assert [p.data for p in ours_params] == pytest.approx([t.item() for t in theirs_params], rel=1e-12)
    assert sorted(ours.state_dict()) == sorted(theirs.state_dict())


def test_state_round_trip_resumes_the_cycle() -> None:
    optimizer = _optimizer()
    scheduler = lr_scheduler.CyclicLR(optimizer, base_lr=0.01, max_lr=0.1, step_size_up=3)
    _rates(scheduler, 4)
    saved_opt, saved = optimizer.state_dict(), scheduler.state_dict()
    later = _rates(scheduler, 5)
    again = _optimizer()
    again.load_state_dict(saved_opt)
    resumed = lr_scheduler.CyclicLR(again, base_lr=0.01, max_lr=0.1, step_size_up=3, last_epoch=3)
    resumed.load_state_dict(saved)
    assert _rates(resumed, 5)[1:] == pytest.approx(later[1:], rel=1e-15)
