"""The hello RNN film names its weights so a reader can match them to the drawing and the slides, and the
collapsed hello RNN picture's title says how it is laid out (new-user trial 26).

The film's table wrote ``Wxh[0][3]``: counted from 0 where the slides write h_1 x_1 (from 1), with nothing on
the page saying so, and a column number where the drawing names the input by its character (x_t['o']). The
collapsed picture's title said "left to right, top to bottom" (rows of boxes), where dot draws the steps on a
diagonal.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from conftest import needs_svg

from lecture.graph_pictures import hello_unrolled_picture
from lecture.hello_rnn import HELLO_VOCAB, HELLO_WHY, HELLO_WXH, hello_rnn_example
from lecture.training_film import hello_rnn_film, hello_rnn_film_page

SVG = "{http://www.w3.org/2000/svg}"


def test_each_weight_is_named_by_the_units_its_edge_joins() -> None:
    network, frames = hello_rnn_film(steps=1)
    for edge in network.edges:
        source, target = re.search(r"\[(.+)\]", edge.source), re.search(r"\[(.+)\]", edge.target)
        assert source and target, edge
        if edge.source.startswith("x_t"):  # x_t['c'] -> h_t[k]: Wxh[k,'c']
            assert edge.name == f"Wxh[{target.group(1)},{source.group(1)}]", edge
        elif edge.target.startswith("h_t"):  # h_(t-1)[m] -> h_t[k]: Whh[k,m]
            assert edge.name == f"Whh[{target.group(1)},{source.group(1)}]", edge
        else:  # h_t[k] -> s2_t['c']: Why['c',k]
            assert edge.name == f"Why[{target.group(1)},{source.group(1)}]", edge
    # The tutorial's matrices at frame 0, by name: rows are hidden units (Wxh) or characters (Why).
    weights = dict(zip([e.name for e in network.edges], frames[0].weights))
    assert weights["Wxh[0,'h']"] == HELLO_WXH[0][0] and weights["Wxh[2,'o']"] == HELLO_WXH[2][3]
    assert weights["Why['o',1]"] == HELLO_WHY[3][1]


def test_the_films_names_agree_with_the_reports_table_and_the_page_says_the_indexing() -> None:
    network, frames = hello_rnn_film(steps=1)
    gradients = dict(zip([e.name for e in network.edges], frames[0].gradients))
    report = hello_rnn_example()  # its dWxh table: rows h[0]..h[2], columns the characters
    for k in range(3):
        for i, c in enumerate(HELLO_VOCAB):
            assert gradients[f"Wxh[{k},'{c}']"] == report.dWxh[k][i]
    page = hello_rnn_film_page(steps=1)
    note = re.search(r'<p id="note">([^<]*)</p>', page)
    assert note, "the page says nothing about how its weights are named"
    text = note.group(1).replace("&#x27;", "'")
    assert "count from 0" in text and "slides count from 1" in text and "h_1 x_1 is Wxh[0,'h']" in text, text
    assert "Wxh[0][0]" not in page


def test_the_collapsed_title_no_longer_claims_rows_and_the_expanded_one_is_unchanged() -> None:
    collapsed = hello_unrolled_picture(collapsed=True).source
    assert "left to right, top to bottom" not in collapsed
    assert "t = 1..4 on a diagonal from h_0 (each time step collapsed into one box)" in collapsed
    assert "t = 1..4 top to bottom (shared weights not drawn)" in hello_unrolled_picture().source


@needs_svg
def test_the_collapsed_boxes_are_drawn_on_the_diagonal_the_title_names() -> None:
    from viz.render import render_source

    svg = render_source(hello_unrolled_picture(collapsed=True).source, "svg")
    centres = {}
    for g in ET.fromstring(svg).iter(f"{SVG}g"):
        if g.get("class") == "node":
            text = next(g.iter(f"{SVG}text"))
            centres[text.text] = (float(text.get("x") or "nan"), float(text.get("y") or "nan"))
    boxes = [centres["h_0"]] + [centres[f"t={t}"] for t in range(1, 5)]
    for (x0, y0), (x1, y1) in zip(boxes, boxes[1:]):
        assert x1 > x0 and y1 >= y0, boxes  # each a column right of, and not above, the one before
    assert boxes[-1][1] > boxes[0][1], boxes  # and the last lower than h_0: a diagonal, not one row
