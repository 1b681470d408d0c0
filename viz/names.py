"""Names to draw on a graph without touching it: per node, and per use of a plain number.

A model's forward pass is the user's graph; naming its nodes for a picture
should not rename them. And the numbers a user passes in (the inputs of
``model([1.0, 4.0, 5.0])``, the 1 that multiplies each bias) are constants the
engine shares between every place the same number is used, so one constant
cannot carry the name "a0[1]" in one place and "a1[0]" in another: such names
are given per use, as (the node that uses it, the position among its inputs).
Uses that share a name are drawn as one box of that name.

`draw_graph(root, names=...)` draws these names; `lecture.slide_names` makes
them for the slides' notation (MLP, RNN, LSTM).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from autograd import Value


def label_of(v: Value) -> str:
    """``v.label`` as text to draw. ``v.label = 5`` is a TypeError now, but a label written to the engine's slot
    (``Value._label``) is stored as given, and drawing one failed inside with "sequence item 0: expected str
    instance, int found"."""
    label = v.label
    if label.__class__ is str:
        return label
    return "" if label is None else str(label)


@dataclass
class GraphNames:
    """``nodes``: a name per node (drawn instead of its label); ``uses``: (user, input position) -> name."""

    nodes: dict[Value, str] = field(default_factory=dict)
    uses: dict[tuple[Value, int], str] = field(default_factory=dict)

    def name(self, v: Value) -> str:
        """The name to draw for ``v``: the one given here, else its own label."""
        name = self.nodes.get(v)
        return label_of(v) if name is None else name

    def update(self, other: GraphNames) -> GraphNames:
        """Add ``other``'s names (they win where both name a node); returns self."""
        self.nodes.update(other.nodes)
        self.uses.update(other.uses)
        return self

    @classmethod
    def of(cls, names: GraphNames | Mapping[Value, str] | None) -> GraphNames:
        """``names`` as GraphNames: a plain mapping names nodes only; None names nothing."""
        if names is None:
            return cls()
        if isinstance(names, GraphNames):
            return names
        if not isinstance(names, Mapping):
            raise TypeError(f"names must be GraphNames or a mapping Value -> str, got {type(names).__name__}")
        for node, name in names.items():
            # Caught here, not as a join's 'expected str instance' deep in the drawing.
            if not isinstance(node, Value) or not isinstance(name, str):
                raise TypeError(f"names must map Values to str, got {type(node).__name__} -> {type(name).__name__}")
        return cls(dict(names))


def consumers(order: list[Value]) -> dict[Value, list[Value]]:
    """For each node of a topological ``order``, the nodes that use it, in order."""
    users: dict[Value, list[Value]] = {v: [] for v in order}
    for v in order:
        for p in v.parents:
            if p in users and (not users[p] or users[p][-1] is not v):
                users[p].append(v)
    return users


def reading_order(root: Value) -> list[Value]:
    """A topological order (parents first) that visits parents left to right.

    So passes computed one after another and summed in that order (rows r =
    1, 2, ... of a batch; the loss terms of time steps) come out in the order
    they were written: with any topological order only their dependencies are
    certain, and row 4 might come before row 2.
    """
    order: list[Value] = []
    seen: set[int] = set()
    stack: list[tuple[Value, int]] = [(root, 0)]
    seen.add(id(root))
    while stack:
        v, i = stack.pop()
        parents = v.parents
        if i < len(parents):
            stack.append((v, i + 1))
            p = parents[i]
            if id(p) not in seen:
                seen.add(id(p))
                stack.append((p, 0))
        else:
            order.append(v)
    return order
