"""docs/adding_an_op.md's example, run exactly as written, and its op held to every op's checks."""

from __future__ import annotations

import contextlib
import io
import math
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from op_checks import check_op_forward, check_op_gradient, check_op_second_derivative, inputs_for
from readme_blocks import doc_blocks

from autograd import OPS, Value
from autograd.helpers import HELPERS


def readme_example() -> str:
    """The first python block of docs/adding_an_op.md."""
    return doc_blocks("adding_an_op.md")[0]


@pytest.fixture
def own_op() -> Iterator[tuple[dict[str, object], str]]:
    """Run the docs block; afterwards remove what it registered, so other tests see the built-in table."""
    ops, helpers = dict(OPS), dict(HELPERS)
    scope: dict[str, object] = {"__name__": "readme_example"}
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):
            exec(compile(readme_example(), "docs/adding_an_op.md", "exec"), scope)  # noqa: S102 - our own docs
        yield scope, printed.getvalue()
    finally:
        OPS.clear()
        OPS.update(ops)
        HELPERS.clear()
        HELPERS.update(helpers)
        if "softplus" in vars(Value):
            delattr(Value, "softplus")


def test_readme_example_prints_softplus_and_its_derivative_in_closed_form(own_op) -> None:
    scope, printed = own_op
    data, grad = (float(word) for word in printed.split())
    assert data == pytest.approx(math.log(1.0 + math.exp(0.5)), rel=1e-15)
    assert grad == pytest.approx(1.0 / (1.0 + math.exp(-0.5)), rel=1e-15)
    assert OPS["softplus"] is scope["SOFTPLUS"]


# The fixture registers the op once for all drawn inputs, which is what is wanted here.
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_readme_op_passes_the_same_derivative_test_as_every_op(own_op, data) -> None:
    scope, _ = own_op
    op = scope["SOFTPLUS"]
    xs = data.draw(inputs_for(op, 1))
    check_op_gradient(op, xs)
    check_op_second_derivative(op, xs)
    check_op_forward(op, 1)


def test_readme_op_has_second_derivatives_from_its_row_alone(own_op) -> None:
    """softplus'' = sigmoid' = s (1 - s): the row's derivative sigmoid(a), evaluated on Values, gives it."""
    from autograd import grad

    x = Value(0.4)
    (first,) = grad(x.softplus(), [x], create_graph=True)
    (second,) = grad(first, [x])
    s = 1.0 / (1.0 + math.exp(-0.4))
    assert first.data == pytest.approx(s, rel=1e-15)
    assert second.data == pytest.approx(s * (1.0 - s), rel=1e-15)


def test_readme_op_works_through_apply_replay_and_batch_replay(own_op) -> None:
    np = pytest.importorskip("numpy")
    from autograd.replay import record

    scope, _ = own_op
    op = scope["SOFTPLUS"]
    w = Value(0.7, label="w")
    tape = record(lambda x: (x * w).apply(op), example=[0.0], parameters=[w])
    xs = [-2.0, 0.3, 1.5]
    for x in xs:
        loss, (grad,) = tape.evaluate([x])
        assert loss == pytest.approx(math.log1p(math.exp(0.7 * x)), rel=1e-14)
        assert grad == pytest.approx(x / (1.0 + math.exp(-0.7 * x)), rel=1e-14)
    losses, grads = tape.run_batch([np.array(xs)])
    assert losses.tolist() == pytest.approx([math.log1p(math.exp(0.7 * x)) for x in xs], rel=1e-14)
    assert grads[0] == pytest.approx(sum(x / (1.0 + math.exp(-0.7 * x)) for x in xs), rel=1e-14)
    # The helper is written to be stable where log(1 + e^a) would overflow.
    assert Value(1000.0).softplus().data == 1000.0


def test_register_op_refuses_a_name_value_already_uses() -> None:
    from autograd import Op, register_op

    with pytest.raises(ValueError, match="already registered"):
        register_op(Op(name="tanh", symbol="t", forward="tanh(a)", derivatives=("1.0 - out * out",)))
    clash = Op(name="backward", symbol="b", forward="a", derivatives=("1.0",))
    with pytest.raises(ValueError, match="Value.backward already exists"):
        register_op(clash)
    assert "backward" not in OPS
