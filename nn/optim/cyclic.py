"""`CyclicLR`: torch's cyclical learning rate (Smith 2017), the rate swinging between ``base_lr`` and ``max_lr``.

Each cycle climbs for ``step_size_up`` steps and falls for ``step_size_down`` (default: as many); the
swing is scaled per cycle (``triangular``: 1; ``triangular2``: halved each cycle) or per step
(``exp_range``: ``gamma ** step``), or by a ``scale_fn`` of one's own. The momentum (SGD's ``momentum``,
Adam's ``betas[0]``) swings the other way between ``max_momentum`` and ``base_momentum``. Step it after
every batch.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from typing import Any

from ..numbers_in_messages import checked_float, short_repr
from .base import Optimizer
from .lr_scheduler import LRScheduler, _factor, _is_plain_function, _per_group
from .options import hyperparameter, learning_rate

_MODES = ("triangular", "triangular2", "exp_range")


class CyclicLR(LRScheduler):
    """torch's ``CyclicLR(optimizer, base_lr, max_lr, step_size_up=2000, step_size_down=None, mode='triangular',
    gamma=1.0, scale_fn=None, scale_mode='cycle', cycle_momentum=True, base_momentum=0.8, max_momentum=0.9,
    last_epoch=-1)``: see the module's text."""

    def __init__(
        self,
        optimizer: Optimizer,
        base_lr: float | list[float],
        max_lr: float | list[float],
        step_size_up: float = 2000,
        step_size_down: float | None = None,
        mode: str = "triangular",
        gamma: float = 1.0,
        scale_fn: Callable[[float], float] | None = None,
        scale_mode: str = "cycle",
        cycle_momentum: bool = True,
        base_momentum: float | list[float] = 0.8,
        max_momentum: float | list[float] = 0.9,
        last_epoch: int = -1,
    ) -> None:
        """torch's arguments and defaults; ``step_size_up`` > 0 and ``step_size_down`` >= 0 steps."""
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"{type(optimizer).__name__} is not an Optimizer")
        self.optimizer = optimizer
        base_lrs = [learning_rate(v, f"base_lr for param_groups[{i}]")
                    for i, v in enumerate(_per_group("base_lr", optimizer, base_lr))]
        self.max_lrs = [learning_rate(v, f"max_lr for param_groups[{i}]")
                        for i, v in enumerate(_per_group("max_lr", optimizer, max_lr))]
        up = checked_float(step_size_up, "step_size_up")
        down = up if step_size_down is None else checked_float(step_size_down, "step_size_down")
        if up <= 0.0 or down < 0.0:
            raise ValueError(f"step_size_up must be > 0 and step_size_down >= 0, got {short_repr(step_size_up)} and "
                             f"{short_repr(step_size_down)}")
        if mode not in _MODES and scale_fn is None:
            raise ValueError("mode is invalid and scale_fn is None")
        if scale_fn is not None and not callable(scale_fn):
            raise TypeError(f"scale_fn must be a function of the cycle or step, got {type(scale_fn).__name__}")
        if scale_mode not in ("cycle", "iterations"):
            raise ValueError(f"scale_mode must be 'cycle' or 'iterations', got {short_repr(scale_mode)}")
        if not isinstance(cycle_momentum, bool):
            raise TypeError(f"cycle_momentum must be True or False, got {type(cycle_momentum).__name__}")
        self.total_size = up + down
        self.step_ratio = up / self.total_size
        self.mode = mode
        self.gamma = _factor("gamma", gamma)
        self._scale_fn_custom = scale_fn
        # torch's built-in modes fix the scale mode (exp_range scales per step, the triangles per cycle).
        self.scale_mode = scale_mode if scale_fn is not None else ("iterations" if mode == "exp_range" else "cycle")
        self.cycle_momentum = cycle_momentum
        if cycle_momentum:
            if "momentum" not in optimizer.defaults and "betas" not in optimizer.defaults:
                raise ValueError("optimizer must support momentum or beta1 with `cycle_momentum` option enabled")
            self.use_beta1 = "betas" in optimizer.defaults
            self.base_momentums = [hyperparameter(f"base_momentum for param_groups[{i}]", v, below_one=True)
                                   for i, v in enumerate(_per_group("base_momentum", optimizer, base_momentum))]
            self.max_momentums = [hyperparameter(f"max_momentum for param_groups[{i}]", v, below_one=True)
                                  for i, v in enumerate(_per_group("max_momentum", optimizer, max_momentum))]
        if last_epoch == -1:
            for lr, group in zip(base_lrs, optimizer.param_groups):
                group["lr"] = lr
            if cycle_momentum:
                for high, low, group in zip(self.max_momentums, self.base_momentums, optimizer.param_groups):
                    if self.use_beta1:
                        group["betas"] = (high, *group["betas"][1:])
                    else:
                        group["momentum"] = high
                    group["max_momentum"] = high
                    group["base_momentum"] = low
        super().__init__(optimizer, last_epoch)
        self.base_lrs = base_lrs

    def scale_fn(self, x: float) -> float:
        """The swing's scale at cycle or step ``x`` (the mode's, or the ``scale_fn`` given)."""
        if self._scale_fn_custom is not None:
            value = self._scale_fn_custom(x)
            if isinstance(value, bool) or not isinstance(value, numbers.Real):
                raise TypeError(f"scale_fn returned {type(value).__name__} {short_repr(value)} at {x}: expected a "
                                "real number")
            return checked_float(value, f"scale_fn's result at {x}", finite=False)  # a failing __float__ named
        if self.mode == "triangular":
            return 1.0
        if self.mode == "triangular2":
            return 1 / (2.0 ** (x - 1))
        try:
            return self.gamma**x
        except OverflowError:
            raise OverflowError(f"CyclicLR exp_range: gamma ** {x} is too large for a float") from None

    def get_lr(self) -> list[float]:
        """torch's rule: where ``last_epoch`` is in its cycle, scaled; the momentum is written into the groups."""
        cycle = math.floor(1 + self.last_epoch / self.total_size)
        x = 1.0 + self.last_epoch / self.total_size - cycle
        scale_factor = x / self.step_ratio if x <= self.step_ratio else (x - 1) / (self.step_ratio - 1)
        scale = self.scale_fn(cycle if self.scale_mode == "cycle" else self.last_epoch)
        rates = [base + (top - base) * scale_factor * scale for base, top in zip(self.base_lrs, self.max_lrs)]
        if self.cycle_momentum:
            for group, low, high in zip(self.optimizer.param_groups, self.base_momentums, self.max_momentums):
                momentum = high - (high - low) * scale_factor * scale
                if self.use_beta1:
                    group["betas"] = (momentum, *group["betas"][1:])
                else:
                    group["momentum"] = momentum
        return rates

    def _get_closed_form_lr(self) -> list[float]:
        # torch has no closed form here: step(epoch) computes the rate of that step.
        return self.get_lr()

    def state_dict(self) -> dict[str, Any]:
        """torch's entries: the base's, the cycle's settings and, for a callable object as scale_fn, its dict."""
        state = super().state_dict()
        state.update({"max_lrs": list(self.max_lrs), "total_size": self.total_size, "step_ratio": self.step_ratio,
                      "mode": self.mode, "gamma": self.gamma, "scale_mode": self.scale_mode,
                      "cycle_momentum": self.cycle_momentum})
        if self.cycle_momentum:
            state.update({"use_beta1": self.use_beta1, "base_momentums": list(self.base_momentums),
                          "max_momentums": list(self.max_momentums)})
        custom = self._scale_fn_custom
        state["_scale_fn_custom"] = None if custom is None or _is_plain_function(custom) else dict(vars(custom))
        return state

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Restore from `state_dict` output; the cycle's settings are checked, a scale_fn object gets its dict."""
        if not isinstance(state, dict):
            raise TypeError(f"scheduler state must be a dict, got {type(state).__name__}")
        own = ("max_lrs", "total_size", "step_ratio", "mode", "gamma", "scale_mode", "cycle_momentum", "use_beta1",
               "base_momentums", "max_momentums", "_scale_fn_custom")
        rest = {k: v for k, v in state.items() if k not in own}
        checked: dict[str, Any] = {}
        groups = len(self.optimizer.param_groups)
        for key in ("max_lrs", "base_momentums", "max_momentums"):
            if key in state:
                values = state[key]
                if not isinstance(values, list) or len(values) != groups:
                    raise ValueError(f"scheduler state {short_repr(key)} must be a list of {groups} numbers")
                checked[key] = [checked_float(v, f"scheduler state {short_repr(key)} entry "
                                                 f"{i}") for i, v in enumerate(values)]
        for key in ("total_size", "step_ratio", "gamma"):
            if key in state:
                checked[key] = _factor(f"scheduler state {short_repr(key)}", state[key])
        if checked.get("total_size", self.total_size) <= 0.0 or not 0.0 < checked.get("step_ratio",
                                                                                       self.step_ratio) <= 1.0:
            raise ValueError("scheduler state 'total_size' must be > 0 and 'step_ratio' in (0, 1]")
        if "mode" in state and state["mode"] not in _MODES and self._scale_fn_custom is None:
            raise ValueError(f"scheduler state 'mode' must be one of {', '.join(_MODES)}")
        if "scale_mode" in state and state["scale_mode"] not in ("cycle", "iterations"):
            raise ValueError("scheduler state 'scale_mode' must be 'cycle' or 'iterations'")
        for key in ("cycle_momentum", "use_beta1"):
            if key in state and not isinstance(state[key], bool):
                raise ValueError(f"scheduler state {short_repr(key)} must be True or False")
        custom = state.get("_scale_fn_custom")
        if custom is not None and not isinstance(custom, dict):
            raise ValueError("scheduler state '_scale_fn_custom' must be None or a dict")
        super().load_state_dict(rest)
        for key in ("mode", "scale_mode", "cycle_momentum", "use_beta1"):
            if key in state:
                checked[key] = state[key]
        for key, value in checked.items():
            setattr(self, key, value)
        if custom is not None and self._scale_fn_custom is not None:
            vars(self._scale_fn_custom).update(custom)
