"""The slide audit (docs/slides_audit.md): every number of the slides' MLP example that the other tests did not
check, against arithmetic done here in Decimal (40 digits, `Decimal.exp` correctly rounded) and Fraction.

Nothing here uses the engine's own numbers as the reference: each expected value is the slides' algebra redone
by hand, and the product must agree with the slide where the slide is right and flag it, for the reason found
here, where it is not.
"""

from __future__ import annotations

import re
from decimal import Decimal, localcontext
from fractions import Fraction

import pytest

from autograd import Value
from lecture.slides_mlp import (
    BATCH_ROWS,
    LEARNING_RATE,
    REMARKS,
    SLIDE_C1,
    SLIDE_C1_ROW1,
    SLIDE_C2,
    SLIDE_C2_ROW1,
    SLIDE_W1_STAR,
    SLIDE_W2_STAR,
    row_graph,
    slides_network,
    worked_example_report,
)
from nn import mean_squared_error

# The slides' tables, typed in again from the deck (not imported), as exact decimals.
X = [["1", "4", "5"], ["0.1", "-5", "3"], ["6", "-5.542", "4.897"], ["4", "8", "9"]]
Y = [["0.1", "0.05"], ["0.1221", "0.0964"], ["0.1061", "0.0702"], ["0.0996", "0.0641"]]
W1 = [["0.5", "0.5"], ["0.1", "0.2"], ["0.3", "0.4"], ["0.5", "0.6"]]
W2 = [["0.5", "0.5"], ["0.7", "0.8"], ["0.9", "0.1"]]
ALPHA = "0.01"


def sigmoid(z: Decimal) -> Decimal:
    return 1 / (1 + (-z).exp())


def decimal_reference() -> tuple[dict[str, Decimal], list[list[Decimal]], list[list[Decimal]]]:
    """Every result the slides print, by hand in Decimal; and row 1's own c1 and c2 tables."""
    with localcontext() as ctx:
        ctx.prec = 40
        w1 = [[Decimal(v) for v in row] for row in W1]
        w2 = [[Decimal(v) for v in row] for row in W2]
        c1 = [[Decimal(0)] * 2 for _ in range(4)]
        c2 = [[Decimal(0)] * 2 for _ in range(3)]
        out: dict[str, Decimal] = {}
        row1_c1: list[list[Decimal]] = []
        row1_c2: list[list[Decimal]] = []
        for r in range(4):
            a0 = [Decimal(1)] + [Decimal(v) for v in X[r]]
            y = [Decimal(v) for v in Y[r]]
            s1 = [w1[0][k] * a0[0] + w1[1][k] * a0[1] + w1[2][k] * a0[2] + w1[3][k] * a0[3] for k in range(2)]
            a1 = [Decimal(1)] + [sigmoid(s) for s in s1]
            s2 = [w2[0][j] * a1[0] + w2[1][j] * a1[1] + w2[2][j] * a1[2] for j in range(2)]
            a2 = [sigmoid(s) for s in s2]
            delta2 = [(a2[j] - y[j]) * a2[j] * (1 - a2[j]) for j in range(2)]
            dE_da1 = [delta2[0] * w2[k][0] + delta2[1] * w2[k][1] for k in range(3)]
            delta1 = [dE_da1[k + 1] * a1[k + 1] * (1 - a1[k + 1]) for k in range(2)]
            one_c2 = [[delta2[j] * a1[k] for j in range(2)] for k in range(3)]
            one_c1 = [[delta1[k] * a0[i] for k in range(2)] for i in range(4)]
            if r == 0:
                out.update({"s1[1]": s1[0], "a1[1]": a1[1], "a1[2]": a1[2], "s2[1]": s2[0], "a2[1]": a2[0],
                            "a2[2]": a2[1], "E": ((a2[0] - y[0]) ** 2 + (a2[1] - y[1]) ** 2) / 2,
                            "dE/dw2[0,1]": one_c2[0][0], "dE/da1[1]": dE_da1[1], "dE/dw1[0,1]": one_c1[0][0]})
                row1_c1, row1_c2 = one_c1, one_c2
            for k in range(3):
                for j in range(2):
                    c2[k][j] += one_c2[k][j]
            for i in range(4):
                for k in range(2):
                    c1[i][k] += one_c1[i][k]
        for name, c, w in (("c1", c1, w1), ("c2", c2, w2)):
            for i, row in enumerate(c):
                for k, value in enumerate(row, start=1):
                    out[f"{name}[{i},{k}]"] = value
                    out[f"w{name[1]}*[{i},{k}]"] = w[i][k - 1] - Decimal(ALPHA) * value
        return out, row1_c1, row1_c2


def agrees_at_slide_precision(slide: str, value: Decimal | Fraction) -> bool:
    """|value - slide| within half a unit of the slide's last printed decimal."""
    decimals = len(slide.split(".")[1]) if "." in slide else 0
    return abs(Fraction(value) - Fraction(slide)) <= Fraction(1, 2 * 10**decimals)


def test_every_printed_result_agrees_or_is_flagged_as_the_decimal_reference_says() -> None:
    expected, _, _ = decimal_reference()
    report = worked_example_report()
    assert {row.quantity for row in report.rows} == set(expected)
    for row in report.rows:
        # the product's verdict is the verdict of exact arithmetic on the slide's algebra
        assert row.agrees == agrees_at_slide_precision(row.slide, expected[row.quantity]), row.quantity
        assert Fraction(row.ours) == pytest.approx(Fraction(expected[row.quantity]), abs=1e-12), row.quantity
    assert {r.quantity for r in report.differing()} == {
        "dE/dw2[0,1]", "w2*[0,2]", "w2*[1,1]", "w2*[1,2]", "w2*[2,1]", "w2*[2,2]"}


def test_the_slides_w_star_tables_against_their_own_c_tables_in_fractions() -> None:
    """w* = w - 0.01 c redone exactly from the slide's printed c1 and c2: w1* holds, five cells of w2* do not."""
    wrong = set()
    for name, w, c, star in (("w1", W1, SLIDE_C1, SLIDE_W1_STAR), ("w2", W2, SLIDE_C2, SLIDE_W2_STAR)):
        for i in range(len(w)):
            for k in range(2):
                update = Fraction(w[i][k]) - Fraction(ALPHA) * Fraction(c[i][k])
                if not agrees_at_slide_precision(star[i][k], update):
                    wrong.add(f"{name}*[{i},{k + 1}]")
    assert wrong == {"w2*[0,2]", "w2*[1,1]", "w2*[1,2]", "w2*[2,1]", "w2*[2,2]"}
    notes = {row.quantity: row.note for row in worked_example_report().rows}
    for quantity in wrong:
        assert "a slip on the slide" in notes[quantity], quantity
    # .4971 is what the update gives from 0.5 (w2[0,2], and w2[0,1]) with c2[1,1] = .2929, as the note says
    assert agrees_at_slide_precision(".4971", Fraction("0.5") - Fraction(ALPHA) * Fraction(".2929"))
    assert "puts w2[0,2] = 0.5 in place of w2[1,1] = 0.7 (w2[0,1] is 0.5 too)" in notes["w2*[1,1]"]


def test_the_five_wrong_w2_star_cells_are_one_spreadsheet_slip_in_fractions() -> None:
    """The slide's w2* cells go down c2's columns but take w from w2 along its rows, and from the third cell on
    multiply w * alpha * c: redone exactly from the slide's printed w2 and c2 (typed in here), this gives every
    printed cell, and the right update w - alpha * c gives only w2*[0,1]."""
    c2 = [[".3447", ".4816"], [".2929", ".4176"], [".2930", ".4191"]]  # the slide's batch c2, as printed
    w2_star = [[".4966", ".0039"], [".4971", ".0038"], [".0021", ".0004"]]  # the slide's w2*, as printed
    down_columns = [(0, 0), (1, 0), (2, 0), (0, 1), (1, 1), (2, 1)]
    along_rows = [(0, 0), (0, 1), (1, 0), (1, 1), (2, 0), (2, 1)]
    alpha = Fraction(ALPHA)
    for n, ((i, k), (r, col)) in enumerate(zip(down_columns, along_rows)):
        w, c = Fraction(W2[r][col]), Fraction(c2[i][k])
        by_sheet = w - alpha * c if n < 2 else w * alpha * c
        assert agrees_at_slide_precision(w2_star[i][k], by_sheet), (i, k)
        right = Fraction(W2[i][k]) - alpha * c
        assert agrees_at_slide_precision(w2_star[i][k], right) == ((i, k) == (0, 0)), (i, k)
    rows = {row.quantity: row for row in worked_example_report().rows}
    # the product prints the right value beside each wrong one, and names the slip
    for i, k, right_text in ((0, 2, "0.4952"), (1, 1, "0.6971"), (1, 2, "0.7958"), (2, 1, "0.8971"), (2, 2, "0.0958")):
        row = rows[f"w2*[{i},{k}]"]
        assert not row.agrees and f"{row.ours:.4f}" == right_text
        assert f"= {right_text}, not {row.slide}: a slip on the slide" in row.note
    notes = "\n".join(worked_example_report().notes)
    assert "multiply w * alpha * c instead of computing w - alpha * c" in notes
    assert "cells O47:T47" in notes


def test_dE_dw2_01_is_a_rounding_slip() -> None:
    expected, _, _ = decimal_reference()
    unrounded = expected["dE/dw2[0,1]"]
    assert round(unrounded, 6) == Decimal("0.077574") and not agrees_at_slide_precision(".0775", unrounded)
    by_slide = (Fraction(".8896") - Fraction(".1")) * Fraction(".8896") * (1 - Fraction(".8896"))  # rounded inputs
    assert by_slide == Fraction("0.077548068864") and agrees_at_slide_precision(".0775", by_slide)
    assert "0.077548" in REMARKS["dE/dw2[0,1]"] and "0.077574" in REMARKS["dE/dw2[0,1]"]


def test_the_working_lines_numbers_and_remarks() -> None:
    """The numbers inside the slides' working: what they give as written, what the slide meant, and the remark."""
    expected, _, _ = decimal_reference()
    rows = {row.quantity: row for row in worked_example_report().rows}
    # s1[1] = .05 * 1 + .1 * 1 + .3 * 4 + .5 * 5: with .05 the sum is 3.85, with w1[0,1] = .5 it is the slide's 4.3
    assert Fraction(".05") + Fraction(".1") + Fraction(".3") * 4 + Fraction(".5") * 5 == Fraction("3.85")
    assert Fraction(".5") + Fraction(".1") + Fraction(".3") * 4 + Fraction(".5") * 5 == Fraction("4.3")
    assert ".05 * 1" in rows["s1[1]"].note and "0.5" in rows["s1[1]"].note and rows["s1[1]"].agrees
    # a1[1] = 1 / (1 + e^-4.3) = .9866
    assert agrees_at_slide_precision(".9866", sigmoid(Decimal("4.3")))
    # s2[1] = .5 * 1 + .7 * .9866 + .9 * .9950: 2.08612 from the rounded a1 (2.0861); unrounded 2.086159 (2.0862)
    from_working = Fraction(".5") + Fraction(".7") * Fraction(".9866") + Fraction(".9") * Fraction(".9950")
    assert from_working == Fraction("2.08612") and not agrees_at_slide_precision("2.0862", from_working)
    assert round(expected["s2[1]"], 6) == Decimal("2.086159") and rows["s2[1]"].agrees
    assert all(s in rows["s2[1]"].note for s in ("w2[0,2]", "2.08612", "rounds to 2.0861;", "2.086159"))
    # a2[1] = 1 / (1 + e^-2.0862) = .8896
    assert agrees_at_slide_precision(".8896", sigmoid(Decimal("2.0862")))
    # E = 1/2 ((.8896 - .1)^2 + (.8004 - .5)^2): as written .356854; with y2 = .05 it is .593284 (.5933);
    # unrounded .593245 (.5932)
    as_written = ((Fraction(".8896") - Fraction(".1")) ** 2 + (Fraction(".8004") - Fraction(".5")) ** 2) / 2
    meant = ((Fraction(".8896") - Fraction(".1")) ** 2 + (Fraction(".8004") - Fraction(".05")) ** 2) / 2
    assert not agrees_at_slide_precision(".5932", as_written)
    assert meant == Fraction("0.59328416") and not agrees_at_slide_precision(".5932", meant)
    assert round(expected["E"], 6) == Decimal("0.593245") and rows["E"].agrees
    assert all(s in rows["E"].note for s in ("(.8004 - .5)^2", "0.593284", ".5933", "0.593245"))
    # dE/da1[1]: the working without its braces is 1.676735; with them .150191, the slide's .1502
    literal = (Fraction(".8896") - Fraction(".1") * Fraction(".8896") * (1 - Fraction(".8896")) * Fraction(".7")
               + Fraction(".8004") - Fraction(".05") * Fraction(".8004") * (1 - Fraction(".8004")) * Fraction(".8"))
    braced = ((Fraction(".8896") - Fraction(".1")) * Fraction(".8896") * (1 - Fraction(".8896")) * Fraction(".7")
              + (Fraction(".8004") - Fraction(".05")) * Fraction(".8004") * (1 - Fraction(".8004")) * Fraction(".8"))
    assert round(float(literal), 6) == 1.676735 and round(float(braced), 6) == 0.150191
    assert agrees_at_slide_precision(".1502", braced) and rows["dE/da1[1]"].agrees
    assert "1.676735" in rows["dE/da1[1]"].note and "0.150191" in rows["dE/da1[1]"].note
    # dE/dw1[0,1] = .1502 * .9866 (1 - .9866) * 1 = .0020
    assert agrees_at_slide_precision(".0020", Fraction(".1502") * Fraction(".9866") * (1 - Fraction(".9866")))


def test_the_one_row_tables_zeros_are_flagged_as_placeholders() -> None:
    _, row1_c1, row1_c2 = decimal_reference()
    # as the slides print them: the one cell worked out, 0 in the rest
    assert SLIDE_C2_ROW1 == [[".0775", "0"], ["0", "0"], ["0", "0"]]
    assert SLIDE_C1_ROW1 == [[".0020", "0"], ["0", "0"], ["0", "0"], ["0", "0"]]
    # no cell of row 1's true tables is 0 at the slides' four decimals
    assert all(round(v, 4) != 0 for row in row1_c1 + row1_c2 for v in row)
    notes = "\n".join(worked_example_report().notes)
    assert notes.count("placeholders for cells not yet worked out, not results (none is 0 for row 1)") == 2
    assert "other 5 cells" in notes and "other 7 cells" in notes
    for name, table in (("c2", row1_c2), ("c1", row1_c1)):
        line = next(text for text in notes.splitlines() if text.startswith(f"  {name} (row 1): "))
        shown = [float(v) for v in re.findall(r"-?\d+\.\d+", line)]
        assert shown == [float(round(v, 4)) for row in table for v in row], name


def test_the_printed_report_opens_with_what_it_compares() -> None:
    assert LEARNING_RATE == 0.01  # "Learning rate alpha = .01"
    assert BATCH_ROWS == 4  # c1, c2 sum rows r = 1..4
    text = str(worked_example_report())
    head = "\n".join(text.splitlines()[:5])
    assert "x = (1, 4, 5), targets y = (0.1, 0.05)" in head
    assert "E = 1/2 sum_j (a2[j] - y[j])^2" in head
    assert "summed over rows r = 1..4; w* = w - 0.01 * c" in head
    # the sections, in the slides' order, and each slip's reason printed under its row
    sections = ["forward pass and E, row r = 1:", "chain rule, row r = 1:", "c1 = dE/dw1 summed over rows r = 1..4:",
                "c2 = dE/dw2 summed over rows r = 1..4:", "w1* = w1 - 0.01 * c1 (one SGD step):",
                "w2* = w2 - 0.01 * c2 (one SGD step):"]
    assert [text.index(s) for s in sections] == sorted(text.index(s) for s in sections)
    lines = text.splitlines()
    row = next(i for i, line in enumerate(lines) if line.startswith("w2*[1,1]"))
    assert lines[row].split() == ["w2*[1,1]", ".4971", "0.6971", "DIFFERS"]
    assert lines[row + 1].lstrip().startswith("the slide's own tables give w2[1,1]")
    assert text.index("32 of 38 slide numbers agree") < text.index("placeholders")


def test_e_is_also_the_mean_squared_error_over_the_two_outputs() -> None:
    """The E slide's labels "Loss" and "Mean Squared Error": with n = 2 outputs, 1/2 sum_j is the mean over j,
    so the mean squared error of row 1 is E = .5932 too (the "2" and "3" beside the labels are no result of the
    example: read as the figure's callout numbers)."""
    expected, _, _ = decimal_reference()
    g = row_graph(slides_network(), 1)
    mse = mean_squared_error(g.a2, [0.1, 0.05])
    assert mse.data == pytest.approx(float(expected["E"]), abs=1e-15)
    assert agrees_at_slide_precision(".5932", Fraction(mse.data))
    note = worked_example_report().notes[-1]
    assert '"Loss: 2" and "Mean Squared Error 3" are not results of this example' in note
    assert note.endswith(f"mean squared error is E too: {float(expected['E']):.4f}.")


def test_the_sigmoid_derivative_slide_at_s1_1() -> None:
    """(1 - sigma(x)) sigma(x), the slide's sigmoid derivative, is the engine's at x = s1[1] = 4.3."""
    x = Value(4.3)
    x.sigmoid().backward()
    s = sigmoid(Decimal("4.3"))
    assert x.grad == pytest.approx(float((1 - s) * s), rel=1e-14)


def test_the_audit_page_lists_every_printed_result_and_its_counts_add_up() -> None:
    """docs/slides_audit.md: each slide value the report compares is listed, the per-slide counts sum to the
    summary's total, and after the audit every number is reproduced or flagged."""
    from pathlib import Path

    from lecture.slides_mlp import SLIDE_CHAIN_RULE, SLIDE_FORWARD

    page = (Path(__file__).resolve().parent.parent / "docs" / "slides_audit.md").read_text(encoding="utf-8")
    printed = [*SLIDE_FORWARD.values(), *SLIDE_CHAIN_RULE.values()]
    printed += [v for table in (SLIDE_C1, SLIDE_C2, SLIDE_W1_STAR, SLIDE_W2_STAR) for row in table for v in row]
    assert [v for v in printed if v not in page] == []
    counts = [int(cells[2]) for line in page.splitlines() if line.startswith("| ")
              for cells in [[c.strip() for c in line.strip("|").split("|")]]
              if len(cells) == 6 and cells[2].isdigit() and cells[0] != "slide"]
    summary = {cells[0]: [int(c.split()[0]) for c in cells[1:]] for line in page.splitlines()
               if line.startswith("| before") or line.startswith("| after")
               for cells in [[c.strip() for c in line.strip("|").split("|")]]}
    before = next(v for k, v in summary.items() if k.startswith("before"))
    assert sum(before[1:]) == before[0] == summary["after"][0] == sum(counts)
    numbers, reproduced, flagged, neither = summary["after"]
    assert neither == 0 and reproduced + flagged == numbers
