"""Hostile input, round 24: cluster groups and gate helpers given something that is not what they take.

``draw_graph(y, groups={x: None})`` and ``groups_from_parameters(y, [(3, w)])`` failed deep in the drawing
("'NoneType' object has no attribute 'split'"), ``groups_by_time_step("abc")`` inside the walk ("'str' object
has no attribute 'is_leaf'"), and ``gate_symbol(2.0)`` / ``local_derivatives(2.0)`` on their first attribute
("'float' object has no attribute 'op'"); ``gate_symbol`` of a leaf was a bare AssertionError.
"""

from __future__ import annotations

import math

import pytest

from autograd import Value
from viz import draw_graph, gate_symbol, groups_by_time_step, groups_from_parameters, local_derivatives


def _graph() -> tuple[Value, Value, Value]:
    x, w = Value(0.5, label="x"), Value(-3.0, label="w")
    return x, w, (x * w).tanh()


@pytest.mark.parametrize("path", [None, 3, 1.5, ["layer 1"], True])
def test_a_group_path_that_is_not_a_str_is_named(path: object) -> None:
    x, _, y = _graph()
    with pytest.raises(TypeError, match=r"^draw_graph: groups maps Values to cluster paths \(str such as"):
        draw_graph(y, groups={x: path})  # type: ignore[dict-item]


def test_a_group_key_that_is_not_a_value_is_named() -> None:
    _, _, y = _graph()
    with pytest.raises(TypeError, match=r"^draw_graph: groups maps Values to cluster paths, got a key of type str"):
        draw_graph(y, groups={"x": "layer 1"})  # type: ignore[dict-item]


def test_string_groups_still_draw_their_clusters() -> None:
    _, _, y = _graph()
    source = draw_graph(y, groups={y.parents[0]: "layer 1"}).source
    assert "layer 1" in source


@pytest.mark.parametrize("pairs", [[(3, "w")], [(None, 1)], ["w"]])
def test_groups_from_parameters_names_a_pair_that_is_not_a_name_and_a_value(pairs: list[object]) -> None:
    _, w, y = _graph()
    bad = [(p[0], w) if isinstance(p, tuple) else p for p in pairs]
    with pytest.raises(TypeError, match=r"^groups_from_parameters takes \(name, Value\) pairs"):
        groups_from_parameters(y, bad)  # type: ignore[arg-type]


def test_groups_from_parameters_of_a_bare_value_list_is_named() -> None:
    x, w, y = _graph()
    with pytest.raises(TypeError, match=r"^groups_from_parameters takes \(name, Value\) pairs"):
        groups_from_parameters(y, [x, w])  # type: ignore[list-item]
    with pytest.raises(TypeError, match=r"^groups_from_parameters needs a Value, got float"):
        groups_from_parameters(2.0, [("w", w)])  # type: ignore[arg-type]


def test_groups_from_parameters_still_groups_by_module_path() -> None:
    x, w, y = _graph()
    product = y.parents[0]
    groups = groups_from_parameters(y, [("layers.0.neurons.1.w.0", w)])
    assert groups[w] == "layer 1/neuron 2"
    assert groups[product] == "layer 1/neuron 2"


@pytest.mark.parametrize(("steps", "message"), [
    ("abc", r"^groups_by_time_step takes a sequence of steps"),
    (3, r"^groups_by_time_step takes a sequence of steps"),
    ([2.0], r"^groups_by_time_step: step 1 must be an iterable of the Values it produced, got float"),
    ([[Value(1.0) * 2], [1.5]], r"^groups_by_time_step: step 2 holds float 1.5, not a Value"),
])
def test_groups_by_time_step_names_steps_that_are_not_values(steps: object, message: str) -> None:
    with pytest.raises(TypeError, match=message):
        groups_by_time_step(steps)  # type: ignore[arg-type]


def test_groups_by_time_step_prefix_must_be_a_str() -> None:
    _, _, y = _graph()
    with pytest.raises(TypeError, match=r"^groups_by_time_step: prefix must be a str, got int 3"):
        groups_by_time_step([[y]], prefix=3)  # type: ignore[arg-type]
    assert set(groups_by_time_step([[y]], prefix="step ").values()) == {"step 1"}


@pytest.mark.parametrize("helper", [gate_symbol, local_derivatives])
def test_gate_helpers_of_what_is_not_a_value_are_type_errors(helper: object) -> None:
    with pytest.raises(TypeError, match=rf"^{helper.__name__} needs a Value, got float"):  # type: ignore[attr-defined]
        helper(2.0)  # type: ignore[operator]


def test_gate_symbol_of_a_leaf_says_it_has_no_gate() -> None:
    with pytest.raises(ValueError, match=r"^gate_symbol: .* is a leaf, which has no op to draw as a gate"):
        gate_symbol(Value(1.0))


def test_gate_helpers_still_describe_an_op() -> None:
    x, w, y = _graph()
    assert gate_symbol(x * w) == "×"
    assert local_derivatives(x * w) == (-3.0, 0.5)
    assert local_derivatives(y)[0] == pytest.approx(1 - math.tanh(-1.5) ** 2)
