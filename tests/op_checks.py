"""The checks every op gets: gradient against central differences, value against an independent formula.

Shared by the op-table tests and the own-op example of docs/adding_an_op.md, so that a user's op is held to exactly
the same standard as a built-in one.
"""

from __future__ import annotations

import pytest
from hypothesis import strategies as st

from autograd import Op, Value, apply, gradcheck, gradgradcheck


def _strategy(low: float, high: float) -> st.SearchStrategy[float]:
    return st.floats(min_value=low, max_value=high, allow_nan=False, allow_infinity=False)


#: n-ary ops with a kink wherever two inputs tie (``largest``, torch.amax: the derivative jumps from 1 to 0
#: there). A central difference across a kink is no derivative, so their inputs are drawn at least
#: `_TIE_GAP` apart, as ``maximum``'s two declared domains are disjoint; ties get tests of their own
#: (tests/test_cross_entropy_precision.py: torch.amax's split).
KINKED_AT_TIES = frozenset({"largest"})
_TIE_GAP = 1e-3


def nary_domains(op: Op, n_inputs: int) -> list[tuple[float, float]]:
    """An n-ary op's interval per input: one per input of a group, group after group, then one per trailing
    constant (smooth_l1_mean's beta); a plain n-ary op's one interval n times."""
    per = op.inputs_per_term
    groups = (n_inputs - op.constant_args) // per
    return list(op.domain[:per]) * groups + list(op.domain[per:])


def inputs_for(op: Op, n_inputs: int) -> st.SearchStrategy[list[float]]:
    """Inputs drawn from the op's declared domain (for an n-ary op, its intervals, one per input of a group,
    repeated for every group: a plain n-ary op's one interval n times)."""
    domains = op.domain if op.arity is not None else nary_domains(op, n_inputs)
    if op.arity is None and op.name in KINKED_AT_TIES:
        (lo, hi), = op.domain
        steps = int((hi - lo) / _TIE_GAP)
        return st.lists(st.integers(0, steps), min_size=n_inputs, max_size=n_inputs, unique=True).map(
            lambda ks: [lo + (hi - lo) * k / steps for k in ks])
    return st.tuples(*[_strategy(lo, hi) for lo, hi in domains]).map(list)


def check_op_gradient(op: Op, xs: list[float]) -> None:
    """The op's derivative expressions agree with central differences of its forward at ``xs``."""
    differentiable = len(xs) - op.constant_args

    def f(*vs: Value) -> Value:
        # Constant arguments (the exponent of x ** 2) are passed as plain numbers.
        return apply(op, *vs, *xs[differentiable:])

    report = gradcheck(f, xs[:differentiable], rtol=1e-4, atol=1e-6)
    report.raise_if_failed()


def check_op_second_derivative(op: Op, xs: list[float]) -> None:
    """The derivative expressions, evaluated on Values and differentiated again, agree with central
    differences of the analytic first derivatives at ``xs`` (every pair of differentiable inputs)."""
    differentiable = len(xs) - op.constant_args

    def f(*vs: Value) -> Value:
        return apply(op, *vs, *xs[differentiable:])

    # Same tolerances as the first-order check: a central difference of step 1e-6 is off by about
    # 1e-10 relative (rounding of the first derivative over 2e-6) plus eps^2 times the fourth derivative.
    gradgradcheck(f, xs[:differentiable], rtol=1e-4, atol=1e-6).raise_if_failed()


def check_op_forward(op: Op, n_inputs: int) -> None:
    """The forward rule agrees with the row's independent formula at one in-domain point."""
    assert op.reference is not None, f"op {op.name} gives no reference formula"
    if op.arity is not None:
        point = [(lo + hi) / 2 + 0.137 for lo, hi in op.domain]
    else:  # distinct points, so that dot's weights and inputs differ
        domains = nary_domains(op, n_inputs)
        point = [(lo + hi) / 2 + 0.137 * (k + 1) / n_inputs for k, (lo, hi) in enumerate(domains)]
    assert op.forward(*point) == pytest.approx(op.reference(*point), rel=1e-12)


