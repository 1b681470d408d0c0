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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from autograd import Value, topological_order

from .graph import GraphTooLarge, _folded, count_drawn_nodes, draw_graph, local_derivatives, visible_text
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


def backward_steps(root: Value) -> list[BackwardStep]:
    """Replay ``root``'s backward pass as a list of steps, without touching ``.grad``."""
    grads: dict[Value, float] = {root: 1.0}
    steps = []
    for node in reversed(topological_order(root)):
        if node.is_leaf:
            continue
        upstream = grads.get(node, 0.0)
        shown = len(node.parents) - _folded(node)
        contributions = []
        for parent, local in list(zip(node.parents, local_derivatives(node)))[:shown]:
            grads[parent] = grads.get(parent, 0.0) + upstream * local
            contributions.append(Contribution(parent, upstream, local, grads[parent]))
        steps.append(BackwardStep(node, tuple(contributions), dict(grads)))
    return steps


def name_of(v: Value, ids: Mapping[Value, int]) -> str:
    """A node's label, or its op and position when it has none."""
    if v.label:
        return visible_text(v.label)
    if v.is_constant:
        return f"{v.data:g}"
    kind = v.op.name if v.op is not None else "leaf"
    return f"{kind}#{ids[v]}"


def chain_rule_lines(step: BackwardStep, root_name: str, ids: Mapping[Value, int], decimals: int = 4) -> list[str]:
    """The step's products as text, one line per parent."""
    out = name_of(step.node, ids)
    lines = []
    for c in step.contributions:
        p = name_of(c.parent, ids)
        lines.append(
            f"d{root_name}/d({p}) += d{root_name}/d({out}) × d({out})/d({p}) = "
            f"{c.upstream:.{decimals}f} × {c.local:.{decimals}f} = {c.product:.{decimals}f}"
            f"   (total {c.total:.{decimals}f})"
        )
    return lines


def step_through_page(
    root: Value,
    *,
    title: str = "Backpropagation, one node at a time",
    decimals: int = 4,
    max_nodes: int = 120,
    parameters: Iterable[Value] = (),
    groups: Mapping[Value, str] | None = None,
) -> str:
    """The HTML page (one string, no external files) for ``root``'s backward pass."""
    order = topological_order(root)
    if count_drawn_nodes(order) > max_nodes:
        raise GraphTooLarge(
            f"the graph has {count_drawn_nodes(order)} nodes, over the step-through limit of {max_nodes}:"
            " step through a smaller graph (one data row, a few time steps) or raise max_nodes"
        )
    steps = backward_steps(root)[:MAX_STEPS]
    ids = {v: i for i, v in enumerate(order)}
    root_name = visible_text(root.label) if root.label else "L"
    params = list(parameters)
    frames = [{"svg": _svg(draw_graph(root, decimals=decimals, parameters=params, groups=groups,
                                      gradients={}, max_nodes=max_nodes)),
               "caption": "Before backward(): no gradient is known yet.",
               "lines": [f"Start: d{root_name}/d{root_name} = 1."]}]
    for k, step in enumerate(steps, start=1):
        touched = [c.parent for c in step.contributions] + [step.node]
        graph = draw_graph(root, decimals=decimals, parameters=params, groups=groups, gradients=step.gradients,
                           highlight=touched, max_nodes=max_nodes)
        frames.append({
            "svg": _svg(graph),
            "caption": f"Step {k} of {len(steps)}: the gradient passes back through "
                       f"{name_of(step.node, ids)} ({step.node.op.name if step.node.op else 'leaf'}).",
            "lines": chain_rule_lines(step, root_name, ids, decimals),
        })
    fill = {"__TITLE__": html.escape(visible_text(title)), "__FRAMES__": script_json(frames)}
    # One pass, so a title holding "__FRAMES__" stays text.
    return re.sub("__TITLE__|__FRAMES__", lambda m: fill[m.group()], _PAGE)


def script_json(data: object) -> str:
    """``data`` as JSON that is safe inside an HTML ``<script>`` element.

    ``<``, ``>`` and ``&`` become \\u escapes, so no ``</script>`` or ``<!--``
    (which makes the HTML parser hold on to the script past its end tag) can
    appear; ``ensure_ascii`` also escapes U+2028/U+2029 for older JavaScript
    parsers. A JavaScript string reads the escapes back as the same characters.
    """
    text = json.dumps(data, ensure_ascii=True, allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _svg(graph: object) -> str:
    svg = render_source(graph.source, "svg").decode("utf-8")  # type: ignore[attr-defined]
    return re.sub(r"^.*?(<svg)", r"\1", svg, count=1, flags=re.S)


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>__TITLE__</title>
<style>
body { font-family: system-ui, sans-serif; margin: 1.5em; color: #212529; }
#controls { display: flex; gap: .6em; align-items: center; margin-bottom: .8em; }
#slider { width: 24em; }
#caption { font-weight: 600; margin: .4em 0; }
#lines { font-family: ui-monospace, monospace; background: #f8f9fa; padding: .6em; white-space: pre-wrap; }
#graph svg { max-width: 100%; height: auto; }
</style></head>
<body>
<h1>__TITLE__</h1>
<div id="controls">
  <button id="prev">&larr; back</button>
  <input id="slider" type="range" min="0" value="0">
  <button id="next">next &rarr;</button>
  <span id="counter"></span>
</div>
<div id="caption"></div>
<div id="lines"></div>
<div id="graph"></div>
<script>
const frames = __FRAMES__;
const slider = document.getElementById("slider");
slider.max = frames.length - 1;
function show(i) {
  i = Math.max(0, Math.min(frames.length - 1, i));
  slider.value = i;
  document.getElementById("graph").innerHTML = frames[i].svg;
  document.getElementById("caption").textContent = frames[i].caption;
  document.getElementById("lines").textContent = frames[i].lines.join("\\n");
  document.getElementById("counter").textContent = i + " / " + (frames.length - 1);
}
slider.oninput = () => show(+slider.value);
document.getElementById("prev").onclick = () => show(+slider.value - 1);
document.getElementById("next").onclick = () => show(+slider.value + 1);
document.addEventListener("keydown", e => {
  if (e.key === "ArrowRight") show(+slider.value + 1);
  if (e.key === "ArrowLeft") show(+slider.value - 1);
});
// A link ending in #7 opens at step 7.
show(parseInt(location.hash.slice(1), 10) || 0);
</script>
</body></html>
"""
