"""Loss weights broadcast as torch's, batches of no samples, and binary cross-entropy's target range.

The closed-form tests run everywhere; the torch comparisons skip where torch is not installed.
"""

from __future__ import annotations

import math
from typing import Any

import pytest

import nn
import nn.functional as F
from autograd import Value

P = [[0.2, 0.7, 0.5], [0.9, 0.1, 0.4]]
Y = [[0.0, 1.0, 1.0], [1.0, 0.0, 0.3]]
LOGITS = [[0.3, -1.2, 2.0], [-0.4, 0.8, 0.0]]


def _bce(p: float, y: float) -> float:
    return -(y * math.log(p) + (1.0 - y) * math.log(1.0 - p))


def _bce_logits(x: float, y: float, pos: float) -> float:
    return (1.0 - y) * x + (1.0 + (pos - 1.0) * y) * math.log1p(math.exp(-x))


def _numbers(out: Any) -> list[float]:
    """The numbers of a 'none' loss, row after row (pytest.approx takes flat lists)."""
    return [out.data] if isinstance(out, Value) else [x for item in out for x in _numbers(item)]


@pytest.mark.parametrize(
    ("weight", "of"),
    [(2.0, lambda i, j: 2.0), ([1.0, 2.0, 3.0], lambda i, j: [1.0, 2.0, 3.0][j]),
     ([[2.0], [5.0]], lambda i, j: [2.0, 5.0][i]), ([4.0], lambda i, j: 4.0)],
)
def test_a_weight_is_spread_over_the_input_by_broadcasting(weight: Any, of: Any) -> None:
    out = F.binary_cross_entropy(P, Y, weight=weight, reduction="none")
    expected = [[of(i, j) * _bce(P[i][j], Y[i][j]) for j in range(3)] for i in range(2)]
    assert _numbers(out) == pytest.approx([x for row in expected for x in row], rel=1e-14)
    mean = F.binary_cross_entropy(P, Y, weight=weight)  # the mean is over the six elements, whatever the weights
    assert mean.data == pytest.approx(sum(map(sum, expected)) / 6, rel=1e-14)


def test_one_positive_weight_per_class_weighs_each_column() -> None:
    pos = [2.0, 0.5, 3.0]
    out = F.binary_cross_entropy_with_logits(LOGITS, Y, pos_weight=pos, reduction="none")
    expected = [[_bce_logits(LOGITS[i][j], Y[i][j], pos[j]) for j in range(3)] for i in range(2)]
    assert _numbers(out) == pytest.approx([x for row in expected for x in row], rel=1e-13)
    module = nn.BCEWithLogitsLoss(pos_weight=pos, reduction="sum")
    assert module(LOGITS, Y).data == pytest.approx(sum(map(sum, expected)), rel=1e-13)


@pytest.mark.parametrize("weight", [[1.0, 2.0], [[[1.0, 2.0, 3.0]]], [[1.0, 2.0, 3.0]] * 3])
def test_a_weight_that_does_not_broadcast_is_refused_naming_it(weight: Any) -> None:
    with pytest.raises(ValueError, match="weight"):
        F.binary_cross_entropy(P, Y, weight=weight)
    with pytest.raises(ValueError, match="pos_weight"):
        F.binary_cross_entropy_with_logits(LOGITS, Y, pos_weight=weight)


@pytest.mark.parametrize("target", [1.5, -0.25])
def test_a_target_outside_zero_one_is_refused_as_torch(target: float) -> None:
    with pytest.raises(ValueError, match="all elements of target should be between 0 and 1"):
        F.binary_cross_entropy([0.3], [target])


@pytest.mark.parametrize("loss", [F.cross_entropy, F.nll_loss])
def test_a_batch_of_no_samples_sums_to_zero_and_has_no_mean(loss: Any) -> None:
    assert loss([], [], reduction="none") == []
    total = loss([], [], reduction="sum")
    assert isinstance(total, Value) and total.data == 0.0
    with pytest.raises(ValueError, match="no mean"):
        loss([], [])


@pytest.mark.parametrize("loss", [F.mse_loss, F.l1_loss, F.binary_cross_entropy])
def test_an_elementwise_loss_of_nothing_sums_to_zero_as_torch(loss: Any) -> None:
    assert loss([], [], reduction="sum").data == 0.0
    assert loss([], [], reduction="none") == []
    with pytest.raises(ValueError, match="no mean"):
        loss([], [])


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("weight", [2.0, [1.0, 2.0, 3.0], [[2.0], [5.0]], [4.0]])
def test_broadcast_weights_give_torchs_values_and_gradients(weight: Any, reduction: str) -> None:
    torch = pytest.importorskip("torch")
    for kind in ("probabilities", "logits"):
        inputs = P if kind == "probabilities" else LOGITS
        ours = [[Value(x) for x in row] for row in inputs]
        theirs = torch.tensor(inputs, dtype=torch.float64, requires_grad=True)
        w = torch.tensor(weight, dtype=torch.float64)
        target = torch.tensor(Y, dtype=torch.float64)
        if kind == "probabilities":
            got = F.binary_cross_entropy(ours, Y, weight=weight, reduction=reduction)
            expected = torch.nn.functional.binary_cross_entropy(theirs, target, weight=w, reduction=reduction)
        else:
            got = F.binary_cross_entropy_with_logits(ours, Y, pos_weight=weight, weight=weight, reduction=reduction)
            expected = torch.nn.functional.binary_cross_entropy_with_logits(
                theirs, target, weight=w, pos_weight=w, reduction=reduction)
        flat = [got] if isinstance(got, Value) else [v for row in got for v in row]
        assert [v.data for v in flat] == pytest.approx(expected.detach().reshape(-1).tolist(), rel=1e-13)
        total = flat[0]
        for v in flat[1:]:
            total = total + v
        total.backward()
        expected.sum().backward()
        assert [v.grad for row in ours for v in row] == pytest.approx(theirs.grad.reshape(-1).tolist(), rel=1e-12)


def test_torch_agrees_on_empty_batches_and_refuses_the_same_target() -> None:
    torch = pytest.importorskip("torch")
    functional = torch.nn.functional
    empty_rows, empty_targets = torch.zeros(0, 3, dtype=torch.float64), torch.zeros(0, dtype=torch.long)
    for ours, theirs in ((F.cross_entropy, functional.cross_entropy), (F.nll_loss, functional.nll_loss)):
        assert theirs(empty_rows, empty_targets, reduction="sum").item() == ours([], [], reduction="sum").data
        assert theirs(empty_rows, empty_targets, reduction="none").tolist() == ours([], [], reduction="none")
        assert math.isnan(theirs(empty_rows, empty_targets).item())  # ours: the ValueError above
    nothing = torch.zeros(0, dtype=torch.float64)
    assert functional.mse_loss(nothing, nothing, reduction="sum").item() == F.mse_loss([], [], reduction="sum").data
    with pytest.raises(RuntimeError, match="all elements of target should be between 0 and 1"):
        functional.binary_cross_entropy(torch.tensor([0.3], dtype=torch.float64),
                                        torch.tensor([1.5], dtype=torch.float64))
    with pytest.raises(RuntimeError, match="doesn't match the broadcast shape"):
        functional.binary_cross_entropy(torch.tensor(P, dtype=torch.float64), torch.tensor(Y, dtype=torch.float64),
                                        weight=torch.ones(1, 1, 3, dtype=torch.float64))


def test_a_weight_given_as_a_generator_is_read_once_and_spread() -> None:
    expected = F.binary_cross_entropy(P, Y, weight=[1.0, 2.0, 3.0]).data
    assert F.binary_cross_entropy(P, Y, weight=(w for w in [1.0, 2.0, 3.0])).data == expected
