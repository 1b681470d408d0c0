"""Forward hooks as torch's: `Module.register_forward_pre_hook`, `Module.register_forward_hook`, handles.

A pre-hook is called as ``hook(module, args)`` before ``forward`` and may return new positional
arguments (a tuple, or one value that becomes a 1-tuple); a forward hook is called as
``hook(module, args, output)`` after it and may return a new output. With ``with_kwargs=True`` they
also get the keyword arguments (``hook(module, args, kwargs)`` returning None or ``(args, kwargs)``;
``hook(module, args, kwargs, output)``). Hooks run in registration order (``prepend=True`` puts one
first); a forward hook registered with ``always_call=True`` runs even when ``forward`` raises (torch's
rule), and the error is raised after it. Each registration returns a `RemovableHandle` (the class
``Value.register_hook`` returns too).

The hooks live in the module's ``_forward_pre_hooks`` / ``_forward_hooks`` dicts (attributes starting with
an underscore, so no parameter walk or state_dict sees them); a module that never had one is called
without looking further (`Module.__call__` checks for the dict; `Layer` calls a neuron's forward directly
unless it has one).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from autograd.value_hooks import RemovableHandle

from .numbers_in_messages import short_repr

PRE_HOOKS = "_forward_pre_hooks"
HOOKS = "_forward_hooks"
#: How many modules have ever had a hook in this process: while 0, `Layer` calls its neurons without looking
#: for hooks in each one (a dict lookup per neuron cost about 3% of an MLP's forward).
EVER_HOOKED = [0]


def register(
    module: Any, kind: str, hook: Callable[..., Any], prepend: bool, flags: dict[str, bool]
) -> RemovableHandle:
    """Add ``hook`` (with its ``flags``) to ``module``'s hooks of ``kind``; the handle that removes it."""
    if not callable(hook):
        raise TypeError(f"a hook must be callable, got {type(hook).__name__}")
    for name, flag in (("prepend", prepend), *flags.items()):
        if not isinstance(flag, bool):
            raise TypeError(f"{name} must be True or False, got {type(flag).__name__}")
    # Both dicts at once: `Module.__call__` then looks for one name only.
    if HOOKS not in module.__dict__:
        EVER_HOOKED[0] += 1
    module.__dict__.setdefault(PRE_HOOKS, {})
    module.__dict__.setdefault(HOOKS, {})
    hooks: dict[int, tuple[Callable[..., Any], dict[str, bool]]] = module.__dict__[kind]
    handle = RemovableHandle(hooks)
    hooks[handle.id] = (hook, flags)
    if prepend:
        rest = [(k, v) for k, v in hooks.items() if k != handle.id]
        hooks.clear()
        hooks[handle.id] = (hook, flags)
        hooks.update(rest)
    return handle


def call_with_hooks(module: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """``module.forward(*args, **kwargs)`` with the module's pre-hooks before and forward hooks after."""
    for hook, flags in list(module.__dict__.get(PRE_HOOKS, {}).values()):
        if flags["with_kwargs"]:
            result = hook(module, args, kwargs)
            if result is not None:
                if not (isinstance(result, tuple) and len(result) == 2):
                    raise RuntimeError("forward pre-hook must return None or a tuple of (new_args, new_kwargs), "
                                       f"but got {short_repr(result)}.")  # torch's words
                args, kwargs = result
                args = args if isinstance(args, tuple) else (args,)
        else:
            result = hook(module, args)
            if result is not None:
                args = result if isinstance(result, tuple) else (result,)
    forward_hooks = list(module.__dict__.get(HOOKS, {}).values())
    try:
        output = module.forward(*args, **kwargs)
    except Exception:
        for hook, flags in forward_hooks:
            if flags["always_call"]:
                try:
                    _call_forward_hook(module, hook, flags, args, kwargs, None)
                except Exception:  # noqa: BLE001, S110 - the forward's own error is the one to raise
                    pass
        raise
    for hook, flags in forward_hooks:
        result = _call_forward_hook(module, hook, flags, args, kwargs, output)
        if result is not None:
            output = result
    return output


def _call_forward_hook(module: Any, hook: Callable[..., Any], flags: dict[str, bool], args: tuple[Any, ...],
                       kwargs: dict[str, Any], output: Any) -> Any:
    if flags["with_kwargs"]:
        return hook(module, args, kwargs, output)
    return hook(module, args, output)
