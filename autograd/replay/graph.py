"""A recorded graph as a few flat tables, so a tape never keeps the recorded `Value` objects alive.

Nodes are numbered in topological order (parents first, the loss last). Per
node the tables hold its op (``None`` for a leaf) and, packed in one integer
array, its parents' numbers. Leaves keep only the name the generated code
calls them by (``i0`` an input, ``p3`` a parameter, ``(2.0)`` a baked-in
constant). About 30 bytes per op node; every later code generation (scalar,
vectorized, batch) reads these tables, never the Values.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Sequence

from ..op import Op
from ..value import Value


class Graph:
    """Ops, parent numbers and leaf names of a recorded graph, in topological order."""

    __slots__ = ("ops", "starts", "parents", "leaf_names", "inputs", "params", "outputs")

    def __init__(
        self,
        order: Sequence[Value],
        leaf_name: Callable[[Value], str],
        inputs: Sequence[Value],
        parameters: Sequence[Value],
        outputs: Sequence[Value],
        number: dict[Value, int],
    ) -> None:
        """Number ``order`` into ``number``; ``leaf_name`` names each leaf (it raises for a leaf the tape cannot take).

        An input, parameter or output that is not in the graph gets the number -1.
        """
        ops: list[Op | None] = []
        starts = array("q", [0])
        parents = array("q")
        leaf_names: dict[int, str] = {}
        for n, v in enumerate(order):
            number[v] = n
            a = v._a
            if a is None:
                ops.append(None)
                leaf_names[n] = leaf_name(v)
            else:
                ops.append(v._op)
                if isinstance(a, tuple):
                    parents.extend([number[p] for p in a])
                else:
                    parents.append(number[a])
                    b = v._b
                    if b is not None:
                        parents.append(number[b])
            starts.append(len(parents))
        self.ops = ops
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
