"""Module conventions and JSON save/load: exact round trips, all-or-nothing errors."""

from __future__ import annotations

import json

import pytest

from nn import MLP, SGD, Adam, CharModel
from nn.serialization import load, save


def test_named_parameters_are_hierarchical_and_complete() -> None:
    model = MLP(3, [2, 2], seed=1)
    names = [n for n, _ in model.named_parameters()]
    assert names[:5] == ["layers.0.neurons.0.b", "layers.0.neurons.0.w.0", "layers.0.neurons.0.w.1",
                         "layers.0.neurons.0.w.2", "layers.0.neurons.1.b"]
    assert len(names) == model.num_parameters() == (3 + 1) * 2 + (2 + 1) * 2
    assert len(set(names)) == len(names)
    rnn = CharModel(5, 3, cell="lstm", seed=0)
    rnn_names = dict(rnn.named_parameters())
    assert "cell.W_f.2.7" in rnn_names and "head.Why" not in rnn_names and "head.W.4.2" in rnn_names
    assert rnn_names["cell.b_f.0"].data == 1.0


def test_zero_grad_and_same_seed_same_model() -> None:
    a, b = MLP(2, [4, 1], seed=7), MLP(2, [4, 1], seed=7)
    assert a.state_dict() == b.state_dict()
    assert a.state_dict() != MLP(2, [4, 1], seed=8).state_dict()
    a([1.0, 2.0]).backward()
    assert any(p.grad != 0.0 for p in a.parameters())
    a.zero_grad()
    assert all(p.grad == 0.0 for p in a.parameters())


def test_save_load_round_trips_every_float_exactly(tmp_path) -> None:
    model = MLP(3, [5, 2], seed=3)
    for p in model.parameters():
        p.data = p.data / 3.0 + 1e-17  # digits that a short decimal format would lose
    optimizer = Adam(model.parameters(), lr=0.01)
    model([0.1, 0.2, 0.3])[0].backward()
    optimizer.step()
    path = save(model, tmp_path / "model.json", optimizer)
    fresh = MLP(3, [5, 2], seed=99)
    fresh_opt = Adam(fresh.parameters(), lr=0.5)
    load(fresh, path, fresh_opt)
    assert fresh.state_dict() == model.state_dict()
    assert fresh_opt.state_dict() == optimizer.state_dict()


def _saved(tmp_path, model) -> dict:
    save(model, tmp_path / "m.json")
    return json.loads((tmp_path / "m.json").read_text())


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["parameters"].pop("layers.0.neurons.0.b"), "missing parameter 'layers.0.neurons.0.b'"),
        (lambda d: d["parameters"].__setitem__("layers.9.w", 1.0), "unexpected entry 'layers.9.w'"),
        (lambda d: d["parameters"].__setitem__("layers.0.neurons.0.b", "x"), "'layers.0.neurons.0.b'"),
        (lambda d: d.__setitem__("model", "LSTMCell"), "holds a 'LSTMCell'"),
        (lambda d: d.__setitem__("format", "other"), "not a valuegrad state file"),
    ],
)
def test_bad_files_name_the_entry_and_leave_the_model_unchanged(tmp_path, mutate, message) -> None:
    model = MLP(2, [2, 1], seed=1)
    document = _saved(tmp_path, model)
    mutate(document)
    (tmp_path / "bad.json").write_text(json.dumps(document))
    target = MLP(2, [2, 1], seed=2)
    before = target.state_dict()
    with pytest.raises((ValueError, TypeError), match=message):
        load(target, tmp_path / "bad.json")
    assert target.state_dict() == before


def test_corrupt_and_binary_files(tmp_path) -> None:
    model = MLP(2, [1], seed=0)
    (tmp_path / "torn.json").write_text('{"format": "valuegrad-state", "param')
    with pytest.raises(ValueError, match="corrupt JSON"):
        load(model, tmp_path / "torn.json")
    (tmp_path / "bin.json").write_bytes(b"\xff\xfe\x00binary")
    with pytest.raises(ValueError, match="not UTF-8"):
        load(model, tmp_path / "bin.json")
    with pytest.raises(FileNotFoundError):
        load(model, tmp_path / "absent.json")


def test_failed_save_keeps_the_previous_file(tmp_path) -> None:
    model = MLP(2, [1], seed=0)
    path = save(model, tmp_path / "keep.json")
    good = path.read_text()
    model.parameters()[0].data = float("nan")  # bypasses Value's check on purpose
    with pytest.raises(ValueError):
        save(model, path)
    assert path.read_text() == good
    assert [p.name for p in tmp_path.iterdir()] == ["keep.json"]


def test_optimizer_state_for_another_optimizer_is_refused(tmp_path) -> None:
    model = MLP(2, [1], seed=0)
    save(model, tmp_path / "m.json", SGD(model.parameters(), lr=0.1))
    with pytest.raises(ValueError, match="'SGD', not Adam"):
        load(model, tmp_path / "m.json", Adam(model.parameters()))


def test_a_user_module_defines_forward_and_gets_the_rest() -> None:
    from autograd import Value
    from nn import Linear, Module

    class Affine(Module):
        def __init__(self) -> None:
            self.scale = Value(2.0)
            self.inner = Linear(2, 1, seed=0)

        def forward(self, x):
            return self.inner(x)[0] * self.scale

    model = Affine()
    assert [n for n, _ in model.named_parameters()] == ["scale", "inner.W.0.0", "inner.W.0.1", "inner.b.0"]
    out = model([1.0, 2.0])
    w = model.inner.W[0]
    assert out.data == pytest.approx(2.0 * (w[0].data + 2.0 * w[1].data))
    with pytest.raises(NotImplementedError, match="Module does not define forward"):
        Module()()


def test_saving_is_reachable_as_the_readme_writes_it(tmp_path) -> None:
    # The README's step 5 says `nn.serialization.save(model, "model.json", optimizer)`; after a bare `import nn`
    # (no `import nn.serialization`) that was an AttributeError. A fresh interpreter, so no other test's import helps.
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    script = ("import nn\n"
              "m = nn.MLP(2, [3, 1], seed=1); o = nn.Adam(m.parameters(), lr=0.1)\n"
              "nn.serialization.save(m, 'model.json', o)\n"
              "n = nn.MLP(2, [3, 1], seed=2); nn.serialization.load(n, 'model.json', nn.Adam(n.parameters(), lr=0.1))\n"
              "print([p.data for p in n.parameters()] == [p.data for p in m.parameters()])\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env={"PYTHONPATH": str(root)},
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "True\n"
