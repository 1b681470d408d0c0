"""Loading an optimizer state saved for another number of parameters says so (torch refuses it too)."""

from __future__ import annotations

import pytest

from autograd import Value
from nn.optim import Adam


def _stepped_adam(count: int) -> Adam:
    params = [Value(float(i)) for i in range(count)]
    optimizer = Adam(params, lr=0.1)
    for p in params:
        p.grad = 1.0
    optimizer.step()
    return optimizer


def test_state_for_more_parameters_is_refused_naming_both_counts() -> None:
    """torch raises ValueError for this load; the message here gives the saved and the current count."""
    torch = pytest.importorskip("torch")
    saved_params = [torch.nn.Parameter(torch.tensor(float(i))) for i in range(9)]
    saved = torch.optim.Adam(saved_params, lr=0.1)
    for p in saved_params:
        p.grad = torch.tensor(1.0)
    saved.step()
    with pytest.raises(ValueError):
        torch.optim.Adam(saved_params[:2], lr=0.1).load_state_dict(saved.state_dict())

    small = _stepped_adam(2)
    before = [p.data for p in small.params]
    with pytest.raises(ValueError, match=r"saved for 9 parameters and this optimizer has 2"):
        small.load_state_dict(_stepped_adam(9).state_dict())
    assert [p.data for p in small.params] == before
