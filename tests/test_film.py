"""Training films: the frames hold the real training (checked against PyTorch) and the page is well formed."""

from __future__ import annotations

import json
import re

import pytest

from lecture.slides_mlp import SLIDES_W1, SLIDES_W2, SLIDES_X, SLIDES_Y
from lecture.training_film import hello_rnn_film, hello_rnn_film_page, slides_mlp_film, slides_mlp_film_page
from viz.film import FilmEdge, FilmFrame, FilmNetwork, film_page

torch = pytest.importorskip("torch")


def _torch_mlp_run(epochs: int, lr: float) -> tuple[list[float], list[list[float]], list[list[float]]]:
    """E, weights and gradients per epoch of the slides' MLP trained by PyTorch (film order: per neuron b, w)."""
    w1 = torch.tensor(SLIDES_W1, dtype=torch.float64, requires_grad=True)  # [i][k], row 0 the bias
    w2 = torch.tensor(SLIDES_W2, dtype=torch.float64, requires_grad=True)
    x = torch.cat([torch.ones(6, 1, dtype=torch.float64), torch.tensor(SLIDES_X, dtype=torch.float64)], 1)
    y = torch.tensor(SLIDES_Y, dtype=torch.float64)
    optimizer = torch.optim.Adam([w1, w2], lr=lr)
    losses, weights, grads = [], [], []
    for epoch in range(epochs + 1):
        optimizer.zero_grad()
        a1 = torch.sigmoid(x @ w1)
        a2 = torch.sigmoid(torch.cat([torch.ones(6, 1, dtype=torch.float64), a1], 1) @ w2)
        E = 0.5 * ((a2 - y) ** 2).sum()
        E.backward()
        assert w1.grad is not None and w2.grad is not None
        losses.append(E.item())
        weights.append([*w1.detach().T.flatten().tolist(), *w2.detach().T.flatten().tolist()])
        grads.append([*w1.grad.T.flatten().tolist(), *w2.grad.T.flatten().tolist()])
        if epoch < epochs:
            optimizer.step()
    return losses, weights, grads


def test_mlp_film_frames_are_pytorchs_training() -> None:
    network, frames = slides_mlp_film(epochs=25, lr=0.05)
    losses, weights, grads = _torch_mlp_run(25, 0.05)
    assert len(frames) == 26
    assert [e.name for e in network.edges[:4]] == ["w1[0,1]", "w1[1,1]", "w1[2,1]", "w1[3,1]"]
    assert network.edges[0].source == "a0[0] = 1" and network.edges[-1].target == "a2[2]"
    assert len(network.edges) == 4 * 2 + 3 * 2  # 3-2-2 with a bias row per layer
    for frame, loss, w, g in zip(frames, losses, weights, grads):
        assert frame.loss == pytest.approx(loss, rel=1e-12)
        assert list(frame.weights) == pytest.approx(w, rel=1e-9, abs=1e-12)
        assert list(frame.gradients) == pytest.approx(g, rel=1e-9, abs=1e-12)
    assert frames[0].caption.startswith(f"Epoch 0: E (summed over the 6 rows) = {losses[0]:.5f}")


def test_rnn_film_learns_hello() -> None:
    network, frames = hello_rnn_film(steps=150)
    assert len(network.edges) == 3 * 4 + 3 * 3 + 4 * 3  # Wxh, Whh, Why of the hello RNN
    assert frames[-1].loss < frames[0].loss / 100
    assert frames[-1].caption.endswith('the most likely next characters are "ello" (target "ello")')
    # The tutorial's matrices start the film (its first Wxh row).
    assert list(frames[0].weights[:4]) == [0.6, 0.8, 0.4, 0.8]


def test_film_pages_hold_every_frame_and_escape_text() -> None:
    page = slides_mlp_film_page(epochs=10)
    frames = json.loads(re.search(r"const frames = (.*?);\nconst names", page, flags=re.S).group(1))
    assert len(frames) == 11 and page.count('class="edge"') == 14
    assert "hello RNN" in hello_rnn_film_page(steps=3)
    net = FilmNetwork([["</script>"], ["b"]], [FilmEdge("</script>", "b", "w</script>")])
    page = film_page(net, [FilmFrame([1.0], [0.0], 1.0, "<!-- </script>")], title="</script><b>")
    assert page.count("</script>") == 1 and "<b>" not in page


@pytest.mark.parametrize("frame, problem", [
    (FilmFrame([1.0, 2.0], [0.0], 1.0, ""), "1 edges"),
    (FilmFrame([float("nan")], [0.0], 1.0, ""), "weight must be a finite number"),
    (FilmFrame([1.0], [0.0], float("inf"), ""), "loss must be a finite number"),
    (FilmFrame([1.0], ["0"], 1.0, ""), "gradient must be a finite number"),  # type: ignore[list-item]
])
def test_film_refuses_bad_frames(frame: FilmFrame, problem: str) -> None:
    net = FilmNetwork([["a"], ["b"]], [FilmEdge("a", "b", "w")])
    with pytest.raises(ValueError, match=problem):
        film_page(net, [frame])


def test_film_refuses_bad_networks_and_counts() -> None:
    with pytest.raises(ValueError, match="at least one frame"):
        film_page(FilmNetwork([["a"]], []), [])
    with pytest.raises(ValueError, match="node 'c', which is in no layer"):
        film_page(FilmNetwork([["a"], ["b"]], [FilmEdge("a", "c", "w")]), [FilmFrame([1.0], [0.0], 1.0, "")])
    for decimals in (-1, 13, 2.0, True):
        with pytest.raises(ValueError, match="decimals must be an integer in 0..12"):
            film_page(FilmNetwork([["a"]], []), [FilmFrame([], [], 1.0, "")], decimals=decimals)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="appears twice"):
        film_page(FilmNetwork([["a"], ["a"]], []), [FilmFrame([], [], 1.0, "")])
    for bad in (0, -1, 2.5, True, 10**9):
        with pytest.raises(ValueError, match="epochs must be an integer"):
            slides_mlp_film(epochs=bad)  # type: ignore[arg-type]
    for rate in (0.0, -1.0, float("nan"), float("inf"), "0.1"):
        with pytest.raises(ValueError, match="lr must be a positive finite number"):
            slides_mlp_film(epochs=1, lr=rate)  # type: ignore[arg-type]


def test_diverging_film_training_names_the_epoch() -> None:
    # Adam's first step moves every weight by lr = 1e308: the next forward pass overflows (epoch 1).
    with pytest.raises(OverflowError, match=r"the film's training diverged at epoch 1 \(lr=1e\+308\)"):
        slides_mlp_film(epochs=3, lr=1e308)
    with pytest.raises(OverflowError, match=r"the film's training diverged at step 1 \(lr=1e\+308\)"):
        hello_rnn_film(steps=3, lr=1e308)
