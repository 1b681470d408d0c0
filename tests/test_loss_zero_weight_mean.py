"""A weighted mean whose picked weights add up to 0 is undefined (torch returns nan): a ValueError saying so.

The 'sum' of the same losses is still defined: 0 * (-log p) for every sample, so 0.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import nn.functional as F
from autograd import Value


def _rows() -> list[list[Value]]:
    return [[Value(-1.0), Value(-2.0)], [Value(-0.5), Value(-3.0)]]


@pytest.mark.parametrize("loss", [F.nll_loss, F.cross_entropy])
def test_a_mean_over_zero_total_weight_is_refused_naming_it(loss: Callable[..., Any]) -> None:
    with pytest.raises(ValueError, match="weights add up to 0"):
        loss(_rows(), [0, 0], weight=[0.0, 1.0])
    assert loss(_rows(), [0, 0], weight=[0.0, 1.0], reduction="sum").data == 0.0
    # One sample with weight 1 makes the mean defined: nll of row 1's class 1 alone, -(-3.0) / 1.
    assert F.nll_loss(_rows(), [0, 1], weight=[0.0, 1.0]).data == 3.0


def test_torch_gives_nan_there() -> None:
    torch = pytest.importorskip("torch")
    scores = torch.tensor([[-1.0, -2.0], [-0.5, -3.0]])
    out = torch.nn.functional.nll_loss(scores, torch.tensor([0, 0]), weight=torch.tensor([0.0, 1.0]))
    assert torch.isnan(out)
