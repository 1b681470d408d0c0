"""The variables a recorded function read, checked on every replay: a rebuilt model is refused.

A tape is compiled from the graph one call of the recorded function built,
so it holds the parameter Values of the model that call used. When the
function reads its model from a variable (``lambda x: model(x)``) and that
variable is later given a new model, replaying would silently keep training
the old parameters while the new model's gradients stay 0. `snapshot` notes
what every such variable held when the function was recorded (the function's
closure cells and the module globals its code names, and the same for the
plain Python functions it calls by name, a few levels deep); `Bindings.check`
compares them by identity, a handful of dict lookups per run, and raises
`StructureChanged` naming the variable.
"""

from __future__ import annotations

import types
from collections.abc import Callable, Iterator
from typing import Any

from .errors import StructureChanged

_MISSING = object()
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
            self._cells.append((cell, name, held, where))
            self._walk(held, depth - 1, seen)
        scope = fn.__globals__
        for name in _names(fn.__code__):
            held = scope.get(name, _MISSING)
            if held is _MISSING or isinstance(held, types.ModuleType):
                continue  # a builtin or an attribute name; modules are not rebuilt
            self._globals.append((scope, name, held, where))
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
