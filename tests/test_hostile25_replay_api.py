"""Hostile input at the replay API's doors (round 25): a tape's parameter list, pickling, 0-d arrays, dicts and
sets given as rows or columns, and batch columns numpy would read as numbers where the eager engine refuses."""

from __future__ import annotations

import copy
import math
import pickle
from fractions import Fraction

import pytest

from autograd import Value
from autograd.replay import StructureChanged, Tape, record

np = pytest.importorskip("numpy")


def _neuron() -> tuple[Tape, Value, Value]:
    w, b = Value(2.0, label="w"), Value(0.5, label="b")
    return record(lambda x, y: (x * w + y * b).tanh(), [1.0, 2.0], [w, b]), w, b


def _by_hand(x: float, y: float, w: float, b: float) -> tuple[float, list[float]]:
    """tanh(x w + y b) and its gradient in (w, b), from the closed form d tanh = 1 - tanh^2."""
    t = math.tanh(x * w + y * b)
    return t, [(1 - t * t) * x, (1 - t * t) * y]


def test_a_tapes_parameters_cannot_be_reordered_or_shortened_behind_its_back() -> None:
    # tape.parameters was the tape's own list: .reverse() made runs read b's data for w and return the gradients
    # in the wrong order, .pop() read an input's slot as b, both with no error
    tape, w, b = _neuron()
    assert tape.parameters == (w, b)
    for change in (lambda ps: ps.reverse(), lambda ps: ps.pop(), lambda ps: ps.append(Value(1.0))):
        with pytest.raises(AttributeError):
            change(tape.parameters)
    with pytest.raises(AttributeError):
        tape.parameters = [b, w]  # type: ignore[misc]
    loss, grads = tape.evaluate([1.0, 2.0])
    want_loss, want_grads = _by_hand(1.0, 2.0, 2.0, 0.5)
    assert loss == pytest.approx(want_loss, rel=1e-15)
    assert grads == pytest.approx(want_grads, rel=1e-12)
    tape.check_parameters([w, b])
    with pytest.raises(StructureChanged):
        tape.check_parameters([b, w])


def test_pickling_or_deep_copying_a_tape_is_a_named_type_error() -> None:
    # was "TypeError: cannot pickle 'module' object"; a deep copy would have replayed copies of the parameters
    tape, w, _ = _neuron()
    with pytest.raises(TypeError, match="a Tape cannot be pickled or deep-copied"):
        pickle.dumps(tape)
    with pytest.raises(TypeError, match="a Tape cannot be pickled or deep-copied"):
        copy.deepcopy(tape)
    twin = copy.copy(tape)  # a shallow copy replays the same Values: still allowed
    assert twin.parameters[0] is w
    assert twin.evaluate([1.0, 2.0])[0] == pytest.approx(math.tanh(3.0), rel=1e-15)


def test_a_0d_array_as_inputs_or_example_is_named() -> None:
    # was "TypeError: iteration over a 0-d array" from inside record and Tape.evaluate
    tape, w, _ = _neuron()
    with pytest.raises(TypeError, match=r"tape inputs must be a sequence of 2 numbers, got ndarray of shape \(\)"):
        tape.evaluate(np.array(1.0))
    with pytest.raises(TypeError, match=r"record: example must be a sequence .* got ndarray of shape \(\)"):
        record(lambda x: x * w, np.array(1.0), [w])
    with pytest.raises(TypeError, match=r"run_batch: columns must be a sequence .* got ndarray of shape \(\)"):
        tape.run_batch(np.array(1.0))


def test_a_dict_or_set_of_columns_or_rows_is_refused() -> None:
    # run_batch({0: xs, 1: ys}) iterated the keys: "batch columns must be 1-D ..., got shapes [()]"
    tape, _, _ = _neuron()
    with pytest.raises(TypeError, match="run_batch: columns must be a sequence of input columns, got dict"):
        tape.run_batch({0: [1.0], 1: [2.0]})
    with pytest.raises(TypeError, match="run_many: rows must be a sequence of input rows, got set"):
        tape.run_many({(1.0, 2.0), (3.0, 4.0)})


@pytest.mark.parametrize("column", [
    np.array(["1.5", "2.0"]),  # read as 1.5 and 2.0
    np.array([b"1.5", b"2.0"]),
    np.array(["2020-01-01", "2020-01-02"], dtype="datetime64[D]"),  # read as days since 1970
    np.array([1, 2], dtype="timedelta64[s]"),
], ids=["str", "bytes", "datetime", "timedelta"])
def test_batch_columns_of_text_or_dates_are_refused(column: object) -> None:
    tape, _, _ = _neuron()
    with pytest.raises(TypeError, match="batch column 0 must hold real numbers only, got an array of dtype"):
        tape.run_batch([column, [1.0, 2.0]])


def test_batch_columns_holding_strings_or_values_are_refused_as_eagerly() -> None:
    # numpy read '1.5' and Value(1.0) as numbers; tape.evaluate and Value() refuse both
    tape, _, _ = _neuron()
    with pytest.raises(TypeError, match="batch column 1 must hold real numbers only: sample 1 is str '2.5'"):
        tape.run_batch([[1.0, 2.0], [3.0, "2.5"]])
    with pytest.raises(TypeError, match="batch column 0 must hold real numbers only: sample 0 is Value"):
        tape.run_batch([[Value(1.0), 2.0], [3.0, 4.0]])
    with pytest.raises(TypeError, match="tape input 0"):
        tape.evaluate([Value(1.0), 3.0])


def test_batch_columns_of_any_real_numbers_still_run() -> None:
    tape, _, _ = _neuron()
    xs = [Fraction(1, 2), np.float32(2.0), np.int8(3)]
    losses, grads = tape.run_batch([xs, [1.0, 1.0, 1.0]])
    want = [_by_hand(float(x), 1.0, 2.0, 0.5) for x in xs]
    assert losses.tolist() == pytest.approx([loss for loss, _ in want], rel=1e-15)
    total_w = 0.0
    for _, g in want:
        total_w += g[0]
    assert grads[0] == pytest.approx(total_w, rel=1e-12)


def test_a_masked_column_is_refused_rather_than_unmasked() -> None:
    # np.asarray dropped the mask: the masked sample's hidden number was replayed
    tape, _, _ = _neuron()
    column = np.ma.masked_array([1.0, 2.0], mask=[False, True])
    with pytest.raises(ValueError, match="batch column 0 is a masked array with sample 1 masked"):
        tape.run_batch([column, [1.0, 2.0]])
    unmasked = np.ma.masked_array([1.0, 2.0], mask=[False, False])
    assert tape.run_batch([unmasked, [1.0, 2.0]])[0].tolist() == pytest.approx([math.tanh(2.5), math.tanh(5.0)])


def test_a_huge_integer_in_a_column_names_the_column() -> None:
    # was "OverflowError: int too large to convert to float"
    tape, _, _ = _neuron()
    with pytest.raises(OverflowError, match="batch column 1 holds an integer too large for a float"):
        tape.run_batch([[1.0], [10**400]])


@pytest.mark.parametrize("what", ["inputs", "parameters", "constants", "outputs"])
@pytest.mark.parametrize("given", [None, "x", {"w": 1}], ids=["None", "str", "dict"])
def test_tape_names_an_argument_that_is_no_list_of_values(what: str, given: object) -> None:
    # was "'NoneType' object is not iterable" (or "got str at position 0" for a dict's names)
    w, x = Value(2.0, label="w"), Value(1.0, label="x")
    arguments: dict[str, object] = {"inputs": [x], "parameters": [w], "constants": [], "outputs": []}
    arguments[what] = given
    with pytest.raises(TypeError, match=f"Tape: {what} must be a list of Values, got {type(given).__name__}"):
        Tape((x * w).tanh(), **arguments)  # type: ignore[arg-type]


def test_tape_refuses_a_vectorize_that_is_not_a_bool_and_guards_that_are_not_guards() -> None:
    # vectorize="no" was taken as True (record refused it already); guards=[1] was an AttributeError
    w, x = Value(2.0), Value(1.0)
    with pytest.raises(TypeError, match="Tape: vectorize must be True, False or None, got str"):
        Tape(x * w, [x], [w], vectorize="no")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="Tape: guards must be Guard records"):
        Tape(x * w, [x], [w], guards=[1])  # type: ignore[list-item]


def test_tape_reads_generators_of_inputs_once() -> None:
    # the type check used the generator up: "Value ... is a leaf of the graph but neither an input, ..."
    w, x = Value(2.0), Value(1.0)
    tape = Tape((x * w).tanh(), (v for v in [x]), (p for p in [w]))
    loss, grads = tape.evaluate([0.5])
    assert loss == pytest.approx(math.tanh(1.0), rel=1e-15)
    assert grads == pytest.approx([0.5 * (1 - math.tanh(1.0) ** 2)], rel=1e-13)


def test_record_names_a_dict_of_parameters() -> None:
    # was "parameters must be Values, got str at position 0" (the dict's keys)
    w = Value(2.0)
    with pytest.raises(TypeError, match="record: parameters must be a list of Values, got dict"):
        record(lambda a: a * w, [1.0], {"w": w})


def test_run_batch_refuses_more_samples_than_memory_holds_before_reading_them() -> None:
    # a column of 10^12 samples (a broadcast view: free to pass) ran until the operating system killed the process
    tape, _, _ = _neuron()
    huge = np.broadcast_to(np.float64(1.0), (10**12,))
    with pytest.raises(MemoryError, match=r"run_batch: 1,000,000,000,000 samples need about [\d,]+ GiB of arrays"):
        tape.run_batch([huge, huge])
    assert tape.run_batch([[1.0], [1.0]])[0].tolist() == pytest.approx([math.tanh(2.5)], rel=1e-15)
