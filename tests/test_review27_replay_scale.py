"""`Tape.run`'s ``scale`` is checked as every number the engine takes: any real number that is a finite float.

It accepted only Python int and float: numpy's int64 and float32 (real numbers, `numbers.Real`) were refused as
"no real number", and an int past float range raised a bare "int too large to convert to float".
"""

from __future__ import annotations

import pytest

np = pytest.importorskip("numpy")

from autograd import Value  # noqa: E402
from autograd.replay import record  # noqa: E402


def _tape_and_weight():
    w = Value(2.0, label="w")
    return record(lambda x: x * w, [3.0], [w]), w


@pytest.mark.parametrize("scale", [np.int64(2), np.float32(0.5), 2, 0.5])
def test_a_numpy_scale_multiplies_the_gradient(scale) -> None:
    tape, w = _tape_and_weight()
    tape.run([3.0], scale=scale)
    assert w.grad == 3.0 * float(scale)  # d(x w)/dw = x = 3, times the scale (exact in binary)


def test_an_int_past_float_range_is_named() -> None:
    tape, w = _tape_and_weight()
    with pytest.raises(OverflowError, match=r"^scale: an int of 401 digits is too large for a float$"):
        tape.run([3.0], scale=10**400)
    assert w.grad == 0.0


@pytest.mark.parametrize(("scale", "error", "message"), [
    (True, TypeError, "scale must be a real number, got bool"),
    ("2", TypeError, "scale must be a real number, got str"),
    (float("nan"), ValueError, "scale must be finite, got nan"),
    (complex(1, 0), TypeError, "scale must be a real number, got complex"),
])
def test_what_is_no_finite_real_number_is_refused_by_name(scale, error, message) -> None:
    tape, _ = _tape_and_weight()
    with pytest.raises(error, match=message):
        tape.run([3.0], scale=scale)


def test_a_batch_sample_whose_repr_raises_is_still_named() -> None:
    # (review27) batch_numpy had its own repr-cutter, which let a raising __repr__ replace the TypeError; it now
    # uses the engine's one safe repr (autograd.shown.short_repr).
    class BadRepr:
        def __repr__(self) -> str:
            raise RuntimeError("no repr")

    tape, _ = _tape_and_weight()
    with pytest.raises(TypeError, match=r"^batch column 0 must hold real numbers only: sample 1 is BadRepr a BadRepr"):
        tape.run_batch([[1.0, BadRepr()]])
