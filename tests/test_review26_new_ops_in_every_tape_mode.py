"""parity26's ops (`smooth_l1`, both `binary_cross_entropy_with_logits` rows, `shift` inside log_softmax) give the
eager engine's numbers in every tape mode at hostile points: logits of ±800 and ±40 (exp overflows, sigmoid is
1 to the bit), signed zeros, targets 0 and 1, pos_weight 0, and |d| = beta for smooth_l1 (review26).

The eager gradients are checked against torch (float64) first, so the replayed ones are compared with an
independent number, not only with each other: values and gradients within 1e-12 relative (torch's vectorized
exp/log1p are not libm's in every last bit; gradients also within 1e-15 absolute, where torch's cancels), and
every tape mode equal to eager bit for bit, sign of zero too (``tape.run`` adds into ``.grad`` as backward does).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("numpy")
functional = torch.nn.functional

import nn.functional as F  # noqa: E402
from autograd import Value  # noqa: E402
from autograd.replay import record  # noqa: E402

LOGITS = [0.0, -0.0, 0.3, -2.5, 40.0, -40.0, 800.0, -800.0]
CASES: list[tuple[str, Callable[..., Any], Callable[..., Any], list[float]]] = []
for a in LOGITS:
    for y in (0.0, 1.0, 0.25):
        CASES.append(("bce_logits", lambda x, t: F.binary_cross_entropy_with_logits(x, t, reduction="sum"),
                      lambda x, t: functional.binary_cross_entropy_with_logits(x, t, reduction="sum"), [a, y]))
        for w in (0.0, 3.0):
            CASES.append(("bce_logits_pos",
                          lambda x, t, pw: F.binary_cross_entropy_with_logits(x, t, reduction="sum", pos_weight=pw),
                          lambda x, t, pw: functional.binary_cross_entropy_with_logits(x, t, reduction="sum",
                                                                                       pos_weight=pw.detach()),
                          [a, y, w]))
    for beta in (1.0, 2.5):
        for t in (0.0, -0.0, 2.5):
            CASES.append((f"smooth_l1 beta={beta}",
                          lambda x, u, beta=beta: F.smooth_l1_loss(x, u, reduction="sum", beta=beta),
                          lambda x, u, beta=beta: functional.smooth_l1_loss(x, u, reduction="sum", beta=beta),
                          [a, t]))
for row in ([800.0, -800.0, 0.0], [40.0, 40.0, -0.0], [0.3, -2.5, 1.0]):
    CASES.append(("log_softmax", lambda *z: F.log_softmax(list(z), dim=0)[1],
                  lambda *z: functional.log_softmax(torch.stack(z), 0)[1], row))


def _sign(x: float) -> tuple[float, float]:
    return x, math.copysign(1.0, x)


def _eager(f: Callable[..., Value], point: list[float]) -> tuple[float, list[float]]:
    leaves = [Value(x) for x in point]
    out = f(*leaves)
    out.backward()
    return out.data, [v.grad for v in leaves]


@pytest.mark.parametrize(("name", "ours", "theirs", "point"), CASES,
                         ids=[f"{c[0]}{c[3]}" for c in CASES])
def test_eager_is_torchs_and_every_tape_mode_is_eagers(name: str, ours: Callable[..., Value],
                                                       theirs: Callable[..., Any], point: list[float]) -> None:
    value, grads = _eager(ours, point)
    tensors = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in point]
    out = theirs(*tensors)
    out.backward()
    assert math.isclose(value, out.item(), rel_tol=1e-12, abs_tol=1e-300), (name, point)
    for mine, tensor in zip(grads, tensors):
        if tensor.grad is not None:  # torch has no gradient for pos_weight
            # abs_tol: torch's sigmoid(x) - y loses everything below ulp(1) where it cancels (x = 40, y = 1:
            # torch 0, the true -4.2e-18, ours); a few ulps of 1, times pos_weight 3
            assert math.isclose(mine, tensor.grad.item(), rel_tol=1e-12, abs_tol=1e-15), (name, point)
    for vectorize in (None, True, False):
        for compiled in (False, True):
            leaves = [Value(x) for x in point]
            tape = record(lambda leaves=leaves: ours(*leaves), example=[], parameters=leaves, vectorize=vectorize)
            if compiled:
                tape.compile()
            got = tape.run([])
            assert _sign(got) == _sign(value), (tape.strategy, compiled)
            assert [_sign(v.grad) for v in leaves] == [_sign(g) for g in grads], (tape.strategy, compiled)
    # batch: the point as one sample of inputs added to zero-valued parameters
    zeros = [Value(0.0) for _ in point]
    tape = record(lambda *xs: ours(*[x + z for x, z in zip(xs, zeros)]), example=list(point), parameters=zeros)
    losses, batch_grads = tape.run_batch([[x] for x in point])
    assert _sign(float(losses[0])) == _sign(value)
    assert [float(g[0]) if getattr(g, "ndim", 0) else float(g) for g in batch_grads] == pytest.approx(grads, abs=0)
