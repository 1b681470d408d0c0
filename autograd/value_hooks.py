"""``Value.register_hook(fn)``, torch's tensor hooks: ``fn(grad)`` runs when the value's gradient is complete.

During a backward pass (``backward()``, ``grad()``, ``create_graph=True``) each hook of a value is
called with the gradient reaching it, once every consumer has passed its share on; a result other than
None replaces that gradient, for what flows on to the value's parents and, for a leaf, for what is added
to its ``.grad`` (torch's order: a leaf's hooks run before the accumulation). Hooks run in registration
order; `RemovableHandle.remove` takes one off.

A tape of `autograd.replay` replays the recorded arithmetic only and calls no hook, so `record` refuses a
graph that holds a hooked value (its gradients would silently differ from eager's).

Cost when no hook is registered: none per node. The table of hooks (`autograd.backward.VALUE_HOOKS`) is
checked once per pass; only when it holds anything does the pass take the loop that looks at every node
(without the sweep's inlined steps). A hooked value becomes a `Hooked` value (a subclass without extra
slots), whose entry in the table is dropped when it is freed: the table holds no reference to it, so an
interior value with a hook does not keep its graph alive.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from .backward import VALUE_HOOKS
from .value import Constant, Untracked, Value

_IDS = itertools.count()


class RemovableHandle:
    """What registering a hook returns: ``handle.remove()`` takes the hook off (again: nothing), as torch's.

    Also a context manager that removes the hook on leaving the block; ``id`` is the hook's number.
    """

    def __init__(self, hooks: dict[int, Any], table: dict[int, Any] | None = None, key: int = 0) -> None:
        """A handle for the next hook to go into ``hooks`` (a dict of hook number to hook); ``hooks`` is
        ``table[key]`` when given, an entry the last removal takes out of ``table``."""
        self.id = next(_IDS)
        self._hooks = hooks
        self._table = table
        self._key = key

    def remove(self) -> None:
        """Take the hook off; removing twice is allowed and does nothing."""
        self._hooks.pop(self.id, None)
        # An empty entry left in the table would send every later backward pass down the hooks' slower sweep.
        if self._table is not None and not self._hooks and self._table.get(self._key) is self._hooks:
            del self._table[self._key]

    def __enter__(self) -> RemovableHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()


class Hooked(Value):
    """A Value with gradient hooks: the same slots; freeing it drops its hooks from the table."""

    __slots__ = ()

    def __del__(self) -> None:
        try:
            VALUE_HOOKS.pop(id(self), None)
        except Exception:  # noqa: BLE001, S110 - at interpreter shutdown the table may be gone already
            pass


def register_hook(value: Value, fn: Callable[[Any], Any]) -> RemovableHandle:
    """Add ``fn`` to ``value``'s gradient hooks (see the module's notes); the handle that removes it."""
    if not callable(fn):
        raise TypeError(f"register_hook needs a function of the gradient, got {type(fn).__name__}")
    if isinstance(value, (Constant, Untracked)):
        what = "a constant the engine made from a number" if isinstance(value, Constant) \
            else "computed under no_grad()"
        raise RuntimeError(f"cannot register a hook on a Value that doesn't require gradient: it is {what}")
    if value.__class__ is Value:
        value.__class__ = Hooked
    elif not isinstance(value, Hooked):
        raise TypeError(f"register_hook: hooks are for Values, not for {type(value).__name__} (a Value subclass)")
    hooks = VALUE_HOOKS.setdefault(id(value), {})
    handle = RemovableHandle(hooks, VALUE_HOOKS, id(value))
    hooks[handle.id] = fn
    return handle


__all__ = ["Hooked", "RemovableHandle", "register_hook"]
