"""Seeded weight initialisation: the same seed gives the same network."""

from __future__ import annotations

import math
import random


def make_rng(seed: int | random.Random | None) -> random.Random:
    """A private random generator: from a seed, or the given one (never the global one)."""
    if isinstance(seed, random.Random):
        return seed
    return random.Random(seed)


def uniform_fan_in(rng: random.Random, fan_in: int) -> float:
    """U(-1/sqrt(fan_in), 1/sqrt(fan_in)), PyTorch's default for linear layers."""
    bound = 1.0 / math.sqrt(max(fan_in, 1))
    return rng.uniform(-bound, bound)
