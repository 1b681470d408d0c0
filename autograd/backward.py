"""The backward pass: reverse-mode accumulation over the recorded graph, with no recursion.

A node may only pass its gradient on once every node that consumes it has
passed theirs (Kahn's algorithm run from the root): the first sweep counts,
for each interior node, how many edges of the graph lead into it; the second
sweep pops a node whose count has reached zero, applies its op's local
derivative, and decrements its parents. Both sweeps use explicit stacks, so a
chain a million nodes deep needs no Python recursion.

A node keeps its parents in two slots (see `Value`): ``_a`` and ``_b`` for a
binary op, ``_a`` alone for a unary op, ``_a`` as a tuple for an n-ary op.
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .value import Value


def backpropagate(root: Value, seed: float = 1.0) -> None:
    """Set every interior node's ``.grad`` to d(root)/d(node); add it to every leaf's.

    Raises FloatingPointError, naming the node, if a gradient stops being finite.
    """
    if root._a is None:
        root.grad += seed
        if root.grad - root.grad != 0.0 and not _finite_value(root.grad):
            raise FloatingPointError(f"backward: gradient {root.grad!r} accumulated in {_describe(root)} is not finite")
        return
    # The pass creates no reference cycles, only short-lived tuples of partials;
    # left on, the cyclic collector would re-traverse the whole live graph.
    collecting = gc.isenabled()
    gc.disable()
    try:
        _propagate(root, seed)
    finally:
        if collecting:
            gc.enable()


def _propagate(root: Value, seed: float) -> None:
    consumers, leaves = _count_consumers(root)
    root.grad = seed
    # Any, not Value: a node's slots hold a Value, a tuple or None depending on its arity, which this
    # hot loop tests by hand (``b is not None``, ``__class__ is tuple``) where mypy cannot follow.
    ready: list[Any] = [root]
    pop = ready.pop
    push = ready.append
    while ready:
        node = pop()
        g = node.grad
        if g - g != 0.0:
            raise FloatingPointError(f"backward: gradient {g!r} reaching {_describe(node)} is not finite")
        a = node._a
        b = node._b
        # Binary and unary nodes are unrolled by hand: this loop is the engine's hot path.
        if b is not None:
            da, db = node._op.derivative(node.data, a.data, b.data)
            a.grad += g * da
            if a._a is not None:
                left = consumers[a] - 1
                consumers[a] = left
                if not left:
                    push(a)
            b.grad += g * db
            if b._a is not None:
                left = consumers[b] - 1
                consumers[b] = left
                if not left:
                    push(b)
        elif a.__class__ is not tuple:
            (da,) = node._op.derivative(node.data, a.data)
            a.grad += g * da
            if a._a is not None:
                left = consumers[a] - 1
                consumers[a] = left
                if not left:
                    push(a)
        else:
            partials = node._op.derivative(node.data, *[p.data for p in a])
            for p, d in zip(a, partials):
                p.grad += g * d
                if p._a is not None:
                    left = consumers[p] - 1
                    consumers[p] = left
                    if not left:
                        push(p)
    # A leaf's gradient is a sum over its consumers, so it can overflow even when every node's is finite.
    for leaf in leaves:
        g = leaf.grad
        if g - g != 0.0 and not _finite_value(g):
            raise FloatingPointError(f"backward: gradient {g!r} accumulated in {_describe(leaf)} is not finite")


def _finite_value(g: Any) -> bool:
    """True for a finite gradient held as a Value: backward(create_graph=True) left one in ``.grad``, and a
    plain backward() adds to it (as PyTorch adds to a .grad that has a grad_fn); ``Value - Value`` is a Value."""
    data = getattr(g, "data", None)
    return data.__class__ is float and data - data == 0.0


def _count_consumers(root: Value) -> tuple[dict[Value, int], list[Value]]:
    """For each interior node below ``root``, the number of edges into it (zeroing their grads); and the leaves.

    A leaf appears once per edge into it.
    """
    consumers: dict[Value, int] = {}
    leaves: list[Value] = []
    found_leaf = leaves.append
    stack: list[Any] = [root]  # Any: see `_propagate`
    pop = stack.pop
    push = stack.append
    get = consumers.get
    while stack:
        node = pop()
        a = node._a
        b = node._b
        for p in (a, b) if b is not None else (a,) if a.__class__ is not tuple else a:
            if p._a is not None:
                seen = get(p)
                if seen is None:
                    consumers[p] = 1
                    p.grad = 0.0
                    push(p)
                else:
                    consumers[p] = seen + 1
            else:
                found_leaf(p)
    return consumers, leaves


def topological_order(root: Value) -> list[Value]:
    """Every node ``root`` depends on, each after all of its parents (leaves first, root last).

    Iterative; each node appears once. This is the order a forward replay
    evaluates in; reversed, it is the order the backward pass visits.
    """
    order: list[Value] = []
    state: dict[Value, bool] = {}  # False: parents being visited; True: emitted
    stack: list[Value] = [root]
    while stack:
        node = stack[-1]
        mark = state.get(node)
        if mark is None:
            state[node] = False
            for p in node.parents:
                if p not in state:
                    stack.append(p)
        else:
            stack.pop()
            if mark is False:
                state[node] = True
                order.append(node)
    return order


def _describe(node: Value) -> str:
    name = node._op.name if node._op is not None else "leaf"
    label = f" {node.label!r}" if node.label else ""
    return f"{name} node{label} (data={node.data!r})"
