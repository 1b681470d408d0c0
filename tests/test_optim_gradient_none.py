"""A gradient set to None by hand (torch's habit, ``p.grad = None``): SGD skips the parameter as torch 2.13 does
(neither it nor its momentum buffer moves); where our per-group step counts would make a skipped parameter's
later updates differ from torch's (Adam, AdamW, Adagrad; SGD with momentum and dampening) the step is refused by
name and nothing moves."""

from __future__ import annotations

import math
from typing import Any

import pytest

import nn
from autograd import Value

# Per step, each parameter's gradient (None: set to None before the step). Parameter 1 has none until step 4,
# so torch has no momentum buffer for it until then; parameter 2 misses steps 5 and 6 after having one.
PATTERN = [[0.5 * math.sin(k + j) if not (j == 1 and k < 4 or j == 2 and k in (5, 6)) else None for j in range(3)]
           for k in range(12)]
START = [1.0, -0.5, 0.25]


def _ours(options: dict[str, Any]) -> list[list[float]]:
    params = [Value(w) for w in START]
    optimizer = nn.SGD(params, **options)
    seen = []
    for grads in PATTERN:
        for p, g in zip(params, grads):
            p.grad = g  # type: ignore[assignment]  # None on purpose
        optimizer.step()
        seen.append([p.data for p in params])
    return seen


def _torch(torch: Any, options: dict[str, Any]) -> list[list[float]]:
    params = [torch.tensor(w, dtype=torch.float64, requires_grad=True) for w in START]
    optimizer = torch.optim.SGD(params, **options)
    seen = []
    for grads in PATTERN:
        for p, g in zip(params, grads):
            p.grad = None if g is None else torch.tensor(g, dtype=torch.float64)
        optimizer.step()
        seen.append([p.item() for p in params])
    return seen


@pytest.mark.parametrize("options", [
    {"lr": 0.1},
    {"lr": 0.1, "momentum": 0.9},
    {"lr": 0.1, "momentum": 0.9, "nesterov": True, "weight_decay": 0.01},
    {"lr": 0.05, "momentum": 0.5, "weight_decay": 0.1, "maximize": True},
])
def test_sgd_skips_a_parameter_whose_gradient_is_none_as_torch(options: dict[str, Any]) -> None:
    torch = pytest.importorskip("torch")
    ours, theirs = _ours(options), _torch(torch, options)
    for k, (a, b) in enumerate(zip(ours, theirs)):
        assert a == pytest.approx(b, rel=1e-15, abs=0.0), (k, a, b)
    assert ours[3][1] == START[1]  # never stepped while its gradient was None


def _params(grads: list[float | None]) -> list[Value]:
    params = [Value(1.0) for _ in grads]
    for p, g in zip(params, grads):
        p.grad = g  # type: ignore[assignment]  # None on purpose
    return params


@pytest.mark.parametrize(("make", "words"), [
    (lambda ps: nn.Adam(ps, lr=0.1), "Adam counts steps per parameter group"),
    (lambda ps: nn.AdamW(ps, lr=0.1), "AdamW counts steps per parameter group"),
    (lambda ps: nn.Adagrad(ps, lr=0.1), "Adagrad counts steps per parameter group"),
    (lambda ps: nn.SGD(ps, lr=0.1, momentum=0.9, dampening=0.5), "SGD with momentum and dampening"),
])
def test_where_skipping_would_differ_from_torch_the_step_is_refused_by_name(make: Any, words: str) -> None:
    params = _params([1.0, None])
    optimizer = make(params)
    with pytest.raises(ValueError, match=f"optimizer parameter 1 has gradient None: torch skips such a parameter, "
                                         f"but {words}"):
        optimizer.step()
    assert [p.data for p in params] == [1.0, 1.0]
    assert optimizer.steps == 0
