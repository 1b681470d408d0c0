"""The Hessian of the slides' MLP loss with respect to two weights of hidden neuron 1, and its gradient's graph.

E is the slides' batch loss, summed over rows r = 1..4 (`slides_mlp.batch_loss`,
whose first derivatives are the slides' table c1). The engine's 2x2 Hessian
differentiates the gradient graph (``grad(E, w, create_graph=True)``) once
more; the check differentiates nothing twice: it takes central differences of
the first-order gradient, (dE/dw_i at w_j + h  -  dE/dw_i at w_j - h) / 2h.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from dataclasses import dataclass

from autograd import Value, grad
from autograd.shown import short_repr
from nn import MLP
from viz import ValueGraph, draw_gradient_graph

from .slide_names import mlp_names
from .slides_mlp import BATCH_ROWS, batch_loss, row_graph, slides_network

#: w1[i,k] as the slides index it: row i (0 is the bias), hidden unit k. Neuron 1's weights from x1 and x2.
HESSIAN_WEIGHTS = ((1, 1), (2, 1))
#: Step of the central differences: its error is about h^2 |E'''| ~ 1e-10 plus rounding 1e-16 / h ~ 1e-11.
STEP = 1e-5
#: The agreement the tests require of the two Hessians (the differences' error is well under it).
TOLERANCE = 1e-8


def slide_weight(model: MLP, i: int, k: int) -> Value:
    """The hidden layer's weight w1[i,k] of ``model`` (i = 0 is the bias of unit k)."""
    if any(isinstance(n, bool) or not isinstance(n, numbers.Integral) for n in (i, k)):  # numpy's ints too
        raise TypeError(f"w1[i,k]: i and k must be whole numbers, got {type(i).__name__} {short_repr(i)} and "
                        f"{type(k).__name__} {short_repr(k)}")
    neurons = model.layers[0].neurons
    if not 1 <= k <= len(neurons) or not 0 <= i <= len(neurons[0].w):
        # short_repr: an int past str()'s 4,300 digits made this message fail with "Exceeds the limit"
        raise ValueError(f"w1[{short_repr(i)},{short_repr(k)}] is not a weight of the slides' hidden layer")
    i, k = int(i), int(k)
    neuron = neurons[k - 1]
    return neuron.b if i == 0 else neuron.w[i - 1]


def weight_name(i: int, k: int) -> str:
    """The slides' name, w1[i,k]."""
    return f"w1[{i},{k}]"


@dataclass
class MlpHessian:
    """The engine's Hessian of E beside the central differences of its gradient, for ``weights``."""

    weights: tuple[tuple[int, int], ...]
    engine: list[list[float]]
    central: list[list[float]]

    @property
    def max_difference(self) -> float:
        """The largest |engine - central| entry."""
        return max(abs(a - b) for ra, rb in zip(self.engine, self.central) for a, b in zip(ra, rb))

    def table(self) -> str:
        """Both matrices side by side and the largest difference, as indented text."""
        names = [weight_name(i, k) for i, k in self.weights]
        width = max(len(n) for n in names)
        lines = [f"  Hessian of E (summed over rows 1..{BATCH_ROWS}) for hidden neuron 1's weights from x1 and x2,"
                 f" d2E/(dwi dwj):", f"  engine (grad of grad) | central differences of dE/dw (h = {STEP:g})"]
        lines.append(f"  {'':<{width}}  " + "".join(f"{n:>16}" for n in names) + "   |"
                     + "".join(f"{n:>16}" for n in names))
        for name, row, check in zip(names, self.engine, self.central):
            lines.append(f"  {name:<{width}}  " + "".join(f"{v:>16.10f}" for v in row) + "   |"
                         + "".join(f"{v:>16.10f}" for v in check))
        lines.append(f"  largest difference: {self.max_difference:.1e} (symmetric: H[1][2] - H[2][1] ="
                     f" {self.engine[0][1] - self.engine[1][0]:.1e})")
        return "\n".join(lines)


def checked_weights(weights: object) -> tuple[tuple[int, int], ...]:
    """``weights`` as a tuple of (i, k) pairs; TypeError or ValueError naming it otherwise ("ab" failed as "not
    enough values to unpack", None as "not iterable", and () made a Hessian of nothing whose table failed)."""
    what = "weights must be a non-empty sequence of (i, k) pairs (w1[i,k] of the slides' hidden layer)"
    if isinstance(weights, (str, bytes)) or not isinstance(weights, Sequence):
        raise TypeError(f"{what}, got {type(weights).__name__} {short_repr(weights)}")
    pairs = []
    for pair in weights:
        if isinstance(pair, (str, bytes)) or not isinstance(pair, Sequence) or len(pair) != 2:
            raise ValueError(f"{what}, got {short_repr(pair)} in {short_repr(weights)}")
        if any(isinstance(n, bool) or not isinstance(n, numbers.Integral) for n in pair):  # numpy's ints too
            raise TypeError(f"{what} of whole numbers, got {short_repr(pair)}")
        pairs.append((int(pair[0]), int(pair[1])))
    if not pairs:
        raise ValueError(f"{what}, got none")
    return tuple(pairs)


def engine_hessian(weights: tuple[tuple[int, int], ...] = HESSIAN_WEIGHTS, rows: int = BATCH_ROWS) -> list[list[float]]:
    """d2E/(dw_i dw_j) from the engine: E's gradient as a graph, then the gradient of each entry."""
    weights = checked_weights(weights)
    model = slides_network()
    ws = [slide_weight(model, i, k) for i, k in weights]
    first = grad(batch_loss(model, rows), ws, create_graph=True)
    return [[g.data for g in grad(d, ws, allow_unused=True)] for d in first]


def gradient_at(weights: tuple[tuple[int, int], ...], shift: int, by: float, rows: int) -> list[float]:
    """dE/dw (first order only) with weight number ``shift`` moved by ``by``."""
    model = slides_network()
    ws = [slide_weight(model, i, k) for i, k in weights]
    ws[shift].data += by
    return [g.data for g in grad(batch_loss(model, rows), ws)]


def central_difference_hessian(weights: tuple[tuple[int, int], ...] = HESSIAN_WEIGHTS, rows: int = BATCH_ROWS,
                               step: float = STEP) -> list[list[float]]:
    """H[i][j] ~ (dE/dw_i(w_j + h) - dE/dw_i(w_j - h)) / 2h from first-order gradients, symmetrised by nothing."""
    weights = checked_weights(weights)
    if isinstance(step, bool) or not isinstance(step, numbers.Real):
        raise TypeError(f"central_difference_hessian: step must be a positive finite number, got {type(step).__name__}")
    try:
        value = float(step)
    except OverflowError:  # an int past float range: no finite float, named below rather than overflowing here
        value = math.inf
    if not 0.0 < value < math.inf:
        raise ValueError(f"central_difference_hessian: step must be a positive finite number, got {short_repr(step)}")
    step = value
    columns = []
    for j in range(len(weights)):
        up, down = gradient_at(weights, j, step, rows), gradient_at(weights, j, -step, rows)
        columns.append([(a - b) / (2 * step) for a, b in zip(up, down)])
    return [[columns[j][i] for j in range(len(weights))] for i in range(len(weights))]


def mlp_hessian(weights: tuple[tuple[int, int], ...] = HESSIAN_WEIGHTS) -> MlpHessian:
    """The engine's 2x2 Hessian of the slides' batch loss and its central-difference check."""
    weights = checked_weights(weights)
    return MlpHessian(weights, engine_hessian(weights), central_difference_hessian(weights))


def gradient_picture(i: int = 1, k: int = 1) -> ValueGraph:
    """Row 1's dE/dw1[i,k] as a computation: the backward pass's gates beside the faded forward graph."""
    model = slides_network()
    g = row_graph(model, 1)
    w = slide_weight(model, i, k)
    # One backward pass for w and the named nodes: dw's gates are then built from the very Values
    # dE/da1[1], dE/ds2[1], ... returned here, so the picture can name them as the slides do.
    nodes = [*g.s1, *g.a1, *g.s2, *g.a2]
    dw, *dnodes = grad(g.E, [w, *nodes], create_graph=True)
    name = f"dE/d{weight_name(i, k)}"
    # The slides' names for the forward nodes (a2[1] - y[1], ...) also name the backward boxes built from them.
    return draw_gradient_graph(dw, g.E, gradient_name=name, gradients_of=dict(zip(nodes, dnodes)),
                               names=mlp_names(model, g.E), expression_names=True, copy_leaf_reads=True,
                               title=f"Row 1 of the slides' MLP: {name} = {dw.data:.4f}"
                               " is a computation too (backward pass normal, forward graph faded)")
