"""`record` pauses the cyclic collector while the graph is built and read (as `backward` does: neither makes
reference cycles; issue 12 goal 1), and always leaves it as it found it: on, off, or after the function raised."""

from __future__ import annotations

import gc
import math

import pytest

from autograd import Value
from autograd.replay import ReplayError, record


def test_the_collector_is_paused_during_the_recorded_function_and_on_again_after() -> None:
    p = Value(0.5)
    seen: list[bool] = []

    def fn(x: Value) -> Value:
        seen.append(gc.isenabled())
        return (x * p).tanh()

    assert gc.isenabled()
    tape = record(fn, [0.3], [p])
    assert seen == [False] and gc.isenabled()
    assert tape.evaluate([0.3])[0] == pytest.approx(math.tanh(0.15), rel=1e-12)


def test_the_collector_is_on_again_after_the_recorded_function_raises() -> None:
    def broken(x: Value) -> Value:
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        record(broken, [0.3], [])
    assert gc.isenabled()
    with pytest.raises(TypeError, match="must return a Value"):
        record(lambda x: 1.0, [0.3], [])  # type: ignore[arg-type, return-value]
    assert gc.isenabled()
    with pytest.raises(ReplayError, match="neither an input, a parameter nor a constant"):
        stray = Value(2.0)
        record(lambda x: x * stray, [0.3], [])
    assert gc.isenabled()


def test_a_collector_turned_off_by_the_program_stays_off() -> None:
    gc.disable()
    try:
        record(lambda x: x * 2.0, [0.3], [])
        assert not gc.isenabled()
    finally:
        gc.enable()
