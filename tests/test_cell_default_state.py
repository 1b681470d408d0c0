"""Torch's calling conventions for cells and Linear: a cell without a state starts from zeros (torch's hx=None),
Linear takes in_features and out_features."""

from __future__ import annotations

import pytest

import nn


def test_a_cell_called_without_a_state_starts_from_zeros() -> None:
    rnn, lstm = nn.RNNCell(2, 3, seed=0), nn.LSTMCell(2, 3, seed=0)
    x = [0.5, -1.0]
    assert [v.data for v in rnn(x)] == [v.data for v in rnn(x, rnn.initial_state())]
    h, c = lstm(x)
    h0, c0 = lstm(x, lstm.initial_state())
    assert ([v.data for v in h], [v.data for v in c]) == ([v.data for v in h0], [v.data for v in c0])
    assert any(v.data != 0.0 for v in h)


def test_torchs_cells_give_the_same_from_hx_none() -> None:
    torch = pytest.importorskip("torch")
    from nn.torch_bridge import to_torch

    x = [0.5, -1.0]
    for cell in (nn.RNNCell(2, 3, seed=1), nn.LSTMCell(2, 3, seed=2)):
        theirs = to_torch(cell)(torch.tensor([x], dtype=torch.float64))
        h = theirs[0] if isinstance(theirs, tuple) else theirs
        ours = cell(x)
        ours_h = ours[0] if isinstance(ours, tuple) else ours
        assert [v.data for v in ours_h] == pytest.approx(h[0].tolist(), rel=1e-14)


def test_linear_takes_torchs_feature_keywords() -> None:
    by_keyword = nn.Linear(in_features=3, out_features=2, seed=4)
    assert repr(by_keyword) == "Linear(in_features=3, out_features=2, bias=True)"
    assert [p.data for p in by_keyword.parameters()] == [p.data for p in nn.Linear(3, 2, seed=4).parameters()]
    with pytest.raises(TypeError, match="both nin and torch's name"):
        nn.Linear(3, 2, in_features=3)
    with pytest.raises(TypeError, match="needs its number of inputs and outputs"):
        nn.Linear(in_features=3)
