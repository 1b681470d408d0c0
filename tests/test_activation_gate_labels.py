"""The activation ops draw as gates with their constants in parentheses (``LeakyReLU(0.1)``); pow keeps ``^2``."""

from __future__ import annotations

import nn.functional as F
from autograd import Value
from viz import draw_graph
from viz.graph import gate_symbol


def test_constants_are_folded_into_the_gate_label() -> None:
    x = Value(0.4, label="x")
    gates = [F.leaky_relu(x, 0.1), F.hardtanh(x), F.softplus(x, 2.0, 5.0), F.elu(x, 0.5), x**2, F.gelu(x, "tanh"),
             F.silu(x), x.erf()]
    assert [gate_symbol(g) for g in gates] == ["LeakyReLU(0.1)", "hardtanh(-1,1)", "softplus(2,5)", "ELU(0.5)", "^2",
                                               "GELU(tanh)", "SiLU", "erf"]


def test_a_drawn_graph_labels_the_gates_so_and_draws_no_node_for_their_constants() -> None:
    x = Value(0.4, label="x")
    y = F.softplus(F.gelu(x), 2.0, 5.0) + F.hardtanh(F.leaky_relu(x, 0.1), -0.2, 0.3)
    source = draw_graph(y).source
    assert 'label="softplus(2,5)"' in source and 'label="hardtanh(-0.2,0.3)"' in source
    assert 'label="LeakyReLU(0.1)"' in source and "label=GELU " in source
    assert "label=5 " not in source and 'label="-0.2"' not in source  # the constants are inside their gates
