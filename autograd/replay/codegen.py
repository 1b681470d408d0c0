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
arrays holding every sample. Everything else stays elementwise.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from ..op import Op, input_names
from ..ops import DOT
from ..value import Value
from .chunks import split_into_chunks
from .graph import Graph

#: A group of dot nodes becomes matrix products only when it holds at least this many weights: below, the
#: numpy calls cost more than the scalar lines they replace.
MIN_GROUP_WEIGHTS = 32

# An expression cut around its variable uses: the texts between them, and per hole the parent's position
# (-1 for ``out``, the node's own value).
Template = tuple[tuple[str, ...], tuple[int, ...]]


@dataclass
class TapeSource:
    """Generated source and the constant index tables it refers to by name."""

    text: str
    tables: dict[str, list[list[int]]]


@cache
def forward_template(op: Op, n: int) -> Template:
    """``op``'s forward expression for ``n`` inputs, cut into text and holes."""
    return _template(op.forward_code_for(n), n)


@cache
def partial_templates(op: Op, n: int) -> tuple[Template, ...]:
    """``op``'s local derivative expressions for ``n`` inputs, each cut into text and holes."""
    return tuple(_template(code, n) for code in op.derivative_code_for(n))


def _template(expression: str, n: int) -> Template:
    position = _positions(n)
    texts, holes = _split(expression)
    kept_texts, kept_holes = [texts[0]], []
    for name, text in zip(holes, texts[1:]):
        if name in position:
            kept_holes.append(position[name])
            kept_texts.append(text)
        else:  # a helper's name: part of the text
            kept_texts[-1] += name + text
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


def needs_gradient(graph: Graph) -> bytearray:
    """Per node, 1 if it has a path to a parameter: the only nodes whose gradient is worth computing."""
    needs = bytearray(len(graph))
    for p in graph.params:
        if p >= 0:
            needs[p] = 1
    starts, parents = graph.starts, graph.parents
    for n, op in enumerate(graph.ops):
        if op is not None:
            for k in range(starts[n], starts[n + 1]):
                if needs[parents[k]]:
                    needs[n] = 1
                    break
    return needs


def dot_groups(graph: Graph, names: Sequence[str], min_weights: int) -> list[list[int]]:
    """dot nodes sharing one input list, all weights parameters: one matrix product each."""
    is_param = bytearray(len(graph))
    for p in graph.params:
        if p >= 0:
            is_param[p] = 1
    groups: dict[tuple[str, ...], list[int]] = {}
    for n, op in enumerate(graph.ops):
        if op is not DOT:
            continue
        args = graph.args(n)
        half = len(args) // 2
        if half and all(is_param[w] for w in args[:half]):
            # Names, not nodes: constants made from the same number (the bias input 1.0) are the same input.
            groups.setdefault(tuple(names[x] for x in args[half:]), []).append(n)
    return [m for key, m in groups.items() if len(m) > 1 and len(m) * len(key) >= min_weights]


def generate(
    graph: Graph,
    guards: Sequence[tuple[str, str, str, bool]],
    matmul_groups: bool = False,
    batch: bool = False,
    min_weights: int = MIN_GROUP_WEIGHTS,
) -> TapeSource:
    """``run(inputs, params) -> (loss, gradients, outputs)``.

    With ``matmul_groups`` on one sample, the gradients come back as one list
    already complete; in batch mode a fourth item holds the weight gradients
    the matrix products summed over samples.
    """
    writer = _Writer(graph, guards, matmul_groups, batch, min_weights)
    return TapeSource(split_into_chunks(writer.write()), writer.tables)


class _Writer:
    """Writes one tape's source, line by line (state shared by the forward and backward parts)."""

    def __init__(
        self, graph: Graph, guards: Sequence[tuple[str, str, str, bool]], matmul: bool, batch: bool, min_weights: int
    ) -> None:
        self.graph = graph
        self.guards = guards
        self.batch = batch
        self.names = graph.names()
        self.needs = needs_gradient(graph)
        self.groups = dot_groups(graph, self.names, min_weights) if matmul else []
        self.lines: list[str] = []
        self.tables: dict[str, list[list[int]]] = {}
        self.has_grad = bytearray(len(graph))
        self.param_index = {p: k for k, p in enumerate(graph.params) if p >= 0}
        self.table_of: list[str] = []  # per group, the name of its weight table (shared between equal tables)

    def write(self) -> str:
        graph, lines, names = self.graph, self.lines, self.names
        lines.append("def run(inputs, params):")
        if graph.inputs:
            lines.append(f"    {''.join(f'i{k}, ' for k in range(len(graph.inputs)))}= inputs")
        if graph.params:
            lines.append(f"    {''.join(f'p{k}, ' for k in range(len(graph.params)))}= params")
        first_of = {members[0]: k for k, members in enumerate(self.groups)}
        grouped = {n for members in self.groups for n in members}
        if self.groups:
            self._weight_tables()
        ops, starts, parents = graph.ops, graph.starts, graph.parents
        for n, op in enumerate(ops):
            if op is None:
                continue
            if n in grouped:
                if n in first_of:
                    self._group_forward(first_of[n])
                continue
            args = [names[p] for p in parents[starts[n]: starts[n + 1]]]
            lines.append(f"    {names[n]} = {fill_template(forward_template(op, len(args)), args, names[n])}")
        self._guards()
        self._backward(first_of, grouped)
        return "\n".join(lines) + "\n"

    def _weight_tables(self) -> None:
        """One gathered weight matrix per distinct table (an RNN reuses one at every time step)."""
        by_content: dict[tuple[tuple[int, ...], ...], str] = {}
        for members in self.groups:
            half = len(self.graph.args(members[0])) // 2
            table = tuple(tuple(self.param_index[w] for w in self.graph.args(m)[:half]) for m in members)
            name = by_content.get(table)
            if name is None:
                name = by_content[table] = f"W{len(by_content)}"
                self.tables[name] = [list(row) for row in table]
            self.table_of.append(name)
        self.lines.append("    P = asarray(params)")
        if self.batch:
            self.lines.append(f"    summed = zeros({len(self.graph.params)})")
        for name in self.tables:
            self.lines.append(f"    M{name} = P[{name}]")
            if not self.batch:
                self.lines.append(f"    X{name} = []")
                self.lines.append(f"    G{name} = []")

    def _group_forward(self, k: int) -> None:
        members, table, names = self.groups[k], self.table_of[k], self.names
        xs = self.graph.args(members[0])[len(self.graph.args(members[0])) // 2:]
        row = "".join(names[x] + ", " for x in xs)
        outs = "".join(names[m] + ", " for m in members)
        if self.batch:
            self.lines.append(f"    X{k} = stack_rows(({row}))")
            self.lines.append(f"    Y{k} = M{table} @ X{k}")
            self.lines.extend(f"    {names[m]} = Y{k}[{j}]" for j, m in enumerate(members))
        else:
            self.lines.append(f"    X{k} = asarray(({row}))")
            self.lines.append(f"    X{table}.append(X{k})")
            self.lines.append(f"    {outs}= (M{table} @ X{k}).tolist()")

    def _guards(self) -> None:
        for k, (left, op, right, result) in enumerate(self.guards):
            if self.batch:  # arrays of samples: every sample is tested, the first that differs is named
                self.lines.append(f"    batch_branch_check({k}, ({left} {op} {right}), {result})")
            else:
                self.lines.append(f"    if {'not ' if result else ''}({left} {op} {right}): branch_changed({k})")

    def _add(self, p: int, term: str) -> None:
        if self.has_grad[p]:
            self.lines.append(f"    g{self.names[p]} += {term}")
        else:
            self.has_grad[p] = 1
            self.lines.append(f"    g{self.names[p]} = {term}")

    def _backward(self, first_of: dict[int, int], grouped: set[int]) -> None:
        graph, names, needs, has_grad, lines = self.graph, self.names, self.needs, self.has_grad, self.lines
        root = len(graph) - 1
        if needs[root]:
            has_grad[root] = 1
            lines.append(f"    g{names[root]} = 1.0")
        ops, starts, parents = graph.ops, graph.starts, graph.parents
        for n in range(root, -1, -1):
            op = ops[n]
            if op is None:
                continue
            if n in grouped:
                if n in first_of:  # the group's earliest member: every member's gradient is final now
                    self._group_backward(first_of[n])
                continue
            if not has_grad[n]:
                continue
            g = "g" + names[n]
            args_nodes = parents[starts[n]: starts[n + 1]]
            count = len(args_nodes)
            args = [names[p] for p in args_nodes]
            partials = partial_templates(op, count)
            for i in range(count - op.constant_args):
                p = args_nodes[i]
                if needs[p]:
                    local = fill_template(partials[i], args, names[n])
                    self._add(p, g if local == "1.0" else f"{g} * ({local})")
        self._finish()

    def _group_backward(self, k: int) -> None:
        """dW = dY x^T (summed over time steps, or samples, by one product at the end); dx = W^T dY."""
        members, table, names, lines = self.groups[k], self.table_of[k], self.names, self.lines
        rows = "".join(("g" + names[m] if self.has_grad[m] else "0.0") + ", " for m in members)
        args = self.graph.args(members[0])
        xs = args[len(args) // 2:]
        if self.batch:
            lines.append(f"    G{k} = stack_rows(({rows}), like=Y{k})")
            lines.append(f"    add_at(summed, {table}, G{k} @ X{k}.T)")
        else:
            lines.append(f"    G{k} = asarray(({rows}))")
            lines.append(f"    G{table}.append(G{k})")
        if any(self.needs[x] for x in xs):
            if self.batch:
                lines.append(f"    D{k} = M{table}.T @ G{k}")
            else:
                lines.append(f"    D{k} = (G{k} @ M{table}).tolist()")
            for i, x in enumerate(xs):
                if self.needs[x]:
                    self._add(x, f"D{k}[{i}]")

    def _finish(self) -> None:
        graph, names, lines = self.graph, self.names, self.lines
        grads = "".join(("g" + names[p] if p >= 0 and self.has_grad[p] else "0.0") + ", " for p in graph.params)
        outs = "".join(names[n] + ", " for n in graph.outputs)
        root = names[len(graph) - 1]
        if self.groups and not self.batch:
            # The time steps' (x, dY) pairs were collected forward and backward: reverse one list to pair them.
            lines.append(f"    summed = asarray(({grads}))")
            for table in self.tables:
                lines.append(f"    G{table}.reverse()")
                lines.append(f"    add_at(summed, {table}, asarray(G{table}).T @ asarray(X{table}))")
            lines.append(f"    return {root}, summed.tolist(), ({outs})")
        elif self.groups:
            lines.append(f"    return {root}, ({grads}), ({outs}), summed")
        else:
            lines.append(f"    return {root}, ({grads}), ({outs})")


def group_summary(graph: Graph, min_weights: int = MIN_GROUP_WEIGHTS) -> list[int]:
    """The sizes of the dot groups a vectorized tape evaluates as matrix products (for tests and benchmarks)."""
    return [len(m) for m in dot_groups(graph, graph.names(), min_weights)]

