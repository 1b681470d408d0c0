"""A recorded tape's first run (the level interpreter) backpropagates a wide ``largest`` node in O(n) too.

hostile24 gave the eager engine largest's ``wide_derivative`` past `INLINE_BACKWARD_UP_TO` inputs, but a
tape's level interpreter still built one numpy function per input from n expressions each naming every input:
O(n^2) source compiled, O(n^2) work per run (a softmax over a 1,000-logit layer: 15 s to record and a first
run of 2.5 s; 500 logits 0.6 s). The test forbids those expressions past the limit (no timing) and checks the
gradients against torch.
"""

from __future__ import annotations

import math

import pytest

from autograd import OPS, Value, apply
from autograd.op import INLINE_BACKWARD_UP_TO
from autograd.replay import record

WIDE = INLINE_BACKWARD_UP_TO + 303  # a fan-in no other test compiles first


def _data(n: int) -> list[float]:
    return [math.sin(i) if i % 89 else 1.5 for i in range(n)]  # several ties at the largest


@pytest.mark.parametrize("vectorize", [None, True, False])
def test_replayed_wide_largest_splits_ties_as_torch(no_wide_expressions: None, vectorize: bool | None) -> None:
    torch = pytest.importorskip("torch")
    params = [Value(x) for x in _data(WIDE)]
    # times an input, so the node is not the root (the root's own gradient is 1 whatever its partials)
    tape = record(lambda s: apply(OPS["largest"], *params) * s, [1.0], params, vectorize=vectorize)
    value, grads = tape.evaluate([2.0])
    t = torch.tensor(_data(WIDE), dtype=torch.float64, requires_grad=True)
    expected = torch.amax(t) * 2.0
    expected.backward()
    assert value == expected.item()
    assert list(grads) == t.grad.tolist()  # k tied inputs: 2/k each, exactly
    # a batch of three samples: the gradients summed over them, (1 + 2 + 4)/k for each tied input
    _, batch_grads = tape.run_batch([[1.0, 2.0, 4.0]])
    assert [float(x) for x in batch_grads] == [7.0 * g / 2.0 for g in t.grad.tolist()]


def test_a_wide_softmax_layer_replays_as_torch(no_wide_expressions: None) -> None:
    torch = pytest.importorskip("torch")
    from nn import Linear
    from nn.functional import cross_entropy

    layer = Linear(2, WIDE, seed=3)
    tape = record(lambda a, b: cross_entropy(layer([a, b]), 7), [0.5, -1.25], layer.parameters())
    value, grads = tape.evaluate([0.5, -1.25])
    weight = torch.tensor([[w.data for w in row] for row in layer.W], dtype=torch.float64, requires_grad=True)
    bias = torch.tensor([b.data for b in layer.b], dtype=torch.float64, requires_grad=True)
    logits = weight @ torch.tensor([0.5, -1.25], dtype=torch.float64) + bias
    expected = torch.nn.functional.cross_entropy(logits.unsqueeze(0), torch.tensor([7]))
    expected.backward()
    assert value == pytest.approx(expected.item(), rel=1e-13)
    ours = dict(zip(map(id, layer.parameters()), grads))
    assert [ours[id(b)] for b in layer.b] == pytest.approx(bias.grad.tolist(), rel=1e-12, abs=1e-18)


def test_interpreted_wide_log_softmax_compiles_short_partials() -> None:
    """The level interpreter compiles no numpy partial of a wide logsumexp naming every input (since wide25 it
    runs such a node as float steps and compiles none; a partial, if any, must be O(1) source), and the replayed
    gradient is the closed form [i = 3] - softmax_i (checked in fsum)."""
    import linecache

    from autograd import log_softmax

    n = INLINE_BACKWARD_UP_TO + 317  # a fan-in no other test compiles first
    data = [math.sin(i) for i in range(n)]
    params = [Value(x) for x in data]
    tape = record(lambda: log_softmax(params)[3], [], params)  # run first by the level interpreter
    value, grads = tape.evaluate([])
    source = "".join(linecache.getlines(f"<op logsumexp derivative 0, {n} inputs, numpy>"))
    assert len(source) < 200, source[:200]
    top = max(data)
    total = math.fsum(math.exp(x - top) for x in data)
    expected = [(1.0 if i == 3 else 0.0) - math.exp(x - top) / total for i, x in enumerate(data)]
    assert value == pytest.approx(data[3] - top - math.log(total), rel=1e-14)
    assert list(grads) == pytest.approx(expected, rel=1e-12, abs=1e-17)
