"""Optimizer.add_param_group stays linear in the number of groups (hostile26).

Adding 20,000 one-parameter groups took ~76 s: each call rebuilt a map of every
parameter already added to check for one in two groups. The test counts calls
(Python and C, through sys.setprofile) rather than time, so it is not timed:
twice the groups must cost about twice the calls, not four times.
"""

from __future__ import annotations

import sys
from types import FrameType
from typing import Any

import pytest

from autograd import Value
from nn import SGD, Adagrad, Adam, AdamW


def _calls_to_add(optimizer_class: Any, groups: int) -> int:
    """Calls (Python functions, generator resumptions and builtins) made by ``groups`` add_param_group calls."""
    params = [Value(1.0) for _ in range(groups + 1)]
    opt = optimizer_class([params[0]], lr=0.1)
    count = 0

    def profile(frame: FrameType, event: str, arg: Any) -> None:
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(profile)
    try:
        for p in params[1:]:
            opt.add_param_group({"params": [p]})
    finally:
        sys.setprofile(None)
    return count


@pytest.mark.parametrize("optimizer_class", [SGD, Adam, AdamW, Adagrad])
def test_add_param_group_work_grows_linearly(optimizer_class: Any) -> None:
    small = _calls_to_add(optimizer_class, 500)
    large = _calls_to_add(optimizer_class, 2000)
    # Linear: 4x the groups cost ~4x the calls; the quadratic check cost ~16x (measured 11x at these sizes).
    assert large < 6 * small, (small, large)


def test_parameter_in_two_groups_still_refused_with_torch_words() -> None:
    a, b, c = Value(1.0), Value(2.0), Value(3.0)
    opt = SGD([a], lr=0.1)
    for _ in range(50):
        opt.add_param_group({"params": [Value(0.0)]})
    opt.add_param_group({"params": [b]})
    with pytest.raises(ValueError, match="some parameters appear in more than one parameter group"):
        opt.add_param_group({"params": [c, a]})
    with pytest.raises(ValueError, match="some parameters appear in more than one parameter group"):
        opt.add_param_group({"params": [b]})
    with pytest.raises(ValueError, match="stepped twice"):
        opt.add_param_group({"params": [c, c]})
    # A refused group leaves nothing behind: c may still be added once.
    opt.add_param_group({"params": [c]})
    assert opt.params[-1] is c and len(opt.param_groups) == 53
    with pytest.raises(ValueError, match="more than one parameter group"):
        opt.add_param_group({"params": [c]})


@pytest.mark.parametrize("how", ["deepcopy", "pickle"])
def test_a_copied_optimizer_still_refuses_a_parameter_it_holds(how: str) -> None:
    import copy
    import pickle

    opt = SGD([Value(1.0), Value(2.0)], lr=0.1)
    twin = copy.deepcopy(opt) if how == "deepcopy" else pickle.loads(pickle.dumps(opt))
    with pytest.raises(ValueError, match="some parameters appear in more than one parameter group"):
        twin.add_param_group({"params": [twin.params[1]]})
    twin.add_param_group({"params": [Value(3.0)]})  # a new Value is still welcome
    assert len(twin.params) == 3 and len(opt.params) == 2
