"""`viz.draw_gradient_graph`: a create_graph=True gradient drawn as gates, beside its faded forward graph.

The hand-worked example: w = 0.5, y = tanh(w). The backward pass of tanh is its
op row's derivative 1 - out*out evaluated on Values, so dy/dw is two gates
reading the forward output t = tanh(0.5) = 0.4621: t*t = 0.2136, then
1 - t*t = 0.7864. The forward cluster holds w and y (faded); the backward
cluster holds exactly t*t, the constant 1 and 1 - t*t (the root).
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

import pytest
from conftest import needs_svg

from autograd import Value, grad
from lecture.slides_mlp import row_graph, slides_network
from viz import GraphTooLarge, draw_gradient_graph
from viz.gradient_graph import FADED
from viz.render import render_source

SVG = "{http://www.w3.org/2000/svg}"


def tanh_example() -> tuple[Value, Value, Value]:
    w = Value(0.5, label="w")
    y = w.tanh()
    y.label = "y"
    (dy,) = grad(y, [w], create_graph=True)
    return w, y, dy


def clusters(source: str) -> dict[str, str]:
    """The body of each ``subgraph cluster_*`` block of a DOT source (these blocks do not nest here)."""
    return dict(re.findall(r"subgraph (cluster_\w+) \{\n(.*?)\n\t\}", source, re.DOTALL))


def node_lines(body: str) -> dict[str, str]:
    """node id -> its attribute text, for the node statements in a cluster's body."""
    return dict(re.findall(r"^\t\t(\w+) \[(.*)\]$", body, re.MULTILINE))


def label_of(attrs: str) -> str:
    """The label attribute of a DOT node statement, quotes removed."""
    match = re.search(r'label=("(?:[^"\\]|\\.)*"|\S+)', attrs)
    assert match, attrs
    return match.group(1).strip('"')


def test_hand_worked_tanh_gradient_splits_into_forward_and_backward() -> None:
    t = math.tanh(0.5)
    assert f"{t:.4f}" == "0.4621" and f"{t * t:.4f}" == "0.2136" and f"{1 - t * t:.4f}" == "0.7864"
    _, y, dy = tanh_example()
    source = draw_gradient_graph(dy, y, gradient_name="dy/dw").source
    parts = clusters(source)
    assert set(parts) == {"cluster_forward", "cluster_backward"}
    forward, backward = node_lines(parts["cluster_forward"]), node_lines(parts["cluster_backward"])
    assert sorted(map(label_of, forward.values())) == sorted([r"w\ndata 0.5000", r"y\ndata 0.4621", "tanh"])
    assert sorted(map(label_of, backward.values())) == sorted([r"data 0.2136", "×", r"dy/dw\ndata 0.7864", "−", "1"])
    assert 'label="backward: dy/dw"' in parts["cluster_backward"]
    assert "label=forward" in parts["cluster_forward"]


def test_forward_nodes_are_faded_and_backward_nodes_are_not() -> None:
    _, y, dy = tanh_example()
    parts = clusters(draw_gradient_graph(dy, y).source)
    for attrs in node_lines(parts["cluster_forward"]).values():
        assert f'fontcolor="{FADED["fontcolor"]}"' in attrs
    for attrs in node_lines(parts["cluster_backward"]).values():
        assert FADED["fontcolor"] not in attrs and FADED["fillcolor"] not in attrs
    # The root (the gradient) has the root's thick outline; the default name is d<output label>/dx.
    root = [a for a in node_lines(parts["cluster_backward"]).values() if "0.7864" in a]
    assert len(root) == 1 and "penwidth=2.5" in root[0] and r"dy/dx\ndata" in root[0]


def test_backward_gates_read_the_forward_output_over_dashed_edges() -> None:
    _, y, dy = tanh_example()
    source = draw_gradient_graph(dy, y).source
    forward = node_lines(clusters(source)["cluster_forward"])
    y_id = next(i for i, a in forward.items() if a.startswith(r'label="y\n'))
    square_gate = next(i for i, a in node_lines(clusters(source)["cluster_backward"]).items() if "×" in a)
    # t*t reads t twice: two dashed edges from the forward node y into the backward × gate.
    assert source.count(f"{y_id} -> {square_gate} [style=dashed]") == 2
    assert f"{y_id}op -> {y_id} [color=\"{FADED['color']}\"]" in source


def test_x_times_x_gradient_is_one_add_gate_reading_x_twice() -> None:
    # d(x*x)/dx = x*1 + 1*x: mul's row gives (b, a) = (x, x) and the seed 1 multiplies nothing, so one + gate.
    x = Value(3.0, label="x")
    y = x * x
    (d,) = grad(y, [x], create_graph=True)
    parts = clusters(draw_gradient_graph(d, y, gradient_name="dy/dx").source)
    backward = node_lines(parts["cluster_backward"])
    assert len(backward) == 2
    assert any(r'dy/dx\ndata 6.0000' in a for a in backward.values())
    assert any("label=\"+\"" in a for a in backward.values())


def test_slide_weight_gradient_is_the_first_order_gradient() -> None:
    # Slides: dE/dw1[0,1] = .0020 (row 1). The graph's root holds the same number as backward() gives.
    model = slides_network()
    g = row_graph(model, 1)
    bias = model.layers[0].neurons[0].b
    (d,) = grad(g.E, [bias], create_graph=True)
    g.E.backward()
    assert d.data == pytest.approx(bias.grad, abs=1e-15)
    parts = clusters(draw_gradient_graph(d, g.E, gradient_name="dE/dw1[0,1]").source)
    assert r"dE/dw1[0,1]\ndata 0.0020" in parts["cluster_backward"]
    assert r"a2[1]\ndata 0.8896" in parts["cluster_forward"]


@needs_svg
def test_svg_places_each_node_inside_its_cluster() -> None:
    _, y, dy = tanh_example()
    graph = draw_gradient_graph(dy, y)
    root = ET.fromstring(render_source(graph.source, "svg"))
    boxes: dict[str, tuple[float, float, float, float]] = {}
    centres: dict[str, tuple[float, float]] = {}
    for group in root.iter(f"{SVG}g"):
        title = group.find(f"{SVG}title")
        kind = group.get("class")
        if title is None or kind not in ("cluster", "node"):
            continue
        if kind == "cluster":  # a rounded cluster is drawn as a path: its outline's coordinates bound it
            outline = group.find(f"{SVG}path")
            assert outline is not None
            numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", outline.get("d", ""))]
            xs, ys = numbers[0::2], numbers[1::2]
            boxes[title.text or ""] = (min(xs), min(ys), max(xs), max(ys))
        else:
            shape = group.find(f"{SVG}text")
            assert shape is not None
            centres[title.text or ""] = (float(shape.get("x", "nan")), float(shape.get("y", "nan")))
    source_clusters = clusters(graph.source)
    assert set(boxes) == set(source_clusters)
    for name, body in source_clusters.items():
        x0, y0, x1, y1 = boxes[name]
        for node in node_lines(body):
            x, y_ = centres[node]
            assert x0 <= x <= x1 and y0 <= y_ <= y1, f"{node} drawn outside {name}"
    # The faded text colour reaches the SVG: the forward node w's text is grey.
    w_text = [t for t in root.iter(f"{SVG}text") if t.text == "w"]
    assert w_text and w_text[0].get("fill") == FADED["fontcolor"]


def test_refuses_a_gradient_without_a_graph_and_non_values() -> None:
    w = Value(0.5)
    y = w.tanh()
    (flat,) = grad(y, [w])  # no create_graph: a plain leaf
    with pytest.raises(ValueError, match="create_graph=True"):
        draw_gradient_graph(flat, y)
    a, b = Value(2.0), Value(3.0)
    product = a * b
    (same,) = grad(product, [a], create_graph=True)
    assert same is b  # d(a*b)/da is b itself
    with pytest.raises(ValueError, match="itself a value of the forward graph"):
        draw_gradient_graph(same, product)
    with pytest.raises(TypeError, match="gradient must be a Value"):
        draw_gradient_graph(0.5, y)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="forward_output must be a Value"):
        draw_gradient_graph(y, "y")  # type: ignore[arg-type]
    _, y2, dy = tanh_example()
    with pytest.raises(GraphTooLarge, match="over the limit of 3"):
        draw_gradient_graph(dy, y2, max_nodes=3)
    with pytest.raises(ValueError, match="decimals"):
        draw_gradient_graph(dy, y2, decimals=-1)
    with pytest.raises(TypeError, match="names must be GraphNames or a mapping"):
        draw_gradient_graph(dy, y2, names=["w"])  # type: ignore[arg-type]


def test_given_names_replace_labels_on_both_sides() -> None:
    w, y, dy = tanh_example()
    source = draw_gradient_graph(dy, y, names={w: "weight", dy: "1 - tanh(w)^2"}).source
    assert r'label="weight\ndata 0.5000"' in source
    assert r'label="1 - tanh(w)^2\ndata 0.7864"' in source


def test_refuses_a_forward_graph_the_gradient_does_not_read() -> None:
    # The brief's trial: tanh's gradient 1 - t*t reads t = tanh(w), which 3*2 never computed.
    w = Value(0.3)
    (g,) = grad(w.tanh(), [w], create_graph=True)
    with pytest.raises(ValueError, match="reads nothing of forward_output's graph"):
        draw_gradient_graph(g, Value(3.0) * 2)
    # A constant the engine shares (the 1 of 1 - t*t is also the 1 of 3 - 1) links nothing either.
    with pytest.raises(ValueError, match="reads nothing"):
        draw_gradient_graph(g, Value(3.0) - 1)
    # The gradient of a linear function is computed from its constants alone: d(3*(2*x))/dx = 3*2 = 6 is drawn.
    x = Value(1.5, label="x")
    y = (x * 2) * 3
    (d,) = grad(y, [x], create_graph=True)
    assert d.data == 6.0
    assert r"data 6.0000" in draw_gradient_graph(d, y).source


def test_names_and_title_must_be_text() -> None:
    _, y, dy = tanh_example()
    with pytest.raises(TypeError, match="gradient_name must be a str, got int"):
        draw_gradient_graph(dy, y, gradient_name=5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="title must be a str, got list"):
        draw_gradient_graph(dy, y, title=["t"])  # type: ignore[arg-type]


def test_constants_the_backward_pass_uses_are_not_dashed_forward_reads() -> None:
    # d(2*w*w)/dw = 2*w + 2*w... whatever its gates, the constant 2 is also a forward node (the engine shares it);
    # dashed edges must start only at forward values: w and the forward products, never a constant's node.
    w = Value(0.5, label="w")
    y = (w * 2) * w
    (d,) = grad(y, [w], create_graph=True)
    assert d.data == pytest.approx(4 * 0.5)
    source = draw_gradient_graph(d, y).source
    dashed = re.findall(r"^\t(\w+) -> \w+ \[style=dashed\]$", source, re.MULTILINE)
    assert dashed, source
    assert all(re.fullmatch(r"v\d+", s) for s in dashed), dashed  # constants' per-use nodes are v<i>c<j>
    assert re.search(r"^\tv\d+c\d+ -> v\d+op$", source, re.MULTILINE), source  # the 2 enters a backward gate


def test_backward_nodes_that_are_a_named_nodes_gradient_carry_its_name() -> None:
    # y = h*h, h = tanh(x), x = 0.5: dy/dh = h + h = 2 tanh(0.5) = 0.9242 (mul's row gives (b, a) = (h, h)),
    # dy/dx = dy/dh * (1 - h*h) = 2 tanh(0.5) (1 - tanh(0.5)^2) = 0.72686.
    x = Value(0.5, label="x")
    h = x.tanh()
    h.label = "h"
    y = h * h
    y.label = "y"
    dx, dh = grad(y, [x, h], create_graph=True)
    assert f"{2 * math.tanh(0.5):.4f}" == "0.9242" and dh.data == pytest.approx(2 * math.tanh(0.5))
    backward = clusters(draw_gradient_graph(dx, y, gradient_name="dy/dx", gradients_of={h: dh}).source)[
        "cluster_backward"]
    assert r"dy/dh\ndata 0.9242" in backward
    assert r"dy/dx\ndata 0.7269" in backward
    # Without it the node is drawn unnamed; a gradient that is not in the backward cluster is ignored.
    plain = clusters(draw_gradient_graph(dx, y).source)["cluster_backward"]
    assert r'label="data 0.9242"' in plain
    other = Value(1.0)
    assert "dy/dh" not in draw_gradient_graph(dx, y, gradients_of={h: other}).source
    with pytest.raises(TypeError, match="gradients_of must be a mapping"):
        draw_gradient_graph(dx, y, gradients_of=[(h, dh)])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="gradients_of must map Values to Values, got Value -> float"):
        draw_gradient_graph(dx, y, gradients_of={h: 0.9})  # type: ignore[dict-item]


@needs_svg
def test_lecture_gradient_picture_leaves_no_empty_band_under_its_clusters() -> None:
    # The trial's picture: dashed reads looped under the backward cluster, leaving the bottom 23% of the
    # drawing (328 of 1437 pt) to edges alone. Ranked together, the clusters leave under 9% (the read of
    # a0[1] by the last gate still passes below).
    from lecture.mlp_hessian import gradient_picture

    root = ET.fromstring(render_source(gradient_picture(1, 1).source, "svg"))
    outline = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "graph").find(f"{SVG}polygon")
    assert outline is not None
    page_ys = [float(y) for y in re.findall(r"-?\d+(?:\.\d+)?,(-?\d+(?:\.\d+)?)", outline.get("points", ""))]
    cluster_ys: list[float] = []
    for group in root.iter(f"{SVG}g"):
        if group.get("class") == "cluster":
            path = group.find(f"{SVG}path")
            assert path is not None
            cluster_ys += [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", path.get("d", ""))][1::2]
    height = max(page_ys) - min(page_ys)
    empty_below = max(page_ys) - max(cluster_ys)
    assert empty_below < 0.12 * height, f"{empty_below:.0f} of {height:.0f} pt empty under the clusters"


def sigmoid_example() -> tuple[Value, Value, Value]:
    w = Value(0.5, label="w")
    a = w.sigmoid()
    a.label = "a"
    (da,) = grad(a, [w], create_graph=True)
    return w, a, da


def test_expression_names_say_which_local_derivative_each_box_is() -> None:
    # sigmoid's backward pass builds out * (1 - out): with a = sigmoid(0.5) = 0.6225, 1 - a = 0.3775 and
    # a (1 - a) = 0.2350, which is the gradient itself (named dy/dx), so only 1 - a gets an expression name.
    a = 1 / (1 + math.exp(-0.5))
    _, y, da = sigmoid_example()
    backward = node_lines(clusters(draw_gradient_graph(da, y, expression_names=True).source)["cluster_backward"])
    labels = sorted(map(label_of, backward.values()))
    assert rf"1 - a\ndata {1 - a:.4f}" in labels
    assert rf"da/dx\ndata {a * (1 - a):.4f}" in labels
    plain = node_lines(clusters(draw_gradient_graph(da, y).source)["cluster_backward"])
    assert rf"data {1 - a:.4f}" in map(label_of, plain.values())  # off by default: a bare value, as before


def test_expression_names_in_the_mlp_gradient_picture() -> None:
    from lecture.mlp_hessian import gradient_picture

    source = gradient_picture().source
    backward = clusters(source)["cluster_backward"]
    values = {m.group(1): float(m.group(2)) for m in re.finditer(r'label="([^"\\]*)\\ndata (-?[\d.]+)"', source)}
    for j, y in ((1, 0.1), (2, 0.05)):  # the slides' targets y[1] = 0.1, y[2] = 0.05
        a2 = values[f"a2[{j}]"]
        for name, expected in ((f"1 - a2[{j}]", 1 - a2), (f"a2[{j}]·(1 - a2[{j}])", a2 * (1 - a2)),
                               (f"2·(a2[{j}] - y[{j}])", 2 * (a2 - y))):
            assert f'label="{name}\\ndata' in backward, name
            assert values[name] == pytest.approx(expected, abs=2e-4), name
    assert values["a1[1]·(1 - a1[1])"] == pytest.approx(values["a1[1]"] * (1 - values["a1[1]"]), abs=2e-4)
    assert values["dE/ds2[1]·w2[1,1]"] == pytest.approx(values["dE/ds2[1]"] * 0.7, abs=2e-4)  # w2[1,1] = 0.7


def test_long_expressions_stay_unnamed_and_the_switch_is_a_bool() -> None:
    w = Value(0.3, label="a_rather_long_weight_name")
    y = w.sigmoid()
    y.label = "a_rather_long_output_name"
    (dy,) = grad(y, [w], create_graph=True)
    source = draw_gradient_graph(dy, y, expression_names=True).source
    assert "·(1 - a_rather" not in source and "1 - a_rather_long_output_name" not in source  # 30 characters
    with pytest.raises(TypeError, match="expression_names must be True or False"):
        draw_gradient_graph(dy, y, expression_names="yes")  # type: ignore[arg-type]


def test_copy_leaf_reads_draws_a_read_forward_leaf_beside_its_backward_gate() -> None:
    # y = tanh(w * x): dy/dw = (1 - y*y) * x reads the forward leaf x (= 3) at its last gate.
    w, x = Value(0.5, label="w"), Value(3.0, label="x")
    y = (w * x).tanh()
    y.label = "y"
    (dy,) = grad(y, [w], create_graph=True)
    assert dy.data == pytest.approx((1 - math.tanh(1.5) ** 2) * 3.0)
    plain = draw_gradient_graph(dy, y).source
    x_id = next(i for i, a in node_lines(clusters(plain)["cluster_forward"]).items() if a.startswith(r'label="x\n'))
    assert re.search(rf"^\t{x_id} -> \w+ \[style=dashed\]$", plain, re.M)  # by default: an edge from x
    source = draw_gradient_graph(dy, y, copy_leaf_reads=True).source
    backward = node_lines(clusters(source)["cluster_backward"])
    copies = {i: a for i, a in backward.items() if "(forward)" in a}
    assert list(copies.values()) == [r'label="x (forward)\ndata 3.0000" color="#868e96" fontcolor="#495057" shape=box'
                                     ' style="rounded,dashed"']
    (copy,) = copies
    assert not re.search(rf"^\t{x_id} -> \w+ \[style=dashed\]$", source, re.M)  # x keeps only its forward edge
    assert re.search(rf"^\t{copy} -> (\w+)op \[style=dashed\]$", source, re.M)
    y_id = next(i for i, a in node_lines(clusters(source)["cluster_forward"]).items() if a.startswith(r'label="y\n'))
    assert source.count(f"\t{y_id} -> ") == 2  # the computed y is still read over dashed edges (y*y)
    # An unnamed leaf's copy is not given a made-up name.
    u = Value(3.0)
    z = (w * u).tanh()
    (dz,) = grad(z, [w], create_graph=True)
    assert r'label="(forward)\ndata 3.0000"' in draw_gradient_graph(dz, z, copy_leaf_reads=True).source
    with pytest.raises(TypeError, match="copy_leaf_reads must be True or False"):
        draw_gradient_graph(dy, y, copy_leaf_reads=1)  # type: ignore[arg-type]


def test_lecture_gradient_picture_reads_its_weights_and_input_beside_the_gates() -> None:
    # dE/dw1[1,1] = dE/ds1[1] * a0[1] reads the input a0[1] (1.0) at its last gate, and dE/da1[1] reads
    # w2[1,1] (0.7) and w2[1,2] (0.8): drawn beside those gates, not as edges from the forward graph's
    # left edge (a0[1]'s crossed the whole picture under it).
    from lecture.mlp_hessian import gradient_picture

    source = gradient_picture(1, 1).source
    backward = clusters(source)["cluster_backward"]
    copies = dict(re.findall(r'label="(\S+) \(forward\)\\ndata ([\d.]+)"', backward))
    assert copies == {"a0[1]": "1.0000", "w2[1,1]": "0.7000", "w2[1,2]": "0.8000"}
    forward_ids = set(node_lines(clusters(source)["cluster_forward"]))
    dashed_from = re.findall(r"^\t(\w+) -> \w+ \[style=dashed\]$", source, re.M)
    forward_lines = node_lines(clusters(source)["cluster_forward"])
    for tail in dashed_from:  # every other dashed read starts at a computed forward value
        if tail in forward_ids:
            assert forward_lines[tail].split("\\n")[0].removeprefix('label="') in {"a1[1]", "a2[1]", "a2[2]",
                                                                             "a2[1] - y[1]", "a2[2] - y[2]"}
    assert len(dashed_from) == 3 + 8  # the 3 copies; a1[1], a2[1], a2[2], a2[k] - y[k] each read twice


@needs_svg
def test_no_dashed_read_crosses_the_lecture_gradient_picture() -> None:
    # a0[1]'s dashed edge ran from the forward graph's left edge under it to the last gate at the far
    # right: 2,047 of 2,311 pt. Every dashed read now spans at most a third of the picture's width.
    from lecture.mlp_hessian import gradient_picture

    root = ET.fromstring(render_source(gradient_picture(1, 1).source, "svg"))
    width = float(re.match(r"[\d.]+", root.get("width", "")).group())  # type: ignore[union-attr]
    spans = []
    for group in root.iter(f"{SVG}g"):
        path = group.find(f"{SVG}path")
        if group.get("class") == "edge" and path is not None and path.get("stroke-dasharray"):
            xs = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", path.get("d", ""))][0::2]
            spans.append(max(xs) - min(xs))
    assert len(spans) == 11
    assert max(spans) < width / 3, (max(spans), width)


def test_lecture_gradient_picture_names_its_bias_inputs_and_targets_where_they_are_used() -> None:
    # The forward graph reads plain numbers: the bias input 1 of each neuron's sum and the targets y[1] = 0.1,
    # y[2] = 0.05 of row 1 (the slides' first row). Drawn as a bare "1" among the weights, a lecturer could not
    # tell what it was; drawn as the slides name it ("a0[0] = 1"), it reads as row 1's data.
    from lecture.mlp_hessian import gradient_picture

    forward = clusters(gradient_picture(1, 1).source)["cluster_forward"]
    plain = sorted(label_of(attrs) for attrs in node_lines(forward).values() if "shape=plaintext" in attrs)
    assert plain == sorted(["0.5", "a0[0] = 1", "a0[0] = 1", "a1[0] = 1", "a1[0] = 1", "y[1] = 0.1", "y[2] = 0.05"])
