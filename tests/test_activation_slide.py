"""The activation slide's formulas and the derivative identities (lecture/activation_slide.py) against math's own
functions and central differences written here, at the worked examples' pre-activations typed in by hand."""

from __future__ import annotations

import math

import pytest

from lecture.activation_slide import activation_slide_rows, activation_slide_text


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


REFERENCE = {"sigmoid": sigmoid, "tanh": math.tanh, "relu": lambda z: max(0.0, z)}


def central_difference(f, z: float, h: float = 1e-6) -> float:  # type: ignore[no-untyped-def]
    return (f(z + h) - f(z - h)) / (2 * h)


def test_the_points_are_the_worked_examples_pre_activations() -> None:
    rows = activation_slide_rows()
    points = {name: [r.z for r in rows if r.name == name] for name in REFERENCE}
    # row 1 of the MLP: s1 = .5 + .1*1 + .3*4 + .5*5 = 4.3 and 5.3; s2[j] = .5 + w2[1,j] a1[1] + w2[2,j] a1[2]
    a1 = [sigmoid(4.3), sigmoid(5.3)]
    s2 = [0.5 + 0.7 * a1[0] + 0.9 * a1[1], 0.5 + 0.8 * a1[0] + 0.1 * a1[1]]
    assert points["sigmoid"][:4] == pytest.approx([4.3, 5.3, *s2], abs=1e-14)
    # the hello RNN's first step: tanh(Wxh x_h), the tutorial's first column of Wxh
    assert points["tanh"][:3] == [0.6, 0.2, 0.9]
    assert 0.0 in points["relu"] and min(points["relu"]) < 0 < max(points["relu"])


def test_formula_op_and_derivatives_match_math_and_central_differences() -> None:
    for row in activation_slide_rows():
        f = REFERENCE[row.name]
        assert row.op == pytest.approx(f(row.z), rel=1e-14, abs=1e-15), (row.name, row.z)
        assert row.formula == pytest.approx(f(row.z), rel=1e-12, abs=1e-15), (row.name, row.z)
        if row.name == "relu" and row.z == 0.0:
            # no derivative at the kink: relu's is 0 and a tie of max(0, z) is split 0.5 / 0.5, as PyTorch does
            assert (row.op_grad, row.formula_grad) == (0.0, 0.5)
        else:
            slope = central_difference(f, row.z)
            assert row.op_grad == pytest.approx(slope, rel=1e-7, abs=1e-9), (row.name, row.z)
            assert row.formula_grad == pytest.approx(slope, rel=1e-7, abs=1e-9), (row.name, row.z)
        # the identities written from g's value: (1 - g) g, 1 - g^2, [z > 0]
        g = f(row.z)
        identity = {"sigmoid": (1 - g) * g, "tanh": 1 - g * g, "relu": 1.0 if row.z > 0 else 0.0}[row.name]
        assert row.identity == pytest.approx(identity, rel=1e-14, abs=1e-15)
        assert row.agrees, (row.name, row.z)


def test_the_sigmoid_derivative_at_row_1_is_the_graph_slides_figure() -> None:
    """(1 - sigma(s2[1])) sigma(s2[1]) = 0.098250, the graph slides' .0982 (rounded figures; .0983 unrounded)."""
    row = next(r for r in activation_slide_rows() if r.name == "sigmoid" and r.z == pytest.approx(2.086159, abs=1e-6))
    assert f"{row.op_grad:.6f}" == "0.098250"


def test_the_text_gives_each_formula_and_its_count() -> None:
    text = activation_slide_text(activation_slide_rows())
    assert "g(z) = (e^z - e^-z) / (e^z + e^-z)" in text and "g'(z) = 1 - g(z)^2" in text
    assert "9 of 9 agree" in text and "8 of 8 agree" in text and "5 of 5 agree" in text
    assert "of 9 agrees" not in text  # plural: "9 of 9 agree"
