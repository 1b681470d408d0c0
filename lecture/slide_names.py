"""The slides' names for the nodes of any MLP, RNN or LSTM graph, to draw with `viz.draw_graph(names=...)`.

The library labels parameters (w1[i,k], Wxh[k][i], W_f[k][j]); these
functions name what a forward pass computes, found from the parameters each
node reads, so they work on a user's own graph:

- `mlp_names`: inputs a0[i] (the bias's 1 is a0[0], one per layer: a1[0],
  ...), sums s_l[k], activations a_l[k], the loss E. The slides' 3-4-2
  example (3 inputs; 4 rows of w1 with the bias; 2 outputs) reads s1[1],
  a1[1], s2[1], a2[1], E.
- `rnn_names`: per time step t, s1_t[k] = Wxh x_t + Whh h_{t-1} + bh,
  h_t[k] = tanh(s1_t[k]), the logits s2_t[j] = Why h_t + by.
- `lstm_names`: per time step t, the gates i_t[k], f_t[k], g_t[k], o_t[k]
  (their sums z_i, z_f, z_g, z_o), the cell c_t[k], tanh(c_t[k]) and h_t[k].

A model applied several times in one graph (rows of a batch, time steps) gets
a suffix per application: " (r=2)" for `mlp_names(..., rows=True)`, the time
step in the name for the cells (counted from 1 in the order the steps ran).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from autograd import Value
from autograd import ops as _ops
from nn import MLP, CharModel, Linear, LSTMCell, RNNCell
from viz import ValueGraph, draw_graph
from viz.names import GraphNames, consumers, reading_order

#: The key drawn beside a picture with the slides' names: the colours of draw_graph's roles.
LEGEND = {"parameter": "weight (w, W): a parameter", "input": "input (a0[i], x_t; a0[0] = 1 is the bias input)",
          "intermediate": "computed value: data and dLoss/d(value)", "gate": "op gate (w·x, σ, tanh, ×, +)",
          "root": "the loss", "constant": "plain number"}


def draw_named(model: MLP | CharModel | RNNCell | LSTMCell, root: Value, **draw_options: Any) -> ValueGraph:
    """Draw ``root``'s graph with the slides' names for ``model``'s nodes, its parameters, and a legend.

    ``draw_options`` go to `viz.draw_graph` (decimals, edge_derivatives, groups, ...); names given there
    are added to the slides' ones.
    """
    if not isinstance(root, Value):  # before the namers walk it: a float has no .parents to read
        raise TypeError(f"draw_named needs root to be a Value, got {type(root).__name__}")
    if isinstance(model, MLP):
        names = mlp_names(model, root)
    elif isinstance(model, CharModel):
        names = char_model_names(model, root)
    elif isinstance(model, RNNCell):
        names = rnn_names(model, root)
    elif isinstance(model, LSTMCell):
        names = lstm_names(model, root)
    else:
        raise TypeError(f"draw_named draws an MLP, CharModel, RNNCell or LSTMCell, got {type(model).__name__}")
    names.update(GraphNames.of(draw_options.pop("names", None)))
    draw_options.setdefault("parameters", model.parameters())
    draw_options.setdefault("legend", LEGEND)
    return draw_graph(root, names=names, **draw_options)


def mlp_names(model: MLP, root: Value, *, loss: str = "E", rows: bool | None = None) -> GraphNames:
    """The slides' names for every forward pass of ``model`` that ``root`` was computed from.

    ``rows``: add " (r=n)" to the names of the n-th pass (a batch summed into
    one loss); None adds it only when the graph holds more than one pass. The
    root is named ``loss`` unless it is one of the named nodes or has a label.
    """
    if not isinstance(model, MLP):
        raise TypeError(f"mlp_names needs an nn.MLP, got {type(model).__name__}")
    order = reading_order(root)
    users = consumers(order)
    names = GraphNames()
    passes = max(1, len(_sums_reading(order, model.layers[0].neurons[0].b)))
    with_rows = passes > 1 if rows is None else rows
    outputs: dict[str, list[tuple[str, Value]]] = {}  # per row suffix: (name, node) of each output
    for layer_number, layer in enumerate(model.layers, start=1):
        for k, neuron in enumerate(layer.neurons, start=1):
            for r, s in enumerate(_sums_reading(order, neuron.b), start=1):
                row = f" (r={r})" if with_rows else ""
                names.nodes[s] = f"s{layer_number}[{k}]{row}"
                names.nodes[_activation_of(s, users)] = f"a{layer_number}[{k}]{row}"
                if layer_number == len(model.layers):
                    outputs.setdefault(row, []).append((f"a{layer_number}[{k}]", _activation_of(s, users)))
                _name_inputs(names, s, len(neuron.w), layer_number - 1, row)
    for row, named_outputs in outputs.items():
        _name_squared_errors(names, users, named_outputs, row)
    if root not in names.nodes and not root.label:
        names.nodes[root] = loss
    return names


def _name_squared_errors(names: GraphNames, users: dict[Value, list[Value]],
                         outputs: Sequence[tuple[str, Value]], row: str) -> None:
    """Name the terms of E = 1/2 sum_j (a[j] - y[j])^2 (the slides' error): y[j], a[j] - y[j], its square, the sum.

    Found by shape: the output minus a constant target, that difference to the power 2, and one sum
    reading only such squares; nodes of any other shape keep no name.
    """
    squares = []
    for name, a in outputs:
        j = name[name.index("["):]
        for diff in users.get(a, []):
            if diff.op is _ops.SUB and diff.parents[0] is a and diff.parents[1].is_constant:
                names.nodes.setdefault(diff, f"{name} - y{j}{row}")
                # The target is a plain number (0.1, 0.05): named y[j] as on the slides, not left bare.
                names.uses.setdefault((diff, 1), f"y{j}{row}")
                for square in users.get(diff, []):
                    if square.op is _ops.POW and square.parents[1].is_constant and square.parents[1].data == 2.0:
                        names.nodes.setdefault(square, f"({name} - y{j})²{row}")
                        squares.append(square)
    last = outputs[-1][0].split("[")[0] if outputs else "a"
    for total in {u for sq in squares for u in users.get(sq, []) if u.op is _ops.SUM}:
        if all(p in squares for p in total.parents):
            names.nodes.setdefault(total, f"Σj ({last}[j] - y[j])²{row}")


def _name_inputs(names: GraphNames, s: Value, nin: int, layer: int, row: str) -> None:
    """Name a neuron's inputs a{layer}[i]: parents of dot([b, *w], [1, *x]) at nin + 1 + i."""
    for i in range(nin + 1):
        position = nin + 1 + i
        x = s.parents[position]
        name = f"a{layer}[{i}]{row}"
        if x.is_constant:
            names.uses[(s, position)] = name
        elif x.is_leaf and x not in names.nodes and (row or not x.label):
            names.nodes[x] = name  # in a batch each row's inputs get the row index


def rnn_names(cell: RNNCell, root: Value, head: Linear | None = None) -> GraphNames:
    """Names for every step of ``cell`` in ``root``'s graph: s1_t[k], h_t[k]; and the head's logits s2_t[j]."""
    if not isinstance(cell, RNNCell):
        raise TypeError(f"rnn_names needs an nn.RNNCell, got {type(cell).__name__}")
    order = reading_order(root)
    users = consumers(order)
    names = GraphNames()
    for k, bias in enumerate(cell.bh):
        for t, z in enumerate(_sums_reading(order, bias), start=1):
            s = _plus_one_hot_column(z, users, cell.Wxh[k])
            names.nodes[s] = f"s1_{t}[{k}]"
            names.nodes[_activation_of(s, users)] = f"h_{t}[{k}]"
    if head is not None:
        names.update(linear_names(head, order, "s2"))
    return names


def lstm_names(cell: LSTMCell, root: Value, head: Linear | None = None) -> GraphNames:
    """Names for every step of ``cell`` in ``root``'s graph: gates i, f, g, o, cell c, tanh(c), h; logits s2.

    Gate G's sum (W_G [x, h] + b_G) is z{G}_t[k], its value G_t[k]; the cell
    is c_t[k] = f_t[k] * c_{t-1}[k] + i_t[k] * g_t[k]; h_t[k] = o_t[k] * tanh(c_t[k]).
    """
    if not isinstance(cell, LSTMCell):
        raise TypeError(f"lstm_names needs an nn.LSTMCell, got {type(cell).__name__}")
    order = reading_order(root)
    users = consumers(order)
    names = GraphNames()
    for k in range(cell.hidden_size):
        gates: dict[str, list[Value]] = {}
        for gate in ("i", "f", "g", "o"):
            weights = getattr(cell, f"W_{gate}")[k][: cell.input_size]
            gates[gate] = []
            for t, z in enumerate(_sums_reading(order, getattr(cell, f"b_{gate}")[k]), start=1):
                z = _plus_one_hot_column(z, users, weights)
                names.nodes[z] = f"z{gate}_{t}[{k}]"
                value = _activation_of(z, users)
                names.nodes[value] = f"{gate}_{t}[{k}]"
                gates[gate].append(value)
        for t, (i, f, g, o) in enumerate(zip(gates["i"], gates["f"], gates["g"], gates["o"]), start=1):
            c = _cell_of(i, f, g, users)
            if c is None:
                continue
            names.nodes[c] = f"c_{t}[{k}]"
            for use in users.get(c, []):
                if use.op is _ops.TANH:
                    names.nodes[use] = f"tanh(c_{t}[{k}])"
                    h = next((v for v in users.get(use, []) if v.op is _ops.MUL and o in v.parents), None)
                    if h is not None:
                        names.nodes[h] = f"h_{t}[{k}]"
    if head is not None:
        names.update(linear_names(head, order, "s2"))
    return names


def char_model_names(model: CharModel, root: Value) -> GraphNames:
    """`rnn_names` or `lstm_names` for a `nn.CharModel`'s cell, with its head's logits s2_t[j]."""
    if isinstance(model.cell, LSTMCell):
        return lstm_names(model.cell, root, model.head)
    return rnn_names(model.cell, root, model.head)


def linear_names(layer: Linear, order: Sequence[Value], name: str) -> GraphNames:
    """Each output j of every application t of ``layer``: ``{name}_{t}[j]``."""
    names = GraphNames()
    for j, bias in enumerate(layer.b):
        for t, y in enumerate(_sums_reading(order, bias), start=1):
            names.nodes[y] = f"{name}_{t}[{j}]"
    return names


def _sums_reading(order: Sequence[Value], parameter: Value) -> list[Value]:
    """The dot-product nodes that read ``parameter`` directly, in the order they were computed."""
    return [v for v in order if v.op is _ops.DOT and not v.is_leaf and any(p is parameter for p in v.parents)]


def _activation_of(s: Value, users: dict[Value, list[Value]]) -> Value:
    """The one-input op applied to ``s`` (tanh, sigmoid, relu), or ``s`` itself (a linear layer)."""
    for use in users.get(s, []):
        if use.op is not None and use.op.arity == 1 and use.op.name in ("tanh", "sigmoid", "relu"):
            return use
    return s


def _plus_one_hot_column(z: Value, users: dict[Value, list[Value]], column_weights: Sequence[Value]) -> Value:
    """A one-hot input adds its weight column after the dot product: the sum is that add, else ``z``."""
    for use in users.get(z, []):
        if use.op is _ops.ADD and any(p is w for p in use.parents for w in column_weights):
            return use
    return z


def _cell_of(i: Value, f: Value, g: Value, users: dict[Value, list[Value]]) -> Value | None:
    """c = f * c_prev + i * g: the add whose inputs are a product with f and the product i * g."""
    ig = next((v for v in users.get(i, []) if v.op is _ops.MUL and g in v.parents), None)
    if ig is None:
        return None
    return next((v for v in users.get(ig, []) if v.op is _ops.ADD
                 and any(p.op is _ops.MUL and f in p.parents for p in v.parents)), None)
