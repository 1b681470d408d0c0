"""The tour's step-through page lays row 1 out as its picture does, and sizes its boxes for "grad not computed"."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from conftest import needs_svg

from lecture.graph_pictures import row_inputs
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
