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
from collections.abc import Sequence
from dataclasses import dataclass

from .graph import dot_text
from .picture import ValueGraph

_NODE = re.compile(r'\t+(\w+) \[label="([^"\\]*)')
_EDGE = re.compile(r"(\t+)(\w+) -> (\w+)(?: \[(.*)\])?")


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
                 gate_order: Sequence[str] = (), color: str = "", before: str = "", minlen: int = 1) -> Bundle:
    """Route the edges from the nodes named ``members`` into gates through one box labelled ``label``.

    Each member's edges into gates (ids ending in "op") are removed; the box
    ``node`` gets one edge from each member (no arrowhead: the values are
    joined, not computed on) and one thick edge, in ``color`` when given, to
    each gate they fed. The gates are taken in the order of ``gate_order``
    (names of the values the gates compute) first, then as they were drawn:
    that order is Graphviz's first guess at their order top to bottom.
    ``before``: a line start ("\\tsubgraph first_column") to write the box
    and its edges before, so that guess sees them early; else they go last.
    ``minlen``: the box's columns before its gates (2 leaves a column free
    for the weights beside each gate). ValueError when a member is not drawn
    or feeds no gate.
    """
    names = first_lines(picture)
    ids = {name: n for n, name in names.items()}
    missing = [m for m in members if m not in ids]
    if missing:
        raise ValueError(f"bundle_edges: {missing[0]!r} is not drawn in this picture")
    member_ids = [ids[m] for m in members]
    kept: list[str] = []
    gates: list[str] = []
    for line in picture.body:
        edge = _EDGE.fullmatch(line.rstrip("\n"))
        if edge and edge.group(2) in member_ids and edge.group(3).endswith("op"):
            if edge.group(3) not in gates:
                gates.append(edge.group(3))
            continue
        kept.append(line)
    if not gates:
        raise ValueError(f"bundle_edges: {', '.join(members)} feed no gate")
    rank = {ids[name] + "op": k for k, name in enumerate(gate_order) if name in ids}
    gates.sort(key=lambda gate: rank.get(gate, len(rank)))
    thick = f' penwidth=2 color="{color}"' if color else " penwidth=2"
    spacing = f" minlen={minlen}" if minlen != 1 else ""
    text = dot_text(label).replace('"', '\\"')
    added = [f'\t{node} [label="{text}" fillcolor="{fill}" fontsize=11 height=0.3 margin="0.08,0.02"'
             ' shape=box style="rounded,filled"]\n',
             *(f"\t{member} -> {node} [arrowhead=none]\n" for member in member_ids),
             *(f"\t{node} -> {gate} [{(thick + spacing).strip()}]\n" for gate in gates)]
    at = next((k for k, line in enumerate(kept) if before and line.startswith(before)), len(kept))
    picture.body[:] = [*kept[:at], *added, *kept[at:]]
    return Bundle(node, tuple(member_ids), tuple(gates))
