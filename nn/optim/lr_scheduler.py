"""Learning-rate schedulers as torch.optim.lr_scheduler's: StepLR, MultiStepLR, ExponentialLR, CosineAnnealingLR,
LambdaLR here; LinearLR, ConstantLR, PolynomialLR, MultiplicativeLR (`nn.optim.factor_schedulers`),
OneCycleLR (`nn.optim.one_cycle`), ReduceLROnPlateau (`nn.optim.plateau`), SequentialLR and ChainedScheduler
(`nn.optim.scheduler_chains`), CosineAnnealingWarmRestarts (`nn.optim.warm_restarts`) and CyclicLR
(`nn.optim.cyclic`) importable from here too, as from torch's module.

Each one writes ``group['lr']`` into its optimizer's ``param_groups`` when
constructed (epoch 0) and on every `LRScheduler.step` (call it after
``optimizer.step()``, once per epoch), with torch's own update rules (the
recursive ones where torch uses them, so the values agree with torch's to the
last bit or so). A group's starting rate is kept in ``group['initial_lr']`` as
torch does, so a scheduler built with ``last_epoch >= 0`` resumes from it.
"""

from __future__ import annotations

import math
import numbers
import warnings
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from ..numbers_in_messages import short_repr
from .base import Optimizer
from .options import learning_rate

#: What torch warns when `LRScheduler.step` is given an epoch (the deprecated path), in its words.
EPOCH_DEPRECATION_WARNING = (
    "The epoch parameter in `scheduler.step()` was not necessary and is being deprecated where possible. "
    "Please use `scheduler.step()` to step the scheduler. During the deprecation, if epoch is different from "
    "None, the closed form is used instead of the new chainable form, where available."
)

#: torch's scheduler flags, saved in its state_dict: always False between steps.
_TORCH_FLAGS = ("_is_initial", "_get_lr_called_within_step")


def _whole_number(name: str, value: Any, low: int) -> int:
    """``value`` as an int >= ``low`` (bools and floats refused), or an error naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__} {short_repr(value)}")
    if value < low:
        raise ValueError(f"{name} must be an integer >= {low}, got {short_repr(value)}")
    whole = int(value)
    if whole >= 2**63:  # torch's int64; past the float range it would fail later as "int too large to convert"
        raise ValueError(f"{name} must be below 2**63, got {short_repr(whole)}")
    return whole


#: How `LRScheduler.load_state_dict` checks one saved option: called with a label naming it
#: ("scheduler state 'gamma'") and the saved value; returns the value to set or raises an error naming the label.
StateCheck = Callable[[str, Any], Any]


def whole_number_from(low: int) -> StateCheck:
    """A `StateCheck` for an integer >= ``low`` (as the constructors check their integer options)."""
    return lambda name, value: _whole_number(name, value, low)


def too_many_digits(value: Any) -> str:
    """A number too large for a float, by its size: "a number of 401 digits" (past Python's 4,300-digit limit for
    printing an int, "a number of over 4,300 digits": counting them by str() would raise a ValueError)."""
    try:
        return f"a number of {len(str(abs(math.trunc(value))))} digits"
    except ValueError:
        return "a number of over 4,300 digits"


def _per_group(name: str, optimizer: Optimizer, value: Any) -> list[Any]:
    """``value`` once per group (a list or tuple must have one per group), as torch's ``_format_param``."""
    groups = len(optimizer.param_groups)
    if isinstance(value, (list, tuple)):
        if len(value) != groups:
            raise ValueError(f"{name} must have the same length as optimizer.param_groups. {name} has "
                             f"{len(value)} values, param_groups has {groups}.")
        return list(value)
    return [value] * groups


def _lambda_factor(fn: Callable[[int], Any], group: int, epoch: int) -> float:
    """``fn(epoch)`` as a float: a TypeError naming the group unless it is a real number, an OverflowError when it
    is too large for a float (LambdaLR and MultiplicativeLR)."""
    factor = fn(epoch)
    if isinstance(factor, bool) or not isinstance(factor, numbers.Real):
        raise TypeError(f"lr_lambda for param_groups[{group}] returned {type(factor).__name__} "
                        f"{short_repr(factor)} at epoch {epoch}: expected a real number")
    try:
        return float(factor)
    except OverflowError:
        raise OverflowError(f"lr_lambda for param_groups[{group}] returned {too_many_digits(factor)} at epoch "
                            f"{epoch}: too large for a float") from None
    except Exception as err:  # a number type whose __float__ fails: its own error named no lr_lambda
        raise TypeError(f"lr_lambda for param_groups[{group}] returned {type(factor).__name__} {short_repr(factor)} "
                        f"at epoch {epoch}: float() of it failed ({type(err).__name__}: {err})") from err


def _factor(name: str, value: Any) -> float:
    """``value`` as a finite float >= 0 (a decay factor or a floor rate), or an error naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} {short_repr(value)}")
    try:
        number = float(value)
    except OverflowError:
        raise OverflowError(f"{name}: {too_many_digits(value)} is too large for a float") from None
    except Exception as err:  # a Real whose own __float__ fails
        raise TypeError(f"{name}: float() of {type(value).__name__} {short_repr(value)} failed "
                        f"({type(err).__name__}: {err})") from err
    if not (math.isfinite(number) and number >= 0.0):
        raise ValueError(f"{name} must be a finite number >= 0, got {short_repr(value)}")
    return number


def _saved_milestones(name: str, raw: Any) -> Counter[int]:
    """`MultiStepLR`'s saved milestones, a dict of epoch -> count, as a Counter (a `StateCheck`)."""
    if not isinstance(raw, dict):
        raise ValueError(f"{name} must map epochs to counts")
    # JSON writes a dict's int keys as strings ({"30": 1}): a state saved beside the optimizer's (JSON-ready)
    # one must load back, so a key of decimal digits is read as its epoch.
    return Counter({
        _whole_number("scheduler state milestone", int(k) if isinstance(k, str) and k.isdecimal() and
                      k.isascii() else k, 0): _whole_number("scheduler state milestone count", v, 1)
        for k, v in raw.items()})


class LRScheduler:
    """Base class: ``base_lrs``, ``last_epoch``, `step`, `get_last_lr` and `state_dict`, as torch's.

    A subclass defines `get_lr` (the rates for ``last_epoch``, from the
    current ones where torch's rule is recursive) and `_get_closed_form_lr`
    (from ``base_lrs`` alone, used by ``step(epoch)``).
    """

    #: The attributes `state_dict` saves besides ``base_lrs``, ``last_epoch`` and the step count, each with the
    #: check `load_state_dict` runs on its saved value (a subclass lists its own options here, nothing else).
    _hyperparameters: ClassVar[dict[str, StateCheck]] = {}

    def __init__(self, optimizer: Optimizer, last_epoch: int = -1) -> None:
        """Attach to ``optimizer``; ``last_epoch=-1`` starts afresh, ``>= 0`` resumes (needs ``initial_lr``)."""
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"{type(optimizer).__name__} is not an Optimizer")
        last_epoch = _whole_number("last_epoch", last_epoch, -1)
        self.optimizer = optimizer
        for i, group in enumerate(optimizer.param_groups):
            # a rate set by hand to "x" or nan would fail later, deep inside get_lr ("can't multiply sequence")
            for key in ("initial_lr", "lr") if "initial_lr" in group or last_epoch == -1 else ():
                if key in group:
                    learning_rate(group[key], f"param_groups[{i}][{key!r}]")
        if last_epoch == -1:
            for group in optimizer.param_groups:
                group.setdefault("initial_lr", group["lr"])
        else:
            for i, group in enumerate(optimizer.param_groups):
                if "initial_lr" not in group:
                    raise KeyError(f"param 'initial_lr' is not specified in param_groups[{i}] when resuming a "
                                   "scheduler with last_epoch >= 0 (load the optimizer's state first)")
        self.base_lrs: list[float] = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = last_epoch
        self._step_count = 0
        self._initial_step()

    def _initial_step(self) -> None:
        """torch's first step: the step count back to 0, then one step with ``_is_initial`` set (the rates kept,
        for the rules that say so); `SequentialLR` gives it again to the scheduler whose turn starts."""
        self._step_count = 0
        self._is_initial = True
        try:
            self.step()
        finally:
            self._is_initial = False

    def get_lr(self) -> list[float]:
        """The learning rate of each group for ``last_epoch`` (subclasses define it)."""
        raise NotImplementedError

    def _get_closed_form_lr(self) -> list[float]:
        """The learning rate of each group at ``last_epoch`` computed from ``base_lrs`` alone."""
        raise NotImplementedError

    def _current_lrs(self) -> list[float]:
        return [group["lr"] for group in self.optimizer.param_groups]

    def step(self, epoch: int | None = None) -> None:
        """Advance one epoch and write the new rates into the optimizer's groups.

        ``epoch`` (deprecated in torch, kept for its users) jumps to that epoch
        and uses the closed form, with torch's deprecation UserWarning. An
        ``epoch`` that is not an integer >= 0, or a rate that would not be a
        finite number >= 0 (say from a lambda), is an error naming it, and
        nothing changes.
        """
        if len(self.base_lrs) != len(self.optimizer.param_groups):
            raise ValueError(f"the optimizer has {len(self.optimizer.param_groups)} parameter groups but this "
                             f"scheduler was built for {len(self.base_lrs)}: build the scheduler after adding groups")
        jump = None if epoch is None else _whole_number("epoch", epoch, 0)  # before anything changes
        self._step_count += 1  # before get_lr, as torch: CosineAnnealingLR reads it
        if jump is not None:
            warnings.warn(EPOCH_DEPRECATION_WARNING, UserWarning, stacklevel=2)
        try:
            self._update_lr(jump)
        except BaseException:
            self._step_count -= 1
            raise

    def _update_lr(self, epoch: int | None = None) -> None:
        """torch's ``_update_lr``: the next epoch's rates, or (``epoch`` given) that epoch's by the closed form,
        written into the groups; `SequentialLR` uses it to restart a scheduler at 0. All or nothing."""
        previous = self.last_epoch
        if epoch is None:
            self.last_epoch += 1
            compute = self.get_lr
        else:
            self.last_epoch = epoch
            compute = self._get_closed_form_lr
        try:
            values = [learning_rate(lr, f"learning rate for param_groups[{i}] at epoch {self.last_epoch}")
                      for i, lr in enumerate(compute())]
        except BaseException:
            self.last_epoch = previous
            raise
        for group, lr in zip(self.optimizer.param_groups, values):
            group["lr"] = lr
        self._last_lr = list(values)

    def get_last_lr(self) -> list[float]:
        """The rates this scheduler last wrote, one per group (a new list each call)."""
        return list(self._last_lr)

    def state_dict(self) -> dict[str, Any]:
        """The state under torch's keys: ``base_lrs``, ``last_epoch``, ``_step_count``, ``_last_lr``, the options."""
        state: dict[str, Any] = {name: getattr(self, name) for name in self._hyperparameters}
        # torch's two flags are always False between steps; kept so the keys are torch's, and a torch state loads.
        state.update({"base_lrs": list(self.base_lrs), "last_epoch": self.last_epoch, "_step_count": self._step_count,
                      "_is_initial": False, "_get_lr_called_within_step": False, "_last_lr": list(self._last_lr)})
        return state

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Restore from `state_dict` output; all-or-nothing, ValueError/TypeError naming the bad entry."""
        if not isinstance(state, dict):
            raise TypeError(f"scheduler state must be a dict, got {type(state).__name__}")
        known = {"base_lrs", "last_epoch", "_step_count", "_last_lr", *self._hyperparameters, *_TORCH_FLAGS}
        for key in state:
            if key not in known:
                raise ValueError(f"scheduler state has unknown entry {short_repr(key)} (a {type(self).__name__} "
                                 f"state holds {', '.join(sorted(known))})")
        for flag_name in _TORCH_FLAGS:
            if flag_name in state and state[flag_name] is not False:
                raise ValueError(f"scheduler state {short_repr(flag_name)} must be False (True only inside a step), "
                                 f"got {short_repr(state[flag_name])}")
        groups = len(self.optimizer.param_groups)
        checked: dict[str, Any] = {}
        for name in ("base_lrs", "_last_lr"):
            if name in state:
                values = state[name]
                if not isinstance(values, list) or len(values) != groups:
                    raise ValueError(f"scheduler state {short_repr(name)} must be a list of {groups} learning rates")
                checked[name] = [learning_rate(v, f"scheduler state {short_repr(name)} entry "
                                                  f"{i}") for i, v in enumerate(values)]
        if "last_epoch" in state:
            checked["last_epoch"] = _whole_number("scheduler state 'last_epoch'", state["last_epoch"], -1)
        if "_step_count" in state:
            checked["_step_count"] = _whole_number("scheduler state '_step_count'", state["_step_count"], 0)
        checked.update({name: check(f"scheduler state {name!r}", state[name])
                        for name, check in self._hyperparameters.items() if name in state})
        for name, value in checked.items():
            setattr(self, name, value)


class StepLR(LRScheduler):
    """Every ``step_size`` epochs, multiply the rates by ``gamma``: ``base_lr * gamma ** (epoch // step_size)``."""

    _hyperparameters = {"step_size": whole_number_from(1), "gamma": _factor}

    def __init__(self, optimizer: Optimizer, step_size: int, gamma: float = 0.1, last_epoch: int = -1) -> None:
        """``step_size`` an integer >= 1, ``gamma`` a finite number >= 0 (torch's defaults)."""
        self.step_size = _whole_number("step_size", step_size, 1)
        self.gamma = _factor("gamma", gamma)
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        """torch's recursive rule: the current rates, times ``gamma`` at each multiple of ``step_size``."""
        if self.last_epoch == 0 or self.last_epoch % self.step_size != 0:
            return self._current_lrs()
        return [lr * self.gamma for lr in self._current_lrs()]

    def _get_closed_form_lr(self) -> list[float]:
        return [base * self.gamma ** (self.last_epoch // self.step_size) for base in self.base_lrs]


class MultiStepLR(LRScheduler):
    """Multiply each group's rate by ``gamma`` at each milestone epoch (twice if a milestone is listed twice)."""

    _hyperparameters = {"milestones": _saved_milestones, "gamma": _factor}

    def __init__(self, optimizer: Optimizer, milestones: Iterable[int], gamma: float = 0.1,
                 last_epoch: int = -1) -> None:
        """``milestones`` integers >= 0 in any order (torch counts repeats), ``gamma`` a finite number >= 0."""
        if isinstance(milestones, (str, bytes)) or not isinstance(milestones, Iterable):
            raise TypeError(f"milestones must be a list of integers, got {type(milestones).__name__}")
        self.milestones: Counter[int] = Counter(_whole_number("milestone", m, 0) for m in milestones)
        self.gamma = _factor("gamma", gamma)
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        """torch's recursive rule: the current rates, times ``gamma ** count`` at a milestone."""
        if self.last_epoch not in self.milestones:
            return self._current_lrs()
        return [lr * self.gamma ** self.milestones[self.last_epoch] for lr in self._current_lrs()]

    def _get_closed_form_lr(self) -> list[float]:
        milestones = sorted(self.milestones.elements())
        return [base * self.gamma ** bisect_right(milestones, self.last_epoch) for base in self.base_lrs]


class ExponentialLR(LRScheduler):
    """Multiply each group's rate by ``gamma`` every epoch: ``base_lr * gamma ** epoch``."""

    _hyperparameters = {"gamma": _factor}

    def __init__(self, optimizer: Optimizer, gamma: float, last_epoch: int = -1) -> None:
        """``gamma`` a finite number >= 0."""
        self.gamma = _factor("gamma", gamma)
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        """torch's recursive rule: the current rates times ``gamma`` (unchanged on the constructor's step)."""
        if self._is_initial:
            return self._current_lrs()
        return [lr * self.gamma for lr in self._current_lrs()]

    def _get_closed_form_lr(self) -> list[float]:
        return [base * self.gamma**self.last_epoch for base in self.base_lrs]


class CosineAnnealingLR(LRScheduler):
    """Cosine annealing (SGDR without restarts) from each base rate down to ``eta_min`` over ``T_max`` epochs.

    Closed form ``eta_min + (base_lr - eta_min) * (1 + cos(pi * epoch / T_max)) / 2``;
    `step` uses torch's recursive form (which, past ``T_max``, climbs back
    up as torch's does), so the rates follow torch's bit for bit or nearly.
    """

    _hyperparameters = {"T_max": whole_number_from(1), "eta_min": _factor}

    def __init__(self, optimizer: Optimizer, T_max: int, eta_min: float = 0.0, last_epoch: int = -1) -> None:  # noqa: N803
        """``T_max`` an integer >= 1 (torch's name), ``eta_min`` a finite rate >= 0."""
        self.T_max = _whole_number("T_max", T_max, 1)
        self.eta_min = _factor("eta_min", eta_min)
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        """torch's recursive rule, with its special cases for the first step of a resumed run and each restart."""
        eta_min, t_max, epoch = self.eta_min, self.T_max, self.last_epoch
        if self._is_initial:
            return self._current_lrs()
        if self._step_count == 1 and epoch > 0:
            return [eta_min + (base - eta_min) * (1 + math.cos(epoch * math.pi / t_max)) / 2 for base in self.base_lrs]
        if (epoch - 1 - t_max) % (2 * t_max) == 0:
            return [lr + (base - eta_min) * (1 - math.cos(math.pi / t_max)) / 2
                    for base, lr in zip(self.base_lrs, self._current_lrs())]
        return [(1 + math.cos(math.pi * epoch / t_max)) / (1 + math.cos(math.pi * (epoch - 1) / t_max))
                * (lr - eta_min) + eta_min for lr in self._current_lrs()]

    def _get_closed_form_lr(self) -> list[float]:
        return [self.eta_min + (base - self.eta_min) * (1 + math.cos(math.pi * self.last_epoch / self.T_max)) / 2
                for base in self.base_lrs]


class LambdaLR(LRScheduler):
    """Each group's rate is ``base_lr * lr_lambda(epoch)``; one function for all groups or one per group.

    `state_dict` saves, as torch's, ``None`` for a plain function or lambda
    (code is not data) and the ``__dict__`` of a callable object.
    """

    def __init__(
        self,
        optimizer: Optimizer,
        lr_lambda: Callable[[int], float] | list[Callable[[int], float]],
        last_epoch: int = -1,
    ) -> None:
        """``lr_lambda`` a function of the epoch (an int) returning a factor, or a list of one per group."""
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"{type(optimizer).__name__} is not an Optimizer")
        if isinstance(lr_lambda, (list, tuple)):
            if len(lr_lambda) != len(optimizer.param_groups):
                raise ValueError(f"Expected {len(optimizer.param_groups)} lr_lambdas, but got {len(lr_lambda)}")
            functions = list(lr_lambda)
        else:
            functions = [lr_lambda] * len(optimizer.param_groups)
        for i, fn in enumerate(functions):
            if not callable(fn):
                where = f" at index {i}" if len(functions) > 1 and isinstance(lr_lambda, (list, tuple)) else ""
                raise TypeError(self._not_a_function(fn, where))
        self.lr_lambdas: list[Callable[[int], float]] = functions
        super().__init__(optimizer, last_epoch)

    @staticmethod
    def _not_a_function(fn: object, where: str) -> str:
        """The message for an ``lr_lambda`` (at ``where`` in a list) that is not callable.

        torch's LambdaLR only fails when it first calls it ("'float' object is not callable"); this names the
        argument and the value.
        """
        return f"lr_lambda must be callable (a function of the epoch), got {type(fn).__name__} {short_repr(fn)}{where}"

    def get_lr(self) -> list[float]:
        """``base_lr * lr_lambda(last_epoch)`` for each group; a factor that is not a real number is a TypeError."""
        return [base * _lambda_factor(fn, i, self.last_epoch)
                for i, (fn, base) in enumerate(zip(self.lr_lambdas, self.base_lrs))]

    def _get_closed_form_lr(self) -> list[float]:
        return self.get_lr()

    def state_dict(self) -> dict[str, Any]:
        """As the base's, plus ``lr_lambdas``: None for a function, a copy of ``__dict__`` for a callable object."""
        state = super().state_dict()
        state["lr_lambdas"] = [None if _is_plain_function(fn) else dict(vars(fn)) for fn in self.lr_lambdas]
        return state

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """As the base's; a callable object's saved ``__dict__`` is restored into it."""
        if not isinstance(state, dict):
            raise TypeError(f"scheduler state must be a dict, got {type(state).__name__}")
        rest = {k: v for k, v in state.items() if k != "lr_lambdas"}
        saved = state.get("lr_lambdas", [None] * len(self.lr_lambdas))
        if not isinstance(saved, list) or len(saved) != len(self.lr_lambdas) or \
                not all(entry is None or isinstance(entry, dict) for entry in saved):
            raise ValueError(f"scheduler state 'lr_lambdas' must be a list of {len(self.lr_lambdas)} dicts or None")
        super().load_state_dict(rest)
        for fn, entry in zip(self.lr_lambdas, saved):
            if entry is not None:
                vars(fn).update(entry)


def _is_plain_function(fn: Any) -> bool:
    """True for a def or lambda (torch saves None for those), False for a callable object with a ``__dict__``."""
    return isinstance(fn, type(_is_plain_function)) or not hasattr(fn, "__dict__")


# The schedulers kept in files of their own build on LRScheduler above: imported last, so that
# ``from nn.optim.lr_scheduler import OneCycleLR`` works as torch's ``torch.optim.lr_scheduler`` does.
from .cyclic import CyclicLR  # noqa: E402
from .factor_schedulers import ConstantLR, LinearLR, MultiplicativeLR, PolynomialLR  # noqa: E402
from .one_cycle import OneCycleLR  # noqa: E402
from .plateau import ReduceLROnPlateau  # noqa: E402
from .scheduler_chains import ChainedScheduler, SequentialLR  # noqa: E402
from .warm_restarts import CosineAnnealingWarmRestarts  # noqa: E402

__all__ = [
    "ChainedScheduler", "ConstantLR", "CosineAnnealingLR", "CosineAnnealingWarmRestarts", "CyclicLR", "ExponentialLR",
    "LambdaLR", "LinearLR", "LRScheduler", "MultiplicativeLR", "MultiStepLR", "OneCycleLR", "PolynomialLR",
    "ReduceLROnPlateau", "SequentialLR", "StepLR",
]
