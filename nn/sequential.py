"""`Sequential`: modules applied one after another, as torch's ``nn.Sequential``.

``Sequential(Linear(2, 16), ReLU(), Linear(16, 1))`` names its children
``0``, ``1``, ``2`` (so ``state_dict()`` keys start ``0.``, ``2.``, as in
torch); ``Sequential(OrderedDict(fc1=..., act=...))`` names them by the keys.
Indexing, ``len`` and iteration give the modules; ``append``, ``insert``,
``extend``, ``pop``, ``del seq[i]``, ``seq[i] = module``, ``+`` and ``*``
change or combine them as torch's do (deleting renumbers the names 0, 1, ...;
see `nn.module_sequence`).
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, overload

from .module import Module
from .module_sequence import ModuleSequence


class Sequential(ModuleSequence):
    """A chain of modules: the output of each is the input of the next."""

    _calls_children = True

    def __init__(self, *modules: Module | OrderedDict[str, Module]) -> None:
        """The modules in order, or one ``OrderedDict`` of name -> module (torch's two forms)."""
        named: list[tuple[str, Any]]
        if len(modules) == 1 and isinstance(modules[0], OrderedDict):
            named = list(modules[0].items())
        else:
            named = [(str(i), m) for i, m in enumerate(modules)]
        self._hold(named)

    def forward(self, x: Any) -> Any:
        """``x`` through every module in turn."""
        for module in self:
            x = module(x)
        return x

    def insert(self, index: int, module: Module) -> Sequential:
        """Put ``module`` at position ``index`` (``-len <= index <= len``), the rest moved on; returns self.

        The children are numbered 0, 1, ... afterwards, as torch's (which refuses to insert among named ones).
        """
        self._insert(index, module)
        return self

    @overload
    def __getitem__(self, index: int) -> Module: ...

    @overload
    def __getitem__(self, index: slice) -> Sequential: ...

    def __getitem__(self, index: int | slice) -> Module | Sequential:
        """The module at ``index`` (negative counts from the end), or a Sequential of a slice, as torch's."""
        if isinstance(index, slice):
            return Sequential(OrderedDict((name, getattr(self, name)) for name in self._order[index]))
        return getattr(self, self._order[self._index(index)])

    def __add__(self, other: Sequential) -> Sequential:
        """A new Sequential of this one's modules then ``other``'s (the same module objects), as torch's."""
        if not isinstance(other, Sequential):
            raise ValueError(f"add operator supports only objects of Sequential class, but {type(other)} is given.")
        return Sequential(*self, *other)

    def __iadd__(self, other: Sequential) -> Sequential:
        """`extend` with ``other``'s modules (a Sequential only, as torch's)."""
        if not isinstance(other, Sequential):
            raise ValueError(f"add operator supports only objects of Sequential class, but {type(other)} is given.")
        extended: Sequential = self.extend(other)
        return extended

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
        extended: Sequential = self.extend(list(repeated)[len(self):])
        return extended
