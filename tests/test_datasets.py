"""nn.two_moons: points on the two half circles, labelled by moon, seeded."""

from __future__ import annotations

import math

import pytest

from nn import two_moons


def test_without_noise_every_point_lies_on_its_moon() -> None:
    xs, ys = two_moons(50, seed=1, noise=0.0)
    assert len(xs) == len(ys) == 50
    for (x, y), label in zip(xs, ys):
        if label == 1.0:  # upper moon: the unit circle's upper half
            assert math.hypot(x, y) == pytest.approx(1.0) and y >= 0
        else:  # lower moon: the unit circle around (1, 0.5), lower half
            assert label == -1.0
            assert math.hypot(x - 1, y - 0.5) == pytest.approx(1.0) and y <= 0.5
    assert ys.count(1.0) == ys.count(-1.0) == 25


def test_same_seed_same_points_and_noise_moves_them() -> None:
    assert two_moons(10, seed=3) == two_moons(10, seed=3)
    assert two_moons(10, seed=3) != two_moons(10, seed=4)
    noisy, _ = two_moons(200, seed=0, noise=0.1)
    off = [abs(math.hypot(x, y) - 1) for x, y in noisy[::2]]
    assert 0 < sum(off) / len(off) < 0.3


@pytest.mark.parametrize("bad", [0, -1, 2.5, True, "10"])
def test_bad_sizes_are_refused(bad) -> None:
    with pytest.raises(ValueError, match="positive whole number of points"):
        two_moons(bad)


@pytest.mark.parametrize("bad", [-0.1, math.nan, math.inf])
def test_bad_noise_is_refused(bad) -> None:
    with pytest.raises(ValueError, match="noise must be a finite number"):
        two_moons(5, noise=bad)
