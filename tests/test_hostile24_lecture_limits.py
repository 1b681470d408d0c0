"""Hostile input, round 24: the lecture's training loops and slide rows given sizes and models they cannot take.

``train_slides_mlp(10**12)``, ``train_char_model(text, steps=10**12)`` and ``train_hello(3, 10**12, lr)`` ran
until the list of per-step losses filled the memory (the tour's command line refuses more than `MAX_EPOCHS`
steps; the library functions took any count). ``batch_loss`` and ``row_graph`` given another model failed
inside the forward pass ("'Linear' object has no attribute 'layers'"; "too many values to unpack" for an MLP of
three layers).
"""

from __future__ import annotations

import pytest

import nn
from lecture.cli_args import MAX_EPOCHS
from lecture.hello_rnn import train_hello
from lecture.slides_mlp import SLIDES_X, SLIDES_Y, batch_loss, row_graph, slides_network
from lecture.training import train_char_model, train_slides_mlp


@pytest.mark.parametrize("count", [MAX_EPOCHS + 1, 10**12, 10**400])
def test_training_refuses_more_steps_than_the_tours_limit(count: int) -> None:
    with pytest.raises(ValueError, match=rf"^epochs must be at most {MAX_EPOCHS:,} \(the tour's limit\), got "):
        train_slides_mlp(count)
    with pytest.raises(ValueError, match=rf"^steps must be at most {MAX_EPOCHS:,} \(the tour's limit\), got "):
        train_char_model("hello world", steps=count)
    with pytest.raises(ValueError, match=r"^steps must be at most"):
        train_hello(3, count, 0.05)


def test_training_within_the_limit_still_runs() -> None:
    run = train_slides_mlp(2)
    assert len(run.losses) == 2
    first = 0.0
    model = slides_network()
    for x, y in zip(SLIDES_X, SLIDES_Y):  # the slides' E summed over the six rows, at the slides' weights
        out = model(x)
        first += 0.5 * sum((o.data - t) ** 2 for o, t in zip(out, y))
    assert run.losses[0] == pytest.approx(first, rel=1e-12)


@pytest.mark.parametrize(("model", "error", "shown"), [
    (nn.Linear(3, 2, seed=0), TypeError, "got Linear"),
    ("slides", TypeError, "got str"),
    (nn.MLP(3, [2, 2, 2], seed=0), ValueError, "got 3 -> 2 -> 2 -> 2"),
    (nn.MLP(2, [2, 2], seed=0), ValueError, "got 2 -> 2 -> 2"),
])
def test_slide_rows_name_a_model_that_is_not_the_slides_network(model: object, error: type, shown: str) -> None:
    for call in (lambda: batch_loss(model), lambda: row_graph(model, 1)):  # type: ignore[arg-type]
        with pytest.raises(error, match=r"^the slides' rows need an MLP of widths 3 -> 2 -> 2 \(slides_network\(\)\), "
                                        + shown):
            call()
