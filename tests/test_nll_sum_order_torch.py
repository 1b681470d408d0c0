"""nll_loss and cross_entropy reduce a batch in torch's order (`nn.reduction.nll_sum`), so their 'sum' and
'mean' equal torch's to the bit; left-to-right addition was up to 18 ulps off with class weights."""

from __future__ import annotations

import random

import pytest

torch = pytest.importorskip("torch")

import nn.functional as F  # noqa: E402
from autograd import Value  # noqa: E402


def _batch(rng: random.Random, size: int, classes: int) -> tuple[list[list[float]], list[int], list[float]]:
    rows = [[rng.uniform(-3, 3) * 10 ** rng.uniform(-3, 3) for _ in range(classes)] for _ in range(size)]
    return rows, [rng.randrange(classes) for _ in range(size)], [rng.uniform(0.1, 2.0) for _ in range(classes)]


@pytest.mark.parametrize("size", [1, 2, 4, 16, 17, 40, 257, 300])
@pytest.mark.parametrize("reduction", ["sum", "mean"])
def test_nll_loss_adds_in_torchs_order(size: int, reduction: str) -> None:
    rng = random.Random(size)
    for _ in range(6):
        rows, targets, weight = _batch(rng, size, 4)
        ignore = rng.choice([-100, 1])
        if all(t == ignore for t in targets):
            continue
        for w in (None, weight):
            ours = F.nll_loss([[Value(x) for x in row] for row in rows], targets, weight=w, ignore_index=ignore,
                              reduction=reduction)
            theirs = torch.nn.functional.nll_loss(
                torch.tensor(rows, dtype=torch.float64), torch.tensor(targets),
                weight=None if w is None else torch.tensor(w, dtype=torch.float64), ignore_index=ignore,
                reduction=reduction)
            assert ours.data == theirs.item()


def test_weighted_nll_loss_of_cancelling_terms_is_torchs() -> None:
    # sample 0's term is added after samples 1..15 in torch's cascade: (1e16 - 2) - 1e16, not (-1e16 - 1 - 1) + 1e16
    rows = [[1e16], [1.0], [1.0], [-1e16]]
    ours = F.nll_loss(rows, [0, 0, 0, 0], reduction="sum")
    theirs = torch.nn.functional.nll_loss(torch.tensor(rows, dtype=torch.float64), torch.zeros(4, dtype=torch.long),
                                          reduction="sum")
    assert ours.data == theirs.item() == -2.0


@pytest.mark.parametrize("reduction", ["sum", "mean"])
def test_cross_entropy_with_class_indices_equals_torch_to_the_bit(reduction: str) -> None:
    rng = random.Random(9)
    for size in (3, 20, 70):
        rows, targets, weight = _batch(rng, size, 5)
        rows = [[x * 1e-3 for x in row] for row in rows]  # logits of moderate size
        for w in (None, weight):
            ours = F.cross_entropy([[Value(x) for x in row] for row in rows], targets, weight=w, reduction=reduction)
            theirs = torch.nn.functional.cross_entropy(
                torch.tensor(rows, dtype=torch.float64), torch.tensor(targets),
                weight=None if w is None else torch.tensor(w, dtype=torch.float64), reduction=reduction)
            assert ours.data == pytest.approx(theirs.item(), rel=2e-16)  # log_softmax's own last bit aside


def _agreeing_rows(rng: random.Random, size: int, classes: int) -> list[list[float]]:
    """Rows of logits whose log_softmax is the same to the bit here and in torch (about 3 in 4 are): the loss
    built on them then differs only by how it is added up."""
    rows: list[list[float]] = []
    while len(rows) < size:
        row = [rng.uniform(-3, 3) * 1e-2 for _ in range(classes)]
        ours = [v.data for v in F.log_softmax([Value(x) for x in row])]
        if ours == torch.log_softmax(torch.tensor(row, dtype=torch.float64), 0).tolist():
            rows.append(row)
    return rows


@pytest.mark.parametrize("reduction", ["sum", "mean", "none"])
@pytest.mark.parametrize("smoothing", [0.1, 0.35])
def test_label_smoothing_and_probability_targets_add_in_torchs_order(reduction: str, smoothing: float) -> None:
    # torch's smoothing term is -(log_softmax * weight).sum(1) per row, 0 where ignored, then .sum() of the
    # batch over the kept weights' .sum(); probability targets sum -(log_softmax * target * weight) over the
    # whole batch at once: each an at::sum, whose order (`nn.reduction.torch_sum`) was left to right here
    rng = random.Random(int(smoothing * 100))
    for size, classes in ((3, 5), (9, 4), (20, 11), (33, 3), (40, 9)):
        rows = _agreeing_rows(rng, size, classes)
        targets = [rng.randrange(classes) for _ in range(size)]
        weight = [rng.uniform(0.1, 2.0) for _ in range(classes)]
        probabilities = [[rng.uniform(0, 1) for _ in range(classes)] for _ in range(size)]
        probabilities = [[p / sum(row) for p in row] for row in probabilities]
        ignore = rng.choice([-100, 0])
        if all(t == ignore for t in targets):
            continue
        t_rows = torch.tensor(rows, dtype=torch.float64)
        for w in (None, weight):
            t_weight = None if w is None else torch.tensor(w, dtype=torch.float64)
            for target, t_target, extra in ((targets, torch.tensor(targets), {"ignore_index": ignore}),
                                            (probabilities, torch.tensor(probabilities, dtype=torch.float64), {})):
                ours = F.cross_entropy([[Value(x) for x in row] for row in rows], target, weight=w,
                                       reduction=reduction, label_smoothing=smoothing, **extra)
                theirs = torch.nn.functional.cross_entropy(t_rows, t_target, weight=t_weight, reduction=reduction,
                                                           label_smoothing=smoothing, **extra)
                got = [v.data for v in ours] if reduction == "none" else [ours.data]
                assert got == theirs.flatten().tolist()
