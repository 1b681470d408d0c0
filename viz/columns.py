"""Which boxes to line up top to bottom in a picture: each gate's inputs, in the order the gate takes them.

A lecturer writes repeated structure in index order: w1[0,1], w1[1,1], ...
down a neuron's column, neuron 1 above neuron 2, x_t[h], x_t[e], x_t[l],
x_t[o] down a time step. Graphviz (rankdir=LR) orders the boxes of a column
by crossing minimisation, which keeps no order among boxes that all feed the
same gates, and drew them reversed or shuffled. So each gate's drawn inputs
are lined up, in the order the gate takes them, by invisible edges inside a
``rank=same`` subgraph (see `viz.graph._emit_clusters` for how they are
written: inside a cluster Graphviz reads them the other way round).

A chain only joins boxes of one group (cluster), as an edge between two
clusters would pull boxes out of their clusters. It only joins boxes that
Graphviz puts in one column anyway: leaves and named numbers (they sit just
before their gate) and computed values of one depth (the longest
path from the leaves: values of one depth cannot be joined by a path, so one
column can hold them all). Columns that share a box are one column: a chain
that would put values of two depths in one column is left out, and so is a
pair that would contradict an earlier gate's order (a cycle).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import graphviz

#: A gate's drawn input: its node name, and its depth (None for a leaf or a named number).
Source = tuple[str, "int | None"]


@dataclass(frozen=True)
class Column:
    """Nodes of one group to draw in one rank, each pair's first node above its second."""

    group: str
    nodes: tuple[str, ...]
    pairs: tuple[tuple[str, str], ...]


class _Ranks:
    """Union-find over nodes put in one rank, remembering the depth of the computed values in each set."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}
        self.depth: dict[str, int | None] = {}

    def find(self, name: str) -> str:
        root = name
        while self.parent.get(root, root) != root:
            root = self.parent[root]
        while name != root:  # path halving keeps long chains of shared inputs cheap
            self.parent[name], name = root, self.parent.get(name, name)
        return root

    def merged_depth(self, sources: Sequence[Source]) -> tuple[bool, int | None]:
        """Whether ``sources`` can share one rank with the sets they touch, and that rank's depth."""
        depths = {self.depth.get(self.find(n)) for n, _ in sources} | {d for _, d in sources}
        depths.discard(None)
        return len(depths) <= 1, next(iter(depths), None)

    def join(self, sources: Sequence[Source], depth: int | None) -> None:
        roots = {self.find(n) for n, _ in sources}
        first = roots.pop()
        for r in roots:
            self.parent[r] = first
        self.depth[first] = depth


def reading_columns(gates: Sequence[tuple[int, Sequence[Source]]], group_of: Mapping[str, str]) -> list[Column]:
    """The columns to line up, from each gate's depth and drawn inputs (in the order the gate takes them).

    First each gate's own inputs; then, per group, the leaves and numbers read
    by all gates of one depth, gate after gate (a batch's weights w1[0,1] ..
    w1[3,1] above w1[0,2] .. w1[3,2], where each row's two neurons read them).
    """
    after: dict[str, set[str]] = {}
    ranks = _Ranks()

    def reaches(a: str, b: str) -> bool:
        todo, seen = [a], {a}
        while todo:
            x = todo.pop()
            if x == b:
                return True
            for y in after.get(x, ()):
                if y not in seen:
                    seen.add(y)
                    todo.append(y)
        return False

    def line_up(group: str, members: list[Source], whole: bool) -> Column | None:
        """Order ``members`` downwards; ``whole``: all pairs or none (a gate's inputs), else each pair that fits."""
        names = [n for n, _ in members]
        fits, depth = ranks.merged_depth(members)
        if not fits:
            return None  # values of two depths cannot share a column
        added: list[tuple[str, str]] = []
        for a, b in zip(names, names[1:]):
            if b in after.get(a, ()):
                continue
            if reaches(b, a):  # against an earlier order
                if whole:
                    for x, y in added:
                        after[x].discard(y)
                    return None
                continue
            after.setdefault(a, set()).add(b)
            added.append((a, b))
        if not added:
            return None
        ranks.join(members, depth)
        return Column(group, tuple(names), tuple(added))

    columns: list[Column] = []
    shared: dict[tuple[str, int], list[Source]] = {}
    for gate_depth, sources in gates:
        by_group: dict[str, list[Source]] = {}
        for name, depth in sources:
            group = group_of[name]
            for members in (by_group.setdefault(group, []), shared.setdefault((group, gate_depth), [])):
                if (depth is None or members is by_group[group]) and all(name != n for n, _ in members):
                    members.append((name, depth))
        for group, members in by_group.items():
            column = line_up(group, members, whole=True)
            if column is not None:
                columns.append(column)
    for (group, _), members in shared.items():
        column = line_up(group, members, whole=False)
        if column is not None:
            columns.append(column)
    return columns


def emit_column(graph: graphviz.Digraph, column: Column, in_cluster: bool) -> None:
    """Write ``column`` into ``graph`` (its group's cluster, or the top level) as one rank in order.

    Graphviz (rankdir=LR) turns a rank's order into top to bottom at the top
    level but keeps it bottom to top inside a cluster, so there the invisible
    edges point upwards. The drawing also needs ``remincross=false`` when a
    column is in a cluster: Graphviz's last crossing-reduction pass ignores a
    cluster's invisible edges and would undo them.
    """
    with graph.subgraph() as row:
        row.attr(rank="same")
        for name in column.nodes:
            row.node(name)
        for above, below in column.pairs:
            row.edge(*((below, above) if in_cluster else (above, below)), style="invis")
