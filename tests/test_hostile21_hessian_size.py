"""Hostile input, round 21: a Hessian larger than memory is refused before any backward pass.

``hessian(f, [0.0] * 100_000)`` ran 100,001 backward passes filling a 100,000 x 100,000 list of rows until
the operating system stopped the process; now the n x n matrix's size (32 bytes an entry: a float and its
place in a list) is compared with the machine's memory first, as the layers do for their parameters.
"""

from __future__ import annotations

import importlib

import pytest

from autograd import hessian, sum_of

# The module itself: the package's attribute `autograd.hessian` is the function of that name.
hessian_module = importlib.import_module("autograd.hessian")


def _small_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    sizes = {"SC_PAGE_SIZE": 4096, "SC_PHYS_PAGES": 1000}  # 4,096,000 bytes of "memory"
    monkeypatch.setattr(hessian_module.os, "sysconf", lambda name: sizes[name])


def test_a_hessian_past_memory_is_refused_naming_its_size(monkeypatch: pytest.MonkeyPatch) -> None:
    _small_machine(monkeypatch)
    calls = []

    def f(*xs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return sum_of([x * x for x in xs])

    # 400 x 400 entries of 32 bytes: 5,120,000 bytes, past the 4,096,000.
    with pytest.raises(MemoryError, match=r"^hessian: 400 inputs make a 400 x 400 matrix, about 0 GiB: more than "
                                          r"this machine's 0 GiB of memory \(hvp gives H v without forming H\)$"):
        hessian(f, [0.5] * 400)
    assert calls == [1]  # f evaluated once; no backward pass was run


def test_a_hessian_that_fits_is_the_closed_form(monkeypatch: pytest.MonkeyPatch) -> None:
    _small_machine(monkeypatch)
    # 300 x 300 x 32 = 2,880,000 bytes fit. f = sum x_i^2 has H = 2 I.
    h = hessian(lambda *xs: sum_of([x * x for x in xs]), [0.5] * 300)
    assert all(h[i][j] == (2.0 if i == j else 0.0) for i in range(300) for j in range(300))
