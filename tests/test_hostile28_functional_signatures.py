"""nn.functional.relu / softmax / log_softmax take torch's keywords: relu's ``inplace``, softmax's ``dtype``.

``F.relu(x, inplace=False)`` and ``F.softmax(x, dim=-1, dtype=torch.float64)`` are common torch code; here they
failed with "relu() got an unexpected keyword argument 'inplace'" / "... 'dtype'", while nn.ReLU(inplace=True),
F.elu(..., inplace=...) and the modules' .to(dtype) took them. As those: ``inplace`` must be True or False and
changes nothing (a Value is never overwritten); ``dtype`` may name float64 (the one dtype here) and anything
else is refused by name.
"""

from __future__ import annotations

import math

import pytest

import nn
from autograd import Value

F = nn.functional


@pytest.mark.parametrize("inplace", [False, True])
def test_relu_takes_inplace(inplace: bool) -> None:
    xs = [Value(1.5), Value(-2.0)]
    assert [v.data for v in F.relu(xs, inplace=inplace)] == [1.5, 0.0]
    assert [v.data for v in xs] == [1.5, -2.0]  # no Value is overwritten
    assert F.relu(Value(-3.0), inplace).data == 0.0  # torch's second positional


def test_relu_refuses_an_inplace_that_is_no_bool() -> None:
    with pytest.raises(TypeError, match="^relu: inplace must be True or False, got str"):
        F.relu([Value(1.0)], inplace="yes")


@pytest.mark.parametrize("fn, expected", [
    (F.softmax, [1 / (1 + math.exp(-3.0)), 1 / (1 + math.exp(3.0))]),  # softmax of [1, -2]: the logistic of +-3
    (F.log_softmax, [-math.log1p(math.exp(-3.0)), -3.0 - math.log1p(math.exp(-3.0))]),
])
@pytest.mark.parametrize("dtype", [None, "float64"])
def test_softmax_takes_a_float64_dtype(fn, expected: list[float], dtype: object) -> None:  # type: ignore[no-untyped-def]
    out = fn([Value(1.0), Value(-2.0)], dim=-1, dtype=dtype)
    assert [v.data for v in out] == pytest.approx(expected, rel=1e-15)


def test_softmax_takes_torchs_float64_and_refuses_float32() -> None:
    torch = pytest.importorskip("torch")
    assert len(F.softmax([Value(1.0), Value(-2.0)], dim=0, dtype=torch.float64)) == 2
    with pytest.raises(NotImplementedError, match="float32 is not available"):  # as Module.to(torch.float32)
        F.log_softmax([Value(1.0), Value(-2.0)], dim=0, dtype=torch.float32)


def test_softmax_refuses_a_dtype_that_names_none() -> None:
    with pytest.raises(ValueError, match="names no dtype"):
        F.softmax([Value(1.0)], dim=0, dtype="double precision")
