"""The slides' data, weight and result tables, transcribed here from the deck ("Multilayer Perceptrons", x, y and
w1, w2), against what `lecture.slides_mlp` holds.

The worked example's printed numbers use only the first rows (rows 1..4 in the batch, through saturated
sigmoids), so a mistyped entry of a later row, or a small change to row 4, would pass every other test.
"""

from __future__ import annotations

from lecture.slides_mlp import (
    SLIDE_C1,
    SLIDE_C2,
    SLIDE_W1_STAR,
    SLIDE_W2_STAR,
    SLIDES_W1,
    SLIDES_W2,
    SLIDES_X,
    SLIDES_Y,
)

# x1 x2 x3 y1 y2, as the slide's table prints them.
SLIDE_TABLE = [
    (1.0000, 4.0000, 5.0000, 0.1000, 0.0500),
    (0.1000, -5.0000, 3.0000, 0.1221, 0.0964),
    (6.0000, -5.5420, 4.8970, 0.1061, 0.0702),
    (4.0000, 8.0000, 9.0000, 0.0996, 0.0641),
    (12.0000, -2.0000, 0.0063, 0.1110, 0.0732),
    (6.0000, -5.5000, 4.8970, 0.1060, 0.0701),
]


def test_the_data_rows_are_the_slides_table() -> None:
    assert [list(row[:3]) for row in SLIDE_TABLE] == SLIDES_X
    assert [list(row[3:]) for row in SLIDE_TABLE] == SLIDES_Y


def test_the_weights_are_the_slides_tables() -> None:
    assert SLIDES_W1 == [[0.5, 0.5], [0.1, 0.2], [0.3, 0.4], [0.5, 0.6]]
    assert SLIDES_W2 == [[0.5, 0.5], [0.7, 0.8], [0.9, 0.1]]


def test_the_printed_result_tables_are_the_slides() -> None:
    """c1, c2, w1* and w2* as the slide prints them (w2*'s second column is one of the slide's slips: the
    report computes that it disagrees, so only a transcription check notices a mistyped entry there)."""
    assert SLIDE_C1 == [[".0604", ".0332"], [".1134", ".0427"], ["-.2929", "-.1658"], [".2193", ".1129"]]
    assert SLIDE_C2 == [[".3447", ".4816"], [".2929", ".4176"], [".2930", ".4191"]]
    assert SLIDE_W1_STAR == [[".4994", ".4997"], [".0989", ".1996"], [".3029", ".4017"], [".4978", ".5989"]]
    assert SLIDE_W2_STAR == [[".4966", ".0039"], [".4971", ".0038"], [".0021", ".0004"]]
