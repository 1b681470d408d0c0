"""`OneCycleLR`: torch's 1cycle policy (Smith & Topin), the rate up to ``max_lr`` and down far below the start.

The learning rate goes from ``max_lr / div_factor`` up to ``max_lr`` over the
first ``pct_start`` of ``total_steps``, then anneals (cosine or linear) to
``max_lr / div_factor / final_div_factor``; with ``three_phase`` it first comes
back to the start, then anneals. The momentum (SGD's ``momentum``, Adam's
``betas[0]``) cycles the other way, between ``max_momentum`` and
``base_momentum``. Step it after every batch, ``total_steps`` times in all.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

from ..numbers_in_messages import short_repr
from .base import Optimizer
from .lr_scheduler import LRScheduler, _per_group, whole_number_from
from .options import hyperparameter, learning_rate

#: The phase entries torch keeps (``_schedule_phases``): where each phase ends and the group keys it goes between.
_PHASE_KEYS = ("end_step", "start_lr", "end_lr", "start_momentum", "end_momentum")
_GROUP_NAMES = frozenset({"initial_lr", "max_lr", "min_lr", "max_momentum", "base_momentum"})


class ZeroLengthPhaseError(ValueError, ZeroDivisionError):
    """A OneCycleLR phase that starts and ends on the same step: torch divides by its length (0) and fails with
    a bare "float division by zero"; a ZeroDivisionError as torch's, and a ValueError naming the arguments."""


def _positive_int(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value <= 0:
        raise ValueError(f"Expected positive integer {name}, but got {short_repr(value)}")
    return int(value)


def _phases(total_steps: int, pct_start: float, three_phase: bool) -> list[dict[str, Any]]:
    """torch's phases: where each ends (a step number, as a float) and which group keys it anneals between."""
    up = float(pct_start * total_steps) - 1
    if three_phase:
        return [
            {"end_step": up, "start_lr": "initial_lr", "end_lr": "max_lr",
             "start_momentum": "max_momentum", "end_momentum": "base_momentum"},
            {"end_step": float(2 * pct_start * total_steps) - 2, "start_lr": "max_lr", "end_lr": "initial_lr",
             "start_momentum": "base_momentum", "end_momentum": "max_momentum"},
            {"end_step": total_steps - 1, "start_lr": "initial_lr", "end_lr": "min_lr",
             "start_momentum": "max_momentum", "end_momentum": "max_momentum"},
        ]
    return [
        {"end_step": up, "start_lr": "initial_lr", "end_lr": "max_lr",
         "start_momentum": "max_momentum", "end_momentum": "base_momentum"},
        {"end_step": total_steps - 1, "start_lr": "max_lr", "end_lr": "min_lr",
         "start_momentum": "base_momentum", "end_momentum": "max_momentum"},
    ]


def _saved_phases(name: str, phases: Any) -> list[dict[str, Any]]:
    """The saved ``_schedule_phases``: a list of phases with torch's keys and group key names (a `StateCheck`)."""
    if not isinstance(phases, list) or not phases or not all(
            isinstance(p, dict) and set(p) == set(_PHASE_KEYS)
            and isinstance(p["end_step"], (int, float)) and not isinstance(p["end_step"], bool)
            and all(p[k] in _GROUP_NAMES for k in _PHASE_KEYS[1:]) for p in phases):
        raise ValueError(f"{name} must be a list of OneCycleLR phases ({', '.join(_PHASE_KEYS)})")
    return [dict(p) for p in phases]


def _saved_anneal(name: str, value: Any) -> str:
    """The saved annealing function's name, 'cos' or 'linear' (a `StateCheck`)."""
    if value not in ("cos", "linear"):
        raise ValueError(f"{name} must be 'cos' or 'linear', got {short_repr(value)}")
    return str(value)


def _saved_flag(name: str, value: Any) -> bool:
    """A saved True/False option (a `StateCheck`)."""
    if not isinstance(value, bool):
        raise ValueError(f"{name} must be True or False, got {short_repr(value)}")
    return value


class OneCycleLR(LRScheduler):
    """torch's ``OneCycleLR``, same arguments, same group keys, same numbers (see the module's text).

    Each group gets torch's keys ``initial_lr``, ``max_lr``, ``min_lr`` and,
    with ``cycle_momentum`` (the default; the optimizer needs a ``momentum``
    or ``betas`` option, so not Adagrad), ``max_momentum`` and
    ``base_momentum``; the momentum is written into the group every step.
    Stepping past ``total_steps`` is torch's ValueError, and nothing changes.
    With ``anneal_strategy='linear'`` the rate after the last step (torch's
    straight line extended one step past its floor, a negative number) is 0.
    """

    _hyperparameters = {"total_steps": whole_number_from(1), "_schedule_phases": _saved_phases,
                        "_anneal_func_type": _saved_anneal, "cycle_momentum": _saved_flag, "use_beta1": _saved_flag}

    def __init__(
        self,
        optimizer: Optimizer,
        max_lr: float | list[float],
        total_steps: int | None = None,
        epochs: int | None = None,
        steps_per_epoch: int | None = None,
        pct_start: float = 0.3,
        anneal_strategy: str = "cos",
        cycle_momentum: bool = True,
        base_momentum: float | list[float] = 0.85,
        max_momentum: float | list[float] = 0.95,
        div_factor: float = 25.0,
        final_div_factor: float = 1e4,
        three_phase: bool = False,
        last_epoch: int = -1,
    ) -> None:
        """torch's arguments and defaults; ``total_steps``, or ``epochs`` and ``steps_per_epoch`` (their product)."""
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"{type(optimizer).__name__} is not an Optimizer")
        if total_steps is not None:
            self.total_steps = _positive_int("total_steps", total_steps)
        elif epochs is not None and steps_per_epoch is not None:
            self.total_steps = _positive_int("epochs", epochs) * _positive_int("steps_per_epoch", steps_per_epoch)
        else:
            raise ValueError("You must define either total_steps OR (epochs AND steps_per_epoch)")
        # torch insists on a float here (pct_start=1 is its ValueError too).
        if not isinstance(pct_start, float) or not 0.0 <= pct_start <= 1.0:
            raise ValueError(f"Expected float between 0 and 1 pct_start, but got {short_repr(pct_start)}")
        if anneal_strategy not in ("cos", "linear"):
            raise ValueError(f"anneal_strategy must be one of 'cos' or 'linear', instead got "
                             f"{short_repr(anneal_strategy)}")
        for name, flag_value in (("cycle_momentum", cycle_momentum), ("three_phase", three_phase)):
            if not isinstance(flag_value, bool):
                raise TypeError(f"{name} must be True or False, got {type(flag_value).__name__}")
        self._schedule_phases = _phases(self.total_steps, pct_start, three_phase)
        self._anneal_func_type = anneal_strategy
        divide = hyperparameter("div_factor", div_factor, positive=True)
        final_divide = hyperparameter("final_div_factor", final_div_factor, positive=True)
        max_lrs = [learning_rate(v, f"max_lr for param_groups[{i}]")
                   for i, v in enumerate(_per_group("max_lr", optimizer, max_lr))]
        self.cycle_momentum = cycle_momentum
        self.use_beta1 = "betas" in optimizer.defaults
        if cycle_momentum:
            if "momentum" not in optimizer.defaults and not self.use_beta1:
                raise ValueError("optimizer must support momentum or beta1 with `cycle_momentum` option enabled")
            highs = [hyperparameter(f"max_momentum for param_groups[{i}]", v, below_one=True)
                     for i, v in enumerate(_per_group("max_momentum", optimizer, max_momentum))]
            lows = [hyperparameter(f"base_momentum for param_groups[{i}]", v, below_one=True)
                    for i, v in enumerate(_per_group("base_momentum", optimizer, base_momentum))]
        if last_epoch == -1:  # torch writes these only when starting afresh (a resumed run has them already)
            for i, group in enumerate(optimizer.param_groups):
                group["initial_lr"] = max_lrs[i] / divide
                group["max_lr"] = max_lrs[i]
                group["min_lr"] = group["initial_lr"] / final_divide
                if cycle_momentum:
                    if self.use_beta1:
                        group["betas"] = (highs[i], *group["betas"][1:])
                    else:
                        group["momentum"] = highs[i]
                    group["max_momentum"] = highs[i]
                    group["base_momentum"] = lows[i]
        super().__init__(optimizer, last_epoch)

    def _anneal(self, start: float, end: float, pct: float) -> float:
        if self._anneal_func_type == "cos":
            return end + (start - end) / 2.0 * (math.cos(math.pi * pct) + 1)
        # The last step (last_epoch == total_steps) is one past the end: torch's straight line goes on below
        # the floor there, to a negative rate (never used, the training has ended); 0 here, as a negative
        # rate is refused.
        return max((end - start) * pct + start, 0.0)

    def get_lr(self) -> list[float]:
        """The rate of step ``last_epoch`` in its phase for each group; the momentum is written into the group."""
        step = self.last_epoch
        if step > self.total_steps:
            raise ValueError(f"Tried to step {step} times. The specified number of total steps is {self.total_steps}")
        for i, group in enumerate(self.optimizer.param_groups):
            missing = sorted(k for k in _GROUP_NAMES if k not in group and (self.cycle_momentum or "lr" in k))
            if missing:
                raise KeyError(f"param_groups[{i}] has no {short_repr(missing[0])}: OneCycleLR writes it when built "
                               f"with "
                               "last_epoch=-1 (load the optimizer's state before resuming)")
        rates: list[float] = []
        moments: list[float] = []
        for group in self.optimizer.param_groups:
            start = 0.0
            for k, phase in enumerate(self._schedule_phases):
                end = phase["end_step"]
                if step <= end or k == len(self._schedule_phases) - 1:
                    if end == start:
                        raise ZeroLengthPhaseError(
                            f"OneCycleLR: phase {k + 1} of {len(self._schedule_phases)} starts and ends at step "
                            f"{end:g}, so it has no length to anneal over (total_steps={self.total_steps}: torch "
                            "divides by zero here); choose a pct_start whose pct_start * total_steps is not 1 "
                            "(for three_phase, not (total_steps + 1) / 2 either) and below 1")
                    pct = (step - start) / (end - start)
                    rates.append(self._anneal(group[phase["start_lr"]], group[phase["end_lr"]], pct))
                    if self.cycle_momentum:
                        moments.append(self._anneal(group[phase["start_momentum"]], group[phase["end_momentum"]],
                                                    pct))
                    break
                start = end
        for group, momentum in zip(self.optimizer.param_groups, moments):
            if self.use_beta1:
                group["betas"] = (momentum, *group["betas"][1:])
            else:
                group["momentum"] = momentum
        return rates

    def state_dict(self) -> dict[str, Any]:
        """As the base's; ``use_beta1`` only with ``cycle_momentum``, as torch's keys."""
        state = super().state_dict()
        if not self.cycle_momentum:
            del state["use_beta1"]
        return state

    def _get_closed_form_lr(self) -> list[float]:
        # torch has no closed form here: step(epoch) computes the rate of that step.
        return self.get_lr()

