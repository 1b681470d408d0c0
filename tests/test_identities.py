"""`autograd.replay.identities` copies a list's item table instead of calling ``id`` per item (issue 12 goal 1):
the ids must be exactly ``id(v)`` of every item, in order, on the fast path and on the portable one, and a
lazily numbered record must equal the eager engine on either."""

from __future__ import annotations

import random

import pytest

from autograd import Value, dot
from autograd.replay import record

np = pytest.importorskip("numpy")
identities = pytest.importorskip("autograd.replay.identities")
given_index = pytest.importorskip("autograd.replay.given_index")

from test_replay import eager  # noqa: E402  (after the numpy skip)


@pytest.mark.parametrize("fast", [True, False], ids=["item-table", "map-id"])
def test_identities_are_the_ids_of_the_items_in_order(fast: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(identities, "_FAST", fast and identities._FAST)
    values = [Value(float(k)) for k in range(1000)]
    values[10:20] = values[10:20][::-1]  # not in allocation order
    got = identities.identities(values)
    assert got.dtype == np.uint64
    assert got.tolist() == [id(v) for v in values]
    assert identities.identities([]).tolist() == []
    assert identities.identities(values[:1]).tolist() == [id(values[0])]


def test_the_item_table_copy_is_used_on_cpython() -> None:
    import sys

    if sys.implementation.name == "cpython":
        assert identities._FAST


@pytest.mark.parametrize("fast", [True, False], ids=["item-table", "map-id"])
def test_a_layered_record_numbered_lazily_equals_eager(fast: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(identities, "_FAST", fast and identities._FAST)
    monkeypatch.setattr(given_index, "LAZY_PARAMETERS", 1)
    rng = random.Random(8)
    layers = [[[Value(rng.uniform(-0.5, 0.5)) for _ in range(5)] for _ in range(4)],
              [[Value(rng.uniform(-0.5, 0.5)) for _ in range(5)] for _ in range(3)]]
    params = [w for layer in layers for row in layer for w in row]
    rng.shuffle(params)  # the walk then finds every row's first weight by binary search over the sorted ids

    def fn(*xs: Value) -> Value:
        h: list[Value | float] = list(xs)
        for layer in layers:
            h = [dot(row, [*h, 1.0]).tanh() for row in layer]
        return sum(h, Value(0.0))  # type: ignore[arg-type]

    tape = record(fn, [0.3, -0.1, 0.6, 0.2], params)
    for xs in ([0.3, -0.1, 0.6, 0.2], [-0.7, 0.4, 0.1, 0.9]):
        loss, grads = tape.evaluate(xs)
        ref_loss, ref_grads = eager(fn, xs, params)
        assert loss == pytest.approx(ref_loss, rel=1e-12, abs=1e-12)
        assert grads == pytest.approx(ref_grads, rel=1e-12, abs=1e-12)
