"""Small seeded data sets (no sklearn): moons, circles, spirals, XOR, sine, minitorch's
sets, one-hot targets, and a train/test split.

Classification sets return ``(X, y)`` with ``X`` a list of ``[x1, x2]`` lists of floats
and ``y`` class indices (0/1, or 0..classes-1), as sklearn does. Every random set takes
a ``seed``: the same seed gives the same data.

>>> X, y = make_moons(10, seed=1)
>>> len(X), sorted(set(y)), X == make_moons(10, seed=1)[0]
(10, [0, 1], True)
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from typing import Any

__all__ = [
    "DATASETS",
    "circle",
    "diag",
    "make_circles",
    "make_moons",
    "make_sine",
    "make_spirals",
    "make_xor",
    "one_hot",
    "simple",
    "spiral",
    "split",
    "train_test_split",
    "xor",
]


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
    n: int = 100, noise: float = 0.1, turns: float = 1.5, seed: int = 0, *, classes: int = 2
) -> tuple[list[list[float]], list[int]]:
    """``classes`` interleaved spiral arms of ``turns`` turns, ``n`` points in all.

    Arm ``j`` is arm 0 turned by ``2*pi*j/classes`` (with 2 classes: its point
    reflection); each arm holds ``n // classes`` points (the last ``n % classes`` arms
    one more), from the centre out to radius 1, with Gaussian ``noise``.
    ``make_spirals(300, classes=3)`` has the layout of DeZero's ``get_spiral()``: 100
    points in each of 3 classes, labels 0, 1, 2 (DeZero's arms span 4 radians,
    ``turns=0.64``, with angular noise).

    >>> X, y = make_spirals(300, classes=3, seed=0)
    >>> len(X), [y.count(k) for k in range(3)]
    (300, [100, 100, 100])
    """
    _check_n(n)
    if not isinstance(classes, int) or isinstance(classes, bool) or not 2 <= classes <= n:
        raise ValueError(f"make_spirals: classes must be an int from 2 to n={n}, got {classes!r}")
    rng = random.Random(seed)
    points: list[list[float]] = []
    labels: list[int] = []
    for cls in range(classes):
        count = n // classes + (1 if cls >= classes - n % classes else 0)
        if classes == 2:  # the point reflection, exactly (as before classes existed)
            c, s = (1.0, 0.0) if cls == 0 else (-1.0, 0.0)
        else:
            c, s = math.cos(2 * math.pi * cls / classes), math.sin(2 * math.pi * cls / classes)
        for i in range(count):
            r = (i + 1) / count
            t = 2 * math.pi * turns * r
            x, z = r * math.cos(t), r * math.sin(t)
            points.append(
                [c * x - s * z + rng.gauss(0, noise), s * x + c * z + rng.gauss(0, noise)]
            )
            labels.append(cls)
    return _shuffled(points, labels, rng)


def make_xor(n: int = 4, noise: float = 0.0, seed: int = 0) -> tuple[list[list[float]], list[int]]:
    """XOR: the corners of the unit square, label 1 where exactly one coordinate is 1.

    ``make_xor()`` is the truth table ``[[0, 0], [0, 1], [1, 0], [1, 1]] -> [0, 1, 1, 0]``;
    a larger ``n`` repeats the corners in that order with Gaussian ``noise``.

    >>> make_xor()
    ([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [0, 1, 1, 0])
    """
    _check_n(n)
    rng = random.Random(seed)
    corners = [(0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0)]
    X: list[list[float]] = []
    y: list[int] = []
    for i in range(n):
        a, b = corners[i % 4]
        if noise:
            a, b = a + rng.gauss(0, noise), b + rng.gauss(0, noise)
        X.append([a, b])
        y.append(i % 4 in (1, 2))
    return X, [int(v) for v in y]


def one_hot(labels: Sequence[int], n_classes: int) -> list[list[float]]:
    """Rows of ``n_classes`` floats with 1.0 at each label (targets for softmax_cross_entropy).

    >>> one_hot([0, 2], 3)
    [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]
    """
    if not isinstance(n_classes, int) or isinstance(n_classes, bool) or n_classes < 1:
        raise ValueError(f"one_hot: n_classes must be an int >= 1, got {n_classes!r}")
    rows = []
    for i, k in enumerate(labels):
        if not isinstance(k, int) or isinstance(k, bool) or not 0 <= k < n_classes:
            raise ValueError(
                f"one_hot: label {k!r} at position {i} is not a class index 0..{n_classes - 1}"
            )
        row = [0.0] * n_classes
        row[k] = 1.0
        rows.append(row)
    return rows


# ----------------------------------------------------------------- minitorch's sets
def _unit_square(n: int, seed: int) -> list[list[float]]:
    _check_n(n)
    rng = random.Random(seed)
    return [[rng.random(), rng.random()] for _ in range(n)]


def _labelled(
    n: int, seed: int, rule: Callable[[float, float], bool]
) -> tuple[list[list[float]], list[int]]:
    X = _unit_square(n, seed)
    return X, [int(rule(a, b)) for a, b in X]


def simple(n: int = 50, seed: int = 0) -> tuple[list[list[float]], list[int]]:
    """minitorch's ``simple``: uniform points in the unit square, 1 where ``x1 < 0.5``."""
    return _labelled(n, seed, lambda a, b: a < 0.5)


def diag(n: int = 50, seed: int = 0) -> tuple[list[list[float]], list[int]]:
    """minitorch's ``diag``: uniform points in the unit square, 1 where ``x1 + x2 < 0.5``."""
    return _labelled(n, seed, lambda a, b: a + b < 0.5)


def split(n: int = 50, seed: int = 0) -> tuple[list[list[float]], list[int]]:
    """minitorch's ``split``: uniform points, 1 where ``x1 < 0.2`` or ``x1 > 0.8``."""
    return _labelled(n, seed, lambda a, b: a < 0.2 or a > 0.8)


def xor(n: int = 50, seed: int = 0) -> tuple[list[list[float]], list[int]]:
    """minitorch's ``xor``: uniform points, 1 where one coordinate is below 0.5 and the
    other above."""
    return _labelled(n, seed, lambda a, b: (a < 0.5 < b) or (b < 0.5 < a))


def circle(n: int = 50, seed: int = 0) -> tuple[list[list[float]], list[int]]:
    """minitorch's ``circle``: uniform points, 1 outside the circle of radius sqrt(0.1)
    around (0.5, 0.5)."""
    return _labelled(n, seed, lambda a, b: (a - 0.5) ** 2 + (b - 0.5) ** 2 > 0.1)


def spiral(n: int = 50, seed: int = 0) -> tuple[list[list[float]], list[int]]:
    """minitorch's ``spiral``: two spirals ``t (cos t, sin t) / 20`` around (0.5, 0.5).

    Deterministic (``seed`` is accepted so that every set in :data:`DATASETS` is called
    the same way); ``n`` must be even: ``n // 2`` points per class.
    """
    _check_n(n)
    if n % 2:
        raise ValueError(f"spiral: n must be even (n // 2 points per class), got {n}")
    half = n // 2

    def px(t: float) -> float:
        return t * math.cos(t) / 20.0

    def py(t: float) -> float:
        return t * math.sin(t) / 20.0

    ts = [10.0 * i / half for i in range(5, 5 + half)]
    X = [[px(t) + 0.5, py(t) + 0.5] for t in ts]
    X += [[py(-t) + 0.5, px(-t) + 0.5] for t in ts]
    return X, [0] * half + [1] * half


DATASETS: dict[str, Callable[..., tuple[list[list[float]], list[int]]]] = {
    "simple": simple,
    "diag": diag,
    "split": split,
    "xor": xor,
    "circle": circle,
    "spiral": spiral,
}
"""minitorch's data sets by name: each ``fn(n, seed=0) -> (X, y)``."""


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
