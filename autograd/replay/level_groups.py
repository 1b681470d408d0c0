"""What one group of the level program computes, with numpy: a layer's matrix-vector product, an op's
expression over a group, and the index arithmetic that adds their gradients into parents that may repeat.

`levels` plans a recorded graph into groups of same-op nodes; the objects here run one group forward and
backward over the tape's arrays of values and gradients (``vals``, ``grads``). Indices that step evenly are kept
as slices (a few dozen bytes rather than 8 a node), and a gradient added into an index that repeats goes
through `np.add.at` in the eager engine's order (a fancy-index ``+=`` would keep one term per repeated index).
The op table's expressions become numpy functions here once per op and input count (`numpy_forward`,
`numpy_partial`), among the numpy helpers of `batch_numpy`.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable
from typing import Any, cast

import numpy as np

from ..helpers import HELPERS
from ..op import Op, compile_function, input_names
from . import batch_numpy

Array = Any
Forward = Callable[[Array], None]
Backward = Callable[[Array, Array], None]


def compact(index: Array) -> Array | slice:
    """A 1-D index array as a slice where its numbers step evenly (a layer's outputs, numbered one after another or
    every other number): the same reads and writes, kept in a few dozen bytes rather than 8 a node."""
    if index.ndim != 1 or len(index) < 2:
        return index
    if len(index) <= 256:  # compared as a list: cheaper than the numpy calls
        even = even_slice(index.tolist())
        return index if even is None else even
    start, second, last = index[[0, 1, -1]].tolist()
    step = second - start
    if step == 0 or last - start != step * (len(index) - 1):
        return index
    stop = last + step
    if not (index == np.arange(start, stop, step)).all():
        return index
    return slice(start, None if stop < 0 else stop, step)


def adder(where: Array) -> Callable[[Array, Array], None]:
    """``add(grads, terms)``: ``grads[where] += terms`` (``where`` flattened), counting every term even where an
    index repeats: `_add_into` with the index and the check made once, when the group is planned."""
    index, distinct = _target(where)
    if distinct:
        def add(grads: Array, terms: Array) -> None:
            grads[index] += terms
    else:  # a fancy-index += would keep one term per repeated index: np.add.at adds them all
        backwards = cast(Array, index)[::-1]

        def add(grads: Array, terms: Array) -> None:
            np.add.at(grads, backwards, _last_first(terms))
    return add


def _last_first(terms: Array) -> Array:
    """``terms`` in reverse order, for `np.add.at` (which adds repeated indices in the order given): the eager
    engine visits a node's consumers last-made first, so a parent read by many nodes of one group (the shift m of
    ``z_i - m``) sums their terms in that order, and gets the eager engine's bits."""
    return terms[::-1] if np.ndim(terms) else terms


def _distinct_rows(indices: Array) -> bool:
    """True if a 2-D block's rows each increase and their ranges do not overlap: a layer's weights (each neuron's
    a run of parameters), shown distinct without sorting or hashing every index (False: not shown so)."""
    if indices.ndim != 2 or indices.shape[0] < 2 or indices.shape[1] < 2:
        return False
    if not (indices[:, 1:] > indices[:, :-1]).all():
        return False
    order = np.argsort(indices[:, 0])
    return bool((indices[order[:-1], -1] < indices[order[1:], 0]).all())


def _distinct(indices: Array) -> bool:
    """No index twice (then a fancy-index ``+=`` adds every term; else `np.add.at` must)."""
    if indices.size < 2:
        return True
    if indices.size < 256:  # a set of a few dozen numbers costs less than numpy's calls
        numbers = indices.tolist()
        return len(set(numbers)) == len(numbers)
    # Monotone is distinct: a layer's weights (numbered in order), a layer's outputs (the walk numbers the last first).
    step = indices[1:] > indices[:-1]
    if step.all() or not (indices[1:] >= indices[:-1]).any():
        return True
    if indices.size < 2048:  # a set beats numpy's sort on the small groups most graphs have
        return len(set(indices.tolist())) == indices.size
    return bool(np.unique(indices).size == indices.size)


def _target(where: Array) -> tuple[Array | slice, bool]:
    """``(index, distinct)`` for `_add_into`: ``where`` flattened (a slice where it steps evenly), and whether no
    index repeats."""
    flat = where.reshape(-1)
    index = compact(flat)
    # An evenly stepping index (a layer's inputs: the previous layer's outputs) is distinct without a check.
    return index, type(index) is slice or _distinct_rows(where) or _distinct(flat)


def even_slice(numbers: list[int]) -> slice | None:
    """The slice that reads ``numbers`` (at least two) when they step evenly, else None (`compact` for lists)."""
    start, step, last = numbers[0], numbers[1] - numbers[0], numbers[-1]
    if step == 0 or last - start != step * (len(numbers) - 1):
        return None
    stop = last + step
    if numbers != list(range(start, stop, step)):
        return None
    return slice(start, None if stop < 0 else stop, step)


def list_index(numbers: list[int]) -> Array | slice:
    """Node numbers as an index: a slice where they step evenly, else an array."""
    even = even_slice(numbers) if len(numbers) > 1 else None
    return even if even is not None else np.array(numbers, dtype=np.intp)


def _row_target(row: array) -> tuple[Array | slice, bool]:
    """`_target` for a graph's own input row (an `array.array`): a slice where it steps evenly, else a view of it
    (no copy), and whether no number repeats."""
    numbers = row.tolist()
    even = even_slice(numbers) if len(numbers) > 1 else None
    if even is not None:
        return even, True
    return np.frombuffer(row, dtype=np.dtype(f"i{row.itemsize}")), len(set(numbers)) == len(numbers)


def _add_into(grads: Array, target: tuple[Array | slice, bool], terms: Array) -> None:
    """``grads[index] += terms`` for a `_target`, counting every term even where an index repeats (a fancy-index
    ``+=`` keeps one term per repeated index: `np.add.at` adds them all)."""
    where, distinct = target
    if distinct:
        grads[where] += terms
    else:
        np.add.at(grads, cast(Array, where)[::-1], _last_first(terms))


class LayerGroup:
    """A dot group sharing its inputs ``row`` whose weights are the nodes ``start:end`` row after row (``out`` in
    that row order): a matrix-vector product over a view of the values, so the tape keeps two numbers for the
    weights rather than an index per weight, and no gather copies them on each run. A slotted object rather than
    closures: a tape holds one per layer, and closures' cells cost several times its bytes."""

    __slots__ = ("out", "start", "end", "width", "row", "row_target", "weights_need", "inputs_need")

    def __init__(self, out: Array | list[int] | slice, start: int, end: int, row: Array | array,
                 needs: Array | tuple[bool, bool]) -> None:
        """``needs``: per node, whether its gradient is worth computing; or the two answers, whether the weights'
        gradients are and whether the inputs' are (`levels.LevelProgram._plan_layers_only` reads them off the graph's
        tables). ``out`` may be a list and ``row`` the graph's own `array.array`: read then as lists, with no numpy
        call where they step evenly (a few numpy calls on cold caches were a third of planning a small graph)."""
        self.width = len(row)
        if isinstance(needs, tuple):
            self.weights_need, self.inputs_need = needs
        else:
            table = cast(Array, needs)
            self.weights_need, self.inputs_need = bool(table[start:end].any()), bool(table[row].any())
        self.row_target = _target(row) if type(row) is not array else _row_target(row)
        self.row = self.row_target[0]
        self.out = out if type(out) is slice else compact(out) if type(out) is not list else list_index(out)
        self.start, self.end = start, end

    def forward(self, vals: Array) -> None:
        """Every neuron's weighted sum."""
        vals[self.out] = vals[self.start:self.end].reshape(-1, self.width) @ vals[self.row]

    def backward(self, vals: Array, grads: Array) -> None:
        """The outer product into the weights' gradients, the transposed product into the inputs'."""
        g = grads[self.out]
        if self.weights_need:
            grads[self.start:self.end] += np.multiply.outer(g, vals[self.row]).reshape(-1)
        if self.inputs_need:
            _add_into(grads, self.row_target, g @ vals[self.start:self.end].reshape(-1, self.width))


class ExpressionGroup:
    """A group of nodes of one op, computed by the op's numpy expression over the gathered inputs (a slotted object
    rather than closures, as `LayerGroup`)."""

    __slots__ = ("out", "columns", "constant_rows", "forward_fn", "partials")

    def __init__(self, op: Op, out: Array, args: Array, needs: Array) -> None:
        """``out``: the nodes; ``args``: their parents, one row each; ``needs``: per node, whether its gradient is
        worth computing."""
        n = args.shape[1]
        first_constant = n - op.constant_args
        full_columns = [np.ascontiguousarray(args[:, j]) for j in range(n)]
        # One number per group (see `levels._split_by_constants`).
        self.constant_rows = [int(c[0]) for c in full_columns[first_constant:]]
        self.columns = [compact(c) for c in full_columns[:first_constant]]
        self.out = compact(out)
        self.forward_fn = numpy_forward(op, n)
        # Never past `INLINE_BACKWARD_UP_TO` inputs for an op other than sum and dot: `levels._without_wide` leaves such
        # groups out of the plan (they run as float steps), so the n partials here are each O(1) or narrow.
        partials: list[tuple[Any, bool, Any, Any]] = []
        codes = op.derivative_code_for(n)
        for j in range(first_constant):
            wanted = needs[full_columns[j]]
            if not wanted.any():
                continue
            if wanted.all():  # the column's own index, already compacted, and distinct if the rows are
                column = self.columns[j]
                rows, target = None, (column, type(column) is slice or _distinct(full_columns[j]))
            else:
                rows = np.flatnonzero(wanted)
                target = _target(full_columns[j][rows])
            partials.append((numpy_partial(op, n, j), codes[j].strip() == "1.0", rows, target))
        self.partials = partials

    @classmethod
    def unary(cls, op: Op, out: Array | slice, parents: Array | slice, wanted: bool) -> ExpressionGroup:
        """The group of a layer's activations (`levels._activation`): ``op`` applied to each of ``parents`` (distinct
        nodes: a layer's neurons) into ``out`` (both indices, as `list_index` makes them); ``wanted``: whether the
        parents' gradients are worth computing."""
        group = cls.__new__(cls)
        column = parents
        group.columns = [column]
        group.constant_rows = []
        group.out = out
        group.forward_fn = numpy_forward(op, 1)
        group.partials = [(numpy_partial(op, 1, 0), op.derivative_code_for(1)[0].strip() == "1.0", None,
                           (column, True))] if wanted else []
        return group

    def gather(self, vals: Array) -> list[Array]:
        """The inputs' values: an array per input, a float per constant argument."""
        values = [vals[c] for c in self.columns]
        values.extend(float(vals[k]) for k in self.constant_rows)
        return values

    def forward(self, vals: Array) -> None:
        """The op's expression over the whole group."""
        vals[self.out] = self.forward_fn(*self.gather(vals))

    def backward(self, vals: Array, grads: Array) -> None:
        """Each wanted local derivative times the group's gradients, added into the parents'."""
        out = self.out
        g = grads[out]
        values = self.gather(vals)
        result = vals[out]
        for partial, is_one, rows, target in self.partials:
            if rows is None:
                terms = g if is_one else g * partial(result, *values)
            else:
                picked = [v[rows] if type(v) is not float else v for v in values]
                terms = g[rows] if is_one else g[rows] * partial(result[rows], *picked)
            _add_into(grads, target, terms)


# --- the op table's expressions as numpy functions, compiled once per op and input count --------------------

_FORWARDS: dict[tuple[Op, int], Callable[..., Array]] = {}
_PARTIALS: dict[tuple[Op, int, int], Callable[..., Array]] = {}
_CODES: dict[tuple[Op, int], tuple[str, ...]] = {}
_NAMESPACE: dict[str, object] = {}
_NAMESPACE_SIZE = [-1]


def _numpy_namespace() -> dict[str, object]:
    """The numpy helpers, rebuilt when a helper has been registered since."""
    if _NAMESPACE_SIZE[0] != len(HELPERS):
        _NAMESPACE.clear()
        _NAMESPACE.update(batch_numpy.helpers_namespace())
        _NAMESPACE_SIZE[0] = len(HELPERS)
        _FORWARDS.clear()
        _PARTIALS.clear()
        _CODES.clear()
    return _NAMESPACE


def numpy_forward(op: Op, n: int) -> Callable[..., Array]:
    """``op``'s forward expression for ``n`` inputs as a function on arrays."""
    scope = _numpy_namespace()
    f = _FORWARDS.get((op, n))
    if f is None:
        f = _FORWARDS[op, n] = compile_function(f"<op {op.name}, {n} inputs, numpy>", "forward", input_names(n),
                                                op.forward_code_for(n), scope)
    return f


def numpy_partial(op: Op, n: int, j: int) -> Callable[..., Array]:
    """``op``'s local derivative towards input ``j`` (of ``n``) as a function of ``out`` and the inputs (the op's
    n expressions are built once for its n partials, not once each)."""
    scope = _numpy_namespace()
    f = _PARTIALS.get((op, n, j))
    if f is None:
        codes = _CODES.get((op, n))
        if codes is None:  # the op's n expressions, built once for the n partials (not once each)
            codes = _CODES[op, n] = op.derivative_code_for(n)
        f = _PARTIALS[op, n, j] = compile_function(f"<op {op.name} derivative {j}, {n} inputs, numpy>", "partial",
                                                   ["out", *input_names(n)], codes[j], scope)
    return f

