"""Optimizers (SGD with momentum, Adagrad, Adam) and gradient clipping.

Each optimizer updates parameter ``.data`` in place from ``.grad`` and keeps
its state (momentum buffers, squared-gradient sums, step count) as plain
floats, so ``state_dict()`` can be saved beside the model's.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from autograd import Value


class Optimizer:
    """Base class: holds the parameter list and per-parameter state."""

    def __init__(self, params: Iterable[Value], lr: float) -> None:
        """Optimize ``params`` with learning rate ``lr`` (a positive number)."""
        self.params = list(params)
        if not self.params:
            raise ValueError("optimizer got an empty parameter list")
        if not all(isinstance(p, Value) for p in self.params):
            raise TypeError("optimizer parameters must be autograd Values")
        if not isinstance(lr, (int, float)) or not lr > 0 or not math.isfinite(lr):
            raise ValueError(f"learning rate must be a positive finite number, got {lr!r}")
        self.lr = float(lr)
        self.steps = 0

    def zero_grad(self) -> None:
        """Set every parameter's gradient to 0.0."""
        for p in self.params:
            p.grad = 0.0

    def step(self) -> None:
        """Apply one update from the current gradients."""
        self.steps += 1
        self._update()

    def _update(self) -> None:
        raise NotImplementedError

    def _buffers(self) -> dict[str, list[float]]:
        return {}

    def state_dict(self) -> dict[str, Any]:
        """The optimizer's settings and state as JSON-ready plain data."""
        return {"type": type(self).__name__, "lr": self.lr, "steps": self.steps, "buffers": self._buffers()}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Restore from `state_dict()` output; all-or-nothing, ValueError naming the bad entry."""
        if not isinstance(state, dict) or state.get("type") != type(self).__name__:
            found = state.get("type") if isinstance(state, dict) else type(state).__name__
            raise ValueError(f"optimizer state is for {found!r}, not {type(self).__name__}")
        buffers = state.get("buffers", {})
        mine = self._buffers()
        if not isinstance(buffers, dict) or set(buffers) != set(mine):
            raise ValueError(f"optimizer state buffers must be {sorted(mine)}")
        for name, values in buffers.items():
            if not isinstance(values, list) or len(values) != len(self.params):
                raise ValueError(f"optimizer buffer {name!r} must hold {len(self.params)} numbers")
            for v in values:
                Value(v)  # raises TypeError/ValueError for non-numbers and non-finite numbers
        steps = state.get("steps")
        if not isinstance(steps, int) or steps < 0:
            raise ValueError(f"optimizer state 'steps' must be a non-negative integer, got {steps!r}")
        lr = state.get("lr")
        if not isinstance(lr, (int, float)) or not lr > 0:
            raise ValueError(f"optimizer state 'lr' must be a positive number, got {lr!r}")
        self.lr = float(lr)
        self.steps = steps
        for name, values in buffers.items():
            mine[name][:] = [float(v) for v in values]


class SGD(Optimizer):
    """w* = w - lr * grad (the slides' rule), with optional momentum."""

    def __init__(self, params: Iterable[Value], lr: float = 0.01, momentum: float = 0.0) -> None:
        """Stochastic gradient descent; ``momentum`` in [0, 1)."""
        super().__init__(params, lr)
        if not 0.0 <= momentum < 1.0:
            raise ValueError(f"momentum must be in [0, 1), got {momentum!r}")
        self.momentum = momentum
        self.velocity = [0.0] * len(self.params)

    def _update(self) -> None:
        for i, p in enumerate(self.params):
            v = self.momentum * self.velocity[i] + p.grad
            self.velocity[i] = v
            p.data -= self.lr * v

    def _buffers(self) -> dict[str, list[float]]:
        return {"velocity": self.velocity}


class Adagrad(Optimizer):
    """w -= lr * grad / sqrt(sum of squared grads + eps): min-char-rnn's optimizer."""

    def __init__(self, params: Iterable[Value], lr: float = 0.1, eps: float = 1e-8) -> None:
        """Adagrad with per-parameter accumulated squared gradients."""
        super().__init__(params, lr)
        self.eps = eps
        self.memory = [0.0] * len(self.params)

    def _update(self) -> None:
        for i, p in enumerate(self.params):
            g = p.grad
            self.memory[i] += g * g
            p.data -= self.lr * g / math.sqrt(self.memory[i] + self.eps)

    def _buffers(self) -> dict[str, list[float]]:
        return {"memory": self.memory}


class Adam(Optimizer):
    """Adam (Kingma & Ba) with bias correction, as PyTorch's default."""

    def __init__(
        self,
        params: Iterable[Value],
        lr: float = 0.001,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
    ) -> None:
        """Adam with first/second moment estimates."""
        super().__init__(params, lr)
        if not all(0.0 <= b < 1.0 for b in betas):
            raise ValueError(f"betas must be in [0, 1), got {betas!r}")
        self.beta1, self.beta2 = betas
        self.eps = eps
        self.m = [0.0] * len(self.params)
        self.v = [0.0] * len(self.params)

    def _update(self) -> None:
        b1, b2 = self.beta1, self.beta2
        correction1 = 1.0 - b1**self.steps
        correction2 = 1.0 - b2**self.steps
        for i, p in enumerate(self.params):
            g = p.grad
            self.m[i] = b1 * self.m[i] + (1.0 - b1) * g
            self.v[i] = b2 * self.v[i] + (1.0 - b2) * g * g
            m_hat = self.m[i] / correction1
            v_hat = self.v[i] / correction2
            p.data -= self.lr * m_hat / (math.sqrt(v_hat) + self.eps)

    def _buffers(self) -> dict[str, list[float]]:
        return {"m": self.m, "v": self.v}


def clip_grad_value(params: Iterable[Value], clip: float) -> None:
    """Clamp every gradient into [-clip, clip] (min-char-rnn clips at 5)."""
    if not clip > 0:
        raise ValueError(f"clip must be positive, got {clip!r}")
    for p in params:
        p.grad = max(-clip, min(clip, p.grad))


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
