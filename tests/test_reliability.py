"""Regression tests for issue 7 (engine part) and issue 9's lean higher-order graphs.

One named test (or a few) per item; each failed on the code before the fix.
"""

from __future__ import annotations

import copy
import gc
import math
import pickle
import sys
import threading
from typing import Any

import pytest

import autograd
from autograd import Value, grad, hessian, value_and_grad
from autograd.engine import contributions, local_partials, topo_order


def _close2(h: Any, expected: Any) -> bool:
    """A nested tuple (a Hessian) equals ``expected`` entry by entry, within 1e-9."""
    return len(h) == len(expected) and all(
        row == pytest.approx(e, abs=1e-9) for row, e in zip(h, expected, strict=True)
    )


def _nth_derivative_graphs(n_max: int) -> list[tuple[float, int]]:
    """d^n tanh/dx^n at x = 1 by repeated ``backward(create_graph=True)`` (DeZero's
    step 35): its value and its drawn size, Values plus op nodes."""
    x = Value(1.0, label="x")
    gx = x.tanh()
    result = []
    for _ in range(n_max):
        x.grad = 0.0
        gx.backward(create_graph=True)
        gx = x.grad
        order = topo_order(gx)
        result.append((gx.data, len(order) + sum(1 for v in order if not v.is_leaf)))
    return result


# ------------------------------------------------------------- 1. ** at base exactly 0
def test_item01_pow_at_zero_keeps_higher_derivatives() -> None:
    assert hessian(lambda x: (x - 1.0) ** 2)(1.0) == pytest.approx(2.0)
    assert hessian(lambda x: x**2)(0.0) == pytest.approx(2.0)
    assert grad(grad(grad(lambda x: x**3)))(0.0) == pytest.approx(6.0)
    h = hessian(lambda x, y: x**2 * y, argnums=(0, 1))(0.0, 3.0)
    assert _close2(h, ((6.0, 0.0), (0.0, 0.0)))
    assert hessian(lambda x: x**1.5)(0.0) == math.inf


@pytest.mark.parametrize(
    ("b", "d1", "d2", "d3"),
    [(0, 0.0, 0.0, 0.0), (1, 1.0, 0.0, 0.0), (2, 0.0, 2.0, 0.0), (3, 0.0, 0.0, 6.0)],
)
def test_item01_pow_integer_exponents_at_zero(b: int, d1: float, d2: float, d3: float) -> None:
    def f(x: Value) -> Value:
        return x**b

    assert grad(f)(0.0) == pytest.approx(d1)
    assert grad(grad(f))(0.0) == pytest.approx(d2)
    assert grad(grad(grad(f)))(0.0) == pytest.approx(d3)


def test_item01_pow_fractional_exponent_and_value_exponent_at_zero() -> None:
    assert grad(lambda x: x**0.5)(0.0) == math.inf  # b < 1: infinite slope, no error
    assert grad(grad(lambda x: x**0.5))(0.0) == -math.inf
    assert grad(grad(lambda x: x**2.5))(0.0) == pytest.approx(0.0)
    # a ** b with b a Value: d/db at a == 0 is 0, d/da follows b
    assert grad(lambda a, b: a**b, argnums=(0, 1))(0.0, 3.0) == pytest.approx((0.0, 0.0))
    assert hessian(lambda a, b: a**b, argnums=0)(0.0, 2.0) == pytest.approx(2.0)
    assert grad(grad(grad(lambda a, b: a**b)))(0.0, 3.0) == pytest.approx(6.0)
    assert grad(lambda a, b: a**b, argnums=1)(2.0, 3.0) == pytest.approx(8 * math.log(2))


# ---------------------------------------------------------------- 2. 0 x inf = 0
def _torch_grad(build: Any, x0: float) -> float:
    torch = pytest.importorskip("torch")
    x = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
    build(x).backward()
    return float(x.grad)


def test_item02_zero_times_inf_in_the_chain_rule() -> None:
    x = Value(-1.9)
    x.relu().sqrt().backward()
    assert x.grad == 0.0
    x = Value(1e-310)
    ((x / 1e-310) * 1e-310).backward()
    assert x.grad == pytest.approx(1.0)
    x = Value(5e-324)
    x.log().tanh().backward()
    assert x.grad == 0.0


def test_item02_matches_torch_float64() -> None:
    torch = pytest.importorskip("torch")
    assert _torch_grad(lambda t: torch.relu(t).sqrt(), -1.9) == 0.0
    assert _torch_grad(lambda t: (t / 1e-310) * 1e-310, 1e-310) == pytest.approx(1.0)
    assert _torch_grad(lambda t: torch.tanh(torch.log(t)), 5e-324) == 0.0


def test_item02_vjp_is_optional_and_used_by_the_chain_rule() -> None:
    op = autograd.Op("twice", lambda x: 2 * x, lambda x, out: (2.0,), 1)
    assert op.vjp is None  # ops without a vjp: partial x upstream with the zero rule
    calls: list[float] = []

    def vjp(g: Any, need: Any, x: Any, out: Any) -> tuple[Any]:
        calls.append(g)
        return (g * 2.0,)

    op = autograd.Op("twice", lambda x: 2 * x, lambda x, out: (2.0,), 1, vjp=vjp)
    x = Value(1.5)
    y = autograd.apply(op, x) * 3.0
    y.backward()
    assert (x.grad, calls) == (6.0, [3.0])
    assert contributions(y.parents[0]) == (6.0,)
    assert local_partials(y.parents[0]) == (2.0,)


def test_item02_contributions_follow_the_same_rule() -> None:
    x = Value(-1.9)
    r = x.relu()
    s = r.sqrt()
    s.backward()
    assert contributions(s) == (math.inf,)
    assert contributions(r) == (0.0,)  # 0 x inf is 0, as in the pass
    x = Value(1e-310)
    d = x / 1e-310
    y = d * 1e-310
    y.backward()
    assert contributions(d)[0] == pytest.approx(1.0)  # upstream / b, not (1 / b) * upstream
    assert contributions(d)[1] is None


# ------------------------------------------------------------------ 3. NaN stays NaN
def test_item03_relu_of_nan_is_nan() -> None:
    x = Value(math.nan)
    y = x.relu()
    assert math.isnan(y.data)
    y.backward()
    assert math.isnan(x.grad)
    assert math.isnan(autograd.relu(math.nan))


def test_item03_zero_to_the_nan_gives_nan_gradients() -> None:
    a, b = Value(0.0), Value(math.nan)
    y = a**b
    assert math.isnan(y.data)
    y.backward()
    assert math.isnan(a.grad)
    assert math.isnan(b.grad)


@pytest.mark.parametrize(
    "name", ["abs", "relu", "sqrt", "log", "sigmoid", "tanh", "exp", "softplus", "sin", "cos"]
)
def test_item03_nan_input_gives_nan_value_and_gradient(name: str) -> None:
    x = Value(math.nan)
    y = getattr(x, name)()
    assert math.isnan(y.data)
    y.backward()
    assert math.isnan(x.grad)


# --------------------------------------------- 4. the functional API touches nothing
def test_item04_closure_captured_value_keeps_its_grad() -> None:
    w = Value(2.0)
    w.grad = 0.25
    assert grad(lambda x: x * w)(3.0) == pytest.approx(2.0)
    assert w.grad == 0.25
    assert value_and_grad(lambda x: x * w * w)(3.0) == pytest.approx((12.0, 4.0))
    assert hessian(lambda x: x * x * w)(3.0) == pytest.approx(4.0)
    assert autograd.gradcheck(lambda x: (x * w).tanh(), [0.3])
    assert w.grad == 0.25


def test_item04_model_parameters_keep_their_grads() -> None:
    from nn import MLP

    model = MLP(1, [3, 1], seed=0)
    params = model.parameters()
    for i, p in enumerate(params):
        p.grad = float(i)
    assert autograd.gradcheck(lambda x: model([x]), [0.3])
    grad(lambda x: model([x]))(0.3)
    hessian(lambda x: model([x]))(0.3)
    assert [p.grad for p in params] == [float(i) for i in range(len(params))]
    # an interior node captured in the closure keeps its grad too
    h = params[0] * 2.0
    h.grad = 7.0
    grad(lambda x: x * h)(1.0)
    assert h.grad == 7.0


# --------------------------------------------------------------- 5. threads
def test_item05_threads_through_shared_interior_nodes() -> None:
    # three roots over one shared layer of 300 interior nodes; each thread backprops
    # its root 40 times. Without the lock the passes corrupt each other's per-node
    # counts and grads (on the old engine about half of these trials lost gradient).
    x = Value(0.3)
    hs = [(x * (0.01 * i)).tanh() for i in range(300)]
    roots = [sum((h * (k + 1) for h in hs), Value(0.0)).sin() for k in range(3)]
    for r in roots:
        r.backward()
    sequential = x.grad

    def work(r: Value, barrier: threading.Barrier) -> None:
        barrier.wait()
        for _ in range(40):
            r.backward()

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads often, so that passes interleave
    try:
        for _ in range(5):
            x.grad = 0.0
            barrier = threading.Barrier(len(roots))
            threads = [threading.Thread(target=work, args=(r, barrier)) for r in roots]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            assert x.grad == pytest.approx(40 * sequential, rel=1e-12)
    finally:
        sys.setswitchinterval(interval)


# -------------------------------------------------------- 6. .data changed after forward
def test_item06_changed_data_is_detected_in_anomaly_mode() -> None:
    from autograd.anomaly import StaleGraphError, detect_anomaly

    x = Value(2.0, label="x")
    y = x * x
    x.data = 3.0
    with detect_anomaly(), pytest.raises(StaleGraphError, match=r"node \* .*inputs: x, x"):
        y.backward()
    assert x.grad == 0.0  # nothing was propagated
    assert not autograd.is_anomaly_enabled()
    x.data = 2.0
    with detect_anomaly():
        y.backward()  # consistent again: no error
    assert x.grad == pytest.approx(4.0)


# ------------------------------------------------------------- 7. subclasses
def test_item07_subclassing_value_is_refused_at_class_creation() -> None:
    with pytest.raises(TypeError, match=r"Value cannot be subclassed \(class P\)"):

        class P(Value):
            __slots__ = ()


# ------------------------------------------------------------- 8. sin/cos of inf
@pytest.mark.parametrize("x0", [math.inf, -math.inf, math.nan])
@pytest.mark.parametrize("name", ["sin", "cos"])
def test_item08_sin_cos_of_inf_is_nan(name: str, x0: float) -> None:
    x = Value(x0)
    y = getattr(x, name)()
    assert math.isnan(y.data)
    y.backward()
    assert math.isnan(x.grad)
    assert math.isnan(getattr(autograd, name)(x0))


@pytest.mark.parametrize("x0", [math.inf, -math.inf, math.nan, 0.0, -0.0, 5e-324])
def test_item08_no_bare_python_error_for_special_values(x0: float) -> None:
    unary = ["sin", "cos", "exp", "log", "tanh", "sigmoid", "relu", "abs", "sqrt", "softplus"]
    errors: list[tuple[str, str]] = []
    for name in unary:
        x = Value(x0)
        try:
            y = getattr(x, name)()
        except (ValueError, OverflowError, ZeroDivisionError) as e:
            errors.append((name, str(e)))  # a named domain error
            continue
        y.backward()
        y.backward(create_graph=True)
    for b in [2.0, 0.5, -1.0, 0.0, math.inf, math.nan]:
        for a, bb in [(Value(x0), b), (b, Value(x0)), (Value(x0), Value(b))]:
            for op in ("+", "-", "*", "/", "**"):
                try:
                    y = _binop(op, a, bb)
                except (ValueError, OverflowError, ZeroDivisionError) as e:
                    errors.append((op, str(e)))
                    continue
                y.backward()
                y.backward(create_graph=True)
    assert all(message.startswith(f"{name}: ") for name, message in errors), errors


def _binop(op: str, a: Any, b: Any) -> Value:
    if op == "+":
        return a + b  # type: ignore[no-any-return]
    if op == "-":
        return a - b  # type: ignore[no-any-return]
    if op == "*":
        return a * b  # type: ignore[no-any-return]
    if op == "/":
        return a / b  # type: ignore[no-any-return]
    return a**b  # type: ignore[no-any-return]


# --------------------------------------------------------- 9. no OverflowError in backward
def test_item09_no_overflow_error_escapes_backward() -> None:
    b = Value(-1.0)
    (1e-300**b).backward()
    assert b.grad == pytest.approx(-6.907755278982137e302, rel=1e-12)
    a = Value(1e-300)
    (a**-1.0).backward()
    assert a.grad == -math.inf
    a = Value(5e-324)
    (a**0).backward()
    assert a.grad == 0.0
    assert local_partials(Value(1e-300) ** -1.0) == (-math.inf, None)


def test_item09_matches_torch() -> None:
    torch = pytest.importorskip("torch")
    t = torch.tensor(-1.0, dtype=torch.float64, requires_grad=True)
    (1e-300**t).backward()
    b = Value(-1.0)
    (1e-300**b).backward()
    assert b.grad == pytest.approx(float(t.grad), rel=1e-12)


# ------------------------------------------------------------- 10. named errors
@pytest.mark.parametrize("bad", [None, "x", (1.0,)])
def test_item10_defop_partial_of_wrong_type_names_the_op(bad: Any) -> None:
    f = autograd.defop("wobble", lambda x: x, lambda x, out: (bad,))
    y = f(Value(1.0))
    with pytest.raises(TypeError, match="wobble"):
        y.backward()


def test_item10_defop_partials_not_a_tuple_names_the_op() -> None:
    f = autograd.defop("wobble2", lambda x: x, lambda x, out: None)  # type: ignore[arg-type,return-value]
    with pytest.raises(TypeError, match="wobble2"):
        f(Value(1.0)).backward()


def test_item10_huge_int_names_value() -> None:
    with pytest.raises(OverflowError, match=r"^Value: .*too large for a float"):
        Value(10**400)
    with pytest.raises(OverflowError, match=r"^\*: .*too large for a float"):
        Value(1.0) * 10**400


# ------------------------------------------------------------- 11. copy and pickle
def test_item11_leaves_copy_deepcopy_and_pickle() -> None:
    x = Value(1.5, label="w")
    x.grad = 0.5
    for y in (copy.copy(x), copy.deepcopy(x), pickle.loads(pickle.dumps(x))):
        assert y is not x
        assert (y.data, y.grad, y.label, y.is_leaf) == (1.5, 0.5, "w", True)


def test_item11_leaf_whose_grad_is_a_graph() -> None:
    x = Value(2.0)
    (x * x).backward(create_graph=True)
    assert copy.copy(x).grad is x.grad  # shallow: the same gradient graph
    with pytest.raises(TypeError, match="grad is a graph"):
        copy.deepcopy(x)
    x.grad = x.grad.detach()
    assert copy.deepcopy(x).grad.data == pytest.approx(4.0)


def test_item11_deepcopy_of_a_large_model() -> None:
    from nn import MLP

    model = MLP(4, [64, 64, 1], seed=0)
    loss = model([0.1, 0.2, 0.3, 0.4])
    assert isinstance(loss, Value)
    loss.backward()
    twin = copy.deepcopy(model)
    pairs = list(zip(model.parameters(), twin.parameters(), strict=True))
    assert all(p is not q and p.data == q.data and p.grad == q.grad for p, q in pairs)
    assert twin([0.1, 0.2, 0.3, 0.4]).data == pytest.approx(loss.data)


def test_item11_interior_nodes_refuse_to_copy_without_recursion_error() -> None:
    x = Value(1.0)
    y = x
    for _ in range(5000):
        y = y * 1.0001
    for fn in (copy.copy, copy.deepcopy, pickle.dumps):
        with pytest.raises(TypeError, match="copy or pickle the leaves"):
            fn(y)


# ---------------------------------------------------- 12. create_graph cycles / no leaks
def test_item12_functional_api_leaves_nothing_alive() -> None:
    def count() -> int:
        return sum(1 for o in gc.get_objects() if type(o) is Value)

    was_enabled = gc.isenabled()
    gc.collect()
    gc.disable()  # anything not freed by reference counting alone would stay
    try:
        before = count()
        d2 = grad(grad(lambda x: x.sin() * x**3))(0.7)
        h = hessian(lambda x, y: x * x * y, argnums=(0, 1))(1.0, 2.0)
        after = count()
    finally:
        if was_enabled:
            gc.enable()
    assert d2 == pytest.approx(
        -math.sin(0.7) * 0.343 + 6 * 0.49 * math.cos(0.7) + 4.2 * math.sin(0.7)
    )
    assert _close2(h, ((4.0, 2.0), (2.0, 0.0)))
    assert after == before


def test_item12_create_graph_cycle_is_documented() -> None:
    doc = autograd.backward.__doc__ or ""
    assert "reference cycle" in doc
    assert "reference cycle" in (Value.backward.__doc__ or "")


# ---------------------------------------------------------- 13. backward(gradient, *, ...)
def test_item13_backward_takes_the_seed_first() -> None:
    x = Value(3.0)
    (x * x).backward(2.0)
    assert x.grad == pytest.approx(12.0)
    x.grad = 0.0
    autograd.backward(x * x, 0.5)
    assert x.grad == pytest.approx(3.0)
    x.grad = 0.0
    (x * x).backward(2.0, create_graph=True)
    assert isinstance(x.grad, Value)
    assert x.grad.data == pytest.approx(12.0)
    with pytest.raises(TypeError):
        (x * x).backward(1.0, True)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="gradient"):
        (x * x).backward("1")


# --------------------------------------------------------- 14. kwargs and list argnums
def test_item14_kwargs_pass_through_and_list_argnums() -> None:
    def f(a: Value, b: Value, scale: float = 1.0) -> Value:
        return a * b * scale

    assert grad(f)(2.0, 3.0, scale=0.6) == pytest.approx(1.8)
    gs = grad(f, argnums=[0, 1])(2.0, 3.0, scale=0.5)
    assert isinstance(gs, tuple)
    assert gs == pytest.approx((1.5, 1.0))
    v, gs = value_and_grad(f, argnums=[1])(2.0, 3.0, scale=2.0)
    assert v == pytest.approx(12.0)
    assert gs == pytest.approx((4.0,))
    assert _close2(hessian(lambda x, k=1.0: k * x**3, argnums=[0])(1.0, k=2.0), ((12.0,),))


# --------------------------------------------------------- 15. every module reachable
def test_item15_modules_and_public_names_resolve() -> None:
    import importlib
    import types

    for name in ("engine", "checks", "functional", "value", "ops", "grad_mode", "anomaly"):
        module = importlib.import_module(f"autograd.{name}")
        assert isinstance(module, types.ModuleType)
        assert getattr(autograd, name) is module
        for public in module.__all__:
            assert hasattr(module, public), f"autograd.{name}.{public}"
    for public in autograd.__all__:
        assert hasattr(autograd, public), public
    assert callable(autograd.backward)
    assert callable(autograd.gradcheck)


# --------------------------------------------------------- 16. node introspection API
def test_item16_introspection_api() -> None:
    x, y = Value(3.0, label="x"), Value(5.0, label="y")
    h = x * y
    f = h + x
    assert (f.op, f.inputs, f.parents) == ("+", (h, x), (h, x))
    assert (h.op, x.op, x.inputs, x.parents) == ("*", "", (), ())
    assert local_partials(h) == (5.0, 3.0)
    assert local_partials(x * 2.0) == (2.0, None)
    f.backward()
    assert contributions(f) == (1.0, 1.0)
    assert contributions(h) == (5.0, 3.0)
    assert x.grad == pytest.approx(contributions(h)[0] + contributions(f)[1])  # type: ignore[operator]
    assert contributions(x) == ()


# --------------------------------------------------------- 17. lean higher-order graphs
DEZERO_SIZES = [11, 22, 48, 110, 268, 690, 1856, 5158]
TANH_DERIVATIVES = [
    0.41997,
    -0.63970,
    0.62163,
    0.66509,
    -5.55689,
    13.62408,
    12.28837,
    -277.06214,
]


def test_item17_tanh_derivative_graphs_no_larger_than_dezero() -> None:
    results = _nth_derivative_graphs(8)
    for n, ((value, size), dezero, expected) in enumerate(
        zip(results, DEZERO_SIZES, TANH_DERIVATIVES, strict=True), start=1
    ):
        assert size <= dezero, f"n={n}: {size} nodes > DeZero's {dezero}"
        assert round(value, 5) == pytest.approx(expected, abs=1e-9), f"n={n}"


def test_item17_no_zero_add_or_times_one_nodes() -> None:
    x = Value(0.7, label="x")
    y = (x * x + x).sin() - x
    y.backward(create_graph=True)
    g = x.grad
    assert isinstance(g, Value)
    for v in topo_order(g):
        consts = [c for c in v.inputs if c.__class__ is float]
        assert not (v.op == "+" and 0.0 in consts), "0.0 + g node"
        assert not (v.op == "*" and (1.0 in consts or -1.0 in consts)), "g * +-1 node"
    assert g.data == pytest.approx(math.cos(0.49 + 0.7) * 2.4 - 1.0)
    # leaves still accumulate across calls
    y.backward(create_graph=True)
    assert isinstance(x.grad, Value)
    assert x.grad.data == pytest.approx(2 * g.data)
