"""`nn.Sequential`, the activation modules and `nn.functional`'s activations, as a torch user writes them,
checked beside torch (float64) where it is installed and against the closed forms everywhere."""

import math
from collections import OrderedDict

import pytest

import nn
import nn.functional as F
from autograd import Value
from nn import Identity, Linear, ReLU, Sequential, Sigmoid, Tanh


def model() -> Sequential:
    return Sequential(Linear(2, 3, seed=0), ReLU(), Linear(3, 2, seed=1), Tanh(), Linear(2, 1, seed=2), Sigmoid())


def test_children_are_named_by_position_and_print_as_torchs() -> None:
    m = model()
    assert [name for name, _ in m.named_children()] == ["0", "1", "2", "3", "4", "5"]
    assert list(m.state_dict())[0] == "0.W.0.0" and list(m.state_dict())[-1] == "4.b.0"
    assert len(m.parameters()) == (2 * 3 + 3) + (3 * 2 + 2) + (2 + 1)
    assert repr(m).splitlines()[:3] == ["Sequential(", "  (0): Linear(in_features=2, out_features=3, bias=True)",
                                        "  (1): ReLU()"]
    assert len(m) == 6 and isinstance(m[1], ReLU) and m[-1] is m[5]
    assert [name for name, _ in m[2:4].named_children()] == ["2", "3"]  # a slice keeps the names, as torch's
    with pytest.raises(IndexError):
        m[6]
    with pytest.raises(TypeError, match="is not a Module subclass"):
        Sequential(Linear(1, 1), lambda x: x)  # type: ignore[arg-type]


def test_forward_chains_the_modules_by_hand() -> None:
    m = model()
    x = [0.3, -1.2]
    by_hand: list = x
    steps = [(m[0], lambda z: max(0.0, z)), (m[2], math.tanh), (m[4], lambda z: 1 / (1 + math.exp(-z)))]
    for layer, f in steps:
        rows = [sum(w.data * v for w, v in zip(row, by_hand)) + b.data for row, b in zip(layer.W, layer.b)]
        by_hand = [f(z) for z in rows]
    out = m(x)
    assert [v.data for v in out] == pytest.approx(by_hand, rel=1e-14)


def test_an_ordered_dict_names_the_children() -> None:
    m = Sequential(OrderedDict([("fc", Linear(2, 1, seed=0)), ("act", Sigmoid())]))
    assert [name for name, _ in m.named_children()] == ["fc", "act"]
    assert m.fc is m[0]


def test_same_numbers_and_gradients_as_torch_sequential() -> None:
    torch = pytest.importorskip("torch")
    ours = model()
    theirs = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.Linear(3, 2), torch.nn.Tanh(),
                                 torch.nn.Linear(2, 1), torch.nn.Sigmoid()).double()
    with torch.no_grad():
        for i in (0, 2, 4):
            theirs[i].weight.copy_(torch.tensor([[w.data for w in row] for row in ours[i].W], dtype=torch.float64))
            theirs[i].bias.copy_(torch.tensor([b.data for b in ours[i].b], dtype=torch.float64))
    x = [0.3, -1.2]
    out = ours(x)[0]
    out.backward()
    t_out = theirs(torch.tensor(x, dtype=torch.float64))[0]
    t_out.backward()
    assert out.data == pytest.approx(t_out.item(), rel=1e-14)
    for i in (0, 2, 4):
        assert [w.grad for row in ours[i].W for w in row] == pytest.approx(
            theirs[i].weight.grad.flatten().tolist(), rel=1e-12, abs=1e-15)


def test_functional_activations_keep_the_shape_and_match_the_closed_forms() -> None:
    xs = [Value(-2.0), Value(0.5)]
    assert [v.data for v in F.relu(xs)] == [0.0, 0.5]
    assert [v.data for v in F.tanh(xs)] == [math.tanh(-2.0), math.tanh(0.5)]
    assert F.sigmoid(Value(0.0)).data == 0.5
    assert F.relu(3.0).data == 3.0  # a plain number becomes a Value, as a 0-d tensor would
    probs = F.softmax([1.0, 2.0, 3.0], dim=-1)
    total = sum(math.exp(z) for z in (1.0, 2.0, 3.0))
    assert [p.data for p in probs] == pytest.approx([math.exp(z) / total for z in (1.0, 2.0, 3.0)], rel=1e-15)
    assert [p.data for p in F.log_softmax([1.0, 2.0, 3.0], dim=0)] == pytest.approx(
        [z - math.log(total) for z in (1.0, 2.0, 3.0)], rel=1e-15)
    with pytest.raises(IndexError, match="Dimension out of range"):
        F.softmax([1.0, 2.0], dim=1)
    with pytest.raises(TypeError, match="relu expects a Value, a number or a list of them, got str"):
        F.relu("x")
    assert Identity()(xs) is xs
    assert nn.functional.relu is F.relu


def test_functional_softmax_raises_on_a_bad_dim_as_torch_does() -> None:
    torch = pytest.importorskip("torch")
    with pytest.raises(IndexError):
        torch.nn.functional.softmax(torch.tensor([1.0, 2.0]), dim=1)
    assert torch.nn.functional.softmax(torch.tensor([1.0, 2.0], dtype=torch.float64), dim=0).tolist() == \
        pytest.approx([p.data for p in F.softmax([1.0, 2.0], dim=0)], rel=1e-15)
