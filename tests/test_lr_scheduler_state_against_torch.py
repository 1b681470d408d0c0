"""Every scheduler's state_dict has torch's keys and values after the same steps, and loads torch's."""

from __future__ import annotations

import pytest

from autograd import Value
from nn import SGD
from nn.optim import lr_scheduler

torch = pytest.importorskip("torch")

SCHEDULERS = [
    ("StepLR", {"step_size": 2, "gamma": 0.5}), ("MultiStepLR", {"milestones": [1, 3]}),
    ("ExponentialLR", {"gamma": 0.9}), ("CosineAnnealingLR", {"T_max": 4, "eta_min": 0.01}),
    ("LambdaLR", {"lr_lambda": lambda epoch: 0.5**epoch}),
]


@pytest.mark.parametrize(("name", "options"), SCHEDULERS)
def test_state_dict_and_last_lr_equal_torchs_and_torchs_state_loads(name: str, options: dict) -> None:
    ours_opt = SGD([Value(1.0)], lr=0.1)
    their_opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
    mine = getattr(lr_scheduler, name)(ours_opt, **options)
    their = getattr(torch.optim.lr_scheduler, name)(their_opt, **options)
    for _ in range(5):
        ours_opt.step()
        their_opt.step()
        mine.step()
        their.step()
    assert mine.last_epoch == their.last_epoch == 5
    assert mine.get_last_lr() == pytest.approx(their.get_last_lr(), rel=1e-12)
    assert mine.state_dict() == their.state_dict()  # the same recursive rules: equal to the last bit here
    assert list(mine.state_dict()) == list(their.state_dict())
    fresh = getattr(lr_scheduler, name)(SGD([Value(1.0)], lr=0.1), **options)
    fresh.load_state_dict(their.state_dict())
    assert (fresh.last_epoch, fresh.get_last_lr()) == (5, pytest.approx(their.get_last_lr(), rel=1e-12))
