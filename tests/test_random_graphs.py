"""Random expression graphs: backprop and higher order against finite differences."""

from __future__ import annotations

import math
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from autograd import Value, grad, hessian

from .strategies import evaluate, expressions

N = 3
INPUTS = st.tuples(*[st.floats(-2.0, 2.0) for _ in range(N)])


def as_float(x: Any) -> float:
    return x.data if isinstance(x, Value) else float(x)


def f_float(expr: Any, xs: list[float]) -> float:
    return as_float(evaluate(expr, [Value(x) for x in xs]))


@given(expressions(N), INPUTS)
def test_backprop_matches_central_differences(expr: Any, xs: tuple[float, ...]) -> None:
    vs = [Value(x) for x in xs]
    out = evaluate(expr, vs)
    if not isinstance(out, Value):
        return
    out.backward()
    eps = 1e-6
    for i in range(N):
        hi, lo = list(xs), list(xs)
        hi[i] += eps
        lo[i] -= eps
        numeric = (f_float(expr, hi) - f_float(expr, lo)) / (2 * eps)
        scale = max(1.0, abs(out.data))
        assert math.isclose(vs[i].grad, numeric, rel_tol=1e-4, abs_tol=1e-6 * scale), (expr, i)


@given(expressions(N), INPUTS)
def test_repeated_backward_accumulates_exactly_twice(expr: Any, xs: tuple[float, ...]) -> None:
    vs = [Value(x) for x in xs]
    out = evaluate(expr, vs)
    if not isinstance(out, Value):
        return
    out.backward()
    once = [v.grad for v in vs]
    out.backward()
    for v, g in zip(vs, once, strict=True):
        assert math.isclose(v.grad, 2 * g, rel_tol=1e-12, abs_tol=1e-300)


@given(expressions(2), st.floats(-1.5, 1.5), st.floats(-1.5, 1.5))
def test_hessian_matches_differences_of_the_gradient(expr: Any, x: float, y: float) -> None:
    def f(a: Any, b: Any) -> Any:
        return evaluate(expr, [a, b])

    h = hessian(f, argnums=(0, 1))(x, y)
    g = grad(f, argnums=(0, 1))
    eps = 1e-5
    for j, (dx, dy) in enumerate([(eps, 0.0), (0.0, eps)]):
        hi, lo = g(x + dx, y + dy), g(x - dx, y - dy)
        for i in range(2):
            numeric = (hi[i] - lo[i]) / (2 * eps)
            scale = max(1.0, abs(h[i][j]))
            assert math.isclose(h[i][j], numeric, rel_tol=1e-3, abs_tol=1e-4 * scale), (expr, i, j)
