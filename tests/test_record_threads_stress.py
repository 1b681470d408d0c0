"""Two threads recording over and over while a third computes eagerly and reads ``.data`` (second reading of small19).

`record` swaps ``Value.data``'s getter inside its one property while any thread records, counting the recordings
under way; the eager thread must see no TracerWarning and the right numbers, each tape must equal the closed form,
and once every thread is done the property holds its plain getter again.
"""

from __future__ import annotations

import math
import threading
import warnings

from autograd import Value
from autograd.replay import TracerWarning, record
from autograd.replay.recording import _PLAIN_READ
from autograd.value import OBSERVERS


def test_records_in_two_threads_and_eager_reads_in_a_third_stay_correct_and_quiet() -> None:
    rounds = 40
    failures: list[str] = []
    barrier = threading.Barrier(3)

    def recorder(w0: float) -> None:
        w = Value(w0)
        barrier.wait(10)
        for k in range(rounds):
            tape = record(lambda x: (x * w).tanh(), [0.1 * k], [w])
            loss, grads = tape.evaluate([0.5])
            want = math.tanh(0.5 * w0)
            if abs(loss - want) > 1e-15 or abs(grads[0] - 0.5 * (1 - want * want)) > 1e-15:
                failures.append(f"tape {w0} round {k}: {loss}, {grads}")

    def eager() -> None:
        barrier.wait(10)
        for k in range(rounds * 20):
            x = Value(0.01 * k)
            y = (x * x + 1.0).log()
            y.backward()
            t = 0.01 * k
            if abs(y.data - math.log1p(t * t)) > 1e-15 * (1 + y.data) or abs(x.grad - 2 * t / (t * t + 1.0)) > 1e-15:
                failures.append(f"eager {k}: {y.data}, {x.grad}")

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        threads = [threading.Thread(target=recorder, args=(0.7,)), threading.Thread(target=recorder, args=(-1.3,)),
                   threading.Thread(target=eager)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    assert not any(t.is_alive() for t in threads)
    assert failures == []
    assert [str(w.message) for w in caught if issubclass(w.category, TracerWarning)] == []
    assert Value.__dict__["data"].fget is _PLAIN_READ  # every recording ended: the plain getter again
    assert OBSERVERS.comparison is None and OBSERVERS.leaf_made is None
