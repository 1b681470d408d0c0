"""The PyTorch bridge: exact round trips, parity with hand-written torch references, clear refusals.

Skipped where PyTorch is not installed (an optional extra: pip install "valuegrad[torch]").
"""

from __future__ import annotations

import importlib.util
import math
import os
import random
import re
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

torch = pytest.importorskip("torch")

from conftest import svg_renderer_available  # noqa: E402
from torch import nn  # noqa: E402

from autograd import no_grad  # noqa: E402
from nn import MLP, CharModel, Layer, Linear, LSTMCell, RNNCell  # noqa: E402
from nn.torch_bridge import NoCounterpart, TorchCharModel, from_torch, parity_report, to_torch  # noqa: E402

ACTS = ["tanh", "sigmoid", "relu", "linear"]
TORCH_ACT = {"tanh": torch.tanh, "sigmoid": torch.sigmoid, "relu": torch.relu, "linear": lambda t: t}
SEEDS = range(6)


def bits(x: float) -> bytes:
    """The float's 8 bytes: equal bits, so -0.0 and 0.0 differ."""
    return struct.pack("<d", x)


def same_bits(a: dict[str, float], b: dict[str, float]) -> bool:
    return list(a) == list(b) and all(bits(a[k]) == bits(b[k]) for k in a)


def randomize(model, rng: random.Random) -> None:
    """Every parameter drawn from U(-1, 1), biases included (they start at 0 or 1)."""
    for p in model.parameters():
        p.data = rng.uniform(-1.0, 1.0)


def random_model(kind: str, seed: int):
    """A model of ``kind`` with random sizes and weights, and inputs for it."""
    rng = random.Random(seed)
    if kind == "mlp":
        nin, nouts = rng.randint(1, 5), [rng.randint(1, 5) for _ in range(rng.randint(1, 3))]
        model = MLP(nin, nouts, activations=[rng.choice(ACTS) for _ in nouts], seed=seed)
        inputs = [[rng.uniform(-2, 2) for _ in range(nin)] for _ in range(rng.randint(1, 4))]
    elif kind in ("rnn", "lstm"):
        size, hidden = rng.randint(1, 5), rng.randint(1, 5)
        model = (RNNCell if kind == "rnn" else LSTMCell)(size, hidden, seed=seed)
        inputs = [rng.randrange(size) if rng.random() < 0.4 else [rng.uniform(-2, 2) for _ in range(size)]
                  for _ in range(rng.randint(1, 5))]
    else:
        vocab, hidden = rng.randint(2, 6), rng.randint(1, 5)
        model = CharModel(vocab, hidden, cell=rng.choice(["rnn", "lstm"]), seed=seed)
        inputs = [rng.randrange(vocab) for _ in range(rng.randint(1, 6))]
    randomize(model, rng)
    return model, inputs


# --- an independent reference: each model's equations written in torch, from its weights ----------------


def tensor_of(values) -> torch.Tensor:
    return torch.tensor([[v.data for v in row] for row in values], dtype=torch.float64, requires_grad=True)


def vector_of(values) -> torch.Tensor:
    return torch.tensor([v.data for v in values], dtype=torch.float64, requires_grad=True)


def step_input(x, size: int) -> torch.Tensor:
    if isinstance(x, int):
        e = torch.zeros(size, dtype=torch.float64)
        e[x] = 1.0
        return e
    return torch.tensor(x, dtype=torch.float64)


def reference_cell(cell, named: list, prefix: str = ""):
    """Tensors for a cell's weights (appended to ``named`` as (our name, tensor)) and its step function."""
    if isinstance(cell, RNNCell):
        Wxh, Whh, bh = tensor_of(cell.Wxh), tensor_of(cell.Whh), vector_of(cell.bh)
        named += [(f"{prefix}Wxh", Wxh), (f"{prefix}Whh", Whh), (f"{prefix}bh", bh)]

        def rnn_step(x, state):
            h = torch.tanh(Wxh @ x + Whh @ state + bh)
            return h, h

        return rnn_step, torch.zeros(cell.hidden_size, dtype=torch.float64)
    gates = {}
    for g in "ifgo":
        gates[g] = tensor_of(getattr(cell, f"W_{g}")), vector_of(getattr(cell, f"b_{g}"))
        named += [(f"{prefix}W_{g}", gates[g][0]), (f"{prefix}b_{g}", gates[g][1])]

    def lstm_step(x, state):
        h, c = state
        z = {g: W @ torch.cat([x, h]) + b for g, (W, b) in gates.items()}
        c = torch.sigmoid(z["f"]) * c + torch.sigmoid(z["i"]) * torch.tanh(z["g"])
        h = torch.sigmoid(z["o"]) * torch.tanh(c)
        return h, (h, c)

    zeros = torch.zeros(cell.hidden_size, dtype=torch.float64)
    return lstm_step, (zeros, zeros.clone())


def reference(model, inputs, targets=None):
    """Outputs, loss and {our parameter name: gradient} computed in torch from ``model``'s equations."""
    named: list = []
    outputs = []
    if isinstance(model, MLP):
        layers = []
        for number, layer in enumerate(model.layers):
            W = torch.tensor([[w.data for w in n.w] for n in layer.neurons], dtype=torch.float64, requires_grad=True)
            b = torch.tensor([n.b.data for n in layer.neurons], dtype=torch.float64, requires_grad=True)
            layers.append((W, b, TORCH_ACT[layer.neurons[0].activation]))
            named += [(f"layers.{number}.W", W), (f"layers.{number}.b", b)]
        for x in inputs:
            a = torch.tensor(x, dtype=torch.float64)
            for W, b, act in layers:
                a = act(W @ a + b)
            outputs.append(a)
    else:
        cell = model.cell if isinstance(model, CharModel) else model
        step, state = reference_cell(cell, named, "cell." if isinstance(model, CharModel) else "")
        if isinstance(model, CharModel):
            Why, by = tensor_of(model.head.W), vector_of(model.head.b)
            named += [("head.W", Why), ("head.b", by)]
        for x in inputs:
            h, state = step(step_input(x, cell.input_size), state)
            outputs.append(Why @ h + by if isinstance(model, CharModel) else h)
    out = torch.stack(outputs)
    if targets is None:
        loss = 0.5 * (out * out).sum()
    else:
        loss = sum(torch.logsumexp(z, 0) - z[t] for z, t in zip(out, targets))
    grads = torch.autograd.grad(loss, [t for _, t in named])
    return out.detach(), float(loss.detach()), {name: g for (name, _), g in zip(named, grads)}


def reference_gradient(grads: dict, name: str) -> tuple[float, float]:
    """Our parameter ``name`` (layers.1.neurons.2.w.0, cell.W_f.3.4) in the reference grads, and its tensor's scale."""
    parts = name.split(".")
    if parts[0] == "layers":
        layer, neuron = parts[1], int(parts[3])
        if parts[4] == "b":
            tensor, index = grads[f"layers.{layer}.b"], (neuron,)
        else:
            tensor, index = grads[f"layers.{layer}.W"], (neuron, int(parts[5]))
    else:
        tensor = grads[".".join(p for p in parts if not p.isdigit())]
        index = tuple(int(p) for p in parts if p.isdigit())
    return float(tensor[index]), float(tensor.abs().max())


def assert_close(ours: float, theirs: float, what: str, scale: float = 0.0, rel: float = 1e-12) -> None:
    """|ours - theirs| <= rel * max(|ours|, |theirs|, scale).

    ``scale`` is the largest magnitude in the entry's tensor: an entry that is
    a sum of cancelling terms carries rounding error on the scale of those
    terms, not of its own small value (float64 gives ~1e-16 of that scale).
    """
    bound = rel * max(abs(ours), abs(theirs), scale)
    assert abs(ours - theirs) <= bound, f"{what}: ours {ours!r}, torch {theirs!r}"


def assert_tensors_close(ours: torch.Tensor, theirs: torch.Tensor, what: str) -> None:
    """`assert_close` entry by entry, with the tensor's largest magnitude as the scale."""
    assert ours.shape == theirs.shape, what
    scale = float(theirs.abs().max())
    for index, (a, b) in enumerate(zip(ours.flatten().tolist(), theirs.flatten().tolist())):
        assert_close(a, b, f"{what}[{index}]", scale)


def our_run(model, inputs, targets=None):
    """Our outputs, loss and {name: grad}, straight from the engine."""
    if isinstance(model, MLP):
        outputs = []
        for x in inputs:
            y = model(x)
            outputs.append(y if isinstance(y, list) else [y])
    elif isinstance(model, CharModel):
        outputs, _ = model.unroll(inputs)
    else:
        state, outputs = model.initial_state(), []
        for x in inputs:
            state = model(x, state)
            outputs.append(model.output(state))
    if targets is None:
        loss = sum((y * y for row in outputs for y in row), start=0.0) * 0.5
    else:
        loss, _ = model.sequence_loss(inputs, targets)
    model.zero_grad()
    loss.backward()
    return [[y.data for y in row] for row in outputs], loss.data, {n: p.grad for n, p in model.named_parameters()}


# --- round trips ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["mlp", "rnn", "lstm", "char"])
@pytest.mark.parametrize("seed", SEEDS)
def test_ours_to_torch_and_back_is_bit_exact(kind: str, seed: int) -> None:
    model, _ = random_model(kind, seed)
    first = model.parameters()[seed % model.num_parameters()]
    first.data = -0.0  # a signed zero must survive too (bias_ih + 0.0 would turn it into +0.0)
    back = from_torch(to_torch(model))
    assert type(back) is type(model)
    assert same_bits(back.state_dict(), model.state_dict())


@settings(max_examples=40, deadline=None)
@given(kind=st.sampled_from(["mlp", "rnn", "lstm", "char"]), seed=st.integers(0, 10_000),
       weights=st.lists(st.floats(allow_nan=False, allow_infinity=False), min_size=1, max_size=50))
def test_any_finite_float_crosses_bit_exactly(kind: str, seed: int, weights: list[float]) -> None:
    """Subnormals, -0.0, 1e308: every float64 weight survives ours -> torch -> ours unchanged."""
    model, _ = random_model(kind, seed)
    for p, w in zip(model.parameters(), weights):
        p.data = w
    module = to_torch(model)
    back = from_torch(module)
    assert same_bits(back.state_dict(), model.state_dict())


def random_torch_module(kind: str, seed: int) -> nn.Module:
    torch.manual_seed(seed)
    rng = random.Random(seed)
    if kind == "mlp":
        sizes = [rng.randint(1, 5) for _ in range(rng.randint(2, 4))]
        layers: list[nn.Module] = []
        for nin, nout in zip(sizes, sizes[1:]):
            layers.append(nn.Linear(nin, nout, dtype=torch.float64))
            act = rng.choice([nn.Tanh, nn.Sigmoid, nn.ReLU, nn.Identity, None])
            if act is not None:
                layers.append(act())
        return nn.Sequential(*layers)
    if kind == "rnn":
        return nn.RNNCell(rng.randint(1, 5), rng.randint(1, 5), dtype=torch.float64)
    if kind == "lstm":
        return nn.LSTMCell(rng.randint(1, 5), rng.randint(1, 5), dtype=torch.float64)
    return TorchCharModel(rng.randint(2, 6), rng.randint(1, 5), rng.choice(["rnn", "lstm"]))


@pytest.mark.parametrize("kind", ["mlp", "rnn", "lstm", "char"])
@pytest.mark.parametrize("seed", SEEDS)
def test_torch_to_ours_and_back_is_bit_exact(kind: str, seed: int) -> None:
    module = random_torch_module(kind, seed)
    with torch.no_grad():
        for name, p in module.named_parameters():
            if "bias_hh" in name:
                p.zero_()  # the one layout our single bias holds exactly (as to_torch makes it)
    again = to_torch(from_torch(module))
    theirs, ours = dict(module.named_parameters()), dict(again.named_parameters())
    # Identity layers are dropped on import, so Linear layers may sit at other indices: compare in order.
    assert [tuple(p.shape) for p in theirs.values()] == [tuple(p.shape) for p in ours.values()]
    for (name, a), b in zip(theirs.items(), ours.values()):
        assert b.dtype == torch.float64
        same = a.detach().view(torch.int64) == b.detach().view(torch.int64)
        assert bool(same.all()), name


@pytest.mark.parametrize("cls", [nn.RNNCell, nn.LSTMCell])
def test_two_nonzero_biases_import_as_their_float64_sum(cls) -> None:
    torch.manual_seed(3)
    cell = cls(3, 4, dtype=torch.float64)
    with torch.no_grad():
        cell.bias_hh[0] = 0.0
        cell.bias_ih[1] = -0.0
    model = from_torch(cell)
    hidden = 4
    ours = [v.data for v in model.bh] if cls is nn.RNNCell else [
        v.data for g in "ifgo" for v in getattr(model, f"b_{g}")][: 4 * hidden]
    ih, hh = cell.bias_ih.detach().tolist(), cell.bias_hh.detach().tolist()
    expected = [a + b for a, b in zip(ih, hh)]
    expected[0] = ih[0]
    expected[1] = hh[1]
    assert [bits(x) for x in ours] == [bits(x) for x in expected[: len(ours)]]


def test_float32_module_imports_exactly_and_exports_rounded() -> None:
    torch.manual_seed(0)
    module = nn.Sequential(nn.Linear(3, 2), nn.Sigmoid())
    model = from_torch(module)
    assert [n.w[1].data for n in model.layers[0].neurons] == module[0].weight[:, 1].double().tolist()
    back = to_torch(model, dtype=torch.float32)
    assert back[0].weight.dtype == torch.float32
    assert torch.equal(back[0].weight, module[0].weight)
    with pytest.raises(TypeError, match="dtype"):
        to_torch(model, dtype=torch.int64)


@pytest.mark.parametrize("cls", [nn.RNN, nn.LSTM])
def test_one_layer_recurrent_modules_import_as_cells(cls) -> None:
    torch.manual_seed(1)
    layer = cls(3, 4, dtype=torch.float64)
    model = from_torch(layer)
    assert type(model) is (RNNCell if cls is nn.RNN else LSTMCell)
    x = torch.randn(5, 3, dtype=torch.float64)
    with torch.no_grad():
        expected, _ = layer(x)
    state = model.initial_state()
    for t, row in enumerate(x.tolist()):
        state = model(row, state)
        for k, h in enumerate(model.output(state)):
            assert_close(h.data, float(expected[t, k]), f"h[{t}][{k}]", float(expected.abs().max()))


@pytest.mark.parametrize("cls", [nn.RNN, nn.LSTM])
def test_parity_report_runs_a_whole_recurrent_layer(cls) -> None:
    torch.manual_seed(2)
    layer = cls(2, 3, dtype=torch.float64)
    report = parity_report(from_torch(layer), layer, [[0.5, -1.0], 1, [2.0, 0.3], 0])
    assert report.ok and report.worst_error <= 1e-12
    assert len(report.of_kind("output")) == 4 * 3


# --- outputs and gradients against torch, 1e-12 in float64 ------------------------------------------------


@pytest.mark.parametrize("kind", ["mlp", "rnn", "lstm", "char"])
@pytest.mark.parametrize("seed", SEEDS)
def test_outputs_and_gradients_match_a_torch_reference(kind: str, seed: int) -> None:
    model, inputs = random_model(kind, seed)
    outputs, loss, grads = our_run(model, inputs)
    ref_out, ref_loss, ref_grads = reference(model, inputs)
    scale = float(ref_out.abs().max())
    for t, row in enumerate(outputs):
        for k, y in enumerate(row):
            assert_close(y, float(ref_out[t, k]), f"output[{t}][{k}]", scale)
    assert_close(loss, ref_loss, "loss")
    for name, g in grads.items():
        expected, scale = reference_gradient(ref_grads, name)
        assert_close(g, expected, name, scale)


def test_char_model_cross_entropy_gradients_match_a_torch_reference() -> None:
    model, inputs = random_model("char", 11)
    targets = inputs[1:] + inputs[:1]
    _, loss, grads = our_run(model, inputs, targets)
    _, ref_loss, ref_grads = reference(model, inputs, targets)
    assert_close(loss, ref_loss, "loss")
    for name, g in grads.items():
        expected, scale = reference_gradient(ref_grads, name)
        assert_close(g, expected, name, scale)


@pytest.mark.parametrize("kind", ["mlp", "rnn", "lstm", "char"])
@pytest.mark.parametrize("seed", SEEDS)
def test_exported_module_computes_what_the_reference_computes(kind: str, seed: int) -> None:
    """to_torch's module, run by torch.nn itself, gives the reference's outputs and gradients."""
    model, inputs = random_model(kind, seed)
    module = to_torch(model)
    ref_out, ref_loss, ref_grads = reference(model, inputs)
    if kind == "mlp":
        out = module(torch.tensor(inputs, dtype=torch.float64))
    elif kind == "char":
        out, _ = module(torch.tensor(inputs))
    else:
        state, hs = None, []
        for x in inputs:
            state = module(step_input(x, model.input_size), state)
            hs.append(state[0] if kind == "lstm" else state)
        out = torch.stack(hs)
    loss = 0.5 * (out * out).sum()
    loss.backward()
    assert_close(float(loss.detach()), ref_loss, "loss")
    assert_tensors_close(out.detach(), ref_out, "outputs")
    params = dict(module.named_parameters())
    if kind == "mlp":
        linears = [m for m in module if isinstance(m, nn.Linear)]
        for number, linear in enumerate(linears):
            assert_tensors_close(linear.weight.grad, ref_grads[f"layers.{number}.W"], f"linear {number} weight")
            assert_tensors_close(linear.bias.grad, ref_grads[f"layers.{number}.b"], f"linear {number} bias")
        return
    prefix = "cell." if kind == "char" else ""
    cell = model.cell if kind == "char" else model
    size = cell.input_size
    if isinstance(cell, RNNCell):
        expected_ih, expected_hh = ref_grads[f"{prefix}Wxh"], ref_grads[f"{prefix}Whh"]
        expected_b = ref_grads[f"{prefix}bh"]
    else:  # PyTorch stacks the gates i, f, g, o; each of our W_g is [input part | recurrent part]
        stacked = torch.cat([ref_grads[f"{prefix}W_{g}"] for g in "ifgo"])
        expected_ih, expected_hh = stacked[:, :size], stacked[:, size:]
        expected_b = torch.cat([ref_grads[f"{prefix}b_{g}"] for g in "ifgo"])
    assert_tensors_close(params[f"{prefix}weight_ih"].grad, expected_ih, f"{prefix}weight_ih")
    assert_tensors_close(params[f"{prefix}weight_hh"].grad, expected_hh, f"{prefix}weight_hh")
    assert_tensors_close(params[f"{prefix}bias_ih"].grad, expected_b, f"{prefix}bias_ih")
    assert_tensors_close(params[f"{prefix}bias_hh"].grad, expected_b, f"{prefix}bias_hh")
    if kind == "char":
        assert_tensors_close(params["head.weight"].grad, ref_grads["head.W"], "head.weight")
        assert_tensors_close(params["head.bias"].grad, ref_grads["head.b"], "head.bias")


# --- parity_report ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["mlp", "rnn", "lstm", "char"])
def test_parity_report_of_an_exported_model_is_ok(kind: str) -> None:
    model, inputs = random_model(kind, 5)
    _, loss, _ = our_run(model, inputs)
    module = to_torch(model)
    report = parity_report(model, module, inputs)
    assert report.ok and report.exit_status() == 0
    assert report.worst_error <= 1e-12
    assert_close(report.of_kind("loss")[0].theirs, loss, "loss row")
    # every parameter has a gradient row and a weight row; recurrent biases have two gradient rows
    names = {row.name for row in report.of_kind("gradient")}
    assert names == {name for name, _ in model.named_parameters()}
    assert len(report.of_kind("weight")) == model.num_parameters()
    assert all(row.error == 0.0 for row in report.of_kind("weight"))
    assert "OK" in str(report)


def test_parity_report_finds_a_changed_weight_and_fails() -> None:
    model = LSTMCell(2, 3, seed=0)
    module = to_torch(model)
    with torch.no_grad():
        module.weight_hh[4, 1] += 1e-3  # gate f, unit 1, recurrent input 1: our W_f[1][2 + 1]
    report = parity_report(model, module, [[0.5, -1.0], 1, [2.0, 0.3]])
    assert not report.ok and report.exit_status() == 1
    worst_weight = report.worst("weight")
    assert (worst_weight.name, worst_weight.torch_name) == ("W_f.1.3", "weight_hh[4, 1]")
    assert "MISMATCH" in report.summary()


def test_parity_report_cross_entropy_and_leaves_gradients_alone() -> None:
    model = CharModel(4, 3, cell="lstm", seed=2)
    module = to_torch(model)
    model.parameters()[0].grad = 7.0
    module.head.bias.grad = torch.ones(4, dtype=torch.float64)
    report = parity_report(model, module, [0, 1, 2, 3], targets=[1, 2, 3, 0])
    loss, _ = model.sequence_loss([0, 1, 2, 3], [1, 2, 3, 0])
    assert_close(report.of_kind("loss")[0].ours, loss.data, "loss row")
    assert report.ok
    assert model.parameters()[0].grad == 7.0
    assert torch.equal(module.head.bias.grad, torch.ones(4, dtype=torch.float64))


@pytest.mark.parametrize("kind", ["mlp", "lstm", "char"])
def test_parity_report_of_a_frozen_module(kind: str) -> None:
    model, inputs = random_model(kind, 8)
    module = to_torch(model).requires_grad_(False)
    report = parity_report(model, module, inputs)
    assert report.ok and report.worst_error <= 1e-12
    assert all(p.grad is None and not p.requires_grad for p in module.parameters())


def test_parity_report_takes_tensors_as_inputs() -> None:
    model = MLP(3, [2], seed=3)
    samples = torch.tensor([[0.5, -1.0, 2.0], [0.0, 1.0, 1.0]], dtype=torch.float64)
    report = parity_report(model, to_torch(model), samples)
    assert report.ok and [row.ours for row in report.of_kind("output")] == [
        y.data for x in samples.tolist() for y in model(x)]
    char = CharModel(4, 2, seed=1)
    indices = torch.tensor([0, 3, 1])
    assert parity_report(char, to_torch(char), indices, targets=torch.tensor([3, 1, 2])).ok


def test_parity_report_fails_when_torch_overflows() -> None:
    model = MLP(1, [1], activations=["linear"], seed=0)
    model.layers[0].neurons[0].w[0].data = 60000.0  # 600,000 out: finite in float64, inf in float16
    report = parity_report(model, to_torch(model, dtype=torch.float16), [[10.0]])
    assert report.worst("output").theirs == math.inf and report.worst("output").error == math.inf
    assert not report.ok and report.exit_status() == 1


def test_parity_report_float32_uses_a_float32_tolerance() -> None:
    model = MLP(2, [3, 1], seed=1)
    report = parity_report(model, to_torch(model, dtype=torch.float32), [[0.1, 0.2], [-1.0, 2.0]])
    assert report.tolerance == 1e-4 and report.ok
    assert report.worst_error > 1e-12  # float32 rounding is visible, and reported


@pytest.mark.parametrize(
    ("inputs", "kwargs", "message"),
    [
        ([], {}, "non-empty"),
        ([[1.0, 2.0, 3.0]], {}, r"inputs\[0\] must be 2 numbers"),
        ([[1.0, float("nan")]], {}, r"inputs\[0\]\[1\] must be a finite"),
        ([3], {}, r"inputs\[0\] must be 2 numbers"),
        ([[1.0, 2.0]], {"targets": [0]}, "targets are for a CharModel"),
        ([[1.0, 2.0]], {"tolerance": -1.0}, "tolerance"),
    ],
)
def test_parity_report_bad_arguments_name_the_problem(inputs, kwargs, message) -> None:
    model = MLP(2, [2], seed=0)
    with pytest.raises(ValueError, match=message):
        parity_report(model, to_torch(model), inputs, **kwargs)


def test_parity_report_refuses_models_of_different_shapes_and_no_grad() -> None:
    with pytest.raises(ValueError, match="differ in shape"):
        parity_report(MLP(2, [3, 1], seed=0), to_torch(MLP(2, [4, 1], seed=0)), [[0.0, 1.0]])
    model = RNNCell(2, 2, seed=0)
    with no_grad(), pytest.raises(RuntimeError, match="outside no_grad"):
        parity_report(model, to_torch(model), [0])


# --- what has no counterpart ------------------------------------------------------------------------------


class OwnForwardLinear(nn.Linear):
    def forward(self, x):  # computes something nn.Linear does not
        return super().forward(x) * 2


def nan_linear() -> nn.Linear:
    layer = nn.Linear(3, 2)
    with torch.no_grad():
        layer.weight[1, 2] = float("nan")
    return layer


def tied_layers() -> nn.Sequential:
    layer = nn.Linear(3, 3)
    return nn.Sequential(layer, nn.Tanh(), layer)


def wrong_head() -> TorchCharModel:
    model = TorchCharModel(5, 3)
    model.head = nn.Linear(3, 4, dtype=torch.float64)
    return model


UNSUPPORTED = [
    (lambda: nn.GRU(3, 4), NoCounterpart, r"GRU\(3, 4\) is a GRU"),
    (lambda: nn.GRUCell(3, 4), NoCounterpart, r"GRUCell\(3, 4\) is a GRU"),
    (lambda: nn.Linear(3, 4, bias=False), NoCounterpart, "has no bias"),
    (lambda: nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2, bias=False)), NoCounterpart,
     r"layer 2 \(Linear\(in_features=4, out_features=2, bias=False\)\) has no bias"),
    (lambda: nn.Sequential(nn.Linear(3, 4), nn.Softmax(dim=-1)), NoCounterpart, r"layer 1 \(Softmax"),
    (lambda: nn.Sequential(nn.Linear(3, 4), nn.Mish()), NoCounterpart, r"layer 1 \(Mish\(\)\) has no counterpart"),
    (lambda: nn.Sequential(nn.Linear(3, 4), nn.AlphaDropout(0.1)), NoCounterpart, r"layer 1 \(AlphaDropout"),
    (lambda: nn.Sequential(nn.Linear(3, 4), nn.Sequential(nn.Linear(4, 2))), NoCounterpart,
     r"layer 1 \(Sequential"),
    (lambda: nn.Sequential(), NoCounterpart, "holds no nn.Linear"),
    (lambda: nn.Sequential(nn.Tanh(), nn.Dropout()), NoCounterpart, "holds no nn.Linear"),
    (tied_layers, NoCounterpart, "layer 2 .* shares its weights with layer 0"),
    (lambda: nn.Sequential(nn.Linear(3, 4), nn.Linear(5, 2)), ValueError, "layer 1 .* takes 5 inputs"),
    (lambda: nn.LSTM(3, 4, proj_size=2), NoCounterpart, "proj_size=2: parameter weight_hr_l0"),
    (lambda: nn.LSTM(3, 4, num_layers=2), NoCounterpart, "num_layers=2: parameters weight_ih_l1"),
    (lambda: nn.LSTM(3, 4, bidirectional=True), NoCounterpart, "bidirectional: parameters weight_ih_l0_reverse"),
    (lambda: nn.LSTM(3, 4, bias=False), NoCounterpart, "bias=False"),
    (lambda: nn.RNN(3, 4, nonlinearity="relu"), NoCounterpart, "nonlinearity='relu'"),
    (lambda: nn.RNNCell(3, 4, nonlinearity="relu"), NoCounterpart, "nonlinearity='relu'"),
    (lambda: nn.LSTMCell(3, 4, bias=False), NoCounterpart, r"LSTMCell\(3, 4, bias=False\) has bias=False"),
    (lambda: nn.Conv1d(1, 1, 3), NoCounterpart, r"Conv1d\(1, 1, .* has no counterpart"),
    (lambda: OwnForwardLinear(3, 2), NoCounterpart, "OwnForwardLinear.* has no counterpart"),
    (lambda: nn.Linear(3, 2, dtype=torch.complex128), NoCounterpart, "parameter weight is complex"),
    (nan_linear, ValueError, r"parameter weight\[1, 2\] is nan"),
    (lambda: nn.Linear(3, 2, device="meta"), ValueError, "meta device"),
    (wrong_head, ValueError, "head maps 3 -> 4"),
]


@pytest.mark.parametrize(("make", "error", "message"), UNSUPPORTED)
def test_unsupported_torch_modules_give_one_clear_error(make, error, message) -> None:
    with pytest.raises(error, match=message) as caught:
        from_torch(make())
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("thing", [Layer(2, 2, seed=0), "MLP", 3])
def test_to_torch_refuses_what_it_does_not_map(thing) -> None:
    with pytest.raises(TypeError, match="to_torch converts MLP, Linear"):
        to_torch(thing)


class DoubledMLP(MLP):
    def forward(self, x):
        return [2 * y for y in self.forward_all(x)[-1]]


class ScaledCharModel(TorchCharModel):
    def forward(self, inputs, state=None):
        logits, state = super().forward(inputs, state)
        return 2 * logits, state


def test_subclasses_with_their_own_forward_are_refused() -> None:
    with pytest.raises(TypeError, match="DoubledMLP redefines MLP.forward"):
        to_torch(DoubledMLP(2, [2], seed=0))
    with pytest.raises(NoCounterpart, match="ScaledCharModel.* has no counterpart"):
        from_torch(ScaledCharModel(3, 2))


def test_from_torch_refuses_a_non_module() -> None:
    with pytest.raises(TypeError, match="needs a torch.nn.Module"):
        from_torch(MLP(2, [1], seed=0))


def test_linear_round_trip_and_bias_overflow() -> None:
    layer = Linear(3, 2, seed=4)
    module = to_torch(layer)
    assert isinstance(module, nn.Linear)
    assert same_bits(from_torch(module).state_dict(), layer.state_dict())
    cell = nn.RNNCell(1, 1, dtype=torch.float64)
    with torch.no_grad():
        cell.bias_ih.fill_(1.7e308)
        cell.bias_hh.fill_(1.7e308)
    with pytest.raises(ValueError, match="overflows"):
        from_torch(cell)


# --- the example script -----------------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent
SMALLEST = ["--modules", "shlex", "--hidden", "3", "--steps", "2", "--batch", "2", "--seq-len", "8",
            "--snippet", "40"]


def run_torch_example(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, str(ROOT / "examples" / "torch_char_lstm.py"), *args], cwd=cwd,
                          env=env, capture_output=True, text=True, check=False, timeout=300)


def load_example():
    """The example as a module, to call its main() in this process (no second torch import)."""
    spec = importlib.util.spec_from_file_location("torch_char_lstm", ROOT / "examples" / "torch_char_lstm.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_torch_char_lstm_example_runs_at_its_smallest_size(tmp_path) -> None:
    done = run_torch_example(*SMALLEST, "--out", "pictures", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    worst = float(re.search(r"OK: worst relative error (\S+),", done.stdout).group(1))
    assert worst <= 1e-12, done.stdout
    out = tmp_path / "pictures"
    assert (out / "step_graph.dot").read_text(encoding="utf-8").startswith("digraph")
    assert "inside a string literal" in (out / "quote_unit.html").read_text(encoding="utf-8")
    if svg_renderer_available():
        assert (out / "step_graph.svg").exists()
    # A second run may replace the files the first one made.
    assert load_example().main([*SMALLEST, "--out", str(out)]) == 0


def test_torch_char_lstm_example_never_overwrites_a_file_it_did_not_make(tmp_path) -> None:
    (tmp_path / "pictures").mkdir()
    mine = tmp_path / "pictures" / "quote_unit.html"
    mine.write_text("my notes", encoding="utf-8")
    done = run_torch_example(*SMALLEST, "--out", "pictures", cwd=tmp_path)
    assert done.returncode == 2 and "was not made by this script" in done.stderr
    assert "Traceback" not in done.stderr
    assert mine.read_text(encoding="utf-8") == "my notes"


@pytest.mark.parametrize(("args", "message"), [(["--hidden", "0"], "--hidden must be at least 1"),
                                               (["--lr", "nan"], "--lr must be a finite number"),
                                               (["--snippet", "1"], "--snippet must be at least 2")])
def test_torch_char_lstm_example_bad_arguments_exit_2(tmp_path, capsys, args, message) -> None:
    with pytest.raises(SystemExit) as stopped:
        load_example().main([*args, "--out", str(tmp_path / "pictures")])
    assert stopped.value.code == 2 and message in capsys.readouterr().err


@pytest.mark.parametrize(("modules", "message"), [("no_such_module_here", "no module named"),
                                                  ("sys", "has no Python source"),
                                                  ("this", "too short")])
def test_torch_char_lstm_example_names_a_module_it_cannot_use(tmp_path, modules, message) -> None:
    example = load_example()
    with pytest.raises(example.UsageError, match=message):
        example.main(["--modules", modules, "--out", str(tmp_path / "pictures")])


def test_string_literal_mask_marks_quotes_prefixes_and_docstrings() -> None:
    mask = load_example().string_literal_mask
    source = 'x = f"a{b}" + \'c\'  # "not a string"\n"""doc"""\n'
    marked = "".join(ch if m else "_" for ch, m in zip(source, mask(source)))
    # "x = " unmarked, the f-string, " + ", 'c', the comment and newline (19 characters), the docstring, "\n"
    assert marked == "_" * 4 + 'f"a{b}"' + "_" * 3 + "'c'" + "_" * 19 + '"""doc"""' + "_"
