"""Optimizer state across the bridge: our optimizer's state as a torch ``optimizer.state_dict()`` and back.

    torch_opt.load_state_dict(optimizer_state_to_torch(optimizer, model, module))
    optimizer.load_state_dict(optimizer_state_from_torch(torch_opt.state_dict(), optimizer, model, module))

``module`` is the PyTorch counterpart of ``model`` (`to_torch` / `from_torch`)
and the torch optimizer holds ``module.parameters()`` split into groups as
ours are (within a group, in ``module.parameters()`` order). Each of our scalar parameters is one entry of a
torch tensor (`links`), so every state buffer (``momentum_buffer``,
``exp_avg``, ``exp_avg_sq``, ``max_exp_avg_sq``, ``sum``) crosses entry by
entry, bit for bit in float64. Step counts are per parameter here, per tensor in
torch: the entries of one tensor must agree (they do unless some entries'
gradients alone were set to None, which a torch tensor cannot express). A
recurrent cell's one bias is torch's two (``bias_ih`` and ``bias_hh``): both
get its state, and coming back the two must agree.
"""

from __future__ import annotations

import math
from typing import Any

import torch
from torch import nn

from ..module import Module
from ..numbers_in_messages import short_repr
from ..optim import SGD, Adagrad, Adam, Optimizer
from .links import links
from .shapes import layout_of_module

#: torch's name of each state buffer -> ours, per optimizer (AdamW is an Adam).
_BUFFERS: dict[type, dict[str, str]] = {
    SGD: {"momentum_buffer": "velocity"},
    Adam: {"exp_avg": "m", "exp_avg_sq": "v", "max_exp_avg_sq": "v_max"},
    Adagrad: {"sum": "memory"},
}


#: Options only a torch optimizer of that kind keeps in each group: a state without them is another kind's.
_KIND_OPTIONS: dict[type, tuple[str, ...]] = {
    SGD: ("momentum", "dampening", "nesterov"),
    Adam: ("betas", "amsgrad"),
    Adagrad: ("lr_decay", "initial_accumulator_value"),
}


def _refuse_another_kind(their_groups: list[dict[str, Any]], optimizer: Optimizer) -> None:
    """ValueError when a torch group lacks an option every torch optimizer of ``optimizer``'s kind keeps."""
    for kind, options in _KIND_OPTIONS.items():
        if isinstance(optimizer, kind):
            for g, group in enumerate(their_groups):
                missing = [o for o in options if o not in group]
                if missing:
                    raise ValueError(f"torch_state is not a torch {kind.__name__}'s state: its param_groups[{g}] "
                                     f"has no {', '.join(repr(o) for o in missing)} (another optimizer's state?)")


def _buffer_names(optimizer: Optimizer) -> dict[str, str]:
    for kind, names in _BUFFERS.items():
        if isinstance(optimizer, kind):
            return names
    raise TypeError(f"no torch counterpart known for the state of {type(optimizer).__name__}")


#: Per optimizer parameter, its places in torch: (index in ``module.parameters()``, entry index).
Places = list[list[tuple[int, tuple[int, ...]]]]


def _placement(optimizer: Optimizer, model: Module, module: nn.Module) -> tuple[Places, list[str], list[list[int]]]:
    """Where each optimizer parameter lives in torch, the torch parameter names, and each group's torch indices.

    Returns, per optimizer parameter, its ``(torch parameter number, entry index)`` places (two for a
    recurrent bias), numbered as torch's state_dict numbers them (group by group, each group's tensors in
    ``module.parameters()`` order); torch's parameter names by that number; and per group, its numbers.
    ValueError when a torch tensor is split across groups or not wholly in the optimizer.
    """
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"optimizer must be one of our optimizers, got {type(optimizer).__name__}")
    if not isinstance(model, Module):
        raise TypeError(f"model must be one of our models, got {type(model).__name__}")
    layout = layout_of_module(module)  # first: TypeError naming a module that is not one
    torch_names = [name for name, _ in module.named_parameters()]
    position = {name: k for k, name in enumerate(torch_names)}
    by_value: dict[int, list[tuple[int, tuple[int, ...]]]] = {}
    try:
        for link in links(model, layout):
            places = [(position[link.torch_name], link.index)]
            if link.partner is not None:
                places.append((position[link.partner], link.index))
            by_value[id(link.value)] = places
    except KeyError as missing:  # a parameter name the module does not have
        raise ValueError(f"module ({type(module).__name__}) is not the PyTorch counterpart of model "
                         f"({type(model).__name__}): it has no parameter {missing}") from None
    placement: Places = []
    group_of_tensor: dict[int, int] = {}
    counted: dict[int, int] = {}
    start = 0
    for g, group in enumerate(optimizer.param_groups):
        for i, p in enumerate(group["params"], start=start):
            if id(p) not in by_value:
                raise ValueError(f"{optimizer.describe(i)} is not a parameter of the model")
            placement.append(by_value[id(p)])
            for k, _ in by_value[id(p)]:
                if group_of_tensor.setdefault(k, g) != g:
                    raise ValueError(f"torch's {torch_names[k]} would be split between param_groups"
                                     f"[{group_of_tensor[k]}] and param_groups[{g}]: a torch tensor has one group")
                counted[k] = counted.get(k, 0) + 1
        start += len(group["params"])
    for k, (name, tensor) in enumerate(module.named_parameters()):
        if counted.get(k, 0) != tensor.numel():
            raise ValueError(f"torch's {name} is only partly in the optimizer ({counted.get(k, 0)} of "
                             f"{tensor.numel()} entries): a torch optimizer steps whole tensors")
    # torch numbers the parameters of its state_dict in order of appearance: group by group.
    by_group = [sorted(k for k, g in group_of_tensor.items() if g == index)
                for index in range(len(optimizer.param_groups))]
    order = [k for ks in by_group for k in ks]
    number = {k: n for n, k in enumerate(order)}
    placement = [[(number[k], index) for k, index in places] for places in placement]
    groups = [[number[k] for k in ks] for ks in by_group]
    return placement, [torch_names[k] for k in order], groups


def optimizer_state_to_torch(optimizer: Optimizer, model: Module, module: nn.Module) -> dict[str, Any]:
    """Our ``optimizer``'s state (its parameters are ``model``'s) as the ``state_dict()`` of a torch optimizer
    of the same kind over ``module.parameters()``, ready for its ``load_state_dict``."""
    names = _buffer_names(optimizer)
    placement, torch_names, groups = _placement(optimizer, model, module)
    tensors = dict(module.named_parameters())  # by name: torch_names is in torch's state_dict numbering
    snapshot = optimizer.state  # torch's names, per parameter
    state: dict[int, dict[str, Any]] = {}
    kept: dict[int, tuple[int, dict[str, float]]] = {}  # per tensor: the first entry's parameter and state
    for i, p in enumerate(optimizer.params):
        for k, index in placement[i]:
            first, theirs = kept.setdefault(k, (i, snapshot[p]))
            if snapshot[p].keys() != theirs.keys() or snapshot[p].get("step") != theirs.get("step"):
                raise ValueError(f"{optimizer.describe(i)} and {optimizer.describe(first)} are entries of torch's "
                                 f"{torch_names[k]} but have taken different steps (state {sorted(snapshot[p])} "
                                 f"step {snapshot[p].get('step')}, state {sorted(theirs)} step {theirs.get('step')}):"
                                 " a torch tensor has one step count")
            entry = state.setdefault(k, {})
            for key, number in snapshot[p].items():
                if key == "step":
                    entry["step"] = torch.tensor(number, dtype=_step_dtype())
                    continue
                if key not in names:
                    continue
                if key not in entry:
                    param = tensors[torch_names[k]]
                    entry[key] = torch.zeros_like(param, dtype=torch.float64, memory_format=torch.contiguous_format)
                entry[key][index] = number
    param_groups = []
    for group, indices in zip(optimizer.param_groups, groups):
        packed = {k: v for k, v in group.items() if k not in ("params", "param_names")}
        packed["params"] = indices
        param_groups.append(packed)
    return {"state": {k: state[k] for k in sorted(state) if state[k]}, "param_groups": param_groups}


def optimizer_state_from_torch(
    torch_state: dict[str, Any], optimizer: Optimizer, model: Module, module: nn.Module
) -> dict[str, Any]:
    """A torch optimizer's ``state_dict()`` (over ``module.parameters()``) as our ``optimizer``'s state_dict.

    Pass the result to ``optimizer.load_state_dict``, which checks every
    number. ValueError when the groups do not correspond, when the two torch
    biases of one of our recurrent biases hold different state. Each torch tensor's ``step`` becomes the
    step count of each of its entries (torch's SGD keeps none: ours are kept).
    """
    names = _buffer_names(optimizer)
    placement, torch_names, groups = _placement(optimizer, model, module)
    if not isinstance(torch_state, dict):  # None or a list: a wrong type (was a ValueError)
        raise TypeError(f"torch_state must be a torch optimizer's state_dict() (a dict), got"
                        f" {type(torch_state).__name__} {short_repr(torch_state)}")
    if not {"state", "param_groups"} <= set(torch_state):
        raise ValueError(f"torch_state must be a torch optimizer's state_dict(), got {short_repr(torch_state)}")
    their_groups = torch_state["param_groups"]
    _refuse_another_kind(their_groups, optimizer)
    if len(their_groups) != len(groups) or any(list(t.get("params", [])) != mine
                                               for t, mine in zip(their_groups, groups)):
        raise ValueError("the torch optimizer's param_groups do not hold module.parameters() split as this "
                         f"optimizer's groups are (expected params {groups})")
    ours = optimizer.state_dict()
    buffers = {name: list(values) for name, values in ours["buffers"].items()}
    saved = torch_state["state"]
    if not isinstance(saved, dict):
        raise TypeError(f"torch_state['state'] must be a dict, got {type(saved).__name__}")
    shapes = {name: tuple(p.shape) for name, p in module.named_parameters()}
    for k, entry in saved.items():
        if isinstance(k, int) and 0 <= k < len(torch_names):
            _check_entry(entry, k, torch_names[k], shapes[torch_names[k]], names)
    param_steps: list[int] = list(ours["param_steps"])
    started: list[bool] = []
    for i in range(len(optimizer.params)):
        steps: set[int] = set()
        found: dict[str, float] = {}
        for k, index in placement[i]:
            entry = saved.get(k, {})
            if "step" in entry:
                steps.add(_step_count(entry["step"], torch_names[k]))
            for key, ours_name in names.items():
                if key in entry and entry[key] is not None:
                    number = float(entry[key][index])
                    if found.setdefault(ours_name, number) != number:
                        raise ValueError(f"torch's {torch_names[k]} and its partner bias hold different "
                                         f"{key} at {index}: our cell has one bias, with one state")
        if len(steps) > 1:
            raise ValueError(f"torch's {' and '.join(torch_names[k] for k, _ in placement[i])} have taken different "
                             f"numbers of steps {sorted(steps)}: our cell has one bias, with one step count")
        if steps:
            param_steps[i] = steps.pop()
        elif not isinstance(optimizer, SGD):  # torch has no state for it: it has not stepped
            param_steps[i] = 0
        started.append("velocity" in found)
        for name, number in found.items():
            if name not in buffers:
                buffers[name] = [0.0] * len(optimizer.params)
            buffers[name][i] = number
    group_steps: list[int] = []
    start = 0
    for group in optimizer.param_groups:
        group_steps.append(max(param_steps[start:start + len(group["params"])], default=0))
        start += len(group["params"])
    new_groups = []
    for mine, theirs in zip(ours["param_groups"], their_groups):
        merged = {k: theirs.get(k, v) for k, v in mine.items() if k != "params"}
        merged["params"] = mine["params"]
        new_groups.append(merged)
    result = dict(ours, buffers=buffers, param_groups=new_groups, group_steps=group_steps, param_steps=param_steps,
                  steps=max([ours["steps"], *param_steps]), lr=new_groups[0]["lr"])
    if isinstance(optimizer, SGD):
        result["param_buffer_started"] = started
        result.pop("buffer_started", None)  # per group, and superseded by the per-parameter flags
    return result


def _check_entry(entry: object, k: int, name: str, shape: tuple[int, ...], buffers: dict[str, str]) -> None:
    """TypeError or ValueError naming a state entry that is not a dict, or a buffer that is not a finite tensor
    of its parameter's shape (its entries would be read at the wrong places, past its end, or as NaN)."""
    if not isinstance(entry, dict):
        raise TypeError(f"torch_state: state[{k}] must be a dict of tensors, got {type(entry).__name__}")
    for key in buffers:
        tensor = entry.get(key)
        if tensor is None:  # torch's SGD keeps momentum_buffer None while momentum is 0
            continue
        if not isinstance(tensor, torch.Tensor):
            raise TypeError(f"{key} of torch's {name} must be a tensor, got {type(tensor).__name__}")
        if tuple(tensor.shape) != shape:
            raise ValueError(f"{key} of torch's {name} has shape {tuple(tensor.shape)}, not the parameter's {shape}")
        if tensor.is_complex() or not tensor.is_floating_point():
            raise TypeError(f"{key} of torch's {name} must be a real floating-point tensor, got {tensor.dtype}")
        bad = ~torch.isfinite(tensor)
        if bool(bad.any()):
            where = [int(i) for i in bad.nonzero()[0]]
            raise ValueError(f"{key} of torch's {name}{where} is {float(tensor[tuple(where)])!r}, "
                             "not a finite number")


def _step_count(step: object, name: str) -> int:
    """torch's per-tensor ``step`` (a tensor or a number) as a count; TypeError or ValueError naming it."""
    if isinstance(step, torch.Tensor) and step.numel() == 1 and not step.is_complex():
        number = float(step.item())
    elif isinstance(step, (int, float)) and not isinstance(step, bool):
        number = float(step)
    else:
        raise TypeError(f"step of torch's {name} must be a number or a one-element tensor, got {type(step).__name__}")
    if not (math.isfinite(number) and number >= 0 and number == int(number)):
        raise ValueError(f"step of torch's {name} must be a whole number >= 0, got {short_repr(number)}")
    return int(number)


def _step_dtype() -> torch.dtype:
    """The dtype torch's optimizers keep ``step`` in (float32 unless the default dtype is float64)."""
    return torch.float64 if torch.get_default_dtype() == torch.float64 else torch.float32
