"""A self-contained HTML page that plays a network's training, one frame per epoch.

The network is drawn once (layers left to right, one line per weight); each
frame changes only the lines' colour (sign: blue positive, red negative) and
thickness (size, on one scale for the whole film), the table of weights and
gradients, and the marker on the loss curve. A menu switches the lines to the gradients
(same colours, thickness scaled to the frame's largest gradient). Play/pause, step, the slider,
the arrow keys and a click on the loss curve all move to a frame; the page
needs no files or network. Works for any layered net: `FilmNetwork` names the
nodes and the weights, `FilmFrame` gives one epoch's numbers.
"""

from __future__ import annotations

import html
import math
import numbers
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .arguments import shown
from .graph import visible_text
from .step_through import FRAME_LINK_SCRIPT, script_json

MAX_FRAMES = 5000
WIDTH, HEIGHT = 760, 520  # the network drawing's own coordinates (the page scales it)
CURVE_W, CURVE_H = 520, 180


@dataclass(frozen=True)
class FilmEdge:
    """One weight: drawn from node ``source`` to node ``target`` (names from `FilmNetwork.layers`)."""

    source: str
    target: str
    name: str


@dataclass(frozen=True)
class FilmNetwork:
    """What is drawn once: node names per layer (left to right) and the weights between them.

    ``constant`` nodes (a bias input's 1) are drawn as squares. An edge between
    two nodes of one layer (a recurrent weight) is drawn as an arc, and an edge
    from a node to itself as a loop.
    """

    layers: Sequence[Sequence[str]]
    edges: Sequence[FilmEdge]
    constant: frozenset[str] = frozenset()


@dataclass(frozen=True)
class FilmFrame:
    """One frame: each edge's weight and gradient (in `FilmNetwork.edges` order), the loss, a caption."""

    weights: Sequence[float]
    gradients: Sequence[float]
    loss: float
    caption: str


def _finite(x: object, what: str) -> float:
    """``x`` as a finite float (any real number: numpy's float32 too), else a ValueError naming ``what``."""
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise ValueError(f"{what} must be a finite number, got {shown(x)}")
    try:
        value = float(x)
    except OverflowError:  # an int past float range: math.isfinite() of it raised a bare OverflowError
        value = math.inf
    if not math.isfinite(value):
        raise ValueError(f"{what} must be a finite number, got {shown(x)}")
    return value


def _positions(network: FilmNetwork) -> dict[str, tuple[float, float]]:
    where: dict[str, tuple[float, float]] = {}
    columns = len(network.layers)
    for c, layer in enumerate(network.layers):
        x = 70 + (WIDTH - 140) * (c / max(1, columns - 1))
        for r, name in enumerate(layer):
            if name in where:
                raise ValueError(f"node {shown(name)} appears twice in the film's layers")
            where[name] = (x, 50 + (HEIGHT - 100) * ((r + 0.5) / len(layer)))
    return where


def _edge_path(a: tuple[float, float], b: tuple[float, float], same_layer: bool) -> str:
    (x1, y1), (x2, y2) = a, b
    if a == b:  # a weight from a node to itself: a loop above-right of it
        return f"M{x1 + 14:.1f},{y1 - 14:.1f} C{x1 + 70:.1f},{y1 - 60:.1f} {x1 + 70:.1f},{y1 + 20:.1f} " \
               f"{x1 + 20:.1f},{y1 + 6:.1f}"
    if same_layer:  # a recurrent weight: an arc bulging right, further for nodes further apart
        # k -> m and m -> k bulge by different amounts, so the two arcs do not lie on one another.
        bulge = 40 + 0.45 * (y2 - y1) if y2 > y1 else 25 + 0.2 * (y1 - y2)
        return f"M{x1 + 18:.1f},{y1:.1f} Q{x1 + bulge:.1f},{(y1 + y2) / 2:.1f} {x2 + 18:.1f},{y2:.1f}"
    return f"M{x1:.1f},{y1:.1f} L{x2:.1f},{y2:.1f}"


def _network_svg(network: FilmNetwork) -> str:
    where = _positions(network)
    layer_of = {name: c for c, layer in enumerate(network.layers) for name in layer}
    parts = [f'<svg id="net" viewBox="0 0 {WIDTH} {HEIGHT}" xmlns="http://www.w3.org/2000/svg">']
    for k, edge in enumerate(network.edges):
        for end in (edge.source, edge.target):
            if end not in where:
                raise ValueError(f"edge {shown(edge.name)} names node {shown(end)}, which is in no layer")
        d = _edge_path(where[edge.source], where[edge.target], layer_of[edge.source] == layer_of[edge.target])
        parts.append(f'<path id="e{k}" class="edge" d="{d}" fill="none"><title>{html.escape(edge.name)}</title>'
                     "</path>")
    for name, (x, y) in where.items():
        label = html.escape(visible_text(name))
        shape = (f'<rect x="{x - 16:.1f}" y="{y - 16:.1f}" width="32" height="32" class="bias"/>'
                 if name in network.constant else f'<circle cx="{x:.1f}" cy="{y:.1f}" r="18" class="unit"/>')
        parts.append(f'<g class="node">{shape}<text x="{x:.1f}" y="{y + 34:.1f}" text-anchor="middle">{label}'
                     "</text></g>")
    parts.append("</svg>")
    return "".join(parts)


def _check_types(network: object, frames: object) -> None:
    """TypeError naming an argument that is not a FilmNetwork, a sequence of FilmFrames, or edges that are not
    FilmEdges: each failed deep inside as "'str' object has no attribute 'edges'" (or 'weights', 'name')."""
    if not isinstance(network, FilmNetwork):
        raise TypeError(f"film_page: network must be a FilmNetwork, got {type(network).__name__} {shown(network)}")
    for k, edge in enumerate(network.edges if isinstance(network.edges, Iterable) else [network.edges]):
        if not isinstance(edge, FilmEdge):
            raise TypeError(f"film_page: network edge {k} must be a FilmEdge, got {type(edge).__name__} {shown(edge)}")
    if isinstance(frames, (str, bytes, FilmFrame)) or not isinstance(frames, Sequence):
        raise TypeError(f"film_page: frames must be a sequence of FilmFrames, got {type(frames).__name__} "
                        f"{shown(frames)}")
    for k, frame in enumerate(frames):
        if not isinstance(frame, FilmFrame):
            raise TypeError(f"film_page: frame {k} must be a FilmFrame, got {type(frame).__name__} {shown(frame)}")


def film_page(network: FilmNetwork, frames: Sequence[FilmFrame], *, title: str = "Training, one epoch a frame",
              loss_name: str = "loss", frame_unit: str = "epoch", decimals: int = 4, note: str = "") -> str:
    """The HTML page (one string, no external files) playing ``frames`` on ``network``'s drawing.

    ``loss_name`` names the loss in the table and on the curve; ``frame_unit``
    is what one frame is ("epoch", "step"); ``note``, if given, is shown above
    the table (how the weights are named, say).

    Raises ValueError for decimals outside 0..12, no frames, more than `MAX_FRAMES`, a frame whose
    number of weights or gradients is not one per edge, or a number that is
    not finite (a diverged run: the message names the first such frame).
    """
    if isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= 12:
        raise ValueError(f"decimals must be an integer in 0..12, got {shown(decimals)}")
    if not isinstance(note, str):
        raise TypeError(f"note must be a str, got {type(note).__name__}")
    _check_types(network, frames)
    if not frames:
        raise ValueError("a film needs at least one frame")
    if len(frames) > MAX_FRAMES:
        raise ValueError(f"{len(frames)} frames is over the film's limit of {MAX_FRAMES}: keep every n-th epoch")
    n = len(network.edges)
    data = []
    for k, frame in enumerate(frames):
        if len(frame.weights) != n or len(frame.gradients) != n:
            raise ValueError(f"frame {k} has {len(frame.weights)} weights and {len(frame.gradients)} gradients;"
                             f" the network has {n} edges")
        w = [_finite(x, f"frame {k}'s weight") for x in frame.weights]
        g = [_finite(x, f"frame {k}'s gradient") for x in frame.gradients]
        data.append({"w": w, "g": g, "loss": _finite(frame.loss, f"frame {k}'s loss"),
                     "caption": visible_text(frame.caption)})
    biggest = max((abs(x) for d in data for x in d["w"]), default=0.0) or 1.0  # type: ignore[attr-defined]
    losses = [float(d["loss"]) for d in data]  # type: ignore[arg-type]
    log_scale = min(losses) > 0 and max(losses) / min(losses) > 20
    fill = {"__TITLE__": html.escape(visible_text(title)), "__FRAMES__": script_json(data),
            "__NAMES__": script_json([visible_text(e.name) for e in network.edges]),
            "__BIGGEST__": repr(biggest), "__LOG__": "true" if log_scale else "false",
            "__LOSS__": html.escape(visible_text(loss_name)),
            "__LOSSJSON__": script_json(visible_text(loss_name)),
            "__UNITJSON__": script_json(visible_text(frame_unit)), "__DECIMALS__": str(int(decimals)),
            "__NET__": _network_svg(network), "__CW__": str(CURVE_W), "__CH__": str(CURVE_H),
            "__NOTE__": f'<p id="note">{html.escape(visible_text(note))}</p>' if note else ""}
    return re.sub("|".join(fill), lambda m: fill[m.group()], _PAGE)


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>__TITLE__</title>
<style>
body { font-family: system-ui, sans-serif; color: #212529; margin: 0; padding: .5em 1em; }
h1 { font-size: 1.2em; margin: 0 0 .3em; }
#controls { display: flex; gap: .6em; align-items: center; flex-wrap: wrap; }
#slider { width: 26em; }
#caption { font-weight: 600; margin: .4em 0; min-height: 1.3em; }
#main { display: flex; gap: 1.2em; align-items: flex-start; }
#net { width: 760px; max-width: 58vw; height: auto; border: 1px solid #dee2e6; }
#side { flex: 1; min-width: 0; }
#curve { width: 100%; max-width: __CW__px; height: auto; border: 1px solid #dee2e6; cursor: pointer; }
.unit { fill: #fff3bf; stroke: #495057; stroke-width: 1.5; }
.bias { fill: #e9ecef; stroke: #495057; stroke-width: 1.5; }
.node text { font-size: 14px; paint-order: stroke; stroke: #fff; stroke-width: 4px; }  /* readable over lines */
#tablebox { max-height: 60vh; overflow: auto; display: inline-block; }
table { border-collapse: collapse; font-family: ui-monospace, monospace; font-size: 13px; }
td, th { padding: 1px .6em; text-align: right; }
th { border-bottom: 1px solid #adb5bd; }
tr.pos td.w { color: #1864ab; } tr.neg td.w { color: #c92a2a; }
#key { font-size: .9em; color: #495057; margin: .3em 0; }
#note { font-size: .9em; color: #495057; margin: .3em 0; max-width: 40em; }
/* a narrow window: the network above the side panel, so the loss curve keeps its size and its labels stay readable */
@media (max-width: 1000px) { #main { flex-direction: column; } #net { max-width: 100%; } #side { width: 100%; } }
</style></head>
<body>
<h1>__TITLE__</h1>
<div id="controls">
  <button id="play">play</button>
  <button id="prev">&larr; step</button>
  <input id="slider" type="range" min="0" value="0">
  <button id="next">step &rarr;</button>
  <span id="counter"></span>
  <label>lines show <select id="show"><option value="w">weights</option>
    <option value="g">gradients</option></select></label>
  <span>(arrow keys step, space plays/pauses, click the loss curve to jump)</span>
</div>
<div id="caption"></div>
<div id="main">
__NET__
<div id="side">
<svg id="curve" viewBox="0 0 __CW__ __CH__" xmlns="http://www.w3.org/2000/svg">
  <rect x="0" y="0" width="__CW__" height="__CH__" fill="#fff"/>
  <polyline id="losses" fill="none" stroke="#1971c2" stroke-width="2"/>
  <line id="now" stroke="#adb5bd" stroke-dasharray="4 3"/>
  <circle id="marker" r="6" fill="#e03131"/>
  <text x="8" y="16" font-size="13" id="curve-title"></text>
  <g font-size="11" fill="#495057"><text id="x-first"></text><text id="x-name"></text><text id="x-last"></text>
    <text id="y-high"></text><text id="y-low"></text></g>
</svg>
<div id="key"></div>
__NOTE__
<div id="tablebox"><table><thead><tr><th>weight</th><th>value</th><th>d__LOSS__/d(weight)</th></tr></thead>
<tbody id="table"></tbody></table></div>
</div>
</div>
<script>
const frames = __FRAMES__;
const names = __NAMES__;
const lossName = __LOSSJSON__, unit = __UNITJSON__;
const biggest = __BIGGEST__, logScale = __LOG__, decimals = __DECIMALS__;
const slider = document.getElementById("slider");
slider.max = frames.length - 1;
// padL: room at the left for the loss axis's two numbers.
const W = __CW__, H = __CH__, pad = 28, padL = 50;
const ys = frames.map(f => logScale ? Math.log(f.loss) : f.loss);
const lo = Math.min(...ys), hi = Math.max(...ys);
const span = (hi - lo) || 1;
function px(i) { return padL + (W - padL - pad) * (frames.length > 1 ? i / (frames.length - 1) : 0.5); }
function py(i) { return H - pad - (H - 2 * pad) * (ys[i] - lo) / span; }
document.getElementById("losses").setAttribute("points", frames.map((f, i) => px(i) + "," + py(i)).join(" "));
document.getElementById("curve-title").textContent =
  lossName + " per " + unit + (logScale ? " (log scale)" : "") + ": " + frames[0].loss.toPrecision(4) + " \\u2192 " +
  frames[frames.length - 1].loss.toPrecision(4);
// The axes' ends (a lecturer could not tell which epoch or loss a point of the bare curve was: trial 27): the
// first and last frame under the curve's ends, the unit between them, the largest and smallest loss at the left.
function axisLabel(id, x, y, anchor, text) {
  const t = document.getElementById(id);
  t.setAttribute("x", x); t.setAttribute("y", y); t.setAttribute("text-anchor", anchor); t.textContent = text;
}
const lossAt = v => Number((logScale ? Math.exp(v) : v).toPrecision(2)).toString();
axisLabel("x-first", px(0), H - 8, "middle", "0");
axisLabel("x-name", (px(0) + px(frames.length - 1)) / 2, H - 8, "middle", unit);
axisLabel("x-last", px(frames.length - 1), H - 8, "middle", String(frames.length - 1));
axisLabel("y-high", padL - 10, pad + 4, "end", lossAt(hi));  // clear of the marker (r = 6) at frame 0
axisLabel("y-low", padL - 10, H - pad + 4, "end", lossAt(lo));
const tbody = document.getElementById("table");
const rows = names.map(n => {
  const tr = document.createElement("tr");
  tr.innerHTML = "<td></td><td class='w'></td><td></td>";
  tr.children[0].textContent = n;
  tbody.appendChild(tr);
  return tr;
});
const edges = names.map((_, k) => document.getElementById("e" + k));
let current = 0, timer = null;
const showSelect = document.getElementById("show");
const keys = {
  w: "Lines: the weights. Colour <b style='color:#1864ab'>blue</b> &gt; 0, <b style='color:#c92a2a'>red</b> &lt; 0;" +
     " thickness |weight|, one scale for the whole film.",
  g: "Lines: the gradients d" + lossName.replace(/&/g, "&amp;").replace(/</g, "&lt;") + "/d(weight). Colour " +
     "<b style='color:#1864ab'>blue</b> &gt; 0, <b style='color:#c92a2a'>red</b> &lt; 0; thickness |gradient|," +
     " scaled to this frame's largest (a step of gradient descent moves each weight against its colour)."};
function setKey() { document.getElementById("key").innerHTML = keys[showSelect.value]; }
showSelect.addEventListener("change", () => { setKey(); show(current); });
setKey();
// A value too small for the table's digits is written as 3.1e-6, not as "-0.0000" (a tiny negative
// gradient) or "0.0000" (which reads as exactly zero, as an input that is never seen gives).
function number(x) {
  const text = x.toFixed(decimals);
  return x !== 0 && Number(text) === 0 ? x.toExponential(1) : text;
}
function show(i) {
  i = Math.max(0, Math.min(frames.length - 1, i));
  current = i;
  slider.value = i;
  const f = frames[i];
  const grads = showSelect.value === "g";
  // Gradients shrink as training converges: they are scaled to this frame's largest, weights to the film's.
  const scale = grads ? (Math.max(...f.g.map(Math.abs)) || 1) : biggest;
  f.w.forEach((w, k) => {
    const x = grads ? f.g[k] : w;
    edges[k].setAttribute("stroke", x >= 0 ? "#1c7ed6" : "#e03131");
    edges[k].setAttribute("stroke-width", (0.5 + 9 * Math.abs(x) / scale).toFixed(2));
    rows[k].className = w >= 0 ? "pos" : "neg";
    rows[k].children[1].textContent = number(w);
    rows[k].children[2].textContent = number(f.g[k]);
  });
  const m = document.getElementById("marker");
  m.setAttribute("cx", px(i)); m.setAttribute("cy", py(i));
  const now = document.getElementById("now");
  now.setAttribute("x1", px(i)); now.setAttribute("x2", px(i));
  now.setAttribute("y1", pad); now.setAttribute("y2", H - pad);
  document.getElementById("caption").textContent = f.caption;
  document.getElementById("counter").textContent = i + " / " + (frames.length - 1);
  if (timer === null) linkTo(i);  // while playing the address is left alone (a frame every 60 ms); pause writes it
}
function pause() {
  if (timer !== null) { clearInterval(timer); timer = null; linkTo(current); }
  document.getElementById("play").textContent = "play";
}
function play() {
  if (timer !== null) return;
  if (current >= frames.length - 1) show(0);
  document.getElementById("play").textContent = "pause";
  timer = setInterval(() => { if (current >= frames.length - 1) pause(); else show(current + 1); }, 60);
}
document.getElementById("play").onclick = () => (timer === null ? play() : pause());
slider.addEventListener("input", () => { pause(); show(+slider.value); });
document.getElementById("prev").onclick = () => { pause(); show(current - 1); };
document.getElementById("next").onclick = () => { pause(); show(current + 1); };
document.getElementById("curve").addEventListener("click", e => {
  const box = e.currentTarget.getBoundingClientRect();
  const x = (e.clientX - box.left) * W / box.width;
  pause();
  show(Math.round((x - padL) / (W - padL - pad) * (frames.length - 1)));
});
// One handler for the keys: the slider's own arrow handling is cancelled, so a focused slider moves one step.
document.addEventListener("keydown", e => {
  if (e.key === "ArrowRight" || e.key === "ArrowLeft") {
    e.preventDefault(); pause();
    show(current + (e.key === "ArrowRight" ? 1 : -1));
  } else if (e.key === " ") {
    e.preventDefault();
    timer === null ? play() : pause();
  }
});
__FRAME_LINK_SCRIPT__</script>
</body></html>
"""
_PAGE = _PAGE.replace("__FRAME_LINK_SCRIPT__", FRAME_LINK_SCRIPT)  # the #N link, as on the step-through page
