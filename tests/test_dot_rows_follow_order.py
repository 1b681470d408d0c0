"""Rows that are not beside each other in the parameter list, met in a repeating order (an LSTM's gates).

`dot_rows.DotRows` finds a row's first weight beside the previous row's by pointer comparisons; an LSTM gate row
reads only the hidden part of its weights (17 of 43), so its rows are never beside each other, and each row used
to be searched for (W5's record: 37 ms, 27.6 after). The position that followed a row last time is now tried
first, and believed only when the parameter there is the row's own first weight. These checks pin that the rows
are still all found, that the rebuilt parents table is the Values' own, and that every replay mode equals the
eager engine, also when the order changes from one time step to the next (a remembered position then wrong).
"""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest

from autograd import Value, dot

pytest.importorskip("numpy")

from test_dot_row_descriptors import assert_every_mode_equals_eager, reference_parents  # noqa: E402


def strided_rows(rng: random.Random, rows: int, skip: int, width: int) -> tuple[list[list[Value]], list[Value]]:
    """``rows`` rows of ``skip`` unread weights then ``width`` read ones, listed one row after another."""
    table = [[Value(rng.uniform(-0.5, 0.5)) for _ in range(skip + width)] for _ in range(rows)]
    return table, [w for row in table for w in row]


def recurrence(table: list[list[Value]], skip: int, steps: int, order: Callable[[int], list[int]]) -> Callable:
    """A tanh recurrence over ``steps`` steps, h_k = tanh(row_k . h'), where step t reads h in ``order(t)``: the
    graph walk meets the rows of step t - 1 in that order (a row's parents are visited input after input)."""
    def fn(*xs: Value) -> Value:
        h: list[Value | float] = list(xs)
        for t in range(steps):
            seen = [h[j] for j in order(t)]
            h = [dot(row[skip:], seen).tanh() for row in table]
        total = Value(0.0)
        for v in h:
            total = total + v * v
        return total

    return fn


@pytest.mark.parametrize("many", [False, True], ids=["numbered-at-once", "numbered-lazily"])
def test_rows_never_beside_each_other_are_all_found_and_equal_eager(many: bool) -> None:
    rows, skip = (24, 90) if many else (4, 5)  # 24 x (90 + 24) > 2,048 parameters: the lazy index
    table, params = strided_rows(random.Random(1), rows, skip, rows)
    fn = recurrence(table, skip, 6, lambda t: [2 * k % rows + (2 * k >= rows) for k in range(rows)])
    example = [random.Random(2).uniform(-1, 1) for _ in range(rows)]
    graph, dots = reference_parents(fn, example, params)
    assert len(graph.row_nodes) == rows * 6
    assert [list(graph.args(n)) for n, op in enumerate(graph.ops) if op is not None and op.name == "dot"] == dots
    assert_every_mode_equals_eager(fn, example, params)


def test_an_order_that_changes_every_step_is_not_believed_from_the_last_step() -> None:
    rows, skip = 5, 7
    table, params = strided_rows(random.Random(3), rows, skip, rows)
    orders = [[0, 1, 2, 3, 4], [4, 2, 0, 3, 1], [1, 3, 0, 4, 2]]
    fn = recurrence(table, skip, 7, lambda t: orders[t % 3])
    example = [0.3, -0.2, 0.5, 0.1, -0.7]
    graph, dots = reference_parents(fn, example, params)
    assert len(graph.row_nodes) == rows * 7
    assert [list(graph.args(n)) for n, op in enumerate(graph.ops) if op is not None and op.name == "dot"] == dots
    assert_every_mode_equals_eager(fn, example, params)
