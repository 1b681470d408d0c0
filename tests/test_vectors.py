"""`parameters_to_vector` / `vector_to_parameters`: torch's names and order, checked all or nothing."""

from __future__ import annotations

import math
import re

import pytest

from autograd import Value
from nn import MLP, parameters_to_vector, vector_to_parameters


def test_round_trip_in_parameter_order_and_a_bulk_update_equals_one_by_one() -> None:
    model = MLP(2, [3, 1], seed=0)
    params = model.parameters()
    vector = parameters_to_vector(params)
    assert vector == [p.data for p in params] and all(type(x) is float for x in vector)
    grads = [0.01 * k for k in range(len(params))]
    vector_to_parameters([w - 0.5 * g for w, g in zip(vector, grads)], params)
    assert [p.data for p in params] == [w - 0.5 * g for w, g in zip(vector, grads)]
    vector_to_parameters([1, 2] + [0.0] * (len(params) - 2), params)  # ints become floats
    assert params[0].data == 1.0 and type(params[1].data) is float


def test_a_numpy_vector_is_written_as_plain_floats() -> None:
    np = pytest.importorskip("numpy")
    model = MLP(2, [2, 1], seed=1)
    params = model.parameters()
    vector_to_parameters(np.arange(len(params), dtype=np.float64) / 4, params)
    assert [p.data for p in params] == [k / 4 for k in range(len(params))]
    assert all(type(p.data) is float for p in params)


@pytest.mark.parametrize("bad, error, words", [
    ("short", ValueError, "2 numbers for 9 parameters"),
    (math.nan, ValueError, "number 4 is nan"),
    (math.inf, ValueError, "number 4 is inf"),
    ("x", TypeError, "number 4 is str"),
    (None, TypeError, "number 4 is NoneType"),
    (True, TypeError, "number 4 is bool"),
    (1j, TypeError, "number 4 is complex"),
])
def test_a_bad_vector_changes_nothing_and_names_the_number(bad: object, error: type, words: str) -> None:
    model = MLP(2, [2, 1], seed=2)
    params = model.parameters()
    before = [p.data for p in params]
    vector = [0.0, 0.0] if bad == "short" else [0.5] * 4 + [bad] + [0.5] * (len(params) - 5)
    with pytest.raises(error, match=words):
        vector_to_parameters(vector, params)
    assert [p.data for p in params] == before


def test_matches_torch_order() -> None:
    torch = pytest.importorskip("torch")
    model = MLP(3, [4, 2], seed=3)
    tensors = [torch.tensor([p.data], dtype=torch.float64) for p in model.parameters()]
    assert parameters_to_vector(model.parameters()) == torch.nn.utils.parameters_to_vector(tensors).tolist()


def test_something_that_is_no_value_is_named() -> None:
    model = MLP(2, [2, 1], seed=4)
    params = [*model.parameters()[:3], 0.5]
    for call in (lambda: parameters_to_vector(params), lambda: vector_to_parameters([0.0] * 4, params)):
        with pytest.raises(TypeError, match="parameter 3 is float, not a Value"):
            call()


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_a_numpy_float_vector_with_a_non_finite_number_changes_nothing(bad: float) -> None:
    """A plain float64 array skips the per-number type check (its tolist() holds floats): its finiteness is still
    checked, by numpy, and the first bad position named."""
    np = pytest.importorskip("numpy")
    model = MLP(2, [2, 1], seed=5)
    params = model.parameters()
    before = [p.data for p in params]
    vector = np.full(len(params), 0.25)
    vector[[4, 6]] = bad
    with pytest.raises(ValueError, match=f"number 4 is {bad!r}"):
        vector_to_parameters(vector, params)
    assert [p.data for p in params] == before


def test_other_numpy_vectors_are_written_as_plain_floats_or_refused() -> None:
    """float16/float32 and longdouble arrays become Python floats (longdouble's tolist() keeps numpy scalars, so
    it takes the checked path); a masked array's masked number is None in its tolist() and is refused."""
    np = pytest.importorskip("numpy")
    model = MLP(2, [2, 1], seed=6)
    params = model.parameters()
    n = len(params)
    for dtype in (np.float16, np.float32, np.longdouble):
        vector_to_parameters(np.arange(n, dtype=dtype) / 8, params)
        assert [p.data for p in params] == [k / 8 for k in range(n)]
        assert all(type(p.data) is float for p in params)
    before = [p.data for p in params]
    masked = np.ma.masked_array(np.ones(n), mask=[k == 2 for k in range(n)])
    with pytest.raises(TypeError, match="number 2 is NoneType"):
        vector_to_parameters(masked, params)
    assert [p.data for p in params] == before
    with pytest.raises(TypeError, match=rf"must be 1-D .* 2-D ndarray of shape \({n}, 1\)"):
        vector_to_parameters(np.ones((n, 1)), params)  # a column, not a vector


def test_a_value_subclass_is_a_parameter() -> None:
    """Exact Values are counted in bulk; a subclass takes the isinstance walk and is accepted as before."""

    class Weight(Value):
        pass

    params = [Value(1.0), Weight(2.0), Value(3.0)]
    assert parameters_to_vector(params) == [1.0, 2.0, 3.0]
    vector_to_parameters([4.0, 5.0, 6.0], params)
    assert [p.data for p in params] == [4.0, 5.0, 6.0]


def test_a_numpy_array_that_is_not_1_d_is_named_as_such() -> None:
    """torch's vector_to_parameters takes a flat vector: a row of as many numbers as parameters said
    '1 numbers for 3 parameters', an empty column 'number 0 is list []'; now the dimension and shape are named
    and no parameter changes."""
    np = pytest.importorskip("numpy")
    params = [Value(0.5) for _ in range(3)]
    for vector in (np.array([[1.0, 2.0, 3.0]]), np.zeros((3, 0)), np.zeros((1, 3, 1))):
        with pytest.raises(TypeError, match=f"must be 1-D .*{vector.ndim}-D .*shape {re.escape(str(vector.shape))}"):
            vector_to_parameters(vector, params)
        assert [p.data for p in params] == [0.5, 0.5, 0.5]


def test_a_longdouble_past_the_float_range_is_named_too_large_not_inf() -> None:
    """numpy's longdouble holds 1e600 (finite), which float() turns into inf without an OverflowError: the
    message said 'number 1 is inf'; like a Python int past the float range, it is now 'too large for a float'."""
    np = pytest.importorskip("numpy")
    if np.finfo(np.longdouble).max <= np.finfo(np.float64).max:
        pytest.skip("this platform's longdouble is a double")
    params = [Value(0.5) for _ in range(3)]
    vector = np.array([1.0, 1e300, 3.0], dtype=np.longdouble)
    vector[1] *= np.longdouble(1e300)
    assert np.isfinite(vector).all()
    with pytest.raises(ValueError, match="number 1, .* is too large for a float"):
        vector_to_parameters(vector, params)
    assert [p.data for p in params] == [0.5, 0.5, 0.5]
    with pytest.raises(ValueError, match="number 0 is inf"):  # a true infinity is still named as one
        vector_to_parameters(np.array([np.inf, 1.0, 2.0], dtype=np.longdouble), params)
