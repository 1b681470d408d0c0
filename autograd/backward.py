"""The backward pass: reverse-mode accumulation over the recorded graph, with no recursion.

A node may only pass its gradient on once every node that consumes it has
passed theirs. The first sweep, an iterative depth-first search from the
root, lists the interior nodes in post-order (each after its parents); the
second walks that list backwards (each node before its parents), applying
each op's local derivative. Both use explicit stacks or lists, so a chain a
million nodes deep needs no Python recursion.

The sweep's bookkeeping ("reached", "listed") lives in the interior nodes'
own ``.grad`` slots, which the pass overwrites anyway, not in a dict keyed by
node: at millions of nodes such a dict is a hash table read at a random
place on every step, and the pass's cost per node grew with the graph
(bench/bench_eager_scaling.py measures it).

A node keeps its parents in two slots (see `Value`): ``_a`` and ``_b`` for a
binary op, ``_a`` alone for a unary op, ``_a`` as a tuple for an n-ary op.
"""

from __future__ import annotations

import gc
import numbers
import threading
from collections.abc import Callable, Iterable
from itertools import chain
from typing import TYPE_CHECKING, Any, cast

from . import ops
from .helpers import scalar_namespace
from .op import backward_lines, register_source
from .shown import short_repr

if TYPE_CHECKING:
    from .value import Value


def backpropagate(root: Value, seed: float = 1.0) -> None:
    """Set every interior node's ``.grad`` to d(root)/d(node); add it to every leaf's.

    Raises FloatingPointError, naming the node, if a gradient stops being finite.
    """
    if root._a is None:
        if VALUE_HOOKS and id(root) in VALUE_HOOKS:
            seed = call_hooks(root, seed)
        try:
            root.grad += seed
        except TypeError:
            refuse_bad_grads([root])
            raise
        if root.grad - root.grad != 0.0 and not _finite_value(root.grad):
            raise FloatingPointError(f"backward: gradient {root.grad!r} accumulated in {_describe(root)} is not finite")
        return
    # One pass at a time in the process: a pass keeps its bookkeeping in the interior nodes' .grad slots, so
    # two threads running backward() through a shared graph at once would read each other's marks and partial
    # sums (gradients 10^11 times too large were measured); PyTorch's engine makes them safe too.
    # The pass creates no reference cycles, only short-lived tuples of partials;
    # left on, the cyclic collector would re-traverse the whole live graph.
    collecting = gc.isenabled()
    gc.disable()
    _take_pass_lock()  # bound acquire/release: half the cost of a `with` block (80 ns a pass)
    try:
        _propagate(root, seed)
    except FloatingPointError as err:
        # Where the leaf's NaN came from is found only now, on the failure path: the sweep names the node the
        # gradient reached, which is the leaf ("gradient nan accumulated in leaf node 'x'"), not the op whose
        # local derivative was not finite (gelu_tanh's at 1e155, as torch's).
        origin = non_finite_origin(root)
        if origin is None:
            raise
        raise FloatingPointError(f"{err}; {origin}") from None
    except TypeError:
        # Only now, after the pass failed: a .grad someone set to None (as `p.grad = None` does in PyTorch) or
        # to a non-number makes `p.grad += g` fail deep inside the sweep; name the node instead.
        refuse_bad_grads(node for node in topological_order(root) if node._a is None)
        raise
    finally:
        if collecting:
            gc.enable()
        _give_pass_lock()


#: Held for the whole of a backward pass (re-entrant: a pass started from inside one, by a hook, cannot deadlock).
_PASS_LOCK = threading.RLock()
_take_pass_lock = _PASS_LOCK.acquire
_give_pass_lock = _PASS_LOCK.release


def _fresh_mark() -> float:
    """A zero that is also a name tag: one fresh pair per backward pass marks the nodes it has reached.

    The pass stores its bookkeeping in the interior nodes' own ``.grad`` slots, which it overwrites anyway,
    instead of a dict keyed by node: a dict of millions of nodes is a hash table that every step reads at a
    random place, so its cost per node grew with the graph (see bench/bench_eager_scaling.py). A mark equals
    0.0, so the first contribution ``node.grad += g * d`` needs no separate zeroing; and it is a float object
    of its own, never equal *by identity* to anything but itself (an object's identity is unique while it
    lives, and the nodes holding an earlier pass's marks keep those alive), so a grad left by an earlier
    pass (or an interrupted one, whose marks are harmless zeros) is never taken for this pass's mark.

    A plain float, not a float subclass: the sweep's first addition into every node is then float + float,
    which the interpreter runs on its specialized path (a subclass operand took the generic one).
    """
    return float("0")  # parsed at run time: a new object, never the shared constant 0.0


def _propagate(root: Value, seed: float) -> None:
    order, leaves, wide = _interior_postorder(root)
    root.grad = seed
    # Reversed post-order: every consumer of a node comes before it, so its gradient is complete when read.
    if VALUE_HOOKS:  # one check per pass: with no hook anywhere the sweep looks at no node for one
        _sweep_with_hooks(order, leaves, wide)
    else:
        _SWEEP(order, _not_finite)
    _check_leaves(leaves, wide)


#: Gradient hooks by id of the Value they are registered on (`autograd.value_hooks`): {hook number: hook}.
VALUE_HOOKS: dict[int, dict[int, Callable[[Any], Any]]] = {}


def call_hooks(node: Value, g: Any) -> Any:
    """``node``'s hooks called in order on its gradient ``g``; each result other than None replaces it."""
    for fn in list(VALUE_HOOKS.get(id(node), {}).values()):
        result = fn(g)
        if result is None:
            continue
        # A float pass takes a number; a create_graph pass (g a Value) a Value or a number (made a constant).
        if not (hasattr(result, "_a") and hasattr(g, "_a")):
            if isinstance(result, bool) or not isinstance(result, numbers.Real) or hasattr(result, "_a"):
                raise TypeError(f"a gradient hook of {_describe(node)} returned {type(result).__name__} "
                                f"{short_repr(result)}: return a number (the new gradient) or None")
            try:
                result = float(result)
            except OverflowError:  # an int past the float range was a bare "int too large to convert to float"
                raise OverflowError(f"a gradient hook of {_describe(node)} returned {short_repr(result)}, too large "
                                    "for a float") from None
            if result - result != 0.0:
                raise FloatingPointError(f"a gradient hook of {_describe(node)} returned {result!r}, not finite")
        g = result
    return g


def _sweep_with_hooks(order: list[Any], leaves: list[Value], wide: list[tuple[Value, ...]]) -> None:
    """The sweep of `_SWEEP`, calling each hooked node's hooks on its gradient once it is complete.

    A hooked leaf collects this pass's contributions from 0 (its earlier ``.grad`` set aside), and gets
    back the earlier value plus what its hooks make of them, once the pass is over (torch runs a leaf's hooks
    before accumulating into ``.grad``). Every node's step is its op's compiled ``backward``.
    """
    hooked = {id(leaf): leaf for leaf in chain(leaves, chain.from_iterable(wide))
              if leaf._a is None and id(leaf) in VALUE_HOOKS}
    refuse_bad_grads(hooked.values())  # a .grad of None is named, as the plain sweep names it, before any changes
    earlier = {key: leaf.grad for key, leaf in hooked.items()}
    for leaf in hooked.values():
        leaf.grad = 0.0
    try:
        for node in reversed(order):
            g = node.grad
            if g - g != 0.0:
                _not_finite(node, g)
            if id(node) in VALUE_HOOKS:
                g = node.grad = call_hooks(node, g)
            node._op.backward(node, g)
        # Each leaf's hooks first, then every accumulation: a hook that raises leaves every hooked leaf as it was.
        results = {key: call_hooks(leaf, leaf.grad) for key, leaf in hooked.items()}
    except BaseException:
        # A failed pass (or hook) adds nothing to a hooked leaf: its hooks did not run on this pass's sum, and
        # what it collected is no gradient its hooks have seen (torch runs a leaf's hooks before accumulating).
        for key, leaf in hooked.items():
            leaf.grad = earlier[key]
        raise
    for key, leaf in hooked.items():
        leaf.grad = earlier[key] + results[key]


def refuse_bad_grads(leaves: Iterable[Value], who: str = "backward") -> None:
    """TypeError naming the first of ``leaves`` whose ``.grad`` is no number (None, a string ...); else nothing.

    Gradients here are numbers from the start (0.0), never None as in PyTorch: ``p.grad = 0.0`` or
    ``zero_grad()`` resets one.
    """
    for leaf in leaves:
        g = leaf.grad
        if not isinstance(g, numbers.Real) and not hasattr(g, "_a"):  # a Value's slot: create_graph left it
            raise TypeError(
                f"{who}: .grad of {_describe(leaf)} is {type(g).__name__} {g!r}, not a number: gradients are"
                " floats from the start; reset one with p.grad = 0.0 or model.zero_grad(), not None"
            )


def _not_finite(node: Value, g: float) -> None:
    raise FloatingPointError(f"backward: gradient {g!r} reaching {_describe(node)} is not finite")


#: The ops whose backward step is pasted into the sweep's loop (the commonest nodes of a graph, tried in this
#: order); a node of any other op calls its ``op.backward``.
INLINED_OPS = (ops.ADD, ops.MUL, ops.TANH, ops.SUB)
#: The n-ary ops whose nodes the sweep hands to the step compiled for their fan-in (`Op.backward_for`) itself.
DISPATCHED_NARY_OPS = (ops.DOT, ops.SUM)


def _compile_sweep() -> Callable[[list[Any], Callable[[Any, float], None]], None]:
    """The backward pass's loop over the reversed post-order, compiled with the inlined ops' steps.

    Each inlined step is `Op.backward`'s own body (`autograd.op.backward_lines`, from the row's derivative
    expressions) without the call: one function call less per node. Source under ``<backward sweep>``.
    """
    lines = [
        "def sweep(_order, _not_finite):",
        "    for _node in _reversed(_order):",
        "        _g = _node.grad",
        "        if _g - _g != 0.0:",
        "            _not_finite(_node, _g)",
        "        _op = _node._op",
    ]
    scope: dict[str, Any] = scalar_namespace()
    for k, op in enumerate(INLINED_OPS):
        assert op.arity is not None
        lines.append(f"        {'if' if k == 0 else 'elif'} _op is _OP{k}:")
        lines += [f"            {line}" for line in backward_lines(op, op.arity)]
        scope[f"_OP{k}"] = op
    # A node of an n-ary op calls the step compiled for its fan-in straight from the op's table of steps (not
    # through `Op.backward`, which would look it up in a second call): a neuron is one dot node.
    for k, op in enumerate(DISPATCHED_NARY_OPS):
        lines += [
            f"        elif _op is _NARY{k}:",
            "            _step = _STEPS{k}.get(len(_node._a))".replace("{k}", str(k)),
            "            if _step is None:",
            f"                _step = _NARY{k}.backward_for(len(_node._a))",
            "            _step(_node, _g)",
        ]
        scope[f"_NARY{k}"] = op
        scope[f"_STEPS{k}"] = op._backwards
    lines += ["        else:", "            _op.backward(_node, _g)"]
    source = "".join(f"{line}\n" for line in lines)
    scope["_reversed"] = reversed
    exec(compile(source, "<backward sweep>", "exec"), scope)  # noqa: S102 - the op table's own expressions
    register_source("<backward sweep>", source)
    return cast(Callable[[list[Any], Callable[[Any, float], None]], None], scope["sweep"])


_SWEEP = _compile_sweep()


def _check_leaves(leaves: list[Value], wide: list[tuple[Value, ...]]) -> None:
    """Raise if a leaf's gradient is not finite: a sum over its consumers can overflow when every node's is finite.

    One sum first (a leaf appears once per edge into it, so there are as many as the graph has
    edges from leaves): it is finite exactly when every term is finite and their total does not overflow;
    only when it is not does a loop look for the culprit (a total that merely overflowed finds none).
    """
    try:
        # Faster than map(attrgetter): slot reads specialize. A wide node's interior parents are summed too:
        # their gradients were checked finite when they were reached.
        total = sum([leaf.grad for leaf in leaves], 0.0) + sum([p.grad for parents in wide for p in parents], 0.0)
        if total.__class__ is float and total - total == 0.0:
            return
    except Exception:  # noqa: BLE001, S110 - a .grad holding a Value (create_graph) may refuse; the loop decides
        pass
    for leaf in chain(leaves, chain.from_iterable(wide)):
        g = leaf.grad
        if g - g != 0.0 and not _finite_value(g):
            raise FloatingPointError(f"backward: gradient {g!r} accumulated in {_describe(leaf)} is not finite")


def _finite_value(g: Any) -> bool:
    """True for a finite gradient held as a Value: backward(create_graph=True) left one in ``.grad``, and a
    plain backward() adds to it (as PyTorch adds to a .grad that has a grad_fn); ``Value - Value`` is a Value."""
    data = getattr(g, "data", None)
    return data.__class__ is float and data - data == 0.0


def _interior_postorder(root: Value) -> tuple[list[Value], list[Value], list[tuple[Value, ...]]]:
    """The interior nodes below ``root`` (itself included), each after all of its interior parents; the leaves
    of one- and two-input nodes; and the parent tuples of wide (n-ary) nodes, which hold the rest of the leaves.

    Every interior node's ``.grad`` is left at 0.0 (a mark, see `_fresh_mark`), ready to accumulate into. A
    leaf appears once per edge into it. Iterative depth-first search, so a chain a million nodes deep needs no
    recursion.
    """
    opened = _fresh_mark()  # parents pushed, not yet emitted
    done = _fresh_mark()  # emitted
    order: list[Value] = []
    emit = order.append
    leaves: list[Value] = []
    found_leaf = leaves.append
    wide: list[tuple[Value, ...]] = []
    found_wide = wide.append
    stack: list[Any] = []  # Any: see `_propagate`
    pop = stack.pop
    push = stack.append
    # The loop goes on with a parent still to visit as the next node itself rather than pushing it and popping
    # it straight back: one push and pop less per node on the way down (about a tenth of the search).
    node: Any = root
    while True:
        mark = node.grad
        if mark is opened:  # every parent pushed above it has been emitted
            node.grad = done
            emit(node)
        elif mark is not done:  # (done: a second entry for a node emitted since it was pushed)
            a = node._a
            b = node._b
            # Unrolled for one and two parents (no tuple per node); a parent is never `opened`: that is a
            # cycle. A parent left to visit goes above the node, which is met again once they are emitted; a
            # node with none left is emitted now.
            if b is not None:
                if a._a is None:
                    found_leaf(a)
                    a = None
                elif a.grad is done:
                    a = None
                if b._a is None:
                    found_leaf(b)
                    b = None
                elif b.grad is done:
                    b = None
                if a is None:
                    if b is None:
                        node.grad = done
                        emit(node)
                    else:
                        node.grad = opened
                        push(node)
                        node = b
                        continue
                else:
                    node.grad = opened
                    push(node)
                    if b is not None:
                        push(a)
                        node = b
                    else:
                        node = a
                    continue
            elif a.__class__ is not tuple:
                if a._a is None:
                    found_leaf(a)
                elif a.grad is not done:
                    node.grad = opened
                    push(node)
                    node = a
                    continue
                node.grad = done
                emit(node)
            else:
                # A wide node (sum, dot) is mostly leaves (a neuron's weights): its tuple is listed once for
                # the check of the leaves' gradients, rather than each leaf one by one.
                found_wide(a)
                push(node)  # below any parent still to visit; taken back off if there is none
                ready = True
                for p in a:
                    if p._a is not None and p.grad is not done:
                        push(p)
                        ready = False
                if ready:
                    pop()
                    node.grad = done
                    emit(node)
                else:
                    node.grad = opened
        if not stack:
            return order, leaves, wide
        node = pop()


def topological_order(root: Value, further_root: Callable[[Value], Value | None] | None = None) -> list[Value]:
    """Every node ``root`` depends on, each after all of its parents (leaves first, root last).

    Iterative; each node appears once. This is the order a forward replay
    evaluates in; reversed, it is the order the backward pass visits.

    ``further_root``, if given, is asked about each node as it is listed; a Value it names that the walk has
    not met is walked too, after the current one, with the same set of visited nodes, so the order also holds
    that Value's graph (pickling follows gradients that are Values this way: their graphs mostly share the
    nodes already met).
    """
    from .value import Value as ValueClass  # here, not at the top: value.py imports this module

    if not isinstance(root, ValueClass):  # a float failed below: "'float' object has no attribute 'parents'"
        raise TypeError(f"topological_order takes a Value (the root of a graph), got {type(root).__name__} "
                        f"{short_repr(root)}")
    order: list[Value] = []
    state: dict[Value, bool] = {}  # False: parents being visited; True: emitted
    starts: list[Value] = [root]
    while starts:
        stack = [starts.pop()]
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
                    if further_root is not None:
                        extra = further_root(node)
                        if extra is not None and extra not in state:
                            starts.append(extra)
    return order


def non_finite_origin(root: Value) -> str | None:
    """Where a backward pass from ``root`` first made a finite gradient non-finite: the op whose local derivative
    (or its product with the incoming gradient) is not finite, with its inputs; None when none did (a sum of
    finite contributions overflowed, or a hook returned a NaN). Walked only after a pass has failed."""
    for node in reversed(topological_order(root)):
        op, g = node._op, node.grad
        if node._a is None or op is None or g.__class__ is not float or g - g != 0.0:
            continue
        inputs = [p.data for p in node.parents]
        try:
            partials = [float(d) for d in op.derivative(node.data, *inputs)]
        except Exception:  # noqa: BLE001, S112 - a derivative that cannot be taken here is no origin to report
            continue
        bad = [d for d in partials if d - d != 0.0 or g * d - g * d != 0.0]
        if bad:
            return origin_words(node, g, bad[0])
    return None


def origin_words(node: Value, g: float, d: float) -> str:
    """The words naming ``node``'s backward step as where a gradient stopped being finite: its op and inputs,
    and the local derivative ``d`` (not finite), or its product with the incoming gradient ``g`` (overflowed)."""
    inputs = [p.data for p in node.parents]
    shown = ", ".join(short_repr(x) for x in inputs[:4]) + (", ..." if len(inputs) > 4 else "")
    what = (f"local derivative {d!r}" if d - d != 0.0 else
            f"local derivative {d!r}, times the gradient {g!r} reaching it, {g * d!r}")
    assert node._op is not None
    return f"it began at {_describe(node)}: the backward of {node._op.name}({shown}) has {what}"


def _describe(node: Value) -> str:
    name = node._op.name if node._op is not None else "leaf"
    label = f" {short_repr(node.label)}" if node.label else ""  # cut: a label may be a long text
    return f"{name} node{label} (data={node.data!r})"
