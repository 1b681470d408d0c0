"""Bundled edges (viz.bundles): values that all feed the same gates drawn as one vector, joined once.

The batch picture's 14 shared weights fed their neuron's sum in each of the 4 rows (56 long edges across
the picture); the LSTM step's 4 inputs fed all 4 gates' sums (16 edges that had to cross). Each test
reads the DOT (and, where it says so, the rendered SVG's positions).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from conftest import needs_svg

from autograd import Value
from lecture.graph_pictures import batch_picture, hello_unrolled_picture, lstm_step_picture, row_picture
from lecture.slides_mlp import BATCH_ROWS, batch_loss, slides_network, worked_example
from viz import draw_graph
from viz.bundles import bundle_edges, enter_beside, first_lines
from viz.render import render_source

SVG = "{http://www.w3.org/2000/svg}"
EDGE = re.compile(r"^\t+(\w+) -> (\w+)(?: \[(.*)\])?$", re.M)


def edges(source: str) -> list[tuple[str, str, str]]:
    """Every visible edge: (tail id, head id, attributes)."""
    return [(a, b, attrs or "") for a, b, attrs in EDGE.findall(source) if "invis" not in (attrs or "")]


def weight_names() -> list[tuple[int, int, int]]:
    """(layer, i, k) of each weight w_l[i,k] of the slides' 3-4-2 network (w_l[0,k] is the bias)."""
    return [(1, i, k) for k in (1, 2) for i in range(4)] + [(2, i, k) for k in (1, 2) for i in range(3)]


def test_each_neuron_s_weights_reach_every_row_through_one_box() -> None:
    picture = batch_picture(worked_example())
    names = first_lines(picture)
    ids = {name: n for n, name in names.items()}
    drawn = edges(picture.source)
    for layer, k in ((1, 1), (1, 2), (2, 1), (2, 2)):
        box = ids[f"w{layer}[i,{k}]"]
        members = [ids[f"w{layer}[{i},{k}]"] for i in range(4 if layer == 1 else 3)]
        for member in members:  # each weight: one edge, into its neuron's box, and none into a gate
            assert [(a, b) for a, b, _ in drawn if a == member] == [(member, box)]
        assert sorted(a for a, b, _ in drawn if b == box) == sorted(members)
        points = [b for a, b, _ in drawn if a == box]
        # one edge per row, to a point in that row, which alone goes on, into the row's gate computing s_l[k]
        out = [[b for a, b, _ in drawn if a == point] for point in points]
        assert [[names[gate[:-2]] for gate in gates] for gates in out] == [
            [f"s{layer}[{k}] (r={r})"] for r in range(1, BATCH_ROWS + 1)]
        assert [[a for a, b, _ in drawn if b == point] for point in points] == [[box]] * BATCH_ROWS
    # 56 weight-to-gate edges became 14 joins, 16 edges out to a point in each row and 16 on into the gates:
    # 229 - 56 + 14 + 16 + 16 visible edges.
    weights = {ids[f"w{layer}[{i},{k}]"] for layer, i, k in weight_names()}
    assert not [e for e in drawn if e[0] in weights and e[1].endswith("op")]
    assert len(drawn) == 229 - 56 + 14 + 16 + 16


def test_each_weight_s_drawn_gradient_is_the_batch_loss_s_central_difference() -> None:
    # dE/dw summed over the rows, from E(w + h) - E(w - h) on fresh copies of the slides' network.
    source = batch_picture(worked_example()).source
    weight = r'label="(w\d\[\d,\d\])\\ndata [-\d.]+\\ngrad ([-\d.]+)'
    drawn = {m.group(1): float(m.group(2)) for m in re.finditer(weight, source)}
    assert len(drawn) == 14
    h = 1e-6
    for layer, i, k in weight_names():
        def loss_at(shift: float, layer: int = layer, i: int = i, k: int = k) -> float:
            model = slides_network()
            neuron = model.layers[layer - 1].neurons[k - 1]
            weight = neuron.b if i == 0 else neuron.w[i - 1]
            weight.data += shift
            return batch_loss(model).data
        slope = (loss_at(h) - loss_at(-h)) / (2 * h)
        assert drawn[f"w{layer}[{i},{k}]"] == pytest.approx(slope, abs=6e-5), (layer, i, k)


@needs_svg
def test_the_batch_s_weight_boxes_sit_between_the_weights_and_the_rows_in_the_svg() -> None:
    picture = batch_picture(worked_example())
    names = first_lines(picture)
    at = {}
    for g in ET.fromstring(render_source(picture.source, "svg")).iter(f"{SVG}g"):
        text = next(g.iter(f"{SVG}text"), None)  # None: a point where a blue edge enters a row
        if g.get("class") == "node" and text is not None:
            at[names.get(g.find(f"{SVG}title").text, "")] = (float(text.get("x")), float(text.get("y")))
    for layer, k in ((1, 1), (1, 2), (2, 1), (2, 2)):
        box = at[f"w{layer}[i,{k}]"]
        weights = [at[f"w{layer}[{i},{k}]"] for i in range(4 if layer == 1 else 3)]
        assert all(x < box[0] for x, _ in weights)  # joined right of the weights, left of the gates
        assert box[0] < min(at[f"s{layer}[{k}] (r={r})"][0] for r in range(1, BATCH_ROWS + 1))
        ys = [y for _, y in weights]
        assert min(ys) <= box[1] <= max(ys)  # beside its own column of weights
    assert at["w1[i,1]"][1] < at["w1[i,2]"][1] and at["w2[i,1]"][1] < at["w2[i,2]"][1]  # neuron 1 above 2


def test_lstm_step_joins_its_inputs_once_and_feeds_each_gate_once() -> None:
    picture = lstm_step_picture()
    names = first_lines(picture)
    drawn = edges(picture.source)
    into: dict[str, list[str]] = {}
    # the box's edge into each gate runs through a point in the gate's frame: read it as the box's
    through = {b: names[a] for a, b, _ in drawn if names.get(a) == "[x_1, h_0, 1]"}
    for a, b, _ in drawn:  # into each gate, keyed by the value it computes; into the joining box
        if b.endswith("op") or names.get(b) == "[x_1, h_0, 1]":
            into.setdefault(names[b[:-2]] if b.endswith("op") else names[b], []).append(through.get(a) or names[a])
    assert len(through) == 4 and all(len([b for a, b, _ in drawn if a == point]) == 1 for point in through)
    for gate in "figo":  # each sum reads its 3 weights, its bias and the joined vector: 5 edges, none crossing in
        assert sorted(into[f"z{gate}_1[0]"]) == sorted([*(f"W_{gate}[0,{j}]" for j in range(3)), f"b_{gate}[0]",
                                                         "[x_1, h_0, 1]"])
    assert into["[x_1, h_0, 1]"] == ["x_1[0]", "x_1[1]", "h_0[0]", "bias input"]


def test_bundle_edges_refuses_a_member_that_is_not_drawn_and_members_that_feed_no_gate() -> None:
    a, b = Value(1.0, label="a"), Value(2.0, label="b")
    out = a * b
    out.backward()
    picture = draw_graph(out)
    with pytest.raises(ValueError, match="'c' is not drawn"):
        bundle_edges(picture, ["a", "c"], node="j", label="[a, c]", fill="#ffffff")
    before = picture.source
    bundle_edges(picture, ["a", "b"], node="j", label='say "ab"', fill="#ffffff")
    assert picture.source != before and 'label="say \\"ab\\""' in picture.source
    assert [(x, y) for x, y, _ in edges(picture.source) if y == "j"] == [(n, "j") for n in ("v0", "v1")]
    with pytest.raises(ValueError, match="feed no gate"):
        bundle_edges(picture, ["a", "b"], node="k", label="again", fill="#ffffff")
    with pytest.raises(TypeError, match="members must be a sequence of node names"):
        bundle_edges(picture, "ab", node="k", label="ab", fill="#ffffff")
    for taken in ("v0", "j", "two words"):  # a node already drawn (a's box, the box made above), no DOT id
        with pytest.raises(ValueError, match="node must be a new DOT id"):
            bundle_edges(picture, ["a"], node=taken, label="a", fill="#ffffff")
    with pytest.raises(ValueError, match="no members"):
        bundle_edges(picture, [], node="k", label="none", fill="#ffffff")


def test_each_state_h_t_is_carried_to_the_next_step_s_sums_through_one_box() -> None:
    picture = hello_unrolled_picture()
    names = first_lines(picture)
    ids = {name: n for n, name in names.items()}
    source = picture.source
    drawn = edges(source)
    assert "constraint=false" not in source  # no edge is left to Graphviz's routing of backward edges
    for t in (1, 2, 3):
        box, joint = ids[f"h_{t}"], f"carry_h_{t}_joint"
        state = [ids[f"h_{t}[{k}]"] for k in range(3)]
        gates = [ids[f"s1_{t + 1}[{k}]"] + "op" for k in range(3)]
        # h_t's 3 values join at a point beside them
        assert [a for a, b, _ in drawn if b == joint and a != box] == state
        assert [(b, attrs) for a, b, attrs in drawn if a == box] == [
            (joint, "dir=back penwidth=2"), *((gate, "penwidth=2") for gate in gates)]
        for k, value in enumerate(state):  # each value: the point, and the output layer's 4 sums of its own step
            read = [names[b[:-2]] if b.endswith("op") else b for a, b, _ in drawn if a == value]
            assert read == [*(f"s2_{t}[{j}]" for j in range(4)), joint], (t, k)
    # the step's gates read that box and the 4 inputs x_t, nothing else
    for t in (2, 3, 4):
        for k in range(3):
            readers = sorted(names[a] for a, b, _ in drawn if b == ids[f"s1_{t}[{k}]"] + "op")
            assert readers == sorted([f"h_{t - 1}", *(f"x_{t}[{c}]" + (f" ('{c}')" if c == "hell"[t - 1] else "")
                                                       for c in "helo")])


@needs_svg
def test_no_edge_of_the_unrolled_hello_rnn_runs_right_to_left_in_the_svg() -> None:
    # h_t -> the sums of step t+1 ran from h_t's column back to the start of the next row, around the
    # frames in between (the return arrow h_t is drawn from its box with dir=back: it points left only).
    root = ET.fromstring(render_source(hello_unrolled_picture().source, "svg"))
    backward = []
    count = 0
    for group in root.iter(f"{SVG}g"):
        path = group.find(f"{SVG}path")
        if group.get("class") != "edge" or path is None:
            continue
        count += 1
        xs = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", path.get("d", ""))][0::2]
        if xs[-1] < xs[0]:
            backward.append(group.find(f"{SVG}title").text)
    assert count > 300 and backward == [], backward


@needs_svg
def test_each_carried_state_sits_in_the_gap_above_the_step_it_feeds() -> None:
    picture = hello_unrolled_picture()
    names = first_lines(picture)
    root = ET.fromstring(render_source(picture.source, "svg"))
    at = {}
    for g in root.iter(f"{SVG}g"):
        if g.get("class") == "node":
            text = next(g.iter(f"{SVG}text"), None)
            if text is not None:
                at[names.get(g.find(f"{SVG}title").text, "")] = (float(text.get("x")), float(text.get("y")))
    tops, bottoms = {}, {}
    for g in root.iter(f"{SVG}g"):
        if g.get("class") == "cluster":
            label = next(g.iter(f"{SVG}text")).text
            ys = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", g.find(f"{SVG}path").get("d"))][1::2]
            tops[label], bottoms[label] = min(ys), max(ys)
    for t in (1, 2, 3):
        x, y = at[f"h_{t}"]
        assert bottoms[f"t={t}"] <= y <= tops[f"t={t + 1}"], t
        assert x < min(at[f"x_{t + 1}[{c}]" + (f" ('{c}')" if c == "hell"[t] else "")][0] for c in "helo") + 1
        assert x < min(at[f"s1_{t + 1}[{k}]"][0] for k in range(3))


def test_row_1_s_long_edges_carry_their_weight_as_a_label_joined_to_the_edge() -> None:
    # d s_l[k] / d a_{l-1}[i] = w_l[i,k]: each input's edge into a neuron's sum is labelled with that weight,
    # and draws a line to its label: the 8 from a0[0..3], whose labels stack between their column and the
    # gates, and the 4 that skip a column (a1[1..2] into layer 2's sums).
    example = worked_example()
    picture = row_picture(example)
    names = first_lines(picture)
    long_edges = [(a, b, attrs) for a, b, attrs in edges(picture.source)
                  if "minlen=2" in attrs or names.get(a, "").startswith("a0[")]
    assert len(long_edges) == 4 * 2 + 2 * 2
    assert len([e for e in long_edges if "minlen=2" in e[2]]) == 2 * 2
    weights = {}
    for layer_number, layer in enumerate(example.row_model.layers, start=1):
        for k, neuron in enumerate(layer.neurons, start=1):
            for i, w in enumerate([neuron.b, *neuron.w]):
                weights[(f"a{layer_number - 1}[{i}]", f"s{layer_number}[{k}]")] = w.data
    for a, b, attrs in long_edges:
        assert "decorate=true" in attrs
        label = float(re.search(r"label=\"?(-?[\d.]+)", attrs).group(1))
        assert label == pytest.approx(weights[(names[a], names[b[:-2]])], abs=5e-5), (names[a], names[b[:-2]])


def test_enter_beside_routes_one_gate_s_edge_through_a_point_beside_a_node_and_refuses_strangers() -> None:
    a, b, c = Value(1.0, label="a"), Value(2.0, label="b"), Value(3.0, label="c")
    out = a * b + c
    out.backward()
    picture = draw_graph(out)
    ids = {name: n for n, name in first_lines(picture).items()}
    bundle = bundle_edges(picture, ["a", "b"], node="j", label="[a, b]", fill="#ffffff", color="#74c0fc")
    (gate,) = bundle.gates
    with pytest.raises(ValueError, match="is not fed by the bundle"):
        enter_beside(picture, bundle, {"v99op": (ids["c"], "above")})
    with pytest.raises(ValueError, match="'nowhere' is not drawn"):
        enter_beside(picture, bundle, {gate: ("nowhere", "above")})
    with pytest.raises(ValueError, match="side must be 'above' or 'below'"):
        enter_beside(picture, bundle, {gate: (ids["c"], "left")})
    assert enter_beside(picture, bundle, {gate: (ids["c"], "above")}) == [f"j_{gate}_point"]
    drawn = edges(picture.source)
    # the box's edge now ends at the point (no arrowhead), and the point alone feeds the gate, in the same blue
    assert [(x, y) for x, y, _ in drawn if x == "j"] == [("j", f"j_{gate}_point")]
    assert [(x, attrs) for x, y, attrs in drawn if y == gate] == [(f"j_{gate}_point", 'penwidth=2 color="#74c0fc"')]
    assert re.search(rf'\t{ids["c"]} \[label=.*\n\tj_{gate}_point \[label="" shape=point', picture.source)
    assert f"j_{gate}_point -> {ids['c']} [style=invis]" in picture.source  # top level: the point above c
