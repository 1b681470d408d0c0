"""The variables a recorded function read, checked on every replay: a rebuilt model is refused.

A tape is compiled from the graph one call of the recorded function built,
so it holds the parameter Values of the model that call used. When the
function reads its model from a variable (``lambda x: model(x)``) and that
variable is later given a new model, replaying would silently keep training
the old parameters while the new model's gradients stay 0. `Bindings` notes
what every such variable held when the function was recorded (the function's
closure cells and the module globals its code names, and the same for the
plain Python functions it calls by name, a few levels deep), when it holds a
model (a Value, a module, Values in lists or dicts, or a function); `Bindings.check`
compares them by identity, a handful of dict lookups per run, and raises
`StructureChanged` naming the variable.
"""

from __future__ import annotations

import types
from collections.abc import Callable, Iterator
from typing import Any

from ..value import Value
from .errors import StructureChanged

_MISSING = object()
_FUNCTIONS = (types.FunctionType, types.MethodType)
_CONTAINERS = (list, tuple, dict)  # searched for Values by `_holds_value`
_DEPTH = 3  # how deep into functions called by name (a helper that calls a helper that reads the model)
_MAX_BINDINGS = 256


class Bindings:
    """What each variable a recorded function reads held at record time; `check` refuses any change."""

    def __init__(self, fn: Callable[..., Any]) -> None:
        """Note every closure cell and global variable ``fn`` (and the functions it names) reads."""
        self._globals: list[tuple[dict[str, Any], str, Any, str]] = []
        self._cells: list[tuple[types.CellType, str, Any, str]] = []
        seen: set[int] = set()
        self._walk(fn, _DEPTH, seen)

    def _walk(self, fn: Any, depth: int, seen: set[int]) -> None:
        if isinstance(fn, types.MethodType):  # record(trainer.loss, ...): the function behind the method
            fn = fn.__func__
        if not isinstance(fn, types.FunctionType) or id(fn) in seen or depth == 0:
            return
        seen.add(id(fn))
        if len(self._globals) + len(self._cells) >= _MAX_BINDINGS:
            return
        # The library's own functions read only its own modules' names, which a user does not rebind.
        if (fn.__module__ or "").split(".")[0] in ("autograd", "nn"):
            return
        where = fn.__qualname__
        for name, cell in zip(fn.__code__.co_freevars, fn.__closure__ or ()):
            try:
                held = cell.cell_contents
            except ValueError:  # an empty cell (a name assigned later in the enclosing function)
                continue
            if _worth_watching(held):
                self._cells.append((cell, name, held, where))
                if isinstance(held, _FUNCTIONS):  # only a function (or method) names further variables
                    self._walk(held, depth - 1, seen)
        scope = fn.__globals__
        for name in _names(fn.__code__):
            held = scope.get(name, _MISSING)
            if held is _MISSING or not _worth_watching(held):
                continue  # a builtin or an attribute name, or plain data (see _worth_watching)
            self._globals.append((scope, name, held, where))
            if isinstance(held, _FUNCTIONS):
                self._walk(held, depth - 1, seen)

    def check(self) -> None:
        """Raise StructureChanged if a variable the recorded function read now holds another object."""
        for scope, name, held, where in self._globals:
            if scope.get(name, _MISSING) is not held:
                _changed(name, where)
        for cell, name, held, where in self._cells:
            try:
                now = cell.cell_contents
            except ValueError:
                now = _MISSING
            if now is not held:
                _changed(name, where)

    def __len__(self) -> int:
        return len(self._globals) + len(self._cells)


def _worth_watching(held: Any) -> bool:
    """Whether ``held`` is a model a variable could be rebuilt to: a Value, a module, a container of Values,
    or a function (which may read one).

    Plain data is left out: a loop variable holding this step's chunk of text is rebound every step,
    and a tape kept for an equal chunk is still valid (numbers the tape baked in are a different matter,
    the subject of the TracerWarning and the branch checks).
    """
    if type(held) in _PLAIN_TYPES and not isinstance(held, _CONTAINERS):  # a number, a string: never watched
        return False
    if isinstance(held, (types.FunctionType, Value)):
        return True
    return _holds_value(held, 3)


def _holds_value(held: Any, depth: int) -> bool:
    """A Value or a module, or a list, tuple or dict with one among its first few items, a few levels down."""
    if isinstance(held, Value) or _has_parameters_method(type(held)):
        return True
    if depth == 0:
        return False
    if isinstance(held, dict):
        items = list(held.values())[:8]
    elif isinstance(held, (list, tuple)):
        items = list(held[:8])
    else:
        return False
    return any(_holds_value(item, depth - 1) for item in items)


#: Types that never have a ``parameters`` method (built-in types cannot be given one): most closure cells hold these.
_PLAIN_TYPES = frozenset({int, float, str, bool, bytes, complex, type(None), range, slice, list, tuple, dict, set,
                          frozenset})


def _has_parameters_method(tp: type) -> bool:
    """``callable(getattr(tp, "parameters", None))`` (a module: it lists its parameters), without the AttributeError
    that getattr makes (and then drops) for a type that has no such attribute: most held objects are of such a type,
    and raising costs about 0.4 us each, several microseconds on cold caches (a 100-node record notes its
    function's variables once; issue 12 goal 1)."""
    if tp in _PLAIN_TYPES:
        return False
    if type(tp) is not type:  # a metaclass may supply attributes of its own: ask getattr
        return callable(getattr(tp, "parameters", None))
    for klass in tp.__mro__:
        if "parameters" in klass.__dict__:
            return callable(getattr(tp, "parameters", None))
    return False


def _names(code: types.CodeType) -> Iterator[str]:
    """Global names ``code`` and the code nested in it (comprehensions, lambdas) may read."""
    yield from code.co_names
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _names(const)


def _changed(name: str, where: str) -> None:
    raise StructureChanged(
        f"{name!r}, read by the recorded function {where}, now holds another object than when the tape was"
        " recorded (a rebuilt model?): the tape would train the old parameters; record the tape again"
    )


__all__ = ["Bindings"]
