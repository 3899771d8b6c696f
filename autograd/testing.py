"""Property-based gradient testing for your own ops and models (needs hypothesis).

Strategies
    :func:`floats_in` (inputs inside an op's test domain), :func:`values` (labelled
    Values), :func:`special_floats` (zeros, small integers, subnormals, +-inf, NaN),
    :func:`expressions` (random expression graphs with shared subexpressions, as an
    :class:`Expression`) and :func:`graphs` (those graphs built on Values, ready for
    ``backward``).
Checks
    :func:`check_op` runs hypothesis over an op's domain and compares its derivatives,
    up to ``order``, with central differences; :func:`assert_gradients_close` does the
    same at one point for any function. Both raise :class:`autograd.GradcheckError` (an
    ``AssertionError``) whose message is a readable table.
Profiles
    ``chaingrad-dev`` (40 examples) and ``chaingrad-ci`` (150, derandomized), registered
    on import; load one with ``hypothesis.settings.load_profile`` or pytest's
    ``--hypothesis-profile``.

>>> from autograd import OPS, defop
>>> check_op(OPS["sin"], order=2)
>>> wrong = defop("wrong_cube", lambda x: x**3, lambda x, out: (2 * x**2,))
>>> check_op(wrong, domain=(-3.0, 3.0))  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
autograd.checks.GradcheckError: check_op: wrong_cube: ...
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, NamedTuple

try:
    from hypothesis import HealthCheck, find, reject, settings
    from hypothesis import strategies as st
    from hypothesis.errors import NoSuchExample
except ImportError as _error:  # pragma: no cover - exercised in a subprocess test
    raise ImportError(
        "autograd.testing needs hypothesis: pip install 'chaingrad[test]' "
        "(or: pip install hypothesis)"
    ) from _error

from .checks import GradcheckError
from .functional import grad
from .ops import OPS, Op
from .value import Value, apply

__all__ = [
    "DEFAULT_EXPRESSION_OPS",
    "SPECIAL_FLOATS",
    "BuiltGraph",
    "Expression",
    "assert_gradients_close",
    "check_op",
    "expressions",
    "floats_in",
    "graphs",
    "normalize_domain",
    "register_profiles",
    "special_floats",
    "values",
]

Interval = tuple[float, float]
#: One entry per input; each a union of closed intervals.
Domain = tuple[tuple[Interval, ...], ...]


# ------------------------------------------------------------------- hypothesis profiles
def register_profiles() -> None:
    """Register the hypothesis profiles ``chaingrad-dev`` and ``chaingrad-ci``.

    ``chaingrad-dev``: 40 examples, no deadline. ``chaingrad-ci``: 150 examples,
    derandomized (the same examples on every run), no deadline, failure blobs printed.
    Registering does not load a profile.
    """
    settings.register_profile(
        "chaingrad-dev",
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    settings.register_profile(
        "chaingrad-ci",
        max_examples=150,
        deadline=None,
        derandomize=True,
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow],
    )


register_profiles()


# ------------------------------------------------------------------------------ domains
def _is_number(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool)


def _interval(x: Any, where: str) -> Interval:
    if (
        isinstance(x, Sequence)
        and len(x) == 2
        and all(_is_number(e) for e in x)
        and math.isfinite(x[0])
        and math.isfinite(x[1])
        and x[0] < x[1]
    ):
        return (float(x[0]), float(x[1]))
    raise ValueError(
        f"{where}: an interval is a pair (lo, hi) of finite numbers, lo < hi; got {x!r}"
    )


def normalize_domain(domain: Any, where: str = "domain") -> Domain:
    """``domain`` in the op table's form: per input, a tuple of intervals.

    Accepted: ``(lo, hi)`` (one input); a sequence with one entry per input, each an
    interval ``(lo, hi)`` or a sequence of intervals (a union, e.g. to skip a kink).

    >>> normalize_domain((-1, 1))
    (((-1.0, 1.0),),)
    >>> normalize_domain([[(-5, -0.1), (0.1, 5)]])  # one input, a union
    (((-5.0, -0.1), (0.1, 5.0)),)
    >>> normalize_domain([(0.1, 5), (-3, 3)])  # two inputs
    (((0.1, 5.0),), ((-3.0, 3.0),))
    """
    if isinstance(domain, Sequence) and len(domain) == 2 and all(_is_number(e) for e in domain):
        return ((_interval(domain, where),),)
    if not isinstance(domain, Sequence) or isinstance(domain, str) or not domain:
        raise ValueError(f"{where}: expected (lo, hi) or one entry per input, got {domain!r}")
    result: list[tuple[Interval, ...]] = []
    for entry in domain:
        if isinstance(entry, Sequence) and len(entry) == 2 and all(_is_number(e) for e in entry):
            result.append((_interval(entry, where),))
        elif isinstance(entry, Sequence) and entry and not isinstance(entry, str):
            result.append(tuple(_interval(iv, where) for iv in entry))
        else:
            raise ValueError(f"{where}: bad entry {entry!r}: expected (lo, hi) or intervals")
    return tuple(result)


def _domain_of(op_or_domain: Any, where: str) -> Domain:
    if isinstance(op_or_domain, Op) or callable(op_or_domain) or isinstance(op_or_domain, str):
        _, _, domain = _resolve(op_or_domain, None, where)
        return domain
    return normalize_domain(op_or_domain, where)


def _margin(lo: float, hi: float) -> float:
    # keep x +- eps inside the interval: central differences must not step outside
    return min(1e-4 * max(1.0, abs(lo), abs(hi)), (hi - lo) / 4)


def floats_in(op_or_domain: Any) -> st.SearchStrategy[tuple[float, ...]]:
    """Tuples of floats, one per input, inside an op's test domain.

    ``op_or_domain``: an :class:`~autograd.Op` (``OPS["log"]``), an op's name, a
    function with a ``domain`` attribute, or a domain (see :func:`normalize_domain`).
    The intervals are the ones kept next to the op (away from kinks and domain edges);
    a small margin keeps central differences inside them.

    >>> from hypothesis import find
    >>> from autograd import OPS
    >>> find(floats_in(OPS["log"]), lambda xs: xs[0] > 2.5)  # the simplest such input
    (3.0,)
    """
    domain = _domain_of(op_or_domain, "floats_in")
    per_input = []
    for intervals in domain:
        parts = []
        for lo, hi in intervals:
            m = _margin(lo, hi)
            parts.append(st.floats(lo + m, hi - m, allow_nan=False, allow_infinity=False))
        per_input.append(st.one_of(*parts))
    return st.tuples(*per_input)


#: Exact zeros, small integers, subnormals, the extremes, +-inf and NaN.
SPECIAL_FLOATS: tuple[float, ...] = (
    0.0,
    -0.0,
    1.0,
    -1.0,
    2.0,
    -2.0,
    3.0,
    5e-324,
    -5e-324,
    2.2250738585072014e-308,
    1.7976931348623157e308,
    -1.7976931348623157e308,
    math.inf,
    -math.inf,
    math.nan,
)


def special_floats(
    *, allow_nan: bool = True, allow_infinity: bool = True
) -> st.SearchStrategy[float]:
    """The floats where numerical code breaks: +-0, small integers, subnormals, the
    largest float, +-inf and NaN (see ``SPECIAL_FLOATS``).

    >>> from hypothesis import find
    >>> find(special_floats(), math.isnan)
    nan
    """
    choices = [
        x
        for x in SPECIAL_FLOATS
        if (allow_nan or not math.isnan(x)) and (allow_infinity or not math.isinf(x))
    ]
    return st.sampled_from(choices)


def values(domain: Any = (-10.0, 10.0), *, label: str = "x") -> st.SearchStrategy[Value]:
    """Leaf Values labelled ``label``, with data from ``domain``.

    ``domain``: an interval ``(lo, hi)``, a union of intervals for one input, or a
    strategy of floats (e.g. :func:`special_floats`).

    >>> from hypothesis import find
    >>> find(values((0.5, 1.0), label="w"), lambda v: v.data > 0.7)
    Value(data=1.0, grad=0.0, label='w')
    """
    if isinstance(domain, st.SearchStrategy):
        floats: st.SearchStrategy[float] = domain
    else:
        (intervals,) = normalize_domain([domain], "values")
        floats = st.one_of(
            *(st.floats(lo, hi, allow_nan=False, allow_infinity=False) for lo, hi in intervals)
        )
    return floats.map(lambda x: Value(x, label=label))


# ------------------------------------------------------------------ expression graphs
Arg = str | float
Step = tuple[Any, ...]

_INFIX = {"+": "+", "-": "-", "*": "*", "/": "/", "**": "**"}
_OPERATOR: dict[str, Callable[..., Any]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
    "**": operator.pow,
    "neg": operator.neg,
    "id": lambda a: a,
}

#: Ops used by :func:`expressions` by default: defined on every finite float.
#: Any other op of ``OPS`` can be asked for; its operands then get a guard.
DEFAULT_EXPRESSION_OPS: tuple[str, ...] = (
    "+",
    "-",
    "*",
    "neg",
    "sin",
    "cos",
    "tanh",
    "sigmoid",
    "softplus",
    "/",
    "**",
    "exp",
    "log",
    "sqrt",
)
# Ops that need no guard: finite for every finite input (no domain error, no kink).
_TOTAL = frozenset({"+", "-", "*", "neg", "id", "sin", "cos", "tanh", "sigmoid", "softplus"})


def _fmt(x: float) -> str:
    if math.isnan(x):
        return 'float("nan")'
    if math.isinf(x):
        return 'float("inf")' if x > 0 else '-float("inf")'
    return repr(x)


class Expression:
    """A random expression graph in single-assignment form, over inputs ``x0..x{n-1}``.

    ``steps[i]`` is ``(op_name, *args)`` and defines ``t{i}``; an argument is an input
    name ``"x0"``, an earlier result ``"t3"`` or a float constant. The last step is
    the output. A result used by several later steps is a shared subexpression (one
    node with fan-out). The repr is runnable Python; :attr:`source` is the same graph
    as a Python function.

    >>> e = Expression(2, [("sin", "x0"), ("*", "t0", "x1"), ("+", "t1", "t0")])
    >>> print(e.source)
    from autograd import sin
    <BLANKLINE>
    def f(x0, x1):
        t0 = sin(x0)
        t1 = t0 * x1
        t2 = t1 + t0
        return t2
    >>> round(e(0.5, 2.0), 12) == round(3 * math.sin(0.5), 12)
    True
    >>> g = e.build([0.5, 2.0])
    >>> g.output.backward()
    >>> round(g.inputs[0].grad - 3 * math.cos(0.5), 12)
    0.0
    """

    __slots__ = ("n_inputs", "steps")

    n_inputs: int
    steps: tuple[Step, ...]

    def __init__(self, n_inputs: int, steps: Iterable[Sequence[Any]]) -> None:
        if not isinstance(n_inputs, int) or n_inputs < 1:
            raise ValueError(f"Expression: n_inputs must be an int >= 1, got {n_inputs!r}")
        checked: list[Step] = []
        for i, step in enumerate(steps):
            if not step or step[0] not in OPS:
                raise ValueError(f"Expression: step t{i}: unknown op in {step!r}")
            op = OPS[step[0]]
            args = step[1:]
            if op.arity != len(args):
                raise ValueError(f"Expression: step t{i}: {op.name} takes {op.arity} inputs")
            for a in args:
                if isinstance(a, str):
                    kind, num = a[:1], a[1:]
                    limit = n_inputs if kind == "x" else i
                    if kind not in ("x", "t") or not num.isdigit() or int(num) >= limit:
                        raise ValueError(f"Expression: step t{i}: bad reference {a!r}")
                elif not _is_number(a):
                    raise ValueError(f"Expression: step t{i}: bad argument {a!r}")
            checked.append((op.name, *(a if isinstance(a, str) else float(a) for a in args)))
        if not checked:
            raise ValueError("Expression: needs at least one step")
        self.n_inputs = n_inputs
        self.steps = tuple(checked)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Expression):
            return NotImplemented
        return (self.n_inputs, self._key()) == (other.n_inputs, other._key())

    def _key(self) -> tuple[Any, ...]:
        # floats compared by repr so that nan == nan and 0.0 != -0.0
        return tuple(tuple(a if isinstance(a, str) else repr(a) for a in s) for s in self.steps)

    def __hash__(self) -> int:
        return hash((self.n_inputs, self._key()))

    def _line(self, i: int) -> str:
        name, *args = self.steps[i]
        text = [a if isinstance(a, str) else _fmt(a) for a in args]
        if name in _INFIX:
            return f"t{i} = {text[0]} {_INFIX[name]} {text[1]}"
        if name == "neg":
            return f"t{i} = -{text[0]}"
        if _exported(name):
            return f"t{i} = {name}({', '.join(text)})"
        return f"t{i} = apply(OPS[{name!r}], {', '.join(text)})"

    def __repr__(self) -> str:
        lines = [f"Expression({self.n_inputs}, ["]
        for i, step in enumerate(self.steps):
            args = ", ".join(repr(a) if isinstance(a, str) else _fmt(a) for a in step[1:])
            lines.append(f"    ({step[0]!r}, {args}),  # {self._line(i)}")
        lines.append("])")
        return "\n".join(lines)

    @property
    def source(self) -> str:
        """The graph as a Python function ``f(x0, ...)`` (call it with Values or floats)."""
        names = {s[0] for s in self.steps if s[0] not in _INFIX and s[0] != "neg"}
        imports = sorted(n for n in names if _exported(n))
        if any(not _exported(n) for n in names):
            imports += ["OPS", "apply"]
        head = f"from autograd import {', '.join(imports)}\n\n" if imports else ""
        params = ", ".join(f"x{i}" for i in range(self.n_inputs))
        body = [f"    {self._line(i)}" for i in range(len(self.steps))]
        return (
            f"{head}def f({params}):\n" + "\n".join(body) + f"\n    return t{len(self.steps) - 1}"
        )

    def evaluate(
        self, inputs: Sequence[Any], functions: Mapping[str, Callable[..., Any]] | None = None
    ) -> Any:
        """The output for ``inputs``: floats give a float, Values give a Value node.

        Other objects (e.g. torch tensors) work too: ``functions`` maps an op name to
        the function to call (e.g. ``{"sin": torch.sin, ...}``); without an entry,
        arithmetic uses the operators and other ops call the method of the same name.
        """
        if len(inputs) != self.n_inputs:
            raise ValueError(f"Expression: expected {self.n_inputs} inputs, got {len(inputs)}")
        results: list[Any] = []
        for name, *args in self.steps:
            vals = [
                (inputs[int(a[1:])] if a[0] == "x" else results[int(a[1:])])
                if isinstance(a, str)
                else a
                for a in args
            ]
            results.append(_apply_named(name, vals, functions))
        return results[-1]

    def __call__(self, *inputs: Any) -> Any:
        return self.evaluate(inputs)

    def uses(self, i: int) -> bool:
        """True if the output depends on input ``x{i}``."""
        reach = [False] * len(self.steps)
        reach[-1] = True
        for k in range(len(self.steps) - 1, -1, -1):
            if reach[k]:
                for a in self.steps[k][1:]:
                    if isinstance(a, str) and a == f"x{i}":
                        return True
                    if isinstance(a, str) and a[0] == "t":
                        reach[int(a[1:])] = True
        return False

    def build(self, xs: Sequence[float]) -> BuiltGraph:
        """Leaves ``Value(x, label="x0")``, ... and the output node built on them."""
        inputs = tuple(Value(x, label=f"x{i}") for i, x in enumerate(xs))
        return BuiltGraph(self, tuple(float(x) for x in xs), inputs, self.evaluate(inputs))


def _exported(name: str) -> bool:
    """True if ``autograd.<name>`` is the module function of op ``name``."""
    import autograd

    fn = getattr(autograd, name, None) if name.isidentifier() else None
    return callable(fn) and getattr(fn, "__name__", "") == name


def _apply_named(
    name: str, args: list[Any], functions: Mapping[str, Callable[..., Any]] | None = None
) -> Any:
    if functions is not None and name in functions:
        return functions[name](*args)
    if any(a.__class__ is Value for a in args):
        return apply(OPS[name], *args)
    if all(a.__class__ is float for a in args):
        return OPS[name].forward(*args)
    if name in _OPERATOR:
        return _OPERATOR[name](*args)
    return getattr(args[0], name)(*args[1:])


class BuiltGraph(NamedTuple):
    """An :class:`Expression` built on leaf Values: ``output.backward()`` is ready to run."""

    expression: Expression
    xs: tuple[float, ...]
    inputs: tuple[Value, ...]
    output: Any

    def __repr__(self) -> str:
        return f"{self.expression!r}.build({list(self.xs)!r})"


def _op_names(ops: Iterable[str | Op] | None) -> list[str]:
    names = list(DEFAULT_EXPRESSION_OPS if ops is None else ops)
    result = []
    for o in names:
        name = o.name if isinstance(o, Op) else o
        if name not in OPS:
            raise ValueError(f"expressions: {name!r} is not an op in autograd.OPS")
        result.append(name)
    if not result:
        raise ValueError("expressions: ops must not be empty")
    return sorted(set(result))


Tree = tuple[Any, ...]


def _guard(name: str, k: int, child: Tree, pick: int) -> Tree:
    """Map any real operand into input ``k``'s test domain: lo + (hi - lo) sigmoid(u)."""
    intervals = OPS[name].domain[k] if OPS[name].domain else ((-10.0, 10.0),)
    lo, hi = intervals[pick % len(intervals)]
    m = _margin(lo, hi)
    lo, hi = lo + m, hi - m
    return ("+", ("*", ("sigmoid", child), ("c", hi - lo)), ("c", lo))


def expressions(
    n_inputs: int,
    ops: Iterable[str | Op] | None = None,
    max_leaves: int = 10,
) -> st.SearchStrategy[Expression]:
    """Random :class:`Expression` graphs over ``n_inputs`` inputs (each output uses one).

    ``ops``: names of ops in ``autograd.OPS`` (default :data:`DEFAULT_EXPRESSION_OPS`).
    Operands of an op not defined on every float (``log``, ``/``, ``**``, ...) pass
    through a guard ``lo + (hi - lo) * sigmoid(u)`` into the op's test domain, so
    finite inputs never raise. ``max_leaves`` bounds the inputs and constants of the
    tree before shared subtrees are merged (as in ``hypothesis.strategies.recursive``).
    Equal subtrees become one node: the same subexpression used twice is fan-out.
    """
    if not isinstance(n_inputs, int) or n_inputs < 1:
        raise ValueError(f"expressions: n_inputs must be an int >= 1, got {n_inputs!r}")
    names = _op_names(ops)
    leaves = st.one_of(
        st.tuples(st.just("x"), st.integers(0, n_inputs - 1)),
        st.tuples(st.just("c"), st.sampled_from([2.0, 0.5, -1.5, 0.0, 3.0])),
    )

    def node(name: str, children: list[Tree], pick: int) -> Tree:
        if name not in _TOTAL:
            children = [_guard(name, k, c, pick) for k, c in enumerate(children)]
        return (name, *children)

    def make_fresh(name: str) -> Callable[[tuple[Any, ...]], Tree]:
        def fresh(t: tuple[Any, ...]) -> Tree:
            return node(name, list(t[:-1]), t[-1])

        return fresh

    def make_shared(name: str, arity: int) -> Callable[[tuple[Any, ...]], Tree]:
        def shared(t: tuple[Any, ...]) -> Tree:
            return node(name, [t[0]] * arity, t[1])

        return shared

    def extend(children: st.SearchStrategy[Tree]) -> st.SearchStrategy[Tree]:
        # built once per level (no flatmap): strategies are not rebuilt per example
        options = []
        pick = st.integers(0, 3)
        for name in names:
            arity = OPS[name].arity
            options.append(st.tuples(*[children] * arity, pick).map(make_fresh(name)))
            if arity > 1:  # the same subtree in every operand: a shared subexpression
                options.append(st.tuples(children, pick).map(make_shared(name, arity)))
        return st.one_of(*options)

    def is_op(t: Tree) -> bool:
        return t[0] not in ("x", "c")

    def to_expression(t: Tree) -> Expression:
        return _to_expression(t, n_inputs)

    def uses_an_input(e: Expression) -> bool:
        return any(e.uses(i) for i in range(n_inputs))

    trees = st.recursive(leaves, extend, max_leaves=max_leaves)
    return trees.filter(is_op).map(to_expression).filter(uses_an_input)


def _to_expression(tree: Tree, n_inputs: int) -> Expression:
    steps: list[Step] = []
    memo: dict[Tree, Arg] = {}

    def ref(t: Tree) -> Arg:
        if t[0] == "x":
            return f"x{t[1]}"
        if t[0] == "c":
            return float(t[1])
        if t in memo:
            return memo[t]
        args = [ref(c) for c in t[1:]]
        steps.append((t[0], *args))
        memo[t] = f"t{len(steps) - 1}"
        return memo[t]

    ref(tree)
    return Expression(n_inputs, steps)


def graphs(
    n_inputs: int = 2,
    ops: Iterable[str | Op] | None = None,
    max_leaves: int = 10,
    inputs: st.SearchStrategy[float] | None = None,
) -> st.SearchStrategy[BuiltGraph]:
    """Random graphs built on leaf Values (:class:`BuiltGraph`), ready for backward.

    ``inputs``: the strategy for each input's data (default: floats in [-2, 2]).
    Graphs whose forward pass raises (a domain error) are not generated.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5)
    ... @given(graphs(n_inputs=2))
    ... def test_backward_runs(g):
    ...     g.output.backward()
    ...     assert [x.label for x in g.inputs] == ["x0", "x1"]
    >>> test_backward_runs()
    """
    floats = st.floats(-2.0, 2.0) if inputs is None else inputs
    exprs = expressions(n_inputs, ops, max_leaves)
    points = st.tuples(*[floats] * n_inputs)

    @st.composite
    def build(draw: st.DrawFn) -> BuiltGraph:
        expr = draw(exprs)
        xs = draw(points)
        try:
            return expr.build(xs)
        except (ArithmeticError, ValueError):
            reject()

    return build()


# ----------------------------------------------------------------------------- checks
def _resolve(
    op: Any, domain: Any, where: str, need_domain: bool = True
) -> tuple[str, Callable[..., Any], Domain]:
    """(name, function of Values, domain) for an Op, an op name or a function."""
    if isinstance(op, str):
        if op not in OPS:
            raise ValueError(f"{where}: unknown op {op!r} (not in autograd.OPS)")
        op = OPS[op]
    if isinstance(op, Op):
        the_op = op
        name = op.name

        def fn(*args: Any) -> Any:
            return apply(the_op, *args)

        own: Any = op.domain or None
    elif callable(op):
        name = getattr(op, "__name__", "") or "f"
        fn = op
        own = getattr(op, "domain", None)
    else:
        raise TypeError(f"{where}: expected an Op, an op name or a function, got {op!r}")
    chosen = domain if domain is not None else own
    if chosen is None and not need_domain:
        return name, fn, ()
    if chosen is None:
        raise ValueError(
            f"{where}: {name} has no test domain: pass domain=(lo, hi), or one interval "
            "(or list of intervals) per input"
        )
    dom = normalize_domain(chosen, where)
    if isinstance(op, Op) and len(dom) != op.arity:
        raise ValueError(f"{where}: {name} takes {op.arity} inputs, domain has {len(dom)}")
    return name, fn, dom


class _Row(NamedTuple):
    label: str
    analytic: float
    numeric: float
    ok: bool


def _as_float(x: Any) -> float:
    return float(x.data) if isinstance(x, Value) else float(x)


def _value(f: Callable[..., Any], xs: Sequence[float]) -> float:
    return _as_float(f(*[Value(x) for x in xs]))


def _derivatives(f: Callable[..., Any], n: int) -> Callable[..., tuple[float, ...]]:
    """The function returning every first partial of ``f`` (floats in, floats out)."""
    g = grad(f, argnums=tuple(range(n)))

    def all_partials(*xs: Any) -> tuple[Any, ...]:
        result = g(*xs)
        return tuple(result)

    return all_partials


def _compare(
    f: Callable[..., Any],
    xs: Sequence[float],
    order: int,
    name: str,
    eps: float,
    rtol: float,
    atol: float,
) -> tuple[list[_Row], int]:
    """Rows per derivative, level by level, stopping after the first failing order."""
    n = len(xs)
    rows: list[_Row] = []
    tiny = 2.0**-52
    # lower[path] = function of the inputs giving that derivative (path () is f itself)
    lower: dict[tuple[int, ...], Callable[..., Any]] = {(): f}
    for k in range(1, order + 1):
        level: dict[tuple[int, ...], Callable[..., Any]] = {}
        bad = False
        for path, d in lower.items():
            partials = _derivatives(d, n)(*xs)
            for j in range(n):
                h = eps * max(1.0, abs(xs[j]))
                hi, lo = list(xs), list(xs)
                hi[j] += h
                lo[j] -= h
                if path:
                    f_hi, f_lo = _as_float(d(*hi)), _as_float(d(*lo))
                else:
                    f_hi, f_lo = _value(d, hi), _value(d, lo)
                numeric = (f_hi - f_lo) / (hi[j] - lo[j])
                analytic = _as_float(partials[j])
                noise = 64 * tiny * max(abs(f_hi), abs(f_lo)) / h
                ok = abs(analytic - numeric) <= atol + rtol * abs(numeric) + noise or (
                    math.isnan(analytic) and math.isnan(numeric)
                )
                bad = bad or not ok
                full = (*path, j)
                label = f"d{'' if k == 1 else k} {name}/" + " ".join(f"dx{i}" for i in full)
                rows.append(_Row(label, analytic, numeric, ok))

                def next_d(*a: Any, d: Callable[..., Any] = d, j: int = j) -> Any:
                    # every argument a Value, so that f may call methods on any of them
                    return grad(d, argnums=tuple(range(len(a))))(*a)[j]

                level[full] = next_d
        if bad:
            return rows, k
        lower = level
    return rows, 0


def _num(x: float) -> str:
    """``x`` to 10 significant digits, always looking like a float (``2.0``, not ``2``)."""
    text = f"{x:.10g}"
    return text + ".0" if text.lstrip("-").isdigit() else text


def _report(rows: list[_Row]) -> str:
    table = [["derivative", "analytic", "numeric", "difference", ""]]
    for r in rows:
        diff = abs(r.analytic - r.numeric)
        table.append(
            [
                r.label,
                _num(r.analytic),
                _num(r.numeric),
                f"{diff:.3g}",
                "" if r.ok else "<-- mismatch",
            ]
        )
    widths = [max(len(t[c]) for t in table) for c in range(len(table[0]))]
    return "\n".join(
        " " + "  ".join(c.ljust(w) for c, w in zip(t, widths, strict=True)).rstrip() for t in table
    )


_ORDINAL = {1: "first", 2: "second", 3: "third"}


def _at(xs: Sequence[float]) -> str:
    return ", ".join(f"x{i}={x!r}" for i, x in enumerate(xs))


def _check_order(order: int, where: str) -> None:
    if not isinstance(order, int) or isinstance(order, bool) or order < 1:
        raise ValueError(f"{where}: order must be an int >= 1, got {order!r}")


def assert_gradients_close(
    f: Any,
    inputs: Sequence[Any],
    order: int = 1,
    *,
    eps: float = 1e-6,
    rtol: float = 1e-4,
    atol: float = 1e-6,
) -> None:
    """Check every derivative of ``f`` up to ``order`` at one point, by central differences.

    ``f``: an :class:`~autograd.Op`, an op name, a ``defop`` function or any function
    of Values returning a Value. ``inputs``: floats (or Values: their data is used).
    Order k compares each k-th partial (backprop with ``create_graph``) with central
    differences of the (k-1)-th; a derivative passes when
    ``|analytic - numeric| <= atol + rtol * |numeric|`` (plus the rounding noise of the
    difference quotient). Raises :class:`~autograd.GradcheckError` with a table.
    Has no hypothesis loop of its own, so it is the check to use inside ``@given``.

    >>> from autograd import OPS
    >>> assert_gradients_close(lambda x, y: (x * y).sin(), [0.3, -1.2], order=2)
    >>> assert_gradients_close(OPS["relu"], [0.0])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    autograd.checks.GradcheckError: assert_gradients_close: relu: the first derivatives ...
    """
    _check_order(order, "assert_gradients_close")
    name, fn, _ = _resolve(f, None, "assert_gradients_close", need_domain=False)
    xs = [_as_float(x) for x in inputs]
    if not xs:
        raise ValueError("assert_gradients_close: inputs must not be empty")
    rows, failed = _compare(fn, xs, order, name, eps, rtol, atol)
    if failed:
        raise GradcheckError(
            f"assert_gradients_close: {name}: the {_ORDINAL.get(failed, f'order-{failed}')} "
            f"derivatives disagree with central differences at {_at(xs)} "
            f"(eps={eps}, rtol={rtol}, atol={atol})\n{_report(rows)}"
        )


def check_op(
    op: Any,
    order: int = 2,
    domain: Any = None,
    max_examples: int | None = None,
    *,
    eps: float = 1e-6,
    rtol: float = 1e-4,
    atol: float = 1e-6,
) -> None:
    """Search the op's domain with hypothesis for a point where a derivative is wrong.

    ``op``: an :class:`~autograd.Op` (``OPS["sin"]``), an op name, or the function
    :func:`~autograd.defop` returned (then pass ``domain``). ``domain``: per input an
    interval ``(lo, hi)`` or a list of intervals (default: the op's own ``domain``).
    Every partial derivative up to ``order`` is compared with central differences, as
    in :func:`assert_gradients_close`. ``max_examples`` defaults to the current
    hypothesis profile's. On failure, raises :class:`~autograd.GradcheckError` naming
    the op, the smallest failing input hypothesis found, and the analytic and numeric
    values; an exception raised by the op is reported the same way.

    check_op runs its own hypothesis search, so inside a ``@given`` test use
    :func:`assert_gradients_close` at the drawn point instead (nesting searches is
    quadratic, and hypothesis refuses it unless the outer test suppresses
    ``HealthCheck.nested_given``).
    """
    _check_order(order, "check_op")
    name, fn, dom = _resolve(op, domain, "check_op")

    def fails(xs: tuple[float, ...]) -> bool:
        try:
            return _compare(fn, xs, order, name, eps, rtol, atol)[1] != 0
        except Exception:
            return True

    overrides: dict[str, Any] = {"deadline": None, "database": None}
    if max_examples is not None:
        overrides["max_examples"] = max_examples
    try:
        xs = find(floats_in(dom), fails, settings=settings(settings.default, **overrides))
    except NoSuchExample:
        return
    try:
        rows, failed = _compare(fn, xs, order, name, eps, rtol, atol)
    except Exception as error:
        raise GradcheckError(
            f"check_op: {name}: raised {type(error).__name__} at {_at(xs)} "
            f"(the smallest failing input hypothesis found): {error}"
        ) from error
    raise GradcheckError(
        f"check_op: {name}: the {_ORDINAL.get(failed, f'order-{failed}')} derivatives "
        f"disagree with central differences at {_at(xs)} (the smallest failing input "
        f"hypothesis found; order={order}, eps={eps}, rtol={rtol}, atol={atol})\n" + _report(rows)
    )
