"""A gradient set to None by hand (torch's habit) stops an optimizer's step by name: torch skips the parameter,
but here a Value's gradient is a number and the optimizer's state is kept per group, not per parameter."""

from __future__ import annotations

import pytest

import nn
from autograd import Value


def _params(grads: list[float]) -> list[Value]:
    params = [Value(1.0) for _ in grads]
    for p, g in zip(params, grads):
        p.grad = g
    return params


def test_an_optimizer_names_a_gradient_set_to_none_and_moves_nothing() -> None:
    params = _params([1.0, 2.0])
    params[1].grad = None  # torch's habit; torch would skip it, ours refuses the step by name
    optimizer = nn.SGD(params, lr=0.1)
    with pytest.raises(ValueError, match="optimizer parameter 1 has gradient None"):
        optimizer.step()
    assert [p.data for p in params] == [1.0, 1.0]
