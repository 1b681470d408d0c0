"""The tour's step-through page lays row 1 out as its picture does, and sizes its boxes for "grad not computed"."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from conftest import needs_svg
from svg_shapes import read_drawing

from lecture.graph_pictures import line_up_inputs_with_weights, row_inputs
from lecture.slide_names import mlp_names
from lecture.slides_mlp import worked_example
from viz import step_through_page

SVG = "{http://www.w3.org/2000/svg}"


def tour_page() -> str:
    ex = worked_example()
    return step_through_page(ex.row.E, parameters=ex.row_model.parameters(), first_column=row_inputs(ex),
                             names=mlp_names(ex.row_model, ex.row.E))


@needs_svg
def test_the_step_through_draws_row_1_s_inputs_in_a_column_left_of_the_weights() -> None:
    svg = re.search(r"<svg.*</svg>", tour_page(), flags=re.S).group()
    at = {}
    for g in ET.fromstring(svg).iter(f"{SVG}g"):
        if g.get("class") == "node":
            text = next(g.iter(f"{SVG}text"))
            at[text.text] = (float(text.get("x")), float(text.get("y")))
    inputs = [at[f"a0[{i}]"] for i in range(4)]
    assert max(x for x, _ in inputs) - min(x for x, _ in inputs) < 1  # one column
    assert [y for _, y in inputs] == sorted(y for _, y in inputs)  # a0[0] .. a0[3] downwards
    assert inputs[0][0] < min(at[f"w1[{i},{k}]"][0] for i in range(4) for k in (1, 2))


@needs_svg
def test_the_step_through_svg_is_laid_out_with_frame_0_s_text() -> None:
    # Every gradient but dE/dE reads "not computed" in the embedded SVG, so Graphviz sized the boxes for it.
    svg = re.search(r"<svg.*</svg>", tour_page(), flags=re.S).group()
    grads = [t.text for t in ET.fromstring(svg).iter(f"{SVG}text") if (t.text or "").startswith("grad ")]
    assert grads.count("grad 1.0000") == 1 and len(grads) > 20
    assert set(grads) == {"grad 1.0000", "grad not computed"}


@needs_svg
def test_the_tour_s_step_through_puts_the_inputs_between_the_weights_and_no_edge_loops_around_them() -> None:
    # Left of the weights (above), a0[3]'s edge into neuron 2's sum ran under w1[3,2], a0[2]'s around w1[0,2]:
    # the tour arranges the page as row 1's picture, the inputs between neuron 1's weights and neuron 2's.
    ex = worked_example()
    page = step_through_page(ex.row.E, parameters=ex.row_model.parameters(), first_column=row_inputs(ex),
                             names=mlp_names(ex.row_model, ex.row.E),
                             arrange=lambda graph: line_up_inputs_with_weights(graph, ex.row_model))
    d = read_drawing(re.search(r"<svg.*</svg>", page, flags=re.S).group())
    root = ET.fromstring(re.search(r"<svg.*</svg>", page, flags=re.S).group())
    name = {g.find(f"{SVG}title").text: next(g.iter(f"{SVG}text")).text
            for g in root.iter(f"{SVG}g") if g.get("class") == "node"}
    ids = {text: node for node, text in name.items()}
    column = [*(f"w1[{i},1]" for i in range(4)), *(f"a0[{i}]" for i in range(4)), *(f"w1[{i},2]" for i in range(4))]
    tops = [d.nodes[ids[n]].top for n in column]
    assert tops == sorted(tops)
    assert max(d.nodes[ids[n]].left for n in column) < min(d.nodes[ids[n]].right for n in column)  # one column
    sums = [node for node, text in name.items() if text == "w·x"]
    assert len(sums) == 4
    for (tail, head), paths in d.edges.items():
        if head in sums:
            for path in paths:
                ys = [y for _, y in path]
                top = min(d.nodes[tail].top, d.nodes[head].top)
                bottom = max(d.nodes[tail].bottom, d.nodes[head].bottom)
                assert top - 2 <= min(ys) and max(ys) <= bottom + 2, (name[tail], min(ys), max(ys))
    with pytest.raises(TypeError, match="arrange must be a function"):
        step_through_page(ex.row.E, arrange="columns")  # type: ignore[arg-type]
