"""backward(): fan-out, deep graphs, repeated backward, create_graph, zero_grad."""

from __future__ import annotations

import gc
import math
import subprocess
import sys

import pytest

import autograd
from autograd import Value, contributions, topo_order, zero_grad


def test_x_times_x() -> None:
    x = Value(3.0)
    (x * x).backward()
    assert x.grad == pytest.approx(6.0)


def test_a_plus_a() -> None:
    a = Value(-2.0)
    (a + a).backward()
    assert a.grad == pytest.approx(2.0)


def test_nested_fan_out() -> None:
    a = Value(1.5)
    s = a + a
    (s + s).backward()
    assert a.grad == pytest.approx(4.0)
    assert s.grad == pytest.approx(2.0)


def test_interior_node_used_in_many_places() -> None:
    x = Value(0.7)
    h = x.tanh()
    y = h * h + h.sin() * 3 + h / 2 - h.exp()
    y.backward()
    hv = math.tanh(0.7)
    dy_dh = 2 * hv + 3 * math.cos(hv) + 0.5 - math.exp(hv)
    assert h.grad == pytest.approx(dy_dh)
    assert x.grad == pytest.approx(dy_dh * (1 - hv * hv))


def test_leaf_used_in_many_places_in_a_wide_sum() -> None:
    x = Value(2.0)
    total = sum(x * i for i in range(100))
    assert isinstance(total, Value)
    total.backward()
    assert x.grad == pytest.approx(sum(range(100)))


def test_leaves_accumulate_and_interior_nodes_show_latest() -> None:
    x = Value(2.0)
    h = x * 3
    y = h * h
    y.backward()
    assert x.grad == pytest.approx(36.0)
    assert h.grad == pytest.approx(12.0)
    y.backward()
    assert x.grad == pytest.approx(72.0)  # leaf accumulated
    assert h.grad == pytest.approx(12.0)  # interior: latest backward only
    zero_grad([x])
    assert x.grad == 0.0
    y.backward()
    assert x.grad == pytest.approx(36.0)


def test_backward_from_an_interior_node_of_a_larger_graph() -> None:
    x = Value(1.0)
    h = x * 2
    y = h * 5
    y.backward()
    zero_grad([x])
    h.backward()
    assert x.grad == pytest.approx(2.0)
    assert h.grad == 1.0


def test_backward_on_a_leaf_accumulates_one() -> None:
    x = Value(4.0)
    x.backward()
    x.backward()
    assert x.grad == 2.0


def test_zero_grad_rejects_non_values() -> None:
    with pytest.raises(TypeError, match="zero_grad"):
        zero_grad([1.0])  # type: ignore[list-item]


def test_million_op_chain_with_default_recursion_limit() -> None:
    code = (
        "import sys\n"
        "from autograd import Value\n"
        "assert sys.getrecursionlimit() == 1000\n"
        "x0 = Value(0.5)\n"
        "x = x0\n"
        "for _ in range(1_000_000):\n"
        "    x = x * 1.0 + 1e-9\n"
        "x.backward()\n"
        "print(x0.grad)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=300
    )
    assert float(out.stdout) == pytest.approx(1.0)


def test_deep_chain_in_process_and_topo_order() -> None:
    x0 = Value(0.1)
    x = x0
    for _ in range(50_000):
        x = (x * 1.0001).tanh()
    x.backward()
    assert math.isfinite(x0.grad)
    assert x0.grad > 0
    order = topo_order(x)
    assert order[0] is x0
    assert order[-1] is x
    assert len(order) == 100_001


def test_topo_order_lists_inputs_before_users() -> None:
    a, b = Value(1.0), Value(2.0)
    c = a * b
    d = c + a
    e = d * c
    order = topo_order(e)
    pos = {id(v): i for i, v in enumerate(order)}
    for v in order:
        for p in v.parents:
            assert pos[id(p)] < pos[id(v)]
    assert len(order) == 5


def test_create_graph_gives_second_derivative() -> None:
    x = Value(0.8)
    y = x.sin() * x**3
    y.backward(create_graph=True)
    g = x.grad
    assert isinstance(g, Value)
    assert g.data == pytest.approx(math.cos(0.8) * 0.8**3 + 3 * 0.8**2 * math.sin(0.8))
    x.grad = 0.0
    g.backward()
    expected = -math.sin(0.8) * 0.8**3 + 6 * 0.8**2 * math.cos(0.8) + 6 * 0.8 * math.sin(0.8)
    assert x.grad == pytest.approx(expected)


def test_create_graph_third_derivative() -> None:
    x = Value(1.3)
    y = x.exp() * x
    y.backward(create_graph=True)
    g1 = x.grad
    x.grad = 0.0
    g1.backward(create_graph=True)
    g2 = x.grad
    x.grad = 0.0
    g2.backward()
    assert x.grad == pytest.approx(math.exp(1.3) * (1.3 + 3))


def test_failed_backward_leaves_the_graph_usable() -> None:
    def bad_partials(a: float, out: float) -> tuple[float]:
        raise RuntimeError("boom")

    bad = autograd.defop("bad", lambda a: a, bad_partials)
    x = Value(2.0)
    h = x * 3
    y = bad(h) + h * h
    with pytest.raises(RuntimeError, match="boom"):
        y.backward()
    z = h * h
    z.backward()
    assert h.grad == pytest.approx(12.0)
    zero_grad([x])
    z.backward()
    assert x.grad == pytest.approx(36.0)


def test_inlined_rules_give_the_same_floats_as_the_op_table() -> None:
    """propagate inlines + - * tanh relu; the gradients must be the table's, bit for bit."""
    samples = (-2.5, -1e-300, 0.0, -0.0, 5e-324, 0.75, 3.0, 1e300, math.inf, math.nan)
    for x in samples:
        for y in samples:
            for make in (
                lambda a, b: a + b,
                lambda a, b: a - b,
                lambda a, b: a * b,
                lambda a, b: a * 2.5,
                lambda a, b: 2.5 - b,
                lambda a, b: (a * 1e-3).tanh() * b,
                lambda a, b: a.relu() * b,
                lambda a, b: (a - b).relu(),
            ):
                a, b = Value(x), Value(y)
                out = make(a, b)
                for seed in (1.0, -3.5):
                    a.grad = b.grad = 0.0
                    out.backward(seed)
                    # the op table's chain rule, one node at a time (contributions uses
                    # the table's partials, not the inlined ones)
                    want = {a: 0.0, b: 0.0}
                    stack = [(out, seed)]
                    while stack:
                        v, g = stack.pop()
                        if v._op is None:
                            want[v] += g
                            continue
                        v.grad = g
                        for p, c in zip(v.inputs, contributions(v), strict=True):
                            if c is not None:
                                stack.append((p, c))
                    for leaf in (a, b):
                        got, exp = leaf.grad, want[leaf]
                        # bit for bit (same float, same sign of zero, NaN where NaN)
                        same = got == exp and math.copysign(1, got) == math.copysign(1, exp)
                        assert same or (got != got and exp != exp), (x, y, seed, got, exp)


def _gc_probe(seen: list[bool]) -> object:
    """A user op whose rule records whether the cyclic collector is on during backward."""

    def partials(x: object, out: object) -> tuple[float]:
        seen.append(gc.isenabled())
        return (1.0,)

    return autograd.defop("gc_probe", lambda x: x, partials)


@pytest.mark.parametrize("create_graph", [False, True])
def test_backward_pauses_the_collector_and_restores_it(create_graph: bool) -> None:
    seen: list[bool] = []
    probe = _gc_probe(seen)
    was = gc.isenabled()
    try:
        for enabled in (True, False):
            (gc.enable if enabled else gc.disable)()
            x = Value(2.0)
            y = probe(x * x)  # type: ignore[operator]
            y.backward(create_graph=create_graph)
            assert gc.isenabled() is enabled  # as it was before the pass
            grad = x.grad.data if create_graph else x.grad
            assert grad == pytest.approx(4.0)
        assert seen == [False, False]  # paused during the pass, both times
    finally:
        (gc.enable if was else gc.disable)()


def test_backward_restores_the_collector_after_an_error() -> None:
    def partials(x: object, out: object) -> tuple[float]:
        raise RuntimeError("boom")

    bad = autograd.defop("gc_bad", lambda x: x, partials)
    was = gc.isenabled()
    gc.enable()
    try:
        y = bad(Value(1.0) * 2.0)
        with pytest.raises(RuntimeError, match="boom"):
            y.backward()
        assert gc.isenabled()
    finally:
        (gc.enable if was else gc.disable)()


def test_gc_paused_restores_the_collector() -> None:
    """autograd.gc_paused: off inside (context manager or decorator), then the previous
    state again, also after an error; a collector that was off stays off."""
    assert gc.isenabled()
    with autograd.gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()

    def fail() -> None:
        with autograd.gc_paused():
            assert not gc.isenabled()
            raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        fail()
    assert gc.isenabled()

    @autograd.gc_paused()
    def inside() -> bool:
        return gc.isenabled()

    assert inside() is False
    assert gc.isenabled()
    gc.disable()
    try:
        with autograd.gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
