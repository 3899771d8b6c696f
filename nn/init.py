"""Weight initialisers, each drawing from an explicit ``random.Random`` (or a seed).

Every initialiser has the signature ``init(fan_in, fan_out, rng) -> float`` and returns
one weight. ``rng`` is a ``random.Random`` (use one for a sequence of draws) or an int
seed. Names accepted by ``init=``: the function names below, plus ``"xavier"``
(= xavier_uniform) and ``"he"`` (= he_normal, variance 2/fan_in as in the lecture notes).

>>> import random
>>> rng = random.Random(0)
>>> w = [he_normal(8, 8, rng) for _ in range(3)]
>>> w == [he_normal(8, 8, r) for r in [random.Random(0)] for _ in range(3)]
True
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable

__all__ = [
    "INITIALIZERS",
    "Initializer",
    "as_rng",
    "get",
    "he_normal",
    "he_uniform",
    "normal",
    "uniform",
    "xavier_normal",
    "xavier_uniform",
]

Initializer = Callable[[int, int, random.Random], float]


def as_rng(rng: random.Random | int | None) -> random.Random:
    """A ``random.Random``: ``rng`` itself, one seeded with it, or one seeded with 0."""
    if isinstance(rng, random.Random):
        return rng
    if rng is None:
        return random.Random(0)
    if isinstance(rng, int) and not isinstance(rng, bool):
        return random.Random(rng)
    raise TypeError(f"rng must be a random.Random or an int seed, got {type(rng).__name__}")


def uniform(fan_in: int, fan_out: int, rng: random.Random | int | None = None) -> float:
    """U(-1, 1), as micrograd initialises."""
    return as_rng(rng).uniform(-1.0, 1.0)


def normal(fan_in: int, fan_out: int, rng: random.Random | int | None = None) -> float:
    """N(0, 1): the lecture notes' explosive initialisation (the "Chapter 7 Code Total" notes)."""
    return as_rng(rng).gauss(0.0, 1.0)


def xavier_uniform(fan_in: int, fan_out: int, rng: random.Random | int | None = None) -> float:
    """U(-a, a) with a = sqrt(6 / (fan_in + fan_out)) (Glorot)."""
    a = math.sqrt(6.0 / (fan_in + fan_out))
    return as_rng(rng).uniform(-a, a)


def xavier_normal(fan_in: int, fan_out: int, rng: random.Random | int | None = None) -> float:
    """N(0, 2 / (fan_in + fan_out)) (Glorot)."""
    return as_rng(rng).gauss(0.0, math.sqrt(2.0 / (fan_in + fan_out)))


def he_normal(fan_in: int, fan_out: int, rng: random.Random | int | None = None) -> float:
    """N(0, 2 / fan_in) (He / Kaiming), for ReLU networks."""
    return as_rng(rng).gauss(0.0, math.sqrt(2.0 / fan_in))


def he_uniform(fan_in: int, fan_out: int, rng: random.Random | int | None = None) -> float:
    """U(-a, a) with a = sqrt(6 / fan_in): variance 2 / fan_in."""
    a = math.sqrt(6.0 / fan_in)
    return as_rng(rng).uniform(-a, a)


INITIALIZERS: dict[str, Initializer] = {
    "uniform": uniform,
    "normal": normal,
    "xavier_uniform": xavier_uniform,
    "xavier_normal": xavier_normal,
    "xavier": xavier_uniform,
    "he_normal": he_normal,
    "he_uniform": he_uniform,
    "he": he_normal,
}


def get(init: str | Initializer) -> Initializer:
    """The initialiser named ``init`` (or ``init`` itself if it is callable)."""
    if callable(init):
        return init
    if isinstance(init, str) and init in INITIALIZERS:
        return INITIALIZERS[init]
    raise ValueError(f"unknown init {init!r}; valid: {', '.join(INITIALIZERS)} or a callable")
