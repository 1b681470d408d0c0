"""Validating a saved optimizer state (`Optimizer.state_dict` output, or a file's) before anything is assigned.

Everything is checked first (type, buffers, step counts, every group's
options) and only then applied, by the function `checked_state` returns, so
a loader can validate the model's entries and the optimizer's together and
apply both or neither. A state written before parameter groups existed (no
``param_groups``, no ``group_steps``) still loads, and so does one written before
step counts were per parameter (no ``param_steps``: each parameter gets its group's).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..numbers_in_messages import checked_float, short_repr
from .options import (
    IMPLEMENTATION_DEFAULTS,
    scheduler_entries,
)

if TYPE_CHECKING:
    from .base import Optimizer

MAX_STEPS = 2**53  # beyond this a step count no longer converts to float exactly


class MissingStateEntryError(KeyError, ValueError):
    """A saved optimizer state without an entry it needs: torch's KeyError (``'param_groups'``), and a ValueError
    as every other refused state here, so either ``except`` catches it."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""  # KeyError's own str would quote the sentence


def checked_state(optimizer: Optimizer, state: Any, where: str) -> Callable[[], None]:
    """Validate ``state`` without changing anything; return the function that applies it.

    A loader validates the model's and the optimizer's entries first and
    applies both only when all are good.
    """
    if not isinstance(state, dict):  # a file's "optimizer": null was "is for 'NoneType', not Adam"
        raise TypeError(f"{where} must be a dict (an optimizer's state_dict()), got {type(state).__name__} "
                        f"{short_repr(state)}")
    if "type" not in state:
        raise ValueError(f"{where} has no 'type' entry (the optimizer it was saved from, {type(optimizer).__name__}"
                         " here): not a state_dict() of an nn optimizer")
    if state.get("type") != type(optimizer).__name__:
        found = state.get("type")
        raise ValueError(f"{where} is for {short_repr(found)}, not {type(optimizer).__name__}")
    _refuse_unknown_and_missing(optimizer, state, where)
    buffers = state.get("buffers", {})
    mine = optimizer._buffers()
    required = set(mine) - optimizer._optional_buffers
    if not isinstance(buffers, dict) or not required <= set(buffers) <= set(mine):
        optional = sorted(set(mine) & optimizer._optional_buffers)
        extra = f" (and may hold {optional})" if optional else ""
        raise ValueError(f"{where} 'buffers' must hold exactly {sorted(required)}{extra}")
    checked: dict[str, list[float]] = {name: [0.0] * len(optimizer.params) for name in mine}
    for name, values in buffers.items():
        if not isinstance(values, list) or len(values) != len(optimizer.params):
            # A list of the wrong length almost always means a state saved from another model's optimizer.
            saved_for = (f": it holds {len(values)}, so the state was saved for {len(values)} parameters and this "
                         f"optimizer has {len(optimizer.params)}") if isinstance(values, list) else ""
            raise ValueError(f"{where} buffer {short_repr(name)} must be a list of {len(optimizer.params)} "
                             f"numbers{saved_for}")
        numbers_ = [checked_float(v, f"{where} buffer {short_repr(name)} entry {i}") for i, v in enumerate(values)]
        if name in optimizer._nonnegative_buffers:
            for i, v in enumerate(numbers_):
                if v < 0.0:
                    raise ValueError(f"{where} buffer {short_repr(name)} entry {i} must be >= 0 (a sum of squares)")
        checked[name] = numbers_
    steps = state.get("steps")
    if isinstance(steps, bool) or not isinstance(steps, int) or not 0 <= steps <= MAX_STEPS:
        raise ValueError(f"{where} 'steps' must be an integer in [0, 2**53], got {short_repr(steps)}")
    lr = state.get("lr")
    if isinstance(lr, bool) or not isinstance(lr, (int, float)):
        raise ValueError(f"{where} 'lr' must be a positive finite number, got {short_repr(lr)}")
    lr_value = checked_float(lr, f"{where} 'lr'")
    if not lr_value >= 0.0:
        raise ValueError(f"{where} 'lr' must be a positive finite number or 0, got {short_repr(lr_value)}")
    groups = _checked_saved_groups(optimizer, state, where, lr_value)
    group_steps = _checked_group_steps(optimizer, state.get("group_steps"), steps, where)
    param_steps = _checked_param_steps(optimizer, state.get("param_steps"), group_steps, steps, where)

    def apply() -> None:
        optimizer.steps = steps
        optimizer._param_steps = param_steps
        for group, saved in zip(optimizer.param_groups, groups):
            group.update(saved)
        for name, values in checked.items():
            mine[name][:] = values

    return apply

def _refuse_unknown_and_missing(optimizer: Optimizer, state: dict[str, Any], where: str) -> None:
    """A ValueError naming an entry ``state`` should not have (a misspelt ``'param_group'`` was ignored, and the
    groups kept their options) or one it lacks: ``lr`` and ``steps`` always, ``param_groups`` unless the state
    has the layout written before groups existed (no ``group_steps`` either; its ``lr`` then goes to every group).

    torch raises KeyError('param_groups') for a state without groups and ignores unknown entries; a state
    refused here is not applied at all (the optimizer stays as it was).
    """
    known = set(optimizer.state_dict())  # the entries this optimizer writes (SGD adds 'buffer_started')
    unknown = sorted((short_repr(k) for k in state if k not in known), key=str)
    if unknown:
        raise ValueError(f"{where} has unknown {'entry' if len(unknown) == 1 else 'entries'} {', '.join(unknown)} "
                         f"(this {type(optimizer).__name__}'s state holds {', '.join(sorted(known))})")
    for key in ("lr", "steps"):
        if key not in state:
            raise MissingStateEntryError(f"{where} has no {short_repr(key)} entry (state_dict() writes one): not a "
                                         f"whole "
                                         "optimizer state")
    if "param_groups" not in state and "group_steps" in state:
        raise MissingStateEntryError(f"{where} has no 'param_groups' entry but has 'group_steps': a state_dict() "
                                     "with its groups missing (torch: KeyError 'param_groups')")


def _checked_saved_groups(optimizer: Optimizer, state: dict[str, Any], where: str, lr: float) -> list[dict[str, Any]]:
    """The options each group gets from ``state`` (only ``lr`` from a state without ``param_groups``)."""
    saved = state.get("param_groups")
    if saved is None:
        return [{"lr": lr} for _ in optimizer.param_groups]
    if not isinstance(saved, list) or len(saved) != len(optimizer.param_groups):
        count = len(saved) if isinstance(saved, list) else short_repr(saved)
        raise ValueError(f"{where} 'param_groups' has {count} groups, this optimizer {len(optimizer.param_groups)} "
                         "(a loaded state must have the same number of parameter groups)")
    result: list[dict[str, Any]] = []
    for i, (entry, group) in enumerate(zip(saved, optimizer.param_groups)):
        label = f"{where} param_groups[{i}]"
        if not isinstance(entry, dict):
            raise ValueError(f"{label} must be a dict of options, got {type(entry).__name__}")
        optimizer._check_keys(entry, label)
        if "lr" not in entry:  # it used to keep the group's own rate, silently
            raise MissingStateEntryError(f"{label} has no 'lr' (every saved group holds its learning rate)")
        size = len(group["params"])
        if not isinstance(entry.get("params"), list) or len(entry["params"]) != size:
            raise ValueError(f"{label} 'params' must list {size} parameters, as this optimizer's group does "
                             "(a loaded state's groups must match the optimizer's in size)")
        # A switch of torch's missing from the entry (a state saved before they were kept) gets torch's default,
        # as torch's own load gives one; any other missing option keeps the group's.
        options = {k: entry.get(k, IMPLEMENTATION_DEFAULTS[k] if k in IMPLEMENTATION_DEFAULTS else group.get(k, v))
                   for k, v in optimizer.defaults.items()}
        restored = optimizer._checked_options(options, label)
        restored.update(scheduler_entries(entry, label))
        if "param_names" in entry:
            names = entry["param_names"]
            if not isinstance(names, list) or len(names) != size or not all(isinstance(n, str) for n in names):
                raise ValueError(f"{label} 'param_names' must be a list of {size} strings")
            restored["param_names"] = list(names)
        result.append(restored)
    if result[0]["lr"] != lr:
        raise ValueError(f"{where} 'lr' is {short_repr(lr)} but param_groups[0] has lr {result[0]['lr']!r}: "
                         "the file disagrees with itself")
    return result

def _checked_group_steps(optimizer: Optimizer, raw: Any, steps: int, where: str) -> list[int]:
    """Each group's step count from a state (every group ``steps`` in a state written before groups existed)."""
    if raw is None:
        return [steps] * len(optimizer.param_groups)
    if not isinstance(raw, list) or len(raw) != len(optimizer.param_groups):
        raise ValueError(f"{where} 'group_steps' must be a list of {len(optimizer.param_groups)} integers")
    for i, count in enumerate(raw):
        if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= steps:
            raise ValueError(f"{where} 'group_steps' entry {i} must be an integer in [0, steps={steps}], "
                             f"got {short_repr(count)}")
    return list(raw)


def _checked_param_steps(optimizer: Optimizer, raw: Any, group_steps: list[int], steps: int,
                         where: str) -> list[int]:
    """Each parameter's step count from a state (its group's count in a state written before they were kept)."""
    if raw is None:
        counts: list[int] = []
        for group, count in zip(optimizer.param_groups, group_steps):
            counts.extend([count] * len(group["params"]))
        return counts
    if not isinstance(raw, list) or len(raw) != len(optimizer.params):
        raise ValueError(f"{where} 'param_steps' must be a list of {len(optimizer.params)} integers")
    for i, count in enumerate(raw):
        if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= steps:
            raise ValueError(f"{where} 'param_steps' entry {i} must be an integer in [0, steps={steps}], "
                             f"got {short_repr(count)}")
    return list(raw)
