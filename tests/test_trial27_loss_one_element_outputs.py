"""A PyTorch user's loss over Linear(n, 1) outputs against plain targets says how to line them up (trial 27).

`[model(x) for x in X]` is a list of one-element lists here (torch: an (N, 1) tensor); against targets
`[1.0, 0.0]` the message said the shapes differ but not what to do. Doing what it now says gives the loss
torch computes for the same numbers.
"""

import pytest

import nn


def _outputs():
    model = nn.Linear(2, 1, seed=0)
    return [model([1.0, 2.0]), model([0.0, 1.0])]


@pytest.mark.parametrize("loss", [nn.MSELoss(), nn.L1Loss(), nn.BCEWithLogitsLoss(), nn.HuberLoss()])
def test_one_element_outputs_against_numbers_are_told_to_take_element_0(loss):
    with pytest.raises(ValueError, match=r"input\[0\] is a one-element list \(a Linear\(n, 1\) returns one\): "
                                         r"take its \[0\] \(model\(x\)\[0\]\)"):
        loss(_outputs(), [1.0, 0.0])


def test_one_element_targets_against_numbers_are_told_to_give_numbers():
    with pytest.raises(ValueError, match=r"target\[1\] is a one-element list: give it as the number itself"):
        nn.MSELoss()([o[0] for o in _outputs()], [1.0, [0.0]])


def test_doing_either_thing_said_gives_the_mean_squared_error():
    outs = _outputs()
    a, b = outs[0][0].data, outs[1][0].data
    expected = ((a - 1.0) ** 2 + (b - 0.0) ** 2) / 2  # by hand
    assert nn.MSELoss()([o[0] for o in outs], [1.0, 0.0]).data == pytest.approx(expected, rel=1e-15)
    assert nn.MSELoss()(outs, [[1.0], [0.0]]).data == pytest.approx(expected, rel=1e-15)


def test_longer_lists_keep_the_plain_message():
    with pytest.raises(ValueError) as caught:
        nn.MSELoss()([[1.0, 2.0]], [1.0])
    assert "one-element" not in str(caught.value) and "differ in shape" in str(caught.value)
