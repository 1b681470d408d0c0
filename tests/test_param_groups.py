"""Parameter groups (torch's ``param_groups``) against torch.optim in float64, step by step, to 1e-12.

Skipped where PyTorch is not installed (an optional reference, never a dependency).
"""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Callable
from typing import Any

import pytest

torch = pytest.importorskip("torch")

from autograd import Value  # noqa: E402
from nn import MLP, SGD, Adagrad, Adam, AdamW  # noqa: E402
from nn.serialization import load, save  # noqa: E402

OURS = {"sgd": SGD, "adagrad": Adagrad, "adam": Adam, "adamw": AdamW}
THEIRS = {"sgd": torch.optim.SGD, "adagrad": torch.optim.Adagrad, "adam": torch.optim.Adam, "adamw": torch.optim.AdamW}


class Pair:
    """Our scalars and torch's float64 tensors for the same starting values, group by group."""

    def __init__(self, sizes: list[int], seed: int) -> None:
        self.rng = random.Random(seed)
        starts = [[self.rng.uniform(-1.0, 1.0) for _ in range(n)] for n in sizes]
        self.ours = [[Value(x) for x in start] for start in starts]
        self.theirs = [torch.tensor(start, dtype=torch.float64, requires_grad=True) for start in starts]

    def add(self, n: int) -> tuple[list[Value], Any]:
        start = [self.rng.uniform(-1.0, 1.0) for _ in range(n)]
        self.ours.append([Value(x) for x in start])
        self.theirs.append(torch.tensor(start, dtype=torch.float64, requires_grad=True))
        return self.ours[-1], self.theirs[-1]

    def set_grads(self) -> None:
        for ours, theirs in zip(self.ours, self.theirs, strict=True):
            grads = [self.rng.gauss(0.0, 1.0) for _ in ours]
            for p, g in zip(ours, grads, strict=True):
                p.grad = g
            theirs.grad = torch.tensor(grads, dtype=torch.float64)

    def check(self, step: int) -> None:
        for ours, theirs in zip(self.ours, self.theirs, strict=True):
            expected = theirs.detach().tolist()
            scale = max(1.0, max(abs(x) for x in expected))
            assert [p.data for p in ours] == pytest.approx(expected, rel=1e-12, abs=1e-12 * scale), f"step {step}"


def _run(pair: Pair, ours: Any, theirs: Any, steps: int, between: Callable[[int], None] | None = None) -> None:
    for step in range(1, steps + 1):
        pair.set_grads()
        ours.step()
        theirs.step()
        pair.check(step)
        if between is not None:
            between(step)


GROUP_OPTIONS = {
    "sgd": ({"lr": 0.1, "momentum": 0.9}, [{}, {"lr": 0.02, "nesterov": True}, {"momentum": 0.0, "weight_decay": 0.3}]),
    "adagrad": ({"lr": 0.1}, [{}, {"lr": 0.3, "lr_decay": 0.1}, {"initial_accumulator_value": 0.5, "eps": 1e-6}]),
    "adam": ({"lr": 0.05}, [{}, {"betas": (0.5, 0.9), "amsgrad": True}, {"lr": 0.01, "weight_decay": 0.2}]),
    "adamw": ({"lr": 0.05}, [{"maximize": True}, {"weight_decay": 0.5}, {"lr": 0.2, "eps": 1e-4}]),
}


@pytest.mark.parametrize("kind", sorted(GROUP_OPTIONS))
def test_per_group_options_step_as_torch(kind: str) -> None:
    defaults, extras = GROUP_OPTIONS[kind]
    pair = Pair([3, 2, 4], seed=len(kind))
    ours = OURS[kind]([{"params": p, **o} for p, o in zip(pair.ours, extras, strict=True)], **defaults)
    theirs = THEIRS[kind]([{"params": [t], **o} for t, o in zip(pair.theirs, extras, strict=True)], **defaults)
    for mine, their in zip(ours.param_groups, theirs.param_groups, strict=True):
        shared = set(ours.defaults) & set(theirs.defaults)  # all but Adagrad's form
        assert {k: mine[k] for k in shared} == {k: their[k] for k in shared}
    _run(pair, ours, theirs, 25)


@pytest.mark.parametrize("kind", sorted(GROUP_OPTIONS))
def test_changing_a_groups_lr_between_steps_takes_effect_as_in_torch(kind: str) -> None:
    pair = Pair([3, 2], seed=7)
    ours = OURS[kind]([{"params": pair.ours[0]}, {"params": pair.ours[1], "lr": 0.02}], lr=0.1)
    theirs = THEIRS[kind]([{"params": [pair.theirs[0]]}, {"params": [pair.theirs[1]], "lr": 0.02}], lr=0.1)

    def schedule(step: int) -> None:
        for groups in (ours.param_groups, theirs.param_groups):
            groups[0]["lr"] = 0.1 * 0.9**step
            groups[1]["lr"] = 0.02 / (1 + step)

    _run(pair, ours, theirs, 25, schedule)
    assert ours.lr == theirs.param_groups[0]["lr"]


@pytest.mark.parametrize("kind", sorted(GROUP_OPTIONS))
def test_a_group_added_after_some_steps_starts_its_own_state_as_in_torch(kind: str) -> None:
    # Adam's bias correction, SGD's first momentum step and Adagrad's lr_decay count the new group's steps from 1.
    pair = Pair([3], seed=11)
    options = {"lr": 0.05, "momentum": 0.8} if kind == "sgd" else {"lr": 0.05, "lr_decay": 0.2} \
        if kind == "adagrad" else {"lr": 0.05}
    ours = OURS[kind](pair.ours[0], **options)
    theirs = THEIRS[kind]([pair.theirs[0]], **options)
    _run(pair, ours, theirs, 5)
    mine, their = pair.add(2)
    ours.add_param_group({"params": mine, "lr": 0.01})
    theirs.add_param_group({"params": [their], "lr": 0.01})
    assert len(ours.param_groups) == 2 and ours.param_groups[1]["lr"] == 0.01
    _run(pair, ours, theirs, 20)


def test_defaults_are_torchs_for_every_shared_option() -> None:
    for kind in OURS:
        w = torch.zeros(1, dtype=torch.float64, requires_grad=True)
        ours, theirs = OURS[kind]([Value(0.0)]).defaults, THEIRS[kind]([w]).defaults
        shared = set(ours) & set(theirs)
        assert shared >= {"lr", "weight_decay", "maximize"}
        assert {k: ours[k] for k in shared} == {k: theirs[k] for k in shared}, kind


def test_a_plain_list_is_one_group_holding_every_parameter_and_the_options() -> None:
    a, b = Value(1.0), Value(2.0)
    opt = Adam([a, b], lr=0.01, amsgrad=True)
    assert len(opt.param_groups) == 1
    group = opt.param_groups[0]
    assert group["params"] == [a, b] and group["params"][0] is a
    assert {k: v for k, v in group.items() if k != "params"} == opt.defaults
    assert opt.defaults == {"lr": 0.01, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0.0, "amsgrad": True,
                            "maximize": False, "decoupled_weight_decay": False, "foreach": None, "capturable": False,
                            "differentiable": False, "fused": None}  # torch's implementation switches, kept as torch


def test_a_parameter_in_two_groups_is_a_value_error_as_in_torch() -> None:
    w, t = Value(1.0), torch.zeros(1, requires_grad=True)
    with pytest.raises(ValueError, match="more than one parameter group"):
        torch.optim.SGD([{"params": [t]}, {"params": [t]}], lr=0.1)
    with pytest.raises(ValueError, match="more than one parameter group"):
        SGD([{"params": [w]}, {"params": [Value(0.0), w]}], lr=0.1)
    opt = SGD([w], lr=0.1)
    with pytest.raises(ValueError, match="more than one parameter group"):
        opt.add_param_group({"params": [w]})
    assert len(opt.param_groups) == 1 and opt.params == [w]  # the refused group left nothing behind


@pytest.mark.parametrize(
    ("group", "error", "message"),
    [
        ({"params": [Value(0.0)], "momentun": 0.9}, ValueError, "unknown option 'momentun'"),
        ({"lr": 0.1}, ValueError, "no 'params' entry"),
        ({"params": [Value(0.0)], "lr": -0.1}, ValueError, r"param_groups\[1\] learning rate must be .*>= 0"),
        ({"params": [Value(0.0)], "momentum": 1.5}, ValueError, r"param_groups\[1\] momentum must be in \[0, 1\)"),
        ({"params": [Value(0.0)], "nesterov": 1}, TypeError, r"param_groups\[1\] nesterov must be True or False"),
        ({"params": {Value(0.0)}}, TypeError, "ordered collections"),
        ({"params": [0.5]}, TypeError, "must be autograd Values, got float"),
        ([Value(0.0)], TypeError, "param_group must be a dict"),
    ],
)
def test_a_bad_group_is_refused_naming_the_problem(group: Any, error: type, message: str) -> None:
    opt = SGD([Value(1.0)], lr=0.1)
    with pytest.raises(error, match=message):
        opt.add_param_group(group)
    assert len(opt.param_groups) == 1 and len(opt.params) == len(opt.velocity) == 1


def test_a_bad_option_written_into_a_group_is_refused_at_the_next_step_and_nothing_moves() -> None:
    w = Value(1.0)
    w.grad = 1.0
    opt = Adam([w], lr=0.1)
    for key, value, message in [("lr", -1.0, "learning rate"), ("betas", (0.9, 1.0), r"betas\[1\]"),
                                ("eps", float("nan"), "eps"), ("amsgrad", "yes", "amsgrad"),
                                ("lrr", 0.1, "unknown option 'lrr'")]:
        bad = copy.copy(opt.param_groups[0])
        opt.param_groups[0][key] = value
        with pytest.raises((ValueError, TypeError), match=message):
            opt.step()
        assert w.data == 1.0 and opt.steps == 0 and opt.m == [0.0]
        opt.param_groups[0].clear()
        opt.param_groups[0].update(bad)
    opt.param_groups[0]["params"].append(Value(2.0))
    with pytest.raises(ValueError, match="changed in place.*add_param_group"):
        opt.step()


def test_named_parameters_keep_their_names_in_groups_and_errors() -> None:
    model = MLP(1, [1], seed=0)
    named = list(model.named_parameters())
    opt = SGD([{"params": named[:1]}, {"params": named[1:], "lr": 1e308}], lr=0.1)
    assert opt.param_groups[1]["param_names"] == [n for n, _ in named[1:]]
    for p in model.parameters():
        p.grad = 1e10
    with pytest.raises(ValueError, match=repr(named[1][0])):
        opt.step()
    with pytest.raises(ValueError, match="with/without names"):
        opt.add_param_group({"params": [Value(0.0)]})
    with pytest.raises(ValueError, match="with/without names"):
        SGD([("w", Value(0.0)), Value(1.0)], lr=0.1)


@pytest.mark.parametrize("kind", sorted(GROUP_OPTIONS))
def test_state_dict_round_trip_keeps_each_groups_options_and_state(kind: str, tmp_path) -> None:
    defaults, extras = GROUP_OPTIONS[kind]
    pair = Pair([3, 2, 4], seed=5)
    ours = OURS[kind]([{"params": p, **o} for p, o in zip(pair.ours, extras, strict=True)], **defaults)
    theirs = THEIRS[kind]([{"params": [t], **o} for t, o in zip(pair.theirs, extras, strict=True)], **defaults)
    _run(pair, ours, theirs, 4)
    ours.param_groups[2]["lr"] = theirs.param_groups[2]["lr"] = 0.003
    state = json.loads(json.dumps(ours.state_dict()))  # what a file holds
    assert [g["params"] for g in state["param_groups"]] == [[0, 1, 2], [3, 4], [5, 6, 7, 8]]  # torch's layout
    fresh = OURS[kind]([{"params": p} for p in pair.ours], lr=0.5)  # same sizes, other options
    fresh.load_state_dict(state)
    assert fresh.state_dict() == ours.state_dict()
    ours = fresh
    _run(pair, ours, theirs, 6)


def test_a_state_written_before_groups_existed_still_loads() -> None:
    # The layout of PR-era files: type, lr, steps, buffers only.
    a, b = Value(0.5), Value(-0.25)
    old = {"type": "Adam", "lr": 0.02, "steps": 3, "buffers": {"m": [0.1, -0.2], "v": [0.01, 0.04]}}
    opt = Adam([a, b], lr=0.5)
    opt.load_state_dict(old)
    assert opt.lr == 0.02 and opt.steps == 3 and opt.m == [0.1, -0.2] and opt.v_max == [0.0, 0.0]
    a.grad, b.grad = 1.0, 1.0
    opt.step()
    m = 0.9 * 0.1 + 0.1 * 1.0
    v = 0.999 * 0.01 + 0.001 * 1.0
    assert a.data == pytest.approx(0.5 - 0.02 * (m / (1 - 0.9**4)) / ((v / (1 - 0.999**4)) ** 0.5 + 1e-8), rel=1e-15)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: s["param_groups"].pop(), "same number of parameter groups"),
        (lambda s: s["param_groups"][1]["params"].pop(), "must list 1 parameters"),
        (lambda s: s["param_groups"][0].update(nesterov="no"), r"param_groups\[0\] nesterov must be True or False"),
        (lambda s: s["param_groups"][1].update(lr=-2.0), r"param_groups\[1\] learning rate"),
        (lambda s: s["param_groups"][1].update(bogus=1), "unknown option 'bogus'"),
        (lambda s: s["param_groups"][0].update(lr=0.7), "disagrees with itself"),
        (lambda s: s.update(group_steps=[1, 9]), "'group_steps' entry 1"),
    ],
)
def test_a_bad_saved_group_is_refused_and_nothing_changes(change: Callable[[dict], Any], message: str) -> None:
    a, b = Value(1.0), Value(2.0)
    opt = SGD([{"params": [a]}, {"params": [b], "lr": 0.2}], lr=0.1, momentum=0.5)
    a.grad = b.grad = 1.0
    opt.step()
    state = opt.state_dict()
    change(state)
    fresh = SGD([{"params": [Value(0.0)]}, {"params": [Value(0.0)]}], lr=0.3)
    before = fresh.state_dict()
    with pytest.raises((ValueError, TypeError), match=message):
        fresh.load_state_dict(state)
    assert fresh.state_dict() == before


def test_groups_survive_save_and_load_with_the_model(tmp_path) -> None:
    model = MLP(2, [3, 1], seed=3)
    params = model.parameters()
    opt = Adam([{"params": params[:4], "amsgrad": True}, {"params": params[4:], "lr": 0.003}], lr=0.01)
    model([0.5, -1.0]).backward()
    opt.step()
    save(model, tmp_path / "m.json", opt)
    twin = MLP(2, [3, 1], seed=9)
    twin_params = twin.parameters()
    twin_opt = Adam([{"params": twin_params[:4]}, {"params": twin_params[4:]}])
    load(twin, tmp_path / "m.json", twin_opt)
    assert twin_opt.state_dict() == opt.state_dict() and twin_opt.param_groups[0]["amsgrad"] is True


def test_learning_rate_zero_is_allowed_and_negative_is_refused_as_in_torch() -> None:
    torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.0)
    w = Value(1.0)
    w.grad = 3.0
    SGD([w], lr=0.0).step()
    assert w.data == 1.0
    for bad in (-0.1, float("nan"), float("inf"), "0.1", None):
        with pytest.raises(ValueError, match="learning rate must be a finite number >= 0"):
            SGD([Value(0.0)], lr=bad)  # type: ignore[arg-type]


def test_a_learning_rate_that_is_not_a_number_is_a_type_error_as_in_torch() -> None:
    for bad in ("0.1", None, [0.1], True):
        if not isinstance(bad, bool):
            with pytest.raises(TypeError):
                torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=bad)
        with pytest.raises(TypeError, match=f"learning rate must be a finite number >= 0, got {type(bad).__name__}"):
            SGD([Value(0.0)], lr=bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError) as negative:
        SGD([Value(0.0)], lr=-0.1)
    assert not isinstance(negative.value, TypeError)  # a number out of range stays a plain ValueError


def test_every_optimizer_prints_its_class_and_options() -> None:
    from nn import MLP
    from nn.optim import SGD, Adagrad, Adam, AdamW

    params = MLP(2, [2, 1], seed=0).parameters()
    for cls in (SGD, Adam, AdamW, Adagrad):
        text = repr(cls([{"params": params[:3]}, {"params": params[3:], "lr": 0.25}], lr=0.5))
        assert text.startswith(f"{cls.__name__}(lr=0.5, ") and text.endswith(", 2 groups)"), text
