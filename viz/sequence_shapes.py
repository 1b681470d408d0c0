"""A picture of recurrent sequence shapes: one-to-one, one-to-many, many-to-one, many-to-many, side by side.

Each shape is drawn as its cell unrolled in time: inputs x_t at the bottom,
the states h_t in a row (h_t -> h_t+1), outputs y_t on top, and for
generation a dashed edge feeding each output back in as the next input. The
numbers come from the caller (a loss, each input's gradient norm), so the
picture states what was computed, not a schematic alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .arguments import shown
from .picture import ValueGraph


@dataclass
class ShapeDrawing:
    """One shape to draw: a title, then per time step the input's and the output's labels (None: none there)."""

    title: str
    inputs: Sequence[str | None]
    outputs: Sequence[str | None]
    fed_back: bool = False  # each output is the next step's input (generation)


def draw_sequence_shapes(shapes: Sequence[ShapeDrawing], title: str = "") -> ValueGraph:
    """The shapes side by side, each in its own frame, time running left to right."""
    if not shapes:
        raise ValueError("draw_sequence_shapes needs at least one shape")
    for shape in shapes:
        if not isinstance(shape, ShapeDrawing):
            raise TypeError(f"draw_sequence_shapes takes ShapeDrawing entries, got {type(shape).__name__}")
        if len(shape.inputs) != len(shape.outputs) or not shape.inputs:
            raise ValueError(f"shape {shown(shape.title)}: give one input and one output label (or None) per time step")
    g = ValueGraph("sequence_shapes", format="svg",
                   graph_attr={"rankdir": "BT", "fontname": "Helvetica", "labelloc": "t", "label": title,
                               "newrank": "true", "nodesep": "0.25", "ranksep": "0.45"},
                   node_attr={"fontname": "Helvetica", "fontsize": "11", "shape": "box", "style": "rounded,filled"},
                   edge_attr={"color": "#555555", "arrowsize": "0.7", "fontname": "Helvetica"})
    for k, shape in enumerate(shapes):
        with g.subgraph(name=f"cluster_{k}") as frame:
            frame.attr(label=shape.title, labelloc="b",  # rankdir BT turns the frame: "b" is its top
                        style="rounded,dashed", color="#999999", fontsize="12")
            states = [f"s{k}_h{t}" for t in range(len(shape.inputs))]
            for t, (x, y) in enumerate(zip(shape.inputs, shape.outputs)):
                frame.node(states[t], f"h_{t + 1}", fillcolor="#fff2cc")
                if x is not None:
                    frame.node(f"s{k}_x{t}", x, fillcolor="#d9f2d9")
                    frame.edge(f"s{k}_x{t}", states[t])
                if y is not None:
                    frame.node(f"s{k}_y{t}", y, fillcolor="#dae8fc")
                    frame.edge(states[t], f"s{k}_y{t}")
                    if shape.fed_back and t + 1 < len(shape.inputs):
                        frame.edge(f"s{k}_y{t}", states[t + 1], style="dashed", constraint="false",
                                   label="fed back", fontsize="9")
            with frame.subgraph() as row:
                row.attr(rank="same")
                for state in states:
                    row.node(state)
            for a, b in zip(states, states[1:]):
                frame.edge(a, b)
    return g
