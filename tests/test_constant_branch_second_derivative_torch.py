"""A derivative that is 1 on one side of a kink (ELU for x > 0, softplus past its threshold) still depends on x
when built with create_graph=True, so differentiating it again gives torch's 0 (its elu_backward and
softplus_backward have derivatives of their own), not a "was not used" ValueError (parity28: the branch chosen by
`where_positive` was the constant 1.0, a Value of no graph).
"""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")
functional = torch.nn.functional

import nn.functional as F  # noqa: E402
from autograd import Value, grad  # noqa: E402

CASES = [
    ("elu", lambda v: F.elu(v, 1.5), lambda t: functional.elu(t, 1.5), [0.5, 3.0, 1e-300]),
    ("softplus", lambda v: F.softplus(v, 2.0, 20.0), lambda t: functional.softplus(t, 2.0, 20.0), [10.5, 40.0]),
    ("softplus negative threshold", lambda v: F.softplus(v, 1.0, -3.0), lambda t: functional.softplus(t, 1.0, -3.0),
     [-2.0, 0.0]),
]


@pytest.mark.parametrize(("name", "ours", "theirs", "points"), CASES, ids=[c[0] for c in CASES])
def test_second_derivative_on_the_identity_side_is_torchs_zero(name, ours, theirs, points) -> None:
    for x in points:
        v = Value(x)
        (first,) = grad(ours(v), [v], create_graph=True)
        (second,) = grad(first, [v])
        t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
        (tf,) = torch.autograd.grad(theirs(t), t, create_graph=True)
        (ts,) = torch.autograd.grad(tf, t)
        assert first.data == tf.item() == 1.0, (name, x)
        assert second.data == ts.item() == 0.0, (name, x)
