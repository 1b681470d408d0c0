"""torch's warm-up and decay schedulers by a factor: LinearLR, ConstantLR, PolynomialLR, MultiplicativeLR.

Each follows torch's recursive rule in `get_lr` (the current rates times a
factor, so schedulers chained on one optimizer compose as torch's do) and
its closed form for ``step(epoch)``; see `nn.optim.lr_scheduler.LRScheduler`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..numbers_in_messages import checked_float, short_repr
from .base import Optimizer
from .lr_scheduler import LambdaLR, LRScheduler, _factor, _lambda_factor, _whole_number, whole_number_from


def _fraction(name: str, value: Any, message: str, *, zero_allowed: bool = True) -> float:
    """``value`` as a float in [0, 1] (or (0, 1]), else torch's ValueError ``message``; TypeError for a non-number."""
    number = checked_float(value, name)
    if not (0.0 <= number <= 1.0) or (not zero_allowed and number == 0.0):
        raise ValueError(f"{message} Got {name}={short_repr(value)}.")
    return number


class LinearLR(LRScheduler):
    """Scale the rates from ``start_factor`` to ``end_factor`` linearly over ``total_iters`` epochs (warm-up).

    Closed form ``base_lr * (start + (end - start) * min(epoch, total_iters) / total_iters)``.
    """

    _hyperparameters = {
        "start_factor": lambda name, value: _fraction(name, value, "start_factor must be in (0, 1].",
                                                      zero_allowed=False),
        "end_factor": lambda name, value: _fraction(name, value, "end_factor must be in [0, 1]."),
        "total_iters": whole_number_from(1),
    }

    def __init__(self, optimizer: Optimizer, start_factor: float = 1.0 / 3, end_factor: float = 1.0,
                 total_iters: int = 5, last_epoch: int = -1) -> None:
        """torch's defaults; ``start_factor`` in (0, 1], ``end_factor`` in [0, 1], ``total_iters`` >= 1."""
        self.start_factor = _fraction("start_factor", start_factor, "Starting multiplicative factor expected to be "
                                      "greater than 0 and less or equal to 1.", zero_allowed=False)
        self.end_factor = _fraction("end_factor", end_factor,
                                    "Ending multiplicative factor expected to be between 0 and 1.")
        self.total_iters = _whole_number("total_iters", total_iters, 1)
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        """torch's rule: ``start_factor`` at epoch 0, then each epoch's ratio of the linear factors."""
        start, end, total, epoch = self.start_factor, self.end_factor, self.total_iters, self.last_epoch
        if epoch == 0:
            return [lr * start for lr in self._current_lrs()]
        if self._is_initial or epoch > total:
            return self._current_lrs()
        if epoch == total and end == 0.0:
            # The factor is exactly 0 here; torch's ratio below rounds to a hair off it (-1.5e-18 of the rate for
            # start 1/3 over 5 epochs), and a negative rate is refused: a decay to zero stopped at its last epoch.
            return [0.0 for _ in self._current_lrs()]
        ratio = 1.0 + (end - start) / (total * start + (epoch - 1) * (end - start))
        return [lr * ratio for lr in self._current_lrs()]

    def _get_closed_form_lr(self) -> list[float]:
        start, end, total = self.start_factor, self.end_factor, self.total_iters
        return [base * (start + (end - start) * min(total, self.last_epoch) / total) for base in self.base_lrs]


class ConstantLR(LRScheduler):
    """Multiply the rates by ``factor`` for the first ``total_iters`` epochs, then give back the base rates.

    As torch's, except that ``factor=0`` gives the base rates back at ``total_iters`` (torch divides by
    the factor there, a ZeroDivisionError).
    """

    _hyperparameters = {
        "factor": lambda name, value: _fraction(name, value, "factor must be in [0, 1]."),
        "total_iters": whole_number_from(1),
    }

    def __init__(self, optimizer: Optimizer, factor: float = 1.0 / 3, total_iters: int = 5,
                 last_epoch: int = -1) -> None:
        """torch's defaults; ``factor`` in [0, 1], ``total_iters`` >= 1."""
        self.factor = _fraction("factor", factor, "Constant multiplicative factor expected to be between 0 and 1.")
        self.total_iters = _whole_number("total_iters", total_iters, 1)
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        """torch's rule: times ``factor`` at epoch 0, divided by it at ``total_iters``, unchanged otherwise."""
        if self.last_epoch == 0:
            return [lr * self.factor for lr in self._current_lrs()]
        if self.last_epoch != self.total_iters:
            return self._current_lrs()
        if self.factor == 0.0:
            return list(self.base_lrs)
        return [lr * (1.0 / self.factor) for lr in self._current_lrs()]

    def _get_closed_form_lr(self) -> list[float]:
        done = self.last_epoch >= self.total_iters
        return [base * (self.factor + done * (1 - self.factor)) for base in self.base_lrs]


class PolynomialLR(LRScheduler):
    """Decay the rates to 0 over ``total_iters`` epochs: ``base_lr * (1 - min(epoch, total_iters) / total_iters)
    ** power``."""

    _hyperparameters = {"total_iters": whole_number_from(1), "power": _factor}

    def __init__(self, optimizer: Optimizer, total_iters: int = 5, power: float = 1.0, last_epoch: int = -1) -> None:
        """torch's defaults; ``total_iters`` >= 1, ``power`` a finite number >= 0."""
        self.total_iters = _whole_number("total_iters", total_iters, 1)
        self.power = _factor("power", power)
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        """torch's rule: each epoch's ratio of the polynomial, nothing after ``total_iters``."""
        if self._is_initial or self.last_epoch > self.total_iters:
            return self._current_lrs()
        total, epoch = self.total_iters, self.last_epoch
        decay = ((1.0 - epoch / total) / (1.0 - (epoch - 1) / total)) ** self.power
        return [lr * decay for lr in self._current_lrs()]

    def _get_closed_form_lr(self) -> list[float]:
        total = self.total_iters
        return [base * (1.0 - min(total, self.last_epoch) / total) ** self.power for base in self.base_lrs]


class MultiplicativeLR(LambdaLR):
    """Multiply each group's rate by ``lr_lambda(epoch)`` every epoch (torch's ``MultiplicativeLR``).

    ``lr_lambda`` is one function of the epoch for all groups or one per group, saved in `state_dict` as
    `LambdaLR` saves it. Unlike `LambdaLR`, the factor multiplies the current rate, so it compounds.
    """

    def __init__(
        self,
        optimizer: Optimizer,
        lr_lambda: Callable[[int], float] | list[Callable[[int], float]],
        last_epoch: int = -1,
    ) -> None:
        """``lr_lambda`` a function of the epoch (an int) returning a factor >= 0, or a list of one per group."""
        super().__init__(optimizer, lr_lambda, last_epoch)

    @staticmethod
    def _not_a_function(fn: object, where: str) -> str:
        """torch 2.13's words ("lr_lambda should be a function, but got float"), then the value and its place."""
        return f"lr_lambda should be a function, but got {type(fn).__name__} ({short_repr(fn)}{where})"

    def get_lr(self) -> list[float]:
        """The current rates times ``lr_lambda(last_epoch)`` (unchanged on the constructor's step), as torch's."""
        if self._is_initial:
            return self._current_lrs()
        return [lr * _lambda_factor(fn, i, self.last_epoch)
                for i, (fn, lr) in enumerate(zip(self.lr_lambdas, self._current_lrs()))]

    def _get_closed_form_lr(self) -> list[float]:
        # torch has no closed form here: step(epoch) applies the recursive rule at that epoch.
        return self.get_lr()
