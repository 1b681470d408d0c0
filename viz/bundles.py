"""Bundling edges: many values that feed the same gates drawn as one vector, joined once.

When every one of ``n`` inputs feeds every one of ``m`` gates (an LSTM
step's x_1, h_0 and bias input feeding the four gates' sums; the batch's
weights w1[i,k] feeding neuron k's sum in every row) Graphviz draws ``n * m``
edges, which must cross. `bundle_edges` replaces them with what a lecturer
draws on the board: the ``n`` values join in one small box naming the vector
(``[x_1, h_0, 1]``, ``w1[i,1]``), and one thicker edge runs from that box to
each gate. The values, their numbers and the gates are unchanged; only the
edges between them are routed through the box.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .arguments import shown
from .graph import dot_text
from .picture import ValueGraph

_NODE = re.compile(r'\t+(\w+) \[label="([^"\\]*)')
_EDGE = re.compile(r"(\t+)(\w+) -> (\w+)(?: \[(.*)\])?")
_DECLARED = re.compile(r"\t+(\w+) \[")


@dataclass(frozen=True)
class Bundle:
    """One bundle as drawn: the joining box's DOT id, the members' ids, and the gates it feeds, in order."""

    node: str
    members: tuple[str, ...]
    gates: tuple[str, ...]


def first_lines(picture: ValueGraph) -> dict[str, str]:
    """Each node's DOT id -> the first line of its label (its name), for the nodes ``picture`` declares."""
    return {m.group(1): m.group(2) for line in picture.body if (m := _NODE.match(line))}


def bundle_edges(picture: ValueGraph, members: Sequence[str], *, node: str, label: str, fill: str,
                 into: Sequence[str] = (), color: str = "", before: str = "", minlen: int = 1,
                 carried: bool = False) -> Bundle:
    """Route the edges from the nodes named ``members`` into gates through one box labelled ``label``.

    Each member's edges into gates (ids ending in "op") are removed; the box
    ``node`` gets one edge from each member (no arrowhead: the values are
    joined, not computed on) and one thick edge, in ``color`` when given, to
    each gate they fed. ``into``: the names of the values whose gates are
    rerouted, in this order (Graphviz's first guess at their order top to
    bottom); the members' edges into other gates stay. Empty: every gate
    they feed, in the order drawn.
    ``before``: a line start ("\\tsubgraph first_column") to write the box
    and its edges before, so that guess sees them early; else they go last.
    ``minlen``: the box's columns before its gates (2 leaves a column free
    for the weights beside each gate). ValueError when a member is not drawn
    or feeds no gate, or there is none; TypeError when ``members`` is not a
    sequence of names (one str would be taken letter by letter).

    ``carried``: the members are drawn right of the gates they feed (an
    unrolled RNN's h_t at the end of step t's row, read by the gates at the
    start of step t+1's row, below it). Graphviz routed those backward edges
    around every frame in its way; instead the members join at a point
    beside them, one arrow runs back from it to the box, which sits at the
    gates' left (in the gap above their row), and the box feeds the gates
    forwards, like a typewriter's carriage return.
    """
    if isinstance(members, str) or not all(isinstance(m, str) for m in members):
        raise TypeError(f"bundle_edges: members must be a sequence of node names (str), got {shown(members)}")
    if not members:
        raise ValueError("bundle_edges: no members to join")
    names = first_lines(picture)
    if not re.fullmatch(r"[A-Za-z_]\w*", node) or node in names or f"{node}_joint" in names:
        raise ValueError(f"bundle_edges: node must be a new DOT id (letters, digits, _), got {shown(node)}")
    ids = {name: n for n, name in names.items()}
    missing = [m for m in members if m not in ids]
    if missing:
        raise ValueError(f"bundle_edges: {shown(missing[0])} is not drawn in this picture")
    member_ids = [ids[m] for m in members]
    chosen = [ids[name] + "op" for name in into if name in ids]
    kept: list[str] = []
    gates: list[str] = []
    for line in picture.body:
        edge = _EDGE.fullmatch(line.rstrip("\n"))
        if (edge and edge.group(2) in member_ids and edge.group(3).endswith("op")
                and (not into or edge.group(3) in chosen)):
            if edge.group(3) not in gates:
                gates.append(edge.group(3))
            continue
        kept.append(line)
    if not gates:
        raise ValueError(f"bundle_edges: {', '.join(members)} feed no gate")
    gates.sort(key=lambda gate: chosen.index(gate) if gate in chosen else len(chosen))
    thick = f' penwidth=2 color="{color}"' if color else " penwidth=2"
    spacing = f" minlen={minlen}" if minlen != 1 else ""
    text = dot_text(label).replace('"', '\\"')
    added = [f'\t{node} [label="{text}" fillcolor="{fill}" fontsize=11 height=0.3 margin="0.08,0.02"'
             ' shape=box style="rounded,filled"]\n']
    if carried:
        # Written from the box to the point with dir=back, the return arrow is a forward edge to Graphviz:
        # it ranks the box left of the point and routes the arrow along the gap instead of around frames.
        joint = f"{node}_joint"
        added += [f"\t{joint} [shape=point width=0.06]\n",
                  *(f"\t{member} -> {joint} [arrowhead=none]\n" for member in member_ids),
                  f"\t{node} -> {joint} [dir=back{thick}]\n"]
    else:
        added += [f"\t{member} -> {node} [arrowhead=none]\n" for member in member_ids]
    added += [f"\t{node} -> {gate} [{(thick + spacing).strip()}]\n" for gate in gates]
    at = next((k for k, line in enumerate(kept) if before and line.startswith(before)), len(kept))
    picture.body[:] = [*kept[:at], *added, *kept[at:]]
    return Bundle(node, tuple(member_ids), tuple(gates))


def enter_beside(picture: ValueGraph, bundle: Bundle, beside: Mapping[str, tuple[str, str]]) -> list[str]:
    """Bring ``bundle``'s edge into each gate in ``beside`` through a small point just above or below a column.

    ``beside``: a gate's DOT id -> (the DOT id of a node in the gate's
    cluster, "above" or "below"). A bundle's edge into a gate inside a frame
    (a batch row) ran in from the left through the fan of grey edges from that
    row's inputs into the same gates: it crossed each of them. Now it ends at a
    point in the gate's frame, in that node's column, just above (or below)
    it, and a second edge in the bundle's colour runs from the point into the
    gate, above (or below) the fan. The point is declared where that node is
    (inside the gate's cluster), so the node must be declared there too.
    Returns the points' ids, in the order of ``beside``. ValueError when a gate
    is not one of the bundle's or a node is not drawn.
    """
    unknown = [gate for gate in beside if gate not in bundle.gates]
    if unknown:
        raise ValueError(f"enter_beside: {shown(unknown[0])} is not fed by the bundle {shown(bundle.node)}")
    edge_lines = {}
    for k, line in enumerate(picture.body):
        edge = _EDGE.fullmatch(line.rstrip("\n"))
        if edge and edge.group(2) == bundle.node and edge.group(3) in beside:
            edge_lines[edge.group(3)] = k
    declared: dict[str, int] = {}
    for k, line in enumerate(picture.body):
        if (m := _DECLARED.match(line)) and not line.startswith(("\tgraph ", "\tnode ", "\tedge ")):
            declared.setdefault(m.group(1), k)  # a node belongs to the subgraph that declares it first
    points: list[str] = []
    inserts: dict[int, list[str]] = {}
    for gate, (node, side) in beside.items():
        if node not in declared:
            raise ValueError(f"enter_beside: {shown(node)} is not drawn in this picture")
        if side not in ("above", "below"):
            raise ValueError(f"enter_beside: side must be 'above' or 'below', got {shown(side)}")
        k = edge_lines[gate]
        # minlen is dropped: the point shares its rank with ``node``, which sets how far the two edges reach.
        attrs = re.sub(r"\s*\bminlen=\d+", "", _attributes(picture.body[k])).strip()
        color = re.search(r'color="[^"]*"', attrs)
        point = f"{bundle.node}_{gate}_point"  # not ending in "op", which names a gate
        points.append(point)
        line = picture.body[declared[node]]
        indent = line[: len(line) - len(line.lstrip("\t"))]
        # Graphviz (rankdir=LR) reads a rank's order top to bottom at the top level but bottom to top inside a
        # cluster (see viz.columns.emit_column): there the invisible edge points upwards.
        upper, lower = (point, node) if side == "above" else (node, point)
        if len(indent) > 1:
            upper, lower = lower, upper
        inserts.setdefault(declared[node], []).extend([
            f'{indent}{point} [label="" shape=point width=0.05 height=0.05{" " + color.group() if color else ""}]\n',
            f"{indent}{{\n", f"{indent}\trank=same\n", f"{indent}\t{upper} -> {lower} [style=invis]\n",
            f"{indent}}}\n"])
        picture.body[k] = f"\t{bundle.node} -> {point} [arrowhead=none {attrs}]\n"
        inserts.setdefault(k, []).append(f"\t{point} -> {gate} [{attrs}]\n")
    picture.body[:] = [out for k, line in enumerate(picture.body) for out in (line, *inserts.get(k, ()))]
    return points


def _attributes(edge_line: str) -> str:
    """The attributes of one edge statement of the DOT body, without the brackets ("" when it has none)."""
    edge = _EDGE.fullmatch(edge_line.rstrip("\n"))
    return (edge.group(4) or "") if edge else ""
