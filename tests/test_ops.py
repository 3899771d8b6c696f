"""Every op's derivatives (first to third order) against central differences, over each
op's test domain, with :func:`autograd.testing.check_op` (the check users get)."""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd
from autograd import OPS, Value
from autograd.testing import check_op, normalize_domain

OP_NAMES = sorted(OPS)


@pytest.mark.parametrize("name", OP_NAMES)
def test_every_op_has_a_test_domain(name: str) -> None:
    """An op added to OPS without a domain fails here: check_op needs one."""
    op = OPS[name]
    assert len(op.domain) == op.arity, f"{name}: give the Op a domain, one entry per input"
    assert normalize_domain(op.domain) == op.domain


@pytest.mark.parametrize("name", OP_NAMES)
def test_derivatives_up_to_third_order_match_central_differences(name: str) -> None:
    """Order 1 is the partials; orders 2 and 3 go through backward(create_graph=True)."""
    check_op(OPS[name], order=3)


@given(st.floats(-50, 50), st.floats(-50, 50))
def test_constants_on_either_side(a: float, b: float) -> None:
    x = Value(a)
    for expr, expected in [
        (lambda v: v + b, 1.0),
        (lambda v: b + v, 1.0),
        (lambda v: v - b, 1.0),
        (lambda v: b - v, -1.0),
        (lambda v: v * b, b),
        (lambda v: b * v, b),
    ]:
        x.grad = 0.0
        expr(x).backward()
        assert x.grad == pytest.approx(expected)


@pytest.mark.parametrize(
    ("fn", "x", "expected"),
    [
        (lambda v: 2**v, 3.0, 8 * math.log(2)),
        (lambda v: 1 / v, 4.0, -1 / 16),
        (lambda v: v**0.5, 4.0, 0.25),
        (lambda v: v**-2, 2.0, -2 / 8),
        (lambda v: v ** Value(3.0), 2.0, 12.0),
        (lambda v: Value(2.0) ** v, 3.0, 8 * math.log(2)),
        (lambda v: abs(v), -3.0, -1.0),
        (lambda v: -v, 3.0, -1.0),
        (lambda v: +v, 3.0, 1.0),
    ],
)
def test_reflected_and_value_exponents(
    fn: Callable[[Value], Value], x: float, expected: float
) -> None:
    v = Value(x)
    fn(v).backward()
    assert v.grad == pytest.approx(expected)


def test_module_functions_return_floats_for_numbers_and_values_for_values() -> None:
    for name in ("sin", "cos", "exp", "log", "tanh", "sigmoid", "relu", "abs", "sqrt", "softplus"):
        fn = getattr(autograd, name)
        assert isinstance(fn(0.7), float), name
        assert isinstance(fn(1), float), name
        v = fn(Value(0.7))
        assert isinstance(v, Value), name
        assert v.op == name
        assert v.data == pytest.approx(fn(0.7))


def test_stable_functions_have_no_overflow_anywhere() -> None:
    for x in (-1e308, -1000.0, -50.0, 0.0, 50.0, 1000.0, 1e308):
        for name in ("sigmoid", "tanh", "softplus"):
            v = Value(x)
            out = getattr(v, name)()
            out.backward()
            assert math.isfinite(out.data), (name, x)
            assert math.isfinite(v.grad), (name, x)
    v = Value(-1000.0)
    s = v.sigmoid()
    s.backward()
    assert s.data == 0.0
    assert v.grad == 0.0
    assert autograd.softplus(1000.0) == pytest.approx(1000.0)
    assert autograd.softplus(-1000.0) == pytest.approx(0.0)


@pytest.mark.parametrize("name", ["relu", "abs"])
def test_subgradient_at_zero_is_zero(name: str) -> None:
    v = Value(0.0)
    getattr(v, name)().backward()
    assert v.grad == 0.0


@pytest.mark.parametrize("exponent", [2, 0, 3.5, 1])
def test_pow_at_zero_base_has_no_division_by_zero(exponent: float) -> None:
    v = Value(0.0)
    (v**exponent).backward()
    assert v.grad == (1.0 if exponent == 1 else 0.0)


def test_pow_at_zero_with_fractional_exponent_has_infinite_derivative() -> None:
    v = Value(0.0)
    (v**0.5).backward()
    assert v.grad == math.inf
    w = Value(0.0)
    w.sqrt().backward()
    assert w.grad == math.inf


def test_pow_exponent_gradient_at_zero_base_is_zero() -> None:
    base, exponent = Value(0.0), Value(2.0)
    (base**exponent).backward()
    assert exponent.grad == 0.0


def test_nan_and_inf_propagate() -> None:
    v = Value(math.nan)
    assert math.isnan((v * 2 + 1).data)
    w = Value(math.inf)
    assert (w + 1).data == math.inf
    assert math.isnan(autograd.log(math.nan))
