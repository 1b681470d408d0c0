"""Learning-rate schedulers against torch.optim.lr_scheduler over 50 epochs, to 1e-12, and their refusals.

Skipped where PyTorch is not installed (an optional reference, never a dependency).
"""

from __future__ import annotations

import json
import math
from typing import Any

import pytest

torch = pytest.importorskip("torch")

from autograd import Value  # noqa: E402
from nn.optim import SGD, Adam, lr_scheduler  # noqa: E402

CASES = [
    ("StepLR", {"step_size": 7, "gamma": 0.5}),
    ("StepLR", {"step_size": 1}),
    ("MultiStepLR", {"milestones": [30, 3, 10, 10], "gamma": 0.3}),
    ("ExponentialLR", {"gamma": 0.93}),
    ("CosineAnnealingLR", {"T_max": 12, "eta_min": 0.001}),
    ("CosineAnnealingLR", {"T_max": 10}),  # reaches 0 exactly at epoch 10, climbs back after
    ("LambdaLR", {"lr_lambda": lambda epoch: 0.95**epoch / (1 + epoch)}),
]


def _pair(kind: type = SGD) -> tuple[Any, Any, list[Value], Any]:
    ours_params = [Value(0.5), Value(-1.0)]
    theirs_params = [torch.tensor([0.5], dtype=torch.float64, requires_grad=True),
                     torch.tensor([-1.0], dtype=torch.float64, requires_grad=True)]
    theirs_kind = {SGD: torch.optim.SGD, Adam: torch.optim.Adam}[kind]
    ours = kind([{"params": [ours_params[0]]}, {"params": [ours_params[1]], "lr": 0.3}], lr=0.1)
    theirs = theirs_kind([{"params": [theirs_params[0]]}, {"params": [theirs_params[1]], "lr": 0.3}], lr=0.1)
    return ours, theirs, ours_params, theirs_params


@pytest.mark.parametrize(("name", "options"), CASES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CASES)])
def test_rates_match_torch_for_50_epochs(name: str, options: dict) -> None:
    ours, theirs, ours_params, theirs_params = _pair(Adam)
    mine = getattr(lr_scheduler, name)(ours, **options)
    their = getattr(torch.optim.lr_scheduler, name)(theirs, **options)
    for epoch in range(50):
        assert mine.last_epoch == their.last_epoch == epoch
        assert mine.get_last_lr() == pytest.approx(their.get_last_lr(), rel=1e-12, abs=1e-15), f"epoch {epoch}"
        assert [g["lr"] for g in ours.param_groups] == mine.get_last_lr()
        for p, t in zip(ours_params, theirs_params, strict=True):
            p.grad = math.sin(epoch + p.data)
            t.grad = torch.tensor([math.sin(epoch + t.item())], dtype=torch.float64)
        ours.step()
        theirs.step()
        mine.step()
        their.step()
    # The optimizer used the scheduled rates: the weights still agree after 50 scheduled steps.
    assert [p.data for p in ours_params] == pytest.approx([t.item() for t in theirs_params], rel=1e-12, abs=1e-12)


@pytest.mark.parametrize(("name", "options"), CASES[:6], ids=[n for n, _ in CASES[:6]])
def test_step_with_an_epoch_uses_the_closed_form_as_torch(name: str, options: dict) -> None:
    ours, theirs, _, _ = _pair()
    mine = getattr(lr_scheduler, name)(ours, **options)
    their = getattr(torch.optim.lr_scheduler, name)(theirs, **options)
    for epoch in (5, 17, 3, 40):
        with pytest.warns(UserWarning, match="deprecated"):  # torch's deprecation warning, ours too
            mine.step(epoch)
        with pytest.warns(UserWarning):
            their.step(epoch)
        assert mine.get_last_lr() == pytest.approx(their.get_last_lr(), rel=1e-12, abs=1e-15)


@pytest.mark.filterwarnings("ignore:Detected call of .lr_scheduler.step:UserWarning")  # no optimizer steps here
def test_state_dict_resumes_where_it_stopped_as_torch() -> None:
    ours, theirs, _, _ = _pair()
    mine = lr_scheduler.CosineAnnealingLR(ours, T_max=20, eta_min=0.01)
    their = torch.optim.lr_scheduler.CosineAnnealingLR(theirs, T_max=20, eta_min=0.01)
    for _ in range(8):
        mine.step()
        their.step()
    state = mine.state_dict()
    assert {k: state[k] for k in ("base_lrs", "last_epoch", "_step_count", "T_max", "eta_min")} == \
        {k: their.state_dict()[k] for k in ("base_lrs", "last_epoch", "_step_count", "T_max", "eta_min")}
    opt_state = ours.state_dict()
    fresh_params = [Value(0.0), Value(0.0)]
    fresh = SGD([{"params": [fresh_params[0]]}, {"params": [fresh_params[1]]}], lr=0.9)
    fresh.load_state_dict(opt_state)  # carries each group's lr and initial_lr
    resumed = lr_scheduler.CosineAnnealingLR(fresh, T_max=20, eta_min=0.01, last_epoch=mine.last_epoch)
    resumed.load_state_dict(state)
    for _ in range(30):
        resumed.step()
        their.step()
        assert resumed.get_last_lr() == pytest.approx(their.get_last_lr(), rel=1e-12, abs=1e-15)


@pytest.mark.filterwarnings("ignore:Detected call of .lr_scheduler.step:UserWarning")  # no optimizer steps here
def test_lambda_lr_takes_one_function_per_group_and_saves_a_callable_objects_dict() -> None:
    class Warmup:
        def __init__(self, epochs: int) -> None:
            self.epochs = epochs

        def __call__(self, epoch: int) -> float:
            return min(1.0, (epoch + 1) / self.epochs)

    ours, theirs, _, _ = _pair()
    mine = lr_scheduler.LambdaLR(ours, [Warmup(4), lambda e: 0.5**e])
    their = torch.optim.lr_scheduler.LambdaLR(theirs, [Warmup(4), lambda e: 0.5**e])
    for _ in range(6):
        assert mine.get_last_lr() == pytest.approx(their.get_last_lr(), rel=1e-15)
        mine.step()
        their.step()
    assert mine.state_dict()["lr_lambdas"] == their.state_dict()["lr_lambdas"] == [{"epochs": 4}, None]
    with pytest.raises(ValueError, match="Expected 2 lr_lambdas, but got 1"):
        lr_scheduler.LambdaLR(ours, [lambda e: 1.0])


@pytest.mark.parametrize(
    ("name", "options", "error", "message"),
    [
        ("LambdaLR", {"lr_lambda": 0.5}, TypeError, "lr_lambda must be callable"),
        ("LambdaLR", {"lr_lambda": lambda e: "fast"}, TypeError, "returned str"),
        ("LambdaLR", {"lr_lambda": lambda e: -1.0}, ValueError, r"param_groups\[0\] at epoch 0 must be .*>= 0"),
        ("LambdaLR", {"lr_lambda": lambda e: math.inf}, ValueError, "at epoch 0 must be a finite number"),
        ("StepLR", {"step_size": 0}, ValueError, "step_size must be an integer >= 1"),
        ("StepLR", {"step_size": 2.5}, TypeError, "step_size must be an integer"),
        ("StepLR", {"step_size": 3, "gamma": -0.1}, ValueError, "gamma must be a finite number >= 0"),
        ("ExponentialLR", {"gamma": math.nan}, ValueError, "gamma must be a finite number >= 0"),
        ("MultiStepLR", {"milestones": 5}, TypeError, "milestones must be a list of integers"),
        ("MultiStepLR", {"milestones": [2, -1]}, ValueError, "milestone must be an integer >= 0"),
        ("CosineAnnealingLR", {"T_max": 0}, ValueError, "T_max must be an integer >= 1"),
        ("CosineAnnealingLR", {"T_max": 5, "eta_min": -1e-3}, ValueError, "eta_min must be a finite number >= 0"),
        ("StepLR", {"step_size": 2, "last_epoch": -2}, ValueError, "last_epoch must be an integer >= -1"),
        ("StepLR", {"step_size": 2, "last_epoch": 4}, KeyError, "initial_lr"),
    ],
)
def test_bad_arguments_are_named(name: str, options: dict, error: type, message: str) -> None:
    ours, _, _, _ = _pair()
    before = [dict(g) for g in ours.param_groups]
    with pytest.raises(error, match=message):
        getattr(lr_scheduler, name)(ours, **options)
    if error is not KeyError:
        assert all(g["lr"] == b["lr"] for g, b in zip(ours.param_groups, before, strict=True))


def test_a_scheduler_needs_an_optimizer_and_refuses_a_bad_state() -> None:
    with pytest.raises(TypeError, match="is not an Optimizer"):
        lr_scheduler.StepLR(torch.optim.SGD([torch.zeros(1, requires_grad=True)]), step_size=2)  # type: ignore[arg-type]
    ours, _, _, _ = _pair()
    sched = lr_scheduler.StepLR(ours, step_size=2)
    for state, message in [({"last_epoch": "3"}, "last_epoch"), ({"base_lrs": [0.1]}, "list of 2"),
                           ({"gamma": -2.0}, "gamma"), ({"optimizer": None}, "unknown entry")]:
        with pytest.raises((TypeError, ValueError), match=message):
            sched.load_state_dict(state)
    assert sched.last_epoch == 0 and sched.base_lrs == [0.1, 0.3]


@pytest.mark.parametrize(("name", "options"), CASES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CASES)])
def test_state_dict_has_torchs_keys_and_a_torch_state_loads(name: str, options: dict) -> None:
    ours, theirs, _, _ = _pair()
    mine = getattr(lr_scheduler, name)(ours, **options)
    their = getattr(torch.optim.lr_scheduler, name)(theirs, **options)
    for _ in range(4):
        theirs.step()
        their.step()
    assert set(mine.state_dict()) == set(their.state_dict())
    mine.load_state_dict(their.state_dict())
    theirs_lrs = [g["lr"] for g in theirs.param_groups]
    for group, lr in zip(ours.param_groups, theirs_lrs, strict=True):
        group["lr"] = lr  # the optimizer's rates travel in the optimizer's state, as in torch
    for _ in range(20):
        ours.step()
        theirs.step()
        mine.step()
        their.step()
        assert mine.get_last_lr() == pytest.approx(their.get_last_lr(), rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("epoch", [-3, 2.5, "4", True])
def test_a_refused_epoch_changes_nothing(epoch: Any) -> None:
    # Before: the step count went up before the epoch was checked, so the saved state no longer matched torch's
    # (whose step count the same schedule, without the bad call, leaves at 2).
    ours, theirs, _, _ = _pair()
    mine = lr_scheduler.CosineAnnealingLR(ours, T_max=10, eta_min=0.01)
    their = torch.optim.lr_scheduler.CosineAnnealingLR(theirs, T_max=10, eta_min=0.01)
    before = mine.state_dict()
    with pytest.raises((TypeError, ValueError), match="epoch"):
        mine.step(epoch)
    assert mine.state_dict() == before
    ours.step()
    theirs.step()
    mine.step()
    their.step()
    assert mine.state_dict()["_step_count"] == their.state_dict()["_step_count"] == 2
    assert mine.get_last_lr() == pytest.approx(their.get_last_lr(), rel=1e-12, abs=1e-15)


def test_a_multistep_state_saved_as_json_loads_back() -> None:
    # JSON turns the milestones' int keys into strings; before, loading that back was a TypeError.
    ours, theirs, _, _ = _pair()
    mine = lr_scheduler.MultiStepLR(ours, milestones=[3, 3, 5], gamma=0.5)
    their = torch.optim.lr_scheduler.MultiStepLR(theirs, milestones=[3, 3, 5], gamma=0.5)
    saved = json.loads(json.dumps(mine.state_dict()))
    resumed = lr_scheduler.MultiStepLR(SGD([Value(0.5)], lr=0.1), milestones=[1], gamma=0.9)
    with pytest.raises(ValueError, match="learning rates"):  # two groups saved, one here: refused, as before
        resumed.load_state_dict(saved)
    resumed = lr_scheduler.MultiStepLR(_pair()[0], milestones=[1], gamma=0.9)
    resumed.load_state_dict(saved)
    assert resumed.milestones == their.milestones and resumed.gamma == 0.5
    with pytest.raises(TypeError, match="milestone"):
        resumed.load_state_dict({**saved, "milestones": {"3.5": 1}})


@pytest.mark.filterwarnings("ignore:Detected call of .lr_scheduler.step:UserWarning")  # no optimizer steps here
@pytest.mark.filterwarnings("ignore:To get the last learning rate:UserWarning")  # torch's, for get_lr() asked directly
def test_cosine_annealing_built_with_last_epoch_follows_torch_including_its_closed_form_branch() -> None:
    # Resuming by last_epoch= alone (no load_state_dict). torch's construction is its first step (the rates are
    # kept); get_lr() asked directly before any other step (step count 1, epoch > 0) is the closed form at that
    # epoch, whatever rate the optimizer holds; step() then follows the recursive rule from the held rates.
    ours = SGD([{"params": [Value(0.0)], "initial_lr": 0.3}, {"params": [Value(0.0)], "initial_lr": 0.2}], lr=0.05)
    t_params = [torch.zeros(1, requires_grad=True), torch.zeros(1, requires_grad=True)]
    theirs = torch.optim.SGD([{"params": [t_params[0]], "initial_lr": 0.3},
                              {"params": [t_params[1]], "initial_lr": 0.2}], lr=0.05)
    mine = lr_scheduler.CosineAnnealingLR(ours, T_max=7, eta_min=0.01, last_epoch=4)
    their = torch.optim.lr_scheduler.CosineAnnealingLR(theirs, T_max=7, eta_min=0.01, last_epoch=4)
    assert mine.get_last_lr() == their.get_last_lr() == [0.05, 0.05]
    assert mine.last_epoch == their.last_epoch == 5
    closed = [0.01 + (base - 0.01) * (1 + math.cos(math.pi * 5 / 7)) / 2 for base in (0.3, 0.2)]
    assert their.get_lr() == pytest.approx(closed, rel=1e-14)
    assert mine.get_lr() == pytest.approx(closed, rel=1e-14)
    for _ in range(12):  # on through T_max and the climb back up
        mine.step()
        their.step()
        assert mine.get_last_lr() == pytest.approx(their.get_last_lr(), rel=1e-12, abs=1e-15)
