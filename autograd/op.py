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
from typing import Any, cast

from .helpers import HELPERS, scalar_namespace
from .shown import short_repr

Derivative = Callable[..., Sequence[float]]
CodeForN = Callable[[int], str]
DerivativesForN = Callable[[int], tuple[str, ...]]
Interval = tuple[float, float]


def input_names(arity: int) -> list[str]:
    """The names expressions use for their inputs: a, b for one or two inputs, else x0, x1, ..."""
    return ["a", "b"][:arity] if arity <= 2 else [f"x{i}" for i in range(arity)]


class Op(str):
    """One differentiable operation, written once as code (a row of the op table).

    An `Op` is also a string, micrograd's spelling of the op (``"+"``, ``"*"``, ``"tanh"``, ``"ReLU"``; ``""``
    for the constant leaves' op, as micrograd leaves have): a node's ``_op`` is what code written against
    micrograd expects (its notebook's ``draw_dot`` concatenates ``uid + n._op``; ``c._op == "+"``). Spellings
    are unique (`register_op` refuses a second op spelled alike), so comparing and hashing ops as strings,
    at C speed, tells ops apart exactly as identity would.

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
        micrograd: the op's string value (default ``name``): micrograd's spelling where micrograd has the op.
        eager_forward: for an n-ary op, optionally the same value written for
            the functions the eager engine compiles once per fan-in (`forward_for`):
            the same operations in the same order (so the same bits), where
            ``forward`` may call a looping helper to keep a tape's source short.
        wide_derivative: for an n-ary op whose every derivative expression names every input (largest's tie
            count), optionally one function ``(out, *inputs) -> partials`` giving the same numbers in O(n):
            used past `INLINE_BACKWARD_UP_TO` inputs, where n such expressions are O(n^2) source to compile
            and O(n^2) work to run (a softmax over 3,000 logits took 15 s a backward pass). Replayed tapes
            call it too, by name, when it is a registered helper (`wide_helper`; largest's is `amax_shares`,
            which has a numpy version for batch replay); otherwise their code pastes the n expressions.
        inputs_per_term: for an n-ary op whose inputs come in groups (a mean loss's probability, target and
            weight per element), the size of a group: a node's inputs, but for its ``constant_args`` trailing
            ones, must be a multiple of it, and ``domain`` then gives one interval per input of a group, then
            one per trailing constant (1, no constants: one interval for every input).
        propagates_non_finite: True only if the value is inf or NaN whenever an input is (``a + b``, ``a * b``:
            inf * 0 is NaN). Replayed tapes check nothing for such an op: the non-finite value reaches a later
            check or the loss. Any other op may turn an overflow into an ordinary number (tanh(inf) = 1.0,
            1 / inf = 0.0, relu(-inf) = 0.0) where the eager engine would have refused the overflowing node,
            so a tape checks its inputs. The default, False, is always safe; the op-table tests check every
            op that claims True.

    The compiled functions are the attributes ``forward`` (inputs -> value)
    and ``derivative`` (out, inputs -> tuple of local derivatives); the source
    text stays in ``forward_code`` and ``derivative_code``.
    """

    # No __slots__: a str subclass cannot have them; attributes live in the instance dict.

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
    #: The backward pass's step for a node of this op: ``backward(node, g)`` adds g times each local
    #: derivative to the ``.grad`` of each parent, with the row's derivative expressions compiled inline
    #: (no tuple of partials per node). For an n-ary op it picks the version compiled for the node's fan-in.
    backward: Callable[[Any, float], None]
    _forwards: dict[int, Callable[..., float]]
    eager_forward: CodeForN | None
    _backwards: dict[int, Callable[[Any, float], None]]
    wide_derivative: Callable[..., Sequence[Any]] | None
    inputs_per_term: int
    propagates_non_finite: bool

    def __new__(cls, name: str = "", *args: Any, micrograd: str | None = None, **kwargs: Any) -> Op:
        """The string part: micrograd's spelling (``name`` unless ``micrograd`` is given).

        ``copy``/``pickle`` of an op give the registered op itself (see ``__reduce__``), so only the table
        makes ops."""
        text = name if micrograd is None else micrograd
        if not isinstance(text, str):  # str() of it here failed first for a 5,000-digit int
            which = "name" if micrograd is None else "micrograd spelling"
            raise TypeError(f"an op's {which} must be a non-empty str, got {type(text).__name__} {short_repr(text)}")
        return super().__new__(cls, text)

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
        eager_forward: CodeForN | None = None,
        micrograd: str | None = None,
        wide_derivative: Callable[..., Sequence[Any]] | None = None,
        inputs_per_term: int = 1,
        propagates_non_finite: bool = False,
    ) -> None:
        """Compile the row's expressions; a syntax error names the op and shows the expression."""
        _check_row(name, symbol, forward, derivatives)
        if not isinstance(propagates_non_finite, bool):  # "no" is truthy: a tape would then check nothing
            raise TypeError(f"op {name}: propagates_non_finite must be True or False, got "
                            f"{type(propagates_non_finite).__name__} {short_repr(propagates_non_finite)}")
        self.name = name
        self.symbol = symbol
        self.domain = tuple(domain)
        self.reference = reference
        self.constant_args = constant_args
        self.forward_code = forward
        self.eager_forward = eager_forward
        self.wide_derivative = wide_derivative
        if isinstance(inputs_per_term, bool) or not isinstance(inputs_per_term, int) or inputs_per_term < 1:
            raise TypeError(f"op {name}: inputs_per_term must be an int >= 1, got {short_repr(inputs_per_term)}")
        self.inputs_per_term = inputs_per_term
        self.propagates_non_finite = propagates_non_finite
        self._forwards = {}
        self._backwards = {}
        if callable(derivatives):
            self.arity = None
            self.derivative_code = derivatives
            self.forward, self.derivative = _nary_functions(self)
            self.backward = self._nary_backward
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
            self._forwards[self.arity] = self.forward
            self.backward = self._backwards[self.arity] = _compile_backward(self, self.arity)

    def forward_for(self, n: int) -> Callable[..., float]:
        """The forward function compiled for ``n`` inputs (an n-ary op compiles one per fan-in, once)."""
        f = self._forwards.get(n)
        if f is None:
            code = self.eager_forward(n) if self.eager_forward is not None else self.forward_code_for(n)
            f = self._forwards[n] = compile_function(f"<op {self.name}, {n} inputs>", "forward", input_names(n), code)
        return f

    def backward_for(self, n: int) -> Callable[[Any, float], None]:
        """The backward step compiled for a node of ``n`` inputs (see ``backward``)."""
        step = self._backwards.get(n)
        if step is None:
            step = self._backwards[n] = _compile_backward(self, n)
        return step

    def _nary_backward(self, node: Any, g: float) -> None:
        parents = node._a
        step = self._backwards.get(len(parents))
        if step is None:
            step = self.backward_for(len(parents))
        step(node, g)

    def forward_code_for(self, n: int) -> str:
        """The forward expression for ``n`` inputs."""
        return self.forward_code(n) if callable(self.forward_code) else self.forward_code

    def derivative_code_for(self, n: int) -> tuple[str, ...]:
        """The local-derivative expressions for ``n`` inputs."""
        return self.derivative_code(n) if callable(self.derivative_code) else self.derivative_code

    def __repr__(self) -> str:
        return f"Op({self.name!r})"

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        """Copies and pickles of an op are the registered op (engine code compares ops by identity)."""
        return (_registered_op, (self.name,))

    def __copy__(self) -> Op:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Op:
        return self


def _check_row(name: object, symbol: object, forward: object, derivatives: object) -> None:
    """TypeError naming the field of a row that is of the wrong kind, before anything is compiled.

    ``derivatives="1.0"`` used to be read as the three expressions "1", "." and "0" of a three-input op, and
    ``forward=3`` failed inside ``ast.parse``.
    """
    if not isinstance(name, str) or not name:
        raise TypeError(f"an op's name must be a non-empty str, got {type(name).__name__} {short_repr(name)}")
    if not isinstance(symbol, str):
        raise TypeError(f"op {name}: symbol must be a str (the gate's label), got {type(symbol).__name__}")
    if not isinstance(forward, str) and not callable(forward):
        raise TypeError(f"op {name}: forward must be an expression (a str), got {type(forward).__name__} "
                        f"{short_repr(forward)}")
    if callable(derivatives):
        return
    if isinstance(derivatives, str) or not isinstance(derivatives, Sequence) or \
            not all(isinstance(d, str) for d in derivatives):
        raise TypeError(f"op {name}: derivatives must be a tuple of expressions (str), one per input, got "
                        f"{type(derivatives).__name__} {short_repr(derivatives)}")


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


#: Past this many inputs a node's backward step is a loop over a tuple of partials rather than one line per
#: input: straight-line code is the faster (no tuple, no loop), but compiling it grows with the fan-in.
INLINE_BACKWARD_UP_TO = 256


def is_wide(op: Op, n: int) -> bool:
    """Whether a node of ``op`` with ``n`` inputs takes its partials from ``op.wide_derivative`` (all at once, O(n))
    rather than from its n derivative expressions: past `INLINE_BACKWARD_UP_TO` inputs, where those expressions
    name every input (O(n^2) source and work). Eager backward, create_graph and every replay mode ask this."""
    return n > INLINE_BACKWARD_UP_TO and op.wide_derivative is not None


def wide_helper(op: Op, n: int) -> str | None:
    """The name of the registered helper that is ``op.wide_derivative``, for a node of ``n`` inputs that `is_wide`
    (None otherwise, or when that function is no helper): replayed code calls it once per node, as
    ``D = name(out, x0, ..., xn)``, and reads partial j as ``D[j]``."""
    if not is_wide(op, n):
        return None
    return next((name for name, f in HELPERS.items() if f is op.wide_derivative), None)


def _names_used(expressions: Sequence[str]) -> set[str]:
    return {node.id for e in expressions for node in ast.walk(ast.parse(e, mode="eval")) if isinstance(node, ast.Name)}


def backward_lines(op: Op, n: int) -> list[str]:
    """The body of a backward step (see `_compile_backward`) for a node ``_node`` of ``n`` parents and gradient ``_g``.

    Also pasted into the backward pass's own loop for the commonest ops (`autograd.backward`).
    """
    expressions = op.derivative_code_for(n)
    names = input_names(n)
    parents = [f"_p{i}" for i in range(n)]
    if n == 0:
        lines = ["pass"]
    elif op.arity is None or n > 2:
        lines = [f"{', '.join(parents)}, = _node._a"]
    else:
        lines = [f"{parents[0]} = _node._a"] + ([f"{parents[1]} = _node._b"] if n == 2 else [])
    used = _names_used(expressions)
    if "out" in used:
        lines.append("out = _node._data")
    lines += [f"{name} = {p}._data" for name, p in zip(names, parents) if name in used]
    # A partial that is a name or a number is used where it stands; any other is computed first, so one
    # that raises (a derivative infinite at a point) does so before any gradient has changed.
    simple = [isinstance(ast.parse(e, mode="eval").body, (ast.Name, ast.Constant)) for e in expressions]
    lines += [f"_d{i} = {e}" for i, e in enumerate(expressions) if not simple[i]]
    lines += [f"{p}.grad += _g" if e.strip() == "1.0" else f"{p}.grad += _g * {e.strip() if simple[i] else f'_d{i}'}"
              for i, (p, e) in enumerate(zip(parents, expressions))]
    return lines


def _compile_backward(op: Op, n: int) -> Callable[[Any, float], None]:
    """``backward(_node, _g)`` for a node of ``op`` with ``n`` parents, from the row's derivative expressions.

    The expressions are evaluated on the parents' data (bound to the names they use: ``a``, ``b`` or
    ``x0 ..``, and ``out``) and every partial is computed before any ``.grad`` changes, as a tuple would be.
    A derivative that is exactly ``1.0`` adds ``_g`` itself (the same number, without a multiplication).
    """
    wide = is_wide(op, n)  # its expressions are O(n^2) source
    expressions = () if wide else op.derivative_code_for(n)
    if not wide and len(expressions) != n:
        raise TypeError(f"{op.name}: {len(expressions)} derivatives for {n} inputs")
    if n > INLINE_BACKWARD_UP_TO:
        derivative = op.derivative

        def backward(node: Any, g: float) -> None:
            parents = node._a
            for p, d in zip(parents, derivative(node._data, *[p._data for p in parents])):
                p.grad += g * d

        return backward
    lines = backward_lines(op, n)
    suffix = f", {n} inputs" if op.arity is None else ""
    filename = f"<op {op.name} backward{suffix}>"
    source = "def backward(_node, _g):\n" + "".join(f"    {line}\n" for line in lines)
    code = compile(source, filename, "exec")
    register_source(filename, source)
    scope: dict[str, Any] = scalar_namespace()
    exec(code, scope)  # noqa: S102 - the op table's own expressions
    return scope["backward"]


def _nary_functions(op: Op) -> tuple[Callable[..., float], Derivative]:
    """Functions of any number of inputs, each compiled once per input count and cached."""
    derivatives: dict[int, Derivative] = {}

    def forward(*xs: float) -> float:
        return op.forward_for(len(xs))(*xs)

    def derivative(out: float, *xs: float) -> Sequence[float]:
        n = len(xs)
        d = derivatives.get(n)
        if d is None and is_wide(op, n):
            d = derivatives[n] = cast(Derivative, op.wide_derivative)
        if d is None:
            d = derivatives[n] = compile_function(f"<op {op.name} derivative, {n} inputs>", "derivative",
                                                  ["out", *input_names(n)], as_tuple(op.derivative_code_for(n)))
        return d(out, *xs)

    return forward, derivative


__all__ = ["Op", "input_names", "compile_function", "register_source"]


def _registered_op(name: str) -> Op:
    """The op registered under ``name`` (what an unpickled or copied op becomes)."""
    from .ops import CONSTANT, OPS

    if name == CONSTANT.name:
        return CONSTANT
    try:
        return OPS[name]
    except KeyError:
        raise ValueError(f"no op named {short_repr(name)} is registered") from None
