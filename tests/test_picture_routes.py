"""How the lecture pictures' edges run, read from the rendered SVG (tests/svg_shapes.py): no loops, no crossings.

Flaws a lecturer saw: the hello RNN's h_1 return arrow dipped under the frame of h_0 to reach its box;
row 1's bias input a0[0] (and a0[2], a0[3], a1[1]) looped around the neuron frames into their sums; each blue
edge carrying shared weights into a batch row crossed the grey edges from that row's inputs at its gates;
the LSTM step's vector [x_1, h_0, 1] looped under the output gate's frame to reach its sum.
"""

from __future__ import annotations

import re

from conftest import needs_svg
from svg_shapes import Drawing, crossings, read_drawing

from lecture.graph_pictures import batch_picture, hello_unrolled_picture, lstm_step_picture, row_picture
from lecture.slides_mlp import BATCH_ROWS, worked_example
from viz.bundles import first_lines
from viz.render import render_source


def drawn(picture_source: str) -> Drawing:
    return read_drawing(render_source(picture_source, "svg"))


@needs_svg
def test_each_carried_state_s_return_arrow_runs_level_along_the_gap_under_its_step() -> None:
    picture = hello_unrolled_picture()
    ids = {name: n for n, name in first_lines(picture).items()}
    d = drawn(picture.source)
    for t in (1, 2, 3):
        (arrow,) = d.edges[(ids[f"h_{t}"], f"carry_h_{t}_joint")]
        ys = [y for _, y in arrow]
        box = d.nodes[ids[f"h_{t}"]]
        # level: it drops less than the height of the box it points to (h_1's dropped 198 pt, under h_0's frame)
        assert max(ys) - min(ys) < box.bottom - box.top, (t, min(ys), max(ys))
        # and in the gap between step t's frame and step t+1's, crossing neither
        assert d.clusters[f"t={t}"].bottom <= min(ys) and max(ys) <= d.clusters[f"t={t + 1}"].top, t


@needs_svg
def test_h_0_is_drawn_in_step_1_under_x_1() -> None:
    picture = hello_unrolled_picture()
    ids = {name: n for n, name in first_lines(picture).items()}
    d = drawn(picture.source)
    step = d.clusters["t=1"]
    inputs = [d.nodes[ids["x_1[h] ('h')"]], *(d.nodes[ids[f"x_1[{c}]"]] for c in "elo")]
    state = [d.nodes[ids[f"h_0[{k}]"]] for k in range(3)]
    column = [*inputs, *state]
    assert all(step.contains(((b.left + b.right) / 2, (b.top + b.bottom) / 2)) for b in state)
    assert [b.top for b in column] == sorted(b.top for b in column)  # x_1[h] .. x_1[o], then h_0[0] .. h_0[2]
    assert max(b.left for b in column) - min(b.left for b in column) < 1  # one column


def _gate_inputs(source: str, gate_value: str) -> dict[str, str]:
    """DOT id of each node with an edge into the gate computing ``gate_value`` -> its name."""
    names = first_lines_of(source)
    gate = next(n for n, name in names.items() if name == gate_value) + "op"
    return {a: names.get(a, a) for a in re.findall(rf"\t+(\w+) -> {gate}\b", source)}


def first_lines_of(source: str) -> dict[str, str]:
    return {m.group(1): m.group(2) for m in re.finditer(r'\t+(\w+) \[label="([^"\\]*)', source)}


@needs_svg
def test_no_edge_into_row_1_s_sums_strays_above_or_below_its_two_ends() -> None:
    # An edge that loops around a neuron's frame leaves the band between its tail's box and its gate.
    source = row_picture(worked_example()).source
    d = drawn(source)
    names = first_lines_of(source)
    checked = 0
    for value in ("s1[1]", "s1[2]", "s2[1]", "s2[2]"):
        gate = next(n for n, name in names.items() if name == value) + "op"
        for tail in _gate_inputs(source, value):
            for path in d.edges[(tail, gate)]:
                top = min(d.nodes[tail].top, d.nodes[gate].top)
                bottom = max(d.nodes[tail].bottom, d.nodes[gate].bottom)
                ys = [y for _, y in path]
                assert top - 2 <= min(ys) and max(ys) <= bottom + 2, (names.get(tail), value, min(ys), max(ys))
                checked += 1
    assert checked == 2 * (4 + 4) + 2 * (3 + 3)  # each sum reads its weights and its inputs


@needs_svg
def test_row_1_s_inputs_stand_between_their_layer_s_two_columns_of_weights() -> None:
    picture = row_picture(worked_example())
    ids = {name: n for n, name in first_lines(picture).items()}
    d = drawn(picture.source)
    layer_1 = [*(f"w1[{i},1]" for i in range(4)), *(f"a0[{i}]" for i in range(4)), *(f"w1[{i},2]" for i in range(4))]
    layer_2 = [*(f"w2[{i},1]" for i in range(3)), "a1[0]", *(f"w2[{i},2]" for i in range(3))]
    for column in (layer_1, layer_2):
        boxes = [d.nodes[ids[name]] for name in column]
        assert [b.top for b in boxes] == sorted(b.top for b in boxes), column  # top to bottom in this order
        assert max(b.left for b in boxes) - min(b.right for b in boxes) < 0, column  # overlapping in x: a column


@needs_svg
def test_no_blue_weight_edge_crosses_a_grey_edge_from_a_row_s_inputs_into_its_sums() -> None:
    source = batch_picture(worked_example()).source
    d = drawn(source)
    names = first_lines_of(source)
    boxes = [n for n, name in names.items() if re.fullmatch(r"w\d\[i,\d\]", name)]
    blue = [path for (a, b), paths in d.edges.items()
            if a in boxes or any(a.startswith(f"{box}_") for box in boxes) for path in paths]
    grey = [path for (a, b), paths in d.edges.items()
            if b.endswith("op") and re.match(r"a[01]\[\d\] \(r=\d\)", names.get(a, "")) for path in paths]
    assert len(grey) == BATCH_ROWS * (4 * 2 + 3 * 2)  # a0[0..3] into both layer-1 sums, a1[0..2] into layer 2's
    assert sum(crossings(b, g) for b in blue for g in grey) == 0  # there were 60
    assert len(blue) == 4 * BATCH_ROWS * 2  # box -> a point in each row, point -> the row's gate


@needs_svg
def test_the_lstm_step_s_vector_reaches_each_gate_without_looping_past_it() -> None:
    # [x_1, h_0, 1] feeds the 4 gates' sums; its edge to o looped under o's frame and came back up into it.
    source = lstm_step_picture().source
    d = drawn(source)
    names = first_lines_of(source)
    vector = next(n for n, name in names.items() if name == "[x_1, h_0, 1]")
    pieces = [(a, b) for a, b in d.edges if a == vector]
    pieces += [(a, b) for a, b in d.edges if any(a == point for _, point in pieces)]
    assert len(pieces) == 2 * 4  # to a point in each gate's frame, and on into that gate
    for a, b in pieces:
        for path in d.edges[(a, b)]:
            top = min(d.nodes[a].top, d.nodes[b].top)
            bottom = max(d.nodes[a].bottom, d.nodes[b].bottom)
            ys = [y for _, y in path]
            # 6 pt: a spline bulges a little as it curves into a point 3.6 pt wide; the loop strayed 190 pt
            assert top - 6 <= min(ys) and max(ys) <= bottom + 6, (names.get(a), names.get(b[:-2]), min(ys), max(ys))
