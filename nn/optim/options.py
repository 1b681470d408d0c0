"""Checking an optimizer's options: each a finite number in its range, or a flag, or an error naming it."""

from __future__ import annotations

from typing import Any

from ..module import checked_float, short_repr


def hyperparameter(
    name: str, value: Any, *, positive: bool = False, below_one: bool = False, at_most_one: bool = False
) -> float:
    """A finite, non-negative (or positive, or below 1) hyperparameter as a float, or an error naming it."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    number = checked_float(value, name)
    if (
        number < 0.0
        or (positive and number == 0.0)
        or (below_one and number >= 1.0)
        or (at_most_one and number > 1.0)
    ):
        kind = (
            "in [0, 1)" if below_one else "in [0, 1]" if at_most_one else "positive" if positive else "non-negative"
        )
        raise ValueError(f"{name} must be {kind}, got {value!r}")
    return number


#: Group keys every optimizer accepts besides its hyperparameters: the group's Values, their names (torch's
#: ``param_names``, present when the Values were given as ``(name, Value)`` pairs), and the learning rate a
#: scheduler started from (torch's ``initial_lr``, written by `nn.optim.lr_scheduler`).
GROUP_KEYS = frozenset({"params", "param_names", "initial_lr"})


def option_name(where: str, name: str) -> str:
    """``name`` as an error message calls it: prefixed by the group (``param_groups[1] momentum``) when there is one."""
    return f"{where} {name}" if where else name


def learning_rate(value: Any, name: str = "learning rate") -> float:
    """``value`` as a learning rate: a finite number >= 0 (as torch; a schedule may end at 0), or ValueError."""
    try:
        return hyperparameter(name, value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a finite number >= 0, got {short_repr(value)}") from None


def flag(name: str, value: Any) -> bool:
    """``value`` if it is True or False, else TypeError naming the option (1 or "yes" are mistakes, not flags)."""
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False, got {type(value).__name__} {short_repr(value)}")
    return value
