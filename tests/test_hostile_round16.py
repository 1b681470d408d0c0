"""Hostile input, round 16: leftovers of round 15 (each failed or hung before its fix)."""

from __future__ import annotations

import os
import random
import re
import stat
import sys

import numpy as np
import pytest
from conftest import needs_svg

import nn
from autograd import Value
from nn import MLP, CharModel, two_moons
from nn.serialization import load, save
from viz import draw_graph

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo") or sys.platform == "win32", reason="needs os.mkfifo")


# --- a picture's render() onto a FIFO: hung forever waiting for a reader ---------------------------------------

@needs_fifo
@needs_svg
def test_render_refuses_a_fifo_as_its_source_file(tmp_path):
    os.mkfifo(tmp_path / "graph")
    picture = draw_graph(Value(2.0) * Value(3.0))
    with pytest.raises(ValueError, match="not a regular file"):
        picture.render("graph", directory=tmp_path)
    assert stat.S_ISFIFO(os.stat(tmp_path / "graph").st_mode)  # the user's FIFO is still there
    assert not (tmp_path / "graph.svg").exists()


@needs_fifo
@needs_svg
def test_render_refuses_a_fifo_as_its_picture_file(tmp_path):
    os.mkfifo(tmp_path / "out.svg")
    picture = draw_graph(Value(2.0) * Value(3.0))
    with pytest.raises(ValueError, match="out.svg: it is not a regular file"):
        picture.render(outfile=tmp_path / "out.svg")
    assert stat.S_ISFIFO(os.stat(tmp_path / "out.svg").st_mode)
    assert not (tmp_path / "out.gv").exists()  # refused before the source was written


@needs_svg
def test_render_still_writes_source_and_picture(tmp_path):
    picture = draw_graph(Value(2.0) * Value(3.0))
    out = picture.render("graph", directory=tmp_path)
    assert out == str(tmp_path / "graph.svg")
    assert (tmp_path / "graph").read_text().startswith("digraph")
    assert "<svg" in (tmp_path / "graph.svg").read_text()


# --- numpy arrays: ``array + value`` made a silent object array of Values --------------------------------------

@pytest.mark.parametrize("combine", [
    lambda a, x: a + x, lambda a, x: x + a, lambda a, x: a * x, lambda a, x: a - x,
    lambda a, x: a / x, lambda a, x: a ** x, lambda a, x: a < x,
])
def test_a_numpy_array_with_a_value_is_refused_on_either_side(combine):
    with pytest.raises(TypeError, match="ndarray.*a Value is one number"):
        combine(np.array([1.0, 2.0]), Value(2.0))


def test_numpy_scalars_still_combine_with_values():
    x = Value(2.0)
    for result, expected in [(np.float64(3.0) * x, 6.0), (x * np.float32(0.5), 1.0), (np.int64(3) + x, 5.0),
                             (np.float64(1.0) - x, -1.0), (np.float64(8.0) / x, 4.0)]:
        assert isinstance(result, Value)
        assert result.data == expected
    y = np.float64(3.0) * x
    y.backward()
    assert x.grad == 3.0


def test_object_arrays_of_values_still_work_elementwise():
    xs = np.array([Value(1.0), Value(2.0)], dtype=object)
    total = (np.array([3.0, 4.0]) @ xs)
    assert isinstance(total, Value) and total.data == 11.0
    total.backward()
    assert [x.grad for x in xs] == [3.0, 4.0]


# --- save()/load() with an optimizer built for another model ---------------------------------------------------

@pytest.mark.parametrize("action", [save, load])
def test_an_optimizer_of_another_model_is_refused_and_nothing_is_written(tmp_path, action):
    model, other = MLP(2, [3, 1], seed=0), MLP(2, [3, 1], seed=1)
    path = tmp_path / "model.json"
    if action is load:
        save(model, path)
    before = path.read_bytes() if path.exists() else None
    weights = [p.data for p in model.parameters()]
    with pytest.raises(ValueError, match=r"param_groups\[0\]\['params'\]\[0\] is not a parameter of this MLP"):
        action(model, path, nn.optim.SGD(other.parameters(), lr=0.1))
    assert (path.read_bytes() if path.exists() else None) == before
    assert [p.data for p in model.parameters()] == weights


def test_an_optimizer_over_part_of_the_model_still_saves_and_loads(tmp_path):
    model = MLP(2, [3, 1], seed=0)
    first_layer = model.layers[0].parameters()
    optimizer = nn.optim.Adam(first_layer, lr=0.1)
    for p in first_layer:
        p.grad = 0.5
    optimizer.step()
    save(model, tmp_path / "m.json", optimizer)
    copy, copy_optimizer = MLP(2, [3, 1], seed=5), None
    copy_optimizer = nn.optim.Adam(copy.layers[0].parameters(), lr=0.1)
    load(copy, tmp_path / "m.json", copy_optimizer)
    assert [p.data for p in copy.parameters()] == [p.data for p in model.parameters()]
    assert copy_optimizer.state_dict()["buffers"] == optimizer.state_dict()["buffers"]


# --- seeds: a str or float seed was hashed into some network without a word ------------------------------------

@pytest.mark.parametrize("seed", ["a", 1.5, 2.0, True, b"x", [1]])
@pytest.mark.parametrize("build", [
    lambda s: MLP(2, [3, 1], seed=s), lambda s: nn.Layer(2, 3, seed=s), lambda s: nn.Neuron(2, seed=s),
    lambda s: nn.Linear(2, 3, seed=s), lambda s: CharModel(4, 3, seed=s), lambda s: two_moons(5, seed=s),
    lambda s: CharModel(4, 3, seed=0).sample(0, 3, seed=s),
])
def test_a_seed_that_is_not_an_int_is_refused(build, seed):
    with pytest.raises(TypeError, match=r"seed must be an int, a random\.Random or None, got"):
        build(seed)


def test_int_random_and_none_seeds_still_work():
    assert [p.data for p in MLP(2, [3], seed=7).parameters()] == [p.data for p in MLP(2, [3], seed=7).parameters()]
    rng = random.Random(3)
    assert two_moons(4, seed=rng) != two_moons(4, seed=random.Random(4))
    random.seed(11)
    first = [p.data for p in MLP(2, [3]).parameters()]
    random.seed(11)
    assert [p.data for p in MLP(2, [3]).parameters()] == first


# --- CharModel.sample of a length past memory ran for days --------------------------------------------------------

def test_sampling_more_indices_than_memory_holds_is_refused_at_once():
    with pytest.raises(MemoryError, match="CharModel.sample would make 1,000,000,000,000 indices"):
        CharModel(4, 3, seed=0).sample(0, 10**12)


def test_sampling_length_true_is_refused():
    with pytest.raises(ValueError, match="length must be a non-negative integer, got True"):
        CharModel(4, 3, seed=0).sample(0, True)


@needs_fifo
def test_save_of_a_picture_refuses_a_fifo(tmp_path):
    os.mkfifo(tmp_path / "graph.gv")
    picture = draw_graph(Value(2.0) * Value(3.0))
    with pytest.raises(ValueError, match="graph.gv: it is not a regular file"):
        picture.save("graph.gv", directory=tmp_path)
    assert stat.S_ISFIFO(os.stat(tmp_path / "graph.gv").st_mode)
    saved = picture.save("ok.gv", directory=tmp_path)
    assert (tmp_path / "ok.gv").read_text().startswith("digraph") and saved.endswith("ok.gv")


@needs_fifo
def test_a_chart_refuses_a_fifo(tmp_path):
    pytest.importorskip("matplotlib")
    from viz.charts import loss_curve

    os.mkfifo(tmp_path / "loss.svg")
    with pytest.raises(ValueError, match="loss.svg: it is not a regular file"):
        loss_curve([3.0, 2.0, 1.0], tmp_path / "loss.svg")
    assert stat.S_ISFIFO(os.stat(tmp_path / "loss.svg").st_mode)


def test_a_numpy_integer_seeds_as_the_same_int():
    assert [p.data for p in MLP(2, [3], seed=np.int64(5)).parameters()] == \
        [p.data for p in MLP(2, [3], seed=5).parameters()]
    assert two_moons(4, seed=np.int32(2)) == two_moons(4, seed=2)


@pytest.mark.parametrize(("option", "value", "error"), [
    ("steps", 2.5, "steps must be a positive whole number, got float 2.5"),
    ("seq_len", 4.0, "seq_len must be a positive whole number, got float 4.0"),
    ("hidden", True, "hidden must be a positive whole number, got bool True"),
    ("steps", "3", "steps must be a positive whole number, got str '3'"),
    ("steps", 0, "steps must be a positive whole number, got 0"),
])
def test_train_char_model_counts_are_whole_numbers(option, value, error) -> None:
    from lecture.training import train_char_model

    with pytest.raises((TypeError, ValueError), match=re.escape(error)):
        train_char_model("hello", **{option: value})  # 2.5 steps ran as 2 without a word


def test_train_char_model_names_a_text_that_is_not_a_str() -> None:
    from lecture.training import train_char_model

    with pytest.raises(TypeError, match="training text must be a str, got int"):  # was: "object of type 'int' has
        train_char_model(5, steps=1)  # type: ignore[arg-type]                      # no len()"
    with pytest.raises(TypeError, match="lr must be a positive number, got str"):
        train_char_model("hello", steps=1, lr="0.1")  # type: ignore[arg-type]


def test_train_slides_mlp_epochs_are_whole_numbers() -> None:
    from lecture.training import train_slides_mlp

    with pytest.raises(ValueError, match="epochs must be a positive whole number, got float 2.5"):
        train_slides_mlp(epochs=2.5)  # type: ignore[arg-type]


@pytest.mark.parametrize(("function", "size", "error"), [
    ("gradient_reach", {"length": 2.5}, "gradient_reach's length must be a whole number >= 2, got float 2.5"),
    ("gradient_reach", {"length": "3"}, "gradient_reach's length must be a whole number >= 2, got str '3'"),
    ("gradient_reach", {"length": 1}, "gradient_reach's length must be a whole number >= 2, got 1"),
    ("connectivity", {"length": 2.5}, "connectivity's length must be a positive whole number, got float 2.5"),
    ("connectivity", {"hidden": True}, "connectivity's hidden must be a positive whole number, got bool True"),
    ("gradient_reach", {"vocab_size": 1}, "gradient_reach's vocab_size must be a whole number >= 2, got 1"),
])
def test_gradient_reach_and_connectivity_name_a_bad_size(function, size, error) -> None:
    from lecture import vanishing

    with pytest.raises((TypeError, ValueError), match=re.escape(error)):  # 2.5 failed inside range(), '3' at '<'
        getattr(vanishing, function)(**size)


def test_gradient_reach_refuses_a_length_no_memory_holds_before_building_anything() -> None:
    from lecture.vanishing import gradient_reach

    with pytest.raises(MemoryError, match="gradient_reach would unroll .* multiply-adds"):
        gradient_reach(length=10**12)  # ran until memory ran out
