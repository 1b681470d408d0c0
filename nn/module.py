"""`Module`: PyTorch's conventions for anything that holds parameters.

A module's parameters are the `Value` leaves among its attributes, found the
way PyTorch finds them: attributes that are Values, Modules, or lists/tuples of
those (nested lists give matrix names such as ``Wxh.2.0``). Names are
hierarchical and stable, so ``state_dict()`` and the JSON files written by
`nn.serialization` can be read by a person.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Iterable, Iterator
from typing import Any, NamedTuple

from autograd import Value


class IncompatibleKeys(NamedTuple):
    """What `Module.load_state_dict` returns, as torch's: the names it did not find, and those it did not know."""

    missing_keys: list[str]
    unexpected_keys: list[str]

    def __repr__(self) -> str:
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"  # torch's wording
        return f"IncompatibleKeys(missing_keys={self.missing_keys!r}, unexpected_keys={self.unexpected_keys!r})"


class Module:
    """Base class for neurons, layers, cells and models.

    Subclasses set their Values and sub-Modules as attributes and define
    ``forward``; calling the module calls it, and ``parameters()``,
    ``named_parameters()``, ``zero_grad()``, ``state_dict()`` and
    ``load_state_dict()`` work without more code, as do torch's tree walks
    (``children()``, ``named_modules()``, ``apply(fn)``). There is no
    ``requires_grad_``: a Value has no such flag (every Value records its
    graph); to freeze a weight, leave it out of the optimizer.
    """

    #: True in training mode (the default), False after `eval()`: see `train`.
    training: bool = True

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Run `forward` (PyTorch's convention: call the module, define forward)."""
        return self.forward(*args, **kwargs)

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        """The module's computation; subclasses define it."""
        raise NotImplementedError(f"{type(self).__name__} does not define forward()")

    def train(self, mode: bool = True) -> Module:
        """Put this module and every module inside it in training mode (``mode=False``: evaluation); return self.

        As in PyTorch, this sets ``.training`` on the module and all its
        sub-modules, and returns the module so ``model.train()`` can be chained.
        No valuegrad layer behaves differently in the two modes yet (there is
        no dropout or batch norm): the flag is there for code written for
        torch, and for a subclass's ``forward`` to read.
        """
        if not isinstance(mode, bool):
            raise ValueError(f"training mode is expected to be boolean, got {type(mode).__name__}")
        for module in self.modules():
            module.training = mode
        return self

    def eval(self) -> Module:
        """``train(False)``: evaluation mode for this module and its sub-modules; returns self."""
        return self.train(False)

    def modules(self) -> Iterator[Module]:
        """This module, then every module inside it (in attributes, lists, tuples), each once, depth first."""
        found: list[Module] = [self]
        _collect_modules(self, {id(self)}, found)
        return iter(found)

    def named_children(self) -> Iterator[tuple[str, Module]]:
        """Yield ``(name, module)`` for each module directly inside this one, each once, as torch.

        "Directly" means not inside another Module: a module in an attribute,
        or in a list or tuple attribute (named ``layers.0``, as its parameters
        are, since valuegrad has no ModuleList). A module reachable by two
        names is yielded under the first, as in torch.
        """
        found: list[tuple[str, Module]] = []
        _collect_children(self, "", {id(self)}, set(), found)
        return iter(found)

    def children(self) -> Iterator[Module]:
        """The modules directly inside this one (see `named_children`), each once."""
        return (module for _, module in self.named_children())

    def named_modules(
        self, memo: set[Module] | None = None, prefix: str = "", remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Module]]:
        """Yield ``(name, module)`` for this module (named ``prefix``) and every module inside it, depth first.

        Names join with dots as torch's (``""`` for the root, ``layers.0``,
        ``layers.0.neurons.1``); a module reachable by several paths is
        yielded once under the first name unless ``remove_duplicate=False``.
        ``memo`` (torch's) holds modules already yielded. A module that
        contains itself is not entered again, whatever ``remove_duplicate``.
        """
        if not isinstance(remove_duplicate, bool):
            raise TypeError(f"remove_duplicate must be True or False, got {type(remove_duplicate).__name__}")
        found: list[tuple[str, Module]] = []
        _walk_modules(self, prefix, set() if memo is None else memo, remove_duplicate, set(), found)
        return iter(found)

    def apply(self, fn: Callable[[Module], Any]) -> Module:
        """Call ``fn`` on every sub-module (children first, as torch) and then on this module; return self.

        Typical use is initialisation: ``model.apply(init_fn)``. A module
        reachable by two paths is visited along each, as in torch; a module
        that contains itself is not entered again.
        """
        if not callable(fn):
            raise TypeError(f"apply needs a function of one module, got {type(fn).__name__} {short_repr(fn)}")
        _apply(self, fn, set())
        return self

    def named_parameters(self, prefix: str = "", remove_duplicate: bool = True) -> Iterator[tuple[str, Value]]:
        """Yield ``(name, value)`` for every parameter, depth first, in attribute order.

        A Value reachable by several paths (tied weights, a shared sub-module)
        is yielded once, under the first name found, as in PyTorch; pass
        ``remove_duplicate=False`` to get every name. A module that contains
        itself is not entered again (no endless recursion).
        """
        found: list[tuple[str, Value]] = []
        _collect(self, prefix, set() if remove_duplicate else None, {id(self)}, found)
        return iter(found)

    def parameters(self) -> list[Value]:
        """Every distinct parameter once, as a list (PyTorch de-duplicates tied weights too)."""
        return [p for _, p in self.named_parameters()]

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Set every parameter's ``.grad`` to 0.0 (leaves accumulate across backward calls).

        ``set_to_none`` is accepted for code written for torch, where it frees
        the gradient tensors; a `Value`'s gradient is never None (micrograd's
        convention: ``.grad`` is a number, 0.0 when nothing has flowed, and
        ``backward`` adds to it), so either way it becomes 0.0.
        """
        if not isinstance(set_to_none, bool):
            raise TypeError(f"set_to_none must be True or False, got {type(set_to_none).__name__}")
        for p in self.parameters():
            p.grad = 0.0

    def num_parameters(self) -> int:
        """How many scalar parameters the module has."""
        return sum(1 for _ in self.named_parameters())

    def state_dict(self) -> dict[str, float]:
        """``{name: data}`` for every parameter name, in a stable order.

        As in PyTorch, a tied weight appears under each of its names (so a file
        names every path a reader may look for); `load_state_dict` requires
        those entries to agree.
        """
        return {name: p.data for name, p in self.named_parameters(remove_duplicate=False)}

    def load_state_dict(self, state: dict[str, Any], strict: bool = True) -> IncompatibleKeys:
        """Set parameters from ``state``; all-or-nothing. Returns ``(missing_keys, unexpected_keys)`` as torch.

        With ``strict=True`` (the default) every parameter name must be in
        ``state`` and nothing else: ValueError naming the first missing or
        unexpected entry otherwise. With ``strict=False`` the names present are
        loaded and the others are listed in the result. Either way an entry
        that is too large, non-finite, or not a number (TypeError), or two
        names of one tied weight that disagree, raise; the module is left
        unchanged then.
        """
        if not isinstance(strict, bool):
            raise TypeError(f"strict must be True or False, got {type(strict).__name__}")
        checked, missing, unexpected = self._checked_state(state, strict=strict)
        for p, data in checked:
            p.data = data
        return IncompatibleKeys(missing, unexpected)

    def _checked_state(
        self, state: Any, where: str = "state", strict: bool = True
    ) -> tuple[list[tuple[Value, float]], list[str], list[str]]:
        """Validate ``state`` against this module without changing anything.

        Returns ``(parameter, new data)`` pairs for the caller to assign, so
        a loader can validate a whole file before touching anything, and the
        missing and unexpected names (empty unless ``strict`` is False).
        """
        if not isinstance(state, dict):
            raise TypeError(f"{where} must be a dict of name: number, got {type(state).__name__}")
        names = list(self.named_parameters(remove_duplicate=False))
        missing = [name for name, _ in names if name not in state]
        known = {name for name, _ in names}
        extra = [name for name in state if name not in known]
        if strict and missing:
            raise ValueError(f"{where} is missing parameter {missing[0]!r} ({len(missing)} missing in all)")
        if strict and extra:
            raise ValueError(f"{where} has unexpected entry {short_repr(extra[0])} ({len(extra)} unexpected in all)")
        first_name: dict[int, str] = {}
        chosen: dict[int, tuple[Value, float]] = {}
        for name, p in names:
            if name not in state:
                continue
            data = checked_float(state[name], f"{where} entry {name!r}")
            if id(p) in chosen:
                if chosen[id(p)][1] != data:
                    raise ValueError(
                        f"{where} entries {first_name[id(p)]!r} and {name!r} name one tied weight "
                        f"but hold different numbers ({chosen[id(p)][1]!r} and {data!r})"
                    )
                continue
            first_name[id(p)] = name
            chosen[id(p)] = (p, data)
        return list(chosen.values()), missing, extra

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.num_parameters()} parameters)"


def checked_float(x: Any, what: str) -> float:
    """``x`` as a finite float, or TypeError/ValueError naming ``what``.

    Unlike ``float(x)`` this never prints a huge integer in full (a
    401-digit number in a hostile file becomes "an integer of 401 digits")
    and turns its OverflowError into a ValueError that names the entry.
    """
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(f"{what} must be a real number, got {type(x).__name__} {short_repr(x)}")
    try:
        value = float(x)
    except OverflowError:
        raise ValueError(f"{what}: {short_repr(x)} is too large for a float") from None
    if not math.isfinite(value):
        raise ValueError(f"{what} must be finite, got {value!r}")
    return value


def short_repr(x: Any, limit: int = 60) -> str:
    """A repr for error messages that never runs to thousands of characters."""
    if isinstance(x, int) and not isinstance(x, bool):
        digits = len(str(abs(x))) if abs(x) < 10**4000 else None
        if digits is not None and digits <= 20:
            return repr(x)
        return f"an integer of {digits} digits" if digits is not None else "an integer of over 4,000 digits"
    try:
        text = repr(x)
    except Exception:  # a hostile __repr__ must not replace the real error
        return f"a {type(x).__name__}"
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text)} characters)"


def _collect(
    container: Any, prefix: str, seen: set[Value] | None, path: set[int], out: list[tuple[str, Value]]
) -> None:
    """Append the parameters under a Module, list or tuple to ``out``, named from ``prefix``.

    ``seen`` holds the Values already listed (None: list duplicates too);
    ``path`` holds the containers being walked, so a cycle ends the walk.
    One recursive call per container (not per Value) keeps this about as
    fast as the plain walk it replaced: training loops call it every step.
    """
    if isinstance(container, Module):
        items: Iterable[tuple[Any, Any]] = [(k, v) for k, v in vars(container).items() if not k.startswith("_")]
    else:
        items = enumerate(container)
    for key, child in items:
        if child.__class__ is Value or isinstance(child, Value):
            if seen is not None:
                if child in seen:  # Values hash and compare by identity
                    continue
                seen.add(child)
            out.append((f"{prefix}{key}", child))
        elif isinstance(child, (Module, list, tuple)) and id(child) not in path:
            path.add(id(child))
            _collect(child, f"{prefix}{key}.", seen, path, out)
            path.discard(id(child))


def _collect_modules(container: Any, path: set[int], out: list[Module]) -> None:
    """Append the modules under a Module, list or tuple to ``out``, each once (``path``: ids already met)."""
    items = [v for k, v in vars(container).items() if not k.startswith("_")] if isinstance(container, Module) \
        else list(container)
    for child in items:
        if isinstance(child, (Module, list, tuple)) and id(child) not in path:
            path.add(id(child))
            if isinstance(child, Module):
                out.append(child)
            _collect_modules(child, path, out)


def _collect_children(
    container: Any, prefix: str, path: set[int], seen: set[int] | None, out: list[tuple[str, Module]]
) -> None:
    """Append the modules directly under a Module, list or tuple (not inside another Module) to ``out``.

    ``seen`` holds the ids of modules already listed (None: list a module under each of its names).
    """
    items: Iterable[tuple[Any, Any]] = [(k, v) for k, v in vars(container).items() if not k.startswith("_")] \
        if isinstance(container, Module) else enumerate(container)
    for key, child in items:
        if isinstance(child, Module):
            if id(child) in path or (seen is not None and id(child) in seen):
                continue
            if seen is not None:
                seen.add(id(child))
            out.append((f"{prefix}{key}", child))
        elif isinstance(child, (list, tuple)) and id(child) not in path:
            path.add(id(child))
            _collect_children(child, f"{prefix}{key}.", path, seen, out)
            path.discard(id(child))


def _walk_modules(
    module: Module, prefix: str, memo: set[Module], remove_duplicate: bool, path: set[int],
    out: list[tuple[str, Module]],
) -> None:
    """Append ``(prefix, module)`` and, depth first, its sub-modules with dotted names (torch's named_modules)."""
    if module in memo:
        return
    if remove_duplicate:
        memo.add(module)
    out.append((prefix, module))
    path.add(id(module))
    children: list[tuple[str, Module]] = []
    # Every name of a shared child, as torch walks its _modules; the memo then decides what is yielded.
    _collect_children(module, "", {id(module)}, None, children)
    for name, child in children:
        if id(child) not in path:
            _walk_modules(child, f"{prefix}.{name}" if prefix else name, memo, remove_duplicate, path, out)
    path.discard(id(module))


def _apply(module: Module, fn: Callable[[Module], Any], path: set[int]) -> None:
    """Call ``fn`` on ``module``'s children (recursively), then on ``module``; ``path`` stops cycles."""
    path.add(id(module))
    for child in module.children():
        if id(child) not in path:
            _apply(child, fn, path)
    path.discard(id(module))
    fn(module)
