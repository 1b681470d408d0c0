"""Source code for a recorded graph: forward, branch checks and backward as Python.

Every line pastes an op's own expression from `autograd.ops` with its input
names replaced by the variables holding them: ``v12 = tanh(v9)``, then in the
backward part ``gv9 = gv12 * (1.0 - v12 * v12)``. Gradients are only
computed towards nodes that lead to a parameter. The code is generated from
the flat tables of `graph.Graph`, never from the recorded Values.

Each op's expressions are cut once (per op and number of inputs) into text
and holes (`template`); filling a node's line is then one join over its
parents' names, so generating a wide dot node costs time linear in its width.

``matmul_groups`` adds one rewrite: the `dot` nodes that read the same inputs
with parameter weights (a layer's neurons, a recurrent cell's gates at one
time step) are evaluated together as one matrix-vector product, and their
backward pass as one more, with the weight gradients of every group that
uses the same weight table summed by a single matrix product at the end. On
one sample (`Tape` with numpy) the products run on vectors; in batch mode on
arrays holding every sample (where every dot group is a product: a line per
weight on arrays always costs more). A second rewrite follows from it: the
nodes applying one op to the rows of such a product (a layer's ``tanh``, an
LSTM's ``f * c + i * g``) form a vector group (`blocks`), pasted once with
arrays for its inputs, forward and backward; its rows feed the next product
as they are. A block's gradient is an array that later blocks add into.
A node reducing many rows of one block to a number (a cross-entropy's
``logsumexp`` of a layer's logits, a sum, the ``largest`` node finding a
softmax's shift) is one call on those rows, with one finiteness check
(`row_reductions`); so is, on one sample, a balanced tree of ``maximum``
nodes over them (`blocks.largest_trees`), and the shifted logits ``z_i - m`` are one vector
group reading that scalar. Everything else stays one line per
node. Last, on one sample, lines that repeat (a recurrent model's time steps,
forward and backward) are rolled into ``for`` loops (`loops`, `ROLL_LOOPS`).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from ..op import Op, input_names, is_wide, wide_helper
from ..ops import DOT
from ..value import Value
from .blocks import ARRAY_HELPER_PREFIX, largest_trees, row_selection, vector_groups
from .chunks import split_into_chunks
from .graph import Graph
from .loops import roll_loops
from .row_reductions import ROW_GRADIENTS, ROW_REDUCTIONS

#: A group of dot nodes becomes matrix products only when it holds at least this many weights: below, the
#: numpy calls cost more than the scalar lines they replace.
MIN_GROUP_WEIGHTS = 32

#: On one sample, a vector group (or a sum over a block's rows) needs at least this many members: below,
#: numpy's per-call cost exceeds the float lines it replaces (CharModel T25 compiled, 2 cores: 8 made the
#: hidden-8 LSTM 15% slower than 16 did, and changed nothing at hidden 16 and 32). In batch mode every line
#: is an array op already, so two members are enough.
VECTOR_MIN_MEMBERS = 16

#: The softmax family's shift over a layer's logits (a ``largest`` node, the shifted logits ``z_i - m``, their
#: logsumexp) is one array op each from this many logits on, on one sample: its scalar lines' order depends
#: on the target class (the loss reads one shifted logit), so as scalar lines a recurrent model's time steps
#: would differ and not roll into a loop (`loops`).
SHIFT_MIN_MEMBERS = 4

#: The reductions over a layer's logits that `SHIFT_MIN_MEMBERS` applies to: the shift and the logsumexp.
_SHIFT_OPS = frozenset({"largest", "logsumexp"})

#: Whether a one-sample vectorized tape's repeated lines (a recurrent model's time steps) are rolled into
#: ``for`` loops (`loops`): bit-identical results, a source a time step long instead of a sequence long.
ROLL_LOOPS = True

# An expression cut around its variable uses: the texts between them, and per hole the parent's position
# (-1 for ``out``, the node's own value).
Template = tuple[tuple[str, ...], tuple[int, ...]]


@dataclass
class TapeSource:
    """Generated source and the constant index tables it refers to by name."""

    text: str
    tables: dict[str, list[Any]]  # weight tables (rows of parameter numbers) and row index lists


@cache
def forward_template(op: Op, n: int, helper_prefix: str = "") -> Template:
    """``op``'s forward expression for ``n`` inputs, cut into text and holes (helpers renamed with the prefix)."""
    return _template(op.forward_code_for(n), n, helper_prefix)


@cache
def partial_templates(op: Op, n: int, helper_prefix: str = "") -> tuple[Template, ...]:
    """``op``'s local derivative expressions for ``n`` inputs, each cut into text and holes.

    An n-ary op's expressions are most often one expression with the input's own name changing (logsumexp's
    ``exp(x7 - out)``): the first is parsed, and each other one whose text is the first's with its own input's
    name where the first has ``x0`` is cut the same way without a parse of its own (the same text around names
    parses to the same tree), so 20,000 of them cost string compares, not 20,000 parses."""
    codes = op.derivative_code_for(n)
    if n <= 2 or not codes:
        return tuple(_template(code, n, helper_prefix) for code in codes)
    names = list(_positions(n))  # the input names in order (then "out"), listed once per width
    texts, holes = _split(codes[0])
    templates = []
    for i, code in enumerate(codes):
        own = tuple(names[i] if h == names[0] else h for h in holes)
        if "".join(part for pair in zip(texts, (*own, "")) for part in pair) == code:
            templates.append(_cut(texts, own, n, helper_prefix))
        else:
            templates.append(_template(code, n, helper_prefix))
    return tuple(templates)


def _template(expression: str, n: int, helper_prefix: str = "") -> Template:
    texts, holes = _split(expression)
    return _cut(texts, holes, n, helper_prefix)


def _cut(texts: Sequence[str], holes: Sequence[str], n: int, helper_prefix: str) -> Template:
    """A template from an expression's `_split`: the inputs' and ``out``'s uses are holes, helpers' names text."""
    position = _positions(n)
    kept_texts, kept_holes = [texts[0]], []
    for name, text in zip(holes, texts[1:]):
        if name in position:
            kept_holes.append(position[name])
            kept_texts.append(text)
        else:  # a helper's name: part of the text
            kept_texts[-1] += helper_prefix + name + text
    return tuple(kept_texts), tuple(kept_holes)


@lru_cache(maxsize=64)
def _positions(n: int) -> dict[str, int]:
    """Each input name's position for ``n`` inputs, and -1 for ``out`` (built once per width: a wide dot has
    one partial per input, and rebuilding this per partial made its generation quadratic)."""
    position = {name: k for k, name in enumerate(input_names(n))}
    position["out"] = -1
    return position


@lru_cache(maxsize=4096)
def _split(expression: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The expression cut around each variable use: the text between them, and the names used.

    Found by parsing, so only real variable uses count: not an attribute,
    keyword or string that happens to be spelled ``a`` or ``out``.
    """
    source = expression.encode()  # ast column offsets count UTF-8 bytes
    uses = sorted(
        (node.col_offset, node.end_col_offset or node.col_offset, node.id)
        for node in ast.walk(ast.parse(expression, mode="eval"))
        if isinstance(node, ast.Name)
    )
    texts, holes, start = [], [], 0
    for begin, end, name in uses:
        texts.append(source[start:begin].decode())
        holes.append(name)
        start = end
    texts.append(source[start:].decode())
    return tuple(texts), tuple(holes)


def fill_template(template: Template, args: Sequence[str], out: str) -> str:
    """A template with its holes replaced by the parents' variables (``args``) and the node's own (``out``)."""
    texts, holes = template
    if not holes:
        return texts[0]
    parts = [texts[0]]
    for hole, text in zip(holes, texts[1:]):
        parts.append(out if hole < 0 else args[hole])
        parts.append(text)
    return "".join(parts)


def fill(expression: str, v: Value, slot: dict[Value, str]) -> str:
    """An op expression with its input names (and ``out``) replaced by the variables holding ``v``'s parents."""
    return fill_template(_template(expression, len(v.parents)), [slot[p] for p in v.parents], slot[v])


def dot_groups(graph: Graph, names: Sequence[str], min_weights: int, min_members: int = 2) -> list[list[int]]:
    """dot nodes sharing one input list, all weights parameters: one matrix product each."""
    is_param = param_flags(graph)
    groups: dict[tuple[str, ...], list[int]] = {}
    name = names.__getitem__
    for n, op in enumerate(graph.ops):
        if op is not DOT:
            continue
        args = graph.args(n)
        half = len(args) // 2
        if half and all(map(is_param.__getitem__, args[:half])):
            # Names, not nodes: constants made from the same number (the bias input 1.0) are the same input.
            groups.setdefault(tuple(map(name, args[half:])), []).append(n)
    return [m for key, m in groups.items() if len(m) >= min_members and len(m) * len(key) >= min_weights]


def param_flags(graph: Graph) -> bytearray:
    """Per node, 1 if it is a parameter (set by slices when the parameters were numbered in bulk)."""
    flags = bytearray(len(graph))
    params = graph.params
    if isinstance(params, range):
        flags[params.start: params.stop] = b"\x01" * len(params)
    else:
        for p in params:
            if p >= 0:
                flags[p] = 1
    return flags


def param_positions(graph: Graph) -> dict[int, int]:
    """Per parameter node, its position among the parameters (one C-level pass when numbered in bulk)."""
    params = graph.params
    if isinstance(params, range):
        return dict(zip(params, range(len(params))))
    return {p: k for k, p in enumerate(params) if p >= 0}


def generate(
    graph: Graph,
    guards: Sequence[tuple[str, str, str, bool]],
    matmul_groups: bool = False,
    batch: bool = False,
    min_weights: int = MIN_GROUP_WEIGHTS,
    per_sample: bool = False,
) -> TapeSource:
    """``run(inputs, params) -> (loss, gradients, outputs)``.

    With ``matmul_groups`` on one sample, the gradients come back as one list
    already complete. In batch mode a fourth item holds the gradients summed
    over samples (``per_sample``: one row per parameter, one column per
    sample), and the second is None: every gradient is in that array.
    Batch mode groups every dot group (matrix products on arrays of samples
    always beat one line per weight) and adds vector groups (`blocks`).
    """
    writer = _Writer(graph, guards, matmul_groups, batch, min_weights, per_sample)
    text = split_into_chunks(writer.write())
    if ROLL_LOOPS and writer.blocks and not batch:
        text = roll_loops(text)
    return TapeSource(text, writer.tables)


class _Writer:
    """Writes one tape's source, line by line (state shared by the forward and backward parts).

    With matmul groups, some nodes are rows of a *block*: a dot group (block
    ``b`` holds its inputs in ``Xb``, its values in ``Yb``) or a vector group
    (`blocks.VectorGroup`, values in ``Yb``). A block's gradient is the array
    ``Gb``: array terms from later blocks are added to it as they come, and
    gradients that scalar lines gave single members (``gv12``) are added in
    when the block's own backward runs. ``grad_state`` says whether ``Gb``
    exists yet, and whether it may share memory with another array (then it
    is copied before any in-place update).
    """

    def __init__(
        self,
        graph: Graph,
        guards: Sequence[tuple[str, str, str, bool]],
        matmul: bool,
        batch: bool,
        min_weights: int,
        per_sample: bool = False,
    ) -> None:
        self.graph = graph
        self.guards = guards
        self.batch = batch
        self.per_sample = batch and per_sample  # gradients kept per sample: ``summed`` is (parameters, N)
        self.names = graph.names()
        self.needs = graph.needs  # 1 where a node leads to a parameter (found by the graph walk)
        self.param_index = param_positions(graph)
        self.groups = (dot_groups(graph, self.names, 1 if batch else min_weights, 1 if batch else 2)
                       if matmul else [])
        for members in self.groups:  # rows in parameter order: a layer's weights are then one slice of them
            members.sort(key=lambda m: self.param_index[graph.args(m)[0]])
        # On one sample, the trees of maximum nodes finding a softmax's shift: one call when over a block's rows.
        trees = largest_trees(graph, self._named_nodes(), SHIFT_MIN_MEMBERS) if matmul and not batch else []
        tree_nodes = {n for tree in trees for n in (tree.root, *tree.inner)}
        if matmul and not batch:  # a ``largest`` node (the shift) likewise stays scalar, read by ``z_i - m`` as one
            tree_nodes.update(n for n, op in enumerate(graph.ops) if op is not None and op.name == "largest")
        if matmul:  # a wide node's partials come from one call (`_wide_backward`), never pasted as array expressions
            starts = graph.starts
            tree_nodes.update(n for n, op in enumerate(graph.ops)
                              if op is not None and is_wide(op, starts[n + 1] - starts[n]))
        self.vgroups = (vector_groups(graph, self.names, self.groups, 2 if batch else VECTOR_MIN_MEMBERS,
                                      tree_nodes, 2 if batch else SHIFT_MIN_MEMBERS) if matmul else [])
        # On one sample, the scalar lines call the float helpers; array expressions call the numpy versions,
        # which the vectorized tape's namespace holds under this prefix (batch mode has only numpy ones).
        self.helper_prefix = "" if batch else ARRAY_HELPER_PREFIX
        self.blocks: list[list[int]] = [*self.groups, *(g.members for g in self.vgroups)]
        self.row_of = {m: (b, r) for b, members in enumerate(self.blocks) for r, m in enumerate(members)}
        self.first_of = {min(members): b for b, members in enumerate(self.blocks)}
        self.grad_state = [_NO_GRADIENT] * len(self.blocks)
        self.arg_texts: dict[int, list[str]] = {}  # per vector block, the arrays its expression reads
        self.lines: list[str] = []
        self.tables: dict[str, list[Any]] = {}
        self.table_by_content: dict[tuple[int, ...], str] = {}
        self.fresh = len(self.blocks)  # numbers for further arrays (``X<n>``), after the blocks' own
        self.has_grad = bytearray(len(graph))
        # One sample, vectorized: the list summing parameters' scalar gradient terms (see `_add`), and per such
        # parameter its slot; the list's line is written where the backward part starts.
        self.loose_sums: str | None = None
        self.loose_slot: dict[int, int] = {}
        self.loose_line = -1
        self.table_of: list[str] = []  # per dot group, the name of its weight table (shared between equal tables)
        self.span_of: dict[str, tuple[int, int, int]] = {}  # weight tables that are consecutive parameters
        # On one sample, nodes reducing many rows of one block (a cross-entropy's logsumexp): block and rows;
        # the `largest` trees' roots over one block's rows likewise, and their inner nodes, never written.
        self.row_reductions = {} if batch else self._row_reductions()
        self.largest: dict[int, tuple[int, list[int]]] = {}
        self.unwritten: set[int] = set()
        for tree in trees:
            where = [self.row_of.get(leaf) for leaf in tree.leaves]
            block = where[0][0] if where[0] is not None else -1
            if all(w is not None and w[0] == block and self.needs[leaf] == self.needs[tree.root]
                   for w, leaf in zip(where, tree.leaves)):
                self.largest[tree.root] = (block, [w[1] for w in where if w is not None])
                self.unwritten.update(tree.inner)
        self.read_by_name = self._read_by_name()

    def _row_reductions(self) -> dict[int, tuple[int, list[int]]]:
        """The scalar nodes written as one call on a block's rows (`row_reductions`): a logsumexp or sum of at
        least `VECTOR_MIN_MEMBERS` rows of one block, whose gradient, if any, `_reduction_backward` takes as
        one array term too (every row needs it), so no line reads a row by its own name."""
        graph, row_of, needs = self.graph, self.row_of, self.needs
        found: dict[int, tuple[int, list[int]]] = {}
        if not row_of:
            return found
        for n, op in enumerate(graph.ops):
            if op is None or op.name not in ROW_REDUCTIONS or op.constant_args or n in row_of:
                continue
            args = graph.args(n)
            if len(args) < (SHIFT_MIN_MEMBERS if op.name in _SHIFT_OPS else VECTOR_MIN_MEMBERS):
                continue
            first = row_of.get(args[0])
            if first is None:
                continue
            rows = []
            for p in args:
                where = row_of.get(p)
                if where is None or where[0] != first[0] or needs[p] != needs[n]:
                    break
                rows.append(where[1])
            else:
                found[n] = (first[0], rows)
        return found

    def _named_nodes(self) -> set[int]:
        """The op nodes that branch checks and outputs read by name."""
        named = {n for n in self.graph.outputs if n >= 0}
        for left, _, right, _ in self.guards:
            named.update(int(side[1:]) for side in (left, right) if _NODE_NAME.fullmatch(side))
        return named

    def _read_by_name(self) -> set[int]:
        """Block members some scalar line, branch check, output or the return reads by their own name."""
        graph, row_of = self.graph, self.row_of
        read: set[int] = set()
        if not row_of:
            return read
        by_rows = self.row_reductions.keys() | self.largest.keys() | self.unwritten
        for n, op in enumerate(graph.ops):
            if op is not None and n not in row_of and n not in by_rows:
                read.update(p for p in graph.args(n) if p in row_of)
        for left, _, right, _ in self.guards:
            read.update(int(side[1:]) for side in (left, right) if _NODE_NAME.fullmatch(side))
        read.update(n for n in graph.outputs if n >= 0)
        read.add(len(graph) - 1)
        return read & row_of.keys()

    def _params_read(self) -> list[int]:
        """The parameters (by position) that generated code reads by name."""
        graph, row_of = self.graph, self.row_of
        if not row_of:
            return list(range(len(graph.params)))
        read: set[int] = set()
        for n, op in enumerate(graph.ops):
            if op is None:
                continue
            args = graph.args(n)
            if n in row_of:
                if n in self.first_of and self.first_of[n] < len(self.groups):
                    read.update(args[len(args) // 2:])  # a product's inputs (its weights are read as P)
            else:
                read.update(args)
        for left, _, right, _ in self.guards:
            read.update(graph.params[int(side[1:])] for side in (left, right) if _PARAM_NAME.fullmatch(side))
        params = graph.params
        if isinstance(params, range):  # numbered in bulk: positions by arithmetic, not a pass over every weight
            return sorted(p - params.start for p in read if params.start <= p < params.stop)
        return [k for k, p in enumerate(params) if p in read]

    def write(self) -> str:
        graph, lines, names = self.graph, self.lines, self.names
        lines.append("def run(inputs, params):")
        if graph.inputs:
            lines.append(f"    {''.join(f'i{k}, ' for k in range(len(graph.inputs)))}= inputs")
        if graph.params:
            used = self._params_read()
            if len(used) > len(graph.params) // 2:
                lines.append(f"    {''.join(f'p{k}, ' for k in range(len(graph.params)))}= params")
            else:  # a vectorized tape reads most parameters as arrays: name only those scalar code reads
                lines.extend(f"    p{k} = params[{k}]" for k in used)
        if self.blocks:
            self._weight_tables()
        ops, starts, parents, row_of, first_of = graph.ops, graph.starts, graph.parents, self.row_of, self.first_of
        for n, op in enumerate(ops):
            if op is None:
                continue
            if n in row_of:
                if n in first_of:
                    b = first_of[n]
                    if b < len(self.groups):
                        self._group_forward(b)
                    else:
                        self._vector_forward(b)
                continue
            if n in self.row_reductions:
                self._reduction_forward(n, op)
                continue
            if n in self.largest or n in self.unwritten:
                if n in self.largest:
                    self._largest_forward(n, op)
                continue
            args = [names[p] for p in parents[starts[n]: starts[n + 1]]]
            lines.append(f"    {names[n]} = {fill_template(forward_template(op, len(args)), args, names[n])}")
            if not op.propagates_non_finite:
                self._check_finite(op, args, arrays=self.batch)
        self._guards()
        self._backward()
        return "\n".join(lines) + "\n"

    # --- tables and selections ----------------------------------------------------------------------------

    def _table(self, index: Sequence[int], prefix: str) -> str:
        """The name of a constant index table holding ``index`` (one table per distinct content)."""
        key = (ord(prefix), *index)
        name = self.table_by_content.get(key)
        if name is None:
            name = self.table_by_content[key] = f"{prefix}{len(self.table_by_content)}"
            self.tables[name] = list(index)
        return name

    def _rows(self, array: str, index: Sequence[int], size: int) -> str:
        """``array``'s rows ``index`` (of ``size``): itself, a slice (a view), or gathered by an index table."""
        selection = row_selection(index, size)
        return array + (selection if selection is not None else f"[{self._table(index, 'R')}]")

    def _add_weights(self, table: str, gradient: str) -> str:
        """The line adding a weight table's gradient matrix into ``summed``."""
        span = self.span_of.get(table)
        if span is None:
            return f"add_at(summed, {table}, {gradient})"
        start, rows, columns = span
        flat = f".reshape({rows * columns}, N)" if self.per_sample else ".ravel()"
        return f"summed[{start}:{start + rows * columns}] += ({gradient}){flat}"

    def _new_array(self) -> str:
        self.fresh += 1
        return f"X{self.fresh - 1}"

    def _weight_tables(self) -> None:
        """One gathered weight matrix per distinct table (an RNN reuses one at every time step)."""
        by_content: dict[tuple[tuple[int, ...], ...], str] = {}
        for members in self.groups:
            half = len(self.graph.args(members[0])) // 2
            position = self.param_index.__getitem__
            table = tuple(tuple(map(position, self.graph.args(m)[:half])) for m in members)
            name = by_content.get(table)
            if name is None:
                name = by_content[table] = f"W{len(by_content)}"
                self.tables[name] = [list(row) for row in table]
            self.table_of.append(name)
        self.lines.append("    P = floats(params)")
        if self.batch:
            self.lines.append("    N = batch_size(inputs)")
        shape = f"({len(self.graph.params)}, N)" if self.per_sample else f"{len(self.graph.params)}"
        self.lines.append(f"    summed = zeros({shape})")
        for name in dict.fromkeys(self.table_of):
            span = _span(self.tables[name])
            if span is not None:
                self.span_of[name] = span
                del self.tables[name]  # read as a slice of P (and added to by one): the code never names the table
                start, rows, columns = span
                self.lines.append(f"    M{name} = P[{start}:{start + rows * columns}].reshape({rows}, {columns})")
            else:
                self.lines.append(f"    M{name} = P[{name}]")
            if not self.batch:
                self.lines.append(f"    X{name} = []")
                self.lines.append(f"    G{name} = []")

    # --- forward --------------------------------------------------------------------------------------------

    def _stacked(self, nodes: Sequence[int]) -> str:
        """An array whose rows are ``nodes``' values: runs of one block's rows are taken as slices of it."""
        names, row_of, blocks = self.names, self.row_of, self.blocks
        if not any(x in row_of for x in nodes):
            if self.batch:
                return f"stack_rows(({''.join(names[x] + ', ' for x in nodes)}), N)"
            return f"asarray(({''.join(names[x] + ', ' for x in nodes)}))"
        pieces: list[tuple[int, list[int]]] = []  # (block or -1, rows or nodes)
        for x in nodes:
            b, r = row_of.get(x, (-1, x))
            if pieces and pieces[-1][0] == b and (b < 0 or _extends(pieces[-1][1], r)):
                pieces[-1][1].append(r)
            else:
                pieces.append((b, [r]))
        if len(pieces) == 1 and pieces[0][0] >= 0 and row_selection(pieces[0][1], len(blocks[pieces[0][0]])) == "":
            return f"Y{pieces[0][0]}"  # exactly one block's rows in order: no copy at all
        parts: list[str] = []
        for b, rows in pieces:
            if b < 0:
                parts.extend(f"({names[x]}, 1), " for x in rows)
            else:
                parts.append(f"({self._rows(f'Y{b}', rows, len(blocks[b]))}, {len(rows)}), ")
        return f"stack_pieces({'N' if self.batch else 0}, ({''.join(parts)}))"

    def _member_names(self, b: int) -> None:
        """Scalar names for the members of block ``b`` that scalar code reads."""
        members, names = self.blocks[b], self.names
        wanted = [r for r, m in enumerate(members) if m in self.read_by_name]
        if not wanted:
            return
        if self.batch:
            self.lines.extend(f"    {names[members[r]]} = Y{b}[{r}]" for r in wanted)
        elif 4 * len(wanted) < len(members):  # a few rows (a cross-entropy's target logit): picked one by one
            self.lines.extend(f"    {names[members[r]]} = Y{b}.item({r})" for r in wanted)
        else:
            self.lines.append(f"    {''.join(names[m] + ', ' for m in members)}= Y{b}.tolist()")

    def _group_forward(self, k: int) -> None:
        members, table = self.groups[k], self.table_of[k]
        xs = self.graph.args(members[0])[len(self.graph.args(members[0])) // 2:]
        self.lines.append(f"    X{k} = {self._stacked(xs)}")
        if not self.batch:
            self.lines.append(f"    X{table}.append(X{k})")
        self.lines.append(f"    Y{k} = M{table} @ X{k}")
        self._member_names(k)

    def _vector_forward(self, b: int) -> None:
        group = self.vgroups[b - len(self.groups)]
        texts = []
        for (kind, source), rows in zip(group.kinds, group.rows):
            if kind == "B":
                assert isinstance(source, int)
                texts.append(self._rows(f"Y{source}", rows, len(self.blocks[source])))
            elif kind == "S":
                texts.append(self.names[int(source)])
            elif kind == "P":
                name = self._new_array()
                column = "[:, None]" if self.batch else ""  # one value per row, the same for every sample
                self.lines.append(f"    {name} = {self._rows('P', rows, len(self.graph.params))}{column}")
                texts.append(name)
            else:
                texts.append(str(source))
        self.arg_texts[b] = texts
        op = self.graph.ops[group.members[0]]
        assert op is not None
        template = forward_template(op, len(texts), self.helper_prefix)
        self.lines.append(f"    Y{b} = {fill_template(template, texts, f'Y{b}')}")
        if not op.propagates_non_finite:
            self._check_finite(op, [t for (kind, _), t in zip(group.kinds, texts) if kind in ("B", "S")], arrays=True)
        self._member_names(b)

    def _reduction_forward(self, n: int, op: Op) -> None:
        """Node ``n`` reducing rows of one block: one call on them, one finiteness check of its result."""
        b, rows = self.row_reductions[n]
        selected = self._rows(f"Y{b}", rows, len(self.blocks[b]))
        if "[R" in selected:  # gathered by an index table: once, not once per use
            gathered = self._new_array()
            self.lines.append(f"    {gathered} = {selected}")
            selected = gathered
        self.lines.append(f"    {self.names[n]} = {ROW_REDUCTIONS[op.name]}({selected})")
        if not op.propagates_non_finite:  # NaN if a row is not finite (see `row_reductions`)
            self._check_finite(op, [self.names[n]], arrays=False)

    def _largest_forward(self, n: int, op: Op) -> None:
        """Node ``n``, the root of a `largest` tree over rows of one block: one call (`rows_largest`), one check."""
        b, rows = self.largest[n]
        self.lines.append(f"    {self.names[n]} = rows_largest({self._rows(f'Y{b}', rows, len(self.blocks[b]))})")
        self._check_finite(op, [self.names[n]], arrays=False)  # NaN if a row is not finite

    def _check_finite(self, op: Op, args: Sequence[str], arrays: bool) -> None:
        """Lines refusing a non-finite input of ``op`` (one that may hide it: see `Op`'s ``propagates_non_finite``)."""
        for text in dict.fromkeys(args):
            if text.startswith("("):  # a baked-in constant: finite by construction (`tape.literal`)
                continue
            test = f"nonfinite({text})" if arrays else f"{text} - {text}"  # x - x: 0.0, or NaN (truthy)
            self.lines.append(f"    if {test}: overflowed({op.name!r})")

    def _guards(self) -> None:
        for k, (left, op, right, result) in enumerate(self.guards):
            if self.batch:  # arrays of samples: every sample is tested, the first that differs is named
                self.lines.append(f"    batch_branch_check({k}, ({left} {op} {right}), {result})")
            else:
                self.lines.append(f"    if {'not ' if result else ''}({left} {op} {right}): branch_changed({k})")

    # --- backward -------------------------------------------------------------------------------------------

    def _add(self, p: int, term: str) -> None:
        if self.loose_sums is not None and p in self.param_index:
            # One sample, vectorized: a parameter's scalar gradient terms go into one list of floats (``X<n>``,
            # added into ``summed`` at the end), each with ``+=``. Which parameter a time step updates may differ
            # per step (the weight column its input character picks): list slots, unlike ``gp12 = ...`` then
            # ``gp12 += ...``, roll into a loop (`loops`). The sums are the same floats (0.0 + t == t).
            slot = self.loose_slot.setdefault(p, len(self.loose_slot))
            self.has_grad[p] = 1
            self.lines.append(f"    {self.loose_sums}[{slot}] += {term}")
            return
        if self.has_grad[p]:
            # Never ``+=`` on arrays: the gradient may be the very array another node's gradient is.
            self.lines.append(f"    g{self.names[p]} = g{self.names[p]} + {term}" if self.batch
                              else f"    g{self.names[p]} += {term}")
        else:
            self.has_grad[p] = 1
            self.lines.append(f"    g{self.names[p]} = {term}")

    def _add_rows(self, b: int, rows: Sequence[int], term: str, fresh: bool) -> None:
        """Add the array ``term`` to rows ``rows`` of block ``b``'s gradient (``fresh``: term is a new array)."""
        size, lines, state = len(self.blocks[b]), self.lines, self.grad_state[b]
        selection = row_selection(rows, size)
        if selection == "":
            if state == _NO_GRADIENT:
                lines.append(f"    G{b} = {term}")
                self.grad_state[b] = _OWNED if fresh else _SHARED
            else:
                lines.append(f"    G{b} = G{b} + {term}")
                self.grad_state[b] = _OWNED
            return
        self._own(b)
        if len(set(rows)) < len(rows):  # a row added to more than once: only add.at accumulates repeats
            lines.append(f"    add_at(G{b}, {self._table(rows, 'R')}, {term})")
        else:
            lines.append(f"    {self._rows(f'G{b}', rows, size)} += {term}")

    def _own(self, b: int) -> None:
        """Make ``Gb`` an array of its own (zeros if there is none yet), safe to update in place."""
        state = self.grad_state[b]
        if state == _NO_GRADIENT:
            shape = f"({len(self.blocks[b])}, N)" if self.batch else f"{len(self.blocks[b])}"
            self.lines.append(f"    G{b} = zeros({shape})")
        elif state == _SHARED:
            self.lines.append(f"    G{b} = G{b}.copy()")
        self.grad_state[b] = _OWNED

    def _block_gradient(self, b: int) -> bool:
        """Complete ``Gb`` with the members' scalar gradients; False if no gradient reaches block ``b``."""
        members, names = self.blocks[b], self.names
        scalars = [r for r, m in enumerate(members) if self.has_grad[m]]
        if self.grad_state[b] == _NO_GRADIENT:
            if not scalars:
                return False
            rows = "".join(("g" + names[m] if self.has_grad[m] else "0.0") + ", " for m in members)
            stacked = f"stack_rows(({rows}), N)" if self.batch else f"asarray(({rows}))"
            self.lines.append(f"    G{b} = {stacked}")
            self.grad_state[b] = _OWNED
            return True
        if scalars:
            self._own(b)
            self.lines.extend(f"    G{b}[{r}] += g{names[members[r]]}" for r in scalars)
        return True

    def _backward(self) -> None:
        graph, names, needs, has_grad, lines = self.graph, self.names, self.needs, self.has_grad, self.lines
        root = len(graph) - 1
        if self.blocks and not self.batch:
            self.loose_sums = self._new_array()
            self.loose_line = len(lines)
            lines.append("")  # the list's line, once its length is known (`_finish`)
        if needs[root]:
            has_grad[root] = 1
            lines.append(f"    g{names[root]} = 1.0")
        ops, starts, parents, row_of, first_of = graph.ops, graph.starts, graph.parents, self.row_of, self.first_of
        for n in range(root, -1, -1):
            op = ops[n]
            if op is None:
                continue
            if n in row_of:
                if n in first_of:  # the block's earliest member: every member's gradient is final now
                    b = first_of[n]
                    if b < len(self.groups):
                        self._group_backward(b)
                    else:
                        self._vector_backward(b)
                continue
            if not has_grad[n]:
                continue
            g = "g" + names[n]
            if n in self.largest:
                b, rows = self.largest[n]
                selected = self._rows(f"Y{b}", rows, len(self.blocks[b]))
                self._add_rows(b, rows, f"rows_largest_grad({selected}, {g})", fresh=True)
                continue
            if n in self.row_reductions and op.name in ROW_GRADIENTS:  # a row's largest: one call, as its value
                b, rows = self.row_reductions[n]
                selected = self._rows(f"Y{b}", rows, len(self.blocks[b]))
                self._add_rows(b, rows, f"{ROW_GRADIENTS[op.name]}({selected}, {g})", fresh=True)
                continue
            args_nodes = parents[starts[n]: starts[n + 1]]
            if row_of and self._reduction_backward(n, args_nodes):
                continue
            count = len(args_nodes)
            args = [names[p] for p in args_nodes]
            wide = wide_helper(op, count)
            if wide is not None:  # all partials from one call (largest's tie count): O(n) source, not O(n^2)
                self._wide_backward(n, wide, args_nodes, args)
                continue
            partials = partial_templates(op, count)
            for i in range(count - op.constant_args):
                p = args_nodes[i]
                if needs[p]:
                    local = fill_template(partials[i], args, names[n])
                    self._add(p, g if local == "1.0" else f"{g} * ({local})")
        self._finish()

    def _wide_backward(self, n: int, wide: str, args_nodes: Sequence[int], args: Sequence[str]) -> None:
        """Node ``n``'s gradient to its wanted parents from one call of its op's wide derivative (`op.wide_helper`):
        ``D = helper(out, x0, ..., xn)``, then ``g * D[j]`` per parent, the eager engine's own arithmetic."""
        op = self.graph.ops[n]
        assert op is not None
        wanted = [i for i in range(len(args_nodes) - op.constant_args) if self.needs[args_nodes[i]]]
        if not wanted:
            return
        partials = self._new_array()
        self.lines.append(f"    {partials} = {wide}({', '.join([self.names[n], *args])})")
        g = "g" + self.names[n]
        for i in wanted:
            self._add(args_nodes[i], f"{g} * {partials}[{i}]")

    def _reduction_backward(self, n: int, args_nodes: Sequence[int]) -> bool:
        """A node reading many rows of one block (a sum, a ``logsumexp`` over a layer's outputs) whose partials
        are one expression with only the input's own name changing (``exp(x3 - out)``): its gradient to those
        rows as one array term. False (nothing written) when the node is not of that kind."""
        op, names = self.graph.ops[n], self.names
        assert op is not None
        count = len(args_nodes) - op.constant_args
        if is_wide(op, len(args_nodes)):  # partials naming every input: never one expression per row
            return False
        if count < (4 if self.batch else SHIFT_MIN_MEMBERS if op.name in _SHIFT_OPS else VECTOR_MIN_MEMBERS):
            return False
        first = self.row_of.get(args_nodes[0])
        if first is None:
            return False
        rows = []
        for p in args_nodes[:count]:
            where = self.row_of.get(p)
            if where is None or where[0] != first[0] or not self.needs[p]:
                return False
            rows.append(where[1])
        partials = partial_templates(op, len(args_nodes), self.helper_prefix)
        texts, holes = partials[0]
        if any(0 < h < count for h in holes):
            return False  # the partial reads another input than its own
        for i in range(1, count):
            if partials[i] != (texts, tuple(i if h == 0 else h for h in holes)):
                return False
        b = first[0]
        selected = self._rows(f"Y{b}", rows, len(self.blocks[b]))
        local = fill_template(partials[0], [selected, *(names[p] for p in args_nodes[1:])], names[n])
        g = "g" + names[n]
        term = f"{g} * ({local})" if 0 in holes else f"like_rows({g} * ({local}), {selected})"
        self._add_rows(b, rows, term, fresh=True)
        return True

    def _group_backward(self, k: int) -> None:
        """dW = dY x^T (summed over time steps, or samples, by one product at the end); dx = W^T dY."""
        members, table, lines = self.groups[k], self.table_of[k], self.lines
        if not self._block_gradient(k):
            if self.batch:
                return  # nothing flows back through this product
            lines.append(f"    G{k} = zeros({len(members)})")  # keeps the time steps' (x, dY) pairs in step
        if self.per_sample:  # dW per sample: the outer product of dY and x in every column
            lines.append(f"    {self._add_weights(table, f'G{k}[:, None, :] * X{k}[None, :, :]')}")
        elif self.batch:
            lines.append(f"    {self._add_weights(table, f'G{k} @ X{k}.T')}")
        else:
            lines.append(f"    G{table}.append(G{k})")
        args = self.graph.args(members[0])
        xs = args[len(args) // 2:]
        wanted = [i for i, x in enumerate(xs) if self.needs[x]]
        if not wanted:
            return
        lines.append(f"    D{k} = M{table}.T @ G{k}" if self.batch else f"    D{k} = G{k} @ M{table}")
        by_block: dict[int, tuple[list[int], list[int]]] = {}
        scalar = []
        for i in wanted:
            where = self.row_of.get(xs[i])
            if where is None:
                scalar.append(i)
            else:
                positions, rows = by_block.setdefault(where[0], ([], []))
                positions.append(i)
                rows.append(where[1])
        for b, (positions, rows) in by_block.items():
            self._add_rows(b, rows, self._rows(f"D{k}", positions, len(xs)), fresh=False)
        if scalar:
            values = f"D{k}"
            if not self.batch:  # floats for the scalar lines
                values = self._new_array()
                lines.append(f"    {values} = D{k}.tolist()")
            for i in scalar:
                self._add(xs[i], f"{values}[{i}]")

    def _vector_backward(self, b: int) -> None:
        """Each input's gradient as one array: the op's partial, pasted with arrays, times ``Gb``."""
        if not self._block_gradient(b):
            return
        group = self.vgroups[b - len(self.groups)]
        op = self.graph.ops[group.members[0]]
        assert op is not None
        texts = self.arg_texts[b]
        partials = partial_templates(op, len(texts), self.helper_prefix)
        for i in range(len(texts) - op.constant_args):
            kind, source = group.kinds[i]
            rows = group.rows[i]
            if kind == "L" or (kind == "B" and not any(self.needs[self.blocks[int(source)][r]] for r in rows)):
                continue
            local = fill_template(partials[i], texts, f"Y{b}")
            term = f"G{b}" if local == "1.0" else f"G{b} * ({local})"
            if kind == "B":
                self._add_rows(int(source), rows, term, fresh=local != "1.0")
                continue
            if kind == "S":  # one scalar read by every member: the sum over the rows (per sample)
                if self.needs[int(source)]:
                    self._add(int(source), f"({term}).sum(axis=0)" if self.batch else f"({term}).sum().item()")
                continue
            # A parameter's gradient: summed over samples, unless kept per sample (or there is one sample).
            summed = f"({term}).sum(axis=1)" if self.batch and not self.per_sample else term
            if len(set(rows)) < len(rows):
                self.lines.append(f"    add_at(summed, {self._table(rows, 'R')}, {summed})")
            else:
                self.lines.append(f"    {self._rows('summed', rows, len(self.graph.params))} += {summed}")

    def _finish(self) -> None:
        graph, names, lines = self.graph, self.names, self.lines
        outs = "".join(names[n] + ", " for n in graph.outputs)
        root = names[len(graph) - 1]
        if not self.blocks:
            # A parameter's gradient is its first term as it is and the rest added to it; eager adds every term to a
            # .grad that starts at 0.0, which differs only where all the terms are -0.0 (0.0 + -0.0 is 0.0): one
            # more + 0.0 gives eager's sign of zero and changes no other number.
            grads = "".join(("g" + names[p] + " + 0.0" if p >= 0 and self.has_grad[p] else "0.0") + ", "
                            for p in graph.params)
            lines.append(f"    return {root}, ({grads}), ({outs})")
            return
        # Parameters whose gradient scalar lines computed: added into the array of sums through an index table.
        if self.loose_sums is not None:
            if self.loose_slot:
                lines[self.loose_line] = f"    {self.loose_sums} = [0.0] * {len(self.loose_slot)}"
                index = self._table([self.param_index[p] for p in self.loose_slot], "R")
                lines.append(f"    summed[{index}] += asarray({self.loose_sums})")
            else:
                del lines[self.loose_line]
            loose = []
        else:
            loose = [k for k, p in enumerate(graph.params) if p >= 0 and self.has_grad[p]]
        if loose:
            index = self._table(loose, "R")
            values = "".join(f"g{names[graph.params[k]]}, " for k in loose)
            if self.per_sample:
                lines.append(f"    summed[{index}] += stack_rows(({values}), N)")
            elif self.batch:
                lines.append(f"    add_sample_sums(summed, {index}, ({values}), N)")
            else:
                lines.append(f"    summed[{index}] += asarray(({values}))")
        if not self.batch:
            # The time steps' (x, dY) pairs were collected forward and backward: reverse one list to pair them.
            for table in dict.fromkeys(self.table_of):
                lines.append(f"    G{table}.reverse()")
                lines.append(f"    {self._add_weights(table, f'asarray(G{table}).T @ asarray(X{table})')}")
            lines.append(f"    return {root}, summed.tolist(), ({outs})")
        else:
            lines.append(f"    return {root}, None, ({outs}), summed")


_NO_GRADIENT, _SHARED, _OWNED = 0, 1, 2
_NODE_NAME = re.compile(r"v[0-9]+")
_PARAM_NAME = re.compile(r"p[0-9]+")


def _span(table: list[list[int]]) -> tuple[int, int, int] | None:
    """(first, rows, columns) when a weight table numbers consecutive parameters row by row, else None."""
    start, columns = table[0][0], len(table[0])
    for i, row in enumerate(table):
        base = start + i * columns
        if len(row) != columns or any(w != base + j for j, w in enumerate(row)):
            return None
    return start, len(table), columns


def _extends(rows: list[int], r: int) -> bool:
    """Whether row ``r`` continues the arithmetic run ``rows`` (so the run stays one slice)."""
    if len(rows) == 1:
        return r != rows[0]
    return r - rows[-1] == rows[1] - rows[0]
