"""Hostile input, round 27: ``load_state_dict`` given a read-only mapping.

Before: ``model.load_state_dict(types.MappingProxyType(state))`` (or any Mapping that is not a dict, such as a
read-only view a caller hands over) was refused, "state must be a dict of name: number, got mappingproxy", where
torch takes any Mapping. Now any Mapping loads; what is no Mapping is still a TypeError.
"""

from __future__ import annotations

import types
from collections.abc import Iterator, Mapping
from typing import Any

import pytest

import nn


class _ReadOnly(Mapping):  # type: ignore[type-arg]
    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)


@pytest.mark.parametrize("wrap", [types.MappingProxyType, _ReadOnly])
def test_any_mapping_loads_as_a_dict_would(wrap) -> None:  # type: ignore[no-untyped-def]
    source, target = nn.Linear(2, 2, seed=1), nn.Linear(2, 2, seed=2)
    state = source.state_dict()
    assert target.load_state_dict(wrap(state)) == ([], [])
    assert target.state_dict() == state
    # non-strict, with an unexpected entry, reports it as for a dict
    result = nn.Linear(2, 2, seed=3).load_state_dict(wrap({**state, "extra": 1.0}), strict=False)
    assert result.unexpected_keys == ["extra"]


def test_torch_takes_a_mapping_proxy_too() -> None:
    torch = pytest.importorskip("torch")
    module = torch.nn.Linear(2, 2)
    module.load_state_dict(types.MappingProxyType(torch.nn.Linear(2, 2).state_dict()))


@pytest.mark.parametrize("bad", [None, [("W.0.0", 1.0)], "W", 5])
def test_what_is_no_mapping_is_still_a_type_error(bad: object) -> None:
    with pytest.raises(TypeError, match="state must be a dict of name: number"):
        nn.Linear(2, 2).load_state_dict(bad)  # type: ignore[arg-type]
