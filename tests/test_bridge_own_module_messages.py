"""A model class of the user's own, on either side of the bridge: the refusal names the class (not the first
line of its repr, "TNet(") and says how to move it anyway, layer by layer; that route gives torch's outputs.

Found by a new-user trial (a PyTorch user's `class Net(Module)` with fc1/act/fc2, as in torch's tutorials)."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")

from nn import Linear, Module, Tanh  # noqa: E402
from nn.torch_bridge import NoCounterpart, from_torch, to_torch  # noqa: E402


class Net(Module):
    """Two Linear layers around a Tanh, written as a torch user writes a model."""

    def __init__(self) -> None:
        super().__init__()
        self.fc1 = Linear(2, 3, seed=0)
        self.act = Tanh()
        self.fc2 = Linear(3, 1, seed=1)

    def forward(self, x: list[float]) -> object:
        """One sample in, the one output out."""
        return self.fc2(self.act(self.fc1(x)))[0]


class TNet(torch.nn.Module):
    """The same network in torch."""

    def __init__(self) -> None:
        super().__init__()
        self.fc1 = torch.nn.Linear(2, 3, dtype=torch.float64)
        self.act = torch.nn.Tanh()
        self.fc2 = torch.nn.Linear(3, 1, dtype=torch.float64)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """A batch in, one output per row out."""
        return self.fc2(self.act(self.fc1(x)))


def test_from_torch_names_a_class_of_its_own_and_its_layers() -> None:
    with pytest.raises(NoCounterpart) as caught:
        from_torch(TNet())
    message = str(caught.value)
    assert message.startswith("TNet has no counterpart")
    assert "TNet(" not in message and "\n" not in message
    assert "(fc1, fc2)" in message and "other.fc1 = from_torch(model.fc1)" in message


def test_to_torch_names_a_class_of_its_own_and_its_layers() -> None:
    with pytest.raises(TypeError) as caught:
        to_torch(Net())
    message = str(caught.value)
    assert "got Net" in message and "(fc1, fc2)" in message and "other.fc1 = to_torch(model.fc1)" in message
    assert "\n" not in message


def test_a_module_without_mappable_layers_gets_no_layer_hint() -> None:
    class Holder(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.conv = torch.nn.Conv1d(1, 1, 3)

    with pytest.raises(NoCounterpart) as caught:
        from_torch(Holder())
    assert str(caught.value).startswith("Holder has no counterpart") and "one by one" not in str(caught.value)


def test_the_layer_by_layer_route_the_message_gives_computes_what_torch_computes() -> None:
    torch.manual_seed(0)
    theirs = TNet()
    ours = Net()
    ours.fc1 = from_torch(theirs.fc1)
    ours.fc2 = from_torch(theirs.fc2)
    xs = [[0.5, -1.0], [1.5, 2.0], [-0.3, 0.7]]
    expected = theirs(torch.tensor(xs, dtype=torch.float64)).squeeze(1).tolist()
    assert [ours(x).data for x in xs] == pytest.approx(expected, rel=1e-12, abs=1e-15)
    back = TNet()
    back.fc1 = to_torch(ours.fc1)
    back.fc2 = to_torch(ours.fc2)
    assert back(torch.tensor(xs, dtype=torch.float64)).squeeze(1).tolist() == pytest.approx(expected, rel=1e-12)
