"""Checking an optimizer's options: each a finite number in its range, or a flag, or an error naming it."""

from __future__ import annotations

import numbers
from collections.abc import Mapping
from typing import Any

from ..numbers_in_messages import checked_float, short_repr


class NotANumberError(ValueError, TypeError):
    """Something that is not a number (``"0.1"``, None) where a learning rate was needed.

    A TypeError, as torch raises for ``SGD(params, lr="0.1")``, and a ValueError, as this library said before
    (every other bad learning rate is one): either ``except`` catches it.
    """


def hyperparameter(
    name: str, value: Any, *, positive: bool = False, below_one: bool = False, at_most_one: bool = False
) -> float:
    """A finite, non-negative (or positive, or below 1) hyperparameter as a float, or an error naming it."""
    # Any real number type (numpy's float32 and int64, a Fraction), as a Value takes it and torch's float()
    # reads it; a bool is no hyperparameter. np.float32(0.1) was refused as "not a number".
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    try:
        number = checked_float(value, name)
    except ValueError as err:  # inf or NaN: torch's ValueError names these with its "Invalid ..." words too
        raise ValueError(f"{err}{torch_words(name, value)}") from None
    if (
        number < 0.0
        or (positive and number == 0.0)
        or (below_one and number >= 1.0)
        or (at_most_one and number > 1.0)
    ):
        kind = (
            "in [0, 1)" if below_one else "in [0, 1]" if at_most_one else "positive" if positive else "non-negative"
        )
        raise ValueError(f"{name} must be {kind}, got {short_repr(value)}{torch_words(name, value)}")
    return number


#: torch.optim's words for an option out of range ("Invalid learning rate: -1"), by the option's name here.
_TORCH_WORDS = {"learning rate": "Invalid learning rate", "momentum": "Invalid momentum value",
                "weight_decay": "Invalid weight_decay value", "eps": "Invalid epsilon value",
                "lr_decay": "Invalid lr_decay value",
                "initial_accumulator_value": "Invalid initial_accumulator_value value",
                "betas[0]": "Invalid beta parameter at index 0", "betas[1]": "Invalid beta parameter at index 1"}


def torch_words(name: str, value: Any) -> str:
    """`` (torch: Invalid learning rate: -1)`` for an option torch's constructors check, else "": a program
    written against torch may look for its words, and this library's own say what the range is."""
    words = _TORCH_WORDS.get(name.rsplit("] ", 1)[-1])  # "param_groups[1] momentum" -> "momentum"
    return f" (torch: {words}: {short_repr(value)})" if words else ""


#: The learning rates schedulers keep in a group (torch's names): where one started (``initial_lr``, every
#: scheduler) and `OneCycleLR`'s peak and floor.
SCHEDULER_RATE_KEYS = ("initial_lr", "max_lr", "min_lr")

#: The momenta `OneCycleLR` keeps in a group (torch's names), each in [0, 1).
SCHEDULER_MOMENTUM_KEYS = ("max_momentum", "base_momentum")

#: Group keys every optimizer accepts besides its hyperparameters: the group's Values, their names (torch's
#: ``param_names``, present when the Values were given as ``(name, Value)`` pairs), and what schedulers write
#: (above).
GROUP_KEYS = frozenset({"params", "param_names", *SCHEDULER_RATE_KEYS, *SCHEDULER_MOMENTUM_KEYS})


def scheduler_entries(group: Mapping[str, Any], where: str) -> dict[str, float]:
    """The scheduler keys ``group`` holds, each checked (a rate as `learning_rate`, a momentum in [0, 1)) and named
    after ``where``: what `Optimizer.add_param_group` and a loaded state both keep of a group's schedule."""
    entries = {key: learning_rate(group[key], f"{where} {key}") for key in SCHEDULER_RATE_KEYS if key in group}
    for key in SCHEDULER_MOMENTUM_KEYS:
        if key in group:
            entries[key] = hyperparameter(f"{where} {key}", group[key], below_one=True)
    return entries


def option_name(where: str, name: str) -> str:
    """``name`` as an error message calls it: prefixed by the group (``param_groups[1] momentum``) when there is one."""
    return f"{where} {name}" if where else name


def learning_rate(value: Any, name: str = "learning rate") -> float:
    """``value`` as a learning rate: a finite number >= 0 (as torch; a schedule may end at 0), or ValueError
    (`NotANumberError`, also a TypeError, for something that is not a number)."""
    try:
        return hyperparameter(name, value)
    except TypeError:
        raise NotANumberError(f"{name} must be a finite number >= 0, got {type(value).__name__} {short_repr(value)}"
                              ) from None
    except ValueError:
        raise ValueError(f"{name} must be a finite number >= 0, got {short_repr(value)}{torch_words(name, value)}"
                         ) from None


def flag(name: str, value: Any) -> bool:
    """``value`` if it is True or False, else TypeError naming the option (1 or "yes" are mistakes, not flags)."""
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False, got {type(value).__name__} {short_repr(value)}")
    return value


#: torch's implementation switches, with torch's defaults: how its kernels run, never what a step computes.
#: Every optimizer takes ``foreach``, ``differentiable`` and ``fused``; Adam and AdamW take ``capturable`` too.
IMPLEMENTATION_DEFAULTS: dict[str, bool | None] = {"foreach": None, "capturable": False, "differentiable": False,
                                                   "fused": None}


def implementation_flags(options: dict[str, Any], where: str) -> dict[str, bool | None]:
    """torch's ``foreach`` / ``fused`` / ``differentiable`` (/ ``capturable``) in ``options``, checked as torch does.

    They choose how torch's kernels run (one loop per tensor, one kernel for all, CUDA graphs), not what a step
    computes, so here they are accepted and kept (in ``defaults``, ``param_groups`` and ``state_dict``, as torch
    keeps them) wherever torch runs them on the CPU, and refused, with torch's words, where it does not:
    ``fused`` and ``foreach`` both True, ``fused`` with ``differentiable``, ``capturable=True`` without
    ``fused`` (CUDA devices only). ``differentiable=True`` is refused too: a step here updates ``.data`` and is
    not recorded in the graph (torch's needs non-leaf parameters, and fails on a model's own). torch takes any
    object for ``foreach`` and ``fused`` and uses its truth; here they must be None, True or False.
    """
    checked: dict[str, bool | None] = {}
    for name in IMPLEMENTATION_DEFAULTS:
        if name not in options:
            continue
        value = options[name]
        if name == "differentiable":
            if not isinstance(value, bool):  # torch: "set_grad_enabled(): argument 'enabled' must be bool"
                raise TypeError(f"{option_name(where, 'differentiable')} must be bool, not {type(value).__name__}")
        elif value is not None and not isinstance(value, bool):
            raise TypeError(f"{option_name(where, name)} must be None, True or False, got {type(value).__name__} "
                            f"{short_repr(value)}")
        checked[name] = value
    fused = checked.get("fused")
    if fused and checked.get("foreach"):
        raise RuntimeError(f"{option_name(where, '`fused` and `foreach`')} cannot be `True` together.")
    if fused and checked.get("differentiable"):
        raise RuntimeError(f"{option_name(where, '`fused`')} does not support `differentiable`")
    if checked.get("differentiable"):
        raise RuntimeError(f"{option_name(where, 'differentiable=True')} is not supported: a step updates .data and "
                           "is not recorded in the graph (torch's needs parameters that are not leaves)")
    if checked.get("capturable") and not fused:
        raise ValueError(f"{option_name(where, 'capturable=True')}: if capturable=True, params and state_steps must "
                         "be on supported devices: ['cuda', 'xpu', 'hpu', 'privateuseone'] (torch's words); "
                         "valuegrad runs on the CPU")
    return checked
