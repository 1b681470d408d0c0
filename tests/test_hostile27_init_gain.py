"""Hostile input, round 27: Glorot initialisation with a negative gain.

Before: ``nn.init.xavier_uniform_(w, gain=-1)`` and ``xavier_normal_(w, gain=-1)`` filled the weights without a
word, where torch refuses both (its uniform_ finds from > to, its normal_ a negative std; RuntimeErrors, which
nn.init gives as ValueErrors, as it does for ``uniform_(w, 2, 1)``). A gain of 0 (or -0.0) fills zeros, as in
torch.
"""

from __future__ import annotations

import pytest

from autograd import Value
from nn import init


def _weights() -> list[list[Value]]:
    return [[Value(7.0) for _ in range(3)] for _ in range(2)]


@pytest.mark.parametrize("fill", [init.xavier_uniform_, init.xavier_normal_])
@pytest.mark.parametrize("gain", [-1.0, -1e-300, -3])
def test_a_negative_gain_is_refused_and_nothing_is_filled(fill, gain: float) -> None:  # type: ignore[no-untyped-def]
    w = _weights()
    with pytest.raises(ValueError, match=rf"{fill.__name__}: gain must be >= 0 \(torch refuses a negative one\)"):
        fill(w, gain=gain)
    assert [v.data for row in w for v in row] == [7.0] * 6


@pytest.mark.parametrize("fill", [init.xavier_uniform_, init.xavier_normal_])
@pytest.mark.parametrize("gain", [0.0, -0.0, 0])
def test_a_zero_gain_fills_zeros_as_torch(fill, gain: float) -> None:  # type: ignore[no-untyped-def]
    w = _weights()
    fill(w, gain=gain)
    assert [abs(v.data) for row in w for v in row] == [0.0] * 6


def test_torch_refuses_the_same_gains() -> None:
    torch = pytest.importorskip("torch")
    for fill in (torch.nn.init.xavier_uniform_, torch.nn.init.xavier_normal_):
        with pytest.raises(RuntimeError):
            fill(torch.empty(2, 3, dtype=torch.float64), gain=-1.0)
        fill(torch.empty(2, 3, dtype=torch.float64), gain=-0.0)  # accepted
