"""A PyTorch user's first reflexes (new-user trial 27): nn.save, nn.no_grad, nn.utils, save(state_dict).

Each was a bare "module 'nn' has no attribute ..." or a TypeError that did not say what to write; now the
message names the thing that exists here, and doing what it says works.
"""

import random

import pytest

import autograd
import nn


@pytest.mark.parametrize("name, names", [
    ("save", "nn.serialization.save(model, path)"),
    ("load", "nn.serialization.load(model, path)"),
    ("no_grad", "from autograd import no_grad"),
    ("enable_grad", "from autograd import enable_grad"),
    ("set_grad_enabled", "from autograd import set_grad_enabled"),
    ("inference_mode", "from autograd import inference_mode"),
    ("utils", "nn.clip_grad_norm_"),
    ("manual_seed", "random.seed(n)"),
])
def test_a_torch_name_says_where_it_lives_here(name, names):
    with pytest.raises(AttributeError) as caught:
        getattr(nn, name)
    message = str(caught.value)
    assert message.startswith(f"module 'nn' has no attribute '{name}'; ")
    assert names in message
    assert caught.value.name == name
    assert not hasattr(nn, name)


def test_what_the_grad_mode_hints_name_exists_in_autograd():
    for name in ("no_grad", "enable_grad", "set_grad_enabled", "inference_mode"):
        assert callable(getattr(autograd, name))


def test_what_the_utils_hint_names_exists_in_nn():
    message = str(pytest.raises(AttributeError, getattr, nn, "utils").value)
    for name in ("clip_grad_norm_", "clip_grad_value_", "parameters_to_vector", "vector_to_parameters"):
        assert f"nn.{name}" in message
        assert callable(getattr(nn, name))


def test_an_unknown_name_keeps_pythons_words_alone():
    with pytest.raises(AttributeError) as caught:
        nn.Conv2dd  # noqa: B018
    assert str(caught.value) == "module 'nn' has no attribute 'Conv2dd'"


def test_the_save_hint_followed_round_trips_the_weights(tmp_path):
    hint = str(pytest.raises(AttributeError, getattr, nn, "save").value)
    assert "nn.serialization.save(model, path)" in hint
    random.seed(3)
    model = nn.Linear(2, 3)
    weights = [p.data for p in model.parameters()]
    nn.serialization.save(model, tmp_path / "m.json")
    other = nn.Linear(2, 3, seed=11)
    assert [p.data for p in other.parameters()] != weights
    nn.serialization.load(other, tmp_path / "m.json")
    assert [p.data for p in other.parameters()] == weights


@pytest.mark.parametrize("action", ["save", "load"])
def test_a_state_dict_in_place_of_the_model_is_told_to_pass_the_model(tmp_path, action):
    model = nn.Linear(2, 1, seed=0)
    with pytest.raises(TypeError, match=rf"pass the model itself, {action}\(model, path\), not its state_dict\(\)"):
        getattr(nn.serialization, action)(model.state_dict(), tmp_path / "m.json")
    assert not (tmp_path / "m.json").exists()


@pytest.mark.parametrize("action", ["save", "load"])
def test_the_path_first_is_told_the_model_comes_first(tmp_path, action):
    model = nn.Linear(2, 1, seed=0)
    with pytest.raises(TypeError, match=rf"the model comes first: {action}\(model, path\)"):
        getattr(nn.serialization, action)(str(tmp_path / "m.json"), model)
    assert not (tmp_path / "m.json").exists()
