"""Numbers a float cannot hold, objects that refuse to be printed or converted, and a zero-length OneCycleLR
phase are named (hostile26).

Before: ``Value(10**5000)`` (and 10**5000 as a learning-rate step size, a sample length, a clip norm, a class
target, a scheduler mode ...) failed with "Exceeds the limit (4300 digits) for integer string conversion" (the
error message itself called str() on the int); an argument whose ``__repr__`` raises replaced the real error
with its own; a numbers.Real whose ``__float__`` raises leaked that error; ``hessian``/``gradcheck``/``hvp`` of
None or a number said "'NoneType' object is not iterable"; ``OneCycleLR(pct_start=0.1, total_steps=10)`` failed
with a bare "float division by zero" (as torch's does).
"""

from __future__ import annotations

import fractions
from collections.abc import Callable
from typing import Any

import pytest

import nn
from autograd import Value, gradcheck, gradgradcheck, hessian, hvp
from nn.optim import lr_scheduler

HUGE = 10**5000  # past str()'s 4,300-digit limit


class BadRepr(float):
    """A float whose repr raises: a message quoting it must still be the real error."""

    def __repr__(self) -> str:
        raise RuntimeError("repr failed")

    __str__ = __repr__


class BadFloat(fractions.Fraction):
    """A real number (a Fraction) whose conversion to float raises."""

    def __float__(self) -> float:
        raise RuntimeError("float failed")


@pytest.mark.parametrize("make", [
    lambda x: Value(x),
    lambda x: Value(1.0) * x,
    lambda x: x - Value(1.0),
    lambda x: setattr(Value(1.0), "data", x),
    lambda x: Value(2.0) ** x,
])
def test_an_int_past_str_limit_is_named_as_too_large_for_a_float(make: Callable[[Any], Any]) -> None:
    with pytest.raises(OverflowError, match="an int of about 5,001 digits is too large for a float"):
        make(HUGE)
    with pytest.raises(OverflowError, match="an int of 401 digits is too large for a float"):
        make(-(10**400))


def test_a_huge_fraction_is_named_too_large() -> None:
    with pytest.raises(OverflowError, match="Value data: a Fraction is too large for a float"):
        Value(fractions.Fraction(HUGE, 3))


def test_a_failing_repr_or_float_does_not_replace_the_error() -> None:
    class Opaque:
        def __repr__(self) -> str:
            raise RuntimeError("repr failed")

    with pytest.raises(TypeError, match="Value data must be a real number, got Opaque"):
        Value(Opaque())
    with pytest.raises(TypeError, match=r"operand of mul: float\(\) of BadFloat .* failed \(RuntimeError: float"):
        Value(1.0) * BadFloat(1, 3)
    with pytest.raises(TypeError, match=r"Value.data: float\(\) of BadFloat"):
        Value(1.0).data = BadFloat(1, 3)


def test_a_long_argument_is_shown_cut_short() -> None:
    with pytest.raises(TypeError, match="got list") as info:
        Value([0.5] * 100_000)
    assert len(str(info.value)) < 300


@pytest.mark.parametrize("inputs", [None, 2.0, Value(2.0), "12", {0: 1.0}])
@pytest.mark.parametrize("who", ["hessian", "hvp", "gradcheck", "gradgradcheck"])
def test_second_order_tools_name_inputs_that_are_no_sequence(who: str, inputs: Any) -> None:
    def f(a: Value) -> Value:
        return a * a

    call = {"hessian": lambda: hessian(f, inputs), "hvp": lambda: hvp(f, inputs, [1.0]),
            "gradcheck": lambda: gradcheck(f, inputs), "gradgradcheck": lambda: gradgradcheck(f, inputs)}[who]
    with pytest.raises(TypeError, match=f"{who}: inputs must be a sequence of numbers or Values"):
        call()


@pytest.mark.parametrize("vector", [None, 1.0, "1"])
def test_hvp_names_a_vector_that_is_no_sequence(vector: Any) -> None:
    with pytest.raises(TypeError, match="hvp: vector must be a sequence of numbers"):
        hvp(lambda a: a * a, [1.0], vector)


def _optimizer() -> nn.SGD:
    return nn.SGD([Value(1.0)], lr=0.1, momentum=0.5)


# (call, expected error type, words the message must hold) for an argument past str()'s limit / with a bad repr.
HUGE_CASES = [
    (lambda h: nn.CharModel(5, 4).sample(0, length=-h), ValueError, "length must be a non-negative integer"),
    (lambda h: nn.two_moons(-h), ValueError, "two_moons needs a positive whole number"),
    (lambda h: nn.clip_grad_norm_([Value(1.0)], -h), ValueError, "max_norm must be a number a float can hold"),
    (lambda h: nn.clip_grad_value_([Value(1.0)], -h), ValueError, "clip_value must be a number >= 0"),
    (lambda h: lr_scheduler.StepLR(_optimizer(), -h), ValueError, "step_size must be an integer >= 1"),
    (lambda h: lr_scheduler.ReduceLROnPlateau(_optimizer(), mode=h), ValueError, "is unknown"),
    (lambda h: nn.CrossEntropyLoss()([Value(1.0), Value(2.0)], h), IndexError, "is out of bounds"),
    (lambda h: nn.init.calculate_gain(h), ValueError, "Unsupported nonlinearity"),
    (lambda h: nn.MLP(2, [2], activation=h), ValueError, "unknown activation"),
    (lambda h: nn.ModuleDict({"a": nn.ReLU()})[h], KeyError, "digits"),
]


@pytest.mark.parametrize(("call", "error", "words"), HUGE_CASES)
def test_nn_names_an_int_past_str_limit(call: Callable[[Any], Any], error: type[Exception], words: str) -> None:
    with pytest.raises(error) as info:
        call(HUGE)
    assert words in str(info.value) and "4300 digits" not in str(info.value)


@pytest.mark.parametrize(("call", "words"), [
    (lambda b: nn.CharModel(5, 4, cell=b), "unknown cell"),
    (lambda b: nn.two_moons(10, noise=b), "two_moons noise"),
    (lambda b: nn.CharModel(5, 4).sample(0, 3, temperature=b), "temperature must be"),
    (lambda b: lr_scheduler.ReduceLROnPlateau(_optimizer(), mode=b), "is unknown"),
    (lambda b: nn.MSELoss(reduction=b), "is not a valid value for reduction"),
    (lambda b: nn.init.calculate_gain(b), "Unsupported nonlinearity"),
])
def test_nn_errors_survive_an_argument_whose_repr_raises(call: Callable[[Any], Any], words: str) -> None:
    with pytest.raises(ValueError, match=words):
        call(BadRepr(-0.5))


@pytest.mark.parametrize("build", [
    lambda b: nn.SGD([Value(1.0)], lr=b),
    lambda b: nn.Adam([Value(1.0)], lr=0.1, eps=b),
    lambda b: lr_scheduler.StepLR(_optimizer(), 2, gamma=b),
])
def test_optimizer_options_whose_float_raises_are_named(build: Callable[[Any], Any]) -> None:
    with pytest.raises((TypeError, ValueError), match=r"BadFloat\(1, 3\)"):
        build(BadFloat(1, 3))


@pytest.mark.parametrize(("total_steps", "pct_start", "three_phase", "built"), [
    (10, 0.1, False, False),  # the warm-up phase runs from step 0 to step 0: torch fails when built
    (10, 1.0, False, True),   # the annealing phase runs from step 9 to 9: torch fails on the last step
    (10, 0.55, True, True),
])
def test_one_cycle_zero_length_phase_is_named(total_steps: int, pct_start: float, three_phase: bool,
                                              built: bool) -> None:
    opt = _optimizer()

    def run() -> None:
        scheduler = lr_scheduler.OneCycleLR(opt, 0.1, total_steps=total_steps, pct_start=pct_start,
                                            three_phase=three_phase)
        for _ in range(total_steps):
            opt.step()
            scheduler.step()

    with pytest.raises(ZeroDivisionError, match="starts and ends at step") as info:
        run()
    assert isinstance(info.value, ValueError) and "pct_start" in str(info.value)


@pytest.mark.parametrize("returned", [10**400, HUGE], ids=["401-digits", "5001-digits"])
def test_a_gradient_hook_returning_an_int_past_floats_is_named(returned: int) -> None:
    a = Value(2.0)
    b = a * a
    b.register_hook(lambda g: returned)
    with pytest.raises(OverflowError, match="a gradient hook of mul node .* too large for a float"):
        b.backward()  # was the bare "int too large to convert to float"


@pytest.mark.parametrize(("call", "error", "words"), [
    (lambda h: nn.Dropout(h), ValueError, "dropout probability has to be between 0 and 1, but got an integer of"),
    (lambda h: nn.Softmax(dim=h)([1.0, 2.0]), IndexError, "Dimension out of range"),
    (lambda h: nn.CharModel(4, 3).sample(h, 3), ValueError, "sample's start is an integer of"),
])
@pytest.mark.parametrize("size", [401, 5001])
def test_layers_name_huge_ints_by_their_size(call: Callable[[Any], Any], error: type[Exception], words: str,
                                             size: int) -> None:
    with pytest.raises(error) as info:
        call(10 ** (size - 1))  # Dropout: a bare "int too large to convert to float"; the others quoted every digit
    assert words in str(info.value) and len(str(info.value)) < 300


@pytest.mark.parametrize(("sizes", "words"), [
    ((0, 8), "CharModel's vocab_size must be a positive whole number, got 0"),
    ((4, 0), "CharModel's hidden_size must be a positive whole number, got 0"),
    ((2.5, 8), "CharModel's vocab_size must be a positive whole number"),
])
def test_char_model_names_its_own_sizes(sizes: tuple[Any, int], words: str) -> None:
    with pytest.raises(ValueError) as info:  # was "RNNCell's input_size ..." for CharModel(0, 8)
        nn.CharModel(*sizes)
    assert words in str(info.value)


@pytest.mark.parametrize("build", [
    lambda: nn.MLP(2, [HUGE]),
    lambda: nn.CharModel(HUGE, 2),
    lambda: nn.two_moons(HUGE),
    lambda: nn.CharModel(4, 3).sample(0, HUGE),
])
def test_a_size_past_str_limit_is_refused_as_too_large_for_memory(build: Callable[[], Any]) -> None:
    with pytest.raises(MemoryError, match=r"than this machine's .* GiB of memory can hold \(an integer of over"):
        build()  # was "Exceeds the limit (4300 digits) for integer string conversion" from the message


def test_backward_names_a_node_whose_label_cannot_be_printed() -> None:
    a = Value(1.0)
    # ``a.label = HUGE`` is a TypeError now (the engine's labels are str); the engine's own slot still takes one
    Value.__dict__["_label"].__set__(a, HUGE)
    a.grad = float("nan")
    with pytest.raises(FloatingPointError, match="leaf node an int of about 5,001 digits"):
        (a * 2.0).backward()  # the message's repr(label) failed with "Exceeds the limit (4300 digits)"


@pytest.mark.parametrize("fields", [
    {"name": HUGE, "forward": "a", "derivatives": ("1.0",)},
    {"name": "h26_forward", "forward": HUGE, "derivatives": ("1.0",)},
    {"name": "h26_derivatives", "forward": "a", "derivatives": HUGE},
], ids=["name", "forward", "derivatives"])
def test_an_op_row_with_a_huge_int_field_is_named(fields: dict[str, Any]) -> None:
    from autograd import Op

    with pytest.raises(TypeError, match="an int of about 5,001 digits"):
        Op(symbol="h", **fields)  # the message's repr (or str() of the name) failed with "Exceeds the limit"
