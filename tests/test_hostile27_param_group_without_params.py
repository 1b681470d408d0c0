"""Hostile input, round 27: a parameter group with no ``'params'`` entry, in torch's exception type.

Before: ``opt.add_param_group({"lr": 0.1})`` and ``SGD([{"lr": 0.1}], lr=0.1)`` raised a ValueError, where torch
raises KeyError('params'): code written for torch (``except KeyError``) did not catch it. Now it is both, as a
saved state missing an entry already is (`MissingStateEntryError`), with the same sentence naming the group.
"""

from __future__ import annotations

import pytest

from autograd import Value
from nn import optim


@pytest.mark.parametrize("group", [{}, {"lr": 0.1}, {"param": [Value(1.0)]}])
def test_add_param_group_without_params_is_torchs_key_error_and_a_value_error(group: dict) -> None:
    opt = optim.SGD([Value(1.0)], lr=0.1)
    for kind in (KeyError, ValueError):
        with pytest.raises(kind) as caught:
            opt.add_param_group(dict(group))
        assert str(caught.value) == ("param_groups[1] has no 'params' entry (a parameter group is "
                                     "{'params': [...], 'lr': ...})")
    assert len(opt.param_groups) == 1


@pytest.mark.parametrize("make", [optim.SGD, optim.Adam, optim.AdamW, optim.Adagrad])
def test_a_constructor_group_without_params_is_a_key_error_too(make) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(KeyError, match=r"param_groups\[0\] has no 'params' entry"):
        make([{"lr": 0.1}], lr=0.1)


def test_torch_raises_key_error_for_the_same_groups() -> None:
    torch = pytest.importorskip("torch")
    with pytest.raises(KeyError):
        torch.optim.SGD([{"lr": 0.1}], lr=0.1)
    opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
    with pytest.raises(KeyError):
        opt.add_param_group({"lr": 0.1})
