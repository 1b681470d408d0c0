"""A logsumexp (or sum) over a layer's outputs runs as one array call in a vectorized tape (issue 12 goal 1).

References: the eager engine's loss and gradients (to 1e-12), and the eager
engine's own refusal of an overflow.
"""

from __future__ import annotations

import random
import re

import pytest

from autograd import Value, dot, logsumexp, sum_of
from autograd.replay import codegen, record
from autograd.replay.codegen import VECTOR_MIN_MEMBERS
from nn import CharModel
from nn.losses import softmax_cross_entropy

pytest.importorskip("numpy")

from test_replay import eager  # noqa: E402  (after the numpy skip)


def assert_vectorized_equals_eager(tape, fn, params) -> None:
    ref_loss, ref_grads = eager(fn, [], params)
    tape.compile()
    assert tape.strategy == "vectorized"
    loss, grads = tape.evaluate([])
    assert loss == pytest.approx(ref_loss, rel=1e-12, abs=1e-12)
    assert grads == pytest.approx(ref_grads, rel=1e-12, abs=1e-12)


@pytest.mark.parametrize(("cell", "hidden", "steps"), [("rnn", 16, 1), ("rnn", 32, 6), ("lstm", 16, 5)])
def test_a_cross_entropy_per_step_is_one_array_call_and_equals_eager(
    cell: str, hidden: int, steps: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(codegen, "ROLL_LOOPS", False)  # one copy of the lines per step, to count them
    vocab = 20
    model = CharModel(vocab, hidden, cell=cell, seed=2)
    rng = random.Random(hidden + steps)
    xs = [rng.randrange(vocab) for _ in range(steps)]
    ts = [rng.randrange(vocab) for _ in range(steps)]
    params = model.parameters()

    def fn() -> Value:
        return model.sequence_loss(xs, ts)[0]

    tape = record(fn, example=[], parameters=params, vectorize=True)
    source = tape.source
    # One call and one finiteness check per step's logsumexp, no logit unpacked into a name of its own.
    assert source.count("rows_logsumexp(") == steps
    assert source.count("overflowed('logsumexp')") == steps
    assert "logsumexp_all(" not in source
    assert re.search(r"= Y[0-9]+\.tolist\(\)", source) is None
    assert_vectorized_equals_eager(tape, fn, params)


def overflowing_logits_model() -> tuple[list[Value], object]:
    rows = [[Value(0.01 * (k + 1), label=f"w{k}"), Value(0.0, label=f"b{k}")] for k in range(VECTOR_MIN_MEMBERS + 4)]
    ws = [w for row in rows for w in row]

    def fn(x: Value) -> Value:
        layer = [dot(row, [x, 1.0]) for row in rows]  # one matrix product
        return softmax_cross_entropy([y * 1e308 for y in layer], 3)  # logits: a vector group over its rows

    return ws, fn


def test_an_overflow_into_the_logsumexp_is_refused_naming_it() -> None:
    ws, fn = overflowing_logits_model()
    with pytest.raises(OverflowError, match="mul"):  # the eager engine refuses the overflowing product itself
        fn(Value(900.0))
    tape = record(fn, [1.0], ws, vectorize=True)
    assert "rows_logsumexp(" in tape.source and tape.source.count("overflowed('logsumexp')") == 1
    # The logits' first reader is the loss's shift, their largest (torch's formula): one call, one check.
    assert "rows_largest(" in tape.source and tape.source.count("overflowed('largest')") == 1
    tape.compile()
    for x in (900.0, -900.0):  # every logit +inf, then every one -inf (which would give a finite logsumexp)
        with pytest.raises(OverflowError, match="largest node is not finite"):
            tape.evaluate([x])
    loss, grads = tape.evaluate([1e-306])
    for w in ws:
        w.grad = 0.0
    ref = fn(Value(1e-306))
    ref.backward()
    assert loss == pytest.approx(ref.data, rel=1e-12)
    assert grads == pytest.approx([w.grad for w in ws], rel=1e-12, abs=1e-12)


def test_rows_out_of_order_a_sum_of_rows_and_a_mixed_reduction_equal_eager() -> None:
    width = VECTOR_MIN_MEMBERS + 2
    rng = random.Random(7)
    rows = [[Value(rng.uniform(-1, 1), label=f"w{k}"), Value(rng.uniform(-1, 1), label=f"b{k}")]
            for k in range(width)]
    params = [w for row in rows for w in row]
    perm = list(range(width))
    rng.shuffle(perm)

    def fn(x: Value) -> Value:
        layer = [dot(row, [x, 1.0]).tanh() for row in rows]
        shuffled = [layer[k] for k in perm]  # gathered by an index table
        mixed = logsumexp([*layer[: width - 1], x * 0.5])  # one input from outside the block: scalar lines
        return logsumexp(shuffled) + sum_of(layer) * 0.3 + mixed + softmax_cross_entropy(layer, 5)

    tape = record(fn, [0.4], params, vectorize=True)
    source = tape.source
    assert source.count("rows_logsumexp(") == 2 and "rows_sum(" in source and "logsumexp_all(" in source
    for x in (0.4, -1.3):
        ref_loss, ref_grads = eager(lambda: fn(Value(x)), [], params)  # noqa: B023 - used at once
        loss, grads = tape.evaluate([x])
        assert loss == pytest.approx(ref_loss, rel=1e-12, abs=1e-12)
        assert grads == pytest.approx(ref_grads, rel=1e-12, abs=1e-12)


def test_the_row_logsumexp_is_nan_exactly_when_an_entry_is_not_finite() -> None:
    import math

    import numpy as np

    from autograd.helpers import logsumexp_all
    from autograd.replay.row_reductions import rows_logsumexp

    big = np.full(20, 1e308)  # finite entries whose plain sum overflows: still an ordinary logsumexp
    assert rows_logsumexp(big) == logsumexp_all(*big.tolist()) == pytest.approx(1e308 + math.log(20))
    for bad in (math.inf, -math.inf, math.nan):
        x = np.linspace(-2.0, 3.0, 20)
        x[7] = bad
        assert math.isnan(rows_logsumexp(x))
    x = np.linspace(-2.0, 3.0, 20)
    assert rows_logsumexp(x) == logsumexp_all(*x.tolist())  # the scalar helper's bits
