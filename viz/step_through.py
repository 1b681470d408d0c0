"""A self-contained HTML page that steps through a backward pass node by node.

The slides walk the chain rule one weight at a time; this page does the same
for any graph. Step k shows the graph with the gradients accumulated so far
(the rest "not computed"), outlines the nodes that just received gradient, and
prints the chain-rule products that produced them:

    dE/d(w2[0,1]) += dE/d(s2[1]) x d(s2[1])/d(w2[0,1]) = 0.0776 x 1.0000

The local derivatives come from the op table, as in the engine's own pass.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from autograd import Value, topological_order
from autograd.shown import short_repr

from .arguments import check_decimals, check_max_nodes, check_root, check_title
from .graph import GraphTooLarge, _fmt, _folded, draw_graph, drawn_nodes_up_to, local_derivatives, visible_text
from .names import GraphNames, label_of, reading_order
from .picture import ValueGraph
from .render import render_source

MAX_STEPS = 200


@dataclass(frozen=True)
class Contribution:
    """One chain-rule product: d(root)/d(parent) += upstream x local."""

    parent: Value
    upstream: float
    local: float
    total: float

    @property
    def product(self) -> float:
        """upstream x local."""
        return self.upstream * self.local


@dataclass(frozen=True)
class BackwardStep:
    """The backward pass passing one node's gradient to its parents."""

    node: Value
    contributions: tuple[Contribution, ...]
    gradients: Mapping[Value, float]  # everything known after this step


def backward_steps(root: Value, *, max_steps: int = 1_000) -> list[BackwardStep]:
    """Replay ``root``'s backward pass as a list of steps, without touching ``.grad``.

    Each step keeps a snapshot of every gradient known so far, so memory grows with the square of the
    steps (1,000 steps: some 40 MB; 40,000 ran out of memory): a graph of more than ``max_steps`` op
    nodes raises `GraphTooLarge` before any step is taken.
    """
    check_root("backward_steps", root)
    if not isinstance(max_steps, int) or isinstance(max_steps, bool):
        raise TypeError(f"max_steps must be an integer, got {type(max_steps).__name__}")
    if max_steps < 0:  # else refused as the graph's fault: "over the limit of -1"
        raise ValueError(f"backward_steps: max_steps must be >= 0, got {short_repr(max_steps)}")
    nodes = [node for node in reversed(topological_order(root)) if not node.is_leaf]
    if len(nodes) > max_steps:
        raise GraphTooLarge(f"backward_steps: the graph has {len(nodes):,} steps, over the limit of {max_steps:,}:"
                            " each keeps every gradient known so far; step through a smaller graph or raise"
                            " max_steps")
    grads: dict[Value, float] = {root: 1.0}
    steps = []
    for node in nodes:
        upstream = grads.get(node, 0.0)
        shown = len(node.parents) - _folded(node)
        contributions = []
        for parent, local in list(zip(node.parents, local_derivatives(node)))[:shown]:
            grads[parent] = grads.get(parent, 0.0) + upstream * local
            contributions.append(Contribution(parent, upstream, local, grads[parent]))
        steps.append(BackwardStep(node, tuple(contributions), dict(grads)))
    return steps


MAX_EXPRESSION = 40  # longer expressions name a node by its op and position instead


def name_of(v: Value, ids: Mapping[Value, int], depth: int = 2) -> str:
    """A node's label; else the expression that computed it from its parents' names, when short; else its op.

    ``(a2[1] − 0.1)^2`` reads better than an internal number; a node whose
    expression would be long is "the sum node 33" (its position in the graph).
    """
    if label_of(v):
        return visible_text(label_of(v))
    if v.is_constant:
        return f"{v.data:g}"
    kind = v.op.name if v.op is not None else "leaf"
    if v.is_leaf and v.op is not None:  # computed under no_grad: a number to this graph, not one of its nodes
        return f"the no_grad {kind} value {ids[v]}"
    fallback = f"the {kind} node {ids[v]}"
    if v.op is None or depth == 0 or not v.parents or len(v.parents) > 3:
        return fallback
    parts = [name_of(p, ids, depth - 1) for p in v.parents]
    if any(part.startswith("the ") for part in parts):
        return fallback
    wrapped = [part if re.fullmatch(r"[\w\[\],.']+", part) else f"({part})" for part in parts]
    symbol = v.op.symbol
    if len(parts) == 2 and symbol in ("+", "−", "×", "÷", "^"):
        text = f"{wrapped[0]}{symbol}{wrapped[1]}" if symbol == "^" else f"{wrapped[0]} {symbol} {wrapped[1]}"
    elif symbol == "Σ":
        text = " + ".join(wrapped)
    else:
        text = f"{symbol}({', '.join(parts)})"
    return text if len(text) <= MAX_EXPRESSION else fallback


def d_of(name: str) -> str:
    """``name`` as it follows a 'd' in dE/d...: in parentheses unless it is one plain name like a1[2]."""
    return name if re.fullmatch(r"[\w\[\],.']+", name) else f"({name})"


def step_through_page(
    root: Value,
    *,
    title: str = "Backpropagation, one node at a time",
    decimals: int = 4,
    max_nodes: int = 120,
    parameters: Iterable[Value] = (),
    groups: Mapping[Value, str] | None = None,
    names: GraphNames | Mapping[Value, str] | None = None,
    first_column: Sequence[Value | str] = (),
    arrange: Callable[[ValueGraph], object] | None = None,
    key: str = "",
) -> str:
    """The HTML page (one string, no external files) for ``root``'s backward pass.

    The graph is laid out once, drawn with every final gradient; each frame
    only changes which gradients are shown, which node is outlined and the
    caption, so nothing moves between frames. Frame 0 is dE/dE = 1; frame k
    gives the k-th node (in backward order) its gradient as the chain-rule sum
    over the nodes that consume it. ``first_column``: inputs to draw in one
    column at the far left, as `viz.draw_graph` takes them. ``arrange``: called
    with the drawn graph before it is laid out, to edit its DOT (the lecture's
    `lecture.graph_pictures.line_up_inputs_with_weights`); a TypeError when it
    is not callable. ``key``: a line under the title saying what the colours
    mean (none when empty).
    """
    if arrange is not None and not callable(arrange):
        raise TypeError(f"step_through_page: arrange must be a function of the graph, got {type(arrange).__name__}")
    check_root("step_through_page", root)
    check_decimals(decimals)
    check_max_nodes(max_nodes)
    check_title(title)
    check_title(key, "key")
    # Counted only up to the limit, before the graph is listed: a graph of millions of nodes is refused at once.
    if drawn_nodes_up_to(root, max_nodes) > max_nodes:
        raise GraphTooLarge(
            f"the graph has more than {max_nodes} nodes, over the step-through limit of {max_nodes}:"
            " step through a smaller graph (one data row, a few time steps) or raise max_nodes"
        )
    order = topological_order(root)
    named = GraphNames.of(names)
    ids = {v: i for i, v in enumerate(order)}

    root_name = visible_text(named.nodes[root]) if root in named.nodes else (visible_text(label_of(root)) or "L")

    def called(v: Value) -> str:
        if v is root:
            return root_name
        return visible_text(named.nodes[v]) if v in named.nodes else name_of(v, ids)
    consumers: dict[Value, list[tuple[Value, float]]] = {}
    for node in order:
        if node.is_leaf:
            continue
        shown = len(node.parents) - _folded(node)
        for parent, local in list(zip(node.parents, local_derivatives(node)))[:shown]:
            consumers.setdefault(parent, []).append((node, local))
    position = {v: i for i, v in enumerate(reading_order(root))}
    svg_ids = {v: f"v{i}" for v, i in position.items()}  # draw_graph's node ids
    grads: dict[Value, float] = {root: 1.0}
    frames: list[dict[str, object]] = [{
        "node": svg_ids[root], "caption": f"Frame 0: the start of backward(): d{root_name}/d{root_name} = 1.",
               "lines": [f"d{root_name}/d{root_name} = 1"]}]
    known_at = {root: 0}
    for node in reversed(order):
        if node is root or not node.requires_grad:  # a constant or a no_grad value receives no gradient
            continue
        # Consumers in the picture's reading order, so the sum runs j = 1, 2, ... as on the slides.
        terms = sorted(consumers.get(node, []), key=lambda term: position[term[0]])
        grads[node] = sum(grads.get(c, 0.0) * local for c, local in terms)
        known_at[node] = len(frames)
        me = called(node)
        parts = [f"d{root_name}/d{d_of(called(c))} × d{d_of(called(c))}/d{d_of(me)}" for c, _ in terms]
        numbers = [f"{grads.get(c, 0.0):.{decimals}f} × {local:.{decimals}f}" for c, local in terms]
        line = f"d{root_name}/d{d_of(me)} = " + " + ".join(parts) + " = " + " + ".join(numbers) + \
            f" = {grads[node]:.{decimals}f}"
        frames.append({"node": svg_ids[node], "caption": f"Step {len(frames)}: {me} receives its gradient from its "
                       f"{len(terms)} consumer{'s' if len(terms) != 1 else ''} (the chain rule sums over them).",
                       "lines": [line]})
        if len(frames) > MAX_STEPS:
            break
    nodes = {svg_ids[v]: [k, _fmt(grads[v], decimals)] for v, k in known_at.items()}
    # Laid out as frame 0 shows it (every gradient but the root's "not computed"): laid out with the final
    # numbers, boxes sized for "grad 0.0020" overflowed once the page wrote "grad not computed" into them.
    graph = draw_graph(root, decimals=decimals, parameters=list(parameters), groups=groups, gradients={root: 1.0},
                       max_nodes=max_nodes, names=named, first_column=first_column)
    if arrange is not None:
        arrange(graph)
    key_line = f'<p id="key">{html.escape(visible_text(key))}</p>' if key else ""
    fill = {"__TITLE__": html.escape(visible_text(title)), "__KEY__": key_line, "__FRAMES__": script_json(frames),
            "__NODES__": script_json(nodes), "__SVG__": _svg(graph), "__FRAME_LINK__": FRAME_LINK_SCRIPT}
    # One pass, so a title holding "__FRAMES__" stays text.
    return re.sub("__TITLE__|__KEY__|__FRAMES__|__NODES__|__SVG__|__FRAME_LINK__", lambda m: fill[m.group()], _PAGE)


def script_json(data: object) -> str:
    """``data`` as JSON that is safe inside an HTML ``<script>`` element.

    ``<``, ``>`` and ``&`` become \\u escapes, so no ``</script>`` or ``<!--``
    (which makes the HTML parser hold on to the script past its end tag) can
    appear; ``ensure_ascii`` also escapes U+2028/U+2029 for older JavaScript
    parsers. A JavaScript string reads the escapes back as the same characters.
    """
    text = json.dumps(data, ensure_ascii=True, allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


#: The script that keeps a frame page's address and frame together: ``page.html#7`` shows frame 7,
#: on load and whenever the address's #N changes (a link followed, Back, the user editing it), and
#: every step writes its #N back, so the address can be copied as a link to the frame on screen.
#: Steps replace the address (history.replaceState) rather than push one: a reader pressing Back
#: expects to leave the page or undo a followed link, not to walk back through every arrow-key
#: press. A #N that is not a frame shows the nearest real one (#999: the last, #-1 and #abc: the
#: first) and the address is corrected to it; a page opened without #N shows frame 0 and says #0.
#: The page defines ``frames`` and ``show(i)``, and ``show`` calls ``linkTo(i)``.
FRAME_LINK_SCRIPT = """\
function frameInHash() {
  const m = /^#(-?)(\\d+)$/.exec(location.hash);
  if (!m) return 0;
  return m[1] ? 0 : Math.min(frames.length - 1, parseInt(m[2], 10));
}
function linkTo(i) {
  if (location.hash === "#" + i) return;
  // A page shown where it may not change its address (a sandboxed frame) still steps.
  try { history.replaceState(history.state, "", "#" + i); } catch (err) { return; }
}
window.addEventListener("hashchange", () => show(frameInHash()));
show(frameInHash());
"""


def _svg(graph: ValueGraph) -> str:
    svg = render_source(graph.source, "svg").decode("utf-8")
    return re.sub(r"^.*?(<svg)", r"\1", svg, count=1, flags=re.S)


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>__TITLE__</title>
<style>
html, body { height: 100%; margin: 0; }
body { font-family: system-ui, sans-serif; color: #212529; display: flex; flex-direction: column; }
header { padding: .5em 1em; flex: none; }
h1 { font-size: 1.2em; margin: 0 0 .3em; }
#key { font-size: .9em; color: #495057; margin: 0 0 .3em; }
#controls { display: flex; gap: .6em; align-items: center; }
#slider { width: 24em; }
#caption { font-weight: 600; margin: .3em 0; }
#lines { font-family: ui-monospace, monospace; background: #f8f9fa; padding: .4em; white-space: pre-wrap;
         height: 3.6em; overflow: auto; }
#graph { flex: 1; min-height: 0; border-top: 1px solid #dee2e6; cursor: grab; overflow: hidden; }
#graph svg { width: 100%; height: 100%; }
.unknown { opacity: .35; }
.current path, .current polygon { stroke: #e03131; stroke-width: 4; }
</style></head>
<body>
<header>
<h1>__TITLE__</h1>
__KEY__
<div id="controls">
  <button id="prev">&larr; back</button>
  <input id="slider" type="range" min="0" value="0">
  <button id="next">next &rarr;</button>
  <span id="counter"></span>
  <button id="fit">zoom to fit</button>
  <span>(arrow keys step; drag to pan; wheel to zoom)</span>
</div>
<div id="caption"></div>
<div id="lines"></div>
</header>
<div id="graph">__SVG__</div>
<script>
const frames = __FRAMES__;
const nodes = __NODES__;
const slider = document.getElementById("slider");
slider.max = frames.length - 1;
const svg = document.querySelector("#graph svg");
svg.removeAttribute("width"); svg.removeAttribute("height");
const laid = svg.getAttribute("viewBox").split(/[ ,]+/).map(Number);
// A margin of 3% each side: the browser's font can set a label a little wider than Graphviz measured it.
const full = [laid[0] - 0.03 * laid[2], laid[1] - 0.03 * laid[3], 1.06 * laid[2], 1.06 * laid[3]];
let view = full.slice();
function setView() { svg.setAttribute("viewBox", view.join(" ")); }
function fit() { view = full.slice(); setView(); }
const byId = {};
for (const g of svg.querySelectorAll("g.node")) {
  const id = g.querySelector("title").textContent;
  g.setAttribute("data-node", id);
  byId[id] = g;
}
let current = 0;
function show(i) {
  i = Math.max(0, Math.min(frames.length - 1, i));
  current = i;
  slider.value = i;
  linkTo(i);
  for (const id in nodes) {
    const g = byId[id];
    if (!g) continue;
    const known = nodes[id][0] <= i;
    g.classList.toggle("unknown", !known);
    for (const t of g.querySelectorAll("text")) {
      if (t.textContent.startsWith("grad ")) t.textContent = "grad " + (known ? nodes[id][1] : "not computed");
    }
  }
  for (const g of svg.querySelectorAll(".current")) g.classList.remove("current");
  if (byId[frames[i].node]) byId[frames[i].node].classList.add("current");
  document.getElementById("caption").textContent = frames[i].caption;
  document.getElementById("lines").textContent = frames[i].lines.join("\\n");
  document.getElementById("counter").textContent = i + " / " + (frames.length - 1);
}
slider.addEventListener("input", () => show(+slider.value));
document.getElementById("prev").onclick = () => show(current - 1);
document.getElementById("next").onclick = () => show(current + 1);
document.getElementById("fit").onclick = fit;
// One handler for the arrow keys: the slider's own key handling is cancelled, so a focused slider
// does not move a second step.
document.addEventListener("keydown", e => {
  if (e.key === "ArrowRight" || e.key === "ArrowLeft") {
    e.preventDefault();
    show(current + (e.key === "ArrowRight" ? 1 : -1));
  }
});
let drag = null;
const box = document.getElementById("graph");
box.addEventListener("mousedown", e => { drag = [e.clientX, e.clientY, view[0], view[1]]; });
window.addEventListener("mouseup", () => { drag = null; });
window.addEventListener("mousemove", e => {
  if (!drag) return;
  const s = view[2] / box.clientWidth;
  view[0] = drag[2] - (e.clientX - drag[0]) * s; view[1] = drag[3] - (e.clientY - drag[1]) * s; setView();
});
box.addEventListener("wheel", e => {
  e.preventDefault();
  const k = e.deltaY > 0 ? 1.15 : 1 / 1.15;
  view[0] += view[2] * (1 - k) / 2; view[1] += view[3] * (1 - k) / 2; view[2] *= k; view[3] *= k; setView();
}, {passive: false});
fit();
__FRAME_LINK__
</script>
</body></html>
"""
