"""parity24: edge cases found by sweeping every op over -0.0, subnormals and huge inputs against torch 2.13
(float64), and micrograd's and torch.nn.Module's conventions; each failed before its fix."""

from __future__ import annotations

import math
import struct

import pytest

torch = pytest.importorskip("torch")

import nn  # noqa: E402
import nn.functional as F  # noqa: E402
from autograd import Value  # noqa: E402
from autograd.replay import record  # noqa: E402


def bits(x: float) -> str:
    """The float's 64 bits: tells -0.0 from 0.0 (== does not)."""
    return struct.pack(">d", x).hex()


def t64(x: float, grad: bool = False) -> torch.Tensor:
    return torch.tensor(x, dtype=torch.float64, requires_grad=grad)


@pytest.mark.parametrize("x", [-5e-324, -1e-320, -4e-322, -0.0, 0.0, 5e-324, -1e-300, -3.0])
@pytest.mark.parametrize("slope", [0.01, 0.2, 0.5])
def test_leaky_relu_keeps_the_sign_of_an_underflowing_product(x: float, slope: float) -> None:
    # slope * x underflows to torch's -0.0 for a tiny negative x; relu(a) - b * relu(-a) made it 0.0
    ours = F.leaky_relu(Value(x), slope).data
    theirs = torch.nn.functional.leaky_relu(t64(x), slope).item()
    assert bits(ours) == bits(theirs)
    tape = record(lambda v: F.leaky_relu(v, slope), [x], [])  # the same text replayed
    assert bits(tape.evaluate([x])[0]) == bits(theirs)


@pytest.mark.parametrize("exponent", [1.0, 3.0, 5.0, 0.5, 2.0, 0.0])
def test_negative_zero_to_a_value_power_is_torchs(exponent: float) -> None:
    # (-0.0) ** 1.0 is -0.0 in torch (and C's pow); pow_value returned 0.0 ** b, losing the sign
    base, power = Value(-0.0), Value(exponent)
    out = base**power
    theirs = t64(-0.0) ** t64(exponent)
    assert bits(out.data) == bits(theirs.item())


@pytest.mark.parametrize("x", [5e-324, 1e-300, 1e-8, 0.1, 0.5, 0.99, 1.0, 2.0, 0.0])
@pytest.mark.parametrize("number", [0.0, 2.0, 0.5])
def test_a_number_to_a_value_power_differentiates_the_exponent_only(x: float, number: float) -> None:
    # 0.0 ** x for 0 < x < 1 raised "derivative of 0.0 ** x in the base is infinite": the base is a number,
    # whose derivative torch never takes; torch gives value 0 and gradient 0 in x
    v = Value(x)
    out = number**v
    out.backward()
    t = t64(x, grad=True)
    tout = number**t
    tout.backward()
    assert (bits(out.data), v.grad) == (bits(tout.item()), t.grad.item())
    assert out.op.name == "rpow" and out.parents[0] is v


def test_a_number_to_a_value_power_still_refuses_an_infinite_value() -> None:
    with pytest.raises(ZeroDivisionError, match=r"zero to a negative power in 0\.0 \*\* -1\.0"):
        _ = 0.0 ** Value(-1.0)  # torch: inf


def test_micrograd_neuron_nonlin_flag() -> None:
    micrograd_nn = pytest.importorskip("micrograd.nn")
    for kwargs in ({}, {"nonlin": True}, {"nonlin": False}):
        assert nn.Neuron(3, **kwargs).nonlin == micrograd_nn.Neuron(3, **kwargs).nonlin
    ours, theirs = nn.MLP(2, [3, 3, 1], activation="relu"), micrograd_nn.MLP(2, [3, 3, 1])
    assert [[n.nonlin for n in layer.neurons] for layer in ours.layers] == \
           [[n.nonlin for n in layer.neurons] for layer in theirs.layers]
    assert nn.Neuron(2).nonlin is True  # tanh: a non-linearity too
    with pytest.raises(AttributeError):
        nn.Neuron(2).nonlin = False  # read from the activation; set activation= when building


class _TorchShared(torch.nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.a = torch.nn.ReLU()
        self.b = torch.nn.Tanh()
        self.c = self.a


class _OursShared(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.a = nn.ReLU()
        self.b = nn.Tanh()
        self.c = self.a


def test_repr_prints_a_shared_module_under_each_name_as_torch() -> None:
    # torch's repr walks _modules, which keeps a shared module under each of its names; ours printed it once
    assert repr(_OursShared()).replace("_OursShared", "X") == repr(_TorchShared()).replace("_TorchShared", "X")
    a, b = nn.ReLU(), torch.nn.ReLU()
    assert repr(nn.Sequential(a, a)) == repr(torch.nn.Sequential(b, b))
    assert [n for n, _ in _OursShared().named_children()] == [n for n, _ in _TorchShared().named_children()]


def test_add_module_names_a_builtin_type_as_torch() -> None:
    for bad in (3, "x", 2.5):
        with pytest.raises(TypeError) as theirs:
            torch.nn.Module().add_module("z", bad)
        with pytest.raises(TypeError) as ours:
            nn.Module().add_module("z", bad)
        assert str(ours.value) == str(theirs.value)  # "int is not a Module subclass" (was "builtins.int ...")


@pytest.mark.parametrize("target", ["1.7", "7", "0.x", "1.0.5"])
def test_get_submodule_error_words_are_torchs(target: str) -> None:
    ours = nn.Sequential(nn.ReLU(), nn.Sequential(nn.Tanh()))
    theirs = torch.nn.Sequential(torch.nn.ReLU(), torch.nn.Sequential(torch.nn.Tanh()))
    with pytest.raises(AttributeError) as t_err:
        theirs.get_submodule(target)
    with pytest.raises(AttributeError) as o_err:
        ours.get_submodule(target)
    assert str(o_err.value) == str(t_err.value)


def test_get_submodule_of_a_non_module_attribute_is_torchs_words() -> None:
    class TorchNet(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.scale = 2.0

    class OurNet(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.scale = 2.0

    with pytest.raises(AttributeError) as t_err:
        TorchNet().get_submodule("scale")
    with pytest.raises(AttributeError) as o_err:
        OurNet().get_submodule("scale")
    assert str(o_err.value) == str(t_err.value) == "`scale` is not an nn.Module"
    assert math.isfinite(OurNet().scale)


def test_clip_scale_is_torchs_reciprocal_times_max_norm() -> None:
    # torch's max_norm / (norm + 1e-6) is a number over a tensor: reciprocal, then a product (two roundings);
    # one division gave another last bit in about a quarter of the cases. With the inf-norm (exact in both) or
    # a given total norm, every clipped gradient now equals torch's.
    import random

    rng = random.Random(4)
    for _ in range(200):
        gs = [rng.uniform(-1, 1) * 10 ** rng.uniform(-3, 2) for _ in range(rng.randrange(1, 8))]
        max_norm, total = rng.uniform(0.1, 5.0), rng.uniform(0.1, 50.0)
        for kind in ("inf", "given"):
            tensors = [torch.zeros((), dtype=torch.float64, requires_grad=True) for _ in gs]
            values = [Value(0.0) for _ in gs]
            for t, v, g in zip(tensors, values, gs):
                t.grad, v.grad = t64(g), g
            if kind == "inf":
                torch.nn.utils.clip_grad_norm_(tensors, max_norm, norm_type=math.inf)
                nn.clip_grad_norm_(values, max_norm, norm_type=math.inf)
            else:
                torch.nn.utils.clip_grads_with_norm_(tensors, max_norm, t64(total))
                nn.clip_grads_with_norm_(values, max_norm, total)
            assert [v.grad for v in values] == [t.grad.item() for t in tensors]


@pytest.mark.parametrize("number", [3.0, 0.1, 7.0, -1.3, 1.0, 2.0, 3])
def test_a_number_over_a_value_is_torchs_reciprocal_then_product(number: float) -> None:
    # torch's 3.0 / t is t.reciprocal() * 3.0 (Tensor.__rtruediv__), micrograd's 3.0 * x**-1: two roundings.
    # One division (ours before) differed in the last bit for about a quarter of the inputs.
    import random

    rng = random.Random(int(number * 10))
    for _ in range(400):
        x, seed = rng.uniform(-10.0, 10.0), rng.choice([1.0, 0.3, -2.5])
        v = Value(x)
        out = number / v
        (out * seed).backward()
        t = t64(x, grad=True)
        tout = number / t
        (tout * seed).backward()
        assert (out.data, v.grad) == (tout.item(), t.grad.item())
    assert (number / Value(2.0))._op == "*"  # micrograd's op for other / self, its `other * self**-1`
    with pytest.raises(ZeroDivisionError, match="division by zero"):
        _ = number / Value(0.0)  # torch: inf


def test_readme_micrograd_differences_are_what_micrograd_does() -> None:
    micrograd_engine = pytest.importorskip("micrograd.engine")
    micrograd_nn = pytest.importorskip("micrograd.nn")
    theirs, ours = micrograd_engine.Value(3), Value(3)
    assert theirs.data == 3 and isinstance(theirs.data, int) and ours.data == 3.0 and isinstance(ours.data, float)
    assert isinstance(micrograd_nn.Layer(2, 1)([1.0, 2.0]), micrograd_engine.Value)
    assert isinstance(nn.Layer(2, 1)([1.0, 2.0]), list)
    assert micrograd_nn.Neuron(2).parameters()[-1].data == 0  # micrograd's bias (0) last
    neuron = nn.Neuron(2)
    assert neuron.parameters()[0] is neuron.b  # bias first (micrograd's last)
    assert (micrograd_engine.Value(2.0) ** 2)._op == "**2" and (Value(2.0) ** 2)._op == "**"
    # A second backward: micrograd's interior nodes keep their .grad, so the leaves get more than twice.
    for V, expected in ((micrograd_engine.Value, 108.0), (Value, 72.0)):
        a = V(2.0)
        b = a * 3
        c = b * b
        c.backward()
        c.backward()
        assert a.grad == expected
