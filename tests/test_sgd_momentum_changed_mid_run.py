"""SGD whose ``momentum`` is changed between steps (``param_groups[i]['momentum'] = ...``), against torch.optim.SGD.

torch makes a parameter's momentum buffer on the first step taken with a nonzero momentum (the buffer is
then that step's d, undamped) and leaves it untouched by steps taken with momentum 0. Skipped where PyTorch is
not installed (an optional reference, never a dependency).
"""

from __future__ import annotations

import json
import math

import pytest

torch = pytest.importorskip("torch")

from autograd import Value  # noqa: E402
from nn import SGD  # noqa: E402

START = [0.3, -0.7, 1.1]


def _run(schedule: dict[int, float], options: dict, reload_at: int | None = None, steps: int = 12) -> None:
    ours = [Value(x) for x in START]
    theirs = torch.tensor(START, dtype=torch.float64, requires_grad=True)
    opt_ours = SGD(ours, lr=0.1, **options)
    opt_theirs = torch.optim.SGD([theirs], lr=0.1, **options)
    for step in range(steps):
        if step in schedule:
            opt_ours.param_groups[0]["momentum"] = opt_theirs.param_groups[0]["momentum"] = schedule[step]
        if step == reload_at:  # into a fresh optimizer, through JSON, as a resumed run would
            saved = json.loads(json.dumps(opt_ours.state_dict()))
            opt_ours = SGD(ours, lr=0.1, **options)
            opt_ours.load_state_dict(saved)
        grads = [math.sin(3 * step + i) for i in range(len(START))]
        for p, g in zip(ours, grads):
            p.grad = g
        theirs.grad = torch.tensor(grads, dtype=torch.float64)
        opt_ours.step()
        opt_theirs.step()
        assert [p.data for p in ours] == pytest.approx(theirs.tolist(), rel=1e-12, abs=1e-12), f"step {step}"
    has_buffer = "momentum_buffer" in opt_theirs.state[theirs]
    assert all(("momentum_buffer" in s) == has_buffer for s in opt_ours.state.values())
    if has_buffer:
        assert [s["momentum_buffer"] for s in opt_ours.state.values()] == \
            pytest.approx(opt_theirs.state[theirs]["momentum_buffer"].tolist(), rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("dampening", [0.0, 0.3])
def test_momentum_switched_on_after_some_plain_steps_starts_its_buffer_then(dampening: float) -> None:
    _run({4: 0.9}, {"dampening": dampening})


def test_momentum_switched_off_keeps_the_buffer_for_when_it_comes_back() -> None:
    _run({0: 0.9, 3: 0.0, 7: 0.5}, {"dampening": 0.2})


def test_a_state_saved_before_momentum_was_switched_on_resumes_as_torch() -> None:
    _run({6: 0.9}, {"dampening": 0.3}, reload_at=4)
    _run({0: 0.9, 3: 0.0, 7: 0.5}, {"dampening": 0.2}, reload_at=5)


def test_nesterov_with_momentum_set_to_zero_mid_run_takes_plain_steps_as_torch() -> None:
    # torch checks "Nesterov momentum requires a momentum" in its constructor only; a step with momentum 0 is plain.
    _run({3: 0.0, 7: 0.5}, {"momentum": 0.9, "nesterov": True})
    _run({3: 0.0}, {"momentum": 0.9, "nesterov": True}, reload_at=5)


def test_nesterov_groups_with_momentum_zero_are_taken_as_torch_takes_them() -> None:
    ours, theirs = [Value(0.5), Value(-1.0)], [torch.tensor([0.5], dtype=torch.float64, requires_grad=True),
                                               torch.tensor([-1.0], dtype=torch.float64, requires_grad=True)]
    opt_theirs = torch.optim.SGD([{"params": [theirs[0]], "momentum": 0.0}], lr=0.1, momentum=0.9, nesterov=True)
    opt_ours = SGD([{"params": [ours[0]], "momentum": 0.0}], lr=0.1, momentum=0.9, nesterov=True)
    opt_theirs.add_param_group({"params": [theirs[1]], "momentum": 0.0, "dampening": 0.5})
    opt_ours.add_param_group({"params": [ours[1]], "momentum": 0.0, "dampening": 0.5})
    for step in range(5):
        for k, (p, t) in enumerate(zip(ours, theirs)):
            p.grad = math.cos(step + k)
            t.grad = torch.tensor([math.cos(step + k)], dtype=torch.float64)
        opt_ours.step()
        opt_theirs.step()
        assert [p.data for p in ours] == pytest.approx([t.item() for t in theirs], rel=1e-14, abs=1e-14)
    for bad in ({"momentum": 0.0}, {"momentum": 0.9, "dampening": 0.1}):  # the constructor's options: refused by both
        with pytest.raises(ValueError, match="Nesterov momentum requires a momentum and zero dampening"):
            torch.optim.SGD([theirs[0]], lr=0.1, nesterov=True, **bad)
        with pytest.raises(ValueError, match="Nesterov momentum requires a momentum and zero dampening"):
            SGD([Value(0.0)], lr=0.1, nesterov=True, **bad)
