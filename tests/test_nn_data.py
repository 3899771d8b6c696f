"""Data sets: the 3-class spiral, XOR, minitorch's sets and one-hot targets (issue 8)."""

from __future__ import annotations

import math
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nn import make_spirals, make_xor, one_hot
from nn.data import DATASETS, circle, diag, simple, spiral, split, xor


# --------------------------------------------------------------------- spirals
def _old_two_spirals(
    n: int, noise: float, turns: float, seed: int
) -> tuple[list[list[float]], list[int]]:
    """make_spirals as it was before ``classes`` (the 2-class output must not change)."""
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
    order = list(range(len(points)))
    rng.shuffle(order)
    return [points[i] for i in order], [labels[i] for i in order]


@given(st.integers(2, 60), st.integers(0, 5))
def test_two_class_spirals_are_unchanged(n: int, seed: int) -> None:
    X, y = make_spirals(n, seed=seed)
    X0, y0 = _old_two_spirals(n, 0.1, 1.5, seed)
    assert y == y0
    assert [c for p in X for c in p] == pytest.approx([c for p in X0 for c in p], abs=0)


def test_three_class_spiral_has_dezeros_layout() -> None:
    X, y = make_spirals(300, classes=3, seed=0)
    assert len(X) == 300
    assert [y.count(k) for k in range(3)] == [100, 100, 100]
    assert sorted(set(y)) == [0, 1, 2]
    assert all(len(p) == 2 and all(isinstance(c, float) for c in p) for p in X)
    assert (X, y) == make_spirals(300, classes=3, seed=0)
    assert make_spirals(300, classes=3, seed=1)[0] != X


def test_spiral_arms_are_turned_copies_of_arm_zero() -> None:
    X, y = make_spirals(90, noise=0.0, classes=3, seed=0)
    arms = {
        k: sorted((p for p, c in zip(X, y, strict=True) if c == k), key=lambda p: math.hypot(*p))
        for k in (0, 1, 2)
    }
    for k in (1, 2):
        turn = 2 * math.pi * k / 3
        for (x0, y0), (xk, yk) in zip(arms[0], arms[k], strict=True):
            assert xk == pytest.approx(x0 * math.cos(turn) - y0 * math.sin(turn), abs=1e-12)
            assert yk == pytest.approx(x0 * math.sin(turn) + y0 * math.cos(turn), abs=1e-12)
    radii = sorted(math.hypot(*p) for p in arms[0])
    assert radii == pytest.approx([(i + 1) / 30 for i in range(30)], abs=1e-12)


def test_spiral_uneven_split_and_bad_classes() -> None:
    _, y = make_spirals(10, classes=3, seed=0)
    assert [y.count(k) for k in range(3)] == [3, 3, 4]
    for bad in (1, 0, 11, 2.0, True):
        with pytest.raises(ValueError, match="classes must be an int from 2 to n=10"):
            make_spirals(10, classes=bad)  # type: ignore[arg-type]


# ------------------------------------------------------------------------- XOR
def test_xor_truth_table() -> None:
    assert make_xor() == ([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [0, 1, 1, 0])


def test_noisy_xor_is_seeded_and_labelled_by_corner() -> None:
    X, y = make_xor(40, noise=0.1, seed=3)
    assert (X, y) == make_xor(40, noise=0.1, seed=3)
    assert make_xor(40, noise=0.1, seed=4)[0] != X
    assert y == [0, 1, 1, 0] * 10
    corners = [(0, 0), (0, 1), (1, 0), (1, 1)] * 10
    assert all(math.dist(p, c) < 0.6 for p, c in zip(X, corners, strict=True))


# --------------------------------------------------------------- minitorch's sets
RULES = {
    "simple": lambda a, b: a < 0.5,
    "diag": lambda a, b: a + b < 0.5,
    "split": lambda a, b: a < 0.2 or a > 0.8,
    "xor": lambda a, b: (a < 0.5 and b > 0.5) or (a > 0.5 and b < 0.5),
    "circle": lambda a, b: (a - 0.5) ** 2 + (b - 0.5) ** 2 > 0.1,
}


@pytest.mark.parametrize("name", list(RULES))
def test_minitorch_sets_follow_minitorchs_rules(name: str) -> None:
    make = DATASETS[name]
    X, y = make(200, seed=1)
    assert len(X) == len(y) == 200
    assert all(0.0 <= c < 1.0 for p in X for c in p)
    assert y == [int(RULES[name](a, b)) for a, b in X]
    assert 0 < sum(y) < 200
    assert (X, y) == make(200, seed=1)
    assert make(200, seed=2)[0] != X


def test_minitorch_names() -> None:
    assert list(DATASETS) == ["simple", "diag", "split", "xor", "circle", "spiral"]
    assert [DATASETS[k] for k in DATASETS] == [simple, diag, split, xor, circle, spiral]


def test_minitorch_spiral_formula() -> None:
    X, y = spiral(50)
    assert y == [0] * 25 + [1] * 25
    t = 10.0 * 5 / 25  # minitorch starts at i = 5
    assert X[0] == pytest.approx([t * math.cos(t) / 20 + 0.5, t * math.sin(t) / 20 + 0.5])
    assert X[25] == pytest.approx([-t * math.sin(-t) / 20 + 0.5, -t * math.cos(-t) / 20 + 0.5])
    assert spiral(50, seed=7) == (X, y)  # deterministic
    with pytest.raises(ValueError, match="n must be even"):
        spiral(51)


# ---------------------------------------------------------------------- one-hot
def test_one_hot() -> None:
    assert one_hot([2, 0, 1], 3) == [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]
    assert one_hot([], 4) == []
    with pytest.raises(ValueError, match=r"label 3 at position 1 is not a class index 0\.\.2"):
        one_hot([0, 3], 3)
    with pytest.raises(ValueError, match="label True at position 0"):
        one_hot([True], 3)  # type: ignore[list-item]
    with pytest.raises(ValueError, match="n_classes must be an int >= 1"):
        one_hot([0], 0)
