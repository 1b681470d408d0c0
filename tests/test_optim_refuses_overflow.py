"""A step whose new parameter value or optimizer state would overflow is refused whole, naming the parameter."""

from __future__ import annotations

import copy

import pytest

from autograd import Value
from nn import SGD, Adagrad, Adam, AdamW, Optimizer
from nn.optim import StepOverflowError


def _refused(opt: Optimizer, params: list[Value], *words: str) -> None:
    """Step ``opt``; it must raise ValueError containing ``words`` and change no number anywhere."""
    before = ([p.data for p in params], copy.deepcopy(opt.state_dict()))
    with pytest.raises(StepOverflowError) as info:
        opt.step()
    # A ValueError as the non-finite-gradient refusal, an OverflowError for loops that treat that as divergence.
    assert isinstance(info.value, ValueError) and isinstance(info.value, OverflowError)
    for word in words:
        assert word in str(info.value)
    assert ([p.data for p in params], opt.state_dict()) == before


@pytest.mark.parametrize("kind", [SGD, Adagrad, Adam, AdamW])
def test_a_step_to_minus_infinity_is_refused_and_nothing_moves(kind: type[Optimizer]) -> None:
    # Every rule moves w3 by at least 1e307 (Adagrad's step is lr, Adam's lr / (1 - 0.9)): past -1.797e308.
    ok, p = Value(0.5, label="ok"), Value(-1.79e308, label="w3")
    ok.grad, p.grad = 0.0, 5.0
    options = {"weight_decay": 0.0} if kind is AdamW else {}
    opt = kind([ok, p], lr=1e307, **options)  # type: ignore[call-arg]
    _refused(opt, [ok, p], "optimizer parameter 1", "'w3'", "-inf", "nothing changed")
    assert opt.steps == 0
    p.data, ok.grad = -1.0, 1.0  # a representable step goes through, and moves the parameter listed first too
    opt.step()
    assert opt.steps == 1 and ok.data < 0.5 and p.data < -1.0


@pytest.mark.parametrize("kind", [SGD, Adagrad, Adam, AdamW])
def test_the_trial_example_leaves_p_where_it_was(kind: type[Optimizer]) -> None:
    p = Value(-1e308)
    p.grad = 5.0
    opt = kind([p], lr=1e308)  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="optimizer parameter 0: this step would set it to (-?inf|nan)"):
        opt.step()  # Adam's lr / (1 - 0.9) is inf already: inf * m / m is nan
    assert p.data == -1e308 and opt.steps == 0


def test_a_named_parameter_is_named_by_the_name_it_was_given() -> None:
    p = Value(-1e308, label="label")
    p.grad = 5.0
    with pytest.raises(ValueError, match=r"optimizer parameter 0 \('layer.w'\)"):
        SGD([("layer.w", p)], lr=1e308).step()


def test_an_sgd_momentum_buffer_that_would_overflow_is_refused() -> None:
    # d = grad + weight_decay * w = 1.5e308 + 0.5e308 * ... overflows into the velocity buffer.
    a, b = Value(1.0), Value(1e308)
    a.grad, b.grad = 1.0, 1e308
    opt = SGD([a, b], lr=1e-300, momentum=0.9, weight_decay=1.0)
    _refused(opt, [a, b], "optimizer parameter 1", "'velocity'", "inf")


def test_adams_second_moment_that_would_overflow_is_refused() -> None:
    # g * g = 1e400 is inf: v would be inf (and the step 0 / inf = 0 would look harmless).
    a, b = Value(0.0, label="a"), Value(0.0, label="b")
    a.grad, b.grad = 1e200, 1.0
    for kind in (Adam, AdamW):
        opt = kind([b, a], lr=0.1)
        _refused(opt, [a, b], "optimizer parameter 1 ('a')", "'v'", "inf")


def test_adagrads_sum_of_squares_that_would_overflow_is_refused() -> None:
    p = Value(0.25)
    p.grad = 1e150
    opt = Adagrad([p], lr=0.1)
    opt.step()  # first a step that fits: G = 1e300
    assert opt.memory == [1e150 * 1e150] and p.data == pytest.approx(0.25 - 0.1)
    p.grad = 1e200
    _refused(opt, [p], "optimizer parameter 0", "'memory'", "inf")
    assert opt.steps == 1


def test_adamws_decay_that_would_overflow_is_refused() -> None:
    # 1 - lr * weight_decay = 1 - 1e300 * 1e10 is -inf: every nonzero weight would become inf.
    p = Value(2.0)
    p.grad = 0.0
    _refused(AdamW([p], lr=1e300, weight_decay=1e10), [p], "optimizer parameter 0", "inf")


@pytest.mark.parametrize("kind", [Adam, AdamW])
def test_a_huge_learning_rate_whose_step_fits_is_taken(kind: type[Optimizer]) -> None:
    # Adam's first step is lr * sign(g) (m_hat / sqrt(v_hat) = 1): 1e308 fits, though lr / (1 - 0.9) does not.
    p = Value(0.0)
    p.grad = 5.0
    kind([p], lr=1e308).step()  # type: ignore[call-arg]
    assert p.data == pytest.approx(-1e308, rel=1e-7)


def test_finite_values_whose_sum_overflows_are_not_refused() -> None:
    # The check sums the new values first; 1.7e308 + 1.7e308 is inf although both values are finite.
    a, b = Value(1.7e308), Value(1.7e308)
    a.grad, b.grad = 1.0, 1.0
    SGD([a, b], lr=1e300, momentum=0.5).step()
    assert a.data == b.data == 1.7e308 - 1e300
