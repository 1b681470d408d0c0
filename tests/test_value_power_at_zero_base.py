"""Value ** Value at base 0: value and both gradients, against the closed form and PyTorch.

At a = 0 and b >= 0, a ** b is 0 (1 at b = 0), d/da = b a^(b-1) (1 at b = 1, else 0), and d/db = a^b log a has
no finite value at a = 0: torch gives 0 there (its ``where(a == 0 & b >= 0, 0, ...)``), and so does valuegrad.
"""

from __future__ import annotations

import pytest

from autograd import Value

# (a, b, a ** b, d/da, d/db), worked by hand from the formulas above.
CASES = [
    (0.0, 2.0, 0.0, 0.0, 0.0),
    (0.0, 0.0, 1.0, 0.0, 0.0),
    (0.0, 1.0, 0.0, 1.0, 0.0),
    (0.0, 3.5, 0.0, 0.0, 0.0),
]


@pytest.mark.parametrize(("a0", "b0", "want", "want_da", "want_db"), CASES)
def test_zero_to_a_value_power_and_its_gradients_are_the_closed_form(
    a0: float, b0: float, want: float, want_da: float, want_db: float,
) -> None:
    a, b = Value(a0), Value(b0)
    y = a**b
    y.backward()
    assert (y.data, a.grad, b.grad) == (want, want_da, want_db)


@pytest.mark.parametrize(("a0", "b0"), [(a0, b0) for a0, b0, *_ in CASES])
def test_zero_to_a_value_power_matches_pytorch(a0: float, b0: float) -> None:
    torch = pytest.importorskip("torch")
    ta = torch.tensor(a0, dtype=torch.float64, requires_grad=True)
    tb = torch.tensor(b0, dtype=torch.float64, requires_grad=True)
    ty = ta**tb
    ty.backward()
    assert ta.grad is not None and tb.grad is not None
    a, b = Value(a0), Value(b0)
    y = a**b
    y.backward()
    assert (y.data, a.grad, b.grad) == (ty.item(), ta.grad.item(), tb.grad.item())
