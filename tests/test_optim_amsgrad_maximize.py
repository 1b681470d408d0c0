"""Adam/AdamW ``amsgrad`` and ``maximize``, SGD's and Adagrad's ``maximize``, against torch.optim in float64 to 1e-12.

Skipped where PyTorch is not installed (an optional reference, never a dependency).
"""

from __future__ import annotations

import random
import zlib

import pytest

torch = pytest.importorskip("torch")

from autograd import Value  # noqa: E402
from nn import SGD, Adagrad, Adam, AdamW  # noqa: E402

OURS = {"sgd": SGD, "adagrad": Adagrad, "adam": Adam, "adamw": AdamW}
THEIRS = {"sgd": torch.optim.SGD, "adagrad": torch.optim.Adagrad, "adam": torch.optim.Adam, "adamw": torch.optim.AdamW}


def _compare(kind: str, options: dict, steps: int = 30) -> None:
    rng = random.Random(zlib.crc32(repr((kind, sorted(options.items()))).encode()))
    start = [rng.uniform(-1.0, 1.0) for _ in range(6)]
    ours = [Value(x) for x in start]
    theirs = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    opt_ours = OURS[kind](ours, **options)
    opt_theirs = THEIRS[kind]([theirs], **options)
    for step in range(steps):
        # Gradients that shrink after a while: AMSGrad's running maximum then differs from v.
        grads = [rng.gauss(0.0, 1.0 if step < 10 else 0.05) for _ in start]
        for p, g in zip(ours, grads, strict=True):
            p.grad = g
        theirs.grad = torch.tensor(grads, dtype=torch.float64)
        opt_ours.step()
        opt_theirs.step()
        expected = theirs.detach().tolist()
        scale = max(1.0, max(abs(x) for x in expected))
        assert [p.data for p in ours] == pytest.approx(expected, rel=1e-12, abs=1e-12 * scale), f"step {step + 1}"
    if options.get("amsgrad"):
        their_max = opt_theirs.state[theirs]["max_exp_avg_sq"].tolist()
        assert opt_ours.v_max == pytest.approx(their_max, rel=1e-12)
        assert opt_ours.v_max != opt_ours.v  # the maximum was used


@pytest.mark.parametrize("kind", ["adam", "adamw"])
@pytest.mark.parametrize(
    "options",
    [{"amsgrad": True}, {"maximize": True}, {"amsgrad": True, "maximize": True, "lr": 0.05, "weight_decay": 0.1},
     {"amsgrad": True, "betas": (0.5, 0.99), "eps": 1e-6, "lr": 0.02}],
)
def test_adam_amsgrad_and_maximize_match_torch(kind: str, options: dict) -> None:
    _compare(kind, options)


@pytest.mark.parametrize(
    "options",
    [{"lr": 0.1, "maximize": True}, {"lr": 0.05, "momentum": 0.9, "maximize": True, "weight_decay": 0.2},
     {"lr": 0.05, "momentum": 0.9, "nesterov": True, "maximize": True}],
)
def test_sgd_maximize_matches_torch(options: dict) -> None:
    _compare("sgd", options)


def test_adagrad_maximize_matches_torch() -> None:
    _compare("adagrad", {"lr": 0.1, "maximize": True, "weight_decay": 0.1, "lr_decay": 0.05})


def test_adam_with_decoupled_weight_decay_is_adamw_as_in_torch() -> None:
    _compare("adam", {"lr": 0.05, "weight_decay": 0.3, "decoupled_weight_decay": True})


def test_maximize_climbs_a_parabola() -> None:
    # -(w - 3)^2 peaks at w = 3: gradient ascent must get there, descent would run away.
    w = Value(0.0)
    opt = SGD([w], lr=0.1, maximize=True)
    for _ in range(200):
        opt.zero_grad()
        (-(w - 3.0) ** 2).backward()
        opt.step()
    assert w.data == pytest.approx(3.0, abs=1e-12)


def test_amsgrad_state_is_saved_only_when_used_and_old_files_load() -> None:
    a = Value(1.0)
    plain, ams = Adam([a]), Adam([Value(1.0)], amsgrad=True)
    assert set(plain.state_dict()["buffers"]) == {"m", "v"}
    assert set(ams.state_dict()["buffers"]) == {"m", "v", "v_max"}
    ams.load_state_dict({**plain.state_dict(), "param_groups": ams.state_dict()["param_groups"]})
    assert ams.v_max == [0.0]
    bad = ams.state_dict()
    bad["buffers"]["v_max"] = [-1.0]
    with pytest.raises(ValueError, match="'v_max' entry 0 must be >= 0"):
        ams.load_state_dict(bad)


@pytest.mark.parametrize("option", ["amsgrad", "maximize"])
def test_flags_must_be_booleans(option: str) -> None:
    with pytest.raises(TypeError, match=f"{option} must be True or False"):
        Adam([Value(0.0)], **{option: 1})
    with pytest.raises(TypeError, match="maximize must be True or False"):
        SGD([Value(0.0)], lr=0.1, maximize="yes")  # type: ignore[arg-type]


def test_zero_grad_set_to_none_leaves_zero_because_a_values_grad_is_a_number() -> None:
    a = Value(2.0)
    (a * a).backward()
    opt = SGD([a], lr=0.1)
    opt.zero_grad(set_to_none=True)
    assert a.grad == 0.0
    a.grad = 5.0
    opt.zero_grad(set_to_none=False)
    assert a.grad == 0.0
    with pytest.raises(TypeError, match="set_to_none must be True or False"):
        opt.zero_grad(set_to_none=None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kind", "options"),
    [("sgd", {"lr": 0.1}), ("sgd", {"lr": 0.1, "momentum": 0.9}), ("adam", {"amsgrad": True}), ("adam", {}),
     ("adamw", {"lr": 0.05}), ("adagrad", {"lr": 0.1, "initial_accumulator_value": 0.3})],
)
def test_state_has_torchs_names_and_numbers_per_parameter(kind: str, options: dict) -> None:
    ours = [Value(0.5), Value(-0.25)]
    theirs = [torch.tensor(0.5, dtype=torch.float64, requires_grad=True),
              torch.tensor(-0.25, dtype=torch.float64, requires_grad=True)]
    opt_ours, opt_theirs = OURS[kind](ours, **options), THEIRS[kind](theirs, **options)
    for step in range(4):
        assert set(opt_ours.state) == set(ours)
        for p, t in zip(ours, theirs, strict=True):
            mine = opt_ours.state[p]
            their = {k: v.item() for k, v in opt_theirs.state[t].items() if v is not None}
            assert mine == pytest.approx(their, rel=1e-12), (step, kind)
        for p, t, g in zip(ours, theirs, (0.7, -1.3), strict=True):
            p.grad = g * (step + 1)
            t.grad = torch.tensor(g * (step + 1), dtype=torch.float64)
        opt_ours.step()
        opt_theirs.step()
