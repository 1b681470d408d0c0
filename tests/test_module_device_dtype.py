"""torch's ``model.to(...)``, ``.double()``, ``.cpu()``, ``.type(...)`` on a Module (new-user trial 26).

Every Value is one Python float: float64 on the CPU. torch returns the module itself from a conversion that
changes nothing, so ours does for float64 and the CPU; a dtype or device it cannot hold is refused, naming the
request, rather than a module that silently stays float64.
"""

from __future__ import annotations

import pytest

import nn
from autograd import Value
from nn.device_dtype import UnknownDeviceOrDtype, UnsupportedConversion


def model_and_weights() -> tuple[nn.MLP, list[float]]:
    model = nn.MLP(2, [3, 1], seed=0)
    return model, [p.data for p in model.parameters()]


SAME = [
    ("to('cpu')", lambda m: m.to("cpu")),
    ("to('cpu:0')", lambda m: m.to("cpu:0")),
    ("to(float)", lambda m: m.to(float)),
    ("to('cpu', non_blocking=True)", lambda m: m.to("cpu", non_blocking=True)),
    ("to(Value(1.0))", lambda m: m.to(Value(1.0))),
    ("double()", lambda m: m.double()),
    ("cpu()", lambda m: m.cpu()),
    ("type('torch.DoubleTensor')", lambda m: m.type("torch.DoubleTensor")),
]


@pytest.mark.parametrize(("call", "convert"), SAME, ids=[call for call, _ in SAME])
def test_float64_and_cpu_requests_return_the_module_itself_unchanged(call, convert) -> None:
    model, before = model_and_weights()
    params = list(model.parameters())
    assert convert(model) is model, call
    assert list(model.parameters()) == params  # the same Value objects: an optimizer made before still holds them
    assert [p.data for p in model.parameters()] == before


REFUSED = [
    ("float()", lambda m: m.float(), "float32"),
    ("half()", lambda m: m.half(), "float16"),
    ("bfloat16()", lambda m: m.bfloat16(), "bfloat16"),
    ("cuda()", lambda m: m.cuda(), "'cuda'"),
    ("to('cuda')", lambda m: m.to("cuda"), "'cuda'"),
    ("to('cuda:1')", lambda m: m.to("cuda:1"), "'cuda:1'"),
    ("to('mps')", lambda m: m.to("mps"), "'mps'"),
    ("to(0)", lambda m: m.to(0), "'cuda:0'"),  # torch reads a bare number as a CUDA device
    ("type('torch.FloatTensor')", lambda m: m.type("torch.FloatTensor"), "float32"),
    ("type('torch.cuda.DoubleTensor')", lambda m: m.type("torch.cuda.DoubleTensor"), "'cuda'"),
]


@pytest.mark.parametrize(("call", "convert", "named"), REFUSED, ids=[call for call, _, _ in REFUSED])
def test_other_dtypes_and_devices_are_refused_naming_the_request_and_why(call, convert, named) -> None:
    model, before = model_and_weights()
    with pytest.raises(UnsupportedConversion) as caught:
        convert(model)
    message = str(caught.value)
    assert message.startswith(f"MLP.{call.split('(')[0]}("), message  # the call as written
    assert named in message and "float64" in message and "CPU" in message, message
    assert isinstance(caught.value, NotImplementedError) and isinstance(caught.value, RuntimeError)
    assert [p.data for p in model.parameters()] == before


def test_unknown_names_and_wrong_types_are_named() -> None:
    model, _ = model_and_weights()
    with pytest.raises(UnknownDeviceOrDtype, match="'banana' names no device or dtype"):
        model.to("banana")
    with pytest.raises(TypeError, match=r"MLP.to\(3.5\): expected a device"):
        model.to(3.5)
    with pytest.raises(TypeError, match="unexpected keyword argument 'colour'"):
        model.to("cpu", colour="red")
    with pytest.raises(TypeError, match="at most 2 positional"):
        model.to("cpu", float, "extra")


def test_torch_objects_are_read_without_torch_in_nn_core_and_agree_with_torch() -> None:
    torch = pytest.importorskip("torch")
    model, before = model_and_weights()
    reference = torch.nn.Linear(2, 3).double()
    # torch's own module returns itself for each of these requests (the behaviour followed)
    for request in [("cpu",), (torch.float64,), (torch.device("cpu"),), ("cpu", torch.double)]:
        assert reference.to(*request) is reference
        assert model.to(*request) is model
    assert reference.to(device="cpu", dtype=torch.float64) is reference
    assert model.to(device=torch.device("cpu"), dtype=torch.float64) is model
    assert model.to(torch.zeros(2, dtype=torch.float64)) is model  # torch's to(tensor): its dtype and device
    assert model.type(torch.float64) is model
    assert model.to(torch.float64, True) is model  # torch's to(dtype, non_blocking)
    for request, named in [((torch.float32,), "float32"), ((torch.device("cuda", 1),), "'cuda:1'"),
                           ((torch.zeros(2),), "float32"), ((torch.device("mps"),), "'mps'")]:
        with pytest.raises(UnsupportedConversion, match=named):
            model.to(*request)
    with pytest.raises(UnsupportedConversion, match=r"MLP.type\(torch.float16\): float16"):
        model.type(torch.float16)
    assert [p.data for p in model.parameters()] == before


def test_nn_core_does_not_import_torch() -> None:
    import subprocess
    import sys

    code = ("import sys, nn; m = nn.MLP(2, [1]); m.to('cpu'); m.double(); "
            "assert 'torch' not in sys.modules, 'torch imported'")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_value_shape_is_that_of_a_0d_tensor() -> None:
    assert Value(2.5).shape == ()
    assert (Value(2.0) * 3).shape == ()
    torch = pytest.importorskip("torch")
    assert tuple(torch.tensor(2.5, dtype=torch.float64).shape) == Value(2.5).shape
    assert "shape" not in Value.__slots__  # a property of the class: no per-node cost


def test_requires_grad_false_is_refused_and_its_advice_freezes_the_weights() -> None:
    model = nn.Sequential(nn.Linear(2, 2, seed=1), nn.Tanh(), nn.Linear(2, 1, seed=2))
    frozen_part = model[0]
    with pytest.raises(NotImplementedError) as caught:
        frozen_part.requires_grad_(False)
    message = str(caught.value)
    assert "cannot freeze" in message and "optimizer" in message and "no_grad" in message, message
    assert frozen_part.requires_grad_(True) is frozen_part
    # The advice, followed: the frozen part's weights do not move, the others do (plain SGD, lr 0.1).
    frozen = set(frozen_part.parameters())
    trained = [p for p in model.parameters() if p not in frozen]
    optimizer = nn.SGD(trained, lr=0.1)
    before = {p: p.data for p in model.parameters()}
    loss = model([0.5, -1.0])[0] ** 2
    loss.backward()
    grads = {p: p.grad for p in trained}
    optimizer.step()
    assert all(p.data == before[p] for p in frozen)
    assert all(p.data == before[p] - 0.1 * grads[p] for p in trained)
    assert any(grads[p] != 0.0 for p in trained)
