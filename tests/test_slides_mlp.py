"""Worked example 1 against an independent plain-Python computation written here.

The reference below is the slides' algebra done by hand with floats (no
engine): forward pass, E, the chain rule per weight, batch sums over rows
1..4, and w* = w - alpha * c.
"""

from __future__ import annotations

import math

import pytest

from lecture.slides_mlp import (
    SLIDES_W1,
    SLIDES_W2,
    SLIDES_X,
    SLIDES_Y,
    row_graph,
    slides_network,
    worked_example_report,
)


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def total(xs: list[float]) -> float:
    """Left to right, as the engine adds (builtin sum compensates from Python 3.12 on)."""
    out = 0.0
    for x in xs:
        out += x
    return out


def reference() -> dict[str, float]:
    """Every quantity of the slides by hand."""
    w1, w2 = SLIDES_W1, SLIDES_W2
    out: dict[str, float] = {}
    c1 = [[0.0, 0.0] for _ in range(4)]
    c2 = [[0.0, 0.0] for _ in range(3)]
    for r in range(4):
        a0 = [1.0, *SLIDES_X[r]]
        y = SLIDES_Y[r]
        s1 = [total([w1[i][k] * a0[i] for i in range(4)]) for k in range(2)]
        a1 = [1.0] + [sigmoid(s) for s in s1]
        s2 = [total([w2[k][j] * a1[k] for k in range(3)]) for j in range(2)]
        a2 = [sigmoid(s) for s in s2]
        E = 0.5 * total([(a2[j] - y[j]) ** 2 for j in range(2)])
        delta2 = [(a2[j] - y[j]) * a2[j] * (1 - a2[j]) for j in range(2)]
        dE_da1 = [total([delta2[j] * w2[k][j] for j in range(2)]) for k in range(3)]
        delta1 = [dE_da1[k + 1] * a1[k + 1] * (1 - a1[k + 1]) for k in range(2)]
        if r == 0:
            out.update({"s1[1]": s1[0], "a1[1]": a1[1], "a1[2]": a1[2], "s2[1]": s2[0], "a2[1]": a2[0],
                        "a2[2]": a2[1], "E": E, "dE/dw2[0,1]": delta2[0] * a1[0], "dE/da1[1]": dE_da1[1],
                        "dE/dw1[0,1]": delta1[0] * a0[0]})
        for k in range(3):
            for j in range(2):
                c2[k][j] += delta2[j] * a1[k]
        for i in range(4):
            for k in range(2):
                c1[i][k] += delta1[k] * a0[i]
    for i in range(4):
        for k in range(2):
            out[f"c1[{i},{k + 1}]"] = c1[i][k]
            out[f"w1*[{i},{k + 1}]"] = w1[i][k] - 0.01 * c1[i][k]
    for i in range(3):
        for k in range(2):
            out[f"c2[{i},{k + 1}]"] = c2[i][k]
            out[f"w2*[{i},{k + 1}]"] = w2[i][k] - 0.01 * c2[i][k]
    return out


def test_every_reported_number_matches_the_hand_computation() -> None:
    expected = reference()
    report = worked_example_report()
    assert len(report.rows) == 38
    for row in report.rows:
        assert row.ours == pytest.approx(expected[row.quantity], abs=5e-5), row.quantity
        assert round(row.ours, 4) == round(expected[row.quantity], 4), row.quantity


def test_slide_values_we_know_by_hand() -> None:
    rows = {r.quantity: r for r in worked_example_report().rows}
    assert rows["s1[1]"].ours == pytest.approx(4.3, abs=1e-12)  # .5 + .1*1 + .3*4 + .5*5
    assert rows["dE/da1[1]"].ours == pytest.approx(0.1502, abs=5e-5)
    assert rows["dE/dw1[0,1]"].ours == pytest.approx(0.0020, abs=5e-5)
    assert rows["c2[0,1]"].ours == pytest.approx(0.3447, abs=5e-5)
    assert rows["w1*[2,1]"].ours == pytest.approx(0.3029, abs=5e-5)


def test_exactly_the_slide_slips_are_marked_with_reasons() -> None:
    report = worked_example_report()
    differing = {r.quantity for r in report.differing()}
    # dE/dw2[0,1]: the slide rounds intermediates (.0775 vs .077574).
    # w2*: the slide's table is not w2 - 0.01 * c2 from its own tables, except [0,1].
    assert differing == {"dE/dw2[0,1]", "w2*[0,2]", "w2*[1,1]", "w2*[1,2]", "w2*[2,1]", "w2*[2,2]"}
    for row in report.differing():
        assert row.note, row.quantity
    w2_11 = next(r for r in report.rows if r.quantity == "w2*[1,1]")
    assert "0.6971" in w2_11.note and ".4971" in w2_11.note
    assert "DIFFERS" in str(report) and "32 of 38" in str(report)


def test_row_graph_carries_the_slides_names() -> None:
    model = slides_network()
    g = row_graph(model, 1)
    assert [v.label for v in g.a2] == ["a2[1]", "a2[2]"]
    assert model.layers[0].neurons[0].b.label == "w1[0,1]"
    assert model.layers[1].neurons[1].w[1].label == "w2[2,2]"
    with pytest.raises(ValueError, match="row r must be in 1..6"):
        row_graph(model, 7)


def test_the_docstring_names_the_network_as_the_project_does_and_the_counts_hold() -> None:
    """ "The 3-4-2 worked example": 3 inputs, 4 rows of w1 (bias row first), 2 outputs; layer widths 3-2-2."""
    import lecture.slides_mlp as slides_mlp

    doc = slides_mlp.__doc__ or ""
    assert "3-4-2" in doc.splitlines()[0]
    model = slides_mlp.worked_example().row_model
    w1, w2 = (layer.weight_table() for layer in model.layers)
    assert (len(w1), len(w1[0])) == (4, 2)  # 3 inputs + the bias row; 2 hidden units
    assert (len(w2), len(w2[0])) == (3, 2)  # 2 hidden + the bias row; 2 outputs
    assert w1[0] == [0.5, 0.5]  # row 0 is the biases, as in the README's draw_3_4_2 example


def test_the_rounding_remark_shows_the_slides_product_to_enough_decimals() -> None:
    import re

    from lecture.slides_mlp import REMARKS, worked_example

    remark = REMARKS["dE/dw2[0,1]"]
    shown = [float(x) for x in re.findall(r"= (0\.\d+)", remark)]
    by_hand = (0.8896 - 0.1) * 0.8896 * (1 - 0.8896)  # the slide's rounded intermediates
    assert shown and abs(shown[0] - by_hand) < 5e-7
    assert f"{shown[0]:.4f}" == "0.0775"  # the figure shown rounds to the slide's .0775 (0.07755 did not)
    unrounded = worked_example().row_model.layers[1].neurons[0].b.grad
    assert f"{unrounded:.6f}" in remark and f"{unrounded:.4f}" == "0.0776"


def test_the_functional_dependencies_slides_partial_products_agree() -> None:
    # "s_2 = sum a_1[k] * w_2[0,1] + .6906 + .8955": w2[1,1] * a1[1] and w2[2,1] * a1[2] of row 1, which the
    # report's 38 rows do not list (they are not results); the README says they agree.
    from lecture.slides_mlp import row_graph, slides_network

    model = slides_network()
    g = row_graph(model, 1)
    w2_1, w2_2 = model.layers[1].neurons[0].w  # column 1 of w2: rows k = 1, 2 (row 0 is the bias)
    assert (w2_1.data, w2_2.data) == (0.7, 0.9)
    assert f"{w2_1.data * g.a1[0].data:.4f}" == "0.6906"
    assert f"{w2_2.data * g.a1[1].data:.4f}" == "0.8955"


def test_the_w2_star_slips_name_their_cause() -> None:
    # .4971 = 0.5 - 0.01 * .2929 (to 4 places: 0.497071): the update applied to 0.5 (w2[0,2], w2[0,1] too)
    # instead of w2[1,1] = 0.7. The other four wrong entries are w * 0.01 * c with w2 read row by row:
    # .0039 = 0.8 * 0.01 * .4816, .0038 = 0.9 * 0.01 * .4176, .0021 = 0.7 * 0.01 * .2930, .0004 = 0.1 * 0.01 * .4191.
    from lecture.slides_mlp import worked_example_report

    assert f"{0.5 - 0.01 * 0.2929:.4f}" == "0.4971"
    notes = {row.quantity: row.note for row in worked_example_report().rows}
    assert "puts w2[0,2] = 0.5 in place of w2[1,1] = 0.7 (w2[0,1] is 0.5 too)" in notes["w2*[1,1]"]
    for quantity, w, c, slide in (("w2*[0,2]", 0.8, ".4816", ".0039"), ("w2*[1,2]", 0.9, ".4176", ".0038"),
                                  ("w2*[2,1]", 0.7, ".2930", ".0021"), ("w2*[2,2]", 0.1, ".4191", ".0004")):
        assert f"{w * 0.01 * float(c):.4f}" == "0" + slide, quantity
        assert f"({slide} is {w:g} * 0.01 * {c} = " in notes[quantity], quantity
        assert "w times alpha * c, not w minus alpha * c" in notes[quantity], quantity


def test_the_notation_slips_are_said_and_the_parameters_are_the_tables_entries() -> None:
    """The deck's notation slips (no number changes) are listed in the report's notes; the network's parameters
    are exactly w1's 4 x 2 and w2's 3 x 2 table entries: 14."""
    from lecture.slides_mlp import NOTATION_NOTE, worked_example_report

    notes = worked_example_report().notes
    assert NOTATION_NOTE in notes and notes[-1].startswith('The E slide\'s side labels "Loss: 2"')
    for slip in ("{y_hat_j - y_k}", "{a_1[j](1 - a_1[j])}", "ds_2[j]/da_1[k, j]", "for j = 1..m",
                 "i = 0..m, k = 1..l", "s_2 = sum a_1[k] * w_2[0,1] + .6906 + .8955", "w[i, 1] w[i, 2]"):
        assert slip in NOTATION_NOTE, slip
    assert len(slides_network().parameters()) == 4 * 2 + 3 * 2 == 14
