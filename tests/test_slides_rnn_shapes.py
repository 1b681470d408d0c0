"""The RNN slides' vocabulary, "hello" pairs and matrix sizes (lecture/rnn_slide_shapes.py) against the slides'
text typed in here and a plain-float forward pass; the two vector sizes the slide gets wrong are flagged."""

from __future__ import annotations

import math

from lecture.hello_rnn import HELLO_WHH, HELLO_WXH
from lecture.rnn_slide_shapes import rnn_slide_shapes

# The slides' "Vocabulary" table and '"e" -> y1 y2 y3 y4 = 0 1 0 0', as printed.
VOCABULARY = {"h": [1, 0, 0, 0], "e": [0, 1, 0, 0], "l": [0, 0, 1, 0], "o": [0, 0, 0, 1]}
E_ROW = [0, 1, 0, 0]
# '"h" -> "e"', '"e" -> "l"', '"l" -> "l"', '"l" -> "o" ?'
PAIRS = [("h", "e"), ("e", "l"), ("l", "l"), ("l", "o")]


def test_one_hot_vectors_and_pairs_are_the_slides() -> None:
    shapes = rnn_slide_shapes()
    assert shapes.one_hots == VOCABULARY
    assert shapes.one_hots["e"] == E_ROW  # e's one-hot; also the target when "h" is read (the pair "h" -> "e")
    assert dict(PAIRS)["h"] == "e"
    assert shapes.pairs == PAIRS
    text = shapes.text()
    assert "agree with the slides' table" in text and "- the slides' pairs" in text


def test_the_two_ls_get_different_states() -> None:
    """'l' -> 'l' and 'l' -> 'o': a network without memory sees one input with two targets; the RNN's h_3 and
    h_4 (plain floats here) differ, so it need not give both the same answer."""
    h = [0.0, 0.0, 0.0]
    states = []
    for index in (0, 1, 2, 2):  # h e l l
        new_h = []
        for k in range(3):
            recurrent = 0.0  # added left to right (builtin sum compensates from Python 3.12 on)
            for m in range(3):
                recurrent += HELLO_WHH[k][m] * h[m]
            new_h.append(math.tanh(HELLO_WXH[k][index] + recurrent))
        h = new_h
        states.append(h)
    shapes = rnn_slide_shapes()
    assert shapes.h3 == states[2] and shapes.h4 == states[3]
    assert max(abs(a - b) for a, b in zip(states[2], states[3])) > 0.01
    assert "h_3 = [0.7185, 0.9674, 0.5004]" in shapes.text()


def test_sizes_agree_except_the_output_vectors_written_with_k_entries() -> None:
    """k = 3 hidden units, m = n = 4 characters: W_xh 3 x 4, W_hh 3 x 3, W_yh 4 x 3; W_yh h has 4 entries, so the
    slide's [s_1 .. s_k] and [y_1 .. y_k] (3 entries) are slips."""
    shapes = rnn_slide_shapes()
    sizes = {row.quantity: (row.slide_size, row.ours) for row in shapes.rows}
    assert sizes["W_xh"] == ((3, 4), (3, 4))
    assert sizes["W_hh"] == ((3, 3), (3, 3))
    assert sizes["W_yh"] == ((4, 3), (4, 3))
    assert sizes["x (one-hot input)"] == ((4,), (4,))
    assert sizes["h = tanh(s_1)"] == ((3,), (3,))
    assert {row.quantity for row in shapes.differing()} == {"s_2 = W_yh h", "y-hat = softmax(s_2)"}
    for row in shapes.differing():
        assert row.slide_size == (3,) and row.ours == (4,)
        assert "a slip on the slide" in row.note and "n = 4 entries, not k = 3" in row.note
    w_yh = next(row for row in shapes.rows if row.quantity == "W_yh")
    assert "y_1 h_1, y_2 h_2" in w_yh.note and "the second entry is y_1 h_2" in w_yh.note
    assert "6 of 8 sizes agree; 2 differ (reasons above)." in shapes.text()


def test_the_ambiguous_targets_are_worked_out_from_the_slides_examples() -> None:
    """"hel" -> "p", "hell" -> "o", "heliu" -> "m" (help, hello, helium, typed in from the deck): 3, 4 and 5
    characters; p, i, u, m are not in the vocabulary h, e, l, o; "hel" and "hell" both end in "l" with targets
    "p" and "o", the one-character ambiguity of "l" -> "l" / "l" -> "o"."""
    from lecture.rnn_slide_shapes import SLIDE_AMBIGUOUS, ambiguous_targets_text

    assert SLIDE_AMBIGUOUS == [("hel", "p"), ("hell", "o"), ("heliu", "m")]
    assert [a + b for a, b in SLIDE_AMBIGUOUS] == ["help", "hello", "helium"]
    text = ambiguous_targets_text()
    assert "inputs of 3, 4, 5 characters" in text
    assert "they need i, m, p, u, outside the vocabulary h, e, l, o" in text
    assert text.endswith("'l' -> 'o' / 'p'")
    assert text in rnn_slide_shapes().text()
