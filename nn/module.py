"""`Module`: PyTorch's conventions for anything that holds parameters.

A module's parameters are the `Value` leaves among its attributes, found the
way PyTorch finds them: attributes that are Values, Modules, or lists/tuples of
those (nested lists give matrix names such as ``Wxh.2.0``). Names are
hierarchical and stable, so ``state_dict()`` and the JSON files written by
`nn.serialization` can be read by a person.
"""

from __future__ import annotations

import inspect
import numbers
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from types import FunctionType
from typing import Any, NamedTuple

from autograd import Value

from .device_dtype import call_text, check_device, check_dtype, check_to_arguments
from .hooks import EVER_HOOKED, HOOKS, PRE_HOOKS, RemovableHandle, call_with_hooks, register
from .numbers_in_messages import checked_float, short_repr
from .state_dict_positional import from_positions


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
    (``children()``, ``named_modules()``, ``apply(fn)``), and buffers
    (`register_buffer`: numbers saved in ``state_dict()`` that are not
    parameters). ``to("cpu")``, ``to(torch.float64)``, ``double()``,
    ``cpu()`` and ``type(torch.float64)`` return the module itself, as
    torch's do (it is float64 on the CPU already); other dtypes and devices
    are refused, naming what was asked (`nn.device_dtype`).
    ``requires_grad_(False)`` is refused too: a Value has no such switch
    (every Value records its graph); to freeze a weight, leave it out of the
    optimizer.
    """

    #: True in training mode (the default), False after `eval()`: see `train`.
    training: bool = True

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Run `forward` (PyTorch's convention: call the module, define forward), with any forward hooks."""
        if HOOKS in self.__dict__:  # a module that ever had a hook of either kind holds both dicts
            return call_with_hooks(self, args, kwargs)
        return self.forward(*args, **kwargs)

    def register_forward_pre_hook(
        self, hook: Callable[..., Any], *, prepend: bool = False, with_kwargs: bool = False
    ) -> RemovableHandle:
        """Call ``hook(module, args)`` before every forward, as torch's; a result other than None replaces the
        arguments (see `nn.hooks`). Returns a handle whose ``remove()`` takes the hook off."""
        return register(self, PRE_HOOKS, hook, prepend, {"with_kwargs": with_kwargs})

    def register_forward_hook(
        self, hook: Callable[..., Any], *, prepend: bool = False, with_kwargs: bool = False,
        always_call: bool = False,
    ) -> RemovableHandle:
        """Call ``hook(module, args, output)`` after every forward, as torch's; a result other than None
        replaces the output (see `nn.hooks`). Returns a handle whose ``remove()`` takes the hook off."""
        return register(self, HOOKS, hook, prepend, {"with_kwargs": with_kwargs, "always_call": always_call})

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Restore a pickled or copied module; one with forward hooks counts as hooked in this process (see
        `nn.hooks.EVER_HOOKED`: a `Layer` would otherwise skip a loaded neuron's hooks)."""
        self.__dict__.update(state)
        if HOOKS in state:
            EVER_HOOKED[0] += 1

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        """The module's computation; subclasses define it."""
        raise NotImplementedError(f"{type(self).__name__} does not define forward()")

    def train(self, mode: bool = True) -> Module:
        """Put this module and every module inside it in training mode (``mode=False``: evaluation); return self.

        As in PyTorch, this sets ``.training`` on the module and all its
        sub-modules, and returns the module so ``model.train()`` can be chained.
        `Dropout` reads it (the identity in evaluation mode); a subclass's
        ``forward`` may read it too.
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
        are, as a `ModuleList`'s would be). A module reachable by two names is
        yielded under the first, as in torch (``repr`` prints it under each).
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

    def requires_grad_(self, requires_grad: bool = True) -> Module:
        """torch's switch for every parameter; here only ``True`` (what every Value does already): returns self.

        Not ``False``: a `Value` has no requires_grad flag to clear (``p.requires_grad`` is read from the graph:
        a leaf made by the user always records), backward adds into every leaf it reaches, and the optimizers
        step every parameter they were given. So a frozen module would still train; ``requires_grad_(False)``
        raises NotImplementedError saying what does freeze weights here: an optimizer given only the others
        (``SGD([p for p in model.parameters() if p not in set(frozen.parameters())], lr=...)``), or the frozen
        part's output computed under `autograd.no_grad` (or ``.detach()``-ed) so no gradient reaches it.
        """
        if not isinstance(requires_grad, bool):
            raise TypeError(f"requires_grad must be True or False, got {type(requires_grad).__name__}")
        if not requires_grad:
            name = type(self).__name__
            raise NotImplementedError(
                f"{name}.requires_grad_(False): valuegrad's Values have no requires_grad switch (every leaf "
                "records its graph, and backward() fills its .grad), so this cannot freeze them. To freeze "
                f"this {name}'s weights, leave them out of the optimizer: frozen = "
                "set(part.parameters()); opt = SGD([p for p in model.parameters() if p not in frozen], lr=...); "
                "or compute the frozen part's output under autograd.no_grad() (or .detach() it), so no gradient "
                "reaches it")
        return self

    def named_parameters(
        self, prefix: str = "", recurse: bool = True, remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Value]]:
        """Yield ``(name, value)`` for every parameter, depth first, in attribute order.

        A Value reachable by several paths (tied weights, a shared sub-module)
        is yielded once, under the first name found, as in PyTorch; pass
        ``remove_duplicate=False`` to get every name. ``prefix`` is joined to
        every name with a dot and ``recurse=False`` keeps to this module's own
        parameters (not those inside sub-modules), as torch's. A module that
        contains itself is not entered again (no endless recursion).
        """
        _check_flag("recurse", recurse)
        _check_flag("remove_duplicate", remove_duplicate)
        if not isinstance(prefix, str):
            raise TypeError(f"prefix must be a str, got {type(prefix).__name__}")
        found: list[tuple[str, Value]] = []
        _collect(self, f"{prefix}." if prefix else "", set() if remove_duplicate else None, {id(self)}, found,
                 recurse)
        return iter(found)

    def parameters(self, recurse: bool = True) -> Parameters:
        """Every distinct parameter once (PyTorch de-duplicates tied weights too), as `Parameters`.

        A list, as micrograd's (``len(model.parameters())``), that is also an
        iterator as torch's generator is (``next(model.parameters())``).
        ``recurse=False``: this module's own only.
        """
        return Parameters(p for _, p in self.named_parameters(recurse=recurse))

    def add_module(self, name: str, module: Module | None) -> None:
        """Add ``module`` as the sub-module (attribute) ``name``, as torch's; the same as ``self.name = module``.

        TypeError for something that is not a Module (or None) or a name that is not a str; KeyError for an
        empty or dotted name, or one an attribute that is not a module already has (a module is replaced).
        """
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"{_typename(module)} is not a Module subclass")
        _check_new_name(self, name, "module")
        setattr(self, name, module)

    def register_module(self, name: str, module: Module | None) -> None:
        """Alias of `add_module` (torch has both)."""
        self.add_module(name, module)

    def register_parameter(self, name: str, param: Value | None) -> None:
        """Add parameter ``param`` as attribute ``name`` (torch's method, with its checks on the name).

        The same as ``self.name = param``; ``None`` sets the attribute to None
        (no parameter). KeyError for a bad or taken name, TypeError for a
        ``param`` that is not a Value.
        """
        _check_new_name(self, name, "parameter")
        if param is not None and not isinstance(param, Value):
            raise TypeError(f"cannot assign '{type(param).__name__}' object to parameter '{name}' "
                            "(autograd.Value or None required)")
        setattr(self, name, param)

    def register_buffer(self, name: str, value: float | None, persistent: bool = True) -> None:
        """Add a buffer: a number kept with the module, saved in ``state_dict()`` but not a parameter.

        As torch's (a running mean, a step count): read and set it as
        ``self.name``; it is in ``state_dict()`` unless ``persistent=False``,
        loaded by `load_state_dict`, listed by `named_buffers`, and never given
        to an optimizer. ``value`` is a finite real number or None.
        """
        _check_new_name(self, name, "buffer")
        _check_flag("persistent", persistent)
        number = None if value is None else checked_float(value, f"buffer {name!r}")
        buffers = self.__dict__.setdefault("_buffers", {})
        buffers[name] = number
        if not persistent:
            self.__dict__.setdefault("_non_persistent", set()).add(name)

    def __getattr__(self, name: str) -> Any:
        """A buffer by its name (only reached when ``name`` is no ordinary attribute)."""
        buffers = self.__dict__.get("_buffers")
        if buffers is not None and name in buffers:
            return buffers[name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __setattr__(self, name: str, value: Any) -> None:
        """Assigning to a buffer's name sets the buffer (a finite number or None), as in torch."""
        buffers = self.__dict__.get("_buffers")
        if buffers is not None and name in buffers:
            buffers[name] = None if value is None else checked_float(value, f"buffer {name!r}")
        else:
            if isinstance(value, (Module, Value)) and name not in self.__dict__:
                _refuse_hiding_a_method(self, name)
            object.__setattr__(self, name, value)

    def named_buffers(
        self, prefix: str = "", recurse: bool = True, remove_duplicate: bool = True
    ) -> Iterator[tuple[str, float]]:
        """Yield ``(name, number)`` for every buffer that is not None: this module's, then its sub-modules'."""
        _check_flag("recurse", recurse)
        modules = self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate) if recurse \
            else iter([(prefix, self)])
        for module_prefix, module in modules:
            for name, number in module.__dict__.get("_buffers", {}).items():
                if number is not None:
                    yield (f"{module_prefix}.{name}" if module_prefix else name), number

    def buffers(self, recurse: bool = True) -> Iterator[float]:
        """The buffers' numbers (see `named_buffers`)."""
        return (number for _, number in self.named_buffers(recurse=recurse))

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Set every parameter's ``.grad`` to 0.0 (leaves accumulate across backward calls).

        ``set_to_none`` is accepted for code written for torch, where it frees
        the gradient tensors; a `Value`'s gradient is never None (micrograd's
        convention: ``.grad`` is a number, 0.0 when nothing has flowed, and
        ``backward`` adds to it), so either way it becomes 0.0: torch's
        ``set_to_none=False``. The one difference from torch's default: torch's
        optimizers skip a parameter whose gradient is None, ours step it with
        gradient 0 (no change for plain SGD; with momentum, weight decay or
        Adam's moments the parameter still moves, as in torch after
        ``zero_grad(set_to_none=False)``).
        """
        if not isinstance(set_to_none, bool):
            raise TypeError(f"set_to_none must be True or False, got {type(set_to_none).__name__}")
        for p in self.parameters():
            p.grad = 0.0

    def num_parameters(self) -> int:
        """How many scalar parameters the module has."""
        return sum(1 for _ in self.named_parameters())

    def state_dict(
        self, *args: Any, destination: dict[str, Any] | None = None, prefix: str = "", keep_vars: bool = False
    ) -> dict[str, Any]:
        """``{name: data}`` for every parameter name, then the persistent buffers, in a stable order.

        As in PyTorch, a tied weight appears under each of its names (so a file
        names every path a reader may look for); `load_state_dict` requires
        those entries to agree. torch's keywords: ``prefix`` is put before
        every name as given (``prefix="model."``), ``keep_vars=True`` gives the
        parameter Values themselves instead of their numbers, and
        ``destination`` is a dict to fill and return. Given by position (in
        that order) they are taken with torch's FutureWarning.
        """
        destination, prefix, keep_vars = from_positions(args, destination, prefix, keep_vars)
        _check_flag("keep_vars", keep_vars)
        if not isinstance(prefix, str):
            raise TypeError(f"prefix must be a str, got {type(prefix).__name__}")
        if destination is not None and not isinstance(destination, dict):
            raise TypeError(f"destination must be a dict, got {type(destination).__name__}")
        state: dict[str, Any] = {} if destination is None else destination
        for name, entry in self._state_entries():
            state[prefix + name] = entry if keep_vars and isinstance(entry, Value) else entry.data
        return state

    def _state_entries(self) -> list[tuple[str, Value | BufferSlot]]:
        """Every `state_dict` name with its parameter or buffer, in torch's order.

        torch's order: for this module and then each sub-module (depth first,
        under every name of a shared one), its own parameters, then its own
        persistent buffers that are not None.
        """
        entries: list[tuple[str, Value | BufferSlot]] = []
        for module_prefix, module in self.named_modules(remove_duplicate=False):
            dotted = f"{module_prefix}." if module_prefix else ""
            own = module.named_parameters(recurse=False, remove_duplicate=False)
            entries += [(dotted + name, p) for name, p in own]
            skipped = module.__dict__.get("_non_persistent", ())
            for name, number in module.__dict__.get("_buffers", {}).items():
                if number is not None and name not in skipped:
                    entries.append((dotted + name, BufferSlot(module, name)))
        return entries

    def load_state_dict(self, state: dict[str, Any], strict: bool = True, assign: bool = False) -> IncompatibleKeys:
        """Set parameters and buffers from ``state``, all-or-nothing; return ``(missing_keys, unexpected_keys)``.

        With ``strict=True`` (the default) every name must be in ``state`` and
        nothing else: `StateDictError` (a RuntimeError, as torch's, and a
        ValueError) listing them in torch's words otherwise. With
        ``strict=False`` the names present are loaded and the others are listed
        in the result. Either way an entry that is too large, non-finite, or
        not a number (TypeError), an array or tensor with more than one number
        (StateDictError: torch's "size mismatch"), or two names of one tied
        weight that disagree, raise; the module is left unchanged then. A
        one-number tensor or array of shape ``()`` is read as its number, a
        Value (``state_dict(keep_vars=True)``) as its data.

        ``assign=True`` is torch's: a `Value` entry *becomes* the module's
        parameter (every place the old one was held, so tied weights stay
        tied), instead of its number being copied in; an optimizer made before
        then still holds the old parameters, as in torch. A number entry is
        copied into the existing parameter either way: it has no object to
        hand over, and a fresh Value would only cut the optimizer's link
        (torch wraps a plain tensor in a new Parameter because a tensor carries
        dtype and device to keep; a number carries nothing).
        """
        if not isinstance(strict, bool):
            raise TypeError(f"strict must be True or False, got {type(strict).__name__}")
        _check_flag("assign", assign)
        if not isinstance(state, Mapping):  # torch takes any Mapping ("Expected state_dict to be dict-like")
            raise TypeError(f"state must be a dict of name: number, got {type(state).__name__}")
        state = dict(state)  # a MappingProxyType or another read-only Mapping was refused as "not a dict"
        try:
            checked, missing, unexpected = self._checked_state(state, strict=False)
        except StateDictError as err:
            raise StateDictError(f"Error(s) in loading state_dict for {type(self).__name__}:\n\t{err}") from None
        if strict and (missing or unexpected):
            raise StateDictError(_strict_message(type(self).__name__, missing, unexpected))
        replacements: dict[Value, Value] = {}
        if assign:
            for name, old in self._state_entries():
                entry = state.get(name)
                if isinstance(entry, Value) and isinstance(old, Value) and old is not entry:
                    replacements.setdefault(old, entry)  # a tied weight takes its first name's entry
        for p, data in checked:
            if not (isinstance(p, Value) and p in replacements):
                p.data = data
        if replacements:
            for _, module in self.named_modules():
                _swap_parameters(module, replacements, {id(module)})
        return IncompatibleKeys(missing, unexpected)

    def get_submodule(self, target: str) -> Module:
        """The sub-module named ``target`` (``"layers.0"``, ``""`` for self), as torch's; AttributeError if none."""
        if not isinstance(target, str):
            raise TypeError(f"target must be a str, got {type(target).__name__}")
        if target == "":
            return self
        names = dict(self.named_modules(remove_duplicate=False))
        if target in names:
            return names[target]
        # torch's words, naming the first step of the path that is missing (or is no module) below the longest
        # prefix of ``target`` that names a module.
        parts = target.split(".")
        k = max(i for i in range(len(parts)) if ".".join(parts[:i]) in names)
        module, item = names[".".join(parts[:k])], parts[k]
        if hasattr(module, item):
            raise AttributeError(f"`{item}` is not an nn.Module")
        raise AttributeError(f"{type(module).__name__} has no attribute `{item}`")

    def get_parameter(self, target: str) -> Value:
        """The parameter named ``target`` in `named_parameters` (``"0.W.1.2"``), as torch's; AttributeError if none."""
        if not isinstance(target, str):
            raise TypeError(f"target must be a str, got {type(target).__name__}")
        for name, p in self.named_parameters(remove_duplicate=False):
            if name == target:
                return p
        raise AttributeError(f"{type(self).__name__} has no parameter {short_repr(target)}")

    def get_buffer(self, target: str) -> float:
        """The buffer named ``target`` as in `named_buffers`, as torch's; AttributeError if none."""
        if not isinstance(target, str):
            raise TypeError(f"target must be a str, got {type(target).__name__}")
        module_name, _, buffer = target.rpartition(".")
        module = self.get_submodule(module_name)
        buffers = module.__dict__.get("_buffers", {})
        if buffer not in buffers:
            raise AttributeError(f"{type(module).__name__} has no buffer {short_repr(buffer)}")
        number: float = buffers[buffer]
        return number

    def _checked_state(
        self, state: Any, where: str = "state", strict: bool = True
    ) -> tuple[list[tuple[Value | BufferSlot, float]], list[str], list[str]]:
        """Validate ``state`` against this module without changing anything.

        Returns ``(parameter or buffer, new data)`` pairs for the caller to assign, so
        a loader can validate a whole file before touching anything, and the
        missing and unexpected names (empty unless ``strict`` is False).
        """
        if not isinstance(state, dict):
            raise TypeError(f"{where} must be a dict of name: number, got {type(state).__name__}")
        names = self._state_entries()
        missing = [name for name, _ in names if name not in state]
        known = {name for name, _ in names}
        extra = [name for name in state if name not in known]
        if strict and missing:
            raise ValueError(f"{where} is missing parameter {short_repr(missing[0])} ({len(missing)} missing in all)")
        if strict and extra:
            raise ValueError(f"{where} has unexpected entry {short_repr(extra[0])} ({len(extra)} unexpected in all)")
        first_name: dict[int, str] = {}
        chosen: dict[int, tuple[Value | BufferSlot, float]] = {}
        for name, p in names:
            if name not in state:
                continue
            data = entry_number(state[name], f"{where} entry {name!r}", name)
            if id(p) in chosen:
                if chosen[id(p)][1] != data:
                    raise ValueError(
                        f"{where} entries {short_repr(first_name[id(p)])} and {short_repr(name)} name one tied weight "
                        f"but hold different numbers ({chosen[id(p)][1]!r} and {short_repr(data)})"
                    )
                continue
            first_name[id(p)] = name
            chosen[id(p)] = (p, data)
        return list(chosen.values()), missing, extra

    def extra_repr(self) -> str:
        """torch's hook: this module's own settings, printed inside its parentheses by ``repr`` (none here)."""
        return ""

    def __repr__(self) -> str:
        """torch's layout: ``Net(`` then one indented ``(name): child`` line per sub-module, then ``)``.

        A module with no sub-modules prints on one line, ``Linear(in_features=2,
        out_features=3, bias=True)``, from `extra_repr`.
        """
        printing = _PRINTING.__dict__.setdefault("ids", set())
        if id(self) in printing:  # a module holding (a module holding) this one: Python's [...] for a list
            return f"{type(self).__name__}(...)"
        printing.add(id(self))
        try:
            return self._repr_lines()
        finally:
            printing.discard(id(self))

    def _repr_lines(self) -> str:
        """`__repr__`'s text, once the module is marked as being printed."""
        extra = self.extra_repr()
        extra_lines = extra.split("\n") if extra else []
        # Every name a child is held under, as torch's (its _modules keeps a shared module under each name):
        # named_children() lists a shared one once.
        children: list[tuple[str, Module]] = []
        _collect_children(self, "", {id(self)}, None, children)
        child_lines = [f"({name}): " + repr(child).replace("\n", "\n  ") for name, child in children]
        lines = extra_lines + child_lines
        if len(extra_lines) == 1 and not child_lines:
            return f"{type(self).__name__}({extra})"
        if not lines:
            return f"{type(self).__name__}()"
        return f"{type(self).__name__}(\n  " + "\n  ".join(lines) + "\n)"

    # torch's dtype and device conversions. Last in the class: methods named float and type would shadow the
    # builtins in the annotations of any method after them.

    def to(self, *args: Any, **kwargs: Any) -> Module:
        """torch's ``module.to(device, dtype)``: ``to("cpu")``, ``to(torch.float64)``, ``to(device="cpu",
        dtype=torch.float64)`` or ``to(tensor)`` return this module itself, as torch's (it is float64 on the
        CPU already); float32, half, "cuda", "mps" and the like raise `nn.device_dtype.UnsupportedConversion`
        naming what was asked and why (a scalar float64 engine), never leaving a module that is not what the
        caller asked for."""
        check_to_arguments(args, kwargs, call_text(type(self).__name__, "to", args, kwargs))
        return self

    def cpu(self) -> Module:
        """torch's ``module.cpu()``: this module itself (every Value is on the CPU)."""
        return self

    def double(self) -> Module:
        """torch's ``module.double()``: this module itself (every Value is a float64)."""
        return self

    def float(self) -> Module:
        """torch's ``module.float()`` (float32): refused with `UnsupportedConversion`, a scalar float64 engine."""
        check_dtype("float32", call_text(type(self).__name__, "float"))
        return self

    def half(self) -> Module:
        """torch's ``module.half()`` (float16): refused with `UnsupportedConversion`, a scalar float64 engine."""
        check_dtype("float16", call_text(type(self).__name__, "half"))
        return self

    def bfloat16(self) -> Module:
        """torch's ``module.bfloat16()``: refused with `UnsupportedConversion`, a scalar float64 engine."""
        check_dtype("bfloat16", call_text(type(self).__name__, "bfloat16"))
        return self

    def cuda(self, device: Any = None) -> Module:
        """torch's ``module.cuda()``: refused with `UnsupportedConversion` (every Value is on the CPU)."""
        asked = call_text(type(self).__name__, "cuda", () if device is None else (device,))
        # Whatever the device: torch's cuda("cpu") is "Invalid device, must be cuda device", never a CPU module.
        check_device(f"cuda:{device}" if type(device) is int and 0 <= device < 2**63 else "cuda", asked)
        return self

    def type(self, dst_type: Any) -> Module:
        """torch's ``module.type(dst_type)``: this module itself for float64 (``torch.float64``,
        ``"torch.DoubleTensor"``); another dtype raises `UnsupportedConversion`, naming it. As torch's, a string
        is a tensor type's name: ``type("float64")`` and ``type(float)`` are its ValueError "invalid type"."""
        asked = call_text(type(self).__name__, "type", (dst_type,))
        if type(dst_type).__module__.startswith("numpy"):  # np.dtype('float64'): torch's TypeError
            raise TypeError(f"{asked}: dtype must be a type, str, or dtype object (torch's words): a torch dtype, "
                            f"torch.float64, not numpy's {short_repr(dst_type)}")
        if isinstance(dst_type, type) or (isinstance(dst_type, str) and not
                                          re.fullmatch(r"torch\.(cuda\.)?[A-Za-z0-9]+Tensor", dst_type)):
            raise ValueError(f"{asked}: invalid type: {short_repr(dst_type)} (torch's words: type() takes a "
                             "torch dtype, torch.float64, or a tensor type's name, 'torch.DoubleTensor')")
        if isinstance(dst_type, str) and ".cuda." in dst_type:  # "torch.cuda.DoubleTensor": a GPU tensor type
            check_device("cuda", asked)
        check_dtype(dst_type.rsplit(".", 1)[-1] if isinstance(dst_type, str) else dst_type, asked)
        return self


class BufferSlot:
    """A buffer as a place to assign, as a parameter is: ``slot.data = x`` sets buffer ``buffer`` of ``owner``."""

    def __init__(self, owner: Module, buffer: str) -> None:
        """Buffer ``buffer`` of module ``owner``."""
        self.owner = owner
        self.buffer = buffer

    @property
    def data(self) -> float | None:
        """The buffer's number."""
        number: float | None = self.owner.__dict__["_buffers"][self.buffer]
        return number

    @data.setter
    def data(self, value: float) -> None:
        self.owner.__dict__["_buffers"][self.buffer] = value


class StateDictError(RuntimeError, ValueError):
    """`Module.load_state_dict` refused ``state``: a RuntimeError as torch's (its words too), and a ValueError."""


#: The modules each thread is printing (by id): a cycle of modules is printed once round, then ``Name(...)``.
_PRINTING = threading.local()


def _strict_message(owner: str, missing: list[str], unexpected: list[str]) -> str:
    """torch's message for names missing from or unknown to a strict load."""
    errors = []
    if missing:
        errors.append(f"Missing key(s) in state_dict: {', '.join(repr_key(k) for k in missing)}. ")
    if unexpected:
        errors.append(f"Unexpected key(s) in state_dict: {', '.join(repr_key(k) for k in unexpected)}. ")
    return f"Error(s) in loading state_dict for {owner}:\n\t" + "\n\t".join(errors)


def repr_key(key: Any) -> str:
    """A state_dict key in double quotes, as torch prints it (shortened when huge)."""
    return f'"{key}"' if isinstance(key, str) and len(key) <= 200 else short_repr(key)


def entry_number(x: Any, what: str, name: str) -> float:
    """A state_dict entry as a finite float: a number, a Value, or a one-number array/tensor of shape ``()``.

    A Value is read by its data: ``state_dict(keep_vars=True)`` holds the
    parameters themselves, and torch loads such a dict too. An array or tensor
    of any other shape is torch's "size mismatch" (`StateDictError`): every
    parameter here is one number.
    """
    if isinstance(x, Value):
        x = x.data
    shape = getattr(x, "shape", None)
    if shape is not None and not isinstance(x, numbers.Real) and callable(getattr(x, "item", None)):
        if tuple(shape) != ():
            raise StateDictError(f"size mismatch for {name}: copying a param with shape {tuple(shape)} from "
                                 "checkpoint, the shape in current model is () (one number)")
        x = x.item()
    return checked_float(x, what)


def _check_flag(name: str, value: Any) -> None:
    """TypeError unless ``value`` is True or False."""
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False, got {type(value).__name__}")


class Parameters(list[Value]):
    """A module's parameters: a list (micrograd's ``parameters()``) that ``next()`` also walks, as torch's generator.

    ``next(model.parameters())`` gives the first parameter, the next call on the same object the second, and
    so on; ``for``, ``len``, indexing and ``list(...)`` behave as for any list (a ``for`` loop always starts
    from the first).
    """

    def __next__(self) -> Value:
        """The parameter after the one the previous ``next()`` on this object gave (StopIteration past the end)."""
        position = self.__dict__.get("_position", 0)
        if position >= len(self):
            raise StopIteration
        self.__dict__["_position"] = position + 1
        return self[position]


def _typename(x: Any) -> str:
    """torch.typename's spelling of ``x``'s class: ``int`` for a builtin, ``module.Class`` otherwise."""
    kind = type(x)
    return kind.__qualname__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"


def _refuse_hiding_a_method(module: Module, name: str) -> None:
    """torch's KeyError for a Module or parameter assigned to the name of one of ``module``'s methods.

    Stored there it would hide the method (``m.parameters = ReLU()`` broke
    ``m.parameters()``); torch refuses a Parameter so and registers a Module
    while the method stays visible, a half-done assignment: both refused here.
    """
    if isinstance(inspect.getattr_static(type(module), name, None), (FunctionType, staticmethod, classmethod)):
        raise KeyError(f"attribute '{name}' already exists: it is the method {type(module).__name__}.{name}, "
                       "which this would hide; choose another name")


def _check_new_name(module: Module, name: Any, kind: str) -> None:
    """torch's checks on a parameter's or buffer's name: a str, not empty, no dot, not already an attribute."""
    if not isinstance(name, str):
        raise TypeError(f"{kind} name should be a string. Got {type(name).__name__}")
    if "." in name:
        raise KeyError(f'{kind} name can\'t contain "."')
    if name == "":
        raise KeyError(f'{kind} name can\'t be empty string ""')
    if name.startswith("_"):
        raise KeyError(f"{kind} name {short_repr(name)} starts with '_': such attributes are not {kind}s here")
    replaceable = {"parameter": Value, "module": Module}.get(kind)  # torch replaces a parameter/module of the name
    taken = name in module.__dict__.get("_buffers", {}) or (hasattr(module, name) and not (
        replaceable is not None and (getattr(module, name, None) is None
                                     or isinstance(getattr(module, name), replaceable))))
    if taken:
        raise KeyError(f"attribute '{name}' already exists")


def _collect(
    module: Module, prefix: str, seen: set[Value] | None, path: set[int], out: list[tuple[str, Value]],
    recurse: bool = True,
) -> None:
    """Append the parameters of ``module`` to ``out``, named from ``prefix``, in torch's order.

    torch's order: the module's own parameters (in attributes, lists and
    tuples) first, then each sub-module's, depth first, whatever the order of
    the attributes. ``seen`` holds the Values already listed (None: list
    duplicates too); ``path`` holds the containers being walked, so a cycle
    ends the walk. ``recurse=False`` lists the own parameters only.
    """
    children: list[tuple[str, Module]] = []
    _collect_own(module, prefix, seen, path, out, children)
    if recurse:
        for name, child in children:
            if id(child) not in path:
                path.add(id(child))
                _collect(child, f"{name}.", seen, path, out)
                path.discard(id(child))


def _collect_own(
    container: Any, prefix: str, seen: set[Value] | None, path: set[int], out: list[tuple[str, Value]],
    children: list[tuple[str, Module]],
) -> None:
    """Append the Values under a Module, list or tuple, not inside another Module, to ``out``.

    The sub-Modules met on the way go to ``children`` with their names. One
    call per container (not per Value) keeps this fast: training loops call
    `Module.parameters` every step.
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
        elif isinstance(child, Module):
            children.append((f"{prefix}{key}", child))
        elif isinstance(child, (list, tuple)) and id(child) not in path:
            path.add(id(child))
            _collect_own(child, f"{prefix}{key}.", seen, path, out, children)
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


def _swap_parameters(container: Any, new: dict[Value, Value], path: set[int]) -> Any:
    """Put ``new[p]`` wherever a Value ``p`` in ``new`` is held by ``container`` (not inside a sub-Module).

    Lists change in place; a tuple holding one is rebuilt, so the result is
    what the caller must keep (the same object unless it is a changed tuple).
    ``path`` holds the containers being walked, so a cycle ends the walk.
    """
    if isinstance(container, Module):
        for key, child in [(k, v) for k, v in vars(container).items() if not k.startswith("_")]:
            swapped = _swapped(child, new, path)
            if swapped is not child:
                object.__setattr__(container, key, swapped)
        return container
    if isinstance(container, list):
        for i, child in enumerate(container):
            swapped = _swapped(child, new, path)
            if swapped is not child:
                container[i] = swapped
        return container
    items = [_swapped(child, new, path) for child in container]
    if all(a is b for a, b in zip(items, container)):
        return container
    # A named tuple is rebuilt by its fields, a plain tuple from the items.
    return type(container)(*items) if hasattr(container, "_fields") else type(container)(items)


def _swapped(child: Any, new: dict[Value, Value], path: set[int]) -> Any:
    """``child`` with the Values in ``new`` replaced: a Value, or a list/tuple walked by `_swap_parameters`."""
    if isinstance(child, Value):
        return new.get(child, child)
    if isinstance(child, (list, tuple)) and not isinstance(child, Module) and id(child) not in path:
        path.add(id(child))
        try:
            return _swap_parameters(child, new, path)
        finally:
            path.discard(id(child))
    return child


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
