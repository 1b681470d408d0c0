"""The computational-graph slides: row 1's s2[1] -> a2[1] -> E broken into gates, forward and backward.

The slides draw a2[1] = sigma(s2[1]) of row r = 1 as a chain of gates: two multiplies (w2[1,1] a1[1],
w2[2,1] a1[2]), two adds (their sum, then the bias w2[0,1] a1[0]), then sigma(x) = 1 / (1 + e^-x) as
* -1, exp, + 1 and 1/x. Backpropagating 1 from a2[1] gives each gate's gradient, ending in sigma's derivative
(1 - sigma(x)) sigma(x); then E's own gates (- y1, square, * 1/2) are chained on: dE/ds2[1] and
dE/dw2[0,1] = .0775, the number the backpropagation slides reach by the chain rule.

The deck's text export keeps only the sigmoid, its derivative and the final .0775 of these slides; the gates'
numbers are in the tutorial's own slides (MLP-RNN Tutorial.pptx, the "Computational Graphs" slides), typed
in below. `sigmoid_gates_report()` builds the gates with the engine and sets each number against it; where
the slide is wrong, its row says why. The engine is never bent to match a slide.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from autograd import Value

from .slides_mlp import SLIDES_W2, SLIDES_Y, agrees_at_slide_rounding, row_graph, slides_network

#: Each number the graph slides print, in the order they appear, as printed.
SLIDE_GATES = {
    "w2[1,1] * a1[1]": ".6906",
    "w2[2,1] * a1[2]": ".8955",
    "w2[1,1] a1[1] + w2[2,1] a1[2]": "1.5861",
    "s2[1] (+ bias w2[0,1] * 1)": "2.0862",
    "-s2[1] (* -1 gate)": "-2.0862",
    "e^-s2[1] (exp gate)": ".1242",
    "e^-2.0862 (working)": ".1241",
    "1 + e^-s2[1] (+1 gate)": "1.1242",
    "a2[1] = 1 / (1 + e^-s2[1])": ".8896",
    "E1 = 1/2 (a2[1] - y1)^2": ".3117",
    "da2/d(1 + e^-s) = -1 / 1.1242^2": "-.7913",
    "da2/d(e^-s) = 1 x -.7913": "-.7913",
    "da2/d(-s) = .1241 x -.7913": "-.0982",
    "da2/ds2[1] = -1 x -.0982": ".0982",
    "dE1/da2[1] = .8896 - .1": ".7986",
    "dE1/ds2[1] = .0982 x .7896": ".0775",
    "dE/dw2[0,1] = 1 * .0775": ".0775",
}

#: Why a slide number differs from the engine's, or a remark on its working; checked in tests/test_sigmoid_gates.py.
GATE_REMARKS = {
    "w2[1,1] a1[1] + w2[2,1] a1[2]": (
        "the slide adds its rounded products, .6906 + .8955 = 1.5861; unrounded 0.690629 + 0.895530 = 1.586159,"
        " which rounds to 1.5862 (the next gate's 2.0862 is the unrounded sum plus .5; 1.5861 + .5 would be 2.0861)"),
    "e^-2.0862 (working)": (
        "a slip on the slide: e^-2.0862 = 0.124158 (unrounded s2[1]: 0.124163), which rounds to .1242, as the exp"
        " gate's own node on the same slide prints; .1241 is cut off, not rounded"),
    "da2/d(1 + e^-s) = -1 / 1.1242^2": (
        "the slide's working writes 1/1.1242^2 = -.7913: the local derivative of 1/x is -1/x^2, the minus is"
        " missing on the left, and its rounded 1.1242 gives -1/1.1242^2 = -0.791248, -.7912; the slide's -.7913 is"
        " the unrounded -1/1.124163^2 = -0.791300"),
    "da2/d(-s) = .1241 x -.7913": (
        "the slide multiplies rounded figures, .1241 x -.7913 = -0.098200; unrounded it is -0.098250, which"
        " rounds to -.0983"),
    "da2/ds2[1] = -1 x -.0982": (
        "sigma'(s2[1]) = (1 - .8896) .8896 from rounded figures is 0.098212; unrounded (1 - a2[1]) a2[1] ="
        " 0.098250, which rounds to .0983 (the backpropagation slides' .0775 is short for the same reason)"),
    "dE1/da2[1] = .8896 - .1": (
        "a slip on the slide: .8896 - .1 = .7896 (digits swapped in .7986); the next gate multiplies by .7896"),
    "dE1/ds2[1] = .0982 x .7896": (
        "the slide multiplies rounded figures, .0982 x .7896 = 0.077539; unrounded it is 0.077574, which rounds"
        " to .0776, as the worked example's report says of dE/dw2[0,1]"),
    "dE/dw2[0,1] = 1 * .0775": "a1[0] = 1 (the bias input), so dE/dw2[0,1] = dE/ds2[1]: 0.077574, .0776",
}


@dataclass
class GateRow:
    """One number of the graph slides: the slide's, the engine's, whether they agree at the slide's rounding."""

    quantity: str
    slide: str
    ours: float
    note: str = ""

    @property
    def agrees(self) -> bool:
        """Within half a unit of the slide's last printed decimal."""
        return agrees_at_slide_rounding(self.slide, self.ours)


@dataclass
class SigmoidGatesReport:
    """The graph slides' gate numbers against the engine's; `text()` is what the tour prints."""

    rows: list[GateRow]

    def differing(self) -> list[GateRow]:
        """The rows where the slide's number is not the engine's at the slide's rounding."""
        return [r for r in self.rows if not r.agrees]

    def text(self) -> str:
        """A heading, one line per number (the reason under it), and a count."""
        width = max(len(r.quantity) for r in self.rows)
        lines = ["The computational-graph slides: row 1's s2[1] -> a2[1] -> E as gates (numbers from the tutorial's"
                 " slides; the text export keeps only sigma, its derivative and .0775):",
                 f"{'gate':<{width}}  {'slide':>8}  {'ours':>10}  verdict"]
        for r in self.rows:
            lines.append(f"{r.quantity:<{width}}  {r.slide:>8}  {r.ours:>10.6f}  {'agrees' if r.agrees else 'DIFFERS'}")
            if r.note:
                indent = " " * (width + 4)
                lines += textwrap.wrap(r.note, 112, initial_indent=indent, subsequent_indent=indent)
        n_diff = len(self.differing())
        lines.append(f"{len(self.rows) - n_diff} of {len(self.rows)} graph-slide numbers agree; {n_diff} differ"
                     " (reasons above).")
        return "\n".join(lines)


def sigmoid_gates_report() -> SigmoidGatesReport:
    """Build row 1's s2[1] -> a2[1] -> E as the slides' gates with the engine, backpropagate, and compare."""
    a1 = [1.0, *(v.data for v in row_graph(slides_network(), 1).a1)]  # a1[0] = 1, the bias input
    w_bias, w_1, w_2 = (Value(SLIDES_W2[k][0], label=f"w2[{k},1]") for k in range(3))
    p1, p2 = w_1 * a1[1], w_2 * a1[2]
    partial = p1 + p2
    s = partial + w_bias * a1[0]
    minus_s = s * -1.0
    e = minus_s.exp()
    d = e + 1.0
    a2 = d.reciprocal()
    a2.backward()  # the slides' first backward pass: 1 from a2[1] down to s2[1]
    sigmoid_grads = {"d": d.grad, "e": e.grad, "minus_s": minus_s.grad, "s": s.grad}
    for v in (w_bias, w_1, w_2, p1, p2, partial, s, minus_s, e, d, a2):
        v.grad = 0.0  # the E pass below starts afresh
    error = a2 - SLIDES_Y[0][0]
    half_square = 0.5 * error * error
    half_square.backward()
    ours = {
        "w2[1,1] * a1[1]": p1.data,
        "w2[2,1] * a1[2]": p2.data,
        "w2[1,1] a1[1] + w2[2,1] a1[2]": partial.data,
        "s2[1] (+ bias w2[0,1] * 1)": s.data,
        "-s2[1] (* -1 gate)": minus_s.data,
        "e^-s2[1] (exp gate)": e.data,
        "e^-2.0862 (working)": e.data,
        "1 + e^-s2[1] (+1 gate)": d.data,
        "a2[1] = 1 / (1 + e^-s2[1])": a2.data,
        "E1 = 1/2 (a2[1] - y1)^2": half_square.data,
        "da2/d(1 + e^-s) = -1 / 1.1242^2": sigmoid_grads["d"],
        "da2/d(e^-s) = 1 x -.7913": sigmoid_grads["e"],
        "da2/d(-s) = .1241 x -.7913": sigmoid_grads["minus_s"],
        "da2/ds2[1] = -1 x -.0982": sigmoid_grads["s"],
        "dE1/da2[1] = .8896 - .1": a2.grad,
        "dE1/ds2[1] = .0982 x .7896": s.grad,
        "dE/dw2[0,1] = 1 * .0775": w_bias.grad,
    }
    return SigmoidGatesReport([GateRow(q, slide, ours[q], GATE_REMARKS.get(q, "")) for q, slide in SLIDE_GATES.items()])
