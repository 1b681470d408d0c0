"""Toy data sets for trying a model: two interleaved half circles ("two moons")."""

from __future__ import annotations

import math
import numbers

from .checks import fits_in_memory
from .init import make_rng
from .numbers_in_messages import short_repr


def two_moons(n: int, seed: int = 0, noise: float = 0.1) -> tuple[list[list[float]], list[float]]:
    """``n`` points on two noisy interleaved half circles (as scikit-learn's make_moons), labels +1 and -1.

    Even-numbered points lie on the upper moon (label +1), odd ones on the lower (label -1); each
    coordinate gets Gaussian noise of standard deviation ``noise``. Seeded: same ``seed``, same points.
    """
    # Any integer type (numpy's too, as a count read from an array), not a bool.
    if not isinstance(n, numbers.Integral) or isinstance(n, bool) or n < 1:
        raise ValueError(f"two_moons needs a positive whole number of points, got {short_repr(n)}")
    n = int(n)
    if not isinstance(noise, numbers.Real) or isinstance(noise, bool) or not 0 <= noise < math.inf:
        raise ValueError(f"two_moons noise must be a finite number >= 0, got {short_repr(noise)}")
    noise = float(noise)
    # Measured: 136 bytes a point (its list of two floats and its label); far past memory the loop would run until
    # the operating system killed the process.
    fits_in_memory(n, 136, "two_moons would make", "points")
    rng = make_rng(seed, "two_moons")
    xs, ys = [], []
    for i in range(n):
        t = math.pi * rng.random()
        upper = i % 2 == 0
        x = [math.cos(t), math.sin(t)] if upper else [1 - math.cos(t), 0.5 - math.sin(t)]
        point = [x[0] + rng.gauss(0, noise), x[1] + rng.gauss(0, noise)]
        if not (math.isfinite(point[0]) and math.isfinite(point[1])):  # noise near the largest float
            raise OverflowError(f"two_moons: noise {short_repr(noise)} makes point {i}'s coordinates {point} overflow; "
                                "use a smaller noise")
        xs.append(point)
        ys.append(1.0 if upper else -1.0)
    return xs, ys
