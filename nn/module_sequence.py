"""`ModuleSequence`: the list behaviour `Sequential` and `ModuleList` share, as torch's two containers have it.

Children are held as attributes named ``0``, ``1``, ... (or a dict's names,
for `Sequential`) in an order of their own, so ``named_children()``,
``state_dict()`` keys and ``repr`` follow it. Indexing (negative from the
end), ``len``, iteration, ``seq[i] = module``, ``del seq[i]`` (slices too;
the rest are renumbered 0, 1, ... as torch's), `append`, `insert`, `extend`
and `pop` work as torch's.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Iterator
from typing import Any

from .module import Module
from .numbers_in_messages import short_repr


def check_module(module: Any, who: str, what: str) -> None:
    """TypeError naming the container ``who`` and ``what`` unless ``module`` is a Module."""
    if not isinstance(module, Module):
        raise TypeError(f"{who}: {type(module).__module__}.{type(module).__qualname__} ({what}) "
                        "is not a Module subclass")


class ModuleSequence(Module):
    """Base class of `Sequential` and `ModuleList`: children in order, with torch's list methods."""

    _order: list[str]
    #: Whether the container calls the modules it holds (Sequential's forward): then it may not hold itself.
    _calls_children = False

    def _check_new(self, module: Any, what: str) -> None:
        """`check_module`, and for a container that calls its modules, a ValueError when ``module`` is this one
        or holds it: its forward would call itself until RecursionError."""
        check_module(module, type(self).__name__, what)
        if self._calls_children and any(m is self for m in module.modules()):
            name = type(self).__name__
            raise ValueError(f"{name} cannot hold itself ({what} is this {name} or holds it): its forward would "
                             "call itself without end")

    def _hold(self, named: Iterable[tuple[str, Any]]) -> None:
        """Hold the ``(name, module)`` pairs as the children, in that order (each checked to be a Module)."""
        pairs = list(named)
        for name, module in pairs:
            check_module(module, type(self).__name__, f"entry {name!r}")
        for name in self.__dict__.get("_order", []):
            self.__dict__.pop(name, None)
        self._order = []
        held: set[str] = set()  # "name not in self._order" made holding n modules O(n^2): minutes at 100,000
        for name, module in pairs:
            self.add_module(name, module)
            if name not in held:
                held.add(name)
                self._order.append(name)

    def _renamed(self, modules: list[Module]) -> None:
        """Hold ``modules`` as children ``0``, ``1``, ... in that order (torch's numbering after a deletion)."""
        self._hold((str(i), module) for i, module in enumerate(modules))

    def _index(self, index: Any) -> int:
        """``index`` (an int, negative counts from the end) as a position; torch's TypeError/IndexError."""
        # Any integer type, numpy's and a bool too (True is 1), as torch takes it through operator.index.
        if not isinstance(index, numbers.Integral):
            raise TypeError(f"{type(self).__name__} indices must be integers or slices, not {type(index).__name__}")
        index = int(index)
        if not -len(self) <= index < len(self):
            raise IndexError(f"index {short_repr(index)} is out of range")
        return index % len(self)

    def __len__(self) -> int:
        """How many modules."""
        return len(self._order)

    def __iter__(self) -> Iterator[Module]:
        """The modules in order."""
        return (getattr(self, name) for name in self._order)

    def append(self, module: Module) -> Any:
        """Add ``module`` at the end, named ``str(len(self))`` as torch's; returns self."""
        self._check_new(module, "append's module")
        name = str(len(self))
        # Only a name already an attribute can be in the order: the dict lookup spares the list scan that made
        # n appends O(n^2).
        taken = name in self.__dict__
        self.add_module(name, module)
        if not taken or name not in self._order:  # torch's add_module replaces a child of that name
            self._order.append(name)
        return self

    def _insert(self, index: int, module: Module) -> None:
        """Put ``module`` at position ``index`` (``-len <= index <= len``), the rest moved on and renumbered."""
        self._check_new(module, "insert's module")
        # A bool is the int it equals, as list.insert takes it (torch's stores the module under 'True').
        if not isinstance(index, numbers.Integral):
            raise TypeError(f"{type(self).__name__}.insert index must be an integer, not {type(index).__name__}")
        index = int(index)
        n = len(self)
        if not -n <= index <= n:
            raise IndexError(f"Index out of range: {short_repr(index)}")
        modules = list(self)
        modules.insert(index + n if index < 0 else index, module)
        self._renamed(modules)

    def extend(self, modules: Iterable[Module]) -> Any:
        """`append` each module of ``modules`` (any iterable of modules); returns self."""
        if isinstance(modules, Module) and not isinstance(modules, ModuleSequence) or \
                not isinstance(modules, Iterable):
            raise TypeError(f"{type(self).__name__}.extend should be called with an iterable, but got "
                            f"{type(modules).__name__}")
        for module in list(modules):
            self.append(module)
        return self

    def pop(self, key: int | slice) -> Any:
        """Remove and return the module at ``key`` (a container of them for a slice), as torch's."""
        taken = self[key]  # type: ignore[index]
        del self[key]
        return taken

    def __delitem__(self, index: int | slice) -> None:
        """Remove the module(s) at ``index``; the rest are renumbered 0, 1, ... as torch's."""
        modules = list(self)
        if isinstance(index, slice):
            del modules[index]
        else:
            del modules[self._index(index)]
        self._renamed(modules)

    def __setitem__(self, index: int, module: Module) -> None:
        """Replace the module at ``index``, keeping its name, as torch's."""
        self._check_new(module, "the new module")
        name = self._order[self._index(index)]
        setattr(self, name, module)
