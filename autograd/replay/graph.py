"""A recorded graph as a few flat tables, so a tape never keeps the recorded `Value` objects alive.

Nodes are numbered in topological order (parents first, the loss last). Per
node the tables hold its op (``None`` for a leaf), its level (0 for a leaf,
else one more than its deepest parent: nodes of one level never depend on
each other, so `levels.LevelProgram` runs them together), whether it leads to
a parameter (its gradient is worth computing) and, packed in one
integer array, its parents' numbers. Inputs and parameters come first, each
named by its position when generated code asks (``i0``, ``p3``); the other
leaves, constants, keep their literal (``(2.0)``). Every later program (the level interpreter, generated scalar,
vectorized and batch code) reads these tables, never the Values.

The tables are built in the same single walk that finds the topological
order: recording time is part of what a tape costs (issue 12 goal 1).
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Sequence
from itertools import repeat

from ..op import Op
from ..value import Value


class Graph:
    """Ops, levels, parent numbers and leaf names of a recorded graph, in topological order."""

    __slots__ = ("ops", "levels", "needs", "starts", "parents", "given", "given_inputs", "leaf_names", "walked_leaves",
                 "inputs", "params", "outputs")

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

        Leaves among ``inputs`` and ``parameters`` come first (numbered even if the loss does not read them);
        the op nodes follow in `autograd.backward.topological_order`'s order (the same iterative walk). An
        output that is not in the graph gets the number -1.
        """
        ops: list[Op | None] = []
        levels = array("l")
        needs = bytearray()  # 1 where a node leads to a parameter: the only gradients worth computing
        starts = array("q", [0])
        parents = array("q")
        leaf_names: dict[int, str] = {}
        # Inputs and parameters that are leaves are numbered first, without the walk and with C-level bulk
        # operations: a model's weights are most of a graph's leaves (a dot node reads one per input).
        given = array("q")  # per leaf numbered here, its position among the inputs (then the parameters)
        for group, prefix in ((inputs, "i"), (parameters, "p")):
            fresh = {v: k for k, v in enumerate(group) if v._a is None and v not in number}
            first = len(ops)
            number.update(zip(fresh, range(first, first + len(fresh))))
            ops.extend([None] * len(fresh))
            levels.extend([0] * len(fresh))
            needs.extend((b"\x01" if prefix == "p" else b"\x00") * len(fresh))
            given.extend(fresh.values())
            starts.extend([0] * len(fresh))
            if prefix == "i":
                self.given_inputs = len(given)
        self.given = given
        walked_leaves: list[int] = []  # every other leaf: what ``leaf_name`` allows is a constant
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
                    needs.append(0)
                    leaf_names[n] = leaf_name(node)
                    walked_leaves.append(n)
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
                        needs.append(any(map(needs.__getitem__, numbers)))
                    else:
                        k = number[a]  # type: ignore[index]
                        parents.append(k)
                        level = levels[k]
                        need = needs[k]
                        b = node._b
                        if b is not None:
                            k = number[b]
                            parents.append(k)
                            if levels[k] > level:
                                level = levels[k]
                            need |= needs[k]
                        levels.append(level + 1)
                        needs.append(need)
                    starts.append(len(parents))
        self.params = list(map(number.get, parameters, repeat(-1)))
        interior = [n for n in self.params if n >= 0 and ops[n] is not None]
        if interior:  # rare: parameters that are op nodes were not known to the walk's needs
            _mark_needs_from(interior, ops, needs, starts, parents)
        self.ops = ops
        self.levels = levels
        self.needs = needs
        self.starts = starts
        self.parents = parents
        self.leaf_names = leaf_names
        #: The leaves found by the walk rather than given as inputs or parameters: constants, baked in.
        self.walked_leaves = walked_leaves
        self.inputs = list(map(number.get, inputs, repeat(-1)))  # -1: an interior node the loss does not read
        self.outputs = list(map(number.get, outputs, repeat(-1)))

    def __len__(self) -> int:
        return len(self.ops)

    def args(self, n: int) -> array:
        """The parents' numbers of node ``n``."""
        return self.parents[self.starts[n]: self.starts[n + 1]]

    def leaf_name(self, n: int) -> str:
        """The name generated code calls leaf ``n`` by: ``i0`` an input, ``p3`` a parameter, ``(2.0)`` a constant.

        Inputs' and parameters' names are made when asked for, not stored: a model's weights are most of a
        graph's leaves, and a name apiece would be most of a tape's memory."""
        if n < len(self.given):
            return f"{'i' if n < self.given_inputs else 'p'}{self.given[n]}"
        return self.leaf_names[n]

    def names(self) -> list[str]:
        """The variable (or literal) each node is held in by generated code."""
        return [self.leaf_name(n) if op is None else f"v{n}" for n, op in enumerate(self.ops)]

    def op_counts(self) -> dict[str, int]:
        """How many nodes of each op the graph has."""
        counts: dict[str, int] = {}
        for op in self.ops:
            if op is not None:
                counts[op.name] = counts.get(op.name, 0) + 1
        return counts


def _mark_needs_from(interior: Sequence[int], ops: Sequence[Op | None], needs: bytearray, starts: array,
                     parents: array) -> None:
    """Mark parameters that are op nodes (``interior``), and every node computed from one, as needing a gradient:
    the walk marked only what leads to a leaf parameter. Parents come before children, so one pass suffices."""
    for n in interior:
        needs[n] = 1
    for n in range(min(interior), len(ops)):
        if not needs[n] and ops[n] is not None and any(needs[p] for p in parents[starts[n]: starts[n + 1]]):
            needs[n] = 1
