"""Losses: values, gradients, stability, and length checks."""

from __future__ import annotations

import math
from typing import Any

import pytest

from autograd import Value, gradcheck, topo_order
from nn import MLP, Neuron, bce, bce_with_logits, hinge, l2, mse, softmax_cross_entropy, sse_half


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


def _no_ops(root: Value) -> list[str]:
    """The op nodes of root's graph that do nothing: ``*1``, ``/1``, ``+0``, ``-0``."""
    found = []
    for v in topo_order(root):
        consts = [c for c in v.inputs if not isinstance(c, Value)]
        if v.op in ("*", "/") and any(c == 1 for c in consts) and v.inputs[-1] in consts:
            found.append(f"{v.op}1")
        if v.op == "*" and v.inputs[0] == 1 and not isinstance(v.inputs[0], Value):
            found.append("1*")
        if v.op in ("+", "-") and any(c == 0 for c in consts):
            found.append(f"{v.op}0")
    return found


def _n_nodes(root: Value) -> int:
    """Values plus op nodes, as a drawing counts them."""
    values = topo_order(root)
    return len(values) + sum(1 for v in values if v.op)


def test_single_output_losses_add_no_noop_nodes() -> None:
    p = Value(0.7)
    # mse of one output: (p - t)**2, nothing else (no /1 node)
    loss = mse(p, 0.5)
    assert [v.op for v in topo_order(loss)] == ["", "-", "**"]
    assert _n_nodes(loss) == 5
    assert _n_nodes(mse(p, 0.0)) == 3  # p**2: a target of 0 is not subtracted
    assert _n_nodes(sse_half(p, 0.5)) == 7  # t - p, **2, 0.5*
    assert _n_nodes(hinge(p, 1)) == 5  # 1 - p, relu (no *1)
    assert _n_nodes(hinge(p, -1)) == 5  # 1 + p, relu (no *-1)
    assert _n_nodes(bce(Value(0.3), 1)) == 5  # log, neg (no 1*, no 0*log(1-p))
    assert _n_nodes(bce_with_logits(p, 0)) == 3  # softplus only
    assert _n_nodes(l2([p], 1.0)) == 3  # p*p (no *1)


@pytest.mark.parametrize(
    "make",
    [
        lambda ps: mse(ps, [0.0, 1.0, 0.5]),
        lambda ps: mse(ps[0], 0.0),
        lambda ps: sse_half(ps, [0.0, 0.4, 1.0]),
        lambda ps: bce([p.sigmoid() for p in ps], [1, 0, 0.3]),
        lambda ps: bce(ps[0].sigmoid(), 1.0),
        lambda ps: bce_with_logits(ps, [1, 0, 0.5]),
        lambda ps: softmax_cross_entropy(ps, 1),
        lambda ps: softmax_cross_entropy([ps], [2]),
        lambda ps: softmax_cross_entropy([Value(0.0), ps[0]], 0),
        lambda ps: hinge(ps, [1, -1, 1]),
        lambda ps: l2(ps, 1),
        lambda ps: l2(ps, 0.5),
    ],
)
def test_losses_have_no_noop_nodes_and_right_gradients(make: Any) -> None:
    ps = [Value(0.3), Value(-0.4), Value(1.2)]
    assert _no_ops(make(ps)) == []
    assert gradcheck(lambda a, b, c: make([a, b, c]), [0.3, -0.4, 1.2])


def test_layers_add_no_noop_nodes() -> None:
    model = MLP(2, [2, 1], activation="tanh", seed=0)
    out = model([0.5, -1.0])
    assert _no_ops(out) == []
    # per neuron: b + w1*x1 + w2*x2 then the activation; inputs are constants in the op
    # layer 1: 2 * (3 params + 2 mul + 2 add + tanh) Values, each non-leaf with an op node
    # layer 2: 3 params + (2 mul + 2 add) ops, linear output (no extra node)
    assert _n_nodes(out) == 2 * (3 + 2 * 5) + (3 + 2 * 4)
    no_bias = Neuron(2, activation=None, bias=False)
    assert [v.op for v in topo_order(no_bias([1.5, 2.0]))].count("+") == 1
