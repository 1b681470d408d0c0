"""A gradient set to None by hand (torch's habit, ``p.grad = None``): every optimizer skips the parameter as
torch 2.13 does. Neither it nor its state moves, and its own step count does not advance, so its later bias
corrections (Adam, AdamW), decayed learning rate (Adagrad) and first, undamped momentum buffer (SGD) are
torch's: 12 steps with None patterns give torch's numbers for every option set."""

from __future__ import annotations

import math
from typing import Any

import pytest

import nn
from autograd import Value

# Per step, each parameter's gradient (None: set to None before the step). Parameter 1 has none until step 4,
# so torch has no state for it until then; parameter 2 misses steps 5 and 6 after having some; parameter 3
# misses every other step.
PATTERN = [[0.5 * math.sin(k + j) if not (j == 1 and k < 4 or j == 2 and k in (5, 6) or j == 3 and k % 2)
            else None for j in range(4)]
           for k in range(12)]
START = [1.0, -0.5, 0.25, 0.75]

CASES = [
    ("SGD", {"lr": 0.1}),
    ("SGD", {"lr": 0.1, "momentum": 0.9}),
    ("SGD", {"lr": 0.1, "momentum": 0.9, "nesterov": True, "weight_decay": 0.01}),
    ("SGD", {"lr": 0.05, "momentum": 0.5, "weight_decay": 0.1, "maximize": True}),
    ("SGD", {"lr": 0.1, "momentum": 0.9, "dampening": 0.5}),
    ("SGD", {"lr": 0.1, "momentum": 0.8, "dampening": 1.0, "weight_decay": 0.05, "maximize": True}),
    ("Adam", {"lr": 0.1}),
    ("Adam", {"lr": 0.1, "amsgrad": True}),
    ("Adam", {"lr": 0.05, "betas": (0.8, 0.9), "weight_decay": 0.1, "maximize": True}),
    ("Adam", {"lr": 0.1, "amsgrad": True, "weight_decay": 0.01, "decoupled_weight_decay": True}),
    ("AdamW", {"lr": 0.1}),
    ("AdamW", {"lr": 0.1, "amsgrad": True, "weight_decay": 0.2, "maximize": True}),
    ("Adagrad", {"lr": 0.1}),
    ("Adagrad", {"lr": 0.1, "lr_decay": 0.3}),
    ("Adagrad", {"lr": 0.1, "lr_decay": 0.1, "weight_decay": 0.05, "initial_accumulator_value": 0.2,
                 "maximize": True}),
]

Run = tuple[list[list[float]], list[dict[int, dict[str, float]]]]


def _ours(kind: str, options: dict[str, Any]) -> Run:
    params = [Value(w) for w in START]
    optimizer = getattr(nn, kind)(params, **options)
    seen, states = [], []
    for grads in PATTERN:
        for p, g in zip(params, grads):
            p.grad = g  # type: ignore[assignment]  # None on purpose
        optimizer.step()
        seen.append([p.data for p in params])
        snapshot = optimizer.state
        states.append({j: snapshot[p] for j, p in enumerate(params) if snapshot[p]})
    return seen, states


def _torch(torch: Any, kind: str, options: dict[str, Any]) -> Run:
    params = [torch.tensor(w, dtype=torch.float64, requires_grad=True) for w in START]
    optimizer = getattr(torch.optim, kind)(params, **options)
    seen, states = [], []
    for grads in PATTERN:
        for p, g in zip(params, grads):
            p.grad = None if g is None else torch.tensor(g, dtype=torch.float64)
        optimizer.step()
        seen.append([p.item() for p in params])
        states.append({j: {k: float(v) for k, v in optimizer.state[p].items() if v is not None}
                       for j, p in enumerate(params) if optimizer.state.get(p)})
    return seen, states


@pytest.mark.parametrize(("kind", "options"), CASES)
def test_a_parameter_whose_gradient_is_none_is_skipped_as_torch(kind: str, options: dict[str, Any]) -> None:
    torch = pytest.importorskip("torch")
    (ours, our_states), (theirs, their_states) = _ours(kind, options), _torch(torch, kind, options)
    for k, (a, b) in enumerate(zip(ours, theirs)):
        assert a == pytest.approx(b, rel=1e-15, abs=0.0), (k, a, b)
    for k, (a, b) in enumerate(zip(our_states, their_states)):  # which parameters have state, its step, buffers
        assert a.keys() == b.keys(), (k, a, b)
        for j in a:
            assert a[j].keys() == b[j].keys() and a[j].get("step") == b[j].get("step"), (k, j, a[j], b[j])
            # The buffers themselves to 1e-12 (as tests/test_optim_against_torch.py): torch's exp_avg is a lerp and
            # its CPU add-with-alpha a fused multiply-add, so their last bits differ from b1 * m + (1 - b1) * g's
            # even where no step was skipped; a skip taken wrongly moves them by far more.
            assert a[j] == pytest.approx(b[j], rel=1e-12, abs=1e-18), (k, j, a[j], b[j])
    assert ours[3][1] == START[1]  # never stepped while its gradient was None


def test_a_parameter_that_never_stepped_shows_no_momentum_buffer() -> None:
    a, b = Value(1.0), Value(2.0)
    optimizer = nn.SGD([a, b], lr=0.1, momentum=0.9)
    a.grad, b.grad = 0.5, None  # type: ignore[assignment]  # None on purpose
    optimizer.step()
    assert optimizer.state[a] == {"momentum_buffer": 0.5}
    assert optimizer.state[b] == {}  # torch: no buffer (its state is empty)
    assert b.data == 2.0


def test_adam_bias_corrections_use_the_parameters_own_count() -> None:
    # b skips step 1, so step 2 is its first: m_hat = g, v_hat = g^2 and the update is lr * g / (|g| + eps),
    # Adam's first-step rule, not the group's second step's.
    a, b = Value(1.0), Value(1.0)
    optimizer = nn.Adam([a, b], lr=0.1)
    a.grad, b.grad = 1.0, None  # type: ignore[assignment]  # None on purpose
    optimizer.step()
    a.grad, b.grad = 1.0, 2.0
    optimizer.step()
    assert b.data == 1.0 - 0.1 * (2.0 / (2.0 + 1e-8))
    assert optimizer.state[b]["step"] == 1.0 and optimizer.state[a]["step"] == 2.0
    assert optimizer.steps == 2


def _run(params: list[Value], optimizer: Any, steps: range, grads: list[list[float | None]] = PATTERN) -> None:
    for k in steps:
        for p, g in zip(params, grads[k]):
            p.grad = g  # type: ignore[assignment]  # None on purpose
        optimizer.step()


@pytest.mark.parametrize(("kind", "options"), CASES)
def test_state_dict_keeps_each_parameters_count(kind: str, options: dict[str, Any]) -> None:
    """Saved after 6 steps and loaded into a fresh optimizer, the next 6 steps are those of the unbroken run."""
    whole = [Value(w) for w in START]
    _run(whole, getattr(nn, kind)(whole, **options), range(12))
    first = [Value(w) for w in START]
    optimizer = getattr(nn, kind)(first, **options)
    _run(first, optimizer, range(6))
    saved = optimizer.state_dict()
    second = [Value(p.data) for p in first]
    resumed = getattr(nn, kind)(second, **options)
    resumed.load_state_dict(saved)
    _run(second, resumed, range(6, 12))
    assert [p.data for p in second] == [p.data for p in whole]


@pytest.mark.parametrize(("kind", "options"), [("Adam", {"lr": 0.1}), ("Adagrad", {"lr": 0.1, "lr_decay": 0.5}),
                                               ("SGD", {"lr": 0.1, "momentum": 0.9, "dampening": 0.3})])
def test_a_state_saved_before_per_parameter_counts_still_loads(kind: str, options: dict[str, Any]) -> None:
    """A state without 'param_steps' (and, for SGD, with only per-group 'buffer_started') gives each parameter
    its group's count: resuming from it equals the unbroken run (every parameter had a gradient at each step)."""
    grads: list[list[float | None]] = [[0.3 * math.cos(k + j) for j in range(4)] for k in range(8)]
    whole = [Value(w) for w in START]
    _run(whole, getattr(nn, kind)(whole, **options), range(8), grads)
    first = [Value(w) for w in START]
    optimizer = getattr(nn, kind)(first, **options)
    _run(first, optimizer, range(4), grads)
    saved = optimizer.state_dict()
    del saved["param_steps"]  # the layout written before this change
    saved.pop("param_buffer_started", None)
    assert saved["group_steps"] == [4]
    second = [Value(p.data) for p in first]
    resumed = getattr(nn, kind)(second, **options)
    resumed.load_state_dict(saved)
    _run(second, resumed, range(4, 8), grads)
    assert [p.data for p in second] == [p.data for p in whole]


def test_bad_param_steps_are_refused_by_name() -> None:
    a, b = Value(1.0), Value(2.0)
    optimizer = nn.Adam([a, b], lr=0.1)
    a.grad, b.grad = 1.0, 1.0
    optimizer.step()
    saved = optimizer.state_dict()
    with pytest.raises(ValueError, match=r"'param_steps' entry 1 must be an integer in \[0, steps=1\], got 5"):
        optimizer.load_state_dict(dict(saved, param_steps=[1, 5]))
    with pytest.raises(ValueError, match=r"'param_steps' must be a list of 2 integers"):
        optimizer.load_state_dict(dict(saved, param_steps=[1]))
    sgd = nn.SGD([a, b], lr=0.1, momentum=0.5)
    sgd.step()
    with pytest.raises(ValueError, match=r"'param_buffer_started' must be a list of 2 True/False"):
        sgd.load_state_dict(dict(sgd.state_dict(), param_buffer_started=[True]))
