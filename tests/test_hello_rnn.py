"""Worked example 2 against a hand-written BPTT in plain Python (min-char-rnn's algebra)."""

from __future__ import annotations

import math

import pytest

from lecture.hello_rnn import HELLO_WHH, HELLO_WHY, HELLO_WXH, hello_rnn_example


def matvec(m: list[list[float]], v: list[float]) -> list[float]:
    return [sum(a * b for a, b in zip(row, v)) for row in m]


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
        z = sum(math.exp(v) for v in ys[t])
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
        dh = [sum(HELLO_WHY[j][k] * dy[j] for j in range(V)) + dh_next[k] for k in range(H)]
        draw = [(1 - hs[t][k] ** 2) * dh[k] for k in range(H)]
        for k in range(H):
            dbh[k] += draw[k]
            dWxh[k][inputs[t]] += draw[k]
            for m in range(H):
                dWhh[k][m] += draw[k] * hs[t - 1][m]
        dh_next = [sum(HELLO_WHH[k][m] * draw[k] for k in range(H)) for m in range(H)]
    return {"hidden": [hs[t] for t in range(4)], "logits": [ys[t] for t in range(4)],
            "probabilities": [ps[t] for t in range(4)], "loss": loss,
            "dWxh": dWxh, "dWhh": dWhh, "dWhy": dWhy, "dbh": dbh, "dby": dby}


def flat(x) -> list[float]:
    return [v for item in x for v in (flat(item) if isinstance(item, list) else [item])]


def test_tutorial_notebook_numbers() -> None:
    r = hello_rnn_example()
    assert [round(v, 4) for v in r.hidden[0]] == [0.5370, 0.1974, 0.7163]
    assert [round(v, 4) for v in r.logits[0]] == [0.8561, 0.4531, 0.5715, 0.4834]


@pytest.mark.parametrize("name", ["hidden", "logits", "probabilities", "dWxh", "dWhh", "dWhy", "dbh", "dby"])
def test_matches_hand_written_bptt(name: str) -> None:
    ours = flat(getattr(hello_rnn_example(), name))
    expected = flat(reference_bptt()[name])
    assert len(ours) == len(expected)
    assert ours == pytest.approx(expected, rel=1e-12, abs=1e-14)


def test_loss_matches_hand_written_bptt() -> None:
    assert hello_rnn_example().loss == pytest.approx(reference_bptt()["loss"], rel=1e-13)
