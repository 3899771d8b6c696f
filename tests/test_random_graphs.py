"""Random expression graphs (:func:`autograd.testing.graphs`) over every op.

Finite inputs, including exact zeros, small integers and subnormals: backprop, second
and third derivatives against central differences. Special inputs (+-0, subnormals,
+-inf, NaN): the IEEE outcome is the oracle where no finite answer exists, per op
(every input combination) and in random graphs.
"""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from autograd import OPS, Value, apply, grad
from autograd.testing import (
    SPECIAL_FLOATS,
    BuiltGraph,
    Expression,
    assert_gradients_close,
    expressions,
    graphs,
    special_floats,
)

ALL_OPS = sorted(OPS)
N = 3
#: finite inputs, with the exact zeros, small integers and subnormals drawn often
FINITE = st.one_of(
    st.floats(-2.0, 2.0),
    st.sampled_from([0.0, -0.0, 1.0, -1.0, 2.0, -2.0, 5e-324, -5e-324, 2.2250738585072014e-308]),
)


@given(graphs(N, ops=ALL_OPS, inputs=FINITE))
def test_backprop_matches_central_differences_and_accumulates(g: BuiltGraph) -> None:
    g.output.backward()
    once = [x.grad for x in g.inputs]
    functional = grad(g.expression, argnums=tuple(range(N)))(*g.xs)
    for g1, expected in zip(once, functional, strict=True):
        assert math.isclose(g1, expected, rel_tol=1e-12, abs_tol=1e-300)
    assert_gradients_close(g.expression, g.xs, order=1)
    g.output.backward()  # leaves accumulate: exactly twice
    for x, g1 in zip(g.inputs, once, strict=True):
        assert math.isclose(x.grad, 2 * g1, rel_tol=1e-12, abs_tol=1e-300)


@given(graphs(2, ops=ALL_OPS, max_leaves=6, inputs=FINITE))
def test_second_and_third_derivatives_match_differences(g: BuiltGraph) -> None:
    """Every mixed partial of order 2 and 3, through backward(create_graph=True)."""
    assert_gradients_close(g.expression, g.xs, order=3)


# ------------------------------------------------------------------ special values
# A documented domain error names the op: "log: input must be > 0, got -1.0".
_DOCUMENTED = (ValueError, ZeroDivisionError, OverflowError)


def _documented(error: BaseException, name: str) -> bool:
    return isinstance(error, _DOCUMENTED) and str(error).startswith(f"{name}: ")


def _same_bits_or_nan(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == b


def _ieee_nan_exception(name: str, xs: tuple[float, ...]) -> bool:
    """IEEE 754 pow: pow(1, y) = 1 and pow(x, 0) = 1 even for a NaN y or x; and the
    piecewise activations leaky_relu/elu ignore their parameter (a NaN slope or alpha)
    on the branch x > 0, as torch does."""
    if name in ("leaky_relu", "elu"):
        return xs[0] > 0.0  # False for a NaN x
    return name == "**" and (xs[0] == 1.0 or xs[1] == 0.0)


def _single_op_violations(name: str, xs: tuple[float, ...]) -> list[str]:
    """What a single node of op ``name`` at ``xs`` does against the IEEE properties."""
    problems = []
    inputs = [Value(x) for x in xs]
    try:
        out = apply(OPS[name], *inputs)
    except Exception as error:
        if not _documented(error, name):
            problems.append(f"forward raised {type(error).__name__}: {error}")
        return problems
    y = out.data
    if any(math.isnan(x) for x in xs) and not math.isnan(y) and not _ieee_nan_exception(name, xs):
        problems.append(f"NaN input gave {y!r}")
    if all(math.isfinite(x) for x in xs) and math.isnan(y):
        problems.append("finite inputs gave NaN")
    try:
        out.backward()
    except Exception as error:
        problems.append(f"backward raised {type(error).__name__}: {error}")
        return problems
    nonlinear_at_nan = name not in _LINEAR and len(xs) == 1 and math.isnan(xs[0])
    if nonlinear_at_nan and not math.isnan(inputs[0].grad):
        problems.append(f"gradient at NaN is {inputs[0].grad!r}, not NaN")
    return problems


# ops whose partials do not depend on the input: their gradient at NaN is a number
_LINEAR = frozenset({"+", "-", "neg", "id"})


def _cases(name: str) -> list[tuple[float, ...]]:
    return list(itertools.product(SPECIAL_FLOATS, repeat=OPS[name].arity))


def _key(name: str, xs: tuple[float, ...]) -> str:
    return f"{name}{xs!r}"


@pytest.mark.parametrize("name", ALL_OPS)
def test_every_op_at_special_values_follows_ieee(name: str) -> None:
    """Every combination of +-0, small integers, subnormals, the largest float, +-inf and
    NaN: a documented error naming the op or a value; NaN in gives NaN out (except
    IEEE's pow(1, y) = pow(x, 0) = 1); finite inputs never give NaN; backward never
    raises; a nonlinear op's gradient at NaN is NaN."""
    bad = {_key(name, xs): p for xs in _cases(name) if (p := _single_op_violations(name, xs))}
    assert not bad, bad


def _graph_violations(expr: Expression, xs: tuple[float, ...]) -> list[str]:
    try:
        g = expr.build(xs)
    except Exception as error:
        if any(_documented(error, n) for n in OPS):
            return []
        return [f"forward raised {type(error).__name__}: {error}"]
    problems = []
    y = g.output.data
    if any(math.isnan(x) and expr.uses(i) for i, x in enumerate(xs)) and not math.isnan(y):
        problems.append(f"a NaN input reaches the output, which is {y!r}")
    try:
        g.output.backward()
    except Exception as error:
        problems.append(f"backward raised {type(error).__name__}: {error}")
    return problems


# leaky_relu(x, slope) and elu(x, alpha) are x for x > 0 whatever the slope (as
# torch.where(x > 0, x, slope * x)), so a NaN slope need not reach the output
_SELECTS = ("leaky_relu", "elu")
# no "**" (IEEE's pow(1, nan) = 1 is not NaN); sin, cos and relu have the known cases
_SAFE = [o for o in ALL_OPS if o not in ("**", "sin", "cos", "relu", *_SELECTS)]
SPECIAL_INPUTS = st.tuples(special_floats(), special_floats())


@given(expressions(2, ops=_SAFE, max_leaves=8), SPECIAL_INPUTS)
def test_random_graphs_at_special_values(expr: Expression, xs: tuple[float, ...]) -> None:
    """IEEE: no undocumented exception in forward or backward; NaN propagates."""
    assert _graph_violations(expr, xs) == [], (expr, xs)


@given(
    expressions(2, ops=[o for o in ALL_OPS if o not in ("**", *_SELECTS)], max_leaves=8),
    SPECIAL_INPUTS,
)
@example(Expression(2, [("sin", "x0"), ("+", "t0", "x1")]), (math.inf, 1.0))
@example(Expression(2, [("relu", "x0"), ("*", "t0", "x1")]), (math.nan, 1.0))
def test_random_graphs_at_special_values_every_op(expr: Expression, xs: tuple[float, ...]) -> None:
    assert _graph_violations(expr, xs) == [], (expr, xs)


def test_the_oracle_sees_a_swallowed_nan() -> None:
    """The NaN property is not vacuous: a graph that hides a NaN input is caught."""
    expr = Expression(1, [("*", "x0", 0.0)])
    assert _graph_violations(expr, (math.nan,)) == []  # IEEE: nan * 0 is nan
    hidden = Expression(1, [("**", "x0", 0.0)])  # pow(nan, 0) = 1: the IEEE exception
    assert _graph_violations(hidden, (math.nan,)) != []
