"""``Value.backward`` takes torch's arguments: ``gradient``, ``retain_graph`` (the graph is always kept),
``create_graph`` and ``inputs`` (accumulate into those only), checked beside torch where it is installed."""

import math

import pytest

from autograd import Value, no_grad


def graph() -> tuple[Value, Value, Value, Value]:
    a, b = Value(1.5), Value(-0.5)
    h = (a * b).tanh()
    return a, b, h, h * a + b


def test_retain_graph_is_accepted_and_a_second_backward_adds_again() -> None:
    a, b, _, out = graph()
    out.backward(retain_graph=True)
    first = a.grad
    out.backward()
    assert a.grad == pytest.approx(2 * first, rel=1e-15)  # torch gives the same after retain_graph=True
    with pytest.raises(TypeError, match="retain_graph must be True, False or None"):
        out.backward(retain_graph="yes")


def test_gradient_keyword_seeds_the_backward_pass_as_grad_did() -> None:
    a, _, _, out = graph()
    out.backward(gradient=2.5)
    twice = Value(1.5)
    (((twice * Value(-0.5)).tanh()) * twice + Value(-0.5)).backward(grad=2.5)
    assert a.grad == twice.grad
    with pytest.raises(TypeError, match="gradient= or grad=, not both"):
        out.backward(gradient=1.0, grad=1.0)


def test_inputs_accumulates_into_those_only() -> None:
    a, b, h, out = graph()
    b.grad = 10.0
    out.backward(inputs=[a])
    # d out/da = tanh(ab) + a * (1 - tanh(ab)^2) * b, by hand
    t = math.tanh(1.5 * -0.5)
    assert a.grad == pytest.approx(t + 1.5 * (1 - t * t) * -0.5, rel=1e-15)
    assert b.grad == 10.0 and h.grad == 0.0  # untouched: neither a leaf asked for nor an interior node
    out.backward(inputs=a)  # a single Value, as torch takes one tensor
    assert a.grad == pytest.approx(2 * (t + 1.5 * (1 - t * t) * -0.5), rel=1e-15)
    with pytest.raises(RuntimeError, match="cannot be empty"):
        out.backward(inputs=[])


def test_inputs_with_create_graph_gives_a_differentiable_gradient() -> None:
    x = Value(3.0)
    (x ** 3).backward(create_graph=True, inputs=[x])
    assert isinstance(x.grad, Value) and x.grad.data == 27.0
    x.grad.backward(inputs=[x])  # d(3x^2)/dx = 6x = 18, added to the Value 27 above: a Value of 45
    assert float(x.grad.data if isinstance(x.grad, Value) else x.grad) == pytest.approx(45.0)


def test_inputs_refuses_a_value_that_needs_no_gradient() -> None:
    a, _, _, out = graph()
    with no_grad():
        frozen = a * 2.0
    with pytest.raises(RuntimeError):
        out.backward(inputs=[frozen])


def test_the_same_calls_in_torch_give_the_same_numbers() -> None:
    torch = pytest.importorskip("torch")
    ta = torch.tensor(1.5, dtype=torch.float64, requires_grad=True)
    tb = torch.tensor(-0.5, dtype=torch.float64, requires_grad=True)
    tout = (ta * tb).tanh() * ta + tb
    tout.backward(gradient=torch.tensor(2.0, dtype=torch.float64), retain_graph=True, inputs=[ta])
    assert tb.grad is None
    a, b, _, out = graph()
    out.backward(gradient=2.0, retain_graph=True, inputs=[a])
    assert a.grad == pytest.approx(ta.grad.item(), rel=1e-15) and b.grad == 0.0
