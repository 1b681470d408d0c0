"""Draw a `Value` graph as the slides draw it: value boxes joined by small op "gates".

Each value box shows its label (the slides' names where the model set them:
w1[0,1], a1[1], s2[1], E), its forward value and its gradient. Each op is a
small gate labelled with the symbol from `autograd.ops` (+, ×, σ, tanh, ^2, ...).
Roles look different (parameters, inputs, constants, intermediates, the root;
a constant is drawn as a small node beside each gate that uses it),
and nodes can be grouped into clusters (layers, neurons, time steps) or
collapsed into one box per group.

The output is deterministic: node ids follow the graph's topological order,
so the same graph gives byte-identical DOT every run.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import graphviz

from autograd import Value

from .arguments import (
    check_decimals,
    check_gradients,
    check_groups,
    check_legend,
    check_mapping,
    check_max_nodes,
    check_root,
    check_switch,
    check_title,
    shown,
    value_set,
)
from .columns import Column, Source, emit_column, reading_columns
from .names import GraphNames, label_of, reading_order
from .picture import ValueGraph

ROLE_STYLE = {
    "root": {"fillcolor": "#ffd8a8", "penwidth": "2.5"},
    "parameter": {"fillcolor": "#d0ebff"},
    "input": {"fillcolor": "#d3f9d8"},
    "leaf": {"fillcolor": "#e7f5ff"},
    "constant": {"fillcolor": "#f1f3f5", "fontcolor": "#495057"},
    "intermediate": {"fillcolor": "#ffffff"},
}
NOT_COMPUTED = "not computed"
GATE_FILL = "#fff3bf"


class GraphTooLarge(ValueError):
    """The graph has more nodes than the drawing limit; the message suggests what to do."""


@dataclass(frozen=True)
class _Style:
    decimals: int
    edge_derivatives: bool
    color_by_gradient: bool
    show_gradients: bool


def role_of(v: Value, root: Value, parameters: set[Value], inputs: set[Value]) -> str:
    """One of root, parameter, input, leaf, constant, intermediate."""
    if v is root:
        return "root"
    if v.is_constant:
        return "constant"
    if v.is_leaf:
        if v in parameters:
            return "parameter"
        if v in inputs:
            return "input"
        return "input" if parameters else "leaf"
    return "intermediate"


def local_derivatives(v: Value) -> tuple[float, ...]:
    """d(v)/d(parent) for each parent, from the op table's derivative rule."""
    check_root("local_derivatives", v)
    if v.op is None or v.is_leaf:
        return ()
    return tuple(v.op.derivative(v.data, *[p.data for p in v.parents]))


def gate_symbol(v: Value) -> str:
    """The op's symbol, with constant arguments folded in: x ** 2 draws as a ^2 gate, a named op's in parentheses
    (``LeakyReLU(0.1)``, ``hardtanh(-1,1)``)."""
    check_root("gate_symbol", v)
    op = v.op
    if op is None:  # a leaf has no gate ("AssertionError" alone said nothing)
        raise ValueError(f"gate_symbol: {shown(v)} is a leaf, which has no op to draw as a gate")
    if op.constant_args:
        constants = ",".join(f"{c.data:g}" for c in v.parents[len(v.parents) - op.constant_args :])
        return f"{op.symbol}({constants})" if op.symbol[-1:].isalnum() else op.symbol + constants
    return op.symbol


def _folded(v: Value) -> int:
    """How many trailing parents are drawn inside the gate instead of as nodes."""
    return v.op.constant_args if v.op is not None and not v.is_leaf else 0


def drawn_inputs(v: Value) -> tuple[Value, ...]:
    """The parents drawn as edges into ``v``'s gate (constants folded into the gate left out)."""
    return () if v.is_leaf else v.parents[: len(v.parents) - _folded(v)]


def drawn_once(v: Value, root: Value) -> bool:
    """False for a constant: it is drawn as a small separate node at each use, not once.

    One shared constant (the 0.99 of a decay applied at every step) would be a
    hub with an edge to every step; Graphviz's coordinate pass then takes
    minutes to hours (issue 9, item 10), and the picture is a tangle.
    """
    return v is root or not v.is_constant


def count_drawn_nodes(order: list[Value]) -> int:
    """Value boxes, gates and per-use constants a full drawing of ``order`` needs (root last)."""
    root = order[-1]
    return sum(_drawn_cost(v, root) for v in order)


def drawn_nodes_up_to(root: Value, limit: int, also: Sequence[Value] = ()) -> int:
    """`count_drawn_nodes` of ``root``'s graph, but the walk stops as soon as the count passes ``limit``.

    ``also``: further outputs whose graphs are drawn in the same picture (nodes shared with ``root``'s graph
    counted once), as `viz.draw_gradient_graph` draws a gradient's graph beside its forward graph.

    A result over ``limit`` is only a lower bound. Refusing a graph of millions of nodes took some 10 s when
    the whole graph was walked (and listed in order) before the count was compared with the limit; this
    walk meets at most ``limit`` + 1 drawn nodes (and the constants they use) before it stops.
    """
    total = 0
    stack = [root, *(v for v in also if v is not root)]
    seen = {id(v) for v in stack}
    while stack:
        v = stack.pop()
        total += _drawn_cost(v, root)
        if total > limit:
            return total
        for p in v.parents:
            if id(p) not in seen:
                seen.add(id(p))
                stack.append(p)
    return total


def _drawn_cost(v: Value, root: Value) -> int:
    """Nodes drawn for ``v``: its box, its gate and one node per constant it uses (0 for a constant)."""
    if not drawn_once(v, root):
        return 0
    return 1 if v.is_leaf else 2 + sum(1 for p in drawn_inputs(v) if not drawn_once(p, root))


def draw_graph(
    root: Value,
    *,
    decimals: int = 4,
    parameters: Iterable[Value] = (),
    inputs: Iterable[Value] = (),
    edge_derivatives: bool = False,
    color_by_gradient: bool = False,
    groups: Mapping[Value, str] | None = None,
    collapsed: bool = False,
    max_nodes: int = 400,
    gradients: Mapping[Value, float | None] | None = None,
    show_gradients: bool | None = None,
    highlight: Iterable[Value] = (),
    title: str = "",
    show_parameters: bool = True,
    show_constants: bool = True,
    names: GraphNames | Mapping[Value, str] | None = None,
    legend: Mapping[str, str] | None = None,
    first_column: Sequence[Value | str] = (),
) -> ValueGraph:
    """Build the picture of everything ``root`` was computed from.

    Args:
        root: the output (usually the loss) to draw back from.
        decimals: digits shown for values and gradients.
        parameters, inputs: leaves to draw in those roles (other leaves are
            inputs when parameters are given, plain leaves otherwise).
        edge_derivatives: label each edge into a gate with the local derivative.
        color_by_gradient: fill value boxes by gradient sign (red negative,
            green positive) and size, to show where the gradient flows.
        groups: node -> cluster path such as "layer 1/neuron 2" (see
            `viz.clusters`); nested paths give nested clusters.
        collapsed: draw each top-level group as one box, for big graphs.
        max_nodes: refuse (GraphTooLarge) to draw more boxes and gates than this.
        gradients: gradients to show instead of ``.grad`` (None: not computed);
            used by the step-through page.
        show_gradients: False draws every gradient as not computed; None
            decides from the root (a root whose grad is 0 has not been
            through backward()).
        highlight: nodes to outline in red (the step-through's newest step).
        title: a caption drawn above the graph.
        show_parameters, show_constants: False leaves those nodes (and their
            edges) out, which untangles an unrolled RNN whose shared weights
            feed every time step.
        names: names to draw instead of the nodes' labels (a mapping, or
            `viz.names.GraphNames`, which also names plain numbers where they
            are used: the inputs and the bias's 1 of an MLP). Uses of a number
            that share a name are drawn as one box. `lecture.slide_names`
            makes the slides' names for an MLP, an RNN and an LSTM.
        legend: role -> what it means in this picture (keys among root,
            parameter, input, leaf, constant, intermediate, and "gate"),
            drawn as a key in the same colours as the nodes.
        first_column: leaves, and named numbers (given by their name in
            ``names``), to draw in one column at the far left where the flow
            starts, top to bottom in this order, outside any cluster (an LSTM
            step's c_0, x_1, h_0 and bias input, which every gate reads: left
            to Graphviz they sat under the last gate's weights, with long
            edges up to the others). Their edges skip the column of the
            weights beside each gate.
    """
    check_root("draw_graph", root)
    check_decimals(decimals)
    check_max_nodes(max_nodes)
    check_title(title)
    for what, flag in (("edge_derivatives", edge_derivatives), ("color_by_gradient", color_by_gradient),
                       ("collapsed", collapsed), ("show_parameters", show_parameters),
                       ("show_constants", show_constants)):
        check_switch("draw_graph", what, flag)
    check_switch("draw_graph", "show_gradients", show_gradients, none_too=True)
    for what, mapping in (("groups", groups), ("legend", legend), ("gradients", gradients)):
        check_mapping(what, mapping)
    check_groups("draw_graph", groups)
    check_gradients("draw_graph", gradients)
    check_legend("draw_graph", legend)
    params, ins, marked = (value_set(what, vs) for what, vs in
                           (("parameters", parameters), ("inputs", inputs), ("highlight", highlight)))
    groups = dict(groups or {})
    if collapsed and not groups:
        raise ValueError("collapsed=True needs groups (see viz.clusters) to know what to collapse")
    # Not collapsed, the size is counted before the graph is listed, and only up to the limit: a graph of
    # millions of nodes is refused at once (the whole graph was walked first, some 10 s, to be refused).
    size = 0 if collapsed else drawn_nodes_up_to(root, max_nodes)
    order = [] if size > max_nodes else reading_order(root)
    if collapsed:
        size = _collapsed_size(order, groups)
    if size > max_nodes:
        # A student drawing a 100-point loss got "draw with collapsed=True and groups" without the name of the
        # function that makes groups, and no word of the usual way out: one sample's graph (new-user trial 24)
        smaller = "draw a smaller graph (one sample's loss rather than a batch's, or a smaller model)"
        hint = (f"{smaller}, or raise max_nodes" if collapsed else
                f"{smaller}, draw with collapsed=True and groups=viz.groups_from_parameters(root,"
                " model.named_parameters()), or raise max_nodes")
        count = f"{size}" if collapsed else f"more than {max_nodes}"
        raise GraphTooLarge(f"the graph has {count} nodes to draw, over the limit of {max_nodes}: {hint}")
    if show_gradients is None:
        show_gradients = gradients is not None or root.grad != 0.0
    style = _Style(decimals, edge_derivatives, color_by_gradient, show_gradients)
    named = GraphNames.of(names)
    lead = _first_column(first_column, order, root, named)
    lead_keys = {_identity(x) for x in lead}
    ids = {v: f"v{i}" for i, v in enumerate(order)}
    grad_of = _gradient_lookup(gradients, show_gradients)
    scale = max((abs(g) for v in order if (g := grad_of(v)) is not None), default=0.0) or 1.0

    # nslimit caps the network-simplex passes that place nodes across ranks: a value shared by
    # many steps (a weight of an unrolled RNN) otherwise makes that pass run for minutes.
    g = ValueGraph("valuegrad", format="svg", graph_attr={"rankdir": "LR", "fontname": "Helvetica", "labelloc": "t",
                                            "nslimit": "2"},
                   node_attr={"fontname": "Helvetica", "fontsize": "11"},
                   edge_attr={"fontname": "Helvetica", "fontsize": "9", "color": "#868e96"})
    if title:
        g.attr(label=dot_text(title))

    hidden: set[int] = set()
    if not show_parameters:
        hidden |= {id(v) for v in order if v.is_leaf and v in params}
    if not show_constants:
        hidden |= {id(v) for v in order if v.is_constant}
    statements: dict[str, list[tuple[str, dict[str, str]]]] = {}
    collapsed_groups = _top_groups(groups) if collapsed else {}
    group_ids = {name: f"g{i}" for i, name in enumerate(sorted(set(collapsed_groups.values())))}

    use_ids: dict[str, str] = {}
    use_groups = _shared_groups(named.uses, groups)

    group_of: dict[str, str] = {}

    def place(group: str, name: str, attrs: dict[str, str]) -> None:
        statements.setdefault(group, []).append((name, attrs))
        group_of[name] = group

    for v in order:
        if id(v) in hidden or not drawn_once(v, root):
            continue
        vid = ids[v]
        if collapsed and v in collapsed_groups:
            continue
        grad = grad_of(v)
        attrs = _value_node(v, role_of(v, root, params, ins), grad, scale, style, v in marked, named.name(v))
        group = "" if id(v) in lead_keys else groups.get(v, "")
        place(group, vid, attrs)
        if not v.is_leaf:
            place(group, f"{vid}op", {"label": dot_text(gate_symbol(v)), "shape": "circle", "width": "0.3",
                                      "fixedsize": "false", "style": "filled", "fillcolor": GATE_FILL,
                                      "margin": "0.02"})
            for i, p in enumerate(drawn_inputs(v)):
                if (v, i) in named.uses:
                    use_name = named.uses[(v, i)]
                    if use_name not in use_ids:
                        use_ids[use_name] = f"n{len(use_ids)}"
                        place("" if use_name in lead_keys else use_groups.get(use_name, group), use_ids[use_name],
                              _named_number(p, use_name, style))
                elif not drawn_once(p, root) and id(p) not in hidden:
                    place(group, f"{vid}c{i}", _value_node(p, "constant", None, scale, style, False))

    for group_name in sorted(set(collapsed_groups.values())):
        members = [v for v, top in collapsed_groups.items() if top == group_name]
        place("", group_ids[group_name], {
            "label": dot_text(f"{group_name}\n{len(members)} nodes"), "shape": "box3d",
            "style": "filled", "fillcolor": "#e5dbff"})

    gates = [] if collapsed else _gate_inputs(order, root, hidden, named, use_ids, ids, groups)
    # Only what is drawn (a hidden parameter or a node in a collapsed box is not): naming any other node in
    # the column would make Graphviz draw it as a bare ellipse. Lined up on its own: left in a gate's
    # column it would be pulled beside the weights.
    lead_ids = [n for x in lead if (n := use_ids.get(x, "") if isinstance(x, str) else ids[x]) in group_of]
    gates = [(depth, [s for s in sources if s[0] not in lead_ids]) for depth, sources in gates]
    columns = reading_columns(gates, group_of)
    _emit_clusters(g, statements, columns, order=list(groups.values()))
    if lead_ids:
        _emit_first_column(g, lead_ids)
    if legend:
        _emit_legend(g, legend)

    def endpoint(v: Value) -> str:
        if collapsed and v in collapsed_groups:
            return group_ids[collapsed_groups[v]]
        return ids[v]

    edges: list[tuple[str, str, dict[str, str]]] = []
    for v in order:
        if v.is_leaf or id(v) in hidden or not drawn_once(v, root):
            continue
        target_gate = f"{endpoint(v)}op" if not (collapsed and v in collapsed_groups) else None
        partials = local_derivatives(v) if style.edge_derivatives else ()
        computed_source: str | None = None  # a parent computed by an earlier gate (the layer before's output)
        weight_sources: list[str] = []  # parameters read by this gate
        for i, p in enumerate(drawn_inputs(v)):
            if id(p) in hidden and (v, i) not in named.uses:
                continue
            if target_gate is None:  # inside a collapsed box, constants included
                if drawn_once(p, root) and collapsed_groups.get(p) != collapsed_groups.get(v):
                    edges.append((endpoint(p), endpoint(v), {}))
                continue
            if (v, i) in named.uses:
                source = use_ids[named.uses[(v, i)]]
            elif id(p) in hidden:
                continue
            else:
                source = endpoint(p) if drawn_once(p, root) else f"{ids[v]}c{i}"
            attrs = {"label": _fmt(partials[i], decimals)} if partials else {}
            if source in lead_ids:
                attrs["minlen"] = "2"  # one column further left than the weights beside the gate
            edges.append((source, target_gate, attrs))
            if (v, i) not in named.uses and drawn_once(p, root):
                if not p.is_leaf and computed_source is None:
                    computed_source = source
                elif p.is_leaf and p in params and groups.get(v, "") and groups.get(p, "") == groups.get(v, ""):
                    weight_sources.append(source)
        if target_gate is not None:
            edges.append((target_gate, endpoint(v), {}))
        if computed_source is not None:
            # A gate that reads the layer before's outputs and its own weights, in the gate's frame: the weights,
            # leaves, would be ranked in the first column with the inputs, stretching the frame back over the
            # layer before (the 3-4-2 example's layer 2 sat below-right of layer 1). An invisible edge from that
            # output to each weight ranks the weights after it, so framed layers stand side by side. (Without
            # frames the weights already sit beside their gate.)
            edges += [(computed_source, w, {"style": "invis"}) for w in weight_sources]
    seen: set[tuple[str, str, str]] = set()
    for a, b, attrs in edges:
        key = (a, b, attrs.get("label", ""))
        if a == b or key in seen:
            continue
        seen.add(key)
        g.edge(a, b, **attrs)
    return g


def _shared_groups(uses: Mapping[tuple[Value, int], str], groups: Mapping[Value, str]) -> dict[str, str]:
    """Each named number's group: the innermost group holding every node that uses it.

    The bias input a0[0] read by both neurons of layer 1 belongs to "layer 1", not to whichever neuron
    happened to be named last (it sat inside neuron 2's frame with an edge out to neuron 1).
    """
    paths: dict[str, list[str]] = {}
    for (user, _), name in uses.items():
        path = [part for part in groups.get(user, "").split("/") if part]
        shared = paths.setdefault(name, path)
        k = 0
        while k < min(len(shared), len(path)) and shared[k] == path[k]:
            k += 1
        del shared[k:]
    return {name: "/".join(path) for name, path in paths.items()}


def _first_column(first: object, order: list[Value], root: Value, named: GraphNames) -> list[Value | str]:
    """``first_column`` checked: drawn leaves of the graph and names of named numbers, each once."""
    if isinstance(first, (Value, str, bytes)) or not isinstance(first, Iterable):
        raise TypeError(f"first_column must be a sequence of Values and names, got {type(first).__name__}")
    items = list(first)
    in_graph = set(order)
    leaves = {v for v in in_graph if v.is_leaf and drawn_once(v, root) and v is not root}
    use_names = set(named.uses.values())
    for x in items:
        if isinstance(x, str):
            if x not in use_names:
                raise ValueError(f"first_column names {shown(x)}, which is no named number in names= (names.uses)")
        elif isinstance(x, Value):
            if x.is_constant and x in in_graph:
                raise ValueError(f"first_column holds the plain number {x.data:g}, drawn beside each gate that uses"
                                 " it: name its uses (names.uses) and give that name instead")
            if x not in leaves:
                raise ValueError(f"first_column holds {shown(x)}, which is no drawn leaf of the graph")
        else:
            raise TypeError(f"first_column must hold Values and names (str), got an item of type {type(x).__name__}")
    if len(set(map(_identity, items))) < len(items):
        raise ValueError("first_column names the same node twice")
    return items


def _identity(x: Value | str) -> int | str:
    return x if isinstance(x, str) else id(x)


def _emit_first_column(g: graphviz.Digraph, names: Sequence[str]) -> None:
    """``names`` in one rank, top to bottom in this order (an invisible chain, as `viz.columns`).

    Their edges' ``minlen=2`` puts that rank left of the weights. Not
    ``rank=min``: Graphviz then put the weights in that rank too (edges of
    length 2 to their gates), and not ``rank=source``, which would push the
    legend's first key out of the first rank.
    """
    with g.subgraph(name="first_column") as row:
        row.attr(rank="same")
        for name in names:
            row.node(name)
        for above, below in zip(names, names[1:]):
            row.edge(above, below, style="invis")


def dot_text(text: str) -> str:
    """``text`` as a plain Graphviz label, shown exactly as written.

    Characters a picture cannot hold (control characters such as BEL, which
    XML forbids even escaped, and lone surrogates, which UTF-8 cannot encode)
    are shown as Python escapes (``\\x07``, ``\\ud800``): see `visible_text`.
    Then ``&`` becomes ``&amp;`` (Graphviz decodes entities such as ``&lt;``
    in plain labels), backslashes are doubled (DOT would read \\N or \\G as
    escapes), newlines become DOT's line breaks, quotes are escaped by the
    graphviz package, and `graphviz.nohtml` stops a label like "<b>" being
    taken for an HTML label. Plain labels (not HTML ones) also keep the
    pip-only WebAssembly Graphviz working: it is built without HTML-label
    support.
    """
    text = visible_text(text).replace("\\", "\\\\").replace("&", "&amp;").replace("\n", "\\n")
    return graphviz.nohtml(text)


#: Characters XML 1.0 cannot hold (C0 controls but tab and newline; CR, which XML reads as a newline),
#: C1 controls and DEL (legal but invisible), surrogates (no UTF-8 form) and the non-characters U+FFFE/U+FFFF.
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def visible_text(text: str) -> str:
    """``text`` with each character no picture or page can hold written as its Python escape."""
    return _INVISIBLE.sub(lambda m: repr(m.group())[1:-1], text)


def _fmt(x: float, decimals: int) -> str:
    """``x`` with ``decimals`` digits; an exact zero without a sign.

    0 * log(p) for a target y[j] = 0 is -0.0 in IEEE arithmetic, which drew as
    "data -0.000" on every zero term of the hello RNN's cross-entropy.
    """
    return f"{x + 0.0 if x == 0 else x:.{decimals}f}"


def _gradient_lookup(gradients: Mapping[Value, float | None] | None, show: bool) -> Callable[[Value], float | None]:
    if not show:
        return lambda v: None
    if gradients is not None:
        return lambda v: gradients.get(v)
    return lambda v: v.grad


def _value_node(v: Value, role: str, grad: float | None, scale: float, style: _Style, marked: bool,
                name: str | None = None) -> dict[str, str]:
    if role == "constant":
        return {"label": dot_text(f"{v.data:g}"), "shape": "plaintext", "fontcolor": "#495057"}
    grad_text = NOT_COMPUTED if grad is None else _fmt(grad, style.decimals)
    name = label_of(v) if name is None else name
    lines = [name] if name else []
    lines += [f"data {_fmt(v.data, style.decimals)}", f"grad {grad_text}"]
    attrs = {"label": dot_text("\n".join(lines)), "shape": "box", "style": "rounded,filled"}
    attrs.update(ROLE_STYLE[role])
    if style.color_by_gradient and grad is not None and grad != 0.0:
        strength = min(1.0, abs(grad) / scale)
        level = int(255 - 155 * strength)
        attrs["fillcolor"] = f"#{level:02x}ff{level:02x}" if grad > 0 else f"#ff{level:02x}{level:02x}"
    if marked:
        attrs["color"] = "#e03131"
        attrs["penwidth"] = "3"
    return attrs


def _named_number(v: Value, name: str, style: _Style) -> dict[str, str]:
    """A plain number drawn under the name it has where it is used (an input a0[1], a bias input a0[0])."""
    attrs = {"label": dot_text(f"{name}\ndata {_fmt(v.data, style.decimals)}"), "shape": "box",
             "style": "rounded,filled"}
    attrs.update(ROLE_STYLE["input"])
    return attrs


#: What each colour means, for a legend (draw_graph(legend=...) picks the entries and their wording).
LEGEND_ROLES = ("root", "parameter", "input", "leaf", "constant", "intermediate", "gate")


def _emit_legend(g: graphviz.Digraph, legend: Mapping[str, str]) -> None:
    """A boxed key: one swatch per role in ``legend``, in the nodes' own colours, with its meaning."""
    unknown = sorted(set(legend) - set(LEGEND_ROLES), key=repr)  # keys of mixed types do not compare
    if unknown:
        raise ValueError(f"unknown legend entry {shown(unknown[0])}: choose among {', '.join(LEGEND_ROLES)}")
    with g.subgraph(name="cluster_legend") as key:
        key.attr(label="legend", style="rounded", color="#868e96", fontsize="10")
        previous = None
        for k, role in enumerate(r for r in LEGEND_ROLES if r in legend):
            if role == "gate":
                attrs = {"shape": "box", "style": "rounded,filled", "fillcolor": GATE_FILL}
            else:
                attrs = {"shape": "box", "style": "rounded,filled"}
                attrs.update(ROLE_STYLE[role])
                if role == "constant":
                    attrs.pop("fontcolor", None)
            key.node(f"legend{k}", label=dot_text(legend[role]), **attrs)
            if previous is not None:  # an invisible chain keeps the key in one column, in this order
                key.edge(previous, f"legend{k}", style="invis")
            previous = f"legend{k}"


def _top_groups(groups: Mapping[Value, str]) -> dict[Value, str]:
    return {v: path.split("/")[0] for v, path in groups.items() if path}


def _collapsed_size(order: list[Value], groups: Mapping[Value, str]) -> int:
    top = _top_groups(groups)
    return len(set(top.values())) + sum(_drawn_cost(v, order[-1]) for v in order if v not in top)


def _gate_inputs(order: list[Value], root: Value, hidden: set[int], named: GraphNames,
                 use_ids: Mapping[str, str], ids: Mapping[Value, str],
                 groups: Mapping[Value, str]) -> list[tuple[int, list[Source]]]:
    """Per drawn gate, the nodes drawn as its inputs in the order it takes them, each with its depth.

    The depth of a computed value is the longest path to it from the leaves (a
    leaf or a named number has None: it sits just before its gate wherever
    that is); `viz.columns` lines up inputs of one depth. A plain number drawn
    beside its gate is left out: Graphviz keeps it next to its gate, where a
    column shared with other gates could pull it away. In a picture with
    ``groups``, the root's terms drawn outside the clusters are lined up
    whatever their depths when none is computed from another (see below).
    """
    depth: dict[Value, int] = {}
    gates: list[tuple[int, list[Source]]] = []
    for v in order:
        if v.is_leaf or id(v) in hidden or not drawn_once(v, root):
            continue
        sources: list[Source] = []
        for i, p in enumerate(drawn_inputs(v)):
            if (v, i) in named.uses:
                sources.append((use_ids[named.uses[(v, i)]], None))
            elif id(p) in hidden:
                continue
            elif not drawn_once(p, root):
                continue  # a small number beside its gate: Graphviz puts it next to the gate
            else:
                sources.append((ids[p], depth.get(p)))
        depth[v] = 1 + max((d for _, d in sources if d is not None), default=0)
        if v is root and any(groups.values()):
            drawn = {name for name, _ in sources}
            terms = [p for p in drawn_inputs(v) if ids.get(p) in drawn]
            if not any(groups.get(p) for p in terms) and _unrelated(terms):
                # The root's terms outside the clusters (a loss per time step or per row) depend on
                # no other term, so one column can hold them whatever their depths: drawn in the order
                # they are summed, they pull the clusters they come from into that order, first on top.
                sources = [(name, None) for name, _ in sources]
        gates.append((depth[v], sources))
    return gates


def _unrelated(values: list[Value]) -> bool:
    """Whether none of ``values`` (two or more, distinct) is computed from another of them."""
    if len(values) < 2 or len(set(values)) < len(values):
        return False
    others = set(values)
    for v in values:
        todo, seen = list(v.parents), set()
        while todo:
            u = todo.pop()
            if u in others:
                return False
            if u not in seen:
                seen.add(u)
                todo.extend(u.parents)
    return True


def _emit_clusters(g: graphviz.Digraph, statements: dict[str, list[tuple[str, dict[str, str]]]],
                   columns: Sequence[Column] = (), order: Sequence[str] = ()) -> None:
    """Declare nodes inside nested ``subgraph cluster_...`` blocks following their group paths.

    Each of ``columns`` is drawn in one rank, each pair's first node above its
    second (`viz.columns.emit_column`). Graphviz (rankdir=LR) turns a rank's
    order into top to bottom at the top level but not inside a cluster, where
    it keeps the order as written bottom to top; so inside a cluster the
    nodes and sub-clusters are written in reverse too (Graphviz's first guess
    at an order, which it keeps where nothing else decides: neuron 1 above
    neuron 2). Clusters are written in the ``order`` their groups are first
    named in (the ``groups`` mapping: an LSTM step's gates f, i, g, o), then
    in the order their first node was drawn.
    """
    tree: dict = {}
    for path in [*(p for p in dict.fromkeys(order) if p in statements), *statements]:
        node = tree
        for part in [p for p in path.split("/") if p]:
            node = node.setdefault(part, {})
    by_group: dict[str, list[Column]] = {}
    for column in columns:
        by_group.setdefault(column.group, []).append(column)
    if any(column.group for column in columns):
        g.attr(remincross="false")

    counter = iter(range(1_000_000))

    def emit(graph: graphviz.Digraph, subtree: dict, prefix: str) -> None:
        inside = bool(prefix)
        nodes = statements.get(prefix, [])
        for name, attrs in (nodes[::-1] if inside else nodes):
            graph.node(name, **attrs)
        for column in by_group.get(prefix, []):
            emit_column(graph, column, inside)
        parts = list(subtree)
        for part in (parts[::-1] if inside else parts):
            path = f"{prefix}/{part}" if prefix else part
            with graph.subgraph(name=f"cluster_{next(counter)}") as sub:
                sub.attr(label=dot_text(part), style="rounded,dashed", color="#adb5bd", fontsize="10")
                emit(sub, subtree[part], path)

    emit(g, tree, "")
