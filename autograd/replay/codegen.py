"""Source code for a recorded graph: forward, branch checks and backward as straight-line Python.

Every line pastes an op's own expression from `autograd.ops` with its input
names replaced by the variables holding them: ``v12 = tanh(v9)``, then in the
backward part ``gv9 = gv12 * (1.0 - v12 * v12)``. Gradients are only
computed towards nodes that lead to a parameter.

For batch mode (numpy arrays of samples), ``matmul_groups`` adds one
rewrite: the `dot` nodes that read the same inputs with parameter weights (a
layer's neurons) are evaluated together as one matrix product, and their
backward pass as two more, with the weight gradients summed over samples by
the product itself. Everything else stays elementwise.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..op import Op, input_names
from ..ops import DOT
from ..value import Value


@dataclass
class TapeSource:
    """Generated source and the constant index tables it refers to by name."""

    text: str
    tables: dict[str, list[list[int]]]


def fill(template: str, v: Value, slot: dict[Value, str], names: dict[str, str] | None = None) -> str:
    """An op expression with its input names replaced by the variables holding them.

    ``names`` (from `variables_of`) may be passed in when filling several expressions of one node: built
    once, not once per expression, which kept a 5,000-input dot's backward from being quadratic.
    """
    if names is None:
        names = variables_of(v, slot)
    texts, holes = _split(template)
    parts = [texts[0]]
    for name, text in zip(holes, texts[1:]):
        parts.append(names[name])
        parts.append(text)
    return "".join(parts)


def variables_of(v: Value, slot: dict[Value, str]) -> dict[str, str]:
    """The variable holding each input name of ``v``'s op expressions (``a``, ``x3``, ``out``)."""
    names = dict(zip(input_names(len(v.parents)), (slot[p] for p in v.parents)))
    names["out"] = slot[v]
    return names


#: The names op expressions give their inputs and output; a helper may not be named like one.
_VARIABLE = re.compile(r"a|b|out|x[0-9]+")


@lru_cache(maxsize=4096)
def _split(expression: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The expression cut around each use of an input or output name: the text between them, and the names.

    Found by parsing, so only real variable uses count: not an attribute,
    keyword or string that happens to be spelled ``a`` or ``out``. Cached by
    the expression alone (one entry per op row and width).
    """
    source = expression.encode()  # ast column offsets count UTF-8 bytes
    uses = sorted(
        (node.col_offset, node.end_col_offset or node.col_offset, node.id)
        for node in ast.walk(ast.parse(expression, mode="eval"))
        if isinstance(node, ast.Name) and _VARIABLE.fullmatch(node.id)
    )
    texts, holes, start = [], [], 0
    for begin, end, name in uses:
        texts.append(source[start:begin].decode())
        holes.append(name)
        start = end
    texts.append(source[start:].decode())
    return tuple(texts), tuple(holes)


def _op(v: Value) -> Op:
    """An interior node's op (only leaves have none)."""
    op = v.op
    if op is None:
        raise ValueError(f"interior node {v!r} has no op")
    return op


def needs_gradient(order: Sequence[Value], parameters: Sequence[Value]) -> set[Value]:
    """Nodes with a path to a parameter: the only ones whose gradient is worth computing."""
    params = set(parameters)
    needs: set[Value] = set()
    for v in order:
        if v in params or (not v.is_leaf and any(p in needs for p in v.parents)):
            needs.add(v)
    return needs


def _dot_groups(interior: Sequence[Value], params: set[Value]) -> list[list[Value]]:
    """dot nodes sharing one input list, all weights parameters: one matrix product each."""
    groups: dict[tuple, list[Value]] = {}
    for v in interior:
        if v.op is not DOT:
            continue
        half = len(v.parents) // 2
        weights, xs = v.parents[:half], v.parents[half:]
        if not all(w in params for w in weights):
            continue
        # Constants made from the same number (the bias input 1.0) count as the same input.
        key = tuple(("constant", x.data) if x.is_constant else x for x in xs)
        groups.setdefault(key, []).append(v)
    return [members for members in groups.values() if len(members) > 1]


def generate(
    order: Sequence[Value],
    slot: dict[Value, str],
    inputs: Sequence[Value],
    parameters: Sequence[Value],
    outputs: Sequence[Value],
    guards: Sequence[tuple[str, str, str, bool]],
    matmul_groups: bool = False,
    batch: bool = False,
) -> TapeSource:
    """``run(inputs, params) -> (loss, gradients, outputs)`` (batch mode adds summed weight gradients)."""
    root = order[-1]
    interior = [v for v in order if not v.is_leaf]
    needs = needs_gradient(order, parameters)
    param_index = {p: k for k, p in enumerate(parameters)}
    groups = _dot_groups(interior, set(parameters)) if matmul_groups else []
    group_of = {v: k for k, members in enumerate(groups) for v in members}
    first_member = {members[0]: k for k, members in enumerate(groups)}
    tables: dict[str, list[list[int]]] = {}

    lines = ["def run(inputs, params):"]
    if inputs:
        lines.append(f"    {', '.join(slot[v] for v in inputs)}, = inputs")
    if parameters:
        lines.append(f"    {', '.join(slot[p] for p in parameters)}, = params")
    if groups:
        lines.append("    P = asarray(params)")
        lines.append(f"    summed = zeros({len(parameters)})")

    for v in interior:
        if v in group_of:
            if v in first_member:
                k = first_member[v]
                members = groups[k]
                half = len(v.parents) // 2
                tables[f"W{k}"] = [[param_index[w] for w in m.parents[:half]] for m in members]
                lines.append(f"    X{k} = stack_rows(({''.join(slot[x] + ', ' for x in v.parents[half:])}))")
                lines.append(f"    M{k} = P[W{k}]")
                lines.append(f"    Y{k} = M{k} @ X{k}")
                for j, m in enumerate(members):
                    lines.append(f"    {slot[m]} = Y{k}[{j}]")
            continue
        lines.append(f"    {slot[v]} = {fill(_op(v).forward_code_for(len(v.parents)), v, slot)}")

    for k, (left, op, right, result) in enumerate(guards):
        if batch:  # arrays of samples: every sample is tested, the first that differs is named
            lines.append(f"    batch_branch_check({k}, ({left} {op} {right}), {result})")
        else:
            lines.append(f"    if {'not ' if result else ''}({left} {op} {right}): branch_changed({k})")

    grad_name: dict[Value, str] = {}

    def add(p: Value, term: str) -> None:
        if p in grad_name:
            lines.append(f"    {grad_name[p]} += {term}")
        else:
            grad_name[p] = f"g{slot[p]}"
            lines.append(f"    {grad_name[p]} = {term}")

    if root in needs:
        grad_name[root] = f"g{slot[root]}"
        lines.append(f"    {grad_name[root]} = 1.0")
    for v in reversed(interior):
        if v in group_of:
            k = group_of[v]
            if v is groups[k][0]:  # the group's earliest member: every member's gradient is final now
                _group_backward(k, groups[k], grad_name, needs, lines, add)
            continue
        if v not in grad_name:
            continue
        g = grad_name[v]
        n = len(v.parents)
        node_op = _op(v)
        partials = node_op.derivative_code_for(n)
        names = variables_of(v, slot)
        for i, p in enumerate(v.parents[: n - node_op.constant_args]):
            if p not in needs:
                continue
            local = fill(partials[i], v, slot, names)
            add(p, g if local == "1.0" else f"{g} * ({local})")

    grads = "".join(grad_name.get(p, "0.0") + ", " for p in parameters)
    outs = "".join(slot[v] + ", " for v in outputs)
    tail = ", summed" if groups else ""
    lines.append(f"    return {slot[root]}, ({grads}), ({outs}){tail}")
    return TapeSource("\n".join(lines) + "\n", tables)


def _group_backward(
    k: int,
    members: list[Value],
    grad_name: dict[Value, str],
    needs: set[Value],
    lines: list[str],
    add: Callable[[Value, str], None],
) -> None:
    """dW = dY X^T (summed over samples by the product); dX = W^T dY."""
    rows = "".join(grad_name.get(m, "0.0") + ", " for m in members)
    lines.append(f"    G{k} = stack_rows(({rows}), like=Y{k})")
    lines.append(f"    add_at(summed, W{k}, G{k} @ X{k}.T)")
    half = len(members[0].parents) // 2
    xs = members[0].parents[half:]
    if any(x in needs for x in xs):
        lines.append(f"    D{k} = M{k}.T @ G{k}")
        for i, x in enumerate(xs):
            if x in needs:
                add(x, f"D{k}[{i}]")
