"""The softmax family's shift as a node (the ``maximum`` op), beside torch, and replayed.

- ``maximum`` is torch.maximum: the gradient to the larger input, half to each on a tie (torch's split).
- log_softmax, softmax and cross_entropy give torch's numbers to within a few ulps of the terms they
  subtract (bench/precision_sweep.py: they agree bit for bit in most entries).
- A tape recorded at logits near 0 and replayed at logits near -300 and +300 shifts by the logits it meets,
  in every replay mode, equal to the eager engine to 1e-12.
"""

from __future__ import annotations

import math
import random

import pytest

import nn.functional as F
from autograd import Value, log_softmax, maximum, softmax, sum_of
from autograd.functional import largest
from autograd.replay import record
from nn import MLP


@pytest.mark.parametrize(("a", "b", "da", "db"), [(2.0, -1.0, 1.0, 0.0), (-1.0, 2.0, 0.0, 1.0), (1.5, 1.5, 0.5, 0.5)])
def test_maximum_sends_the_gradient_to_the_larger_and_splits_a_tie(a: float, b: float, da: float, db: float) -> None:
    x, y = Value(a), Value(b)
    out = maximum(x, y)
    out.backward()
    assert out.data == max(a, b)
    assert (x.grad, y.grad) == (da, db)


def test_maximum_ties_as_torch() -> None:
    torch = pytest.importorskip("torch")
    for a, b in [(1.5, 1.5), (2.0, -1.0), (-3.0, 0.25)]:
        ta = torch.tensor(a, dtype=torch.float64, requires_grad=True)
        tb = torch.tensor(b, dtype=torch.float64, requires_grad=True)
        torch.maximum(ta, tb).backward()
        x, y = Value(a), Value(b)
        maximum(x, y).backward()
        assert (x.grad, y.grad) == (ta.grad.item(), tb.grad.item())


def test_largest_is_a_shallow_tree_and_its_gradient_reaches_the_largest_only() -> None:
    xs = [Value(v) for v in [0.5, -2.0, 7.25, 3.0, 7.0]]
    m = largest(xs)
    m.backward()
    assert m.data == 7.25
    assert [x.grad for x in xs] == [0.0, 0.0, 1.0, 0.0, 0.0]
    depth, node = 0, m
    while node.parents:
        node, depth = node.parents[0], depth + 1
    assert depth <= 3  # ceil(log2 5), not 4 as a chain would be


def _ulps_apart(a: float, b: float, scale: float) -> float:
    return abs(a - b) / math.ulp(max(abs(scale), abs(b)))


def test_softmax_family_agrees_with_torch_to_the_last_digits() -> None:
    torch = pytest.importorskip("torch")
    rng = random.Random(7)
    for k in range(60):
        shift = (0.0, 40.0, -300.0)[k % 3]
        z = [rng.gauss(0.0, 3.0) + shift for _ in range(rng.randint(2, 9))]
        target = k % len(z)
        w = [math.sin(3.1 * j + 0.7) for j in range(len(z))]
        m = max(z)
        for ours_fn, torch_fn in ((log_softmax, torch.log_softmax), (softmax, torch.softmax)):
            xs = [Value(v) for v in z]
            out = ours_fn(xs)
            sum_of([o * wj for o, wj in zip(out, w)]).backward()
            t = torch.tensor(z, dtype=torch.float64, requires_grad=True)
            tout = torch_fn(t, 0)
            (tout * torch.tensor(w, dtype=torch.float64)).sum().backward()
            for j, (o, to) in enumerate(zip(out, tout.tolist())):
                # log_softmax_j = (z_j - m) - log s: within 4 ulps of the larger term; softmax of itself.
                scale = abs(z[j] - m) + 1.0 if ours_fn is log_softmax else to * (1.0 - math.log(to))
                assert _ulps_apart(o.data, to, scale) <= 4.0, (ours_fn.__name__, z, j)
            for x, tg in zip(xs, t.grad.tolist()):
                assert _ulps_apart(x.grad, tg, max(abs(wj) for wj in w)) <= 64.0  # torch's softmax' cancels
        xs = [Value(v) for v in z]
        loss = F.cross_entropy(xs, target)
        loss.backward()
        t = torch.tensor(z, dtype=torch.float64, requires_grad=True)
        tloss = torch.nn.functional.cross_entropy(t, torch.tensor(target))
        tloss.backward()
        assert _ulps_apart(loss.data, tloss.item(), abs(z[target] - m) + 1.0) <= 4.0
        for x, tg in zip(xs, t.grad.tolist()):
            assert _ulps_apart(x.grad, tg, 1.0) <= 4.0


def test_every_replay_mode_shifts_by_the_logits_it_meets() -> None:
    """Recorded at inputs 0 (logits near 0), replayed where an input moves every logit by -300 or +300."""
    np = pytest.importorskip("numpy")
    model = MLP(2, [6, 5], activation="tanh", seed=3)
    params = model.parameters()
    w = [math.sin(3.1 * j + 0.7) for j in range(5)]

    def fn(x0: Value, x1: Value, offset: Value) -> Value:
        logits = [z + offset for z in model([x0, x1])]
        lp = log_softmax(logits)
        p = softmax(logits)
        ce = F.cross_entropy(logits, 2)
        bce = F.binary_cross_entropy_with_logits(logits[0] - offset, 1.0)
        return sum_of([a * wj for a, wj in zip(lp, w)]) + sum_of([a * wj for a, wj in zip(p, w)]) + ce + bce

    def eager(row: list[float]) -> tuple[float, list[float]]:
        for q in params:
            q.grad = 0.0
        out = fn(*[Value(v) for v in row])
        out.backward()
        return out.data, [q.grad for q in params]

    rows = [[0.3, -0.7, -300.0], [1.1, 0.4, 300.0], [-0.5, 0.9, 0.0], [2.0, -1.5, -745.0]]
    tape = record(fn, [0.0, 0.0, 0.0], params)
    for row in rows:  # the level interpreter (before any compile)
        loss, grads = tape.evaluate(row)
        want_loss, want_grads = eager(row)
        assert loss == pytest.approx(want_loss, rel=1e-12, abs=1e-12)
        assert grads == pytest.approx(want_grads, rel=1e-12, abs=1e-12)
    tape.compile()
    for row in rows:  # compiled code
        loss, grads = tape.evaluate(row)
        want_loss, want_grads = eager(row)
        assert loss == pytest.approx(want_loss, rel=1e-12, abs=1e-12)
        assert grads == pytest.approx(want_grads, rel=1e-12, abs=1e-12)
    columns = [np.array([row[k] for row in rows]) for k in range(3)]  # batch: every row at once
    losses, summed = tape.run_batch(columns)
    _, per_sample = tape.run_batch(columns, reduce="none")
    references = [eager(row) for row in rows]
    assert losses.tolist() == pytest.approx([r[0] for r in references], rel=1e-12, abs=1e-12)
    totals = [math.fsum(r[1][k] for r in references) for k in range(len(params))]
    assert summed == pytest.approx(totals, rel=1e-12, abs=1e-12)
    for k in range(len(params)):
        assert per_sample[k].tolist() == pytest.approx([r[1][k] for r in references], rel=1e-12, abs=1e-12)
