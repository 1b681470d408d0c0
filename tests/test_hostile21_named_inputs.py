"""Hostile input, round 21: a bad number handed to a tape run or to hessian/hvp names the input it came in.

They used to say only "Value data must be finite, got nan" (which of the inputs?), and a tape took a dict
as its inputs, running on the dict's keys.
"""

from __future__ import annotations

import numpy as np
import pytest

from autograd import dot, hessian, hvp, softmax, sum_of
from autograd.replay import record


@pytest.fixture(scope="module")
def tape():  # type: ignore[no-untyped-def]
    return record(lambda a, b: a * b + b, example=[1.0, 1.0], parameters=[])


@pytest.mark.parametrize(("row", "error", "message"), [
    ([1.0, float("nan")], ValueError, "tape input 1: Value data must be finite, got nan"),
    ([float("-inf"), 1.0], ValueError, "tape input 0: Value data must be finite, got -inf"),
    (["2", 1.0], TypeError, "tape input 0: Value data must be a real number, got str '2'"),
    ([1.0, True], TypeError, "tape input 1: Value data must be a real number, got bool True"),
    ([1.0, 1j], TypeError, "tape input 1: Value data must be a real number, got complex 1j (complex numbers are not"
                           " supported)"),
    ([10**400, 1.0], OverflowError, "tape input 0: Value data: an int of 401 digits is too large for a float"),
])
def test_a_tape_run_names_the_bad_input(tape, row: list[object], error: type[Exception], message: str) -> None:  # type: ignore[no-untyped-def]
    for run, prefix in ((tape.run, ""), (tape.evaluate, ""), (lambda r: tape.run_many([r]), "run_many row 0: ")):
        with pytest.raises(error) as caught:
            run(row)
        assert str(caught.value) == prefix + message  # run_many names the row too (round 29)


@pytest.mark.parametrize("inputs", [{"a": 1.0, "b": 2.0}, {1.0, 2.0}])
def test_a_tape_refuses_a_dict_or_a_set_as_its_inputs(tape, inputs: object) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(TypeError, match=f"^tape inputs must be a sequence of 2 numbers, got {type(inputs).__name__}$"):
        tape.run(inputs)


def test_a_tape_still_runs_on_any_sequence_of_numbers(tape) -> None:  # type: ignore[no-untyped-def]
    # a * b + b at (3, 4) is 16; d/da = b = 4, d/db = a + 1 = 4 (no parameters: the loss alone).
    for row in ([3.0, 4.0], (3, 4), np.array([3.0, 4.0]), (x for x in [3.0, 4.0])):
        assert tape.evaluate(row) == (16.0, [])


@pytest.mark.parametrize(("call", "error", "message"), [
    (lambda: hessian(lambda a, b: a * b, [1.0, float("nan")]), ValueError, "hessian: input 1 must be finite, got nan"),
    (lambda: hvp(lambda a: a * a, ["1.5"], [1.0]), TypeError, "hvp: input 0 must be a real number, got str '1.5'"),
])
def test_hessian_and_hvp_name_the_bad_input(call, error: type[Exception], message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(error) as caught:
        call()
    assert str(caught.value) == message


@pytest.mark.parametrize(("call", "message"), [
    (lambda: sum_of(np.array(2.0)), "sum_of needs a sequence of numbers or Values, got ndarray array(2.)"),
    (lambda: sum_of(None), "sum_of needs a sequence of numbers or Values, got NoneType None"),
    (lambda: sum_of(3.0), "sum_of needs a sequence of numbers or Values, got float 3.0"),
    (lambda: softmax(np.array(1.0)), "softmax needs a sequence of numbers or Values, got ndarray array(1.)"),
    (lambda: dot(None, [1.0]), "dot: weights needs a sequence of numbers or Values, got NoneType None"),
])
def test_a_reduction_names_an_argument_that_is_no_sequence(call, message: str) -> None:  # type: ignore[no-untyped-def]
    # They failed with "'NoneType' object is not iterable" or numpy's "iteration over a 0-d array".
    with pytest.raises(TypeError) as caught:
        call()
    assert str(caught.value) == message


def test_reductions_still_take_any_sequence() -> None:
    assert sum_of(np.array([1.0, 2.5])).data == 3.5
    assert sum_of(x for x in [1.0, 2.5]).data == 3.5
    assert dot(np.array([2.0, 3.0]), (x for x in [4.0, 5.0])).data == 23.0


def test_hessian_still_takes_numbers_and_values() -> None:
    from autograd import Value
    # d2(a * b ** 2) at (a, b) = (3, 2): [[0, 2b], [2b, 2a]] = [[0, 4], [4, 6]].
    assert hessian(lambda a, b: a * b ** 2, [3, Value(2.0)]) == [[0.0, 4.0], [4.0, 6.0]]


@pytest.mark.parametrize(("example", "error", "message"), [
    ([np.array(1.0)], TypeError, "record: example entry 0: Value data must be a real number, got ndarray array(1.) "
                                 "(a Value is one number: pick an element, or loop over the array)"),
    ([1.0, float("nan")], ValueError, "record: example entry 1: Value data must be finite, got nan"),
    ({"a": 1.0, "b": 2.0}, TypeError, "record: example must be a sequence of numbers (one per input), got dict"),
])
def test_record_names_the_bad_example_entry(example: object, error: type[Exception], message: str) -> None:
    with pytest.raises(error) as caught:
        record(lambda a, b=0.0: a * b + a, example=example, parameters=[])  # type: ignore[arg-type]
    assert str(caught.value) == message


@pytest.mark.parametrize(("inputs", "shown"), [([3.0], "inputs[0] must be a Value, got float"),
                                               ("ab", "inputs[0] must be a Value, got str")])
def test_backward_names_itself_for_an_input_that_is_no_value(inputs: object, shown: str) -> None:
    from autograd import Value
    x = Value(2.0)
    with pytest.raises(TypeError) as caught:
        (x * x).backward(inputs=inputs)  # type: ignore[arg-type]
    assert str(caught.value) == f"backward(): {shown}"  # it said "grad: ...", the function backward() calls
    assert x.grad == 0.0


def test_grad_names_a_grad_output_past_the_float_range() -> None:
    from autograd import Value, grad
    x = Value(2.0)
    # It said only "int too large to convert to float".
    with pytest.raises(OverflowError, match=r"^grad: grad_output: an int of 401 digits is too large for a float$"):
        grad(x * x, [x], 10**400)
    assert grad(x * x, [x], 3)[0].data == 12.0  # 3 * d(x^2)/dx at 2
