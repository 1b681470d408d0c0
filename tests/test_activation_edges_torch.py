"""The new activations at the edges of the float range, against torch 2.13, eager and replayed.

- SiLU between -709.782712893384 (the last float whose exp is finite) and -709.78: torch's
  ``x / (1 + exp(-x))`` is a tiny normal number there (-3.96e-306), not -0.0 (the exponent was capped,
  and the value zeroed, from -709.78 on);
- softplus where beta x overflows to infinity (x = 1e308, beta = 2): torch returns x, gradient 1; the
  discarded log(1 + e^inf) term made 0 * inf = NaN, refused as "not finite".

Every tape mode (float run, compiled, vectorized, run_batch) must give the eager numbers there too.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest

torch = pytest.importorskip("torch")
F_torch = torch.nn.functional

import nn.functional as F  # noqa: E402
from autograd import Value  # noqa: E402
from autograd.replay import record  # noqa: E402

LAST_FINITE_EXP = 709.782712893384  # math.exp of the next float up overflows

EDGES: dict[str, tuple[Callable, Callable, list[float]]] = {
    "silu": (F.silu, F_torch.silu,
             [-LAST_FINITE_EXP, -709.781, -709.78, -math.nextafter(LAST_FINITE_EXP, 1e9), -720.0, -709.0]),
    "softplus beta 2, threshold 5": (lambda v: F.softplus(v, 2.0, 5.0), lambda t: F_torch.softplus(t, 2.0, 5.0),
                                     [1e308, -1e308, 1e200, 2.5, 2.6, 8.98846567431158e307]),
    "softplus beta -2": (lambda v: F.softplus(v, -2.0, 5.0), lambda t: F_torch.softplus(t, -2.0, 5.0),
                         [-1e308, 1e308, -2.6]),
}


def _torch(fn: Callable, x: float) -> tuple[float, float]:
    t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    y = fn(t)
    y.backward()
    return y.item(), t.grad.item()


def _same(ours: float, theirs: float) -> bool:
    # Equal, or one ulp apart (libm's exp against torch's vectorized one). The sign of a zero is not
    # compared: a leaf's gradient is accumulated onto 0.0 (0.0 + -0.0 is 0.0, torch assigns -0.0). Softplus's
    # value keeps torch's sign of zero (tests/test_softplus_zero_sign_torch.py).
    return ours == theirs or abs(ours - theirs) <= math.ulp(abs(theirs))


@pytest.mark.parametrize("name", sorted(EDGES))
def test_value_and_gradient_at_the_overflow_edges_equal_torch(name: str) -> None:
    ours_fn, torch_fn, points = EDGES[name]
    for x in points:
        v = Value(x)
        y = ours_fn(v)
        y.backward()
        value, gradient = _torch(torch_fn, x)
        assert _same(y.data, value), (name, x, y.data, value)
        assert _same(v.grad, gradient), (name, x, v.grad, gradient)


@pytest.mark.parametrize("name", sorted(EDGES))
@pytest.mark.parametrize("mode", ["run", "compiled", "vectorized", "run_batch"])
def test_every_tape_mode_replays_the_edges_as_eager(name: str, mode: str) -> None:
    np = pytest.importorskip("numpy")
    ours_fn, _, points = EDGES[name]
    w = Value(0.0, label="w")

    def loss(x: Value) -> Value:
        return ours_fn(x + w)

    tape = record(loss, [0.5], [w], vectorize=True if mode == "vectorized" else None)
    if mode in ("compiled", "vectorized"):
        tape.compile()
    expected = []
    for x in points:
        w.grad = 0.0
        out = loss(Value(x))
        out.backward()
        expected.append((out.data, w.grad))
    if mode == "run_batch":
        losses, grads = tape.run_batch([points], reduce="none")
        got = list(zip(np.asarray(losses).tolist(), np.asarray(grads[0]).tolist()))
    else:
        got = [tape.evaluate([x]) for x in points]
        got = [(value, grads[0]) for value, grads in got]
    for x, (value, gradient), (eager_value, eager_gradient) in zip(points, got, expected):
        assert _same(value, eager_value), (mode, x, value, eager_value)
        assert _same(gradient, eager_gradient), (mode, x, gradient, eager_gradient)
