"""Gradients of gradients: closed forms, central differences, semantics, depth, replay."""

from __future__ import annotations

import math
import random
import sys

import pytest

from autograd import (
    OPS,
    Op,
    Value,
    apply,
    grad,
    gradcheck,
    gradgradcheck,
    helper,
    hessian,
    hvp,
    is_grad_enabled,
    no_grad,
    sum_of,
    topological_order,
)

POINTS = (-1.7, -0.4, 0.0, 0.3, 1.1, 2.5)


def nth_derivatives(f, x0: float, n: int) -> list[float]:
    """[f'(x0), f''(x0), ..., f^(n)(x0)] by differentiating the gradient graph n - 1 times."""
    x = Value(x0)
    y = f(x)
    out = []
    for _ in range(n):
        (y,) = grad(y, [x], create_graph=True, allow_unused=True)  # a constant derivative no longer reaches x
        out.append(y.data)
    return out


def tanh_closed_forms(x: float) -> list[float]:
    t = math.tanh(x)
    s = 1.0 - t * t  # sech^2
    return [s, -2.0 * t * s, s * (6.0 * t * t - 2.0), 8.0 * t * s * (2.0 - 3.0 * t * t)]


def sigmoid_closed_forms(x: float) -> list[float]:
    s = 1.0 / (1.0 + math.exp(-x))
    d = s * (1.0 - s)
    d4 = d * (1.0 - 2.0 * s) * (1.0 - 12.0 * s + 12.0 * s * s)
    return [d, d * (1.0 - 2.0 * s), d * (1.0 - 6.0 * s + 6.0 * s * s), d4]


@pytest.mark.parametrize("x0", POINTS)
def test_nth_derivatives_of_tanh_sigmoid_exp_equal_closed_forms(x0: float) -> None:
    assert nth_derivatives(lambda x: x.tanh(), x0, 4) == pytest.approx(tanh_closed_forms(x0), rel=1e-12, abs=1e-14)
    assert nth_derivatives(lambda x: x.sigmoid(), x0, 4) == pytest.approx(
        sigmoid_closed_forms(x0), rel=1e-12, abs=1e-14
    )
    assert nth_derivatives(lambda x: x.exp(), x0, 4) == pytest.approx([math.exp(x0)] * 4, rel=1e-15)


def test_more_closed_forms_log_sqrt_pow_div() -> None:
    x0 = 1.7
    assert nth_derivatives(lambda x: x.log(), x0, 4) == pytest.approx(
        [1 / x0, -1 / x0**2, 2 / x0**3, -6 / x0**4], rel=1e-13
    )
    assert nth_derivatives(lambda x: x.sqrt(), x0, 3) == pytest.approx(
        [0.5 * x0**-0.5, -0.25 * x0**-1.5, 0.375 * x0**-2.5], rel=1e-13
    )
    assert nth_derivatives(lambda x: x**3, x0, 4) == pytest.approx([3 * x0**2, 6 * x0, 6.0, 0.0], rel=1e-13)
    assert nth_derivatives(lambda x: 1.0 / x, x0, 3) == pytest.approx([-1 / x0**2, 2 / x0**3, -6 / x0**4], rel=1e-13)
    # x ** x: d/dx = x^x (ln x + 1), d2 = x^x ((ln x + 1)^2 + 1/x)
    xx, lx = x0**x0, math.log(x0)
    assert nth_derivatives(lambda x: x**x, x0, 2) == pytest.approx([xx * (lx + 1), xx * ((lx + 1) ** 2 + 1 / x0)],
                                                                   rel=1e-13)


def test_piecewise_derivatives_have_zero_second_derivative() -> None:
    for x0 in (-1.5, 0.7):
        assert nth_derivatives(lambda x: x.relu(), x0, 2) == [1.0 if x0 > 0 else 0.0, 0.0]
        assert nth_derivatives(lambda x: x.abs(), x0, 2) == [math.copysign(1.0, x0), 0.0]
    # relu(x) * x = x^2 for x > 0, 0 below: second derivative 2 or 0
    assert nth_derivatives(lambda x: x.relu() * x, 0.8, 2) == pytest.approx([1.6, 2.0])
    assert nth_derivatives(lambda x: x.relu() * x, -0.8, 2) == [0.0, 0.0]


def test_mixed_partials_of_mul_and_dot() -> None:
    # f = x y^2 + dot([x, y], [y, x]) = x y^2 + 2 x y: f_xx = 0, f_xy = 2y + 2, f_yy = 2x
    def f(x: Value, y: Value) -> Value:
        from autograd import dot

        return x * y * y + dot([x, y], [y, x])

    h = hessian(f, [1.5, -0.5])
    assert h[0] + h[1] == pytest.approx([0.0, 1.0, 1.0, 3.0])


def random_graph(seed: int):
    """A random expression over three inputs that uses every op of the table, each inside its domain."""

    def f(*xs: Value) -> Value:
        rng = random.Random(seed)
        ops = list(OPS.values())
        rng.shuffle(ops)
        pool = list(xs)
        for op in ops:
            if op.arity is None and op.inputs_per_term > 1:  # a mean loss: two elements, every input in (0, 1)
                args = [rng.choice(pool).sigmoid() for _ in range(2 * op.inputs_per_term)]
            elif op.arity is None:  # smooth_l1_mean's beta: a constant, last
                args = [rng.choice(pool) for _ in range(4 - op.constant_args)] + [2.0] * op.constant_args
            else:
                args = [rng.choice(pool) for _ in range(op.arity - op.constant_args)]
                args += [rng.choice([2.0, 3.0, 0.5])] * op.constant_args
            if op.name in {"log", "sqrt", "pow_value", "pow", "reciprocal", "relu", "abs", "step", "sign"}:
                args[0] = args[0] * args[0] + 0.5  # positive where the op needs it
            if op.name == "div":
                args[1] = args[1] * args[1] + 0.5
            if op.name in {"exp", "pow_value"}:
                args = [a.tanh() if isinstance(a, Value) else a for a in args]
            if op.name == "binary_cross_entropy":  # a probability and a target in [0, 1]
                args = [a.sigmoid() for a in args]
            if op.name.startswith("binary_cross_entropy_with_logits"):  # a target in [0, 1], pos_weight > 0
                args[1] = args[1].sigmoid()
                if len(args) == 3:
                    args[2] = args[2] * args[2] + 0.5
            pool.append(apply(op, *args))
        return sum_of(pool[-5:]).tanh() + pool[-1] * pool[-2]

    return f


@pytest.mark.parametrize("seed", range(10))
def test_random_graphs_of_every_op_pass_gradgradcheck(seed: int) -> None:
    rng = random.Random(seed)
    point = [rng.uniform(-1.0, 1.0) for _ in range(3)]
    # A step of 1e-5, not the default 1e-6: once the table held reciprocal, rpow and silu_sigmoid, seed 4's graph
    # has a first derivative whose rounding is flat over steps below 1e-5 (equal differences at 3e-6 and 1e-6),
    # so its d2f/dx2^2 came out 3.5e-5 off, where steps from 1e-3 to 1e-5 agree with the engine to 2e-9.
    gradgradcheck(random_graph(seed), point, eps=1e-5, rtol=1e-5, atol=1e-7).raise_if_failed()


def test_every_op_appears_in_the_random_graphs_second_derivatives() -> None:
    seen: set[str] = set()
    for seed in range(10):
        x = [Value(0.1 * k) for k in range(3)]
        # allow_unused: a random draw may leave x[0] out of a graph (a zero gradient, nothing to see there).
        (g,) = grad(random_graph(seed)(*x), [x[0]], create_graph=True, allow_unused=True)
        stack, visited = [g], set()
        while stack:
            v = stack.pop()
            if v in visited:
                continue
            visited.add(v)
            if v.op is not None and not v.is_constant:
                seen.add(v.op.name)
            stack.extend(v.parents)
    # The forward graph uses every op; the gradient graph, built from their derivative rows, reuses them.
    assert seen >= {"add", "mul", "div", "neg", "pow", "pow_value", "exp", "log", "tanh", "sigmoid", "sum", "dot"}


def test_gradgradcheck_reports_a_value_version_that_disagrees_with_its_helper() -> None:
    """gradgradcheck catches second derivatives inconsistent with the first: here a wrong Value version."""
    from autograd import value_helpers
    from autograd.helpers import HELPERS

    @helper(name="twice_for_test")
    def twice(a: float) -> float:
        return 2.0 * a

    value_helpers.value_version(lambda a: a * 3.0, name="twice_for_test")  # wrong on purpose: 3a, not 2a
    square = Op(name="square_for_test", symbol="²", forward="a * a", derivatives=("twice_for_test(a)",))
    try:
        assert gradcheck(lambda x: apply(square, x), [1.0]).ok  # first order uses the scalar helper: right
        report = gradgradcheck(lambda x: apply(square, x), [1.0])
        assert not report.ok
        assert report.rows[0].analytic == 3.0
        assert report.rows[0].numeric == pytest.approx(2.0, rel=1e-8)
        assert "gradgradcheck: f = 1" in str(report) and "engine d2f" in str(report)
        with pytest.raises(AssertionError, match="gradgradcheck failed"):
            report.raise_if_failed()
    finally:
        del HELPERS["twice_for_test"]
        del value_helpers._VERSIONS["twice_for_test"]
    good = gradgradcheck(lambda x: x * x, [1.0])
    assert good.ok and good.rows[0].analytic == 2.0


def test_ten_thousand_node_chain_second_derivative_without_recursion() -> None:
    # y = x + sum_k 1e-4 x^2 over 10,000 steps: y'' = 10,000 * 2e-4 = 2 exactly in exact arithmetic.
    x = Value(0.3)
    y = x
    for _ in range(10_000):
        y = y * 1.0 + x * x * 1e-4
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(200)  # anything recursive over the 30,000-node chain fails now
    try:
        (dy,) = grad(y, [x], create_graph=True)
        (d2y,) = grad(dy, [x])
    finally:
        sys.setrecursionlimit(limit)
    assert dy.data == pytest.approx(1.0 + 2.0 * 0.3, rel=1e-10)
    assert d2y.data == pytest.approx(2.0, rel=1e-10)


def test_deep_tanh_chain_second_derivative_matches_central_difference() -> None:
    def f(x: Value) -> Value:
        y = x
        for _ in range(10_000):
            y = (y * 0.9999 + 0.001).tanh()
        return y

    report = gradgradcheck(f, [0.2], eps=1e-5, rtol=1e-4, atol=1e-9)
    assert report.ok, str(report)


def test_backward_create_graph_leaves_accumulate_interior_start_afresh() -> None:
    x = Value(0.7, label="x")
    h = x * x  # interior
    y = h.tanh()
    y.backward(create_graph=True)
    first = 2 * 0.7 * (1 - math.tanh(0.49) ** 2)
    assert isinstance(x.grad, Value) and x.grad.data == pytest.approx(first, rel=1e-15)
    y.backward(create_graph=True)
    assert x.grad.data == pytest.approx(2 * first, rel=1e-15)  # leaves accumulate
    assert h.grad.data == pytest.approx(1 - math.tanh(0.49) ** 2, rel=1e-15)  # interior: afresh
    # The accumulated leaf gradient is itself differentiable: d/dx (2 dy/dx)
    t = math.tanh(0.49)
    d2 = 2.0 * (2.0 * (1 - t * t) + 4 * 0.49 * (-2.0 * t * (1 - t * t)))
    assert grad(x.grad, [x])[0].data == pytest.approx(d2, rel=1e-13)
    # A float gradient from an earlier first-order backward is kept and added to.
    z = Value(2.0)
    (z * z).backward()
    (z * z).backward(create_graph=True)
    assert z.grad.data == 8.0
    assert "grad=8" in repr(z)


def test_grad_leaves_dot_grad_alone_and_first_order_equals_backward() -> None:
    a, b = Value(0.3), Value(-1.2)
    y = (a * b).tanh() + a.exp() / b
    ga, gb = grad(y, [a, b])
    assert a.grad == 0.0 and b.grad == 0.0
    assert ga.is_leaf and gb.is_leaf
    y.backward()
    assert (ga.data, gb.data) == (a.grad, b.grad)  # the same float arithmetic, bit for bit
    # With a seed, as torch's grad_outputs
    (g2,) = grad(y, [a], grad_output=3.0)
    assert g2.data == pytest.approx(3.0 * a.grad, rel=1e-15)


def test_grad_with_respect_to_an_interior_node() -> None:
    x = Value(0.5)
    h = x * 3.0
    y = h * h + h.tanh()
    (gh,) = grad(y, [h], create_graph=True)
    assert gh.data == pytest.approx(2 * 1.5 + 1 - math.tanh(1.5) ** 2, rel=1e-15)
    # d/dx of dy/dh = d/dx (2h + sech^2 h) = 3 (2 - 2 tanh(h) sech^2(h))
    t = math.tanh(1.5)
    assert grad(gh, [x])[0].data == pytest.approx(3 * (2 - 2 * t * (1 - t * t)), rel=1e-14)


def test_unused_inputs_and_bad_arguments_are_named() -> None:
    x, z = Value(1.0, label="x"), Value(2.0, label="z")
    y = x * x
    with pytest.raises(ValueError, match=r"inputs\[1\].*'z'.*allow_unused"):
        grad(y, [x, z])
    assert grad(y, [x, z], allow_unused=True)[1].data == 0.0
    with pytest.raises(TypeError, match="output must be a Value"):
        grad(1.0, [x])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"inputs\[0\] must be a Value"):
        grad(y, [1.0])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="finite"):
        grad(y, [x], grad_output=math.inf)
    with pytest.raises(TypeError, match="grad_output"):
        grad(y, [x], grad_output="1")  # type: ignore[arg-type]
    # The second derivative of x * x with respect to x is a constant: its graph no longer reaches x.
    (g,) = grad(y, [x], create_graph=True)
    (gg,) = grad(g, [x])
    assert gg.data == 2.0
    (g3,) = grad(gg, [x], allow_unused=True)
    assert g3.data == 0.0


def test_a_helper_without_value_version_is_named_when_a_second_derivative_needs_it() -> None:
    @helper(name="cube_grad_for_test")
    def cube_grad(a: float) -> float:
        return 3.0 * a * a

    cube = Op(name="cube_for_test", symbol="³", forward="a * a * a", derivatives=("cube_grad_for_test(a)",))
    x = Value(1.5)
    (g,) = grad(apply(cube, x), [x])  # first order needs only floats
    assert g.data == pytest.approx(6.75)
    with pytest.raises(NotImplementedError, match="cube_grad_for_test.*no Value version"):
        grad(apply(cube, x), [x], create_graph=True)
    from autograd.helpers import HELPERS

    del HELPERS["cube_grad_for_test"]


def test_create_graph_records_the_gradient_graph_even_under_no_grad() -> None:
    # PyTorch 2.13: torch.autograd.grad(y, [x], create_graph=True) inside no_grad() returns a
    # tensor with a grad_fn; its engine runs the backward pass with grad mode = create_graph.
    x = Value(0.4)
    y = x.tanh() * x
    t = math.tanh(0.4)
    expected_first = t + 0.4 * (1 - t**2)
    expected_second = 2 * (1 - t**2) - 0.8 * t * (1 - t**2)  # d/dx [t + x (1 - t^2)]
    with no_grad():
        (g,) = grad(y, [x], create_graph=True)
        y.backward(create_graph=True)
        assert not is_grad_enabled()  # the mode is restored after the backward pass
    assert not g.is_leaf and g.data == pytest.approx(expected_first, rel=1e-15)
    assert not x.grad.is_leaf and x.grad.data == pytest.approx(expected_first, rel=1e-15)
    (h,) = grad(g, [x])
    assert h.data == pytest.approx(expected_second, rel=1e-13)


def test_no_grad_forward_leaves_nothing_to_differentiate() -> None:
    x = Value(0.4)
    with no_grad():
        y = x.tanh() * x
    # PyTorch raises RuntimeError here ("element 0 of tensors does not require grad"); so does ours, naming
    # no_grad (it was ValueError "was not used", true but no hint at the cause).
    with pytest.raises(RuntimeError, match=r"computed by mul under no_grad\(\)"):
        grad(y, [x], create_graph=True)
    with pytest.raises(RuntimeError, match="under no_grad"):
        grad(y, [x])


def test_hessian_and_hvp_against_closed_forms() -> None:
    # f = exp(a) b^2 + log(b) a: H = [[e^a b^2, 2 e^a b + 1/b], [2 e^a b + 1/b, 2 e^a - a / b^2]]
    a0, b0 = 0.3, 1.7
    ea = math.exp(a0)
    expected = [[ea * b0**2, 2 * ea * b0 + 1 / b0], [2 * ea * b0 + 1 / b0, 2 * ea - a0 / b0**2]]

    def f(a: Value, b: Value) -> Value:
        return a.exp() * b * b + b.log() * a

    h = hessian(f, [a0, b0])
    assert h[0] + h[1] == pytest.approx(expected[0] + expected[1], rel=1e-14)
    value, hv = hvp(f, [a0, b0], [0.5, -2.0])
    assert value == pytest.approx(ea * b0**2 + math.log(b0) * a0, rel=1e-15)
    assert hv == pytest.approx([0.5 * expected[0][0] - 2 * expected[0][1], 0.5 * expected[1][0] - 2 * expected[1][1]],
                               rel=1e-14)
    assert hvp(lambda a, b: a + b, [1.0, 2.0], [1.0, 1.0]) == (3.0, [0.0, 0.0])
    with pytest.raises(ValueError, match="vector has 1 entries for 2 inputs"):
        hvp(f, [a0, b0], [1.0])
    with pytest.raises(TypeError, match="must return a Value"):
        hessian(lambda a: 1.0, [1.0])


def test_replay_records_a_double_backward_graph() -> None:
    """A tape of a function that itself contains a gradient (a gradient penalty): replay equals eager."""
    pytest.importorskip("numpy")
    from autograd.replay import record

    w = [Value(0.6, label="w0"), Value(-0.9, label="w1")]

    def penalty(x: Value) -> Value:
        y = (w[0] * x).tanh() * w[1] + (x * w[1]).relu() * x
        (dy_dx,) = grad(y, [x], create_graph=True)
        return dy_dx * dy_dx  # d/dw of (dy/dx)^2 needs the second derivatives d2y/dxdw

    tape = record(penalty, [-0.5], w)
    # 0.5 and 1.3 lie across relu's kink from the recording point: step is an op of the table,
    # evaluated on every run (as relu is), so the tape follows eager there too.
    for x0 in (-0.3, -1.2, -2.0, 0.5, 1.3):
        loss, grads = tape.evaluate([x0])
        leaves = [Value(p.data) for p in w]
        x = Value(x0)
        w_saved = list(w)
        w[:] = leaves
        try:
            ref = penalty(x)
            ref_grads = grad(ref, leaves)
        finally:
            w[:] = w_saved
        assert loss == pytest.approx(ref.data, rel=1e-13)
        assert grads == pytest.approx([g.data for g in ref_grads], rel=1e-12, abs=1e-15)
    # Closed form at x < 0 (so x w1 > 0, relu on): y = tanh(w0 x) w1 + w1 x^2, y' = w0 w1 sech^2(w0 x) + 2 w1 x.
    t = math.tanh(0.6 * -0.3)
    yp = 0.6 * -0.9 * (1 - t * t) + 2 * -0.9 * -0.3
    assert tape.evaluate([-0.3])[0] == pytest.approx(yp * yp, rel=1e-13)
    # At x > 0 (x w1 < 0, relu off): y' = w0 w1 sech^2(w0 x).
    t = math.tanh(0.6 * 0.5)
    assert tape.evaluate([0.5])[0] == pytest.approx((0.6 * -0.9 * (1 - t * t)) ** 2, rel=1e-13)


def test_the_gradient_of_a_square_is_drawn_as_two_times_a_not_a_to_the_first() -> None:
    x = Value(1.5)
    (g,) = grad(x**2, [x], create_graph=True)
    ops = {node._op.name for node in topological_order(g) if node._op is not None}
    assert g.data == 3.0 and "pow" not in ops
    (h,) = grad(g, [x])
    assert h.data == 2.0


def test_gradcheck_rows_are_named_as_the_checked_function_names_its_inputs() -> None:
    from autograd import gradcheck, gradgradcheck

    report = gradcheck(lambda x, w, b: (x * w + b).tanh(), [2.0, -3.0, 6.88])
    assert [row.name for row in report.rows] == ["x", "w", "b"]
    o = math.tanh(2.0 * -3.0 + 6.88)
    assert report.rows[1].analytic == pytest.approx((1 - o * o) * 2.0, rel=1e-12)  # do/dw = (1 - o^2) x
    assert [row.name for row in gradgradcheck(lambda a, b: a * a * b, [1.0, 2.0]).rows] == ["a,a", "a,b", "b,a", "b,b"]
    # No one name per input (a *args function, a method's self, a default): x0, x1, ... as before.
    assert [row.name for row in gradcheck(lambda *a: a[0] * a[1], [1.0, 2.0]).rows] == ["x0", "x1"]
    assert [row.name for row in gradcheck(Value.tanh, [0.3]).rows] == ["x0"]
    assert [row.name for row in gradcheck(lambda a, b=1.0: a * b, [1.0]).rows] == ["x0"]
    assert [row.name for row in gradcheck(lambda a, b: a * b, [1.0, 2.0], names=["p", "q"]).rows] == ["p", "q"]
    with pytest.raises(ValueError, match="gradcheck: 1 names for 2 inputs"):
        gradcheck(lambda a, b: a * b, [1.0, 2.0], names=["p"])
