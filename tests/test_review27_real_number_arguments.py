"""Numbers given as arguments are checked the way the engine checks a Value's data: any real number is one.

Several hand-written checks tested ``isinstance(x, (int, float))``, so numpy's float32 and int64 (real
numbers, `numbers.Real`) were refused as "no finite number", and an int past float range reached
``math.isfinite`` or ``float`` and raised a bare "int too large to convert to float". Each refusal below names
the argument; each numpy number gives what the same plain float gives.
"""

from __future__ import annotations

import random

import pytest
from conftest import needs_svg

np = pytest.importorskip("numpy")

from autograd import Value, grad  # noqa: E402
from lecture.training import train_slides_mlp  # noqa: E402
from lecture.training_film import slides_mlp_film  # noqa: E402
from nn import CharModel  # noqa: E402
from nn.char_model import sample_index  # noqa: E402
from viz.film import FilmEdge, FilmFrame, FilmNetwork, film_page  # noqa: E402
from viz.finite import finite_numbers  # noqa: E402

HUGE = 10**400  # 401 digits; float() of it overflows


def test_sample_temperature_takes_a_numpy_number_as_the_same_float() -> None:
    model = CharModel(5, 4)
    assert model.sample(0, 8, temperature=np.float32(0.5), seed=3) == model.sample(0, 8, temperature=0.5, seed=3)


def test_sample_temperature_past_float_range_is_named() -> None:
    with pytest.raises(ValueError, match="^temperature must be a finite number >= 0, got an integer of 401 digits"):
        CharModel(5, 4).sample(0, 3, temperature=HUGE)
    with pytest.raises(ValueError, match="^sample_index: temperature must be a finite number >= 0, got an integer"):
        sample_index([1.0, 2.0], HUGE, random.Random(0))


def test_grad_output_may_be_a_numpy_number() -> None:
    x = Value(2.0)
    (g,) = grad(x * x, [x], grad_output=np.float32(0.5))
    assert g.data == 2.0  # d(x^2)/dx = 2x = 4 at x = 2, times 0.5


def test_chart_numbers_past_float_range_are_named() -> None:
    with pytest.raises(ValueError, match=r"^loss 1 is an int of 401 digits, not a finite number$"):
        finite_numbers([1.0, HUGE], "loss {}")


def _film(weight: object) -> str:
    net = FilmNetwork([["a"], ["b"]], [FilmEdge("a", "b", "w")])
    return film_page(net, [FilmFrame([weight], [0.0], 1.0, "")])  # type: ignore[list-item]


def test_a_film_frame_of_numpy_numbers_is_the_frame_of_their_floats() -> None:
    assert _film(np.float32(0.25)) == _film(0.25)


def test_a_film_weight_past_float_range_is_named() -> None:
    with pytest.raises(ValueError, match="weight must be a finite number, got an int of 401 digits"):
        _film(HUGE)


def test_the_slides_trainers_take_a_numpy_rate_and_name_one_past_float_range() -> None:
    rate = np.float32(0.125)  # exactly 0.125 as a float
    assert train_slides_mlp(epochs=2, lr=rate).losses == train_slides_mlp(epochs=2, lr=0.125).losses
    with pytest.raises(ValueError, match="^lr must be a positive number, got an integer of 401 digits"):
        train_slides_mlp(epochs=2, lr=HUGE)
    film = slides_mlp_film(epochs=2, lr=rate)
    assert [f.loss for f in film[1]] == [f.loss for f in slides_mlp_film(epochs=2, lr=0.125)[1]]
    with pytest.raises(ValueError, match="^lr must be a positive finite number, got an int"):
        slides_mlp_film(epochs=2, lr=HUGE)


def test_the_hessian_step_past_float_range_is_named() -> None:
    from lecture.mlp_hessian import central_difference_hessian

    with pytest.raises(ValueError, match="step must be a positive finite number, got an int of 401 digits"):
        central_difference_hessian(step=HUGE)


@needs_svg
def test_a_render_timeout_may_be_a_numpy_number_or_an_int_past_float_range() -> None:
    from viz.render import render_source

    expected = render_source("digraph { a -> b }", "svg", timeout=30.0)
    assert render_source("digraph { a -> b }", "svg", timeout=np.float32(30.0)) == expected
    assert render_source("digraph { a -> b }", "svg", timeout=HUGE) == expected  # no deadline, as math.inf


@pytest.mark.parametrize("factor", [np.float32(2.0), np.int64(1), np.float64(1.0)])
def test_reduce_lr_on_plateau_refuses_a_numpy_factor_of_one_or_more_as_torch(factor) -> None:
    from nn import SGD
    from nn.optim.lr_scheduler import ReduceLROnPlateau

    # torch: "Factor should be < 1.0."; np.float32(2.0) was taken, and each plateau doubled the rate.
    with pytest.raises(ValueError, match=r"^Factor should be < 1\.0\.$"):
        ReduceLROnPlateau(SGD([Value(1.0)], lr=0.1), factor=factor)


def test_the_functional_activations_take_a_numpy_number_as_the_number() -> None:
    import nn.functional as F

    assert F.relu(np.float32(-1.5)).data == 0.0
    assert F.tanh(np.int64(0)).data == 0.0  # tanh(0) = 0
    assert F.sigmoid(np.float32(0.0)).data == 0.5  # sigmoid(0) = 1/2
    assert [v.data for v in F.relu([np.float32(2.0), -1.0])] == [2.0, 0.0]
