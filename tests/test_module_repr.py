"""``repr`` of a Module reads as torch's: nested ``(name): child`` lines, leaf layers' settings."""
from __future__ import annotations

import pytest

from nn import CharModel, Linear, LSTMCell, Module, RNNCell


class Net(Module):
    """A PyTorch-style model: two Linear layers as attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.fc1 = Linear(2, 3, seed=0)
        self.fc2 = Linear(3, 1, seed=0)

    def forward(self, x: list[float]) -> list:
        return self.fc2([h.tanh() for h in self.fc1(x)])


def test_a_custom_model_prints_its_layers_as_torch_does() -> None:
    # torch prints exactly this for the same class built from nn.Linear (hand-copied from torch 2.13)
    assert repr(Net()) == (
        "Net(\n"
        "  (fc1): Linear(in_features=2, out_features=3, bias=True)\n"
        "  (fc2): Linear(in_features=3, out_features=1, bias=True)\n"
        ")"
    )


def test_cells_print_their_sizes_as_torch_does() -> None:
    assert repr(RNNCell(3, 8, seed=0)) == "RNNCell(3, 8)"
    assert repr(LSTMCell(3, 8, seed=0)) == "LSTMCell(3, 8)"


def test_nested_children_are_indented_one_level_more() -> None:
    class Outer(Module):
        def __init__(self) -> None:
            super().__init__()
            self.inner = Net()

    assert repr(Outer()) == (
        "Outer(\n"
        "  (inner): Net(\n"
        "    (fc1): Linear(in_features=2, out_features=3, bias=True)\n"
        "    (fc2): Linear(in_features=3, out_features=1, bias=True)\n"
        "  )\n"
        ")"
    )


def test_a_module_with_no_children_and_no_settings_prints_empty_parentheses() -> None:
    class Bare(Module):
        pass

    assert repr(Bare()) == "Bare()"


def test_the_same_layout_as_torch_itself() -> None:
    torch = pytest.importorskip("torch")

    class TorchNet(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.fc1 = torch.nn.Linear(2, 3)
            self.fc2 = torch.nn.Linear(3, 1)

    assert repr(Net()) == repr(TorchNet()).replace("TorchNet", "Net")
    assert repr(RNNCell(3, 8, seed=0)) == repr(torch.nn.RNNCell(3, 8))
    assert repr(LSTMCell(3, 8, seed=0)) == repr(torch.nn.LSTMCell(3, 8))


def test_a_char_model_lists_its_cell_and_head() -> None:
    text = repr(CharModel(vocab_size=5, hidden_size=4, cell="lstm", seed=0))
    assert text.startswith("CharModel(\n")
    assert "(cell): LSTMCell(5, 4)" in text
    assert "(head): Linear(in_features=4, out_features=5, bias=True)" in text
