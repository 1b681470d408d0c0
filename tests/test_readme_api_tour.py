"""The README's "API tour" examples and docs/pytorch.md's, run exactly as written (new-user trial 15 found
them the only python blocks no test ran), each checked against values known independently."""

from __future__ import annotations

import contextlib
import io
import math

import pytest
from conftest import needs_svg
from readme_blocks import doc_blocks, python_blocks


def run_blocks(blocks: list[str]) -> tuple[dict[str, object], str]:
    """Exec README blocks one after another in one namespace, as a reader pastes them; return it and stdout."""
    scope: dict[str, object] = {"__name__": "readme_example"}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        for block in blocks:
            exec(compile(block, "README.md", "exec"), scope)  # noqa: S102 - our own README
    return scope, out.getvalue()


def test_the_first_graph_prints_the_closed_form_gradients_and_a_passing_gradcheck() -> None:
    _, printed = run_blocks(python_blocks("API tour")[:1])
    lines = printed.splitlines()
    dw, dx = (float(word) for word in lines[0].split())
    o = math.tanh(2.0 * -3.0 + 6.88)
    assert dw == pytest.approx((1 - o * o) * 2.0, rel=1e-12)   # do/dw = (1 - tanh^2) x
    assert dx == pytest.approx((1 - o * o) * -3.0, rel=1e-12)  # do/dx = (1 - tanh^2) w
    assert lines[1].startswith("gradcheck: f = 0.706419")
    assert [line.split()[0] for line in lines[3:]] == ["x", "w", "b"]  # the rows carry the lambda's own names
    assert [line.split()[-1] for line in lines[3:]] == ["yes", "yes", "yes"]


def test_the_ten_line_training_loop_is_plain_sgd_and_learns() -> None:
    from nn import MLP, mean_squared_error

    scope, _ = run_blocks(python_blocks("API tour")[1:2])
    xs, ys, model = scope["xs"], scope["ys"], scope["model"]
    # The same 100 steps written by hand, micrograd's way: w -= lr * dL/dw on a model built the same way.
    by_hand = MLP(3, [4, 4, 1], activation="tanh", seed=0)
    start = mean_squared_error([by_hand(x) for x in xs], ys).data
    for _ in range(100):
        loss = mean_squared_error([by_hand(x) for x in xs], ys)
        for p in by_hand.parameters():
            p.grad = 0.0
        loss.backward()
        for p in by_hand.parameters():
            p.data -= 0.05 * p.grad
    assert [p.data for p in model.parameters()] == pytest.approx([p.data for p in by_hand.parameters()], rel=1e-12)
    final = mean_squared_error([model(x) for x in xs], ys).data
    assert final < start / 10, (start, final)


@needs_svg
def test_drawing_the_loss_writes_what_the_comments_say(tmp_path, monkeypatch) -> None:
    import graphviz

    monkeypatch.chdir(tmp_path)  # the block writes loss, loss.svg, loss.dot, loss.png where it runs
    scope, _ = run_blocks(python_blocks("API tour")[1:3])
    assert isinstance(scope["picture"], graphviz.Digraph)  # "draw_graph returns a graphviz.Digraph"
    assert (tmp_path / "loss").read_text().startswith("digraph")  # render("loss"): DOT in "loss", as micrograd's
    assert (tmp_path / "loss.svg").read_text().lstrip().startswith(("<?xml", "<svg"))
    assert (tmp_path / "loss.dot").read_text() == (tmp_path / "loss").read_text()
    assert (tmp_path / "loss.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert scope["picture"].pipe(format="png")[:8] == b"\x89PNG\r\n\x1a\n"


def test_moving_to_pytorch_runs_as_written_and_reports_parity() -> None:
    torch = pytest.importorskip("torch")
    blocks = doc_blocks("pytorch.md")
    assert len(blocks) == 2
    scope, _ = run_blocks(blocks[:1])
    # The first block's comment: indices (T, batch) -> logits (T, batch, 27), in float64.
    assert tuple(scope["logits"].shape) == (2, 2, 27) and scope["logits"].dtype == torch.float64
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit) as ended:
        exec(compile(blocks[1], "docs/pytorch.md", "exec"), scope)  # noqa: S102 - our own docs
    assert ended.value.code == 0  # raise SystemExit(report.exit_status()): 0 when parity is within tolerance
    assert scope["report"].ok and out.getvalue().startswith("parity: CharModel (lstm) vocabulary 27, hidden 16")
