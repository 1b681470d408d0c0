"""Hostile input, round 19: examples, lecture functions, viz files, the torch bridge, engine arguments.

Each test failed (a damaged file, a deep traceback, a silent wrong answer, a hang) before its fix.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import needs_svg

from autograd import Value

ROOT = Path(__file__).resolve().parent.parent


def run_python(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter with the project importable."""
    env = {"PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1", "PATH": ""}  # no .pyc cut short by a limit
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120, check=False)


# --- a picture, DOT or chart write that fails part-way must leave the old file as it was ---------------------

#: The write runs under a 1,000-byte file-size limit (as a full disk would stop it): every new file is larger.
FAILING_WRITE = """
    import resource, signal
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write then fails with EFBIG instead of killing us
    from autograd import Value
    from viz import draw_graph
    from viz.charts import loss_curve
    x = Value(2.0, label="x")
    y = (x * x + 3 * x).tanh()
    y.backward()
    graph = draw_graph(y)
    graph.pipe()  # Graphviz itself loaded before the limit: only the file writes run under it
    resource.setrlimit(resource.RLIMIT_FSIZE, (1000, resource.RLIM_INFINITY))
    try:
        {call}
    except OSError as err:
        print("refused:", err)
    else:
        print("written")
"""


@needs_svg  # the script draws a picture first (on Python 3.10 only a system Graphviz can)
@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
@pytest.mark.parametrize(("call", "files"), [
    ("graph.save_picture('picture')", ["picture.dot", "picture.svg"]),
    ("graph.render('picture.gv')", ["picture.gv", "picture.gv.svg"]),
    ("graph.save('picture.gv')", ["picture.gv"]),
    ("loss_curve([3.0, 2.0, 1.5, 1.0] * 50, 'curve.svg')", ["curve.svg"]),
])
def test_a_failing_write_leaves_the_old_files_intact(tmp_path: Path, call: str, files: list[str]) -> None:
    for name in files:
        (tmp_path / name).write_text(f"the user's old {name}\n")
    done = run_python(FAILING_WRITE.format(call=call), tmp_path)
    assert "refused:" in done.stdout, done.stdout + done.stderr
    for name in files:
        assert (tmp_path / name).read_text() == f"the user's old {name}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(files)  # no temporary file left behind


def test_an_interrupted_picture_write_leaves_the_old_picture(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import viz.render
    from viz import draw_graph

    (tmp_path / "picture.svg").write_text("old picture\n")
    (tmp_path / "picture.dot").write_text("old source\n")
    x = Value(1.0)
    graph = draw_graph(x * 2)

    def interrupted(_source: str, _format: str) -> bytes:
        raise KeyboardInterrupt

    monkeypatch.setattr(viz.render, "render_source", interrupted)
    with pytest.raises(KeyboardInterrupt):
        graph.save_picture(str(tmp_path / "picture"))
    assert (tmp_path / "picture.svg").read_text() == "old picture\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["picture.dot", "picture.svg"]


@needs_svg
def test_pictures_still_write_new_files_and_keep_an_old_files_mode(tmp_path: Path) -> None:
    from viz import draw_graph

    old = tmp_path / "picture.svg"
    old.write_text("old\n")
    old.chmod(0o640)
    x = Value(1.0)
    written = Path(draw_graph(x * 2).save_picture(str(tmp_path / "picture")))
    assert written == old and old.read_text().lstrip().startswith(("<?xml", "<svg"))
    assert (tmp_path / "picture.dot").read_text().startswith("digraph")
    assert old.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["picture.dot", "picture.svg"]


def test_a_picture_under_a_file_names_the_file_in_the_way(tmp_path: Path) -> None:
    from viz import draw_graph
    from viz.charts import loss_curve

    (tmp_path / "notes").write_text("mine\n")
    graph = draw_graph(Value(1.0) * 2)
    # was FileExistsError: [Errno 17] File exists: 'notes', from pathlib's mkdir
    with pytest.raises(NotADirectoryError, match="notes is a file, not a folder"):
        graph.save_picture(str(tmp_path / "notes" / "picture"))
    with pytest.raises(NotADirectoryError, match="notes is a file, not a folder"):
        loss_curve([2.0, 1.0], tmp_path / "notes" / "deeper" / "curve.svg")
    assert (tmp_path / "notes").read_text() == "mine\n"


# --- the examples' output names: a folder, a file in the way or a FIFO is one line, not a traceback -----------

def run_example(script: str, args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``examples/script`` with ``args`` in ``cwd``."""
    return subprocess.run([sys.executable, str(ROOT / "examples" / script), *args], cwd=cwd,
                          env={"PYTHONPATH": str(ROOT), "PATH": ""}, capture_output=True, text=True, timeout=300,
                          check=False)


@pytest.mark.parametrize(("script", "args", "message"), [
    ("torch_style_training.py", ["--epochs", "1", "--out", "folder"], "argument --out: folder is a folder"),
    ("torch_style_training.py", ["--epochs", "1", "--out", "notes/x.json"], "argument --out: notes is a file"),
    ("torch_style_training.py", ["--epochs", "1", "--out", "missing/x.json"],
     "argument --out: folder missing does not exist"),
    ("draw_a_graph.py", ["--out", "notes/x"], "notes is a file, not a folder"),
])
def test_the_examples_name_an_output_they_cannot_write_in_one_line(tmp_path: Path, script: str, args: list[str],
                                                                   message: str) -> None:
    (tmp_path / "folder").mkdir()
    (tmp_path / "notes").write_text("mine\n")
    done = run_example(script, args, tmp_path)
    assert done.returncode in (1, 2), done.stderr
    assert message in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert len(done.stderr.strip().splitlines()[-1]) < 300
    assert (tmp_path / "notes").read_text() == "mine\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder", "notes"]
    assert list((tmp_path / "folder").iterdir()) == []


@pytest.mark.skipif(sys.platform == "win32", reason="FIFOs are POSIX")
def test_draw_a_graph_refuses_a_fifo_in_one_line(tmp_path: Path) -> None:
    import os

    os.mkfifo(tmp_path / "graph.svg")
    done = run_example("draw_a_graph.py", ["--out", "graph"], tmp_path)
    assert done.returncode == 1
    assert "graph.svg: it is not a regular file" in done.stderr and "Traceback" not in done.stderr, done.stderr


# --- the torch bridge: bad tensors in a state or a module are named, never indexed blindly -----------------

def _torch_sgd_state() -> tuple:
    """An MLP, its torch twin, our SGD with momentum and a torch SGD that has taken one step."""
    torch = pytest.importorskip("torch")
    import nn
    from nn.torch_bridge import to_torch

    model = nn.MLP(2, [3, 1], seed=0)
    module = to_torch(model)
    theirs = torch.optim.SGD(module.parameters(), lr=0.1, momentum=0.9)
    module(torch.ones(1, 2, dtype=torch.float64)).sum().backward()
    theirs.step()
    return model, module, nn.SGD(model.parameters(), lr=0.1, momentum=0.9), theirs


def _edited(theirs, edit):  # type: ignore[no-untyped-def]
    import copy

    state = copy.deepcopy(theirs.state_dict())
    edit(state)
    return state


@pytest.mark.parametrize(("edit", "error", "message"), [
    (lambda s: s["state"][0].update(momentum_buffer=__import__("torch").zeros(7, dtype=__import__("torch").float64)),
     ValueError, r"momentum_buffer of torch's 0\.weight has shape \(7,\), not the parameter's \(3, 2\)"),
    (lambda s: s["state"][0].update(momentum_buffer=__import__("torch").zeros(9, 9)),  # was read silently
     ValueError, r"momentum_buffer of torch's 0\.weight has shape \(9, 9\), not the parameter's \(3, 2\)"),
    (lambda s: s["state"][0].update(momentum_buffer="x"), TypeError,
     r"momentum_buffer of torch's 0\.weight must be a tensor, got str"),
    (lambda s: s["state"][0].update(momentum_buffer=[[0.0, 0.0]] * 3), TypeError,
     r"momentum_buffer of torch's 0\.weight must be a tensor, got list"),
    (lambda s: s["state"][0]["momentum_buffer"].fill_(float("nan")), ValueError,
     r"momentum_buffer of torch's 0\.weight\[0, 0\] is nan, not a finite number"),  # was "hold different"
    (lambda s: s["state"].update({0: "x"}), TypeError, r"state\[0\] must be a dict of tensors, got str"),
    (lambda s: s.update(state=[]), TypeError, r"torch_state\['state'\] must be a dict, got list"),
])
def test_a_torch_optimizer_state_with_a_bad_buffer_is_named(edit, error: type, message: str) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("torch")  # the bridge needs PyTorch: skipped where it is absent
    from nn.torch_bridge import optimizer_state_from_torch

    model, module, ours, theirs = _torch_sgd_state()
    with pytest.raises(error, match=message):
        optimizer_state_from_torch(_edited(theirs, edit), ours, model, module)


@pytest.mark.parametrize(("step", "error", "message"), [
    ("x", TypeError, r"step of torch's 0\.weight must be a number or a one-element tensor, got str"),
    (float("nan"), ValueError, r"step of torch's 0\.weight must be a whole number >= 0, got nan"),
    (1.5, ValueError, r"step of torch's 0\.weight must be a whole number >= 0, got 1\.5"),  # was truncated to 1
    (-1.0, ValueError, r"step of torch's 0\.weight must be a whole number >= 0, got -1\.0"),
])
def test_a_torch_adam_step_that_is_no_count_is_named(step: object, error: type, message: str) -> None:
    torch = pytest.importorskip("torch")
    import nn
    from nn.torch_bridge import optimizer_state_from_torch, to_torch

    model = nn.MLP(2, [3, 1], seed=0)
    module = to_torch(model)
    theirs = torch.optim.Adam(module.parameters(), lr=0.1)
    module(torch.ones(1, 2, dtype=torch.float64)).sum().backward()
    theirs.step()
    state = _edited(theirs, lambda s: s["state"][0].update(step=torch.tensor(step) if isinstance(step, float)
                                                           else step))
    with pytest.raises(error, match=message):
        optimizer_state_from_torch(state, nn.Adam(model.parameters(), lr=0.1), model, module)


def test_the_torch_state_of_a_good_step_still_crosses_exactly() -> None:
    pytest.importorskip("torch")  # the bridge needs PyTorch: skipped where it is absent
    from nn.torch_bridge import optimizer_state_from_torch

    model, module, ours, theirs = _torch_sgd_state()
    ours.load_state_dict(optimizer_state_from_torch(theirs.state_dict(), ours, model, module))
    buffer = theirs.state_dict()["state"][0]["momentum_buffer"]
    velocity = ours.state_dict()["buffers"]["velocity"]
    assert float(buffer[0, 0]) in velocity and float(buffer[2, 1]) in velocity


@pytest.mark.parametrize("module", [None, "mlp", 3])
def test_the_optimizer_state_functions_name_a_module_that_is_not_one(module: object) -> None:
    pytest.importorskip("torch")
    import nn
    from nn.torch_bridge import optimizer_state_from_torch, optimizer_state_to_torch

    model = nn.MLP(2, [3, 1], seed=0)
    optimizer = nn.SGD(model.parameters(), lr=0.1)
    with pytest.raises(TypeError, match="torch.nn.Module"):  # was AttributeError: no 'named_parameters'
        optimizer_state_to_torch(optimizer, model, module)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="torch.nn.Module"):
        optimizer_state_from_torch({"state": {}, "param_groups": []}, optimizer, model, module)  # type: ignore[arg-type]


@pytest.mark.parametrize("dtype_name", ["float32", "float16", "bfloat16"])
def test_to_torch_refuses_a_weight_its_dtype_cannot_hold(dtype_name: str) -> None:
    torch = pytest.importorskip("torch")
    import nn
    from nn.torch_bridge import to_torch

    model = nn.MLP(2, [3, 1], seed=0)
    model.parameters()[4].data = 1e300  # finite in float64; inf in each smaller dtype (was copied as inf)
    with pytest.raises(OverflowError, match=rf"1e\+300 .* does not fit in torch.{dtype_name}"):
        to_torch(model, getattr(torch, dtype_name))
    model.parameters()[4].data = 1.0e4
    assert float(to_torch(model, torch.float16).state_dict()["0.weight"].max()) == 1.0e4  # what fits still goes


def test_from_torch_names_a_parameter_of_the_wrong_shape() -> None:
    torch = pytest.importorskip("torch")
    from nn.torch_bridge import from_torch

    layer = torch.nn.Linear(2, 3)
    layer.weight = torch.nn.Parameter(torch.zeros(3, 2, 2))  # was TypeError: float() argument ... 'list'
    with pytest.raises(ValueError, match=r"parameter weight has shape \(3, 2, 2\); the Linear 2 -> 3 needs \(3, 2\)"):
        from_torch(layer)
    sequential = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Tanh(), torch.nn.Linear(3, 1))
    sequential[2].bias = torch.nn.Parameter(torch.zeros(4))  # was silently cut to its first entry
    with pytest.raises(ValueError, match=r"parameter 2\.bias has shape \(4,\); the MLP .* needs \(1,\)"):
        from_torch(sequential)


# --- flags of backward() and grad() that are no flags: torch's TypeError, not a silent truthiness ------------

@pytest.mark.parametrize("bad", ["yes", None, 0.0, [True]])
def test_create_graph_that_is_no_flag_is_refused_as_torch_does(bad: object) -> None:
    from autograd import grad

    x = Value(2.0)
    y = x * x
    with pytest.raises(TypeError, match=rf"backward\(\): create_graph must be True or False, got {type(bad).__name__}"):
        y.backward(create_graph=bad)  # type: ignore[arg-type]
    assert x.grad == 0.0  # refused before anything accumulated
    with pytest.raises(TypeError, match=rf"grad: create_graph must be True or False, got {type(bad).__name__}"):
        grad(y, [x], create_graph=bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=rf"grad: allow_unused must be True or False, got {type(bad).__name__}"):
        grad(y, [x], allow_unused=bad)  # type: ignore[arg-type]


def test_grad_takes_torchs_retain_graph_and_integer_flags() -> None:
    from autograd import grad

    x = Value(3.0)
    y = x * x * x
    (first,) = grad(y, [x], retain_graph=True, create_graph=1)  # torch.autograd.grad takes both
    assert first.data == 27.0 and not first.is_leaf  # 3 x^2, recorded as a graph
    y.backward(create_graph=0)
    assert x.grad == 27.0
    with pytest.raises(TypeError, match="grad: retain_graph must be True, False or None, got str"):
        grad(y, [x], retain_graph="yes")  # type: ignore[arg-type]


# --- lecture functions: wrong types, shapes and sizes are named, never a silent answer or a hang ------------

def test_largest_difference_refuses_matrices_of_different_shapes() -> None:
    from lecture.bptt_slides import largest_difference

    assert largest_difference([[1.0, 2.0]], [[1.5, 1.0]]) == 1.0
    with pytest.raises(ValueError, match=r"shapes differ: 1x1 and 1x2"):  # was 0.0: "the formulas agree"
        largest_difference([[1.0]], [[1.0, 2.0]])
    with pytest.raises(ValueError, match=r"shapes differ: 2x1 and 1x1"):
        largest_difference([[1.0], [5.0]], [[1.0]])
    with pytest.raises(ValueError, match="no entries"):  # was max() arg is an empty sequence
        largest_difference([], [])
    with pytest.raises(ValueError, match=r"entry \[0\]\[0\] is nan"):  # was nan
        largest_difference([[float("nan")]], [[1.0]])


def test_the_third_bptt_slide_is_reported_as_of_another_shape_not_by_a_partial_difference() -> None:
    from lecture.bptt_slides import bptt_slides_report

    # Its terms sum to dL3/dWxh (3 units x 4 letters); it is set against dL3/dWhh (3 x 3). The old line gave the
    # "largest difference" of the common 3x3 part, 8.8e-02: a figure about nothing.
    third = bptt_slides_report().text().splitlines()[3]
    assert third.startswith("  3rd BPTT slide") and "shapes differ: 3x4 against 3x3  DIFFERS" in third


@pytest.mark.parametrize(("args", "error", "message"), [
    (([[1.0, 2.0]], ["a", "b"], ["x"]), ValueError, r"2 row names for 1 rows"),
    (([[1.0, 2.0]], ["a"], ["x"]), ValueError, r"row 0 has 2 numbers for 1 column names"),  # was cut silently
    (([[float("nan")]], ["a"], ["x"]), ValueError, r"row 0, column 0 is nan"),
    (([[1.0]], ["a"], ["x"], -1), ValueError, r"decimals must be a whole number in 0\.\.17, got -1"),
    (([[1.0]], ["a"], ["x"], 10**9), ValueError, r"decimals must be a whole number in 0\.\.17"),  # 21 s, 1 GB
    (([[1.0]], ["a"], ["x"], 2.5), ValueError, r"decimals must be a whole number in 0\.\.17, got 2\.5"),
    (([[1.0]], ["a"], ["x"], True), ValueError, r"decimals must be a whole number in 0\.\.17, got True"),
    (([["a"]], ["a"], ["x"]), TypeError, r"row 0, column 0 must be a real number, got str"),
])
def test_number_table_names_a_table_it_cannot_print(args: tuple, error: type, message: str) -> None:
    from lecture.hello_rnn import number_table

    with pytest.raises(error, match=message):
        number_table(*args)


def test_number_table_still_prints_a_table() -> None:
    from lecture.hello_rnn import number_table

    # 8 characters of row names, then columns of decimals + 4 characters
    assert number_table([[1.0, -0.5]], ["h"], ["a", "b"], decimals=2).splitlines() == [
        " " * 13 + "a     b", "h         1.00 -0.50"]
    assert number_table([], [], ["a"]) == " " * 15 + "a"


@pytest.mark.parametrize(("x", "error", "message"), [
    ("a", TypeError, "x must be a real number, got str"),  # was float()'s ValueError
    (None, TypeError, "x must be a real number, got NoneType"),
    (True, TypeError, "x must be a real number, got bool"),  # was tanh(1.0)
    (10**400, OverflowError, "an int of 401 digits is too large for a float"),  # was "int too large to convert"
])
def test_tanh_derivatives_name_a_point_that_is_no_number(x: object, error: type, message: str) -> None:
    from lecture.tanh_derivatives import tanh_derivative_curves, tanh_derivatives_at

    with pytest.raises(error, match=message):
        tanh_derivatives_at(x)  # type: ignore[arg-type]
    with pytest.raises(error, match=message):
        tanh_derivative_curves([0.0, x])  # type: ignore[list-item]


def test_tanh_derivative_curves_refuse_more_points_than_the_limit_before_reading_them() -> None:
    from lecture.tanh_derivatives import MAX_POINTS, tanh_derivative_curves

    with pytest.raises(ValueError, match=rf"at most {MAX_POINTS:,} points, got 1,000,000,000"):
        tanh_derivative_curves(range(10**9))  # was a list of 10^9 floats: the process was killed for memory
    with pytest.raises(ValueError, match=rf"at most {MAX_POINTS:,} points"):
        tanh_derivative_curves(float(i) for i in range(10**12))  # no len(): counted up to the limit only
    assert len(tanh_derivative_curves(iter([0.0, 1.0]), order=1).curves[1]) == 2


@pytest.mark.parametrize(("call", "error", "message"), [
    (lambda m: __import__("lecture.slides_mlp").slides_mlp.row_graph(m, 1.0), TypeError,
     r"row r must be a whole number, got float 1\.0"),  # was list indices must be integers
    (lambda m: __import__("lecture.slides_mlp").slides_mlp.row_graph(m, True), TypeError,
     r"row r must be a whole number, got bool True"),  # was row 1
    (lambda m: __import__("lecture.mlp_hessian").mlp_hessian.slide_weight(m, True, 1), TypeError,
     r"w1\[i,k\]: i and k must be whole numbers, got bool True and int 1"),  # was w1[1,1]
    (lambda m: __import__("lecture.mlp_hessian").mlp_hessian.slide_weight(m, 1, 1.0), TypeError,
     r"w1\[i,k\]: i and k must be whole numbers, got int 1 and float 1\.0"),
])
def test_the_slides_indices_must_be_whole_numbers(call, error: type, message: str) -> None:  # type: ignore[no-untyped-def]
    from lecture.slides_mlp import slides_network

    with pytest.raises(error, match=message):
        call(slides_network())


@pytest.mark.parametrize("step", [0.0, -1e-3, float("nan"), "0.1"])
def test_central_difference_hessian_names_a_step_that_is_no_step(step: object) -> None:
    from lecture.mlp_hessian import central_difference_hessian

    error = TypeError if isinstance(step, str) else ValueError
    with pytest.raises(error, match="step must be a positive finite number"):  # 0.0 was ZeroDivisionError
        central_difference_hessian(step=step)  # type: ignore[arg-type]


# --- bench scripts: sizes outside what they can run are usage errors ------------------------------------------

@pytest.mark.parametrize(("script", "args", "message"), [
    ("bench_eager_scaling.py", ["--max", "0"], "--max must be at least 1,000 (the smallest size), got 0"),  # max() []
    ("bench_eager_scaling.py", ["--max", "-5"], "--max must be at least 1,000 (the smallest size), got -5"),
    ("bench_batch_widths.py", ["--widths", "99999999999"], "--widths must be at most 256, got 99999999999"),  # hung
    ("bench_batch_widths.py", ["--rounds", "10000000000"], "--rounds must be at most 10,000"),
    ("bench_vs_micrograd.py", ["--rounds", "10000000000"], "--rounds must be at most 10,000"),
])
def test_bench_scripts_refuse_sizes_they_cannot_run(tmp_path: Path, script: str, args: list[str],
                                                    message: str) -> None:
    done = subprocess.run([sys.executable, str(ROOT / "bench" / script), *args], cwd=tmp_path,
                          env={"PYTHONPATH": str(ROOT), "PATH": ""}, capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode in (1, 2)
    assert message in done.stderr and "Traceback" not in done.stderr, done.stderr


# --- a file the user made read-only is not replaced by a save (open() for writing would refuse it) ----------

def _make_read_only_and_save(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, save_to) -> None:  # type: ignore[no-untyped-def]
    import os

    target = tmp_path / "kept.json"
    target.write_text("the user's protected file\n")
    target.chmod(0o444)
    if os.geteuid() == 0:  # root may write anything: answer as the file's permission bits would for its owner
        real_access = os.access
        monkeypatch.setattr(os, "access", lambda path, mode, **kw: (
            not (mode & os.W_OK and Path(path).exists() and not Path(path).stat().st_mode & 0o200)
            and real_access(path, mode, **kw)))
    with pytest.raises(PermissionError, match="kept.json.*read-only"):
        save_to(target)
    assert target.read_text() == "the user's protected file\n"
    assert [p.name for p in tmp_path.iterdir()] == ["kept.json"]


def test_save_refuses_to_replace_a_read_only_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import nn
    from nn.serialization import save

    _make_read_only_and_save(tmp_path, monkeypatch, lambda target: save(nn.MLP(2, [1], seed=0), target))


def test_a_picture_refuses_to_replace_a_read_only_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from viz.file_writing import write_bytes_atomically

    _make_read_only_and_save(tmp_path, monkeypatch, lambda target: write_bytes_atomically(target, b"new"))


# --- schedulers: an int too large for a float is named (was "int too large to convert to float") -----------

def test_a_scheduler_names_an_int_factor_too_large_for_a_float() -> None:
    import nn
    from nn.optim.lr_scheduler import LambdaLR, StepLR

    model = nn.MLP(2, [1], seed=0)
    with pytest.raises(OverflowError, match=r"gamma: a number of 401 digits is too large for a float"):
        StepLR(nn.SGD(model.parameters(), lr=0.1), step_size=1, gamma=10**400)
    with pytest.raises(OverflowError, match=r"lr_lambda for param_groups\[0\] returned a number of 401 digits at "
                                            r"epoch 0: too large for a float"):
        LambdaLR(nn.SGD(model.parameters(), lr=0.1), lambda epoch: 10**400)
    assert LambdaLR(nn.SGD(model.parameters(), lr=0.1), lambda epoch: 3).get_last_lr() == [0.1 * 3]


# --- record(): its arguments are named at the entry point ----------------------------------------------------

@pytest.mark.parametrize(("kwargs", "error", "message"), [
    ({"example": None}, TypeError, r"record: example must be a sequence of numbers \(one per input\), got NoneType"),
    ({"example": "ab"}, TypeError, r"record: example must be a sequence of numbers \(one per input\), got str"),
    ({"constants": None}, TypeError, r"record: constants must be a list of Values, got NoneType"),  # "Value after *"
    ({"constants": Value(1.0)}, TypeError, r"record: constants must be a list of Values, got Value"),
    ({"vectorize": "yes"}, TypeError, r"record: vectorize must be True, False or None, got str"),  # was accepted
])
def test_record_names_a_bad_argument(kwargs: dict, error: type, message: str) -> None:
    import nn
    from autograd.replay import record

    model = nn.MLP(2, [3, 1], seed=0)
    arguments = {"example": [1.0, 2.0], "parameters": model.parameters(), **kwargs}
    with pytest.raises(error, match=message):
        record(lambda a, b: model([a, b]), **arguments)
    tape = record(lambda a, b: model([a, b]), example=(x for x in [1.0, 2.0]), parameters=model.parameters(),
                  constants=(), vectorize=None)
    assert tape.run([1.0, 2.0]) == model([1.0, 2.0]).data  # the same network, replayed


# --- backward_steps: one snapshot of every gradient per step is quadratic; a large graph is refused first ----

def test_backward_steps_refuses_a_graph_past_its_limit_before_copying_anything() -> None:
    from viz import GraphTooLarge, backward_steps

    x = Value(1.0)
    y = x
    for _ in range(20_000):  # 40,000 steps: 800 million snapshot entries, killed for memory
        y = y * 1.0 + 0.0
    with pytest.raises(GraphTooLarge, match=r"40,000 steps, over the limit of 1,000: .* raise max_steps"):
        backward_steps(y)
    with pytest.raises(TypeError, match="max_steps must be an integer, got str"):
        backward_steps(x * 2, max_steps="9")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="backward_steps needs a Value, got float"):
        backward_steps(2.0)  # type: ignore[arg-type]
    z = x * 3.0 + x
    steps = backward_steps(z, max_steps=2)  # exactly at the limit: add, then mul
    assert steps[-1].gradients[x] == 4.0  # dz/dx = 3 + 1


# --- the vanishing-gradient chart names series that do not fit its steps -----------------------------------

@pytest.mark.parametrize(("steps", "norms", "error", "message"), [
    ([1, 2], {"rnn": [1.0]}, ValueError, r"norms\['rnn'\] has 1 values for 2 steps"),  # matplotlib's shapes (2,) (1,)
    ([1, 2], {"rnn": [1.0, float("nan")]}, ValueError, r"norms\['rnn'\] 1 is nan"),  # was drawn as a gap
    ([1, 2], {"rnn": [1.0, -1.0]}, ValueError, r"norms\['rnn'\] 1 is -1\.0: a norm is >= 0"),  # off the log axis
    ([1, 2], [[1.0, 1.0]], TypeError, r"norms must be a mapping of cell kind to values, got list"),  # AttributeError
    ([], {}, ValueError, "no steps to plot"),  # was an empty chart
    (["a", "b"], {"rnn": [1.0, 1.0]}, TypeError, r"step 0 must be a real number, got str"),
])
def test_the_vanishing_gradient_chart_names_bad_series(tmp_path: Path, steps: object, norms: object, error: type,
                                                       message: str) -> None:
    pytest.importorskip("matplotlib")
    from viz.charts import gradient_reach_figure, vanishing_gradient_chart

    with pytest.raises(error, match=message):
        vanishing_gradient_chart(steps, norms, tmp_path / "chart.svg")  # type: ignore[arg-type]
    with pytest.raises(error, match=message):
        gradient_reach_figure(steps, norms, {"rnn": [[1.0, None], [0.5, 1.0]]}, tmp_path / "reach.svg")  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []


# --- grad mode blocks: one block object entered twice, and decorating what is not a function -------------------

def test_one_no_grad_object_entered_twice_restores_recording() -> None:
    from autograd import is_grad_enabled, no_grad

    block = no_grad()  # a module-level block reused by a recursive function enters it while inside it
    with block:
        with block:
            assert not is_grad_enabled()
        assert not is_grad_enabled()
    assert is_grad_enabled()  # was False: the inner enter overwrote the state to restore, so it leaked off
    from autograd import inference_mode, is_inference_mode_enabled

    block = inference_mode()
    with block:
        with block:
            assert is_inference_mode_enabled()
        assert is_inference_mode_enabled()
    assert is_grad_enabled() and not is_inference_mode_enabled()


def test_a_grad_mode_block_exited_without_entering_says_so() -> None:
    from autograd import enable_grad, inference_mode, no_grad

    for block in (no_grad(), enable_grad(), inference_mode()):
        with pytest.raises(RuntimeError, match="exited without being entered"):  # was AttributeError '_previous'
            block.__exit__(None, None, None)


@pytest.mark.parametrize("not_a_function", [5, "f", None])
def test_no_grad_refuses_to_decorate_what_is_not_a_function(not_a_function: object) -> None:
    from autograd import enable_grad, no_grad

    for mode in (no_grad, enable_grad):
        kind = type(not_a_function).__name__
        if not_a_function is not None:  # no_grad(None) is the block itself, as ``no_grad()``
            with pytest.raises(TypeError, match=rf"{mode.__name__} decorates a function, got {kind}"):
                mode(not_a_function)  # type: ignore[call-overload]  # was a wrapper failing only when called
        with pytest.raises(TypeError, match=rf"{mode.__name__} decorates a function, got {kind}"):
            mode()(not_a_function)  # type: ignore[arg-type]
    assert no_grad(int)("3") == 3  # a class is callable: decorated as any function


# --- the torch example's seed and the corpus reader's byte limit ----------------------------------------------

def test_the_torch_example_refuses_a_seed_torch_cannot_take(tmp_path: Path) -> None:
    pytest.importorskip("torch")
    done = run_example("torch_char_lstm.py", ["--seed", "99999999999999999999999", "--out", "out"], tmp_path)
    assert done.returncode == 2  # was a traceback from torch's manual_seed after loading the text
    assert "--seed must be a whole number from -9,223,372,036,854,775,808 to 18,446,744,073,709,551,615" in done.stderr
    assert "Traceback" not in done.stderr and not (tmp_path / "out").exists()


@pytest.mark.parametrize(("max_bytes", "error", "message"), [
    ("5", TypeError, "max_bytes must be a whole number of bytes, got str"),  # was str + int concatenation
    (2.5, TypeError, "max_bytes must be a whole number of bytes, got float"),
    (0, ValueError, "max_bytes must be at least 1, got 0"),  # -1 said "over the -1-byte limit"
])
def test_load_text_file_names_a_bad_byte_limit(tmp_path: Path, max_bytes: object, error: type, message: str) -> None:
    from lecture.corpus import load_text_file

    text = tmp_path / "text.txt"
    text.write_text("hello world\n")
    with pytest.raises(error, match=message):
        load_text_file(text, max_bytes=max_bytes)  # type: ignore[arg-type]
    assert load_text_file(text, max_bytes=12) == "hello world\n"


# --- cross-entropy class weights as an array, and weights that are no sequence --------------------------------

def test_cross_entropy_takes_class_weights_as_an_array_and_names_what_is_none() -> None:
    import math

    import numpy as np

    import nn

    logits, target = [[Value(1.0), Value(2.0)]], [0]
    # weighted mean over one row = that row's -log softmax: log(e^1 + e^2) - 1, whatever the weight
    expected = math.log(math.exp(1.0) + math.exp(2.0)) - 1.0
    for weight in (np.array([3.0, 2.0]), range(3, 5), (3.0, 2.0)):  # the array was "should be defined for all
        assert nn.CrossEntropyLoss(weight=weight)(logits, target).data == pytest.approx(expected, rel=1e-15)
    with pytest.raises(TypeError, match="weight must be a sequence of one number per class, got str"):
        nn.CrossEntropyLoss(weight="ab")(logits, target)  # torch: TypeError (was ValueError)
    with pytest.raises(ValueError, match="weight should be defined either for all 2 classes or no classes"):
        nn.CrossEntropyLoss(weight=np.array([1.0]))(logits, target)


# --- a huge file given to load is refused by its size, before it is read -------------------------------------

def test_load_refuses_a_file_far_larger_than_any_state_of_the_model(tmp_path: Path) -> None:
    import nn
    from nn.serialization import load, save

    model = nn.MLP(2, [3, 1], seed=0)
    huge = tmp_path / "huge.json"
    with open(huge, "wb") as f:
        f.truncate(8 * 2**30)  # 8 GiB of zeros, sparse: reading it whole was a MemoryError or the OOM killer
    before = model.state_dict()
    with pytest.raises(ValueError, match=r"huge\.json: 8,589,934,592 bytes is too large for the state of this MLP "
                                         r"\(13 parameters: at most 1,013,000 bytes\)"):
        load(model, huge)
    assert model.state_dict() == before
    save(model, tmp_path / "good.json", nn.Adam(model.parameters(), lr=0.1))  # a real state is far below it
    assert (tmp_path / "good.json").stat().st_size < 1_013_000
    load(model, tmp_path / "good.json", nn.Adam(model.parameters(), lr=0.1))
