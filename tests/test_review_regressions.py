"""Regression tests for bugs found in review of issues 7 and 8 (random graphs against
PyTorch float64 and the plain backward pass, special values)."""

from __future__ import annotations

import math

import pytest

import autograd as A
from autograd import Value, grad

__all__: list[str] = []


def _cg_grads(f: object, *xs: float) -> list[float]:
    vs = [Value(x) for x in xs]
    f(*vs).backward(create_graph=True)  # type: ignore[operator]
    return [v.grad if v.grad.__class__ is float else v.grad.data for v in vs]


def _plain_grads(f: object, *xs: float) -> list[float]:
    vs = [Value(x) for x in xs]
    f(*vs).backward()  # type: ignore[operator]
    return [v.grad for v in vs]


def test_atan2_create_graph_tiny_inputs_do_not_divide_by_zero() -> None:
    # issue 7 (wrong gradients / crashes): y*y + x*x underflows to 0 for tiny inputs;
    # the plain pass (hypot) works, create_graph raised ZeroDivisionError
    for y, x in ((5e-324, 5e-324), (1e-310, 1e-310), (-5e-324, 5e-324)):
        plain = _plain_grads(A.atan2, y, x)
        cg = _cg_grads(A.atan2, y, x)
        assert all(
            p == c or math.isclose(p, c, rel_tol=1e-12) for p, c in zip(plain, cg, strict=True)
        )

    # and in a graph that goes on: x0 / atan2(erf x0, erf x0) at 5e-324 (inf - inf: NaN)
    def f(x: Value) -> Value:
        q: Value = x / A.atan2(A.erf(x), A.erf(x))
        return q

    assert math.isnan(_cg_grads(f, 5e-324)[0])
    assert math.isnan(_plain_grads(f, 5e-324)[0])


def test_atan2_create_graph_huge_inputs_do_not_overflow() -> None:
    # x*x + y*y overflows to inf for |x| ~ 1e300: d/dy became -0.0 instead of -1e-300
    plain = _plain_grads(A.atan2, 700.0, -1e300)
    cg = _cg_grads(A.atan2, 700.0, -1e300)
    assert math.isclose(plain[0], -1e-300, rel_tol=1e-12)
    assert all(math.isclose(p, c, rel_tol=1e-12) for p, c in zip(plain, cg, strict=True))
    # second order still right at ordinary points
    h = A.hessian(A.atan2, argnums=(0, 1))(0.3, 0.7)
    r2 = 0.3**2 + 0.7**2
    assert math.isclose(h[0][0], -2 * 0.3 * 0.7 / r2**2, rel_tol=1e-12)


def test_sqrt_minus_zero_same_sign_with_create_graph() -> None:
    # decided: sqrt'(-0.0) is -inf (IEEE 0.5 / -0.0); create_graph gave +inf
    assert _plain_grads(A.sqrt, -0.0) == [-math.inf]
    assert _cg_grads(A.sqrt, -0.0) == [-math.inf]
    assert _cg_grads(A.sqrt, 0.0) == [math.inf]


def test_log_backward_divides_the_upstream_gradient() -> None:
    # d softplus(log x)/dx at 1e-310 is sigmoid(log x)/x = 1.0 (torch: 1.0); 1/x
    # overflows to inf, so partial * upstream gave inf
    for f in (lambda x: x.log().softplus(), lambda x: A.log2(x).softplus()):
        for grads in (_plain_grads(f, 1e-310), _cg_grads(f, 1e-310)):
            assert math.isfinite(grads[0])
    assert math.isclose(_plain_grads(lambda x: x.log().softplus(), 1e-310)[0], 1.0, rel_tol=1e-9)
    # the local partial itself still overflows to inf (decided)
    assert A.local_partials(Value(5e-324).log()) == (math.inf,)


def test_log_backward_second_order_tiny_base() -> None:
    # d/dm of m**b log m at m = 5e-324 is finite (~ -1.38e178 for b = 0.4568...)
    b = 0.45683252359834237
    h = A.hessian(lambda m, e: m**e, argnums=(0, 1))(5e-324, b)
    exact = b * 5e-324 ** (b - 1) * math.log(5e-324) + 5e-324 ** (b - 1)
    assert math.isclose(h[0][1], exact, rel_tol=1e-9)
    assert math.isclose(h[1][0], exact, rel_tol=1e-9)


def test_pow_value_exponent_zero_tiny_base_create_graph() -> None:
    # d(a**b)/da is exactly 0 at b == 0 (decided) also when b is a Value and a**(b-1)
    # overflows: 0 * inf gave NaN under create_graph (plain: 0)
    def f(a: Value) -> Value:
        return a ** (a * a)

    assert _plain_grads(f, 1e-310)[0] == _cg_grads(f, 1e-310)[0]
    assert not math.isnan(_cg_grads(f, 5e-324)[0])
    assert grad(lambda a, b: a**b)(1e-310, 0.0) == 0.0


def test_nested_transform_through_a_closure_is_not_a_silent_zero() -> None:
    # issue 7 (functional API; "the transforms nest to any order"): an inner grad called
    # with floats whose f closes over the outer transform's argument returned a float,
    # so the outer saw a constant and gave 0.0 (JAX, HIPS autograd: the derivative)
    assert grad(lambda y: grad(lambda x: x * y * y)(5.0))(3.0) == 6.0
    assert grad(lambda x: x * grad(lambda y: x + y)(1.0))(2.0) == 1.0  # no confusion
    assert grad(lambda y: A.value_and_grad(lambda x: x * x * y)(5.0)[1])(3.0) == 10.0
    assert grad(lambda y: A.hessian(lambda x: x * x * x * y)(2.0))(3.0) == 12.0
    # and the outer Values keep their grads
    w = Value(2.0)
    w.grad = 7.0
    assert grad(lambda y: grad(lambda x: x * y * w)(2.0))(3.0) == 2.0
    assert w.grad == 7.0


def test_defop_refuses_a_built_in_op_name() -> None:
    # a defop named "sin" computing 2x was turned into sympy's sin(x) by to_sympy (and
    # drawn and explained as sin): a silent wrong formula. Built-in names are refused.
    for name in ("sin", "*", "log", "gelu_tanh", "id"):
        with pytest.raises(ValueError, match="built-in op"):
            A.defop(name, lambda a: 2.0 * a, lambda a, out: (2.0,))
    assert A.defop("double", lambda a: 2.0 * a, lambda a, out: (2.0,))(Value(1.5)).data == 3.0
