"""Schedulers made of schedulers, as torch's: `SequentialLR` (one after another at milestones) and
`ChainedScheduler` (all of them every step, their factors compounding).

``SequentialLR(opt, [LinearLR(opt, 0.1, total_iters=5), CosineAnnealingLR(opt, 95)], milestones=[5])`` is the
usual warm-up then decay. Both follow torch's rules to the letter, including SequentialLR's restart of each
scheduler at its milestone (by its closed form at epoch 0) and its undoing of the steps the schedulers took
when they were built.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from typing import Any

from ..numbers_in_messages import short_repr
from .base import Optimizer
from .lr_scheduler import LRScheduler, _whole_number
from .options import learning_rate
from .plateau import ReduceLROnPlateau


def _checked_schedulers(who: str, schedulers: Any, optimizer: Optimizer) -> list[LRScheduler]:
    """``schedulers`` as a list of schedulers of ``optimizer`` (not ReduceLROnPlateau), or torch's error."""
    if isinstance(schedulers, (str, bytes)) or not isinstance(schedulers, Sequence):
        raise TypeError(f"{who} needs a list of schedulers, got {type(schedulers).__name__}")
    if len(schedulers) < 1:
        raise ValueError(f"{who} expects at least one scheduler, but got no scheduler.")
    for i, scheduler in enumerate(schedulers):
        if not isinstance(scheduler, LRScheduler):
            raise TypeError(f"{who} at index {i} should be a learning-rate scheduler, got "
                            f"{type(scheduler).__name__} {short_repr(scheduler)}")
        if isinstance(scheduler, ReduceLROnPlateau):
            raise ValueError(f"{who} does not support `ReduceLROnPlateau` scheduler as it requires additional "
                             "kwargs to be specified when calling `step`, but got one at index "
                             f"{i} in the given schedulers sequence.")
        if scheduler.optimizer is not optimizer:
            raise ValueError(f"{who} expects all schedulers to belong to the same optimizer, but got scheduler "
                             f"{type(scheduler).__name__} at index {i} with another optimizer")
    return list(schedulers)


def _states(schedulers: list[LRScheduler]) -> list[dict[str, Any]]:
    return [scheduler.state_dict() for scheduler in schedulers]


def _load_states(who: str, schedulers: list[LRScheduler], saved: Any) -> None:
    """Load each inner scheduler's state, all or nothing: a bad second state left the first one loaded."""
    if not isinstance(saved, list) or len(saved) != len(schedulers):
        raise ValueError(f"{who} state '_schedulers' must hold {len(schedulers)} scheduler states")
    before = _states(schedulers)
    try:
        for scheduler, state in zip(schedulers, saved):
            scheduler.load_state_dict(state)
    except BaseException:
        for scheduler, state in zip(schedulers, before):
            scheduler.load_state_dict(state)
        raise


def _checked_last_lr(optimizer: Optimizer, values: Any) -> list[float]:
    """A chain's saved ``_last_lr``: one learning rate per parameter group (None or 'x' were kept as they were,
    or failed as "'NoneType' object is not iterable" after the inner schedulers had loaded)."""
    groups = len(optimizer.param_groups)
    if not isinstance(values, list) or len(values) != groups:
        raise ValueError(f"scheduler state '_last_lr' must be a list of {groups} learning rates (one per parameter "
                         f"group), got {short_repr(values)}")
    return [learning_rate(v, f"scheduler state '_last_lr' entry {i}") for i, v in enumerate(values)]


class SequentialLR(LRScheduler):
    """Run ``schedulers[0]`` until ``milestones[0]``, then ``schedulers[1]`` (restarted at its epoch 0), ...

    torch's ``SequentialLR(optimizer, schedulers, milestones, last_epoch=-1)``: one milestone fewer than
    schedulers, every scheduler of ``optimizer``.
    """

    def __init__(self, optimizer: Optimizer, schedulers: Sequence[LRScheduler], milestones: Sequence[int],
                 last_epoch: int = -1) -> None:
        """Reset the rates to the groups' ``initial_lr``, undo the schedulers' own first steps, start the first."""
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"{type(optimizer).__name__} is not an Optimizer")
        self._schedulers = _checked_schedulers("SequentialLR", schedulers, optimizer)
        if isinstance(milestones, (str, bytes)) or not isinstance(milestones, Sequence):
            raise TypeError(f"milestones must be a list of integers, got {type(milestones).__name__}")
        if len(milestones) != len(self._schedulers) - 1:
            raise ValueError("Sequential Schedulers expects number of schedulers provided to be one more than the "
                             f"number of milestone points, but got number of schedulers {len(self._schedulers)} and "
                             f"the number of milestones to be equal to {len(milestones)}")
        self._milestones = [_whole_number("milestone", m, 0) for m in milestones]
        self.last_epoch = _whole_number("last_epoch", last_epoch, -1) + 1
        self.optimizer = optimizer
        for group in optimizer.param_groups:
            group["lr"] = group["initial_lr"]
        self._undo(self)
        first = self._schedulers[bisect_right(self._milestones, 0)]
        first._initial_step()
        self._last_lr = first.get_last_lr()

    def _undo(self, scheduler: Any) -> None:
        """torch's ``recursive_undo``: every scheduler inside, nested ones too, one epoch back."""
        if isinstance(scheduler, (SequentialLR, ChainedScheduler)):
            for each in scheduler._schedulers:
                self._undo(each)
        elif hasattr(scheduler, "last_epoch"):
            scheduler.last_epoch -= 1

    def step(self, epoch: int | None = None) -> None:
        """One epoch: the scheduler whose turn it is steps, or restarts at 0 on its milestone."""
        if epoch is not None:
            raise TypeError("SequentialLR.step() takes no epoch (as torch's)")
        self.last_epoch += 1
        index = bisect_right(self._milestones, self.last_epoch)
        scheduler = self._schedulers[index]
        try:
            if index > 0 and self._milestones[index - 1] == self.last_epoch:
                scheduler._update_lr(0)
            else:
                scheduler.step()
        except BaseException:
            self.last_epoch -= 1
            raise
        self._last_lr = scheduler.get_last_lr()

    def get_lr(self) -> list[float]:
        """The current rates (the inner schedulers compute them)."""
        return self._current_lrs()

    def state_dict(self) -> dict[str, Any]:
        """torch's entries: ``_milestones``, ``last_epoch``, ``_last_lr`` and every scheduler's own state."""
        return {"_milestones": list(self._milestones), "last_epoch": self.last_epoch,
                "_last_lr": list(self._last_lr), "_schedulers": _states(self._schedulers)}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Restore from `state_dict` output (each inner scheduler loads its own)."""
        if not isinstance(state, dict):
            raise TypeError(f"scheduler state must be a dict, got {type(state).__name__}")
        unknown = [key for key in state if key not in ("_milestones", "last_epoch", "_last_lr", "_schedulers")]
        if unknown:
            raise ValueError(f"scheduler state has unknown entry {short_repr(unknown[0])}")
        milestones = state.get("_milestones", self._milestones)
        if not isinstance(milestones, list) or len(milestones) != len(self._milestones):
            raise ValueError(f"scheduler state '_milestones' must be a list of {len(self._milestones)} integers")
        checked = [_whole_number("scheduler state milestone", m, 0) for m in milestones]
        last_epoch = _whole_number("scheduler state 'last_epoch'", state.get("last_epoch", self.last_epoch), 0)
        last_lr = _checked_last_lr(self.optimizer, state.get("_last_lr", self._last_lr))  # before any inner load
        _load_states("SequentialLR", self._schedulers, state.get("_schedulers", _states(self._schedulers)))
        self._milestones, self.last_epoch, self._last_lr = checked, last_epoch, last_lr


class ChainedScheduler(LRScheduler):
    """Step every scheduler in ``schedulers`` each epoch (torch's ``ChainedScheduler(schedulers, optimizer)``)."""

    def __init__(self, schedulers: Sequence[LRScheduler], optimizer: Optimizer | None = None) -> None:
        """Chain ``schedulers`` (all of one optimizer, the first's unless ``optimizer`` is given)."""
        if isinstance(schedulers, (str, bytes)) or not isinstance(schedulers, Sequence):
            raise TypeError(f"ChainedScheduler needs a list of schedulers, got {type(schedulers).__name__}")
        if not schedulers:
            raise ValueError("ChainedScheduler expects at least one scheduler to be chained, but got no scheduler.")
        owner = optimizer if optimizer is not None else getattr(schedulers[0], "optimizer", None)
        if not isinstance(owner, Optimizer):
            raise TypeError(f"ChainedScheduler needs schedulers of an Optimizer, got {type(owner).__name__}")
        self._schedulers = _checked_schedulers("ChainedScheduler", schedulers, owner)
        self.optimizer = owner
        self._last_lr = self._current_lrs()

    def step(self, epoch: int | None = None) -> None:
        """Step every scheduler, in order."""
        if epoch is not None:
            raise TypeError("ChainedScheduler.step() takes no epoch (as torch's)")
        for scheduler in self._schedulers:
            scheduler.step()
        self._last_lr = self._current_lrs()

    def get_lr(self) -> list[float]:
        """The current rates (the inner schedulers compute them)."""
        return self._current_lrs()

    def state_dict(self) -> dict[str, Any]:
        """torch's entries: ``_last_lr`` and every scheduler's own state."""
        return {"_last_lr": list(self._last_lr), "_schedulers": _states(self._schedulers)}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Restore from `state_dict` output (each inner scheduler loads its own)."""
        if not isinstance(state, dict):
            raise TypeError(f"scheduler state must be a dict, got {type(state).__name__}")
        unknown = [key for key in state if key not in ("_last_lr", "_schedulers")]
        if unknown:
            raise ValueError(f"scheduler state has unknown entry {short_repr(unknown[0])}")
        last_lr = _checked_last_lr(self.optimizer, state.get("_last_lr", self._last_lr))  # before any inner load
        _load_states("ChainedScheduler", self._schedulers, state.get("_schedulers", _states(self._schedulers)))
        self._last_lr = last_lr
