"""`Adam` (Kingma & Ba) with bias correction and torch.optim.Adam's L2 weight decay."""

from __future__ import annotations

import math
from collections.abc import Iterable

from autograd import Value

from ..module import short_repr
from .base import Optimizer, Proposal, hyperparameter


class Adam(Optimizer):
    """Adam as `torch.optim.Adam` (its formulas and defaults).

    ``m = b1 m + (1 - b1) g``, ``v = b2 v + (1 - b2) g^2`` and
    ``w -= lr * (m_hat / (sqrt(v_hat) + eps))`` with ``m_hat = m / (1 - b1^t)``,
    ``v_hat = v / (1 - b2^t)``: torch's formula, grouped so that a huge ``lr``
    whose step is representable (the ratio is at most about 1 in size) does
    not overflow on the way, as torch's ``lr / (1 - b1^t)`` would.
    ``weight_decay`` adds ``weight_decay * w`` to the gradient first (L2
    regularisation, as torch.optim.Adam); `AdamW` decays the weight itself instead.
    """

    _nonnegative_buffers = frozenset({"v"})
    _decoupled = False

    def __init__(
        self,
        params: Iterable[Value] | Iterable[tuple[str, Value]],
        lr: float = 0.001,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
    ) -> None:
        """Adam with first/second moment estimates; betas in [0, 1), eps > 0, weight_decay >= 0."""
        super().__init__(params, lr)
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise ValueError(f"betas must be a pair of numbers in [0, 1), got {short_repr(betas)}")
        self.beta1 = hyperparameter("betas[0]", betas[0], below_one=True)
        self.beta2 = hyperparameter("betas[1]", betas[1], below_one=True)
        # eps > 0 (PyTorch allows 0): with eps 0 a zero first gradient divides 0 by 0.
        self.eps = hyperparameter("eps", eps, positive=True)
        self.weight_decay = hyperparameter("weight_decay", weight_decay)
        self.m = [0.0] * len(self.params)
        self.v = [0.0] * len(self.params)

    def _proposal(self, grads: list[float], step: int) -> Proposal:
        b1, b2 = self.beta1, self.beta2
        correction1 = 1.0 - b1**step
        correction2 = 1.0 - b2**step
        lr, eps, decay, sqrt = self.lr, self.eps, self.weight_decay, math.sqrt  # locals: thousands of parameters
        shrink = 1.0 - self.lr * decay  # AdamW's decoupled decay
        decoupled = self._decoupled and decay
        coupled = not self._decoupled and decay
        new_data: list[float] = []
        m_new: list[float] = []
        v_new: list[float] = []
        for p, g, m, v in zip(self.params, grads, self.m, self.v):
            w = p.data
            if decoupled:
                w = w * shrink
            elif coupled:
                g = g + decay * w
            m = b1 * m + (1.0 - b1) * g
            v = b2 * v + (1.0 - b2) * g * g
            m_new.append(m)
            v_new.append(v)
            new_data.append(w - lr * ((m / correction1) / (sqrt(v / correction2) + eps)))
        return new_data, {"m": m_new, "v": v_new}

    def _buffers(self) -> dict[str, list[float]]:
        return {"m": self.m, "v": self.v}
