"""Optimizers (SGD with momentum, Adagrad, Adam) and gradient clipping.

Each optimizer updates parameter ``.data`` in place from ``.grad`` and keeps
its state (momentum buffers, squared-gradient sums, step count) as plain
floats, so ``state_dict()`` can be saved beside the model's.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

from autograd import Value

from .module import checked_float, short_repr

MAX_STEPS = 2**53  # beyond this a step count no longer converts to float exactly


def _hyperparameter(name: str, value: Any, *, positive: bool = False, below_one: bool = False) -> float:
    """A finite, non-negative (or positive) hyperparameter as a float, or ValueError naming it."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    number = checked_float(value, name)
    if number < 0.0 or (positive and number == 0.0) or (below_one and number >= 1.0):
        kind = "in [0, 1)" if below_one else "positive" if positive else "non-negative"
        raise ValueError(f"{name} must be {kind}, got {value!r}")
    return number


class Optimizer:
    """Base class: holds the parameter list and per-parameter state."""

    # Buffers that hold sums of squares: a negative entry in a loaded file
    # would make the next step take the square root of a negative number.
    _nonnegative_buffers: frozenset[str] = frozenset()

    def __init__(self, params: Iterable[Value], lr: float) -> None:
        """Optimize ``params`` with learning rate ``lr`` (a positive number).

        A Value listed twice is an error (it would be stepped twice; PyTorch
        warns that this will become an error): pass ``model.parameters()``,
        which lists a tied weight once.
        """
        self.params = list(params)
        if not self.params:
            raise ValueError("optimizer got an empty parameter list")
        if not all(isinstance(p, Value) for p in self.params):
            raise TypeError("optimizer parameters must be autograd Values")
        first: dict[int, int] = {}
        for i, p in enumerate(self.params):
            if id(p) in first:
                raise ValueError(
                    f"optimizer parameter {i} is the same Value as parameter {first[id(p)]}: "
                    "it would be stepped twice (pass each Value once)"
                )
            first[id(p)] = i
        try:
            self.lr = _hyperparameter("learning rate", lr, positive=True)
        except TypeError:
            raise ValueError(f"learning rate must be a positive finite number, got {lr!r}") from None
        except ValueError as err:
            raise ValueError(f"learning rate must be a positive finite number, got {lr!r}") from err
        self.steps = 0

    def zero_grad(self) -> None:
        """Set every parameter's gradient to 0.0."""
        for p in self.params:
            p.grad = 0.0

    def step(self) -> None:
        """Apply one update from the current gradients.

        A gradient left as a `Value` by ``backward(create_graph=True)`` is used by
        its number, as PyTorch's optimizers use a gradient that has a ``grad_fn``.
        Raises ValueError naming the first parameter whose gradient is not a
        finite number; nothing changes then.
        """
        grads: list[float] = []
        for i, p in enumerate(self.params):
            g: Any = p.grad
            if isinstance(g, Value):
                g = g.data
            if not (isinstance(g, (int, float)) and g - g == 0.0):
                raise ValueError(f"optimizer parameter {i} has gradient {g!r}: not a finite number")
            grads.append(float(g))
        self.steps += 1
        self._update(grads)

    def _update(self, grads: list[float]) -> None:
        raise NotImplementedError

    def _buffers(self) -> dict[str, list[float]]:
        return {}

    def state_dict(self) -> dict[str, Any]:
        """The optimizer's settings and state as JSON-ready plain data."""
        return {"type": type(self).__name__, "lr": self.lr, "steps": self.steps, "buffers": self._buffers()}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Restore from `state_dict()` output; all-or-nothing, ValueError naming the bad entry."""
        self._checked_state(state)()

    def _checked_state(self, state: Any, where: str = "optimizer state") -> Callable[[], None]:
        """Validate ``state`` without changing anything; return the function that applies it.

        A loader validates the model's and the optimizer's entries first and
        applies both only when all are good.
        """
        if not isinstance(state, dict) or state.get("type") != type(self).__name__:
            found = state.get("type") if isinstance(state, dict) else type(state).__name__
            raise ValueError(f"{where} is for {short_repr(found)}, not {type(self).__name__}")
        buffers = state.get("buffers", {})
        mine = self._buffers()
        if not isinstance(buffers, dict) or set(buffers) != set(mine):
            raise ValueError(f"{where} 'buffers' must hold exactly {sorted(mine)}")
        checked: dict[str, list[float]] = {}
        for name, values in buffers.items():
            if not isinstance(values, list) or len(values) != len(self.params):
                raise ValueError(f"{where} buffer {name!r} must be a list of {len(self.params)} numbers")
            numbers_ = [checked_float(v, f"{where} buffer {name!r} entry {i}") for i, v in enumerate(values)]
            if name in self._nonnegative_buffers:
                for i, v in enumerate(numbers_):
                    if v < 0.0:
                        raise ValueError(f"{where} buffer {name!r} entry {i} must be >= 0 (a sum of squares)")
            checked[name] = numbers_
        steps = state.get("steps")
        if isinstance(steps, bool) or not isinstance(steps, int) or not 0 <= steps <= MAX_STEPS:
            raise ValueError(f"{where} 'steps' must be an integer in [0, 2**53], got {short_repr(steps)}")
        lr = state.get("lr")
        if isinstance(lr, bool) or not isinstance(lr, (int, float)):
            raise ValueError(f"{where} 'lr' must be a positive finite number, got {short_repr(lr)}")
        lr_value = checked_float(lr, f"{where} 'lr'")
        if not lr_value > 0.0:
            raise ValueError(f"{where} 'lr' must be a positive finite number, got {lr_value!r}")

        def apply() -> None:
            self.lr = lr_value
            self.steps = steps
            for name, values in checked.items():
                mine[name][:] = values

        return apply


class SGD(Optimizer):
    """w* = w - lr * grad (the slides' rule), with optional momentum as in `torch.optim.SGD`."""

    def __init__(self, params: Iterable[Value], lr: float = 0.01, momentum: float = 0.0) -> None:
        """Stochastic gradient descent; ``momentum`` in [0, 1) (velocity = momentum * velocity + grad)."""
        super().__init__(params, lr)
        self.momentum = _hyperparameter("momentum", momentum, below_one=True)
        self.velocity = [0.0] * len(self.params)

    def _update(self, grads: list[float]) -> None:
        for i, p in enumerate(self.params):
            v = self.momentum * self.velocity[i] + grads[i]
            self.velocity[i] = v
            p.data -= self.lr * v

    def _buffers(self) -> dict[str, list[float]]:
        return {"velocity": self.velocity}


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
        params: Iterable[Value],
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
        self.lr_decay = _hyperparameter("lr_decay", lr_decay)
        self.weight_decay = _hyperparameter("weight_decay", weight_decay)
        initial = _hyperparameter("initial_accumulator_value", initial_accumulator_value)
        # eps > 0 (PyTorch allows 0): with eps 0 a zero or underflowing gradient divides 0 by 0.
        self.eps = _hyperparameter("eps", self._default_eps[form] if eps is None else eps, positive=True)
        self.memory = [initial] * len(self.params)

    def _update(self, grads: list[float]) -> None:
        clr = self.lr / (1.0 + (self.steps - 1) * self.lr_decay) if self.lr_decay else self.lr
        inside_sqrt = self.form == self.MIN_CHAR_RNN
        for i, p in enumerate(self.params):
            g = grads[i] + self.weight_decay * p.data if self.weight_decay else grads[i]
            self.memory[i] += g * g
            if inside_sqrt:
                p.data -= clr * g / math.sqrt(self.memory[i] + self.eps)
            else:
                p.data -= clr * (g / (math.sqrt(self.memory[i]) + self.eps))

    def _buffers(self) -> dict[str, list[float]]:
        return {"memory": self.memory}


class Adam(Optimizer):
    """Adam (Kingma & Ba) with bias correction, as `torch.optim.Adam`'s defaults."""

    _nonnegative_buffers = frozenset({"v"})

    def __init__(
        self,
        params: Iterable[Value],
        lr: float = 0.001,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
    ) -> None:
        """Adam with first/second moment estimates."""
        super().__init__(params, lr)
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise ValueError(f"betas must be a pair of numbers in [0, 1), got {short_repr(betas)}")
        self.beta1 = _hyperparameter("betas[0]", betas[0], below_one=True)
        self.beta2 = _hyperparameter("betas[1]", betas[1], below_one=True)
        # eps > 0 (PyTorch allows 0): with eps 0 a zero first gradient divides 0 by 0.
        self.eps = _hyperparameter("eps", eps, positive=True)
        self.m = [0.0] * len(self.params)
        self.v = [0.0] * len(self.params)

    def _update(self, grads: list[float]) -> None:
        b1, b2 = self.beta1, self.beta2
        correction1 = 1.0 - b1**self.steps
        correction2 = 1.0 - b2**self.steps
        lr, eps, m, v, sqrt = self.lr, self.eps, self.m, self.v, math.sqrt  # locals: thousands of parameters
        for i, p in enumerate(self.params):
            g = grads[i]
            m_i = m[i] = b1 * m[i] + (1.0 - b1) * g
            v_i = v[i] = b2 * v[i] + (1.0 - b2) * g * g
            m_hat = m_i / correction1
            v_hat = v_i / correction2
            p.data -= lr * m_hat / (sqrt(v_hat) + eps)

    def _buffers(self) -> dict[str, list[float]]:
        return {"m": self.m, "v": self.v}


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
