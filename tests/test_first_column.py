"""draw_graph(first_column=...): shared inputs in one column at the far left, and clusters in the groups' order."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from conftest import needs_svg

from autograd import Value, dot
from lecture.slide_names import mlp_names
from lecture.slides_mlp import row_graph, slides_network
from viz import draw_graph, groups_from_parameters
from viz.names import GraphNames
from viz.render import render_source

SVG = "{http://www.w3.org/2000/svg}"


def two_units() -> tuple[Value, list[Value], list[Value], Value]:
    """Two sums w_k . [x0, x1] + b_k reading the same inputs, tanh'd and added: (loss, inputs, weights, x0's use)."""
    x = [Value(0.5, label="x0"), Value(-2.0, label="x1")]
    w = [Value(0.1 * (k + 1), label=f"w{k}") for k in range(4)]
    b = [Value(0.3, label="b0"), Value(-0.2, label="b1")]
    z0 = dot([w[0], w[1], b[0]], [*x, 1.0])
    z1 = dot([w[2], w[3], b[1]], [*x, 1.0])
    loss = z0.tanh() + z1.tanh()
    loss.backward()
    return loss, x, w, z0


def first_column_nodes(source: str) -> list[str]:
    block = re.search(r"subgraph first_column \{\n\t\trank=same\n((?:\t\t\w+\n)+)", source)
    return block.group(1).split() if block else []


def ids_by_name(source: str) -> dict[str, str]:
    return {m.group(2): m.group(1) for m in re.finditer(r'^\t+(\w+) \[label="?([^"\\ ]+)', source, re.M)}


def test_the_first_column_is_the_leftmost_rank_in_the_order_given() -> None:
    loss, x, w, _ = two_units()
    source = draw_graph(loss, parameters=w, first_column=[x[1], x[0]]).source
    ids = ids_by_name(source)
    assert first_column_nodes(source) == [ids["x1"], ids["x0"]]
    assert f"\t\t{ids['x1']} -> {ids['x0']} [style=invis]" in source  # x1 above x0
    # Each input's edges skip the weights' column; the weights' edges do not.
    assert len(re.findall(rf"\t{ids['x0']} -> \w+op \[minlen=2\]", source)) == 2
    assert not re.search(rf"\t{ids['w0']} -> \w+ \[minlen", source)
    # Left out of the rank=same columns of each gate's inputs, where it would sit beside the weights.
    for block in re.findall(r"(?<!first_column )\{\n\t+rank=same\n((?:\t+[^\n]+\n)+?)\t+\}", source):
        assert ids["x0"] not in block.split() and ids["x1"] not in block.split()
    assert first_column_nodes(draw_graph(loss, parameters=w).source) == []  # nothing changes without it


def test_a_named_number_can_lead_the_column_as_one_box() -> None:
    loss, x, w, z0 = two_units()
    z1 = loss.parents[1].parents[0]  # loss = tanh(z0) + tanh(z1)
    names = GraphNames(uses={(z0, len(z0.parents) - 1): "one", (z1, len(z1.parents) - 1): "one"})
    source = draw_graph(loss, parameters=w, names=names, first_column=[*x, "one"]).source
    assert "shape=plaintext" not in source  # the 1 is drawn once, under its name
    column = first_column_nodes(source)
    assert len(column) == 3 and re.search(rf'\t{column[2]} \[label="one\\ndata 1.0000"', source)
    assert len(re.findall(rf"\t{column[2]} -> \w+op \[minlen=2\]", source)) == 2


def test_bad_first_columns_are_refused_by_name() -> None:
    loss, x, w, z0 = two_units()
    with pytest.raises(ValueError, match="no drawn leaf"):
        draw_graph(loss, first_column=[z0])
    with pytest.raises(ValueError, match="no drawn leaf"):
        draw_graph(loss, first_column=[Value(1.0)])
    with pytest.raises(ValueError, match="'bias'.*no named number"):
        draw_graph(loss, first_column=["bias"])
    one = next(p for p in z0.parents if p.is_constant)  # the bias's 1, a constant shared by both sums
    with pytest.raises(ValueError, match="plain number 1, drawn beside each gate.*names.uses"):
        draw_graph(loss, first_column=[one])
    with pytest.raises(ValueError, match="twice"):
        draw_graph(loss, first_column=[x[0], x[0]])
    with pytest.raises(TypeError, match="first_column must be a sequence"):
        draw_graph(loss, first_column=x[0])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="got an item of type float"):
        draw_graph(loss, first_column=[0.5])  # type: ignore[list-item]


def test_top_level_clusters_are_written_in_the_order_of_groups() -> None:
    # Row 1's graph: layer 1 was written after layer 2 (the order the loss reaches them from the root).
    model = slides_network()
    g = row_graph(model, 1)
    g.E.backward()
    groups = groups_from_parameters(g.E, model.named_parameters())
    for first in ("layer 1", "layer 2"):
        ordered = dict(sorted(groups.items(), key=lambda item: not item[1].startswith(first)))
        source = draw_graph(g.E, groups=ordered).source
        top = re.findall(r"\n\tsubgraph cluster_\d+ \{\n\t\t[^\n]*label=\"([^\"]+)\"", source)
        assert top == ([first, "layer 2" if first == "layer 1" else "layer 1"]), (first, top)


@needs_svg
def test_the_first_column_is_drawn_left_of_everything_else() -> None:
    loss, x, w, _ = two_units()
    source = draw_graph(loss, parameters=w, first_column=x).source
    ids = ids_by_name(source)
    xs, ys = {}, {}
    for g in ET.fromstring(render_source(source, "svg")).iter(f"{SVG}g"):
        if g.get("class") == "node":
            text = next(g.iter(f"{SVG}text"))
            xs[g.find(f"{SVG}title").text] = float(text.get("x"))
            ys[g.find(f"{SVG}title").text] = float(text.get("y"))
    assert xs[ids["x0"]] == xs[ids["x1"]] < min(xs[ids[f"w{k}"]] for k in range(4))
    assert ys[ids["x0"]] < ys[ids["x1"]]


def test_a_leaf_left_out_of_the_drawing_is_left_out_of_the_column() -> None:
    # A hidden parameter, or a leaf inside a collapsed box, named in the column would be drawn as a bare ellipse.
    loss, x, w, _ = two_units()
    source = draw_graph(loss, parameters=w, show_parameters=False, first_column=[w[0], *x]).source
    ids = ids_by_name(draw_graph(loss, parameters=w).source)
    assert first_column_nodes(source) == [ids["x0"], ids["x1"]]
    assert not re.search(rf"^\t+{ids['w0']}\b", source, re.M)
    collapsed = draw_graph(loss, parameters=w, groups={x[0]: "inputs", x[1]: "inputs"}, collapsed=True,
                           first_column=x).source
    assert "first_column" not in collapsed and not re.search(rf"^\t+{ids['x0']}\b", collapsed, re.M)


def enclosing_cluster(source: str, node_label_start: str) -> str:
    """The label of the innermost cluster whose block declares the node whose label starts so ("" if none)."""
    lines = source.splitlines()
    index = next(i for i, line in enumerate(lines) if f'[label="{node_label_start}' in line)
    depth = 0
    for line in reversed(lines[:index]):
        if line.strip() == "}":
            depth += 1
        elif line.rstrip().endswith("{"):
            if depth == 0:
                if "subgraph cluster_" in line:
                    label = re.search(r'label="?([^"\n]+?)"? style', lines[lines.index(line) + 1])
                    return label.group(1) if label else ""
                continue  # a rank=same block: look further out
            depth -= 1
    return ""


def test_a_named_number_read_by_two_neurons_sits_in_their_layer() -> None:
    # a0[0] (the bias's 1) feeds both neurons of layer 1: it was drawn inside neuron 2's frame (the last user
    # named), with an edge out of that frame into neuron 1.
    model = slides_network()
    g = row_graph(model, 1)
    g.E.backward()
    source = draw_graph(g.E, groups=groups_from_parameters(g.E, model.named_parameters()),
                        names=mlp_names(model, g.E)).source
    assert enclosing_cluster(source, "a0[0]") == "layer 1"
    assert enclosing_cluster(source, "a1[0]") == "layer 2"
    assert enclosing_cluster(source, "w1[0,2]") == "neuron 2"
