"""The slides' BPTT formulas for L3 against central differences of L3 written out in plain floats."""

from __future__ import annotations

import copy
import math

import pytest

from lecture.bptt_slides import bptt_slides_report
from lecture.hello_rnn import HELLO_WHH, HELLO_WHY, HELLO_WXH

INPUTS, TARGETS = [0, 1, 2, 2], [1, 2, 2, 3]  # "hell" -> "ello" over h, e, l, o


def loss_at_step_3(wxh: list[list[float]], whh: list[list[float]], why: list[list[float]]) -> float:
    """L3 = -log softmax(Why h3)[target 3], h_t = tanh(Wxh x_t + Whh h_{t-1}), h_0 = 0: the slides' RNN."""
    h = [0.0, 0.0, 0.0]
    for t in range(3):
        h = [math.tanh(wxh[k][INPUTS[t]] + sum(whh[k][m] * h[m] for m in range(3))) for k in range(3)]
    logits = [sum(w * v for w, v in zip(row, h)) for row in why]
    return math.log(sum(math.exp(z) for z in logits)) - logits[TARGETS[2]]


def central_difference(which: int, i: int, j: int, step: float = 1e-6) -> float:
    """dL3/dW[i][j] for W = (Wxh, Whh, Why)[which] by central differences."""
    def at(delta: float) -> float:
        weights = copy.deepcopy([HELLO_WXH, HELLO_WHH, HELLO_WHY])
        weights[which][i][j] += delta
        return loss_at_step_3(*weights)
    return (at(step) - at(-step)) / (2 * step)


def numeric(which: int, like: list[list[float]]) -> list[list[float]]:
    return [[central_difference(which, i, j) for j in range(len(row))] for i, row in enumerate(like)]


def test_first_two_formulas_agree_and_equal_central_differences() -> None:
    report = bptt_slides_report()
    why_row, whh_row, _ = report.rows
    assert why_row.agrees and whh_row.agrees
    for row, which, like in ((why_row, 2, HELLO_WHY), (whh_row, 1, HELLO_WHH)):
        for got, want in zip(row.terms, numeric(which, like)):
            assert got == pytest.approx(want, abs=1e-8)


def test_third_slide_is_reported_as_a_slip_its_terms_being_dL3_dWxh() -> None:
    report = bptt_slides_report()
    third = report.rows[2]
    assert not third.agrees
    assert "slip on the slide" in third.note and "dL3/dWxh" in third.note and "not dL3/dWhh" in third.note
    dwxh = numeric(0, HELLO_WXH)
    for got_terms, got_engine, want in zip(third.terms, report.engine_dWxh, dwxh):
        assert got_terms == pytest.approx(want, abs=1e-8)
        assert got_engine == pytest.approx(want, abs=1e-8)
    # and they are far from dL3/dWhh, which the slide's left side names
    dwhh = numeric(1, HELLO_WHH)
    assert max(abs(a - b) for ra, rb in zip(third.terms, dwhh) for a, b in zip(ra, rb)) > 0.05


def test_text_names_the_verdicts() -> None:
    text = bptt_slides_report().text()
    assert text.count("agrees") == 2 + 1  # two rows, plus "agrees with the engine's" in the slip's reason
    assert "DIFFERS - a slip on the slide" in text
    assert "2 of 3 BPTT formulas agree; 1 differs (reason above)." in text


def loss_at_step_4(wxh: list[list[float]], whh: list[list[float]], why: list[list[float]]) -> float:
    """L4 alone, the slides' LT at T = 4 (the last step of "hell" -> "ello"), in plain floats added left to right."""
    h = [0.0, 0.0, 0.0]
    for t in range(4):
        new_h = []
        for k in range(3):
            s = wxh[k][INPUTS[t]]
            for m in range(3):
                s += whh[k][m] * h[m]
            new_h.append(math.tanh(s))
        h = new_h
    logits = []
    for row in why:
        z = 0.0
        for w, v in zip(row, h):
            z += w * v
        logits.append(z)
    norm = 0.0
    for z in logits:
        norm += math.exp(z)
    return math.log(norm) - logits[TARGETS[3]]


def l4_moved(which: int, i: int, j: int, delta: float) -> float:
    """L4 with entry [i][j] of (Wxh, Whh, Why)[which] moved by ``delta``."""
    weights = copy.deepcopy([HELLO_WXH, HELLO_WHH, HELLO_WHY])
    weights[which][i][j] += delta
    return loss_at_step_4(*weights)


def test_the_general_lines_at_T_4_equal_central_differences_of_L4() -> None:
    from lecture.bptt_slides import bptt_general_rows, bptt_general_text

    rows = bptt_general_rows()
    assert [row.agrees for row in rows] == [True, True, True]
    for row, which, like in zip(rows, (2, 1, 0), (HELLO_WHY, HELLO_WHH, HELLO_WXH)):
        for i, got_row in enumerate(row.terms):
            for j, got in enumerate(got_row):
                slope = (l4_moved(which, i, j, 1e-6) - l4_moved(which, i, j, -1e-6)) / 2e-6
                assert got == pytest.approx(slope, abs=1e-8), (row.formula, i, j)
        assert len(row.terms) == len(like) and len(row.terms[0]) == len(like[0])
    assert "3 of 3 general BPTT lines agree; 0 differ." in bptt_general_text(rows)
    with pytest.raises(ValueError, match="step T must be a whole number in 1..4"):
        bptt_general_rows(5)
