"""LinearLR, ConstantLR, PolynomialLR, MultiplicativeLR and OneCycleLR: torch's rates, momenta and state.

The closed-form tests run everywhere; the comparisons with torch skip where it is not installed.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

import pytest

from autograd import Value
from nn.optim import SGD, Adagrad, Adam, lr_scheduler


def _optimizer(kind: type = SGD) -> Any:
    params = [Value(0.5), Value(-1.0)]
    extra = {"momentum": 0.9} if kind is SGD else {}
    return kind([{"params": [params[0]]}, {"params": [params[1]], "lr": 0.3}], lr=0.1, **extra)


def _rates(scheduler: Any, steps: int) -> list[list[float]]:
    rates = [scheduler.get_last_lr()]
    for _ in range(steps):
        scheduler.optimizer.step()
        scheduler.step()
        rates.append(scheduler.get_last_lr())
    return rates


def test_linear_warm_up_by_hand() -> None:
    rates = _rates(lr_scheduler.LinearLR(_optimizer(), start_factor=0.25, end_factor=1.0, total_iters=3), 5)
    expected = [[0.1 * f, 0.3 * f] for f in (0.25, 0.5, 0.75, 1.0, 1.0, 1.0)]
    assert [r for row in rates for r in row] == pytest.approx([r for row in expected for r in row], rel=1e-15)


def test_constant_then_the_base_rate_and_polynomial_decay_by_hand() -> None:
    rates = _rates(lr_scheduler.ConstantLR(_optimizer(), factor=0.5, total_iters=2), 3)
    assert [row[0] for row in rates] == pytest.approx([0.05, 0.05, 0.1, 0.1], rel=1e-15)
    rates = _rates(lr_scheduler.PolynomialLR(_optimizer(), total_iters=4, power=2.0), 5)
    assert [row[1] for row in rates] == pytest.approx([0.3 * (1 - k / 4) ** 2 for k in (0, 1, 2, 3, 4, 4)],
                                                      rel=1e-14, abs=1e-300)


def test_multiplicative_compounds_and_a_zero_constant_factor_gives_the_base_back() -> None:
    rates = _rates(lr_scheduler.MultiplicativeLR(_optimizer(), lambda epoch: 0.5), 3)
    assert [row[0] for row in rates] == pytest.approx([0.1, 0.05, 0.025, 0.0125], rel=1e-15)
    rates = _rates(lr_scheduler.ConstantLR(_optimizer(), factor=0.0, total_iters=2), 2)
    assert [row[0] for row in rates] == [0.0, 0.0, 0.1]  # torch: ZeroDivisionError at epoch 2


def _one_cycle_by_hand(step: int, total: int, max_lr: float, pct: float = 0.3, div: float = 25.0,
                       final_div: float = 1e4) -> float:
    start, floor = max_lr / div, max_lr / div / final_div
    peak = pct * total - 1
    if step <= peak:
        return max_lr + (start - max_lr) / 2 * (math.cos(math.pi * step / peak) + 1)
    return floor + (max_lr - floor) / 2 * (math.cos(math.pi * (step - peak) / (total - 1 - peak)) + 1)


def test_one_cycle_rates_and_momentum_by_hand() -> None:
    optimizer = _optimizer()
    scheduler = lr_scheduler.OneCycleLR(optimizer, max_lr=[1.0, 0.5], total_steps=20)
    rates = _rates(scheduler, 19)
    assert [row[0] for row in rates] == pytest.approx([_one_cycle_by_hand(k, 20, 1.0) for k in range(20)], rel=1e-13)
    assert [row[1] for row in rates] == pytest.approx([_one_cycle_by_hand(k, 20, 0.5) for k in range(20)], rel=1e-13)
    assert rates[0][0] == pytest.approx(1.0 / 25) and rates[-1][0] == pytest.approx(1.0 / 25 / 1e4)
    # Momentum runs the other way: at its floor (0.85) where the rate peaks, back to 0.95 at the end.
    assert optimizer.param_groups[0]["momentum"] == pytest.approx(0.95)
    group = optimizer.param_groups[0]
    assert (group["max_lr"], group["initial_lr"], group["base_momentum"]) == (1.0, 1.0 / 25, 0.85)


def test_one_cycle_refuses_a_step_past_the_end_and_an_optimizer_without_momentum() -> None:
    scheduler = lr_scheduler.OneCycleLR(_optimizer(Adam), max_lr=0.1, total_steps=2)
    scheduler.step()
    scheduler.step()
    with pytest.raises(ValueError, match="Tried to step 3 times. The specified number of total steps is 2"):
        scheduler.step()
    assert scheduler.last_epoch == 2
    with pytest.raises(ValueError, match="optimizer must support momentum or beta1"):
        lr_scheduler.OneCycleLR(_optimizer(Adagrad), max_lr=0.1, total_steps=5)
    with pytest.raises(ValueError, match="You must define either total_steps OR"):
        lr_scheduler.OneCycleLR(_optimizer(), max_lr=0.1)
    with pytest.raises(ValueError, match="max_lr must have the same length as optimizer.param_groups"):
        lr_scheduler.OneCycleLR(_optimizer(), max_lr=[0.1], total_steps=5)


@pytest.mark.parametrize(
    ("make", "message"),
    [(lambda o: lr_scheduler.LinearLR(o, start_factor=0.0), "Starting multiplicative factor"),
     (lambda o: lr_scheduler.LinearLR(o, end_factor=1.5), "Ending multiplicative factor"),
     (lambda o: lr_scheduler.ConstantLR(o, factor=2.0), "Constant multiplicative factor"),
     (lambda o: lr_scheduler.PolynomialLR(o, power=-1.0), "power"),
     (lambda o: lr_scheduler.OneCycleLR(o, 0.1, total_steps=5, pct_start=1), "pct_start"),
     (lambda o: lr_scheduler.OneCycleLR(o, 0.1, total_steps=5, anneal_strategy="exp"), "anneal_strategy")],
)
def test_bad_options_are_value_errors_naming_them(make: Callable[[Any], Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make(_optimizer())


def test_the_optimizer_state_with_one_cycle_keys_survives_json_and_resumes() -> None:
    optimizer = _optimizer()
    scheduler = lr_scheduler.OneCycleLR(optimizer, max_lr=0.5, total_steps=10)
    _rates(scheduler, 4)
    saved = json.loads(json.dumps({"opt": optimizer.state_dict(), "sched": scheduler.state_dict()}))
    later = _rates(scheduler, 5)
    again = _optimizer()
    again.load_state_dict(saved["opt"])
    resumed = lr_scheduler.OneCycleLR(again, max_lr=0.5, total_steps=10, last_epoch=3)
    resumed.load_state_dict(saved["sched"])
    assert _rates(resumed, 5) == later


TORCH_CASES = [
    ("LinearLR", {"start_factor": 0.2, "end_factor": 0.9, "total_iters": 6}, SGD),
    ("LinearLR", {}, Adam),
    ("ConstantLR", {"factor": 0.5, "total_iters": 4}, SGD),
    ("PolynomialLR", {"total_iters": 8, "power": 2.0}, SGD),
    ("MultiplicativeLR", {"lr_lambda": lambda epoch: 0.9 if epoch % 2 else 0.99}, Adam),
    ("OneCycleLR", {"max_lr": 0.5, "total_steps": 14}, SGD),
    ("OneCycleLR", {"max_lr": [0.5, 0.2], "total_steps": 14, "three_phase": True}, Adam),
    ("OneCycleLR", {"max_lr": 0.5, "epochs": 2, "steps_per_epoch": 7, "anneal_strategy": "linear",
                    "cycle_momentum": False}, SGD),
]


@pytest.mark.parametrize(("name", "options", "kind"), TORCH_CASES,
                         ids=[f"{case[0]}-{i}" for i, case in enumerate(TORCH_CASES)])
def test_rates_momenta_and_state_keys_equal_torchs(name: str, options: dict, kind: type) -> None:
    torch = pytest.importorskip("torch")
    ours_params = [Value(0.5), Value(-1.0)]
    theirs_params = [torch.tensor([x], dtype=torch.float64, requires_grad=True) for x in (0.5, -1.0)]
    extra = {"momentum": 0.9} if kind is SGD else {}
    ours_opt = kind([{"params": [ours_params[0]]}, {"params": [ours_params[1]], "lr": 0.3}], lr=0.1, **extra)
    theirs_opt = {SGD: torch.optim.SGD, Adam: torch.optim.Adam}[kind](
        [{"params": [theirs_params[0]]}, {"params": [theirs_params[1]], "lr": 0.3}], lr=0.1, **extra)
    ours = getattr(lr_scheduler, name)(ours_opt, **options)
    theirs = getattr(torch.optim.lr_scheduler, name)(theirs_opt, **options)
    # The linear one-cycle's rate after its last step is torch's line extended below 0 (ours: 0): stop before.
    steps = 13 if name == "OneCycleLR" else 15
    def momenta(optimizer: Any) -> list[float]:  # SGD's momentum, or Adam's betas[0], which OneCycleLR cycles
        return [g["momentum"] if kind is SGD else g["betas"][0] for g in optimizer.param_groups]

    for step in range(steps):
        assert ours.get_last_lr() == pytest.approx(theirs.get_last_lr(), rel=1e-13, abs=1e-300), f"epoch {step}"
        assert momenta(ours_opt) == pytest.approx(momenta(theirs_opt), rel=1e-13)
        grads = [math.sin(step + 1.0), math.cos(step + 1.0)]
        for p, t, g in zip(ours_params, theirs_params, grads):
            p.grad = g
            t.grad = torch.tensor([g], dtype=torch.float64)
        ours_opt.step()
        theirs_opt.step()
        ours.step()
        theirs.step()
        assert ours.last_epoch == theirs.last_epoch
    assert [p.data for p in ours_params] == pytest.approx([t.item() for t in theirs_params], rel=1e-12)
    assert sorted(ours.state_dict()) == sorted(theirs.state_dict())
