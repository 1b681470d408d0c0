"""The activation slide: sigmoid, tanh and ReLU as the slide writes them, against the engine's own ops.

The slide writes g(z) = 1 / (1 + e^-z), g(z) = (e^z - e^-z) / (e^z + e^-z) and g(z) = max(0, z); the graph
slides add sigma's derivative (1 - sigma(z)) sigma(z), and the RNN's backpropagation uses tanh's, 1 - tanh(z)^2.
`activation_slide_rows()` builds each formula from the engine's exp, +, / and maximum, and sets it against the
engine's sigmoid, tanh and relu ops at the worked examples' own pre-activations (the MLP's s1 and s2 of row 1,
the hello RNN's first sums) and a few more points: the values, the derivative the engine's op gives, the
derivative backpropagated through the formula's own gates, and the identity written in terms of g(z).
max(0, z) has no derivative at 0: there the engine's relu gives 0 and its maximum splits the tie 0.5 / 0.5,
both as PyTorch does, so at z = 0 only ReLU's values and the op's 0 are compared.
"""

from __future__ import annotations

from dataclasses import dataclass

from autograd import Value

from .hello_rnn import HELLO_WXH
from .slides_mlp import row_graph, slides_network

#: The slide's formulas and the derivative identities checked, as the slides and the RNN's backpropagation write them.
FORMULAS = {
    "sigmoid": ("g(z) = 1 / (1 + e^-z)", "g'(z) = (1 - g(z)) g(z)"),
    "tanh": ("g(z) = (e^z - e^-z) / (e^z + e^-z)", "g'(z) = 1 - g(z)^2"),
    "relu": ("g(z) = max(0, z)", "g'(z) = 1 if z > 0 else 0"),
}
#: Two formulas "agree" within this relative difference (they differ by rounding only).
TOLERANCE = 1e-12
#: Points beside the worked examples' own: both signs, zero, and far enough out for sigma and tanh to flatten.
MORE_POINTS = (-3.0, -0.5, 0.0, 0.5, 3.0)


@dataclass
class ActivationRow:
    """One activation at one point: the slide's formula, the engine's op, and the three derivatives."""

    name: str
    z: float
    formula: float  # the slide's formula, built from the engine's exp, +, / (or maximum)
    op: float  # the engine's sigmoid / tanh / relu
    op_grad: float  # d op / dz from the engine's backward
    formula_grad: float  # d formula / dz, backpropagated through the formula's own gates
    identity: float  # (1 - g) g, 1 - g^2 or [z > 0], from the op's value

    @property
    def agrees(self) -> bool:
        """Formula and op, and all three derivatives, equal within `TOLERANCE` (relative, absolute near 0)."""
        def close(a: float, b: float) -> bool:
            return abs(a - b) <= TOLERANCE * max(1.0, abs(a), abs(b))

        kink = self.name == "relu" and self.z == 0.0  # no derivative there; see the module's docstring
        return close(self.formula, self.op) and close(self.op_grad, self.identity) and (
            kink or close(self.formula_grad, self.identity))


def _formula(name: str, z: Value) -> Value:
    if name == "sigmoid":
        return 1.0 / (1.0 + (-z).exp())
    if name == "tanh":
        up, down = z.exp(), (-z).exp()
        return (up - down) / (up + down)
    return z.maximum(0.0)


def _op(name: str, z: Value) -> Value:
    return {"sigmoid": z.sigmoid, "tanh": z.tanh, "relu": z.relu}[name]()


def _identity(name: str, g: float, z: float) -> float:
    if name == "sigmoid":
        return (1.0 - g) * g
    if name == "tanh":
        return 1.0 - g * g
    return 1.0 if z > 0 else 0.0


def slide_points() -> dict[str, list[float]]:
    """Each activation's points: sigmoid at row 1's s1[1], s1[2], s2[1], s2[2]; tanh at the hello RNN's first
    sums W_xh x_h (0.6, 0.2, 0.9); all three at `MORE_POINTS`."""
    g = row_graph(slides_network(), 1)
    mlp = [v.data for v in (*g.s1, *g.s2)]
    hello = [row[0] for row in HELLO_WXH]  # x_1 = "h" is one-hot: the first column of W_xh, h_0 = 0
    return {"sigmoid": [*mlp, *MORE_POINTS], "tanh": [*hello, *MORE_POINTS], "relu": list(MORE_POINTS)}


def activation_slide_rows() -> list[ActivationRow]:
    """Every activation at every one of its points, formula against op, derivatives against the identity."""
    rows = []
    for name, points in slide_points().items():
        for z in points:
            x_formula, x_op = Value(z), Value(z)
            formula, op = _formula(name, x_formula), _op(name, x_op)
            formula.backward()
            op.backward()
            rows.append(ActivationRow(name, z, formula.data, op.data, x_op.grad, x_formula.grad,
                                      _identity(name, op.data, z)))
    return rows


def activation_slide_text(rows: list[ActivationRow]) -> str:
    """One line per activation: its formula and identity, at how many points they hold, the verdict."""
    lines = ["The activation slide's formulas built from the engine's exp, +, / and max, against its ops, and the"
             " derivative identities (engine's backward through the op and through the formula's gates):"]
    for name, (formula, identity) in FORMULAS.items():
        mine = [r for r in rows if r.name == name]
        held = sum(1 for r in mine if r.agrees)
        where = ", ".join(f"{r.z:g}" for r in mine)
        verdict = (f"{held} of {len(mine)} agree" if held == len(mine)
                   else f"DIFFERS at {len(mine) - held} of {len(mine)}")
        lines.append(f"  {name:<8} {formula:<36} {identity:<28} at z = {where}: {verdict}")
    lines.append("  (at z = 0, max(0, z) has no derivative: there the engine's relu gives 0, and max(0, z) built from"
                 " its maximum gives 0.5, a tie split in two; both as PyTorch)")
    return "\n".join(lines)
