"""Wrong types given to an optimizer are TypeErrors naming the argument (hostile18's findings; torch raises a TypeError
for betas=0.9 and an AttributeError from inside for a state of None)."""

import pytest

from autograd import Value
from nn import SGD, Adam


def test_load_state_dict_of_something_that_is_not_a_dict_is_a_type_error() -> None:
    opt = SGD([Value(1.0)], lr=0.1)
    with pytest.raises(TypeError, match="optimizer state must be a dict .* got NoneType"):
        opt.load_state_dict(None)  # type: ignore[arg-type]  # was ValueError "is for 'NoneType'" (torch: AttributeError)


def test_a_state_without_its_type_entry_is_named() -> None:
    opt = SGD([Value(1.0)], lr=0.1)
    state = opt.state_dict()
    del state["type"]
    with pytest.raises(ValueError, match="has no 'type' entry"):  # was "is for None, not SGD"
        opt.load_state_dict(state)


def test_adam_betas_that_are_not_a_pair_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="betas must be a pair of numbers in \\[0, 1\\), got float 0.9"):
        Adam([Value(1.0)], lr=0.1, betas=0.9)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="betas must be a pair"):
        Adam([Value(1.0)], lr=0.1, betas=(0.9, 0.9, 0.9))  # type: ignore[arg-type]
    torch = pytest.importorskip("torch")
    with pytest.raises(TypeError):
        torch.optim.Adam([torch.zeros(1, requires_grad=True)], lr=0.1, betas=0.9)
