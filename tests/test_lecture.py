"""The lecture package's helpers for the tour: what they return matches the engine's own numbers."""

from __future__ import annotations

import math

import pytest

from lecture.hello_rnn import hello_rnn_example
from lecture.index_page import index_page
from lecture.lstm_cells import unit_activations
from lecture.output_folder import OutputFolder, UsageError
from lecture.slides_mlp import BATCH_ROWS, row_graph, slides_network, worked_example
from nn import CharModel


def test_hello_step_nodes_are_each_steps_hidden_state_and_loss_term() -> None:
    r = hello_rnn_example()
    assert [[v.label for v in step] for step in r.step_nodes] == [
        [f"h{t}[0]", f"h{t}[1]", f"h{t}[2]", f"L{t}"] for t in range(1, 5)]
    assert [v.data for v in r.step_nodes[0][:3]] == r.hidden[0]
    assert sum(step[-1].data for step in r.step_nodes) == pytest.approx(r.loss, rel=1e-15)


def test_worked_example_graphs_carry_their_own_gradients() -> None:
    ex = worked_example()
    assert round(ex.row.E.data, 4) == 0.5932  # the slide's E for row 1
    reference = slides_network()
    row_graph(reference, 1).E.backward()
    assert [p.grad for p in ex.row_model.parameters()] == [p.grad for p in reference.parameters()]
    reference.zero_grad()
    for r in range(1, BATCH_ROWS + 1):
        row_graph(reference, r).E.backward()
    assert [p.grad for p in ex.batch_model.parameters()] == pytest.approx([p.grad for p in reference.parameters()],
                                                                          rel=1e-12)
    assert ex.batch.data == pytest.approx(sum(row_graph(slides_network(), r).E.data for r in range(1, 5)))


def test_unit_activations_are_the_lstm_states_h_and_tanh_c() -> None:
    model = CharModel(5, 3, cell="lstm", seed=2)
    indices = [0, 3, 1, 4]
    rows, names = unit_activations(model, indices)
    _, states = model.unroll(indices)
    assert names == [f"hidden unit {k}" for k in range(3)] + [f"cell unit {k}" for k in range(3)]
    for row, (h, c) in zip(rows, states):
        assert row == [v.data for v in h] + [math.tanh(v.data) for v in c]


def test_output_folder_never_overwrites_a_users_file_and_lists_what_it_made(tmp_path) -> None:
    (tmp_path / "a.html").write_text("mine")
    folder = OutputFolder(tmp_path)
    with pytest.raises(UsageError, match="a.html already exists and was not made by demo.py"):
        folder.reserve(["a.html"])  # every name is checked before the tour does any work
    assert (tmp_path / "a.html").read_text() == "mine"
    folder.reserve(["b.html"])
    folder.page("mlp", "b.html", "<p>ours</p>", "a page")
    again = OutputFolder(tmp_path)
    again.reserve(["b.html"])
    again.write_text("b.html", "again")  # made by an earlier tour: may be rewritten
    assert (tmp_path / "b.html").read_text() == "again"
    with pytest.raises(RuntimeError, match="'c.html' is written but was not reserved"):
        again.write_text("c.html", "a name the tour did not check up front is a bug in demo.py")
    assert folder.made == [("mlp", "b.html", "a page")]
    page = index_page(folder.made + [("rnn", "c <d>.svg", "x & y")], ["rnn", "mlp"])
    assert page.index("<h2>rnn</h2>") < page.index("<h2>mlp</h2>")
    assert 'href="c &lt;d&gt;.svg"' in page and "x &amp; y" in page
