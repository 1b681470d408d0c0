"""`SGD`: the slides' w* = w - lr * grad, with torch.optim.SGD's momentum, dampening, Nesterov and weight decay."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from autograd import Value

from .base import Optimizer, Proposal, hyperparameter


class SGD(Optimizer):
    """Stochastic gradient descent as `torch.optim.SGD` (its formulas and argument checks).

    With ``d = grad + weight_decay * w`` and the velocity buffer ``b`` (``b = d``
    on the first step, then ``b = momentum * b + (1 - dampening) * d``), the
    step is ``w -= lr * b``, or ``w -= lr * (d + momentum * b)`` with
    ``nesterov=True``. Without momentum it is the slides' ``w -= lr * d``.
    """

    def __init__(
        self,
        params: Iterable[Value] | Iterable[tuple[str, Value]],
        lr: float = 0.001,
        momentum: float = 0.0,
        dampening: float = 0.0,
        weight_decay: float = 0.0,
        nesterov: bool = False,
    ) -> None:
        """Defaults are torch's (lr 0.001). ``momentum`` in [0, 1), ``dampening`` in [0, 1].

        ``weight_decay`` >= 0 is an L2 term added to the gradient.

        Nesterov momentum needs a positive momentum and zero dampening (ValueError otherwise, as torch).
        """
        super().__init__(params, lr)
        self.momentum = hyperparameter("momentum", momentum, below_one=True)
        self.dampening = hyperparameter("dampening", dampening, at_most_one=True)
        self.weight_decay = hyperparameter("weight_decay", weight_decay)
        if not isinstance(nesterov, bool):
            raise TypeError(f"nesterov must be True or False, got {type(nesterov).__name__}")
        if nesterov and (self.momentum <= 0.0 or self.dampening != 0.0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        self.nesterov = nesterov
        self.velocity = [0.0] * len(self.params)

    def _proposal(self, grads: list[float], step: int) -> Proposal:
        lr, momentum, decay = self.lr, self.momentum, self.weight_decay
        keep = 1.0 - self.dampening
        first = step == 1
        new_data: list[float] = []
        velocity: list[float] = []
        for p, g, b in zip(self.params, grads, self.velocity):
            w = p.data
            d = g + decay * w if decay else g
            b = d if first or not momentum else momentum * b + keep * d
            velocity.append(b)
            new_data.append(w - lr * (d + momentum * b if self.nesterov else b))
        return new_data, {"velocity": velocity}

    def _buffers(self) -> dict[str, list[float]]:
        return {"velocity": self.velocity}

    def __repr__(self) -> str:
        options: dict[str, Any] = {"lr": self.lr, "momentum": self.momentum, "dampening": self.dampening,
                                   "weight_decay": self.weight_decay, "nesterov": self.nesterov}
        return f"SGD({', '.join(f'{k}={v!r}' for k, v in options.items())})"
