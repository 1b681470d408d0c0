"""SequentialLR and ChainedScheduler as torch's: warm-up then decay, restarts at milestones, nesting, state.

A closed-form test runs everywhere; the comparisons with torch skip where it is not installed.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pytest

from autograd import Value
from nn.optim import SGD, Adam, lr_scheduler


def _optimizer(kind: type = SGD) -> Any:
    return kind([{"params": [Value(0.5)]}, {"params": [Value(-1.0)], "lr": 0.3}], lr=0.1)


def _rates(scheduler: Any, steps: int) -> list[float]:
    rates = [scheduler.get_last_lr()[0]]
    for _ in range(steps):
        scheduler.optimizer.step()
        scheduler.step()
        rates.append(scheduler.get_last_lr()[0])
    return rates


def test_warm_up_then_cosine_by_hand() -> None:
    optimizer = _optimizer()
    warm = lr_scheduler.LinearLR(optimizer, start_factor=0.25, total_iters=2)
    decay = lr_scheduler.CosineAnnealingLR(optimizer, T_max=4)
    rates = _rates(lr_scheduler.SequentialLR(optimizer, [warm, decay], milestones=[2]), 6)
    cosine = [0.1 * (1 + math.cos(math.pi * k / 4)) / 2 for k in range(5)]
    assert rates == pytest.approx([0.025, 0.0625, *cosine], rel=1e-13, abs=1e-18)


def test_chained_factors_compound() -> None:
    optimizer = _optimizer()
    chain = lr_scheduler.ChainedScheduler([lr_scheduler.ExponentialLR(optimizer, 0.9),
                                           lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.5)])
    assert _rates(chain, 4) == pytest.approx([0.1, 0.09, 0.0405, 0.03645, 0.0164025], rel=1e-14)


@pytest.mark.parametrize(("make", "error", "message"), [
    (lambda o: lr_scheduler.SequentialLR(o, [], []), ValueError, "at least one scheduler"),
    (lambda o: lr_scheduler.SequentialLR(o, [lr_scheduler.ExponentialLR(o, 0.9)], [3]), ValueError,
     "one more than the number of milestone points"),
    (lambda o: lr_scheduler.SequentialLR(o, [lr_scheduler.ExponentialLR(_optimizer(), 0.9)], []), ValueError,
     "same optimizer"),
    (lambda o: lr_scheduler.ChainedScheduler([lr_scheduler.ReduceLROnPlateau(o)]), ValueError,
     "does not support `ReduceLROnPlateau`"),
    (lambda o: lr_scheduler.ChainedScheduler([]), ValueError, "at least one scheduler"),
])
def test_bad_compositions_are_refused_in_torchs_words(make: Callable[[Any], Any], error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        make(_optimizer())


def test_a_saved_sequence_resumes_where_it_was() -> None:
    first = _optimizer()
    sequence = _build(lr_scheduler, first, "warmup-cosine")
    _rates(sequence, 6)
    saved_opt, saved = first.state_dict(), sequence.state_dict()
    later = _rates(sequence, 6)
    second = _optimizer()
    second.load_state_dict(saved_opt)
    resumed = _build(lr_scheduler, second, "warmup-cosine")
    resumed.load_state_dict(saved)
    for group, rate in zip(second.param_groups, saved["_last_lr"]):
        group["lr"] = rate  # the rates the saved run had reached (the constructor restarted them)
    assert _rates(resumed, 6) == pytest.approx(later, rel=1e-15)


def _build(lib: Any, optimizer: Any, kind: str) -> Any:
    L = lib
    if kind == "warmup-cosine":
        return L.SequentialLR(optimizer, [L.LinearLR(optimizer, start_factor=0.1, total_iters=4),
                                          L.CosineAnnealingLR(optimizer, T_max=10, eta_min=0.001)], milestones=[4])
    if kind == "three-stages":
        return L.SequentialLR(optimizer, [L.ConstantLR(optimizer, factor=0.5, total_iters=3),
                                          L.ExponentialLR(optimizer, gamma=0.9),
                                          L.StepLR(optimizer, step_size=2, gamma=0.5)], milestones=[3, 7])
    if kind == "chained":
        return L.ChainedScheduler([L.LinearLR(optimizer, start_factor=0.5, total_iters=3),
                                   L.ExponentialLR(optimizer, gamma=0.95)])
    return L.SequentialLR(optimizer, [L.ChainedScheduler([L.LinearLR(optimizer, start_factor=0.2, total_iters=3),
                                                         L.ExponentialLR(optimizer, gamma=0.97)]),
                                      L.MultiStepLR(optimizer, milestones=[2, 4], gamma=0.3)], milestones=[5])


# torch's own nested SequentialLR warns that its inner scheduler stepped before the optimizer (its quirk, not ours).
@pytest.mark.filterwarnings("ignore:Detected call of `lr_scheduler.step\\(\\)` before")
@pytest.mark.parametrize("kind", ["warmup-cosine", "three-stages", "chained", "nested"])
@pytest.mark.parametrize("optimizer_kind", [SGD, Adam])
def test_rates_and_state_keys_equal_torchs(kind: str, optimizer_kind: type) -> None:
    torch = pytest.importorskip("torch")
    ours_params = [Value(0.5), Value(-1.0)]
    theirs_params = [torch.tensor([x], dtype=torch.float64, requires_grad=True) for x in (0.5, -1.0)]
    ours_opt = optimizer_kind([{"params": [ours_params[0]]}, {"params": [ours_params[1]], "lr": 0.3}], lr=0.1)
    theirs_opt = {SGD: torch.optim.SGD, Adam: torch.optim.Adam}[optimizer_kind](
        [{"params": [theirs_params[0]]}, {"params": [theirs_params[1]], "lr": 0.3}], lr=0.1)
    ours = _build(lr_scheduler, ours_opt, kind)
    theirs = _build(torch.optim.lr_scheduler, theirs_opt, kind)
    for epoch in range(16):
        assert ours.get_last_lr() == pytest.approx(theirs.get_last_lr(), rel=1e-13, abs=1e-300), f"epoch {epoch}"
        assert [g["lr"] for g in ours_opt.param_groups] == pytest.approx(
            [g["lr"] for g in theirs_opt.param_groups], rel=1e-13, abs=1e-300)
        grads = [math.sin(epoch + 1.0), math.cos(epoch + 1.0)]
        for p, t, g in zip(ours_params, theirs_params, grads):
            p.grad = g
            t.grad = torch.tensor([g], dtype=torch.float64)
        ours_opt.step()
        theirs_opt.step()
        ours.step()
        theirs.step()
    assert [p.data for p in ours_params] == pytest.approx([t.item() for t in theirs_params], rel=1e-12)
    assert sorted(ours.state_dict()) == sorted(theirs.state_dict())
