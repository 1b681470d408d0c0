"""The vanishing gradient as a product of factors, on the slides' hello RNN.

The BPTT slides chain dL3/dH3 * dH3/dH2 * dH2/dH1: each step back through time multiplies the gradient by one
factor dH_t/dH_t-1 = diag(1 - h_t^2) W_hh (tanh's slope at h_t times the recurrent weights). Factors smaller
than 1 shrink it step by step: the vanishing gradient. `vanishing_factors()` backpropagates L_T alone (T = 4,
the last step of "hell" -> "ello") with the engine, reads dL_T/dh_t at every step, and sets it against dL_T/dh_T
carried back by those factors multiplied out by hand; each step's ratio ||dL_T/dh_t-1|| / ||dL_T/dh_t|| is at
most the factor's norm (Frobenius, which bounds the spectral norm).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from nn import RNNCell, Vocabulary, softmax_cross_entropy

from .hello_rnn import HELLO_INPUTS, HELLO_TARGETS, HELLO_VOCAB, HELLO_WHH, hello_model, hello_step

#: The engine's gradient and the hand-chained one "agree" within this (they differ by rounding only).
AGREE_TOLERANCE = 1e-12


@dataclass
class FactorStep:
    """Step t: the engine's dL_T/dh_t, the hand-chained one, and the factor that carries it one step back."""

    t: int
    grad: list[float]  # dL_T/dh_t from the engine's backward pass
    chained: list[float]  # dL_T/dh_T carried back to step t by the factors, multiplied out by hand
    slopes: list[float] | None  # 1 - h_t^2: tanh's slope in the factor dh_t/dh_t-1 (None at t = 1: no h_0 factor)
    factor_norm: float | None  # Frobenius norm of diag(1 - h_t^2) W_hh

    @property
    def norm(self) -> float:
        """||dL_T/dh_t||."""
        return math.sqrt(_dot(self.grad, self.grad))

    @property
    def agrees(self) -> bool:
        """The engine's gradient equals the product of factors applied to dL_T/dh_T."""
        return max(abs(a - b) for a, b in zip(self.grad, self.chained)) <= AGREE_TOLERANCE


@dataclass
class VanishingFactors:
    """Steps T down to 1; `text()` is what the tour prints."""

    step: int  # T
    steps: list[FactorStep]  # steps[0] is t = T, steps[-1] is t = 1

    def text(self) -> str:
        """One line per step: the gradient's norm, its ratio to the step after, the factor's slopes and norm."""
        lines = [f"  the vanishing gradient as a product of factors, on the hello RNN (L{self.step} alone):"
                 " dL/dh_(t-1) = (diag(1 - h_t^2) Whh)^T dL/dh_t, each step back one factor; the last column sets the"
                 " engine's dL/dh_t against dL/dh_T carried back by the factors:",
                 f"  {'t':>3}  {'||dL/dh_t||':>12}  {'ratio to t+1':>12}  {'carried to t-1 by: 1 - h_t^2':<32}"
                 f"{'||factor||':>10}  engine = factors"]
        for i, s in enumerate(self.steps):
            ratio = f"{s.norm / self.steps[i - 1].norm:.4f}" if i else "-"
            slopes = "[" + ", ".join(f"{v:.4f}" for v in s.slopes) + "]" if s.slopes is not None else "-"
            factor = f"{s.factor_norm:.4f}" if s.factor_norm is not None else "-"
            lines.append(f"  {s.t:>3}  {s.norm:>12.6f}  {ratio:>12}  {slopes:<32}{factor:>10}  "
                         + ("agrees" if s.agrees else "DIFFERS"))
        first, last = self.steps[-1], self.steps[0]
        lines.append(f"  ||dL/dh_1|| / ||dL/dh_{self.step}|| = {first.norm / last.norm:.4f}: the product of the"
                     " ratios above, each at most the norm of the factor on the line above it")
        return "\n".join(lines)


def _dot(u: list[float], v: list[float]) -> float:
    out = 0.0
    for a, b in zip(u, v):
        out += a * b  # left to right, as the engine adds
    return out


def vanishing_factors(step: int = len(HELLO_INPUTS)) -> VanishingFactors:
    """Backpropagate L_T (T = ``step``) through the hello RNN and set each dL_T/dh_t against the factors' product."""
    step = hello_step(step, "vanishing_factors")
    vocab = Vocabulary(HELLO_VOCAB)
    model = hello_model()
    cell = model.cell
    assert isinstance(cell, RNNCell)
    logits, states = model.unroll(vocab.encode(HELLO_INPUTS))
    softmax_cross_entropy(logits[step - 1], vocab.encode(HELLO_TARGETS)[step - 1]).backward()
    grads = [[v.grad for v in h] for h in states[:step]]
    hs = [[v.data for v in h] for h in states[:step]]
    size = len(HELLO_WHH)
    chained = grads[step - 1]
    steps = []
    for t in range(step, 0, -1):
        slopes = [1.0 - v * v for v in hs[t - 1]] if t > 1 else None
        factor_norm = None
        if slopes is not None:
            factor = [[slopes[k] * HELLO_WHH[k][m] for m in range(size)] for k in range(size)]  # diag(1 - h_t^2) Whh
            factor_norm = math.sqrt(sum(f * f for row in factor for f in row))
        steps.append(FactorStep(t, grads[t - 1], chained, slopes, factor_norm))
        if slopes is not None:
            chained = [_dot([factor[k][m] for k in range(size)], chained) for m in range(size)]  # factor^T chained
    return VanishingFactors(step, steps)
