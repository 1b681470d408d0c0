"""Hostile input, round 27: draw_graph's mappings and limits checked where they are given.

Before: ``draw_graph(y, gradients={x: "a"})`` failed deep in the drawing with "bad operand type for abs(): 'str'";
``legend={"root": 5}`` with "expected string or bytes-like object, got 'int'" (from a regular expression), and a
legend with a key that is no str next to an unknown one with "'<' not supported between instances of 'int' and
'str'"; none named the argument. ``max_nodes=0`` or ``-1`` (no graph has fewer than one node: the root) was
a GraphTooLarge saying "the graph has more than -1 nodes"; now a ValueError naming max_nodes, in every drawing
function that takes it.
"""

from __future__ import annotations

import math

import pytest

from autograd import Value
from viz import GraphTooLarge, draw_gradient_graph, draw_graph, step_through_page


def _graph() -> tuple[Value, Value]:
    x = Value(2.0, label="x")
    return x, (x * x + 1.0).tanh()


@pytest.mark.parametrize("bad", ["a", [1.0], Value(1.0), 1 + 2j, b"1"])
def test_a_gradient_that_is_no_number_is_named(bad: object) -> None:
    x, y = _graph()
    with pytest.raises(TypeError, match=r"gradients maps Values to numbers \(or None\), got .* for Value"):
        draw_graph(y, gradients={x: bad})


def test_gradients_keyed_by_something_else_are_named() -> None:
    _, y = _graph()
    with pytest.raises(TypeError, match="gradients maps Values to numbers .*got a key of type str 'x'"):
        draw_graph(y, gradients={"x": 1.0})


def test_numbers_and_none_are_still_drawn_as_given() -> None:
    x, y = _graph()
    source = draw_graph(y, gradients={x: 0.25, y: None}).source
    assert "0.2500" in source
    assert draw_graph(y, gradients={x: 3}).source  # an int is a number
    assert draw_graph(y, gradients={x: math.inf}).source  # shown as it is: a picture hides nothing


@pytest.mark.parametrize("bad", [5, None, ["a"], b"root"])
def test_a_legend_text_that_is_no_str_is_named(bad: object) -> None:
    _, y = _graph()
    with pytest.raises(TypeError, match=r"legend maps roles to their meaning \(a str\), got .* for 'root'"):
        draw_graph(y, legend={"root": bad})


def test_a_legend_key_that_is_no_str_is_named() -> None:
    _, y = _graph()
    with pytest.raises(ValueError, match="unknown legend entry 5: choose among root, parameter"):
        draw_graph(y, legend={5: "five"})
    with pytest.raises(ValueError, match="unknown legend entry (5|'zzz'): choose among root, parameter"):
        draw_graph(y, legend={5: "five", "zzz": "z"})  # was a TypeError from sorting int and str keys


@pytest.mark.parametrize("limit", [0, -1, -10**30])
def test_max_nodes_below_one_is_a_value_error_naming_it(limit: int) -> None:
    x, y = _graph()
    y.backward()
    for draw in (lambda: draw_graph(y, max_nodes=limit), lambda: step_through_page(y, max_nodes=limit)):
        with pytest.raises(ValueError, match=f"max_nodes must be at least 1, got {limit}") as caught:
            draw()
        assert not isinstance(caught.value, GraphTooLarge)
    (g,) = __import__("autograd").grad(y, [x], create_graph=True)
    with pytest.raises(ValueError, match=f"max_nodes must be at least 1, got {limit}"):
        draw_gradient_graph(g, y, max_nodes=limit)


def test_max_nodes_of_one_still_refuses_a_bigger_graph_as_too_large() -> None:
    _, y = _graph()
    with pytest.raises(GraphTooLarge):
        draw_graph(y, max_nodes=1)
