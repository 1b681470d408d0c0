"""`Sequential`: modules applied one after another, as torch's ``nn.Sequential``.

``Sequential(Linear(2, 16), ReLU(), Linear(16, 1))`` names its children
``0``, ``1``, ``2`` (so ``state_dict()`` keys start ``0.``, ``2.``, as in
torch); ``Sequential(OrderedDict(fc1=..., act=...))`` names them by the keys.
Indexing, ``len`` and iteration give the modules; ``append``, ``insert``,
``extend``, ``pop``, ``del seq[i]``, ``seq[i] = module``, ``+`` and ``*``
change or combine them as torch's do (deleting renumbers the names 0, 1, ...).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Iterator
from typing import Any, overload

from .module import Module


class Sequential(Module):
    """A chain of modules: the output of each is the input of the next."""

    def __init__(self, *modules: Module | OrderedDict[str, Module]) -> None:
        """The modules in order, or one ``OrderedDict`` of name -> module (torch's two forms)."""
        named: list[tuple[str, Any]]
        if len(modules) == 1 and isinstance(modules[0], OrderedDict):
            named = list(modules[0].items())
        else:
            named = [(str(i), m) for i, m in enumerate(modules)]
        for name, module in named:
            _check_module(module, f"entry {name!r}")
            self.add_module(name, module)
        self._order = [name for name, _ in named]

    def _renamed(self, modules: list[Module]) -> None:
        """Hold ``modules`` as children ``0``, ``1``, ... in that order (torch's numbering after a deletion)."""
        for name in self._order:
            self.__dict__.pop(name, None)
        self._order = []
        for i, module in enumerate(modules):
            self.add_module(str(i), module)
            self._order.append(str(i))

    def _index(self, index: Any) -> int:
        """``index`` (an int, negative counts from the end) as a position; torch's TypeError/IndexError."""
        if isinstance(index, bool) or not isinstance(index, int):
            raise TypeError(f"Sequential indices must be integers or slices, not {type(index).__name__}")
        if not -len(self) <= index < len(self):
            raise IndexError(f"index {index} is out of range")
        return index % len(self)

    def append(self, module: Module) -> Sequential:
        """Add ``module`` at the end, named ``str(len(self))`` as torch's; returns self."""
        _check_module(module, "append's module")
        name = str(len(self))
        self.add_module(name, module)
        if name not in self._order:  # torch's add_module replaces a child of that name (after a dict's names)
            self._order.append(name)
        return self

    def insert(self, index: int, module: Module) -> Sequential:
        """Put ``module`` at position ``index`` (``-len <= index <= len``), the rest moved on; returns self.

        The children are numbered 0, 1, ... afterwards, as torch's (which refuses to insert among named ones).
        """
        _check_module(module, "insert's module")
        if isinstance(index, bool) or not isinstance(index, int):
            raise TypeError(f"Sequential.insert index must be an integer, not {type(index).__name__}")
        n = len(self)
        if not -n <= index <= n:
            raise IndexError(f"Index out of range: {index}")
        modules = list(self)
        modules.insert(index + n if index < 0 else index, module)
        self._renamed(modules)
        return self

    def extend(self, sequential: Iterable[Module]) -> Sequential:
        """`append` each module of ``sequential`` (a Sequential or any iterable of modules); returns self."""
        for module in list(sequential):
            self.append(module)
        return self

    def pop(self, key: int | slice) -> Module | Sequential:
        """Remove and return the module at ``key`` (a Sequential of them for a slice), as torch's."""
        taken = self[key]
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
        _check_module(module, "the new module")
        name = self._order[self._index(index)]
        setattr(self, name, module)

    def __add__(self, other: Sequential) -> Sequential:
        """A new Sequential of this one's modules then ``other``'s (the same module objects), as torch's."""
        if not isinstance(other, Sequential):
            raise ValueError(f"add operator supports only objects of Sequential class, but {type(other)} is given.")
        return Sequential(*self, *other)

    def __iadd__(self, other: Sequential) -> Sequential:
        """`extend` with ``other``'s modules (a Sequential only, as torch's)."""
        if not isinstance(other, Sequential):
            raise ValueError(f"add operator supports only objects of Sequential class, but {type(other)} is given.")
        return self.extend(other)

    def __mul__(self, times: int) -> Sequential:
        """A new Sequential repeating these modules ``times`` times (the same objects: tied weights), as torch's."""
        if isinstance(times, bool) or not isinstance(times, int):
            raise TypeError(f"unsupported operand type(s) for *: {type(self)} and {type(times)}")
        if times <= 0:
            raise ValueError(f"Non-positive multiplication factor {times} for {type(self)}")
        return Sequential(*(list(self) * times))

    def __rmul__(self, times: int) -> Sequential:
        """``times * seq``: as ``seq * times``."""
        return self.__mul__(times)

    def __imul__(self, times: int) -> Sequential:
        """Repeat these modules in place (see `__mul__`)."""
        repeated = self * times
        return self.extend(list(repeated)[len(self):])

    def forward(self, x: Any) -> Any:
        """``x`` through every module in turn."""
        for module in self:
            x = module(x)
        return x

    def __len__(self) -> int:
        """How many modules."""
        return len(self._order)

    def __iter__(self) -> Iterator[Module]:
        """The modules in order."""
        return (getattr(self, name) for name in self._order)

    @overload
    def __getitem__(self, index: int) -> Module: ...

    @overload
    def __getitem__(self, index: slice) -> Sequential: ...

    def __getitem__(self, index: int | slice) -> Module | Sequential:
        """The module at ``index`` (negative counts from the end), or a Sequential of a slice, as torch's."""
        if isinstance(index, slice):
            return Sequential(OrderedDict((name, getattr(self, name)) for name in self._order[index]))
        return getattr(self, self._order[self._index(index)])


def _check_module(module: Any, what: str) -> None:
    """TypeError naming ``what`` unless ``module`` is a Module."""
    if not isinstance(module, Module):
        raise TypeError(f"Sequential: {type(module).__module__}.{type(module).__qualname__} ({what}) "
                        "is not a Module subclass")
