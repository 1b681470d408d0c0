"""The RNN slides' vocabulary, one-hot vectors and matrix sizes, checked on the hello RNN.

The slides encode "hello" over the vocabulary h, e, l, o ("h" = [1, 0, 0, 0] ... "o" = [0, 0, 0, 1]; "e" ->
y = [0, 1, 0, 0]), pair each character with the next ("h" -> "e", "e" -> "l", "l" -> "l", "l" -> "o": "l" has
two targets, the ambiguity a network without memory cannot resolve), and draw the matrices with their
entries' names: W_xh k x m (rows h_1..h_k, columns x_1..x_m), W_hh k x k, W_yh n x k (rows y_1..y_n). On the
hello RNN m = n = 4 (the vocabulary) and k = 3 (hidden units).

`rnn_slide_shapes()` sets each against the model (`hello_rnn.hello_model`): the sizes its matrices and
vectors have, and whether the slide's agree. Where the slide is wrong, the row says why: it lists s_2 = W_yh h
and y-hat = softmax(s_2) with k entries (s_1..s_k, y_1..y_k), but W_yh has n rows, so they have n = 4.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from autograd import softmax
from nn import RNNCell, Vocabulary

from .hello_rnn import HELLO_INPUTS, HELLO_TARGETS, HELLO_VOCAB, hello_model

#: The slides' vocabulary table, as printed.
SLIDE_ONE_HOTS = {"h": [1, 0, 0, 0], "e": [0, 1, 0, 0], "l": [0, 0, 1, 0], "o": [0, 0, 0, 1]}
#: '"e" -> y1 y2 y3 y4 = 0 1 0 0': e's one-hot, which is also the target when "h" is read ("h" -> "e").
SLIDE_E_TARGET = [0, 1, 0, 0]
#: The slides' pairs for "hello": each character and the one after it.
SLIDE_PAIRS = [("h", "e"), ("e", "l"), ("l", "l"), ("l", "o")]
#: The slides' "Ambiguous Targets" beside "Fixed Width Input/Output": help, hello, helium.
SLIDE_AMBIGUOUS = [("hel", "p"), ("hell", "o"), ("heliu", "m")]


def ambiguous_targets_text(vocabulary: str = HELLO_VOCAB) -> str:
    """What the "Ambiguous Targets" examples show, worked out from them: their lengths (no one fixed width), the
    letters they need beyond ``vocabulary``, and the inputs that end in the same character with different targets."""
    pairs = ", ".join(f"{a!r} -> {b!r}" for a, b in SLIDE_AMBIGUOUS)
    lengths = sorted({len(a) for a, _ in SLIDE_AMBIGUOUS})
    outside = sorted({c for a, b in SLIDE_AMBIGUOUS for c in a + b if c not in vocabulary})
    by_last: dict[str, set[str]] = {}
    for a, b in SLIDE_AMBIGUOUS:
        by_last.setdefault(a[-1], set()).add(b)
    clashes = [f"{last!r} -> {' / '.join(repr(t) for t in sorted(targets))}"
               for last, targets in by_last.items() if len(targets) > 1]
    return (f"  ambiguous targets {pairs}: inputs of {', '.join(map(str, lengths))} characters (no one fixed"
            f" width takes them all); they need {', '.join(outside)}, outside the"
            f" vocabulary {', '.join(vocabulary)}; ending in the same character with different targets: "
            + ("; ".join(clashes) if clashes else "none"))


@dataclass
class ShapeRow:
    """One of the slides' matrices or vectors: its size as the slide writes it, on the hello RNN, and ours."""

    quantity: str
    slide: str  # as the slide writes it, in the slide's letters
    slide_size: tuple[int, ...]  # the slide's size with k = 3, m = n = 4
    ours: tuple[int, ...]  # the size the model's matrix or vector has
    note: str = ""

    @property
    def agrees(self) -> bool:
        """Whether the slide's size is the model's."""
        return self.slide_size == self.ours


@dataclass
class RNNSlideShapes:
    """The RNN slides' vocabulary, pairs and sizes against the hello RNN; `text()` is what the tour prints."""

    one_hots: dict[str, list[float]]  # the vocabulary's one-hot vectors, ours
    pairs: list[tuple[str, str]]  # (input, target) per time step, ours
    rows: list[ShapeRow]
    h3: list[float]  # the hidden state after the first "l"
    h4: list[float]  # after the second: different, so the RNN can give "l" two different next characters

    def differing(self) -> list[ShapeRow]:
        """The rows where the slide's size is not the model's."""
        return [r for r in self.rows if not r.agrees]

    def text(self) -> str:
        """The vocabulary, the pairs and the size table, indented, with the verdicts and reasons."""
        def size(s: tuple[int, ...]) -> str:
            return " x ".join(str(n) for n in s)

        one_hots_agree = all(self.one_hots[c] == SLIDE_ONE_HOTS[c] for c in SLIDE_ONE_HOTS)
        lines = [
            "  the RNN slides' vocabulary and sizes on the hello RNN (k = 3 hidden units, m = n = 4 characters):",
            "  one-hot vectors: " + ", ".join(f"{c!r} {[int(v) for v in self.one_hots[c]]}" for c in self.one_hots)
            + (" - agree with the slides' table" if one_hots_agree else " - DIFFER from the slides' table"),
            "  pairs (input -> target): " + ", ".join(f"{a!r} -> {b!r}" for a, b in self.pairs)
            + (" - the slides' pairs" if self.pairs == SLIDE_PAIRS else " - NOT the slides' pairs"),
            "  'l' is read twice with two targets ('l', 'o'): ambiguous for a network without memory; the RNN's",
            f"  states differ: h_3 = [{', '.join(f'{v:.4f}' for v in self.h3)}],"
            f" h_4 = [{', '.join(f'{v:.4f}' for v in self.h4)}]",
            ambiguous_targets_text(),
            f"  {'quantity':<24}{'slide':<26}{'slide size':>11}{'ours':>8}  verdict",
        ]
        for r in self.rows:
            line = (f"  {r.quantity:<24}{r.slide:<26}{size(r.slide_size):>11}{size(r.ours):>8}  "
                    + ("agrees" if r.agrees else "DIFFERS"))
            lines.append(line)
            if r.note:  # under the row, so the table's columns stay readable
                lines += textwrap.wrap(r.note, 112, initial_indent=" " * 6, subsequent_indent=" " * 6)
        n_diff = len(self.differing())
        lines.append(f"  {len(self.rows) - n_diff} of {len(self.rows)} sizes agree; {n_diff} differ (reasons above).")
        return "\n".join(lines)


def rnn_slide_shapes() -> RNNSlideShapes:
    """Read the hello RNN's sizes, one-hots and states, and set the RNN slides' against them."""
    vocab = Vocabulary(HELLO_VOCAB)
    model = hello_model()
    cell = model.cell
    assert isinstance(cell, RNNCell)
    logits, states = model.unroll(vocab.encode(HELLO_INPUTS))
    k, m, n = 3, len(SLIDE_ONE_HOTS), len(SLIDE_ONE_HOTS)  # the slides' letters on the hello RNN

    def matrix(rows: list) -> tuple[int, int]:
        return len(rows), len(rows[0])

    wrong_vector = ("a slip on the slide: W_yh has n rows, one per character, so W_yh h and its softmax have"
                    " n = 4 entries, not k = 3 (the hidden size)")
    rows = [
        ShapeRow("x (one-hot input)", "[x_1 .. x_m]", (m,), (len(vocab.one_hot(HELLO_INPUTS[0])),)),
        ShapeRow("W_xh", "rows h_1..h_k, cols x_1..x_m", (k, m), matrix(cell.Wxh)),
        ShapeRow("W_hh", "rows h_1..h_k, cols h_1..h_k", (k, k), matrix(cell.Whh)),
        ShapeRow("s_1 = W_xh x + W_hh h", "[s_1 .. s_k]", (k,), (len(states[0]),)),
        ShapeRow("h = tanh(s_1)", "[h_1 .. h_k]", (k,), (len(states[0]),)),
        ShapeRow("W_yh", "rows y_1..y_n, cols h_1..h_k", (n, k), matrix(model.head.W),
                 "its first row is written \"y_1 h_1, y_2 h_2 ... y_1 h_k\": the second entry is y_1 h_2"
                 " (row 1 pairs y_1 with every h)"),
        ShapeRow("s_2 = W_yh h", "[s_1 .. s_k]", (k,), (len(logits[0]),), wrong_vector),
        ShapeRow("y-hat = softmax(s_2)", "[y_1 .. y_k]", (k,), (len(softmax([v.data for v in logits[0]])),),
                 wrong_vector),
    ]
    return RNNSlideShapes(
        one_hots={c: vocab.one_hot(c) for c in HELLO_VOCAB},
        pairs=list(zip(HELLO_INPUTS, HELLO_TARGETS)),
        rows=rows,
        h3=[v.data for v in states[2]],
        h4=[v.data for v in states[3]],
    )
