"""Hostile arguments to the public drawing functions: each is a clear error naming the argument, or works."""

from __future__ import annotations

import math
import threading

import pytest
from conftest import needs_svg

import viz
from autograd import Value
from lecture.slide_names import draw_named
from nn import MLP


def _product() -> tuple[Value, Value, Value]:
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c = a * b
    c.backward()
    return a, b, c


@pytest.mark.parametrize("not_a_value", [1.5, None, [Value(1.0)], "c"])
def test_step_through_page_names_a_root_that_is_no_value(not_a_value: object) -> None:
    with pytest.raises(TypeError, match="step_through_page needs a Value, got"):
        viz.step_through_page(not_a_value)  # type: ignore[arg-type]


@pytest.mark.parametrize("not_a_value", [1.5, None, [Value(1.0)]])
def test_draw_named_names_a_root_that_is_no_value(not_a_value: object) -> None:
    with pytest.raises(TypeError, match="draw_named needs root to be a Value, got"):
        draw_named(MLP(2, [2, 1]), not_a_value)  # type: ignore[arg-type]


@pytest.mark.parametrize("decimals", [-1, 2.5, None, True, 13])
def test_step_through_page_checks_decimals_as_draw_graph_does(decimals: object) -> None:
    _, _, c = _product()
    with pytest.raises(ValueError, match=r"decimals must be an integer in 0\.\.12"):
        viz.step_through_page(c, decimals=decimals)  # type: ignore[arg-type]


def test_draw_graph_refuses_true_as_a_digit_count() -> None:
    _, _, c = _product()
    with pytest.raises(ValueError, match=r"decimals must be an integer in 0\.\.12, got True"):
        viz.draw_graph(c, decimals=True)


@pytest.mark.parametrize("draw", [viz.draw_graph, viz.step_through_page])
def test_max_nodes_and_title_of_the_wrong_type_are_named(draw) -> None:  # type: ignore[no-untyped-def]
    _, _, c = _product()
    with pytest.raises(TypeError, match="max_nodes must be an integer, got str"):
        draw(c, max_nodes="5")
    with pytest.raises(TypeError, match="title must be a str, got int"):
        draw(c, title=5)


@pytest.mark.parametrize("names", [{"a": "x"}, "a"])
def test_names_that_are_no_value_to_str_mapping_are_named(names: object) -> None:
    a, _, c = _product()
    with pytest.raises(TypeError, match="names must"):
        viz.draw_graph(c, names=names)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="names must map Values to str, got Value -> int"):
        viz.draw_graph(c, names={a: 3})  # type: ignore[dict-item]


@needs_svg
def test_an_infinite_timeout_renders_without_a_deadline_and_without_a_failing_thread(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _, _, c = _product()
    failures: list[BaseException | None] = []
    monkeypatch.setattr(threading, "excepthook", lambda args: failures.append(args.exc_value))
    svg = viz.render_source(viz.draw_graph(c).source, "svg", timeout=math.inf)
    assert b"<svg" in svg and "data &#45;6.0000" in svg.decode()  # a*b = 2*(-3) is drawn (Graphviz writes - as &#45;)
    assert failures == []


@pytest.mark.parametrize(("option", "bad", "message"), [
    ("parameters", None, "parameters must be an iterable of Values, got NoneType"),
    ("inputs", Value(1.0), "inputs must be an iterable of Values, got Value"),
    ("highlight", 1.0, "highlight must be an iterable of Values, got float"),
    ("parameters", [1.0], "parameters must be an iterable of Values, got an item of type float"),
    ("groups", [1], "groups must be a mapping, got list"),
    ("legend", 5, "legend must be a mapping, got int"),
    ("gradients", [0.5], "gradients must be a mapping, got list"),
])
def test_draw_graph_names_an_option_of_the_wrong_type(option: str, bad: object, message: str) -> None:
    _, _, c = _product()
    with pytest.raises(TypeError, match=message):
        viz.draw_graph(c, **{option: bad})  # type: ignore[arg-type]
