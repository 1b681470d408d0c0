"""docs/replay.md's examples, run exactly as written, checked against the eager engine."""

from __future__ import annotations

import contextlib
import io

import pytest
from readme_blocks import doc_blocks

from nn import MLP, SGD


def readme_example() -> str:
    """The first python block of docs/replay.md."""
    return doc_blocks("replay.md")[0]


def test_the_readme_replay_example_runs_alone_and_equals_the_eager_engine() -> None:
    pytest.importorskip("numpy")  # run_batch needs it
    scope: dict[str, object] = {"__name__": "readme_example"}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(readme_example(), "docs/replay.md", "exec"), scope)  # noqa: S102 - our own docs
    printed_loss, printed_batch = (float(word) for word in out.getvalue().split())

    # The same steps with the eager engine, on a model built the same way.
    rows = scope["rows"]
    assert isinstance(rows, list) and len(rows) >= 2
    eager = MLP(3, [4, 4, 1], activation="tanh", seed=0)
    optimizer = SGD(eager.parameters(), lr=0.05)
    optimizer.zero_grad()
    losses = [(eager(row[:3]) - row[3]) ** 2 for row in rows]
    total = sum(losses[1:], losses[0])
    total.backward()
    assert printed_loss == pytest.approx(total.data, rel=1e-12)
    optimizer.step()
    # run_batch ran after the step: its losses and summed gradients are eager's at the stepped weights.
    optimizer.zero_grad()
    after = [(eager(row[:3]) - row[3]) ** 2 for row in rows]
    for loss in after:
        loss.backward()
    assert printed_batch == pytest.approx(sum(loss.data for loss in after), rel=1e-12)
    batch_losses, batch_grads = scope["losses"], scope["grads"]
    assert list(batch_losses) == pytest.approx([loss.data for loss in after], rel=1e-12)
    assert [float(g) for g in batch_grads] == pytest.approx([p.grad for p in eager.parameters()], rel=1e-9,
                                                             abs=1e-14)
    # The docs' model really was stepped: its weights are eager's after one SGD step.
    model = scope["model"]
    assert [p.data for p in model.parameters()] == pytest.approx([p.data for p in eager.parameters()],
                                                                  rel=1e-12)


def test_the_readme_recurrent_replay_block_runs_alone_and_equals_the_eager_engine() -> None:
    block = next(b for b in doc_blocks("replay.md") if "sequence_loss" in b)
    scope: dict[str, object] = {"__name__": "readme_example"}
    exec(compile(block, "docs/replay.md", "exec"), scope)  # noqa: S102 - our own docs
    model, xs, ts = scope["model"], scope["xs"], scope["ts"]
    model.zero_grad()  # type: ignore[attr-defined]
    eager = model.sequence_loss(xs, ts)[0]  # type: ignore[attr-defined]
    eager.backward()
    assert scope["loss"] == pytest.approx(eager.data, rel=1e-12)
    expected = [p.grad for p in model.parameters()]  # type: ignore[attr-defined]
    assert scope["grads"] == pytest.approx(expected, rel=1e-12, abs=1e-15)
