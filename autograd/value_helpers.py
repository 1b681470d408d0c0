"""The op helpers evaluated on `Value`s: the namespace that turns a derivative expression into a graph.

The op table writes each local derivative as an expression over helpers
(``1.0 - out * out``, ``sqrt_grad(out)``, ``step(a)``). Evaluated among the
scalar helpers it gives a number (the first-order backward pass); evaluated
among the Value versions built here it gives a `Value` whose graph records how
the derivative was computed, which can be differentiated again. No op gets a
second, hand-written derivative: the derivative of a derivative comes from the
same rows of the table.

The names come from the one helper list, `autograd.helpers.HELPERS` (as the
numpy namespace of batch replay does). Each helper's Value version is:

- the op of the table whose forward expression is exactly that helper applied
  to its inputs (``exp`` -> the ``exp`` op, ``div`` -> ``div``,
  ``pow_const`` -> ``pow``); a helper you register together with an op
  (``softplus``) is found this way without further work;
- else a Value version written here with `value_version` (the helpers that
  exist only inside derivative expressions: ``pow_const_grad``,
  ``sqrt_grad``, ``tanh_grad``, ``sigmoid_grad``, and the piecewise-constant ``step`` and ``sign``, whose own
  derivative is 0 almost everywhere, as in PyTorch);
- else a function that raises, naming the helper, when a second derivative
  needs it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

from . import ops as _ops
from .helpers import BCE_EPSILON, HELPERS
from .op import INLINE_BACKWARD_UP_TO, Op, as_tuple, compile_function, input_names
from .value import Value, _node, apply

F = TypeVar("F", bound=Callable[..., Any])

# Value versions written by hand, by helper name (helpers with no op of their own).
_VERSIONS: dict[str, Callable[..., Any]] = {}


def value_version(fn: F, name: str | None = None) -> F:
    """Register ``fn`` as the Value version of the helper called ``name`` (default: its own name)."""
    _VERSIONS[name or fn.__name__] = fn
    return fn


def _op_for_helper(name: str) -> Op | None:
    """The registered op whose forward is exactly ``name(a)`` / ``name(a, b)``, if there is one."""
    for op in _ops.OPS.values():
        if op.arity is None or callable(op.forward_code):
            continue
        if op.forward_code.replace(" ", "") == f"{name}({','.join(input_names(op.arity))})":
            return op
    return None


def _applying(op: Op) -> Callable[..., Value]:
    def on_values(*xs: Value | float) -> Value:
        return apply(op, *xs)

    on_values.__name__ = op.name
    return on_values


def _missing(name: str) -> Callable[..., Value]:
    def refuse(*xs: Any) -> Value:
        raise NotImplementedError(
            f"second derivative: helper {name!r} has no Value version; register an op whose forward is"
            f" {name}(a) (register_op), or a Value version (autograd.value_helpers.value_version)"
        )

    return refuse


def value_namespace() -> dict[str, Callable[..., Any]]:
    """The globals derivative expressions are evaluated among on Values: one entry per helper."""
    namespace: dict[str, Callable[..., Any]] = {}
    for name in HELPERS:
        op = _op_for_helper(name)
        if op is not None:
            namespace[name] = _applying(op)
        elif name in _VERSIONS:
            namespace[name] = _VERSIONS[name]
        else:
            namespace[name] = _missing(name)
    return namespace


# Compiled derivative functions on Values, per (op, number of inputs); rebuilt when helpers or ops change.
_CACHE: dict[tuple[Op, int], Callable[..., tuple[Any, ...]]] = {}
_CACHE_KEY: list[tuple[int, int, int]] = [(-1, -1, -1)]
_NAMESPACE: list[dict[str, Callable[..., Any]]] = [{}]


def derivative_on_values(op: Op, n_inputs: int) -> Callable[..., tuple[Any, ...]]:
    """``op``'s local derivatives as a function of (out, *inputs) Values, returning Values or plain floats.

    Compiled from the very expressions of the op's row (file ``<op tanh derivative on Values>``), so a
    traceback through a second derivative shows the row's expression.
    """
    key = (len(HELPERS), len(_ops.OPS), len(_VERSIONS))
    if _CACHE_KEY[0] != key:
        _CACHE.clear()
        _NAMESPACE[0] = value_namespace()
        _CACHE_KEY[0] = key
    fn = _CACHE.get((op, n_inputs))
    if fn is None and n_inputs > INLINE_BACKWARD_UP_TO and op.wide_derivative is not None:
        fn = _CACHE[(op, n_inputs)] = cast(Callable[..., tuple[Any, ...]], op.wide_derivative)  # O(n): see Op
    if fn is None:
        suffix = f", {n_inputs} inputs" if op.arity is None else ""
        fn = compile_function(
            f"<op {op.name} derivative on Values{suffix}>",
            "derivative",
            ["out", *input_names(n_inputs)],
            as_tuple(op.derivative_code_for(n_inputs)),
            namespace=dict(_NAMESPACE[0]),
        )
        _CACHE[(op, n_inputs)] = fn
    return fn


@value_version
def pow_const_grad(a: Value, n: Value) -> Value | float:
    """n a^(n-1) as a graph: ``n * a ** (n - 1)`` with the constant exponent folded."""
    exponent = n.data
    if exponent == 0.0:
        return 0.0
    if a.data == 0.0 and exponent < 1.0:
        raise ZeroDivisionError(f"pow: derivative of {a.data!r} ** {exponent!r} is infinite at zero")
    if exponent == 1.0:
        return 1.0
    if exponent == 2.0:
        return a * exponent  # 2 a, not 2 a^1: the same number, one gate fewer in a drawn gradient graph
    return apply(_ops.POW, a, exponent - 1.0) * exponent


@value_version
def pow_value_base_grad(a: Value, b: Value) -> Value | float:
    """b a^(b-1) as a graph over both (at b = 0 too: its derivative in b there is a^-1, which the op-table test
    checks against central differences). At a = 0: refused for b < 1, where the first derivative is infinite
    or (b = 0) torch's second is NaN (0 ** -1)."""
    if a.data == 0.0 and b.data < 1.0:
        if b.data == 0.0:
            raise ZeroDivisionError(_NO_SECOND_AT_ZERO)
        raise ZeroDivisionError(f"pow: derivative of {a.data!r} ** {b.data!r} in the base is infinite at zero")
    return b * a ** (b - 1.0)


@value_version
def pow_value_exponent_grad(out: Value, a: Value) -> Value | float:
    """a^b log a as a graph. At a = 0 the first derivative is 0 (torch's masked_fill) but its derivative is
    NaN in torch (log 0): refused, as the engine refuses what torch leaves NaN."""
    if a.data == 0.0:
        raise ZeroDivisionError(_NO_SECOND_AT_ZERO)
    return out * apply(_ops.LOG, a)


_NO_SECOND_AT_ZERO = (
    "pow: second derivatives of a power with a Value exponent (x ** y, or a number ** y) are not defined at base 0 "
    "(PyTorch gives NaN): "
    "create_graph=True cannot build this gradient; a plain backward() gives the first derivative"
)


@value_version
def sqrt_grad(out: Value) -> Value:
    """1 / (2 sqrt(a)) as a graph over ``out`` = sqrt(a); infinite at 0, which is refused."""
    if out.data == 0.0:
        raise ZeroDivisionError("sqrt: derivative of sqrt(0.0) is infinite")
    return 0.5 / out


@value_version
def step(a: Value) -> Value:
    """ReLU's derivative as a graph: the `step` op over ``a`` (1 or 0; its own derivative is 0).

    A node of its own rather than a constant, so the gradient still depends on ``a``, as
    PyTorch's is (a ``ThresholdBackward`` node): differentiating it again gives 0, not "unused".
    """
    return apply(_ops.STEP, a)


@value_version
def sign(a: Value) -> Value:
    """|a|'s derivative as a graph: the `sign` op over ``a`` (-1, 0 or 1; its own derivative is 0); see `step`."""
    return apply(_ops.SIGN, a)


@value_version
def tanh_grad(out: Value, a: Value) -> Value:
    """1 - out^2 as a graph over tanh's output (the same number as the scalar helper, up to its last digits)."""
    return 1.0 - out * out


@value_version
def sigmoid_grad(out: Value, a: Value) -> Value:
    """out (1 - out) as a graph over sigmoid's output (see `tanh_grad`)."""
    return out * (1.0 - out)


@value_version
def silu_sigmoid(a: Value) -> Value:
    """SiLU's sigmoid as a node of the silu_sigmoid op over ``a``, holding the scalar helper's number (torch's
    1 / (1 + exp(-a)), 0 below -709.78): differentiated, it is sigmoid's own derivative, out (1 - out) in one
    piece; replayed, the helper's number again (a sigmoid-op node was recomputed by a tape as e^a / (1 + e^a),
    a last bit off). As a graph of ``1 / (1 + exp(-a))`` its derivative was -(1/u)/u times -e^-a, and (1/u)/u
    underflows to 0 once e^-a passes 1e154, so SiLU's second derivative was 0 (not about x e^x) below x = -354."""
    if not isinstance(a, Value):
        return HELPERS["silu_sigmoid"](a)
    return _node(_ops.SILU_SIGMOID, HELPERS["silu_sigmoid"](a.data), a)


@value_version
def softplus_sigmoid(a: Value) -> Value:
    """softplus's derivative as a node of the softplus_sigmoid op over ``a``, holding the scalar helper's number
    (torch's e^a / (e^a + 1)), differentiated as sigmoid's out (1 - out), as `silu_sigmoid`."""
    if not isinstance(a, Value):
        return HELPERS["softplus_sigmoid"](a)
    return _node(_ops.SOFTPLUS_SIGMOID, HELPERS["softplus_sigmoid"](a.data), a)


@value_version
def bce_input_grad(a: Value, b: Value) -> Value:
    """Binary cross-entropy's derivative in the probability as a graph: (a - b) / max((1 - a) a, eps)."""
    return (a - b) / apply(_ops.MAXIMUM, (1.0 - a) * a, BCE_EPSILON)


@value_version
def bce_target_grad(a: Value) -> Value:
    """Its derivative in the target as a graph, -log(a / (1 - a)); refused at a = 0 or 1, where torch's is
    infinite (a plain backward() gives the floored logs' +-100 there)."""
    if not 0.0 < a.data < 1.0:
        raise ZeroDivisionError(f"binary_cross_entropy: the derivative in the target is infinite at probability "
                                f"{a.data!r}: create_graph=True cannot build it")
    return -apply(_ops.LOG, a / (1.0 - a))


@value_version
def log_sigmoid(a: Value) -> Value:
    """log(sigmoid(a)) as a graph, -log1pexp(-a) (the same number as the scalar helper up to its last digits)."""
    return -apply(_ops.LOG1PEXP, -a)


@value_version
def bce_logits_input_grad(a: Value, b: Value) -> Value:
    """binary_cross_entropy_with_logits' derivative in the logit as a graph: sigmoid(a) - b."""
    return apply(_ops.SIGMOID, a) - b


@value_version
def bce_logits_pos_input_grad(a: Value, b: Value, w: Value) -> Value:
    """The same with pos_weight w, as a graph: ((w b + 1) - b) sigmoid(a) - w b."""
    t = w * b
    return ((t + 1.0) - b) * apply(_ops.SIGMOID, a) - t


@value_version
def bce_logits_pos_target_grad(a: Value, w: Value) -> Value:
    """Its derivative in the target as a graph: log_sigmoid(-a) - w log_sigmoid(a)."""
    return log_sigmoid(-a) - w * log_sigmoid(a)


@value_version
def where_positive(c: Value | float, a: Value | float, b: Value | float) -> Value | float:
    """a where c > 0, else b, on Values: the chosen branch itself (a kernel's ``c > 0 ? a : b``: its derivative
    is the chosen branch's, and the condition's is 0, as torch's)."""
    return a if (c.data if isinstance(c, Value) else c) > 0.0 else b


@value_version
def max_share(a: Value, b: Value) -> float:
    """maximum's derivative on Values: 1, 1/2 or 0, a constant (its own derivative is 0 wherever it is defined),
    as torch's gradient of torch.maximum is a mask that does not require grad."""
    return 1.0 if a.data > b.data else 0.5 if a.data == b.data else 0.0



@value_version
def amax_share(x: Value, out: Value, *xs: Value) -> float:
    """largest's derivative on Values: 0 below the largest, else 1 over the number tied with it, a constant (as
    torch's gradient of torch.amax is a mask that does not require grad)."""
    top = out.data
    if x.data < top:
        return 0.0
    return 1.0 / sum(1 for v in xs if not v.data < top)


__all__ = ["derivative_on_values", "value_namespace", "value_version"]
