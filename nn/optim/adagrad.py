"""`Adagrad`: per-parameter steps scaled by the running sum of squared gradients."""

from __future__ import annotations

import math
from collections.abc import Iterable

from autograd import Value

from ..module import short_repr
from .base import Optimizer, Proposal, hyperparameter


class Adagrad(Optimizer):
    """Adagrad as `torch.optim.Adagrad`, or in min-char-rnn's form on request.

    With G the running sum of squared gradients (starting at
    ``initial_accumulator_value``) and ``clr = lr / (1 + (step - 1) * lr_decay)``:

    - ``form="pytorch"`` (default): w -= clr * g / (sqrt(G) + eps), eps 1e-10;
    - ``form="min-char-rnn"`` (Karpathy's min-char-rnn, which the lecture
      follows): w -= clr * g / sqrt(G + eps), eps 1e-8.

    ``eps=None`` picks the form's own default. ``weight_decay`` adds
    ``weight_decay * w`` to the gradient first, as PyTorch does.
    """

    PYTORCH = "pytorch"
    MIN_CHAR_RNN = "min-char-rnn"
    _default_eps = {PYTORCH: 1e-10, MIN_CHAR_RNN: 1e-8}
    _nonnegative_buffers = frozenset({"memory"})

    def __init__(
        self,
        params: Iterable[Value] | Iterable[tuple[str, Value]],
        lr: float = 0.01,
        lr_decay: float = 0.0,
        weight_decay: float = 0.0,
        initial_accumulator_value: float = 0.0,
        eps: float | None = None,
        form: str = PYTORCH,
    ) -> None:
        """Adagrad with per-parameter accumulated squared gradients (defaults: PyTorch's)."""
        super().__init__(params, lr)
        if form not in self._default_eps:
            raise ValueError(f"Adagrad form must be {self.PYTORCH!r} or {self.MIN_CHAR_RNN!r}, got {short_repr(form)}")
        self.form = form
        self.lr_decay = hyperparameter("lr_decay", lr_decay)
        self.weight_decay = hyperparameter("weight_decay", weight_decay)
        initial = hyperparameter("initial_accumulator_value", initial_accumulator_value)
        # eps > 0 (PyTorch allows 0): with eps 0 a zero or underflowing gradient divides 0 by 0.
        self.eps = hyperparameter("eps", self._default_eps[form] if eps is None else eps, positive=True)
        self.memory = [initial] * len(self.params)

    def _proposal(self, grads: list[float], step: int) -> Proposal:
        clr = self.lr / (1.0 + (step - 1) * self.lr_decay) if self.lr_decay else self.lr
        inside_sqrt = self.form == self.MIN_CHAR_RNN
        decay, eps, sqrt = self.weight_decay, self.eps, math.sqrt
        new_data: list[float] = []
        memory: list[float] = []
        for p, g, G in zip(self.params, grads, self.memory):
            w = p.data
            if decay:
                g = g + decay * w
            G = G + g * g
            memory.append(G)
            if inside_sqrt:
                new_data.append(w - clr * g / sqrt(G + eps))
            else:
                new_data.append(w - clr * (g / (sqrt(G) + eps)))
        return new_data, {"memory": memory}

    def _buffers(self) -> dict[str, list[float]]:
        return {"memory": self.memory}
