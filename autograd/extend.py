"""Adding an op from outside the table: `register_op`, and the `Value` methods one-input ops get.

A one-input op of `OPS` without a hand-written `Value` method (``neg``, or
one you register) becomes ``Value.<name>()`` here; any op also works as
``value.apply(op, ...)``. Imported by the package, so the methods exist as
soon as `autograd` does.
"""

from __future__ import annotations

from .ops import OPS, Op
from .value import Value, apply


def register_op(op: Op) -> Op:
    """Add ``op`` to `OPS` (so the op-table tests check it) and, for a one-input op, make it a `Value` method.

    ``Value(x).<op.name>()`` then applies it; a name `Value` already uses for
    something else is refused. Returns ``op``, so a row can be written as
    ``SOFTPLUS = register_op(Op(name="softplus", ...))``.
    """
    if not isinstance(op, Op):
        raise TypeError(f"register_op needs an Op, got {type(op).__name__}")
    known = OPS.get(op.name)
    if known is not None and known is not op:
        raise ValueError(f"an op named {op.name!r} is already registered")
    clash = next((o for o in OPS.values() if o == op and o is not op), None)
    if clash is not None:  # ops compare as their spelling (micrograd's `_op` string): spellings must be unique
        raise ValueError(f"op {op.name!r} is spelled {str(op)!r}, as op {clash.name!r} is: give it micrograd=...")
    if op.arity == 1:
        _install_method(op)
    OPS[op.name] = op
    return op


def _install_method(op: Op) -> None:
    """``Value.<op.name>``, unless Value defines that name itself (the typed methods of the built-in ops)."""
    if not op.name.isidentifier():
        return  # reachable through apply() only
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
