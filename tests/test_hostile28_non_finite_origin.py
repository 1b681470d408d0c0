"""A backward pass that makes a gradient NaN or inf names the op where it began, and its inputs.

gelu_tanh's derivative at |x| above about 1e154 is NaN (its tanh(inner)^2 term is 1 - 1 times an infinite
x^3, inf * 0): torch's is NaN too (checked below), so this is refused, not given a finite gradient. Before,
the error named only the leaf the NaN reached ("gradient nan accumulated in leaf node 'x'"), not gelu_tanh.
"""

from __future__ import annotations

import math

import pytest

import nn
from autograd import Value, grad


@pytest.mark.parametrize("x", [1e155, 1e300, -1e155, -1e300])
def test_torch_gelu_tanh_gradient_is_nan_there_too(x: float) -> None:
    torch = pytest.importorskip("torch")
    t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    torch.nn.functional.gelu(t, approximate="tanh").backward()
    assert math.isnan(t.grad.item())


@pytest.mark.parametrize("x", [1e155, 1e300, -1e155, -1e300])
def test_backward_names_gelu_tanh_and_its_input(x: float) -> None:
    leaf = Value(x, label="x")
    out = nn.functional.gelu(leaf, approximate="tanh") * 2.0 + 1.0
    with pytest.raises(FloatingPointError) as caught:
        out.backward()
    words = str(caught.value)
    assert "leaf node 'x'" in words
    assert f"the backward of gelu_tanh({x!r}) has local derivative nan" in words


def test_grad_names_gelu_tanh_too() -> None:
    leaf = Value(1e155, label="x")
    with pytest.raises(FloatingPointError, match=r"the backward of gelu_tanh\(1e\+155\) has local derivative nan"):
        grad(nn.functional.gelu(leaf, approximate="tanh"), [leaf])


def test_an_overflowing_product_names_the_op_and_the_product() -> None:
    # sqrt's local derivative at 1e-320 is 0.5 / sqrt(1e-320), about 5e159 (finite); times the 1e200 reaching
    # it from the multiply the product passes the largest float.
    leaf = Value(1e-320)
    out = leaf.sqrt() * 1e200
    with pytest.raises(FloatingPointError, match=r"the backward of sqrt\(1e-320\) has local derivative 5\.0\d*e\+159,"
                                                 r" times the gradient 1e\+200 reaching it, inf"):
        out.backward()


def test_a_gelu_tanh_gradient_below_the_edge_is_torchs() -> None:
    torch = pytest.importorskip("torch")
    for x in (1e150, -1e150, 3.0, -0.5):
        leaf = Value(x)
        nn.functional.gelu(leaf, approximate="tanh").backward()
        t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
        torch.nn.functional.gelu(t, approximate="tanh").backward()
        assert leaf.grad == pytest.approx(t.grad.item(), rel=1e-15, abs=1e-300)
