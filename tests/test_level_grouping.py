"""The level program's two ways of finding its groups (`levels._groups_by_sort`, numpy sorts for a large graph;
`levels._groups_by_dict`, a dict for a graph of at most `levels.FEW_NODES` op nodes) give the groups a plain
reference grouping gives: op nodes keyed by (level, op in order of first appearance, fan-in), keys ascending,
positions ascending within a group, and as large the groups reading at least `levels.SMALL_GROUP` parents.
"""

from __future__ import annotations

import random

import pytest

from autograd import Value, dot
from autograd.replay import record

np = pytest.importorskip("numpy")
levels = pytest.importorskip("autograd.replay.levels")

from test_replay import random_graph_fn  # noqa: E402  (after the numpy skip)


def reference(graph) -> tuple[list[int], list[int], list[int]]:  # type: ignore[no-untyped-def]
    first = graph.given_count
    codes: dict[object, int] = {}
    keyed = []
    for n in range(first, len(graph)):
        op = graph.ops[n]
        if op is None:
            continue
        if op not in codes:
            codes[op] = len(codes)
        keyed.append(((graph.levels[n], codes[op], len(graph.args(n))), n - first))
    keyed.sort()  # by key, then by position
    order, bounds, large = [], [0], []
    for k, (key, position) in enumerate(keyed):
        order.append(position)
        if k + 1 == len(keyed) or keyed[k + 1][0] != key:
            bounds.append(len(order))
            if (bounds[-1] - bounds[-2]) * key[2] >= levels.SMALL_GROUP:
                large.append(len(bounds) - 2)
    return order, bounds, large


def tables(graph):  # type: ignore[no-untyped-def]
    """The op nodes' levels and fan-ins as `LevelProgram._plan` reads them (a dot row's fan-in is its links)."""
    first = graph.given_count
    node_levels = np.array(graph.levels[first:], dtype=np.int32)
    fan_in = np.array([len(graph.args(n)) for n in range(first, len(graph))], dtype=np.intp)
    return graph.tail_ops, node_levels, fan_in


def layered(seed: int):  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    widths = [3, 5, 4, 2]
    layers = [[[Value(rng.uniform(-0.5, 0.5)) for _ in range(a + 1)] for _ in range(b)]
              for a, b in zip(widths, widths[1:])]
    params = [w for layer in layers for row in layer for w in row]

    def fn(*xs: Value) -> Value:
        h: list[Value | float] = list(xs)
        for layer in layers:
            h = [dot(row, [*h, 1.0]).tanh() for row in layer]
        return sum(h, Value(0.0)) * 0.5  # type: ignore[arg-type]

    return fn, params


@pytest.mark.parametrize("small_group", [1, 6, 10**9])
@pytest.mark.parametrize("seed", range(6))
def test_both_groupings_equal_a_reference_grouping(seed: int, small_group: int,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(levels, "SMALL_GROUP", small_group)
    rng = random.Random(40 + seed)
    params = [Value(rng.uniform(-1, 1)) for _ in range(3)]
    graphs = [record(random_graph_fn(seed, params), [0.2, 0.3], params).graph]
    fn, weights = layered(seed)
    graphs.append(record(fn, [0.1, -0.4, 0.3], weights).graph)
    for graph in graphs:
        want = reference(graph)
        for grouping in (levels._groups_by_sort, levels._groups_by_dict):
            by_group, bounds, large = grouping(*tables(graph))
            assert (by_group.tolist(), list(bounds), list(large)) == want
