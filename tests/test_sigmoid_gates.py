"""The computational-graph slides' gate numbers (lecture/sigmoid_gates.py) against plain-float arithmetic written
here (math.exp, no engine) and the slides' own working redone in Fractions.

The numbers are typed in again from the tutorial's slides (MLP-RNN Tutorial.pptx, "Computational Graphs"), not
imported from the product.
"""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

from lecture.sigmoid_gates import sigmoid_gates_report

# As the graph slides print them, in order.
SLIDE = [".6906", ".8955", "1.5861", "2.0862", "-2.0862", ".1242", ".1241", "1.1242", ".8896", ".3117",
         "-.7913", "-.7913", "-.0982", ".0982", ".7986", ".0775", ".0775"]


def by_hand() -> list[float]:
    """Row 1 of the slides' data through the gates, forward and both backward passes, in plain floats."""
    a1_1 = 1.0 / (1.0 + math.exp(-(0.5 + 0.1 * 1.0 + 0.3 * 4.0 + 0.5 * 5.0)))
    a1_2 = 1.0 / (1.0 + math.exp(-(0.5 + 0.2 * 1.0 + 0.4 * 4.0 + 0.6 * 5.0)))
    p1, p2 = 0.7 * a1_1, 0.9 * a1_2
    partial = p1 + p2
    s = partial + 0.5
    e = math.exp(-s)
    d = 1.0 + e
    a2 = 1.0 / d
    half_square = 0.5 * (a2 - 0.1) ** 2
    d_grad = -1.0 / (d * d)  # d(1/x)/dx
    minus_s_grad = d_grad * e  # exp passes e^x times the gradient
    s_grad = -minus_s_grad
    de_da2 = a2 - 0.1
    de_ds = de_da2 * s_grad
    return [p1, p2, partial, s, -s, e, e, d, a2, half_square, d_grad, d_grad, minus_s_grad, s_grad, de_da2, de_ds,
            de_ds * 1.0]


def agrees(slide: str, value: float | Fraction) -> bool:
    decimals = len(slide.split(".")[1])
    return abs(Fraction(value) - Fraction(slide)) <= Fraction(1, 2 * 10**decimals)


def test_each_gate_is_the_hand_computation_and_the_verdicts_follow() -> None:
    report = sigmoid_gates_report()
    assert [row.slide for row in report.rows] == SLIDE
    expected = by_hand()
    for row, value in zip(report.rows, expected):
        assert row.ours == pytest.approx(value, rel=1e-12, abs=1e-15), row.quantity
        assert row.agrees == agrees(row.slide, value), row.quantity
    assert [row.slide for row in report.differing()] == ["1.5861", ".1241", "-.0982", ".0982", ".7986", ".0775",
                                                         ".0775"]
    for row in report.differing():
        assert row.note, row.quantity
    assert "10 of 17 graph-slide numbers agree; 7 differ" in report.text()


def test_the_slips_reasons_hold_in_fractions() -> None:
    notes = {row.slide + " " + row.quantity: row.note for row in sigmoid_gates_report().rows}
    # 1.5861 is the sum of the rounded products; the unrounded sum rounds to 1.5862
    assert Fraction(".6906") + Fraction(".8955") == Fraction("1.5861")
    assert f"{by_hand()[2]:.4f}" == "1.5862"
    assert "rounds to 1.5862" in notes["1.5861 w2[1,1] a1[1] + w2[2,1] a1[2]"]
    # e^-2.0862 rounds to .1242; .1241 is cut off
    assert f"{math.exp(-2.0862):.4f}" == "0.1242" and math.floor(math.exp(-2.0862) * 1e4) == 1241
    assert "rounds to .1242" in notes[".1241 e^-2.0862 (working)"]
    # .1241 x -.7913 = -.0982 from rounded figures; unrounded -0.098250 rounds to -.0983
    assert Fraction(".1241") * Fraction("-.7913") == Fraction("-0.09820033")
    assert f"{by_hand()[12]:.4f}" == "-0.0983"
    # (1 - .8896) .8896 = .0982 from rounded figures; unrounded .0983
    assert agrees(".0982", (1 - Fraction(".8896")) * Fraction(".8896")) and f"{by_hand()[13]:.4f}" == "0.0983"
    # .8896 - .1 is .7896, not .7986; the slide's next product uses .7896 and gives its .0775
    assert Fraction(".8896") - Fraction(".1") == Fraction(".7896") != Fraction(".7986")
    assert agrees(".0775", Fraction(".0982") * Fraction(".7896"))
    assert "digits swapped" in notes[".7986 dE1/da2[1] = .8896 - .1"]
    # the derivative of 1/x is -1/x^2 (the working's left side lacks the minus); at the rounded 1.1242 it is
    # -.7912, at the unrounded 1 + e^-s2[1] the slide's -.7913
    assert not agrees("-.7913", -1 / Fraction("1.1242") ** 2) and agrees("-.7912", -1 / Fraction("1.1242") ** 2)
    assert agrees("-.7913", Fraction(by_hand()[10]))
    note = notes["-.7913 da2/d(1 + e^-s) = -1 / 1.1242^2"]
    assert "-1/x^2" in note and f"{-1 / 1.1242**2:.6f}" in note and f"{by_hand()[10]:.6f}" in note
    # sigma's derivative at s2[1] is (1 - sigma) sigma, the graph slides' "Sigmoid Derivative"
    a2 = by_hand()[8]
    assert by_hand()[13] == pytest.approx((1 - a2) * a2, rel=1e-12)
