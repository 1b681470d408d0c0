"""A plain backward() through a gradient graph adds to a .grad that backward(create_graph=True) left as a Value.

x = 3, y = x^3: backward(create_graph=True) leaves x.grad = 3x^2 = 27 (a Value); then x.grad.backward()
adds d(3x^2)/dx = 6x = 18, so x.grad is 45, as PyTorch gives (it was a false "not finite" error).
"""

from __future__ import annotations

import pytest

from autograd import Value


def test_plain_backward_adds_to_a_value_gradient() -> None:
    x = Value(3.0)
    y = x * x * x
    y.backward(create_graph=True)
    g = x.grad
    assert isinstance(g, Value) and g.data == 27.0
    g.backward()
    assert isinstance(x.grad, Value) and x.grad.data == 45.0


def test_a_leaf_root_with_a_value_gradient_accumulates_too() -> None:
    x = Value(2.0)
    (x * x).backward(create_graph=True)  # x.grad = 2x = 4, a Value
    x.backward()  # dx/dx = 1 added
    assert x.grad.data == 5.0  # type: ignore[attr-defined]


# torch warns that backward(create_graph=True) makes a reference cycle through .grad: what this test does on purpose.
@pytest.mark.filterwarnings("ignore:Using backward\\(\\) with create_graph=True:UserWarning")
def test_same_as_torch() -> None:
    torch = pytest.importorskip("torch")
    t = torch.tensor(3.0, dtype=torch.float64, requires_grad=True)
    (t * t * t).backward(create_graph=True)
    t.grad.backward()
    x = Value(3.0)
    (x * x * x).backward(create_graph=True)
    x.grad.backward()  # type: ignore[attr-defined]
    assert x.grad.data == t.grad.item() == 45.0  # type: ignore[attr-defined]
    t.grad = None  # breaks the cycle torch warned about
