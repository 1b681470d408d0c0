"""A label is a str: ``v.label = 5`` is refused by the engine, and the pictures still draw any label as text.

Before (hostile26): ``Value(2.0, label=5)`` stored "5", but ``v.label = 5`` (or None, bytes, any object) stored
what it was given, and draw_graph, step_through_page and draw_gradient_graph then failed inside with "sequence
item 0: expected str instance, int found" (first fixed in viz alone, by `viz.names.label_of`). Now the setter
refuses what is not a str, by name; the engine's own writes go to the slot (``Value._label``), so building a
node costs what it did (bench/bench_vs_micrograd.py's eager W1 row, measured before and after).
"""

from __future__ import annotations

from typing import Any

import pytest
from conftest import needs_svg

import viz
from autograd import Value


@pytest.mark.parametrize("label", [5, None, b"x", 2.5, ["a"]])
def test_setting_a_label_that_is_no_str_is_refused_by_name(label: Any) -> None:
    a = Value(2.0, label="a")
    with pytest.raises(TypeError, match=rf"^Value\.label must be a str, got {type(label).__name__} "):
        a.label = label
    assert a.label == "a"  # unchanged


def test_a_str_subclass_is_stored_as_a_plain_str_and_the_constructor_still_converts() -> None:
    class Name(str):
        pass

    a = Value(2.0)
    a.label = Name("w1[0,1]")
    assert a.label == "w1[0,1]" and a.label.__class__ is str
    assert Value(2.0, label=5).label == "5"  # the constructor's str(), as before (micrograd-compatible calls)
    b = a * 2.0
    b.label = "s"  # plain str writes, as every model does
    assert (b.label, (a * 2.0).label) == ("s", "")


@needs_svg  # the step-through page is laid out by Graphviz
@pytest.mark.parametrize("label", [5, None, b"x", 2.5])
def test_every_picture_draws_a_label_that_is_no_str(label: Any) -> None:
    # Only the engine's own slot can hold such a label now; the pictures still draw it as its text.
    a = Value(2.0)
    y = (a * 3.0).tanh()
    for v in (a, y):
        Value.__dict__["_label"].__set__(v, label)
    y.backward()
    source = viz.draw_graph(y).source
    page = viz.step_through_page(y)
    gradient = viz.draw_gradient_graph(y, a).source
    if label is not None:  # None draws as no label
        assert str(label) in source and str(label) in gradient
    assert "<html" in page.lower()
    assert a.label == label  # drawing does not rename
