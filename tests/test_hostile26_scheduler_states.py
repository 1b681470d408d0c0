"""Scheduler states that do not fit the optimizer are refused whole (hostile26).

Before: SequentialLR/ChainedScheduler kept a saved ``_last_lr`` of 'x', [] or {} as it was (get_last_lr()
returned it), failed on None with "'NoneType' object is not iterable" after the inner schedulers had already
loaded, and a bad second inner state left the first one loaded; ReduceLROnPlateau took ``min_lrs=[]`` for one
group and then cut the rate with no floor at all.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

import nn
from autograd import Value
from nn.optim import lr_scheduler


def _chain(kind: str) -> tuple[nn.SGD, Any]:
    opt = nn.SGD([Value(0.0)], lr=0.1)
    inner = [lr_scheduler.StepLR(opt, 2, gamma=0.5), lr_scheduler.ExponentialLR(opt, 0.9)]
    chain = (lr_scheduler.SequentialLR(opt, inner, [3]) if kind == "sequential"
             else lr_scheduler.ChainedScheduler(inner))
    for _ in range(4):
        opt.step()
        chain.step()
    return opt, chain


@pytest.mark.parametrize("kind", ["sequential", "chained"])
@pytest.mark.parametrize("last_lr", [None, "x", [], {}, [0.1, 0.2], [float("nan")]])
def test_a_chain_refuses_a_last_lr_that_fits_no_group_and_changes_nothing(kind: str, last_lr: Any) -> None:
    _, saved_from = _chain(kind)
    state = saved_from.state_dict()
    state["_schedulers"][0]["last_epoch"] = 99  # would show if the inner schedulers were loaded anyway
    state["_last_lr"] = last_lr
    _, chain = _chain(kind)
    before = copy.deepcopy(chain.state_dict())
    with pytest.raises(ValueError, match="_last_lr"):
        chain.load_state_dict(state)
    assert chain.state_dict() == before


@pytest.mark.parametrize("kind", ["sequential", "chained"])
def test_a_bad_second_inner_state_leaves_the_first_unloaded(kind: str) -> None:
    _, saved_from = _chain(kind)
    state = saved_from.state_dict()
    state["_schedulers"][0]["last_epoch"] = 99
    state["_schedulers"][1]["gamma"] = -1.0
    _, chain = _chain(kind)
    before = copy.deepcopy(chain.state_dict())
    with pytest.raises(ValueError, match="gamma"):
        chain.load_state_dict(state)
    assert chain.state_dict() == before


@pytest.mark.parametrize("key", ["min_lrs", "_last_lr"])
@pytest.mark.parametrize("values", [[], [0.0, 0.0]])
def test_plateau_refuses_per_group_lists_of_the_wrong_length(key: str, values: list[float]) -> None:
    opt = nn.SGD([Value(0.0)], lr=0.1)
    scheduler = lr_scheduler.ReduceLROnPlateau(opt, patience=0)
    state = scheduler.state_dict()
    state[key] = values
    with pytest.raises(ValueError, match=f"'{key}' must be a list of 1 learning rates"):
        scheduler.load_state_dict(state)
