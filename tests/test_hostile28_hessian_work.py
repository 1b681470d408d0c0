"""`hessian` over very many inputs: what fits in memory but would run for a long time is refused up front.

The memory check (tests/test_hostile21_hessian_size.py) lets 20,000 inputs through on a machine of 16 GiB or
more (20,000^2 entries of 32 bytes: 12.8 GB), and then n + 1 = 20,001 backward passes ran, each through a
gradient graph of some 60,000 nodes and edges (f = tanh(sum x)): over a billion node visits, an hour or more
in Python. Now hessian counts a few of the gradient graphs it is about to walk and refuses, before any second
backward pass, when n passes over graphs that size pass ``max_work`` node visits (default `MAX_HESSIAN_WORK`).
No timings here: the tests count f's calls and the passes through `grad`.
"""

from __future__ import annotations

import importlib
import math

import pytest

from autograd import hessian, sum_of

hessian_module = importlib.import_module("autograd.hessian")


@pytest.fixture
def passes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    counted: list[int] = []
    real = hessian_module.grad

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        counted.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(hessian_module, "grad", counting)
    return counted


def test_twenty_thousand_inputs_are_refused_before_the_second_passes(passes: list[int]) -> None:
    with pytest.raises(ValueError, match=r"^hessian: 20,000 inputs need 20,000 backward passes through gradient "
                                         r"graphs of about [\d,]+ nodes and edges each: about [\d.]+e\+09 node "
                                         r"visits, over max_work=3e\+08 .*hvp"):
        hessian(lambda *xs: sum_of(xs).tanh(), [0.1] * 20_000)
    assert passes == [1]  # only the first gradient, whose graph is counted


def test_a_small_max_work_refuses_and_a_large_one_runs(passes: list[int]) -> None:
    def f(*xs):  # type: ignore[no-untyped-def]
        return sum_of([x * x for x in xs])

    with pytest.raises(ValueError, match=r"^hessian: 30 inputs need .* over max_work=100"):
        hessian(f, [0.5] * 30, max_work=100)
    assert passes == [1]
    h = hessian(f, [0.5] * 30, max_work=1e6)
    assert h == [[2.0 if i == j else 0.0 for j in range(30)] for i in range(30)]  # sum x^2: H = 2 I


def test_three_thousand_inputs_of_a_simple_f_are_within_the_default() -> None:
    # n^2 + n * (graph size) for f = tanh(sum x): about 2.7e7 node visits, well under MAX_HESSIAN_WORK; not run
    # here (seconds), only the estimate is checked.
    assert hessian_module.work_estimate(3000, [3 * 3000]) < hessian_module.MAX_HESSIAN_WORK


@pytest.mark.parametrize("bad, kind", [("1e9", TypeError), (None, TypeError), (True, TypeError), (0, ValueError),
                                       (-5, ValueError), (math.nan, ValueError)])
def test_max_work_must_be_a_positive_number(bad: object, kind: type) -> None:
    with pytest.raises(kind, match="^hessian: max_work must be"):
        hessian(lambda a: a * a, [1.0], max_work=bad)  # type: ignore[arg-type]
