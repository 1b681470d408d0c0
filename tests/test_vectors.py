"""`parameters_to_vector` / `vector_to_parameters`: torch's names and order, checked all or nothing."""

from __future__ import annotations

import math

import pytest

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
