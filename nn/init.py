"""Seeded weight initialisation: the same seed gives the same network."""

from __future__ import annotations

import math
import numbers
import random


def make_rng(seed: int | random.Random | None, who: str = "seed") -> random.Random:
    """A private random generator: from a seed, or the given one; without either, seeded from ``random``.

    ``seed=None`` draws the private generator's seed from the global generator, so ``random.seed(1337)``
    before building a model makes it reproducible, as in micrograd (whose weights come from
    ``random.uniform``) and PyTorch (``torch.manual_seed``). The global generator moves on by one draw.
    Any other seed than an int (not a bool) is refused with TypeError, naming ``who`` (the caller).
    """
    if isinstance(seed, random.Random):
        return seed
    if seed is None:
        return random.Random(random.getrandbits(64))
    if not isinstance(seed, numbers.Integral) or isinstance(seed, bool):
        # random.Random would take a str, a float or bytes without a word (hashing "a" to some network), and a
        # bool is most likely a misplaced flag
        raise TypeError(f"{who}: seed must be an int, a random.Random or None, got {type(seed).__name__} {seed!r:.60}")
    return random.Random(int(seed))  # a numpy integer seeds as the same int


def uniform_fan_in(rng: random.Random, fan_in: int) -> float:
    """U(-1/sqrt(fan_in), 1/sqrt(fan_in)), PyTorch's default for linear layers."""
    bound = 1.0 / math.sqrt(max(fan_in, 1))
    return rng.uniform(-bound, bound)
