"""`AdamW` (Loshchilov & Hutter): Adam with the weight decay applied to the weight, not the gradient."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from autograd import Value

from .adam import Adam


class AdamW(Adam):
    """AdamW as `torch.optim.AdamW`: ``w *= 1 - lr * weight_decay``, then Adam's step (see `Adam`).

    Decoupled decay shrinks every weight by the same fraction whatever its
    gradient's scale, where Adam's L2 term is divided by sqrt(v) like the
    gradient. torch's default ``weight_decay=0.01``; ``amsgrad`` and
    ``maximize`` as in `Adam`.
    """

    def __init__(
        self,
        params: Iterable[Value] | Iterable[tuple[str, Value]] | Iterable[dict[str, Any]],
        lr: float = 0.001,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.01,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
        foreach: bool | None = None,
        capturable: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        """AdamW; betas in [0, 1), eps > 0, weight_decay >= 0 (default 0.01, as torch); torch's switches as `Adam`."""
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, maximize=maximize, foreach=foreach,
                         capturable=capturable, differentiable=differentiable, fused=fused,
                         decoupled_weight_decay=True)
