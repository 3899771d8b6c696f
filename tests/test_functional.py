"""grad, value_and_grad, hessian: JAX-shaped, nestable, plain floats outside."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd
from autograd import Value, grad, hessian, value_and_grad


def test_grad_int_argnums_returns_one_float() -> None:
    g = grad(lambda x, y: x * y + x.sin(), argnums=0)(2.0, 3.0)
    assert isinstance(g, float)
    assert g == pytest.approx(3.0 + math.cos(2.0))


def test_grad_tuple_argnums_returns_tuple_of_floats() -> None:
    gs = grad(lambda x, y: x * y * y, argnums=(0, 1))(2.0, 3.0)
    assert isinstance(gs, tuple)
    assert all(isinstance(g, float) for g in gs)
    assert gs == pytest.approx((9.0, 12.0))


def test_value_and_grad() -> None:
    v, g = value_and_grad(lambda x: x**3)(2.0)
    assert isinstance(v, float)
    assert v == pytest.approx(8.0)
    assert g == pytest.approx(12.0)
    v, gs = value_and_grad(lambda x, y: x / y, argnums=(0, 1))(1.0, 4.0)
    assert gs == pytest.approx((0.25, -1 / 16))


def test_triple_nesting_is_minus_cos() -> None:
    assert grad(grad(grad(autograd.sin)))(1.0) == pytest.approx(-math.cos(1.0), abs=1e-12)


def test_fourth_order() -> None:
    f = grad(grad(grad(grad(lambda x: x.exp() * x))))
    assert f(0.5) == pytest.approx(math.exp(0.5) * (0.5 + 4))


def test_hessian_int_argnums() -> None:
    h = hessian(lambda x: x**4)(2.0)
    assert isinstance(h, float)
    assert h == pytest.approx(48.0)


def test_hessian_tuple_argnums_is_nested_tuple() -> None:
    def f(x: Value, y: Value) -> Value:
        return x * x * y + y.sin() * x

    x, y = 0.7, 1.9
    h = hessian(f, argnums=(0, 1))(x, y)
    expected = ((2 * y, 2 * x + math.cos(y)), (2 * x + math.cos(y), -math.sin(y) * x))
    for i in range(2):
        for j in range(2):
            assert isinstance(h[i][j], float)
            assert h[i][j] == pytest.approx(expected[i][j])


def test_functional_api_leaves_outer_values_untouched() -> None:
    w = Value(3.0)
    out = grad(lambda x, ww: x * ww, argnums=0)(2.0, w)
    assert out.data == pytest.approx(3.0)  # called with a Value: the result is a Value
    assert w.grad == 0.0


def test_constant_function_has_zero_gradient() -> None:
    assert grad(lambda x: 5.0)(1.0) == 0.0
    assert grad(lambda x, y: y, argnums=0)(1.0, 2.0) == 0.0


def test_identity_function() -> None:
    assert grad(lambda x: x)(3.0) == 1.0
    assert hessian(lambda x: x)(3.0) == 0.0


def test_argnums_errors() -> None:
    with pytest.raises(ValueError, match="argnums 2 out of range"):
        grad(lambda x, y: x * y, argnums=2)(1.0, 2.0)
    with pytest.raises(TypeError, match="argnums"):
        grad(lambda x: x, argnums="0")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="argnums"):
        grad(lambda x: x, argnums=())


def test_non_scalar_result_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="result"):
        grad(lambda x: [x])(1.0)


@given(st.floats(-3, 3), st.floats(-3, 3))
def test_hessian_is_symmetric_and_matches_differences(x: float, y: float) -> None:
    def f(a: Value, b: Value) -> Value:
        return (a * b).sin() + a.tanh() * b * b

    h = hessian(f, argnums=(0, 1))(x, y)
    assert h[0][1] == pytest.approx(h[1][0], rel=1e-9, abs=1e-12)
    eps = 1e-5
    g = grad(f, argnums=(0, 1))
    for j, (dx, dy) in enumerate([(eps, 0.0), (0.0, eps)]):
        hi, lo = g(x + dx, y + dy), g(x - dx, y - dy)
        for i in range(2):
            numeric = (hi[i] - lo[i]) / (2 * eps)
            assert math.isclose(h[i][j], numeric, rel_tol=1e-4, abs_tol=1e-5)
