"""Pictures draw repeated structure top to bottom in index order, as the slides number it.

The positions are read from the rendered SVG (each node's first text line and
its y; y grows downwards), so these tests check what a reader sees: neuron 1
above neuron 2, w1[0,j] at the top of neuron j's weights, the batch's rows
r = 1..4 downwards, the hello RNN's letters h, e, l, o downwards in each time
step, and the time steps t = 1..4 downwards. The indices are the slides' (3-4-2 worked example: hidden units 1, 2;
weight rows 0..3, row 0 the bias) and the hello tutorial's (vocabulary h, e,
l, o; hidden units 0..2).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from conftest import needs_svg

from autograd import Value, sum_of
from lecture.graph_pictures import batch_picture, hello_unrolled_picture
from lecture.mlp_hessian import gradient_picture
from lecture.slide_names import mlp_names
from lecture.slides_mlp import BATCH_ROWS, worked_example
from viz import draw_graph, groups_from_parameters, step_through_page
from viz.columns import reading_columns
from viz.render import render_source

SVG = "{http://www.w3.org/2000/svg}"
HELLO = "hell"


def places(svg: bytes | str) -> dict[str, list[tuple[float, float]]]:
    """Each drawn node's first text line -> the (x, y) of that line, for every node that shows it."""
    found: dict[str, list[tuple[float, float]]] = {}
    for g in ET.fromstring(svg).iter(f"{SVG}g"):
        if g.get("class") == "node":
            first = next(g.iter(f"{SVG}text"), None)
            if first is not None:
                found.setdefault(str(first.text), []).append((float(first.get("x", "nan")),
                                                              float(first.get("y", "nan"))))
    return found


def assert_downwards(where: dict[str, list[tuple[float, float]]], names: list[str]) -> None:
    """``names`` are drawn once each, each strictly below the one before."""
    for name in names:
        assert len(where.get(name, [])) == 1, f"{name} drawn {len(where.get(name, []))} times"
    ys = [where[name][0][1] for name in names]
    drawn = [name for _, name in sorted(zip(ys, names))]
    assert drawn == names, f"top to bottom: {drawn}"
    assert len(set(ys)) == len(ys), ys


def weights(layer: int, unit: int, rows: int) -> list[str]:
    return [f"w{layer}[{i},{unit}]" for i in range(rows)]


@needs_svg
def test_row_1_with_layer_and_neuron_clusters_reads_in_the_slides_order() -> None:
    ex = worked_example()
    groups = groups_from_parameters(ex.row.E, ex.row_model.named_parameters())
    graph = draw_graph(ex.row.E, parameters=ex.row_model.parameters(), groups=groups, edge_derivatives=True)
    where = places(render_source(graph.source, "svg"))
    for unit in (1, 2):
        assert_downwards(where, weights(1, unit, 4))  # rows 0 (bias), 1, 2, 3: 3 inputs + bias
        assert_downwards(where, weights(2, unit, 3))
    # Neuron 1's whole cluster above neuron 2's, in both layers.
    assert_downwards(where, ["w1[3,1]", "w1[0,2]"])
    assert_downwards(where, ["w2[2,1]", "w2[0,2]"])
    for name in ("s1", "a1", "s2", "a2"):
        assert_downwards(where, [f"{name}[1]", f"{name}[2]"])
    assert_downwards(where, ["a0[1]", "a0[2]", "a0[3]"])


@needs_svg
def test_the_step_through_page_draws_the_bias_a1_0_above_a1_1_and_a1_2() -> None:
    ex = worked_example()
    page = step_through_page(ex.row.E, parameters=ex.row_model.parameters(), names=mlp_names(ex.row_model, ex.row.E))
    match = re.search(r"<svg.*?</svg>", page, flags=re.S)
    assert match is not None
    where = places(match.group())
    assert_downwards(where, ["a0[0]", "a0[1]", "a0[2]", "a0[3]"])
    assert_downwards(where, ["a1[0]", "a1[1]", "a1[2]"])
    assert_downwards(where, weights(1, 1, 4) + weights(1, 2, 4))
    assert_downwards(where, weights(2, 1, 3) + weights(2, 2, 3))
    assert_downwards(where, ["a2[1]", "a2[2]"])


@needs_svg
def test_the_batch_picture_draws_rows_r_1_to_4_downwards_each_in_the_slides_order() -> None:
    where = places(render_source(batch_picture(worked_example()).source, "svg"))
    assert_downwards(where, [f"E (r={r})" for r in range(1, BATCH_ROWS + 1)])
    assert_downwards(where, weights(1, 1, 4) + weights(1, 2, 4))  # shared by the rows, drawn once
    assert_downwards(where, weights(2, 1, 3) + weights(2, 2, 3))
    for r in range(1, BATCH_ROWS + 1):
        row = f" (r={r})"
        assert_downwards(where, [f"a0[{i}]{row}" for i in range(4)])
        assert_downwards(where, [f"a1[{i}]{row}" for i in range(3)])
        for name in ("s1", "s2", "a2"):
            assert_downwards(where, [f"{name}[1]{row}", f"{name}[2]{row}"])


@needs_svg
def test_the_unrolled_hello_rnn_reads_h_e_l_o_downwards_and_its_steps_start_in_one_column() -> None:
    where = places(render_source(hello_unrolled_picture().source, "svg"))
    for t, char in enumerate(HELLO, start=1):
        assert_downwards(where, [f"x_{t}[{c}]" + (f" ('{c}')" if c == char else "") for c in "helo"])
        assert_downwards(where, [f"ŷ_{t}[{c}]" for c in "helo"])
        assert_downwards(where, [f"s2_{t}[{j}]" for j in range(4)])
        for name in ("s1", "h"):
            assert_downwards(where, [f"{name}_{t}[{k}]" for k in range(3)])
    assert_downwards(where, [f"h_0[{k}]" for k in range(3)])
    # Each step starts at the left edge (they once stood on a diagonal, left to right): h_t in one column.
    xs = [where[f"h_{t}[0]"][0][0] for t in range(1, len(HELLO) + 1)]
    assert max(xs) - min(xs) < 1, xs


@needs_svg
def test_the_unrolled_hello_rnn_reads_its_time_steps_top_to_bottom() -> None:
    # Step 1 above step 2 above ... step 4 (it climbed bottom-left to top-right: read upwards),
    # and the loss terms L_1 .. L_4 downwards in the order L sums them.
    where = places(render_source(hello_unrolled_picture().source, "svg"))
    steps = range(1, len(HELLO) + 1)
    for k in range(3):
        assert_downwards(where, [f"h_{t}[{k}]" for t in steps])
    assert_downwards(where, [f"x_{t}[h]" + (" ('h')" if t == 1 else "") for t in steps])
    assert_downwards(where, [f"ŷ_{t}[o]" for t in steps])
    assert_downwards(where, [f"L_{t}" for t in steps])


@needs_svg
def test_the_gradient_picture_draws_its_forward_and_backward_clusters_in_index_order() -> None:
    where = places(render_source(gradient_picture(1, 1).source, "svg"))
    assert_downwards(where, weights(1, 1, 4) + weights(1, 2, 4))
    assert_downwards(where, weights(2, 1, 3) + weights(2, 2, 3))
    assert_downwards(where, ["a0[1]", "a0[2]", "a0[3]"])
    assert_downwards(where, ["a2[1]", "a2[2]"])
    assert_downwards(where, ["dE/da2[1]", "dE/da2[2]"])  # the backward pass's cluster


@needs_svg
def test_a_sum_of_products_lists_its_terms_downwards_in_the_order_it_adds_them() -> None:
    # Outside any cluster: four products summed in one Σ gate, each from two leaves.
    a = [Value(float(k + 1), label=f"a{k}") for k in range(4)]
    b = [Value(float(10 * (k + 1)), label=f"b{k}") for k in range(4)]
    products = [x * y for x, y in zip(a, b)]
    for k, p in enumerate(products):
        p.label = f"p{k}"
    where = places(render_source(draw_graph(sum_of(products)).source, "svg"))
    assert_downwards(where, [f"p{k}" for k in range(4)])
    assert_downwards(where, [name for k in range(4) for name in (f"a{k}", f"b{k}")])


def test_values_of_two_depths_are_not_put_in_one_column() -> None:
    # The gate g reads x (depth 1) and y (depth 2): no rank can hold both, so they are not lined up;
    # the gate h reads p and q, both of depth 1, and the leaves u, v: lined up in the order h takes them.
    gates = [(3, [("x", 1), ("y", 2)]), (2, [("p", 1), ("q", 1), ("u", None), ("v", None)])]
    columns = reading_columns(gates, dict.fromkeys("xypquv", ""))
    assert [(c.nodes, c.pairs) for c in columns] == [
        (("p", "q", "u", "v"), (("p", "q"), ("q", "u"), ("u", "v")))]


def test_a_column_only_joins_boxes_of_one_cluster() -> None:
    # A gate reading two weights of its own cluster and two inputs from outside: one chain each.
    gates = [(1, [("w0", None), ("w1", None), ("x0", None), ("x1", None)])]
    group_of = {"w0": "neuron 1", "w1": "neuron 1", "x0": "", "x1": ""}
    columns = reading_columns(gates, group_of)
    assert sorted((c.group, c.pairs) for c in columns) == [("", (("x0", "x1"),)), ("neuron 1", (("w0", "w1"),))]


@needs_svg
def test_a_loss_summed_over_steps_draws_its_terms_and_their_steps_downwards_in_the_order_it_sums_them() -> None:
    # h_t = tanh(w·h_{t-1} + x_t), one cluster per step; the terms L_t = h_t·h_t outside them, summed in order.
    # Graphviz puts either end of such a staircase at the top; the order of the terms decides it.
    w, h = Value(0.9, label="w"), Value(0.5, label="h_0")
    groups, terms = {}, []
    for t in range(1, 6):
        x = Value(0.1 * t, label=f"x_{t}")
        wh = w * h
        s = wh + x
        h = s.tanh()
        s.label, h.label = f"s_{t}", f"h_{t}"
        term = h * h
        term.label = f"L_{t}"
        groups.update(dict.fromkeys((x, wh, s, h), f"t={t}"))
        terms.append(term)
    loss = sum_of(terms)
    graph = draw_graph(loss, parameters=[w], show_parameters=False, groups=groups)  # as the hello RNN's picture
    where = places(render_source(graph.source, "svg"))
    assert_downwards(where, [f"L_{t}" for t in range(1, 6)])
    assert_downwards(where, [f"h_{t}" for t in range(1, 6)])


@needs_svg
def test_the_row_1_picture_draws_layer_2_to_the_right_of_layer_1() -> None:
    # Layer 2's weights are leaves: left alone Graphviz ranks them in the first column, so layer 2's frame
    # stretched back over layer 1 and sat below it (a diagonal, taller than wide). Ranked after layer 1's outputs,
    # the layers stand side by side as the slides draw the network.
    from pathlib import Path

    svg = (Path(__file__).resolve().parent.parent / "docs" / "worked_example_row1.svg").read_text()
    where = places(svg)
    layer_1_right = max(x for name in ("a1[1]", "a1[2]", "s1[1]", "s1[2]") for x, _ in where[name])
    for name in weights(2, 1, 3) + weights(2, 2, 3):
        assert min(x for x, _ in where[name]) > layer_1_right, name
    width, height = (float(v) for v in re.search(r'viewBox="0(?:\.00)? 0(?:\.00)? ([0-9.]+) ([0-9.]+)"', svg).groups())
    assert width > height
