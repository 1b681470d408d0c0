"""Draw a gradient as a computation: the backward pass's own graph of gates, beside the forward graph it reads.

A gradient computed with ``grad(..., create_graph=True)`` (or
``backward(create_graph=True)``) is a `Value` whose graph records how the
backward pass computed it: each gate is a local derivative of the op table
evaluated on Values (``1 - t*t`` for tanh) or a chain-rule product or sum.
Those gates read forward values (a tanh's output, a weight), so the picture
has two clusters: "forward" (everything ``forward_output`` was computed from,
faded) and "backward: dE/dw" (the nodes only the gradient's graph has, drawn
in the usual colours), with the gradient itself as the highlighted root.
"""

from __future__ import annotations

from collections.abc import Mapping

from autograd import Value
from autograd import ops as _ops

from .arguments import check_max_nodes, check_switch, shown
from .columns import Source, emit_column, reading_columns
from .graph import GATE_FILL, ROLE_STYLE, GraphTooLarge, dot_text, drawn_inputs, drawn_nodes_up_to, gate_symbol
from .names import GraphNames, label_of, reading_order
from .picture import ValueGraph

#: The faded look of the forward graph: grey text and outlines on a near-white fill.
FADED = {"color": "#ced4da", "fontcolor": "#adb5bd", "fillcolor": "#f8f9fa"}
FORWARD_CLUSTER = "cluster_forward"
BACKWARD_CLUSTER = "cluster_backward"


def draw_gradient_graph(
    gradient: Value,
    forward_output: Value,
    *,
    gradient_name: str = "",
    decimals: int = 4,
    names: GraphNames | Mapping[Value, str] | None = None,
    title: str = "",
    max_nodes: int = 400,
    gradients_of: Mapping[Value, Value] | None = None,
    expression_names: bool = False,
    copy_leaf_reads: bool = False,
) -> ValueGraph:
    """The graph of ``gradient`` (a create_graph=True gradient of ``forward_output``) with the forward graph faded.

    Args:
        gradient: the gradient Value, e.g. ``grad(E, [w], create_graph=True)[0]``.
        forward_output: the Value it is the gradient of (E); its whole graph is
            drawn faded in the cluster ``forward``.
        gradient_name: what the gradient is, for the backward cluster's label
            ("dE/dw1[1,1]"); default ``d<output's label>/dx``.
        decimals: digits shown for values.
        names: names to draw instead of nodes' labels (a mapping, or `viz.names.GraphNames`,
            whose per-node names are used).
        title: a caption above the picture.
        max_nodes: refuse (`GraphTooLarge`) to draw more boxes and gates than this.
        gradients_of: forward node -> its gradient d(output)/d(node) from the same
            backward pass, e.g. ``dict(zip(nodes, grad(E, [w, *nodes], create_graph=True)[1:]))``
            (one call: w's gradient graph is then built from exactly those Values). Each
            one the backward cluster holds is named ``dE/d<node's name>`` ("dE/da1[1]"),
            so a reader can match the gates to a hand-worked chain rule.
        expression_names: name each other backward box by what it computes from
            named inputs ("1 - a2[1]", "a2[1]·(1 - a2[1])", "2·(a2[1] - y[1])"),
            where that is short; see `EXPRESSION_NAME_LIMIT`.
        copy_leaf_reads: draw each forward leaf a backward gate reads (a weight,
            an input) as a dashed copy, "w2[1,1] (forward)", beside that gate in
            the backward cluster, instead of a dashed edge from the forward
            cluster: the leaves sit at the forward graph's left edge, and the
            last gate of dE/dw1[1,1] reads a0[1], so that edge crossed the whole
            picture under the forward graph. Computed forward values keep their
            dashed edges.

    Each node shows its name (if any) and its value; the nodes the gradient's
    graph shares with the forward graph (the values the backward pass reads)
    stay in the forward cluster, and the edges from them into backward gates
    are dashed. Gradients (``.grad``) are not shown: in this picture every box
    is a value of the computation. A gradient without a graph (computed
    without ``create_graph=True``, or one that does not depend on any input)
    is a ValueError, and so is a gradient that is a forward value itself
    (d(a*b)/da is the node b: no backward gates), and a gradient whose graph
    reads no value of ``forward_output``'s graph (the gradient of some other
    output). A ``gradient_name`` or ``title`` that is not a str is a TypeError.
    """
    for what, v in (("gradient", gradient), ("forward_output", forward_output)):
        if not isinstance(v, Value):
            raise TypeError(f"draw_gradient_graph: {what} must be a Value, got {type(v).__name__}")
    for what, text in (("gradient_name", gradient_name), ("title", title)):
        if not isinstance(text, str):
            raise TypeError(f"draw_gradient_graph: {what} must be a str, got {type(text).__name__}")
    if not isinstance(decimals, int) or isinstance(decimals, bool) or not 0 <= decimals <= 12:
        raise ValueError(f"decimals must be an integer in 0..12, got {shown(decimals)}")
    for what, flag in (("expression_names", expression_names), ("copy_leaf_reads", copy_leaf_reads)):
        check_switch("draw_gradient_graph", what, flag)
    check_max_nodes(max_nodes)
    # Counted only up to the limit before either graph is listed: a graph of millions of nodes is refused at once.
    if not gradient.is_leaf and drawn_nodes_up_to(gradient, max_nodes, also=(forward_output,)) > max_nodes:
        raise GraphTooLarge(f"the gradient's graph and its forward graph have more than {max_nodes} nodes to draw,"
                            f" over the limit of {max_nodes}: raise max_nodes")
    forward_order = reading_order(forward_output)
    forward = set(forward_order)
    if gradient in forward:
        raise ValueError("draw_gradient_graph: the gradient is itself a value of the forward graph (as d(a*b)/da"
                         " is b): the backward pass built no gates to draw")
    if gradient.is_leaf:
        raise ValueError("draw_gradient_graph: the gradient is a leaf with no graph to draw; compute it with"
                         " grad(..., create_graph=True) or backward(create_graph=True)")
    gradient_order = reading_order(gradient)
    _check_reads_forward(gradient_order, forward)
    backward_order = [v for v in gradient_order if v not in forward]
    order = forward_order + backward_order
    size = sum(1 if v.is_leaf else 2 for v in order if not v.is_constant) + sum(
        1 for v in order if not v.is_leaf for p in drawn_inputs(v) if p.is_constant)
    if size > max_nodes:  # not reached (counted above) unless the two counts disagree; kept as the guard
        raise GraphTooLarge(f"the gradient's graph and its forward graph have {size} nodes to draw, over the limit"
                            f" of {max_nodes}: raise max_nodes")
    named = GraphNames.of(names)
    drawn = dict(named.nodes)
    label = drawn.get(forward_output, label_of(forward_output)) or "y"
    gradient_name = gradient_name or f"d{label}/dx"
    drawn.setdefault(gradient, label_of(gradient) or gradient_name)
    for v, name in _gradient_names(gradients_of, drawn, label, set(backward_order)).items():
        drawn.setdefault(v, name)
    if expression_names:
        _name_by_expression(backward_order, drawn)
    ids = {v: f"v{i}" for i, v in enumerate(order)}

    # newrank ranks the two clusters together: a backward gate then sits just after the forward values it
    # reads. Ranked cluster by cluster, the backward cluster started after the whole forward graph and the
    # dashed reads of early values (a1[1], w2[1,1]) looped under it, leaving a fifth of the picture empty.
    g = ValueGraph("valuegrad_gradient", format="svg",
                   graph_attr={"rankdir": "LR", "fontname": "Helvetica", "labelloc": "t", "nslimit": "2",
                               "newrank": "true"},
                   node_attr={"fontname": "Helvetica", "fontsize": "11"},
                   edge_attr={"fontname": "Helvetica", "fontsize": "9", "color": "#868e96"})
    if title:
        g.attr(label=dot_text(title))
    clusters = ((FORWARD_CLUSTER, "forward", forward_order, True),
                (BACKWARD_CLUSTER, f"backward: {gradient_name}", backward_order, False))
    group_of = {ids[v]: cluster for cluster, _, members, _ in clusters for v in members}
    columns = reading_columns(_gate_inputs(order, ids), group_of)
    if columns:
        g.attr(remincross="false")  # see viz.columns.emit_column
    for cluster, caption, members, faded in clusters:
        with g.subgraph(name=cluster) as sub:
            style = {"style": "rounded,filled", "color": "#dee2e6", "fillcolor": "#fcfcfd", "fontcolor": "#adb5bd"}
            # Captions at the left: the dashed reads leave the forward cluster's top edge near its middle,
            # where a centred "forward" was drawn over by them.
            sub.attr(label=dot_text(caption), fontsize="11", labeljust="l",
                     **(style if faded else {"style": "rounded", "color": "#495057"}))
            # Written in reverse, as draw_graph writes a cluster: Graphviz keeps a cluster's order bottom to top.
            for v in reversed(members):
                _emit_node(sub, v, ids, gradient, drawn, decimals, faded and v is not gradient, named.uses)
                if not faded and copy_leaf_reads:
                    _emit_leaf_copies(sub, v, ids, forward, drawn, decimals)
            for column in columns:
                if column.group == cluster:
                    emit_column(sub, column, in_cluster=True)

    for v in order:
        if v.is_leaf or v.is_constant:
            continue
        gate_faded = v in forward and v is not gradient
        for i, p in enumerate(drawn_inputs(v)):
            source = f"{ids[v]}c{i}" if p.is_constant else ids[p]
            if copy_leaf_reads and not gate_faded and _copied(p, forward):
                source = f"{ids[v]}r{i}"
            # A constant is drawn beside each gate that uses it: it is never a forward value read.
            g.edge(source, f"{ids[v]}op", **_edge_look(gate_faded, p in forward and not p.is_constant))
        g.edge(f"{ids[v]}op", ids[v], **_edge_look(gate_faded, gate_faded))
    return g


def _gate_inputs(order: list[Value], ids: Mapping[Value, str]) -> list[tuple[int, list[Source]]]:
    """Per gate, its depth and the boxes drawn as its inputs in order (see `viz.columns`; constants left out)."""
    depth: dict[Value, int] = {}
    gates: list[tuple[int, list[Source]]] = []
    for v in order:
        if v.is_leaf or v.is_constant:
            continue
        sources = [(ids[p], depth.get(p)) for p in drawn_inputs(v) if not p.is_constant]
        depth[v] = 1 + max((d for _, d in sources if d is not None), default=0)
        gates.append((depth[v], sources))
    return gates


def _gradient_names(gradients_of: Mapping[Value, Value] | None, drawn: Mapping[Value, str], output: str,
                    backward: set[Value]) -> dict[Value, str]:
    """Backward node -> "d<output>/d<forward name>" for each named forward node whose gradient it is.

    Two forward nodes can share one gradient Value (a - y passes its gradient
    to a unchanged): the names are joined with " = ".
    """
    if gradients_of is None:
        return {}
    if not isinstance(gradients_of, Mapping):
        raise TypeError("draw_gradient_graph: gradients_of must be a mapping forward node -> its gradient Value,"
                        f" got {type(gradients_of).__name__}")
    found: dict[Value, list[str]] = {}
    for node, g in gradients_of.items():
        if not isinstance(node, Value) or not isinstance(g, Value):
            raise TypeError("draw_gradient_graph: gradients_of must map Values to Values, got"
                            f" {type(node).__name__} -> {type(g).__name__}")
        name = drawn.get(node, label_of(node))
        if name and g in backward:
            found.setdefault(g, []).append(f"d{output}/d{name}")
    return {g: " = ".join(names) for g, names in found.items()}


#: A backward box is named by its expression only while the name stays this short: a slide reads
#: "a2[1]·(1 - a2[1])", not a line of nested brackets.
EXPRESSION_NAME_LIMIT = 24
#: ASCII minus, as the slides' names write a2[1] - y[1] (`lecture.slide_names`), beside which these are drawn.
_INFIX = {_ops.ADD: " + ", _ops.SUB: " - ", _ops.MUL: "·"}


def _name_by_expression(backward_order: list[Value], drawn: dict[Value, str]) -> None:
    """Name each unnamed backward box (a local derivative, a chain-rule product) by what it computes.

    The backward pass of sigmoid builds out·(1 - out): drawn as bare "data 0.0983"
    and "data 0.1104", a reader cannot tell which derivative each box is. Named
    from its inputs' names it reads "a2[1]·(1 - a2[1])" and "1 - a2[1]"; a number
    is written first in a product, as on a slide: "2·(a2[1] - y[1])". Only +, -,
    × and negation of named inputs (or numbers) are written, and only up to
    `EXPRESSION_NAME_LIMIT` characters; other boxes keep showing only data.
    """
    def operand(p: Value) -> str | None:
        if p.is_constant:
            return f"{p.data:g}"
        name = drawn.get(p) or label_of(p)
        if not name:
            return None
        return f"({name})" if " " in name else name  # "1 - a2[1]" and "a2[1] - y[1]" are bracketed as operands

    for v in backward_order:
        if v.is_leaf or v in drawn or label_of(v) or v.op is None:
            continue
        parents = sorted(v.parents, key=lambda p: not p.is_constant) if v.op is _ops.MUL else list(v.parents)
        parts = [part for p in parents if (part := operand(p)) is not None]
        if len(parts) < len(parents):
            continue
        if v.op in _INFIX and len(parts) == 2:
            name = _INFIX[v.op].join(parts)
        elif v.op is _ops.NEG:
            name = f"-{parts[0]}"
        else:
            continue
        if len(name) <= EXPRESSION_NAME_LIMIT:
            drawn[v] = name


def _check_reads_forward(gradient_order: list[Value], forward: set[Value]) -> None:
    """ValueError unless the gradient's graph reads a value of the forward graph (it is not that graph's gradient).

    Constants do not count: the engine shares one Constant per number among all
    graphs, so a shared 2 links nothing. Only a gradient computed from
    constants alone (d(3*(2*x))/dx = 3*2) has no forward value to read; it
    must then use some of the forward graph's own constants.
    """
    values = [v for v in gradient_order if not v.is_constant]
    if any(v in forward for v in values):
        return
    constants_only = all(not v.is_leaf for v in values)
    if constants_only and any(v in forward for v in gradient_order if v.is_constant):
        return
    raise ValueError("draw_gradient_graph: the gradient's graph reads nothing of forward_output's graph, so it is"
                     " not that output's gradient: pass the output it was computed from"
                     " (grad(output, inputs, create_graph=True))")


def _edge_look(into_forward: bool, from_forward: bool) -> dict[str, str]:
    """Forward edges faded; a forward value read by a backward gate dashed; backward edges as usual."""
    if into_forward:
        return {"color": FADED["color"]}
    if from_forward:
        return {"style": "dashed"}
    return {}


def _copied(p: Value, forward: set[Value]) -> bool:
    """Whether ``p``, read by a backward gate, is a forward leaf drawn as a copy beside it (copy_leaf_reads)."""
    return p in forward and p.is_leaf and not p.is_constant


def _emit_leaf_copies(graph: ValueGraph, v: Value, ids: Mapping[Value, str], forward: set[Value],
                      names: Mapping[Value, str], decimals: int) -> None:
    """Beside backward gate ``v``, a dashed copy of each forward leaf it reads, named "<name> (forward)"."""
    if v.is_leaf or v.is_constant:
        return
    for i, p in enumerate(drawn_inputs(v)):
        if _copied(p, forward):
            name = names.get(p, label_of(p))
            text = f"{name} (forward)" if name else "(forward)"  # an unnamed leaf is not given a made-up name
            graph.node(f"{ids[v]}r{i}", label=dot_text(f"{text}\ndata {p.data:.{decimals}f}"), shape="box",
                       style="rounded,dashed", color="#868e96", fontcolor="#495057")


def _emit_node(graph: ValueGraph, v: Value, ids: Mapping[Value, str], root: Value, names: Mapping[Value, str],
               decimals: int, faded: bool, uses: Mapping[tuple[Value, int], str] | None = None) -> None:
    """``v``'s box (and its gate and per-use constants) in ``graph``; faded for the forward cluster.

    A constant with a name where it is used (``uses``: the bias input a0[0], a target y[1]) is drawn as
    "a0[0] = 1": a bare "1" beside a gate among the weights read as a stray number.
    """
    if v.is_constant and v is not root:
        return  # drawn beside each gate that uses it, as in draw_graph
    name = names.get(v, label_of(v))
    text = "\n".join(([name] if name else []) + [f"data {v.data:.{decimals}f}"])
    attrs = {"label": dot_text(text), "shape": "box", "style": "rounded,filled"}
    role = "root" if v is root else ("leaf" if v.is_leaf else "intermediate")
    attrs.update(ROLE_STYLE[role])
    if faded:
        attrs.update(FADED)
        attrs.pop("penwidth", None)
    graph.node(ids[v], **attrs)
    if v.is_leaf:
        return
    gate = {"label": dot_text(gate_symbol(v)), "shape": "circle", "width": "0.3", "style": "filled",
            "fillcolor": GATE_FILL, "margin": "0.02"}
    if faded:
        gate.update(FADED)
    graph.node(f"{ids[v]}op", **gate)
    for i, p in enumerate(drawn_inputs(v)):
        if p.is_constant:
            use = (uses or {}).get((v, i))
            constant = {"label": dot_text(f"{use} = {p.data:g}" if use else f"{p.data:g}"), "shape": "plaintext",
                        "fontcolor": FADED["fontcolor"] if faded else "#495057"}
            graph.node(f"{ids[v]}c{i}", **constant)
