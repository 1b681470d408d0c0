"""Hostile input, round 15: each test is a bug a hostile tester found, with the behaviour fixed."""

from __future__ import annotations

import copy
import pickle

import pytest
from conftest import needs_svg

from autograd import Value
from nn import MLP, SGD, Adam


def _nodes_through_parents_and_grads(root: Value) -> set[int]:
    """Every Value reachable from ``root`` through parents and through gradients that are Values."""
    seen: dict[int, Value] = {}
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen[id(node)] = node
        stack.extend(node.parents)
        if isinstance(node.grad, Value):
            stack.append(node.grad)
    return set(seen)


def test_a_graph_after_backward_with_create_graph_copies_each_node_once() -> None:
    """After ``backward(create_graph=True)`` every interior ``.grad`` is a Value sharing the backward graph.
    Each was pickled as a table of its own, so the shared nodes were copied once per gradient: at depth 1,000
    a copy took 2.9 s and at 20,000 it filled 23 GB before it was stopped (the 100,000-deep case hung)."""
    x = Value(0.5, label="x")
    y = x
    for _ in range(1000):
        y = y * x + 0.25
    y.backward(create_graph=True)
    original = len(_nodes_through_parents_and_grads(y))
    for copied in (copy.deepcopy(y), pickle.loads(pickle.dumps(y))):
        assert len(_nodes_through_parents_and_grads(copied)) == original  # no node copied twice
        assert copied.data == y.data
        node, source = copied, y
        while not node.is_leaf:  # every gradient along the chain kept its number
            assert isinstance(node.grad, Value) and node.grad.data == source.grad.data
            node, source = node._a, source._a  # type: ignore[assignment]
        assert node is not x and node.label == "x" and node.grad.data == x.grad.data


@pytest.mark.parametrize("kwargs", [dict(activation="sigmoide"), dict(activation=3),
                                    dict(activations=["tanh"], activation="tnah"),
                                    dict(activations=["tanh"], output_activation="lineer")])
def test_a_misspelt_activation_is_refused_even_where_no_layer_uses_it(kwargs: dict) -> None:
    """``MLP(2, [1], activation="sigmoide")`` built a model silently: a one-layer MLP has no hidden layer, so
    the typo was never looked up (``MLP(2, [4, 1], activation="sigmoide")`` was refused)."""
    with pytest.raises(ValueError, match="unknown activation"):
        MLP(2, [1], **kwargs)


def test_activations_that_exist_still_build_a_one_layer_mlp() -> None:
    model = MLP(2, [1], activation="relu", output_activation="sigmoid")
    assert repr(model) == "MLP([Layer(2, 1, activation='sigmoid')])"


def test_an_optimizer_refuses_a_value_that_is_not_a_leaf_as_torch_does() -> None:
    """An interior node was accepted and stepped (its number moved, the weights it came from did not); torch
    says "can't optimize a non-leaf Tensor"."""
    torch = pytest.importorskip("torch")
    t = torch.tensor(1.0, requires_grad=True)
    with pytest.raises(ValueError, match="non-leaf"):
        torch.optim.SGD([t * 3], lr=0.1)
    x = Value(1.0)
    for make in (lambda ps: SGD(ps, lr=0.1), lambda ps: Adam(ps), lambda ps: SGD([{"params": ps}], lr=0.1)):
        with pytest.raises(ValueError, match=r"parameter 1 .*not a leaf"):
            make([Value(2.0), x * 3])


def test_an_optimizer_refuses_an_engine_constant_before_stepping_anything() -> None:
    """The engine's shared constant (the 2.0 of ``x * 2.0``) was accepted; its step then raised AttributeError
    halfway, after the parameters listed before it had moved (0.99 here)."""
    p = Value(1.0)
    two = (p * 2.0).parents[1]
    with pytest.raises(ValueError, match=r"parameter 1 is the engine's constant 2.0"):
        SGD([p, two], lr=0.1, weight_decay=0.1)
    optimizer = SGD([p], lr=0.1, weight_decay=0.1)
    with pytest.raises(ValueError, match="constant"):
        optimizer.add_param_group({"params": [two]})
    assert p.data == 1.0 and len(optimizer.params) == 1


@pytest.mark.parametrize("rows", [0, -2])
def test_the_slides_batch_loss_needs_at_least_one_row(rows: int) -> None:
    """``batch_loss(model, 0)`` (or -2) was a loss of 0.0 labelled 'E(r=1..0)' with no graph behind it, and
    ``engine_hessian(rows=0)`` then failed with grad's 'w1[1,1] was not used to compute the output'."""
    from lecture.mlp_hessian import engine_hessian
    from lecture.slides_mlp import batch_loss, slides_network

    with pytest.raises(ValueError, match=r"rows must be a whole number in 1\.\.6"):
        batch_loss(slides_network(), rows)
    with pytest.raises(ValueError, match=r"rows must be a whole number in 1\.\.6"):
        engine_hessian(rows=rows)


def test_the_slides_batch_loss_of_one_row_is_that_rows_e() -> None:
    from lecture.slides_mlp import batch_loss, row_graph, slides_network

    assert batch_loss(slides_network(), 1).data == row_graph(slides_network(), 1).E.data


@pytest.mark.parametrize("max_steps", [-1, 2.5, True])
def test_newton_names_a_step_count_that_is_no_count(max_steps: object) -> None:
    """``newton_minimise(max_steps=-1)`` ended in IndexError (list index out of range)."""
    from lecture.newton import newton_minimise

    with pytest.raises(ValueError, match="max_steps"):
        newton_minimise(max_steps=max_steps)  # type: ignore[arg-type]


def test_newton_with_no_steps_allowed_still_reports_the_start() -> None:
    from lecture.newton import newton_minimise

    with pytest.raises(ValueError, match=r"after 0 steps"):
        newton_minimise(max_steps=0)
    assert len(newton_minimise(f=lambda x: x * x, x0=0.0, max_steps=0)) == 1  # f'(0) = 0: done at the start


def test_two_moons_refuses_a_noise_that_overflows_a_coordinate() -> None:
    """``two_moons(50, noise=1e308)`` returned 8 infinite coordinates among its 100, silently."""
    from nn import two_moons

    with pytest.raises(OverflowError, match=r"noise 1e\+308"):
        two_moons(50, noise=1e308)
    xs, _ = two_moons(50, noise=1e200)  # huge but finite: the points are what was asked for
    assert all(abs(v) < float("inf") for x in xs for v in x)


def test_save_refuses_a_fifo_instead_of_replacing_it_with_a_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """``save(model, fifo)`` renamed its temporary file over the FIFO: the user's FIFO was gone, a regular
    file in its place (as root, ``save(model, "/dev/null")`` would have replaced the device the same way)."""
    import os
    import stat

    from nn.serialization import save

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(ValueError, match="not a regular file"):
        save(MLP(2, [1]), fifo)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]  # no temporary file left behind


def test_save_under_a_file_says_it_is_a_file_not_a_missing_folder(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """``save(model, "notes.txt/model.json")`` said 'folder notes.txt does not exist' of an existing file."""
    from nn.serialization import save

    notes = tmp_path / "notes.txt"
    notes.write_text("precious")
    with pytest.raises(NotADirectoryError, match="is a file, not a folder"):
        save(MLP(2, [1]), notes / "model.json")
    assert notes.read_text() == "precious"


@pytest.mark.parametrize("taken", ["picture.dot", "picture.svg"])
def test_save_picture_refuses_a_fifo_at_either_name_before_writing(tmp_path, taken: str) -> None:  # type: ignore[no-untyped-def]
    """A FIFO named like the picture or its DOT file was opened and written: with no reader the save hung
    forever. (Here a reader is held open, so the old code fails instead of hanging.)"""
    import os

    from viz import draw_graph

    fifo = tmp_path / taken
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        with pytest.raises(ValueError, match=r"not a regular file"):
            draw_graph(Value(1.0) * 2.0).save_picture(str(tmp_path / "picture"))
    finally:
        os.close(reader)
    assert [p.name for p in tmp_path.iterdir()] == [taken]  # nothing written beside it either


def _two_input_tape():  # type: ignore[no-untyped-def]
    from autograd.replay import record

    model = MLP(2, [3, 1], seed=0)
    return record(lambda a, b: model([a, b]), example=[0.1, 0.2], parameters=model.parameters())


def test_run_batch_refuses_complex_columns_instead_of_dropping_the_imaginary_part() -> None:
    """A complex numpy column ran with a ComplexWarning and the imaginary parts thrown away (1j became 0.0);
    the eager engine refuses a complex number with a TypeError."""
    import numpy as np

    with pytest.raises(TypeError, match=r"batch column 0\b.*complex"):
        _two_input_tape().run_batch([np.array([1j, 0.5]), [0.1, 0.2]])


@pytest.mark.parametrize("column", [[True, False], "numpy"])
def test_run_batch_refuses_booleans_as_the_eager_engine_does(column: object) -> None:
    """True and False ran as 1.0 and 0.0, where ``Value(True)`` and ``x + True`` are TypeErrors."""
    import numpy as np

    given = np.array([True, False]) if column == "numpy" else column
    with pytest.raises(TypeError, match=r"batch column 1\b.*bool"):
        _two_input_tape().run_batch([[0.1, 0.2], given])


def test_run_batch_of_no_samples_says_so() -> None:
    """Empty columns failed inside numpy: 'could not broadcast input array from shape (3,0) into shape (3,)'."""
    with pytest.raises(ValueError, match="at least one sample"):
        _two_input_tape().run_batch([[], []])


def test_run_batch_still_takes_numbers_integers_and_float32_columns() -> None:
    import numpy as np

    tape = _two_input_tape()
    reference, _ = tape.run_batch([[1.0, 0.5], [2.0, 0.25]])
    losses, _ = tape.run_batch([np.array([1, 0.5], dtype=np.float32), [2, 0.25]])
    assert list(losses) == list(reference)


@pytest.mark.parametrize("bad", [True, 10**400])
def test_step_names_a_gradient_that_is_a_bool_or_an_int_past_the_floats(bad: object) -> None:
    """``p.grad = True`` stepped as 1.0 (torch refuses a non-tensor grad); ``p.grad = 10**400`` ended in a bare
    'int too large to convert to float' naming no parameter."""
    first, second = Value(1.0), Value(2.0)
    optimizer = SGD([first, second], lr=0.1)
    first.grad = 1.0
    second.grad = bad  # type: ignore[assignment]
    with pytest.raises(ValueError, match="optimizer parameter 1 has gradient"):
        optimizer.step()
    assert (first.data, second.data) == (1.0, 2.0)  # nothing moved


@pytest.mark.parametrize("check", ["gradcheck", "gradgradcheck"])
def test_gradcheck_of_no_inputs_is_an_error_as_in_torch(check: str) -> None:
    """``gradcheck(f, [])`` returned a passing report that checked nothing; torch raises ValueError ("gradcheck
    expects at least one input tensor to require gradient")."""
    import autograd

    torch = pytest.importorskip("torch")
    with pytest.raises(ValueError, match="at least one input"):
        torch.autograd.gradcheck(lambda: torch.tensor(1.0, dtype=torch.float64), ())
    with pytest.raises(ValueError, match="at least one input"):
        getattr(autograd, check)(lambda: Value(1.0), [])


@needs_svg
def test_render_source_takes_the_graph_draw_graph_returns() -> None:
    """``render_source(draw_graph(y))`` failed with AttributeError ('... has no attribute encode');
    render_to_file already took the graph."""
    from viz import draw_graph, render_source

    picture = draw_graph(Value(1.0) * 2.0)
    assert render_source(picture, "svg") == render_source(picture.source, "svg")


def test_render_source_names_what_is_neither_source_nor_a_graph() -> None:
    """``render_source(3)`` failed with AttributeError ('int' object has no attribute 'encode')."""
    from viz import render_source

    with pytest.raises(TypeError, match=r"render_source needs DOT source text or a graph from draw_graph, got int"):
        render_source(3, "svg")  # type: ignore[arg-type]


@pytest.mark.parametrize("bad, error", [(float("nan"), ValueError), (float("inf"), ValueError), ("a", TypeError),
                                        (True, TypeError)])
def test_pictures_of_numbers_name_an_entry_that_is_no_finite_number(tmp_path, bad: object, error: type) -> None:  # type: ignore[no-untyped-def]
    """A NaN loss drew a chart with a gap, a NaN in a heat map was drawn as the strongest red (titled '+nan'),
    and a string failed inside a comparison ("'>' not supported between instances of 'str' and 'int'")."""
    pytest.importorskip("matplotlib")
    from viz.charts import loss_curve
    from viz.heatmap import correlation, text_heatmap_html

    with pytest.raises(error, match=r"loss 1 "):
        loss_curve([1.0, bad, 0.5], tmp_path / "loss.svg")  # type: ignore[list-item]
    assert not (tmp_path / "loss.svg").exists()
    with pytest.raises(error, match=r"value 1 "):
        text_heatmap_html("ab", [0.5, bad])  # type: ignore[list-item]
    with pytest.raises(error, match=r"xs\[1\] "):
        correlation([0.5, bad, 1.0], [1.0, 2.0, 3.0])  # type: ignore[list-item]


def test_correlation_of_numbers_near_the_largest_float_is_computed() -> None:
    """Squaring deviations of 1e308 overflowed: OverflowError (34, 'Numerical result out of range')."""
    from viz.heatmap import correlation

    assert correlation([1e308, -1e308, 0.0], [1.0, -1.0, 0.0]) == pytest.approx(1.0)
    assert correlation([3.0, 1.0, 2.0], [6.0, 2.0, 4.0]) == pytest.approx(1.0)
    assert correlation([1.0, 2.0, 3.0], [3.0, 1.0, 2.0]) == pytest.approx(-0.5)
