"""Hostile input, round 22: `Optimizer.load_state_dict` of a state with an entry missing or unknown.

A state without ``param_groups`` (but with ``group_steps``, so not the layout written before groups existed), a
group without its ``lr`` and a misspelt top-level entry were loaded silently, the groups keeping their own
options (found by hostile21). torch 2.13 raises KeyError('param_groups') for the first; each is now named, as a
KeyError and a ValueError, and a refused state leaves the optimizer as it was.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from autograd import Value
from nn.optim import SGD, Adam


def _pop_group_lr(state: dict[str, Any]) -> None:
    del state["param_groups"][1]["lr"]


@pytest.mark.parametrize("kind", [SGD, Adam])
@pytest.mark.parametrize(
    ("change", "error", "words"),
    [
        (lambda s: s.pop("param_groups"), KeyError, "has no 'param_groups' entry but has 'group_steps'"),
        (lambda s: s.pop("lr"), KeyError, "has no 'lr' entry"),
        (lambda s: s.pop("steps"), KeyError, "has no 'steps' entry"),
        (_pop_group_lr, KeyError, r"param_groups\[1\] has no 'lr'"),
        (lambda s: s.update(param_group=[]), ValueError, "has unknown entry 'param_group'"),
        (lambda s: s.update({1: 2, "x": 3}), ValueError, "has unknown entries 'x', 1"),
    ],
)
def test_a_missing_or_unknown_entry_is_named_and_nothing_changes(
    kind: type, change: Callable[[dict[str, Any]], Any], error: type[Exception], words: str
) -> None:
    a, b = Value(1.0), Value(2.0)
    saved_from = kind([{"params": [a]}, {"params": [b], "lr": 0.05}], lr=0.1)
    a.grad = b.grad = 1.0
    saved_from.step()
    state = copy.deepcopy(saved_from.state_dict())
    change(state)
    c, d = Value(1.0), Value(2.0)
    opt = kind([{"params": [c]}, {"params": [d], "lr": 0.3}], lr=0.2)
    before = copy.deepcopy(opt.state_dict())
    with pytest.raises(error, match=words) as caught:
        opt.load_state_dict(state)
    assert isinstance(caught.value, ValueError)  # every refused state is a ValueError too
    assert opt.state_dict() == before
    assert [g["lr"] for g in opt.param_groups] == [0.2, 0.3]


def test_the_layout_written_before_groups_existed_still_loads() -> None:
    opt = SGD([Value(1.0)], lr=0.5)
    opt.load_state_dict({"type": "SGD", "lr": 0.02, "steps": 3, "buffers": {"velocity": [0.25]}})
    assert opt.param_groups[0]["lr"] == 0.02 and opt.steps == 3 and opt.velocity == [0.25]
