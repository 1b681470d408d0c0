"""Vector groups: the elementwise nodes that act on the rows of a layer, found so that they run as one array op.

A layer's dot nodes already run as one matrix product (`codegen.dot_groups`),
their results the rows of one array. What follows them is usually the same op
once per row: ``tanh`` of each neuron's sum, an LSTM gate's ``sigmoid``, then
``f * c + i * g`` row by row. A *vector group* is a set of nodes with the
same op whose every input, position by position, is either a row of one
earlier group (a dot group or another vector group), one parameter per node
(a bias vector), or the same leaf for all of them (a constant, an input).
Such a group is evaluated as one array expression (the op table's own
expression, pasted with arrays for its inputs) and differentiated as one:
its rows become an array block in turn, so a chain of layers stays arrays.

Nodes are assigned in topological order, so a group's inputs are always
evaluated before its first member: the generated code computes the whole
group where its first member stood, and its backward where that member's
backward would run (by then every member's gradient is complete). An input
may also be one scalar node shared by every member (the softmax family's
shift m in ``z_i - m``): the first member reads it, so it is computed before.

The shift itself is one ``largest`` node over the logits (`autograd.functional.largest`), which one sample's
code computes as one call on the layer's rows. `largest_trees` finds the same thing written as a balanced tree
of binary ``maximum`` nodes over a layer's rows (how `largest` was built before it was one op; a model may
still build one by hand), computed by the same call.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence, Set
from dataclasses import dataclass, field

from .graph import Graph

#: What array expressions on one sample call the numpy version of a helper by (``vec_tanh``): the scalar
#: lines around them keep the float helpers' own names.
ARRAY_HELPER_PREFIX = "vec_"

# How one input position of a vector group is fed: ("B", block) rows of an earlier block, ("P", 0) one
# parameter per member, ("L", name) the same leaf for every member, ("S", node) the same scalar op node.
ArgKind = tuple[str, int | str]


@dataclass
class VectorGroup:
    """Nodes computed by one array expression: ``members`` in row order, and per input position where
    the inputs come from (``kinds``) and, per member, which row or parameter feeds it (``rows``)."""

    members: list[int]
    kinds: tuple[ArgKind, ...]
    rows: list[list[int]] = field(default_factory=list)  # per input position, one index per member
    block: int = -1  # its block number (dot groups come first)


def vector_groups(
    graph: Graph, names: Sequence[str], dot_groups: Sequence[Sequence[int]], min_members: int = 2,
    keep_scalar: Set[int] = frozenset(),
    min_shifted: int = 2,
) -> list[VectorGroup]:
    """The vector groups of ``graph`` (block numbers: dot groups first, then these in the order returned).

    A candidate that ends up with fewer than ``min_members`` nodes is dropped and its nodes stay scalar
    lines; as later groups were keyed on it, the search is repeated until no group is dropped. Nodes in
    ``keep_scalar`` (the `largest` trees') are never members. A group reading one scalar node (the softmax
    family's shifted logits ``z_i - m``) needs only ``min_shifted`` members.
    """
    if not dot_groups:
        return []  # every vector group grows out of a product's rows
    from .codegen import param_flags, param_positions  # codegen imports this module

    is_param = param_flags(graph)
    param_index = param_positions(graph)
    in_dot: dict[int, tuple[int, int]] = {}
    for b, members in enumerate(dot_groups):
        for r, m in enumerate(members):
            in_dot[m] = (b, r)
    excluded: set[int] = set(keep_scalar)
    while True:
        row_of = dict(in_dot)
        found: dict[tuple[object, ...], VectorGroup] = {}
        order: list[VectorGroup] = []
        first = graph.given_count  # inputs and parameters numbered before the walk: leaves, never members
        for n, op in enumerate(graph.ops[first:], first):
            if op is None or n in in_dot or n in excluded:
                continue
            args = graph.args(n)
            kinds: list[ArgKind] = []
            picks: list[int] = []
            for p in args:
                where = row_of.get(p)
                if where is not None:
                    kinds.append(("B", where[0]))
                    picks.append(where[1])
                elif graph.ops[p] is not None:
                    # One scalar node, the same for every member (the key holds it): read by the first member,
                    # so computed before the group is.
                    kinds.append(("S", p))
                    picks.append(0)
                elif is_param[p]:
                    kinds.append(("P", 0))
                    picks.append(param_index[p])
                else:
                    kinds.append(("L", names[p]))
                    picks.append(0)
            else:
                if not any(kind == "B" for kind, _ in kinds):
                    continue
                key = (op, *kinds)
                group = found.get(key)
                if group is None:
                    block = len(dot_groups) + len(order)
                    group = found[key] = VectorGroup([], tuple(kinds), [[] for _ in kinds], block)
                    order.append(group)
                row_of[n] = (group.block, len(group.members))
                group.members.append(n)
                for position, pick in enumerate(picks):
                    group.rows[position].append(pick)
        small = [m for g in order
                 if len(g.members) < (min_shifted if any(k == "S" for k, _ in g.kinds) else min_members)
                 for m in g.members]
        if not small:
            _sort_rows(order)
            return order
        excluded.update(small)


def _sort_rows(groups: Sequence[VectorGroup]) -> None:
    """Put each group's members in the order of the rows they read from their first block.

    Then ``tanh`` of a layer's sums reads that block's rows in order (the array itself, no gathering), and
    so does whatever reads the tanh rows in the order of the layer's neurons. Groups are visited in the
    order they were made, so a block's rows are renumbered before any later group's references to them.
    """
    new_row: dict[int, list[int]] = {}  # per renumbered block, each old row's new place
    for group in groups:
        for position, (kind, source) in enumerate(group.kinds):
            if kind == "B" and source in new_row:
                renumber = new_row[int(source)]
                group.rows[position] = [renumber[r] for r in group.rows[position]]
        first = next(position for position, (kind, _) in enumerate(group.kinds) if kind == "B")
        key = group.rows[first]
        order = sorted(range(len(group.members)), key=key.__getitem__)
        group.members = [group.members[j] for j in order]
        group.rows = [[rows[j] for j in order] for rows in group.rows]
        place = [0] * len(order)
        for new, old in enumerate(order):
            place[old] = new
        new_row[group.block] = place


def row_selection(index: Sequence[int], size: int) -> str | None:
    """Subscript text picking rows ``index`` of a ``size``-row array as a view: ``""`` for all rows in order,
    ``"[a:b:s]"`` for an arithmetic run; ``None`` when only an index table can (rows out of order)."""
    count = len(index)
    if count == size and all(i == k for k, i in enumerate(index)):
        return ""
    if count == 1:
        return f"[{index[0]}:{index[0] + 1}]"
    step = index[1] - index[0]
    if step == 0 or any(index[k + 1] - index[k] != step for k in range(count - 1)):
        return None
    stop = index[-1] + step
    if step == 1:
        return f"[{index[0]}:{stop}]"
    return f"[{index[0]}:{stop if stop >= 0 else ''}:{step}]"


#: The deepest `largest` tree looked for (2**40 leaves): a longer chain of ``maximum`` nodes is no such tree,
#: and the walk down it stops here rather than recursing as deep as the chain is long.
_DEEPEST_TREE = 40


@dataclass
class LargestTree:
    """A balanced tree of ``maximum`` nodes paired neighbour by neighbour: its ``root``, its ``leaves``
    in order, and its ``inner`` nodes (each read by its tree parent alone)."""

    root: int
    leaves: list[int]
    inner: list[int]


def largest_trees(graph: Graph, kept: Set[int], min_leaves: int) -> list[LargestTree]:
    """The `largest` trees of ``graph`` over at least ``min_leaves`` leaves.

    A ``maximum`` node read once, by a ``maximum`` node, and not in ``kept`` (outputs and compared nodes, which
    code reads by name) is inside its reader's tree; a tree is kept only if pairing its leaves as `largest` pairs
    them rebuilds it exactly (then its value is the largest leaf, and its gradient is split as
    `row_reductions.rows_largest_grad` splits it).
    """
    ops = graph.ops
    if not any(op is not None and op.name == "maximum" for op in ops):
        return []  # most graphs: no pass over their links
    readers = Counter(graph.parents)  # how many times each node is read (by any node)

    def is_maximum(n: int) -> bool:
        op = ops[n]
        return op is not None and op.name == "maximum"

    trees: list[LargestTree] = []
    claimed: set[int] = set()
    for root in range(len(graph) - 1, graph.given_count - 1, -1):
        if root in claimed or not is_maximum(root):
            continue
        leaves: list[int] = []
        inner: list[int] = []
        try:
            found = _tree_shape(graph, root, lambda n: is_maximum(n) and readers[n] == 1 and n not in kept,
                                leaves, inner)
        except _NotATree:
            continue
        if len(leaves) >= min_leaves and found == _largest_shape(len(leaves)):
            claimed.update(inner)
            trees.append(LargestTree(root, leaves, inner))
    return trees


def _tree_shape(graph: Graph, n: int, inside: Callable[[int], bool], leaves: list[int], inner: list[int],
                depth: int = 0) -> object:
    """The tree of ``maximum`` nodes under ``n`` as nested pairs of leaf positions; its leaves are appended to
    ``leaves`` left to right, its nodes below ``n`` that ``inside`` accepts to ``inner``."""
    if depth > _DEEPEST_TREE:
        raise _NotATree
    if depth and not inside(n):
        leaves.append(n)
        return len(leaves) - 1
    if depth:
        inner.append(n)
    a, b = graph.args(n)
    return (_tree_shape(graph, a, inside, leaves, inner, depth + 1),
            _tree_shape(graph, b, inside, leaves, inner, depth + 1))


class _NotATree(Exception):
    """A chain of ``maximum`` nodes deeper than any `largest` tree looked for."""


def _largest_shape(count: int) -> object:
    """The balanced tree over ``count`` leaves, neighbours paired level by level (odd one out carried up), as
    nested pairs of leaf positions."""
    level: list[object] = list(range(count))
    while len(level) > 1:
        paired: list[object] = [(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        level = paired + level[-1:] if len(level) % 2 else paired
    return level[0]
