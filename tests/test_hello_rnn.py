"""Worked example 2 against a hand-written BPTT in plain Python (min-char-rnn's algebra)."""

from __future__ import annotations

import math

import pytest

from lecture.hello_rnn import HELLO_WHH, HELLO_WHY, HELLO_WXH, hello_rnn_example


def total(xs: list[float]) -> float:
    """Left to right, as numpy and the engine add (builtin sum compensates from Python 3.12 on)."""
    out = 0.0
    for x in xs:
        out += x
    return out


def matvec(m: list[list[float]], v: list[float]) -> list[float]:
    return [total([a * b for a, b in zip(row, v)]) for row in m]


def reference_bptt() -> dict:
    """Forward and backward through time written out by hand, as in min-char-rnn."""
    inputs, targets = [0, 1, 2, 2], [1, 2, 2, 3]  # h e l l -> e l l o
    H, V = 3, 4
    hs = {-1: [0.0] * H}
    ps, ys = {}, {}
    loss = 0.0
    for t, x in enumerate(inputs):
        xv = [1.0 if i == x else 0.0 for i in range(V)]
        s = [a + b for a, b in zip(matvec(HELLO_WXH, xv), matvec(HELLO_WHH, hs[t - 1]))]
        hs[t] = [math.tanh(v) for v in s]
        ys[t] = matvec(HELLO_WHY, hs[t])
        z = total([math.exp(v) for v in ys[t]])
        ps[t] = [math.exp(v) / z for v in ys[t]]
        loss += -math.log(ps[t][targets[t]])
    dWxh = [[0.0] * V for _ in range(H)]
    dWhh = [[0.0] * H for _ in range(H)]
    dWhy = [[0.0] * H for _ in range(V)]
    dbh, dby = [0.0] * H, [0.0] * V
    dh_next = [0.0] * H
    for t in reversed(range(len(inputs))):
        dy = list(ps[t])
        dy[targets[t]] -= 1.0  # softmax + cross-entropy
        for j in range(V):
            dby[j] += dy[j]
            for k in range(H):
                dWhy[j][k] += dy[j] * hs[t][k]
        dh = [total([HELLO_WHY[j][k] * dy[j] for j in range(V)]) + dh_next[k] for k in range(H)]
        draw = [(1 - hs[t][k] ** 2) * dh[k] for k in range(H)]
        for k in range(H):
            dbh[k] += draw[k]
            dWxh[k][inputs[t]] += draw[k]
            for m in range(H):
                dWhh[k][m] += draw[k] * hs[t - 1][m]
        dh_next = [total([HELLO_WHH[k][m] * draw[k] for k in range(H)]) for m in range(H)]
    return {"hidden": [hs[t] for t in range(4)], "logits": [ys[t] for t in range(4)],
            "probabilities": [ps[t] for t in range(4)], "loss": loss,
            "dWxh": dWxh, "dWhh": dWhh, "dWhy": dWhy, "dbh": dbh, "dby": dby}


def flat(x) -> list[float]:
    return [v for item in x for v in (flat(item) if isinstance(item, list) else [item])]


def test_tutorial_notebook_numbers() -> None:
    """The tutorial's notebook (RNN.ipynb) prints h1 = tanh(Wxh x_h), y1 = Why h1 and softmax(y1) to 8 digits."""
    r = hello_rnn_example()
    assert r.hidden[0] == pytest.approx([0.53704957, 0.19737532, 0.71629787], abs=5e-9)
    assert r.logits[0] == pytest.approx([0.85613423, 0.45314166, 0.57149732, 0.48341414], abs=5e-9)
    assert r.probabilities[0] == pytest.approx([0.321599, 0.2149301, 0.24193486, 0.22153605], abs=5e-9)
    # "data has 5 characters, 4 unique": the vocabulary h, e, l, o; 4 steps of inputs "hell" -> targets "ello"
    assert len(r.probabilities) == len(r.hidden) == 4 and all(len(p) == 4 for p in r.probabilities)


def test_the_summed_loss_is_the_slides_cross_entropy_with_one_hot_targets() -> None:
    """L_t = -y_t log(y-hat_t) with y_t the target's one-hot vector (the slides' "Multi-class Cross Entropy Loss"),
    and L_total = the sum over t = 1..4, written out here from the hand-written forward pass."""
    ref = reference_bptt()
    targets = [1, 2, 2, 3]  # e l l o
    terms = []
    for p, target in zip(ref["probabilities"], targets):
        one_hot = [1.0 if j == target else 0.0 for j in range(4)]
        terms.append(-total([y * math.log(q) for y, q in zip(one_hot, p)]))
    assert hello_rnn_example().loss == pytest.approx(total(terms), rel=1e-13)
    assert hello_rnn_example().step_losses == pytest.approx(terms, rel=1e-13)
    assert terms[0] == pytest.approx(-math.log(0.2149301), abs=1e-7)  # the notebook's p1 of "e": L1 = 1.5374


@pytest.mark.parametrize("name", ["hidden", "logits", "probabilities", "dWxh", "dWhh", "dWhy", "dbh", "dby"])
def test_matches_hand_written_bptt(name: str) -> None:
    ours = flat(getattr(hello_rnn_example(), name))
    expected = flat(reference_bptt()[name])
    assert len(ours) == len(expected)
    assert ours == pytest.approx(expected, rel=1e-12, abs=1e-14)


def test_loss_matches_hand_written_bptt() -> None:
    assert hello_rnn_example().loss == pytest.approx(reference_bptt()["loss"], rel=1e-13)
