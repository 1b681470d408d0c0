"""The sequence shapes table against a forward pass written by hand in plain floats (the tutorial's matrices),
its input gradients against central differences of that forward pass, and its generation against a greedy loop."""

import html
import math
import re

import pytest
from conftest import needs_svg

from lecture.hello_rnn import HELLO_WHH, HELLO_WHY, HELLO_WXH
from lecture.sequence_shapes import sequence_shapes

VOCAB = "helo"


def one_hot(ch: str) -> list[float]:
    return [1.0 if c == ch else 0.0 for c in VOCAB]


def forward(xs: list[list[float]]) -> list[list[float]]:
    """Logits at every step: h_t = tanh(Wxh x_t + Whh h_{t-1}), y_t = Why h_t (zero biases, h0 = 0)."""
    h = [0.0, 0.0, 0.0]
    out = []
    for x in xs:
        h = [math.tanh(sum(w * v for w, v in zip(HELLO_WXH[k], x)) + sum(w * v for w, v in zip(HELLO_WHH[k], h)))
             for k in range(3)]
        out.append([sum(w * v for w, v in zip(row, h)) for row in HELLO_WHY])
    return out


def cross_entropy(logits: list[float], target: str) -> float:
    return math.log(sum(math.exp(z) for z in logits)) - logits[VOCAB.index(target)]


def loss_by_hand(xs: list[list[float]], targets: str, every_step: bool) -> float:
    logits = forward(xs)
    scored = logits if every_step else logits[-1:]
    return sum(cross_entropy(z, t) for z, t in zip(scored, targets))


CASES = {  # shape: (reads, targets, a loss at every step)
    "one-to-one": ("h", "e", False),
    "many-to-one": ("hell", "o", False),
    "many-to-many": ("hell", "ello", True),
}


@pytest.mark.parametrize("shape", list(CASES))
def test_each_shape_with_a_loss_matches_the_hand_written_forward_pass(shape) -> None:
    rows = {r.shape: r for r in sequence_shapes().rows}
    reads, targets, every_step = CASES[shape]
    row = rows[shape]
    assert row.reads == reads
    assert row.loss == pytest.approx(loss_by_hand([one_hot(c) for c in reads], targets, every_step), abs=1e-12)


@pytest.mark.parametrize("shape", list(CASES))
def test_the_input_gradients_match_central_differences(shape) -> None:
    reads, targets, every_step = CASES[shape]
    row = {r.shape: r for r in sequence_shapes().rows}[shape]
    eps = 1e-6
    expected = []
    for t in range(len(reads)):
        squares = 0.0
        for k in range(len(VOCAB)):
            xs_plus = [one_hot(c) for c in reads]
            xs_minus = [one_hot(c) for c in reads]
            xs_plus[t][k] += eps
            xs_minus[t][k] -= eps
            d = (loss_by_hand(xs_plus, targets, every_step) - loss_by_hand(xs_minus, targets, every_step)) / (2 * eps)
            squares += d * d
        expected.append(math.sqrt(squares))
    assert row.input_gradient_norms == pytest.approx(expected, abs=1e-8)


def test_many_to_many_is_the_worked_examples_summed_loss_and_its_last_step_is_many_to_one() -> None:
    rows = {r.shape: r for r in sequence_shapes().rows}
    assert rows["many-to-many"].loss == pytest.approx(5.9663, abs=5e-5)  # the hello example's printed total
    # x_4 reaches only L4, which is the whole many-to-one loss: the same gradient at the last input
    assert rows["many-to-many"].input_gradient_norms[-1] == pytest.approx(
        rows["many-to-one"].input_gradient_norms[-1], abs=1e-15)
    assert rows["many-to-one"].input_gradient_norms[0] < rows["many-to-one"].input_gradient_norms[-1]


def test_one_to_many_generates_greedily_feeding_each_character_back() -> None:
    row = {r.shape: r for r in sequence_shapes().rows}["one-to-many"]
    xs, made = [one_hot("h")], ""
    for _ in range(4):
        last = forward(xs)[-1]
        ch = VOCAB[max(range(len(VOCAB)), key=last.__getitem__)]
        made += ch
        xs.append(one_hot(ch))
    assert row.emits == f"4, fed back: {made!r}"
    assert row.loss is None and row.input_gradient_norms == []


def test_the_table_lists_the_four_shapes_in_the_slides_order() -> None:
    text = sequence_shapes().text()
    order = [text.index(name) for name in ("one-to-one", "one-to-many", "many-to-one", "many-to-many")]
    assert order == sorted(order)
    assert "|dL/dx_4|" in text


def test_the_picture_draws_the_four_shapes_in_order_with_the_tables_numbers() -> None:
    from lecture.sequence_shapes import sequence_shapes_picture

    shapes = sequence_shapes()
    source = sequence_shapes_picture(shapes).source
    titles = re.findall(r'label="((?:one|many)-to-(?:one|many)[^"]*)"', source)
    assert titles == ["one-to-one: L = 1.5374", "one-to-many: generates 'hhhh'", "many-to-one: L = 2.0050",
                      "many-to-many: L = 5.9663"]
    rows = {r.shape: r for r in shapes.rows}
    for t, norm in enumerate(rows["many-to-one"].input_gradient_norms, start=1):
        assert f"|dL/dx| {norm:.4f}" in source and f"x_{t} = " in source
    assert source.count("fed back") == 3  # one-to-many only: 4 outputs, the first 3 fed into the next step
    assert source.count("y_4 vs 'o'") == 2  # many-to-one's one output and many-to-many's last


def test_draw_sequence_shapes_refuses_what_it_cannot_draw() -> None:
    from viz.sequence_shapes import ShapeDrawing, draw_sequence_shapes

    with pytest.raises(ValueError, match="at least one shape"):
        draw_sequence_shapes([])
    with pytest.raises(ValueError, match="one input and one output label"):
        draw_sequence_shapes([ShapeDrawing("bad", ["x"], ["y", "z"])])
    with pytest.raises(TypeError, match="takes ShapeDrawing entries, got str"):
        draw_sequence_shapes(["one-to-one"])  # type: ignore[list-item]


@needs_svg
def test_the_picture_renders_with_inputs_below_states_below_outputs(tmp_path) -> None:
    from lecture.sequence_shapes import sequence_shapes_picture
    from viz import render_to_file

    svg = render_to_file(sequence_shapes_picture(sequence_shapes()).source, tmp_path / "shapes", "svg").read_text()
    # In SVG y grows downwards: each x_1 box's text sits below h_1's, which sits below y_1's.
    ys = {html.unescape(text): float(y) for y, text in re.findall(r'<text[^>]*y="([-0-9.]+)"[^>]*>([^<]*)</text>', svg)}
    assert ys["x_1 = 'h'"] > ys["h_1"] > ys["y_1 vs 'e'"]
