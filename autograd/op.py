"""`Op`: one differentiable operation, written as code a debugger can show.

An op is two pieces of source: a forward expression (its value, from inputs
``a``, ``b`` or ``x0 .. xn``) and one local-derivative expression per input
(which may also use ``out``, the op's value). Both are compiled into Python
functions whose file is named after the op (``<op tanh>``) and whose source
is registered with `linecache`: a traceback (the `traceback` module,
pytest, ``pdb``, an IDE; the bare interpreter's own hook from Python 3.13)
shows ``return tanh(a)`` rather than a line of nothing.
"""

from __future__ import annotations

import ast
import linecache
from collections.abc import Callable, Sequence
from typing import Any

from .helpers import HELPERS, scalar_namespace

Derivative = Callable[..., Sequence[float]]
CodeForN = Callable[[int], str]
DerivativesForN = Callable[[int], tuple[str, ...]]
Interval = tuple[float, float]


def input_names(arity: int) -> list[str]:
    """The names expressions use for their inputs: a, b for one or two inputs, else x0, x1, ..."""
    return ["a", "b"][:arity] if arity <= 2 else [f"x{i}" for i in range(arity)]


class Op:
    """One differentiable operation, written once as code (a row of the op table).

    Keyword arguments (and attributes):
        name: identifier used in reprs, error messages, `OPS` and, for a
            one-input op, the `Value` method.
        symbol: the gate label the renderer draws (the slides' notation).
        forward: the value as an expression of the inputs; for n-ary ops
            (sum, dot), a function from the number of inputs to that expression.
        derivatives: one expression per input for d(out)/d(input), which may
            use ``out``; for n-ary ops, a function of the number of inputs.
            The number of expressions is the op's arity.
        domain: for each input, an interval ``(low, high)`` where the op is
            smooth; the tests sample inputs from it.
        reference: an independent formula for the value (not using the
            helpers), which the tests compare ``forward`` against.
        constant_args: how many trailing inputs are constants the op is not
            differentiated against (the exponent of ``x ** 2``).

    The compiled functions are the attributes ``forward`` (inputs -> value)
    and ``derivative`` (out, inputs -> tuple of local derivatives); the source
    text stays in ``forward_code`` and ``derivative_code``.
    """

    __slots__ = ("name", "symbol", "arity", "forward_code", "derivative_code", "domain", "reference",
                 "constant_args", "forward", "derivative")

    name: str
    symbol: str
    arity: int | None
    forward_code: str | CodeForN
    derivative_code: tuple[str, ...] | DerivativesForN
    domain: tuple[Interval, ...]
    reference: Callable[..., float] | None
    constant_args: int
    forward: Callable[..., float]
    derivative: Derivative

    def __init__(
        self,
        *,
        name: str,
        symbol: str,
        forward: str | CodeForN,
        derivatives: Sequence[str] | DerivativesForN,
        domain: Sequence[Interval] = (),
        reference: Callable[..., float] | None = None,
        constant_args: int = 0,
    ) -> None:
        """Compile the row's expressions; a syntax error names the op and shows the expression."""
        self.name = name
        self.symbol = symbol
        self.domain = tuple(domain)
        self.reference = reference
        self.constant_args = constant_args
        self.forward_code = forward
        if callable(derivatives):
            self.arity = None
            self.derivative_code = derivatives
            self.forward, self.derivative = _nary_functions(self)
        else:
            if callable(forward):
                raise TypeError(f"op {name}: a forward function of n needs derivatives that are one too")
            self.derivative_code = tuple(derivatives)
            self.arity = len(self.derivative_code)
            names = input_names(self.arity)
            _check_names(name, forward, names)
            for expression in self.derivative_code:
                _check_names(name, expression, ["out", *names])
            self.forward = compile_function(f"<op {name}>", "forward", names, forward)
            self.derivative = compile_function(f"<op {name} derivative>", "derivative", ["out", *names],
                                               as_tuple(self.derivative_code))

    def forward_code_for(self, n: int) -> str:
        """The forward expression for ``n`` inputs."""
        return self.forward_code(n) if callable(self.forward_code) else self.forward_code

    def derivative_code_for(self, n: int) -> tuple[str, ...]:
        """The local-derivative expressions for ``n`` inputs."""
        return self.derivative_code(n) if callable(self.derivative_code) else self.derivative_code

    def __repr__(self) -> str:
        return f"Op({self.name!r})"


def _check_names(op: str, expression: str, variables: Sequence[str]) -> None:
    """Refuse an expression naming something that is neither one of ``variables`` nor a registered helper."""
    try:
        tree = ast.parse(expression, mode="eval")
    except SyntaxError as error:
        raise SyntaxError(f"op {op}: cannot compile {expression!r}: {error.msg}") from None
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id not in variables and node.id not in HELPERS:
            raise NameError(
                f"op {op}: {expression!r} uses {node.id!r}, which is neither an input ({', '.join(variables)})"
                " nor a helper: register the function with @helper first"
            )


def register_source(filename: str, source: str) -> None:
    """Let tracebacks and debuggers show generated ``source`` for code compiled under ``filename``."""
    # mtime None marks an entry that linecache.checkcache must keep (there is no file to re-check).
    linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)


def compile_function(
    filename: str, function: str, args: Sequence[str], expression: str, namespace: dict[str, object] | None = None
) -> Callable:
    """``def function(args): return expression``, compiled under ``filename`` among the helpers."""
    source = f"def {function}({', '.join(args)}):\n    return {expression}\n"
    try:
        code = compile(source, filename, "exec")
    except SyntaxError as error:
        raise SyntaxError(f"{filename}: cannot compile {expression!r}: {error.msg}") from None
    register_source(filename, source)
    scope: dict[str, Any] = scalar_namespace() if namespace is None else dict(namespace)
    exec(code, scope)  # noqa: S102 - the op table's own expressions
    return scope[function]


def as_tuple(expressions: Sequence[str]) -> str:
    """Python source for a tuple of the given expressions."""
    return f"({', '.join(expressions)},)" if expressions else "()"


def _nary_functions(op: Op) -> tuple[Callable[..., float], Derivative]:
    """Functions of any number of inputs, each compiled once per input count and cached."""
    forwards: dict[int, Callable[..., float]] = {}
    derivatives: dict[int, Derivative] = {}

    def forward(*xs: float) -> float:
        n = len(xs)
        f = forwards.get(n)
        if f is None:
            f = forwards[n] = compile_function(f"<op {op.name}, {n} inputs>", "forward", input_names(n),
                                               op.forward_code_for(n))
        return f(*xs)

    def derivative(out: float, *xs: float) -> Sequence[float]:
        n = len(xs)
        d = derivatives.get(n)
        if d is None:
            d = derivatives[n] = compile_function(f"<op {op.name} derivative, {n} inputs>", "derivative",
                                                  ["out", *input_names(n)], as_tuple(op.derivative_code_for(n)))
        return d(out, *xs)

    return forward, derivative


__all__ = ["Op", "input_names", "compile_function", "register_source"]
