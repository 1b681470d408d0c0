"""Gradient clipping: by value (min-char-rnn clips at 5) and by joint L2 norm (torch's clip_grad_norm_)."""

from __future__ import annotations

import math
from collections.abc import Iterable

from autograd import Value


def clip_grad_value(params: Iterable[Value], clip: float) -> None:
    """Clamp every gradient into [-clip, clip] (min-char-rnn clips at 5).

    A NaN gradient stays NaN (as PyTorch's ``clamp_``), for the optimizer to refuse by name.
    """
    if not clip > 0:
        raise ValueError(f"clip must be positive, got {clip!r}")
    low = -clip
    for p in params:
        # Comparisons rather than min/max: half the time over a model's thousands of parameters, and only
        # the gradients out of range are written.
        g = p.grad
        if g > clip:
            p.grad = clip
        elif g < low:
            p.grad = low


def clip_grad_norm(params: Iterable[Value], max_norm: float) -> float:
    """Scale all gradients so their joint L2 norm is at most ``max_norm``; return the norm before."""
    if not max_norm > 0:
        raise ValueError(f"max_norm must be positive, got {max_norm!r}")
    params = list(params)
    norm = math.sqrt(math.fsum(p.grad * p.grad for p in params))
    if norm > max_norm:
        scale = max_norm / norm
        for p in params:
            p.grad *= scale
    return norm
