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
order: recording time is part of what a tape costs (issue 12 goal 1). A
model's weights are most of a graph's links (a dot node reads one per input),
so the work per link is done by C-level calls on whole tuples: one
`operator.itemgetter` call looks up all of a node's parents' numbers (a
missing one raises KeyError, and only then are the unvisited parents pushed),
another all their levels; the tables grow as Python lists and become arrays
once, after the walk (the parents' numbers, never read during the walk, are
an array from the start). A layer's dot nodes, whose weights are runs of
parameters and whose inputs are shared, skip even that: see `dot_rows`.

What a graph keeps is smaller than those tables (a tape's memory, issue 12
goal 1): the given leaves, a model's weights, are all alike (no op, level 0,
no parents), so only the op nodes' rows are kept (``tail_ops``,
``tail_needs``, ``link_starts``), a layer's dot nodes as row descriptors
rather than parent links, and the levels only until planned. The full
tables (`ops`, `levels`, `needs`, `starts`, `parents`) are rebuilt when code
generation asks for them and let go afterwards (`release`); the level
interpreter plans from the compact ones.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Sequence
from itertools import chain, filterfalse, repeat
from operator import itemgetter
from typing import Any, cast

from ..op import Op
from ..ops import DOT
from ..value import Value
from .dot_rows import DotRows, InputsPending
from .given_index import GivenIndex, index_given

#: The parents table's array typecode: a C int (4 bytes on every platform numpy supports).
PARENT_TYPECODE = "i"


class Graph:
    """Ops, levels, parent numbers and leaf names of a recorded graph, in topological order."""

    #: Per given leaf, its position among the inputs (then the parameters); None when it is the leaf's own number.
    given: array | None
    given_inputs: int  # how many given leaves are inputs
    given_count: int  # how many leaves (inputs, then parameters) were numbered before the walk

    __slots__ = ("tail_ops", "tail_levels", "tail_needs", "link_starts", "flat", "row_nodes", "row_firsts",
                 "row_tails", "row_which", "input_rows", "link_count", "given", "given_inputs", "given_count",
                 "leaf_names", "walked_leaves", "inputs", "params", "outputs", "_full")

    def __init__(
        self,
        root: Value,
        leaf_name: Callable[[Value], str],
        inputs: Sequence[Value],
        parameters: Sequence[Value],
        outputs: Sequence[Value],
        number: dict[Value, int],
        on_repeats: Callable[[], None] | None = None,
        also: Sequence[Value] = (),
        leaf_parameters: bool = False,
    ) -> None:
        """Number every node ``root`` depends on into ``number``; ``leaf_name`` names each leaf (it raises for a
        leaf the tape cannot take).

        Leaves among ``inputs`` and ``parameters`` come first (numbered even if the loss does not read them);
        the op nodes follow in `autograd.backward.topological_order`'s order (the same iterative walk). An
        output that is not in the graph gets the number -1. ``on_repeats`` is called (it may raise) before
        anything is numbered when a Value is given twice among ``inputs`` and ``parameters`` or one of them is
        an op node (then they are numbered one by one). Many parameters are entered in ``number`` only when the
        walk meets them off a layer's rows (`given_index`); those among ``outputs`` and ``also`` (Values a caller
        will look up afterwards) are entered at the end. ``leaf_parameters``: the caller has checked that every
        parameter is a `Value` leaf (then not checked again here)."""
        ops: list[Op | None]
        # Lists while the walk reads them (a list hands out its stored ints; an array makes one per read).
        levels: list[int]
        needs: list[int]  # 1 where a node leads to a parameter: the only gradients worth computing
        starts: list[int] = []  # the end of each walked node's parents in ``flat`` (given leaves: 0)
        # The parents' numbers, node after node (never read during the walk): 4-byte ints, as a graph never has 2**31
        # nodes; a model's weights are most of a graph's links, so this halves the largest table.
        flat = array(PARENT_TYPECODE)
        leaf_names: dict[int, str] = {}
        params_list = parameters if type(parameters) is list else list(parameters)
        lazy: GivenIndex | None = index_given(inputs, params_list, number, leaf_parameters)
        if lazy is not None:
            self.given = None
            self.given_inputs = len(inputs)
            self.given_count = len(inputs) + len(params_list)
        elif not _number_given_leaves(inputs, parameters, number, on_repeats, leaf_parameters):
            self._number_given_one_by_one(inputs, parameters, number)
        else:
            self.given = None  # leaf n's position is n itself: inputs first, then parameters
            self.given_inputs = len(inputs)
            self.given_count = len(number)
        first = self.given_count
        # The given leaves' rows (no op, level 0, a gradient wanted for a parameter): repeated in C, a third of what
        # extending by `repeat` cost (1,088 given leaves, 32 dot nodes: 3.7 us against 9.6, warm).
        ops = [None] * first
        levels = [0] * first
        needs = [0] * self.given_inputs
        needs += [1] * (first - self.given_inputs)
        walked_leaves: list[int] = []  # every other leaf: what ``leaf_name`` allows is a constant
        # A layer's dot nodes are numbered as rows (`dot_rows`): given leaves numbered in bulk are the runs it finds.
        # Made at the first dot node: a graph without one (binary ops) does not pay for setting it up.
        rows: DotRows | None = None
        row_path = self.given is None
        # ``number`` doubles as the walk's state: absent (not seen), -1 (parents being visited), else emitted.
        # A node whose parents are all numbered when it is first met is emitted at once, as the walk of
        # `topological_order` would emit it right after finding nothing to push.
        stack: list[Value] = [root]
        push, pop, extend = stack.append, stack.pop, stack.extend
        get, has = number.get, number.__contains__
        new_op, add_parents, add_parent = ops.append, flat.extend, flat.append
        new_level, new_need, new_start = levels.append, needs.append, starts.append
        read_need = needs.__getitem__

        def emit_row(level: int) -> int:
            """Emit a dot node found as a row at ``level`` (its parents are in the row's descriptor, not in
            ``flat``; a run of parameters, so its gradient is wanted) and return its number."""
            n = len(ops)
            new_op(DOT)
            new_level(level)
            new_need(1)
            new_start(len(flat))
            return n

        # The parents slot and the parents' numbers, typed loosely: which of their forms is present is what the
        # branches below test (a tuple or a Value; a number once the node is emitted).
        a: Any
        b: Any
        k: Any
        j: Any
        while stack:
            node = stack[-1]
            n = get(node)
            a = node._a
            if n is None:
                if a is None:  # a leaf: emitted at once
                    pop()
                    if lazy is not None and lazy.find(node) is not None:
                        continue  # a parameter not numbered in the dict until now
                    n = number[node] = len(ops)
                    new_op(None)
                    new_level(0)
                    new_need(0)
                    leaf_names[n] = leaf_name(node)
                    walked_leaves.append(n)
                    new_start(len(flat))
                    continue
                # Pushed in `topological_order`'s order (the last parent is numbered first), so replays that
                # promise the eager engine's bits accumulate gradients in its order.
                if type(a) is tuple:
                    if len(a) > 1:
                        if row_path and node._op is DOT:
                            if rows is None:
                                rows = DotRows(params_list, self.given_inputs, number, levels, flat.typecode, lazy)
                            try:
                                level = rows.add(a)
                            except InputsPending:  # the weights are numbered by position: visit the inputs
                                number[node] = -1
                                extend(filterfalse(has, a[len(a) >> 1:]))
                                continue
                            except KeyError:
                                number[node] = -1
                                extend(filterfalse(has, a))
                                continue
                            if level:  # a row: emitted with no parents in ``flat``
                                pop()
                                number[node] = emit_row(level)
                                continue
                        try:
                            ks = itemgetter(*a)(number)
                        except KeyError:
                            number[node] = -1
                            extend(filterfalse(has, a))
                            continue
                    else:
                        k = get(a[0])
                        if k is None:
                            number[node] = -1
                            push(a[0])
                            continue
                        ks = (k, k)  # read twice for the level and the need: the parents table gets one
                    pop()
                else:
                    k = get(a)
                    b = node._b
                    if k is None and b is None and row_path and a._op is DOT and type(a._a) is tuple and len(a._a) > 1:
                        # An activation of a neuron: its dot node, a row, is emitted here (as the walk would next).
                        if rows is None:
                            rows = DotRows(params_list, self.given_inputs, number, levels, flat.typecode, lazy)
                        try:
                            level = rows.add(a._a)
                        except InputsPending:  # the row's inputs first, then the row: what visiting the dot
                            number[node] = -1  # node next would do, without its raising InputsPending again
                            number[a] = -1
                            push(a)
                            extend(filterfalse(has, a._a[len(a._a) >> 1:]))
                            continue
                        except KeyError:  # a weight not numbered yet: the dot node is visited as usual
                            level = 0
                        if level:
                            k = number[a] = emit_row(level)
                    j = get(b) if b is not None else 0
                    if j is None and row_path and b._b is None:
                        d = b._a
                        if d is not None and type(d) is not tuple and d._op is DOT and type(d._a) is tuple \
                                and len(d._a) > 1 and get(d) is None:
                            # The second operand is a neuron's activation met for the first time (a loss adding up a
                            # layer's outputs): its row and itself are emitted here, as visiting it next would (it is
                            # pushed last, so visited first), rather than by another turn of the loop each.
                            if rows is None:
                                rows = DotRows(params_list, self.given_inputs, number, levels, flat.typecode, lazy)
                            try:
                                level = rows.add(d._a)
                            except InputsPending:  # the state visiting it would leave: its row's inputs first
                                number[node] = -1
                                if k is None:
                                    push(a)
                                push(b)
                                number[b] = -1
                                number[d] = -1
                                push(d)
                                extend(filterfalse(has, d._a[len(d._a) >> 1:]))
                                continue
                            except KeyError:  # a weight not numbered yet: visited as usual
                                level = 0
                            if level:
                                i = number[d] = emit_row(level)
                                j = number[b] = len(ops)
                                new_op(b._op)
                                add_parent(i)
                                new_level(level + 1)
                                new_need(1)
                                new_start(len(flat))
                    if k is None or j is None:
                        number[node] = -1
                        if k is None:
                            push(a)
                        if j is None:
                            push(b)
                        continue
                    pop()
            else:
                pop()
                if n != -1:
                    continue  # pushed twice and emitted meanwhile
                if row_path and node._op is DOT:
                    if rows is None:
                        rows = DotRows(params_list, self.given_inputs, number, levels, flat.typecode, lazy)
                    level = rows.add(a)
                    if level:
                        number[node] = emit_row(level)
                        continue
                if type(a) is tuple:
                    ks = itemgetter(*a)(number) if len(a) > 1 else (number[a[0]],) * 2
                else:
                    k = number[a]
                    b = node._b
                    j = number[b] if b is not None else 0
            # Emit ``node``: its parents are numbered (``ks`` for a tuple of them, else ``k`` and ``j``).
            number[node] = len(ops)
            new_op(node._op)
            if type(a) is tuple:
                if len(a) > 1:
                    add_parents(ks)
                else:
                    add_parent(ks[0])
                new_level(max(itemgetter(*ks)(levels)) + 1)
                new_need(any(map(read_need, ks)))
            elif b is None:
                add_parent(k)
                new_level(levels[k] + 1)
                new_need(needs[k])
            else:
                add_parent(k)
                add_parent(j)
                level = levels[k]
                other = levels[j]
                new_level((level if level > other else other) + 1)
                new_need(needs[k] or needs[j])
            new_start(len(flat))
        if lazy is not None:
            for v in chain(outputs, also):
                if isinstance(v, Value) and v not in number:
                    lazy.find(v)
        self.params: Sequence[int] = (range(self.given_inputs, first) if self.given is None
                                      else list(map(number.get, parameters, repeat(-1))))
        self.inputs: Sequence[int] = (range(self.given_inputs) if self.given is None
                                      else list(map(number.get, inputs, repeat(-1))))  # -1: not read by the loss
        # Kept: the op nodes' rows of the tables (the leaves given in bulk are all alike: no op, level 0, a gradient
        # wanted for a parameter and not for an input, no parents), the parents table without the rows, and the
        # rows' descriptors; the full tables are rebuilt when code generation asks for them (see `ops`).
        tail_needs = bytearray(needs[first:])
        interior: list[int] = [] if self.given is None else [n for n in self.params if n >= 0 and ops[n] is not None]
        if interior:  # rare (never with rows): parameters that are op nodes were not known to the walk's needs
            full_needs = bytearray(needs)
            _mark_needs_from(interior, ops, full_needs, _int_array("q", first + 1, starts), flat)
            tail_needs = full_needs[first:]
        self.tail_ops: list[Op | None] = ops[first:]
        #: The op nodes' levels, for planning (`forget_levels` lets them go; `levels` recomputes them then).
        self.tail_levels: array | None = array("i", levels[first:])  # 4 bytes: no graph is 2**31 levels deep
        self.tail_needs = tail_needs
        #: Where each op node's (and walked leaf's) parents begin in ``flat``, and one more: where the last ends.
        # 4-byte ints where rows make a graph large (a dot graph); else 8, as the full table's (copied, not converted).
        self.link_starts = _int_array("i" if rows is not None and len(flat) < 2**31 else "q", 1, starts)
        self.flat = flat
        if rows is not None and rows.nodes:
            self.row_nodes, self.row_firsts, self.row_tails = rows.nodes, rows.firsts, rows.tails
            self.row_which, self.input_rows = rows.which, rows.input_rows
            self.link_count = len(flat) + rows.links
        else:
            self.row_nodes = self.row_firsts = self.row_tails = self.row_which = array(flat.typecode)
            self.input_rows = []
            self.link_count = len(flat)
        self._full: dict[str, Any] = {}
        self.leaf_names = leaf_names
        #: The leaves found by the walk rather than given as inputs or parameters: constants, baked in.
        self.walked_leaves = walked_leaves
        self.outputs = list(map(number.get, outputs, repeat(-1)))

    # --- the full tables, one row per node, rebuilt on demand -----------------

    @property
    def ops(self) -> list[Op | None]:
        """Each node's op, ``None`` for a leaf (the given leaves first)."""
        full = self._full.get("ops")
        if full is None:
            full = self._full["ops"] = [None] * self.given_count + self.tail_ops
        return cast(list[Op | None], full)

    @property
    def levels(self) -> array:
        """Each node's level (0 for a leaf)."""
        full = self._full.get("levels")
        if full is None:
            if self.tail_levels is not None:
                full = self._full["levels"] = array("i", bytes(4 * self.given_count)) + self.tail_levels
            else:  # one more than the deepest parent, parents first
                full = array("i", bytes(4 * len(self)))
                starts, parents = self.starts, self.parents
                for n in range(self.given_count, len(self)):
                    if self.tail_ops[n - self.given_count] is not None:
                        full[n] = max(map(full.__getitem__, parents[starts[n]: starts[n + 1]])) + 1
                self._full["levels"] = full
        return cast(array, full)

    def forget_levels(self) -> None:
        """Let go of the levels once planned (4 bytes an op node): `levels` recomputes them when asked."""
        self.tail_levels = None

    @property
    def needs(self) -> bytearray:
        """1 where a node leads to a parameter (its gradient is worth computing), else 0."""
        full = self._full.get("needs")
        if full is None:
            given = bytearray(self.given_inputs) + b"\x01" * (self.given_count - self.given_inputs)
            full = self._full["needs"] = given + self.tail_needs
        return cast(bytearray, full)

    @property
    def starts(self) -> array:
        """Where each node's parents begin in `parents`, and one more entry: where the last node's end."""
        if "starts" not in self._full:
            self._expand_links()
        return cast(array, self._full["starts"])

    @property
    def parents(self) -> array:
        """Every node's parents' numbers, node after node (dot rows included)."""
        if "parents" not in self._full:
            self._expand_links()
        return cast(array, self._full["parents"])

    def release(self) -> None:
        """Let go of the full tables rebuilt for code generation (the compact ones stay)."""
        self._full.clear()

    def _expand_links(self) -> None:
        """Build `starts` and `parents` from ``flat`` and the rows' descriptors."""
        first = self.given_count
        starts = array("q", bytes(8 * first))
        if not self.row_nodes:
            if self.link_starts.typecode == "q":
                starts += self.link_starts
            else:
                starts.fromlist(self.link_starts.tolist())
            self._full["starts"], self._full["parents"] = starts, self.flat
            return
        own, flat = self.link_starts, self.flat
        parents = array(flat.typecode)
        offset = 0  # links of the rows so far: what a later node's place moves by
        done = 0  # the op nodes (tail positions) whose start is written
        for r, n in enumerate(self.row_nodes):
            i = n - first
            starts.extend([s + offset for s in own[done: i + 1]])
            parents += flat[own[done]: own[i]]
            parents += self.row_args(r)
            offset = len(parents) - own[i + 1]
            done = i + 1
        starts.extend([s + offset for s in own[done:]])
        parents += flat[own[done]:]
        self._full["starts"], self._full["parents"] = starts, parents

    def row_args(self, r: int) -> array:
        """The parents' numbers of the ``r``-th dot row: its run of weights (and a last weight off the run), then
        its inputs."""
        inputs = self.input_rows[self.row_which[r]]
        first, tail = self.row_firsts[r], self.row_tails[r]
        run = len(inputs) if tail < 0 else len(inputs) - 1
        out = array(inputs.typecode, range(first, first + run))
        if tail >= 0:
            out.append(tail)
        out += inputs
        return out

    def _number_given_one_by_one(self, inputs: Sequence[Value], parameters: Sequence[Value],
                                 number: dict[Value, int]) -> None:
        """Number the given leaves where some Value repeats or is an op node: each leaf once, in order of first
        appearance, at the position it was last given at; op nodes are left to the walk."""
        given = array("q")  # per leaf numbered here, its position among the inputs (then the parameters)
        self.given_inputs = 0
        for group, is_input in ((inputs, True), (parameters, False)):
            fresh = {v: k for k, v in enumerate(group) if v._a is None and v not in number}
            first = len(given)
            number.update(zip(fresh, range(first, first + len(fresh))))
            given.extend(fresh.values())
            if is_input:
                self.given_inputs = len(given)
        self.given = given
        self.given_count = len(given)

    def __len__(self) -> int:
        return self.given_count + len(self.tail_ops)

    def args(self, n: int) -> array:
        """The parents' numbers of node ``n``."""
        return self.parents[self.starts[n]: self.starts[n + 1]]

    def leaf_name(self, n: int) -> str:
        """The name generated code calls leaf ``n`` by: ``i0`` an input, ``p3`` a parameter, ``(2.0)`` a constant.

        Inputs' and parameters' names are made when asked for, not stored: a model's weights are most of a
        graph's leaves, and a name apiece would be most of a tape's memory."""
        if n < self.given_count:
            if n < self.given_inputs:
                return f"i{n if self.given is None else self.given[n]}"
            return f"p{n - self.given_inputs if self.given is None else self.given[n]}"
        return self.leaf_names[n]

    def names(self) -> list[str]:
        """The variable (or literal) each node is held in by generated code."""
        first = self.given_count
        if self.given is None:  # numbered in bulk: a model's weights are most of the names, made without a call each
            names = [f"i{k}" for k in range(self.given_inputs)]
            names += [f"p{k}" for k in range(first - self.given_inputs)]
        else:
            names = [self.leaf_name(n) for n in range(first)]
        leaf_names = self.leaf_names
        names += [leaf_names[n] if op is None else f"v{n}" for n, op in enumerate(self.tail_ops, first)]
        return names

    def op_counts(self) -> dict[str, int]:
        """How many nodes of each op the graph has."""
        counts: dict[str, int] = {}
        for op in self.tail_ops:
            if op is not None:
                counts[op.name] = counts.get(op.name, 0) + 1
        return counts


def _number_given_leaves(inputs: Sequence[Value], parameters: Sequence[Value], number: dict[Value, int],
                         on_repeats: Callable[[], None] | None, leaf_parameters: bool = False) -> bool:
    """Number ``inputs`` then ``parameters`` 0, 1, 2, ... with C-level bulk calls, when they are all leaves and no
    Value is given twice (the common case); else call ``on_repeats``, leave ``number`` as it was and return False.
    ``leaf_parameters``: the parameters are known to be leaves (then only the inputs are checked)."""
    total = len(inputs) + len(parameters)
    # A list of the parent slots counted for None: the fastest of the bulk forms measured (about 12 ns a Value).
    checked = inputs if leaf_parameters else chain(inputs, parameters)
    if not number and [v._a for v in checked].count(None) == (len(inputs) if leaf_parameters else total):
        number.update(zip(chain(inputs, parameters), range(total)))
        if len(number) == total:
            return True
        number.clear()
    if on_repeats is not None:  # a Value given twice, or an op node given: the careful checks, one by one
        on_repeats()
    return False


def _int_array(typecode: str, zeros: int, tail: list[int]) -> array:
    """``zeros`` zeros followed by ``tail`` (the leaves given in bulk need no per-item conversion)."""
    table = array(typecode, bytes(zeros * array(typecode).itemsize))
    table.extend(array(typecode, tail))
    return table


def _mark_needs_from(interior: Sequence[int], ops: Sequence[Op | None], needs: bytearray, starts: array,
                     parents: array) -> None:
    """Mark parameters that are op nodes (``interior``), and every node computed from one, as needing a gradient:
    the walk marked only what leads to a leaf parameter. Parents come before children, so one pass suffices."""
    for n in interior:
        needs[n] = 1
    for n in range(min(interior), len(ops)):
        if not needs[n] and ops[n] is not None and any(needs[p] for p in parents[starts[n]: starts[n + 1]]):
            needs[n] = 1
