"""A gate's inputs are drawn top to bottom in the order the gate takes them (a0[0], a0[1], ...)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from conftest import needs_svg

from autograd import Value
from lecture.slide_names import mlp_names
from lecture.slides_mlp import worked_example
from viz import draw_graph
from viz.render import render_source

SVG = "{http://www.w3.org/2000/svg}"


def tops(svg: bytes) -> dict[str, float]:
    """Each drawn node's first text line -> the y of that line (SVG y grows downwards)."""
    where = {}
    for g in ET.fromstring(svg).iter(f"{SVG}g"):
        if g.get("class") == "node":
            first = next(g.iter(f"{SVG}text"))
            where[str(first.text)] = float(first.get("y", "nan"))
    return where


@needs_svg
def test_the_step_through_graph_lists_the_slides_inputs_a0_0_to_a0_3_downwards() -> None:
    # The step-through page's picture: row 1 of the slides' MLP, named as on the slides, no clusters.
    ex = worked_example()
    graph = draw_graph(ex.row.E, parameters=ex.row_model.parameters(), names=mlp_names(ex.row_model, ex.row.E))
    y = tops(render_source(graph.source, "svg"))
    inputs = [y[f"a0[{k}]"] for k in range(4)]  # a0[0] = 1 is the bias input, a0[1..3] = 1, 4, 5 (slide 9)
    assert inputs == sorted(inputs) and len(set(inputs)) == 4, inputs


@needs_svg
def test_inputs_taken_in_contradicting_orders_keep_the_first_gates_order_and_still_render() -> None:
    x, y, z = Value(2.0, label="x"), Value(3.0, label="y"), Value(5.0, label="z")
    # x above y, y above z; then z above x would close a cycle Graphviz cannot honour, so it is left out.
    loss = x * y + y * z + z * x
    source = draw_graph(loss).source
    # Nodes are numbered in reading order: v0 x, v1 y, v2 x·y, v3 z, v4 y·z. Besides x above y above z, the
    # first sum's two products (one depth) are lined up as it takes them: x·y above y·z.
    invisible = set(re.findall(r"(v\d+) -> (v\d+) \[style=invis\]", source))
    assert invisible == {("v0", "v1"), ("v1", "v3"), ("v2", "v4")}, invisible
    assert source.count("style=invis") == 3
    where = tops(render_source(source, "svg"))
    assert where["x"] < where["y"] < where["z"]
    assert where["data 6.0000"] < where["data 15.0000"]
