"""Bad input gets a clear error naming the problem, never a NaN or a complex number."""

from __future__ import annotations

import pytest

from autograd import Value, log_softmax, softmax


@pytest.mark.parametrize("bad", ["abc", None, [1.0], 1 + 2j, {}])
def test_non_real_data_is_a_type_error(bad) -> None:
    with pytest.raises(TypeError, match=type(bad).__name__):
        Value(bad)


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf")])
def test_non_finite_data_is_refused(bad: float) -> None:
    with pytest.raises(ValueError, match="finite"):
        Value(bad)


def test_non_real_operand_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="operand of mul.*str"):
        Value(1.0) * "x"
    with pytest.raises(TypeError, match="operand of add.*complex"):
        Value(1.0) + 1j


def test_log_of_non_positive() -> None:
    with pytest.raises(ValueError, match=r"log: math domain error in log\(-1.0\)"):
        Value(-1.0).log()
    with pytest.raises(ValueError, match=r"log\(0.0\)"):
        Value(0.0).log()


def test_zero_to_a_negative_power() -> None:
    with pytest.raises(ZeroDivisionError, match=r"0.0 \*\* -1"):
        Value(0.0) ** -1


def test_negative_base_fractional_power_is_not_complex() -> None:
    with pytest.raises(ValueError, match=r"-8.0 \*\* 0.5"):
        Value(-8.0) ** 0.5
    with pytest.raises(ValueError, match="positive base"):
        Value(-2.0) ** Value(2.0)


def test_exp_overflow_names_the_op() -> None:
    with pytest.raises(OverflowError, match=r"exp\(1000.0\)"):
        Value(1000.0).exp()


def test_arithmetic_overflow_is_caught() -> None:
    big = Value(1e308)
    with pytest.raises(OverflowError, match="mul: result inf"):
        big * 10


def test_division_by_zero() -> None:
    with pytest.raises(ZeroDivisionError, match="div"):
        Value(1.0) / 0


def test_sqrt_domain() -> None:
    with pytest.raises(ValueError, match="sqrt"):
        Value(-1.0).sqrt()


def test_infinite_derivative_is_refused_in_backward() -> None:
    x = Value(0.0)
    y = x.sqrt()
    with pytest.raises(ZeroDivisionError, match="sqrt"):
        y.backward()


@pytest.mark.parametrize("z", [1000.0, -1000.0])
def test_saturating_functions_stay_finite(z: float) -> None:
    x = Value(z)
    s = x.sigmoid()
    t = x.tanh()
    (s + t).backward()
    assert s.data == (1.0 if z > 0 else 0.0)
    assert t.data == (1.0 if z > 0 else -1.0)
    assert x.grad == 0.0


def test_softmax_of_huge_logits() -> None:
    z = [Value(1000.0), Value(-1000.0), Value(999.0)]
    p = softmax(z)
    assert sum(v.data for v in p) == pytest.approx(1.0)
    lp = log_softmax(z)
    lp[1].backward()
    assert lp[1].data == pytest.approx(-2000.0 - 0.31326168751822286, rel=1e-12)
    # d log p_1 / d z_j = [j == 1] - p_j
    assert [v.grad for v in z] == pytest.approx([-p[0].data, 1.0 - p[1].data, -p[2].data])


def test_backward_seed_must_be_a_number() -> None:
    with pytest.raises(TypeError, match="seed"):
        Value(1.0).backward("one")


def test_nan_smuggled_into_data_is_caught_at_the_next_op() -> None:
    x = Value(1.0)
    x.data = float("nan")  # bypassing the constructor's check
    with pytest.raises(ValueError, match="mul: NaN input"):
        x * 2
    with pytest.raises(ValueError, match="tanh: NaN input"):
        x.tanh()
