"""F.softmax / F.log_softmax over a batch along dim, and the Softmax / LogSoftmax modules, as torch's (shapes and
dims; the numerics of the row function itself are checked elsewhere).

Closed forms run everywhere; the comparisons with torch skip where it is not installed.
"""

from __future__ import annotations

import math

import pytest

import nn
import nn.functional as F
from autograd import Value

Z = [[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]]


def _by_hand(row: list[float]) -> list[float]:
    total = sum(math.exp(z) for z in row)
    return [math.exp(z) / total for z in row]


def _numbers(out: list) -> list[float]:
    return [v.data for row in out for v in row]


@pytest.mark.parametrize("dim", [None, 1, -1])
def test_each_row_of_a_batch(dim: int | None) -> None:
    out = F.softmax(Z, dim=dim)
    assert _numbers(out) == pytest.approx([p for row in Z for p in _by_hand(row)], rel=1e-14)
    logs = F.log_softmax(Z, dim=dim)
    assert _numbers(logs) == pytest.approx([math.log(p) for row in Z for p in _by_hand(row)], rel=1e-13)


@pytest.mark.parametrize("dim", [0, -2])
def test_each_column_of_a_batch(dim: int) -> None:
    columns = [_by_hand(list(column)) for column in zip(*Z)]
    expected = [[columns[j][i] for j in range(3)] for i in range(2)]
    assert _numbers(F.softmax(Z, dim=dim)) == pytest.approx([p for row in expected for p in row], rel=1e-14)


def test_modules_print_and_apply_their_dim() -> None:
    assert repr(nn.Softmax(dim=-1)) == "Softmax(dim=-1)" and repr(nn.LogSoftmax(dim=1)) == "LogSoftmax(dim=1)"
    assert repr(nn.Softmax()) == "Softmax(dim=None)"
    assert _numbers(nn.Softmax(dim=0)(Z)) == _numbers(F.softmax(Z, dim=0))
    model = nn.Sequential(nn.Linear(2, 3, seed=0), nn.LogSoftmax(dim=-1))
    assert sum(math.exp(v.data) for v in model([0.5, -1.0])) == pytest.approx(1.0, rel=1e-15)


@pytest.mark.parametrize(("call", "error", "message"), [
    (lambda: F.softmax(Z, dim=2), IndexError, r"range of \[-2, 1\], but got 2"),
    (lambda: F.softmax([1.0, 2.0], dim=1), IndexError, r"range of \[-1, 0\], but got 1"),
    (lambda: F.log_softmax([[1.0, 2.0], [1.0]], dim=1), ValueError, "same length"),
    (lambda: nn.Softmax(dim=1.0), TypeError, "dim must be an int"),
])
def test_bad_dims_and_ragged_batches_are_refused(call, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        call()


@pytest.mark.parametrize("dim", [None, 0, 1, -1, -2])
def test_torch_gives_the_same_values_and_gradients(dim: int | None) -> None:
    torch = pytest.importorskip("torch")
    ours = [[Value(z) for z in row] for row in Z]
    theirs = torch.tensor(Z, dtype=torch.float64, requires_grad=True)
    weights = [[1.0, -2.0, 0.5], [0.25, 3.0, -1.0]]
    for mine, their_fn in ((F.log_softmax, torch.nn.functional.log_softmax),):
        got = mine(ours, dim=dim)
        expected = their_fn(theirs, dim=1 if dim is None else dim)
        assert _numbers(got) == pytest.approx(expected.detach().reshape(-1).tolist(), rel=1e-13)
        total = sum((w * v for wr, row in zip(weights, got) for w, v in zip(wr, row)), Value(0.0))
        total.backward()
        (expected * torch.tensor(weights, dtype=torch.float64)).sum().backward()
        assert [v.grad for row in ours for v in row] == pytest.approx(theirs.grad.reshape(-1).tolist(), rel=1e-12)
    assert repr(torch.nn.Softmax(dim=-1)) == repr(nn.Softmax(dim=-1))
    assert repr(torch.nn.LogSoftmax(dim=1)) == repr(nn.LogSoftmax(dim=1))
