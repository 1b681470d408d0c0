"""`Sequential`: modules applied one after another, as torch's ``nn.Sequential``.

``Sequential(Linear(2, 16), ReLU(), Linear(16, 1))`` names its children
``0``, ``1``, ``2`` (so ``state_dict()`` keys start ``0.``, ``2.``, as in
torch); ``Sequential(OrderedDict(fc1=..., act=...))`` names them by the keys.
Indexing, ``len`` and iteration give the modules.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
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
            if not isinstance(module, Module):
                raise TypeError(f"Sequential: {type(module).__module__}.{type(module).__qualname__} "
                                f"(entry {name!r}) is not a Module subclass")
            self.add_module(name, module)
        self._order = [name for name, _ in named]

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
        if isinstance(index, bool) or not isinstance(index, int):
            raise TypeError(f"Sequential indices must be integers or slices, not {type(index).__name__}")
        if not -len(self) <= index < len(self):
            raise IndexError(f"index {index} is out of range")
        return getattr(self, self._order[index])
