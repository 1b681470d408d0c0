"""torch's ``foreach`` / ``fused`` / ``capturable`` / ``differentiable`` switches, and Adagrad's state of a group
added later, against torch.optim (float64, CPU). Skipped where PyTorch is not installed."""

from __future__ import annotations

import json
import math
import warnings
from typing import Any

import pytest

torch = pytest.importorskip("torch")

from autograd import Value  # noqa: E402
from nn.optim import SGD, Adagrad, Adam, AdamW  # noqa: E402

OURS: dict[str, Any] = {"sgd": SGD, "adam": Adam, "adamw": AdamW, "adagrad": Adagrad}
THEIRS: dict[str, Any] = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam, "adamw": torch.optim.AdamW,
                          "adagrad": torch.optim.Adagrad}
SWITCHES = ("foreach", "capturable", "differentiable", "fused")
START = [0.4, -1.3, 2.2]


def _pair(kind: str, **options: Any) -> tuple[list[Value], Any, Any, Any]:
    ours = [Value(x) for x in START]
    theirs = torch.tensor(START, dtype=torch.float64, requires_grad=True)
    return ours, theirs, OURS[kind](ours, lr=0.05, **options), THEIRS[kind]([theirs], lr=0.05, **options)


def _steps(ours: list[Value], theirs: Any, opt_ours: Any, opt_theirs: Any, steps: int, first: int = 0) -> None:
    for step in range(first, first + steps):
        grads = [math.sin(2 * step + i) + 0.1 * i for i in range(len(START))]
        for p, g in zip(ours, grads):
            p.grad = g
        theirs.grad = torch.tensor(grads, dtype=torch.float64)
        opt_ours.step()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            opt_theirs.step()
        assert [p.data for p in ours] == pytest.approx(theirs.tolist(), rel=1e-12, abs=1e-14), f"step {step}"


@pytest.mark.parametrize("kind", sorted(OURS))
def test_defaults_and_groups_hold_torchs_switches(kind: str) -> None:
    ours, theirs, opt_ours, opt_theirs = _pair(kind)
    mine = {k: v for k, v in opt_ours.defaults.items() if k != "form"}  # form: Adagrad's min-char-rnn variant
    assert mine == opt_theirs.defaults
    assert list(mine) == list(opt_theirs.defaults)  # torch's order too (repr lists them so)
    assert {k: v for k, v in opt_ours.param_groups[0].items() if k not in ("params", "form")} == \
        {k: v for k, v in opt_theirs.param_groups[0].items() if k != "params"}
    assert "foreach=None" in repr(opt_ours) and "fused=None" in repr(opt_ours)


@pytest.mark.parametrize("kind", sorted(OURS))
@pytest.mark.parametrize("switches", [{"foreach": False}, {"foreach": True}, {"fused": True}, {"fused": False},
                                      {"foreach": None, "fused": None, "differentiable": False},
                                      {"fused": True, "foreach": False}])
def test_switches_torch_runs_on_the_cpu_are_accepted_kept_and_step_alike(kind: str, switches: dict) -> None:
    ours, theirs, opt_ours, opt_theirs = _pair(kind, **switches)
    for name, value in switches.items():
        assert opt_ours.defaults[name] is opt_theirs.defaults[name] is value
        assert opt_ours.param_groups[0][name] is opt_theirs.param_groups[0][name] is value
    _steps(ours, theirs, opt_ours, opt_theirs, 6)
    saved = json.loads(json.dumps(opt_ours.state_dict()))
    for name, value in switches.items():
        assert saved["param_groups"][0][name] == opt_theirs.state_dict()["param_groups"][0][name] == value
    fresh = OURS[kind](ours, lr=0.05)
    fresh.load_state_dict(saved)  # the switches come back with the state, as torch's load gives them back
    assert {k: fresh.param_groups[0][k] for k in switches} == switches
    _steps(ours, theirs, fresh, opt_theirs, 4, first=6)


def test_capturable_true_with_fused_runs_as_torch_runs_it() -> None:
    for kind in ("adam", "adamw"):
        ours, theirs, opt_ours, opt_theirs = _pair(kind, fused=True, capturable=True)
        _steps(ours, theirs, opt_ours, opt_theirs, 5)


def _torch_error(kind: str, **switches: Any) -> BaseException:
    t = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    try:
        opt = THEIRS[kind]([t], lr=0.1, **switches)
        t.grad = torch.ones(1, dtype=torch.float64)
        opt.step()
    except Exception as error:  # noqa: BLE001 - whatever torch raises is what the test compares
        return error
    raise AssertionError(f"torch accepted {switches}")


@pytest.mark.parametrize("kind", sorted(OURS))
def test_switches_torch_refuses_are_refused_with_its_words(kind: str) -> None:
    cases: list[tuple[dict, type[BaseException], str]] = [
        ({"fused": True, "foreach": True}, RuntimeError, "`fused` and `foreach` cannot be `True` together."),
        ({"fused": True, "differentiable": True}, RuntimeError, "`fused` does not support `differentiable`"),
        ({"differentiable": None}, TypeError, "must be bool, not NoneType"),
        ({"differentiable": 1}, TypeError, "must be bool, not int"),
    ]
    for switches, kind_of_error, words in cases:
        theirs = _torch_error(kind, **switches)
        assert isinstance(theirs, kind_of_error) and words in str(theirs)
        with pytest.raises(kind_of_error, match=words.replace("`", ".").replace("(", r"\(")):
            OURS[kind]([Value(0.0)], lr=0.1, **switches)
    # torch's differentiable step needs parameters that are not leaves: with a model's own it fails; so here.
    assert isinstance(_torch_error(kind, differentiable=True), RuntimeError)
    with pytest.raises(RuntimeError, match="differentiable=True is not supported"):
        OURS[kind]([Value(0.0)], lr=0.1, differentiable=True)
    # torch takes any object here and uses its truth; a number or a word is a mistake: refused, naming it.
    with pytest.raises(TypeError, match="foreach must be None, True or False, got str 'yes'"):
        OURS[kind]([Value(0.0)], lr=0.1, foreach="yes")
    with pytest.raises(TypeError, match=r"param_groups\[1\] fused must be None, True or False, got int 1"):
        OURS[kind]([Value(0.0)], lr=0.1).add_param_group({"params": [Value(1.0)], "fused": 1})


@pytest.mark.parametrize("kind", ["sgd", "adagrad"])
def test_capturable_is_no_keyword_of_sgd_or_adagrad_in_either(kind: str) -> None:
    with pytest.raises(TypeError, match="unexpected keyword argument 'capturable'"):
        THEIRS[kind]([torch.zeros(1, requires_grad=True)], lr=0.1, capturable=False)
    with pytest.raises(TypeError, match="unexpected keyword argument 'capturable'"):
        OURS[kind]([Value(0.0)], lr=0.1, capturable=False)


@pytest.mark.parametrize("kind", ["adam", "adamw"])
def test_capturable_true_on_the_cpu_is_refused_with_torchs_words(kind: str) -> None:
    theirs = _torch_error(kind, capturable=True)
    assert "params and state_steps must be on supported devices" in str(theirs)
    with pytest.raises(ValueError, match="params and state_steps must be on supported devices"):
        OURS[kind]([Value(0.0)], lr=0.1, capturable=True)
    opt = OURS[kind]([Value(0.0)], lr=0.1, capturable=None)  # torch accepts None too
    assert opt.defaults["capturable"] is None


def test_a_group_switch_set_between_steps_is_checked_at_the_next_step() -> None:
    w = Value(1.0)
    opt = Adam([w], lr=0.1, fused=True)
    w.grad = 0.5
    opt.param_groups[0]["foreach"] = True
    with pytest.raises(RuntimeError, match=r"param_groups\[0\] `fused` and `foreach` cannot be `True` together"):
        opt.step()
    assert w.data == 1.0 and opt.steps == 0


def test_a_state_saved_without_the_switches_loads_them_as_torchs_defaults() -> None:
    ours, theirs, opt_ours, opt_theirs = _pair("adam", foreach=True)
    _steps(ours, theirs, opt_ours, opt_theirs, 3)
    old = opt_ours.state_dict()
    for group in old["param_groups"]:
        for name in SWITCHES:
            del group[name]
    torch_old = opt_theirs.state_dict()
    for name in SWITCHES:
        del torch_old["param_groups"][0][name]
    opt_theirs.load_state_dict(torch_old)
    opt_ours.load_state_dict(old)
    assert {k: opt_ours.param_groups[0][k] for k in SWITCHES} == \
        {k: opt_theirs.param_groups[0][k] for k in SWITCHES} == {"foreach": None, "capturable": False,
                                                                 "differentiable": False, "fused": None}
    _steps(ours, theirs, opt_ours, opt_theirs, 3, first=3)


def test_adagrad_state_of_a_group_added_later_appears_on_its_first_step_as_torch() -> None:
    first, later = Value(0.5), Value(-2.0)
    t_first = torch.tensor([0.5], dtype=torch.float64, requires_grad=True)
    t_later = torch.tensor([-2.0], dtype=torch.float64, requires_grad=True)
    ours = Adagrad([first], lr=0.1, initial_accumulator_value=0.25)
    theirs = torch.optim.Adagrad([t_first], lr=0.1, initial_accumulator_value=0.25)

    def same_state() -> None:
        mine = ours.state
        for p, t in ((first, t_first), (later, t_later)):
            if p not in mine:
                continue
            want = {k: float(v.reshape(-1)[0]) for k, v in theirs.state[t].items()} if t in theirs.state else {}
            assert mine[p] == pytest.approx(want, rel=1e-14)

    assert ours.state[first] == {"step": 0.0, "sum": 0.25}  # torch makes the constructor's state at once
    same_state()
    ours.add_param_group({"params": [later], "lr": 0.2})
    theirs.add_param_group({"params": [t_later], "lr": 0.2})
    assert t_later not in theirs.state and ours.state[later] == {}
    same_state()
    for step in range(3):
        first.grad, later.grad = 0.3 + step, -0.7
        t_first.grad = torch.tensor([0.3 + step], dtype=torch.float64)
        t_later.grad = torch.tensor([-0.7], dtype=torch.float64)
        ours.step()
        theirs.step()
        same_state()
        assert (first.data, later.data) == pytest.approx((t_first.item(), t_later.item()), rel=1e-14)
    assert ours.state[later]["step"] == 3.0
