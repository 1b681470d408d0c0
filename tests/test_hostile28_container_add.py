"""``ModuleList + 3`` (or None) is Python's TypeError for an unsupported operand, not a star-unpacking message.

It said "Value after * must be an iterable, not int": the ``[*self, *other]`` inside ``__add__``, in words
about a "Value" (read as autograd's Value) and a "*" the user never wrote. Python's message for an operand a
type cannot add is "unsupported operand type(s) for +: 'ModuleList' and 'int'" (given by returning
NotImplemented); torch's is "'int' object is not iterable".
"""

from __future__ import annotations

import pytest

import nn


@pytest.mark.parametrize("other", [3, None, 1.5, nn.ReLU()])
def test_adding_no_iterable_is_pythons_unsupported_operand(other: object) -> None:
    modules = nn.ModuleList([nn.ReLU()])
    kind = type(other).__name__
    with pytest.raises(TypeError, match=rf"^unsupported operand type\(s\) for \+: 'ModuleList' and '{kind}'$"):
        modules + other  # type: ignore[operator]
    assert len(modules) == 1


def test_adding_modules_still_concatenates() -> None:
    modules = nn.ModuleList([nn.ReLU()])
    both = modules + [nn.Tanh()]
    assert [type(m).__name__ for m in both] == ["ReLU", "Tanh"] and len(modules) == 1
