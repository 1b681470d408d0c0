"""A recorded graph as a few flat tables, so a tape never keeps the recorded `Value` objects alive.

Nodes are numbered in topological order (parents first, the loss last). Per
node the tables hold its op (``None`` for a leaf), its level (0 for a leaf,
else one more than its deepest parent: nodes of one level never depend on
each other, so `levels.LevelProgram` runs them together) and, packed in one
integer array, its parents' numbers. Leaves keep only the name the generated
code calls them by (``i0`` an input, ``p3`` a parameter, ``(2.0)`` a baked-in
constant). Every later program (the level interpreter, generated scalar,
vectorized and batch code) reads these tables, never the Values.

The tables are built in the same single walk that finds the topological
order: recording time is part of what a tape costs (issue 12 goal 1).
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Sequence

from ..op import Op
from ..value import Value


class Graph:
    """Ops, levels, parent numbers and leaf names of a recorded graph, in topological order."""

    __slots__ = ("ops", "levels", "starts", "parents", "leaf_names", "inputs", "params", "outputs")

    def __init__(
        self,
        root: Value,
        leaf_name: Callable[[Value], str],
        inputs: Sequence[Value],
        parameters: Sequence[Value],
        outputs: Sequence[Value],
        number: dict[Value, int],
    ) -> None:
        """Number every node ``root`` depends on into ``number``; ``leaf_name`` names each leaf (it raises for a
        leaf the tape cannot take).

        The order is `autograd.backward.topological_order`'s (the same iterative walk). An input, parameter or
        output that is not in the graph gets the number -1.
        """
        ops: list[Op | None] = []
        levels = array("l")
        starts = array("q", [0])
        parents = array("q")
        leaf_names: dict[int, str] = {}
        # ``number`` doubles as the walk's state: absent (not seen), -1 (parents being visited), else emitted.
        stack: list[Value] = [root]
        push, pop = stack.append, stack.pop
        while stack:
            node = stack[-1]
            n = number.get(node)
            if n is None:
                a = node._a
                if a is None:  # a leaf: emitted at once
                    pop()
                    n = number[node] = len(ops)
                    ops.append(None)
                    levels.append(0)
                    leaf_names[n] = leaf_name(node)
                    starts.append(len(parents))
                    continue
                number[node] = -1
                # Pushed in `topological_order`'s order (the last parent is numbered first), so replays that
                # promise the eager engine's bits accumulate gradients in its order.
                if isinstance(a, tuple):
                    stack.extend([p for p in a if p not in number])
                else:
                    if a not in number:
                        push(a)
                    b = node._b
                    if b is not None and b not in number:
                        push(b)
            else:
                pop()
                if n == -1:
                    n = number[node] = len(ops)
                    ops.append(node._op)
                    a = node._a
                    if isinstance(a, tuple):
                        numbers = list(map(number.__getitem__, a))
                        parents.extend(numbers)
                        levels.append(max(map(levels.__getitem__, numbers)) + 1)
                    else:
                        k = number[a]  # type: ignore[index]
                        parents.append(k)
                        level = levels[k]
                        b = node._b
                        if b is not None:
                            k = number[b]
                            parents.append(k)
                            if levels[k] > level:
                                level = levels[k]
                        levels.append(level + 1)
                    starts.append(len(parents))
        self.ops = ops
        self.levels = levels
        self.starts = starts
        self.parents = parents
        self.leaf_names = leaf_names
        self.inputs = [number.get(v, -1) for v in inputs]  # -1: an input the loss does not read
        self.params = [number.get(p, -1) for p in parameters]
        self.outputs = [number.get(v, -1) for v in outputs]

    def __len__(self) -> int:
        return len(self.ops)

    def args(self, n: int) -> array:
        """The parents' numbers of node ``n``."""
        return self.parents[self.starts[n]: self.starts[n + 1]]

    def names(self) -> list[str]:
        """The variable (or literal) each node is held in by generated code."""
        leaf = self.leaf_names
        return [leaf[n] if op is None else f"v{n}" for n, op in enumerate(self.ops)]

    def op_counts(self) -> dict[str, int]:
        """How many nodes of each op the graph has."""
        counts: dict[str, int] = {}
        for op in self.ops:
            if op is not None:
                counts[op.name] = counts.get(op.name, 0) + 1
        return counts
