"""CosineAnnealingLR's first step of a run resumed by load_state_dict, against torch and the closed form.

torch takes the closed form eta_min + (base - eta_min)(1 + cos(pi t / T_max)) / 2 on a step whose step count
becomes 1 at an epoch t > 0 (a run resumed with a step count of 0), whatever rate the optimizer holds; every
other step follows the recursive rule from the held rate. Skipped where PyTorch is not installed.
"""

from __future__ import annotations

import math

import pytest

torch = pytest.importorskip("torch")

from autograd import Value  # noqa: E402
from nn.optim import SGD, lr_scheduler  # noqa: E402


def _closed(base: float, eta_min: float, epoch: int, t_max: int) -> float:
    return eta_min + (base - eta_min) * (1 + math.cos(math.pi * epoch / t_max)) / 2


@pytest.mark.filterwarnings("ignore:Detected call of .lr_scheduler.step:UserWarning")  # no optimizer steps here
def test_first_step_after_loading_a_state_with_step_count_0_is_the_closed_form_as_torch() -> None:
    ours = SGD([Value(0.0)], lr=0.3)
    theirs = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.3)
    mine = lr_scheduler.CosineAnnealingLR(ours, T_max=8, eta_min=0.02)
    their = torch.optim.lr_scheduler.CosineAnnealingLR(theirs, T_max=8, eta_min=0.02)
    for _ in range(3):
        mine.step()
        their.step()
    state = {**mine.state_dict(), "_step_count": 0}  # a run resumed at epoch 3 before its first step
    mine.load_state_dict(state)
    their.load_state_dict(dict(state))
    for group in (*ours.param_groups, *theirs.param_groups):
        group["lr"] = 0.7  # a held rate the closed form ignores (the recursive rule would scale it)
    mine.step()
    their.step()
    expected = _closed(0.3, 0.02, 4, 8)
    assert their.get_last_lr() == pytest.approx([expected], rel=1e-14)
    assert mine.get_last_lr() == pytest.approx([expected], rel=1e-14)
    assert ours.param_groups[0]["lr"] == pytest.approx(expected, rel=1e-14)
    recursive = (1 + math.cos(math.pi * 4 / 8)) / (1 + math.cos(math.pi * 3 / 8)) * (0.7 - 0.02) + 0.02
    assert abs(recursive - expected) > 0.1  # the two rules differ here, so the check can tell them apart
    for _ in range(10):  # later steps are recursive again, from the closed form's rate, as torch's
        mine.step()
        their.step()
        assert mine.get_last_lr() == pytest.approx(their.get_last_lr(), rel=1e-12, abs=1e-15)


@pytest.mark.filterwarnings("ignore:Detected call of .lr_scheduler.step:UserWarning")
def test_a_state_loaded_as_saved_resumes_with_the_recursive_rule_as_torch() -> None:
    ours = SGD([Value(0.0)], lr=0.3)
    theirs = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.3)
    mine = lr_scheduler.CosineAnnealingLR(ours, T_max=8, eta_min=0.02)
    their = torch.optim.lr_scheduler.CosineAnnealingLR(theirs, T_max=8, eta_min=0.02)
    for _ in range(3):
        mine.step()
        their.step()
    state = mine.state_dict()
    mine.load_state_dict(state)
    their.load_state_dict(dict(state))
    for group in (*ours.param_groups, *theirs.param_groups):
        group["lr"] = 0.7
    mine.step()
    their.step()
    recursive = (1 + math.cos(math.pi * 4 / 8)) / (1 + math.cos(math.pi * 3 / 8)) * (0.7 - 0.02) + 0.02
    assert their.get_last_lr() == pytest.approx([recursive], rel=1e-14)
    assert mine.get_last_lr() == pytest.approx([recursive], rel=1e-14)
