"""A torch user's batched call to `softmax_cross_entropy` gets an error saying what to do instead."""

from __future__ import annotations

import pytest

import nn
from autograd import Value


def test_a_batch_of_logits_is_refused_naming_the_batch() -> None:
    """torch's cross_entropy takes (N, C) logits and N labels; here one sample per call, so say so."""
    batch = [[Value(0.5), Value(-1.0), Value(2.0)], [Value(1.0), Value(0.0), Value(0.0)]]
    with pytest.raises(TypeError, match=r"one sample's logits.*position 0.*per sample"):
        nn.softmax_cross_entropy(batch, [2, 0])


def test_one_sample_still_gives_torch_cross_entropy() -> None:
    """The single-sample call is unchanged: torch's cross_entropy of the same logits and label."""
    torch = pytest.importorskip("torch")
    logits = [0.5, -1.0, 2.0]
    expected = torch.nn.functional.cross_entropy(
        torch.tensor([logits], dtype=torch.float64), torch.tensor([2])).item()
    assert nn.softmax_cross_entropy([Value(x) for x in logits], 2).data == pytest.approx(expected, rel=1e-12)
