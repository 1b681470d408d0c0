"""Wrong input to a layer or model says what was expected and what came (the new-user trial's findings)."""

from __future__ import annotations

import pytest

from nn import MLP, CharModel, Layer, Linear, LSTMCell, Neuron, RNNCell, Vocabulary
from nn.checks import BatchInputError, NotAWholeNumberError

SEQUENCE = r"expects a sequence of 2 numbers \(a list or tuple of floats or Values\)"


@pytest.mark.parametrize(
    "make, who",
    [(lambda: MLP(2, [3, 1], seed=0), "MLP"), (lambda: Layer(2, 3, seed=0), "Layer"),
     (lambda: Neuron(2, seed=0), "Neuron"), (lambda: Linear(2, 3, seed=0), "Linear")],
)
@pytest.mark.parametrize("bad, shown", [(1.0, "got float 1.0"), ("ab", "got str 'ab'"), ({0: 1.0, 1: 2.0}, "got dict")])
def test_a_bare_number_text_or_dict_is_not_an_input_vector(make, who: str, bad, shown: str) -> None:
    with pytest.raises(TypeError, match=f"{who} {SEQUENCE}, {shown}"):
        make()(bad)


@pytest.mark.parametrize("make", [lambda: MLP(2, [3, 1], seed=0), lambda: Linear(2, 1, seed=0), lambda: Neuron(2)])
def test_a_wrong_length_names_both_lengths_and_other_sequences_still_work(make) -> None:
    model = make()
    with pytest.raises(ValueError, match="expects 2 inputs, got 3"):
        model([1.0, 2.0, 3.0])
    expected = model([0.5, -2.0])
    first = expected if not isinstance(expected, list) else expected[0]
    for same in ((0.5, -2.0), (x for x in [0.5, -2.0])):  # a tuple, a generator
        out = model(same)
        assert (out if not isinstance(out, list) else out[0]).data == first.data


@pytest.mark.parametrize("cell", [RNNCell, LSTMCell])
def test_a_cell_says_what_inputs_it_takes(cell) -> None:
    c = cell(2, 3, seed=0)
    h = c.initial_state()
    name = cell.__name__
    for bad, shown in ((1.0, "float 1.0"), ("a", "str 'a'"), (None, "NoneType None")):
        with pytest.raises(TypeError, match=f"{name} {SEQUENCE}, a one-hot index \\(an int\\) or a ProjectedInput, "
                                            f"got {shown}"):
            c(bad, h)
    with pytest.raises(ValueError, match=f"{name} expects 2 inputs, got 3"):
        c([1.0, 0.0, 0.0], h)
    with pytest.raises(ValueError, match="got bool True") as info:
        c(True, h)  # True is not the index 1
    assert isinstance(info.value, TypeError)  # NotAWholeNumberError: both kinds


def test_sequence_loss_names_the_bad_step() -> None:
    model = CharModel(3, 2, cell="lstm", seed=0)
    with pytest.raises(ValueError, match=r"input 1 is float 1.0, not a class index \(an int in 0..2\)"):
        model.sequence_loss([0, 1.0], [1, 2])
    with pytest.raises(TypeError, match="input 0 is str 'a', not a class index .*Vocabulary.encode"):
        model.sequence_loss(["a", 1], [1, 2])
    with pytest.raises(ValueError, match="input 0 must be a class index in 0..2, got bool True"):
        model.sequence_loss([True, 1], [1, 2])
    with pytest.raises(ValueError, match="target 0 must be a class index in 0..2, got bool True"):
        model.sequence_loss([0, 1], [True, 2])
    with pytest.raises(ValueError, match="target 1 is 3, outside 0..2"):
        model.sequence_loss([0, 1], [1, 3])
    with pytest.raises(ValueError, match="input 1 is a list of 1 numbers, expected 3"):
        model.sequence_loss([0, [1.0]], [1, 2])
    with pytest.raises(TypeError, match="inputs must be a sequence of time steps .*got int 5"):
        model.sequence_loss(5, [1, 2])
    with pytest.raises(TypeError, match="inputs is the text 'ab': encode it with Vocabulary.encode first"):
        model.sequence_loss("ab", [1, 2])
    with pytest.raises(TypeError, match="inputs must be a sequence of time steps .*got float 1.5"):
        model(1.5)
    with pytest.raises(ValueError, match="sample's start must be a class index in 0..2, got bool True"):
        model.sample(True, 3)
    # Good input of every accepted kind still gives the number softmax cross-entropy gives.
    loss, _ = model.sequence_loss([0, [0.0, 1.0, 0.0], model.project(2)], [1, [0.0, 0.0, 1.0], 0])
    by_index, _ = model.sequence_loss([0, 1, 2], [1, 2, 0])
    assert loss.data == pytest.approx(by_index.data, rel=1e-14)


@pytest.mark.parametrize(
    "make, message",
    [(lambda: MLP(3, [2.5, 1]), r"MLP's layer size nouts\[0\] must be a positive whole number, got float 2.5"),
     (lambda: MLP(3, [True, 1]), r"nouts\[0\] must be a positive whole number, got bool True"),
     (lambda: MLP(True, [1]), "MLP's number of inputs nin must be a positive whole number, got bool True"),
     (lambda: Neuron(3.5), "Neuron's number of inputs nin must be a positive whole number, got float 3.5"),
     (lambda: Neuron(True), "must be a positive whole number, got bool True"),
     (lambda: Layer(2, 1.5), "Layer's number of outputs nout must be a positive whole number"),
     (lambda: Linear(2.5, 1), "Linear's number of inputs nin must be a positive whole number"),
     (lambda: RNNCell(2, 1.5), "RNNCell's hidden_size must be a positive whole number"),
     (lambda: LSTMCell(True, 2), "LSTMCell's input_size must be a positive whole number"),
     (lambda: CharModel(2.0, 3), "CharModel's vocab_size must be a positive whole number, got float 2.0")],
)
def test_sizes_must_be_positive_whole_numbers(make, message: str) -> None:
    # Both a ValueError (as valuegrad said before) and a TypeError (as torch says for nn.Linear(2.5, 1)).
    with pytest.raises(NotAWholeNumberError, match=message) as info:
        make()
    assert isinstance(info.value, ValueError) and isinstance(info.value, TypeError)


@pytest.mark.parametrize(
    "make, error, message",
    [(lambda: Neuron(0), ValueError, "got 0"), (lambda: Linear(2, -1), ValueError, "got -1"),
     (lambda: Neuron("3"), TypeError, "got str '3'"), (lambda: MLP(2, 3), TypeError, "nouts must be a list")],
)
def test_sizes_that_are_not_numbers_or_not_positive(make, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        make()


def test_torch_refuses_a_fractional_size_with_a_type_error_too() -> None:
    torch = pytest.importorskip("torch")
    with pytest.raises(TypeError):
        torch.nn.Linear(2.5, 1)
    with pytest.raises(TypeError):
        Linear(2.5, 1)


def test_vocabulary_refuses_indices_it_would_have_wrapped_or_misread() -> None:
    v = Vocabulary.from_text("hello")
    assert v.decode([0, 1, 2, 2, 3]) == "hello"
    with pytest.raises(ValueError, match="index 0 is -1, outside 0..3"):
        v.decode([-1])  # was silently the last character
    with pytest.raises(ValueError, match="index 1 must be a class index in 0..3, got bool True"):
        v.decode([0, True])
    with pytest.raises(TypeError, match="encode needs text"):
        v.encode(5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="made from text or a list of characters, got int 5"):
        Vocabulary(5)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "make, who",
    [(lambda: MLP(2, [3, 1], seed=0), "MLP"), (lambda: Layer(2, 3, seed=0), "Layer"),
     (lambda: Neuron(2, seed=0), "Neuron"), (lambda: Linear(2, 3, seed=0), "Linear"),
     (lambda: RNNCell(2, 3, seed=0), "RNNCell"), (lambda: LSTMCell(2, 3, seed=0), "LSTMCell")],
)
@pytest.mark.parametrize("rows", [2, 3, 1])
def test_a_batch_as_pytorch_takes_it_is_refused_with_the_one_sample_call(make, who: str, rows: int) -> None:
    # New-user trial 21: Linear(2, 3)([[1, 2], [3, 4]]) (PyTorch's model(batch)) said "operand of dot must be a real
    # number, got list [1.0, 2.0]", and three rows said "Linear expects 2 inputs, got 3", as if a row were short.
    import numpy as np

    batch = [[float(r), 1.0] for r in range(rows)]
    count = f"{rows} row" + ("" if rows == 1 else "s")
    for form in (batch, [tuple(row) for row in batch], np.array(batch)):
        with pytest.raises(BatchInputError, match=rf"{who} takes one sample, a sequence of 2 numbers, and got a batch "
                                                  rf"of {count}: call it once per row") as info:
            make()(form)
        assert isinstance(info.value, TypeError) and isinstance(info.value, ValueError)  # either except catches it
    model = make()
    # One sample as a 1-D array still works, as a list does (a cell returns h, or (h, c) for an LSTM).
    assert first_value(model(np.array(batch[0]))).data == first_value(model(batch[0])).data


def first_value(out):
    """The first Value of a module's output (a Value, a list of them, or a tuple of such lists)."""
    while isinstance(out, (list, tuple)):
        out = out[0]
    return out
