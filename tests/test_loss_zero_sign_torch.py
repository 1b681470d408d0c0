"""The sign of a zero loss is torch's in every reduction: torch sums from +0.0, so losses that are all -0.0
(a perfectly classified row's cross-entropy, binary cross-entropy at p = y = 1) reduce to +0.0, while its
probability-target cross-entropy negates after summing and so gives -0.0. Each case compares with torch (float64).
"""

from __future__ import annotations

import math

import pytest

torch = pytest.importorskip("torch")
functional = torch.nn.functional

import nn  # noqa: E402
import nn.functional as F  # noqa: E402
from autograd import Value  # noqa: E402

REDUCTIONS = ["mean", "sum", "none"]


def _numbers(out: Value | list[Value]) -> list[float]:
    return [v.data for v in out] if isinstance(out, list) else [out.data]


def _torch_numbers(out) -> list[float]:
    return out.reshape(-1).tolist()


def _same_with_sign(ours: list[float], theirs: list[float]) -> None:
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        assert a == pytest.approx(b, rel=1e-12, abs=1e-300)
        assert math.copysign(1.0, a) == math.copysign(1.0, b), (ours, theirs)


def _t(x) -> torch.Tensor:
    return torch.tensor(x, dtype=torch.float64)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("rows, targets", [
    ([[1000.0, 0.0]], [0]),
    ([[1000.0, 0.0], [0.0, 1000.0]], [0, 1]),
    ([[0.0]], [0]),
    ([[1000.0, 0.0], [3.0, 1.0]], [0, -100]),
])
@pytest.mark.parametrize("weight", [None, [1.0, 2.0], [-1.0, 2.0]])
@pytest.mark.parametrize("label_smoothing", [0.0, 0.1])
def test_cross_entropy_of_perfect_rows(reduction, rows, targets, weight, label_smoothing) -> None:
    if weight is not None:
        weight = weight[:len(rows[0])]
    ours = F.cross_entropy([[Value(x) for x in row] for row in rows], targets, weight=weight,
                           reduction=reduction, label_smoothing=label_smoothing)
    theirs = functional.cross_entropy(_t(rows), torch.tensor(targets), weight=None if weight is None else _t(weight),
                                      reduction=reduction, label_smoothing=label_smoothing)
    _same_with_sign(_numbers(ours), _torch_numbers(theirs))


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("row", [[1000.0, 0.0], [0.0], [-0.0, 1.0]])
@pytest.mark.parametrize("label_smoothing", [0.0, 0.1])
def test_cross_entropy_of_one_unbatched_row(reduction, row, label_smoothing) -> None:
    ours = F.cross_entropy([Value(x) for x in row], 0, reduction=reduction, label_smoothing=label_smoothing)
    theirs = functional.cross_entropy(_t(row), torch.tensor(0), reduction=reduction, label_smoothing=label_smoothing)
    _same_with_sign(_numbers(ours), _torch_numbers(theirs))


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("rows, probabilities", [
    ([[1000.0, 0.0]], [[1.0, 0.0]]),
    ([[1000.0, 0.0], [0.0, 1000.0]], [[1.0, 0.0], [0.0, 1.0]]),
    ([[3.0, 1.0]], [[0.0, 0.0]]),
])
def test_cross_entropy_against_probabilities_negates_last(reduction, rows, probabilities) -> None:
    ours = F.cross_entropy([[Value(x) for x in row] for row in rows], probabilities, reduction=reduction)
    theirs = functional.cross_entropy(_t(rows), _t(probabilities), reduction=reduction)
    _same_with_sign(_numbers(ours), _torch_numbers(theirs))


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("rows", [[[0.0, 1.0]], [[0.0, 1.0], [1.0, 0.0]], [[-0.0, 1.0], [1.0, -0.0]]])
def test_nll_loss_of_zero_log_probabilities(reduction, rows) -> None:
    targets = [0, 1][:len(rows)]
    ours = F.nll_loss([[Value(x) for x in row] for row in rows], targets, reduction=reduction)
    theirs = functional.nll_loss(_t(rows), torch.tensor(targets), reduction=reduction)
    _same_with_sign(_numbers(ours), _torch_numbers(theirs))


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("name", ["mse_loss", "l1_loss", "huber_loss", "smooth_l1_loss"])
@pytest.mark.parametrize("x, y", [(-0.0, 0.0), (0.0, -0.0), (1.0, 1.0), (-1e-300, -1e-300)])
@pytest.mark.parametrize("n", [1, 2])
def test_elementwise_losses_of_equal_pairs(reduction, name, x, y, n) -> None:
    ours = getattr(F, name)([Value(x)] * n, [y] * n, reduction=reduction)
    theirs = getattr(functional, name)(_t([x] * n), _t([y] * n), reduction=reduction)
    _same_with_sign(_numbers(ours), _torch_numbers(theirs))


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("p, y", [(1.0, 1.0), (0.0, 0.0)])
@pytest.mark.parametrize("weight", [None, 2.0, -1.0, 0.0])
@pytest.mark.parametrize("n", [1, 2])
def test_binary_cross_entropy_of_certain_predictions(reduction, p, y, weight, n) -> None:
    ours = F.binary_cross_entropy([Value(p)] * n, [y] * n, weight=weight, reduction=reduction)
    theirs = functional.binary_cross_entropy(_t([p] * n), _t([y] * n), weight=None if weight is None else _t(weight),
                                             reduction=reduction)
    _same_with_sign(_numbers(ours), _torch_numbers(theirs))


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("x, y", [(1000.0, 1.0), (-1000.0, 0.0)])
@pytest.mark.parametrize("weight", [None, -1.0])
def test_binary_cross_entropy_with_logits_of_certain_predictions(reduction, x, y, weight) -> None:
    ours = F.binary_cross_entropy_with_logits([Value(x)], [y], weight=weight, reduction=reduction)
    theirs = functional.binary_cross_entropy_with_logits(_t([x]), _t([y]),
                                                         weight=None if weight is None else _t(weight),
                                                         reduction=reduction)
    _same_with_sign(_numbers(ours), _torch_numbers(theirs))


@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_loss_modules_reduce_to_plus_zero(reduction) -> None:
    ce = nn.CrossEntropyLoss(reduction=reduction)([[Value(1000.0), Value(0.0)]], [0])
    bce = nn.BCELoss(reduction=reduction)([Value(1.0)], [1.0])
    expected_ce = torch.nn.CrossEntropyLoss(reduction=reduction)(_t([[1000.0, 0.0]]), torch.tensor([0])).item()
    expected_bce = torch.nn.BCELoss(reduction=reduction)(_t([1.0]), _t([1.0])).item()
    _same_with_sign([ce.data, bce.data], [expected_ce, expected_bce])


def test_gradient_of_a_perfect_row_is_unchanged_by_the_zero() -> None:
    """The +0.0 the reduction adds carries no gradient of its own: the logits' gradients are torch's."""
    logits = [Value(3.0), Value(1.0)]
    F.cross_entropy([logits], [0], reduction="sum").backward()
    leaf = _t([[3.0, 1.0]]).requires_grad_()
    functional.cross_entropy(leaf, torch.tensor([0]), reduction="sum").backward()
    assert [v.grad for v in logits] == pytest.approx(leaf.grad[0].tolist(), rel=1e-14)
