"""What `record` and a `Tape` accept as arguments: each refusal names the argument and what came instead.

Every check runs before anything is recorded or changed, in the calls' own words ("record: fn(x, y) cannot take
the 3 inputs of example"), where the mistake would otherwise fail inside the recording or the generated code.
Value hooks are refused too: a tape replays arithmetic only and calls no hook, so its gradients would differ from
``backward()``'s without a word.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Sequence
from itertools import repeat
from typing import Any, TypeVar

from ..backward import VALUE_HOOKS
from ..value import Value, _as_real
from .errors import ReplayError

T = TypeVar("T")


def refuse_hooked_values(root: Value) -> None:
    """ReplayError naming the first value of ``root``'s graph that has gradient hooks (`Value.register_hook`).

    A tape replays the recorded arithmetic only, so it would return gradients its hooks never saw, unlike
    eager backward: refused, as every other difference between a replay and eager is."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if id(node) in VALUE_HOOKS:
            label = f" {node.label!r}" if node.label else ""
            raise ReplayError(f"record: the graph holds a value with gradient hooks{label} (data={node.data!r}): "
                              "a tape calls no hooks, so its gradients would differ from backward()'s; remove the "
                              "hooks (handle.remove()) before recording, or change the tape's gradients yourself")
        stack.extend(node.parents)


def refuse_hooked_parameters(parameters: Sequence[Value]) -> None:
    """ReplayError naming the first parameter with gradient hooks: one registered after `record` (which refuses
    a hooked graph) would be skipped by every replay, and the gradients added to ``.grad`` differ from
    backward()'s without a word."""
    for k, p in enumerate(parameters):
        if id(p) in VALUE_HOOKS:
            label = f" {p.label!r}" if p.label else ""
            raise ReplayError(f"tape parameter {k}{label} (data={p.data!r}) has gradient hooks, registered after "
                              "recording: a tape calls no hooks, so its gradients would differ from backward()'s; "
                              "remove the hooks (handle.remove()) before replaying")


def refused_as_data(x: Any) -> bool:
    """Whether the engine refuses ``x`` as a Value's data (to name which input of a run it was)."""
    try:
        Value(x)
    except (TypeError, ValueError, OverflowError):
        return True
    return False


def refuse_wrong_arity(fn: Callable[..., Value], count: int) -> None:
    """A TypeError naming ``example``'s length when ``fn`` cannot take that many inputs (rather than the call's
    own message from inside `record`). Functions whose signature Python cannot read are called as they are."""
    try:
        signature = inspect.signature(fn)
    except (TypeError, ValueError):
        return
    try:
        signature.bind(*range(count))
    except TypeError as error:
        raise TypeError(f"record: fn{signature} cannot take the {count} inputs of example ({error})") from None


def refuse_repeats(parameters: Sequence[Value]) -> None:
    """A Value listed twice would get its gradient added twice into its one ``.grad`` by `Tape.run` (the optimizers
    refuse it for the same reason: pass ``model.parameters()``, which lists a tied weight once)."""
    first: dict[Value, int] = {}
    for k, p in enumerate(parameters):
        j = first.setdefault(p, k)
        if j != k:
            raise ReplayError(f"parameter {k} ({describe(p)}) is the same Value as parameter {j}: its gradient"
                              " would be added twice (pass each Value once)")


def refuse_double_roles(constants: Sequence[Value], inputs: Sequence[Value], parameters: Sequence[Value]) -> None:
    """A ReplayError naming a constant that is also an input or a parameter: the tape took it silently as the
    other (a constant ``b`` that was also a parameter was trained), and which was meant cannot be known. Only
    called with constants, so a tape without them pays nothing."""
    # First in C (hash and identity per Value): `record` passes the leaves the function made as constants, so
    # most records come here, and a Python loop over a model's parameters cost 50 us of a 32-neuron record's 300.
    made = set(constants)
    if made.isdisjoint(parameters) and made.isdisjoint(inputs):
        return
    fixed = {v: k for k, v in enumerate(constants)}
    for role, given, note in (("input", inputs, "an input is replaced on every run, a constant never"),
                              ("parameter", parameters, "a Value is either trained or fixed")):
        for k, v in enumerate(given):
            j = fixed.get(v)
            if j is not None:
                raise ReplayError(f"constant {j} ({describe(v)}) is also {role} {k}: {note}; pass it in one of them")


def copy_parameters(given: Iterable[Value]) -> tuple[list[Value], bool]:
    """A list of ``given`` (a TypeError naming the first that is not a Value), and True if every one is a plain
    `Value` leaf. The type and leaf checks are one pass: with a model's many weights out of the CPU caches, each
    pass over them cost about 0.5 us per 33-weight neuron (bench_record's dot graphs)."""
    copy = list(given)  # exactly sized (a comprehension's list keeps room to grow: 8% more)
    if [v._a if v.__class__ is Value else copy for v in copy].count(None) == len(copy):
        return copy, True
    refuse_non_values("parameters", copy)
    return copy, False


def listed(given: Iterable[T]) -> Sequence[T]:
    """``given`` as it is when a list or tuple (what `record` passes), else listed (read once)."""
    return given if type(given) is list or type(given) is tuple else list(given)


def refuse_non_collection(what: str, given: object) -> None:
    """A TypeError naming ``what`` when ``given`` is None, a lone Value, a string, a dict (its keys) or not
    iterable: each failed as "'NoneType' object is not iterable" (or an AttributeError) inside `Tape`."""
    if given is None or isinstance(given, (Value, str, bytes, dict)) or not hasattr(given, "__iter__"):
        of = "Guards" if what == "guards" else "Values"
        raise TypeError(f"Tape: {what} must be a list of {of}, got {type(given).__name__}")


def refuse_non_values(what: str, given: Sequence[object]) -> None:
    """A TypeError naming the first item of ``given`` that is not a Value (checked in bulk: a model's weights are
    most of what a tape is given)."""
    if all(map(isinstance, given, repeat(Value))):
        return
    for k, v in enumerate(given):
        if not isinstance(v, Value):
            raise TypeError(f"{what} must be Values, got {type(v).__name__} at position {k}")


def kind_of(x: object) -> str:
    """``x``'s type name, with the shape of a numpy array (a 0-d array is one number, not a sequence)."""
    shape = getattr(x, "shape", None)
    return f"{type(x).__name__} of shape {shape}" if isinstance(shape, tuple) else type(x).__name__


def sequence_of(items: Any, what: str, of: str) -> Sequence[Any]:
    """``items`` as a sequence (a list, tuple or array as given; another iterable listed), or a TypeError
    naming ``what`` when it is None, a string, a lone Value or not iterable (they failed deep inside), a dict or
    a set (its keys, or no fixed order: ``run_batch({0: xs, 1: ys})`` was read as two 0-d columns 0 and 1), or a
    0-d numpy array (one number: ``len()`` of it failed as "len() of unsized object")."""
    if (items is None or isinstance(items, (str, bytes, Value, dict, set, frozenset))
            or not hasattr(items, "__iter__") or getattr(items, "shape", None) == ()):
        raise TypeError(f"{what} must be a sequence of {of}, got {kind_of(items)}")
    return items if hasattr(items, "__len__") and hasattr(items, "__getitem__") else list(items)


def as_scale(scale: object) -> float:
    """The factor `Tape.run` applies to gradients: a finite real number, else an error naming it (the engine's
    own check: an int past float range was "int too large to convert to float", and numpy's int64 or float32 were
    called no real number)."""
    return _as_real(scale, "scale")


def describe(v: Value) -> str:
    """``v`` as messages name it: by its label, else by its number."""
    return f"Value {v.label!r}" if v.label else f"Value(data={v.data!r})"
