"""The elementwise losses' 'sum' and 'mean' add in torch's ``Tensor.sum`` order (`nn.reduction.torch_sum`), so
they equal torch's to the bit; left to right differed in most losses over 8 or more elements."""

from __future__ import annotations

import random

import pytest

torch = pytest.importorskip("torch")

import nn.functional as F  # noqa: E402
from autograd import Value  # noqa: E402
from nn.reduction import torch_sum  # noqa: E402

SIZES = [1, 3, 4, 5, 8, 15, 16, 17, 33, 64, 100, 255, 256, 257, 300, 1030]


@pytest.mark.parametrize("size", SIZES)
def test_torch_sum_is_tensor_sum_to_the_bit(size: int) -> None:
    rng = random.Random(size)
    for _ in range(5):
        xs = [rng.uniform(-3, 3) * 10 ** rng.uniform(-2, 2) for _ in range(size)]
        assert torch_sum(xs) == torch.tensor(xs, dtype=torch.float64).sum().item()


def test_torch_sum_of_cancelling_terms_is_torchs() -> None:
    # torch adds the lanes of vectors of 4: (1e16 + 1) + ... in lane order, not left to right
    xs = [1e16, 1.0, 1.0, 1.0, -1e16, 1.0, 1.0, 1.0, 1.0]
    assert torch_sum(xs) == torch.tensor(xs, dtype=torch.float64).sum().item()


LOSSES = {
    "mse_loss": (F.mse_loss, torch.nn.functional.mse_loss),
    "l1_loss": (F.l1_loss, torch.nn.functional.l1_loss),
    "huber_loss": (F.huber_loss, torch.nn.functional.huber_loss),
    "smooth_l1_loss": (F.smooth_l1_loss, torch.nn.functional.smooth_l1_loss),
    "binary_cross_entropy": (F.binary_cross_entropy, torch.nn.functional.binary_cross_entropy),
}


@pytest.mark.parametrize("name", list(LOSSES))
@pytest.mark.parametrize("reduction", ["sum", "mean"])
def test_elementwise_losses_equal_torch_to_the_bit(name: str, reduction: str) -> None:
    ours_fn, torch_fn = LOSSES[name]
    rng = random.Random(len(name))
    for size in (4, 9, 16, 33, 100, 300):
        for rows in (False, True):
            if name == "binary_cross_entropy":
                x = [rng.uniform(0.01, 0.99) for _ in range(size)]
                y = [float(rng.random() < 0.5) for _ in range(size)]
            else:
                x = [rng.uniform(-3, 3) for _ in range(size)]
                y = [rng.uniform(-3, 3) for _ in range(size)]
            if rows and size % 4 == 0:  # a (size/4, 4) batch: torch sums it as one contiguous tensor too
                shaped_x = [x[i:i + 4] for i in range(0, size, 4)]
                shaped_y = [y[i:i + 4] for i in range(0, size, 4)]
            else:
                shaped_x, shaped_y = x, y
            values = [[Value(v) for v in row] for row in shaped_x] if shaped_x and isinstance(shaped_x[0], list) \
                else [Value(v) for v in shaped_x]
            ours = ours_fn(values, shaped_y, reduction=reduction)
            theirs = torch_fn(torch.tensor(shaped_x, dtype=torch.float64), torch.tensor(shaped_y, dtype=torch.float64),
                              reduction=reduction)
            assert ours.data == theirs.item()
