"""torch's loss functions and classes without torch: hand-computed values, gradients and refusals."""

from __future__ import annotations

import math

import pytest

import nn
import nn.functional as F
from autograd import Value


def test_mse_reductions_by_hand() -> None:
    x = [Value(1.0), Value(3.0)]
    assert F.mse_loss(x, [0.0, 1.0], reduction="sum").data == 1.0 + 4.0
    assert F.mse_loss(x, [0.0, 1.0]).data == 2.5
    per = F.mse_loss(x, [0.0, 1.0], reduction="none")
    assert [v.data for v in per] == [1.0, 4.0]
    loss = F.mse_loss(x, [0.0, 1.0])
    loss.backward()
    assert [v.grad for v in x] == [2 * 1.0 / 2, 2 * 2.0 / 2]  # d/dx_i of mean (x_i - y_i)^2 = (x_i - y_i)


def test_nested_inputs_keep_their_shape_with_none() -> None:
    out = nn.L1Loss(reduction="none")([[1.0, -2.0], [0.5, 0.0]], [[0.0, 0.0], [0.0, 0.0]])
    assert [[v.data for v in row] for row in out] == [[1.0, 2.0], [0.5, 0.0]]
    assert F.l1_loss(Value(2.0), 5.0, reduction="none").data == 3.0  # a single number stays a single Value


def test_l1_gradient_is_zero_where_input_equals_target_as_torchs_sign() -> None:
    x = Value(1.5)
    F.l1_loss([x], [1.5]).backward()
    assert x.grad == 0.0


def test_huber_and_smooth_l1_branches_by_hand() -> None:
    # d = 3 > delta = 1: delta * (|d| - delta / 2) = 2.5;  d = 0.5: d^2 / 2 = 0.125
    assert [v.data for v in F.huber_loss([3.0, 0.5], [0.0, 0.0], reduction="none")] == [2.5, 0.125]
    # beta = 2: d = 3 -> 3 - 1 = 2;  d = 1 -> 1 / (2 * 2) = 0.25
    assert [v.data for v in F.smooth_l1_loss([3.0, 1.0], [0.0, 0.0], reduction="none", beta=2.0)] == [2.0, 0.25]
    with pytest.raises(ValueError, match="non-positive values for delta"):
        F.huber_loss([1.0], [0.0], delta=0.0)


def test_binary_cross_entropy_by_hand_and_torchs_floor() -> None:
    p = Value(0.25)
    loss = F.binary_cross_entropy([p], [1.0])
    assert loss.data == -math.log(0.25)
    loss.backward()
    assert p.grad == pytest.approx(-1 / 0.25, rel=1e-15)
    assert F.binary_cross_entropy([0.0], [1.0]).data == 100.0  # log 0 floored at -100, as torch
    with pytest.raises(ValueError, match="between 0 and 1"):
        F.binary_cross_entropy([1.5], [1.0])


def test_binary_cross_entropy_with_logits_is_finite_for_huge_logits() -> None:
    # (1 - y) x + log(1 + exp(-x)): x = 1000, y = 0 gives 1000 + ~0; x = -1000, y = 1 gives log(1 + e^1000) ~ 1000
    assert F.binary_cross_entropy_with_logits([1000.0, -1000.0], [0.0, 1.0], reduction="none")[0].data == 1000.0
    assert F.binary_cross_entropy_with_logits([-1000.0], [1.0]).data == 1000.0
    x = Value(0.0)
    F.binary_cross_entropy_with_logits([x], [1.0], pos_weight=3.0).backward()
    assert x.grad == -3.0 * 0.5  # pos_weight * (sigmoid(0) - 1)


def test_cross_entropy_weights_and_ignore_index_by_hand() -> None:
    rows = [[0.0, 0.0], [0.0, 0.0], [0.0, 0.0]]  # every row's loss is log 2
    weighted = F.cross_entropy(rows, [0, 1, 1], weight=[1.0, 3.0])
    assert weighted.data == pytest.approx(math.log(2), rel=1e-15)  # (1 + 3 + 3) log 2 / (1 + 3 + 3)
    assert F.cross_entropy(rows, [0, 1, 1], weight=[1.0, 3.0], reduction="sum").data == pytest.approx(7 * math.log(2))
    per = F.cross_entropy(rows, [0, -100, 1], reduction="none")
    assert [v.data for v in per] == pytest.approx([math.log(2), 0.0, math.log(2)])
    with pytest.raises(ValueError, match="undefined"):
        F.cross_entropy(rows, [-100, -100, -100])  # torch: nan
    assert F.nll_loss(rows, [-100, -100, -100], reduction="sum").data == 0.0  # torch: 0
    with pytest.raises(ValueError, match="label_smoothing must be between 0.0 and 1.0"):
        F.cross_entropy(rows, [0, 1, 1], label_smoothing=1.5)
    with pytest.raises(ValueError, match="for all 2 classes"):
        F.cross_entropy(rows, [0, 1, 1], weight=[1.0])


def test_label_smoothing_by_hand() -> None:
    # logits (0, log 3): p = (1/4, 3/4); target 1, smoothing 0.5 over C = 2:
    # 0.5 * -log(3/4) + 0.5 / 2 * -(log(1/4) + log(3/4))
    got = F.cross_entropy([0.0, math.log(3)], 1, label_smoothing=0.5).data
    assert got == pytest.approx(0.5 * -math.log(0.75) + 0.25 * -(math.log(0.25) + math.log(0.75)), rel=1e-14)


@pytest.mark.parametrize("reduction", ["average", "Mean", None, 1])
def test_a_bad_reduction_is_torchs_value_error(reduction) -> None:
    with pytest.raises(ValueError, match="is not a valid value for reduction"):
        F.mse_loss([1.0], [0.0], reduction=reduction)
    with pytest.raises(ValueError, match="is not a valid value for reduction"):
        nn.CrossEntropyLoss(reduction=reduction)


def test_shapes_must_agree() -> None:
    with pytest.raises(ValueError, match="input has 2 entries but target 3"):
        F.mse_loss([1.0, 2.0], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="differ in shape"):
        F.mse_loss([[1.0], [2.0]], [1.0, 2.0])
    with pytest.raises(ValueError, match="no elements"):
        F.mse_loss([], [])


def test_loss_module_weights_are_not_parameters() -> None:
    criterion = nn.CrossEntropyLoss(weight=[Value(1.0), Value(2.0)])
    assert criterion.parameters() == [] and criterion.weight is not None


def test_mean_squared_error_takes_a_reduction_too() -> None:
    assert nn.mean_squared_error([1.0, 3.0], [0.0, 1.0]).data == 2.5
    assert nn.mean_squared_error([1.0, 3.0], [0.0, 1.0], reduction="sum").data == 5.0
    assert [v.data for v in nn.mean_squared_error([1.0, 3.0], [0.0, 1.0], reduction="none")] == [1.0, 4.0]
    with pytest.raises(ValueError, match="is not a valid value for reduction"):
        nn.mean_squared_error([1.0], [0.0], reduction="avg")
