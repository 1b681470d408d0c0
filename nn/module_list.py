"""`ModuleList`: modules held in a list, as torch's ``nn.ModuleList`` (named ``0``, ``1``, ..., no forward).

A plain list attribute of modules is walked the same way (``layers.0``);
ModuleList adds torch's list methods (see `nn.module_sequence`), ``+`` with
any iterable of modules, and torch's ``repr``, which folds a run of equal
modules into one line, ``(0-2): 3 x Linear(...)``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, overload

from .module import Module
from .module_sequence import ModuleSequence


class ModuleList(ModuleSequence):
    """A list of modules whose parameters are the model's (torch's ``nn.ModuleList``); calling it is an error."""

    def __init__(self, modules: Iterable[Module] | None = None) -> None:
        """The modules of ``modules`` (any iterable of modules), in order, or none."""
        self._order = []
        if modules is not None:
            self.extend(modules)

    def insert(self, index: int, module: Module) -> None:
        """Put ``module`` at position ``index`` (``-len <= index <= len``), the rest moved on; None, as torch's."""
        self._insert(index, module)

    @overload
    def __getitem__(self, index: int) -> Module: ...

    @overload
    def __getitem__(self, index: slice) -> ModuleList: ...

    def __getitem__(self, index: int | slice) -> Module | ModuleList:
        """The module at ``index`` (negative counts from the end), or a new ModuleList of a slice (renumbered)."""
        if isinstance(index, slice):
            return ModuleList(list(self)[index])
        return getattr(self, self._order[self._index(index)])

    def __add__(self, other: Iterable[Module]) -> ModuleList:
        """A new ModuleList of these modules then ``other``'s (any iterable of modules), as torch's."""
        if not isinstance(other, Iterable):
            # Python's "unsupported operand type(s) for +", not the unpacking's "Value after * must be an iterable"
            return NotImplemented
        return ModuleList([*self, *other])

    def __iadd__(self, other: Iterable[Module]) -> ModuleList:
        """`extend` (any iterable of modules)."""
        extended: ModuleList = self.extend(other)
        return extended

    def _repr_lines(self) -> str:
        """torch's: one ``(i): module`` line per module, a run of equal ones folded into ``(i-j): n x module``
        (called by `Module.__repr__`, which prints a module already being printed as ``ModuleList(...)``)."""
        reprs = [repr(module) for module in self]
        if not reprs:
            return f"{type(self).__name__}()"
        runs: list[tuple[int, int, str]] = []
        for i, text in enumerate(reprs):
            if runs and runs[-1][2] == text:
                runs[-1] = (runs[-1][0], i, text)
            else:
                runs.append((i, i, text))
        lines = [(f"({start}): " if start == end else f"({start}-{end}): {end - start + 1} x ") + text.replace(
            "\n", "\n  ") for start, end, text in runs]
        return f"{type(self).__name__}(\n  " + "\n  ".join(lines) + "\n)"

    def extra_repr(self) -> str:
        """Nothing: the modules are printed by `__repr__`."""
        return ""

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        """torch's ModuleList has no forward: iterate over it instead."""
        raise NotImplementedError("ModuleList has no forward(): call the modules in it (for layer in self.layers: "
                                  "x = layer(x))")
