"""Hostile input, round 29: a Module or parameter assigned to a name of one of the module's methods.

``m.parameters = ReLU()`` was stored over the method: ``m.parameters()`` then called ReLU with no input
("ReLU.forward() missing 1 required positional argument"), so zero_grad, optimizers and state_dict broke
far from the cause, and ``m.forward = Tanh()`` silently replaced the layer's forward. torch 2.13 refuses a
Parameter there (KeyError "attribute 'forward' already exists", as its add_module for a Module) but
registers a Module while the method stays what ``m.parameters`` gives (a half-done assignment that hides
the mistake). Ours refuses both with torch's KeyError words and leaves the module unchanged.
"""

from __future__ import annotations

import pytest

from autograd import Value
from nn import Linear, ReLU, Tanh

torch = pytest.importorskip("torch")


def test_a_parameter_over_a_method_is_refused_as_torch_refuses_it() -> None:
    with pytest.raises(KeyError, match="attribute 'forward' already exists") as theirs:
        torch.nn.Linear(1, 1).forward = torch.nn.Parameter(torch.ones(1))
    ours = Linear(1, 1)
    with pytest.raises(KeyError) as caught:
        ours.forward = Value(1.0)  # type: ignore[method-assign, assignment]
    assert caught.value.args[0].startswith(theirs.value.args[0])
    assert "forward" not in vars(ours)


def test_a_module_over_a_method_is_refused_and_the_method_still_works() -> None:
    ours = Linear(1, 1)
    before = [p.data for p in ours.parameters()]
    for name, module in (("parameters", ReLU()), ("forward", Tanh()), ("state_dict", ReLU())):
        with pytest.raises(KeyError, match=f"^\"attribute '{name}' already exists: "):
            setattr(ours, name, module)
    assert [p.data for p in ours.parameters()] == before
    assert [name for name, _ in ours.named_children()] == []
    assert ours([Value(2.0)])[0].data == pytest.approx(before[0] * 2.0 + before[1])


def test_a_module_under_a_new_name_or_over_a_plain_attribute_is_still_a_child() -> None:
    ours = Linear(1, 1)
    ours.extra = ReLU()
    ours.extra = Tanh()
    assert [name for name, _ in ours.named_children()] == ["extra"]
