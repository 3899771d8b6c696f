"""Losses: values, gradients, stability, and length checks."""

from __future__ import annotations

import math

import pytest

from autograd import Value, gradcheck
from nn import bce, bce_with_logits, hinge, l2, mse, softmax_cross_entropy, sse_half


def test_mse_and_sse_half() -> None:
    p = [Value(1.0), Value(3.0)]
    assert mse(p, [0.0, 1.0]).data == pytest.approx((1 + 4) / 2)
    assert sse_half(p, [0.0, 1.0]).data == pytest.approx(0.5 * (1 + 4))
    assert mse(Value(2.0), 1.0).data == pytest.approx(1.0)
    assert mse([[Value(1.0)], [Value(2.0)]], [[0.0], [0.0]]).data == pytest.approx(2.5)


def test_mismatched_lengths() -> None:
    for fn in (mse, sse_half, bce, bce_with_logits, hinge):
        with pytest.raises(ValueError, match="2 predictions but 1 targets"):
            fn([Value(0.5), Value(0.5)], [1])


def test_bce_matches_formula_and_floors_logs() -> None:
    p = Value(0.8)
    assert bce(p, 1.0).data == pytest.approx(-math.log(0.8))
    assert bce(Value(0.0), 1.0).data == pytest.approx(100.0)  # log floored at -100
    assert math.isfinite(bce(Value(1.0), 1.0).data)


@pytest.mark.parametrize("z", [-1000.0, -30.0, 0.0, 2.0, 30.0, 1000.0])
@pytest.mark.parametrize("t", [0.0, 1.0])
def test_bce_with_logits_is_stable(z: float, t: float) -> None:
    v = Value(z)
    loss = bce_with_logits(v, t)
    loss.backward()
    sig = 1 / (1 + math.exp(-z)) if z > -700 else 0.0
    expected = max(z, 0) - t * z + math.log1p(math.exp(-abs(z)))
    assert loss.data == pytest.approx(expected)
    assert v.grad == pytest.approx(sig - t, abs=1e-12)


def test_softmax_cross_entropy_is_stable_and_correct() -> None:
    logits = [Value(1.0), Value(2.0), Value(3.0)]
    loss = softmax_cross_entropy(logits, 2)
    expected = -math.log(math.exp(3) / (math.exp(1) + math.exp(2) + math.exp(3)))
    assert loss.data == pytest.approx(expected)
    big = [Value(1000.0), Value(0.0)]
    assert softmax_cross_entropy(big, 0).data == pytest.approx(0.0, abs=1e-12)
    assert softmax_cross_entropy(big, 1).data == pytest.approx(1000.0)
    assert gradcheck(lambda a, b, c: softmax_cross_entropy([a, b, c], 1), [0.3, -1.0, 2.0])
    batch = softmax_cross_entropy([[Value(0.0), Value(0.0)], [Value(0.0), Value(0.0)]], [0, 1])
    assert batch.data == pytest.approx(math.log(2))


def test_softmax_cross_entropy_bad_class() -> None:
    with pytest.raises(ValueError, match="out of range"):
        softmax_cross_entropy([Value(1.0)], 3)
    with pytest.raises(ValueError, match="int"):
        softmax_cross_entropy([Value(1.0)], 0.5)


def test_hinge() -> None:
    assert hinge([Value(0.5), Value(-2.0)], [1, -1]).data == pytest.approx((0.5 + 0.0) / 2)
    with pytest.raises(ValueError, match="-1 or \\+1"):
        hinge(Value(0.5), 0)


def test_l2() -> None:
    ps = [Value(1.0), Value(-2.0)]
    reg = l2(ps, 0.1)
    reg.backward()
    assert reg.data == pytest.approx(0.5)
    assert [p.grad for p in ps] == pytest.approx([0.2, -0.4])
    with pytest.raises(ValueError, match="no parameters"):
        l2([], 0.1)
