"""Adding an op from outside the table: `register_op`, and the `Value` methods one-input ops get.

A one-input op of `OPS` without a hand-written `Value` method (``neg``, or
one you register) becomes ``Value.<name>()`` here; any op also works as
``value.apply(op, ...)``. Imported by the package, so the methods exist as
soon as `autograd` does.
"""

from __future__ import annotations

import keyword
from typing import Any

from .op import input_names
from .ops import OPS, Op
from .shown import short_repr
from .value import Value, _as_real, apply


def register_op(op: Op) -> Op:
    """Add ``op`` to `OPS` (so the op-table tests check it) and, for a one-input op, make it a `Value` method.

    ``Value(x).<op.name>()`` then applies it; a name `Value` already uses for
    something else is refused, and so is a name that is not a Python identifier
    (``"soft plus"``, ``"x-y"``, a keyword such as ``"lambda"``): `Op` documents
    the name as an identifier, and it becomes a method name and a name in
    generated code and pictures. Returns ``op``, so a row can be written as
    ``SOFTPLUS = register_op(Op(name="softplus", ...))``.
    """
    if not isinstance(op, Op):
        raise TypeError(f"register_op needs an Op, got {type(op).__name__}")
    _check_name(op.name)
    known = OPS.get(op.name)
    if known is not None and known is not op:
        raise ValueError(f"an op named {op.name!r} is already registered")
    clash = next((o for o in OPS.values() if o == op and o is not op), None)
    if clash is not None:  # ops compare as their spelling (micrograd's `_op` string): spellings must be unique
        raise ValueError(f"op {op.name!r} is spelled {str(op)!r}, as op {clash.name!r} is: give it micrograd=...")
    _check_results(op)
    if op.arity == 1:
        _install_method(op)
    OPS[op.name] = op
    return op


def _check_name(name: str) -> None:
    """ValueError naming ``name`` unless it is a Python identifier that is not a keyword.

    A name with a space registered, but ``Value(x).soft plus()`` cannot be written, and the name went on into
    the replay's generated code and the pictures' gate labels as it was.
    """
    if not name.isidentifier() or keyword.iskeyword(name):
        why = "a Python keyword" if keyword.iskeyword(name) else "not a Python identifier"
        raise ValueError(f"register_op: op name {short_repr(name)} is {why}: an op's name becomes a Value method "
                         "and a name in generated code, so use letters, digits and underscores, not starting with a"
                         " digit (\"soft_plus\"); the gate's label is symbol=...")


def _check_results(op: Op) -> None:
    """Make a registered op's forward and derivatives refuse a result that is no real number, by name.

    The table's own ops give floats for floats by construction, and the engine's hot paths check only
    finiteness (``v - v != 0.0``), which a complex number passes: a row whose expression calls a helper
    returning ``cmath.sqrt(-1)`` made ``Value(data=1j)`` and complex gradients, and one returning a string
    or None failed deep inside the engine. An int result becomes a float. The checked versions replace the
    compiled ones, so every path of the eager engine (``apply``, the Value method, backward, `grad`) uses them.
    """
    if op.arity is None or getattr(op.forward, "__checked__", False):
        return  # an n-ary row (a function of the fan-in) keeps its compiled code
    arity = op.arity
    raw_forward, raw_derivative = op.forward, op.derivative
    names = input_names(arity)
    derivative_code = op.derivative_code_for(arity)

    def at(xs: tuple[float, ...]) -> str:
        return ", ".join(f"{name} = {x!r}" for name, x in zip(names, xs))

    def forward(*xs: float) -> float:
        out = raw_forward(*xs)
        return out if out.__class__ is float else _real(out, f"op {op.name}: {op.forward_code!r} at {at(xs)}")

    def derivative(out: float, *xs: float) -> tuple[float, ...]:
        partials = tuple(raw_derivative(out, *xs))
        return tuple(d if d.__class__ is float else _real(d, f"op {op.name}: derivative {derivative_code[i]!r} at "
                                                             f"{at(xs)}") for i, d in enumerate(partials))

    def backward(node: Any, g: float) -> None:
        parents = node._a if arity > 2 else (node._a,) if arity == 1 else (node._a, node._b)
        for p, d in zip(parents, derivative(node._data, *[p._data for p in parents])):  # all checked first
            p.grad += g * d

    forward.__checked__ = True  # type: ignore[attr-defined]
    op.forward = op._forwards[arity] = forward
    op.derivative = derivative
    op.backward = op._backwards[arity] = backward


def _real(x: object, what: str) -> float:
    """An op's result as a float: a comparison's bool (a step written ``a > 0``) as 0.0 or 1.0, as it multiplied
    before; anything else by `Value`'s rules (an int converted, complex, None or a string refused naming ``what``)."""
    return float(x) if isinstance(x, bool) else _as_real(x, what)


def _install_method(op: Op) -> None:
    """``Value.<op.name>``, unless Value defines that name itself (the typed methods of the built-in ops)."""
    if not op.name.isidentifier():  # refused by register_op; kept for an Op installed some other way
        return
    existing = getattr(Value, op.name, None)
    if existing is not None and getattr(existing, "__op__", None) is not op:
        if op.name in vars(Value) and OPS.get(op.name) is op:
            return  # a hand-written, typed method for this very op (tanh, exp ...)
        raise ValueError(f"cannot add op {op.name!r} as a Value method: Value.{op.name} already exists")

    def method(self: Value) -> Value:
        return apply(op, self)

    method.__name__ = method.__qualname__ = op.name
    method.__doc__ = f"The {op.name!r} op of the table: {op.forward_code}."
    method.__dict__["__op__"] = op  # a function's attributes live in its __dict__; read back above
    setattr(Value, op.name, method)


for _op in list(OPS.values()):
    if _op.arity == 1:
        _install_method(_op)


__all__ = ["register_op"]
