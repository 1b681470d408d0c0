"""`ReduceLROnPlateau`: cut the learning rates when a measured quantity stops improving, as torch's.

``scheduler.step(val_loss)`` once per epoch: after more than ``patience``
epochs without an improvement (by ``threshold``, relative or absolute) each
group's rate is multiplied by ``factor`` (not below its ``min_lr``; a cut
smaller than ``eps`` is skipped), then ``cooldown`` epochs pass before bad
epochs count again. torch's rules, defaults, state keys and words.
"""

from __future__ import annotations

import math
import numbers
import warnings
from typing import Any

from autograd import Value

from ..numbers_in_messages import checked_float, short_repr, short_str
from .base import Optimizer
from .lr_scheduler import EPOCH_DEPRECATION_WARNING, LRScheduler, _factor, _whole_number
from .options import learning_rate

#: The entries of `ReduceLROnPlateau.state_dict`, torch's names.
_STATE_KEYS = ("factor", "min_lrs", "default_min_lr", "patience", "cooldown", "eps", "last_epoch", "_last_lr",
               "best", "cooldown_counter", "num_bad_epochs", "mode_worse", "mode", "threshold", "threshold_mode")


def _metric(value: Any) -> float:
    """The measured quantity as a float (a Value by its number); not finite or not a number is an error."""
    if isinstance(value, Value):
        value = value.data
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"ReduceLROnPlateau.step needs the measured quantity (a number), got "
                        f"{type(value).__name__} {short_repr(value)}")
    # An int past the largest float is a ValueError, a number type whose __float__ fails a TypeError, both naming
    # the argument; inf passes, as torch's
    number = checked_float(value, "ReduceLROnPlateau.step: the measured quantity", finite=False)
    if math.isnan(number):  # torch counts it as a bad epoch and cuts the rate: a diverged run, named here
        raise ValueError("ReduceLROnPlateau.step got nan as the measured quantity (the run has diverged?)")
    return number


class ReduceLROnPlateau(LRScheduler):
    """torch's ``ReduceLROnPlateau(optimizer, mode, factor, patience, threshold, threshold_mode, cooldown,
    min_lr, eps)``: see the module's text. `step` takes the measured quantity."""

    def __init__(
        self,
        optimizer: Optimizer,
        mode: str = "min",
        factor: float = 0.1,
        patience: int = 10,
        threshold: float = 1e-4,
        threshold_mode: str = "rel",
        cooldown: int = 0,
        min_lr: float | list[float] = 0,
        eps: float = 1e-8,
    ) -> None:
        """torch's defaults; ``factor`` in [0, 1), ``min_lr`` one rate or one per group."""
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"{type(optimizer).__name__} is not an Optimizer")
        # numbers.Real, not (int, float): numpy's float32(2.0) slipped past this and the rate grew on a plateau
        if isinstance(factor, numbers.Real) and not isinstance(factor, bool) and factor >= 1.0:
            raise ValueError("Factor should be < 1.0.")
        self.factor = _factor("factor", factor)
        self.optimizer = optimizer
        groups = len(optimizer.param_groups)
        if isinstance(min_lr, (list, tuple)):
            if len(min_lr) != groups:
                raise ValueError(f"expected {groups} min_lrs, got {len(min_lr)}")
            self.default_min_lr: float | None = None
            self.min_lrs = [learning_rate(v, f"min_lr[{i}]") for i, v in enumerate(min_lr)]
        else:
            self.default_min_lr = learning_rate(min_lr, "min_lr")
            self.min_lrs = [self.default_min_lr] * groups
        self.patience = _whole_number("patience", patience, 0)
        self.cooldown = _whole_number("cooldown", cooldown, 0)
        self.eps = _factor("eps", eps)
        self.last_epoch = 0
        self._last_lr = [group["lr"] for group in optimizer.param_groups]
        self._set_mode(mode, threshold, threshold_mode)
        self.best = self.mode_worse
        self.cooldown_counter = 0
        self.num_bad_epochs = 0

    def _set_mode(self, mode: Any, threshold: Any, threshold_mode: Any) -> None:
        if mode not in ("min", "max"):
            raise ValueError(f"mode {short_str(mode)} is unknown!")
        if threshold_mode not in ("rel", "abs"):
            raise ValueError(f"threshold mode {short_str(threshold_mode)} is unknown!")
        self.mode, self.threshold_mode = mode, threshold_mode
        self.threshold = _factor("threshold", threshold)
        self.mode_worse = math.inf if mode == "min" else -math.inf

    @property
    def in_cooldown(self) -> bool:
        """Whether the epochs after a cut are still passing (bad epochs do not count then)."""
        return self.cooldown_counter > 0

    def _is_better(self, a: float, best: float) -> bool:
        if self.mode == "min":
            return a < best * (1.0 - self.threshold) if self.threshold_mode == "rel" else a < best - self.threshold
        return a > best * (self.threshold + 1.0) if self.threshold_mode == "rel" else a > best + self.threshold

    def step(self, metrics: Any = None, epoch: int | None = None) -> None:  # type: ignore[override]
        """One epoch with measured quantity ``metrics`` (a number or a Value): count it, cut the rates if due."""
        if metrics is None:
            raise TypeError("ReduceLROnPlateau.step needs the measured quantity: scheduler.step(val_loss)")
        current = _metric(metrics)
        if epoch is None:
            epoch = self.last_epoch + 1
        else:
            warnings.warn(EPOCH_DEPRECATION_WARNING, UserWarning, stacklevel=2)
            epoch = _whole_number("epoch", epoch, 0)
        self.last_epoch = epoch
        if self._is_better(current, self.best):
            self.best = current
            self.num_bad_epochs = 0
        else:
            self.num_bad_epochs += 1
        if self.in_cooldown:
            self.cooldown_counter -= 1
            self.num_bad_epochs = 0  # bad epochs in the cooldown are ignored
        if self.num_bad_epochs > self.patience:
            self._reduce_lr()
            self.cooldown_counter = self.cooldown
            self.num_bad_epochs = 0
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

    def _reduce_lr(self) -> None:
        groups = self.optimizer.param_groups
        if len(groups) != len(self.min_lrs):
            if self.default_min_lr is None:
                raise RuntimeError(f"The number of param groups in the `optimizer` ({len(groups)}) differs from when "
                                   f"`ReduceLROnPlateau` was initialized ({len(self.min_lrs)}), usually due to a new "
                                   "param group being added to the optimizer. Please modify the `min_lrs` field to "
                                   "match the length of the `optimizer` param groups.")
            self.min_lrs = [self.default_min_lr] * len(groups)
        for group, floor in zip(groups, self.min_lrs):
            old = float(group["lr"])
            new = max(old * self.factor, floor)
            if old - new > self.eps:
                group["lr"] = new

    def get_lr(self) -> list[float]:
        """The current rates (this scheduler changes them only in `step`)."""
        return self._current_lrs()

    def state_dict(self) -> dict[str, Any]:
        """torch's entries: the options, the counters and ``best`` (inf before any step, as torch)."""
        state = {key: getattr(self, key) for key in _STATE_KEYS}
        state["min_lrs"] = list(self.min_lrs)
        state["_last_lr"] = list(self._last_lr)
        return state

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Restore from `state_dict` output; all or nothing, ValueError/TypeError naming the bad entry."""
        if not isinstance(state, dict):
            raise TypeError(f"scheduler state must be a dict, got {type(state).__name__}")
        unknown = [key for key in state if key not in _STATE_KEYS]
        if unknown:
            raise ValueError(f"scheduler state has unknown entry {short_repr(unknown[0])} (a ReduceLROnPlateau "
                             f"state holds {', '.join(sorted(_STATE_KEYS))})")
        checked: dict[str, Any] = {}
        for key in ("patience", "cooldown", "cooldown_counter", "num_bad_epochs", "last_epoch"):
            if key in state:
                checked[key] = _whole_number(f"scheduler state {short_repr(key)}", state[key], 0)
        for key in ("factor", "eps", "threshold"):
            if key in state:
                checked[key] = _factor(f"scheduler state {key!r}", state[key])
        if checked.get("factor", 0.0) >= 1.0:
            raise ValueError("scheduler state 'factor' should be < 1.0.")
        for key in ("min_lrs", "_last_lr"):
            if key in state:
                values = state[key]
                groups = len(self.optimizer.param_groups)
                if not isinstance(values, list) or len(values) != groups:  # [] cut every group without its floor
                    raise ValueError(f"scheduler state {short_repr(key)} must be a list of {groups} learning rates "
                                     f"(one per parameter group), got {short_repr(values)}")
                checked[key] = [learning_rate(v, f"scheduler state {short_repr(key)} entry "
                                                 f"{i}") for i, v in enumerate(values)]
        if "default_min_lr" in state:
            value = state["default_min_lr"]
            checked["default_min_lr"] = None if value is None else learning_rate(value, "scheduler state "
                                                                                        "'default_min_lr'")
        if "best" in state:
            best = state["best"]
            if isinstance(best, bool) or not isinstance(best, (int, float)) \
                    or (isinstance(best, int) and abs(best) >= 2**1023) or math.isnan(best):  # float() limits
                raise ValueError(f"scheduler state 'best' must be a number (inf before any step), got "
                                 f"{short_repr(best)}")
            checked["best"] = checked_float(best, "scheduler state 'best'", finite=False)  # inf before any step
        mode = state.get("mode", self.mode)
        threshold_mode = state.get("threshold_mode", self.threshold_mode)
        threshold = checked.get("threshold", self.threshold)
        previous = (self.mode, self.threshold_mode, self.threshold, self.mode_worse)
        self._set_mode(mode, threshold, threshold_mode)  # checks mode and threshold_mode; mode_worse follows
        self.mode, self.threshold_mode, self.threshold, self.mode_worse = previous
        for key, value in checked.items():
            setattr(self, key, value)
        self._set_mode(mode, threshold, threshold_mode)
