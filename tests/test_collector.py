"""autograd.collector: full collections get rarer while a large heap lives, and nothing else changes.

Not timed: these check the collector's state (thresholds, enabled) and that a program's own cyclic
garbage is still reclaimed, by explicit and by automatic collections.
"""

import gc
import sys
import weakref

import pytest

import autograd
from autograd import Value, collector


class _Cycle:
    """A reference cycle: refcounting alone never frees it."""

    def __init__(self) -> None:
        self.me = self


BASE = 100


def _grown_heap() -> list:
    """Live tracked objects until the heap asks for threshold2 of at least 4 * BASE."""
    heap: list = []
    while sys.getallocatedblocks() < 4 * BASE * 7_000:
        heap.extend([[] for _ in range(10_000)])
    return heap


@pytest.fixture
def policy():
    """The hook installed, with the program's thresholds known and put back afterwards."""
    assert collector.POLICY in gc.callbacks  # importing the engine installs it
    before = gc.get_threshold()
    collector.POLICY.restore()
    # threshold2 = BASE: twice what the test process's own heap (pytest, numpy, torch...) asks for,
    # well below what the blocks a test adds (`_grown_heap`) ask for.
    gc.collect()
    global BASE
    BASE = max(100, 2 * sys.getallocatedblocks() // 7_000)
    gc.set_threshold(700, 10, BASE)
    yield collector.POLICY
    collector.POLICY.restore()
    gc.set_threshold(*before)


def test_importing_the_engine_installs_the_hook_once():
    collector.install()
    collector.install()
    assert gc.callbacks.count(collector.POLICY) == 1
    assert autograd.collector is collector


def test_a_large_heap_raises_only_the_oldest_threshold_and_dropping_it_restores_them(policy):
    heap = _grown_heap()
    gc.collect()
    t0, t1, t2 = gc.get_threshold()
    # Young generations untouched; the oldest scaled to about the heap in blocks / (700 * 10).
    assert (t0, t1) == (700, 10)
    assert t2 >= 4 * BASE - 5
    assert abs(t2 - sys.getallocatedblocks() // 7_000) <= 5
    del heap
    gc.collect()
    assert gc.get_threshold() == (700, 10, BASE)


def test_a_heap_frozen_out_of_the_collectors_sight_does_not_space_full_collections(policy):
    heap = _grown_heap()
    gc.collect()
    assert gc.get_threshold()[2] >= 4 * BASE - 5  # walked by every full collection: spaced out
    collector.freeze()  # the same heap, now never walked (as a program freezing its imports before a fork)
    try:
        assert gc.get_freeze_count() > 0 and collector.walked_blocks() < sys.getallocatedblocks() // 4
        gc.collect()
        assert gc.get_threshold() == (700, 10, BASE)  # what is walked is small again: the program's own
    finally:
        collector.unfreeze()
    assert gc.get_freeze_count() == 0
    gc.collect()
    assert gc.get_threshold()[2] >= 4 * BASE - 5  # walked, and counted, again
    del heap
    gc.collect()
    assert gc.get_threshold() == (700, 10, BASE)


def test_a_small_heap_keeps_the_programs_thresholds(policy):
    gc.set_threshold(700, 10, 10_000)  # far above what the heap would ask for
    gc.collect()
    assert gc.get_threshold() == (700, 10, 10_000)


def test_cyclic_garbage_is_collected_by_an_explicit_collect_while_thresholds_are_raised(policy):
    heap = _grown_heap()
    gc.collect()
    assert gc.get_threshold()[2] > BASE
    garbage = _Cycle()
    alive = weakref.ref(garbage)
    del garbage
    assert alive() is not None  # a cycle: refcounting did not free it
    gc.collect()
    assert alive() is None
    del heap


def test_cyclic_garbage_is_collected_automatically_once_enough_is_allocated(policy):
    heap = _grown_heap()
    gc.collect()
    raised = gc.get_threshold()[2]
    assert raised > BASE
    garbage = _Cycle()
    alive = weakref.ref(garbage)
    del garbage
    # A full collection comes after about 700 * 10 * raised tracked allocations that stay alive.
    kept = []
    budget = 3 * 7_000 * raised
    while alive() is not None and len(kept) < budget:
        kept.extend([[] for _ in range(10_000)])
    assert alive() is None, f"still alive after {len(kept):,} allocations"
    del heap, kept


def test_thresholds_the_program_sets_become_the_baseline(policy):
    heap = _grown_heap()
    gc.collect()
    assert gc.get_threshold()[2] > BASE
    gc.set_threshold(900, 12, BASE)
    del heap
    gc.collect()
    assert gc.get_threshold() == (900, 12, BASE)


def test_a_zero_threshold_disabling_collection_is_left_alone(policy):
    heap = _grown_heap()
    gc.set_threshold(0, 10, BASE)
    gc.collect()
    assert gc.get_threshold() == (0, 10, BASE)
    del heap


def test_uninstall_removes_the_hook_and_restores(policy):
    heap = _grown_heap()
    gc.collect()
    assert gc.get_threshold()[2] > BASE
    try:
        collector.uninstall()
        assert collector.POLICY not in gc.callbacks
        assert gc.get_threshold() == (700, 10, BASE)
    finally:
        collector.install()
    del heap


@pytest.mark.parametrize("enabled", [True, False])
def test_backward_restores_the_collector_state_even_when_it_raises(enabled):
    before = gc.get_threshold()
    x = Value(1e-10)
    y = x * 1e308 + x * 1e308  # each node finite, the leaf's summed gradient overflows
    if not enabled:
        gc.disable()
    try:
        with pytest.raises(FloatingPointError):
            y.backward()
        assert gc.isenabled() is enabled
        x.grad = 0.0
        z = x * 2.0 + 1.0
        z.backward()
        assert gc.isenabled() is enabled
    finally:
        gc.enable()
    assert gc.get_threshold() == before
