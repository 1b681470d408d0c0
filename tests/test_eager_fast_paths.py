"""The eager engine's fast paths give what the plain definitions give: dot over Values read without type tests,
a layer converting its inputs once, op methods and backward steps compiled from the op table, constants'
gradient writes dropped by a descriptor, and the count of threads with recording off."""

from __future__ import annotations

import math
import random
import threading

import pytest

from autograd import OPS, Value, apply, dot, no_grad, sum_of
from autograd.functional import dot_inputs, dot_joined
from autograd.grad_mode import THREADS_WITHOUT_GRAD, is_grad_enabled
from autograd.value import Constant, constant
from nn import MLP, Layer, Linear, Neuron


def _central(f, xs: list[float], i: int, h: float = 1e-6) -> float:  # type: ignore[no-untyped-def]
    up, down = list(xs), list(xs)
    up[i] += h
    down[i] -= h
    return (f(up) - f(down)) / (2 * h)


def test_dot_mixing_values_floats_ints_and_repeated_values_matches_torch() -> None:
    torch = pytest.importorskip("torch")  # an optional reference: skipped where it is not installed
    rng = random.Random(3)
    numbers = [rng.uniform(-2, 2) for _ in range(5)]
    w = [Value(v) for v in numbers]
    x = Value(0.7)
    weights = [w[0], 2, w[1], w[2], -1.5, w[0]]  # w[0] twice; an int and a float among the weights
    inputs = [x, w[3], 3.0, x, w[4], w[1]]  # x twice; a weight also an input; a float
    out = dot(weights, inputs)
    out.backward()

    tw = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in numbers]
    tx = torch.tensor(0.7, dtype=torch.float64, requires_grad=True)
    tweights = [tw[0], 2.0, tw[1], tw[2], -1.5, tw[0]]
    tinputs = [tx, tw[3], 3.0, tx, tw[4], tw[1]]
    tout = sum(a * b for a, b in zip(tweights, tinputs))
    tout.backward()
    assert out.data == pytest.approx(tout.item(), abs=1e-12)
    for v, t in zip(w, tw):
        assert v.grad == pytest.approx(t.grad.item(), abs=1e-12)
    assert x.grad == pytest.approx(tx.grad.item(), abs=1e-12)
    assert out.op is OPS["dot"] and len(out.parents) == 12
    assert all(isinstance(p, Value) for p in out.parents)


def test_dot_with_an_input_that_needs_no_gradient_and_against_central_differences() -> None:
    xs = [0.3, -1.2, 2.0, 0.5]

    def f(v: list[float]) -> float:
        return v[0] * v[2] + v[1] * v[3] * v[3]

    leaves = [Value(v) for v in xs]
    with no_grad():
        frozen = leaves[3] * leaves[3]  # a leaf: recording was off
    out = dot([leaves[0], leaves[1]], [leaves[2], frozen])
    out.backward()
    assert frozen.grad == 0.0  # as PyTorch: a value computed under no_grad receives no gradient (torch: None)
    assert leaves[3].grad == 0.0  # the graph stops at the no_grad result
    for i in range(3):
        assert leaves[i].grad == pytest.approx(_central(f, xs, i), abs=1e-7)


def test_dot_refuses_what_is_no_number_and_unequal_lengths() -> None:
    with pytest.raises(TypeError, match="operand of dot must be a real number, got str"):
        dot([Value(1.0)], ["2"])
    with pytest.raises(TypeError, match="bool"):
        dot([Value(1.0)], [True])
    with pytest.raises(ValueError, match="dot: lengths differ"):
        dot([Value(1.0), 2.0], [3.0])
    with pytest.raises(ValueError, match="must be finite"):
        dot([Value(1.0)], [math.inf])
    with pytest.raises(OverflowError, match="dot"):
        dot([Value(1e200)], [Value(1e200)])
    assert dot((), ()).data == 0.0
    assert dot((w for w in [Value(2.0)]), iter([3])).data == 6.0  # any iterables, as before


def test_dot_joined_is_dot_of_the_two_halves_with_the_same_checks() -> None:
    rng = random.Random(5)
    w = [Value(rng.uniform(-2, 2)) for _ in range(4)]
    x = [Value(rng.uniform(-2, 2)) for _ in range(4)]
    joined = dot_joined((*w, *x))
    apart = dot(w, x)
    # The same node: the same op, parents in the same order, the same bits (x0*x4 + x1*x5 + ..., left to right).
    assert joined.op is OPS["dot"] and joined.parents == (*w, *x) and joined.data == apart.data
    assert joined.data == ((w[0].data * x[0].data + w[1].data * x[1].data) + w[2].data * x[2].data) + \
        w[3].data * x[3].data
    joined.backward()
    assert [v.grad for v in w] == [v.data for v in x] and [v.grad for v in x] == [v.data for v in w]
    mixed = dot_joined((w[0], 2, x[0], 0.5))  # numbers become constants, as in dot
    assert mixed.data == w[0].data * x[0].data + 2 * 0.5 and isinstance(mixed.parents[1], Constant)
    assert dot_joined(()).data == 0.0
    with pytest.raises(ValueError, match="3 operands cannot be split"):
        dot_joined((w[0], w[1], x[0]))
    with pytest.raises(TypeError, match="operand of dot must be a real number, got str"):
        dot_joined((w[0], "2"))
    with pytest.raises(OverflowError, match="dot"):
        dot_joined((Value(1e200), Value(1e200)))


@pytest.mark.parametrize("pairs", [4, 600])  # 600 pairs: past the fan-in whose node maker is compiled inline
def test_dot_converts_plain_numbers_at_any_width_and_apply_of_no_inputs_is_zero(pairs: int) -> None:
    rng = random.Random(pairs)
    ws = [Value(rng.uniform(-1, 1)) for _ in range(pairs)]
    xs: list[Value | float] = [rng.uniform(-1, 1) for _ in range(pairs)]
    out = dot(ws, xs)
    # Left to right, the same bits. Not the builtin sum(): from Python 3.12 it adds floats with compensation.
    expected = -0.0
    for w, x in zip(ws, xs):
        expected += w.data * x
    assert out.data == expected
    assert all(isinstance(p, Constant) for p in out.parents[pairs:])
    out.backward()
    assert [w.grad for w in ws] == xs
    with pytest.raises(TypeError, match="operand of dot must be a real number, got str"):
        dot(ws, [*xs[:-1], "x"])
    nothing = apply(OPS["dot"])  # an n-ary op of no inputs: the empty dot, 0
    assert nothing.data == 0.0 and nothing.parents == ()


def test_dot_inputs_makes_values_and_names_the_bad_operand() -> None:
    x = Value(1.0)
    converted = dot_inputs([x, 2, 0.5])
    assert converted[0] is x and isinstance(converted[1], Constant) and converted[2].data == 0.5
    with pytest.raises(TypeError, match="operand of dot must be a real number, got complex"):
        dot_inputs([1j])


def test_a_layer_gives_what_its_neurons_give_one_by_one() -> None:
    layer = Layer(3, 4, activation="tanh", seed=1)
    x = [0.5, Value(-0.25), 2]
    outputs = layer(x)
    for neuron, out in zip(layer.neurons, outputs):
        alone = neuron(x)
        assert out.data == alone.data
        assert out.parents[0].op is OPS["dot"] and len(out.parents[0].parents) == 8
    with pytest.raises(ValueError, match="expects 3 inputs, got 2"):
        layer([1.0, 2.0])
    with pytest.raises(TypeError, match="real number"):
        layer([1.0, "a", 2.0])


def test_a_neuron_subclass_in_a_layer_runs_its_own_forward() -> None:
    class Doubled(Neuron):
        def forward(self, x):  # type: ignore[no-untyped-def,override]
            return super().forward(x) * 2.0

    layer = Layer(2, 2, activation="linear", seed=0)
    plain = layer([1.0, 2.0])[0].data
    layer.neurons[0].__class__ = Doubled
    assert layer([1.0, 2.0])[0].data == 2.0 * plain


def test_mlp_and_linear_gradients_match_torch() -> None:
    torch = pytest.importorskip("torch")
    model = MLP(3, [5, 4, 1], activation="tanh", seed=7)
    x = [0.2, -0.7, 1.1]
    loss = (model(x) - 0.3) ** 2
    loss.backward()
    params = model.parameters()
    tparams = [torch.tensor(p.data, dtype=torch.float64, requires_grad=True) for p in params]
    it = iter(tparams)
    h = [torch.tensor(v, dtype=torch.float64) for v in x]
    for li, layer in enumerate(model.layers):
        out = []
        for neuron in layer.neurons:
            b = next(it)
            ws = [next(it) for _ in neuron.w]
            s = b + sum(wi * hi for wi, hi in zip(ws, h))
            out.append(torch.tanh(s) if li < len(model.layers) - 1 else s)
        h = out
    tloss = (h[0] - 0.3) ** 2
    tloss.backward()
    assert loss.data == pytest.approx(tloss.item(), abs=1e-12)
    for p, t in zip(params, tparams):
        assert p.grad == pytest.approx(t.grad.item(), abs=1e-12)

    linear = Linear(3, 2, seed=2)
    y = sum_of(linear([1.0, Value(2.0), -0.5]))
    y.backward()
    assert linear.b[0].grad == 1.0 and linear.W[1][0].grad == 1.0 and linear.W[0][2].grad == -0.5


def test_a_constant_drops_gradient_writes_and_keeps_its_number() -> None:
    c = constant(4.25)
    c.grad += 3.0
    c.grad = 7.0
    assert c.grad == 0.0
    c.data = 4.25  # the number it holds: allowed
    with pytest.raises(AttributeError, match="constant 4.25 is shared"):
        c.data = 5.0
    x = Value(2.0)
    (x * 4.25 + 4.25 * x).backward()
    assert x.grad == 8.5 and c.grad == 0.0 and c.data == 4.25


def test_every_op_method_equals_the_op_applied_and_differentiates_like_it() -> None:
    a, b = 0.8, 1.7
    pairs = [
        (lambda x, y: x + y, "add"), (lambda x, y: x - y, "sub"), (lambda x, y: x * y, "mul"),
        (lambda x, y: x / y, "div"), (lambda x, y: a + y, "add"), (lambda x, y: a - y, "sub"),
        (lambda x, y: a * y, "mul"),
    ]
    for f, name in pairs:
        x, y = Value(a), Value(b)
        out = f(x, y)
        assert out.op is OPS[name]
        assert out.data == OPS[name].forward(*[p.data for p in out.parents])
        out.backward()
        partials = OPS[name].derivative(out.data, *[p.data for p in out.parents])
        assert y.grad == partials[-1]
    # A number over a Value is the reciprocal times the number (torch's and micrograd's order).
    y = Value(b)
    out = a / y
    assert out.op is OPS["mul"] and out.parents[0].op is OPS["reciprocal"] and out.parents[0].parents == (y,)
    assert out.data == (1.0 / b) * a
    out.backward()
    assert y.grad == a * -((1.0 / b) * (1.0 / b))
    for name in ("exp", "log", "sqrt", "tanh", "sigmoid", "relu", "abs", "neg"):
        x = Value(a)
        out = -x if name == "neg" else getattr(x, name)()
        assert out.op is OPS[name] and out.data == OPS[name].forward(a)
        out.backward()
        assert x.grad == OPS[name].derivative(out.data, a)[0]


def test_a_wide_sum_with_more_inputs_than_inlined_backward_steps() -> None:
    xs = [Value(float(i)) for i in range(300)]
    total = sum_of([x * x for x in xs] + [xs[5]])  # 301 inputs: the looping backward step
    total.backward()
    assert xs[5].grad == 2 * 5.0 + 1.0 and xs[299].grad == 598.0


def test_grad_mode_count_follows_every_thread() -> None:
    assert THREADS_WITHOUT_GRAD[0] == 0 and is_grad_enabled()  # (a thread that ended inside no_grad: uncounted)
    inside = threading.Event()
    leave = threading.Event()
    seen: list[object] = []

    def evaluator() -> None:
        with no_grad():
            seen.append((Value(1.0) * 2.0).is_leaf)
            inside.set()
            leave.wait(10)

    t = threading.Thread(target=evaluator)
    t.start()
    inside.wait(10)
    assert THREADS_WITHOUT_GRAD[0] == 1
    x = Value(3.0)
    y = x * x  # this thread still records
    assert not y.is_leaf
    leave.set()
    t.join(10)
    assert seen == [True] and THREADS_WITHOUT_GRAD[0] == 0
    with no_grad():
        with no_grad():
            assert THREADS_WITHOUT_GRAD[0] == 1 and (x + 1.0).is_leaf
        assert THREADS_WITHOUT_GRAD[0] == 1
    assert THREADS_WITHOUT_GRAD[0] == 0


def test_a_thread_ending_inside_no_grad_is_uncounted_and_others_keep_recording() -> None:
    context = no_grad()

    def leaves_it_open() -> None:
        context.__enter__()  # never exited: the thread ends with recording off

    t = threading.Thread(target=leaves_it_open)
    t.start()
    t.join(10)
    x = Value(2.0)
    assert not (x * x).is_leaf  # this thread records
    del t
    import gc

    gc.collect()
    assert THREADS_WITHOUT_GRAD[0] == 0  # the ended thread's state went with it, and its token


@pytest.mark.parametrize("pairs", [3, 64, 65, 130, 512, 513])
def test_wide_dot_and_sum_give_the_bits_of_the_tables_expression(pairs: int) -> None:
    from autograd.helpers import HELPERS

    rng = random.Random(pairs)
    numbers = [rng.uniform(-3, 3) for _ in range(2 * pairs)]
    ws, xs = [Value(v) for v in numbers[:pairs]], [Value(v) for v in numbers[pairs:]]
    by_loop = HELPERS["dot_all"](*numbers)  # the looping helper a tape calls past FLAT_ABOVE, left to right
    assert dot(ws, xs).data == by_loop
    assert by_loop == pytest.approx(math.fsum(w * x for w, x in zip(numbers[:pairs], numbers[pairs:])), abs=1e-9)
    assert sum_of(ws + xs).data == HELPERS["add_all"](*numbers)
    source = OPS["dot"].forward_code_for(2 * pairs)
    assert source.startswith("dot_all(") == (pairs > 64)  # a tape's source keeps the short form


def test_dot_with_a_plain_number_last_converts_it_and_refuses_a_non_number() -> None:
    from autograd import Value, dot

    w1, w2, x = Value(0.75), Value(-1.5), Value(2.0)
    out = dot([w1, w2], [x, 1.0])  # the bias idiom: [*h, 1.0]
    out.backward()
    assert out.data == 0.75 * 2.0 - 1.5
    assert (w1.grad, w2.grad, x.grad) == (2.0, 1.0, 0.75)
    with pytest.raises(TypeError, match="dot"):
        dot([w1, w2], [x, "1.0"])


def test_dot_with_plain_numbers_last_and_in_the_middle_converts_both() -> None:
    from autograd import Value, dot

    w1, w2, w3, x = Value(0.75), Value(-1.5), Value(0.5), Value(2.0)
    out = dot([w1, w2, w3], [3.0, x, 1.0])  # the last is converted first; the 3.0 then fails the fast path
    out.backward()
    assert out.data == 0.75 * 3.0 - 1.5 * 2.0 + 0.5
    assert (w1.grad, w2.grad, w3.grad, x.grad) == (3.0, 2.0, 1.0, -1.5)
    with pytest.raises(TypeError, match="dot"):
        dot([w1, w2, w3], [None, x, 1.0])
