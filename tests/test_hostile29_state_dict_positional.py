"""Hostile input, round 29: ``state_dict(destination, prefix, keep_vars)`` positionally, as torch 2.13 takes it.

``Linear(1, 1).state_dict(None, "p.")`` raised Python's "takes 1 positional argument but 3 were given".
torch 2.13 still takes the three in that order, with a FutureWarning naming the keyword form; so does ours.
A fourth, or one given both ways, is a TypeError naming the keyword form (torch ignores the fourth and
silently prefers the keyword).
"""

from __future__ import annotations

import pytest

from nn import Linear

torch = pytest.importorskip("torch")


def _torch_pair() -> tuple[torch.nn.Linear, Linear]:
    theirs = torch.nn.Linear(1, 1)
    ours = Linear(1, 1)
    return theirs, ours


def test_positional_destination_and_prefix_warn_as_torch_and_give_its_keys() -> None:
    theirs, ours = _torch_pair()
    with pytest.warns(FutureWarning, match="^Positional args are being deprecated, use kwargs instead") as caught:
        expected = list(theirs.state_dict(None, "p."))
    torch_category = caught[0].category
    with pytest.warns(torch_category, match="^Positional args are being deprecated, use kwargs instead") as ours_w:
        got = ours.state_dict(None, "p.")
    assert expected == ["p.weight", "p.bias"]
    assert got == ours.state_dict(prefix="p.") and all(key.startswith("p.") for key in got)
    assert "state_dict(destination=..., prefix=..., keep_vars=...)" in str(ours_w[0].message)
    assert ours_w[0].filename == __file__  # the warning points at the caller, as torch's stacklevel=2


def test_positional_destination_is_filled_and_returned_and_keep_vars_third() -> None:
    _, ours = _torch_pair()
    into: dict[str, object] = {}
    with pytest.warns(FutureWarning):
        back = ours.state_dict(into, "", True)
    assert back is into and list(back) == list(ours.state_dict())
    assert all(back[name] is p for name, p in ours.named_parameters())


def test_a_fourth_positional_or_one_given_twice_is_a_clear_type_error() -> None:
    _, ours = _torch_pair()
    with pytest.raises(TypeError, match=r"^state_dict\(\) takes at most 3 positional arguments \(4 given\); use "
                                        r"state_dict\(destination=\.\.\., prefix=\.\.\., keep_vars=\.\.\.\)$"):
        ours.state_dict(None, "", False, 1)
    with pytest.raises(TypeError, match=r"^state_dict\(\) got prefix both by position and by keyword$"):
        ours.state_dict(None, "a.", prefix="b.")
