"""Modules that reach themselves: a Sequential refuses to hold itself, and repr of a cycle ends.

``seq.append(seq)`` was taken, and ``seq(x)`` then failed with RecursionError (torch does the same); a
Sequential's forward calls each module it holds, so holding itself (directly or inside another container) can
only recurse: now a ValueError when it is added. Two modules holding each other (``a.other = b; b.other = a``,
which torch and valuegrad both allow: parameters, state_dict and train() handle the cycle) made ``repr`` recurse
until RecursionError; now the module already being printed is shown as ``Linear(...)``, as Python prints a
list holding itself as ``[...]``.
"""

from __future__ import annotations

import pytest

import nn


@pytest.mark.parametrize("add", [
    lambda s, m: s.append(m),
    lambda s, m: s.insert(0, m),
    lambda s, m: s.extend([m]),
    lambda s, m: s.__setitem__(0, m),
])
def test_a_sequential_cannot_hold_itself(add) -> None:  # type: ignore[no-untyped-def]
    seq = nn.Sequential(nn.ReLU())
    with pytest.raises(ValueError, match="^Sequential cannot hold itself"):
        add(seq, seq)
    with pytest.raises(ValueError, match="^Sequential cannot hold itself"):
        add(seq, nn.Sequential(nn.Tanh(), nn.ModuleList([seq])))  # inside another container
    assert len(seq) == 1 and seq(-2.0).data == 0.0  # unchanged, and still runs: relu(-2) = 0


def test_a_module_list_may_still_hold_itself() -> None:
    # torch allows it, and a ModuleList has no forward to recurse: only its printing needed care.
    modules = nn.ModuleList([nn.ReLU()])
    modules.append(modules)
    assert len(modules) == 2
    assert repr(modules) == "ModuleList(\n  (0): ReLU()\n  (1): ModuleList(...)\n)"


def test_repr_of_two_modules_holding_each_other_ends() -> None:
    a, b = nn.Linear(1, 1), nn.Linear(1, 1)
    a.other = b
    b.other = a
    assert repr(a) == ("Linear(\n  in_features=1, out_features=1, bias=True\n  (other): Linear(\n"
                       "    in_features=1, out_features=1, bias=True\n    (other): Linear(...)\n  )\n)")
    assert [name for name, _ in a.named_parameters()] == ["W.0.0", "b.0", "other.W.0.0", "other.b.0"]
