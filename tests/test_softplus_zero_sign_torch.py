"""Softplus's value and gradient against torch 2.13 (float64) over a grid that includes -0.0, 0.0, tiny, huge
and negative huge inputs, betas of both signs and thresholds of both signs, with the sign of every zero compared.

The two branches were added as step terms, which turned torch's -0.0 into 0.0: x = -0.0 past a negative
threshold (torch returns x itself), and log1p(0) / beta for a negative beta (torch: -0.0). The replayed tape
(every mode) must give the eager values, signs included. Infinite inputs are refused by Value itself (tested
elsewhere); the gradient is compared for torch's default seed 1.
"""

from __future__ import annotations

import math

import pytest

torch = pytest.importorskip("torch")
F_torch = torch.nn.functional

import nn  # noqa: E402
import nn.functional as F  # noqa: E402
from autograd import Value, apply  # noqa: E402
from autograd.activation_ops import SOFTPLUS  # noqa: E402
from autograd.replay import record  # noqa: E402

XS = [-0.0, 0.0, 5e-324, -5e-324, 1e-300, -1e-300, 1.0, -1.0, 19.9, 20.0, 20.1, -30.0, 700.0, -700.0, 745.0,
      -745.0, 800.0, -800.0, 1e300, -1e300, 1e308, -1e308]
BETAS = [1.0, 2.0, 0.5, -1.0, -2.0, -0.5, 1e-300, 1e300]
THRESHOLDS = [20.0, 0.0, -1.0, 1.0, -20.0]


def _torch(x: float, beta: float, threshold: float) -> tuple[float, float]:
    t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    y = F_torch.softplus(t, beta=beta, threshold=threshold)
    y.backward()
    return y.item(), t.grad.item()


def _same(ours: float, theirs: float) -> bool:
    """Equal, or an ulp or two apart (libm's log1p/exp against torch's), with the same sign (of a zero too)."""
    close = ours == theirs or abs(ours - theirs) <= 2 * math.ulp(abs(theirs))
    return close and math.copysign(1.0, ours) == math.copysign(1.0, theirs)


@pytest.mark.parametrize("beta", BETAS)
@pytest.mark.parametrize("threshold", THRESHOLDS)
def test_functional_value_and_gradient_signs_are_torch(beta: float, threshold: float) -> None:
    for x in XS:
        v = Value(x)
        y = F.softplus(v, beta=beta, threshold=threshold)
        y.backward()
        value, gradient = _torch(x, beta, threshold)
        assert _same(y.data, value), (x, beta, threshold, y.data, value)
        assert _same(v.grad, gradient), (x, beta, threshold, v.grad, gradient)


@pytest.mark.parametrize("x, beta, threshold, expected", [
    (-0.0, 1.0, -1.0, -0.0),     # x * beta = -0.0 > -1: torch returns x itself
    (-0.0, 3.0, -20.0, -0.0),
    (800.0, -1.0, 20.0, -0.0),   # log1p(exp(-800)) / -1 = 0.0 / -1
    (1e300, -0.5, 0.0, -0.0),
    (-800.0, 1.0, 20.0, 0.0),    # log1p(0) / 1
    (0.0, 1.0, -1.0, 0.0),
])
def test_op_and_module_keep_torchs_zero(x: float, beta: float, threshold: float, expected: float) -> None:
    value, _ = _torch(x, beta, threshold)
    assert math.copysign(1.0, value) == math.copysign(1.0, expected)  # the case is torch's
    by_op = apply(SOFTPLUS, Value(x), beta, threshold).data
    by_module = nn.Softplus(beta=beta, threshold=threshold)(Value(x)).data
    for ours in (by_op, by_module):
        assert ours == 0.0 and math.copysign(1.0, ours) == math.copysign(1.0, expected)


@pytest.mark.parametrize("mode", ["run", "compiled", "vectorized", "run_batch"])
def test_every_tape_mode_keeps_the_sign_of_zero(mode: str) -> None:
    np = pytest.importorskip("numpy")
    cases = [(-0.0, 1.0, -1.0), (800.0, -1.0, 20.0), (-800.0, 1.0, 20.0), (0.0, 1.0, -1.0), (1e300, -0.5, 0.0)]
    for x, beta, threshold in cases:
        expected, _ = _torch(x, beta, threshold)

        def softplus(v: Value, beta: float = beta, threshold: float = threshold) -> Value:
            return F.softplus(v, beta=beta, threshold=threshold)

        tape = record(softplus, [0.5], [], vectorize=True if mode == "vectorized" else None)
        if mode in ("compiled", "vectorized"):
            tape.compile()
        if mode == "run_batch":
            values, _ = tape.run_batch([[x, x]], reduce="none")
            got = np.asarray(values).tolist()
        else:
            got = [tape.evaluate([x])[0]]
        for value in got:
            assert value == 0.0 and math.copysign(1.0, value) == math.copysign(1.0, expected), (mode, x, value)
