"""Worked example 1: the slides' sigmoid MLP, "the 3-4-2 worked example", reproduced number for number.

3 inputs plus a bias row (so w1 has 4 rows), 2 sigmoid hidden units plus a
bias, 2 sigmoid outputs: "3-4-2" counts the inputs, w1's 4 rows and the
outputs (its layer widths, 3-2-2, are how `nn.MLP(3, [2, 2])` builds it);
E = 1/2 sum (y_hat - y)^2; the batch tables c1 and c2 sum rows r = 1..4; one SGD step with alpha = 0.01.

`worked_example_report()` lists each quantity the slides print, the slide's
value, ours (computed by the engine), and whether they agree to the slide's
rounding. Where the slide is wrong, the row says so and why; the engine is
never bent to match.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field

from autograd import Value, sum_of
from autograd.shown import short_repr
from nn import MLP, SGD, half_sum_squared_error, mean_squared_error

#: The slides' data table: x1, x2, x3 and targets y1, y2, rows r = 1..6.
SLIDES_X = [
    [1.0, 4.0, 5.0],
    [0.1, -5.0, 3.0],
    [6.0, -5.542, 4.897],
    [4.0, 8.0, 9.0],
    [12.0, -2.0, 0.0063],
    [6.0, -5.5, 4.897],
]
SLIDES_Y = [
    [0.1, 0.05],
    [0.1221, 0.0964],
    [0.1061, 0.0702],
    [0.0996, 0.0641],
    [0.1110, 0.0732],
    [0.1060, 0.0701],
]
#: w1[i][k-1]: row i = 0 is the bias (it multiplies a0[0] = 1).
SLIDES_W1 = [[0.5, 0.5], [0.1, 0.2], [0.3, 0.4], [0.5, 0.6]]
#: w2[k][j-1]: row k = 0 is the bias (it multiplies a1[0] = 1).
SLIDES_W2 = [[0.5, 0.5], [0.7, 0.8], [0.9, 0.1]]
LEARNING_RATE = 0.01
BATCH_ROWS = 4  # the slides' c1, c2 sum rows r = 1..4

# What the slides print, as printed (the number of decimals is the rounding to check to).
SLIDE_FORWARD = {"s1[1]": "4.3", "a1[1]": ".9866", "a1[2]": ".9950", "s2[1]": "2.0862",
                 "a2[1]": ".8896", "a2[2]": ".8004", "E": ".5932"}
SLIDE_CHAIN_RULE = {"dE/dw2[0,1]": ".0775", "dE/da1[1]": ".1502", "dE/dw1[0,1]": ".0020"}
#: The one-row tables the slides fill in as they go (row 1 only): the cell worked out, and 0 in the others.
SLIDE_C2_ROW1 = [[".0775", "0"], ["0", "0"], ["0", "0"]]
SLIDE_C1_ROW1 = [[".0020", "0"], ["0", "0"], ["0", "0"], ["0", "0"]]
SLIDE_C1 = [[".0604", ".0332"], [".1134", ".0427"], ["-.2929", "-.1658"], [".2193", ".1129"]]
SLIDE_C2 = [[".3447", ".4816"], [".2929", ".4176"], [".2930", ".4191"]]
SLIDE_W1_STAR = [[".4994", ".4997"], [".0989", ".1996"], [".3029", ".4017"], [".4978", ".5989"]]
SLIDE_W2_STAR = [[".4966", ".0039"], [".4971", ".0038"], [".0021", ".0004"]]

# Remarks on the slides' working where the printed result is right but the text is not,
# and the one known rounding difference. Whether a row agrees is always computed.
# The unrounded values quoted here are checked in Decimal arithmetic by tests/test_slides_audit.py.
REMARKS = {
    "s1[1]": "the slide's working writes w1[0,1] * a0[0] = .05 * 1; w1[0,1] is 0.5 (the sum 4.3 uses 0.5)",
    "s2[1]": (
        "the slide's working writes w2[0,2], w2[1,2], w2[2,2]; the numbers used (.5, .7, .9) are column 1."
        f" Its rounded a1 give .5 + .7 * .9866 + .9 * .9950 = {0.5 + 0.7 * 0.9866 + 0.9 * 0.9950:.5f}, which"
        " rounds to 2.0861; the slide's 2.0862 is the unrounded 2.086159"
    ),
    "E": (
        "the slide's working writes (.8004 - .5)^2; y2 is .05, which its result .5932 uses."
        f" Its rounded a2 give ((.8896 - .1)^2 + (.8004 - .05)^2) / 2"
        f" = {((0.8896 - 0.1) ** 2 + (0.8004 - 0.05) ** 2) / 2:.6f}, which rounds to .5933;"
        " the slide's .5932 is the unrounded 0.593245"
    ),
    "dE/dw2[0,1]": (
        # Six decimals: at five (0.07755) the slide's product would seem to round to .0776 as well.
        "the slide multiplies rounded intermediates, (.8896 - .1) * .8896 * (1 - .8896) * 1"
        f" = {(0.8896 - 0.1) * 0.8896 * (1 - 0.8896) * 1:.6f}, which rounds to .0775;"
        " unrounded, y_hat1 = 0.88955 and the product is 0.077574, which rounds to .0776"
        " (the working's \".8896 - .1 * .8896(1 - .8896) * 1\" drops the braces {y_hat - y} of the line above)"
    ),
    "dE/da1[1]": (
        "the working \".8896 - .1 * .8896(1 - .8896) * .7 + .8004 - .05 * .8004(1 - .8004) * .8\" drops the"
        " braces of the line above: it means (.8896 - .1) * .8896 * (1 - .8896) * .7 + (.8004 - .05) * .8004"
        " * (1 - .8004) * .8"
        f" = {(0.8896 - 0.1) * 0.8896 * (1 - 0.8896) * 0.7 + (0.8004 - 0.05) * 0.8004 * (1 - 0.8004) * 0.8:.6f}"
        " (read as written, it would be 1.676735)"
    ),
}


#: The slides' notation slips, which change no number (the working lines' slips are remarked under their rows).
NOTATION_NOTE = (
    "Notation slips that change no number: \"{y_hat_j - y_k}\" on the dE/dw2 and dE/da1 slides (the target is"
    " y_j); \"{a_1[j](1 - a_1[j])}\" on the first dE/dw1 slide (a_1[k], as the next slide writes);"
    " \"ds_2[j]/da_1[k, j]\" (a_1 has one index: ds_2[j]/da_1[k] = w_2[k, j]); \"for j = 1..m\" on the s_2 slide"
    " (j runs over the n = 2 outputs; m counted the inputs); the first forward slide's \"i = 0..m, k = 1..l\""
    " (the next writes 0..3 and 1, 2); \"s_2 = sum a_1[k] * w_2[0,1] + .6906 + .8955\" (its first term is the one"
    " product a_1[0] w_2[0,1] = .5, not a sum); the one-row c1 table headed \"w[i, 1] w[i, 2]\" (its cells are"
    " c[i, 1], c[i, 2]).")


@dataclass
class RowGraph:
    """The recorded graph of one data row, with the slides' names on every node."""

    s1: list[Value]
    a1: list[Value]
    s2: list[Value]
    a2: list[Value]
    E: Value


@dataclass
class ReportRow:
    """One quantity: the slide's printed value, ours, and whether they agree."""

    quantity: str
    slide: str
    ours: float
    agrees: bool
    note: str = ""

    @property
    def decimals(self) -> int:
        """Decimals the slide prints (its rounding)."""
        return len(self.slide.split(".")[1]) if "." in self.slide else 0


@dataclass
class WorkedExampleReport:
    """Every number of the slides' MLP example: slide value, ours, agrees / differs and why."""

    rows: list[ReportRow] = field(default_factory=list)
    #: What the rows compute, in the slides' words, printed above the table.
    header: list[str] = field(default_factory=list)
    #: Slide numbers that are not results (the one-row tables' placeholder zeros), printed below the table.
    notes: list[str] = field(default_factory=list)

    def differing(self) -> list[ReportRow]:
        """The rows where the slide's number is not the correct one."""
        return [r for r in self.rows if not r.agrees]

    def __str__(self) -> str:
        width = max(len(r.quantity) for r in self.rows)
        indent = " " * (width + 4)
        lines = [*_wrapped(self.header), f"{'quantity':<{width}}  {'slide':>8}  {'ours':>10}  verdict",
                 "-" * (width + 40)]
        section = ""
        for r in self.rows:
            if _section(r.quantity) != section:  # the slides' order: forward pass, chain rule, c1, c2, w1*, w2*
                section = _section(r.quantity)
                lines.append(f"  {section}:")
            verdict = "agrees" if r.agrees else "DIFFERS"
            ours = f"{r.ours:.{max(r.decimals, 4)}f}"
            lines.append(f"{r.quantity:<{width}}  {r.slide:>8}  {ours:>10}  {verdict}")
            if r.note:  # on lines of its own under the row, so the table's columns stay readable
                lines += textwrap.wrap(r.note, WRAP, initial_indent=indent, subsequent_indent=indent)
        n_diff = len(self.differing())
        agree = len(self.rows) - n_diff
        lines.append(f"{agree} of {len(self.rows)} slide numbers agree; {n_diff} differ (reasons above).")
        return "\n".join([*lines, *_wrapped(self.notes)])


#: Width the printed report's text is wrapped to (the table itself is narrower).
WRAP = 112


def _wrapped(paragraphs: list[str]) -> list[str]:
    """Each paragraph wrapped to `WRAP`, continuation lines indented; an indented line (a table) kept as it is."""
    lines: list[str] = []
    for text in paragraphs:
        if not text or text.startswith(" "):
            lines.append(text)
        else:
            lines += textwrap.wrap(text, WRAP, subsequent_indent="  ")
    return lines


#: The report's sections, by the start of a quantity's name.
_SECTIONS = (
    ("c1[", f"c1 = dE/dw1 summed over rows r = 1..{BATCH_ROWS}"),
    ("c2[", f"c2 = dE/dw2 summed over rows r = 1..{BATCH_ROWS}"),
    ("w1*", f"w1* = w1 - {LEARNING_RATE:g} * c1 (one SGD step)"),
    ("w2*", f"w2* = w2 - {LEARNING_RATE:g} * c2 (one SGD step)"),
    ("dE/", "chain rule, row r = 1"),
)


def _section(quantity: str) -> str:
    return next((title for start, title in _SECTIONS if quantity.startswith(start)), "forward pass and E, row r = 1")


def slides_network() -> MLP:
    """The slides' network with w1 and w2 set from their tables."""
    model = MLP(3, [2, 2], activation="sigmoid", output_activation="sigmoid", seed=0)
    model.layers[0].set_weight_table(SLIDES_W1)
    model.layers[1].set_weight_table(SLIDES_W2)
    return model


def _check_slides_shape(model: object) -> None:
    """TypeError unless ``model`` is an MLP, ValueError unless it has the slides' widths 3 -> 2 -> 2.

    Another model failed inside the forward pass: "'Linear' object has no attribute 'layers'", or "too many
    values to unpack" for an MLP of three layers.
    """
    if not isinstance(model, MLP):
        raise TypeError(f"the slides' rows need an MLP of widths 3 -> 2 -> 2 (slides_network()), got "
                        f"{type(model).__name__}")
    widths = [model.layers[0].nin, *(len(layer.neurons) for layer in model.layers)]
    if widths != [3, 2, 2]:
        raise ValueError(f"the slides' rows need an MLP of widths 3 -> 2 -> 2 (slides_network()), got "
                         f"{' -> '.join(map(str, widths))}")


def row_graph(model: MLP, r: int) -> RowGraph:
    """Forward pass of data row ``r`` (1-based, as on the slides), every node labelled."""
    _check_slides_shape(model)
    if isinstance(r, bool) or not isinstance(r, int):
        raise TypeError(f"row r must be a whole number, got {type(r).__name__} {short_repr(r)}")
    if not 1 <= r <= len(SLIDES_X):
        raise ValueError(f"row r must be in 1..{len(SLIDES_X)}, got {short_repr(r)}")
    x = [Value(v, label=f"a0[{i}]") for i, v in enumerate(SLIDES_X[r - 1], start=1)]
    y = SLIDES_Y[r - 1]
    hidden, output = model.layers
    s1 = [n.weighted_sum(x) for n in hidden.neurons]
    a1 = [s.sigmoid() for s in s1]
    s2 = [n.weighted_sum(a1) for n in output.neurons]
    a2 = [s.sigmoid() for s in s2]
    E = half_sum_squared_error(a2, y)
    for name, values in (("s1", s1), ("a1", a1), ("s2", s2), ("a2", a2)):
        for k, v in enumerate(values, start=1):
            v.label = f"{name}[{k}]"
    E.label = "E"
    return RowGraph(s1, a1, s2, a2, E)


def batch_loss(model: MLP, rows: int = BATCH_ROWS) -> Value:
    """E summed over data rows 1..``rows`` (the slides' batch, whose parameter gradients are c1 and c2)."""
    if isinstance(rows, bool) or not isinstance(rows, int) or not 1 <= rows <= len(SLIDES_X):
        # 0 or a negative count summed no row at all: a loss of 0.0 with no graph behind it
        raise ValueError(f"rows must be a whole number in 1..{len(SLIDES_X)} (the slides' data rows), got "
                         f"{short_repr(rows)}")
    graphs = [row_graph(model, r) for r in range(1, rows + 1)]
    # One sum over the rows, in row order (a chain of + nodes lets Graphviz draw row 4 above row 2).
    total = sum_of([g.E for g in graphs])
    total.label = f"E(r=1..{rows})"
    return total


@dataclass
class WorkedExample:
    """The report, and the two graphs the tour draws, each on its own copy of the slides' network.

    ``row`` is row 1's graph after ``row.E.backward()``; ``batch`` is `batch_loss` after its backward pass.
    Separate networks keep each graph's parameter gradients its own.
    """

    report: WorkedExampleReport
    row_model: MLP
    row: RowGraph
    batch_model: MLP
    batch: Value


def worked_example() -> WorkedExample:
    """Everything the tour shows of the slides' MLP: the report, row 1's graph and the batch graph, backpropagated."""
    row_model, batch_model = slides_network(), slides_network()
    row = row_graph(row_model, 1)
    row.E.backward()
    batch = batch_loss(batch_model)
    batch.backward()
    return WorkedExample(worked_example_report(), row_model, row, batch_model, batch)


def agrees_at_slide_rounding(slide: str, ours: float) -> bool:
    """Whether ``ours`` is within half a unit of the last decimal the slide prints as ``slide``."""
    decimals = len(slide.split(".")[1]) if "." in slide else 0
    return abs(float(slide) - ours) <= 0.5 * 10.0**-decimals + 1e-12


def _row(quantity: str, slide: str, ours: float, note: str = "") -> ReportRow:
    note = note or REMARKS.get(quantity, "")
    return ReportRow(quantity, slide, ours, agrees_at_slide_rounding(slide, ours), note)


def _sgd_consistency(name: str, i: int, k: int, slide_star: str, w_before: list[list[float]],
                     slide_c: list[list[str]]) -> str:
    """Explain a wrong w* entry by redoing w - alpha * c with the slide's own numbers.

    The likely slip is named when the slide's number is what the slide's own tables give by another rule
    (`_misread_update`: the w2* table's five wrong cells are all explained by one spreadsheet slip), or else
    what the update gives from one other entry of the same table (preferring the same column).
    """
    w = w_before[i][k - 1]
    expected = w - LEARNING_RATE * float(slide_c[i][k - 1])
    if agrees_at_slide_rounding(slide_star, expected):
        return ""
    note = (f"the slide's own tables give {name}[{i},{k}] - {LEARNING_RATE} * c = {w} - {LEARNING_RATE} * "
            f"{slide_c[i][k - 1]} = {expected:.4f}, not {slide_star}: a slip on the slide")
    misread = _misread_update(name, i, k, slide_star, w_before, slide_c)
    if misread:
        return f"{note} ({misread})"
    c = slide_c[i][k - 1]
    others = [(r, col) for r, row in enumerate(w_before) for col, other in enumerate(row, start=1)
              if (r, col) != (i, k) and agrees_at_slide_rounding(slide_star, other - LEARNING_RATE * float(c))]
    same_column = [(r, col) for r, col in others if col == k]  # a row mixed up within the slide's column
    if len(same_column) == 1 or len(others) == 1:
        r, col = same_column[0] if len(same_column) == 1 else others[0]
        note += (f" ({slide_star} is {w_before[r][col - 1]} - {LEARNING_RATE} * {c}: {name}[{r},{col}]'s"
                 f" value taken for {name}[{i},{k}]'s)")
    return note


def _misread_update(name: str, i: int, k: int, slide_star: str, w_before: list[list[float]],
                    slide_c: list[list[str]]) -> str:
    """The slip that gives all five wrong cells of the slides' w2*, or "" when it does not give ``slide_star``.

    The slide's w2* cells follow c2's cells column by column (c[0,1], c[1,1], c[2,1], c[0,2], ...) but take
    their w from w2 row by row (w[0,1], w[0,2], w[1,1], ...), and from the third cell on multiply
    w * alpha * c instead of subtracting: .0021 = w2[1,1] * 0.01 * c2[2,1] = 0.7 * 0.01 * .2930. The tutorial's
    spreadsheet (MLP-RNN Tutorial.xlsx, sheet "322 MLP", cells O47:T47) holds exactly these formulas.
    """
    rows, cols = len(w_before), len(w_before[0])
    by_column = [(r, col) for col in range(1, cols + 1) for r in range(rows)]
    by_row = [(r, col) for r in range(rows) for col in range(1, cols + 1)]
    r, col = by_row[by_column.index((i, k))]
    w, c = w_before[r][col - 1], float(slide_c[i][k - 1])
    read = "" if (r, col) == (i, k) else (
        f"; {name} read row by row against c read column by column puts {name}[{r},{col}] = {w:g} in place of"
        f" {name}[{i},{k}] = {w_before[i][k - 1]:g}")
    if read and agrees_at_slide_rounding(slide_star, w - LEARNING_RATE * c):
        same = [f"{name}[{a},{b}]" for a, row in enumerate(w_before) for b, v in enumerate(row, start=1)
                if v == w and (a, b) not in ((r, col), (i, k))]
        also = f" ({', '.join(same)} {'is' if len(same) == 1 else 'are'} {w:g} too)" if same else ""
        return (f"{slide_star} is {w:g} - {LEARNING_RATE} * {slide_c[i][k - 1]} = {w - LEARNING_RATE * c:.6f}"
                f"{read}{also}")
    if agrees_at_slide_rounding(slide_star, w * LEARNING_RATE * c):
        return (f"{slide_star} is {w:g} * {LEARNING_RATE} * {slide_c[i][k - 1]} = {w * LEARNING_RATE * c:.6f}:"
                f" w times alpha * c, not w minus alpha * c{read}")
    return ""


def _header() -> list[str]:
    """What the table compares, in the slides' names, for a lecturer reading it."""
    x = ", ".join(f"{v:g}" for v in SLIDES_X[0])
    y = ", ".join(f"{v:g}" for v in SLIDES_Y[0])
    return [
        f"Row r = 1 of the slides' data: x = ({x}), targets y = ({y}); a0[0] = a1[0] = 1 (the bias input).",
        "w1[i,k] (i = 0..3, k = 1, 2) and w2[k,j] (k = 0..2, j = 1, 2): the slides' tables, row 0 the bias.",
        "s = sum of w * a, a = sigmoid(s), E = 1/2 sum_j (a2[j] - y[j])^2.",
        f"c1, c2 = dE/dw1, dE/dw2 summed over rows r = 1..{BATCH_ROWS}; w* = w - {LEARNING_RATE:g} * c (one SGD step).",
        "'slide' is the number as the slide prints it, 'ours' the engine's, compared at the slide's rounding.",
        "",
    ]


def _placeholder_notes(c1_row1: list[list[float]], c2_row1: list[list[float]]) -> list[str]:
    """Say that the one-row tables' zeros are placeholders, with row 1's own values in those cells."""
    notes = []
    for name, slide_table, table, index in (("c2", SLIDE_C2_ROW1, c2_row1, "k"), ("c1", SLIDE_C1_ROW1, c1_row1, "i")):
        zeros = [(i, k) for i, row in enumerate(slide_table) for k, cell in enumerate(row, start=1) if cell == "0"]
        done = next(f"{name}[{i},{k}] = {cell}" for i, row in enumerate(slide_table)
                    for k, cell in enumerate(row, start=1) if cell != "0")
        nonzero = all(round(table[i][k - 1], 4) != 0 for i, k in zeros)
        notes.append(
            f"The slides' one-row {name} table (row 1 only) prints {done} and 0 in its other {len(zeros)} cells:"
            f" placeholders for cells not yet worked out, not results ({'none is' if nonzero else 'not all are'}"
            " 0 for row 1):")
        notes.append(f"  {name} (row 1): " + " | ".join(
            f"{index}={i}: " + " ".join(f"{v:.4f}" for v in row) for i, row in enumerate(table)))
    return notes


def worked_example_report() -> WorkedExampleReport:
    """Recompute every number of the slides' MLP example with the engine and compare."""
    report = WorkedExampleReport(header=_header())
    model = slides_network()

    g = row_graph(model, 1)
    g.E.backward()
    one_row = [[[n.b.grad for n in layer.neurons]] + [[n.w[i].grad for n in layer.neurons] for i in range(inputs)]
               for layer, inputs in zip(model.layers, (3, 2))]
    report.notes = _placeholder_notes(one_row[0], one_row[1])
    mse = mean_squared_error(g.a2, SLIDES_Y[0]).data
    report.notes.append(
        "The slides' w2* table: its five wrong cells follow one slip. Its cells go down c2's columns (c[0,1], c[1,1],"
        " c[2,1], c[0,2], ...) but take w from w2 along its rows (w[0,1], w[0,2], w[1,1], ...), and from its third"
        " cell on they multiply w * alpha * c instead of computing w - alpha * c (reasons under each row). The"
        " tutorial's spreadsheet (MLP-RNN Tutorial.xlsx, sheet \"322 MLP\", cells O47:T47) holds exactly these"
        " formulas. The correct w2* is printed in the 'ours' column.")
    report.notes.append(NOTATION_NOTE)
    report.notes.append(
        "The E slide's side labels \"Loss: 2\" and \"Mean Squared Error 3\" are not results of this example"
        " (read them as the figure's callout numbers): row 1's loss is E, and with n = 2 outputs 1/2 sum_j is the"
        f" mean over j, so row 1's mean squared error is E too: {mse:.4f}.")
    ours = {"s1[1]": g.s1[0].data, "a1[1]": g.a1[0].data, "a1[2]": g.a1[1].data, "s2[1]": g.s2[0].data,
            "a2[1]": g.a2[0].data, "a2[2]": g.a2[1].data, "E": g.E.data}
    report.rows += [_row(q, SLIDE_FORWARD[q], ours[q]) for q in SLIDE_FORWARD]
    w1 = model.layers[0].neurons
    w2 = model.layers[1].neurons
    chain = {"dE/dw2[0,1]": w2[0].b.grad, "dE/da1[1]": g.a1[0].grad, "dE/dw1[0,1]": w1[0].b.grad}
    report.rows += [_row(q, SLIDE_CHAIN_RULE[q], chain[q]) for q in SLIDE_CHAIN_RULE]

    model.zero_grad()
    for r in range(1, BATCH_ROWS + 1):
        row_graph(model, r).E.backward()  # leaves accumulate: c = sum over rows of dE_r/dw
    c1 = [[n.b.grad for n in w1]] + [[n.w[i].grad for n in w1] for i in range(3)]
    c2 = [[n.b.grad for n in w2]] + [[n.w[i].grad for n in w2] for i in range(2)]
    for name, slide_table, table in (("c1", SLIDE_C1, c1), ("c2", SLIDE_C2, c2)):
        for i, (slide_row, row) in enumerate(zip(slide_table, table)):
            for k, (slide, value) in enumerate(zip(slide_row, row), start=1):
                report.rows.append(_row(f"{name}[{i},{k}]", slide, value))

    SGD(model.parameters(), lr=LEARNING_RATE).step()
    stars = (
        ("w1", SLIDE_W1_STAR, model.layers[0].weight_table(), SLIDES_W1, SLIDE_C1),
        ("w2", SLIDE_W2_STAR, model.layers[1].weight_table(), SLIDES_W2, SLIDE_C2),
    )
    for name, slide_table, table, w_before, slide_c in stars:
        for i, (slide_row, row) in enumerate(zip(slide_table, table)):
            for k, (slide, value) in enumerate(zip(slide_row, row), start=1):
                note = _sgd_consistency(name, i, k, slide, w_before, slide_c)
                report.rows.append(_row(f"{name}*[{i},{k}]", slide, value, note))
    return report
