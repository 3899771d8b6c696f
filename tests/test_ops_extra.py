"""Issue 8's primitives through their public functions and methods.

Each case below is one way a user calls a new op (number parameters are constants
inside the op, Value parameters are inputs). For each: the derivative against central
differences of the float function at first and second order (second order through
``backward(create_graph=True)``), then special values (+-0, +-inf, NaN, huge inputs),
the decided subgradients, and the errors that name the op and the value.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
from autograd import OPS, Value, no_grad
from autograd.expr import ExpressionError, build_graph, parse_at
from autograd.graph import op_label
from autograd.ops import data_of

from .strategies import central_diff

Intervals = tuple[tuple[float, float], ...]
ANY: Intervals = ((-8.0, 8.0),)
NONZERO: Intervals = ((-8.0, -0.1), (0.1, 8.0))
POS: Intervals = ((0.05, 8.0),)
A = autograd

# name -> (function of Values or floats, test intervals per argument)
CASES: dict[str, tuple[Callable[..., Any], tuple[Intervals, ...]]] = {
    "tan": (A.tan, (((-1.3, 1.3), (1.85, 4.4)),)),
    "x.tan()": (lambda x: x.tan() if isinstance(x, Value) else A.tan(x), (((-1.3, 1.3),),)),
    "sinh": (A.sinh, (ANY,)),
    "cosh": (A.cosh, (ANY,)),
    "asin": (A.asin, (((-0.97, 0.97),),)),
    "acos": (A.acos, (((-0.97, 0.97),),)),
    "atan": (A.atan, (ANY,)),
    "atan2(y, x)": (A.atan2, (NONZERO, ANY)),
    "atan2(y, 2.0)": (lambda y: A.atan2(y, 2.0), (ANY,)),
    "atan2(1.5, x)": (lambda x: A.atan2(1.5, x), (ANY,)),
    "log1p": (A.log1p, (((-0.95, 8.0),),)),
    "expm1": (A.expm1, (ANY,)),
    "log2": (A.log2, (POS,)),
    "log10": (A.log10, (POS,)),
    "exp2": (A.exp2, (ANY,)),
    "leaky_relu(x)": (A.leaky_relu, (NONZERO,)),
    "leaky_relu(x, 0.2)": (lambda x: A.leaky_relu(x, 0.2), (NONZERO,)),
    "leaky_relu(x, slope)": (A.leaky_relu, (NONZERO, ((-0.5, 0.5),))),
    "elu(x)": (A.elu, (NONZERO,)),
    "elu(x, 0.5)": (lambda x: A.elu(x, 0.5), (NONZERO,)),
    "elu(x, alpha)": (A.elu, (NONZERO, ((0.1, 3.0),))),
    "gelu(x)": (A.gelu, (ANY,)),
    "gelu(x, 'tanh')": (lambda x: A.gelu(x, approximate="tanh"), (ANY,)),
    "silu": (A.silu, (ANY,)),
    "erf": (A.erf, (ANY,)),
    "maximum(a, b)": (A.maximum, (((-8.0, -1.0), (1.0, 8.0)), ((-0.5, 0.5),))),
    "maximum(a, 0.3)": (lambda a: A.maximum(a, 0.3), (((-8.0, 0.0), (0.6, 8.0)),)),
    "minimum(a, b)": (A.minimum, (((-8.0, -1.0), (1.0, 8.0)), ((-0.5, 0.5),))),
    "minimum(-1.0, b)": (lambda b: A.minimum(-1.0, b), (((-8.0, -1.3), (-0.7, 8.0)),)),
    "clip(x, -2, 2)": (lambda x: A.clip(x, -2, 2), (((-8.0, -2.3), (-1.7, 1.7), (2.3, 8.0)),)),
    "clip(x, hi=1)": (lambda x: A.clip(x, hi=1.0), (((-8.0, 0.7), (1.3, 8.0)),)),
    "x.clip(lo=-1)": (
        lambda x: x.clip(lo=-1.0) if isinstance(x, Value) else A.clip(x, lo=-1.0),
        (((-8.0, -1.3), (-0.7, 8.0)),),
    ),
    "clip(x, lo, hi)": (
        A.clip,
        (((-8.0, -2.5), (-1.5, 1.5), (2.5, 8.0)), ((-2.2, -1.8),), ((1.8, 2.2),)),
    ),
}
NAMES = sorted(CASES)


def _inputs(domain: tuple[Intervals, ...]) -> st.SearchStrategy[tuple[float, ...]]:
    return st.tuples(*(st.one_of(*(st.floats(lo, hi) for lo, hi in iv)) for iv in domain))


def _first(fn: Callable[..., Any], i: int) -> Callable[..., float]:
    """d fn / d(argument i) at floats, by an ordinary backward."""

    def d(*xs: float) -> float:
        vs = [Value(x) for x in xs]
        fn(*vs).backward()
        return float(vs[i].grad)

    return d


@pytest.mark.parametrize("name", NAMES)
def test_first_derivatives_match_central_differences(name: str) -> None:
    fn, domain = CASES[name]

    @settings(max_examples=25)  # the generic op-table tests in test_ops.py do more
    @given(_inputs(domain))
    def check(xs: tuple[float, ...]) -> None:
        vs = [Value(x) for x in xs]
        out = fn(*vs)
        assert isinstance(out, Value)
        assert math.isclose(out.data, fn(*xs), rel_tol=1e-15, abs_tol=1e-300)
        out.backward()
        for i, v in enumerate(vs):
            numeric = central_diff(fn, xs, i)
            assert math.isclose(v.grad, numeric, rel_tol=1e-5, abs_tol=1e-6), (xs, i)

    check()


@pytest.mark.parametrize("name", NAMES)
def test_second_derivatives_through_create_graph(name: str) -> None:
    fn, domain = CASES[name]

    @settings(max_examples=25)  # the generic op-table tests in test_ops.py do more
    @given(_inputs(domain))
    def check(xs: tuple[float, ...]) -> None:
        for i in range(len(xs)):
            vs = [Value(x) for x in xs]
            fn(*vs).backward(create_graph=True)
            g = vs[i].grad
            assert math.isclose(data_of(g), _first(fn, i)(*xs), rel_tol=1e-9, abs_tol=1e-12)
            for v in vs:
                v.grad = 0.0
            if isinstance(g, Value):
                g.backward()
            for j, v in enumerate(vs):
                numeric = central_diff(_first(fn, i), xs, j, eps=1e-5)
                assert math.isclose(data_of(v.grad), numeric, rel_tol=1e-4, abs_tol=1e-5), (
                    xs,
                    i,
                    j,
                )

    check()


# --------------------------------------------------------------- special values
INF, NAN = math.inf, math.nan
PI = math.pi


def _value_and_grad(fn: Callable[..., Any], *xs: float) -> tuple[float, tuple[float, ...]]:
    vs = [Value(x) for x in xs]
    out = fn(*vs)
    out.backward()
    return out.data, tuple(v.grad for v in vs)


def _same(a: float, b: float) -> bool:
    """Equal as IEEE values (NaN matches NaN; signed zeros must match), or very close."""
    if math.isnan(b):
        return math.isnan(a)
    if b == 0.0:
        return a == 0.0 and math.copysign(1.0, a) == math.copysign(1.0, b)
    return math.isclose(a, b, rel_tol=1e-12)


SPECIAL: list[tuple[str, Callable[..., Any], tuple[float, ...], float, tuple[float, ...]]] = [
    # name, function, inputs, value, gradient per input
    ("tan +0", A.tan, (0.0,), 0.0, (1.0,)),
    ("tan -0", A.tan, (-0.0,), -0.0, (1.0,)),
    ("tan inf", A.tan, (INF,), NAN, (NAN,)),
    ("tan nan", A.tan, (NAN,), NAN, (NAN,)),
    ("sinh -0", A.sinh, (-0.0,), -0.0, (1.0,)),
    ("sinh inf", A.sinh, (INF,), INF, (INF,)),
    ("sinh -inf", A.sinh, (-INF,), -INF, (INF,)),
    ("sinh 700", A.sinh, (700.0,), math.sinh(700.0), (math.cosh(700.0),)),
    ("cosh 0", A.cosh, (0.0,), 1.0, (0.0,)),
    ("cosh -inf", A.cosh, (-INF,), INF, (-INF,)),
    ("asin 1", A.asin, (1.0,), PI / 2, (INF,)),
    ("asin -1", A.asin, (-1.0,), -PI / 2, (INF,)),
    ("asin -0", A.asin, (-0.0,), -0.0, (1.0,)),
    ("asin nan", A.asin, (NAN,), NAN, (NAN,)),
    ("acos 1", A.acos, (1.0,), 0.0, (-INF,)),
    ("acos -1", A.acos, (-1.0,), PI, (-INF,)),
    ("asin near 1", A.asin, (1 - 2**-52,), math.asin(1 - 2**-52), (1 / math.sqrt(2**-51),)),
    ("atan inf", A.atan, (INF,), PI / 2, (0.0,)),
    ("atan -inf", A.atan, (-INF,), -PI / 2, (0.0,)),
    ("atan huge", A.atan, (1e200,), PI / 2, (0.0,)),
    ("atan2 origin", A.atan2, (0.0, 0.0), 0.0, (0.0, 0.0)),
    ("atan2 +0, -1", A.atan2, (0.0, -1.0), PI, (-1.0, 0.0)),
    ("atan2 -0, -1", A.atan2, (-0.0, -1.0), -PI, (-1.0, 0.0)),
    ("atan2 huge", A.atan2, (1e300, 1e300), PI / 4, (5e-301, -5e-301)),
    ("atan2 tiny", A.atan2, (1e-300, 1e-300), PI / 4, (5e299, -5e299)),
    ("atan2 inf, 1", A.atan2, (INF, 1.0), PI / 2, (0.0, 0.0)),
    ("atan2 inf, inf", A.atan2, (INF, INF), PI / 4, (0.0, 0.0)),
    ("atan2 nan", A.atan2, (NAN, 1.0), NAN, (NAN, NAN)),
    ("log1p tiny", A.log1p, (1e-20,), 1e-20, (1.0,)),
    ("log1p -0.5", A.log1p, (-0.5,), math.log(0.5), (2.0,)),
    ("log1p inf", A.log1p, (INF,), INF, (0.0,)),
    ("log1p nan", A.log1p, (NAN,), NAN, (NAN,)),
    ("expm1 tiny", A.expm1, (1e-20,), 1e-20, (1.0,)),
    ("expm1 -40", A.expm1, (-40.0,), math.expm1(-40.0), (math.exp(-40.0),)),
    ("expm1 -inf", A.expm1, (-INF,), -1.0, (0.0,)),
    ("log2 8", A.log2, (8.0,), 3.0, (1 / (8 * math.log(2)),)),
    ("log2 tiny", A.log2, (5e-324,), -1074.0, (1 / (5e-324 * math.log(2)),)),
    ("log10 inf", A.log10, (INF,), INF, (0.0,)),
    ("log10 1000", A.log10, (1000.0,), 3.0, (1 / (1000 * math.log(10)),)),
    ("exp2 10", A.exp2, (10.0,), 1024.0, (1024 * math.log(2),)),
    ("exp2 -inf", A.exp2, (-INF,), 0.0, (0.0,)),
    ("exp2 -1100", A.exp2, (-1100.0,), 0.0, (0.0,)),
    ("leaky_relu 0", A.leaky_relu, (0.0,), 0.0, (0.01,)),  # the slope at 0, as torch
    ("leaky_relu -inf", A.leaky_relu, (-INF,), -INF, (0.01,)),
    ("leaky_relu nan", A.leaky_relu, (NAN,), NAN, (0.01,)),
    ("leaky_relu slope", A.leaky_relu, (-2.0, 0.3), -0.6, (0.3, -2.0)),
    ("elu 0", lambda x: A.elu(x, 2.0), (0.0,), 0.0, (2.0,)),  # alpha at 0, as torch
    ("elu -inf", A.elu, (-INF,), -1.0, (0.0,)),
    ("elu -1000", A.elu, (-1000.0,), -1.0, (0.0,)),
    ("elu huge", A.elu, (1e308,), 1e308, (1.0,)),
    ("elu alpha", A.elu, (-1.0, 2.0), 2 * math.expm1(-1.0), (2 * math.exp(-1.0), math.expm1(-1.0))),
    ("gelu 0", A.gelu, (0.0,), 0.0, (0.5,)),
    ("gelu inf", A.gelu, (INF,), INF, (1.0,)),
    ("gelu -inf", A.gelu, (-INF,), -0.0, (0.0,)),
    ("gelu huge", A.gelu, (1e300,), 1e300, (1.0,)),
    ("gelu -huge", A.gelu, (-1e300,), -0.0, (0.0,)),
    ("gelu -10", A.gelu, (-10.0,), -10 * 0.5 * math.erfc(10 / math.sqrt(2)), (-7.62e-22,)),
    ("gelu nan", A.gelu, (NAN,), NAN, (NAN,)),
    ("gelu_tanh 0", lambda x: A.gelu(x, approximate="tanh"), (0.0,), 0.0, (0.5,)),
    ("gelu_tanh inf", lambda x: A.gelu(x, approximate="tanh"), (INF,), INF, (1.0,)),
    ("gelu_tanh -inf", lambda x: A.gelu(x, approximate="tanh"), (-INF,), -0.0, (0.0,)),
    ("gelu_tanh huge", lambda x: A.gelu(x, approximate="tanh"), (1e200,), 1e200, (1.0,)),
    ("gelu_tanh -huge", lambda x: A.gelu(x, approximate="tanh"), (-1e200,), -0.0, (0.0,)),
    ("silu 0", A.silu, (0.0,), 0.0, (0.5,)),
    ("silu inf", A.silu, (INF,), INF, (1.0,)),
    ("silu -inf", A.silu, (-INF,), -0.0, (0.0,)),
    ("silu 800", A.silu, (800.0,), 800.0, (1.0,)),
    ("silu -800", A.silu, (-800.0,), -0.0, (0.0,)),
    ("erf inf", A.erf, (INF,), 1.0, (0.0,)),
    ("erf -inf", A.erf, (-INF,), -1.0, (0.0,)),
    ("erf huge", A.erf, (1e300,), 1.0, (0.0,)),
    ("erf -0", A.erf, (-0.0,), -0.0, (2 / math.sqrt(PI),)),
    ("maximum tie", A.maximum, (1.0, 1.0), 1.0, (0.5, 0.5)),  # as torch.maximum
    ("minimum tie", A.minimum, (1.0, 1.0), 1.0, (0.5, 0.5)),
    ("maximum inf", A.maximum, (INF, 1.0), INF, (1.0, 0.0)),
    ("minimum -inf", A.minimum, (2.0, -INF), -INF, (0.0, 1.0)),
    ("maximum nan", A.maximum, (NAN, 1.0), NAN, (1.0, 1.0)),  # torch's rule
    ("minimum nan", A.minimum, (1.0, NAN), NAN, (1.0, 1.0)),
    ("clip at lo", lambda x: A.clip(x, 0.0, 1.0), (0.0,), 0.0, (1.0,)),  # as torch.clamp
    ("clip at hi", lambda x: A.clip(x, 0.0, 1.0), (1.0,), 1.0, (1.0,)),
    ("clip below", lambda x: A.clip(x, 0.0, 1.0), (-3.0,), 0.0, (0.0,)),
    ("clip above", lambda x: A.clip(x, 0.0, 1.0), (3.0,), 1.0, (0.0,)),
    ("clip nan", lambda x: A.clip(x, 0.0, 1.0), (NAN,), NAN, (0.0,)),
    ("clip inf", lambda x: A.clip(x, hi=1.0), (INF,), 1.0, (0.0,)),
    ("clip -inf", lambda x: A.clip(x, hi=1.0), (-INF,), -INF, (1.0,)),
    ("clip bounds", A.clip, (5.0, 0.0, 1.0), 1.0, (0.0, 0.0, 1.0)),
    ("clip bounds lo", A.clip, (-5.0, 0.0, 1.0), 0.0, (0.0, 1.0, 0.0)),
]


@pytest.mark.parametrize(
    ("fn", "xs", "value", "grads"), [case[1:] for case in SPECIAL], ids=[c[0] for c in SPECIAL]
)
def test_special_values(
    fn: Callable[..., Any], xs: tuple[float, ...], value: float, grads: tuple[float, ...]
) -> None:
    out, got = _value_and_grad(fn, *xs)
    assert _same(out, value), (out, value)
    assert _same(fn(*xs), value)  # the module function on floats agrees
    for g, expected in zip(got, grads, strict=True):
        if math.isnan(expected):
            assert math.isnan(g), (got, grads)
        else:  # the sign of a zero gradient is not part of the contract
            rel = 1e-3 if 0.0 < abs(expected) < 1e-20 else 1e-12
            assert math.isclose(g, expected, rel_tol=rel), (got, grads)


def test_maximum_of_a_value_with_itself_has_derivative_one() -> None:
    x = Value(3.0)
    A.maximum(x, x).backward()
    assert x.grad == 1.0
    y = Value(3.0)
    A.minimum(y, y).backward()
    assert y.grad == 1.0


@pytest.mark.parametrize(
    ("fn", "x", "first", "second"),
    [
        (A.asin, 1.0, INF, INF),  # asin'' = x (1 - x^2)^(-3/2)
        (A.asin, -1.0, INF, -INF),
        (A.acos, 1.0, -INF, -INF),
        (A.acos, -1.0, -INF, INF),
    ],
)
def test_infinite_derivatives_at_the_edge_at_second_order_too(
    fn: Callable[[Value], Value], x: float, first: float, second: float
) -> None:
    v = Value(x)
    fn(v).backward(create_graph=True)
    g = v.grad
    assert isinstance(g, Value)
    assert g.data == first
    v.grad = 0.0
    g.backward()
    assert v.grad == second


# ---------------------------------------------------------------------- errors
ERRORS: list[tuple[Callable[[], Any], type[Exception], str]] = [
    (lambda: A.asin(Value(1.5)), ValueError, r"asin: input must be in \[-1, 1\], got 1\.5"),
    (lambda: A.acos(-2.0), ValueError, r"acos: input must be in \[-1, 1\], got -2\.0"),
    (lambda: A.asin(INF), ValueError, r"asin: .*got inf"),
    (lambda: A.log1p(Value(-1.0)), ValueError, r"log1p: input must be > -1, got -1\.0"),
    (lambda: A.log1p(-INF), ValueError, r"log1p: input must be > -1, got -inf"),
    (lambda: A.log2(Value(0.0)), ValueError, r"log2: input must be > 0, got 0\.0"),
    (lambda: A.log10(-3), ValueError, r"log10: input must be > 0, got -3\.0"),
    (lambda: A.sinh(Value(1000.0)), OverflowError, r"sinh: result too large .* 1000\.0"),
    (lambda: A.cosh(-1000.0), OverflowError, r"cosh: result too large .* -1000\.0"),
    (lambda: A.expm1(Value(710.0)), OverflowError, r"expm1: result too large .* 710\.0"),
    (lambda: A.exp2(Value(1024.0)), OverflowError, r"exp2: result too large .* 1024\.0"),
    (lambda: A.clip(Value(0.5), 1.0, 0.0), ValueError, r"clip: lo must be <= hi, got lo=1\.0"),
    (lambda: A.clip(Value(0.5)), ValueError, r"clip: give lo, hi or both"),
    (lambda: A.gelu(Value(1.0), approximate="erf"), ValueError, r"gelu: approximate must be"),
    (lambda: A.atan2(Value(1.0), "2"), TypeError, r"atan2: expected a real number.*str"),
    (lambda: A.leaky_relu(Value(1.0), None), TypeError, r"leaky_relu: expected a real number"),
    (lambda: A.maximum(1.0, True), TypeError, r"maximum: expected a real number.*bool"),
    (lambda: A.tan("x"), TypeError, r"tan: expected a real number.*str"),
]


@pytest.mark.parametrize(("call", "exc", "message"), ERRORS)
def test_errors_name_the_op_and_the_value(
    call: Callable[[], Any], exc: type[Exception], message: str
) -> None:
    with pytest.raises(exc, match=message):
        call()


# ------------------------------------------------------------------ the API surface
NEW = (
    *("tan", "sinh", "cosh", "asin", "acos", "atan", "atan2", "log1p", "expm1", "log2"),
    *("log10", "exp2", "leaky_relu", "elu", "gelu", "silu", "erf", "maximum", "minimum"),
    "clip",
)


@pytest.mark.parametrize("name", NEW)
def test_exported_as_method_and_module_function(name: str) -> None:
    assert name in A.__all__
    fn = getattr(A, name)
    arity = 3 if name == "clip" else 2 if name in ("atan2", "maximum", "minimum") else 1
    args = (0.5, -0.25, 0.75)[:arity]
    number = fn(*args)
    assert isinstance(number, float)
    node = fn(Value(args[0]), *args[1:])
    method = getattr(Value(args[0]), name)(*args[1:])
    assert isinstance(node, Value)
    assert isinstance(method, Value)
    assert node.op == method.op == name
    assert node.op in OPS
    assert node.data == method.data == number


def test_the_gelu_default_is_the_exact_form_as_torch() -> None:
    x = Value(1.0)
    assert x.gelu().op == "gelu"
    assert x.gelu(approximate="tanh").op == "gelu_tanh"
    assert A.gelu(1.0) == pytest.approx(0.5 * (1 + math.erf(1 / math.sqrt(2))), rel=1e-15)
    assert abs(A.gelu(1.0, approximate="tanh") - A.gelu(1.0)) < 1e-3


def test_min_and_max_are_not_shadowed() -> None:
    assert not hasattr(A, "min")
    assert not hasattr(A, "max")
    a, b = Value(1.0), Value(2.0)
    assert max([a, b]) is b  # Python's max compares .data and returns the Value itself


def test_number_parameters_stay_constants_inside_the_op() -> None:
    x = Value(-2.0, label="x")
    y = A.leaky_relu(x, 0.1)
    assert y.inputs == (x, 0.1)
    assert y.parents == (x,)
    assert op_label(y) == "leaky_relu(□, 0.1)"
    assert op_label(A.atan2(x, 2.0)) == "atan2(□, 2)"
    assert op_label(A.clip(x, hi=1.0)) == "clip(□, -inf, 1)"
    assert op_label(A.maximum(0.0, x)) == "maximum(0, □)"
    assert A.engine.local_partials(y) == (0.1, None)


def test_a_value_slope_is_learned() -> None:
    x, slope = Value(-2.0), Value(0.1)
    y = A.leaky_relu(x, slope)
    y.backward()
    assert y.parents == (x, slope)
    assert slope.grad == -2.0
    assert x.grad == pytest.approx(0.1)


def test_new_ops_record_nothing_inside_no_grad() -> None:
    x, y = Value(0.5), Value(-0.25)
    with no_grad():
        outs = [
            x.tan(),
            A.atan2(x, y),
            A.leaky_relu(x),
            A.gelu(x, approximate="tanh"),
            A.clip(x, y, 1.0),
            A.maximum(x, y),
        ]
    assert all(v.is_leaf and v.parents == () for v in outs)
    assert outs[1].data == pytest.approx(math.atan2(0.5, -0.25))


# ------------------------------------------------------------- the CLI's expressions
def test_expressions_accept_the_new_functions_and_constants() -> None:
    built = build_graph("atan2(y, x) + clip(x, -1, pi) * e + gelu_tanh(y)", {"x": 1.0, "y": 2.0})
    root = built.root
    root.backward()
    x, y = built.variables["x"], built.variables["y"]
    expected = math.atan2(2.0, 1.0) + 1.0 * math.e + A.gelu(2.0, approximate="tanh")
    assert root.data == pytest.approx(expected, rel=1e-12)
    assert x.grad == pytest.approx(-2.0 / 5.0 + math.e, rel=1e-12)
    assert y.grad == pytest.approx(1.0 / 5.0 + _first(lambda v: v.gelu("tanh"), 0)(2.0))
    assert set(built.variables) == {"x", "y"}  # pi and e are constants, not variables
    single = "tan sinh cosh asin acos atan log1p expm1 log2 log10 exp2 gelu silu erf"
    for name in (*single.split(), "leaky_relu", "elu"):
        node = build_graph(f"{name}(x)", {"x": 0.5}).root
        assert node.op == name
    assert build_graph("leaky_relu(x, 0.2)", {"x": -1.0}).root.data == pytest.approx(-0.2)
    assert build_graph("maximum(x, 0) + minimum(x, 0)", {"x": 3.0}).root.data == 3.0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("atan2(x)", "atan2\\(\\) takes exactly 2 arguments"),
        ("clip(x, 1)", "clip\\(\\) takes exactly 3 arguments"),
        ("leaky_relu(x, 1, 2)", "leaky_relu\\(\\) takes 1 or 2 arguments"),
        ("gelu(x, approximate='tanh')", "no keyword arguments at column 1; gelu_tanh"),
        ("elu(x, alpha=2)", "elu\\(\\) takes no keyword arguments.*by position"),
    ],
)
def test_expressions_check_the_number_of_arguments(text: str, message: str) -> None:
    with pytest.raises(ExpressionError, match=message):
        build_graph(text, {"x": 1.0})


def test_constants_are_not_variables_in_at() -> None:
    with pytest.raises(ExpressionError, match="'pi' is a constant"):
        parse_at("pi=3")
