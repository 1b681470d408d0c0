"""`sum_of` of one operand is a node of its own, as ``torch.sum`` of one element is a new tensor."""

import math

from autograd import Value, sum_of


def test_sum_of_one_value_is_a_new_node_whose_gradient_reaches_the_value() -> None:
    x = Value(3.0)
    total = sum_of([x])
    assert total is not x
    assert total.data == 3.0
    assert total._prev == {x}
    total.label = "loss"  # naming the sum must not rename the operand (it did when sum_of returned x itself)
    assert x.label != "loss"
    (total * 2.0).backward()
    assert x.grad == 2.0


def test_sum_of_one_negative_zero_is_positive_zero_as_torch_sum() -> None:
    # torch.tensor([-0.0]).sum() is +0.0: a sum starts from 0.0, and 0.0 + -0.0 = +0.0 in IEEE arithmetic.
    total = sum_of([Value(-0.0)])
    assert total.data == 0.0 and math.copysign(1.0, total.data) == 1.0


def test_sum_of_one_plain_number_is_a_constant_node() -> None:
    total = sum_of([2.5])
    assert total.data == 2.5
    total.backward()
    assert total.grad == 1.0
