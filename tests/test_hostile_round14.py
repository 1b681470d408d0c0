"""Hostile inputs found by an independent probe (round 14): each one failed before its fix.

- a model too large for memory was allocated until the operating system killed the process;
- a `.grad` set to None (PyTorch's reset) or to a string failed deep inside the backward sweep;
- `apply` with a string for the op, or an n-ary op with no inputs, failed inside the op's code;
  an odd number of inputs to dot silently paired a weight with another weight;
- ``logsumexp([])`` said "softmax";
- a numpy integer class index was refused as "not in 0..n-1" while being in range;
- a generator or numpy array of predictions was treated as one prediction;
- a state file naming a parameter twice loaded whichever came last.
"""

from __future__ import annotations

import json
import math
import random

import pytest
from conftest import needs_svg

from autograd import OPS, Value, apply, gradcheck, gradgradcheck, hvp, log_softmax, logsumexp, softmax, sum_of
from autograd.replay import record
from nn import (
    MLP,
    Layer,
    Linear,
    LSTMCell,
    Neuron,
    RNNCell,
    mean_squared_error,
    sample_index,
    softmax_cross_entropy,
    two_moons,
)
from nn.serialization import load, save

TOO_MANY = 10**12  # parameters: at 170 bytes each, 170 TB, more than any machine this runs on


@pytest.mark.parametrize(
    ("build", "who"),
    [
        (lambda: MLP(2, [TOO_MANY]), "MLP"),
        (lambda: MLP(2, [10**6, 10**6]), "MLP"),  # refused as a whole, before the first layer is built
        (lambda: Layer(TOO_MANY, 1), "Layer"),
        (lambda: Linear(1, TOO_MANY), "Linear"),
        (lambda: Neuron(TOO_MANY), "Neuron"),
        (lambda: RNNCell(1, 10**6), "RNNCell"),
        (lambda: LSTMCell(1, 10**6), "LSTMCell"),
    ],
)
def test_a_model_too_large_for_memory_is_refused_before_allocating(build, who: str) -> None:
    with pytest.raises(MemoryError, match=rf"{who} would have [\d,]+ parameters, .* more than this machine's"):
        build()


def test_the_memory_check_counts_the_parameters_the_model_gets() -> None:
    from nn import checks

    model = MLP(3, [4, 2])
    assert model.num_parameters() == (3 + 1) * 4 + (4 + 1) * 2  # the count the MLP check uses
    memory = checks.physical_memory()
    assert memory is not None and memory > 0


@pytest.mark.parametrize("bad", [None, "0.0", [0.0]])
def test_a_grad_that_is_no_number_is_named_by_backward(bad: object) -> None:
    w = Value(2.0, label="w")
    x = Value(3.0)
    w.grad = bad
    with pytest.raises(TypeError, match=r"backward: \.grad of leaf node 'w' \(data=2\.0\) is \w+ .*not a number.*"
                                        r"p\.grad = 0\.0"):
        (w * x + x).tanh().backward()
    with pytest.raises(TypeError, match=r"\.grad of leaf node 'w'"):
        w.backward()  # a leaf as the root
    with pytest.raises(TypeError, match=r"\.grad of leaf node 'w'"):
        sum_of([w, w * x]).backward()  # a wide node's leaves


def test_a_grad_reset_to_zero_after_the_error_gives_torchs_gradient() -> None:
    w = Value(2.0, label="w")
    w.grad = None
    with pytest.raises(TypeError):
        (w * w).backward()
    w.grad = 0.0
    (w * w).backward()
    assert w.grad == 4.0  # d(w^2)/dw at 2, as torch gives after p.grad = None


def test_replay_names_a_grad_that_is_no_number() -> None:
    w = Value(0.5, label="w")
    tape = record(lambda x: w * x, [1.0], [w])
    w.grad = None
    with pytest.raises(TypeError, match=r"replay: \.grad of leaf node 'w' \(data=0\.5\) is NoneType None"):
        tape.run([2.0])
    with pytest.raises(TypeError, match=r"replay: \.grad of leaf node 'w'"):
        tape.run_many([[2.0]])
    w.grad = 0.0
    tape.run([2.0])
    assert w.grad == 2.0


def test_apply_refuses_what_is_not_an_op_by_name() -> None:
    with pytest.raises(TypeError, match="apply needs an Op .*got str 'tanh'"):
        apply("tanh", Value(1.0))  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["sum", "logsumexp"])  # the empty dot is 0 (tests/test_eager_fast_paths.py)
def test_an_nary_op_with_no_inputs_is_refused_by_name(name: str) -> None:
    with pytest.raises(TypeError, match=f"{name} needs at least one input, got none"):
        apply(OPS[name])


def test_dot_with_an_odd_number_of_inputs_is_refused_not_mispaired() -> None:
    with pytest.raises(TypeError, match="dot needs an even number of inputs .*got 3"):
        apply(OPS["dot"], 1.0, 2.0, 3.0)
    assert apply(OPS["dot"], 1.0, 2.0, 3.0, 4.0).data == 1.0 * 3.0 + 2.0 * 4.0


@pytest.mark.parametrize(("fn", "name"), [(logsumexp, "logsumexp"), (softmax, "softmax"),
                                          (log_softmax, "log_softmax")])
def test_an_empty_list_of_logits_names_the_function_called(fn, name: str) -> None:
    with pytest.raises(ValueError, match=f"^{name}: needs at least one logit"):
        fn([])


def test_a_numpy_integer_class_index_is_an_index() -> None:
    np = pytest.importorskip("numpy")
    logits = [Value(1.0), Value(2.0), Value(0.5)]
    expected = softmax_cross_entropy(logits, 1).data
    labels = np.array([0, 1, 2])
    assert softmax_cross_entropy(logits, labels[1]).data == expected
    with pytest.raises(ValueError, match="class index in 0..2"):
        softmax_cross_entropy(logits, np.int64(3))
    with pytest.raises(ValueError, match="class index in 0..2"):
        softmax_cross_entropy(logits, np.bool_(True))


def test_predictions_from_a_generator_or_an_array_are_each_a_prediction() -> None:
    np = pytest.importorskip("numpy")
    # (1 - 2)^2 + (3 - 1)^2 = 5, mean 2.5 (a generator was one prediction: "unsupported operand type(s)")
    loss = mean_squared_error((Value(x) for x in [1.0, 3.0]), np.array([2.0, 1.0]))
    assert loss.data == 2.5
    with pytest.raises(ValueError, match="2 predictions but 3 targets"):
        mean_squared_error(iter([Value(1.0), Value(2.0)]), [1.0, 2.0, 3.0])
    assert mean_squared_error(Value(1.0), 3.0).data == 4.0  # a single prediction still works


def test_a_state_file_naming_a_parameter_twice_is_refused_and_changes_nothing(tmp_path) -> None:
    model = MLP(2, [3, 1], seed=1)
    path = save(model, tmp_path / "m.json")
    text = path.read_text()
    first = next(iter(json.loads(text)["parameters"]))
    spliced = text.replace('"parameters": {', f'"parameters": {{"{first}": 5.0,', 1)
    (tmp_path / "twice.json").write_text(spliced)
    before = model.state_dict()
    with pytest.raises(ValueError, match=rf"twice\.json: .*entry '{first}' appears twice"):
        load(model, tmp_path / "twice.json")
    assert model.state_dict() == before
    load(model, path)  # the file as saved still loads


@pytest.mark.parametrize("check", [gradcheck, gradgradcheck])
@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        (dict(inputs=["1.5"]), TypeError, "input 0 must be a real number, got str '1.5'"),  # float() took it
        (dict(inputs=[1.0, True]), TypeError, "input 1 must be a real number, got bool True"),
        (dict(inputs=[float("nan")]), ValueError, "input 0 must be finite, got nan"),
        (dict(inputs=[1.0], eps=0.0), ValueError, "eps must be positive, got 0.0"),  # was "float division by zero"
        (dict(inputs=[1.0], eps=float("nan")), ValueError, "eps must be finite, got nan"),  # every row False
        (dict(inputs=[1.0], rtol=-1.0), ValueError, "rtol must be at least 0, got -1.0"),
        (dict(inputs=[1.0], atol="0"), TypeError, "atol must be a real number"),
    ],
)
def test_gradcheck_names_a_bad_point_step_or_tolerance(check, kwargs: dict, error: type, message: str) -> None:
    with pytest.raises(error, match=f"^{check.__name__}: {message}"):
        check(lambda *xs: xs[0] * xs[0] * xs[0], **kwargs)


def test_gradcheck_still_takes_numbers_and_values() -> None:
    assert gradcheck(lambda a, b: a * b * b, [Value(2.0), 3]).ok
    assert gradgradcheck(lambda a, b: a * b * b, [2, 3.0]).ok


def test_hvp_names_a_vector_entry_that_is_no_number() -> None:
    with pytest.raises(TypeError, match="hvp: vector entry 1 must be a real number, got str '1.5'"):
        hvp(lambda a, b: a * b * b, [1.0, 2.0], [1.0, "1.5"])
    with pytest.raises(ValueError, match="hvp: vector entry 1 must be finite, got nan"):
        hvp(lambda a, b: a * b * b, [1.0, 2.0], [1.0, float("nan")])
    # f = a b^2: H = [[0, 2b], [2b, 2a]] = [[0, 4], [4, 2]] at (1, 2); H (1, 2) = (8, 8)
    assert hvp(lambda a, b: a * b * b, [1.0, 2.0], [1, 2]) == (4.0, [8.0, 8.0])


def test_two_moons_past_memory_is_refused_before_the_loop() -> None:
    with pytest.raises(MemoryError, match=r"two_moons would make 1,000,000,000,000 points"):
        two_moons(10**12)
    assert len(two_moons(5)[0]) == 5


@pytest.mark.parametrize(
    ("logits", "temperature", "message"),
    [
        ([1.0, 2.0, 3.0], -1.0, "temperature must be a finite number >= 0, got -1.0"),  # favoured index 0 silently
        ([1.0, 2.0], float("nan"), "temperature must be a finite number >= 0, got nan"),
        ([1.0, 2.0], True, "temperature must be a finite number >= 0, got True"),
        ([], 1.0, "needs at least one logit"),  # was max()'s "arg is an empty sequence"
        ([float("nan"), 1.0], 1.0, "logit 0 is nan, not a finite number"),  # was random's "Total of weights"
        ([1.0, float("inf")], 1.0, "logit 1 is inf, not a finite number"),
    ],
)
def test_sample_index_names_a_bad_temperature_or_logit(logits: list, temperature: float, message: str) -> None:
    with pytest.raises(ValueError, match=f"^sample_index: {message}"):
        sample_index(logits, temperature, random.Random(0))


def test_sample_index_at_a_tiny_temperature_is_the_argmax() -> None:
    # logits / 1e-320 overflow to inf (inf - inf = nan weights: "Total of weights must be finite");
    # the limit of softmax(z / T) as T -> 0 puts all the probability on the largest logit.
    rng = random.Random(0)
    assert [sample_index([1.0, 2.0, 1.5], 1e-320, rng) for _ in range(20)] == [1] * 20
    assert sample_index([-1e308, -9e307], 0.1, rng) == 1  # every z / T is -inf
    with pytest.raises(TypeError, match="rng must be a random.Random, got NoneType None"):
        sample_index([1.0], 1.0, None)  # type: ignore[arg-type]


@needs_svg
def test_render_to_file_takes_the_graph_draw_graph_returns(tmp_path) -> None:
    from viz import draw_graph, render_to_file

    x = Value(2.0, label="x")
    y = (x * x).tanh()
    graph = draw_graph(y)
    # Passing the graph itself failed with "'ValueGraph' object has no attribute 'encode'".
    out = render_to_file(graph, tmp_path / "g", "svg")
    assert (tmp_path / "g.dot").read_text(encoding="utf-8") == graph.source
    assert out.read_bytes() == render_to_file(graph.source, tmp_path / "h", "svg").read_bytes()
    with pytest.raises(TypeError, match="render_to_file needs DOT source text or a graph from draw_graph, got int"):
        render_to_file(3, tmp_path / "i", "svg")  # type: ignore[arg-type]


def test_render_to_file_refuses_an_unknown_format_before_writing_anything(tmp_path) -> None:
    from viz import draw_graph, render_to_file

    with pytest.raises(ValueError, match="unknown picture format 'jpg'"):
        render_to_file(draw_graph(Value(1.0) * 2).source, tmp_path / "g", "jpg")
    assert list(tmp_path.iterdir()) == []  # the .dot file used to be written first


def test_run_batch_names_a_none_in_a_column_as_none() -> None:
    pytest.importorskip("numpy")
    w = Value(0.5)
    tape = record(lambda x: w * x, [1.0], [w])
    # numpy turns None into NaN; the message said only "holds a non-finite number"
    with pytest.raises(ValueError, match="batch column 0 holds a non-finite number: sample 2 is None, not a number"):
        tape.run_batch([[1.0, 2.0, None]])
    with pytest.raises(ValueError, match="sample 1 is inf, not a finite number"):
        tape.run_batch([(1.0, float("inf"))])


def test_a_no_grad_generator_function_runs_its_body_without_recording() -> None:
    # As torch.no_grad: contextlib's decorator covered only the call that makes the generator,
    # so the body ran with the caller's mode and recorded a graph.
    from autograd import is_grad_enabled, no_grad

    @no_grad()
    def steps():
        request = yield (Value(1.0) * 2).is_leaf
        try:
            yield request, is_grad_enabled()
        except KeyError:
            yield "caught", is_grad_enabled()
        return "done"

    it = steps()
    assert next(it) is True  # made under no_grad: a leaf
    assert is_grad_enabled() and not (Value(1.0) * 2).is_leaf  # the caller records between steps
    assert it.send(5) == (5, False)
    assert it.throw(KeyError()) == ("caught", False)
    with pytest.raises(StopIteration) as stop:
        next(it)
    assert stop.value.value == "done"
    assert is_grad_enabled()


def test_no_grad_and_enable_grad_decorate_with_or_without_parentheses() -> None:
    from autograd import enable_grad, is_grad_enabled, no_grad

    @no_grad
    def bare(x: Value) -> bool:
        return (x * 2).is_leaf

    @no_grad()
    def depth(n: int) -> bool:
        return is_grad_enabled() if n == 0 else depth(n - 1)

    @enable_grad
    def recorded(x: Value) -> bool:
        return not (x * 2).is_leaf

    assert bare(Value(1.0)) and bare.__name__ == "bare"
    assert depth(3) is False and is_grad_enabled()  # recursion: each call restores what it found
    with no_grad():
        assert recorded(Value(1.0))
        assert not is_grad_enabled()
    assert is_grad_enabled()


@pytest.mark.parametrize(("base", "exponent"), [(0.0, 0.0), (0.0, 1.0), (0.0, 2.0), (0.0, 3.5), (2.0, 0.0),
                                                (0.5, 2.5)])
def test_value_to_a_value_power_at_base_zero_matches_torch(base: float, exponent: float) -> None:
    """0 ** b for b >= 0 is finite in torch (value, and gradients with the exponent's masked to 0);
    Value ** Value refused every base <= 0 ("needs a positive base")."""
    torch = pytest.importorskip("torch")
    a, b = Value(base), Value(exponent)
    out = a**b
    out.backward()
    ta = torch.tensor(base, dtype=torch.float64, requires_grad=True)
    tb = torch.tensor(exponent, dtype=torch.float64, requires_grad=True)
    tout = ta**tb
    tout.backward()
    assert (out.data, a.grad, b.grad) == (tout.item(), ta.grad.item(), tb.grad.item())


def test_zero_to_a_value_power_follows_torch_in_replay_and_batches() -> None:
    pytest.importorskip("numpy")
    w = Value(0.0, label="w")
    for vectorize in (None, True, False):
        tape = record(lambda x: w**x, [2.0], [w], vectorize=vectorize)
        # d(w^x)/dw = x w^(x-1): 0 at x = 2, 3; 0 at x = 0 (torch's where); w^x = 0, 1, 0
        assert tape.evaluate([2.0]) == (0.0, [0.0])
        assert tape.evaluate([0.0]) == (1.0, [0.0])
        assert tape.evaluate([1.0]) == (0.0, [1.0])
        losses, grads = tape.run_batch([[2.0, 0.0, 1.0]])
        assert list(losses) == [0.0, 1.0, 0.0] and grads == [1.0]


@pytest.mark.parametrize(("base", "exponent", "error", "message"), [
    (0.0, -1.0, ZeroDivisionError, r"zero to a negative power in 0.0 \*\* -1.0"),  # torch: inf
    (0.0, 0.5, ZeroDivisionError, r"derivative of 0.0 \*\* 0.5 in the base is infinite"),  # torch: inf gradient
    (-2.0, 2.0, ValueError, "needs a positive base"),  # torch: exponent gradient NaN (log of -2)
])
def test_value_to_a_value_power_refuses_what_torch_makes_inf_or_nan(base, exponent, error, message) -> None:
    with pytest.raises(error, match=message):
        (Value(base) ** Value(exponent)).backward()


def test_second_derivatives_at_base_zero_are_refused_where_torch_gives_nan() -> None:
    from autograd import grad

    a, b = Value(0.0), Value(2.0)
    with pytest.raises(ZeroDivisionError,
                       match=r"second derivatives of a power with a Value exponent .* are not defined at base 0"):
        grad(a**b, [a, b], create_graph=True)
    a, b = Value(2.0), Value(0.0)  # away from base 0 the Hessian is the closed form: d2/dadb = 1/a, d2/db2 = ln(a)^2
    ga, gb = grad(a**b, [a, b], create_graph=True)
    assert [h.data for h in grad(ga, [a, b])] == [0.0, 0.5]
    assert grad(gb, [b])[0].data == pytest.approx(math.log(2.0) ** 2, rel=1e-15)


def test_a_value_formats_and_converts_as_a_one_element_torch_tensor() -> None:
    torch = pytest.importorskip("torch")
    t = torch.tensor(-2.71828, dtype=torch.float64)
    v = Value(-2.71828)
    # f"{loss:.4f}" raised "unsupported format string passed to Value.__format__"
    for spec in (".4f", "e", "+.2g", "10.3f"):
        assert f"{v:{spec}}" == f"{t:{spec}}"
    assert int(v) == int(t) == -2
    assert f"{v}" == repr(v)


def test_threads_running_backward_through_one_graph_add_up_as_in_torch() -> None:
    """Each pass keeps its bookkeeping in the graph's own .grad slots: two at once gave gradients 10^11 too large."""
    import sys
    import threading

    def chain() -> tuple[Value, Value]:
        x = Value(0.5)
        y = x
        for _ in range(2000):
            y = (y * 1.0001).tanh()
        return x, y

    reference_x, reference_y = chain()
    reference_y.backward()
    x, y = chain()
    errors: list[BaseException] = []

    def passes() -> None:
        try:
            for _ in range(10):
                y.backward()
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible: inside every pass
    try:
        threads = [threading.Thread(target=passes) for _ in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(interval)
    assert not errors
    # 30 passes accumulate 30 times the one-pass gradient (as torch's leaves do, whatever the order)
    assert x.grad == pytest.approx(30 * reference_x.grad, rel=1e-12)


@needs_svg
def test_the_3_4_2_example_never_overwrites_the_file_its_argument_names(tmp_path) -> None:
    """It passed its argument to render(), which writes the DOT source to exactly that name (as graphviz's
    render does): ``draw_3_4_2.py notes.txt`` replaced the user's notes with DOT text."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    notes = tmp_path / "notes.txt"
    notes.write_text("the user's own notes\n")
    done = subprocess.run([sys.executable, str(root / "examples" / "draw_3_4_2.py"), str(notes)], cwd=tmp_path,
                          env={"PYTHONPATH": str(root), "PATH": ""}, capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert notes.read_text() == "the user's own notes\n"
    # NAME.dot and NAME.svg, as its --help says (round 27: a dot that is no picture extension stays in the name,
    # so run.v1 and run.v2 no longer write the same run.svg)
    assert (tmp_path / "notes.txt.dot").read_text().startswith("digraph")
    assert (tmp_path / "notes.txt.svg").exists()


@pytest.mark.parametrize(("script", "args", "message"), [
    ("mlp_two_moons.py", ["--steps", "-1"], "argument --steps: expected a positive whole number, got '-1'"),  # ran 0
    ("mlp_two_moons.py", ["--steps", "10000000000"], "expected at most 100,000"),  # ran for hours
    ("char_rnn.py", ["--steps", "0"], "argument --steps: expected a positive whole number"),
    ("char_rnn.py", ["a"], "argument text: expected a text of at least two characters, got 'a'"),  # a traceback
    ("draw_a_graph.py", ["--out", ""], "argument --out: expected a file name"),  # a traceback ("empty name")
])
def test_the_examples_refuse_bad_arguments_in_one_line(tmp_path, script: str, args: list, message: str) -> None:
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    done = subprocess.run([sys.executable, str(root / "examples" / script), *args], cwd=tmp_path,
                          env={"PYTHONPATH": str(root), "PATH": ""}, capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 2
    assert message in done.stderr and "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_the_torch_example_refuses_sizes_past_its_limits(tmp_path) -> None:
    pytest.importorskip("torch")
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    for option, value, message in (("--hidden", "100000000", "--hidden must be at most 1,024, got 100,000,000"),
                                   ("--steps", "1000000", "--steps must be at most 100,000")):
        done = subprocess.run([sys.executable, str(root / "examples" / "torch_char_lstm.py"), option, value,
                               "--out", str(tmp_path / "out")], cwd=tmp_path, env={"PYTHONPATH": str(root)},
                              capture_output=True, text=True, timeout=120, check=False)
        assert done.returncode == 2, done.stderr  # --hidden 10^8 was a RuntimeError traceback from torch
        assert message in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("depth", [200, 300, 100_000])
def test_a_deep_graph_deep_copies_and_pickles_without_recursion(depth: int) -> None:
    """The default copy walked parent to parent, a frame each: RecursionError from 200 (deepcopy), 300 (pickle)."""
    import copy
    import pickle

    x = Value(0.5, label="x")
    y = x
    for _ in range(depth):
        y = (y * 1.0001).tanh()
    y.backward()
    for copied in (copy.deepcopy(y), pickle.loads(pickle.dumps(y))):
        assert copied.data == y.data and copied._op is y._op
        leaf = copied
        while leaf._a is not None:
            leaf = leaf._a if not isinstance(leaf._a, tuple) else leaf._a[0]
        assert leaf is not x and leaf.label == "x" and leaf.data == 0.5
        assert leaf.grad == x.grad  # grads copied as they were
        leaf.grad = 0.0
        copied.backward()
        assert leaf.grad == x.grad  # the copy differentiates to the same number


def test_a_copied_loss_keeps_its_leaves_shared_with_the_copied_model() -> None:
    import copy
    import pickle

    from autograd import dot, topological_order

    model = MLP(2, [3, 1], seed=0)
    loss = (model([1.0, -2.0]) - 0.5) ** 2
    for loss_copy, model_copy in (copy.deepcopy((loss, model)), pickle.loads(pickle.dumps((loss, model)))):
        params = {id(p) for p in model_copy.parameters()}
        leaves = [n for n in topological_order(loss_copy) if n.is_leaf and not n.is_constant]
        assert len(leaves) == 13 and all(id(p) in params for p in leaves)
        assert model_copy([0.3, 0.7]).data == model([0.3, 0.7]).data
    a = Value(2.0)
    z = a * a
    w = dot([a, z], [z, a])  # a wide node and a node whose two parents are one Value
    wc = copy.deepcopy(w)
    wc.backward()
    w.backward()
    assert wc.data == w.data == 16.0 and wc._a[0].grad == a.grad == 24.0  # d(2 a^3)/da = 6 a^2


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "relu", "linear"])
def test_a_model_pickles_whatever_its_activation(activation: str) -> None:
    import pickle


    model = MLP(2, [3, 1], activation=activation, seed=0)
    # "linear" was a lambda: "Can't pickle <function <lambda>>: attribute lookup <lambda> on nn.activations failed"
    copy = pickle.loads(pickle.dumps(model))
    assert copy([0.3, 0.7]).data == model([0.3, 0.7]).data


def test_a_model_pickles_in_a_process_that_imported_torch_first() -> None:
    """Value.tanh had no module of its own, so pickle searched sys.modules in import order for one holding
    ``Value``: with torch imported first it met torch.classes, whose lookup raises RuntimeError."""
    pytest.importorskip("torch")
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    code = ("import torch, pickle; from nn import MLP; m = MLP(2, [3, 1], seed=0); "
            "c = pickle.loads(pickle.dumps(m)); print(c([0.3, 0.7]).data == m([0.3, 0.7]).data)")
    done = subprocess.run([sys.executable, "-c", code], env={"PYTHONPATH": str(root)}, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-500:]
    assert done.stdout.strip() == "True"
