"""``Value.sigmoid`` is torch's 1 / (1 + e^-x) to the bit (parity28).

For x < 0 ours was e^x / (1 + e^x): a last bit from torch's (0-d tensors, libm's exp) in 66 of 279 points of the
sweep. Now torch's formula wherever e^-x is finite, so values equal torch's, and the gradient's x <= 0 branch,
out (1 - out) as torch's, with them. Below -709.78 (e^-x overflows: torch 0) ours stays e^x, the true value
rounded; for x > 0 the gradient stays out * sigmoid(-x), more accurate than torch's (docs/torch_parity.md).
"""

from __future__ import annotations

import math
import random
import struct

import pytest

torch = pytest.importorskip("torch")

from autograd import Value  # noqa: E402


def _bits(x: float) -> bytes:
    return struct.pack(">d", float(x))


def _torch(x: float) -> tuple[float, float]:
    t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    out = torch.sigmoid(t)
    out.backward()
    return out.item(), t.grad.item()


def test_values_are_torchs_and_negative_side_gradients_too() -> None:
    rng = random.Random(28)
    points = [rng.uniform(-40.0, 40.0) for _ in range(3000)] + [rng.uniform(-709.0, -40.0) for _ in range(300)]
    points += [0.0, -0.0, 5e-324, -5e-324, -1e-300, -0.5, -709.78, 709.0, 1e300]
    for x in points:
        v = Value(x)
        out = v.sigmoid()
        out.backward()
        want, want_grad = _torch(x)
        assert _bits(out.data) == _bits(want), x
        if x <= 0.0:
            assert _bits(v.grad) == _bits(want_grad), x


def test_below_the_last_finite_exponential_the_true_value_is_kept() -> None:
    for x in (-710.0, -745.0, -800.0):
        v = Value(x)
        out = v.sigmoid()
        out.backward()
        assert _torch(x) == (0.0, 0.0)  # torch's 1 / (1 + inf)
        assert out.data == math.exp(x) and v.grad == math.exp(x) * (1.0 - math.exp(x)), x
