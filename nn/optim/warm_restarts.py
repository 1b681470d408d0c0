"""`CosineAnnealingWarmRestarts`: torch's SGDR schedule, cosine annealing restarted every T_i epochs.

The first cycle lasts ``T_0`` epochs, each next one ``T_mult`` times longer; within a cycle the rate is
``eta_min + (base_lr - eta_min) * (1 + cos(pi * T_cur / T_i)) / 2``. As torch's, `step` takes a fractional
epoch too (``scheduler.step(epoch + batch / batches)``), without a deprecation warning.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

from ..numbers_in_messages import checked_float, short_repr
from .base import Optimizer
from .lr_scheduler import LRScheduler, _factor, _whole_number, whole_number_from
from .options import learning_rate


def _epoch(value: Any) -> float:
    """An epoch given to `CosineAnnealingWarmRestarts.step`: a finite real number >= 0 (fractions allowed)."""
    number = checked_float(value, "epoch")
    if number < 0:
        raise ValueError(f"Expected non-negative epoch, but got {short_repr(value)}")
    return number


def _saved_t_cur(name: str, value: Any) -> int | float:
    """The saved epoch within the current cycle: a number >= -1 (fractional after ``step(epoch)``; a `StateCheck`)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not -1 <= value < 2**63:
        raise ValueError(f"{name} must be a number >= -1, got {short_repr(value)}")
    return value


class CosineAnnealingWarmRestarts(LRScheduler):
    """torch's ``CosineAnnealingWarmRestarts(optimizer, T_0, T_mult=1, eta_min=0.0, last_epoch=-1)``."""

    _hyperparameters = {"T_0": whole_number_from(1), "T_i": whole_number_from(1), "T_mult": whole_number_from(1),
                        "eta_min": _factor, "T_cur": _saved_t_cur}

    def __init__(self, optimizer: Optimizer, T_0: int, T_mult: int = 1, eta_min: float = 0.0,  # noqa: N803
                 last_epoch: int = -1) -> None:
        """``T_0`` an integer >= 1 (the first cycle's length), ``T_mult`` an integer >= 1, ``eta_min`` a rate."""
        if isinstance(T_0, bool) or not isinstance(T_0, int) or T_0 <= 0:
            raise ValueError(f"Expected positive integer T_0, but got {short_repr(T_0)}")
        if isinstance(T_mult, bool) or not isinstance(T_mult, int) or T_mult < 1:
            raise ValueError(f"Expected integer T_mult >= 1, but got {short_repr(T_mult)}")
        self.T_0 = T_0
        self.T_i = T_0
        self.T_mult = T_mult
        self.eta_min = _factor("eta_min", eta_min)
        self.T_cur: float = _whole_number("last_epoch", last_epoch, -1)
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        """The rate at ``T_cur`` epochs into a cycle of ``T_i``."""
        try:
            fraction = self.T_cur / self.T_i
        except OverflowError:  # a cycle grown past the float range (T_mult**n): divide exactly, T_cur < T_i
            fraction = float(Fraction(self.T_cur) / self.T_i)
        return [self.eta_min + (base - self.eta_min) * (1 + math.cos(math.pi * fraction)) / 2
                for base in self.base_lrs]

    def _get_closed_form_lr(self) -> list[float]:
        return self.get_lr()

    def step(self, epoch: float | None = None) -> None:
        """The next epoch, or ``epoch`` (a fraction allowed): torch's bookkeeping of the cycle, then the rates.

        All or nothing: a bad ``epoch`` or rate is an error and nothing changes.
        """
        if len(self.base_lrs) != len(self.optimizer.param_groups):
            raise ValueError(f"the optimizer has {len(self.optimizer.param_groups)} parameter groups but this "
                             f"scheduler was built for {len(self.base_lrs)}: build the scheduler after adding groups")
        saved = (self.T_cur, self.T_i, self.last_epoch)
        if epoch is None and self.last_epoch < 0:
            epoch = 0
        if epoch is None:
            at: float = self.last_epoch + 1
            self.T_cur = self.T_cur + 1
            if self.T_cur >= self.T_i:
                self.T_cur = self.T_cur % self.T_i
                self.T_i = self.T_i * self.T_mult
        else:
            at = _epoch(epoch)
            if at >= self.T_0:
                if self.T_mult == 1:
                    self.T_cur = at % self.T_0
                else:
                    n = int(math.log((at / self.T_0 * (self.T_mult - 1) + 1), self.T_mult))
                    self.T_cur = at - self.T_0 * (self.T_mult**n - 1) / (self.T_mult - 1)
                    self.T_i = self.T_0 * self.T_mult**n
            else:
                self.T_i = self.T_0
                self.T_cur = at
        self.last_epoch = math.floor(at)
        try:
            values = [learning_rate(lr, f"learning rate for param_groups[{i}] at epoch {at}")
                      for i, lr in enumerate(self.get_lr())]
        except BaseException:
            self.T_cur, self.T_i, self.last_epoch = saved
            raise
        for group, lr in zip(self.optimizer.param_groups, values):
            group["lr"] = lr
        self._last_lr = list(values)

