"""`Module`: PyTorch's conventions for anything that holds parameters.

A module's parameters are the `Value` leaves among its attributes, found the
way PyTorch finds them: attributes that are Values, Modules, or lists/tuples of
those (nested lists give matrix names such as ``Wxh.2.0``). Names are
hierarchical and stable, so ``state_dict()`` and the JSON files written by
`nn.serialization` can be read by a person.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from autograd import Value

from .weights import set_checked


class Module:
    """Base class for neurons, layers, cells and models.

    Subclasses set their Values and sub-Modules as attributes and define
    ``forward``; calling the module calls it, and ``parameters()``,
    ``named_parameters()``, ``zero_grad()``, ``state_dict()`` and
    ``load_state_dict()`` work without more code.
    """

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Run `forward` (PyTorch's convention: call the module, define forward)."""
        return self.forward(*args, **kwargs)

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        """The module's computation; subclasses define it."""
        raise NotImplementedError(f"{type(self).__name__} does not define forward()")

    def named_parameters(self, prefix: str = "") -> Iterator[tuple[str, Value]]:
        """Yield ``(name, value)`` for every parameter, depth first, in attribute order."""
        for name, attr in vars(self).items():
            if name.startswith("_"):
                continue
            yield from _named_values(attr, f"{prefix}{name}")

    def parameters(self) -> list[Value]:
        """Every parameter as a list (micrograd and PyTorch both spell it this way)."""
        return [p for _, p in self.named_parameters()]

    def zero_grad(self) -> None:
        """Set every parameter's ``.grad`` to 0.0 (leaves accumulate across backward calls)."""
        for p in self.parameters():
            p.grad = 0.0

    def num_parameters(self) -> int:
        """How many scalar parameters the module has."""
        return sum(1 for _ in self.named_parameters())

    def state_dict(self) -> dict[str, float]:
        """``{name: data}`` for every parameter, in a stable order."""
        return {name: p.data for name, p in self.named_parameters()}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Set every parameter from ``state``; all-or-nothing.

        Raises ValueError naming the first missing, unexpected or non-finite
        entry, and TypeError for a non-number; the module is left unchanged
        then.
        """
        params = dict(self.named_parameters())
        missing = [name for name in params if name not in state]
        extra = [name for name in state if name not in params]
        if missing:
            raise ValueError(f"state is missing parameter {missing[0]!r} ({len(missing)} missing in all)")
        if extra:
            raise ValueError(f"state has unexpected entry {extra[0]!r} ({len(extra)} unexpected in all)")
        set_checked((f"state entry {name!r}", p, state[name]) for name, p in params.items())

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.num_parameters()} parameters)"


def _named_values(attr: Any, name: str) -> Iterator[tuple[str, Value]]:
    if isinstance(attr, Value):
        yield name, attr
    elif isinstance(attr, Module):
        yield from attr.named_parameters(prefix=f"{name}.")
    elif isinstance(attr, (list, tuple)):
        for i, item in enumerate(attr):
            yield from _named_values(item, f"{name}.{i}")
