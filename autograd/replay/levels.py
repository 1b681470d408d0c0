"""Replay a recorded graph level by level with numpy: no code is generated, so recording costs little.

Nodes of one level (see `graph.Graph`) never depend on each other, so all
the nodes of one level that apply the same op to the same number of inputs
form a group that numpy evaluates at once: gather the parents' values by
index, apply the op's expression (from the op table, among the numpy
helpers of `batch_numpy`), scatter the results. The backward pass walks the
groups in reverse, each local derivative expression applied to a whole
group and the products added into the parents' gradients.

Building this program is a handful of numpy calls per group, so a tape can
replay after ``record`` has only walked the graph (issue 12 goal 1), and a
tape holds integer index arrays rather than code. Two ops are read as what
they are rather than as their expression: a ``sum`` is a row sum of its
gathered inputs, and a ``dot`` a row-wise product sum, or one
matrix-vector product when every node of the group reads the same inputs
(a layer's neurons, a cell's gates at one time step). Groups too small for a
numpy call to pay (a chain: one node per level) run node by node with the
op's own float functions, as the eager engine does. This module plans; what one group computes (its numpy
kernels and the index arithmetic of its gradients) is `level_groups`.

A graph of a few hundred op nodes but many weights (a layer or two of
neurons: too many nodes to run unplanned, `SMALL_GRAPH`) is not grouped by
level at all (`LAYERS_ONLY`): its layers become matrix-vector products read
straight from the dot rows' descriptors (rows whose weights are no one run,
`Linear`'s, one dot group), each layer's activations one numpy call, and
every other op node a float step in topological order. Grouping every node
by level cost more to plan there (about a fifth of such a record) than it
saved when run, unless those other nodes are wide at some level (a loss over
a layer's outputs): such a graph is planned in groups after all.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Callable, Sequence
from itertools import compress, repeat
from operator import add, eq, is_not, itemgetter, sub
from typing import Any, cast

import numpy as np

from ..op import INLINE_BACKWARD_UP_TO, Op
from ..ops import DOT, SUM
from .graph import Graph

# The group kernels lived here until review27 moved them to `level_groups`: their old names (the underscored
# ones, and the aliases below) stay readable as attributes of this module (tests read levels._distinct_rows,
# levels._PARTIALS ...).
from .level_groups import (  # noqa: F401
    _CODES,
    _FORWARDS,
    _PARTIALS,
    Array,
    Backward,
    ExpressionGroup,
    Forward,
    LayerGroup,
    _add_into,
    _distinct,
    _distinct_rows,
    _last_first,
    _numpy_namespace,
    _row_target,
    _target,
    adder,
    compact,
    even_slice,
    list_index,
    numpy_forward,
    numpy_partial,
)

_compact, _adder, _even_slice, _list_index, _LayerGroup, _ExpressionGroup = (
    compact, adder, even_slice, list_index, LayerGroup, ExpressionGroup)

#: A group of fewer parent reads than this runs node by node on floats (`LevelProgram._add_float_steps`): measured
#: on W3, W5 and binary-op graphs (2 cores), 32 ran fastest and smallest of 8, 16, 32 and 64.
SMALL_GROUP = 32
#: A graph of at most this many nodes (leaves included) is not split into groups: every op node runs as a float
#: step (`LevelProgram._plan_as_float_steps`); recording 100-node graphs took 7.6 us a node, mostly planning.
SMALL_GRAPH = 256
#: A graph of more than `SMALL_GRAPH` nodes but at most this many op nodes (walked constant leaves included) plans
#: only its layers (`_Rows.layer`) as numpy groups and runs every other node as a float step, in topological order
#: (`LevelProgram._plan_layers_only`): grouping the rest by level cost more than it saved there. A layer of 32
#: neurons (97 op nodes, 1,056 weights) recorded in 13 us a dot node, 40% of it planning (issue 12 goal 1).
LAYERS_ONLY = 256
#: A graph of at most this many op nodes is grouped by Python dicts (`_groups_by_dict`), a larger one by numpy
#: sorts (`_groups_by_sort`): on a 97-node graph, cold, the sort's dozen numpy calls took about 60 us.
FEW_NODES = 256
#: A recorded comparison: each side a node number (>= 0) or, with the number -1, the constant beside it.
GuardSpec = tuple[int, float, str, int, float, bool]

_COMPARE: dict[str, Callable[[Any, Any], Any]] = {"<": np.less, "<=": np.less_equal, ">": np.greater,
                                                  ">=": np.greater_equal}


class LevelProgram:
    """A recorded graph as groups of same-op nodes per level, run forward and backward with numpy."""

    def __init__(self, graph: Graph, guards: Sequence[GuardSpec], constants: Array | list[tuple[int, float]]) -> None:
        """Plan the groups of ``graph``; ``constants`` holds each leaf's baked-in value, an array over every node
        (inputs and parameters are overwritten on every run) or (node, value) pairs for the constant leaves alone;
        ``guards`` the comparisons to re-check after each forward pass."""
        size = len(graph)
        self.size = size
        # Kept: the constant leaves alone (a whole-graph array of starting values would be 8 bytes per node,
        # a model's weights included, for a tape's lifetime).
        self._constant_nodes = np.array(graph.walked_leaves, dtype=np.intp)
        initial: Array | None = None
        if isinstance(constants, list) and [n for n, _ in constants] == graph.walked_leaves:
            # What a record passes: no array over every node, unless planning groups needs one (`_initial_values`).
            self._constant_values = np.array([value for _, value in constants], dtype=float)
        else:
            initial = _initial_values(size, constants)
            self._constant_values = initial[self._constant_nodes]
        self.inputs = _spare_if_absent(graph.inputs, size)
        self.params = _spare_if_absent(graph.params, size)
        # None where there are none (most tapes): no index array to make when planned, none to gather from per run.
        self.outputs = np.array(graph.outputs, dtype=np.intp) if graph.outputs else None
        self.root = size - 1
        self.forward: list[Forward] = []
        self.backward: list[Backward] = []
        self._plan(graph, initial if initial is not None else constants)
        # Kept to name the op when a value comes out infinite or NaN (the graph itself: no copies).
        self._graph = graph
        self._guards = list(guards)
        # Four arrays only where there are comparisons (four empty ones were 450 bytes of a small tape).
        self._guard_arrays = _guard_arrays(self._guards, size) if self._guards else ()
        self.on_branch_changed: Callable[[int], None] | None = None

    # --- planning ---------------------------------------------------------

    def _plan(self, graph: Graph, constants: Array | list[tuple[int, float]]) -> None:
        """Plan the steps; ``constants``: every node's starting value (an array with the spare slot), or the
        constant leaves' (node, value) pairs, from which that array is made if planning groups needs it."""
        size = self.size
        if size <= SMALL_GRAPH:
            self._plan_as_float_steps(graph)
            return
        # The op nodes' tables, by position after the given leaves (``first``): those leaves have no parents.
        first = graph.given_count
        tail = size - first
        if tail <= LAYERS_ONLY and self._plan_layers_only(graph):
            return
        initial = _initial_values(size, constants) if isinstance(constants, list) else constants
        starts = np.frombuffer(graph.link_starts, dtype=np.dtype(f"i{graph.link_starts.itemsize}")).astype(np.intp)
        flat = np.frombuffer(graph.flat, dtype=np.dtype(f"i{graph.flat.itemsize}")).astype(np.intp)
        levels = np.frombuffer(graph.levels if graph.tail_levels is None else graph.tail_levels,
                               dtype=np.int32)[-tail:]
        fan_in = starts[1:] - starts[:-1]  # np.diff's Python-level wrapper cost more than this (small graphs)
        rows = _Rows(graph, fan_in) if len(graph.row_nodes) else None
        grouping = _groups_by_dict if tail <= FEW_NODES else _groups_by_sort
        by_group, bounds, large = grouping(graph.tail_ops, levels, fan_in)
        large, wide_links = _without_wide(large, by_group, bounds, graph.tail_ops, fan_in)
        # Per node, whether its gradient is worth computing: it leads to a parameter.
        needs = np.zeros(size + 1, dtype=bool)  # the spare slot never needs a gradient
        needs[graph.given_inputs:first] = True
        needs[first:size] = np.frombuffer(graph.tail_needs, dtype=np.uint8)
        # Constants baked in when recorded (inputs and parameters are leaves too, but new numbers every run).
        is_baked = np.zeros(size, dtype=bool)
        is_baked[self._constant_nodes] = True
        backward: list[Backward] = []
        #: How the graph splits: groups run by numpy, and nodes run one by one on floats (what `Tape.compile_seconds`
        #: reads: generated code costs about a line per group and per lone node).
        self.large_groups = len(large)
        self.float_nodes = len(by_group) - sum(bounds[g + 1] - bounds[g] for g in large)
        done = 0  # by_group[:done] is planned
        for g in large:
            begin, end = bounds[g], bounds[g + 1]
            if begin > done:
                self._add_float_steps(graph, by_group[done:begin], backward, rows)
            done = end
            members = by_group[begin:end]
            head = int(members[0])
            op = cast(Op, graph.tail_ops[head])
            n = int(fan_in[head])
            if rows is not None and op is DOT:
                layer = rows.layer(members, first)
                if layer is not None:
                    forward, back = _layer_group(*layer, needs)
                    self.forward.append(forward)
                    if back is not None:
                        backward.append(back)
                    continue
                block = rows.block(members, starts, flat, n)
            else:
                block = flat[starts[members][:, None] + np.arange(n)]
            out_all = members + first
            for picked in _split_by_constants(op, block, initial, is_baked):
                out, args = (out_all[picked], block[picked]) if picked is not None else (out_all, block)
                forward, back = _group(op, out, args, needs)
                self.forward.append(forward)
                if back is not None:
                    backward.append(back)
        if done < len(by_group):
            self._add_float_steps(graph, by_group[done:], backward, rows)
        backward.reverse()
        self.backward = backward
        #: The lines run alone and the numpy groups of the code this tape compiles to (`Tape.compile_seconds`).
        #: Without a group of dot nodes that code has no blocks (vector groups grow out of matrix products:
        #: `codegen`), so every member of a group is a line of its own there (20,000 shifted logits z_i - m:
        #: 20,000 lines, not one; estimated as one group, a 20,000-logit cross-entropy compiled after its first
        #: 30 ms run, for 6-9 s). A wide node's every link is about two lines there (its input's finiteness check
        #: and its gradient term), where the estimate's fit (binary ops and dot rows) counted a few per node.
        products = any(graph.tail_ops[int(by_group[bounds[g]])] is DOT for g in large)
        lone, groups = (self.float_nodes, self.large_groups) if products else (len(by_group), 0)
        self.code_shape = (lone + 2 * wide_links, groups)

    def _plan_as_float_steps(self, graph: Graph) -> None:
        """A small graph runs node by node in its topological order: planning groups costs a few dozen numpy
        calls (about 150 us), more than such a graph takes to run, and its groups would be mostly too small."""
        ops = graph.tail_ops
        nodes = np.array([i for i, op in enumerate(ops) if op is not None], dtype=np.intp)
        self.large_groups = 0
        self.float_nodes = len(nodes)
        self.code_shape = (self.float_nodes, 0)
        backward: list[Backward] = []
        if len(nodes):
            self._add_float_steps(graph, nodes, backward, _Rows(graph, None) if len(graph.row_nodes) else None)
        self.backward = backward

    def _plan_layers_only(self, graph: Graph) -> bool:
        """A graph of a few hundred op nodes: its layers (dot rows that read one input row, weights one run of
        parameters) are matrix-vector products, every other op node a float step in topological order. Each layer
        runs where its first neuron stands in that order: its inputs are made before it, and every reader of any
        of its neurons comes after it. No levels, no parents table as arrays: a few numpy calls per layer. False
        (nothing planned) where the other nodes are wide enough at some level to be worth numpy groups."""
        first = graph.given_count
        ops = graph.tail_ops
        # (first neuron's position, the layer, its activation group if any)
        layers: list[tuple[int, tuple[list[int], int, int, array | None], tuple[Op, list[int], list[int], bool] | None]]
        layers = []
        in_layers: list[int] = []  # the layers' neurons (positions)
        spelled: dict[int, array] = {}
        blocks: dict[int, list[int] | range] = {}  # by id of its entry in ``layers``: the rows of a dot group
        if len(graph.row_nodes):
            # Rows by the input row they read (so at one level): most often runs of rows one after another.
            by_input: dict[int, list[int] | range] = {}
            which = graph.row_which
            if which.count(which[0]) == len(which):
                by_input[which[0]] = range(len(which))
            else:
                for r, k in enumerate(which):
                    got = by_input.get(k)
                    if got is None:
                        by_input[k] = [r]
                    else:
                        cast(list, got).append(r)
            input_rows, row_nodes = graph.input_rows, graph.row_nodes
            for k, rs in by_input.items():
                layer: tuple[list[int], int, int, array | None] | None = None
                if len(rs) * 2 * len(input_rows[k]) >= SMALL_GROUP:
                    layer = _layer_of_rows(graph, rs)
                    if layer is None and len(rs) > 1 and _tails_are_leaves(graph, rs):
                        # Weights that are no one run (`Linear`'s bias off its row): one dot group all the same,
                        # its parents spelled out (the row is None); its last weights are leaves, so it can run
                        # where its first neuron stands.
                        layer = ([row_nodes[r] for r in rs], 0, 0, None)
                        blocks[id(layer)] = rs
                if layer is None:  # run alone: its parents spelled out from its descriptor
                    spelled.update((row_nodes[r] - first, graph.row_args(r)) for r in rs)
                    continue
                places = list(map(sub, layer[0], repeat(first)))  # the neurons' positions
                activation = _activation(graph, layer[0], places, ops)
                layers.append((min(places), layer, activation))
                in_layers += places
                if activation is not None:
                    in_layers += map(add, places, repeat(1))
        nodes = list(compress(range(len(ops)), map(is_not, ops, repeat(None))))  # the op nodes: C-level calls
        if in_layers:
            nodes = sorted(set(nodes).difference(in_layers))
        # Nodes of one level that may make a group worth numpy (binary ops: 2 reads each).
        wide = max(SMALL_GROUP // 2, 2)
        if len(nodes) >= wide:
            # Many other nodes at one level (a loss over a layer's outputs): grouping them pays, plan in groups.
            levels = graph.tail_levels if graph.tail_levels is not None else graph.levels[first:]  # (re-planned)
            # Sorted, a level held by ``wide`` nodes or more shows as equal entries ``wide - 1`` apart (C-level calls:
            # a Counter's Python-level set-up cost more than the count, on cold caches).
            ranked = sorted(itemgetter(*nodes)(levels))
            if any(map(eq, ranked, ranked[wide - 1:])):
                return False
        self.large_groups = len(layers) + sum(a is not None for _, _, a in layers)
        self.float_nodes = len(nodes)
        self.code_shape = (self.float_nodes, self.large_groups)
        backward: list[Backward] = []
        if layers:
            given_inputs = graph.given_inputs
            # Per node, 1 where its gradient is wanted: inputs no, parameters yes, op nodes as the walk found.
            wants = bytes(given_inputs) + b"\x01" * (first - given_inputs) + graph.tail_needs
            layers.sort(key=itemgetter(0))
            done = 0  # nodes[:done] are planned
            for place, layer, activation in layers:
                cut = bisect_left(nodes, place, done)
                if cut > done:
                    self._add_lone_nodes(graph, nodes[done:cut], backward, spelled)
                    done = cut
                out, start, end, row = layer
                neurons = list_index(out)  # read by the layer and by its activations
                if row is None:  # a dot group that is no layer
                    table = np.frombuffer(wants + b"\x00", dtype=np.uint8).astype(bool)  # the spare slot: no
                    args = np.array([graph.row_args(r) for r in blocks[id(layer)]], dtype=np.intp)
                    forward, back = _dot_group(np.array(out, dtype=np.intp), args, table)
                else:
                    # A row's weights are a run of parameters (`dot_rows`): their gradients are wanted.
                    wanted = (given_inputs <= start and end <= first, any(map(wants.__getitem__, row)))
                    forward, back = _layer_group(neurons, start, end, row, wanted)
                self.forward.append(forward)
                if back is not None:
                    backward.append(back)
                if activation is not None:  # each reads its own neuron only: run right after the layer
                    op, after, _, wanted_too = activation
                    group = ExpressionGroup.unary(op, list_index(after), neurons, wanted_too)
                    self.forward.append(group.forward)
                    if group.partials:
                        backward.append(group.backward)
            nodes = nodes[done:]
        if nodes:
            self._add_lone_nodes(graph, nodes, backward, spelled)
        backward.reverse()
        self.backward = backward
        return True

    def _add_lone_nodes(self, graph: Graph, local: list[int], backward: list[Backward],
                        spelled: dict[int, array]) -> None:
        """`_add_float_steps` for positions as a list, the rows among them already spelled out (``spelled`` may
        hold others too: only the positions' own are kept)."""
        steps = _LoneNodes(graph, local, None, {i: spelled[i] for i in local if i in spelled} if spelled else {})
        self.forward.append(steps.forward)
        if steps.reverse:
            backward.append(steps.backward)

    def _add_float_steps(self, graph: Graph, local: Array, backward: list[Backward], rows: _Rows | None) -> None:
        """Nodes of small groups (``local``: by position after the given leaves), evaluated one at a time by the
        op's own float functions (as the eager engine does): for a chain, a numpy call per node would cost more
        than the arithmetic. See `_LoneNodes`."""
        steps = _LoneNodes(graph, local, rows)
        self.forward.append(steps.forward)
        if steps.reverse:
            backward.append(steps.backward)

    # --- running ----------------------------------------------------------

    def run(self, inputs: Sequence[float], params: Sequence[float]) -> tuple[float, list[float], list[float]]:
        """Forward and backward on one sample: the loss, d loss / d parameter, and the output nodes' values."""
        vals = np.zeros(self.size + 1)
        vals[self._constant_nodes] = self._constant_values
        vals[self.inputs] = inputs
        vals[self.params] = params
        with np.errstate(all="ignore"):  # a non-finite result is reported by name by the tape, not as a warning
            for forward in self.forward:
                forward(vals)
            # The eager engine refuses an infinite or NaN node where it is made; a later op can hide it
            # (tanh(inf) is 1.0, 1 / inf is 0.0), so every node is checked, not only the loss.
            if not np.isfinite(vals[:self.size]).all():  # the spare slot may hold anything unread
                self._not_finite(vals)
            if self._guards:
                self._check_guards(vals)
            grads = np.zeros(self.size + 1)
            grads[self.root] = 1.0
            for backward in self.backward:
                backward(vals, grads)
        gradients = grads[self.params]
        if not isinstance(self.params, slice):  # a slice (numbered in bulk) never reads the spare slot
            gradients[self.params == self.size] = 0.0
        outputs = vals[self.outputs].tolist() if self.outputs is not None else []
        return float(vals[self.root]), gradients.tolist(), outputs

    def _not_finite(self, vals: Array) -> None:
        """Raise as the eager engine does for the first node (in topological order) that is infinite or NaN."""
        n = int(np.flatnonzero(~np.isfinite(vals[:self.size]))[0])
        graph = self._graph
        op = graph.tail_ops[n - graph.given_count] if n >= graph.given_count else None
        if op is None:  # a leaf: inputs are checked before a run, so a parameter whose data was set to it
            raise ValueError(f"replay: a parameter's data is {vals.item(n)!r}; a NaN or infinity must not spread"
                             " through the graph")
        operands = ", ".join(repr(vals.item(p)) for p in graph.args(n))
        graph.release()  # the full tables `args` rebuilt
        raise OverflowError(f"{op.name}: result {vals.item(n)!r} is not finite for inputs ({operands})")

    def _check_guards(self, vals: Array) -> None:
        left_nodes, left_values, right_nodes, right_values = self._guard_arrays
        left = np.where(left_nodes >= 0, vals[left_nodes], left_values)
        right = np.where(right_nodes >= 0, vals[right_nodes], right_values)
        for k, (_, _, op, _, _, result) in enumerate(self._guards):
            if bool(_COMPARE[op](left[k], right[k])) != result:
                if self.on_branch_changed is not None:
                    self.on_branch_changed(k)
                raise AssertionError(f"recorded comparison {k} changed")  # pragma: no cover - the tape raises


class _LoneNodes:
    """Op nodes run one at a time on floats, in topological order (`LevelProgram._add_float_steps`). They are read
    from the graph's own tables when run, so a tape keeps only their numbers (4 bytes a node where they fit); a
    dot row among them (rare: a tiny neuron) gets its parents spelled out. A slotted object rather than closures,
    as `LayerGroup`: closures and their cells cost several times these bytes (a small tape holds one)."""

    __slots__ = ("first", "ops", "starts", "parents", "needs", "nodes", "reverse", "spelled")

    def __init__(self, graph: Graph, local: Array | list[int], rows: _Rows | None,
                 spelled: dict[int, array] | None = None) -> None:
        """``local``: the nodes, by position after the given leaves; ``rows``: the graph's dot rows, if any (or
        ``spelled``: the parents of the rows among ``local``, by position)."""
        self.first = graph.given_count
        self.ops = cast(list[Op], graph.tail_ops)  # these nodes are all op nodes, never leaves (None)
        self.starts, self.parents, self.needs = graph.link_starts, graph.flat, graph.tail_needs
        numbers = local if isinstance(local, list) else local.tolist()
        typecode = "i" if len(self.ops) < 2**31 else "q"
        self.nodes = array(typecode, numbers)
        needs = self.needs
        self.reverse = array(typecode, [i for i in reversed(numbers) if needs[i]])
        if spelled is None:
            spelled = rows.spelled(local) if rows is not None else {}
        self.spelled: dict[int, array] = spelled

    def args_of(self, i: int) -> array:
        """The parents' numbers of the node at position ``i``."""
        got = self.spelled.get(i)
        return self.parents[self.starts[i]: self.starts[i + 1]] if got is None else got

    def forward(self, vals: Array) -> None:
        """Each node from its parents' values."""
        item, ops, first = vals.item, self.ops, self.first
        if self.spelled:
            args_of = self.args_of
            for i in self.nodes:
                vals[i + first] = ops[i].forward(*map(item, args_of(i)))
        else:
            starts, parents = self.starts, self.parents
            for i in self.nodes:
                vals[i + first] = ops[i].forward(*map(item, parents[starts[i]: starts[i + 1]]))

    def backward(self, vals: Array, grads: Array) -> None:
        """Each node's gradient times its local derivatives, added into its parents' gradients."""
        # A given leaf always takes its term (a parameter wants it; an input's slot is never read).
        item, ops, first, needs, args_of = vals.item, self.ops, self.first, self.needs, self.args_of
        for i in self.reverse:
            op = ops[i]
            args = args_of(i)
            n = i + first
            g = grads[n]
            partials = op.derivative(item(n), *map(item, args))
            for j in range(len(args) - op.constant_args):
                p = args[j]
                if p < first or needs[p - first]:
                    grads[p] += g * partials[j]


class _Rows:
    """A graph's dot rows (`dot_rows`) by op node position (after the given leaves), while a program is planned."""

    def __init__(self, graph: Graph, fan_in: Array | None) -> None:
        """Index ``graph``'s rows; ``fan_in`` (per op node position, the parents in the graph's own table, none for a
        row) gets each row's true count."""
        first = graph.given_count
        self.graph = graph
        places = np.frombuffer(graph.row_nodes, dtype=np.dtype(f"i{graph.row_nodes.itemsize}")).astype(np.intp) - first
        self.row_of = np.full(len(graph) - first, -1, dtype=np.intp)
        self.row_of[places] = np.arange(len(places))
        # Lists for `layer` (a layer's few dozen rows are read by C-level calls); `block` reads arrays of them, made
        # only if a block is met (a cell's gates with biases off their rows), not for every graph with rows.
        self.which_list, self.tails_list, self.firsts_list = (graph.row_which.tolist(), graph.row_tails.tolist(),
                                                              graph.row_firsts.tolist())
        self.arrays: tuple[Array, ...] | None = None
        if fan_in is not None:
            widths = list(map(len, graph.input_rows))
            fan_in[places] = [2 * widths[k] for k in self.which_list]

    def layer(self, members: Array, first: int) -> tuple[Array, int, int, Array] | None:
        """``(out, start, end, row)`` for `_layer_group` when the dot nodes ``members`` (positions) are rows that read
        one input row and whose weights, in some order of the rows, are the one run of nodes ``start:end``; else
        None. Read from the descriptors: no parent table is gathered."""
        # Python lists read by C-level calls: a layer is a few dozen rows, where each numpy call costs more.
        r = self.row_of[members].tolist()
        if min(r) < 0:
            return None
        found = _layer_shape(self.graph, r, self.which_list, self.tails_list, self.firsts_list)
        if found is None:
            return None
        order, start, end, stored = found
        row = np.frombuffer(stored, dtype=np.dtype(f"i{stored.itemsize}"))  # the graph's own row: no copy
        return (members + first)[order], start, end, row

    def block(self, members: Array, starts: Array, flat: Array, n: int) -> Array:
        """The parents of the dot nodes ``members`` (positions; ``n`` each), rows spelled out from their
        descriptors, others read from ``flat`` (from ``starts`` on)."""
        r = self.row_of[members]
        block = np.empty((len(members), n), dtype=np.intp)
        plain = r < 0
        if plain.any():
            block[plain] = flat[starts[members[plain]][:, None] + np.arange(n)]
        r = r[~plain]
        if len(r):
            half = n // 2
            if self.arrays is None:  # made at the first block, for every later one
                self.arrays = tuple(np.array(column, dtype=np.intp)
                                    for column in (self.firsts_list, self.tails_list, self.which_list))
            all_firsts, all_tails, all_which = self.arrays
            weights = all_firsts[r][:, None] + np.arange(half)
            tails = all_tails[r]
            off = tails >= 0
            weights[off, half - 1] = tails[off]
            distinct, which = np.unique(all_which[r], return_inverse=True)
            inputs = np.array([self.graph.input_rows[k] for k in distinct.tolist()], dtype=np.intp)[which.reshape(-1)]
            block[~plain] = np.concatenate([weights, inputs], axis=1)
        return block

    def spelled(self, local: Array) -> dict[int, array]:
        """Per row among the positions ``local``, its parents' numbers (`Graph.row_args`)."""
        r = self.row_of[local]
        found = r >= 0
        return {int(i): self.graph.row_args(int(k)) for i, k in zip(local[found], r[found])}


def _activation(graph: Graph, neurons: list[int], places: list[int], ops: list[Op | None]
                ) -> tuple[Op, list[int], list[int], bool] | None:
    """``(op, out, neurons, wanted)`` when each of a layer's ``neurons`` (node numbers; ``places``, their positions
    after the given leaves) is read by the op node the walk numbered right after it (it emits a neuron's activation
    with its row), all one op of one input: a numpy group of `SMALL_GROUP` of them or more
    (`ExpressionGroup.unary`); ``wanted``: whether the neurons' gradients are. Else None (those nodes stay float
    steps). Read by C-level calls over the graph's tables."""
    count = len(neurons)
    if count < max(SMALL_GROUP, 2):  # (a lone neuron's activation runs as well as a float step)
        return None
    even = even_slice(places)
    if even is not None:
        return _activation_of_even(graph, neurons, places[0], cast(int, even.step), ops)
    after = list(map(add, places, repeat(1)))  # positions
    if max(after) >= len(ops):
        return None
    found = itemgetter(*after)(ops)
    op = found[0]
    if op is None or found.count(op) != count or op.constant_args or op is DOT or op is SUM:
        return None
    starts, flat = graph.link_starts, graph.flat
    # One parent each, its own neuron (the parents table: a row's neuron has no entries there, its reader has).
    begins = itemgetter(*after)(starts)
    if list(map(sub, itemgetter(*map(add, after, repeat(1)))(starts), begins)) != [1] * count:
        return None
    if list(itemgetter(*begins)(flat)) != neurons:
        return None
    wanted = itemgetter(*places)(graph.tail_needs)
    if wanted.count(wanted[0]) != count:
        return None
    return op, list(map(add, neurons, repeat(1))), neurons, bool(wanted[0])


def _activation_of_even(graph: Graph, neurons: list[int], first: int, step: int, ops: list[Op | None]
                        ) -> tuple[Op, list[int], list[int], bool] | None:
    """`_activation` where the neurons' positions step evenly from ``first`` (a layer's neurons with their
    activations between them: every other position), read by slices of the graph's tables: packing a layer's
    positions into an `operator.itemgetter` once per table cost several times these reads (issue 12 goal 1)."""
    count = len(neurons)
    if max(first + 1, first + 1 + step * (count - 1)) >= len(ops):
        return None
    readers = _progression(first + 1, step, count)  # the activations' positions
    found = ops[readers]
    op = found[0]
    if op is None or found.count(op) != count or op.constant_args or op is DOT or op is SUM:
        return None
    starts, flat = graph.link_starts, graph.flat
    # One parent each, its own neuron (the parents table: a row's neuron has no entries there, its reader has).
    begins = starts[readers]
    if list(map(sub, starts[_progression(first + 2, step, count)], begins)).count(1) != count:
        return None
    where = begins.tolist()
    at = even_slice(where)
    if (flat[at].tolist() if at is not None else list(itemgetter(*where)(flat))) != neurons:
        return None
    wanted = graph.tail_needs[_progression(first, step, count)]
    if wanted.count(wanted[0]) != count:
        return None
    return op, list(map(add, neurons, repeat(1))), neurons, bool(wanted[0])


def _progression(start: int, step: int, count: int) -> slice:
    """The slice that reads ``count`` positions ``step`` apart from ``start`` on (``step`` may be negative)."""
    stop = start + step * count
    return slice(start, None if stop < 0 else stop, step)


def _tails_are_leaves(graph: Graph, rs: list[int] | range) -> bool:
    """Whether every last weight kept off its row's run (``row_tails``) among the rows ``rs`` is a leaf: a given
    leaf or a constant, whose value is there before any op node runs."""
    first, ops, tails = graph.given_count, graph.tail_ops, graph.row_tails
    return all(t < first or ops[t - first] is None for t in map(tails.__getitem__, rs))


def _layer_shape(graph: Graph, r: list[int] | range, which_of: Sequence[int], tails_of: Sequence[int],
                 firsts_of: Sequence[int]) -> tuple[list[int] | range, int, int, array] | None:
    """``(order, start, end, row)`` when the rows ``r`` read one input row ``row`` (the graph's own array) and their
    weights, taken in the rows' ``order`` (positions in ``r``), are the one run of nodes ``start:end``; else None.
    ``which_of``, ``tails_of``, ``firsts_of``: the graph's row descriptors (lists or arrays), read by C-level calls
    (slices where ``r`` is a range: a layer's rows are numbered one after another)."""
    count = len(r)
    get: Callable[[Sequence[int]], Sequence[int]]
    if type(r) is range and r.step == 1:
        get = itemgetter(slice(r.start, r.stop))
    elif count > 1:
        get = itemgetter(*r)
    else:
        def get(table: Sequence[int]) -> Sequence[int]:
            return (table[r[0]],)
    which = get(which_of)
    if which.count(which[0]) != count or max(get(tails_of)) >= 0:
        return None
    stored = graph.input_rows[which[0]]
    width = len(stored)
    firsts = list(get(firsts_of))
    end = firsts[0] + count * width
    # In row order, the weights' first numbers step by a row's width: one run, no gap, no row twice. The walk
    # numbers a layer's last neuron first: its rows come in descending order, else ascending.
    order: list[int] | range
    if firsts == list(range(firsts[0], firsts[0] - count * width, -width)):
        order = range(count - 1, -1, -1)
    elif firsts == list(range(firsts[0], end, width)):
        order = range(count)
    else:
        order = sorted(range(count), key=firsts.__getitem__)
    start = firsts[order[0]]
    if [firsts[k] for k in order] != list(range(start, start + count * width, width)):
        return None
    return order, start, start + count * width, stored


def _layer_of_rows(graph: Graph, r: list[int] | range) -> tuple[list[int], int, int, array] | None:
    """`_Rows.layer` for the rows ``r`` (row numbers, not node positions), read from the graph's descriptors:
    the neurons' node numbers as a list, the input row as the graph's own array."""
    found = _layer_shape(graph, r, graph.row_which, graph.row_tails, graph.row_firsts)
    if found is None:
        return None
    order, start, end, row = found
    nodes = graph.row_nodes
    if type(r) is range and type(order) is range:
        out = nodes[r.start:r.stop].tolist()
        if order.step < 0:
            out.reverse()
    else:
        out = [nodes[r[k]] for k in order]
    return out, start, end, row


def _groups_by_sort(ops: list[Op | None], levels: Array, fan_in: Array) -> tuple[Array, list[int], list[int]]:
    """The op nodes (positions) sorted into groups of one level, op and fan-in: ``(by_group, bounds, large)``, group
    g being ``by_group[bounds[g]:bounds[g + 1]]``, and ``large`` the groups that read at least `SMALL_GROUP`
    parents in all (run by numpy; the nodes between two large groups run one by one in one loop). Levels ascend;
    at one level, ops by first appearance, then fan-in; in a group, positions ascend. By numpy sorts, in bulk."""
    table: dict[Op | None, int] = {op: k for k, op in enumerate(op for op in dict.fromkeys(ops) if op is not None)}
    table[None] = -1
    codes = np.fromiter(map(table.__getitem__, ops), dtype=np.intp, count=len(ops))
    nodes = np.flatnonzero(codes >= 0)
    by_group = nodes[np.lexsort((fan_in[nodes], codes[nodes], levels[nodes]))]
    keys = np.stack([levels[by_group], codes[by_group], fan_in[by_group]])
    cuts = np.flatnonzero((keys[:, 1:] != keys[:, :-1]).any(axis=0)) + 1
    bounds = np.concatenate(([0], cuts, [len(by_group)]))
    sizes = bounds[1:] - bounds[:-1]
    large = np.flatnonzero(sizes * fan_in[by_group[bounds[:-1]]] >= SMALL_GROUP)
    return by_group, bounds.tolist(), large.tolist()


def _without_wide(large: list[int], by_group: Array, bounds: list[int], ops: list[Op | None], fan_in: Array
                  ) -> tuple[list[int], int]:
    """``large`` less the groups of an n-ary op other than sum and dot read past `INLINE_BACKWARD_UP_TO` inputs
    (the softmax family's ``largest`` and ``logsumexp`` over many logits): as a numpy group each of the n inputs
    would get a partial function of all n (O(n^2) to compile and to run; ``largest``'s expressions alone are O(n^2)
    text). Left out, they run as float steps, by the op's own float functions (the wide ``largest``'s one call for
    all its partials, `Op.wide_derivative`), O(n) and the eager engine's numbers. Also returns how many links
    the groups left out read."""
    kept = []
    links = 0
    for g in large:
        head = int(by_group[bounds[g]])
        op = ops[head]
        if op is None or op.arity is not None or op is SUM or op is DOT or int(fan_in[head]) <= INLINE_BACKWARD_UP_TO:
            kept.append(g)
        else:
            links += (bounds[g + 1] - bounds[g]) * int(fan_in[head])
    return kept, links


def _groups_by_dict(ops: list[Op | None], levels: Array, fan_in: Array) -> tuple[Array, list[int], list[int]]:
    """`_groups_by_sort`'s groups, found by a dict keyed by (level, op, fan-in): for a few hundred nodes, cheaper
    than its numpy calls on cold caches (the same groups, in the same order)."""
    level_of, fan_of = levels.tolist(), fan_in.tolist()
    codes: dict[Op, int] = {}
    groups: dict[tuple[int, int, int], list[int]] = {}
    for i, op in enumerate(ops):
        if op is not None:
            key = (level_of[i], codes.setdefault(op, len(codes)), fan_of[i])
            members = groups.get(key)
            if members is None:
                groups[key] = [i]
            else:
                members.append(i)
    order: list[int] = []
    bounds = [0]
    large = []
    for key in sorted(groups):
        members = groups[key]
        if len(members) * key[2] >= SMALL_GROUP:
            large.append(len(bounds) - 1)
        order += members
        bounds.append(len(order))
    return np.array(order, dtype=np.intp), bounds, large


def _initial_values(size: int, constants: Array | list[tuple[int, float]]) -> Array:
    """Every node's starting value and the spare slot's (0): ``constants`` is (node, value) pairs for the constant
    leaves, or an array over every node (inputs and parameters are overwritten on every run)."""
    # One spare slot at the end: inputs and parameters the loss does not read are written to and read from it.
    initial = np.zeros(size + 1)
    if isinstance(constants, list):  # pairs: no array over every node made first (what a record passes)
        if constants:
            initial[[n for n, _ in constants]] = [value for _, value in constants]
    else:
        initial[:size] = constants
    return initial


def _spare_if_absent(numbers: Sequence[int], size: int) -> Array | slice:
    """Node numbers as an index array, -1 (not in the graph) replaced by ``size``, the spare slot; a slice when they
    were numbered in bulk (a model's parameters: an index apiece would be 8 bytes per parameter kept by the tape)."""
    if isinstance(numbers, range):  # inputs and parameters numbered in bulk: all present
        return slice(numbers.start, numbers.stop)
    index = np.array(numbers, dtype=np.intp).reshape(-1)
    index[index < 0] = size
    return index


def _guard_arrays(guards: Sequence[GuardSpec], size: int) -> tuple[Array, ...]:
    """Both sides of every comparison as arrays; a constant side has node -1, which reads the spare slot."""
    return (np.array([g[0] for g in guards], dtype=np.intp), np.array([g[1] for g in guards]),
            np.array([g[3] for g in guards], dtype=np.intp), np.array([g[4] for g in guards]))


def _split_by_constants(op: Op, block: Array, initial: Array, is_baked: Array) -> list[Array | None]:
    """Rows of a group that share their constant arguments (a power's exponent is passed as one number)."""
    if not op.constant_args:
        return [None]
    fixed = block[:, block.shape[1] - op.constant_args:]
    if not is_baked[fixed].all():  # computed, input or parameter constants: one row at a time, each read when run
        return [np.array([r]) for r in range(len(block))]
    _, which = np.unique(initial[fixed], axis=0, return_inverse=True)
    which = which.reshape(-1)
    if which.max(initial=0) == 0:
        return [None]
    return [np.flatnonzero(which == k) for k in range(int(which.max()) + 1)]


def _group(op: Op, out: Array, args: Array, needs: Array) -> tuple[Forward, Backward | None]:
    """The forward step of one group, and its backward step (None when no parent needs a gradient)."""
    if op is SUM:
        return _sum_group(out, args, needs)
    if op is DOT:
        return _dot_group(out, args, needs)
    return _expression_group(op, out, args, needs)


def _sum_group(out: Array, args: Array, needs: Array) -> tuple[Forward, Backward | None]:
    def forward(vals: Array) -> None:
        vals[out] = vals[args].sum(axis=1)

    if not needs[args].any():
        return forward, None
    add = adder(args.reshape(-1))
    width = args.shape[1]

    def backward(vals: Array, grads: Array) -> None:
        add(grads, np.repeat(grads[out], width))

    return forward, backward


def _dot_group(out: Array, args: Array, needs: Array) -> tuple[Forward, Backward | None]:
    half = args.shape[1] // 2
    weights, inputs = np.ascontiguousarray(args[:, :half]), np.ascontiguousarray(args[:, half:])
    shared = bool((inputs == inputs[0]).all())
    if shared:
        block = _weight_block(weights)
        if block is not None:
            # The row copied: a view would keep the whole group's inputs block alive with the tape.
            return _layer_group(out[block[2]], block[0], block[1], inputs[0].copy(), needs)
    weights_need, inputs_need = bool(needs[weights].any()), bool(needs[inputs].any())
    add_weights = adder(weights)
    if shared:
        row = inputs[0].copy()  # not a view: it would keep the whole inputs block alive
        add_row = adder(row)

        def forward(vals: Array) -> None:
            vals[out] = vals[weights] @ vals[row]

        def backward(vals: Array, grads: Array) -> None:
            g = grads[out]
            if weights_need:
                add_weights(grads, np.multiply.outer(g, vals[row]).reshape(-1))
            if inputs_need:
                add_row(grads, g @ vals[weights])
    else:
        add_inputs = adder(inputs.reshape(-1))

        def forward(vals: Array) -> None:
            vals[out] = np.einsum("ij,ij->i", vals[weights], vals[inputs])

        def backward(vals: Array, grads: Array) -> None:
            g = grads[out][:, None]
            if weights_need:
                add_weights(grads, (g * vals[inputs]).reshape(-1))
            if inputs_need:
                add_inputs(grads, (g * vals[weights]).reshape(-1))

    return forward, (backward if weights_need or inputs_need else None)


def _weight_block(weights: Array) -> tuple[int, int, Array] | None:
    """``(start, end, order)`` when a dot group's weights (one row per node) are, in some row order, the rows of one
    contiguous run of nodes ``start:end`` (a layer whose neurons' weights are consecutive parameters, as `nn.Layer`
    lists them): ``weights[order]`` is then ``arange(start, end).reshape(-1, width)``. None otherwise."""
    rows, width = weights.shape
    heads = weights[:, 0]
    start = int(heads.min())
    if not (weights == heads[:, None] + np.arange(width)).all():
        return None
    place = heads - start
    if (place % width).any():
        return None
    place //= width
    if int(place.max()) != rows - 1:
        return None
    order = np.full(rows, -1, dtype=np.intp)
    order[place] = np.arange(rows)
    if (order < 0).any():  # two rows at one place: a repeated weight row, not a block
        return None
    return start, start + rows * width, order


def _layer_group(out: Array | list[int] | slice, start: int, end: int, row: Array | array,
                 needs: Array | tuple[bool, bool]) -> tuple[Forward, Backward | None]:
    """The steps of a `LayerGroup`."""
    group = LayerGroup(out, start, end, row, needs)
    return group.forward, (group.backward if group.weights_need or group.inputs_need else None)


def _expression_group(op: Op, out: Array, args: Array, needs: Array) -> tuple[Forward, Backward | None]:
    """The steps of an `ExpressionGroup`."""
    group = ExpressionGroup(op, out, args, needs)
    return group.forward, (group.backward if group.partials else None)


