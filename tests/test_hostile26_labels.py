"""A label set to something other than a str is drawn as its text (hostile26).

``Value(2.0, label=5)`` stores "5", but ``v.label = 5`` (or None, bytes, any object) stores what it is given,
and draw_graph, step_through_page and draw_gradient_graph then failed inside with "sequence item 0: expected
str instance, int found" or "expected string or bytes-like object, got 'NoneType'".
"""

from __future__ import annotations

from typing import Any

import pytest
from conftest import needs_svg

import viz
from autograd import Value


@needs_svg  # the step-through page is laid out by Graphviz
@pytest.mark.parametrize("label", [5, None, b"x", 2.5])
def test_every_picture_draws_a_label_that_is_no_str(label: Any) -> None:
    a = Value(2.0)
    a.label = label
    y = (a * 3.0).tanh()
    y.label = label
    y.backward()
    source = viz.draw_graph(y).source
    page = viz.step_through_page(y)
    gradient = viz.draw_gradient_graph(y, a).source
    if label is not None:  # None draws as no label
        assert str(label) in source and str(label) in gradient
    assert "<html" in page.lower()
    # the engine's own label is untouched: drawing does not rename
    assert a.label == label
