"""Gradients as graphs: `grad` (PyTorch's `torch.autograd.grad`) and ``backward(create_graph=True)``.

With ``create_graph=True`` the backward pass is run on `Value`s: each local
derivative is the op row's own expression evaluated among the Value helpers
(`autograd.value_helpers`), so every gradient is a `Value` whose graph records
how it was computed, and can be differentiated again::

    x = Value(0.5)
    (dy,) = grad(x.tanh(), [x], create_graph=True)   # 1 - tanh(x)^2, as a graph
    (d2y,) = grad(dy, [x])                           # -2 tanh(x) (1 - tanh(x)^2)

Without it, `grad` runs the same float arithmetic as ``backward()`` and
returns the gradients as new leaves; ``Value.backward()`` itself is untouched
(the eager first-order path does not come here). Both walks are iterative (a
topological order and a dict of partial sums), so a chain 10,000 deep needs no
recursion. ``create_graph=True`` records the gradient's graph even inside
`no_grad` (as PyTorch's engine does: it runs the backward pass with grad mode
set to ``create_graph``); the forward graph must of course have been recorded.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any

from .backward import VALUE_HOOKS, _describe, call_hooks, origin_words, topological_order
from .grad_mode import enable_grad
from .value import Value, _as_real, refuse_no_grad_root
from .value_helpers import derivative_on_values

Gradient = Any  # a Value, or a plain float while it does not depend on any Value


def grad(
    output: Value,
    inputs: Sequence[Value] | Value,
    grad_output: Value | float = 1.0,
    create_graph: bool = False,
    allow_unused: bool = False,
    *,
    retain_graph: bool | None = None,
) -> list[Value]:
    """d(output)/d(input) for each of ``inputs``, as new Values; ``.grad`` attributes are not touched.

    Args:
        output: the Value to differentiate.
        inputs: Values ``output`` depends on (leaves or interior nodes).
        grad_output: the seed d(output)/d(output), a number or a Value (1.0 by default).
        create_graph: record the backward pass as a graph, so the gradients can be
            differentiated again (second and higher derivatives).
        allow_unused: an input ``output`` does not depend on is an error unless this is
            true; it then gets a zero gradient (PyTorch returns None there unless
            ``materialize_grads=True``; here the list always holds Values).
        retain_graph: accepted for torch's code; changes nothing (the graph is always kept).

    Returns:
        One Value per input. With ``create_graph`` each one's graph leads back to the
        inputs; without it each is a fresh leaf holding the number.
    """
    if not isinstance(output, Value):
        raise TypeError(f"grad: output must be a Value, got {type(output).__name__}")
    for flag, value in (("create_graph", create_graph), ("allow_unused", allow_unused)):
        if not isinstance(value, int):  # bool is an int; torch takes any int here, and nothing else
            raise TypeError(f"grad: {flag} must be True or False, got {type(value).__name__}")
    if retain_graph is not None and not isinstance(retain_graph, int):
        raise TypeError(f"grad: retain_graph must be True, False or None, got {type(retain_graph).__name__}")
    if isinstance(inputs, Value):
        inputs = [inputs]  # one input, as torch.autograd.grad accepts a single tensor
    try:
        inputs = list(inputs)
    except TypeError:
        raise TypeError(f"grad: inputs must be a Value or a sequence of Values, got {type(inputs).__name__}") from None
    for i, x in enumerate(inputs):
        if not isinstance(x, Value):
            raise TypeError(f"grad: inputs[{i}] must be a Value, got {type(x).__name__}")
        if not x.requires_grad:
            what = "a constant the engine made from a number" if x.is_constant else "computed under no_grad()"
            raise RuntimeError(f"grad: inputs[{i}] ({_describe(x)}) does not require grad: it is {what}, so no"
                               " gradient reaches it (PyTorch: One of the differentiated Tensors does not"
                               " require grad)")
    refuse_no_grad_root(output, "grad")
    seed = _seed(grad_output, create_graph)
    grads = _accumulate(output, seed, set(inputs), create_graph)
    results: list[Value] = []
    reached: set[Value] | None = None
    for i, x in enumerate(inputs):
        g = grads.get(x)
        if g is None:
            if reached is None:
                reached = set(topological_order(output))
            if x in reached:
                g = 0.0  # used, through derivatives that are 0 here (relu's step): PyTorch gives 0 too
            elif not allow_unused:
                raise ValueError(
                    f"grad: inputs[{i}] ({_describe(x)}) was not used to compute the output;"
                    " pass allow_unused=True for a zero gradient"
                )
            g = 0.0
        results.append(g if isinstance(g, Value) else Value(g))
    return results


def backward_with_graph(root: Value, seed: Value | float = 1.0) -> None:
    """``root.backward(create_graph=True)``: every ``.grad`` below ``root`` becomes a Value with a graph.

    The same semantics as ``backward()``: leaves (other than the engine's constants, whose
    gradient means nothing) accumulate (``old + new``, so a float gradient from an earlier call
    is kept), interior nodes start afresh.
    """
    grads = _accumulate(root, _seed(seed, True), None, True)
    for node, g in grads.items():
        if node.is_constant:
            continue
        old: Gradient = node.grad
        if node.is_leaf and (isinstance(old, Value) or old != 0.0):
            node.grad = _as_value(old + g)  # type: ignore[assignment]  # see below
        else:
            # Value.grad is declared float, what every other path stores and every reader expects;
            # only create_graph stores a Value there (as PyTorch does), so the mismatch is stated here.
            node.grad = _as_value(g)  # type: ignore[assignment]


def accumulate_into(root: Value, inputs: Sequence[Value] | Value, seed: Value | float, create_graph: bool) -> None:
    """``root.backward(inputs=...)``: add d(root)/d(input) to each input's ``.grad`` and touch nothing else, as
    torch's ``inputs=`` (an input ``root`` does not depend on is left as it was)."""
    if isinstance(inputs, Value):
        inputs = [inputs]
    try:
        chosen = list(inputs)
    except TypeError:
        raise TypeError(f"backward(): inputs must be a Value or a sequence of Values, got {type(inputs).__name__}"
                        ) from None
    if not chosen:
        raise RuntimeError("'inputs' argument to backward() cannot be empty.")  # torch's words
    for i, x in enumerate(chosen):  # checked here so the message names backward(), not the grad() it calls
        if not isinstance(x, Value):
            raise TypeError(f"backward(): inputs[{i}] must be a Value, got {type(x).__name__}")
    gradients = grad(root, chosen, seed, create_graph=create_graph, allow_unused=True)
    for node, g in zip(chosen, gradients):
        old: Gradient = node.grad
        if create_graph:
            node.grad = _as_value(old + g if isinstance(old, Value) or old != 0.0 else g)  # type: ignore[assignment]
        else:
            node.grad = old + g.data  # a Value from an earlier create_graph stays one


def _as_value(g: Gradient) -> Value:
    return g if isinstance(g, Value) else Value(g)


def _seed(grad_output: Value | float, create_graph: bool) -> Gradient:
    if isinstance(grad_output, Value):
        return grad_output if create_graph else grad_output.data
    if isinstance(grad_output, bool) or not isinstance(grad_output, numbers.Real):
        # (numbers.Real, not (int, float): numpy's float32 and int64 are real numbers, as they are to Value)
        raise TypeError(f"grad: grad_output must be a number or a Value, got {type(grad_output).__name__}")
    # The engine's own check: finite, and an int past the float range named ("int too large to convert").
    return _as_real(grad_output, "grad: grad_output")


def _accumulate(root: Value, seed: Gradient, wanted: set[Value] | None, create_graph: bool) -> dict[Value, Gradient]:
    """d(root)/d(node) for every node on a path from ``wanted`` to ``root`` (every node, if None).

    Reverse-mode accumulation over a topological order: a node's total is complete before
    its op passes it on, so each op's local derivative is evaluated once per node.
    """
    order = topological_order(root)
    relevant: set[Value] | None = None
    if wanted is not None:
        # Only nodes from which a wanted input can be reached need a gradient (PyTorch prunes alike).
        relevant = set()
        for node in order:
            if node in wanted or any(p in relevant for p in node.parents):
                relevant.add(node)
        if root not in relevant:
            return {}
    if create_graph:
        with enable_grad():
            return _sweep(order, root, seed, relevant, wanted, True)
    return _sweep(order, root, seed, relevant, wanted, False)


def _sweep(
    order: list[Value], root: Value, seed: Gradient, relevant: set[Value] | None, wanted: set[Value] | None,
    create_graph: bool,
) -> dict[Value, Gradient]:
    """The reverse walk of `_accumulate` over ``order`` (reversed), summing each node's gradient."""
    grads: dict[Value, Gradient] = {root: seed}
    for node in reversed(order):
        g = grads.get(node)
        if g is None:
            continue
        if VALUE_HOOKS and id(node) in VALUE_HOOKS:  # complete here: every consumer has passed its share on
            g = grads[node] = call_hooks(node, g)
        if node._a is None:
            continue
        parents = node.parents
        op = node._op
        assert op is not None  # an interior node always records its op
        partials: Sequence[Any]
        if create_graph:
            partials = derivative_on_values(op, len(parents))(node, *parents)
        else:
            partials = op.derivative(node.data, *[p.data for p in parents])
        for p, d in zip(parents, partials):
            if (relevant is not None and p not in relevant) or (wanted is None and p.is_constant):
                continue
            if d.__class__ is float or d.__class__ is int:
                if d == 0.0:
                    continue  # a derivative that is identically zero (pow's exponent): no edge
                contribution = g if d == 1.0 else g * d
            else:
                contribution = d if (g.__class__ is float and g == 1.0) else g * d
            old = grads.get(p)
            total = contribution if old is None else old + contribution
            if total.__class__ is float and total - total != 0.0:
                where = ""
                if g.__class__ is float and g - g == 0.0 and (d - d != 0.0 or g * d - g * d != 0.0):
                    where = f"; {origin_words(node, g, d)}"  # this node's step made it (gelu_tanh at 1e155)
                raise FloatingPointError(f"grad: gradient {total!r} reaching {_describe(p)} is not finite{where}")
            grads[p] = total
    return grads



__all__ = ["grad", "backward_with_graph"]
