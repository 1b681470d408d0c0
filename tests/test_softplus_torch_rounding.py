"""``F.softplus`` / ``nn.Softplus`` / ``MLP(activation='softplus')``: torch's value and gradient bits (parity28).

torch 2.13's CPU kernels (0-d, scalar loop): x where x beta > threshold, else log1p(exp(x beta)) / beta; gradient
1 there, else z / (z + 1) with z = exp(x beta). Ours computed log1pexp (x beta + log1p(e^-(x beta)) for x beta > 0)
and the sigmoid op: over 2,021 points per (beta, threshold) pair, 33-88 values and 161-474 gradients differed from
torch's in the last bit before this change, none now. Where torch's exp overflows below a threshold above 709.78
(torch: inf, NaN), ours stays the true value (x, gradient 1).
"""

from __future__ import annotations

import math
import random
import struct
from collections.abc import Callable

import pytest

torch = pytest.importorskip("torch")
np = pytest.importorskip("numpy")
levels = pytest.importorskip("autograd.replay.levels")
functional = torch.nn.functional

import nn  # noqa: E402
import nn.functional as F  # noqa: E402
from autograd import Value, dot, grad, sum_of  # noqa: E402
from autograd.replay import Tape, record  # noqa: E402

OPTIONS = [(1.0, 20.0), (2.0, 20.0), (0.5, 20.0), (-1.0, 20.0), (1.0, 5.0), (1.5, 1000.0), (3.0, -2.0)]
HOSTILE = [0.0, -0.0, 5e-324, -5e-324, 1e-300, -1e-300, 20.0, 20.000000000000004, 19.999999999999996, 30.3, 700.0,
           709.7, -700.0, -750.0, 1e300, -1e300, 1e308, -1e308]


def _bits(x: float) -> bytes:
    return struct.pack(">d", float(x))


def _points(seed: int) -> list[float]:
    rng = random.Random(seed)
    return [rng.uniform(-30.0, 30.0) for _ in range(700)] + [rng.uniform(-3.0, 3.0) for _ in range(300)] + HOSTILE


def _torch(x: float, beta: float, threshold: float) -> tuple[float, float]:
    t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    out = functional.softplus(t, beta, threshold)
    out.backward()
    return out.item(), t.grad.item()


@pytest.mark.parametrize(("beta", "threshold"), OPTIONS)
def test_value_and_gradient_are_torchs(beta: float, threshold: float) -> None:
    compared = 0
    for x in _points(28):
        want, want_grad = _torch(x, beta, threshold)
        v = Value(x)
        out = F.softplus(v, beta, threshold)
        out.backward()
        if not (math.isfinite(want) and math.isfinite(want_grad)):  # exp(x beta) past the float range, below the
            assert (out.data, v.grad) == (x, 1.0), x  # threshold: the true value and gradient, x and 1
            continue
        assert _bits(out.data) == _bits(want), (x, beta, threshold)
        # a leaf's .grad starts at 0.0 and 0.0 + -0.0 is 0.0 (docs/torch_parity.md): else the same bits
        assert v.grad == want_grad and (v.grad == 0.0 or _bits(v.grad) == _bits(want_grad)), (x, beta, threshold)
        compared += 1
    assert compared > 1000


def test_the_forms_torch_computes() -> None:
    # worked by hand at x = 2.2008004904888097, beta = 0.5, where log1pexp's rounding was a last bit above torch's
    x = 2.2008004904888097
    v = Value(x)
    out = F.softplus(v, beta=0.5)
    out.backward()
    z = math.exp(x * 0.5)
    assert out.data == math.log1p(z) / 0.5 == 2.7752712563234723
    assert v.grad == z / (z + 1.0)


def test_module_and_mlp_activation_are_torchs() -> None:
    rng = random.Random(3)
    module = nn.Softplus(beta=2.0, threshold=10.0)
    for _ in range(200):
        x = rng.uniform(-8.0, 8.0)
        v = Value(x)
        out = module(v)
        out.backward()
        t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
        want = torch.nn.Softplus(beta=2.0, threshold=10.0)(t)
        want.backward()
        assert (_bits(out.data), _bits(v.grad)) == (_bits(want.item()), _bits(t.grad.item())), x
    # the MLP's named activation is F.softplus with torch's defaults
    for x in (0.3, 19.99, 20.5, -4.0):
        v = Value(x)
        nn.activations.ACTIVATIONS["softplus"](v).backward()
        assert _bits(v.grad) == _bits(_torch(x, 1.0, 20.0)[1])


def test_second_derivative_is_torchs() -> None:
    # created with create_graph: the derivative is a softplus_sigmoid node, differentiated as sigmoid's s (1 - s)
    for x in (-3.0, -0.2, 0.0, 1.7, 12.0):
        v = Value(x)
        out = F.softplus(v, beta=2.0)
        (first,) = grad(out, [v], create_graph=True)
        (second,) = grad(first, [v])
        t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
        (tf,) = torch.autograd.grad(functional.softplus(t, beta=2.0), t, create_graph=True)
        (ts,) = torch.autograd.grad(tf, t)
        assert _bits(first.data) == _bits(tf.item()), x
        assert math.isclose(second.data, ts.item(), rel_tol=1e-14), x


def _layer(points: list[float], beta: float, threshold: float) -> tuple[Callable[[Value], Value], list[Value],
                                                                          list[Value]]:
    """One-weight rows over one shared input (1.0), softplus of each, times a scale parameter (1.0), summed: the
    weights' gradients are softplus's derivatives and the scales' its values, bit for bit in any summing order."""
    weights = [Value(x) for x in points]
    scales = [Value(1.0) for _ in points]

    def fn(one: Value) -> Value:
        return sum_of([F.softplus(dot([w], [one]), beta, threshold) * s for w, s in zip(weights, scales)])

    return fn, weights, scales


@pytest.mark.usefixtures("small_graphs_planned_in_groups")
@pytest.mark.parametrize(("beta", "threshold"), [(1.0, 20.0), (-1.0, 5.0), (0.5, 1000.0)])
@pytest.mark.parametrize("small_group", [1, 10**9], ids=["numpy-groups", "float-steps"])
def test_every_tape_mode_gives_eagers_bits(beta: float, threshold: float, small_group: int,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(levels, "SMALL_GROUP", small_group)
    monkeypatch.setattr(Tape, "min_group_weights", 1)  # a layer's softplus as one array op in vectorized code
    rng = random.Random(beta)
    points = [p for p in HOSTILE if abs(p) < 1e300] + [rng.uniform(-30.0, 30.0) for _ in range(20)]
    fn, weights, scales = _layer(points, beta, threshold)
    params = weights + scales
    out = fn(Value(1.0))
    out.backward()
    grads = [p.grad for p in params]
    bound = len(points) * math.ulp(max(abs(s.grad) for s in scales))  # numpy's row sum adds in another order
    for vectorize in (None, True, False):
        for compiled in (False, True):
            tape = record(fn, example=[1.0], parameters=params, vectorize=vectorize)
            if compiled:
                tape.compile()
            if vectorize:
                assert "vec_softplus_log" in tape.source
            loss, got = tape.evaluate([1.0])
            where = (beta, tape.strategy, compiled)
            assert abs(loss - out.data) <= bound, where
            assert [_bits(g) for g in got] == [_bits(g) for g in grads], where
    tape = record(fn, example=[1.0], parameters=params)
    losses, batch = tape.run_batch([[1.0, 1.0]], reduce="none")
    assert all(abs(v - out.data) <= bound for v in losses)
    for g, want in zip(batch, grads):
        assert [_bits(s) for s in np.broadcast_to(g, (2,))] == [_bits(want)] * 2, (beta, want)
