"""Arguments in error messages are shown by the one safe repr (`autograd.shown.short_repr`), not by hand-cut reprs.

Five messages cut ``repr(x)`` themselves (``{x!r:.60}``): an int past str()'s 4,300 digits made the message
fail with "Exceeds the limit (4300 digits) for integer string conversion", and an argument whose ``__repr__``
raises replaced the error being reported with its own.
"""

from __future__ import annotations

import pytest

from autograd import helper, softmax
from autograd.helpers import HELPERS
from lecture.mlp_hessian import slide_weight
from lecture.slides_mlp import row_graph, slides_network

HUGE = 10**5000  # past str()'s 4,300-digit limit


class BadRepr:
    def __repr__(self) -> str:
        raise RuntimeError("no repr")


@pytest.mark.parametrize(("call", "message"), [
    (lambda: helper(abs, name=HUGE), "helper name must be a str, got int an int of about 5,001 digits"),
    (lambda: helper(HUGE), "helper registers a function, got int an int of about 5,001 digits"),
    (lambda: helper(BadRepr()), "helper registers a function, got BadRepr a BadRepr"),
    (lambda: softmax(HUGE), "softmax needs a sequence of numbers or Values, got int an int of about 5,001 digits"),
    (lambda: slide_weight(slides_network(), BadRepr(), 1), r"w1\[i,k\]: i and k must be whole numbers, got BadRepr a"),
    (lambda: row_graph(slides_network(), BadRepr()), "row r must be a whole number, got BadRepr a BadRepr"),
])
def test_the_type_error_survives_an_argument_that_cannot_be_printed(call, message: str) -> None:
    before = set(HELPERS)
    with pytest.raises(TypeError, match=f"^{message}"):
        call()
    assert set(HELPERS) == before
