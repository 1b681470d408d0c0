"""`ModuleDict`: modules held by name, as torch's ``nn.ModuleDict`` (its parameters are the model's; no forward).

The names are the children's names (``heads.left.W.0.0`` in ``state_dict()``), kept in insertion order, with
torch's dict methods: ``[]``, ``del``, ``in``, ``len``, iteration over the names, `keys`, `values`, `items`,
`pop`, `clear`, `update`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from .module import Module
from .module_sequence import check_module
from .numbers_in_messages import short_repr


class ModuleDict(Module):
    """Modules by name (torch's ``nn.ModuleDict``); calling it is an error, as torch's has no forward."""

    def __init__(self, modules: Mapping[str, Module] | Iterable[tuple[str, Module]] | None = None) -> None:
        """The ``(name, module)`` pairs of a mapping (in its order) or of an iterable of pairs, or none."""
        # A dict used as an ordered set: a list made every lookup a scan, and values()/items() O(n^2).
        self._keys: dict[str, None] = {}
        if modules is not None:
            self.update(modules)

    def __getitem__(self, key: str) -> Module:
        """The module named ``key``; KeyError if there is none."""
        if key not in self._keys:
            raise KeyError(key if isinstance(key, str) else short_repr(key))  # str() of a 5,000-digit int fails
        module: Module = getattr(self, key)
        return module

    def __setitem__(self, key: str, module: Module) -> None:
        """Hold ``module`` as ``key`` (torch's name checks: a str, no dot, not empty, not a method's name)."""
        check_module(module, "ModuleDict", f"entry {key!r}")
        self.add_module(key, module)
        self._keys.setdefault(key)

    def __delitem__(self, key: str) -> None:
        """Remove the module named ``key``; KeyError if there is none."""
        if key not in self._keys:
            raise KeyError(key if isinstance(key, str) else short_repr(key))  # str() of a 5,000-digit int fails
        del self.__dict__[key]
        del self._keys[key]

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Restore a pickled or copied ModuleDict (one pickled when the names were a list, too)."""
        super().__setstate__(state)
        self._keys = dict.fromkeys(state.get("_keys", ()))

    def __len__(self) -> int:
        """How many modules."""
        return len(self._keys)

    def __iter__(self) -> Iterator[str]:
        """The names, in order."""
        return iter(list(self._keys))

    def __contains__(self, key: object) -> bool:
        """Whether a module is held under ``key``."""
        return key in self._keys

    def keys(self) -> list[str]:
        """The names, in order."""
        return list(self._keys)

    def values(self) -> list[Module]:
        """The modules, in order."""
        return [self[key] for key in self._keys]

    def items(self) -> list[tuple[str, Module]]:
        """``(name, module)`` pairs, in order."""
        return [(key, self[key]) for key in self._keys]

    def pop(self, key: str) -> Module:
        """Remove the module named ``key`` and return it."""
        module = self[key]
        del self[key]
        return module

    def clear(self) -> None:
        """Remove every module."""
        for key in list(self._keys):
            del self[key]

    def update(self, modules: Mapping[str, Module] | Iterable[tuple[str, Module]]) -> None:
        """Add or replace the modules of a mapping, or of an iterable of ``(name, module)`` pairs, as torch's."""
        if isinstance(modules, (Mapping, ModuleDict)):
            for key, module in modules.items():
                self[key] = module
            return
        if isinstance(modules, (str, bytes)) or not isinstance(modules, Iterable):
            raise TypeError(f"ModuleDict.update should be called with an iterable of key/value pairs, but got "
                            f"{type(modules).__name__}")
        for i, pair in enumerate(modules):  # torch's checks, in its words
            if isinstance(pair, (str, bytes)) or not isinstance(pair, Iterable):
                raise TypeError(f"ModuleDict update sequence element #{i} should be Iterable; is "
                                f"{type(pair).__name__}")
            entry: list[Any] = list(pair)
            if len(entry) != 2:
                raise ValueError(f"ModuleDict update sequence element #{i} has length {len(entry)}; 2 is required")
            self[entry[0]] = entry[1]

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        """torch's ModuleDict has no forward: pick a module by name and call it."""
        raise NotImplementedError("ModuleDict has no forward(): call one of its modules (self.heads['name'](x))")
