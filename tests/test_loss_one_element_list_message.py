"""A one-output layer's list given to the slides' losses: the error says where the list came from and what to
write instead (a new-user trial: a PyTorch user's `Linear(3, 1)` model fed `[net(x) for x in xs]` to
`mean_squared_error` and read only "prediction 0 must be a real number, got list [Value(...)]")."""

from __future__ import annotations

import pytest

from nn import Layer, Linear, half_sum_squared_error, mean_squared_error

XS = [[1.0, 2.0, 3.0], [0.0, 1.0, 0.0]]
YS = [1.0, 0.0]


@pytest.mark.parametrize("loss", [mean_squared_error, half_sum_squared_error])
@pytest.mark.parametrize("make", [lambda: Linear(3, 1, seed=0), lambda: Layer(3, 1, seed=0)])
def test_a_one_element_list_prediction_is_refused_with_the_way_out(loss, make) -> None:
    layer = make()
    with pytest.raises(TypeError, match=r"prediction 0 must be .* got list \[Value.*take the element, layer\(x\)\[0\]"):
        loss([layer(x) for x in XS], YS)


def test_the_way_out_gives_the_mean_squared_error_by_hand() -> None:
    layer = Linear(3, 1, seed=0)
    outputs = [layer(x)[0] for x in XS]
    expected = 0.0
    for out, y in zip(outputs, YS):
        expected += (out.data - y) ** 2
    assert mean_squared_error(outputs, YS).data == pytest.approx(expected / len(YS), rel=1e-15)
