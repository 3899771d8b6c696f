"""Small seeded data sets (no sklearn): moons, circles, spirals, sine, and a split.

Classification sets return ``(X, y)`` with ``X`` a list of ``[x1, x2]`` lists of floats
and ``y`` class indices 0/1, as sklearn does.

>>> X, y = make_moons(10, seed=1)
>>> len(X), sorted(set(y)), X == make_moons(10, seed=1)[0]
(10, [0, 1], True)
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from typing import Any

__all__ = ["make_circles", "make_moons", "make_sine", "make_spirals", "train_test_split"]


def _check_n(n: Any) -> int:
    if not isinstance(n, int) or isinstance(n, bool) or n < 2:
        raise ValueError(f"n must be an int >= 2, got {n!r}")
    return n


def _shuffled(
    points: list[list[float]], labels: list[int], rng: random.Random
) -> tuple[list[list[float]], list[int]]:
    order = list(range(len(points)))
    rng.shuffle(order)
    return [points[i] for i in order], [labels[i] for i in order]


def _linspace(a: float, b: float, n: int) -> list[float]:
    return [a + (b - a) * i / (n - 1) for i in range(n)] if n > 1 else [a]


def make_moons(
    n: int = 100, noise: float = 0.1, seed: int = 0
) -> tuple[list[list[float]], list[int]]:
    """Two interleaving half circles (sklearn's make_moons), Gaussian ``noise``."""
    _check_n(n)
    rng = random.Random(seed)
    n_out = n // 2
    n_in = n - n_out
    points = [[math.cos(t), math.sin(t)] for t in _linspace(0.0, math.pi, n_out)]
    points += [[1 - math.cos(t), 1 - math.sin(t) - 0.5] for t in _linspace(0.0, math.pi, n_in)]
    labels = [0] * n_out + [1] * n_in
    points = [[x + rng.gauss(0, noise), y + rng.gauss(0, noise)] for x, y in points]
    return _shuffled(points, labels, rng)


def make_circles(
    n: int = 100, noise: float = 0.05, factor: float = 0.5, seed: int = 0
) -> tuple[list[list[float]], list[int]]:
    """A large circle (class 0) around a smaller one (class 1, radius ``factor``)."""
    _check_n(n)
    if not 0 < factor < 1:
        raise ValueError(f"factor must be between 0 and 1, got {factor!r}")
    rng = random.Random(seed)
    n_out = n // 2
    n_in = n - n_out
    outer = [2 * math.pi * i / n_out for i in range(n_out)]
    inner = [2 * math.pi * i / n_in for i in range(n_in)]
    points = [[math.cos(t), math.sin(t)] for t in outer]
    points += [[factor * math.cos(t), factor * math.sin(t)] for t in inner]
    labels = [0] * n_out + [1] * n_in
    points = [[x + rng.gauss(0, noise), y + rng.gauss(0, noise)] for x, y in points]
    return _shuffled(points, labels, rng)


def make_spirals(
    n: int = 100, noise: float = 0.1, turns: float = 1.5, seed: int = 0
) -> tuple[list[list[float]], list[int]]:
    """Two interleaved spirals of ``turns`` turns (class 0 and its point reflection, 1)."""
    _check_n(n)
    rng = random.Random(seed)
    n0 = n // 2
    points: list[list[float]] = []
    labels: list[int] = []
    for cls, count in ((0, n0), (1, n - n0)):
        for i in range(count):
            r = (i + 1) / count
            t = 2 * math.pi * turns * r
            sign = 1 if cls == 0 else -1
            points.append(
                [
                    sign * r * math.cos(t) + rng.gauss(0, noise),
                    sign * r * math.sin(t) + rng.gauss(0, noise),
                ]
            )
            labels.append(cls)
    return _shuffled(points, labels, rng)


def make_sine(
    n: int = 100, noise: float = 0.0, seed: int = 0, low: float = -math.pi, high: float = math.pi
) -> tuple[list[list[float]], list[float]]:
    """``y = sin(x) + noise`` at ``n`` evenly spaced ``x`` in [low, high] (regression)."""
    _check_n(n)
    rng = random.Random(seed)
    xs = _linspace(low, high, n)
    return [[x] for x in xs], [math.sin(x) + (rng.gauss(0, noise) if noise else 0.0) for x in xs]


def train_test_split(
    X: Sequence[Any], y: Sequence[Any], test_size: float = 0.25, seed: int = 0
) -> tuple[list[Any], list[Any], list[Any], list[Any]]:
    """Shuffle and split into ``X_train, X_test, y_train, y_test`` (``test_size``: fraction)."""
    if len(X) != len(y):
        raise ValueError(f"train_test_split: {len(X)} inputs but {len(y)} targets")
    if not 0 < test_size < 1:
        raise ValueError(f"test_size must be a fraction between 0 and 1, got {test_size!r}")
    order = list(range(len(X)))
    random.Random(seed).shuffle(order)
    n_test = max(1, round(len(X) * test_size))
    test, train = order[:n_test], order[n_test:]
    return [X[i] for i in train], [X[i] for i in test], [y[i] for i in train], [y[i] for i in test]
