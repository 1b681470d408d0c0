"""The slides' backpropagation-through-time formulas for L3, written out term by term on the hello RNN.

The RNN slides give dL3/dW (L3: the loss at time step 3 alone) as a sum over
t = 1..3 of chain-rule products dL3/dY3 * dY3/dH3 * dH3/dH2 * ... * dHt/dW.
Here each formula is evaluated by hand in plain floats (the forward pass
too: tanh, softmax, one-hot inputs, with the tutorial's matrices) and
compared with the engine's gradient of L3 alone. The third BPTT slide writes
dL3/dW_hh on its left but differentiates each H_t by W_hx (the input weights,
W_xh, as the line below it says): its terms sum to dL3/dW_xh, not dL3/dW_hh.
`bptt_slides_report()` says so with the numbers; the engine is never bent to
match a slide.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from nn import RNNCell, Vocabulary, softmax_cross_entropy

from .hello_rnn import (
    HELLO_INPUTS,
    HELLO_TARGETS,
    HELLO_VOCAB,
    HELLO_WHH,
    HELLO_WHY,
    HELLO_WXH,
    hello_model,
    hello_step,
)

#: L3: the slides' formulas differentiate the loss at time step 3 (1-based).
SLIDE_STEP = 3
#: A hand-written sum and the engine's gradient "agree" within this (they differ by rounding only).
AGREE_TOLERANCE = 1e-12

Matrix = list[list[float]]


@dataclass
class BPTTFormulaRow:
    """One of the slides' formulas: what it says, the matrix its terms sum to, the engine's, the verdict."""

    formula: str  # as the slide writes it, in ASCII
    terms: Matrix  # the slide's terms summed by hand
    engine: Matrix  # the engine's gradient of the quantity the left side names
    agrees: bool
    note: str  # why it differs (or a remark on the slide's notation)

    def line(self) -> str:
        """One line: the formula, the largest difference and the verdict with its reason."""
        verdict = "agrees" if self.agrees else "DIFFERS"
        if _shape(self.terms) == _shape(self.engine):
            measure = f"largest difference {largest_difference(self.terms, self.engine):.1e}"
        else:  # the common part's difference would be a figure about nothing
            measure = f"shapes differ: {_shape(self.terms)} against {_shape(self.engine)}"
        text = f"  {self.formula:<44} {measure}  {verdict}"
        return text + (f" - {self.note}" if self.note else "")


@dataclass
class BPTTSlidesReport:
    """The slides' three BPTT formulas for L3 checked against the engine; `text()` is what the tour prints."""

    rows: list[BPTTFormulaRow]
    engine_dWxh: Matrix  # dL3/dW_xh from the engine, shown so the third slide's sum can be read against it

    def text(self) -> str:
        """The report as the tour prints it: a heading, one line per formula, dL3/dW_xh, a summary."""
        from .hello_rnn import number_table  # the hello RNN part's own table layout

        hidden = [f"h[{k}]" for k in range(len(self.engine_dWxh))]
        differ = [row for row in self.rows if not row.agrees]
        return "\n".join([
            f"  the slides' BPTT formulas for L{SLIDE_STEP} (the loss at t = {SLIDE_STEP} alone), each term written out"
            " by hand in plain floats and summed, against the engine's gradient of L3:",
            *(row.line() for row in self.rows),
            f"  dL{SLIDE_STEP}/dWxh (the engine; the third slide's sum equals it):\n"
            + number_table(self.engine_dWxh, hidden, list(HELLO_VOCAB)),
            f"  {len(self.rows) - len(differ)} of {len(self.rows)} BPTT formulas agree;"
            f" {len(differ)} {'differs (reason above)' if len(differ) == 1 else 'differ (reasons above)'}.",
        ])


def largest_difference(a: Matrix, b: Matrix) -> float:
    """The largest |a[i][j] - b[i][j]| over two matrices of one shape.

    ValueError when the shapes differ (``zip`` would compare the common part only, and a missing row or
    column would "agree"), when there are no entries, or for an entry that is not a finite number.
    """
    if len(a) != len(b) or any(len(row_a) != len(row_b) for row_a, row_b in zip(a, b)):
        raise ValueError(f"largest_difference: shapes differ: {_shape(a)} and {_shape(b)}")
    differences = [abs(x - y) for row_a, row_b in zip(a, b) for x, y in zip(row_a, row_b)]
    if not differences:
        raise ValueError("largest_difference: the matrices have no entries")
    for name, m in (("a", a), ("b", b)):
        for i, row in enumerate(m):
            for j, x in enumerate(row):
                if not math.isfinite(x):
                    raise ValueError(f"largest_difference: {name}'s entry [{i}][{j}] is {x!r}, not a finite number")
    return max(differences)


def _shape(m: Matrix) -> str:
    """``2x3``; a ragged matrix lists its row lengths."""
    lengths = {len(row) for row in m}
    return f"{len(m)}x{lengths.pop()}" if len(lengths) == 1 else f"{len(m)} rows of {[len(row) for row in m]}"


def _matvec(m: Matrix, v: list[float]) -> list[float]:
    return [sum(w * x for w, x in zip(row, v)) for row in m]


def _outer(u: list[float], v: list[float]) -> Matrix:
    return [[a * b for b in v] for a in u]


def _add(a: Matrix, b: Matrix) -> Matrix:
    return [[x + y for x, y in zip(ra, rb)] for ra, rb in zip(a, b)]


def _transpose(m: Matrix) -> Matrix:
    return [list(col) for col in zip(*m)]


@dataclass
class _HandForward:
    """The hello RNN's forward pass in plain floats: one-hot inputs x_t, states h_t (h[0] = 0), probabilities."""

    xs: list[list[float]]
    hs: list[list[float]]  # hs[0] is h_0, hs[t] is h_t
    probabilities: list[list[float]]
    targets: list[int]


def _hand_forward() -> _HandForward:
    vocab = HELLO_VOCAB
    xs = [[1.0 if c == v else 0.0 for v in vocab] for c in HELLO_INPUTS]
    hs = [[0.0] * len(HELLO_WHH)]
    probabilities = []
    for x in xs:
        s1 = [a + b for a, b in zip(_matvec(HELLO_WXH, x), _matvec(HELLO_WHH, hs[-1]))]
        hs.append([math.tanh(s) for s in s1])
        s2 = _matvec(HELLO_WHY, hs[-1])
        top = max(s2)
        exps = [math.exp(s - top) for s in s2]
        probabilities.append([e / sum(exps) for e in exps])
    return _HandForward(xs, hs, probabilities, [vocab.index(c) for c in HELLO_TARGETS])


def _slide_terms(forward: _HandForward, by: str, step: int = SLIDE_STEP) -> Matrix:
    """Sum over t = 1..T of dLT/dYT * dYT/dHT * dHT/dHT-1 * ... * dHt/dW, W = W_hh (``by="hh"``) or W_xh; T = step."""
    dl_ds2 = list(forward.probabilities[step - 1])
    dl_ds2[forward.targets[step - 1]] -= 1.0  # softmax then cross-entropy: p - y
    dl_dh = _matvec(_transpose(HELLO_WHY), dl_ds2)  # dL3/dY3 * dY3/dH3
    total: Matrix | None = None
    for t in range(step, 0, -1):
        dl_ds1 = [g * (1.0 - h * h) for g, h in zip(dl_dh, forward.hs[t])]  # through tanh into H_t's sum
        local = forward.hs[t - 1] if by == "hh" else forward.xs[t - 1]  # dHt/dW's own factor
        term = _outer(dl_ds1, local)
        total = term if total is None else _add(total, term)
        dl_dh = _matvec(_transpose(HELLO_WHH), dl_ds1)  # one more dH_t/dH_{t-1}
    assert total is not None
    return total


def _engine_gradients(step: int = SLIDE_STEP) -> tuple[Matrix, Matrix, Matrix]:
    """dLT/dW_yh, dLT/dW_hh, dLT/dW_xh (T = ``step``) from the engine: the hello RNN unrolled, LT alone
    backpropagated."""
    vocab = Vocabulary(HELLO_VOCAB)
    model = hello_model()
    logits, _ = model.unroll(vocab.encode(HELLO_INPUTS))
    loss = softmax_cross_entropy(logits[step - 1], vocab.encode(HELLO_TARGETS)[step - 1])
    loss.backward()
    cell = model.cell
    assert isinstance(cell, RNNCell)
    grads = [[[w.grad for w in row] for row in weights] for weights in (model.head.W, cell.Whh, cell.Wxh)]
    return grads[0], grads[1], grads[2]


def bptt_slides_report() -> BPTTSlidesReport:
    """Evaluate the slides' three BPTT formulas for L3 by hand and compare each with the engine."""
    forward = _hand_forward()
    engine_why, engine_whh, engine_wxh = _engine_gradients()
    dl_ds2 = list(forward.probabilities[SLIDE_STEP - 1])
    dl_ds2[forward.targets[SLIDE_STEP - 1]] -= 1.0
    why_terms = _outer(dl_ds2, forward.hs[SLIDE_STEP])
    whh_terms = _slide_terms(forward, "hh")
    third_terms = _slide_terms(forward, "xh")

    def row(formula: str, terms: Matrix, engine: Matrix, note_if_agrees: str, note_if_differs: str) -> BPTTFormulaRow:
        # The third slide's terms are a Wxh-shaped matrix set against dWhh: of another shape, they cannot agree.
        agrees = _shape(terms) == _shape(engine) and largest_difference(terms, engine) <= AGREE_TOLERANCE
        return BPTTFormulaRow(formula, terms, engine, agrees, note_if_agrees if agrees else note_if_differs)

    third_is_wxh = largest_difference(third_terms, engine_wxh) <= AGREE_TOLERANCE
    return BPTTSlidesReport(
        rows=[
            row("dL3/dWyh = dL3/dY3 * dY3/dWyh", why_terms, engine_why, "",
                "the one term (p3 - y3) h3 does not give the engine's dL3/dWyh"),
            row("dL3/dWhh = sum t=1..3 of ... dHt/dWhh", whh_terms, engine_whh,
                "its 2nd and 3rd terms write dL3/dY for dL3/dY3 (same quantity)",
                "the three chain-rule terms do not sum to the engine's dL3/dWhh"),
            row("3rd BPTT slide: dL3/dWhh = ... dHt/dWhx", third_terms, engine_whh, "",
                "a slip on the slide: its left side says dL3/dWhh, but every term differentiates H_t by Whx"
                " (the input weights Wxh, as its next line dLT/dWxh says), so the terms sum to dL3/dWxh"
                + (" (agrees with the engine's, below, to 1e-12)" if third_is_wxh else " (which the engine does"
                   " not confirm either)") + ", not dL3/dWhh"),
        ],
        engine_dWxh=engine_wxh,
    )


#: The slides' general lines dLT/dW = sum over t = 1..T: checked at T = 4, the last step of "hell" -> "ello".
GENERAL_STEP = len(HELLO_INPUTS)


def bptt_general_rows(step: int = GENERAL_STEP) -> list[BPTTFormulaRow]:
    """The slides' three lines for LT, each evaluated by hand at T = ``step`` and set against the engine's gradient
    of LT alone: dLT/dWyh = dLT/dYT * dYT/dWyh (one term: W_yh acts at step T only), and dLT/dWhh, dLT/dWxh as
    sums over t = 1..T of the chain through H_T, H_T-1, ..., H_t."""
    step = hello_step(step, "bptt_general_rows")
    forward = _hand_forward()
    engine_why, engine_whh, engine_wxh = _engine_gradients(step)
    dl_ds2 = list(forward.probabilities[step - 1])
    dl_ds2[forward.targets[step - 1]] -= 1.0
    rows = []
    for formula, terms, engine in (
            (f"dLT/dWyh = dLT/dYT * dYT/dWyh (T = {step})", _outer(dl_ds2, forward.hs[step]), engine_why),
            (f"dLT/dWhh = sum t=1..T ... dHt/dWhh (T = {step})", _slide_terms(forward, "hh", step), engine_whh),
            (f"dLT/dWxh = sum t=1..T ... dHt/dWxh (T = {step})", _slide_terms(forward, "xh", step), engine_wxh)):
        agrees = largest_difference(terms, engine) <= AGREE_TOLERANCE
        rows.append(BPTTFormulaRow(formula, terms, engine, agrees,
                                   "" if agrees else "the terms do not sum to the engine's gradient of LT"))
    return rows


def bptt_general_text(rows: list[BPTTFormulaRow]) -> str:
    """The general lines as the tour prints them: a heading, one line each, a count."""
    differ = sum(1 for row in rows if not row.agrees)
    return "\n".join([
        "  the slides' general lines for LT (the loss at the last step T alone), by hand against the engine:",
        *(row.line() for row in rows),
        f"  {len(rows) - differ} of {len(rows)} general BPTT lines agree; {differ} differ.",
    ])
