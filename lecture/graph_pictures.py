"""The lecture's graph pictures, drawn with the slides' names: the batch, the unrolled "hello" RNN, one LSTM step.

- `row_picture`: row 1's graph left to right as the slides draw the
  3-4-2 network: the inputs a0[0..3] in a column at the left, between
  neuron 1's weights (above) and neuron 2's (below), then layer 1's neurons,
  then layer 2's (the bias input a1[0] between its neurons' weights), then
  the error.
- `batch_picture`: E summed over rows r = 1..4, one cluster per row in row
  order, every node named with its row ("s2[1] (r=2)"), the same colours as
  row 1's graph, each neuron's shared weights joined in one box w_l[i,k]
  with one blue edge to each row (it enters the row above the row's inputs
  for neuron 1, below them for neuron 2), and a legend.
- `hello_unrolled_picture`: "hell" -> "ello" as the slides write it: per
  time step t (top to bottom, one cluster each, all starting at the left) the
  one-hot input x_t, the sums s1_t = Wxh x_t + Whh h_{t-1} + bh,
  h_t = tanh(s1_t), the logits s2_t = Why h_t + by, y-hat_t = softmax(s2_t)
  and -sum_j y_t[j] log y-hat_t[j], which is L_t, drawn outside the step
  beside L (L_1 at the top); h_0 once, under x_1 in step 1; each h_t carried
  back to the start of step t+1's row by one arrow to a box "h_t";
  ``collapsed=True`` draws each time step as one box.
- `lstm_step_picture`: one LSTM step: its inputs c_0, x_1, h_0 and the bias
  input at the left, x_1, h_0 and 1 joined in the vector [x_1, h_0, 1] every
  gate reads, one cluster per gate, f, i, g, o top to bottom (the slides'
  order), the cell c_1 and h_1 named.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from autograd import Value, sum_of
from nn import MLP, LSTMCell, RNNCell
from viz import ValueGraph, draw_graph, groups_from_parameters
from viz.bundles import bundle_edges, enter_beside, first_lines
from viz.graph import ROLE_STYLE

from .hello_rnn import HELLO_INPUTS, HELLO_TARGETS, HELLO_VOCAB, hello_model
from .slide_names import LEGEND, draw_named, lstm_names, mlp_names, reading_order, rnn_names
from .slides_mlp import BATCH_ROWS, WorkedExample

#: The shared legend names both the MLP's and the RNN's inputs; each picture's legend names only its own.
#: Its gates are the ones the slides' MLP and its loss E draw (the shared legend's tanh and + are the cells').
MLP_LEGEND = {**LEGEND, "input": "input a0[i] (a0[0] = 1 is the bias input)", "gate": "op gate (w·x, σ, −, ^2, Σ, ×)"}
#: Row 1's colours, as a caption line: a legend box (as the batch picture's) widened the picture's first ranks
#: and stretched every edge of layer 1 (new-user trial 27 found the picture with no key at all).
ROW_KEY = ("colours: blue, the weights w1, w2; green, the inputs a0[i], the bias inputs a0[0] = a1[0] = 1 and the"
           " targets y[j]; white, computed values; yellow circles, op gates; grey, plain numbers; orange, the loss E")
#: The step-through page's key: row 1's colours, and what a frame changes.
STEP_KEY = (ROW_KEY + "; a red outline, the node this frame gives its gradient; faded, a gradient not computed"
            " yet")
#: The colour of the edges that carry a neuron's shared weights to each row's sum in the batch picture.
WEIGHT_EDGE = "#74c0fc"
BATCH_LEGEND = {**MLP_LEGEND, "parameter": "weight w1, w2 (blue: to every row)"}
#: The LSTM step draws no plain number (the bias's 1 is the "bias input" box), so its legend has no such key.
LSTM_LEGEND = {**{k: v for k, v in LEGEND.items() if k != "constant"},
               "input": "input x_1, state h_0, c_0; the bias input 1",
               "gate": "op gate (w·x, σ, tanh, ×, +)",
               "root": "a stand-in loss: h_1[0] + c_1[0]"}


def row_picture(example: WorkedExample) -> ValueGraph:
    """Row 1's graph, each edge with its local derivative: one frame per neuron (its sum, σ and output), layer 1's
    left of layer 2's, neuron 1 above neuron 2, then E. Left of each layer's gates, top to bottom, one column: the
    first neuron's weights, the layer's inputs (the bias input first), the second neuron's weights."""
    model, root = example.row_model, example.row.E
    names = mlp_names(model, root)
    # One frame per neuron, "layer 1, neuron 1": nested layer frames (layer 1/neuron 1) kept layer 2 below
    # layer 1 on a diagonal, and with the inputs' column they drew neuron 2 above neuron 1. The weights stay
    # out of the frames: an edge from outside a frame cannot pass through it (Graphviz keeps its bends out of
    # every cluster), so with each neuron's weights framed in the column between the inputs and the gate, the
    # edges of a0[0] and a0[3] (and a1[2]'s into neuron 2) looped around the frames.
    groups = {v: path.replace("/", ", ")
              for v, path in groups_from_parameters(root, model.named_parameters()).items() if not v.is_leaf}
    inputs = row_inputs(example)
    picture = draw_graph(root, parameters=model.parameters(), groups=groups, edge_derivatives=True, names=names,
                         first_column=inputs,
                         title="Row 1 of the slides' MLP: each node's data and dE/d(node); each edge, its local"
                               " derivative\n" + ROW_KEY)
    line_up_inputs_with_weights(picture, model)
    # Their labels, stacked between the column and the gates, are joined to their edges by a line (decorate):
    # each input's two edges fan out to both neurons and a label could be read as its neighbour's.
    _edit_edges(picture, lambda a, b: a.startswith("a0[") and b.startswith("s1["), "decorate=true")
    # a1[k] -> layer 2's gates two columns on, so layer 2's weights sit right of a1, not in its column:
    # layer 2 is then drawn right of layer 1 (it was below it, the picture a diagonal).
    _edit_edges(picture, lambda a, b: bool(re.fullmatch(r"a1\[[1-9]\d*\]", a)) and b.startswith("s2["),
                "minlen=2")
    # Those edges skip a column, and their local derivatives sat halfway along, far from
    # both ends and nearer other edges than their own (which 0.5000 is a1[2]'s into neuron 1?): each label
    # is now joined to its edge by a line (Graphviz's decorate).
    picture.body[:] = [line.replace("minlen=2", "minlen=2 decorate=true")
                       if " -> " in line and "label=" in line and "decorate" not in line else line
                       for line in picture.body]
    return picture


def line_up_inputs_with_weights(picture: ValueGraph, model: MLP) -> None:
    """Draw each layer's inputs in its weights' column: neuron 1's weights, the inputs (bias input first), neuron
    2's weights, top to bottom (layer 2's only input in that column is its bias input a1[0]).

    For a picture of row 1 drawn with the inputs a0[0..3] as ``first_column`` (`row_picture`, the
    step-through page): a column to themselves at the left, their edges into the gates passed the
    weights' column, where Graphviz bent them around the weights above and below (a0[0]'s and a0[3]'s
    looped around the neuron frames). In the weights' column, each edge reaches its gate directly.
    """
    _edit_edges(picture, lambda a, b: a.startswith("a0[") and b.startswith("s1["), "", drop="minlen=2")
    for layer_number, layer in enumerate(model.layers, start=1):
        fan_in = len(layer.neurons[0].w)
        weights = [[f"w{layer_number}[{i},{k}]" for i in range(fan_in + 1)] for k in range(1, len(layer.neurons) + 1)]
        middle = [f"a0[{i}]" for i in range(fan_in + 1)] if layer_number == 1 else [f"a{layer_number - 1}[0]"]
        _line_up(picture, [*weights[0], *middle, *(w for rest in weights[1:] for w in rest)], middle)


def _line_up(picture: ValueGraph, column: list[str], middle: list[str]) -> None:
    """Draw the nodes named ``column`` in one column, top to bottom in this order.

    The invisible edges that already order ``middle`` against the rest of the
    column (each gate's inputs in the order it takes them: the weights above
    the bias input) are dropped first, so the order asked for here is the only one.
    """
    ids = {name: n for n, name in first_lines(picture).items()}
    if any(name not in ids for name in column):
        raise ValueError(f"_line_up: {[n for n in column if n not in ids]} not drawn")
    inner, outer = {ids[n] for n in middle}, {ids[n] for n in column if n not in middle}
    kept = []
    for line in picture.body:
        edge = re.fullmatch(r"\t+(\w+) -> (\w+) \[style=invis\]", line.rstrip("\n"))
        if edge and ({edge.group(1), edge.group(2)} & inner) and ({edge.group(1), edge.group(2)} & outer):
            continue
        kept.append(line)
    order = [ids[n] for n in column]
    chain = [f"\t\t{a} -> {b} [style=invis]\n" for a, b in zip(order, order[1:])]
    picture.body[:] = [*kept, "\t{\n", "\t\trank=same\n", *chain, "\t}\n"]


def row_inputs(example: WorkedExample) -> list[Value | str]:
    """Row 1's inputs a0[0] (the bias input, by its name) .. a0[3], for ``first_column``: the slides draw them
    in a column at the left. The row picture and the step-through page both draw them so."""
    names = mlp_names(example.row_model, example.row.E)
    inputs = {names.name(v): v for v in reading_order(example.row.E) if v.is_leaf}
    return ["a0[0]", *(inputs[f"a0[{i}]"] for i in range(1, 4))]


def _edit_edges(picture: ValueGraph, chosen: Callable[[str, str], bool], attrs: str, *, drop: str = "") -> None:
    """Add ``attrs`` to (and remove ``drop`` from) each edge into a gate whose source's and gate's value's first
    lines satisfy ``chosen``."""
    first_line = {m.group(1): m.group(2) for line in picture.body
                  if (m := re.match(r'\t+(\w+) \[label="([^"\\]*)', line))}
    for k, line in enumerate(picture.body):
        edge = re.fullmatch(r"(\t+)(\w+) -> (v\d+)op(?: \[(.*)\])?", line.rstrip("\n"))
        if edge and chosen(first_line.get(edge.group(2), ""), first_line.get(edge.group(3), "")):
            old = edge.group(4) or ""
            if drop:
                old = re.sub(rf"(^| ){re.escape(drop)}(?= |$)", "", old).strip()
            both = " ".join(part for part in (attrs, old) if part)
            picture.body[k] = f"{edge.group(1)}{edge.group(2)} -> {edge.group(3)}op [{both}]\n"


def batch_picture(example: WorkedExample) -> ValueGraph:
    """The batch graph (rows 1..4 summed): one cluster per row r, in order, named with r, with a legend."""
    names = mlp_names(example.batch_model, example.batch, rows=True)
    names.nodes[example.batch] = f"E (r=1..{BATCH_ROWS})"
    groups = {}
    for v in reading_order(example.batch):
        name = names.nodes.get(v, "")
        if " (r=" in name and v is not example.batch:
            groups[v] = "r=" + name.rsplit("(r=", 1)[1].rstrip(")")
    _pull_into_groups(example.batch, groups, names.nodes)
    picture = draw_graph(example.batch, parameters=example.batch_model.parameters(), names=names, groups=groups,
                         max_nodes=600, legend=BATCH_LEGEND,
                         title=f"The batch step: E summed over rows r = 1..{BATCH_ROWS}; parameter grads are c1,"
                               " c2")
    # Each weight feeds its neuron's sum in every row: 14 weights x 4 rows = 56 edges across the picture.
    # Each neuron's column of weights w_l[i,k] (the slides' tables) joins in one box with one blue edge per row.
    for layer_number, layer in enumerate(example.batch_model.layers, start=1):
        for k, neuron in enumerate(layer.neurons, start=1):
            members = [f"w{layer_number}[{i},{k}]" for i in range(len(neuron.w) + 1)]  # w[0,k] is the bias
            bundle = bundle_edges(picture, members, node=f"w{layer_number}_{k}", label=f"w{layer_number}[i,{k}]",
                                  fill=ROLE_STYLE["parameter"]["fillcolor"], color=WEIGHT_EDGE,
                                  into=[f"s{layer_number}[{k}] (r={r})" for r in range(1, BATCH_ROWS + 1)])
            # Into each row's gate from above its inputs' column (neuron 1) or below it (neuron 2): entering
            # from the left, each blue edge crossed the grey edges from that row's inputs into both gates.
            edge = "a0[0]" if layer_number == 1 else "a1[0]"
            if k == 2:
                edge = f"a0[{len(neuron.w)}]" if layer_number == 1 else f"a1[{len(neuron.w)}]"
            ids = {name: n for n, name in first_lines(picture).items()}
            enter_beside(picture, bundle, {gate: (ids[f"{edge} (r={r})"], "above" if k == 1 else "below")
                                           for r, gate in enumerate(bundle.gates, start=1)})
    return picture


def _pull_into_groups(root: Value, groups: dict[Value, str], names: dict[Value, str]) -> None:
    """Put each unnamed computed node (the error terms of a row) in the group of the row it comes from."""
    for v in reading_order(root):
        if v in groups or v.is_leaf or v is root:
            continue
        found = {groups[p] for p in v.parents if p in groups}
        if len(found) == 1:
            groups[v] = found.pop()
            if v.label:
                names.setdefault(v, f"{v.label} ({groups[v]})")


def hello_unrolled_graph() -> tuple[Value, dict[Value, str], dict[Value, str], list[Value]]:
    """The hello RNN's loss as the slides write it; returns (loss, names, groups by time step, parameters)."""
    model = hello_model()
    cell = model.cell
    assert isinstance(cell, RNNCell)
    vocab = HELLO_VOCAB
    names: dict[Value, str] = {}
    groups: dict[Value, str] = {}
    h = [Value(0.0) for _ in range(cell.hidden_size)]
    for k, v in enumerate(h):
        names[v], groups[v] = f"h_0[{k}]", "h_0"
    terms = []
    for t, (char, target) in enumerate(zip(HELLO_INPUTS, HELLO_TARGETS), start=1):
        x = [Value(1.0 if c == char else 0.0) for c in vocab]
        for c, v in zip(vocab, x):
            names[v] = f"x_{t}[{c}]" + (f" ('{char}')" if c == char else "")
            groups[v] = f"t={t}"
        h = cell(x, h)
        logits = model.head(h)
        exps = [z.exp() for z in logits]  # the hello logits are below 1: no shift is needed against overflow
        total = sum_of(exps)
        y_hat = [e / total for e in exps]
        y = [1.0 if c == target else 0.0 for c in vocab]
        logs = [p.log() for p in y_hat]
        products = [yj * log for yj, log in zip(y, logs)]
        cross_entropy = sum_of(products)
        term = -cross_entropy
        # Each step of the slides' L_t = -Σ_j y_t[j] log ŷ_t[j] named, so no box shows a bare number.
        names[total] = f"Σ exp(s2_{t})"
        names[cross_entropy] = f"Σ y_{t} log ŷ_{t}"
        for j, (c, p) in enumerate(zip(vocab, y_hat)):
            names[p] = f"ŷ_{t}[{c}]"
            names[exps[j]] = f"exp(s2_{t}[{j}])"
            names[logs[j]] = f"log ŷ_{t}[{c}]"
            names[products[j]] = f"y_{t}[{c}] log ŷ_{t}[{c}]"
        names[term] = f"L_{t}"
        terms.append(term)
    loss = sum_of(terms)
    names[loss] = "L = L_1 + ... + L_4"
    loss.backward()
    slide = rnn_names(cell, loss, model.head).nodes
    names.update(slide)
    for v, name in list(names.items()):
        step = re.match(r"[^_ ]+_(\d+)(\[|$)", name)  # h_2[0], s2_3[1]: the time step after "_"
        if step and v not in groups:
            groups[v] = f"t={step.group(1)}"
    _pull_into_groups(loss, groups, {})
    # L_1 .. L_4 stay outside the steps, beside L: drawn there in the order they are summed (see
    # viz.graph._gate_inputs), they pull step 1 to the top and each later step below it.
    for term in terms:
        groups.pop(term, None)
    return loss, names, groups, model.parameters()


def hello_unrolled_picture(collapsed: bool = False) -> ValueGraph:
    """The unrolled hello RNN: steps top to bottom, one cluster each, each starting at the left edge so the
    picture fits a slide (``collapsed``: one box each, h_0 then t=1..4 on a diagonal, each box a column right
    of the one before and t=2..4 each lower, the step losses L_1..L_4 in a column beside L)."""
    loss, names, groups, parameters = hello_unrolled_graph()
    if not collapsed:
        # h_0 under x_1, in step 1's frame: in a frame of its own it stood below step 1's, in the gap where h_1
        # is carried back to step 2, and h_1's return arrow dipped under it to reach its box.
        groups.update({v: "t=1" for v, group in groups.items() if group == "h_0"})
    # Collapsed, dot puts each box one rank (column) right of the one feeding it h_t, and steps down to t=4: the
    # title said "left to right, top to bottom", which reads as rows of boxes (new-user trial 26).
    how = "each time step collapsed into one box" if collapsed else "shared weights not drawn"
    picture = draw_graph(loss, parameters=parameters, names=names, groups=groups, collapsed=collapsed, decimals=3,
                         show_parameters=False, show_constants=False, max_nodes=1200, legend=None if collapsed else {
                             "input": "x_t: the one-hot input; h_0",
                             "intermediate": "s1, h, s2, ŷ, L: data and dL/d(value)",
                             "gate": "op gate", "root": "the loss L"},
                         title=f'"{HELLO_INPUTS}" -> "{HELLO_TARGETS}": the RNN unrolled, t = 1..4 '
                               f'{"on a diagonal from h_0" if collapsed else "top to bottom"} ({how})')
    if not collapsed:
        _stack_time_steps(picture)
    else:
        _line_up_step_losses(picture)
    return picture


def _line_up_step_losses(picture: ValueGraph) -> None:
    """Put L_1..L_4 in one column beside the sum, as the expanded picture has them, and their ops in another.

    Collapsed, each L_t hangs off its step's box by one op, and dot's ranking drew L_2 a column left of
    L_1, L_3 and L_4 (new-user trial 24): one rank for them keeps the four terms of L lined up.
    """
    step_losses = [node for node, name in first_lines(picture).items() if re.fullmatch(r"L_\d+", name)]
    for column_of in (step_losses, [f"{node}op" for node in step_losses]):  # the L_t, then the ops making them
        with picture.subgraph() as column:
            column.attr(rank="same")
            for node in column_of:
                column.node(node)


def _stack_time_steps(picture: ValueGraph) -> None:
    """Stack the time steps under each other instead of on a diagonal, and pack the ranks closer.

    Each h_t is computed at the end of step t's recurrence and read by the gates of s1_{t+1} at the start
    of the next row, to its left. As plain edges they made step t+1 start right of h_t: four steps of
    some 22 columns each drew a staircase 4575 px wide whose text was tiny on a slide. As edges that set
    no columns (constraint=false) they ran right to left, around the frames in their way. Now h_t's three
    values join at a point beside them, one arrow carries h_t back along the gap to a box "h_t" at the
    left, and that box feeds step t+1's gates (`viz.bundles.bundle_edges`, ``carried``); the L_t beside L
    still order the steps top to bottom (see `hello_unrolled_graph`). h_0 is drawn at the left already, under
    x_1 in step 1's frame (`hello_unrolled_picture`).
    """
    names = set(first_lines(picture).values())
    for t in range(1, len(HELLO_INPUTS)):
        state = sorted(n for n in names if re.fullmatch(rf"h_{t}\[\d+\]", n))
        bundle_edges(picture, state, node=f"carry_h_{t}", label=f"h_{t}", fill=ROLE_STYLE["intermediate"]["fillcolor"],
                     into=[f"s1_{t + 1}[{k}]" for k in range(len(state))], carried=True)
    picture.graph_attr.update(ranksep="0.25", nodesep="0.12")


#: The gates top to bottom, in the order the slides' LSTM pages take them (Michael Phi's illustrated guide,
#: which the slides cite: forget gate, input gate, cell candidate, output gate). The title says the same.
LSTM_GATES = (("f", "forget gate f"), ("i", "input gate i"), ("g", "candidate g"), ("o", "output gate o"))
BIAS_INPUT = "bias input"
#: The vector each gate's sum reads, as the slides' LSTM guide joins the state and the input: [x_t, h_{t-1}, 1].
LSTM_VECTOR = "[x_1, h_0, 1]"


def lstm_step_picture() -> ValueGraph:
    """One LSTM step (2 inputs, 1 unit): the inputs c_0, x_1, h_0 and the bias input at the left, then one
    cluster per gate (f, i, g, o top to bottom: its weights, sum and value), the cell c_1 and h_1 named."""
    cell = LSTMCell(2, 1, seed=3)
    x = [Value(0.5, label="x_1[0]"), Value(-1.0, label="x_1[1]")]
    h0, c0 = [Value(0.2, label="h_0[0]")], [Value(0.4, label="c_0[0]")]
    h, c = cell(x, (h0, c0))
    out = h[0] + c[0]  # a stand-in loss that reads both outputs, so every gradient shows
    out.label = "h_1[0] + c_1[0]"
    out.backward()
    names = lstm_names(cell, out)
    by_name = {name: v for v, name in names.nodes.items()}
    groups: dict[Value, str] = {}
    for gate, cluster in LSTM_GATES:
        z, value = by_name[f"z{gate}_1[0]"], by_name[f"{gate}_1[0]"]
        for v in (*getattr(cell, f"W_{gate}")[0], getattr(cell, f"b_{gate}")[0], z, value):
            groups[v] = cluster
        # The 1 each gate's sum multiplies its bias by (the last input of W_G [x, h, 1]): one box, beside x and h.
        names.uses[(z, len(z.parents) - 1)] = BIAS_INPUT
    f, i, g, c1 = by_name["f_1[0]"], by_name["i_1[0]"], by_name["g_1[0]"], by_name["c_1[0]"]
    for product in c1.parents:  # c_1 = f·c_0 + i·g: name both products
        names.nodes[product] = "f_1[0]·c_0[0]" if f in product.parents else "i_1[0]·g_1[0]"
    assert {i, g} <= {p for product in c1.parents for p in product.parents}
    gates = ", ".join(gate for gate, _ in LSTM_GATES)
    picture = draw_named(cell, out, inputs=[*x, *h0, *c0], decimals=3, legend=LSTM_LEGEND, names=names,
                         groups=groups, first_column=[*c0, *x, *h0, BIAS_INPUT],
                         title=f"One LSTM step: gates {gates} (top to bottom); cell c_1 = f·c_0 + i·g;"
                               " h_1 = o·tanh(c_1)")
    # x_1[0], x_1[1], h_0[0] and the 1 each feed all four sums: 16 edges that had to cross. Joined into the
    # vector every gate reads, [x_1, h_0, 1], they are 4 short edges in and one edge out to each gate; the
    # box a column before the weights, so the edges out pass below them.
    bundle = bundle_edges(picture, ["x_1[0]", "x_1[1]", "h_0[0]", BIAS_INPUT], node="xh_1", label=LSTM_VECTOR,
                          fill=ROLE_STYLE["input"]["fillcolor"], into=[f"z{gate}_1[0]" for gate, _ in LSTM_GATES],
                          before="\tsubgraph first_column", minlen=2)
    # Each of those edges enters its gate's frame below the bias b_G, in the weights' column: passing that
    # column outside the frames, the edge to f ran up past i's frame and the edge to o looped under o's.
    ids = {name: n for n, name in first_lines(picture).items()}
    enter_beside(picture, bundle, {gate_id: (ids[f"b_{gate}[0]"], "below")
                                   for gate_id, (gate, _) in zip(bundle.gates, LSTM_GATES)})
    return picture
