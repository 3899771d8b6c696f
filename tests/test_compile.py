"""autograd.compile: templates agree with the rules; compiled equals eager; the checks."""

from __future__ import annotations

import ast
import itertools
import math
import random
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nn
from autograd import (
    OPS,
    CompileCheckError,
    Compiled,
    Op,
    Value,
    atan2,
    clip,
    compile,
    defop,
    elu,
    gelu,
    value_and_grad,
)
from autograd.examples import TOY_PARAMS, TOY_X, TOY_Y, toy_model_reference
from autograd.ops import CODE_NAMES
from autograd.testing import SPECIAL_FLOATS, expressions, floats_in

TEMPLATED = sorted(name for name, op in OPS.items() if op.fwd_code is not None)
KEYS = "abcdefgh"


def _close(a: float, b: float, rel: float = 1e-12) -> bool:
    if a == b or (a != a and b != b):
        return True
    return abs(a - b) <= rel * max(abs(a), abs(b))


def _eval(code: str, **names: float) -> Any:
    # test-only: evaluate one template on floats (the library never evals user text)
    return eval(code.format(**{k: f"({k})" for k in names}), dict(CODE_NAMES), dict(names))


def _agree(op: Op, xs: tuple[float, ...], g: float = 0.75, rel: float = 1e-12) -> None:
    """At ``xs``: where the template gives a finite float, the rule gives the same float
    (to ``rel``; 0.0: exactly the same float, the sign of a zero aside)."""
    names = {KEYS[i]: x for i, x in enumerate(xs)}
    if op.code_when is not None and not op.code_when([None, *xs[1:]]):
        return
    try:
        out_t = _eval(op.fwd_code or "", **names)
    except (ValueError, ZeroDivisionError, OverflowError):
        return  # the compiled code falls back to eager here
    if isinstance(out_t, complex) or not math.isfinite(out_t):
        return  # non-finite: the compiled code falls back to eager
    out = op.forward(*xs)
    assert _close(out_t, out, rel), (op.name, xs, out_t, out)
    assert op.partial_code is not None
    need = tuple(i == 0 or op.code_when is None for i in range(op.arity))
    rule = op.partials(*xs, out) if op.vjp is None else op.vjp(1.0, need, *xs, out)
    vjp = None if op.vjp is None else op.vjp(g, need, *xs, out)
    for i, code in enumerate(op.partial_code):
        if not need[i]:
            continue
        try:
            d = _eval(code, out=out, **names)
        except (ValueError, ZeroDivisionError, OverflowError):
            continue
        if math.isfinite(d):
            assert _close(d, rule[i], rel), (op.name, i, xs, d, rule[i])
            if vjp is not None and op.vjp_code is None:  # compiled: g * partial
                assert _close(g * d, vjp[i], rel), (op.name, i, xs, g * d, vjp[i])
        if op.vjp_code is not None and vjp is not None:
            c = _eval(op.vjp_code[i], out=out, g=g, **names)
            if math.isfinite(c):
                assert _close(c, vjp[i], rel), (op.name, i, xs, c, vjp[i])


def test_common_ops_have_templates() -> None:
    common = [
        "+",
        "-",
        "*",
        "/",
        "**",
        "neg",
        "sin",
        "cos",
        "exp",
        "log",
        "tanh",
        "sigmoid",
        "relu",
        "abs",
        "sqrt",
        "softplus",
    ]
    assert set(common) <= set(TEMPLATED)


#: built-in ops deliberately left without templates (name: why); none at present
UNTEMPLATED: dict[str, str] = {}
#: built-in ops with a ``vjp`` but no ``vjp_code``, where ``g * partial`` is the vjp's float
VJP_AS_PARTIAL = {"**": "templated for integer exponents only: g * (b * a ** (b - 1.0))"}


def test_every_builtin_op_has_templates() -> None:
    missing = sorted(n for n, op in OPS.items() if op.fwd_code is None or op.partial_code is None)
    assert missing == sorted(UNTEMPLATED)
    for name, op in OPS.items():
        if op.fwd_code is None:
            continue
        assert op.partial_code is not None, name
        assert len(op.partial_code) == op.arity, name
        if op.vjp_code is not None:
            assert len(op.vjp_code) == op.arity, name
        # an op whose vjp is not ``partial * g`` needs vjp templates (log: g / a)
        assert op.vjp is None or op.vjp_code is not None or name in VJP_AS_PARTIAL, name


def test_templates_call_only_code_names() -> None:
    for name, op in OPS.items():
        if op.fwd_code is None:
            continue
        for code in (op.fwd_code, *(op.partial_code or ()), *(op.vjp_code or ())):
            tree = ast.parse(code.format(**dict.fromkeys((*KEYS, "out", "g"), "x")))
            names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)} - {"x"}
            assert names <= set(CODE_NAMES) | {"abs"}, (name, code)


@pytest.mark.parametrize("name", TEMPLATED)
def test_template_agrees_with_rule_on_domain(name: str) -> None:
    op = OPS[name]
    points = floats_in(op)
    if op.code_when is not None:  # ``**``: templated for constant integer exponents
        points = st.tuples(points.map(lambda xs: xs[0]), st.integers(-3, 3).map(float))

    @settings(max_examples=30, deadline=None)
    @given(points, st.floats(-3.0, 3.0))
    def check(xs: tuple[float, ...], g: float) -> None:
        _agree(op, xs, g)

    check()


@pytest.mark.parametrize("name", TEMPLATED)
def test_template_agrees_with_rule_at_special_values(name: str) -> None:
    op = OPS[name]
    specials = [*SPECIAL_FLOATS, 0.5, -2.5, 3.0]
    for xs in itertools.product(specials, repeat=op.arity):
        _agree(op, xs)


@pytest.mark.parametrize("name", TEMPLATED)
def test_template_is_the_rules_float(name: str) -> None:
    """Bit for bit (the sign of a zero aside): the same operations in the same order."""
    op = OPS[name]
    rng = random.Random(name)
    for _ in range(300):
        xs = tuple(rng.uniform(*rng.choice(intervals)) for intervals in op.domain)
        if op.code_when is not None:  # ``**``: constant integer exponents
            xs = (xs[0], float(rng.randint(-3, 3)))
        _agree(op, xs, rng.uniform(-3.0, 3.0), rel=0.0)
    specials = [*SPECIAL_FLOATS, 0.5, -0.5, -2.5, 3.0, 1e-300, 1e200, -40.0, 40.0, -800.0]
    for xs in itertools.product(specials, repeat=op.arity):
        _agree(op, xs, rel=0.0)


@pytest.mark.parametrize("name", TEMPLATED)
def test_template_partials_agree_with_rule_at_second_order(name: str) -> None:
    """Second order: each partial template, run as code, changes with each input as the
    rule's second derivative says (central differences of the template against
    ``hessian`` on the eager engine, which differentiates the rule's partials)."""
    from autograd import hessian
    from autograd.value import apply

    op = OPS[name]
    assert op.partial_code is not None
    points = floats_in(op)
    # ``**``: templated for a constant integer exponent, so only d/da is compiled
    n_var = 1 if op.code_when is not None else op.arity
    if op.code_when is not None:
        points = st.tuples(points.map(lambda xs: xs[0]), st.integers(-3, 3).map(float))

    def partial(i: int, xs: tuple[float, ...]) -> float:
        names = {KEYS[k]: x for k, x in enumerate(xs)}
        return float(_eval(op.partial_code[i], out=op.forward(*xs), **names))

    @settings(max_examples=20, deadline=None)
    @given(points)
    def check(xs: tuple[float, ...]) -> None:
        def f(*vs: Any) -> Any:
            return apply(op, *vs, *xs[n_var:])

        rows = hessian(f, argnums=tuple(range(n_var)))(*xs[:n_var])
        for i in range(n_var):
            for j in range(n_var):
                h = 1e-5 * max(1.0, abs(xs[j]))
                up = tuple(x + h if k == j else x for k, x in enumerate(xs))
                down = tuple(x - h if k == j else x for k, x in enumerate(xs))
                numeric = (partial(i, up) - partial(i, down)) / (2 * h)
                want = float(rows[i][j])
                assert abs(numeric - want) <= 1e-5 * max(1.0, abs(want)), (name, i, j, xs)

    check()


def _assert_same(got: Any, want: Any) -> None:
    gv, gg = got
    wv, wg = want
    assert _close(gv, wv), (got, want)
    gg = gg if isinstance(gg, tuple) else (gg,)
    wg = wg if isinstance(wg, tuple) else (wg,)
    assert len(gg) == len(wg)
    for a, b in zip(gg, wg, strict=True):
        assert _close(a, b), (got, want)


@settings(max_examples=60, deadline=None)
@given(
    expressions(2, ops=sorted(OPS), max_leaves=8),
    st.lists(st.floats(-2.0, 2.0), min_size=6, max_size=6),
)
def test_random_graphs_equal_eager(e: Any, xs: list[float]) -> None:
    def f(a: Any, b: Any) -> Any:
        return e(a, b)

    eager = value_and_grad(f, argnums=(0, 1))
    try:
        eager(xs[0], xs[1])
    except (ValueError, ZeroDivisionError, OverflowError):
        return  # not traceable at this point
    c = compile(f, example_args=(xs[0], xs[1]), argnums=(0, 1))
    for k in (2, 4):  # new points, same graph
        try:
            want = eager(xs[k], xs[k + 1])
        except (ValueError, ZeroDivisionError, OverflowError) as err:
            with pytest.raises(type(err)):
                c(xs[k], xs[k + 1])
            continue
        _assert_same(c(xs[k], xs[k + 1]), want)


def _toy(b0: Any, b1: Any, b2: Any, b3: Any, w0: Any, w1: Any, w2: Any, w3: Any) -> Any:
    f = b3 + w3 * (b2 + w2 * (b1 + w1 * (b0 + w0 * TOY_X).sin()).exp()).cos()
    return (f - TOY_Y) ** 2


def test_toy_model_equals_eager_and_the_notes() -> None:
    names = [f"beta{i}" for i in range(4)] + [f"omega{i}" for i in range(4)]
    params = tuple(TOY_PARAMS[n] for n in names)
    c = compile(_toy, example_args=params, argnums=tuple(range(8)))
    loss, grads = c(*params)
    ref = toy_model_reference()
    assert _close(loss, ref["loss"], 1e-10)
    for n, gr in zip(names, grads, strict=True):
        assert _close(gr, ref[n], 1e-10), n
    rng = random.Random(1)
    for _ in range(5):
        p = tuple(x + rng.uniform(-0.3, 0.3) for x in params)
        _assert_same(c(*p), value_and_grad(_toy, argnums=tuple(range(8)))(*p))


def test_mlp_loss_equals_eager() -> None:
    random.seed(0)
    model = nn.MLP(2, [4, 4, 1])
    X = [[0.5, -1.0], [1.5, 0.25], [-0.75, 0.5]]
    y = [1.0, -1.0, 0.5]

    def loss(*ps: Any) -> Any:
        preds = [nn.module.functional_call(model, ps, x) for x in X]
        return nn.losses.mse(preds, y)

    params = tuple(p.data for p in model.parameters())
    nums = tuple(range(len(params)))
    c = compile(loss, example_args=params, argnums=nums)
    rng = random.Random(2)
    for _ in range(3):
        p = tuple(x + rng.uniform(-0.5, 0.5) for x in params)
        _assert_same(c(*p), value_and_grad(loss, argnums=nums)(*p))


def test_argnums_forms_and_decorator() -> None:
    @compile(example_args=(1.0, 2.0, 3.0))
    def f(x: Any, y: Any, z: Any) -> Any:
        return x * y * z + y.exp()

    assert isinstance(f, Compiled)
    v, g = f(2.0, 0.5, 3.0)
    assert isinstance(g, float)
    # every argument is traced as a Value (eager: all three as Values, pick the grads)
    value, grads = value_and_grad(f.f, argnums=(0, 1, 2))(2.0, 0.5, 3.0)
    _assert_same((v, g), (value, grads[0]))
    for nums in ((0, 2), [1], (-1,)):
        c = compile(f.f, example_args=(1.0, 2.0, 3.0), argnums=nums)
        got = c(2.0, 0.5, 3.0)
        assert isinstance(got[1], tuple)
        _assert_same(got, (value, tuple(grads[n] for n in nums)))


def test_non_argnum_inputs_are_variables() -> None:
    c = compile(lambda x, k: x**2 * k, example_args=(1.0, 2.0))
    _assert_same(c(3.0, 5.0), (45.0, 30.0))


def test_check_catches_a_data_dependent_branch() -> None:
    def f(x: Any) -> Any:
        return x * 2.0 if x.data > 0 else x.sin()

    c = compile(f, example_args=(1.0,), check=True)
    _assert_same(c(3.0), (6.0, 2.0))
    with pytest.raises(CompileCheckError, match="different graph"):
        c(-1.0)
    unchecked = compile(f, example_args=(1.0,))
    _assert_same(unchecked(-1.0), (-2.0, 2.0))  # frozen at trace time, as jax.jit


def test_special_values_answered_as_eager() -> None:
    def f(x: Any) -> Any:
        return (x * 0.0).sqrt() + x  # zero upstream times an infinite partial

    c = compile(f, example_args=(1.0,))
    _assert_same(c(4.0), value_and_grad(f)(4.0))
    with pytest.raises(ValueError, match="log"):
        compile(lambda x: x.log(), example_args=(1.0,))(-1.0)
    with pytest.raises(OverflowError, match="exp"):
        compile(lambda x: x.exp(), example_args=(1.0,))(1000.0)


def test_user_defop_called_through_its_rules() -> None:
    cube = defop(
        "cube!'\n",
        lambda a: a**3,
        lambda a, out: (3.0 * a * a,),
    )
    c = compile(lambda x: cube(x) * x, example_args=(1.0,))
    _assert_same(c(1.5), value_and_grad(lambda x: cube(x) * x)(1.5))


def test_source_has_no_user_strings_outside_comments() -> None:
    evil = "x'); import os; os.system('boom')\n#"

    def f(x: Any) -> Any:
        y = x * 3.0
        y.label = evil
        return y.tanh()

    c = compile(f, example_args=(1.0,))
    assert "\n#" not in c.source.replace("\n    #", "")
    for line in c.source.splitlines():
        code = line.split("#", 1)[0]
        assert "import" not in code
        assert "boom" not in code
    assert "boom" in c.source  # the label is shown, escaped, in a comment
    assert evil not in c.source


def test_bad_inputs() -> None:
    c = compile(lambda x, y: x * y, example_args=(1.0, 2.0))
    with pytest.raises(TypeError, match="expected 2 arguments"):
        c(1.0)
    with pytest.raises(TypeError, match="argument 1 must be a real number"):
        c(1.0, "2")
    with pytest.raises(TypeError, match="real number"):
        c(1.0, True)
    _assert_same(c(2, 3), (6.0, 3.0))  # ints are converted
    with pytest.raises(ValueError, match="out of range"):
        compile(lambda x: x, example_args=(1.0,), argnums=1)
    with pytest.raises(TypeError, match="argnums"):
        compile(lambda x: x, example_args=(1.0,), argnums="0")  # type: ignore[call-overload]
    with pytest.raises(TypeError, match="example_args"):
        compile(lambda x: x, example_args=1.0)  # type: ignore[call-overload]
    with pytest.raises(TypeError, match="example_args"):
        compile(lambda x: x, example_args=("a",))


def test_constant_function_and_repr() -> None:
    c = compile(lambda x: 2.0, example_args=(1.0,))
    _assert_same(c(5.0), (2.0, 0.0))
    c2 = compile(lambda x: x * x, example_args=(1.0,))
    assert "Compiled" in repr(c2)
    assert c2.nodes == 2


def test_captured_values_are_trace_time_constants() -> None:
    w = Value(2.0)
    c = compile(lambda x: x * w, example_args=(1.0,))
    w.data = 5.0
    _assert_same(c(3.0), (6.0, 2.0))  # frozen, as jax.jit


def test_output_is_an_input_or_a_captured_leaf() -> None:
    _assert_same(compile(lambda x: x, example_args=(1.0,))(3.0), (3.0, 1.0))
    w = Value(2.0)
    _assert_same(compile(lambda x: w, example_args=(1.0,))(3.0), (2.0, 0.0))
    both = compile(lambda x, y: y, example_args=(1.0, 2.0), argnums=(0, 1))
    _assert_same(both(3.0, 4.0), (4.0, (0.0, 1.0)))


# ------------------------------------------- compiled == eager over the ops of issue 8
#: name: (function of the op's inputs, the op, the indices of its constant inputs). The
#: last argument of each compiled function is k, the upstream gradient (f = op(...) * k).
ISSUE8_CASES: list[tuple[str, Callable[..., Any], Op, tuple[float | None, ...]]] = [
    ("asin", lambda x: x.asin(), OPS["asin"], (None,)),
    ("acos", lambda x: x.acos(), OPS["acos"], (None,)),
    ("atan2", lambda y, x: atan2(y, x), OPS["atan2"], (None, None)),
    ("atan2 const x", lambda y: atan2(y, 2.0), OPS["atan2"], (None, 2.0)),
    ("atan2 const y", lambda x: atan2(-0.5, x), OPS["atan2"], (-0.5, None)),
    ("log1p", lambda x: x.log1p(), OPS["log1p"], (None,)),
    ("log2", lambda x: x.log2(), OPS["log2"], (None,)),
    ("log10", lambda x: x.log10(), OPS["log10"], (None,)),
    ("elu", lambda x, a: elu(x, a), OPS["elu"], (None, None)),
    ("elu const alpha", lambda x: elu(x, 0.7), OPS["elu"], (None, 0.7)),
    ("gelu", lambda x: gelu(x), OPS["gelu"], (None,)),
    ("gelu_tanh", lambda x: gelu(x, approximate="tanh"), OPS["gelu_tanh"], (None,)),
    ("silu", lambda x: x.silu(), OPS["silu"], (None,)),
    ("erf", lambda x: x.erf(), OPS["erf"], (None,)),
    ("clip", lambda x, lo, hi: clip(x, lo, hi), OPS["clip"], (None, None, None)),
    ("clip const", lambda x: clip(x, -1.0, 2.0), OPS["clip"], (None, -1.0, 2.0)),
    ("clip hi only", lambda x: clip(x, hi=0.25), OPS["clip"], (None, -math.inf, 0.25)),
    ("clip const x", lambda lo, hi: clip(0.3, lo, hi), OPS["clip"], (0.3, None, None)),
]


def _case(name: str) -> tuple[Callable[..., Any], Op, tuple[float | None, ...]]:
    for n, fn, op, consts in ISSUE8_CASES:
        if n == name:
            return fn, op, consts
    raise KeyError(name)


def _compiled_case(name: str) -> tuple[Compiled, Any, Callable[..., Any]]:
    fn, op, consts = _case(name)
    n = sum(c is None for c in consts) + 1

    def f(*args: Any) -> Any:
        return fn(*args[:-1]) * args[-1]

    domain = [iv for iv, c in zip(op.domain, consts, strict=True) if c is None]
    example = (*(iv[0][0] * 0.5 + iv[0][1] * 0.5 for iv in domain), 1.0)
    nums = tuple(range(n))
    c = compile(f, example_args=example, argnums=nums)
    return (
        c,
        value_and_grad(f, argnums=nums),
        lambda rng: (*(rng.uniform(*rng.choice(iv)) for iv in domain), rng.uniform(-3.0, 3.0)),
    )


def test_issue8_cases_cover_every_op() -> None:
    ops = {"asin", "acos", "atan2", "log1p", "log2", "log10", "elu"}
    ops |= {"gelu", "gelu_tanh", "silu", "erf", "clip"}
    assert {op.name for _, _, op, _ in ISSUE8_CASES} == ops


@pytest.mark.parametrize("name", [case[0] for case in ISSUE8_CASES])
def test_issue8_ops_compiled_equal_eager(name: str) -> None:
    c, eager, draw = _compiled_case(name)
    op = _case(name)[1]
    # the op's node is generated from its templates, not called through its rules
    assert f"# {op.name!r}" in c.source
    assert "_f" not in c.source.split("# backward")[0].replace("_float", "")
    assert "_b_" not in c.source
    rng = random.Random(name)
    for _ in range(25):
        xs = draw(rng)
        want = eager(*xs)
        # the generated code itself (no fallback to the eager engine) gives eager's floats
        got = c._fast(*xs)
        _assert_same(got, want)
        _assert_same(c(*xs), want)


@pytest.mark.parametrize(
    ("name", "xs"),
    [
        ("asin", (1.0, 1.5)),  # partial inf
        ("asin", (-1.0, 1.5)),
        ("acos", (1.0, -0.5)),
        ("atan2", (0.0, 0.0, 2.0)),  # (0, 0): partials 0.0
        ("atan2", (1e308, 1.5e308, 2.0)),  # hypot overflows: partials 0.0
        ("atan2", (math.inf, 1.0, 2.0)),
        ("log1p", (math.inf, 1.0)),
        ("elu", (0.0, 1.5, 2.0)),  # elu'(0) = alpha
        ("elu", (-math.inf, 1.5, 2.0)),
        ("gelu", (math.inf, 1.0)),  # the limits of the derivatives
        ("gelu", (-math.inf, 1.0)),
        ("gelu_tanh", (-math.inf, 1.0)),
        ("gelu_tanh", (1e200, 1.0)),  # x * x * x overflows inside
        ("gelu_tanh", (-1e200, 1.0)),
        ("silu", (-math.inf, 1.0)),
        ("silu", (math.inf, 1.0)),
        ("erf", (math.inf, 1.0)),
        ("clip", (1.0, 1.0, 1.0, 2.0)),  # at both bounds
        ("clip", (math.nan, -1.0, 1.0, 2.0)),
        ("clip const", (-1.0, 2.0)),  # at a bound: derivative 1
        ("clip hi only", (-math.inf, 2.0)),
    ],
)
def test_issue8_ops_special_values_answered_as_eager(name: str, xs: tuple[float, ...]) -> None:
    c, eager, _ = _compiled_case(name)
    want = eager(*xs)
    got = c(*xs)
    flat_got = [got[0], *got[1]]
    flat_want = [want[0], *want[1]]
    for a, b in zip(flat_got, flat_want, strict=True):
        assert a == b or (a != a and b != b), (name, xs, got, want)


@pytest.mark.parametrize(
    ("name", "xs", "error"),
    [
        ("asin", (1.5, 1.0), ValueError),
        ("acos", (-1.0000001, 1.0), ValueError),
        ("log1p", (-1.0, 1.0), ValueError),
        ("log2", (0.0, 1.0), ValueError),
        ("log10", (-2.0, 1.0), ValueError),
        ("clip", (0.0, 1.0, -1.0, 1.0), ValueError),  # lo > hi: eager's error
    ],
)
def test_issue8_ops_domain_errors_as_eager(
    name: str, xs: tuple[float, ...], error: type[Exception]
) -> None:
    c, eager, _ = _compiled_case(name)
    with pytest.raises(error) as want:
        eager(*xs)
    with pytest.raises(error) as got:
        c(*xs)
    assert str(got.value) == str(want.value)


# ---------------------------------------------------------------------------------------
# The tape form of large graphs (more than compiling._TAPE_NODES nodes): the fixture
# lowers the threshold so that small graphs take it too.
# ---------------------------------------------------------------------------------------


@pytest.fixture
def tape(monkeypatch: pytest.MonkeyPatch) -> None:
    from autograd import compiling

    monkeypatch.setattr(compiling, "_TAPE_NODES", 0)


def _bitwise(got: Any, want: Any) -> None:
    """The same floats as eager, to the last bit (NaN equal to NaN)."""
    flat_got = [got[0], *(got[1] if isinstance(got[1], tuple) else (got[1],))]
    flat_want = [want[0], *(want[1] if isinstance(want[1], tuple) else (want[1],))]
    assert len(flat_got) == len(flat_want)
    for a, b in zip(flat_got, flat_want, strict=True):
        assert a == b or (a != a and b != b), (got, want)
        assert math.copysign(1.0, a) == math.copysign(1.0, b) or a != a, (got, want)


@pytest.mark.usefixtures("tape")
@settings(max_examples=60, deadline=None)
@given(
    expressions(2, ops=sorted(OPS), max_leaves=8),
    st.lists(st.floats(-2.0, 2.0), min_size=6, max_size=6),
)
def test_tape_random_graphs_equal_eager(e: Any, xs: list[float]) -> None:
    def f(a: Any, b: Any) -> Any:
        return e(a, b)

    eager = value_and_grad(f, argnums=(0, 1))
    try:
        eager(xs[0], xs[1])
    except (ValueError, ZeroDivisionError, OverflowError):
        return  # not traceable at this point
    c = compile(f, example_args=(xs[0], xs[1]), argnums=(0, 1))
    assert c.source.startswith("# autograd.compile, tape form")
    for k in (2, 4):
        try:
            want = eager(xs[k], xs[k + 1])
        except (ValueError, ZeroDivisionError, OverflowError) as err:
            with pytest.raises(type(err)):
                c(xs[k], xs[k + 1])
            continue
        _bitwise(c(xs[k], xs[k + 1]), want)


@pytest.mark.usefixtures("tape")
def test_tape_mlp_equals_eager_bitwise() -> None:
    model = nn.MLP(2, [6, 6, 1], seed=0)
    X = [[0.5, -1.0], [1.5, 0.25], [-0.75, 0.5], [0.1, 0.2]]
    y = [1.0, -1.0, 0.5, 0.0]

    def loss(*ps: Any) -> Any:
        preds = [nn.module.functional_call(model, ps, x) for x in X]
        return nn.losses.mse(preds, y)

    params = tuple(p.data for p in model.parameters())
    nums = tuple(range(len(params)))
    c = compile(loss, example_args=params, argnums=nums)
    rng = random.Random(3)
    for _ in range(3):
        p = tuple(x + rng.uniform(-0.5, 0.5) for x in params)
        _bitwise(c(*p), value_and_grad(loss, argnums=nums)(*p))


@pytest.mark.usefixtures("tape")
def test_tape_fan_out_and_far_reuse() -> None:
    """A value used by many nodes far apart in the graph (the first node, the inputs, a
    node used twice by one op), gradients summed over many uses in the eager order."""

    def f(x: Any, y: Any) -> Any:
        first = x * y
        acc = first
        for k in range(200):
            acc = (acc * 0.999 + first * (0.001 * k)).tanh() + y
            if k % 37 == 0:
                acc = acc * acc - x  # the same input twice
        return acc + first.sin() * x

    c = compile(f, example_args=(0.3, 0.7), argnums=(0, 1))
    assert c.nodes > 1000
    for xs in ((0.3, 0.7), (-1.2, 0.4), (2.0, -0.1)):
        _bitwise(c(*xs), value_and_grad(f, argnums=(0, 1))(*xs))


@pytest.mark.usefixtures("tape")
def test_tape_n_ary_ops_vjp_and_defops() -> None:
    from autograd import apply

    def wsum_vjp(g: float, need: Any, a: float, b: float, c: float, out: float) -> Any:
        return tuple(g * w if n else None for w, n in zip((1.0, 2.0, 3.0), need, strict=True))

    wsum = Op(
        "wsum",
        lambda a, b, c: a + 2.0 * b + 3.0 * c,
        lambda a, b, c, out: (1.0, 2.0, 3.0),
        3,
        ((-3.0, 3.0),) * 3,
        vjp=wsum_vjp,
    )
    cube = defop("cube", lambda a: a**3, lambda a, out: (3.0 * a * a,))
    hyp = defop("hyp", lambda a, b: math.hypot(a, b), lambda a, b, out: (a / out, b / out))

    def f(x: Any, y: Any) -> Any:
        z = clip(x * y, -0.5, y) + apply(wsum, x, 1.5, y) + cube(x) * hyp(x, 2.0)
        return z / y + (z + 1.0).log() + atan2(x, y) - y**2.5

    for xs in ((0.3, 0.7), (0.9, 1.3), (-0.2, 0.4)):
        c = compile(f, example_args=xs, argnums=(0, 1))
        _bitwise(c(*xs), value_and_grad(f, argnums=(0, 1))(*xs))


@pytest.mark.usefixtures("tape")
def test_tape_argnums_leaves_and_outputs() -> None:
    w = Value(2.0)
    c = compile(lambda x, k: x**2 * k * w, example_args=(1.0, 2.0))
    w.data = 5.0
    _assert_same(c(3.0, 5.0), (90.0, 60.0))  # k is an input, w a trace-time constant
    _assert_same(compile(lambda x: x, example_args=(1.0,))(3.0), (3.0, 1.0))
    _assert_same(compile(lambda x: w, example_args=(1.0,))(3.0), (5.0, 0.0))
    both = compile(lambda x, y: y, example_args=(1.0, 2.0), argnums=(0, 1))
    _assert_same(both(3.0, 4.0), (4.0, (0.0, 1.0)))
    unused = compile(lambda x, y: x.exp() * 2.0, example_args=(1.0, 2.0), argnums=[1, 0])
    _assert_same(unused(0.0, 4.0), (2.0, (0.0, 2.0)))
    c2 = compile(lambda x, y: x * y, example_args=(1.0, 2.0))
    with pytest.raises(TypeError, match="expected 2 arguments"):
        c2(1.0)
    with pytest.raises(TypeError, match="argument 1 must be a real number"):
        c2(1.0, "2")
    _assert_same(c2(2, 3), (6.0, 3.0))  # ints are converted


@pytest.mark.usefixtures("tape")
def test_tape_non_finite_answered_as_eager() -> None:
    def f(x: Any) -> Any:
        return (x * 0.0).sqrt() + x  # zero upstream times an infinite partial

    cases: list[tuple[Callable[..., Any], tuple[float, ...]]] = [
        (f, (4.0,)),
        (lambda x: x * 1e308 * 10.0 - x, (1.0,)),  # inf value
        (lambda x: (x * 1e308 * 10.0).tanh() * x, (1.0,)),  # finite value, inf inside
        (lambda x: 1.0 / (x - 1.0) + x, (1.0,)),  # a division by zero
        (lambda x: (x * 1e200) * (x * 1e200) * 0.0 + x, (1.0,)),  # NaN value
        (lambda x: x * 1.0 * 1e200 * 1e200, (1e-300,)),  # an infinite upstream gradient
    ]
    for fn, xs in cases:
        try:
            want = value_and_grad(fn)(*xs)
        except (ValueError, ZeroDivisionError, OverflowError) as err:
            with pytest.raises(type(err)):
                compile(fn, example_args=(0.5,))(*xs)
            continue
        _bitwise(compile(fn, example_args=(0.5,))(*xs), want)
    with pytest.raises(ValueError, match="log"):
        compile(lambda x: x.log() * x, example_args=(1.0,))(-1.0)
    with pytest.raises(OverflowError, match="exp"):
        compile(lambda x: x.exp() + x, example_args=(1.0,))(1000.0)


@pytest.mark.usefixtures("tape")
def test_tape_check_catches_a_data_dependent_branch() -> None:
    def f(x: Any) -> Any:
        y = x * 2.0 if x.data > 0 else x.sin()
        return y * x + 1.0

    c = compile(f, example_args=(1.0,), check=True)
    assert c.source.startswith("# autograd.compile, tape form")
    _bitwise(c(3.0), value_and_grad(f)(3.0))
    with pytest.raises(CompileCheckError, match="different graph"):
        c(-1.0)
    unchecked = compile(f, example_args=(1.0,))
    _assert_same(unchecked(-1.0), (3.0, -4.0))  # frozen at trace time, as jax.jit


@pytest.mark.usefixtures("tape")
def test_tape_source_is_a_short_listing_without_user_strings() -> None:
    evil = "x'); import os; os.system('boom')\n#"

    def f(x: Any) -> Any:
        y = x * 3.0
        y.label = evil
        for _ in range(100):
            y = y.tanh() * 1.5
        return y

    c = compile(f, example_args=(1.0,))
    lines = c.source.splitlines()
    assert len(lines) < 60
    assert all(line.startswith("#") for line in lines)
    assert "boom" in c.source  # the label is shown, escaped, in a comment
    assert evil not in c.source
    assert "more" in c.source
    ast.parse(c.source)


def test_large_graph_takes_the_tape_by_default() -> None:
    from autograd import compiling

    def chain(x: Any) -> Any:
        for _ in range(compiling._TAPE_NODES // 3 + 1):
            x = (x * 1.0001 + 0.1).tanh()
        return x

    c = compile(chain, example_args=(0.5,))
    assert c.nodes > compiling._TAPE_NODES
    assert c.source.startswith("# autograd.compile, tape form")
    _bitwise(c(0.25), value_and_grad(chain)(0.25))
    small = compile(lambda x: x * x * x, example_args=(1.0,))
    assert small.source.startswith("def compiled(x0):")


@settings(max_examples=40, deadline=None)
@given(expressions(3, ops=sorted(OPS), max_leaves=10), st.floats(-2.0, 2.0))
def test_topo_order_is_the_engines(e: Any, x: float) -> None:
    from autograd import compiling
    from autograd.engine import topo_order

    xs = [Value(x), Value(0.5), Value(-1.25)]
    out = e(*xs)
    if isinstance(out, Value):
        assert compiling._topo_order(out) == topo_order(out)


@pytest.mark.parametrize("tape", [False, True])
def test_has_aux_returns_the_aux_values(tape: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    from autograd import compiling

    if tape:
        monkeypatch.setattr(compiling, "_TAPE_NODES", 2)

    def f(w: Any, x: Any) -> Any:
        out = (w * x).tanh()
        unused = x.exp()  # not part of the loss: still computed for the aux
        return (out - 0.5) ** 2, (out, unused, 3.0, x)

    c = compile(f, example_args=(1.0, 1.0), argnums=(0, 1), has_aux=True)
    assert ("tape form" in c.source) is tape
    (value, (out, unused, three, x)), (dw, dx) = c(0.7, -1.2)
    want_out = math.tanh(0.7 * -1.2)
    assert out == pytest.approx(want_out, rel=1e-15)
    assert unused == pytest.approx(math.exp(-1.2), rel=1e-15)
    assert (three, x) == (3.0, -1.2)
    v, (ew, ex) = value_and_grad(lambda w, x: f(w, x)[0], argnums=(0, 1))(0.7, -1.2)
    _assert_same((value, (dw, dx)), (v, (ew, ex)))
    # a single aux Value comes back as one float; the eager fallback keeps the shape
    one = compile(lambda x: (x.log(), x * 2.0), example_args=(1.0,), has_aux=True)
    assert one(4.0) == ((math.log(4.0), 8.0), 0.25)
    with pytest.raises(ValueError, match="log"):
        one(-1.0)
    sq = compile(lambda x: (x.sqrt(), [x]), example_args=(1.0,), has_aux=True)
    assert sq(0.0) == ((0.0, [0.0]), math.inf)  # 0.5 / 0 in the code: eager answers


def test_has_aux_check_and_errors() -> None:
    def f(x: Any) -> Any:
        return x * x, [x + 1.0]

    c = compile(f, example_args=(1.0,), has_aux=True, check=True)
    assert c(3.0) == ((9.0, [4.0]), 6.0)

    def branchy(x: Any) -> Any:
        return (x * x if x.data > 0 else -x), [x]

    b = compile(branchy, example_args=(1.0,), has_aux=True, check=True)
    with pytest.raises(CompileCheckError):
        b(-1.0)
    with pytest.raises(TypeError, match=r"must return \(loss, aux\)"):
        compile(lambda x: x, example_args=(1.0,), has_aux=True)
    with pytest.raises(TypeError, match="aux must be"):
        compile(lambda x: (x, "label"), example_args=(1.0,), has_aux=True)
    with pytest.raises(TypeError, match="has_aux must be a bool"):
        compile(lambda x: (x, x), example_args=(1.0,), has_aux=1)  # type: ignore[call-overload]


# The generated code's layout (issue 11): values used once are written where they are
# used, gradients are sums of their contributions in eager's order; the floats stay
# eager's, operation for operation.


@settings(max_examples=80, deadline=None)
@given(
    expressions(3, ops=sorted(OPS), max_leaves=12),
    st.lists(st.floats(-2.0, 2.0), min_size=6, max_size=6),
)
def test_generated_code_itself_gives_eagers_floats(e: Any, xs: list[float]) -> None:
    """Where the generated code answers (no fallback), its floats are eager's, bit for
    bit up to the sign of a zero gradient."""
    eager = value_and_grad(e, argnums=(0, 1, 2))
    try:
        eager(*xs[:3])
    except (ValueError, ZeroDivisionError, OverflowError):
        return  # not traceable at this point
    c = compile(e, example_args=xs[:3], argnums=(0, 1, 2))
    for point in (xs[:3], xs[3:]):
        try:
            got = c._fast(*point)
        except Exception:
            continue  # the eager engine answers this call (tested above)
        want = eager(*point)
        for a, b in zip([got[0], *got[1]], [want[0], *want[1]], strict=True):
            assert a == b or (a != a and b != b), (got, want)


def test_single_use_values_are_written_where_they_are_used() -> None:
    c = compile(lambda x, y: (x * y + 0.5).tanh() * x, example_args=(1.0, 2.0), argnums=(0, 1))
    forward = c.source.split("# backward")[0]
    # x*y and +0.5 are used once and not by a partial; tanh's output is (1 - t*t)
    assert "_tanh(x0 * x1 + 0.5)" in forward
    assert forward.count(" = ") == 2  # tanh, and the output
    rng = random.Random(3)
    for _ in range(5):
        xs = (rng.uniform(-2, 2), rng.uniform(-2, 2))
        _bitwise(c._fast(*xs), value_and_grad(lambda x, y: (x * y + 0.5).tanh() * x, (0, 1))(*xs))


def _nesting(source: str) -> int:
    depth = deepest = 0
    for ch in source:
        depth += ch == "("
        depth -= ch == ")"
        deepest = max(deepest, depth)
    return deepest


def test_deep_single_use_chain_is_cut_into_named_lines() -> None:
    """A chain of 2,000 single-use nodes (no partial uses a value) would be one line
    nested 2,000 deep: CPython's parser allows 200. Every few levels a value gets a name."""
    from autograd import compiling

    def f(x: Any) -> Any:
        for k in range(1000):
            x = x * 1.0001 + 0.001 * k
        return x * x

    c = compile(f, example_args=(0.5,))
    assert "tape form" not in c.source
    assert _nesting(c.source) <= 3 * compiling._MAX_DEPTH
    assert c.source.count("\n") >= 2000 // compiling._MAX_DEPTH
    for x in (0.5, -1.25, 3.0):
        _bitwise(c._fast(x), value_and_grad(f)(x))


def test_many_contributions_are_summed_in_eager_order() -> None:
    """x feeds 300 nodes: its gradient is a sum of 300 terms over several lines, added in
    the order the eager engine adds them (the same float to the last bit)."""
    from autograd import compiling

    def f(x: Any, y: Any) -> Any:
        total = x * 0.0
        for k in range(300):
            total = total + (x * (0.01 * k) + y).sin()
        return total

    c = compile(f, example_args=(0.3, 0.1), argnums=(0, 1))
    assert c.source.count("g_x0 = g_x0 + ") >= 300 // compiling._MAX_TERMS - 1
    rng = random.Random(4)
    for _ in range(5):
        xs = (rng.uniform(-2, 2), rng.uniform(-2, 2))
        _bitwise(c._fast(*xs), value_and_grad(f, argnums=(0, 1))(*xs))


def test_w3_sized_graph_is_code_not_tape() -> None:
    """The 2-16-16-1 MLP over 100 points (64,300 nodes: the benchmark's W3) is
    generated code by default, and gives eager's floats."""
    import importlib.util
    from pathlib import Path

    from autograd import compiling

    path = Path(__file__).parent / "bench" / "bench_compile.py"
    spec = importlib.util.spec_from_file_location("bench_compile_under_test", path)
    assert spec is not None
    assert spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    rng = random.Random(5)
    points = [([rng.uniform(-1, 1), rng.uniform(-1, 1)], rng.uniform(-1, 1)) for _ in range(100)]
    loss = bench.mlp_loss_of([2, 16, 16, 1], points)
    params = tuple(0.3 * math.sin(1.7 * i + 0.3) for i in range(337))
    c = compile(loss, example_args=params, argnums=tuple(range(337)))
    assert c.nodes > 60_000
    assert c.nodes <= compiling._TAPE_NODES
    assert c.source.startswith("def compiled(")
    _bitwise(c._fast(*params), value_and_grad(loss, argnums=tuple(range(337)))(*params))


# Found by review (stop 18): a value written into the branch of a conditional template
# that isn't taken was never computed (its error lost); clip's NaN for lo > hi could be
# swallowed (nan ** 0.0 == 1.0); a has_aux Value sharing a node with the loss zeroed the
# gradients through that node.


@pytest.mark.parametrize("op", ["leaky_relu", "elu"])
def test_conditional_template_inputs_are_computed(op: str) -> None:
    from autograd.value import elu, leaky_relu

    fn = leaky_relu if op == "leaky_relu" else elu

    def f(x: Any, p: Any) -> Any:
        return fn(x, p.log())  # the slope only matters for x <= 0

    c = compile(f, example_args=(1.0, 0.5), argnums=1)
    assert c(1.0, 0.25) == value_and_grad(f, 1)(1.0, 0.25)
    with pytest.raises(ValueError, match="log"):
        value_and_grad(f, 1)(1.0, -1.0)
    with pytest.raises(ValueError, match="log"):
        c(1.0, -1.0)  # as eager: the slope's log is computed, and refused


@pytest.mark.parametrize("batch", [False, True])
def test_clip_bounds_out_of_order_raise_even_if_the_nan_would_vanish(batch: bool) -> None:
    from autograd.value import clip

    def f(x: Any, y: Any) -> Any:
        return x * clip(y, y, 1.0) ** 0.0  # nan ** 0.0 is 1.0: a NaN would vanish

    c = compile(f, example_args=(0.5, 0.0), argnums=0, batch=batch)
    with pytest.raises(ValueError, match="lo must be <= hi"):
        value_and_grad(f, (0, 1))(0.5, 2.0)
    if batch:
        np = pytest.importorskip("numpy")
        with pytest.raises(ValueError, match="lo must be <= hi"):
            c(0.5, np.array([0.3, 2.0]))
        assert c(0.5, np.array([0.3, 0.2])) == (1.0, 2.0)
    else:
        with pytest.raises(ValueError, match="lo must be <= hi"):
            c(0.5, 2.0)
        assert c(0.5, 0.3) == (0.5, 1.0)


@pytest.mark.parametrize("form", ["code", "tape", "batch"])
def test_has_aux_sharing_a_node_with_the_loss(form: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from autograd import compiling

    if form == "tape":
        monkeypatch.setattr(compiling, "_TAPE_NODES", 2)

    def f(x: Any, y: Any) -> Any:
        h = x * y
        return h.tanh(), h * 2.0  # the aux uses h too

    def loss(x: Any, y: Any) -> Any:
        return f(x, y)[0]

    c = compile(f, example_args=(0.5, 0.7), argnums=(0, 1), has_aux=True, batch=form == "batch")
    if form == "batch":
        np = pytest.importorskip("numpy")
        (value, aux), (dx, dy) = c(0.5, np.array([0.7, 0.2]))
        want = [value_and_grad(loss, (0, 1))(0.5, y) for y in (0.7, 0.2)]
        assert value == pytest.approx(want[0][0] + want[1][0], rel=1e-15)
        assert dx == pytest.approx(want[0][1][0] + want[1][1][0], rel=1e-15)
        assert list(dy) == pytest.approx([want[0][1][1], want[1][1][1]], rel=1e-15)
        assert list(aux) == pytest.approx([0.7, 0.2], rel=1e-15)
        return
    (value, aux), grads = c(0.5, 0.7)
    assert ("tape form" in c.source) is (form == "tape")
    assert (value, grads) == value_and_grad(loss, (0, 1))(0.5, 0.7)
    assert aux == pytest.approx(0.7, rel=1e-15)
