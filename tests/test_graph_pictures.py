"""The lecture's pictures (issue 10, item 3): the unrolled hello RNN, one LSTM step, the batch, from DOT and SVG."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

import pytest
from conftest import needs_svg

from lecture.graph_pictures import (
    batch_picture,
    hello_unrolled_graph,
    hello_unrolled_picture,
    lstm_step_picture,
    row_picture,
)
from lecture.hello_rnn import hello_rnn_example
from lecture.slides_mlp import worked_example
from viz import draw_graph
from viz.graph import ROLE_STYLE
from viz.render import render_source

SVG = "{http://www.w3.org/2000/svg}"


def first_lines(source: str) -> list[str]:
    """The first line of every boxed node's label in DOT source."""
    return re.findall(r'label="([^"\\]*)\\n', source)


def cluster_boxes(svg: bytes) -> dict[str, tuple[float, float]]:
    """Each cluster's label -> the (left x, top y) of its frame, in SVG coordinates."""
    boxes = {}
    for g in ET.fromstring(svg).iter(f"{SVG}g"):
        if g.get("class") == "cluster":
            label = next(t.text for t in g.iter(f"{SVG}text"))
            numbers = [float(n) for n in re.findall(r"-?\d+\.?\d*", g.find(f"{SVG}path").get("d"))]
            xs, ys = numbers[0::2], numbers[1::2]
            boxes[label] = (min(xs), min(ys))
    return boxes


def test_unrolled_hello_names_every_slide_quantity_once() -> None:
    names = first_lines(hello_unrolled_picture().source)
    assert "h0" not in names  # the three indistinguishable "h0" boxes are gone
    assert [n for n in names if n.startswith("h_0")] == ["h_0[0]", "h_0[1]", "h_0[2]"] or sorted(
        n for n in names if n.startswith("h_0")) == ["h_0[0]", "h_0[1]", "h_0[2]"]
    for t, char in enumerate("hell", start=1):
        assert names.count(f"x_{t}[{char}] ('{char}')") == 1  # the input character is drawn
        for k in range(3):
            assert names.count(f"h_{t}[{k}]") == 1 and names.count(f"s1_{t}[{k}]") == 1
        for j, c in enumerate("helo"):
            assert names.count(f"s2_{t}[{j}]") == 1 and names.count(f"ŷ_{t}[{c}]") == 1
        assert names.count(f"L_{t}") == 1
    assert not any(re.fullmatch(r"y\d\[\d\]", n) for n in names)  # the logits are s2, as on the slides


def test_unrolled_hello_numbers_are_the_worked_example() -> None:
    loss, names, groups, _ = hello_unrolled_graph()
    reference = hello_rnn_example()
    by_name = {name: v for v, name in names.items()}
    assert loss.data == pytest.approx(reference.loss, rel=1e-12)
    for t in range(1, 5):
        for k in range(3):
            assert by_name[f"h_{t}[{k}]"].data == pytest.approx(reference.hidden[t - 1][k], rel=1e-12)
        for j, c in enumerate("helo"):
            assert by_name[f"ŷ_{t}[{c}]"].data == pytest.approx(reference.probabilities[t - 1][j], rel=1e-12)
            assert groups[by_name[f"ŷ_{t}[{c}]"]] == f"t={t}"
        assert groups[by_name[f"x_{t}[h]" if t != 1 else "x_1[h] ('h')"]] == f"t={t}"


def test_each_time_step_is_one_cluster_declared_in_order() -> None:
    source = hello_unrolled_picture().source
    clusters = re.findall(r"subgraph cluster_\d+ \{\n\t+[^\n]*label=\"?([^\" ]+)\"?", source)
    assert clusters == ["t=1", "t=2", "t=3", "t=4"]  # h_0 is drawn in step 1 (tests/test_picture_routes.py)
    collapsed = hello_unrolled_picture(collapsed=True).source
    assert len(re.findall(r"shape=box3d", collapsed)) == 5  # h_0 and t=1..4; the total L stays a node
    assert re.search(r'label="t=1\\n\d+ nodes"', collapsed)


@needs_svg
def test_collapsed_time_steps_read_left_to_right_in_the_svg() -> None:
    svg = render_source(hello_unrolled_picture(collapsed=True).source, "svg")
    xs = {}
    for g in ET.fromstring(svg).iter(f"{SVG}g"):
        if g.get("class") == "node":
            text = next(t.text for t in g.iter(f"{SVG}text"))
            xs[text] = float(next(g.iter(f"{SVG}text")).get("x"))
    steps = [xs[f"t={t}"] for t in range(1, 5)]
    assert steps == sorted(steps) and len(set(steps)) == 4, steps
    assert xs["h_0"] <= steps[0]  # collapsed, h_0 is a box of its own, first


@needs_svg
def test_collapsed_step_losses_stand_in_one_column_and_their_ops_in_another() -> None:
    # New-user trial 24: collapsed, L_2 (and its op) stood a column left of L_1, L_3 and L_4.
    svg = render_source(hello_unrolled_picture(collapsed=True).source, "svg")
    by_id: dict[str, tuple[str, float]] = {}
    for g in ET.fromstring(svg).iter(f"{SVG}g"):
        if g.get("class") == "node":
            text = next(g.iter(f"{SVG}text"))
            by_id[next(g.iter(f"{SVG}title")).text or ""] = (text.text or "", float(text.get("x") or "nan"))
    losses = {node: x for node, (text, x) in by_id.items() if re.fullmatch(r"L_\d", text)}
    assert len(losses) == 4
    assert len({round(x, 1) for x in losses.values()}) == 1, losses
    ops = {node: by_id[f"{node}op"] for node in losses}
    assert {text for text, _ in ops.values()} == {"\u2212"}  # each L_t made by one minus gate
    assert len({round(x, 1) for _, x in ops.values()}) == 1, ops
    assert max(x for _, x in ops.values()) < min(losses.values())


@needs_svg
def test_time_steps_are_stacked_top_to_bottom_at_the_left_in_the_svg() -> None:
    # The steps once stood on a diagonal (each right of the one before: 4575 px wide, tiny text on a slide);
    # now each frame starts at the left edge, under the one before (h_0 in step 1's, under x_1).
    svg = render_source(hello_unrolled_picture().source, "svg")
    boxes = cluster_boxes(svg)
    tops = [boxes[f"t={t}"][1] for t in range(1, 5)]
    assert tops == sorted(tops) and len(set(tops)) == 4, tops
    lefts = [boxes[f"t={t}"][0] for t in range(1, 5)]
    assert max(lefts) - min(lefts) < 20, lefts
    width, height = (float(re.match(r"[\d.]+", ET.fromstring(svg).get(side)).group()) for side in ("width", "height"))
    assert width < 2 * height, (width, height)  # a slide's shape, not a strip


def test_lstm_step_names_gates_and_cell() -> None:
    source = lstm_step_picture().source
    names = first_lines(source)
    for name in ("i_1[0]", "f_1[0]", "g_1[0]", "o_1[0]", "c_1[0]", "tanh(c_1[0])", "h_1[0]", "c_0[0]", "h_0[0]",
                 "x_1[0]", "x_1[1]"):
        assert names.count(name) == 1, name
    values = {m.group(1): float(m.group(2)) for m in re.finditer(r'label="([^"\\]*)\\ndata (-?[\d.]+)', source)}
    # c_1 = f c_0 + i g and h_1 = o tanh(c_1), to the 3 decimals drawn.
    c = values["f_1[0]"] * values["c_0[0]"] + values["i_1[0]"] * values["g_1[0]"]
    assert values["c_1[0]"] == pytest.approx(c, abs=2e-3)
    assert values["h_1[0]"] == pytest.approx(values["o_1[0]"] * math.tanh(values["c_1[0]"]), abs=2e-3)


def test_batch_rows_are_named_with_r_in_the_colours_of_row_1() -> None:
    example = worked_example()
    source = batch_picture(example).source
    names = first_lines(source)
    for r in range(1, 5):
        for name in ("a0[0]", "a0[1]", "a0[3]", "s1[1]", "a1[2]", "s2[1]", "a2[2]", "E"):
            assert names.count(f"{name} (r={r})") == 1, (name, r)
    assert "s2[1]" not in names and "E" not in names and "a0[1]" not in names
    assert names.count("E (r=1..4)") == 1
    # The same fills as row 1's own graph: parameters blue, computed values white (no gradient colouring).
    row1 = draw_graph(example.row.E, parameters=example.row_model.parameters()).source
    fills = set(re.findall(r'fillcolor="(#[0-9a-f]{6})"', source))
    assert fills <= set(re.findall(r'fillcolor="(#[0-9a-f]{6})"', row1)) | {ROLE_STYLE["constant"]["fillcolor"],
                                                                          "#fff3bf"}
    assert "cluster_legend" in source and 'label="the loss"' in source


@needs_svg
def test_batch_rows_are_drawn_in_order_top_to_bottom() -> None:
    boxes = cluster_boxes(render_source(batch_picture(worked_example()).source, "svg"))
    tops = [boxes[f"r={r}"][1] for r in range(1, 5)]
    assert tops == sorted(tops), tops


def _legend_text(source: str) -> str:
    start = source.index("subgraph cluster_legend")
    return source[start:source.index("\n\t}", start)]


def test_each_legend_names_only_inputs_its_picture_draws() -> None:
    # The shared legend said "input (a0[i], x_t; a0[0] = 1 is the bias input)" in the batch picture (no x_t)
    # and in the LSTM step (no a0, and its loss is a stand-in, h_1[0] + c_1[0]).
    batch = _legend_text(batch_picture(worked_example()).source)
    assert "x_t" not in batch and "a0[i]" in batch and 'label="the loss"' in batch
    lstm_source = lstm_step_picture().source
    lstm = _legend_text(lstm_source)
    assert "a0" not in lstm and "x_1, state h_0, c_0" in lstm and "h_1[0] + c_1[0]" in lstm
    for name in ("x_1[0]", "h_0[0]", "c_0[0]", "h_1[0] + c_1[0]"):
        assert f'label="{name}\\n' in lstm_source, name



def test_every_legend_says_which_derivative_a_computed_box_shows() -> None:
    # New-user trial 21: the unrolled hello RNN's legend read "s1, h, s2, ŷ, L: data and dL/d", the derivative's
    # denominator cut off; the other pictures' legends say dLoss/d(value).
    for picture in (hello_unrolled_picture(), batch_picture(worked_example()), lstm_step_picture()):
        legend = _legend_text(picture.source)
        shown = re.findall(r'label="([^"]*: data and [^"]*)"', legend)
        assert len(shown) == 1, legend
        assert re.search(r"data and d(L|Loss)/d\(value\)$", shown[0]), shown[0]

# The LSTM step as a slide: the gates in the slides' order (forget, input, candidate, output, as in the
# illustrated guide the slides cite), each in its own cluster, and the inputs where the flow starts.
GATE_CLUSTERS = ["forget gate f", "input gate i", "candidate g", "output gate o"]
FIRST_COLUMN = ["c_0[0]", "x_1[0]", "x_1[1]", "h_0[0]", "bias input"]


def node_labels(source: str) -> dict[str, str]:
    """DOT node id -> the first line of its label."""
    found = re.finditer(r'^\s*(\w+) \[label=(?:"([^"\\]*)|(\S+))', source, re.M)
    return {m.group(1): m.group(2) if m.group(2) is not None else m.group(3) for m in found}


def cluster_blocks(source: str) -> dict[str, str]:
    """Each cluster's label -> its DOT text (top-level clusters only)."""
    blocks = {}
    for m in re.finditer(r"\n\tsubgraph cluster_\w+ \{\n\t\t[^\n]*label=\"?([^\"\n]+?)\"? style", source):
        end = source.index("\n\t}", m.start() + 1)
        blocks[m.group(1)] = source[m.start():end]
    return blocks


def test_lstm_step_draws_its_gates_in_the_order_its_title_names_them() -> None:
    source = lstm_step_picture().source
    title = re.search(r'^\tlabel="([^"]*)"', source, re.M).group(1)
    assert "gates f, i, g, o" in title
    blocks = cluster_blocks(source)
    assert [label for label in blocks if label != "legend"] == GATE_CLUSTERS  # written in that order
    for gate, label in zip("figo", GATE_CLUSTERS):
        names = first_lines(blocks[label])
        assert names == [f"{gate}_1[0]", f"z{gate}_1[0]", f"b_{gate}[0]", *(f"W_{gate}[0,{j}]" for j in (2, 1, 0))]


def test_lstm_step_inputs_are_one_column_at_the_left_and_the_bias_input_is_one_box() -> None:
    source = lstm_step_picture().source
    labels = node_labels(source)
    column = re.search(r"subgraph first_column \{\n\t\trank=same\n((?:\t\t\w+\n)+)", source).group(1).split()
    assert [labels[n] for n in column] == FIRST_COLUMN
    chain = re.findall(r"\t\t(\w+) -> (\w+) \[style=invis\]", source[source.index("subgraph first_column"):])[:4]
    assert chain == list(zip(column, column[1:]))  # top to bottom in that order
    assert "shape=plaintext" not in source  # no loose "1" between the weights any more
    assert "plain number" not in _legend_text(source)  # so the legend has no key for one
    # x_1[0], x_1[1], h_0[0] and the bias input each feed all four gates' sums, through the one vector
    # [x_1, h_0, 1] every sum reads (16 direct edges crossed each other), one column further left.
    vector = next(n for n, label in labels.items() if label == "[x_1, h_0, 1]")
    joined = re.findall(rf"\t(\w+) -> {vector} \[arrowhead=none\]", source)
    assert [labels[n] for n in joined] == FIRST_COLUMN[1:]
    # one edge to a point in each gate's frame (below its bias: tests/test_picture_routes.py), on into the gate
    points = re.findall(rf"\t{vector} -> (\w+) \[arrowhead=none penwidth=2\]", source)
    gates_read = [re.findall(rf"\t{point} -> (\w+) \[penwidth=2\]", source) for point in points]
    assert [[labels[g[:-2]] for g in gates] for gates in gates_read] == [[f"z{gate}_1[0]"] for gate in "figo"]
    for node in column[1:]:  # and no input has an edge of its own into a gate any more
        assert not re.findall(rf"\t{node} -> \w+op\b", source), labels[node]


def test_lstm_step_numbers_are_the_gate_equations() -> None:
    source = lstm_step_picture().source
    found = re.finditer(r'label="([^"\\]*)\\ndata (-?[\d.]+)(?:\\ngrad (-?[\d.]+))?', source)
    data = {m.group(1): float(m.group(2)) for m in found}
    grads = {m.group(1): float(m.group(3)) for m in re.finditer(
        r'label="([^"\\]*)\\ndata (-?[\d.]+)\\ngrad (-?[\d.]+)', source)}
    x = [data["x_1[0]"], data["x_1[1]"], data["h_0[0]"], data["bias input"]]
    assert x == [0.5, -1.0, 0.2, 1.0]
    act = {"f": lambda z: 1 / (1 + math.exp(-z)), "i": lambda z: 1 / (1 + math.exp(-z)), "g": math.tanh,
           "o": lambda z: 1 / (1 + math.exp(-z))}
    value = {}
    for gate in "figo":  # from the drawn weights (3 decimals), by hand
        w = [data[f"W_{gate}[0,{j}]"] for j in range(3)] + [data[f"b_{gate}[0]"]]
        z = sum(a * b for a, b in zip(w, x))
        assert data[f"z{gate}_1[0]"] == pytest.approx(z, abs=3e-3), gate
        value[gate] = act[gate](data[f"z{gate}_1[0]"])
        assert data[f"{gate}_1[0]"] == pytest.approx(value[gate], abs=2e-3), gate
    assert data["f_1[0]·c_0[0]"] == pytest.approx(value["f"] * 0.4, abs=2e-3)
    assert data["i_1[0]·g_1[0]"] == pytest.approx(value["i"] * value["g"], abs=2e-3)
    c = data["c_1[0]"]
    # d(h_1 + c_1)/dc_1 = 1 + o (1 - tanh(c_1)^2); back through c_1 = f c_0 + i g to c_0 and the gates.
    dc = 1 + value["o"] * (1 - math.tanh(c) ** 2)
    assert grads["c_1[0]"] == pytest.approx(dc, abs=3e-3)
    assert grads["c_0[0]"] == pytest.approx(value["f"] * dc, abs=3e-3)
    assert grads["f_1[0]"] == pytest.approx(0.4 * dc, abs=3e-3)
    assert grads["g_1[0]"] == pytest.approx(value["i"] * dc, abs=3e-3)
    assert grads["o_1[0]"] == pytest.approx(math.tanh(c), abs=2e-3)


def svg_node_centres(svg: bytes) -> dict[str, tuple[float, float]]:
    """Each node's DOT id -> the (x, y) of its first text line in the SVG."""
    centres = {}
    for g in ET.fromstring(svg).iter(f"{SVG}g"):
        text = next(g.iter(f"{SVG}text"), None)  # None: a point where an edge enters a frame
        if g.get("class") == "node" and text is not None:
            centres[g.find(f"{SVG}title").text] = (float(text.get("x")), float(text.get("y")))
    return centres


@needs_svg
def test_lstm_step_reads_left_to_right_and_gates_top_to_bottom_in_the_svg() -> None:
    source = lstm_step_picture().source
    svg = render_source(source, "svg")
    boxes = cluster_boxes(svg)
    tops = [boxes[label][1] for label in GATE_CLUSTERS]
    assert tops == sorted(tops), tops
    labels = {name: node for node, name in node_labels(source).items()}
    at = svg_node_centres(svg)
    column = [at[labels[name]] for name in FIRST_COLUMN]
    assert [y for _, y in column] == sorted(y for _, y in column)
    assert len({x for x, _ in column}) == 1  # one column
    weights = [at[labels[f"W_{gate}[0,{j}]"]][0] for gate in "figo" for j in range(3)]
    assert column[0][0] < min(weights)  # left of every weight
    assert min(boxes[label][0] for label in GATE_CLUSTERS) > column[0][0]  # and of every gate's frame


def test_zero_terms_of_the_cross_entropy_draw_without_a_minus_sign() -> None:
    # y[j] log(y-hat[j]) for the 3 characters that are not the target is 0 * (a negative log) = -0.0 in IEEE
    # arithmetic; drawn as "data -0.000" on 12 boxes. Each step has one target among 4 characters.
    source = hello_unrolled_picture().source
    assert "-0.000\\n" not in source and "data -0.000" not in source
    assert len(re.findall(r'label="y_\d\[\w\] log ŷ_\d\[\w\]\\ndata 0.000\\ngrad -1.000"', source)) == 4 * 3


def test_every_step_of_the_cross_entropy_is_named_with_its_number() -> None:
    # L_t = -Σ_j y_t[j] log ŷ_t[j], ŷ_t = softmax(s2_t): each box named, its value from the worked example.
    loss, names, _, _ = hello_unrolled_graph()
    reference = hello_rnn_example()
    by_name = {name: v for v, name in names.items()}
    for t, target in enumerate("ello", start=1):
        logits = [by_name[f"s2_{t}[{j}]"].data for j in range(4)]
        assert by_name[f"Σ exp(s2_{t})"].data == pytest.approx(sum(math.exp(z) for z in logits), rel=1e-12)
        for j, c in enumerate("helo"):
            assert by_name[f"exp(s2_{t}[{j}])"].data == pytest.approx(math.exp(logits[j]), rel=1e-12)
            p = reference.probabilities[t - 1][j]
            assert by_name[f"log ŷ_{t}[{c}]"].data == pytest.approx(math.log(p), rel=1e-12)
            assert by_name[f"y_{t}[{c}] log ŷ_{t}[{c}]"].data == pytest.approx(math.log(p) if c == target else 0.0)
        p_target = reference.probabilities[t - 1]["helo".index(target)]
        assert by_name[f"Σ y_{t} log ŷ_{t}"].data == pytest.approx(math.log(p_target), rel=1e-12)
        assert by_name[f"L_{t}"].data == pytest.approx(-math.log(p_target), rel=1e-12)
    assert "label=\"data " not in hello_unrolled_picture().source  # no box shows a bare number


@needs_svg
def test_row_1_reads_left_to_right_inputs_then_layer_1_then_layer_2() -> None:
    # The slides draw the 3-4-2 network left to right: the inputs in a column at the left, then the hidden
    # layer, then the outputs. Layer 2 had sat below-right of layer 1 (a diagonal), a0[1..3] above layer 1.
    # The inputs share their column with layer 1's weights, between neuron 1's and neuron 2's
    # (tests/test_picture_routes.py): left of them, their edges looped around the neurons' frames.
    svg = render_source(row_picture(worked_example()).source, "svg")
    boxes = cluster_boxes(svg)
    where = {}
    for g in ET.fromstring(svg).iter(f"{SVG}g"):
        if g.get("class") == "node":
            text = next(g.iter(f"{SVG}text"))
            where[text.text] = (float(text.get("x")), float(text.get("y")))
    inputs = [where[f"a0[{i}]"] for i in range(4)]
    assert max(x for x, _ in inputs) - min(x for x, _ in inputs) < 1  # one column
    assert [y for _, y in inputs] == sorted(y for _, y in inputs)  # a0[0] .. a0[3] downwards
    assert inputs[0][0] < min(boxes[f"layer 1, neuron {k}"][0] for k in (1, 2))  # left of layer 1's frames
    for layer in (1, 2):
        assert boxes[f"layer {layer}, neuron 1"][1] < boxes[f"layer {layer}, neuron 2"][1]  # neuron 1 above 2
    # Layer 2's frames start right of where layer 1's weights are: side by side, not one below the other.
    assert min(boxes[f"layer 2, neuron {j}"][0] for j in (1, 2)) > max(where[f"a1[{j}]"][0] for j in (1, 2))
    assert boxes["layer 2, neuron 1"][1] < where["a1[2]"][1]  # layer 2 starts above layer 1's bottom neuron


def test_the_batch_legend_names_exactly_the_gates_the_batch_picture_draws() -> None:
    # New-user trial 24: it said "op gate (w·x, σ, tanh, ×, +)" over a graph with no tanh and no +, and whose
    # −, ^2 and Σ gates it did not name.
    source = batch_picture(worked_example()).source
    drawn = set(re.findall(r'\bv\d+op \[label="([^"]+)"', source))
    legend = re.search(r'label="op gate \(([^)]*)\)"', source)
    assert legend, "the batch picture's legend has no gate entry"
    assert set(legend.group(1).split(", ")) == drawn
