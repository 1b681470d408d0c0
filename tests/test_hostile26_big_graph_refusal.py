"""A graph far over the drawing limit is refused after looking at about as many nodes as the limit allows.

The hostile sweep found `draw_graph` and `step_through_page` walking a graph of millions of nodes (some 10 s)
before refusing it as too large. Speed is not timed here (shared machines): the test counts the distinct nodes
whose parents the refusal reads, by wrapping the ``Value.parents`` property.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from autograd import Value
from viz import GraphTooLarge, draw_graph
from viz.step_through import step_through_page

CHAIN = 5_000  # ops: a graph of 10,001 boxes and gates


def _chain() -> Value:
    x = Value(0.5, label="x")
    y = x
    for _ in range(CHAIN):
        y = y + x
    return y


@pytest.fixture
def visited(monkeypatch: pytest.MonkeyPatch) -> Iterator[set[int]]:
    """The ids of the nodes whose ``.parents`` is read while the test runs."""
    seen: set[int] = set()
    original = Value.__dict__["parents"]

    def counting(self: Value) -> tuple[Value, ...]:
        seen.add(id(self))
        return original.fget(self)  # type: ignore[no-any-return]

    monkeypatch.setattr(Value, "parents", property(counting, doc=original.__doc__))
    yield seen


@pytest.mark.parametrize("limit", [10, 400])
def test_draw_graph_refuses_after_walking_about_the_limit(visited: set[int], limit: int) -> None:
    root = _chain()
    visited.clear()
    with pytest.raises(GraphTooLarge, match=rf"more than {limit} nodes to draw, over the limit of {limit}"):
        draw_graph(root, max_nodes=limit)
    # Each op node is a box and a gate (2 drawn nodes), so passing the limit takes about limit / 2 of them.
    assert 0 < len(visited) <= limit + 2


@pytest.mark.parametrize("limit", [10, 120])
def test_step_through_refuses_after_walking_about_the_limit(visited: set[int], limit: int) -> None:
    root = _chain()
    visited.clear()
    with pytest.raises(GraphTooLarge, match=rf"more than {limit} nodes, over the step-through limit of {limit}"):
        step_through_page(root, max_nodes=limit)
    assert 0 < len(visited) <= limit + 2


def test_a_graph_at_the_limit_is_still_drawn() -> None:
    # 3 ops + 1 leaf: 7 drawn nodes (a box and a gate per op), so a limit of 7 draws it and 6 refuses it
    x = Value(0.5, label="x")
    root = (x + x) * x + x
    assert "digraph" in draw_graph(root, max_nodes=7).source
    with pytest.raises(GraphTooLarge, match="more than 6 nodes"):
        draw_graph(root, max_nodes=6)


@pytest.mark.parametrize("limit", [10, 400])
def test_draw_gradient_graph_refuses_after_walking_about_the_limit(visited: set[int], limit: int) -> None:
    from autograd import grad
    from viz import draw_gradient_graph

    x = Value(0.5, label="x")
    y = x
    for _ in range(CHAIN // 10):
        y = (y * x).tanh()
    (dy,) = grad(y, [x], create_graph=True)  # a gradient graph several times the forward one
    visited.clear()
    with pytest.raises(GraphTooLarge, match=rf"have more than {limit} nodes to draw, over the limit of {limit}"):
        draw_gradient_graph(dy, y, max_nodes=limit)
    # a box and a gate per op node; a constant (1.0 of 1 - t*t) is one more node per use
    assert 0 < len(visited) <= limit + 2
