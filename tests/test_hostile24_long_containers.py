"""Hostile input, round 24: a Sequential, ModuleList or ModuleDict of n modules works in time linear in n.

Each name held was checked against the list of names so far (``name not in self._order``), so holding n
modules compared O(n^2) names: ``nn.Sequential(nn.Tanh(), nn.Tanh()) * 100_000`` ran for minutes (torch's takes
about a second), as did 100,000 ``append`` calls. A ModuleDict kept its names in a list too: every ``[]``,
``in`` and assignment scanned it, so building n entries and ``values()`` / ``items()`` were O(n^2). The tests
count name comparisons (no timing): a name class that counts its ``==`` calls, and an order list that counts
its membership tests.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import nn


class CountingName(str):
    """A module name that counts how often it is compared for equality."""

    comparisons = 0

    def __eq__(self, other: object) -> bool:
        CountingName.comparisons += 1
        return str.__eq__(self, other)

    def __hash__(self) -> int:
        return str.__hash__(self)


class CountingOrder(list):  # type: ignore[type-arg]
    """An order list that counts its membership tests (each one a scan of every name)."""

    scans = 0

    def __contains__(self, item: Any) -> bool:
        CountingOrder.scans += 1
        return list.__contains__(self, item)


def test_holding_n_named_modules_compares_names_o_of_n_times() -> None:
    n = 2_000
    CountingName.comparisons = 0
    seq = nn.Sequential(OrderedDict((CountingName(f"m{i}"), nn.Tanh()) for i in range(n)))
    assert len(seq) == n
    assert [name for name, _ in seq.named_children()] == [f"m{i}" for i in range(n)]
    assert CountingName.comparisons < 10 * n  # was about n^2 / 2 = 2,000,000


def test_appending_does_not_scan_the_order() -> None:
    modules = nn.ModuleList([nn.Tanh()])
    modules._order = CountingOrder(modules._order)
    CountingOrder.scans = 0
    for _ in range(1_000):
        modules.append(nn.ReLU())
    assert len(modules) == 1_001
    assert CountingOrder.scans == 0  # was one scan of the whole order per append


def test_repeating_a_sequential_keeps_torchs_order_and_ties() -> None:
    a, b = nn.Tanh(), nn.ReLU()
    seq = nn.Sequential(a, b) * 3
    assert len(seq) == 6
    assert [seq[i] for i in range(6)] == [a, b, a, b, a, b]  # the same objects, as torch's


def test_append_after_dict_names_still_replaces_a_child_of_that_name_as_torch() -> None:
    """torch's append is add_module(str(len(self)), module): it replaces a child already named so."""
    first, other, new = nn.Tanh(), nn.ReLU(), nn.Sigmoid()
    seq = nn.Sequential(OrderedDict([("2", first), ("x", other)]))
    seq.append(new)
    assert [(name, m) for name, m in seq.named_children()] == [("2", new), ("x", other)]
    seq.append(nn.Tanh())
    assert [name for name, _ in seq.named_children()] == ["2", "x"]


def test_module_dict_looks_names_up_without_scanning() -> None:
    n = 2_000
    CountingName.comparisons = 0
    heads = nn.ModuleDict([(CountingName(f"h{i}"), nn.Tanh()) for i in range(n)])
    values, items = heads.values(), heads.items()
    assert len(values) == len(items) == len(heads) == n
    assert CountingName(f"h{n - 1}") in heads and "h0" in heads and "nope" not in heads
    assert CountingName.comparisons < 10 * n  # was about n^2: each [] and assignment scanned the names


def test_module_dict_keeps_order_and_dict_behaviour() -> None:
    a, b, c = nn.Tanh(), nn.ReLU(), nn.Sigmoid()
    heads = nn.ModuleDict({"a": a, "b": b})
    heads["c"] = c
    heads["a"] = c  # replacing keeps the place, as a dict's
    assert heads.keys() == ["a", "b", "c"]
    del heads["b"]
    assert heads.items() == [("a", c), ("c", c)]
    assert heads.pop("c") is c and list(heads) == ["a"]


def test_a_module_dict_pickled_with_its_names_in_a_list_loads() -> None:
    """Earlier versions pickled ``_keys`` as a list; such a pickle loads and works."""
    heads = nn.ModuleDict({"a": nn.Tanh(), "b": nn.ReLU()})
    state = dict(heads.__dict__, _keys=["a", "b"])
    restored = nn.ModuleDict.__new__(nn.ModuleDict)
    restored.__setstate__(state)
    assert restored.keys() == ["a", "b"] and "b" in restored
    del restored["a"]
    assert restored.keys() == ["b"]
