"""The slides' sequence shapes (one-to-one, one-to-many, many-to-one, many-to-many) on the hello RNN.

The shapes are one cell used four ways: they differ only in how many inputs it
reads, how many outputs it emits and where the loss is taken. With the
tutorial's fixed matrices (`hello_rnn.hello_model`) and vocabulary h, e, l, o:

- one-to-one: read "h", emit one distribution, loss against "e" (h0 = 0, so
  no recurrence: a one-hidden-layer network);
- many-to-one: read "hell", emit once after the last character, loss against
  "o" (a sequence classifier);
- many-to-many: read "hell", emit at every step, the losses against "ello"
  summed (how the slides train);
- one-to-many: read "h", then feed each emitted character back in
  (generation; greedy here, the most likely character each time).

For each loss, |dL/dx_t| (the gradient's norm at each one-hot input, the inputs
made Values) shows which time steps backpropagation through time reaches: only
x_1 for one-to-one, every step for the others, smaller the further back.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from autograd import Value, sum_of
from nn import CharModel, Vocabulary, softmax_cross_entropy
from viz import ValueGraph
from viz.sequence_shapes import ShapeDrawing, draw_sequence_shapes

from .hello_rnn import HELLO_INPUTS, HELLO_TARGETS, HELLO_VOCAB, hello_model

#: How many characters the one-to-many row generates (as many as the other rows read).
GENERATED = len(HELLO_INPUTS)


@dataclass
class ShapeRow:
    """One sequence shape: what it reads and emits, its loss and the gradient at each input step."""

    shape: str
    reads: str
    emits: str  # how many outputs, and the targets its loss is taken against or the characters it generated
    loss: float | None  # None: generation has no loss
    input_gradient_norms: list[float]  # |dL/dx_t| for t = 1..len(reads); empty without a loss
    outputs: list[str | None]  # per time step, the target its output is scored against, or the character emitted


@dataclass
class SequenceShapes:
    """The four shapes on the hello RNN, in the slides' order."""

    rows: list[ShapeRow]

    def text(self) -> str:
        """The shapes as an indented table: reads, emits, the loss and |dL/dx_t| per input step."""
        steps = max(len(r.reads) for r in self.rows)
        head = f"  {'shape':<14}{'reads':<8}{'emits':<24}{'loss L':>8}" + "".join(
            f"{f'|dL/dx_{t}|':>11}" for t in range(1, steps + 1))
        lines = ["  the slides' sequence shapes: one cell (the tutorial's matrices) used four ways; |dL/dx_t| is how",
                 "  much of the loss's gradient reaches input step t (backpropagation through time):", head]
        for r in self.rows:
            loss = "-" if r.loss is None else f"{r.loss:.4f}"
            norms = "".join(f"{n:>11.4f}" for n in r.input_gradient_norms)
            lines.append(f"  {r.shape:<14}{r.reads!r:<8}{r.emits:<24}{loss:>8}{norms}")
        return "\n".join(lines)


def sequence_shapes() -> SequenceShapes:
    """Run the four shapes on the tutorial's hello RNN and collect each one's numbers."""
    vocab = Vocabulary(HELLO_VOCAB)
    first = HELLO_INPUTS[0]
    rows = [
        _with_loss("one-to-one", first, HELLO_TARGETS[0], every_step=False, vocab=vocab),
        _with_loss("many-to-one", HELLO_INPUTS, HELLO_TARGETS[-1], every_step=False, vocab=vocab),
        _with_loss("many-to-many", HELLO_INPUTS, HELLO_TARGETS, every_step=True, vocab=vocab),
    ]
    generated = vocab.decode(hello_model().sample(vocab.index(first), GENERATED, temperature=0))
    rows.insert(1, ShapeRow("one-to-many", first, f"{GENERATED}, fed back: {generated!r}", None, [],
                            list(generated)))
    return SequenceShapes(rows)


def _with_loss(shape: str, reads: str, targets: str, every_step: bool, vocab: Vocabulary) -> ShapeRow:
    """A shape with a loss: ``reads`` fed as one-hot Values, the loss against ``targets`` at every step
    (``every_step``) or after the last one only."""
    model: CharModel = hello_model()
    inputs = [[Value(1.0 if k == vocab.index(ch) else 0.0) for k in range(len(vocab))] for ch in reads]
    all_logits, _ = model.unroll(inputs)
    scored = all_logits if every_step else all_logits[-1:]
    loss = sum_of([softmax_cross_entropy(z, vocab.index(t)) for z, t in zip(scored, targets)])
    loss.backward()
    norms = [math.sqrt(sum(x.grad ** 2 for x in step)) for step in inputs]
    outputs: list[str | None] = list(targets) if every_step else [None] * (len(reads) - 1) + [targets]
    return ShapeRow(shape, reads, f"{len(scored)}, against {targets!r}", loss.data, norms, outputs)


def sequence_shapes_picture(shapes: SequenceShapes) -> ValueGraph:
    """The four shapes drawn unrolled, each input with |dL/dx_t|, each scored output with its target."""
    drawings = []
    for row in shapes.rows:
        steps = len(row.outputs)
        inputs: list[str | None] = [
            (f"x_{t + 1} = {row.reads[t]!r}" + (f"\n|dL/dx| {row.input_gradient_norms[t]:.4f}"
                                                 if row.input_gradient_norms else ""))
            if t < len(row.reads) else None
            for t in range(steps)]
        outputs: list[str | None]
        if row.loss is None:
            outputs = [f"y_{t + 1} -> {ch!r}" for t, ch in enumerate(row.outputs)]
            title = f"{row.shape}: generates {''.join(c for c in row.outputs if c)!r}"
        else:
            outputs = [None if ch is None else f"y_{t + 1} vs {ch!r}" for t, ch in enumerate(row.outputs)]
            title = f"{row.shape}: L = {row.loss:.4f}"
        drawings.append(ShapeDrawing(title, inputs, outputs, fed_back=row.loss is None))
    return draw_sequence_shapes(drawings, "The slides' sequence shapes on the hello RNN (one cell, the tutorial's"
                                          " matrices): inputs at the bottom, states h_t, outputs on top")
