"""The vanishing-gradient experiment: how much gradient reaches each earlier time step.

A vanilla RNN and an LSTM read the same random sequence; the loss is the
cross-entropy at the last step only (many-to-one). After one backward pass,
the norm of dL/dh_t, for each t, is the gradient that reached step t.

`connectivity` widens this to every pair: with a loss L_t at every step t,
the size of dL_t/dx_k (x_k the one-hot input at step k) for all t >= k,
the map of how far each loss reaches back into the inputs.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from autograd import Value
from nn import CharModel, softmax_cross_entropy
from nn.checks import fits_in_memory, whole_number


@dataclass
class GradientReach:
    """||dL/dh_t|| for t = 1..T, per cell kind."""

    steps: list[int]
    norms: dict[str, list[float]]

    def summary(self) -> str:
        """Each cell's gradient at step 1 relative to the last step, and what that means (two indented lines)."""
        rnn, lstm = self.norms["rnn"], self.norms["lstm"]
        return (f"  gradient reaching step 1 of {len(self.steps)}, relative to step {len(self.steps)}:"
                f" RNN {rnn[0] / rnn[-1]:.1e}, LSTM {lstm[0] / lstm[-1]:.1e}\n"
                "  The RNN's error signal shrinks by a factor at every step back through tanh and Whh, so early"
                " inputs barely learn; the LSTM's additive cell path carries it much further.")


#: Bytes of graph per multiply-add of an LSTM step, to refuse a length no machine could unroll before trying.
_BYTES_PER_LINK = 150


def _check_sizes(who: str, length: int, hidden: int, vocab_size: int, shortest: int) -> None:
    """Whole numbers, at least (``shortest``, 1, 2), and an unrolled graph that fits in memory; else an error
    naming the argument (length 2.5 failed deep inside range(); a length of 10**9 ran until memory ran out)."""
    whole_number(length, f"{who}'s length", minimum=shortest)
    whole_number(hidden, f"{who}'s hidden")
    whole_number(vocab_size, f"{who}'s vocab_size", minimum=2)
    links = length * 4 * hidden * (hidden + vocab_size + 1)  # the LSTM's four gates at every step
    fits_in_memory(links, _BYTES_PER_LINK, f"{who} would unroll", "multiply-adds")


def gradient_reach(length: int = 40, hidden: int = 8, vocab_size: int = 10, seed: int = 0) -> GradientReach:
    """Run both cells, freshly initialised with the same seed, on one random sequence."""
    _check_sizes("gradient_reach", length, hidden, vocab_size, shortest=2)
    rng = random.Random(seed)
    inputs = [rng.randrange(vocab_size) for _ in range(length)]
    target = rng.randrange(vocab_size)
    norms: dict[str, list[float]] = {}
    for kind in ("rnn", "lstm"):
        model = CharModel(vocab_size, hidden, cell=kind, seed=seed)
        all_logits, states = model.unroll(inputs)
        loss = softmax_cross_entropy(all_logits[-1], target)
        loss.backward()
        norms[kind] = [math.sqrt(sum(v.grad**2 for v in model.cell.output(s))) for s in states]
    return GradientReach(list(range(1, length + 1)), norms)


@dataclass
class Connectivity:
    """``maps[kind][t - 1][k - 1]`` = ||dL_t/dx_k|| for k <= t (None for k > t: L_t cannot see later inputs)."""

    length: int
    maps: dict[str, list[list[float | None]]]


def connectivity(length: int = 20, hidden: int = 8, vocab_size: int = 10, seed: int = 0) -> Connectivity:
    """||dL_t/dx_k|| for every t >= k, for a fresh RNN and LSTM on one random sequence with a loss at every step.

    The inputs are one-hot vectors of Values, so their gradients exist; one backward pass per loss term L_t.
    """
    _check_sizes("connectivity", length, hidden, vocab_size, shortest=1)
    rng = random.Random(seed)
    inputs = [rng.randrange(vocab_size) for _ in range(length)]
    targets = [rng.randrange(vocab_size) for _ in range(length)]
    maps: dict[str, list[list[float | None]]] = {}
    for kind in ("rnn", "lstm"):
        model = CharModel(vocab_size, hidden, cell=kind, seed=seed)
        xs = [[Value(1.0 if j == x else 0.0) for j in range(vocab_size)] for x in inputs]
        losses = step_losses(model, xs, targets)
        rows: list[list[float | None]] = []
        for t, loss in enumerate(losses, start=1):
            for x in xs:
                for v in x:
                    v.grad = 0.0  # leaves accumulate across backward passes: each row is L_t's alone
            loss.backward()
            rows.append([math.sqrt(sum(v.grad**2 for v in xs[k])) if k < t else None for k in range(length)])
        maps[kind] = rows
    return Connectivity(length, maps)


def step_losses(model: CharModel, xs: list[list[Value]], targets: list[int]) -> list[Value]:
    """The cross-entropy L_t at every step of ``model`` reading the input vectors ``xs``."""
    state = model.initial_state()
    losses = []
    for x, target in zip(xs, targets):
        state = model.cell(x, state)
        losses.append(softmax_cross_entropy(model.head(model.cell.output(state)), target))
    return losses
