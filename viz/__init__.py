"""valuegrad's pictures: computational graphs with every value and gradient, and what networks learn.

`draw_graph` returns a `ValueGraph` (a `graphviz.Digraph` whose render, pipe,
view and Jupyter display need no system Graphviz; `names=` draws given names,
see `viz.names`); `render_to_file` writes DOT and SVG or PNG (PDF with a system
Graphviz), stopping Graphviz after `RENDER_TIMEOUT` seconds with `RenderTimeout`;
`draw_gradient_graph` draws a create_graph=True gradient as a computation beside
its faded forward graph; `step_through_page` steps through a backward pass;
`viz.heatmap` and `viz.charts` show what trained networks do.
"""

from .clusters import groups_by_time_step, groups_from_parameters
from .gradient_graph import draw_gradient_graph
from .graph import GraphTooLarge, ValueGraph, draw_graph, gate_symbol, local_derivatives
from .names import GraphNames
from .render import RENDER_TIMEOUT, RenderError, RenderTimeout, render_source, render_to_file, system_dot
from .step_through import backward_steps, step_through_page

__all__ = [
    "GraphNames",
    "GraphTooLarge",
    "RENDER_TIMEOUT",
    "RenderError",
    "RenderTimeout",
    "ValueGraph",
    "backward_steps",
    "draw_gradient_graph",
    "draw_graph",
    "gate_symbol",
    "groups_by_time_step",
    "groups_from_parameters",
    "local_derivatives",
    "render_source",
    "render_to_file",
    "step_through_page",
    "system_dot",
]
