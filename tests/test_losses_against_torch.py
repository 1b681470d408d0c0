"""torch's losses with ``reduction=``: values and gradients equal to torch's (float64) to 1e-12.

Skipped where torch is not installed; tests/test_loss_reductions.py checks the same functions against
hand-computed numbers without it.
"""

from __future__ import annotations

import random

import pytest

torch = pytest.importorskip("torch")
functional = torch.nn.functional

import nn  # noqa: E402
import nn.functional as F  # noqa: E402
from autograd import Value  # noqa: E402

REDUCTIONS = ["mean", "sum", "none"]


def _ours(rows: list[list[float]]) -> list[list[Value]]:
    return [[Value(x) for x in row] for row in rows]


def _scalar_sum(out) -> Value:
    """One Value to call backward on: the loss itself, or the sum of a 'none' loss's entries (torch: .sum())."""
    if isinstance(out, Value):
        return out
    flat = [v for item in out for v in (item if isinstance(item, list) else [item])]
    total = flat[0]
    for v in flat[1:]:
        total = total + v
    return total


def _compare(ours_out, ours_leaves, theirs_out, theirs_leaf) -> None:
    """The two losses (any reduction) agree, and so do the gradients of their sums."""
    expected = theirs_out.detach().reshape(-1).tolist()
    got = [ours_out.data] if isinstance(ours_out, Value) else \
        [v.data for item in ours_out for v in (item if isinstance(item, list) else [item])]
    assert got == pytest.approx(expected, rel=1e-12, abs=1e-12)
    _scalar_sum(ours_out).backward()
    theirs_out.sum().backward()
    grads = [v.grad for row in ours_leaves for v in row]
    assert grads == pytest.approx(theirs_leaf.grad.reshape(-1).tolist(), rel=1e-12, abs=1e-12)


def _data(seed: int, rows: int = 3, cols: int = 4, low: float = -2.0, high: float = 2.0) -> list[list[float]]:
    rng = random.Random(seed)
    return [[rng.uniform(low, high) for _ in range(cols)] for _ in range(rows)]


ELEMENTWISE = [
    ("mse_loss", {}), ("l1_loss", {}), ("huber_loss", {"delta": 0.7}), ("smooth_l1_loss", {"beta": 0.5}),
    ("smooth_l1_loss", {}), ("huber_loss", {}),
]


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize(("name", "options"), ELEMENTWISE)
def test_elementwise_losses_equal_torchs(name: str, options: dict, reduction: str) -> None:
    x, y = _data(1), _data(2)
    ours = _ours(x)
    theirs = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    _compare(getattr(F, name)(ours, y, reduction=reduction, **options), ours,
             getattr(functional, name)(theirs, torch.tensor(y, dtype=torch.float64), reduction=reduction, **options),
             theirs)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
def test_binary_cross_entropy_equals_torchs(reduction: str, weighted: bool) -> None:
    p, y, w = _data(3, low=0.01, high=0.99), _data(4, low=0.0, high=1.0), _data(5, low=0.1, high=2.0)
    ours = _ours(p)
    theirs = torch.tensor(p, dtype=torch.float64, requires_grad=True)
    weight = torch.tensor(w, dtype=torch.float64) if weighted else None
    _compare(F.binary_cross_entropy(ours, y, weight=w if weighted else None, reduction=reduction), ours,
             functional.binary_cross_entropy(theirs, torch.tensor(y, dtype=torch.float64), weight=weight,
                                             reduction=reduction), theirs)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("pos_weight", [None, 2.5])
def test_binary_cross_entropy_with_logits_equals_torchs(reduction: str, pos_weight: float | None) -> None:
    x, y, w = _data(6, low=-30.0, high=30.0), _data(7, low=0.0, high=1.0), _data(8, low=0.1, high=2.0)
    ours = _ours(x)
    theirs = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    torch_pos = None if pos_weight is None else torch.tensor([pos_weight], dtype=torch.float64)
    _compare(F.binary_cross_entropy_with_logits(ours, y, weight=w, reduction=reduction, pos_weight=pos_weight), ours,
             functional.binary_cross_entropy_with_logits(theirs, torch.tensor(y, dtype=torch.float64),
                                                         weight=torch.tensor(w, dtype=torch.float64),
                                                         reduction=reduction, pos_weight=torch_pos), theirs)


CLASS_OPTIONS = [{}, {"weight": [0.5, 2.0, 1.0, 3.0]}, {"ignore_index": 2}, {"label_smoothing": 0.2},
                 {"weight": [0.5, 2.0, 1.0, 3.0], "ignore_index": 1, "label_smoothing": 0.1}]


def _torch_options(options: dict) -> dict:
    return {k: torch.tensor(v, dtype=torch.float64) if k == "weight" else v for k, v in options.items()}


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("options", CLASS_OPTIONS)
def test_cross_entropy_with_class_indices_equals_torchs(reduction: str, options: dict) -> None:
    logits, targets = _data(9, rows=5), [0, 3, 2, 1, 3]
    ours = _ours(logits)
    theirs = torch.tensor(logits, dtype=torch.float64, requires_grad=True)
    _compare(F.cross_entropy(ours, targets, reduction=reduction, **options), ours,
             functional.cross_entropy(theirs, torch.tensor(targets), reduction=reduction, **_torch_options(options)),
             theirs)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("options", [{}, {"weight": [0.5, 2.0, 1.0, 3.0]}, {"label_smoothing": 0.3}])
def test_cross_entropy_with_probabilities_equals_torchs(reduction: str, options: dict) -> None:
    logits = _data(10)
    rng = random.Random(11)
    probabilities = []
    for _ in logits:
        raw = [rng.random() for _ in range(4)]
        probabilities.append([r / sum(raw) for r in raw])
    ours = _ours(logits)
    theirs = torch.tensor(logits, dtype=torch.float64, requires_grad=True)
    _compare(F.cross_entropy(ours, probabilities, reduction=reduction, **options), ours,
             functional.cross_entropy(theirs, torch.tensor(probabilities, dtype=torch.float64), reduction=reduction,
                                      **_torch_options(options)), theirs)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("options", CLASS_OPTIONS[:3])
def test_nll_loss_equals_torchs(reduction: str, options: dict) -> None:
    scores, targets = _data(12, rows=4), [1, 2, 0, 3]
    ours = _ours(scores)
    theirs = torch.tensor(scores, dtype=torch.float64, requires_grad=True)
    _compare(F.nll_loss(ours, targets, reduction=reduction, **options), ours,
             functional.nll_loss(theirs, torch.tensor(targets), reduction=reduction, **_torch_options(options)), theirs)


def test_one_sample_without_a_batch_as_torch() -> None:
    logits = [0.3, -1.2, 2.0]
    ours = [Value(v) for v in logits]
    theirs = torch.tensor(logits, dtype=torch.float64, requires_grad=True)
    _compare(F.cross_entropy(ours, 2, reduction="none"), [ours],
             functional.cross_entropy(theirs, torch.tensor(2), reduction="none"), theirs)


@pytest.mark.parametrize(("ours", "theirs", "args"), [
    (nn.MSELoss, torch.nn.MSELoss, ([[0.5]], [[1.0]])), (nn.L1Loss, torch.nn.L1Loss, ([[0.5]], [[1.0]])),
    (nn.HuberLoss, torch.nn.HuberLoss, ([[0.5]], [[1.0]])),
    (nn.SmoothL1Loss, torch.nn.SmoothL1Loss, ([[0.5]], [[1.0]])),
    (nn.BCELoss, torch.nn.BCELoss, ([[0.5]], [[1.0]])),
    (nn.BCEWithLogitsLoss, torch.nn.BCEWithLogitsLoss, ([[0.5]], [[1.0]])),
    (nn.CrossEntropyLoss, torch.nn.CrossEntropyLoss, ([[0.5, 1.0]], [1])),
    (nn.NLLLoss, torch.nn.NLLLoss, ([[-0.5, -1.0]], [1])),
])
def test_loss_modules_take_torchs_reduction_and_refuse_a_bad_one_in_its_words(ours, theirs, args) -> None:
    x, y = args
    target = torch.tensor(y, dtype=torch.int64 if isinstance(y[0], int) else torch.float64)
    for reduction in REDUCTIONS:
        mine = ours(reduction=reduction)(_ours(x), y)
        got = [mine.data] if isinstance(mine, Value) else [v.data for item in mine
                                                          for v in (item if isinstance(item, list) else [item])]
        expected = theirs(reduction=reduction)(torch.tensor(x, dtype=torch.float64), target)
        assert got == pytest.approx(expected.reshape(-1).tolist(), rel=1e-12)
    with pytest.raises(ValueError) as their_error:
        theirs(reduction="average")(torch.tensor(x, dtype=torch.float64), target)
    with pytest.raises(ValueError) as our_error:
        ours(reduction="average")
    assert str(our_error.value).startswith(str(their_error.value))
    assert ours().parameters() == []


def test_out_of_bounds_target_is_an_index_error_as_torch() -> None:
    with pytest.raises(IndexError, match="Target 5 is out of bounds."):
        functional.cross_entropy(torch.zeros(1, 3), torch.tensor([5]))
    with pytest.raises(IndexError, match="Target 5 is out of bounds."):
        F.cross_entropy([[0.0, 0.0, 0.0]], [5])
