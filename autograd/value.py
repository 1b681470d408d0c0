"""`Value`: a scalar that records the computational graph it was computed by.

The API is micrograd's: ``Value(data, label="")``, ``.data`` and ``.grad`` as
Python floats, ``backward()``, ``+ - * / **`` and unary ``-`` with plain
numbers on either side, and ``exp() log() tanh() sigmoid() relu()``; plus
``sqrt() abs() detach() item()``, and ``< <= > >=`` comparing data (``==``
stays identity, so Values work as dict keys).

Every op's value and local derivative live in `autograd.ops`; the methods
here only pick the op (`autograd.extend` adds one for every other one-input
op of the table). `OBSERVERS` is the one hook for layers above the engine:
replay installs a comparison observer there while it records. Unlike micrograd, a node holds no closure: it stores
its parents and its op, so a dropped graph is freed by reference counting
alone (no reference cycles for the cyclic garbage collector to chase).
"""

from __future__ import annotations

import numbers
import sys
import threading
from collections.abc import Callable, Sequence
from operator import attrgetter
from typing import Any, SupportsIndex, cast

from . import ops as _ops
from .backward import backpropagate, topological_order
from .grad_mode import GRAD_MODE, THREADS_WITHOUT_GRAD
from .helpers import scalar_namespace
from .op import input_names, register_source
from .ops import Op
from .shown import short_repr as _short_repr
from .shown import too_large as _too_large


def _as_real(x: Any, what: str = "Value data") -> float:
    """Convert an int/float-like to a finite float, or raise naming the problem."""
    if x.__class__ is float:
        value = x
    elif isinstance(x, float):  # a float subclass (numpy.float64 ...): keep only the plain number
        value = float.__float__(x)
    elif isinstance(x, (int, numbers.Real)) and not isinstance(x, bool):
        value = _float_of_real(x, what)
    else:
        kind = type(x).__name__
        hint = " (complex numbers are not supported)" if isinstance(x, complex) else ""
        if kind == "ndarray":  # no numpy import for a check on the failure path only
            hint = " (a Value is one number: pick an element, or loop over the array)"
        raise TypeError(f"{what} must be a real number, got {kind} {_short_repr(x)}{hint}")
    if value - value != 0.0:  # only inf and NaN fail this
        raise ValueError(f"{what} must be finite, got {value!r}")
    return value


def _float_of_real(x: Any, what: str) -> float:
    """``float(x)`` for an int or a numbers.Real, with an error naming ``what`` when it cannot be one."""
    try:
        return float(x)
    except OverflowError:
        raise OverflowError(f"{what}: {_too_large(x)} is too large for a float") from None
    except Exception as err:  # a Real whose own __float__ fails: name the argument, keep its error as the cause
        raise TypeError(f"{what}: float() of {type(x).__name__} {_short_repr(x)} failed "
                        f"({type(err).__name__}: {err})") from err


def _micrograd_children_message(label: object, rest: tuple[object, ...]) -> str:
    """The TypeError text for micrograd's ``Value(data, _children, _op)`` (children where the label goes)."""
    got = f"{type(label).__name__}" + "".join(f", {type(r).__name__}" for r in rest)
    return (f"Value(data, label) makes a leaf; it got ({got}) after data, micrograd's Value(data, _children, _op). "
            "A result with parents comes from the ops themselves (a + b, a * b, a.tanh(), a.exp(), ...), whose "
            "backward the engine knows; a new op is one row of the op table, autograd.register_op "
            "(docs/adding_an_op.md), not a Value made with children and a _backward")


class Value:
    """A scalar node of a computational graph: its data, its gradient, its parents.

    Gradient semantics (as in PyTorch): leaves (parameters, inputs) accumulate
    into ``.grad`` across ``backward()`` calls, so call ``zero_grad()`` on a
    model (or set ``.grad = 0.0``) between steps. Interior nodes start afresh
    on every ``backward()``: calling it twice gives exactly twice the leaf
    gradients, and each interior ``.grad`` holds d(root)/d(node) of the last
    call.
    """

    # numpy must not turn ``array + value`` into an object array of Values (silently, one per element):
    # with this, numpy's operators give way to Value's reflected ones, which refuse an array by name, as
    # ``value + array`` does. numpy scalars still combine (``np.float64(2.0) * value`` is a Value).
    __array_ufunc__ = None

    # Parents live in two slots rather than a tuple: a node is then a single
    # object for the cyclic garbage collector to track, which halved the
    # forward pass of an MLP (47 -> 24 ms measured). Unary: _b is None.
    # n-ary (sum, dot): _a holds the tuple of parents. Leaves: both None.
    __slots__ = ("data", "grad", "_op", "_a", "_b", "label")

    data: float
    grad: float
    _op: Op | None
    _a: Value | tuple[Value, ...] | None
    _b: Value | None
    label: str
    #: The ``data`` slot itself, under a second name (set below the class). The engine reads and writes data
    #: through it: while a tape records, ``data`` is wrapped to warn about reads by the model's own code
    #: (`autograd.replay.recording`), and the engine's own reads must not pay for that (it halved recording).
    _data: float
    #: The ``label`` slot under a second name (set below the class): the engine writes labels through it, at
    #: slot speed, while ``label`` itself is a property whose setter refuses what is not a str.
    _label: str

    def __init__(self, data: float, label: str = "", *micrograd_op: object) -> None:
        """Make a leaf holding ``data`` (a finite real number).

        micrograd's ``Value(data, _children, _op)``, the way its lecture writes a new op, is a TypeError saying
        how ops are made here (``*micrograd_op`` only catches that call: it took a tuple of children for a label).
        """
        if micrograd_op or (label.__class__ is not str and isinstance(label, (tuple, list, set, frozenset))):
            raise TypeError(_micrograd_children_message(label, micrograd_op))
        self._data = _as_real(data)  # type: ignore[misc]  # the data slot under its engine name
        self.grad = 0.0
        self._op = None
        self._a = None
        self._b = None
        self._label = str(label)  # type: ignore[misc]  # the label slot under its engine name
        observer = OBSERVERS.leaf_made
        if observer is not None:
            observer(self, ())

    # --- graph introspection -------------------------------------------

    @property
    def parents(self) -> tuple[Value, ...]:
        """The inputs this value was computed from (empty for a leaf)."""
        a = self._a
        if a is None:
            return ()
        if isinstance(a, tuple):
            return a
        b = self._b
        return (a,) if b is None else (a, b)

    @property
    def _prev(self) -> set[Value]:
        """micrograd's ``_prev``: the set of the parents (``(x + x)._prev`` has one member, as in micrograd).

        `parents` keeps their order and repeats."""
        return set(self.parents)

    @property
    def op(self) -> Op | None:
        """The op that produced this value; ``None`` for a leaf made by the user.

        A value computed under `no_grad` keeps the op that computed it but no parents (it is a leaf): that is
        how ``backward()`` knows to refuse it, as PyTorch refuses a result that does not require grad.
        """
        return self._op

    @property
    def requires_grad(self) -> bool:
        """PyTorch's flag, read-only: False for a value computed under `no_grad` and for the engine's constants.

        Every other Value records gradients (micrograd's leaves included); ``detach()`` gives a plain leaf.
        """
        return self._a is not None or self._op is None

    @property
    def is_leaf(self) -> bool:
        """True for parameters, inputs and constants: values with no parents."""
        return self._a is None

    @property
    def is_constant(self) -> bool:
        """True for a leaf the engine made from a plain number (the 2 in ``x * 2``)."""
        return self._op is _ops.CONSTANT

    # --- arithmetic ------------------------------------------------------

    def __add__(self, other: Value | float) -> Value:
        return _binary(_ops.ADD, self, other)

    def __radd__(self, other: float) -> Value:
        return _binary(_ops.ADD, constant(other, _ops.ADD, True), self)

    def __sub__(self, other: Value | float) -> Value:
        return _binary(_ops.SUB, self, other)

    def __rsub__(self, other: float) -> Value:
        return _binary(_ops.SUB, constant(other, _ops.SUB, True), self)

    def __mul__(self, other: Value | float) -> Value:
        return _binary(_ops.MUL, self, other)

    def __rmul__(self, other: float) -> Value:
        return _binary(_ops.MUL, constant(other, _ops.MUL, True), self)

    def __truediv__(self, other: Value | float) -> Value:
        return _binary(_ops.DIV, self, other)

    def __rtruediv__(self, other: float) -> Value:
        # torch's number / tensor is tensor.reciprocal() * number, micrograd's other * self**-1: both round twice,
        # and so does this, for their numbers to the last bit (and torch's gradient, -(g * number) * (1/x)^2).
        # The number is wrapped first, so that a bad one is reported as the "/" it is, not as the multiply.
        return self.reciprocal() * constant(other, _ops.DIV, True)

    def __pow__(self, other: Value | float, modulo: None = None) -> Value:
        if modulo is not None:  # pow(x, 2, 3): Python's "unsupported operand type(s) for ** or pow()", 3 types
            return NotImplemented
        if isinstance(other, Value):
            return _binary(_ops.POW_VALUE, self, other)
        return _binary(_ops.POW, self, other)

    def __rpow__(self, other: float) -> Value:
        # Op rpow: the number is a constant input, and its derivative (infinite for 0.0 ** 0.5) is never taken.
        return _binary(_ops.RPOW, self, constant(other, _ops.RPOW, True))

    # --- comparisons (by data; logged while a graph is recorded for replay) ---

    def __lt__(self, other: Value | float) -> bool:
        return _compare(self, "<", other)

    def __le__(self, other: Value | float) -> bool:
        return _compare(self, "<=", other)

    def __gt__(self, other: Value | float) -> bool:
        return _compare(self, ">", other)

    def __ge__(self, other: Value | float) -> bool:
        return _compare(self, ">=", other)

    def __neg__(self) -> Value:
        return _unary(_ops.NEG, self)

    def __pos__(self) -> Value:
        return self

    def __abs__(self) -> Value:
        return _unary(_ops.ABS, self)

    # --- functions -------------------------------------------------------

    def exp(self) -> Value:
        """e ** self; raises OverflowError past about 709."""
        return _unary(_ops.EXP, self)

    def log(self) -> Value:
        """Natural log; raises ValueError for a non-positive value."""
        return _unary(_ops.LOG, self)

    def sqrt(self) -> Value:
        """Square root; raises ValueError for a negative value."""
        return _unary(_ops.SQRT, self)

    def abs(self) -> Value:
        """|self|, with subgradient 0 at 0 (as PyTorch)."""
        return _unary(_ops.ABS, self)

    def tanh(self) -> Value:
        """Hyperbolic tangent; saturates cleanly at +-1000."""
        return _unary(_ops.TANH, self)

    def sigmoid(self) -> Value:
        """Logistic sigmoid 1 / (1 + e^-x), computed without overflow."""
        return _unary(_ops.SIGMOID, self)

    def relu(self) -> Value:
        """max(0, self)."""
        return _unary(_ops.RELU, self)

    def reciprocal(self) -> Value:
        """1 / self, as torch's ``Tensor.reciprocal``; ZeroDivisionError at 0 (torch: inf)."""
        return _unary(_ops.RECIPROCAL, self)

    def maximum(self, other: Value | float) -> Value:
        """The larger of self and ``other`` (a Value or a number) as one node, as torch's ``Tensor.maximum``:
        the gradient goes to the larger input, half to each on a tie. The op table's ``maximum`` row, also
        `autograd.maximum(a, b)`; not in micrograd, which has no such op."""
        return _binary(_ops.MAXIMUM, self, other)

    def apply(self, op: Op, *others: Value | float) -> Value:
        """``op`` applied to this value (and ``others``): any op of the table, or one you registered."""
        return apply(op, self, *others)

    # --- gradients -------------------------------------------------------

    def backward(
        self,
        gradient: float | Value | None = None,
        retain_graph: bool | None = None,
        create_graph: bool = False,
        inputs: Sequence[Value] | Value | None = None,
        *,
        grad: float | Value | None = None,
    ) -> None:
        """Fill ``.grad`` of every node this value depends on with d(self)/d(node).

        Iterative (no recursion), so graphs millions of nodes deep work.
        Leaves accumulate; interior nodes are overwritten. PyTorch's arguments:
        ``gradient`` seeds d(self)/d(self) (1.0 by default; ``grad=`` is the
        older name). ``retain_graph`` is accepted for torch's code and changes
        nothing: the graph is always kept (a second ``backward()`` works, as in
        micrograd). With ``create_graph=True`` each ``.grad`` becomes a `Value`
        whose graph records how it was computed, to be differentiated again
        (`autograd.higher_order`). ``inputs``: accumulate into these Values'
        ``.grad`` only, leaving every other node's untouched, as torch does.
        """
        if grad is not None:
            if gradient is not None:
                raise TypeError("backward() takes the seed once: gradient= or grad=, not both")
            gradient = grad
        seed = 1.0 if gradient is None else gradient
        if retain_graph is not None and not isinstance(retain_graph, bool):
            raise TypeError(f"backward(): retain_graph must be True, False or None, got {type(retain_graph).__name__}")
        if not isinstance(create_graph, int):  # bool is an int; torch takes any int here, and nothing else
            raise TypeError(f"backward(): create_graph must be True or False, got {type(create_graph).__name__}")
        if self._a is None and self._op is not None:
            refuse_no_grad_root(self, "backward()")
        if inputs is not None:
            from .higher_order import accumulate_into  # imported here: it builds on this module

            accumulate_into(self, inputs, seed, create_graph)
            return
        if create_graph:
            from .higher_order import backward_with_graph  # imported here: it builds on this module

            backward_with_graph(self, seed)
            return
        backpropagate(self, _as_real(seed.data if isinstance(seed, Value) else seed, "backward() seed gradient"))

    def register_hook(self, hook: Callable[[Any], Any]) -> Any:
        """Call ``hook(grad)`` with this value's gradient during every backward pass, as torch's; a result
        other than None replaces the gradient (see `autograd.value_hooks`). Returns a handle whose
        ``remove()`` takes the hook off. Refused (RuntimeError) on a constant or a value made under no_grad."""
        from .value_hooks import register_hook  # imported here: it builds on this module

        return register_hook(self, hook)

    def detach(self) -> Value:
        """A new leaf with the same data and label, cut off from the graph."""
        out = Value.__new__(Value)
        out.data = self.data
        out.grad = 0.0
        out._op = None
        out._a = None
        out._b = None
        out._label = self._label  # type: ignore[misc]
        observer = OBSERVERS.leaf_made
        if observer is not None:
            observer(out, (self,))
        return out

    def item(self) -> float:
        """The data as a Python float (PyTorch's spelling)."""
        return self.data

    def numel(self) -> int:
        """1: a Value is one number (so torch's ``sum(p.numel() for p in model.parameters())`` counts weights)."""
        return 1

    @property
    def shape(self) -> tuple[()]:
        """``()``: a Value is one number, as a 0-d PyTorch tensor (whose shape is ``torch.Size([])``).

        A property of the class, not a slot: it costs the nodes nothing.
        """
        return ()

    def __float__(self) -> float:
        return self.data

    def __int__(self) -> int:
        """The data truncated to an int, as ``int()`` of a one-element PyTorch tensor."""
        return int(self.data)

    def __format__(self, spec: str) -> str:
        """``f"{loss:.4f}"`` formats the data, as for a one-element PyTorch tensor; no spec gives the repr."""
        return format(self.data, spec) if spec else repr(self)

    def __bool__(self) -> bool:
        """True when the data is non-zero, as for a one-element PyTorch tensor (``bool(Value(0.0))`` is False)."""
        return self.data != 0.0

    def __reduce_ex__(self, protocol: SupportsIndex) -> str | tuple[Any, ...]:
        """Pickle and deepcopy an op node's whole graph as one flat table, without recursion.

        The default walks parent to parent, one Python frame each: a graph 200 nodes deep (a short unrolled
        RNN) failed with RecursionError. The leaves are pickled as themselves (so a model's parameters copied
        with its loss stay shared), the op nodes as rows rebuilt in order. Gradients that are Values (after
        ``backward(create_graph=True)``) are rows of the same table, set once every node exists: pickled one
        table each, the backward graph they share was copied once per gradient (quadratic: a 20,000-deep
        chain filled 23 GB).
        """
        if self._a is None:
            # Protocols 0 and 1 refuse a class with __slots__ ("cannot be pickled" from copyreg); protocol 2's
            # reduction (copyreg.__newobj__ and the slots' state) is plain data any protocol can write.
            return super().__reduce_ex__(max(int(protocol), 2))
        order = _graph_and_gradients(self)
        leaves = [n for n in order if n._a is None]
        number = {n: i for i, n in enumerate(leaves)}
        rows = []
        for n in order:
            if n._a is None:
                continue
            number[n] = len(number)
            wide = isinstance(n._a, tuple)
            parents = n.parents
            g = n.grad
            rows.append((type(n), n._data, 0.0 if isinstance(g, Value) else g, n._op, n.label, wide,
                         tuple(number[p] for p in parents)))
        grads = tuple((number[n], number[cast(Value, n.grad)]) for n in order if isinstance(n.grad, Value))
        return (_rebuild_graph, (leaves, rows, grads, number[self]))

    def __repr__(self) -> str:
        parts = [f"data={self.data:.6g}", f"grad={float(self.grad):.6g}"]  # a Value after create_graph
        if self._a is not None:  # a leaf computed under no_grad keeps its op, but is shown as the leaf it is
            parts.append(f"op={self._op.name}")  # type: ignore[union-attr]  # an op node always has its op
        if self.label:
            parts.append(f"label={self.label!r}")
        return f"Value({', '.join(parts)})"


_new = object.__new__


def _rebuild_graph(leaves: list[Value], rows: list[tuple[Any, ...]], grads: tuple[tuple[int, int], ...] = (),
                   root: int = -1) -> Value:
    """The op node a pickled graph table (`Value.__reduce_ex__`) describes: row ``root`` (by default the last),
    with each ``(node, gradient)`` pair of ``grads`` (indices into leaves then rows) set as that node's grad."""
    nodes = list(leaves)
    for cls, data, grad, op, label, wide, parents in rows:
        out = _new(cls)
        out._data = data
        out.grad = grad
        out._op = op
        out._label = label
        if wide:
            out._a, out._b = tuple(nodes[i] for i in parents), None
        else:
            out._a, out._b = nodes[parents[0]], (nodes[parents[1]] if len(parents) == 2 else None)
        nodes.append(out)
    for node, gradient in grads:
        nodes[node].grad = nodes[gradient]  # type: ignore[assignment]  # a gradient with a graph
    return nodes[root]


def _graph_and_gradients(root: Value) -> list[Value]:
    """Every node ``root`` depends on and every node the Value gradients among them depend on, each after its
    parents: one walk with one set of visited nodes (a gradient's graph mostly shares the nodes already met)."""
    return topological_order(root, further_root=_value_gradient)


def _value_gradient(node: Value) -> Value | None:
    """``node``'s gradient if it is a Value (after ``backward(create_graph=True)``), else None."""
    g = node.grad
    return g if isinstance(g, Value) else None


def _node(op: Op, data: float, a: Value | tuple[Value, ...], b: Value | None = None) -> Value:
    """Make the output node of ``op`` from its parents; refuse an infinite or NaN result."""
    if data - data != 0.0:
        parents = a if isinstance(a, tuple) else (a,) if b is None else (a, b)
        operands = ", ".join(repr(p.data) for p in parents)
        if any(p.data != p.data for p in parents):  # only NaN is unequal to itself
            raise ValueError(f"{op.name}: NaN input in ({operands}); a NaN must not spread through the graph")
        raise OverflowError(f"{op.name}: result {data!r} is not finite for inputs ({operands})")
    out = _new(Value)
    out._data = data  # type: ignore[misc]  # the data slot under a second name (Value._data)
    out.grad = 0.0
    out._label = ""  # type: ignore[misc]
    if not THREADS_WITHOUT_GRAD[0] or GRAD_MODE._enabled:
        out._op = op
        out._a = a
        out._b = b
    else:
        _as_leaf(out, op, a if isinstance(a, tuple) else (a,) if b is None else (a, b))
    return out


def _as_leaf(out: Value, op: Op, sources: tuple[Value, ...]) -> Value:
    """Make a node computed under `no_grad` a leaf, and tell the observer what it was computed from.

    The leaf keeps ``op`` (with no parents): a leaf the user made has none, so ``backward()`` can tell a loss
    computed under `no_grad` (refused, as PyTorch does) from micrograd's ``Value(3.0).backward()`` (allowed).
    No slot is added for it: a node's size is what an eager graph's memory is made of.
    """
    out._op = op
    out._a = None
    out._b = None
    out.__class__ = Untracked
    observer = OBSERVERS.leaf_made
    if observer is not None:
        observer(out, sources)
    return out


def _binary(op: Op, a: Value, b: Value | float) -> Value:
    # Inlines _node: this is the engine's hottest path.
    if b.__class__ is not Value:
        b = b if isinstance(b, Value) else constant(b, op)
    data = op.forward(a._data, b._data)
    if data - data != 0.0:
        return _node(op, data, a, b)  # raises, naming the operands
    out = _new(Value)
    out._data = data  # type: ignore[misc]  # the data slot under a second name (Value._data)
    out.grad = 0.0
    out._label = ""  # type: ignore[misc]
    if not THREADS_WITHOUT_GRAD[0] or GRAD_MODE._enabled:
        out._op = op
        out._a = a
        out._b = b
    else:
        _as_leaf(out, op, (a, b))
    return out


def _unary(op: Op, a: Value) -> Value:
    return _node(op, op.forward(a._data), a)


ComparisonObserver = Callable[[Value, str, "Value | float", bool], None]


class _Observers(threading.local):
    """Hooks other layers install to watch the eager engine; the core itself imports none of them.

    ``comparison(left, op, right, result)`` is called after every Value
    comparison (``<``, ``<=``, ``>``, ``>=``): `autograd.replay` installs one
    while recording, to re-check those branches on every replay. Thread-local,
    like grad mode: a recording in one thread never sees another thread's
    comparisons or leaves.
    """

    comparison: ComparisonObserver | None = None
    #: Called with every leaf made in this thread and the Values it was computed from: none for ``Value(...)``,
    #: the operands of an op under ``no_grad``, the source of ``detach``. Replay installs one while recording,
    #: so a leaf the recorded function made itself is a constant (and one computed from an input or a
    #: parameter, baked in as one, is warned about).
    leaf_made: Callable[[Value, tuple[Value, ...]], None] | None = None


OBSERVERS = _Observers()

_COMPARISONS = {
    "<": lambda x, y: x < y,
    "<=": lambda x, y: x <= y,
    ">": lambda x, y: x > y,
    ">=": lambda x, y: x >= y,
}


def _compare(a: Value, symbol: str, b: Value | float) -> bool:
    """Compare by data; ``==`` is left as identity so Values stay usable in sets and dicts.

    What is no real number gives way (NotImplemented), as Python's own numbers do: ``"a" < x`` arrives here as
    ``x > "a"``, and only Python, which then reports it, knows that the user wrote "<".
    """
    if isinstance(b, Value):
        right = b._data
    else:
        try:
            right = _as_real(b, f"operand of {symbol}")
        except TypeError:
            if type(b).__name__ == "ndarray":  # the hint matters more here; no operator named, as it may be reflected
                raise TypeError(f"a Value cannot be compared with an ndarray {_short_repr(b)} (a Value is one "
                                "number: pick an element, or loop over the array)") from None
            return NotImplemented
    result = _COMPARISONS[symbol](a._data, right)
    observer = OBSERVERS.comparison
    if observer is not None:
        observer(a, symbol, b if isinstance(b, Value) else right, result)
    return result


def refuse_no_grad_root(root: Value, who: str) -> None:
    """RuntimeError if ``root`` was computed under `no_grad` (a leaf that keeps its op): no gradient reaches
    anything from it. PyTorch raises too ("element 0 of tensors does not require grad and does not have a
    grad_fn"); here it used to leave every gradient at 0 without a word. The engine's constants pass (their
    gradient is never meaningful), and so does a leaf the user made (micrograd's ``Value(3.0).backward()``)."""
    op = root._op
    if op is None or op is _ops.CONSTANT or root._a is not None:
        return
    raise RuntimeError(
        f"{who}: this Value (data={root._data!r}) was computed by {op.name} under no_grad(), so it has no graph"
        " and no gradient would reach any parameter; compute the loss outside no_grad() (PyTorch: element 0 of"
        " tensors does not require grad and does not have a grad_fn)"
    )


def apply(op: Op, *inputs: Value | float) -> Value:
    """Apply any op of the table to Values or numbers (the n-ary helpers and the op-table tests use it)."""
    try:
        arity = op.arity
    except AttributeError:
        raise TypeError(f"apply needs an Op (a row of autograd.OPS), got {type(op).__name__} {op!r}") from None
    parents = tuple(x if isinstance(x, Value) else constant(x, op) for x in inputs)
    if arity is None:
        if op is _ops.DOT:
            if len(parents) % 2:
                # dot's inputs are the weights then their partners: an odd count would pair them wrongly, silently.
                raise TypeError(f"dot needs an even number of inputs (the weights, then their partners), got"
                                f" {len(parents)}")
        elif not parents:  # the empty dot is 0; an empty sum or logsumexp failed inside its compiled code
            raise TypeError(f"{op.name} needs at least one input, got none")
        elif (len(parents) - op.constant_args) % op.inputs_per_term or len(parents) <= op.constant_args:
            # a mean loss's groups would be read out of step, silently
            raise TypeError(f"{op.name} takes its inputs in groups of {op.inputs_per_term}"
                            f"{f' then {op.constant_args} constant' if op.constant_args else ''}, got {len(parents)}")
        return nary_node_maker(op, len(parents))(parents)
    if len(parents) != arity or arity == 0:
        raise TypeError(f"{op.name} takes {arity} inputs, got {len(parents)}")
    if arity > 2:  # parents beyond two are kept as a tuple in _a, as an n-ary node's (softplus's beta, threshold)
        return _node(op, op.forward(*[p._data for p in parents]), parents)
    return _node(op, op.forward(*[p._data for p in parents]), *parents)




# --- the operator methods, compiled from the op table -----------------------------------------------------
#
# The methods written in the class above say which op each one applies. The versions installed below do the
# same with the op's forward expression pasted inline (``a + b``, ``tanh(a)``, from its row of the table)
# and the node made in the same function: one Python call per op instead of three (method, `_binary`,
# ``op.forward``), which is most of what making a node costs. Their source is registered under
# ``<op NAME, Value.METHOD>``, so a traceback shows the row's expression.

_METHOD_TEMPLATE = """\
def _method(self{other}):
{operands}    _v = {forward}
    if _v - _v != 0.0:
        return _node(_OP, _v, {parents})
    _o = _new(_Value)
    _o._data = _v
    _o.grad = 0.0
    _o._label = ""
    if not _OFF[0] or _GM._enabled:
        _o._op = _OP
        _o._a = {first}
        _o._b = {second}
        return _o
    return _as_leaf(_o, _OP, ({parents},))
"""

_BINARY_OPERANDS = """\
    if other.__class__ is not _Value:
        other = other if isinstance(other, _Value) else _constant(other, _OP)
    a = self._data
    b = other._data
"""

# Reflected (``2 * x``): the plain number on the left becomes a constant, as `Value.__rmul__` does (told the op
# and its side only for a bad number's message).
_REFLECTED_OPERANDS = """\
    other = _constant(other, _OP, True)
    a = other._data
    b = self._data
"""


def _compile_method(name: str, op: Op, kind: str) -> Callable[..., Value]:
    """``Value.<name>`` applying ``op`` (kind: "unary", "binary" or "reflected") with its forward inline."""
    if kind == "unary":
        fields = dict(other="", operands="    a = self._data\n", parents="self", first="self", second="None")
    elif kind == "binary":
        fields = dict(other=", other", operands=_BINARY_OPERANDS, parents="self, other", first="self",
                      second="other")
    else:
        fields = dict(other=", other", operands=_REFLECTED_OPERANDS, parents="other, self", first="other",
                      second="self")
    source = _METHOD_TEMPLATE.format(forward=op.forward_code, **fields)
    filename = f"<op {op.name}, Value.{name}>"
    scope: dict[str, Any] = scalar_namespace()
    scope.update(_Value=Value, _OP=op, _OFF=THREADS_WITHOUT_GRAD, _GM=GRAD_MODE, _new=_new, _node=_node,
                 _constant=constant, _as_leaf=_as_leaf)
    exec(compile(source, filename, "exec"), scope)  # noqa: S102 - the op table's own expressions
    register_source(filename, source)
    method = scope["_method"]
    written = Value.__dict__[name]
    # Named after the method in tracebacks (the def itself cannot be: ``tanh`` would hide the helper tanh).
    if sys.version_info >= (3, 11):  # code objects carry a qualified name from 3.11 on
        method.__code__ = method.__code__.replace(co_name=name, co_qualname=written.__qualname__)
    else:
        method.__code__ = method.__code__.replace(co_name=name)
    method.__name__ = written.__name__
    method.__qualname__ = written.__qualname__
    method.__module__ = written.__module__  # found by pickle as autograd.value.Value.tanh (an activation is one)
    method.__doc__ = written.__doc__
    return cast(Callable[..., Value], method)


# An n-ary op (sum, dot) gets the same treatment once per fan-in: one function takes the tuple of parents,
# reads their data into the names the row's expression uses and makes the node, with no list of data and no
# call spreading it into the forward function (a neuron's dot of 34 inputs: about a third of its cost).
_NARY_TEMPLATE = """\
def _make(_parents):
{unpack}{reads}    _v = {forward}
    if _v - _v != 0.0:
        return _node(_OP, _v, _parents)
    _o = _new(_Value)
    _o._data = _v
    _o.grad = 0.0
    _o._label = ""
    if not _OFF[0] or _GM._enabled:
        _o._op = _OP
        _o._a = _parents
        _o._b = None
        return _o
    return _as_leaf(_o, _OP, _parents)
"""

#: Past this many inputs an n-ary node is made by the op's forward function on a list of the data (one
#: name per input would make a function as long as the fan-in is wide, compiled once per width).
NARY_INLINE_UP_TO = 1024

_NARY_MAKERS: dict[Op, dict[int, Callable[[tuple[Value, ...]], Value]]] = {}


def nary_node_maker(op: Op, n: int) -> Callable[[tuple[Value, ...]], Value]:
    """``make(parents)``: the node of the n-ary ``op`` over the tuple ``parents`` (all Values), compiled once
    per fan-in ``n`` with the row's eager forward expression inline (source under ``<op NAME, N inputs,
    node>``). An operand without data (a plain number) raises AttributeError: callers convert and retry."""
    makers = _NARY_MAKERS.setdefault(op, {})
    make = makers.get(n)
    if make is not None:
        return make
    if n > NARY_INLINE_UP_TO:
        forward = op.forward_for(n)

        def make(parents: tuple[Value, ...]) -> Value:
            return _node(op, forward(*[p._data for p in parents]), parents)

    else:
        names = input_names(n)
        code = op.eager_forward(n) if op.eager_forward is not None else op.forward_code_for(n)
        reads = "".join(f"    {name} = _p{i}._data\n" for i, name in enumerate(names))
        unpack = f"    {''.join(f'_p{i}, ' for i in range(n))}= _parents\n" if n else ""
        source = _NARY_TEMPLATE.format(unpack=unpack, reads=reads, forward=code)
        filename = f"<op {op.name}, {n} inputs, node>"
        scope: dict[str, Any] = scalar_namespace()
        scope.update(_Value=Value, _OP=op, _OFF=THREADS_WITHOUT_GRAD, _GM=GRAD_MODE, _new=_new, _node=_node,
                     _as_leaf=_as_leaf)
        exec(compile(source, filename, "exec"), scope)  # noqa: S102 - the op table's own expressions
        register_source(filename, source)
        make = scope["_make"]
    makers[n] = make
    return make


def _install_methods() -> None:
    table = [
        ("__add__", _ops.ADD, "binary"), ("__radd__", _ops.ADD, "reflected"),
        ("__sub__", _ops.SUB, "binary"), ("__rsub__", _ops.SUB, "reflected"),
        ("__mul__", _ops.MUL, "binary"), ("__rmul__", _ops.MUL, "reflected"),
        ("__truediv__", _ops.DIV, "binary"),
        ("__neg__", _ops.NEG, "unary"), ("__abs__", _ops.ABS, "unary"),
        ("exp", _ops.EXP, "unary"), ("log", _ops.LOG, "unary"), ("sqrt", _ops.SQRT, "unary"),
        ("abs", _ops.ABS, "unary"), ("tanh", _ops.TANH, "unary"), ("sigmoid", _ops.SIGMOID, "unary"),
        ("relu", _ops.RELU, "unary"), ("reciprocal", _ops.RECIPROCAL, "unary"), ("maximum", _ops.MAXIMUM, "binary"),
    ]
    for name, op, kind in table:
        setattr(Value, name, _compile_method(name, op, kind))


Value._data = Value.__dict__["data"]  # the slot under its engine name (see Value._data)
_get_data = Value.__dict__["data"].__get__
_set_data = Value.__dict__["data"].__set__
_set_grad = Value.__dict__["grad"].__set__
Value._label = Value.__dict__["label"]  # the slot under its engine name (see Value._label)
_set_label = Value.__dict__["label"].__set__


def _set_checked_label(self: Value, value: str) -> None:
    """``v.label = text``: a str (a str subclass is stored as a plain str); anything else is a TypeError.

    ``Value(x, label=5)`` has always stored "5", but ``v.label = 5`` (or None, bytes) stored what it was given,
    and only the pictures coped: a user's own ``f"{v.label:>8}"`` or ``", ".join`` of labels failed far from
    the assignment.
    """
    if value.__class__ is not str:
        if not isinstance(value, str):
            raise TypeError(f"Value.label must be a str, got {type(value).__name__} {_short_repr(value)}")
        value = str.__str__(value)
    _set_label(self, value)


def _set_checked_data(self: Value, value: float) -> None:
    """``v.data = x``: a real number, stored as a plain float (a numpy scalar is converted; a string, an array,
    a bool or a complex is refused here, naming it, not by the next op that reads it). inf and NaN are let
    through, as a hand-made NaN parameter has always been (the next op, replay or optimizer step names it)."""
    if value.__class__ is not float:
        if isinstance(value, float):
            value = float.__float__(value)
        elif isinstance(value, (int, numbers.Real)) and not isinstance(value, bool):
            value = _float_of_real(value, "Value.data")
        else:
            kind = type(value).__name__
            raise TypeError(f"Value.data must be a real number, got {kind} {_short_repr(value)}")
    _set_data(self, value)


# Reads stay C-level (an attrgetter of the slot's engine name); writes are checked. The check costs about 0.15 us a
# write: a hand-written update loop over W1's 4,417 weights at width 64 pays about 0.6 ms a step for it.
type.__setattr__(Value, "data", property(attrgetter("_data"), _set_checked_data,
                                         doc="The node's number (a plain float); writes must be real numbers."))
# The same for the label: reads C-level, user writes checked; the engine's own writes go to the slot (_label), so
# building a node costs what it did.
type.__setattr__(Value, "label", property(attrgetter("_label"), _set_checked_label,
                                          doc="The node's name in pictures and reprs (a str); writes must be str."))


class Constant(Value):
    """A leaf the engine made from a plain number (the ``2.0`` of ``x * 2.0``): immutable, never a gradient.

    The same number is one shared object across every graph of the process (see
    `constant`), so it must not change: setting ``.data`` to another number
    raises (setting the number it already holds is allowed, so a hand-written
    update over every leaf of a graph, ``p.data -= lr * p.grad``, still runs),
    and ``.grad`` is always 0.0 (the backward pass's additions are dropped), so
    nothing accumulates across unrelated graphs.
    """

    __slots__ = ()

    def __reduce__(self) -> tuple[Any, tuple[float]]:
        """A copied or unpickled constant is the shared constant of its number (constants never change)."""
        return (constant, (_get_data(self),))

    def __copy__(self) -> Value:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Value:
        return self


class Untracked(Value):
    """A value computed under `no_grad`: a leaf that keeps its op, with ``requires_grad`` False.

    As PyTorch leaves such a tensor's ``.grad`` alone, a backward pass through a graph that uses it adds
    nothing to its ``.grad`` (always 0.0, as a constant's): it is a number to the graph, not a parameter.
    Its ``.data`` can change, as any leaf's.
    """

    __slots__ = ()

    def __reduce__(self) -> tuple[Any, tuple[float, Op | None, str]]:
        """Copied or unpickled as a fresh value of its number, op and label (its ``.grad`` is always 0.0: the
        default copy of the slots would set it through the setter that drops writes, leaving it unset)."""
        return (_untracked, (_get_data(self), self._op, self.label))


def _untracked(data: float, op: Op | None, label: str) -> Untracked:
    """A value computed under `no_grad`, as `Untracked.__reduce__` describes it."""
    out = _new(Untracked)
    _set_data(out, data)
    _set_grad(out, 0.0)
    out._op = op
    out._a = None
    out._b = None
    out._label = label  # type: ignore[misc]
    return out


def _constant_data(self: Value) -> float:
    return cast(float, _get_data(self))


def _set_constant_data(self: Value, value: float) -> None:
    """Refuse a different number in a constant's ``data``."""
    if value != _get_data(self):
        raise AttributeError(
            f"constant {_get_data(self)!r} is shared by every graph that uses this number and cannot be"
            f" changed (to {value!r}); make a Value(...) leaf for a number you want to update"
        )
    _set_data(self, value)


# Guarding writes by descriptors of the two names rather than by __setattr__: every other write (label ...) is
# a plain slot write, and so is the backward pass's ``c.grad += g`` on a constant parent, which is dropped at
# C speed: the setter is `slice`, a built-in that takes two objects and has no effect (the result is thrown
# away), rather than a Python method called once per edge into a constant (one per neuron, for its bias's 1).
_DROP_WRITE: Any = slice
type.__setattr__(Constant, "grad", property(Value.__dict__["grad"].__get__, _DROP_WRITE,
                                   doc="Always 0.0: the backward pass's additions to a constant are dropped."))
type.__setattr__(Untracked, "grad", property(Value.__dict__["grad"].__get__, _DROP_WRITE,
                                    doc="Always 0.0: a value computed under no_grad receives no gradient."))
type.__setattr__(Constant, "data", property(_constant_data, _set_constant_data,
                                   doc="The constant's number; setting a different one raises AttributeError."))


def constant(x: Value | float, op: Op | None = None, reflected: bool = False) -> Value:
    """Wrap a plain number as a constant leaf (a Value passes through unchanged).

    The same number gives the same constant leaf (up to a bounded number of
    distinct numbers): the ``1.0`` of ``y + 1.0`` in a million-step loop is
    one object, not a million for the garbage collector to walk, and a
    picture shows one "1" feeding every gate that uses it. A constant's own
    gradient is never meaningful, so sharing it is safe.

    ``op`` is the op the number is an operand of (for the error message), ``reflected`` true when the number
    was written on the left of its operator (``2 * x``).
    """
    if isinstance(x, Value):
        return x
    cached = _CONSTANTS.get(x) if x.__class__ is float or x.__class__ is int else None
    if cached is not None:
        return cached
    what = f"operand of {op.name}" if op is not None else "constant"
    try:
        data = _as_real(x, what)
    except TypeError as err:
        symbol = _OPERATOR_SYMBOLS.get(op.name) if op is not None else None
        if symbol is None:
            raise
        kinds = (type(x).__name__, "Value") if reflected else ("Value", type(x).__name__)
        # Python's own words for an operand it cannot combine, then the detail (complex, an array ...).
        raise TypeError(f"unsupported operand type(s) for {symbol}: '{kinds[0]}' and '{kinds[1]}' ({err})"
                        ) from err.__cause__
    out = _new(Constant)
    _set_data(out, data)
    _set_grad(out, 0.0)
    out._op = _ops.CONSTANT
    out._a = None
    out._b = None
    out._label = ""  # type: ignore[misc]
    # Zero is left out: 0.0 and -0.0 are one dict key but not one number.
    if out.data != 0.0 and len(_CONSTANTS) < _MAX_CONSTANTS and not isinstance(x, bool):
        _CONSTANTS[x] = out
    return out


_CONSTANTS: dict[float, Value] = {}
#: The operator a user writes for an op, as Python spells it in its "unsupported operand type(s)" message.
_OPERATOR_SYMBOLS = {"add": "+", "sub": "-", "mul": "*", "div": "/", "pow": "** or pow()", "rpow": "** or pow()"}
_MAX_CONSTANTS = 4096

_install_methods()


__all__ = ["Value", "OBSERVERS", "apply", "constant", "refuse_no_grad_root"]
