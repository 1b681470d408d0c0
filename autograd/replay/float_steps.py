"""Replay a small recorded graph node by node on Python floats: no numpy set-up at record time.

A graph of at most `levels.SMALL_GRAPH` nodes is not worth grouping (`levels.LevelProgram` would run it as
float steps anyway), and for such a graph the numpy arrays a level program sets up (its values, index
and guard arrays: a dozen numpy calls, each slow on a first, cold call) were a large part of what a
record cost (issue 12 goal 1: recording 100-node graphs at most 3 us a node). `FloatSteps` holds the same
program as plain lists: each op node computed by the op's own float functions, in topological order, as the
eager engine does, so a run gives the level program's numbers bit for bit, and refuses what it refuses
(a non-finite node, named as the eager engine names it; a recorded comparison that comes out otherwise).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from math import isfinite
from operator import ge, gt, le, lt
from typing import cast

from ..op import Op
from .graph import Graph

#: A recorded comparison: each side a node number (>= 0) or, with the number -1, the constant beside it.
GuardSpec = tuple[int, float, str, int, float, bool]

_COMPARE: dict[str, Callable[[float, float], bool]] = {"<": lt, "<=": le, ">": gt, ">=": ge}


class FloatSteps:
    """A small recorded graph run forward and backward on floats, one op node at a time (the level program's
    interface: `run`, `float_nodes`, `large_groups`, `on_branch_changed`)."""

    def __init__(self, graph: Graph, guards: Sequence[GuardSpec], constants: Sequence[tuple[int, float]]) -> None:
        """``constants`` holds (node, value) for each leaf baked in; ``guards`` the comparisons to re-check after
        each forward pass."""
        size = len(graph)
        self.size = size
        self.root = size - 1
        # One spare slot at the end: inputs and parameters the loss does not read are written to and read from it.
        initial = [0.0] * (size + 1)
        for n, value in constants:
            initial[n] = value
        self.initial = initial
        self.inputs = [size if n < 0 else n for n in graph.inputs]
        self.params = [size if n < 0 else n for n in graph.params]
        self.outputs = list(graph.outputs)
        ops = graph.ops
        nodes = [n for n in range(graph.given_count, size) if ops[n] is not None]
        #: How the graph splits (what `Tape.compile_seconds` reads): every op node alone, no numpy group.
        self.float_nodes = len(nodes)
        self.large_groups = 0
        self.code_shape = (self.float_nodes, 0)  # what its code would hold: a line per op node
        self._nodes = nodes
        needs = graph.needs
        self._reverse = [n for n in reversed(nodes) if needs[n]]
        #: Per node, 1 if its gradient is worth computing (it leads to a parameter).
        self.wanted = bytes(needs)
        self._ops, self._starts, self._parents = graph.ops, graph.starts, graph.parents
        self._guards = list(guards)
        self.on_branch_changed: Callable[[int], None] | None = None

    def run(self, inputs: Sequence[float], params: Sequence[float]) -> tuple[float, list[float], list[float]]:
        """Forward and backward on one sample: the loss, d loss / d parameter, and the output nodes' values."""
        vals = self.initial.copy()
        for n, x in zip(self.inputs, inputs):
            vals[n] = float(x)
        for n, x in zip(self.params, params):
            vals[n] = float(x)
        ops = cast(list[Op], self._ops)  # the nodes run are op nodes, never leaves (None)
        starts, parents = self._starts, self._parents
        for n in self._nodes:
            vals[n] = float(ops[n].forward(*[vals[p] for p in parents[starts[n]: starts[n + 1]]]))
        # The eager engine refuses an infinite or NaN node where it is made; a later op can hide it
        # (tanh(inf) is 1.0, 1 / inf is 0.0), so every node is checked, not only the loss.
        size = self.size
        if not all(map(isfinite, vals[:size])):  # the spare slot may hold anything unread
            self._not_finite(vals)
        if self._guards:
            self._check_guards(vals)
        grads = [0.0] * (size + 1)
        grads[self.root] = 1.0
        wanted = self.wanted
        for n in self._reverse:
            op = ops[n]
            args = parents[starts[n]: starts[n + 1]]
            g = grads[n]
            partials = op.derivative(vals[n], *[vals[p] for p in args])
            for j in range(len(args) - op.constant_args):
                p = args[j]
                if wanted[p]:
                    grads[p] += g * partials[j]
        gradients = [0.0 if n == size else grads[n] for n in self.params]
        return float(vals[self.root]), gradients, [vals[n] for n in self.outputs]

    def _not_finite(self, vals: list[float]) -> None:
        """Raise as the eager engine does for the first node (in topological order) that is infinite or NaN."""
        n = next(k for k in range(self.size) if not isfinite(vals[k]))
        op = self._ops[n]
        if op is None:  # a leaf: inputs are checked before a run, so a parameter whose data was set to it
            raise ValueError(f"replay: a parameter's data is {vals[n]!r}; a NaN or infinity must not spread"
                             " through the graph")
        operands = ", ".join(repr(vals[p]) for p in self._parents[self._starts[n]: self._starts[n + 1]])
        raise OverflowError(f"{op.name}: result {vals[n]!r} is not finite for inputs ({operands})")

    def _check_guards(self, vals: list[float]) -> None:
        for k, (left_node, left_value, op, right_node, right_value, result) in enumerate(self._guards):
            left = vals[left_node] if left_node >= 0 else left_value
            right = vals[right_node] if right_node >= 0 else right_value
            if bool(_COMPARE[op](left, right)) != result:
                if self.on_branch_changed is not None:
                    self.on_branch_changed(k)
                raise AssertionError(f"recorded comparison {k} changed")  # pragma: no cover - the tape raises


__all__ = ["FloatSteps"]
